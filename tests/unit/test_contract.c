/* The API contract (tmkit.h) checked across modules: rules that every
 * object must follow alike, walked over every object they concern
 * (review 7: NULL callbacks, use after finish, tmk_error.file, detail
 * codes).  Only the public API; real expat, Hunspell, iconv. */
#include <config.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tmkit/tmkit.h"

static const char xliff_doc[] =
    "<?xml version=\"1.0\"?>\n"
    "<xliff version=\"1.2\"><file source-language=\"de\" target-language=\"en\" "
    "datatype=\"plaintext\" original=\"a\"><body>"
    "<trans-unit id=\"1\"><source>Hallo Welt.</source><target>Hello world.</target></trans-unit>"
    "</body></file></xliff>\n";

/* ---- rule 4: a callback that is given items may be NULL ------------------- */

static void null_cb_segmenter(void **state)
{
    (void)state;
    tmk_error err = TMK_ERROR_INIT;
    tmk_segmenter *s = NULL;
    assert_int_equal(tmk_segmenter_new(&s, "de", NULL, &err), TMK_OK);
    const char t[] = "Das ist ein Satz. Und noch einer.\n\nZweiter Absatz.";
    assert_int_equal(tmk_segmenter_feed(s, t, strlen(t), NULL, NULL, &err), TMK_OK);
    assert_int_equal(tmk_segmenter_finish(s, NULL, NULL, &err), TMK_OK);
    /* the input is still checked without a callback */
    int rc = tmk_segmenter_feed(s, "a\xff b. c.", 8, NULL, NULL, &err);
    if (rc == TMK_OK)
        rc = tmk_segmenter_finish(s, NULL, NULL, &err);
    assert_int_equal(rc, TMK_EENCODING);
    tmk_segmenter_free(s);
}

static void null_cb_speller(void **state)
{
    (void)state;
    tmk_error err = TMK_ERROR_INIT;
    tmk_speller *sp = NULL;
    tmk_spell_options o = TMK_SPELL_OPTIONS_INIT;
    o.lang = "de-DE";
    o.no_project_wordlists = 1;
    if (tmk_speller_new(&sp, &o, &err) != TMK_OK)
        fail_msg("tmk_speller_new(de-DE): %s (build-aux/install-deps.sh --test installs it)",
                 err.msg);
    const char t[] = "Ein Fehlr und noch ein Fehlr.";
    assert_int_equal(tmk_spell_text(sp, t, strlen(t), 1, NULL, NULL, &err), TMK_OK);
    assert_int_equal(tmk_spell_text(sp, t, strlen(t), 0, NULL, NULL, &err), TMK_OK);
    const char *texts[] = {t, "Zweiter Fehlr."};
    size_t lens[] = {strlen(t), strlen(texts[1])};
    assert_int_equal(tmk_spell_texts(sp, texts, lens, 2, 1, 1, NULL, NULL, &err), TMK_OK);
    assert_true(tmk_speller_stem(sp, "Häuser", strlen("Häuser"), NULL, NULL, &err) >= 0);
    tmk_speller_free(sp);
}

static void null_cb_xliff(void **state)
{
    (void)state;
    tmk_error err = TMK_ERROR_INIT;
    tmk_xliff_reader *r = NULL;
    assert_int_equal(tmk_xliff_reader_new(&r, NULL, &err), TMK_OK);
    assert_int_equal(tmk_xliff_reader_feed(r, xliff_doc, strlen(xliff_doc), NULL, NULL, &err),
                     TMK_OK);
    assert_int_equal(tmk_xliff_reader_finish(r, NULL, NULL, &err), TMK_OK);
    tmk_xliff_reader_free(r);
}

static void null_cb_table(void **state)
{
    (void)state;
    tmk_error err = TMK_ERROR_INIT;
    tmk_table_reader *r = NULL;
    tmk_table_read_options o = TMK_TABLE_READ_OPTIONS_INIT;
    o.dialect = TMK_TSV;
    o.src = "de";
    o.tgt = "en";
    assert_int_equal(tmk_table_reader_new(&r, &o, NULL, NULL, NULL, &err), TMK_OK);
    const char t[] = "Hallo\tHello\nWelt\tWorld\n";
    assert_int_equal(tmk_table_reader_feed(r, t, strlen(t), &err), TMK_OK);
    assert_int_equal(tmk_table_reader_finish(r, &err), TMK_OK);
    tmk_table_reader_free(r);
}

/* ---- rule 6: after finish, no more input (the segmenter restarts) --------- */

static void assert_after_finish(int rc, const tmk_error *err)
{
    assert_int_equal(rc, TMK_EINVAL);
    assert_int_equal(err->code, TMK_EINVAL);
    assert_int_equal(err->detail, TMK_D_AFTER_FINISH);
    /* about the call, never the file's fault */
    assert_null(strstr(err->msg, "damaged"));
}

static int sink_buf(void *ud, const char *data, size_t len)
{
    return tmk_buf_add(ud, data, len);
}

static void finish_tmx_writer(void **state)
{
    (void)state;
    tmk_error err = TMK_ERROR_INIT;
    tmk_buf out = TMK_BUF_INIT;
    tmk_tmx_header h;
    memset(&h, 0, sizeof h);
    h.srclang = "de";
    tmk_tmx_writer *w = NULL;
    assert_int_equal(tmk_tmx_writer_new(&w, NULL, &h, sink_buf, NULL, &out, &err), TMK_OK);
    tmk_tmx_tuv v[2];
    memset(v, 0, sizeof v);
    v[0].lang = "de";
    v[0].seg = "Hallo";
    v[0].seg_len = 5;
    v[1].lang = "en";
    v[1].seg = "Hello";
    v[1].seg_len = 5;
    tmk_tmx_tu tu;
    memset(&tu, 0, sizeof tu);
    tu.tuvs = v;
    tu.ntuvs = 2;
    assert_int_equal(tmk_tmx_writer_add(w, &tu, &err), TMK_OK);
    assert_int_equal(tmk_tmx_writer_finish(w, &err), TMK_OK);
    size_t len = out.len;
    assert_after_finish(tmk_tmx_writer_finish(w, &err), &err);
    assert_after_finish(tmk_tmx_writer_add(w, &tu, &err), &err);
    assert_int_equal(out.len, len); /* nothing written past </tmx> */
    assert_non_null(strstr(out.data, "</tmx>\n"));
    assert_string_equal(strstr(out.data, "</tmx>\n"), "</tmx>\n");
    tmk_tmx_writer_free(w);
    tmk_buf_release(&out);
}

static void finish_decoder(void **state)
{
    (void)state;
    tmk_error err = TMK_ERROR_INIT;
    tmk_buf out = TMK_BUF_INIT;
    tmk_decoder *d = NULL;
    assert_int_equal(tmk_decoder_new(&d, NULL, "a.txt", &err), TMK_OK);
    assert_int_equal(tmk_decoder_feed(d, "eins\nzwei", 9, &out, &err), TMK_OK);
    assert_int_equal(tmk_decoder_finish(d, &out, &err), TMK_OK);
    size_t len = out.len;
    assert_after_finish(tmk_decoder_finish(d, &out, &err), &err);
    assert_after_finish(tmk_decoder_feed(d, "drei\n", 5, &out, &err), &err);
    assert_int_equal(out.len, len); /* no "zweidrei" */
    tmk_decoder_free(d);
    tmk_buf_release(&out);
}

static void finish_xliff(void **state)
{
    (void)state;
    tmk_error err = TMK_ERROR_INIT;
    tmk_xliff_reader *r = NULL;
    assert_int_equal(tmk_xliff_reader_new(&r, NULL, &err), TMK_OK);
    assert_int_equal(tmk_xliff_reader_feed(r, xliff_doc, strlen(xliff_doc), NULL, NULL, &err),
                     TMK_OK);
    assert_int_equal(tmk_xliff_reader_finish(r, NULL, NULL, &err), TMK_OK);
    assert_after_finish(tmk_xliff_reader_finish(r, NULL, NULL, &err), &err);
    assert_after_finish(tmk_xliff_reader_feed(r, "<x/>", 4, NULL, NULL, &err), &err);
    tmk_xliff_reader_free(r);
}

static void finish_tmx_reader(void **state)
{
    (void)state;
    tmk_error err = TMK_ERROR_INIT;
    const char doc[] = "<?xml version=\"1.0\"?><tmx version=\"1.4\"><header srclang=\"de\"/>"
                       "<body></body></tmx>";
    tmk_tmx_reader *r = NULL;
    assert_int_equal(tmk_tmx_reader_new(&r, NULL, NULL, NULL, NULL, NULL, &err), TMK_OK);
    assert_int_equal(tmk_tmx_reader_feed(r, doc, strlen(doc), &err), TMK_OK);
    assert_int_equal(tmk_tmx_reader_finish(r, &err), TMK_OK);
    assert_after_finish(tmk_tmx_reader_finish(r, &err), &err);
    assert_after_finish(tmk_tmx_reader_feed(r, doc, strlen(doc), &err), &err);
    tmk_tmx_reader_free(r);
}

static int count_row(void *ud, const tmk_tsv_row *row)
{
    (void)row;
    ++*(int *)ud;
    return 0;
}

static void finish_tsv(void **state)
{
    (void)state;
    tmk_error err = TMK_ERROR_INIT;
    int rows = 0;
    tmk_tsv_reader *r = NULL;
    assert_int_equal(tmk_tsv_reader_new(&r, NULL, count_row, &rows, &err), TMK_OK);
    assert_int_equal(tmk_tsv_reader_feed(r, "a\tb\nc\td", 7, &err), TMK_OK);
    assert_int_equal(tmk_tsv_reader_finish(r, &err), TMK_OK);
    assert_int_equal(rows, 2);
    assert_after_finish(tmk_tsv_reader_finish(r, &err), &err);
    assert_after_finish(tmk_tsv_reader_feed(r, "e\tf\n", 4, &err), &err);
    assert_int_equal(rows, 2);
    tmk_tsv_reader_free(r);
}

static void finish_table(void **state)
{
    (void)state;
    tmk_error err = TMK_ERROR_INIT;
    tmk_table_reader *r = NULL;
    tmk_table_read_options o = TMK_TABLE_READ_OPTIONS_INIT;
    o.dialect = TMK_TSV;
    o.src = "de";
    o.tgt = "en";
    assert_int_equal(tmk_table_reader_new(&r, &o, NULL, NULL, NULL, &err), TMK_OK);
    assert_int_equal(tmk_table_reader_feed(r, "Hallo\tHello\n", 12, &err), TMK_OK);
    assert_int_equal(tmk_table_reader_finish(r, &err), TMK_OK);
    assert_after_finish(tmk_table_reader_finish(r, &err), &err);
    assert_after_finish(tmk_table_reader_feed(r, "a\tb\n", 4, &err), &err);
    tmk_table_reader_free(r);
}

static void finish_po(void **state)
{
    (void)state;
    tmk_error err = TMK_ERROR_INIT;
    const char doc[] = "msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n\n"
                       "msgid \"Hello\"\nmsgstr \"Hallo\"\n";
    tmk_po_reader *r = NULL;
    assert_int_equal(tmk_po_reader_new(&r, NULL, NULL, NULL, &err), TMK_OK);
    assert_int_equal(tmk_po_reader_feed(r, doc, strlen(doc), &err), TMK_OK);
    assert_int_equal(tmk_po_reader_finish(r, &err), TMK_OK);
    assert_after_finish(tmk_po_reader_finish(r, &err), &err);
    assert_after_finish(tmk_po_reader_feed(r, doc, strlen(doc), &err), &err);
    tmk_po_reader_free(r);
}

static int count_seg(void *ud, const tmk_segment *seg)
{
    (void)seg;
    ++*(int *)ud;
    return 0;
}

/* the documented exception: the segmenter starts a new text */
static void finish_segmenter_restarts(void **state)
{
    (void)state;
    tmk_error err = TMK_ERROR_INIT;
    tmk_segmenter *s = NULL;
    int n = 0;
    assert_int_equal(tmk_segmenter_new(&s, "de", NULL, &err), TMK_OK);
    assert_int_equal(tmk_segmenter_feed(s, "Eins. Zwei.", 11, count_seg, &n, &err), TMK_OK);
    assert_int_equal(tmk_segmenter_finish(s, count_seg, &n, &err), TMK_OK);
    assert_int_equal(n, 2);
    assert_int_equal(tmk_segmenter_finish(s, count_seg, &n, &err), TMK_OK);
    assert_int_equal(tmk_segmenter_feed(s, "Drei.", 5, count_seg, &n, &err), TMK_OK);
    assert_int_equal(tmk_segmenter_finish(s, count_seg, &n, &err), TMK_OK);
    assert_int_equal(n, 3);
    tmk_segmenter_free(s);
}

/* ---- tmk_error.file: the error's own copy, not the process's --------------- */

static void error_file_is_owned(void **state)
{
    (void)state;
    tmk_error err = TMK_ERROR_INIT;
    char name[64];
    snprintf(name, sizeof name, "/nonexistent/tmkit-%d.txt", 1);
    tmk_buf out = TMK_BUF_INIT;
    assert_int_equal(tmk_decode_file(name, NULL, &out, &err), TMK_EIO);
    assert_string_equal(err.file, name);
    /* the error holds the name itself: the caller's string may change, and a
     * copy by assignment keeps it (no name table growing per distinct name) */
    name[1] = 'X';
    assert_string_equal(err.file, "/nonexistent/tmkit-1.txt");
    assert_true((const void *)err.file >= (const void *)&err &&
                (const void *)err.file < (const void *)(&err + 1));
    tmk_error copy = err;
    assert_string_equal(copy.file, "/nonexistent/tmkit-1.txt");
    /* a very long name keeps its end behind "..." */
    size_t n = 3 * TMK_ERROR_FILE_MAX;
    char *longname = malloc(n + 1);
    assert_non_null(longname);
    memset(longname, 'a', n);
    memcpy(longname + n - 6, "/x.txt", 6);
    longname[n] = '\0';
    tmk_error_set_file(&err, longname);
    assert_int_equal(strlen(err.file), TMK_ERROR_FILE_MAX - 1);
    assert_memory_equal(err.file, "...", 3);
    assert_string_equal(err.file + strlen(err.file) - 6, "/x.txt");
    free(longname);
    tmk_error_set_file(&err, NULL);
    assert_string_equal(err.file, "");
    tmk_buf_release(&out);
}

/* review 7, 17g: a call that succeeds leaves no name of its input behind */
static void error_file_not_set_on_success(void **state)
{
    (void)state;
    tmk_error err = TMK_ERROR_INIT;
    tmk_buf out = TMK_BUF_INIT;
    assert_int_equal(tmk_decode_file("/dev/null", NULL, &out, &err), TMK_OK);
    assert_string_equal(err.file, "");
    assert_int_equal(tmk_io_read_file("/dev/null", &out, &err), TMK_OK);
    assert_string_equal(err.file, "");
    tmk_decoder *d = NULL;
    assert_int_equal(tmk_decoder_new(&d, NULL, "a.txt", &err), TMK_OK);
    assert_int_equal(tmk_decoder_feed(d, "eins\n", 5, &out, &err), TMK_OK);
    assert_string_equal(err.file, "");
    assert_int_equal(tmk_decoder_finish(d, &out, &err), TMK_OK);
    assert_string_equal(err.file, "");
    tmk_decoder_free(d);
    /* a name the caller set stays (it names what the caller is doing) */
    tmk_error_set_file(&err, "mine.txt");
    assert_int_equal(tmk_decode_file("/dev/null", NULL, &out, &err), TMK_OK);
    assert_string_equal(err.file, "mine.txt");
    /* and a failing call names its own input */
    assert_int_equal(tmk_decode_file("/nonexistent/b.txt", NULL, &out, &err), TMK_EIO);
    assert_string_equal(err.file, "/nonexistent/b.txt");
    tmk_buf_release(&out);
}

/* ---- rule 2: a call that succeeds leaves err as the caller passed it ------------ */

#define SENTINEL_MSG "the caller's earlier error, kept"

/* the sentinel's file: "sentinel.txt", or none ("") */
static const char *sentinel_file;

/* err as a caller leaves it after handling an earlier failure */
static tmk_error sentinel(void)
{
    tmk_error e = TMK_ERROR_INIT;
    tmk_error_set_detail(&e, TMK_EIO, TMK_D_CHANGED_WHILE_READ, 7, 9, SENTINEL_MSG);
    tmk_error_set_file(&e, sentinel_file);
    return e;
}

/* the calls that broke the rule (all are run, then the test fails) */
static int changed;

static void kept(int rc, const tmk_error *e, const char *call)
{
    if (rc < 0)
        fail_msg("%s failed (%d): %s: %s", call, rc, e->file, e->msg);
    if (e->code != TMK_EIO || e->detail != TMK_D_CHANGED_WHILE_READ || e->line != 7 ||
        e->col != 9 || strcmp(e->file, sentinel_file) || strcmp(e->msg, SENTINEL_MSG)) {
        print_error("%s succeeded but changed err: code %d detail %d %lu:%lu file \"%s\" "
                    "msg \"%s\"\n", call, e->code, e->detail, e->line, e->col, e->file, e->msg);
        changed++;
    }
}

/* Run call with a fresh sentinel in e and check it is left as it was. */
#define KEPT(call)                                                                             \
    do {                                                                                       \
        e = sentinel();                                                                        \
        kept((call), &e, #call);                                                               \
    } while (0)

static char *scratch_file(const char *name, const char *text)
{
    char *p = malloc(strlen(name) + 32);
    assert_non_null(p);
    sprintf(p, "test_contract-%ld-%s", (long)getpid(), name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
    return p;
}

static int sink_drop(void *ud, const char *data, size_t len)
{
    (void)ud;
    (void)data;
    (void)len;
    return 0;
}

static void walk_successful_calls(void)
{
    static const char tmx[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<tmx version=\"1.4\"><header srclang=\"de\" segtype=\"sentence\" datatype=\"plaintext\" "
        "adminlang=\"en\" creationtool=\"t\" creationtoolversion=\"1\" o-tmf=\"t\"/><body>\n"
        "<tu><tuv xml:lang=\"de\"><seg>Das Haus ist rot.</seg></tuv>"
        "<tuv xml:lang=\"en\"><seg>The house is red.</seg></tuv></tu>\n"
        "<tu><tuv xml:lang=\"de\"><seg>Der Baum ist gr\xc3\xbcn.</seg></tuv>"
        "<tuv xml:lang=\"en\"><seg>The tree is green.</seg></tuv></tu>\n"
        "</body></tmx>\n";
    const char de[] = "Das Haus ist rot. Der Baum ist gr\xc3\xbcn.\n";
    const char en[] = "The house is red. The tree is green.\n";
    char *tmx_path = scratch_file("m.tmx", tmx), *txt_path = scratch_file("t.txt", de);
    char *words = scratch_file("words.txt", "Zwirbelkrompe\n");
    char *dict = scratch_file("d.tsv", "Haus\thouse\nBaum\ttree\n");
    tmk_error e;
    tmk_buf b = TMK_BUF_INIT;

    /* io and decode (these kept err->file before) */
    KEPT(tmk_io_read_file(txt_path, &b, &e));
    KEPT(tmk_decode_file(txt_path, NULL, &b, &e));

    /* the TMX reader: file, stream, feed and finish of a named input */
    tmk_tmx_read_options ro = TMK_TMX_READ_OPTIONS_INIT;
    ro.name = "named.tmx";
    tmk_tmx_reader *r = NULL;
    assert_int_equal(tmk_tmx_reader_new(&r, &ro, NULL, NULL, NULL, NULL, NULL), TMK_OK);
    KEPT(tmk_tmx_read_file(r, tmx_path, &e));
    tmk_tmx_reader_free(r);
    assert_int_equal(tmk_tmx_reader_new(&r, &ro, NULL, NULL, NULL, NULL, NULL), TMK_OK);
    FILE *f = fopen(tmx_path, "rb");
    assert_non_null(f);
    KEPT(tmk_tmx_read_stream(r, f, "stream.tmx", &e));
    fclose(f);
    tmk_tmx_reader_free(r);
    assert_int_equal(tmk_tmx_reader_new(&r, &ro, NULL, NULL, NULL, NULL, NULL), TMK_OK);
    KEPT(tmk_tmx_reader_feed(r, tmx, sizeof tmx - 1, &e));
    KEPT(tmk_tmx_reader_finish(r, &e));
    tmk_tmx_reader_free(r);

    /* the table, PO and XLIFF readers with a name */
    tmk_table_read_options to = TMK_TABLE_READ_OPTIONS_INIT;
    to.src = "de";
    to.tgt = "en";
    to.name = "t.tsv";
    tmk_table_reader *tr = NULL;
    assert_int_equal(tmk_table_reader_new(&tr, &to, NULL, NULL, NULL, NULL), TMK_OK);
    KEPT(tmk_table_reader_feed(tr, "Hallo\tHello\n", 12, &e));
    KEPT(tmk_table_reader_finish(tr, &e));
    tmk_table_reader_free(tr);
    const char po[] = "msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n\n"
                      "msgid \"Hello\"\nmsgstr \"Hallo\"\n";
    tmk_po_options po_o = TMK_PO_OPTIONS_INIT;
    po_o.name = "de.po";
    tmk_po_reader *pr = NULL;
    assert_int_equal(tmk_po_reader_new(&pr, &po_o, NULL, NULL, NULL), TMK_OK);
    KEPT(tmk_po_reader_feed(pr, po, strlen(po), &e));
    KEPT(tmk_po_reader_finish(pr, &e));
    tmk_po_reader_free(pr);
    tmk_xliff_reader *xr = NULL;
    assert_int_equal(tmk_xliff_reader_new(&xr, NULL, NULL), TMK_OK);
    KEPT(tmk_xliff_reader_feed(xr, xliff_doc, strlen(xliff_doc), NULL, NULL, &e));
    KEPT(tmk_xliff_reader_finish(xr, NULL, NULL, &e));
    tmk_xliff_reader_free(xr);

    /* the segmenter from an SRX file */
    tmk_segmenter *sg = NULL;
    assert_int_equal(tmk_segmenter_new(&sg, "de", NULL, NULL), TMK_OK);
    tmk_buf srx = TMK_BUF_INIT;
    assert_int_equal(tmk_segmenter_dump_srx(sg, &srx, NULL), TMK_OK);
    tmk_segmenter_free(sg);
    char *srx_path = scratch_file("r.srx", srx.data);
    tmk_buf_release(&srx);
    KEPT(tmk_segmenter_new(&sg, "de", srx_path, &e));
    tmk_segmenter_free(sg);
    KEPT(tmk_segmenter_new(&sg, "de", NULL, &e));
    tmk_segmenter_free(sg);

    /* the speller with a word list file */
    tmk_spell_options so = TMK_SPELL_OPTIONS_INIT;
    so.lang = "de-DE";
    const char *wl[] = {words};
    so.wordlists = wl;
    so.nwordlists = 1;
    tmk_speller *sp = NULL;
    KEPT(tmk_speller_new(&sp, &so, &e));
    tmk_speller_free(sp);

    /* stats, merge, lookup on the memory file */
    tmk_stats *st = NULL;
    assert_int_equal(tmk_stats_new(&st, NULL, NULL), TMK_OK);
    KEPT(tmk_stats_add_file(st, tmx_path, &e));
    const tmk_stats_result *res;
    KEPT(tmk_stats_finish(st, &res, &e));
    tmk_stats_free(st);
    const char *two[] = {tmx_path, tmx_path};
    KEPT(tmk_tm_merge(two, 2, NULL, NULL, sink_drop, NULL, NULL, NULL, &e));
    tmk_tm *tm = NULL;
    KEPT(tmk_tm_open(&tm, two, 1, NULL, NULL, NULL, &e));
    tmk_tm_free(tm);

    /* segments, alignment with a dictionary file, a whole build */
    tmk_build_seglist *l = NULL;
    KEPT(tmk_build_seglist_new(&l, de, strlen(de), "de-DE", srx_path, NULL, TMK_PARA_LINE, &e));
    tmk_build_seglist_free(l);
    tmk_align_text s_[2] = {{"Das Haus ist rot.", 17}, {"Der Baum ist gr\xc3\xbcn.", 20}};
    tmk_align_text t_[2] = {{"The house is red.", 17}, {"The tree is green.", 18}};
    tmk_align_options ao = TMK_ALIGN_OPTIONS_INIT;
    ao.src_lang = "de";
    ao.tgt_lang = "en";
    const char *dl[] = {dict};
    ao.dicts = dl;
    ao.ndicts = 1;
    tmk_align_bead *beads = NULL;
    size_t nb = 0;
    KEPT(tmk_align_run(s_, 2, t_, 2, &ao, &beads, &nb, &e));
    tmk_free(beads);
    tmk_build_options bo = TMK_BUILD_OPTIONS_INIT;
    bo.no_spell = 1;
    bo.no_stem = 1;
    bo.srx = srx_path;
    const char *bl[] = {dict};
    bo.bidicts = bl;
    bo.nbidicts = 1;
    tmk_builder *bd = NULL;
    assert_int_equal(tmk_builder_new(&bd, &bo, NULL), TMK_OK);
    tmk_build_result *br = NULL;
    KEPT(tmk_builder_run(bd, de, strlen(de), en, strlen(en), "de.txt", "en.txt", &br, &e));
    tmk_build_result_free(br);
    tmk_builder_free(bd);

    tmk_buf_release(&b);
    char *files[] = {tmx_path, txt_path, words, dict, srx_path};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        unlink(files[i]);
        free(files[i]);
    }
}

/* Every public call that names files in err (its input, an SRX file, a
 * word list, a dictionary) run successfully on an err that holds an
 * earlier error, with a file name and without. */
static void error_left_as_found_on_success(void **state)
{
    (void)state;
    sentinel_file = "sentinel.txt";
    walk_successful_calls();
    sentinel_file = "";
    walk_successful_calls();
    if (changed)
        fail_msg("%d calls that succeeded changed the caller's err", changed);
}

/* ---- rule 2: the decoder's errors carry a detail code ------------------------ */

static int decode_detail(const char *data, size_t len)
{
    tmk_error err = TMK_ERROR_INIT;
    tmk_buf out = TMK_BUF_INIT;
    tmk_decoder *d = NULL;
    assert_int_equal(tmk_decoder_new(&d, NULL, "t.txt", &err), TMK_OK);
    int rc = tmk_decoder_feed(d, data, len, &out, &err);
    if (rc == TMK_OK)
        rc = tmk_decoder_finish(d, &out, &err);
    assert_int_equal(rc, TMK_EENCODING);
    tmk_decoder_free(d);
    tmk_buf_release(&out);
    return err.detail;
}

static void decoder_detail_codes(void **state)
{
    (void)state;
    const char cp1252[] = "Gr\xfc\xdf" "e aus K\xf6ln \x80 5.\nStra\xdf" "e\n";
    assert_int_equal(decode_detail(cp1252, sizeof cp1252 - 1), TMK_D_NOT_UTF8);
    const char nul[] = "ab\0cd\n";
    assert_int_equal(decode_detail(nul, sizeof nul - 1), TMK_D_NUL_BYTE);
    /* "Hallo Welt.\nZweite Zeile.\n" in UTF-16 without a byte-order mark */
    const char *t = "Hallo Welt.\nZweite Zeile.\n";
    char le[64], be[64];
    size_t n = strlen(t);
    for (size_t i = 0; i < n; i++) {
        le[2 * i] = t[i];
        le[2 * i + 1] = '\0';
        be[2 * i] = '\0';
        be[2 * i + 1] = t[i];
    }
    assert_int_equal(decode_detail(le, 2 * n), TMK_D_LOOKS_UTF16LE);
    assert_int_equal(decode_detail(be, 2 * n), TMK_D_LOOKS_UTF16BE);
}

/* ---- rule 8: tmk_tm_open writes no index file unless asked ----------------- */

static void tm_open_writes_nothing(void **state)
{
    (void)state;
    char dir[] = "/tmp/tmkit-contract-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char mem[256], idx[300];
    snprintf(mem, sizeof mem, "%s/memory.tmx", dir);
    snprintf(idx, sizeof idx, "%s.tmkidx", mem);
    FILE *f = fopen(mem, "w");
    assert_non_null(f);
    fputs("<?xml version=\"1.0\"?><tmx version=\"1.4\"><header srclang=\"de\"/><body>"
          "<tu><tuv xml:lang=\"de\"><seg>Der Vertrag wurde gestern unterzeichnet.</seg></tuv>"
          "<tuv xml:lang=\"en\"><seg>The contract was signed yesterday.</seg></tuv></tu>"
          "</body></tmx>\n", f);
    assert_int_equal(fclose(f), 0);
    const char *mems[] = {mem};
    tmk_error err = TMK_ERROR_INIT;
    tmk_tm *tm = NULL;
    assert_int_equal(tmk_tm_open(&tm, mems, 1, NULL, NULL, NULL, &err), TMK_OK);
    assert_int_equal(tmk_tm_size(tm), 1);
    assert_null(tmk_tm_index_path(tm));
    tmk_tm_free(tm);
    assert_int_not_equal(access(idx, F_OK), 0); /* nothing written beside the memory */
    /* asked for: the index file is written (what tmkit lookup does) */
    tmk_tm_options o = TMK_TM_OPTIONS_INIT;
    o.flags = TMK_TM_INDEX_FILE;
    assert_int_equal(tmk_tm_open(&tm, mems, 1, &o, NULL, NULL, &err), TMK_OK);
    tmk_tm_free(tm);
    assert_int_equal(access(idx, F_OK), 0);
    unlink(idx);
    unlink(mem);
    rmdir(dir);
}

/* ---- xliff.h: no <xliff> root, also on empty input, is TMK_EFORMAT -------- */

static void xliff_empty_is_eformat(void **state)
{
    (void)state;
    const char *inputs[] = {"", "<?xml version=\"1.0\"?>\n", "  \n"};
    for (size_t i = 0; i < 3; i++) {
        tmk_error err = TMK_ERROR_INIT;
        tmk_xliff_reader *r = NULL;
        assert_int_equal(tmk_xliff_reader_new(&r, NULL, &err), TMK_OK);
        int rc = tmk_xliff_reader_feed(r, inputs[i], strlen(inputs[i]), NULL, NULL, &err);
        if (rc == TMK_OK)
            rc = tmk_xliff_reader_finish(r, NULL, NULL, &err);
        assert_int_equal(rc, TMK_EFORMAT);
        assert_null(strstr(err.msg, "damaged"));
        tmk_xliff_reader_free(r);
    }
}

/* ---- the TMX writer checks markup segs (review 7, 18) ----------------------- */

static int add_markup(tmk_tmx_writer *w, const char *seg, tmk_error *err)
{
    tmk_tmx_tuv v[2];
    memset(v, 0, sizeof v);
    v[0].lang = "de";
    v[0].seg = seg;
    v[0].seg_len = strlen(seg);
    v[0].markup = 1;
    v[1].lang = "en";
    v[1].seg = "text";
    v[1].seg_len = 4;
    tmk_tmx_tu tu;
    memset(&tu, 0, sizeof tu);
    tu.tuvs = v;
    tu.ntuvs = 2;
    return tmk_tmx_writer_add(w, &tu, err);
}

static void tmx_writer_checks_markup(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "5 < 6 & 7", "</seg><seg>injected", "a <b>bold</b> c",
        "x <bpt i=\"1\">&lt;b&gt;</bpt>y", "x <ept i=\"1\">&lt;/b&gt;</ept>", "&nbsp;",
        "<ph x=\"1\">a", "<ph x=1/>", "<!-- c -->", "<![CDATA[x]]>",
    };
    static const char *const good[] = {
        "x <bpt i=\"1\">&lt;b&gt;</bpt>y<ept i=\"1\">&lt;/b&gt;</ept>",
        "Sie<ph x=\"1\">&lt;br/&gt;</ph>hier", "a &amp; b &#160; &#xA0; 5 &gt; 4",
        "<it pos=\"begin\">&lt;i&gt;</it>x", "<hi type='b'>bold <sub>s</sub></hi>", "<ph/>",
    };
    for (unsigned verbatim = 0; verbatim < 2; verbatim++) {
        tmk_error err = TMK_ERROR_INIT;
        tmk_buf out = TMK_BUF_INIT;
        tmk_tmx_header h;
        memset(&h, 0, sizeof h);
        h.srclang = "de";
        tmk_tmx_write_options o = TMK_TMX_WRITE_OPTIONS_INIT;
        o.flags = verbatim ? TMK_TMX_VERBATIM : 0;
        tmk_tmx_writer *w = NULL;
        assert_int_equal(tmk_tmx_writer_new(&w, &o, &h, sink_buf, NULL, &out, &err), TMK_OK);
        for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
            if (verbatim && !strncmp(bad[i], "x <", 3))
                continue; /* a lone bpt or ept: refused in the default mode only */
            size_t len = out.len;
            tmk_error_clear(&err);
            if (add_markup(w, bad[i], &err) != TMK_EINVAL || err.detail != TMK_D_BAD_MARKUP)
                fail_msg("accepted as markup: %s", bad[i]);
            assert_int_equal(out.len, len); /* nothing of the unit written */
        }
        for (size_t i = 0; i < sizeof good / sizeof *good; i++)
            if (add_markup(w, good[i], &err) != TMK_OK)
                fail_msg("refused: %s: %s", good[i], err.msg);
        assert_int_equal(tmk_tmx_writer_finish(w, &err), TMK_OK);
        /* what was written is one well-formed memory: the TMX reader reads it */
        tmk_tmx_reader *r = NULL;
        assert_int_equal(tmk_tmx_reader_new(&r, NULL, NULL, NULL, NULL, NULL, &err), TMK_OK);
        assert_int_equal(tmk_tmx_reader_feed(r, out.data, out.len, &err), TMK_OK);
        assert_int_equal(tmk_tmx_reader_finish(r, &err), TMK_OK);
        tmk_tmx_reader_free(r);
        tmk_tmx_writer_free(w);
        tmk_buf_release(&out);
    }
}

/* ---- library messages name what the library did (review 7, 13) ------------ */

static void messages_name_no_program_options(void **state)
{
    (void)state;
    tmk_error err = TMK_ERROR_INIT;
    tmk_speller *sp = NULL;
    tmk_spell_options o = TMK_SPELL_OPTIONS_INIT;
    const char *dicts[] = {"xx_XX"};
    o.lang = "xx-XX";
    o.dicts = dicts;
    o.ndicts = 1;
    o.no_project_wordlists = 1;
    assert_int_equal(tmk_speller_new(&sp, &o, &err), TMK_ENOTFOUND);
    assert_int_equal(err.detail, TMK_D_NO_DICTIONARY);
    /* no environment variable or option of the tmkit program: the library
     * reads none (tmkit adds its hints on the detail code) */
    assert_null(strstr(err.msg, "DICPATH"));
    assert_null(strstr(err.msg, "-d"));
    assert_non_null(strstr(err.msg, "hunspell-xx-xx"));
    /* a builder refuses a language code that is none */
    tmk_build_options bo = TMK_BUILD_OPTIONS_INIT;
    bo.src_lang = "not a language!!";
    tmk_builder *b = NULL;
    assert_int_equal(tmk_builder_new(&b, &bo, &err), TMK_EINVAL);
    assert_null(b);
    assert_non_null(strstr(err.msg, "not a language code"));
    bo.src_lang = "de-DE";
    bo.tgt_lang = "en_US";
    assert_int_equal(tmk_builder_new(&b, &bo, &err), TMK_OK);
    tmk_builder_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(null_cb_segmenter),
        cmocka_unit_test(null_cb_speller),
        cmocka_unit_test(null_cb_xliff),
        cmocka_unit_test(null_cb_table),
        cmocka_unit_test(finish_tmx_writer),
        cmocka_unit_test(finish_decoder),
        cmocka_unit_test(finish_xliff),
        cmocka_unit_test(finish_tmx_reader),
        cmocka_unit_test(finish_tsv),
        cmocka_unit_test(finish_table),
        cmocka_unit_test(finish_po),
        cmocka_unit_test(finish_segmenter_restarts),
        cmocka_unit_test(error_file_is_owned),
        cmocka_unit_test(error_file_not_set_on_success),
        cmocka_unit_test(error_left_as_found_on_success),
        cmocka_unit_test(decoder_detail_codes),
        cmocka_unit_test(tm_open_writes_nothing),
        cmocka_unit_test(xliff_empty_is_eformat),
        cmocka_unit_test(tmx_writer_checks_markup),
        cmocka_unit_test(messages_name_no_program_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
