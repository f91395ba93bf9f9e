/* Unit tests: build (the pipeline of `tmkit build` as one library call,
 * and beads -> units). */
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

static const char de[] = "Die Hütte liegt auf 2450 m über Meer.\n"
                         "Wir erreichten sie nach fünf Stunden. Es war kalt.\n"
                         "Am nächsten Morgen brachen wir um 4 Uhr auf.\n";
static const char en[] = "The hut lies at 2450 m above sea level.\n"
                         "We reached it after five hours. It was cold.\n"
                         "The next morning we set off at 4 o'clock.\n";

struct units {
    tmk_buf all; /* source TAB target NL per unit */
    size_t n;
};

static int collect(void *ud, const tmk_build_unit *u)
{
    struct units *x = ud;
    assert_int_equal(u->tu->ntuvs, 2);
    assert_non_null(u->bead);
    tmk_buf_add(&x->all, u->tu->tuvs[0].seg, u->tu->tuvs[0].seg_len);
    tmk_buf_addch(&x->all, '\t');
    tmk_buf_add(&x->all, u->tu->tuvs[1].seg, u->tu->tuvs[1].seg_len);
    tmk_buf_addch(&x->all, '\n');
    x->n++;
    return 0;
}

static tmk_build_result *run(const tmk_build_options *o, const char *s, const char *t, int *rc,
                             tmk_error *err)
{
    tmk_builder *b = NULL;
    assert_int_equal(tmk_builder_new(&b, o, err), 0);
    tmk_build_result *r = NULL;
    *rc = tmk_builder_run(b, s, strlen(s), t, strlen(t), "de.txt", "en.txt", &r, err);
    tmk_builder_free(b);
    return r;
}

static void test_build_two_strings_give_units_in_order(void **state)
{
    (void)state;
    tmk_build_options o = TMK_BUILD_OPTIONS_INIT;
    o.no_spell = 1;
    o.bidicts = NULL;
    tmk_error err = TMK_ERROR_INIT;
    int rc;
    tmk_build_result *r = run(&o, de, en, &rc, &err);
    assert_non_null(r);
    assert_int_equal(rc, 0);
    assert_int_equal(tmk_build_result_stage(r), TMK_BUILD_DONE);
    const tmk_build_figures *f = tmk_build_result_figures(r);
    assert_int_equal(f->src_segs, 4);
    assert_int_equal(f->tgt_segs, 4);
    assert_int_equal(f->kinds[1][1], 4);
    assert_int_equal(f->units, 4);
    struct units u = {TMK_BUF_INIT, 0};
    assert_int_equal(tmk_build_result_units(r, collect, &u, &err), 0);
    assert_int_equal(u.n, 4);
    assert_string_equal(u.all.data,
                        "Die Hütte liegt auf 2450 m über Meer.\tThe hut lies at 2450 m above sea "
                        "level.\n"
                        "Wir erreichten sie nach fünf Stunden.\tWe reached it after five hours.\n"
                        "Es war kalt.\tIt was cold.\n"
                        "Am nächsten Morgen brachen wir um 4 Uhr auf.\tThe next morning we set "
                        "off at 4 o'clock.\n");
    /* the segments keep their place in the text given */
    tmk_build_seg sg;
    assert_int_equal(tmk_build_result_seg(r, 0, 2, &sg), 0);
    assert_string_equal(sg.s, "Es war kalt.");
    assert_int_equal(sg.line, 2);
    assert_int_equal(sg.col, 39);
    assert_int_equal(tmk_build_result_seg(r, 0, 4, &sg), TMK_EINVAL);
    tmk_buf_release(&u.all);
    tmk_build_result_free(r);
}

/* The same result whether a builder is reused or new, and whatever the
 * number of spell-check workers. */
static void test_build_builder_reused_gives_same_units(void **state)
{
    (void)state;
    tmk_build_options o = TMK_BUILD_OPTIONS_INIT;
    o.no_spell = 1;
    tmk_builder *b = NULL;
    tmk_error err = TMK_ERROR_INIT;
    assert_int_equal(tmk_builder_new(&b, &o, &err), 0);
    struct units u[2] = {{TMK_BUF_INIT, 0}, {TMK_BUF_INIT, 0}};
    for (int k = 0; k < 2; k++) {
        tmk_build_result *r = NULL;
        assert_int_equal(tmk_builder_run(b, de, strlen(de), en, strlen(en), NULL, NULL, &r, &err),
                         0);
        assert_int_equal(tmk_build_result_units(r, collect, &u[k], &err), 0);
        tmk_build_result_free(r);
    }
    assert_int_equal(u[0].n, u[1].n);
    assert_string_equal(u[0].all.data, u[1].all.data);
    tmk_buf_release(&u[0].all);
    tmk_buf_release(&u[1].all);
    tmk_builder_free(b);
}

static void test_build_empty_side_is_an_error_with_its_stage(void **state)
{
    (void)state;
    tmk_build_options o = TMK_BUILD_OPTIONS_INIT;
    o.no_spell = 1;
    tmk_error err = TMK_ERROR_INIT;
    int rc;
    tmk_build_result *r = run(&o, de, " \n\n", &rc, &err);
    assert_int_equal(rc, TMK_ESYNTAX);
    assert_non_null(r);
    assert_int_equal(tmk_build_result_stage(r), TMK_BUILD_EMPTY_TGT);
    assert_string_equal(err.file, "en.txt");
    assert_non_null(strstr(err.msg, "no text"));
    /* a run that did not finish gives no units */
    struct units u = {TMK_BUF_INIT, 0};
    assert_int_equal(tmk_build_result_units(r, collect, &u, NULL), TMK_EINVAL);
    assert_int_equal(u.n, 0);
    tmk_build_result_free(r);
}

static void test_build_bad_min_score_refused(void **state)
{
    (void)state;
    tmk_build_options o = TMK_BUILD_OPTIONS_INIT;
    o.min_score = 1.5;
    tmk_builder *b = (tmk_builder *)&o; /* set to NULL on failure */
    tmk_error err = TMK_ERROR_INIT;
    assert_int_equal(tmk_builder_new(&b, &o, &err), TMK_EINVAL);
    assert_null(b);
}

/* Document sides other than the two known bits are refused (rule 2). */
static void test_build_unknown_doc_sides_refused(void **state)
{
    (void)state;
    tmk_build_options o = TMK_BUILD_OPTIONS_INIT;
    o.no_spell = 1;
    tmk_builder *b = NULL;
    tmk_error err = TMK_ERROR_INIT;
    assert_int_equal(tmk_builder_new(&b, &o, &err), TMK_OK);
    assert_int_equal(tmk_builder_set_doc_sides(b, TMK_BUILD_SRC_DOC | TMK_BUILD_TGT_DOC, &err),
                     TMK_OK);
    assert_int_equal(tmk_builder_set_doc_sides(b, 4, &err), TMK_EINVAL);
    assert_int_equal(err.code, TMK_EINVAL);
    tmk_builder_free(b);
}

/* An options struct from an older caller (smaller size) gets defaults for
 * the members it does not have. */
static void test_build_old_options_size_gets_defaults(void **state)
{
    (void)state;
    tmk_build_options o = TMK_BUILD_OPTIONS_INIT;
    o.no_spell = 1;
    o.min_score = 0.99; /* past the old size: must be ignored */
    o.size = offsetof(tmk_build_options, ndicts);
    tmk_error err = TMK_ERROR_INIT;
    int rc;
    tmk_build_result *r = run(&o, de, en, &rc, &err);
    assert_int_equal(rc, 0);
    assert_int_equal(tmk_build_result_figures(r)->kept_out, 0);
    assert_int_equal(tmk_build_result_figures(r)->units, 4);
    tmk_build_result_free(r);
}

/* beads -> units: joins, props, one-sided beads and min_score */
static int keep_props(void *ud, const tmk_build_unit *u)
{
    tmk_buf *b = ud;
    const tmk_tmx_tu *tu = u->tu;
    tmk_buf_printf(b, "%.*s|%.*s|%s=%s", (int)tu->tuvs[0].seg_len, tu->tuvs[0].seg,
                   (int)tu->tuvs[1].seg_len, tu->tuvs[1].seg, tu->props[0].type,
                   tu->props[0].value);
    if (tu->tuvs[0].nprops)
        tmk_buf_printf(b, "|%s=%s", tu->tuvs[0].props[0].type, tu->tuvs[0].props[0].value);
    tmk_buf_printf(b, "|%s>%s\n", tu->tuvs[0].lang, tu->tuvs[1].lang);
    return 0;
}

static int stop_at_first(void *ud, const tmk_build_unit *u)
{
    (void)u;
    (*(int *)ud)++;
    return 1;
}

static void test_build_units_from_beads(void **state)
{
    (void)state;
    tmk_align_text s[] = {{"A1.", 3}, {"A2.", 3}, {"A3.", 3}, {"A4.", 3}};
    tmk_align_text t[] = {{"B1.", 3}, {"B2.", 3}, {"B3.", 3}};
    tmk_align_bead beads[] = {{0, 2, 0, 1, 0.9}, {2, 1, 1, 0, 0.5}, {3, 1, 1, 1, 0.6},
                        {4, 0, 2, 1, 0.2}};
    const char *notes[] = {"Fehlr", "", "x", "Wrt zwei"};
    tmk_buf out = TMK_BUF_INIT;
    tmk_build_figures fig;
    memset(&fig, 0, sizeof fig);
    assert_int_equal(tmk_build_units(s, t, beads, 4, "de-DE", "en-US", notes, 0.55, 0.7,
                                     keep_props, &out, &fig, NULL),
                     0);
    assert_string_equal(out.data, "A1. A2.|B1.|x-alignment-score=0.900|x-spell-errors=Fehlr|"
                                  "de-DE>en-US\n"
                                  "A4.|B2.|x-alignment-score=0.600|x-spell-errors=Wrt zwei|"
                                  "de-DE>en-US\n");
    assert_int_equal(fig.units, 2);
    assert_int_equal(fig.one_sided, 2);
    assert_int_equal(fig.kept_out, 0); /* the one-sided 0.5 and 0.2 are one-sided first */
    assert_int_equal(fig.weak, 1);
    assert_int_equal(fig.kinds[2][1], 1);
    assert_int_equal(fig.kinds[1][0], 1);
    assert_int_equal(fig.kinds[0][1], 1);
    /* below min_score: kept out and counted */
    memset(&fig, 0, sizeof fig);
    assert_int_equal(tmk_build_units(s, t, beads, 4, "de", "en", NULL, 0.95, 0.7, NULL, NULL,
                                     &fig, NULL),
                     0);
    assert_int_equal(fig.units, 0);
    assert_int_equal(fig.kept_out, 2);
    /* a callback that stops */
    int calls = 0;
    tmk_error err = TMK_ERROR_INIT;
    assert_int_equal(tmk_build_units(s, t, beads, 4, "de", "en", NULL, 0, 0, stop_at_first,
                                     &calls, NULL, &err),
                     TMK_ECANCELED);
    assert_int_equal(calls, 1);
    tmk_buf_release(&out);
}

/* A text's segments collected once: text, paragraph, place; an empty text
 * gives an empty list. */
static void test_build_seglist_collects_segments(void **state)
{
    (void)state;
    tmk_build_seglist *l = NULL;
    tmk_error err = TMK_ERROR_INIT;
    assert_int_equal(tmk_build_seglist_new(&l, de, strlen(de), "de-DE", NULL, NULL, TMK_PARA_LINE,
                                           &err),
                     0);
    assert_int_equal(l->n, 4);
    assert_string_equal(l->segs[2].s, "Es war kalt.");
    assert_int_equal(l->segs[2].len, 12);
    assert_int_equal(l->para[1], l->para[2]);
    assert_true(l->para[0] != l->para[1]);
    assert_int_equal(l->info[3].line, 3);
    assert_int_equal(l->info[3].col, 1);
    assert_int_equal(l->wrap, 0);
    tmk_build_seglist_free(l);
    l = NULL;
    assert_int_equal(tmk_build_seglist_new(&l, "", 0, "de-DE", NULL, NULL, TMK_PARA_AUTO, &err), 0);
    assert_int_equal(l->n, 0);
    tmk_build_seglist_free(l);
    tmk_build_seglist_free(NULL);
}

/* One segmenter for many short texts (spell's lines): each text's
 * segments with positions in that text; after an error (a bad byte) the
 * segmenter goes on with the next text afresh. */
static void test_build_seglist_split_reuses_a_segmenter(void **state)
{
    (void)state;
    tmk_segmenter *sg = NULL;
    tmk_error err = TMK_ERROR_INIT;
    assert_int_equal(tmk_segmenter_new(&sg, "de-DE", NULL, &err), 0);
    tmk_build_seglist *l = NULL;
    static const char a[] = "Er kam am 3. Mai. Dann ging er.";
    assert_int_equal(tmk_build_seglist_split(&l, sg, a, strlen(a), &err), 0);
    assert_int_equal(l->n, 2);
    assert_string_equal(l->segs[0].s, "Er kam am 3. Mai.");
    assert_int_equal(l->info[1].offset, 18);
    assert_int_equal(l->info[1].col, 19);
    tmk_build_seglist_free(l);
    assert_int_equal(tmk_build_seglist_split(&l, sg, "Gut \xff. So.", 10, &err), TMK_EENCODING);
    assert_null(l);
    static const char b[] = "Ja. Nein.";
    assert_int_equal(tmk_build_seglist_split(&l, sg, b, strlen(b), &err), 0);
    assert_int_equal(l->n, 2);
    assert_int_equal(l->info[0].offset, 0);
    assert_int_equal(l->info[1].offset, 4);
    assert_int_equal(l->info[1].line, 1);
    tmk_build_seglist_free(l);
    tmk_segmenter_free(sg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_build_two_strings_give_units_in_order),
        cmocka_unit_test(test_build_builder_reused_gives_same_units),
        cmocka_unit_test(test_build_unknown_doc_sides_refused),
        cmocka_unit_test(test_build_empty_side_is_an_error_with_its_stage),
        cmocka_unit_test(test_build_bad_min_score_refused),
        cmocka_unit_test(test_build_old_options_size_gets_defaults),
        cmocka_unit_test(test_build_units_from_beads),
        cmocka_unit_test(test_build_seglist_collects_segments),
        cmocka_unit_test(test_build_seglist_split_reuses_a_segmenter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
