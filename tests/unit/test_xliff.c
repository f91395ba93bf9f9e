/* Unit tests: the XLIFF reader (tmkit/xliff.h).  Each test gives the
 * markup it is about; every document is also fed in 1-byte and 7-byte
 * chunks, which must give the same pairs. */
#include <config.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tmkit/tmkit.h"

/* every pair as "status|unit/segment|source|target|markup" lines */
static int log_pair(void *ud, const tmk_xliff_pair *p)
{
    tmk_buf *b = ud;
    tmk_buf_printf(b, "%s|%s/%s|", tmk_xliff_status_name(p->status),
                   p->unit_id ? p->unit_id : "-", p->segment_id ? p->segment_id : "-");
    tmk_buf_add(b, p->source, p->source_len);
    tmk_buf_addch(b, '|');
    tmk_buf_add(b, p->target, p->target_len);
    tmk_buf_printf(b, "|%d%d%s\n", p->source_markup, p->target_markup, p->translate ? "" : "|locked");
    return 0;
}

static int read_chunked(const char *doc, size_t chunk, tmk_buf *out, tmk_error *err)
{
    tmk_xliff_reader *r = NULL;
    int rc = tmk_xliff_reader_new(&r, NULL, err);
    assert_int_equal(rc, TMK_OK);
    size_t len = strlen(doc);
    for (size_t off = 0; off < len && rc == TMK_OK; off += chunk)
        rc = tmk_xliff_reader_feed(r, doc + off, len - off < chunk ? len - off : chunk, log_pair, out,
                            err);
    if (rc == TMK_OK)
        rc = tmk_xliff_reader_finish(r, log_pair, out, err);
    tmk_xliff_reader_free(r);
    return rc;
}

/* Read doc whole, in 1-byte and in 7-byte chunks: same code, same pairs. */
static int read_doc(const char *doc, tmk_buf *out, tmk_error *err)
{
    int rc = read_chunked(doc, strlen(doc) + 1, out, err);
    static const size_t chunks[] = {1, 7};
    for (size_t i = 0; i < 2; i++) {
        tmk_buf b = TMK_BUF_INIT;
        tmk_error e = TMK_ERROR_INIT;
        assert_int_equal(read_chunked(doc, chunks[i], &b, &e), rc);
        assert_string_equal(b.data, out->data);
        assert_int_equal(e.line, err->line);
        tmk_buf_release(&b);
    }
    return rc;
}

#define X12 "<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\">" \
            "<file source-language=\"de\" target-language=\"en\" original=\"a\" datatype=\"plaintext\"><body>"
#define X12_END "</body></file></xliff>"

static void test_xliff12_states_map_to_one_scale(void **state)
{
    (void)state;
    const char *doc =
        X12 "<trans-unit id=\"1\"><source>A</source><target state=\"translated\">a</target></trans-unit>"
        "<trans-unit id=\"2\"><source>B</source></trans-unit>"
        "<trans-unit id=\"3\"><source>C</source><target state=\"new\">c</target></trans-unit>"
        "<trans-unit id=\"4\"><source>D</source><target state=\"needs-review-translation\">d</target></trans-unit>"
        "<trans-unit id=\"5\" approved=\"yes\"><source>E</source><target>e</target></trans-unit>"
        "<trans-unit id=\"6\"><source>F</source><target state=\"final\">f</target></trans-unit>"
        "<trans-unit id=\"7\"><source>G</source><target state-qualifier=\"rejected-grammar\">g</target></trans-unit>"
        "<trans-unit id=\"8\"><source>H</source><target> </target></trans-unit>"
        "<trans-unit id=\"9\" translate=\"no\"><source>I</source><target>i</target></trans-unit>"
        "<trans-unit id=\"10\"><source>J</source><target>j</target>"
        "<alt-trans><source>K</source><target>k</target></alt-trans></trans-unit>"
        "<trans-unit id=\"11\"><source>L</source><target>L</target></trans-unit>"
        "<trans-unit id=\"12\"><source>M</source><target state=\"translated\">M</target></trans-unit>"
        X12_END;
    tmk_buf b = TMK_BUF_INIT;
    tmk_error e = TMK_ERROR_INIT;
    assert_int_equal(read_doc(doc, &b, &e), TMK_OK);
    assert_string_equal(b.data, "translated|1/-|A|a|00\n"
                                "untranslated|2/-|B||00\n"
                                "untranslated|3/-|C|c|00\n"
                                "draft|4/-|D|d|00\n"
                                "approved|5/-|E|e|00\n"
                                "approved|6/-|F|f|00\n"
                                "rejected|7/-|G|g|00\n"
                                "untranslated|8/-|H||00\n"
                                "translated|9/-|I|i|00|locked\n"
                                "translated|10/-|J|j|00\n"
                                "untranslated|11/-|L|L|00\n"
                                "translated|12/-|M|M|00\n");
    tmk_buf_release(&b);
}

static void test_xliff12_inline_codes_become_tmx_markup(void **state)
{
    (void)state;
    const char *doc =
        X12 "<trans-unit id=\"1\"><source>a <g id=\"1\">b</g> <x id=\"2\"/> &amp; "
        "<bx id=\"3\" rid=\"9\"/>c<ex id=\"4\" rid=\"9\"/> <bx id=\"5\"/>d "
        "<bpt id=\"6\">&lt;i&gt;</bpt>e<ept id=\"6\">&lt;/i&gt;</ept> <mrk mtype=\"term\">f</mrk></source>"
        "<target>A</target></trans-unit>" X12_END;
    tmk_buf b = TMK_BUF_INIT;
    tmk_error e = TMK_ERROR_INIT;
    assert_int_equal(read_doc(doc, &b, &e), TMK_OK);
    assert_string_equal(
        b.data,
        "translated|1/-|a <bpt i=\"1\" x=\"1\">&lt;g id=\"1\"&gt;</bpt>b<ept i=\"1\">&lt;/g&gt;</ept> "
        "<ph x=\"2\">&lt;x id=\"2\"/&gt;</ph> &amp; "
        "<bpt i=\"2\" x=\"3\">&lt;bx id=\"3\" rid=\"9\"/&gt;</bpt>c<ept i=\"2\">&lt;ex id=\"4\" "
        "rid=\"9\"/&gt;</ept> <it pos=\"begin\" x=\"5\">&lt;bx id=\"5\"/&gt;</it>d "
        "<bpt i=\"3\" x=\"6\">&lt;i&gt;</bpt>e<ept i=\"3\">&lt;/i&gt;</ept> f|A|10\n");
    tmk_buf_release(&b);
}

#define SDL "<xliff xmlns:sdl=\"http://sdl.com/FileTypes/SdlXliff/1.0\" " \
            "xmlns=\"urn:oasis:names:tc:xliff:document:1.2\" version=\"1.2\">" \
            "<file source-language=\"de\" target-language=\"en\" original=\"a\" datatype=\"x\"><body>"

static void test_sdlxliff_segments_pair_by_mid_with_their_conf(void **state)
{
    (void)state;
    const char *doc =
        SDL "<trans-unit id=\"t\"><source>Eins. Zwei. Drei.</source><seg-source>"
        "<mrk mtype=\"seg\" mid=\"1\">Eins.</mrk> <g id=\"4\"><mrk mtype=\"seg\" mid=\"2\">Zwei.</mrk></g> "
        "<mrk mtype=\"seg\" mid=\"3\">Drei.</mrk></seg-source>"
        "<target><mrk mtype=\"seg\" mid=\"3\">Three.</mrk> <g id=\"4\"><mrk mtype=\"seg\" mid=\"2\">Two.</mrk></g> "
        "<mrk mtype=\"seg\" mid=\"1\">One.</mrk></target>"
        "<sdl:seg-defs><sdl:seg id=\"1\" conf=\"ApprovedSignOff\"/><sdl:seg id=\"2\" "
        "conf=\"RejectedSignOff\"/><sdl:seg id=\"3\"/></sdl:seg-defs></trans-unit>" X12_END;
    tmk_buf b = TMK_BUF_INIT;
    tmk_error e = TMK_ERROR_INIT;
    assert_int_equal(read_doc(doc, &b, &e), TMK_OK);
    assert_string_equal(b.data, "approved|t/1|Eins.|One.|00\n"
                                "rejected|t/2|Zwei.|Two.|00\n"
                                "draft|t/3|Drei.|Three.|00\n");
    tmk_buf_release(&b);
}

static void test_sdlxliff_mismatched_segments_name_the_unit(void **state)
{
    (void)state;
    const char *doc =
        SDL "\n<trans-unit id=\"u9\"><source>A. B.</source><seg-source><mrk mtype=\"seg\" mid=\"1\">A.</mrk>"
        "<mrk mtype=\"seg\" mid=\"2\">B.</mrk></seg-source><target><mrk mtype=\"seg\" mid=\"1\">A.</mrk>"
        "<mrk mtype=\"seg\" mid=\"7\">B.</mrk></target></trans-unit>" X12_END;
    tmk_buf b = TMK_BUF_INIT;
    tmk_error e = TMK_ERROR_INIT;
    assert_int_equal(read_doc(doc, &b, &e), TMK_ESYNTAX);
    assert_int_equal(e.line, 2);
    assert_non_null(strstr(e.msg, "unit \"u9\""));
    assert_non_null(strstr(e.msg, "mid=\"2\""));
    assert_string_equal(b.data, "");
    tmk_buf_release(&b);
}

static void test_target_segments_without_seg_source(void **state)
{
    (void)state;
    tmk_buf b = TMK_BUF_INIT;
    tmk_error e = TMK_ERROR_INIT;
    assert_int_equal(read_doc(SDL "<trans-unit id=\"1\"><source>A.</source><target><mrk "
                                  "mtype=\"seg\" mid=\"1\">a.</mrk></target></trans-unit>" X12_END,
                              &b, &e),
                     TMK_OK);
    assert_string_equal(b.data, "translated|1/-|A.|a.|00\n");
    tmk_buf_reset(&b);
    assert_int_equal(read_doc(SDL "<trans-unit id=\"2\"><source>A. B.</source><target><mrk "
                                  "mtype=\"seg\" mid=\"1\">a.</mrk><mrk mtype=\"seg\" "
                                  "mid=\"2\">b.</mrk></target></trans-unit>" X12_END,
                              &b, &e),
                     TMK_ESYNTAX);
    assert_non_null(strstr(e.msg, "unit \"2\""));
    tmk_buf_release(&b);
}

/* Trados tracked changes: the deleted text is not in the segment (changes
 * read as accepted), the added text is. */
static void test_sdlxliff_deleted_text_left_out(void **state)
{
    (void)state;
    const char *doc =
        SDL "<trans-unit id=\"t1\"><source>Der Vertrag endet.</source><seg-source><mrk mtype=\"seg\" "
        "mid=\"1\">Der <mrk mtype=\"x-sdl-deleted\" sdl:revid=\"r0\">alte </mrk>Vertrag endet.</mrk>"
        "</seg-source><target><mrk mtype=\"seg\" mid=\"1\">The <mrk mtype=\"x-sdl-deleted\" "
        "sdl:revid=\"r1\">treaty<g id=\"5\">x</g></mrk><mrk mtype=\"x-sdl-added\" sdl:revid=\"r2\">"
        "contract</mrk> ends.</mrk></target><sdl:seg-defs><sdl:seg id=\"1\" "
        "conf=\"ApprovedTranslation\"/></sdl:seg-defs></trans-unit>"
        "<trans-unit id=\"t2\"><source>Ja</source><target><mrk mtype=\"x-sdl-deleted\">Yes</mrk>"
        "</target></trans-unit>" X12_END;
    tmk_buf b = TMK_BUF_INIT;
    tmk_error e = TMK_ERROR_INIT;
    assert_int_equal(read_doc(doc, &b, &e), TMK_OK);
    assert_string_equal(b.data, "approved|t1/1|Der Vertrag endet.|The contract ends.|00\n"
                                "untranslated|t2/-|Ja||00\n");
    tmk_buf_release(&b);
}

/* Without xml:space="preserve" white space is layout: a run is one space,
 * none at the ends; with it (inherited, or on an inline element) it is kept. */
static void test_white_space_collapses_unless_preserved(void **state)
{
    (void)state;
    const char *doc =
        X12 "<trans-unit id=\"1\"><source>\n   Ein langer\n          Satz. </source>"
        "<target state=\"translated\">A\tlong\n          <x id=\"1\"/>  sentence.\n</target></trans-unit>"
        "<trans-unit id=\"2\" xml:space=\"preserve\"><source> a\n  b</source>"
        "<target state=\"translated\"> c\n  d</target></trans-unit>"
        "<trans-unit id=\"3\"><source>e  <g id=\"1\" xml:space=\"preserve\">f  g</g>  h </source>"
        "<target state=\"translated\">i</target></trans-unit>"
        "<trans-unit id=\"4\"><source>\n  </source><target state=\"translated\">x</target></trans-unit>"
        X12_END;
    tmk_buf b = TMK_BUF_INIT;
    tmk_error e = TMK_ERROR_INIT;
    assert_int_equal(read_doc(doc, &b, &e), TMK_OK);
    assert_string_equal(
        b.data,
        "translated|1/-|Ein langer Satz.|A long <ph x=\"1\">&lt;x id=\"1\"/&gt;</ph> sentence.|01\n"
        "translated|2/-| a\n  b| c\n  d|00\n"
        "translated|3/-|e <bpt i=\"1\" x=\"1\">&lt;g id=\"1\" space=\"preserve\"&gt;</bpt>f  g"
        "<ept i=\"1\">&lt;/g&gt;</ept> h|i|10\n"
        "untranslated|4/-||x|00\n");
    tmk_buf_release(&b);
}

/* A target of inline codes alone (no text) is no translation. */
static void test_tags_only_target_is_untranslated(void **state)
{
    (void)state;
    const char *doc =
        X12 "<trans-unit id=\"1\"><source>Hallo <x id=\"1\"/></source>"
        "<target state=\"translated\"><x id=\"1\"/></target></trans-unit>"
        "<trans-unit id=\"2\"><source>Hallo <x id=\"1\"/></source>"
        "<target state=\"translated\"> <g id=\"2\"> </g></target></trans-unit>"
        "<trans-unit id=\"3\"><source>Hallo <x id=\"1\"/></source>"
        "<target state=\"translated\">Hello <x id=\"1\"/></target></trans-unit>" X12_END;
    tmk_buf b = TMK_BUF_INIT;
    tmk_error e = TMK_ERROR_INIT;
    assert_int_equal(read_doc(doc, &b, &e), TMK_OK);
    assert_string_equal(
        b.data,
        "untranslated|1/-|Hallo <ph x=\"1\">&lt;x id=\"1\"/&gt;</ph>|<ph x=\"1\">&lt;x id=\"1\"/&gt;</ph>|11\n"
        "untranslated|2/-|Hallo <ph x=\"1\">&lt;x id=\"1\"/&gt;</ph>|<bpt i=\"1\" x=\"2\">&lt;g id=\"2\"&gt;"
        "</bpt> <ept i=\"1\">&lt;/g&gt;</ept>|11\n"
        "translated|3/-|Hallo <ph x=\"1\">&lt;x id=\"1\"/&gt;</ph>|Hello <ph x=\"1\">&lt;x id=\"1\"/&gt;</ph>|11\n");
    tmk_buf_release(&b);
}

/* A single-byte encoding expat does not know is read through iconv; one
 * that cannot be read says so and how to convert it (not "damaged"). */
static void test_windows_1252_and_unknown_encodings(void **state)
{
    (void)state;
#define ENCDOC(e, txt) "<?xml version=\"1.0\" encoding=\"" e "\"?>\n<xliff version=\"1.2\"><file " \
    "source-language=\"de\" target-language=\"en\"><body><trans-unit id=\"1\"><source>" txt \
    "</source><target state=\"translated\">street</target></trans-unit></body></file></xliff>"
    tmk_buf b = TMK_BUF_INIT;
    tmk_error e = TMK_ERROR_INIT;
    assert_int_equal(read_doc(ENCDOC("windows-1252", "Stra\xdf" "e \x80"), &b, &e), TMK_OK);
    assert_string_equal(b.data, "translated|1/-|Stra\xc3\x9f" "e \xe2\x82\xac|street|00\n");
    tmk_buf_reset(&b);
    assert_int_equal(read_doc(ENCDOC("ISO-8859-15", "\xa4"), &b, &e), TMK_OK);
    assert_string_equal(b.data, "translated|1/-|\xe2\x82\xac|street|00\n");
    tmk_buf_reset(&b);
    assert_int_equal(read_doc(ENCDOC("EUC-JP", "a"), &b, &e), TMK_EENCODING);
    assert_non_null(strstr(e.msg, "\"EUC-JP\""));
    assert_non_null(strstr(e.msg, "iconv -f EUC-JP -t UTF-8"));
    assert_null(strstr(e.msg, "damaged"));
    assert_int_equal(read_doc(ENCDOC("x-no-such-encoding", "a"), &b, &e), TMK_EENCODING);
    assert_non_null(strstr(e.msg, "does not know"));
    assert_int_equal(read_doc(ENCDOC("windows-1252", "a\x81"), &b, &e), TMK_ESYNTAX);
    assert_non_null(strstr(e.msg, "\"windows-1252\""));
    assert_int_equal(e.line, 2);
    assert_string_equal(b.data, "");
    tmk_buf_release(&b);
#undef ENCDOC
}

static void test_mqxliff_status_on_the_unit(void **state)
{
    (void)state;
    const char *doc =
        "<xliff xmlns=\"urn:oasis:names:tc:xliff:document:1.2\" xmlns:mq=\"MQXliff\" version=\"1.2\">"
        "<file source-language=\"en\" target-language=\"de\" original=\"a\" datatype=\"x\"><body>"
        "<trans-unit id=\"1\" mq:status=\"ManuallyConfirmed\"><source>a</source><target>b</target></trans-unit>"
        "<trans-unit id=\"2\" mq:status=\"Reviewer1Confirmed\"><source>a</source><target>b</target></trans-unit>"
        "<trans-unit id=\"3\" mq:status=\"Pretranslated\"><source>a</source><target>b</target></trans-unit>"
        "<trans-unit id=\"4\" mq:status=\"Rejected\"><source>a</source><target>b</target></trans-unit>"
        "<trans-unit id=\"5\" mq:status=\"NotStarted\"><source>a</source><target>b</target></trans-unit>"
        X12_END;
    tmk_buf b = TMK_BUF_INIT;
    tmk_error e = TMK_ERROR_INIT;
    assert_int_equal(read_doc(doc, &b, &e), TMK_OK);
    assert_string_equal(b.data, "translated|1/-|a|b|00\napproved|2/-|a|b|00\ndraft|3/-|a|b|00\n"
                                "rejected|4/-|a|b|00\nuntranslated|5/-|a|b|00\n");
    tmk_buf_release(&b);
}

static void test_xliff20_segments_and_codes(void **state)
{
    (void)state;
    const char *doc =
        "<xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" version=\"2.0\" srcLang=\"fr\" "
        "trgLang=\"es\"><file id=\"f\"><unit id=\"u\"><originalData><data id=\"d\">x</data></originalData>"
        "<segment id=\"s1\" state=\"reviewed\"><source><pc id=\"1\">a</pc><cp hex=\"e9\"/></source>"
        "<target><pc id=\"1\">b</pc></target></segment><ignorable><source> </source></ignorable>"
        "<segment id=\"s2\"><source><sc id=\"2\"/>c<ec startRef=\"2\"/><ec id=\"3\" isolated=\"yes\"/>"
        "<sm id=\"m\"/>d<em startRef=\"m\"/></source><target>e</target></segment>"
        "<segment id=\"s3\" state=\"initial\"><source>f</source><target>g</target></segment>"
        "</unit></file></xliff>";
    tmk_buf b = TMK_BUF_INIT;
    tmk_error e = TMK_ERROR_INIT;
    assert_int_equal(read_doc(doc, &b, &e), TMK_OK);
    assert_string_equal(
        b.data,
        "approved|u/s1|<bpt i=\"1\" x=\"1\">&lt;pc id=\"1\"&gt;</bpt>a<ept i=\"1\">&lt;/pc&gt;</ept>\xc3\xa9|"
        "<bpt i=\"1\" x=\"1\">&lt;pc id=\"1\"&gt;</bpt>b<ept i=\"1\">&lt;/pc&gt;</ept>|11\n"
        "translated|u/s2|<bpt i=\"1\" x=\"2\">&lt;sc id=\"2\"/&gt;</bpt>c<ept i=\"1\">&lt;ec "
        "startRef=\"2\"/&gt;</ept><it pos=\"end\" x=\"3\">&lt;ec id=\"3\" isolated=\"yes\"/&gt;</it>d|e|10\n"
        "untranslated|u/s3|f|g|00\n");
    tmk_buf_release(&b);
}

static void test_bad_input_is_refused_with_its_position(void **state)
{
    (void)state;
    static const struct {
        const char *doc;
        int code;
        unsigned long line;
    } cases[] = {
        {"<?xml version=\"1.0\"?>\n<!DOCTYPE xliff [<!ENTITY a \"b\">]>\n<xliff version=\"1.2\"/>",
         TMK_ESYNTAX, 2},
        {X12 "\n<trans-unit id=\"1\"><source>a</source>", TMK_ESYNTAX, 2},
        {"<xliff version=\"3.0\"/>", TMK_EFORMAT, 1},
        {"<tmx version=\"1.4\"/>", TMK_EFORMAT, 1},
        {"", TMK_EFORMAT, 0}, /* no <xliff> root: another kind of file (xliff.h) */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        tmk_buf b = TMK_BUF_INIT;
        tmk_error e = TMK_ERROR_INIT;
        assert_int_equal(read_doc(cases[i].doc, &b, &e), cases[i].code);
        assert_int_equal(e.line, cases[i].line);
        assert_true(e.msg[0] != '\0');
        tmk_buf_release(&b);
    }
}

static int stop_at_second(void *ud, const tmk_xliff_pair *p)
{
    int *n = ud;
    (void)p;
    return ++*n == 2 ? 1 : 0;
}

static void test_callback_stops_reading(void **state)
{
    (void)state;
    const char *doc = X12 "<trans-unit id=\"1\"><source>a</source><target>b</target></trans-unit>"
                          "<trans-unit id=\"2\"><source>a</source><target>b</target></trans-unit>"
                          "<trans-unit id=\"3\"><source>a</source><target>b</target></trans-unit>" X12_END;
    tmk_xliff_reader *r = NULL;
    tmk_error e = TMK_ERROR_INIT;
    int n = 0;
    assert_int_equal(tmk_xliff_reader_new(&r, NULL, &e), TMK_OK);
    assert_int_equal(tmk_xliff_reader_feed(r, doc, strlen(doc), stop_at_second, &n, &e), TMK_ECANCELED);
    assert_int_equal(n, 2);
    assert_int_equal(e.code, TMK_ECANCELED);
    tmk_xliff_reader_free(r);
}

static void test_unit_larger_than_the_limit(void **state)
{
    (void)state;
    tmk_buf doc = TMK_BUF_INIT;
    tmk_buf_adds(&doc, X12 "<trans-unit id=\"big\"><source>");
    for (int i = 0; i < 2000; i++)
        tmk_buf_adds(&doc, "0123456789");
    tmk_buf_adds(&doc, "</source></trans-unit>" X12_END);
    tmk_xliff_options o = TMK_XLIFF_OPTIONS_INIT;
    o.max_unit = 4096;
    tmk_xliff_reader *r = NULL;
    tmk_error e = TMK_ERROR_INIT;
    tmk_buf b = TMK_BUF_INIT;
    assert_int_equal(tmk_xliff_reader_new(&r, &o, &e), TMK_OK);
    assert_int_equal(tmk_xliff_reader_feed(r, doc.data, doc.len, log_pair, &b, &e), TMK_ELIMIT);
    assert_non_null(strstr(e.msg, "\"big\""));
    tmk_xliff_reader_free(r);
    tmk_buf_release(&doc);
    tmk_buf_release(&b);
}

static void test_status_names_round_trip(void **state)
{
    (void)state;
    for (int s = TMK_XLIFF_UNTRANSLATED; s <= TMK_XLIFF_APPROVED; s++)
        assert_int_equal(tmk_xliff_status_parse(tmk_xliff_status_name((enum tmk_xliff_status)s)), s);
    assert_int_equal(tmk_xliff_status_parse("done"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xliff12_states_map_to_one_scale),
        cmocka_unit_test(test_xliff12_inline_codes_become_tmx_markup),
        cmocka_unit_test(test_sdlxliff_segments_pair_by_mid_with_their_conf),
        cmocka_unit_test(test_sdlxliff_mismatched_segments_name_the_unit),
        cmocka_unit_test(test_target_segments_without_seg_source),
        cmocka_unit_test(test_sdlxliff_deleted_text_left_out),
        cmocka_unit_test(test_white_space_collapses_unless_preserved),
        cmocka_unit_test(test_tags_only_target_is_untranslated),
        cmocka_unit_test(test_windows_1252_and_unknown_encodings),
        cmocka_unit_test(test_mqxliff_status_on_the_unit),
        cmocka_unit_test(test_xliff20_segments_and_codes),
        cmocka_unit_test(test_bad_input_is_refused_with_its_position),
        cmocka_unit_test(test_callback_stops_reading),
        cmocka_unit_test(test_unit_larger_than_the_limit),
        cmocka_unit_test(test_status_names_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
