#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "tmkit/tmkit.h"

static void test_identical_is_100(void **state)
{
    (void)state;
    assert_int_equal(tmk_tm_score("a b", 3, "a b", 3), 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identical_is_100),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
