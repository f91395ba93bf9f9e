/* Unit tests: the alignment model's internals (align_model.c), linked
 * with the library's objects: the confidence factor of the content words
 * the lexicon knows (review 6, defect 11). */
#include <config.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include "../../src/lib/align_int.h"

/* The defaults as tmk__align_params sets them (with a dictionary). */
static void defaults(struct params *p)
{
    tmk__align_params(p, 1, NULL);
    assert_true(p->kref > 0 && p->kref < 1);
    assert_true(p->kfloor > 0 && p->kfloor < 1);
    assert_true(p->kmin > 0);
}

/* No known word shared: the floor; all of the reference share: 1; in
 * between, rising with the share; fewer known words than kmin: 1 (too
 * little to tell). */
static void test_known_factor_shape(void **state)
{
    (void)state;
    struct params p;
    defaults(&p);
    assert_true(fabs(tmk__align_known_factor(0.0, p.kmin, p.kref, p.kfloor, p.kmin) -
                     p.kfloor) < 1e-12);
    assert_true(tmk__align_known_factor(p.kref, 20, p.kref, p.kfloor, p.kmin) == 1.0);
    assert_true(tmk__align_known_factor(1.0, 20, p.kref, p.kfloor, p.kmin) == 1.0);
    assert_true(tmk__align_known_factor(0.0, p.kmin - 1, p.kref, p.kfloor, p.kmin) == 1.0);
    double prev = 0;
    for (int k = 0; k <= 10; k++) {
        double f = tmk__align_known_factor(p.kref * k / 10.0, 10, p.kref, p.kfloor, p.kmin);
        assert_true(f >= p.kfloor && f <= 1.0);
        assert_true(f > prev);
        prev = f;
    }
    /* off: a reference share of 0 changes nothing */
    assert_true(tmk__align_known_factor(0.0, 20, 0.0, p.kfloor, p.kmin) == 1.0);
}

/* The review's pairs: the cat/rain pair (0.854 before) and the sample's
 * replaced sentence (0.757), sharing none of their known words, end below
 * the weak-pair threshold 0.70. */
static void test_known_factor_makes_review_pairs_weak(void **state)
{
    (void)state;
    struct params p;
    defaults(&p);
    assert_true(0.854 * tmk__align_known_factor(0.0, 4, p.kref, p.kfloor, p.kmin) < 0.70);
    assert_true(0.757 * tmk__align_known_factor(0.0, 14, p.kref, p.kfloor, p.kmin) < 0.70);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_factor_shape),
        cmocka_unit_test(test_known_factor_makes_review_pairs_weak),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
