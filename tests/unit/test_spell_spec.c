/* tests/spec/spell-tokens.txt through the library: each example's text goes
 * to tmk_spell_tokenize; the words it gives (tmk_spell_hit.word), in order,
 * must be the example's.  tests/spec/spell-tokens.sh runs the same file
 * through `tmkit spell --format words`. */
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
#include "spec_file.h"

static int on_word(void *ud, const tmk_spell_hit *hit)
{
    tmk_buf *o = ud;
    tmk_buf_adds(o, hit->word);
    tmk_buf_addch(o, '\n');
    return 0;
}

static void check_example(const char *path, unsigned long line, const char *info,
                          const tmk_buf *in, const tmk_buf *want, void *ud)
{
    (void)info;
    (void)ud;
    tmk_buf got = TMK_BUF_INIT;
    assert_int_equal(tmk_spell_tokenize(in->data, in->len, 0, on_word, &got, NULL), 0);
    if (got.len != want->len || memcmp(got.data, want->data, got.len))
        fail_msg("%s:%lu: the tokeniser gives\n%s\ninstead of\n%s", path, line, got.data,
                 want->data);
    tmk_buf_release(&got);
}

static void test_spell_tokens_spec_file_examples(void **state)
{
    (void)state;
    /* at least as many as the file had when this test was written: the
     * file was found and read */
    assert_true(spec_file_foreach("spell-tokens.txt", NULL, check_example, NULL) >= 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spell_tokens_spec_file_examples),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
