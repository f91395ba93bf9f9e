/* Unit tests: the streaming TMX reader, its checks and limits, seg_plain,
 * dates, the external sorter. */
#include <config.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "tmkit/tmkit.h"

/* Everything the callbacks saw, as text, to compare feeds of any size. */
typedef struct {
    tmk_buf log;
    unsigned long problems;
    unsigned flags;
} seen;

static int on_header(void *ud, const tmk_tmx_header *h)
{
    seen *s = ud;
    tmk_buf_printf(&s->log, "header srclang=%s attrs=%zu props=%zu notes=%zu\n",
                   h->srclang ? h->srclang : "-", h->nattrs, h->nprops, h->nnotes);
    return TMK_OK;
}

static int on_tu(void *ud, const tmk_tmx_tu *tu)
{
    seen *s = ud;
    tmk_buf_printf(&s->log, "tu %s", tu->tuid ? tu->tuid : "-");
    for (size_t i = 0; i < tu->nattrs; i++)
        tmk_buf_printf(&s->log, " %s=%s", tu->attrs[i].name, tu->attrs[i].value);
    for (size_t i = 0; i < tu->nprops; i++)
        tmk_buf_printf(&s->log, " prop[%s]=%s", tu->props[i].type, tu->props[i].value);
    for (size_t i = 0; i < tu->nnotes; i++)
        tmk_buf_printf(&s->log, " note=%s", tu->notes[i].text);
    tmk_buf_adds(&s->log, "\n");
    for (size_t i = 0; i < tu->ntuvs; i++) {
        const tmk_tmx_tuv *v = &tu->tuvs[i];
        tmk_buf_printf(&s->log, "  %s m%d [", v->lang ? v->lang : "-", v->markup);
        tmk_buf_add(&s->log, v->seg, v->seg_len);
        tmk_buf_adds(&s->log, "]");
        for (size_t k = 0; k < v->nprops; k++)
            tmk_buf_printf(&s->log, " prop[%s]=%s", v->props[k].type, v->props[k].value);
        tmk_buf_adds(&s->log, "\n");
    }
    return TMK_OK;
}

static int on_problem(void *ud, const tmk_tmx_finding *p)
{
    seen *s = ud;
    s->problems++;
    tmk_buf_printf(&s->log, "problem %lu:%lu %s\n", p->line, p->col, p->msg);
    return 0;
}

/* A reader of doc-like input made with the new call and options: flags,
 * a unit limit (0: the default), the three callbacks sharing ud. */
static tmk_tmx_reader *new_reader(const char *name, unsigned flags, size_t max_tu,
                                  tmk_tmx_header_cb h, tmk_tmx_tu_cb t, tmk_tmx_problem_cb p,
                                  void *ud, tmk_error *err)
{
    tmk_tmx_read_options o = TMK_TMX_READ_OPTIONS_INIT;
    o.name = name;
    o.flags = flags;
    o.max_tu_bytes = max_tu;
    tmk_tmx_reader *r = NULL;
    assert_int_equal(tmk_tmx_reader_new(&r, &o, h, t, p, ud, err), TMK_OK);
    assert_non_null(r);
    return r;
}

/* Counts for the padding tests: the tu callbacks take a size_t * (the
 * first member), the problem callback counts into problems. */
typedef struct {
    size_t n;
    unsigned long problems;
} pad_count;

static int count_problem(void *ud, const tmk_tmx_finding *p)
{
    (void)p;
    ((pad_count *)ud)->problems++;
    return 0;
}

/* Feed doc in chunks of `chunk` bytes (0 = whole); returns the rc, fills s. */
static int read_doc(const char *doc, size_t len, size_t chunk, unsigned flags, int check,
                    seen *s, tmk_error *err)
{
    tmk_buf_init(&s->log);
    s->problems = 0;
    tmk_tmx_reader *r =
        new_reader("t.tmx", flags, 0, on_header, on_tu, check ? on_problem : NULL, s, err);
    int rc = TMK_OK;
    if (!chunk)
        chunk = len ? len : 1;
    for (size_t i = 0; i < len && rc == TMK_OK; i += chunk)
        rc = tmk_tmx_reader_feed(r, doc + i, len - i < chunk ? len - i : chunk, err);
    if (rc == TMK_OK)
        rc = tmk_tmx_reader_finish(r, err);
    tmk_tmx_reader_free(r);
    return rc;
}

#define HDR "<header creationtool=\"t\" creationtoolversion=\"1\" segtype=\"sentence\" " \
            "o-tmf=\"t\" adminlang=\"en-US\" srclang=\"de-DE\" datatype=\"plaintext\">" \
            "<prop type=\"x-h\">v</prop></header>"

static const char doc_level2[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">" HDR "<body>\n"
    "<tu tuid=\"7\" changedate=\"20240101T000000Z\"><note>n &amp; m</note>"
    "<prop type=\"x-score\">0.9</prop>\n"
    "<tuv xml:lang=\"de-DE\"><prop type=\"x-p\">q</prop><seg>  Das ist <bpt i=\"1\" x=\"1\">&lt;b&gt;</bpt>"
    "fett<ept i=\"1\">&lt;/b&gt;</ept> &amp; <ph x=\"2\"/> <hi>gut</hi>\n</seg></tuv>\n"
    "<tuv xml:lang=\"en-US\"><seg>This is <bpt i=\"1\" x=\"1\">&lt;b&gt;</bpt>bold"
    "<ept i=\"1\">&lt;/b&gt;</ept> &amp; <ph x=\"2\"/> <hi>good</hi>\n</seg></tuv></tu>\n"
    "<tu><tuv xml:lang=\"de-DE\"><seg>Grüße &#x1D400; &#13;</seg></tuv>"
    "<tuv xml:lang=\"en-US\"><seg/></tuv></tu>\n"
    "</body></tmx>\n";

static const char expect_level2[] =
    "header srclang=de-DE attrs=7 props=1 notes=0\n"
    "tu 7 changedate=20240101T000000Z prop[x-score]=0.9 note=n & m\n"
    "  de-DE m1 [  Das ist <bpt i=\"1\" x=\"1\">&lt;b&gt;</bpt>fett<ept i=\"1\">&lt;/b&gt;</ept> "
    "&amp; <ph x=\"2\"/> <hi>gut</hi>\n] prop[x-p]=q\n"
    "  en-US m1 [This is <bpt i=\"1\" x=\"1\">&lt;b&gt;</bpt>bold<ept i=\"1\">&lt;/b&gt;</ept> "
    "&amp; <ph x=\"2\"/> <hi>good</hi>\n]\n"
    "tu -\n"
    "  de-DE m0 [Grüße \xf0\x9d\x90\x80 \r]\n"
    "  en-US m0 []\n";

static void test_tmx_read_same_result_whole_1_and_7_byte_chunks(void **state)
{
    (void)state;
    const size_t chunks[] = {0, 1, 7, 4096};
    for (size_t i = 0; i < sizeof chunks / sizeof *chunks; i++) {
        seen s;
        tmk_error err = TMK_ERROR_INIT;
        assert_int_equal(read_doc(doc_level2, strlen(doc_level2), chunks[i], 0, 1, &s, &err),
                         TMK_OK);
        if (strcmp(s.log.data, expect_level2))
            fail_msg("chunk %zu:\n%s", chunks[i], s.log.data);
        tmk_buf_release(&s.log);
    }
}

static void test_tmx_read_strip_gives_plain_text(void **state)
{
    (void)state;
    seen s;
    tmk_error err = TMK_ERROR_INIT;
    assert_int_equal(read_doc(doc_level2, strlen(doc_level2), 7, TMK_TMX_READ_STRIP, 0, &s, &err),
                     TMK_OK);
    assert_non_null(strstr(s.log.data, "  de-DE m0 [  Das ist fett &  gut\n]"));
    assert_non_null(strstr(s.log.data, "  en-US m0 [This is bold &  good\n]"));
    tmk_buf_release(&s.log);
    /* and tmk_tmx_seg_plain on the markup form gives the same */
    tmk_buf b = TMK_BUF_INIT;
    const char *x = "a<bpt i=\"1\">&lt;b&gt;</bpt>b<ph x=\"2\"/>c<hi>d&amp;&#65;&#x42;</hi>"
                    "<ph>&lt;fn&gt;<sub>sub</sub></ph>";
    assert_int_equal(tmk_tmx_seg_plain(x, strlen(x), 1, &b), TMK_OK);
    assert_string_equal(b.data, "abcd&AB");
    tmk_buf_release(&b);
}

static void test_tmx_read_text_only_keeps_what_counting_needs(void **state)
{
    (void)state;
    /* languages, plain text and the unit's srclang; no tuid, props, notes or
     * other attributes; the header whole; the same for any chunk size */
    static const char doc[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">" HDR "<body>\n"
        "<tu tuid=\"7\" srclang=\"en-US\" changedate=\"20240101T000000Z\"><note>n</note>"
        "<prop type=\"x-score\">0.9</prop>\n"
        "<tuv xml:lang=\"de-DE\" creationid=\"x\"><prop type=\"x-p\">q</prop><seg>  Das "
        "<bpt i=\"1\">&lt;b&gt;<sub>s</sub></bpt>fett<ept i=\"1\">&lt;/b&gt;</ept> &amp; "
        "<hi>gut</hi>\n</seg><seg>second seg ignored</seg></tuv>\n"
        "<tuv lang=\"en-US\"><seg>b</seg></tuv><tu><tuv xml:lang=\"fr\"><seg>nested</seg></tuv>"
        "</tu></tu>\n"
        "<tu><tuv xml:lang=\"de-DE\"><seg>Grüße &#x1D400; &#13;</seg></tuv>"
        "<tuv xml:lang=\"en-US\"><seg/></tuv><tuv xml:lang=\"fr\"></tuv></tu>\n"
        "</body></tmx>\n";
    static const char expect[] =
        "header srclang=de-DE attrs=7 props=1 notes=0\n"
        "tu - srclang=en-US\n"
        "  de-DE m0 [  Das fett & gut\n]\n"
        "  en-US m0 [b]\n"
        "tu -\n"
        "  de-DE m0 [Grüße \xf0\x9d\x90\x80 \r]\n"
        "  en-US m0 []\n"
        "  fr m0 []\n";
    const size_t chunks[] = {0, 1, 7, 4096};
    for (size_t i = 0; i < sizeof chunks / sizeof *chunks; i++) {
        seen s;
        tmk_error err = TMK_ERROR_INIT;
        assert_int_equal(read_doc(doc, strlen(doc), chunks[i], TMK_TMX_READ_TEXT_ONLY, 0, &s,
                                  &err), TMK_OK);
        if (strcmp(s.log.data, expect))
            fail_msg("chunk %zu:\n%s", chunks[i], s.log.data);
        tmk_buf_release(&s.log);
    }
    /* the limits hold in this mode too */
    tmk_buf d = TMK_BUF_INIT;
    tmk_buf_adds(&d, "<tmx version=\"1.4\"><body><tu><tuv xml:lang=\"en\"><seg>");
    for (int i = 0; i < 1000; i++)
        tmk_buf_adds(&d, "<hi>");
    seen s;
    tmk_error err = TMK_ERROR_INIT;
    assert_int_equal(read_doc(d.data, d.len, 7, TMK_TMX_READ_TEXT_ONLY, 0, &s, &err),
                     TMK_ELIMIT);
    tmk_buf_release(&s.log);
    tmk_buf_reset(&d);
    tmk_buf_adds(&d, "<tmx version=\"1.4\"><body><tu><tuv xml:lang=\"en\"><seg>");
    for (int i = 0; i < 3000; i++)
        tmk_buf_adds(&d, "0123456789");
    tmk_buf_adds(&d, "</seg></tuv></tu></body></tmx>");
    tmk_tmx_reader *r =
        new_reader("big", TMK_TMX_READ_TEXT_ONLY, 10000, NULL, NULL, NULL, NULL, &err);
    int rc = tmk_tmx_reader_feed(r, d.data, d.len, &err);
    if (rc == TMK_OK)
        rc = tmk_tmx_reader_finish(r, &err);
    assert_int_equal(rc, TMK_ELIMIT);
    tmk_tmx_reader_free(r);
    tmk_buf_release(&d);
}

/* TEXT_ONLY: each seg ends with its NUL and TMK_TMX_SEG_PAD bytes that may
 * be read (AddressSanitizer checks the reads in the sanitizer build). */
static int on_tu_padding(void *ud, const tmk_tmx_tu *tu)
{
    size_t *segs = ud;
    for (size_t i = 0; i < tu->ntuvs; i++) {
        const tmk_tmx_tuv *v = &tu->tuvs[i];
        if (!v->seg_len)
            continue;
        assert_int_equal(v->seg[v->seg_len], '\0');
        const volatile char *pad = v->seg + v->seg_len; /* volatile: each byte is read */
        volatile char sink = 0;
        for (size_t k = 0; k < TMK_TMX_SEG_PAD; k++)
            sink = (char)(sink ^ pad[k]);
        (*segs)++;
    }
    return TMK_OK;
}

static void test_tmx_read_text_only_pads_segs(void **state)
{
    (void)state;
    tmk_buf d = TMK_BUF_INIT;
    tmk_buf_adds(&d, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">" HDR
                     "<body>\n");
    size_t want = 0;
    for (int n = 1; n <= 200; n += (n < 40 ? 1 : 23)) {
        tmk_buf_adds(&d, "<tu><tuv xml:lang=\"en\"><seg>");
        for (int k = 0; k < n; k++)
            tmk_buf_addch(&d, 'a' + k % 26);
        tmk_buf_adds(&d, "</seg></tuv><tuv xml:lang=\"de\"><seg>x<ph>{1}</ph>");
        for (int k = 0; k < n; k++)
            tmk_buf_adds(&d, k % 3 ? "\xc3\xa4" : "&amp;");
        tmk_buf_adds(&d, "</seg></tuv></tu>\n");
        want += 2;
    }
    tmk_buf_adds(&d, "</body></tmx>\n");
    const size_t chunks[] = {0, 1, 7};
    for (int check = 0; check < 2; check++) {
        for (size_t i = 0; i < sizeof chunks / sizeof *chunks; i++) {
            pad_count segs = {0, 0};
            tmk_error err = TMK_ERROR_INIT;
            /* check: the checking handlers, not the lean ones */
            tmk_tmx_reader *r = new_reader("t.tmx", TMK_TMX_READ_TEXT_ONLY, 0, NULL,
                                           on_tu_padding, check ? count_problem : NULL, &segs,
                                           &err);
            size_t chunk = chunks[i] ? chunks[i] : d.len;
            int rc = TMK_OK;
            for (size_t k = 0; k < d.len && rc == TMK_OK; k += chunk)
                rc = tmk_tmx_reader_feed(r, d.data + k, d.len - k < chunk ? d.len - k : chunk,
                                         &err);
            if (rc == TMK_OK)
                rc = tmk_tmx_reader_finish(r, &err);
            assert_int_equal(rc, TMK_OK);
            assert_int_equal(segs.n, want);
            tmk_tmx_reader_free(r);
        }
    }
    /* and read from a file (straight into expat's buffer) */
    char path[] = "/tmp/tmkit-pad-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(d.data, 1, d.len, f), d.len);
    fclose(f);
    size_t segs = 0;
    tmk_error err = TMK_ERROR_INIT;
    tmk_tmx_reader *r =
        new_reader(path, TMK_TMX_READ_TEXT_ONLY, 0, NULL, on_tu_padding, NULL, &segs, &err);
    assert_int_equal(tmk_tmx_read_file(r, path, &err), TMK_OK);
    assert_int_equal(segs, want);
    tmk_tmx_reader_free(r);
    remove(path);
    tmk_buf_release(&d);
}

/* A tuv without <seg> has an empty seg, with the padding of every TEXT_ONLY
 * seg too: touch all of it (AddressSanitizer checks the reads). */
static int on_tu_empty_pad(void *ud, const tmk_tmx_tu *tu)
{
    size_t *empties = ud;
    for (size_t i = 0; i < tu->ntuvs; i++) {
        const tmk_tmx_tuv *v = &tu->tuvs[i];
        assert_non_null(v->seg);
        assert_int_equal(v->seg[v->seg_len], '\0');
        /* volatile: each byte is read (a memcpy to an unused array may not be) */
        const volatile char *pad = v->seg + v->seg_len;
        volatile char sink = 0;
        for (size_t k = 0; k < TMK_TMX_SEG_PAD; k++)
            sink = (char)(sink ^ pad[k]);
        if (!v->seg_len)
            (*empties)++;
    }
    return TMK_OK;
}

static void test_tmx_read_text_only_pads_tuv_without_seg(void **state)
{
    (void)state;
    static const char doc[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">" HDR "<body>\n"
        "<tu><tuv xml:lang=\"de-DE\"><seg>Hallo</seg></tuv><tuv xml:lang=\"en-US\"></tuv></tu>\n"
        "<tu><tuv xml:lang=\"de-DE\"/><tuv xml:lang=\"en-US\"><seg/></tuv></tu>\n"
        "</body></tmx>\n";
    const size_t len = sizeof doc - 1, chunks[] = {0, 1, 7};
    for (int check = 0; check < 2; check++) {
        for (size_t i = 0; i < sizeof chunks / sizeof *chunks; i++) {
            pad_count empties = {0, 0};
            tmk_error err = TMK_ERROR_INIT;
            /* check: the checking handlers (the tuvs without <seg> are problems) */
            tmk_tmx_reader *r = new_reader("t.tmx", TMK_TMX_READ_TEXT_ONLY, 0, NULL,
                                           on_tu_empty_pad, check ? count_problem : NULL,
                                           &empties, &err);
            size_t chunk = chunks[i] ? chunks[i] : len;
            int rc = TMK_OK;
            for (size_t k = 0; k < len && rc == TMK_OK; k += chunk)
                rc = tmk_tmx_reader_feed(r, doc + k, len - k < chunk ? len - k : chunk, &err);
            if (rc == TMK_OK)
                rc = tmk_tmx_reader_finish(r, &err);
            assert_int_equal(rc, TMK_OK);
            assert_int_equal(empties.n, 3);
            if (check)
                assert_int_equal(empties.problems, 2);
            tmk_tmx_reader_free(r);
        }
    }
}

static void test_tmx_read_utf16_and_declared_encodings(void **state)
{
    (void)state;
    const char *body = "<tmx version=\"1.4\">" HDR "<body><tu><tuv xml:lang=\"de-DE\">"
                       "<seg>Grüße €</seg></tuv></tu></body></tmx>";
    /* UTF-16LE with BOM, UTF-16BE with BOM */
    for (int be = 0; be < 2; be++) {
        tmk_buf d = TMK_BUF_INIT;
        tmk_buf_add(&d, be ? "\xFE\xFF" : "\xFF\xFE", 2);
        size_t i = 0, n = strlen(body);
        while (i < n) {
            size_t adv;
            int32_t cp = tmk_utf8_decode(body + i, n - i, &adv);
            char u[2] = {(char)(cp & 0xFF), (char)(cp >> 8)};
            if (be) { char t = u[0]; u[0] = u[1]; u[1] = t; }
            tmk_buf_add(&d, u, 2);
            i += adv;
        }
        for (size_t chunk = 1; chunk <= 7; chunk += 6) {
            seen s;
            tmk_error err = TMK_ERROR_INIT;
            assert_int_equal(read_doc(d.data, d.len, chunk, 0, 1, &s, &err), TMK_OK);
            assert_non_null(strstr(s.log.data, "[Grüße €]"));
            assert_int_equal(s.problems, 0);
            tmk_buf_release(&s.log);
        }
        tmk_buf_release(&d);
    }
    /* windows-1252 and ISO-8859-15 declared: decoded by tmk_decoder */
    const char *decl[] = {"windows-1252", "ISO-8859-15"};
    const char *euro[] = {"\x80", "\xA4"};
    for (int k = 0; k < 2; k++) {
        char doc[1024];
        snprintf(doc, sizeof doc, "<?xml version=\"1.0\" encoding=\"%s\"?>\n<tmx version=\"1.4\">"
                 HDR "<body><tu><tuv xml:lang=\"de-DE\"><seg>Gr\xFC\xDF" "e %s</seg></tuv></tu>"
                 "</body></tmx>", decl[k], euro[k]);
        for (size_t chunk = 0; chunk <= 7; chunk += 7) {
            seen s;
            tmk_error err = TMK_ERROR_INIT;
            assert_int_equal(read_doc(doc, strlen(doc), chunk, 0, 0, &s, &err), TMK_OK);
            if (!strstr(s.log.data, "[Grüße €]"))
                fail_msg("%s chunk %zu: %s", decl[k], chunk, s.log.data);
            tmk_buf_release(&s.log);
        }
    }
}

/* Malformed or hostile input: the error, its code and position. */
static const struct {
    const char *doc;
    int code;
    unsigned long line, col;
    const char *msg;
} bad_docs[] = {
    {"<tmx version=\"1.4\"><body><tu></body></tmx>", TMK_ESYNTAX, 1, 32, "mismatched tag"},
    {"<html/>", TMK_ESYNTAX, 1, 1, "root element is <html>"},
    {"", TMK_ESYNTAX, 0, 0, "empty"},
    {"<?xml version=\"1.0\"?><!DOCTYPE tmx [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;\">]>"
     "<tmx><body>&b;</body></tmx>", TMK_ESYNTAX, 1, 48, "entity declarations are refused"},
    {"<!DOCTYPE tmx [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><tmx>&x;</tmx>", TMK_ESYNTAX,
     1, 54, "entity declarations are refused"},
    {"<!DOCTYPE tmx SYSTEM \"http://example.invalid/tmx14.dtd\"><tmx version=\"1.4\"></tmx>",
     TMK_OK, 0, 0, NULL},
    {"<?xml version=\"1.0\" encoding=\"no-such-encoding\"?><tmx/>", TMK_EENCODING, 1, 1,
     "cannot convert"},
};

static void test_tmx_read_refuses_bad_and_hostile_input(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_docs / sizeof *bad_docs; i++) {
        for (size_t chunk = 0; chunk <= 1; chunk++) {
            seen s;
            tmk_error err = TMK_ERROR_INIT;
            int rc = read_doc(bad_docs[i].doc, strlen(bad_docs[i].doc), chunk, 0, 0, &s, &err);
            if (rc != bad_docs[i].code)
                fail_msg("doc %zu chunk %zu: rc %d (%s)", i, chunk, rc, err.msg);
            if (bad_docs[i].msg) {
                if (!strstr(err.msg, bad_docs[i].msg))
                    fail_msg("doc %zu: message \"%s\"", i, err.msg);
                assert_int_equal(err.line, bad_docs[i].line);
                assert_int_equal(err.col, bad_docs[i].col);
                assert_string_equal(err.file, "t.tmx");
            }
            tmk_buf_release(&s.log);
        }
    }
}

static void test_tmx_read_limits_depth_and_unit_size(void **state)
{
    (void)state;
    tmk_buf d = TMK_BUF_INIT;
    tmk_buf_adds(&d, "<tmx version=\"1.4\"><body><tu><tuv xml:lang=\"en\"><seg>");
    for (int i = 0; i < 1000; i++)
        tmk_buf_adds(&d, "<hi>");
    seen s;
    tmk_error err = TMK_ERROR_INIT;
    assert_int_equal(read_doc(d.data, d.len, 7, 0, 0, &s, &err), TMK_ELIMIT);
    assert_non_null(strstr(err.msg, "nested deeper than 64"));
    tmk_buf_release(&s.log);
    /* a unit larger than the limit set */
    tmk_buf_reset(&d);
    tmk_buf_adds(&d, "<tmx version=\"1.4\"><body><tu><tuv xml:lang=\"en\"><seg>");
    for (int i = 0; i < 3000; i++)
        tmk_buf_adds(&d, "0123456789");
    tmk_buf_adds(&d, "</seg></tuv></tu></body></tmx>");
    tmk_tmx_reader *r = new_reader("big", 0, 10000, NULL, NULL, NULL, NULL, &err);
    int rc = tmk_tmx_reader_feed(r, d.data, d.len, &err);
    if (rc == TMK_OK)
        rc = tmk_tmx_reader_finish(r, &err);
    assert_int_equal(rc, TMK_ELIMIT);
    tmk_tmx_reader_free(r);
    tmk_buf_release(&d);
}

static void test_tmx_read_reports_problems_with_positions(void **state)
{
    (void)state;
    const char *doc = "<tmx version=\"1.4\">\n<header creationtool=\"t\" segtype=\"x\" "
                      "creationtoolversion=\"1\" o-tmf=\"t\" adminlang=\"en\" srclang=\"de\" "
                      "datatype=\"plaintext\"/>\n<body>\n"
                      "<tu creationdate=\"20230230T000000Z\"><tuv xml:lang=\"en\"><seg>"
                      "<ept i=\"1\"/></seg></tuv></tu>\n</body></tmx>";
    seen s;
    tmk_error err = TMK_ERROR_INIT;
    assert_int_equal(read_doc(doc, strlen(doc), 1, 0, 1, &s, &err), TMK_OK);
    assert_int_equal(s.problems, 4);
    assert_non_null(strstr(s.log.data, "problem 2:1 segtype=\"x\""));
    assert_non_null(strstr(s.log.data, "problem 4:1 creationdate=\"20230230T000000Z\""));
    assert_non_null(strstr(s.log.data, "problem 4:61 <ept i=\"1\"> has no <bpt"));
    assert_non_null(strstr(s.log.data, "problem 4:1 <tu> has no <tuv> in the source language de"));
    tmk_buf_release(&s.log);
}

/* Each problem comes with its id: a program tells them apart without the
 * message text (issue 12). */
static int collect_id(void *ud, const tmk_tmx_finding *p)
{
    assert_non_null(p->msg);
    tmk_buf_printf(ud, "%s ", tmk_tmx_problem_name(p->id));
    return 0;
}

static void test_tmx_read_problem_ids(void **state)
{
    (void)state;
    const char *doc = "<tmx version=\"1.4\">\n<header creationtool=\"t\" segtype=\"x\" "
                      "creationtoolversion=\"1\" o-tmf=\"t\" adminlang=\"en\" srclang=\"de\" "
                      "datatype=\"plaintext\"/>\n<body>\n"
                      "<tu creationdate=\"20230230T000000Z\" foo=\"1\"><tuv xml:lang=\"en\"><seg>"
                      "<ept i=\"1\"/><bpt i=\"2\">a</bpt></seg></tuv><tuv><seg>b</seg></tuv>"
                      "<note>n</note></tu>\n<tu/><zz/>\n</body></tmx>";
    tmk_buf ids = TMK_BUF_INIT;
    tmk_error err = TMK_ERROR_INIT;
    tmk_tmx_reader *r = new_reader("t.tmx", 0, 0, NULL, NULL, collect_id, &ids, &err);
    assert_int_equal(tmk_tmx_reader_feed(r, doc, strlen(doc), &err), TMK_OK);
    assert_int_equal(tmk_tmx_reader_finish(r, &err), TMK_OK);
    tmk_tmx_reader_free(r);
    assert_string_equal(ids.data,
                        "bad-segtype bad-date unknown-attribute unmatched-ept unmatched-bpt "
                        "missing-attribute misplaced-element no-source-tuv missing-element "
                        "unknown-element ");
    assert_string_equal(tmk_tmx_problem_name(TMK_TMXP_X_MISMATCH), "x-mismatch");
    assert_string_equal(tmk_tmx_problem_name((enum tmk_tmx_problem)0), "?");
    tmk_buf_release(&ids);
}

/* gzip bytes of src (zlib, the real thing) */
static void gzip_of(const char *src, size_t n, tmk_buf *out)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    uLong cap = deflateBound(&z, (uLong)n) + 64;
    assert_int_equal(tmk_buf_grow(out, cap), TMK_OK);
    z.next_in = (Bytef *)(uintptr_t)src;
    z.avail_in = (uInt)n;
    z.next_out = (Bytef *)out->data;
    z.avail_out = (uInt)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    out->len = cap - z.avail_out;
    deflateEnd(&z);
}

/* A gzip memory fed in chunks of any size (one byte too: the signature is
 * split) gives what the plain one gives; cut short, it says "truncated". */
static void test_tmx_read_gzip_stream(void **state)
{
    (void)state;
    const char *doc = "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"><header creationtool=\"t\" "
                      "creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"t\" adminlang=\"en\" "
                      "srclang=\"de\" datatype=\"plaintext\"/><body>\n<tu tuid=\"1\"><tuv "
                      "xml:lang=\"de\"><seg>Haus</seg></tuv><tuv xml:lang=\"en\"><seg>house</seg>"
                      "</tuv></tu>\n</body></tmx>\n";
    seen plain, packed;
    tmk_error err = TMK_ERROR_INIT;
    assert_int_equal(read_doc(doc, strlen(doc), 0, 0, 1, &plain, &err), TMK_OK);
    tmk_buf gz = TMK_BUF_INIT;
    gzip_of(doc, strlen(doc), &gz);
    static const size_t chunks[] = {1, 2, 3, 7, 0};
    for (size_t i = 0; i < sizeof chunks / sizeof *chunks; i++) {
        assert_int_equal(read_doc(gz.data, gz.len, chunks[i], 0, 1, &packed, &err), TMK_OK);
        assert_string_equal(packed.log.data, plain.log.data);
        tmk_buf_release(&packed.log);
    }
    /* two members joined (cat a.gz b.gz) are one stream */
    tmk_buf two = TMK_BUF_INIT;
    size_t half = strlen(doc) / 2;
    gzip_of(doc, half, &two);
    tmk_buf rest = TMK_BUF_INIT;
    gzip_of(doc + half, strlen(doc) - half, &rest);
    assert_int_equal(tmk_buf_add(&two, rest.data, rest.len), TMK_OK);
    assert_int_equal(read_doc(two.data, two.len, 5, 0, 1, &packed, &err), TMK_OK);
    assert_string_equal(packed.log.data, plain.log.data);
    tmk_buf_release(&packed.log);
    /* cut short */
    tmk_error_clear(&err);
    assert_int_equal(read_doc(gz.data, gz.len - 10, 0, 0, 1, &packed, &err), TMK_ESYNTAX);
    assert_int_equal(err.detail, TMK_D_TRUNCATED);
    assert_non_null(strstr(err.msg, "truncated"));
    tmk_buf_release(&packed.log);
    /* damaged: a byte of the deflate data changed (the CRC catches it at the latest) */
    gz.data[gz.len / 2] ^= 0x55;
    tmk_error_clear(&err);
    assert_int_equal(read_doc(gz.data, gz.len, 0, 0, 1, &packed, &err), TMK_ESYNTAX);
    assert_null(strstr(err.msg, "truncated"));
    tmk_buf_release(&packed.log);
    tmk_buf_release(&plain.log);
    tmk_buf_release(&gz);
    tmk_buf_release(&two);
    tmk_buf_release(&rest);
}

static const struct {
    const char *s;
    int ok;
    long long t;
} dates[] = {
    {"20000229T235959Z", 1, 951868799}, {"19700101T000000Z", 1, 0},
    {"20240101T120000Z", 1, 1704110400}, {"20230229T000000Z", 0, 0},
    {"21000229T000000Z", 0, 0},          {"20231301T000000Z", 0, 0},
    {"20230101T240000Z", 0, 0},          {"20230101T000060Z", 0, 0},
    {"2023-01-01", 0, 0},                {"20230101T000000", 0, 0},
    {"20230431T000000Z", 0, 0},          {"", 0, 0},
};

static void test_tmx_date_parse_checks_the_calendar(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof dates / sizeof *dates; i++) {
        long long t = -1;
        if (tmk_tmx_date_parse(dates[i].s, &t) != dates[i].ok)
            fail_msg("%s", dates[i].s);
        if (dates[i].ok) {
            assert_int_equal(t, dates[i].t);
            char back[17];
            tmk_tmx_date(t, back);
            assert_string_equal(back, dates[i].s);
        }
    }
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x, y;
    memcpy(&x, a, 4);
    memcpy(&y, b, 4);
    return x < y ? -1 : x > y;
}

static void test_tm_sorter_spills_to_disk_and_merges(void **state)
{
    (void)state;
    for (size_t budget = 64; budget <= 1 << 20; budget <<= 14) {
        tmk_error err = TMK_ERROR_INIT;
        tmk_sorter *s = NULL;
        assert_int_equal(tmk_sorter_new(&s, 4, cmp_u32, budget, NULL, &err), TMK_OK);
        assert_non_null(s);
        uint32_t x = 12345;
        for (int i = 0; i < 10000; i++) {
            x = x * 1103515245u + 12345u;
            uint32_t v = x % 5000;
            assert_int_equal(tmk_sorter_add(s, &v, &err), TMK_OK);
        }
        if (budget == 64)
            assert_true(tmk_sorter_runs(s) > 100);
        else
            assert_int_equal(tmk_sorter_runs(s), 0);
        assert_int_equal(tmk_sorter_sort(s, &err), TMK_OK);
        uint32_t prev = 0, v;
        size_t n = 0;
        int rc;
        while ((rc = tmk_sorter_next(s, &v, &err)) == 1) {
            assert_true(v >= prev);
            prev = v;
            n++;
        }
        assert_int_equal(rc, 0);
        assert_int_equal(n, 10000);
        tmk_sorter_free(s);
    }
}

static void test_tm_sorter_radix_u64_matches_qsort(void **state)
{
    (void)state;
    for (size_t budget = 8 * 300; budget <= 8 * 100000; budget *= 333) {
        tmk_error err = TMK_ERROR_INIT;
        tmk_sorter *s = NULL;
        assert_int_equal(tmk_sorter_new(&s, 8, tmk_sorter_cmp_u64, budget, NULL, &err), TMK_OK);
        uint64_t x = 88172645463325252ULL, *ref = malloc(20000 * sizeof *ref);
        for (int i = 0; i < 20000; i++) {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            uint64_t v = (i % 7 == 0) ? 42 : x; /* some duplicates */
            ref[i] = v;
            assert_int_equal(tmk_sorter_add(s, &v, &err), TMK_OK);
        }
        qsort(ref, 20000, 8, tmk_sorter_cmp_u64);
        uint64_t v;
        size_t n = 0;
        while (tmk_sorter_next(s, &v, &err) == 1) {
            assert_true(n < 20000);
            assert_true(v == ref[n]);
            n++;
        }
        assert_int_equal(n, 20000);
        free(ref);
        tmk_sorter_free(s);
    }
}

/* ---- the API contract: callbacks that stop, options that grow ---------- */

/* Stops at the n-th call of the callback it is given as (returning rc). */
typedef struct {
    int calls, stop_at, rc;
} stopper;

static int stop_count(stopper *st) { return ++st->calls == st->stop_at ? st->rc : 0; }
static int stop_header(void *ud, const tmk_tmx_header *h) { (void)h; return stop_count(ud); }
static int stop_tu(void *ud, const tmk_tmx_tu *tu) { (void)tu; return stop_count(ud); }
static int stop_problem(void *ud, const tmk_tmx_finding *p) { (void)p; return stop_count(ud); }

static const char doc_three[] =
    "<tmx version=\"1.4\">" HDR "<body>\n"
    "<tu><tuv xml:lang=\"de-DE\"><seg>a</seg></tuv><tuv xml:lang=\"en\"><seg>b</seg></tuv></tu>\n"
    "<tu bogus=\"1\"><tuv xml:lang=\"de-DE\"><seg>c</seg></tuv></tu>\n"
    "<tu><tuv xml:lang=\"de-DE\"><seg>e</seg></tuv><tuv xml:lang=\"en\"><seg>f</seg></tuv></tu>\n"
    "</body></tmx>\n";

static void test_tmx_read_callback_returning_nonzero_stops_reading(void **state)
{
    (void)state;
    const size_t len = sizeof doc_three - 1, chunks[] = {0, 1, 7};
    /* which callback stops: header, 2nd unit, 1st problem; with 1 or a code */
    for (int which = 0; which < 3; which++)
        for (int code = 0; code < 2; code++)
            for (size_t c = 0; c < 3; c++) {
                stopper st = {0, which == 1 ? 2 : 1, code ? TMK_EINVAL : 1};
                tmk_error err = TMK_ERROR_INIT;
                tmk_tmx_reader *r =
                    new_reader("t.tmx", 0, 0, which == 0 ? stop_header : NULL,
                               which == 1 ? stop_tu : NULL, which == 2 ? stop_problem : NULL,
                               &st, &err);
                size_t chunk = chunks[c] ? chunks[c] : len;
                int rc = TMK_OK;
                for (size_t k = 0; k < len && rc == TMK_OK; k += chunk)
                    rc = tmk_tmx_reader_feed(r, doc_three + k, len - k < chunk ? len - k : chunk,
                                             &err);
                if (rc == TMK_OK)
                    rc = tmk_tmx_reader_finish(r, &err);
                int want = code ? TMK_EINVAL : TMK_ECANCELED;
                assert_int_equal(rc, want);
                assert_int_equal(err.code, want);
                assert_true(err.line > 0);
                assert_string_equal(err.file, "t.tmx");
                assert_int_equal(st.calls, st.stop_at); /* not called again */
                /* the reader stays stopped */
                assert_int_not_equal(tmk_tmx_reader_feed(r, "x", 1, &err), TMK_OK);
                tmk_tmx_reader_free(r);
            }
}

/* tmkit.h rule 5 for the reader: members past opt->size are defaults. */
static void test_tmx_read_options_past_size_are_defaults(void **state)
{
    (void)state;
    const char *doc = "<tmx version=\"1.4\"><body><tu><tuv xml:lang=\"en\"><seg>0123456789"
                      "0123456789</seg></tuv></tu></body></tmx>";
    for (int small = 0; small < 2; small++) {
        tmk_tmx_read_options o = TMK_TMX_READ_OPTIONS_INIT;
        o.name = "small.tmx";
        o.max_tu_bytes = 8; /* the unit holds 20 bytes of text */
        if (small) /* built when the struct ended before max_depth */
            o.size = offsetof(tmk_tmx_read_options, max_depth);
        tmk_error err = TMK_ERROR_INIT;
        tmk_tmx_reader *r;
        assert_int_equal(tmk_tmx_reader_new(&r, &o, NULL, NULL, NULL, NULL, &err), TMK_OK);
        int rc = tmk_tmx_reader_feed(r, doc, strlen(doc), &err);
        if (rc == TMK_OK)
            rc = tmk_tmx_reader_finish(r, &err);
        assert_int_equal(rc, small ? TMK_OK : TMK_ELIMIT);
        tmk_tmx_reader_free(r);
    }
    /* NULL options: all defaults, and the name "-" */
    tmk_error err = TMK_ERROR_INIT;
    tmk_tmx_reader *r;
    assert_int_equal(tmk_tmx_reader_new(&r, NULL, NULL, NULL, NULL, NULL, &err), TMK_OK);
    assert_int_equal(tmk_tmx_reader_finish(r, &err), TMK_ESYNTAX);
    assert_string_equal(err.file, "-");
    tmk_tmx_reader_free(r);
}

/* The name is copied: the caller's string may change after the call. */
static void test_tmx_read_copies_the_name(void **state)
{
    (void)state;
    char name[16] = "first.tmx";
    tmk_tmx_read_options o = TMK_TMX_READ_OPTIONS_INIT;
    o.name = name;
    tmk_error err = TMK_ERROR_INIT;
    tmk_tmx_reader *r;
    assert_int_equal(tmk_tmx_reader_new(&r, &o, NULL, NULL, NULL, NULL, &err), TMK_OK);
    strcpy(name, "other.tmx");
    assert_int_equal(tmk_tmx_reader_feed(r, "<tmx><body></tmx>", 17, &err), TMK_ESYNTAX);
    assert_string_equal(err.file, "first.tmx");
    tmk_tmx_reader_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tmx_read_same_result_whole_1_and_7_byte_chunks),
        cmocka_unit_test(test_tmx_read_strip_gives_plain_text),
        cmocka_unit_test(test_tmx_read_text_only_keeps_what_counting_needs),
        cmocka_unit_test(test_tmx_read_text_only_pads_segs),
        cmocka_unit_test(test_tmx_read_text_only_pads_tuv_without_seg),
        cmocka_unit_test(test_tmx_read_utf16_and_declared_encodings),
        cmocka_unit_test(test_tmx_read_refuses_bad_and_hostile_input),
        cmocka_unit_test(test_tmx_read_limits_depth_and_unit_size),
        cmocka_unit_test(test_tmx_read_reports_problems_with_positions),
        cmocka_unit_test(test_tmx_read_problem_ids),
        cmocka_unit_test(test_tmx_read_callback_returning_nonzero_stops_reading),
        cmocka_unit_test(test_tmx_read_options_past_size_are_defaults),
        cmocka_unit_test(test_tmx_read_copies_the_name),
        cmocka_unit_test(test_tmx_read_gzip_stream),
        cmocka_unit_test(test_tmx_date_parse_checks_the_calendar),
        cmocka_unit_test(test_tm_sorter_spills_to_disk_and_merges),
        cmocka_unit_test(test_tm_sorter_radix_u64_matches_qsort),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
