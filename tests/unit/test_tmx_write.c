/* Unit tests: the TMX 1.4b writer, language codes, dates. */
#include <config.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "tmkit/tmkit.h"

typedef struct {
    char msgs[8][300];
    size_t idx[8];
    int n;
} warnings;

static int on_warn(void *ud, const tmk_tmx_warning *wn)
{
    warnings *w = ud;
    if (w->n < 8) {
        w->idx[w->n] = wn->tu_index;
        snprintf(w->msgs[w->n], sizeof w->msgs[0], "%s", wn->msg);
    }
    w->n++;
    return 0;
}

static int stop_on_warning(void *ud, const tmk_tmx_warning *wn)
{
    (void)ud;
    (void)wn;
    return 1;
}

/* Write units with the given flags into a memory buffer; returns malloc'ed text. */
static char *write_units(const tmk_tmx_tu *tus, size_t n, unsigned flags, warnings *wn)
{
    char *mem = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&mem, &size);
    assert_non_null(f);
    tmk_tmx_header h = {.srclang = "de_de", .creationdate = 1735689600};
    tmk_error err = TMK_ERROR_INIT;
    tmk_tmx_write_options o = TMK_TMX_WRITE_OPTIONS_INIT;
    o.flags = flags;
    o.file = f;
    tmk_tmx_writer *w;
    assert_int_equal(tmk_tmx_writer_new(&w, &o, &h, NULL, on_warn, wn, &err), TMK_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(tmk_tmx_writer_add(w, &tus[i], &err), TMK_OK);
    assert_int_equal(tmk_tmx_writer_finish(w, &err), TMK_OK);
    tmk_tmx_writer_free(w);
    fclose(f);
    return mem;
}

static void test_tmx_writes_header_with_required_attributes(void **state)
{
    (void)state;
    warnings wn = {0};
    tmk_tmx_tuv v[2] = {{.lang = "de-DE", .seg = "Hallo", .seg_len = 5},
                    {.lang = "en-US", .seg = "Hello", .seg_len = 5}};
    tmk_tmx_tu tu = {.tuvs = v, .ntuvs = 2};
    char *out = write_units(&tu, 1, 0, &wn);
    char expect[1024];
    snprintf(expect, sizeof expect,
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">\n"
             "  <header creationtool=\"tmkit\" creationtoolversion=\"%s\" segtype=\"sentence\" "
             "o-tmf=\"tmkit\" adminlang=\"en-US\" srclang=\"de-DE\" datatype=\"plaintext\" "
             "creationdate=\"20250101T000000Z\"/>\n  <body>\n"
             "    <tu>\n      <tuv xml:lang=\"de-DE\">\n        <seg>Hallo</seg>\n      </tuv>\n"
             "      <tuv xml:lang=\"en-US\">\n        <seg>Hello</seg>\n      </tuv>\n    </tu>\n"
             "  </body>\n</tmx>\n",
             tmk_version());
    assert_string_equal(out, expect);
    assert_int_equal(wn.n, 0);
    free(out);
}

/* segment in -> <seg> content out, default (trimming) mode */
static const struct {
    const char *in;
    size_t len;
    const char *seg;
    int warnings;
} seg_cases[] = {
    {"a<b>&c", 6, "a&lt;b&gt;&amp;c", 0},
    {"  Satz.\t", 8, "Satz.", 0},
    {"\xe3\x80\x80Satz\xe3\x80\x80", 10, "Satz", 0},
    {"say \"x\" 'y'", 11, "say \"x\" 'y'", 0},
    {"bell\x07here", 9, "bellhere", 1},
    {"nul\0here", 8, "nulhere", 1},
    {"a\xef\xbf\xbe" "b\xef\xbf\xbf" "c", 9, "abc", 1},
    {"bad\xff" "byte", 8, "badbyte", 1},
    {"cr\r\nlf", 6, "cr&#13;\nlf", 0},
    {"\xf0\x9d\x90\x80 smp", 8, "\xf0\x9d\x90\x80 smp", 0},
};

static void test_tmx_escapes_and_drops_forbidden_characters(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof seg_cases / sizeof seg_cases[0]; i++) {
        warnings wn = {0};
        tmk_tmx_tuv v[2] = {{.lang = "de-DE", .seg = seg_cases[i].in, .seg_len = seg_cases[i].len},
                        {.lang = "en-US", .seg = "x", .seg_len = 1}};
        tmk_tmx_tu tu = {.tuvs = v, .ntuvs = 2};
        char *out = write_units(&tu, 1, 0, &wn);
        char want[256];
        snprintf(want, sizeof want, "<seg>%s</seg>", seg_cases[i].seg);
        if (!strstr(out, want))
            fail_msg("case %zu: %s not in\n%s", i, want, out);
        assert_int_equal(wn.n, seg_cases[i].warnings);
        if (wn.n)
            assert_int_equal(wn.idx[0], 0);
        free(out);
    }
}

static void test_tmx_verbatim_keeps_spaces_and_one_sided_units(void **state)
{
    (void)state;
    warnings wn = {0};
    tmk_tmx_tuv v[2] = {{.lang = "de-DE", .seg = " Satz \n", .seg_len = 7},
                    {.lang = "en-US", .seg = "", .seg_len = 0}};
    tmk_tmx_tu tu = {.tuvs = v, .ntuvs = 2};
    char *out = write_units(&tu, 1, TMK_TMX_VERBATIM, &wn);
    assert_non_null(strstr(out, "<seg> Satz \n</seg>"));
    assert_non_null(strstr(out, "<seg></seg>"));
    free(out);
    /* default mode: a one-sided unit is not written and is reported */
    out = write_units(&tu, 1, 0, &wn);
    assert_null(strstr(out, "<tu>"));
    assert_int_equal(wn.n, 1);
    assert_non_null(strstr(wn.msgs[0], "two non-empty segments"));
    free(out);
}

static void test_tmx_writes_props_notes_attrs_and_markup(void **state)
{
    (void)state;
    warnings wn = {0};
    tmk_tmx_prop props[] = {{.type = "x-alignment-score", .value = "0.93"},
                            {.type = "file", .value = "a&b"}};
    tmk_tmx_note notes[] = {{.text = "checked <ok>"}};
    tmk_tmx_attr tattrs[] = {{"changedate", "20240101T120000Z"}, {"bogus", "1"}};
    const char *l2 = "<bpt i=\"1\">&lt;b&gt;</bpt>Bold<ept i=\"1\">&lt;/b&gt;</ept>";
    tmk_tmx_tuv v[2] = {
        {.lang = "EN_us", .seg = l2, .seg_len = strlen(l2), .markup = 1},
        {.lang = "de-de", .seg = "Fett", .seg_len = 4}};
    tmk_tmx_tu tu = {.tuid = "t 1", .attrs = tattrs, .nattrs = 2, .props = props, .nprops = 2,
                 .notes = notes, .nnotes = 1, .tuvs = v, .ntuvs = 2};
    char *out = write_units(&tu, 1, 0, &wn);
    assert_non_null(strstr(out, "<tu tuid=\"t 1\" changedate=\"20240101T120000Z\">\n"
                                "      <note>checked &lt;ok&gt;</note>\n"
                                "      <prop type=\"x-alignment-score\">0.93</prop>\n"
                                "      <prop type=\"x-file\">a&amp;b</prop>\n"
                                "      <tuv xml:lang=\"en-US\">\n"
                                "        <seg><bpt i=\"1\">&lt;b&gt;</bpt>Bold<ept i=\"1\">"
                                "&lt;/b&gt;</ept></seg>"));
    assert_non_null(strstr(out, "<tuv xml:lang=\"de-DE\">"));
    assert_null(strstr(out, "bogus"));
    assert_int_equal(wn.n, 2); /* bogus dropped, file prefixed */
    free(out);
}

static char *header_of_at(long long creationdate, long long creation_time, size_t opt_size)
{
    char *mem = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&mem, &size);
    tmk_tmx_header h = {.srclang = "en", .creationdate = creationdate};
    tmk_tmx_write_options o = TMK_TMX_WRITE_OPTIONS_INIT;
    o.file = f;
    o.creation_time = creation_time;
    o.size = opt_size;
    tmk_tmx_writer *w;
    assert_int_equal(tmk_tmx_writer_new(&w, &o, &h, NULL, NULL, NULL, NULL), TMK_OK);
    assert_int_equal(tmk_tmx_writer_finish(w, NULL), TMK_OK);
    tmk_tmx_writer_free(w);
    fclose(f);
    return mem;
}

static char *header_of(long long creationdate, long long creation_time)
{
    return header_of_at(creationdate, creation_time, sizeof(tmk_tmx_write_options));
}

/* Whether mem's creationdate lies between the clock before and after. */
static void assert_dated_now(const char *mem, long long before, long long after)
{
    const char *at = strstr(mem, "creationdate=\"");
    assert_non_null(at);
    char lo[17], hi[17];
    tmk_tmx_date(before, lo);
    tmk_tmx_date(after, hi);
    at += strlen("creationdate=\"");
    assert_true(strncmp(at, lo, 16) >= 0 && strncmp(at, hi, 16) <= 0);
}

/* The creation date of -1 is the options' creation_time (tmkit passes
 * SOURCE_DATE_EPOCH), else the clock: the library reads no environment and
 * keeps no process-wide clock.  Options from before the field (a smaller
 * size) get the clock. */
static void test_tmx_date_uses_the_creation_time_of_the_options(void **state)
{
    (void)state;
    char d[17];
    tmk_tmx_date(0, d);
    assert_string_equal(d, "19700101T000000Z");
    tmk_tmx_date(951782400 + 86399, d); /* 2000-02-29 23:59:59 */
    assert_string_equal(d, "20000229T235959Z");
    setenv("SOURCE_DATE_EPOCH", "951782400", 1); /* ignored by the library */
    char *mem = header_of(-1, 1735689600);
    assert_non_null(strstr(mem, "creationdate=\"20250101T000000Z\""));
    free(mem);
    mem = header_of(0, 1735689600); /* a date given in the header wins */
    assert_non_null(strstr(mem, "creationdate=\"19700101T000000Z\""));
    free(mem);
    mem = header_of(TMK_TMX_DATE_NONE, 1735689600); /* none wanted: none */
    assert_null(strstr(mem, "creationdate="));
    free(mem);
    long long before = (long long)time(NULL);
    mem = header_of(-1, -1); /* the clock */
    long long after = (long long)time(NULL);
    assert_dated_now(mem, before, after);
    free(mem);
    before = (long long)time(NULL);
    mem = header_of_at(-1, 1735689600, offsetof(tmk_tmx_write_options, creation_time));
    after = (long long)time(NULL);
    assert_dated_now(mem, before, after);
    free(mem);
    unsetenv("SOURCE_DATE_EPOCH");
}

static const struct {
    const char *in, *out;
    int valid;
} lang_cases[] = {
    {"de_de", "de-DE", 0},       {"EN", "en", 1},          {"en-us", "en-US", 1},
    {"zh-hant-tw", "zh-Hant-TW", 1}, {"eN-uS", "en-US", 1}, {"*all*", "*all*", 0},
    {"x-klingon", "x-klingon", 1}, {"es-419", "es-419", 1}, {"de-CH-1996", "de-CH-1996", 1},
    {"sr-latn-rs", "sr-Latn-RS", 1}, {"en-US-x-twain", "en-US-x-twain", 1},
    {"", "", 0}, {"e", "e", 0}, {"en--US", "en--US", 0}, {"english language", "english language", 0},
    {"en-", "en-", 0},
};

static void test_tmx_lang_codes_canonical_and_valid(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof lang_cases / sizeof lang_cases[0]; i++) {
        char *c = NULL;
        assert_int_equal(tmk_lang_canonical(&c, lang_cases[i].in, NULL), TMK_OK);
        assert_non_null(c);
        assert_string_equal(c, lang_cases[i].out);
        if (tmk_lang_valid(lang_cases[i].in) != lang_cases[i].valid)
            fail_msg("tmk_lang_valid(\"%s\") != %d", lang_cases[i].in, lang_cases[i].valid);
        free(c);
    }
    /* NULL is an error with its code, not a NULL result that could also
     * mean out of memory (rule 2) */
    char *c = (char *)"x";
    tmk_error err = TMK_ERROR_INIT;
    assert_int_equal(tmk_lang_canonical(&c, NULL, &err), TMK_EINVAL);
    assert_int_equal(err.code, TMK_EINVAL);
    assert_null(c);
}

/* The output of every mode validates against the TMX 1.4b DTD (xmllint). */
static void test_tmx_output_is_dtd_valid(void **state)
{
    (void)state;
    const char *shared = getenv("SHARED_DIR");
    char dtd[4096];
    snprintf(dtd, sizeof dtd, "%s/bench/tmx/tmx14.dtd", shared ? shared : "../shared");
    if (access(dtd, R_OK) != 0 || system("xmllint --version >/dev/null 2>&1") != 0) {
        print_message("skip: no %s or no xmllint\n", dtd);
        skip();
    }
    tmk_tmx_prop props[] = {{.type = "x-alignment-score", .value = "0.5"}};
    tmk_tmx_note notes[] = {{.text = "n", .lang = "en"}};
    tmk_tmx_tuv v[2] = {{.lang = "de-DE", .seg = "Ä\x01 & <ph x=\"1\"/>", .seg_len = 16,
                     .props = props, .nprops = 1, .notes = notes, .nnotes = 1},
                    {.lang = "en-US", .seg = "x<ph x=\"1\">&amp;</ph>", .seg_len = 21,
                     .markup = 1}};
    tmk_tmx_tu tu = {.tuid = "1", .props = props, .nprops = 1, .tuvs = v, .ntuvs = 2};
    for (unsigned flags = 0; flags <= TMK_TMX_VERBATIM; flags++) {
        warnings wn = {0};
        char *out = write_units(&tu, 1, flags, &wn);
        char path[] = "/tmp/tmkit-tmxw-XXXXXX";
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, out, strlen(out)), (ssize_t)strlen(out));
        close(fd);
        char cmd[8192];
        snprintf(cmd, sizeof cmd, "xmllint --noout --nonet --dtdvalid '%s' '%s'", dtd, path);
        int rc = system(cmd);
        unlink(path);
        if (rc != 0)
            fail_msg("not DTD-valid (flags %u):\n%s", flags, out);
        free(out);
    }
}

/* ---- the API contract: sink, callbacks that stop, options that grow ---- */

static int sink_to_buf(void *ud, const char *data, size_t len)
{
    return tmk_buf_add(ud, data, len);
}

/* sink_to_buf that takes `left` calls, then asks to stop (returning 1,
 * or the code in *code when it is negative). */
typedef struct {
    tmk_buf b;
    int left;
    int code;
} limited_sink;

static int sink_limited(void *ud, const char *data, size_t len)
{
    limited_sink *l = ud;
    if (l->left-- <= 0)
        return l->code ? l->code : 1;
    return tmk_buf_add(&l->b, data, len);
}

/* One ud for both callbacks: the bytes first (sink_to_buf takes it as a
 * tmk_buf *), then the warnings. */
typedef struct {
    tmk_buf b;
    warnings wn;
} sink_and_warnings;

static int warn_into(void *ud, const tmk_tmx_warning *wn)
{
    return on_warn(&((sink_and_warnings *)ud)->wn, wn);
}

static const tmk_tmx_header sink_header = {.srclang = "de-DE", .creationdate = 1735689600};

/* three units: the second has a forbidden character (a warning) and the
 * third only one segment (not written by default: a warning) */
static const tmk_tmx_tu *sink_units(void)
{
    static const tmk_tmx_tuv v[6] = {{.lang = "de-DE", .seg = " Hallo ", .seg_len = 7},
                                 {.lang = "en-US", .seg = "Hello & <bye>", .seg_len = 13},
                                 {.lang = "de-DE", .seg = "a\x01z", .seg_len = 3},
                                 {.lang = "en-US", .seg = "b", .seg_len = 1},
                                 {.lang = "de-DE", .seg = "nur", .seg_len = 3},
                                 {.lang = "en-US", .seg = "", .seg_len = 0}};
    static const tmk_tmx_tu tus[3] = {{.tuvs = v, .ntuvs = 2},
                                  {.tuvs = v + 2, .ntuvs = 2},
                                  {.tuvs = v + 4, .ntuvs = 2}};
    return tus;
}

static void test_tmx_sink_writer_gives_the_file_writers_bytes(void **state)
{
    (void)state;
    const tmk_tmx_tu *tus = sink_units();
    for (unsigned flags = 0; flags <= TMK_TMX_VERBATIM; flags += TMK_TMX_VERBATIM) {
        char *mem = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&mem, &size);
        assert_non_null(f);
        tmk_tmx_write_options o = TMK_TMX_WRITE_OPTIONS_INIT;
        o.flags = flags;
        o.file = f;
        warnings wf = {0};
        tmk_error err = TMK_ERROR_INIT;
        tmk_tmx_writer *w;
        assert_int_equal(tmk_tmx_writer_new(&w, &o, &sink_header, NULL, on_warn, &wf, &err),
                         TMK_OK);
        for (int i = 0; i < 3; i++)
            assert_int_equal(tmk_tmx_writer_add(w, &tus[i], &err), TMK_OK);
        assert_int_equal(tmk_tmx_writer_finish(w, &err), TMK_OK);
        tmk_tmx_writer_free(w);
        fclose(f);

        /* the same through a sink; a file in the options is not used then */
        FILE *unused = tmpfile();
        assert_non_null(unused);
        o.file = unused;
        sink_and_warnings sw;
        memset(&sw, 0, sizeof sw);
        tmk_buf_init(&sw.b);
        assert_int_equal(tmk_tmx_writer_new(&w, &o, &sink_header, sink_to_buf, warn_into, &sw,
                                            &err),
                         TMK_OK);
        assert_true(sw.b.len > 0); /* the header at once */
        for (int i = 0; i < 3; i++)
            assert_int_equal(tmk_tmx_writer_add(w, &tus[i], &err), TMK_OK);
        assert_int_equal(tmk_tmx_writer_finish(w, &err), TMK_OK);
        tmk_tmx_writer_free(w);
        assert_int_equal(ftell(unused), 0);
        fclose(unused);

        assert_int_equal(sw.b.len, size);
        assert_memory_equal(sw.b.data, mem, size);
        assert_non_null(strstr(sw.b.data, "Hello &amp; &lt;bye&gt;"));
        assert_int_equal(sw.wn.n, wf.n);
        assert_int_equal(sw.wn.n, flags ? 1 : 2);
        for (int i = 0; i < sw.wn.n; i++)
            assert_string_equal(sw.wn.msgs[i], wf.msgs[i]);
        tmk_buf_release(&sw.b);
        free(mem);
    }
}

static void test_tmx_writer_stops_when_the_sink_or_warning_callback_says_so(void **state)
{
    (void)state;
    const tmk_tmx_tu *tus = sink_units();
    tmk_error err = TMK_ERROR_INIT;
    tmk_tmx_writer *w;
    /* a sink that refuses the header: no writer */
    limited_sink l = {TMK_BUF_INIT, 0, 0};
    assert_int_equal(tmk_tmx_writer_new(&w, NULL, &sink_header, sink_limited, NULL, &l, &err),
                     TMK_ECANCELED);
    assert_null(w);
    assert_int_equal(err.code, TMK_ECANCELED);
    /* one that takes the header and one unit; its own negative code is kept */
    l.left = 2;
    l.code = TMK_EIO;
    assert_int_equal(tmk_tmx_writer_new(&w, NULL, &sink_header, sink_limited, NULL, &l, &err),
                     TMK_OK);
    assert_int_equal(tmk_tmx_writer_add(w, &tus[0], &err), TMK_OK);
    assert_int_equal(tmk_tmx_writer_add(w, &tus[1], &err), TMK_EIO);
    assert_int_equal(tmk_tmx_writer_add(w, &tus[0], &err), TMK_EIO); /* stays failed */
    assert_int_equal(tmk_tmx_writer_finish(w, &err), TMK_EIO);
    tmk_tmx_writer_free(w);
    tmk_buf_release(&l.b);
    /* a warning callback that returns non-zero: that unit is not written */
    tmk_buf b = TMK_BUF_INIT;
    assert_int_equal(tmk_tmx_writer_new(&w, NULL, &sink_header, sink_to_buf, stop_on_warning, &b,
                                        &err),
                     TMK_OK);
    assert_int_equal(tmk_tmx_writer_add(w, &tus[0], &err), TMK_OK);
    size_t before = b.len;
    assert_int_equal(tmk_tmx_writer_add(w, &tus[1], &err), TMK_ECANCELED);
    assert_int_equal(err.code, TMK_ECANCELED);
    assert_int_equal(b.len, before);
    assert_int_equal(tmk_tmx_writer_finish(w, &err), TMK_ECANCELED);
    assert_null(strstr(b.data, "</tmx>"));
    tmk_tmx_writer_free(w);
    tmk_buf_release(&b);
    /* neither a sink nor a file */
    assert_int_equal(tmk_tmx_writer_new(&w, NULL, &sink_header, NULL, NULL, NULL, &err),
                     TMK_EINVAL);
    assert_null(w);
}

/* tmkit.h rule 5: the library reads only the members opt->size covers; a
 * program built when the struct was smaller gets the defaults for the rest. */
static void test_tmx_write_options_past_size_are_defaults(void **state)
{
    (void)state;
    const tmk_tmx_tu *tus = sink_units();
    tmk_error err = TMK_ERROR_INIT;
    for (int small = 0; small < 2; small++) {
        tmk_tmx_write_options o = TMK_TMX_WRITE_OPTIONS_INIT;
        o.flags = TMK_TMX_VERBATIM;
        if (small) /* as built when the struct ended before flags: they are not read */
            o.size = offsetof(tmk_tmx_write_options, flags);
        tmk_buf b = TMK_BUF_INIT;
        tmk_tmx_writer *w;
        assert_int_equal(tmk_tmx_writer_new(&w, &o, &sink_header, sink_to_buf, NULL, &b, &err),
                         TMK_OK);
        assert_int_equal(tmk_tmx_writer_add(w, &tus[0], &err), TMK_OK);
        assert_int_equal(tmk_tmx_writer_finish(w, &err), TMK_OK);
        tmk_tmx_writer_free(w);
        /* the default trims the segment, VERBATIM keeps " Hallo " */
        assert_non_null(strstr(b.data, small ? "<seg>Hallo</seg>" : "<seg> Hallo </seg>"));
        tmk_buf_release(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tmx_writes_header_with_required_attributes),
        cmocka_unit_test(test_tmx_escapes_and_drops_forbidden_characters),
        cmocka_unit_test(test_tmx_verbatim_keeps_spaces_and_one_sided_units),
        cmocka_unit_test(test_tmx_writes_props_notes_attrs_and_markup),
        cmocka_unit_test(test_tmx_date_uses_the_creation_time_of_the_options),
        cmocka_unit_test(test_tmx_lang_codes_canonical_and_valid),
        cmocka_unit_test(test_tmx_output_is_dtd_valid),
        cmocka_unit_test(test_tmx_sink_writer_gives_the_file_writers_bytes),
        cmocka_unit_test(test_tmx_writer_stops_when_the_sink_or_warning_callback_says_so),
        cmocka_unit_test(test_tmx_write_options_past_size_are_defaults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
