/* Robustness of the library entry points: allocation failure injected at
 * every n-th allocation of a small run (the model is expat's
 * tests/alloc_tests.c), read errors injected after n bytes (jq's
 * src/inject_errors.c does it with a preloaded shim), and a file that
 * changes between the two passes of merge.
 *
 * The library's objects are linked into this program with
 * -Wl,--wrap=malloc,... (see tests/unit/robust.am): every allocation and
 * read the library makes (and expat's, which gets the library's malloc
 * through XML_ParserCreate_MM) comes through the __wrap_ functions below.
 * A run that meets a failed allocation must return TMK_ENOMEM, or succeed
 * with exactly the result of a run without failures; no leak (LeakSanitizer
 * in the sanitizer build), no crash.  Hunspell, iconv and PCRE2 allocate on
 * their own and are not reached. */
#include <config.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef HAVE_ZLIB_H
#include <zlib.h>
#endif
#include "tmkit/tmkit.h"

/* ---- the injection --------------------------------------------------------- */

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
ssize_t __real_read(int fd, void *buf, size_t n);
size_t __real_fread(void *buf, size_t size, size_t n, FILE *f);
int __real_ferror(FILE *f);

void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);
ssize_t __wrap_read(int fd, void *buf, size_t n);
size_t __wrap_fread(void *buf, size_t size, size_t n, FILE *f);
int __wrap_ferror(FILE *f);

static unsigned long calls;    /* allocations counted since arm() */
static unsigned long fail_at;  /* 0 = none; else the call that fails */
static int fail_all;           /* fail every call from fail_at on */
static unsigned long failed;   /* failures given */
static int paused;             /* test code (callbacks) allocating: not counted */

static long read_left = -1;    /* bytes reads may still give; -1 = no limit */
static FILE *read_failed_file; /* the FILE a failed fread was on */

static int fail_now(void)
{
    if (paused || !fail_at)
        return 0;
    calls++;
    if (calls == fail_at || (fail_all && calls > fail_at)) {
        failed++;
        return 1;
    }
    return 0;
}

void *__wrap_malloc(size_t n) { return fail_now() ? NULL : __real_malloc(n); }
void *__wrap_calloc(size_t n, size_t m) { return fail_now() ? NULL : __real_calloc(n, m); }
void *__wrap_realloc(void *p, size_t n) { return fail_now() ? NULL : __real_realloc(p, n); }
char *__wrap_strdup(const char *s) { return fail_now() ? NULL : __real_strdup(s); }
char *__wrap_strndup(const char *s, size_t n) { return fail_now() ? NULL : __real_strndup(s, n); }

ssize_t __wrap_read(int fd, void *buf, size_t n)
{
    if (read_left < 0)
        return __real_read(fd, buf, n);
    if (read_left == 0) {
        errno = EIO;
        return -1;
    }
    if (n > (size_t)read_left)
        n = (size_t)read_left;
    ssize_t got = __real_read(fd, buf, n);
    if (got > 0)
        read_left -= got;
    return got;
}

size_t __wrap_fread(void *buf, size_t size, size_t n, FILE *f)
{
    if (read_left < 0 || size == 0)
        return __real_fread(buf, size, n, f);
    size_t can = (size_t)read_left / size;
    if (can == 0) {
        errno = EIO;
        read_failed_file = f;
        return 0;
    }
    size_t got = __real_fread(buf, size, n < can ? n : can, f);
    read_left -= (long)(got * size);
    return got;
}

int __wrap_ferror(FILE *f) { return f == read_failed_file ? 1 : __real_ferror(f); }

static void arm(unsigned long n, int all)
{
    calls = 0;
    failed = 0;
    fail_at = n;
    fail_all = all;
}

static void disarm(void) { fail_at = 0; }

/* ---- scenarios: each runs one entry point on a small input and logs what
 * it produced into `log` (allocations of the log are not counted) -------- */

static tmk_buf log_;
static tmk_error err_;

static void logf_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logf_(const char *fmt, ...)
{
    char tmp[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    paused++;
    assert_int_equal(tmk_buf_adds(&log_, tmp), 0);
    paused--;
}

static void log_bytes(const char *s, size_t n)
{
    paused++;
    assert_int_equal(tmk_buf_add(&log_, s, n), 0);
    paused--;
}

static const char tmx_doc[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<tmx version=\"1.4\">\n"
    "<header creationtool=\"t\" creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"t\" "
    "adminlang=\"en\" srclang=\"de\" datatype=\"plaintext\">\n"
    "  <note>header note</note><prop type=\"x-a\">header prop</prop>\n"
    "  <ude name=\"u\"><map unicode=\"#xE000\" code=\"#x01\"/></ude>\n"
    "</header>\n<body>\n"
    "<tu tuid=\"1\" creationdate=\"20240101T000000Z\" usagecount=\"2\"><note>n1</note>"
    "<prop type=\"x-p\">v1</prop>\n"
    "<tuv xml:lang=\"de\"><prop type=\"x-q\">tv</prop><seg>Ein <bpt i=\"1\" x=\"1\">&lt;b&gt;</bpt>"
    "fetter<ept i=\"1\">&lt;/b&gt;</ept> Satz &amp; <ph x=\"2\">{0}</ph> mehr Text, der "
    "etwas l\xc3\xa4nger ist, damit Puffer wachsen m\xc3\xbcssen.</seg></tuv>\n"
    "<tuv xml:lang=\"en\"><seg>A <bpt i=\"1\" x=\"1\">&lt;b&gt;</bpt>bold<ept i=\"1\">"
    "&lt;/b&gt;</ept> sentence &amp; <ph x=\"2\">{0}</ph> more text that is somewhat "
    "longer so that buffers must grow.</seg></tuv>\n"
    "</tu>\n"
    "<tu><tuv xml:lang=\"de\"><seg>Zweiter</seg></tuv><tuv xml:lang=\"en\"><seg>Second</seg>"
    "</tuv><tuv xml:lang=\"fr\"><seg>Deuxi\xc3\xa8me</seg></tuv></tu>\n"
    "<tu srclang=\"en\"><tuv xml:lang=\"en\"><seg>Third</seg></tuv><tuv xml:lang=\"de\"><seg>"
    "Dritter <bpt i=\"3\">&lt;i&gt;</bpt>offen</seg></tuv></tu>\n"
    "</body>\n</tmx>\n";

static int cb_header(void *ud, const tmk_tmx_header *h)
{
    (void)ud;
    logf_("header %s attrs=%zu props=%zu notes=%zu ude=%zu\n", h->srclang ? h->srclang : "-",
          h->nattrs, h->nprops, h->nnotes, h->ude_len);
    for (size_t i = 0; i < h->nprops; i++)
        logf_(" prop %s=%s\n", h->props[i].type, h->props[i].value);
    for (size_t i = 0; i < h->nnotes; i++)
        logf_(" note %s\n", h->notes[i].text);
    if (h->ude_len)
        log_bytes(h->ude_xml, h->ude_len);
    return TMK_OK;
}

static int cb_tu(void *ud, const tmk_tmx_tu *tu)
{
    (void)ud;
    logf_("tu %s", tu->tuid ? tu->tuid : "-");
    for (size_t i = 0; i < tu->nattrs; i++)
        logf_(" %s=%s", tu->attrs[i].name, tu->attrs[i].value);
    for (size_t i = 0; i < tu->nprops; i++)
        logf_(" prop[%s]=%s", tu->props[i].type, tu->props[i].value);
    for (size_t i = 0; i < tu->nnotes; i++)
        logf_(" note=%s", tu->notes[i].text);
    logf_("\n");
    for (size_t i = 0; i < tu->ntuvs; i++) {
        const tmk_tmx_tuv *v = &tu->tuvs[i];
        logf_("  %s m%d [", v->lang ? v->lang : "-", v->markup);
        log_bytes(v->seg, v->seg_len);
        logf_("]");
        for (size_t k = 0; k < v->nprops; k++)
            logf_(" prop[%s]=%s", v->props[k].type, v->props[k].value);
        logf_("\n");
    }
    return TMK_OK;
}

static int cb_problem(void *ud, const tmk_tmx_finding *p)
{
    (void)ud;
    logf_("problem %lu:%lu %s\n", p->line, p->col, p->msg);
    return 0;
}

static int read_tmx(const char *doc, size_t len, unsigned flags, int check, size_t chunk)
{
    tmk_tmx_read_options o = TMK_TMX_READ_OPTIONS_INIT;
    o.name = "t.tmx";
    o.flags = flags;
    tmk_tmx_reader *r;
    if (tmk_tmx_reader_new(&r, &o, cb_header, cb_tu, check ? cb_problem : NULL, NULL, &err_) < 0)
        return err_.code;
    int rc = TMK_OK;
    for (size_t at = 0; rc == TMK_OK && at < len; at += chunk) {
        size_t n = len - at < chunk ? len - at : chunk;
        rc = tmk_tmx_reader_feed(r, doc + at, n, &err_);
    }
    if (rc == TMK_OK)
        rc = tmk_tmx_reader_finish(r, &err_);
    tmk_tmx_reader_free(r);
    return rc;
}

static int run_read_checks(void) { return read_tmx(tmx_doc, sizeof tmx_doc - 1, 0, 1, 50); }
static int run_read_plain(void) { return read_tmx(tmx_doc, sizeof tmx_doc - 1, 0, 0, 4096); }
static int run_read_strip(void)
{
    return read_tmx(tmx_doc, sizeof tmx_doc - 1, TMK_TMX_READ_STRIP, 0, 7);
}
static int run_read_text_only(void)
{
    return read_tmx(tmx_doc, sizeof tmx_doc - 1,
                    TMK_TMX_READ_TEXT_ONLY | TMK_TMX_READ_POSITIONS, 0, 100);
}

/* the same document in an encoding expat does not know: through the decoder */
static int run_read_decoded(void)
{
    static const char doc[] =
        "<?xml version=\"1.0\" encoding=\"ISO-8859-15\"?>\n<tmx version=\"1.4\"><header "
        "creationtool=\"t\" creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"t\" "
        "adminlang=\"en\" srclang=\"de\" datatype=\"plaintext\"/><body><tu><tuv xml:lang=\"de\">"
        "<seg>Gr\xfc\xdf" "e, 5 \xa4</seg></tuv><tuv xml:lang=\"en\"><seg>Greetings</seg></tuv>"
        "</tu></body></tmx>\n";
    return read_tmx(doc, sizeof doc - 1, 0, 1, 30);
}

static char dir_[256];

static void write_file(const char *name, const char *data, size_t len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir_, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static const char *path_of(const char *name)
{
    static char path[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(path[k], sizeof path[k], "%s/%s", dir_, name);
    return path[k];
}

static int run_read_file(void)
{
    tmk_tmx_read_options o = TMK_TMX_READ_OPTIONS_INIT;
    o.name = "t.tmx";
    tmk_tmx_reader *r;
    if (tmk_tmx_reader_new(&r, &o, cb_header, cb_tu, cb_problem, NULL, &err_) < 0)
        return err_.code;
    int rc = tmk_tmx_read_file(r, path_of("a.tmx"), &err_);
    tmk_tmx_reader_free(r);
    return rc;
}

static int run_decode_file(void)
{
    tmk_buf out = TMK_BUF_INIT;
    int rc = tmk_decode_file(path_of("latin1.txt"), "ISO-8859-1", &out, &err_);
    if (rc == TMK_OK)
        log_bytes(out.data, out.len);
    tmk_buf_release(&out);
    return rc;
}

static int run_write(void)
{
    static char mem[1 << 16];
    memset(mem, 0, sizeof mem);
    FILE *f = fmemopen(mem, sizeof mem, "w");
    assert_non_null(f);
    tmk_tmx_header h = {.srclang = "de", .creationdate = 1735689600};
    tmk_tmx_attr attrs[] = {{"creationid", "x"}, {"changedate", "20240101T000000Z"}};
    tmk_tmx_prop props[] = {{.type = "prop-without-x", .value = "v"},
                            {.type = "x-ok", .value = "w", .lang = "de"}};
    tmk_tmx_note notes[] = {{.text = "a note"}};
    tmk_tmx_tuv tuvs[] = {
        {.lang = "de", .seg = "Ein <Satz> & mehr\tund\r", .seg_len = 22, .props = props,
         .nprops = 2, .notes = notes, .nnotes = 1},
        {.lang = "en", .seg = "A <bpt i=\"1\">&lt;b&gt;</bpt>b<ept i=\"1\">&lt;/b&gt;</ept>",
         .seg_len = 56, .markup = 1}, /* whole: 52 cut </ept>, refused now */
    };
    tmk_tmx_tu tu = {.tuid = "7", .attrs = attrs, .nattrs = 2, .props = props, .nprops = 2,
                 .notes = notes, .nnotes = 1, .tuvs = tuvs, .ntuvs = 2};
    int rc = TMK_OK;
    tmk_tmx_write_options o = TMK_TMX_WRITE_OPTIONS_INIT;
    o.file = f;
    tmk_tmx_writer *w = NULL;
    rc = tmk_tmx_writer_new(&w, &o, &h, NULL, NULL, NULL, &err_);
    for (int i = 0; rc == TMK_OK && i < 3; i++)
        rc = tmk_tmx_writer_add(w, &tu, &err_);
    if (rc == TMK_OK)
        rc = tmk_tmx_writer_finish(w, &err_);
    tmk_tmx_writer_free(w);
    fclose(f);
    if (rc == TMK_OK)
        log_bytes(mem, strlen(mem));
    return rc;
}

static int cb_conflict(void *ud, const tmk_tm_conflict *c)
{
    (void)ud;
    logf_("conflict %s:%lu %s:%lu\n", strrchr(c->file, '/'), c->line,
          strrchr(c->first_file, '/'), c->first_line);
    return 0;
}

/* Merge into f, the new header dated 2025-01-01 (the same in every run). */
static int merge_to_file(const char *const *in, size_t n, FILE *f, tmk_tm_conflict_cb cb,
                         void *ud, tmk_tm_merge_stats *st, tmk_error *err)
{
    tmk_tmx_write_options o = TMK_TMX_WRITE_OPTIONS_INIT;
    o.file = f;
    o.creation_time = 1735689600;
    return tmk_tm_merge(in, n, &o, NULL, NULL, cb, ud, st, err);
}

static int run_merge(void)
{
    static char mem[1 << 16];
    memset(mem, 0, sizeof mem);
    FILE *f = fmemopen(mem, sizeof mem, "w");
    assert_non_null(f);
    const char *in[] = {path_of("a.tmx"), path_of("b.tmx")};
    tmk_tm_merge_stats st;
    int rc = merge_to_file(in, 2, f, cb_conflict, NULL, &st, &err_);
    fclose(f);
    if (rc == TMK_OK) {
        logf_("in %llu out %llu dup %llu conf %llu\n", st.units_in, st.units_out,
              st.duplicates, st.conflicts);
        log_bytes(mem, strlen(mem));
    }
    return rc;
}

static int cb_segment(void *ud, const tmk_segment *s)
{
    (void)ud;
    logf_("%lu:%lu [", s->line, s->col);
    log_bytes(s->text, s->len);
    logf_("]\n");
    return 0;
}

static const char srx_doc[] =
        "<?xml version=\"1.0\"?><srx version=\"2.0\" xmlns=\"http://www.lisa.org/srx20\">"
        "<header segmentsubflows=\"yes\" cascade=\"yes\"/><body><languagerules>"
        "<languagerule languagerulename=\"de\">"
        "<rule break=\"no\"><beforebreak>\\b(Dr|z\\.B)\\.</beforebreak><afterbreak>\\s</afterbreak></rule>"
        "<rule break=\"yes\"><beforebreak>[.!?]+</beforebreak><afterbreak>\\s</afterbreak></rule>"
        "</languagerule></languagerules><maprules><languagemap languagepattern=\"de.*\" "
        "languagerulename=\"de\"/></maprules></body></srx>";

static int run_segment(void)
{
    static const char text[] = "Dr. Anna kam. Sie sah z.B. das Haus! Und dann?\nNeue Zeile. "
                               "Ende\n\nAbsatz zwei. Schluss.";
    tmk_segmenter *s = NULL;
    tmk_segmenter_new_srx_mem(&s, "de", srx_doc, sizeof srx_doc - 1, &err_);
    if (!s)
        return err_.code;
    int rc = TMK_OK;
    for (size_t at = 0; rc == TMK_OK && at < sizeof text - 1; at += 9) {
        size_t n = sizeof text - 1 - at < 9 ? sizeof text - 1 - at : 9;
        rc = tmk_segmenter_feed(s, text + at, n, cb_segment, NULL, &err_);
    }
    if (rc == TMK_OK)
        rc = tmk_segmenter_finish(s, cb_segment, NULL, &err_);
    tmk_segmenter_free(s);
    return rc;
}

static int run_align(void)
{
    static const char *const de[] = {"Der Hund schl\303\244ft.", "Die Katze spielt im Garten.",
                                     "Es regnet.", "Wir gehen nach Hause."};
    static const char *const en[] = {"The dog sleeps.", "The cat plays in the garden.",
                                     "We go home."};
    tmk_align_text s[4], t[3];
    for (int i = 0; i < 4; i++)
        s[i] = (tmk_align_text){de[i], strlen(de[i])};
    for (int i = 0; i < 3; i++)
        t[i] = (tmk_align_text){en[i], strlen(en[i])};
    tmk_align_options opt = {.size = sizeof opt, .src_lang = "de", .tgt_lang = "en",
                             .flags = TMK_ALIGN_NO_DICT};
    tmk_align_bead *b = NULL;
    size_t nb = 0;
    int rc = tmk_align_run(s, 4, t, 3, &opt, &b, &nb, &err_);
    if (rc == TMK_OK)
        for (size_t i = 0; i < nb; i++)
            logf_("%zu+%zu %zu+%zu %.3f\n", b[i].src, b[i].nsrc, b[i].tgt, b[i].ntgt,
                  b[i].score);
    free(b);
    return rc;
}

/* ---- dictzip dictionaries ------------------------------------------------------ */

#ifdef HAVE_ZLIB_H
static void b64(size_t v, char *out)
{
    static const char digits[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char tmp[12];
    int n = 0;
    do {
        tmp[n++] = digits[v % 64];
        v /= 64;
    } while (v);
    for (int i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = '\0';
}

/* name.dict.dz: data in chunks of chlen bytes, each deflated on its own (as
 * dictzip does), the chunk table in the gzip "RA" extra field */
static void write_dictzip(const char *name, const char *data, size_t len, unsigned chlen)
{
    size_t nch = (len + chlen - 1) / chlen;
    assert_true(nch <= 32000);
    static unsigned char out[1 << 20];
    static unsigned sizes[32000];
    size_t olen = 0;
    z_stream z;
    memset(&z, 0, sizeof z);
    paused++;
    assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
    for (size_t i = 0; i < nch; i++) {
        size_t n = len - i * chlen < chlen ? len - i * chlen : chlen;
        z.next_in = (unsigned char *)(uintptr_t)(data + i * chlen);
        z.avail_in = (uInt)n;
        z.next_out = out + olen;
        z.avail_out = (uInt)(sizeof out - olen);
        assert_true(deflate(&z, i + 1 == nch ? Z_FINISH : Z_FULL_FLUSH) >= 0);
        size_t made = sizeof out - olen - z.avail_out;
        sizes[i] = (unsigned)made;
        olen += made;
    }
    deflateEnd(&z);
    paused--;
    char path[512];
    snprintf(path, sizeof path, "%s/%s.dict.dz", dir_, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    unsigned xlen = 10 + 2 * (unsigned)nch, sublen = 6 + 2 * (unsigned)nch;
    unsigned char h[22] = {0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 2, 3,
                           (unsigned char)xlen, (unsigned char)(xlen >> 8), 'R', 'A',
                           (unsigned char)sublen, (unsigned char)(sublen >> 8), 1, 0,
                           (unsigned char)chlen, (unsigned char)(chlen >> 8),
                           (unsigned char)nch, (unsigned char)(nch >> 8)};
    fwrite(h, 1, sizeof h, f);
    for (size_t i = 0; i < nch; i++) {
        unsigned char b[2] = {(unsigned char)sizes[i], (unsigned char)(sizes[i] >> 8)};
        fwrite(b, 1, 2, f);
    }
    fwrite(out, 1, olen, f);
    unsigned char tail[8] = {0};
    fwrite(tail, 1, 8, f);
    assert_int_equal(fclose(f), 0);
}

static size_t dict_pairs;
static int cb_dict(void *ud, const tmk_align_dict_use *use)
{
    (void)ud;
    dict_pairs = use->pairs;
    return 0;
}

static int align_with(const char *index)
{
    static const char *const de[] = {"Das Haus ist alt.", "Der Garten ist gro\xc3\x9f.",
                                     "Es regnet."};
    static const char *const en[] = {"The house is old.", "The garden is big.",
                                     "It rains."};
    tmk_align_text s[3], t[3];
    for (int i = 0; i < 3; i++) {
        s[i] = (tmk_align_text){de[i], strlen(de[i])};
        t[i] = (tmk_align_text){en[i], strlen(en[i])};
    }
    const char *dicts[] = {index};
    tmk_align_options opt = {.size = sizeof opt, .src_lang = "de", .tgt_lang = "en", .dicts = dicts, .ndicts = 1,
                             .flags = TMK_ALIGN_NO_AUTO_DICT, .on_dict = cb_dict};
    tmk_align_bead *b = NULL;
    size_t nb = 0;
    dict_pairs = 0;
    int rc = tmk_align_run(s, 3, t, 3, &opt, &b, &nb, &err_);
    if (rc == TMK_OK) {
        logf_("pairs %zu\n", dict_pairs);
        for (size_t i = 0; i < nb; i++)
            logf_("%zu+%zu %zu+%zu %.3f\n", b[i].src, b[i].nsrc, b[i].tgt, b[i].ntgt,
                  b[i].score);
    }
    free(b);
    return rc;
}

/* a small well-made dictzip dictionary (two chunks) */
static void make_good_dict(void)
{
    static const char data[] = "haus\nhouse, home\ngarten\ngarden\nalt\nold\n";
    write_dictzip("good", data, sizeof data - 1, 16);
    char idx[256], o[3][12], l[3][12];
    b64(0, o[0]); b64(17, l[0]);
    b64(17, o[1]); b64(14, l[1]);
    b64(31, o[2]); b64(8, l[2]);
    snprintf(idx, sizeof idx, "alt\t%s\t%s\ngarten\t%s\t%s\nhaus\t%s\t%s\n", o[2], l[2], o[1],
             l[1], o[0], l[0]);
    write_file("good.index", idx, strlen(idx));
}

static int run_align_dict(void) { return align_with(path_of("good.index")); }

/* The hostile dictzip of the issue, smaller: 1-byte chunks and 2,000 index
 * lines for one headword, each entry spanning 28,000 chunks.  Before, every
 * entry inflated its chunks again (56 million inflations); now the lines of
 * one headword are capped and the work per dictionary is bounded. */
static void test_dictzip_hostile_is_bounded(void **state)
{
    (void)state;
    static char data[30000];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = "haus\nhouse\n"[i % 11];
    write_dictzip("bad", data, sizeof data, 1);
    static char idx[2000 * 32];
    size_t n = 0;
    for (size_t i = 0; i < 2000; i++) {
        char o[12], l[12];
        b64(i, o);
        b64(28000, l);
        n += (size_t)snprintf(idx + n, sizeof idx - n, "haus\t%s\t%s\n", o, l);
    }
    write_file("bad.index", idx, n);
    alarm(60); /* before: minutes */
    tmk_error_clear(&err_);
    int rc = align_with(path_of("bad.index"));
    alarm(0);
    assert_int_equal(rc, TMK_ELIMIT);
    assert_non_null(strstr(err_.msg, "dictionary is damaged"));
    assert_non_null(strstr(err_.file, "bad.dict.dz"));
}

/* The same headword on many lines of a sound dictionary: read once. */
static void test_dictzip_good(void **state)
{
    (void)state;
    tmk_buf_reset(&log_);
    tmk_error_clear(&err_);
    int rc = run_align_dict();
    if (rc != TMK_OK)
        fail_msg("%s: %s", err_.file[0] ? err_.file : "-", err_.msg);
    assert_true(dict_pairs >= 3);
}
#endif

/* ---- the loop ----------------------------------------------------------------- */

typedef int (*scenario)(void);

static void alloc_loop(scenario run, int all)
{
    tmk_buf_reset(&log_);
    tmk_error_clear(&err_);
    int rc = run();
    assert_int_equal(rc, TMK_OK);
    tmk_buf ref = TMK_BUF_INIT;
    assert_int_equal(tmk_buf_add(&ref, log_.data, log_.len), 0);
    unsigned long n;
    for (n = 1; n < 100000; n++) {
        tmk_buf_reset(&log_);
        tmk_error_clear(&err_);
        arm(n, all);
        rc = run();
        disarm();
        if (!failed) {
            /* every allocation of the run went through: done */
            assert_int_equal(rc, TMK_OK);
            break;
        }
        if (rc == TMK_OK) {
            /* a failure the run could do without: the same result */
            if (log_.len != ref.len || memcmp(log_.data, ref.data, ref.len))
                fail_msg("allocation %lu failed, the run succeeded with another result:\n"
                         "%s\n---- expected:\n%s", n, log_.data, ref.data);
        } else if (rc != TMK_ENOMEM || err_.code != TMK_ENOMEM) {
            fail_msg("allocation %lu failed: rc %d, error %d \"%s\" instead of TMK_ENOMEM", n,
                     rc, err_.code, err_.msg);
        }
    }
    assert_true(n > 1); /* the run allocated: the injection reached it */
    assert_true(n < 100000);
    tmk_buf_release(&ref);
}

/* The lookup module: open two memories (no index file), look up with the
 * index and by brute force, and a concordance. */
static int run_lookup(void)
{
    const char *mems[] = {path_of("a.tmx"), path_of("b.tmx")};
    tmk_tm_options o = TMK_TM_OPTIONS_INIT;
    o.srclang = "de";
    o.tgtlang = "en";
    o.flags = 0; /* no index file (the default) */
    tmk_tm *tm = NULL;
    int rc = tmk_tm_open(&tm, mems, 2, &o, NULL, NULL, &err_);
    if (rc < 0)
        return rc;
    static const char *const q[] = {"Ein fetter Satz mehr Text, der etwas länger ist", "Zweiter",
                                    "!!"};
    tmk_tm_match m[3];
    size_t n = 0;
    tmk_tm_lookup_options lo = TMK_TM_LOOKUP_OPTIONS_INIT;
    lo.k = 3;
    for (size_t i = 0; i < 3 && rc == 0; i++) {
        rc = tmk_tm_lookup(tm, q[i], strlen(q[i]), &lo, m, &n, &err_);
        for (size_t j = 0; rc == 0 && j < n; j++)
            logf_("%zu: %d unit %zu\n", i, m[j].score, m[j].unit.index);
        if (rc == 0)
            rc = tmk_tm_lookup_brute(tm, q[i], strlen(q[i]), &lo, m, &n, &err_);
        for (size_t j = 0; rc == 0 && j < n; j++)
            logf_("%zu brute: %d unit %zu\n", i, m[j].score, m[j].unit.index);
    }
    size_t units = 0, hits = 0;
    if (rc == 0)
        rc = tmk_tm_concordance(tm, "zweit", 5, NULL, NULL, NULL, &units, &hits, &err_);
    if (rc == 0)
        logf_("concordance %zu %zu\n", units, hits);
    tmk_tm_free(tm);
    return rc;
}

#define ALLOC_TEST(name)                                                                  \
    static void test_alloc_fail_##name(void **state)                                      \
    {                                                                                     \
        (void)state;                                                                      \
        alloc_loop(run_##name, 0);                                                        \
        alloc_loop(run_##name, 1);                                                        \
    }
ALLOC_TEST(read_checks)
ALLOC_TEST(read_plain)
ALLOC_TEST(read_strip)
ALLOC_TEST(read_text_only)
ALLOC_TEST(read_decoded)
ALLOC_TEST(read_file)
ALLOC_TEST(decode_file)
ALLOC_TEST(write)
ALLOC_TEST(merge)
ALLOC_TEST(segment)
ALLOC_TEST(align)
ALLOC_TEST(lookup)
#ifdef HAVE_ZLIB_H
ALLOC_TEST(align_dict)
#endif

/* ---- read errors --------------------------------------------------------------- */

/* A read that fails after n bytes is an I/O error, never the end of the
 * input (which would make a shorter memory look complete). */
static void test_read_error_is_reported(void **state)
{
    (void)state;
    static const long after[] = {0, 1, 100, 1000, (long)sizeof tmx_doc - 2};
    for (size_t i = 0; i < sizeof after / sizeof *after; i++) {
        tmk_buf_reset(&log_);
        tmk_error_clear(&err_);
        read_left = after[i];
        read_failed_file = NULL;
        int rc = run_read_file();
        read_left = -1;
        read_failed_file = NULL;
        assert_int_equal(rc, TMK_EIO);
        assert_non_null(strstr(err_.msg, "cannot read"));
        assert_non_null(strstr(err_.msg, strerror(EIO)));

        /* (the Latin-1 file has 32 bytes) */
        tmk_buf_reset(&log_);
        tmk_error_clear(&err_);
        read_left = after[i] < 32 ? after[i] : 31;
        rc = run_decode_file();
        read_left = -1;
        read_failed_file = NULL; /* that FILE is closed: its address may come back */
        assert_int_equal(rc, TMK_EIO);
        assert_non_null(strstr(err_.msg, "cannot read"));

        /* an SRX file (the rules of segment --srx) */
        tmk_error_clear(&err_);
        read_left = after[i] < (long)sizeof srx_doc - 1 ? after[i] : (long)sizeof srx_doc - 2;
        tmk_segmenter *sg = NULL;
        tmk_segmenter_new(&sg, "de", path_of("rules.srx"), &err_);
        read_left = -1;
        read_failed_file = NULL;
        assert_null(sg);
        assert_int_equal(err_.code, TMK_EIO);
    }
}

/* ---- merge: an input that changes between the passes --------------------------- */

typedef struct {
    const char *path;
    const char *data;
    int keep_mtime;
    int done;
} change;

/* called between pass 1 and pass 2: overwrite the unit in place */
static int change_input(void *ud, const tmk_tm_conflict *cf)
{
    (void)cf;
    change *c = ud;
    if (c->done++)
        return 0;
    struct stat st;
    assert_int_equal(stat(c->path, &st), 0);
    FILE *f = fopen(c->path, "r+b");
    assert_non_null(f);
    assert_int_equal(fwrite(c->data, 1, strlen(c->data), f), strlen(c->data));
    assert_int_equal(fclose(f), 0);
    if (c->keep_mtime) {
        /* the same size and time: only the content tells */
        struct timespec ts[2] = {st.st_atim, st.st_mtim};
        assert_int_equal(utimensat(AT_FDCWD, c->path, ts, 0), 0);
    }
    return 0;
}

static const char merge_head[] =
    "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"><header creationtool=\"t\" "
    "creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"t\" adminlang=\"en\" "
    "srclang=\"de\" datatype=\"plaintext\"/><body>\n";

/* Two memories whose one unit has the same source, Hallo, and different
 * translations (a conflict, so that the callback runs between the passes). */
static void write_conflict(const char *fa, const char *fb, const char *b_en)
{
    char a[2048], b[2048];
    snprintf(a, sizeof a, "%s<tu><tuv xml:lang=\"de\"><seg>Hallo</seg></tuv><tuv "
                          "xml:lang=\"en\"><seg>Hello</seg></tuv></tu>\n</body></tmx>\n",
             merge_head);
    snprintf(b, sizeof b, "%s<tu><tuv xml:lang=\"de\"><seg>Hallo</seg></tuv><tuv "
                          "xml:lang=\"en\"><seg>%s</seg></tuv></tu>\n</body></tmx>\n",
             merge_head, b_en);
    write_file(fa, a, strlen(a));
    write_file(fb, b, strlen(b));
}

static void test_merge_input_changed(void **state)
{
    (void)state;
    const char *head = merge_head;
    for (int keep = 0; keep < 2; keep++) {
        write_conflict("ca.tmx", "cb.tmx", "Hi!!!");
        /* the unit of cb.tmx overwritten in place, same length */
        char changed[2048];
        snprintf(changed, sizeof changed, "%s<tu><tuv xml:lang=\"de\"><seg>Hallo</seg></tuv>"
                 "<tuv xml:lang=\"en\"><seg>Hey!!</seg></tuv></tu>\n", head);
        change c = {path_of("cb.tmx"), changed, keep, 0};
        const char *in[] = {path_of("ca.tmx"), path_of("cb.tmx")};
        static char mem[1 << 14];
        FILE *f = fmemopen(mem, sizeof mem, "w");
        assert_non_null(f);
        tmk_error err = TMK_ERROR_INIT;
        int rc = merge_to_file(in, 2, f, change_input, &c, NULL, &err);
        fclose(f);
        assert_int_equal(c.done, 1);
        assert_int_equal(rc, TMK_EIO);
        assert_non_null(strstr(err.msg, "changed"));
        assert_string_equal(err.file, path_of("cb.tmx"));
    }
}

static int stop_merge(void *ud, const tmk_tm_conflict *cf)
{
    ++*(int *)ud;
    assert_non_null(strstr(cf->file, "sb.tmx"));
    assert_int_equal(cf->first_line, cf->line);
    return 1;
}

/* The conflict callback follows the tmkit.h rule: non-zero stops the merge
 * with TMK_ECANCELED, and err says so. */
static void test_merge_conflict_callback_can_stop(void **state)
{
    (void)state;
    write_conflict("sa.tmx", "sb.tmx", "Hi");
    const char *in[] = {path_of("sa.tmx"), path_of("sb.tmx")};
    static char mem[1 << 14];
    FILE *f = fmemopen(mem, sizeof mem, "w");
    assert_non_null(f);
    tmk_error err = TMK_ERROR_INIT;
    int nstop = 0;
    assert_int_equal(merge_to_file(in, 2, f, stop_merge, &nstop, NULL, &err), TMK_ECANCELED);
    fclose(f);
    assert_int_equal(nstop, 1);
    assert_int_equal(err.code, TMK_ECANCELED);
}

static int merge_sink_collect(void *ud, const char *data, size_t len)
{
    tmk_buf *b = ud;
    return tmk_buf_add(b, data, len);
}

static int merge_conflict_count(void *ud, const tmk_tm_conflict *cf)
{
    (void)cf;
    (void)ud;
    return 0;
}

struct merge_sink_stop {
    size_t calls;
};

static int merge_sink_fails(void *ud, const char *data, size_t len)
{
    (void)data;
    (void)len;
    return ++((struct merge_sink_stop *)ud)->calls > 1 ? TMK_EIO : 0;
}

/* tmk_tm_merge writes through a sink the same bytes it writes to a FILE *,
 * with the creation time given in the options; a sink that fails stops the
 * merge with its code; no sink and no file is TMK_EINVAL. */
static void test_merge_to_sink_equals_merge_to_file(void **state)
{
    (void)state;
    const char *in[] = {path_of("a.tmx"), path_of("b.tmx")};
    static char mem[1 << 16];
    memset(mem, 0, sizeof mem);
    FILE *f = fmemopen(mem, sizeof mem, "w");
    assert_non_null(f);
    tmk_error err = TMK_ERROR_INIT;
    tmk_tm_merge_stats fst, sst;
    assert_int_equal(merge_to_file(in, 2, f, merge_conflict_count, NULL, &fst, &err), TMK_OK);
    fclose(f);

    tmk_buf b = TMK_BUF_INIT;
    tmk_tmx_write_options o = TMK_TMX_WRITE_OPTIONS_INIT;
    o.creation_time = 1735689600;
    assert_int_equal(tmk_tm_merge(in, 2, &o, NULL, merge_sink_collect, merge_conflict_count, &b, &sst,
                                  &err),
                     TMK_OK);
    assert_int_equal(b.len, strlen(mem));
    assert_memory_equal(b.data, mem, b.len);
    assert_non_null(strstr(b.data, "creationdate=\"20250101T000000Z\""));
    assert_int_equal(sst.units_out, fst.units_out);
    assert_int_equal(sst.duplicates, fst.duplicates);
    tmk_buf_release(&b);

    struct merge_sink_stop stop = {0};
    tmk_error_clear(&err);
    assert_int_equal(tmk_tm_merge(in, 2, NULL, NULL, merge_sink_fails, NULL, &stop, NULL, &err),
                     TMK_EIO);
    assert_int_equal(err.code, TMK_EIO);
    tmk_error_clear(&err);
    assert_int_equal(tmk_tm_merge(in, 2, NULL, NULL, NULL, NULL, NULL, NULL, &err), TMK_EINVAL);
    tmk_error_clear(&err);
}

static int setup(void **state)
{
    (void)state;
    const char *t = getenv("TMPDIR");
    snprintf(dir_, sizeof dir_, "%s/tmkit-robust-XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(dir_))
        return -1;
    write_file("a.tmx", tmx_doc, sizeof tmx_doc - 1);
    static const char b[] =
        "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"><header creationtool=\"t\" "
        "creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"t\" adminlang=\"en\" "
        "srclang=\"de\" datatype=\"plaintext\"/><body>\n"
        "<tu><tuv xml:lang=\"de\"><seg>Zweiter</seg></tuv><tuv xml:lang=\"en\"><seg>Second</seg>"
        "</tuv><tuv xml:lang=\"fr\"><seg>Deuxi\xc3\xa8me</seg></tuv></tu>\n"
        "<tu changedate=\"20250101T000000Z\"><tuv xml:lang=\"de\"><seg>Zweiter</seg></tuv>"
        "<tuv xml:lang=\"en\"><seg>2nd</seg></tuv></tu>\n"
        "<tu><tuv xml:lang=\"de\"><seg>Vierter</seg></tuv><tuv xml:lang=\"en\"><seg>Fourth</seg>"
        "</tuv></tu>\n</body></tmx>\n";
    write_file("b.tmx", b, sizeof b - 1);
    static const char latin1[] = "Gr\374\337e aus K\xf6ln\nZweite Zeile \xe9t\xe9\n";
    write_file("latin1.txt", latin1, sizeof latin1 - 1);
    write_file("rules.srx", srx_doc, sizeof srx_doc - 1);
#ifdef HAVE_ZLIB_H
    make_good_dict();
#endif
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    static const char *const names[] = {"a.tmx",     "b.tmx",        "ca.tmx",
                                        "cb.tmx",    "latin1.txt",   "good.index",
                                        "bad.index", "good.dict.dz", "bad.dict.dz",
                                        "rules.srx"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        unlink(path_of(names[i]));
    rmdir(dir_);
    tmk_buf_release(&log_);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc_fail_read_checks),
        cmocka_unit_test(test_alloc_fail_read_plain),
        cmocka_unit_test(test_alloc_fail_read_strip),
        cmocka_unit_test(test_alloc_fail_read_text_only),
        cmocka_unit_test(test_alloc_fail_read_decoded),
        cmocka_unit_test(test_alloc_fail_read_file),
        cmocka_unit_test(test_alloc_fail_decode_file),
        cmocka_unit_test(test_alloc_fail_write),
        cmocka_unit_test(test_alloc_fail_merge),
        cmocka_unit_test(test_alloc_fail_segment),
        cmocka_unit_test(test_alloc_fail_align),
        cmocka_unit_test(test_alloc_fail_lookup),
#ifdef HAVE_ZLIB_H
        cmocka_unit_test(test_alloc_fail_align_dict),
        cmocka_unit_test(test_dictzip_good),
        cmocka_unit_test(test_dictzip_hostile_is_bounded),
#endif
        cmocka_unit_test(test_read_error_is_reported),
        cmocka_unit_test(test_merge_input_changed),
        cmocka_unit_test(test_merge_conflict_callback_can_stop),
        cmocka_unit_test(test_merge_to_sink_equals_merge_to_file),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
