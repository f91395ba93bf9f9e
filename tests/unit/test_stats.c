/* Unit tests: the statistics accumulator (tmkit/stats.h) and the unit
 * identity hash (tmk_tmx_unit_hash) it shares with merge. */
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

static tmk_tmx_tu two(const char *la, const char *a, int ma, const char *lb, const char *b, int mb,
                  tmk_tmx_tuv v[2])
{
    memset(v, 0, 2 * sizeof *v);
    v[0].lang = la;
    v[0].seg = a;
    v[0].seg_len = strlen(a);
    v[0].markup = ma;
    v[1].lang = lb;
    v[1].seg = b;
    v[1].seg_len = strlen(b);
    v[1].markup = mb;
    tmk_tmx_tu tu;
    memset(&tu, 0, sizeof tu);
    tu.tuvs = v;
    tu.ntuvs = 2;
    return tu;
}

static uint64_t uhash(tmk_tmx_tu tu)
{
    uint64_t h;
    assert_int_equal(tmk_tmx_unit_hash(&tu, &h, NULL), TMK_OK);
    return h;
}

static void test_unit_hash_ignores_tag_attributes_order_and_language_spelling(void **state)
{
    (void)state;
    tmk_tmx_tuv v[2];
    uint64_t plain = uhash(two("en", "Click OK", 0, "de", "Klicken Sie auf OK", 0, v));
    /* tags count by name, place and content; their attributes do not */
    uint64_t tagged = uhash(two("en", "Click <bpt i=\"1\">&lt;b&gt;</bpt>OK<ept i=\"1\">&lt;/b&gt;</ept>",
                                1, "de", "Klicken Sie auf OK", 0, v));
    assert_int_not_equal(plain, tagged);
    assert_int_equal(tagged, uhash(two("en", "Click <bpt i=\"7\" x=\"2\">&lt;b></bpt>OK<ept i=\"7\">&lt;/b&gt;</ept>",
                                       1, "de", "Klicken Sie auf OK", 0, v)));
    uint64_t ph = uhash(two("de", "Seite <ph x=\"1\">{page}</ph> von <ph x=\"2\">{total}</ph>", 1,
                            "en", "Page <ph x=\"1\">{page}</ph> of <ph x=\"2\">{total}</ph>", 1, v));
    assert_int_not_equal(ph, uhash(two("de", "Seite <ph x=\"1\">{total}</ph> von <ph x=\"2\">{page}</ph>", 1,
                                       "en", "Page <ph x=\"1\">{total}</ph> of <ph x=\"2\">{page}</ph>", 1, v)));
    /* a tag separates words; <ph/> is <ph></ph> */
    uint64_t w0 = uhash(two("de", "Wert<ph>{0}</ph>Euro", 1, "en", "x", 0, v));
    uint64_t w1 = uhash(two("de", "WertEuro", 0, "en", "x", 0, v));
    uint64_t w2 = uhash(two("de", "Wert<ph/>Euro", 1, "en", "x", 0, v));
    assert_int_not_equal(w0, w1);
    assert_int_not_equal(w0, w2);
    assert_int_not_equal(w1, w2);
    assert_int_equal(w2, uhash(two("de", "Wert<ph></ph>Euro", 1, "en", "x", 0, v)));
    assert_int_equal(plain, uhash(two("de", "Klicken Sie auf OK", 0, "en", "Click OK", 0, v)));
    assert_int_equal(plain, uhash(two("EN", "Click OK", 0, "De", "Klicken Sie auf OK", 0, v)));
    /* entities are decoded first */
    assert_int_equal(uhash(two("en", "Click &amp;OK", 1, "de", "x", 0, v)),
                     uhash(two("en", "Click &OK", 0, "de", "x", 0, v)));
    /* what counts: white space, case, the language, the texts' places */
    assert_int_not_equal(plain, uhash(two("en", "Click  OK", 0, "de", "Klicken Sie auf OK", 0, v)));
    assert_int_not_equal(plain, uhash(two("en", "click OK", 0, "de", "Klicken Sie auf OK", 0, v)));
    assert_int_not_equal(plain, uhash(two("en", "Click OK", 0, "fr", "Klicken Sie auf OK", 0, v)));
    assert_int_not_equal(plain, uhash(two("de", "Click OK", 0, "en", "Klicken Sie auf OK", 0, v)));
}

static void test_source_tuv_by_unit_then_header_then_first(void **state)
{
    (void)state;
    tmk_tmx_tuv v[2];
    tmk_tmx_tu tu = two("de-DE", "a", 0, "en-US", "b", 0, v);
    assert_int_equal(tmk_tmx_source_tuv(&tu, "en"), 1);
    assert_int_equal(tmk_tmx_source_tuv(&tu, "en-us"), 1);
    assert_int_equal(tmk_tmx_source_tuv(&tu, "en-GB"), 0);
    assert_int_equal(tmk_tmx_source_tuv(&tu, "*all*"), 0);
    assert_int_equal(tmk_tmx_source_tuv(&tu, NULL), 0);
    tmk_tmx_attr a = {"srclang", "en_US"};
    tu.attrs = &a;
    tu.nattrs = 1;
    assert_int_equal(tmk_tmx_source_tuv(&tu, "de"), 1);
    a.value = "*all*";
    assert_int_equal(tmk_tmx_source_tuv(&tu, "en"), 1);
    tu.ntuvs = 0;
    assert_int_equal(tmk_tmx_source_tuv(&tu, "en"), -1);
}

static void test_stats_counts_units_languages_pairs_duplicates(void **state)
{
    (void)state;
    tmk_stats *s;
    tmk_error err = TMK_ERROR_INIT;
    assert_int_equal(tmk_stats_new(&s, NULL, &err), TMK_OK);
    assert_int_equal(tmk_stats_begin(s, "de", &err), TMK_OK);
    tmk_tmx_tuv v[2];
    /* a and b differ only in a tag's attribute: the same unit */
    tmk_tmx_tu a = two("en", "Click OK", 0, "de-de", "Klicken Sie <ph x=\"3\">&lt;x/&gt;</ph>auf OK", 1, v);
    assert_int_equal(tmk_stats_add_tu(s, &a, &err), TMK_OK);
    tmk_tmx_tu b = two("de_DE", "Klicken Sie <ph>&lt;x/&gt;</ph>auf OK", 1, "EN", "Click OK", 0, v);
    assert_int_equal(tmk_stats_add_tu(s, &b, &err), TMK_OK);
    tmk_tmx_tu c = two("en", "Cancel", 0, "fr", "Annuler", 0, v);
    assert_int_equal(tmk_stats_add_tu(s, &c, &err), TMK_OK);
    const tmk_stats_result *r;
    assert_int_equal(tmk_stats_finish(s, &r, &err), TMK_OK);
    assert_int_equal(r->files, 1);
    assert_int_equal(r->units, 3);
    assert_int_equal(r->tuvs, 6);
    assert_int_equal(r->duplicates, 1);
    assert_int_equal(r->nlangs, 3);
    assert_string_equal(r->langs[0].lang, "de-DE");
    assert_int_equal(r->langs[0].tuvs, 2);
    assert_int_equal(r->langs[0].words, 8);
    assert_int_equal(r->langs[0].characters, 36);
    assert_string_equal(r->langs[1].lang, "en");
    assert_int_equal(r->langs[1].tuvs, 3);
    assert_int_equal(r->langs[1].words, 5);
    assert_string_equal(r->langs[2].lang, "fr");
    /* the header's srclang (de) is the source where the unit has it */
    assert_int_equal(r->npairs, 2);
    assert_string_equal(r->pairs[0].source, "de-DE");
    assert_string_equal(r->pairs[0].target, "en");
    assert_int_equal(r->pairs[0].units, 2);
    assert_string_equal(r->pairs[1].source, "en");
    assert_string_equal(r->pairs[1].target, "fr");
    /* finished: no more units */
    assert_int_equal(tmk_stats_add_tu(s, &c, &err), TMK_EINVAL);
    const tmk_stats_result *r2;
    assert_int_equal(tmk_stats_finish(s, &r2, &err), TMK_OK);
    assert_ptr_equal(r, r2);
    tmk_stats_free(s);
    tmk_stats_free(NULL);
}

/* A unit with many tuvs and duplicates past a tiny set (the sorter): the
 * same counts as with the default set. */
static void test_stats_spilled_duplicates_count_the_same(void **state)
{
    (void)state;
    unsigned long long dups[2];
    for (int k = 0; k < 2; k++) {
        tmk_stats_options o = TMK_STATS_OPTIONS_INIT;
        o.set_slots = k ? 2 : 0;
        tmk_stats *s;
        assert_int_equal(tmk_stats_new(&s, &o, NULL), TMK_OK);
        assert_int_equal(tmk_stats_begin(s, NULL, NULL), TMK_OK);
        char a[32], b[32];
        tmk_tmx_tuv v[2];
        for (int i = 0; i < 1000; i++) {
            snprintf(a, sizeof a, "text %d", i % 300);
            snprintf(b, sizeof b, "Text %d", i % 300);
            tmk_tmx_tu tu = two("en", a, 0, "de", b, 0, v);
            assert_int_equal(tmk_stats_add_tu(s, &tu, NULL), TMK_OK);
        }
        const tmk_stats_result *r;
        assert_int_equal(tmk_stats_finish(s, &r, NULL), TMK_OK);
        assert_int_equal(r->units, 1000);
        dups[k] = r->duplicates;
        tmk_stats_free(s);
    }
    assert_int_equal(dups[0], 700);
    assert_int_equal(dups[1], 700);
}

/* The sorter's runs go to the options' temp_dir (no process-wide
 * setting): a folder that does not exist stops the count with TMK_EIO
 * naming it, while a second counter with the default folder counts. */
static void test_stats_temp_dir_option_is_used(void **state)
{
    (void)state;
    const char *missing = "test_stats-no-such-folder/sub";
    for (int k = 0; k < 2; k++) {
        tmk_stats_options o = TMK_STATS_OPTIONS_INIT;
        o.set_slots = 2;
        o.memory = 64; /* 8 hashes a run */
        o.temp_dir = k ? missing : NULL;
        tmk_stats *s;
        tmk_error err = TMK_ERROR_INIT;
        assert_int_equal(tmk_stats_new(&s, &o, &err), TMK_OK);
        assert_int_equal(tmk_stats_begin(s, NULL, NULL), TMK_OK);
        char a[32], b[32];
        tmk_tmx_tuv v[2];
        int rc = TMK_OK;
        for (int i = 0; i < 200 && rc == TMK_OK; i++) {
            snprintf(a, sizeof a, "text %d", i);
            snprintf(b, sizeof b, "Text %d", i);
            tmk_tmx_tu tu = two("en", a, 0, "de", b, 0, v);
            rc = tmk_stats_add_tu(s, &tu, &err);
        }
        const tmk_stats_result *r;
        if (rc == TMK_OK)
            rc = tmk_stats_finish(s, &r, &err);
        if (k) {
            assert_int_equal(rc, TMK_EIO);
            assert_int_equal(err.detail, TMK_D_TEMP_DIR);
            assert_non_null(strstr(err.msg, missing));
        } else {
            assert_int_equal(rc, TMK_OK);
            assert_int_equal(r->units, 200);
        }
        tmk_stats_free(s);
    }
}

/* add_file (the reader's text-only fast path) and add_tu of the same units
 * read whole give the same results. */
static int feed_tu(void *ud, const tmk_tmx_tu *tu) { return tmk_stats_add_tu(ud, tu, NULL); }
static int feed_header(void *ud, const tmk_tmx_header *h)
{
    return tmk_stats_begin(ud, h->srclang, NULL);
}

static void test_stats_file_and_units_agree(void **state)
{
    (void)state;
    const char *top = getenv("top_srcdir");
    if (!top) {
        print_message("top_srcdir not set (make check sets it)\n");
        skip();
    }
    const char *names[] = {"level2.tmx", "multilingual-all.tmx", "interleaved-notes-props-ude.tmx"};
    for (size_t f = 0; f < 3; f++) {
        char files[3][1024];
        snprintf(files[f], sizeof files[f], "%s/tmx/valid/%s", top, names[f]);
        tmk_stats *s1, *s2;
        tmk_error err = TMK_ERROR_INIT;
        assert_int_equal(tmk_stats_new(&s1, NULL, &err), TMK_OK);
        assert_int_equal(tmk_stats_new(&s2, NULL, &err), TMK_OK);
        assert_int_equal(tmk_stats_add_file(s1, files[f], &err), TMK_OK);
        tmk_tmx_read_options ro = TMK_TMX_READ_OPTIONS_INIT;
        ro.name = files[f];
        tmk_tmx_reader *r;
        assert_int_equal(tmk_tmx_reader_new(&r, &ro, feed_header, feed_tu, NULL, s2, &err),
                         TMK_OK);
        assert_int_equal(tmk_tmx_read_file(r, files[f], &err), TMK_OK);
        tmk_tmx_reader_free(r);
        const tmk_stats_result *a, *b;
        assert_int_equal(tmk_stats_finish(s1, &a, &err), TMK_OK);
        assert_int_equal(tmk_stats_finish(s2, &b, &err), TMK_OK);
        assert_true(a->units > 0);
        assert_int_equal(a->units, b->units);
        assert_int_equal(a->tuvs, b->tuvs);
        assert_int_equal(a->duplicates, b->duplicates);
        assert_int_equal(a->nlangs, b->nlangs);
        for (size_t i = 0; i < a->nlangs; i++) {
            assert_string_equal(a->langs[i].lang, b->langs[i].lang);
            assert_int_equal(a->langs[i].tuvs, b->langs[i].tuvs);
            assert_int_equal(a->langs[i].words, b->langs[i].words);
            assert_int_equal(a->langs[i].characters, b->langs[i].characters);
        }
        assert_int_equal(a->npairs, b->npairs);
        for (size_t i = 0; i < a->npairs; i++) {
            assert_string_equal(a->pairs[i].source, b->pairs[i].source);
            assert_string_equal(a->pairs[i].target, b->pairs[i].target);
            assert_int_equal(a->pairs[i].units, b->pairs[i].units);
        }
        tmk_stats_free(s1);
        tmk_stats_free(s2);
    }
}

static void test_stats_missing_file_names_it(void **state)
{
    (void)state;
    tmk_stats *s;
    tmk_error err = TMK_ERROR_INIT;
    assert_int_equal(tmk_stats_new(&s, NULL, &err), TMK_OK);
    assert_int_equal(tmk_stats_add_file(s, "/nonexistent/x.tmx", &err), TMK_EIO);
    assert_string_equal(err.file, "/nonexistent/x.tmx");
    tmk_stats_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unit_hash_ignores_tag_attributes_order_and_language_spelling),
        cmocka_unit_test(test_source_tuv_by_unit_then_header_then_first),
        cmocka_unit_test(test_stats_counts_units_languages_pairs_duplicates),
        cmocka_unit_test(test_stats_spilled_duplicates_count_the_same),
        cmocka_unit_test(test_stats_temp_dir_option_is_used),
        cmocka_unit_test(test_stats_file_and_units_agree),
        cmocka_unit_test(test_stats_missing_file_names_it),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
