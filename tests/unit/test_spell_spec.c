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

static int on_word(const tmk_spell_hit *hit, void *ud)
{
    tmk_buf *o = ud;
    tmk_buf_adds(o, hit->word);
    tmk_buf_addch(o, '\n');
    return 0;
}

static void test_spell_tokens_spec_file_examples(void **state)
{
    (void)state;
    const char *top = getenv("top_srcdir");
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/spec/spell-tokens.txt", top ? top : ".");
    tmk_buf spec = TMK_BUF_INIT, in = TMK_BUF_INIT, want = TMK_BUF_INIT, got = TMK_BUF_INIT;
    tmk_error err = TMK_ERROR_INIT;
    if (tmk_read_file(path, &spec, &err) < 0)
        fail_msg("cannot read %s (top_srcdir not set?): %s", path, err.msg);
    int part = 0, nex = 0;
    unsigned long line = 0, ex_line = 0;
    const char *p = spec.data, *end = spec.data + spec.len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        line++;
        if (part == 0 && n >= 11 && !memcmp(p, "~~~ example", 11)) {
            part = 1;
            ex_line = line;
            tmk_buf_reset(&in);
            tmk_buf_reset(&want);
        } else if (part == 1 && n == 1 && p[0] == '.') {
            part = 2;
        } else if (part == 1) {
            tmk_buf_add(&in, p, n);
            tmk_buf_addch(&in, '\n');
        } else if (part == 2 && n == 3 && !memcmp(p, "~~~", 3)) {
            tmk_buf_reset(&got);
            assert_int_equal(tmk_spell_tokenize(in.data, in.len, 0, on_word, &got), 0);
            if (got.len != want.len || memcmp(got.data, want.data, got.len))
                fail_msg("%s:%lu: the tokeniser gives\n%s\ninstead of\n%s", path, ex_line,
                         got.data, want.data);
            nex++;
            part = 0;
        } else if (part == 2) {
            tmk_buf_add(&want, p, n);
            tmk_buf_addch(&want, '\n');
        }
        p += n + 1;
    }
    assert_int_equal(part, 0);
    assert_true(nex >= 5); /* the file was found and read */
    print_message("%d examples of %s\n", nex, path);
    tmk_buf_release(&spec);
    tmk_buf_release(&in);
    tmk_buf_release(&want);
    tmk_buf_release(&got);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spell_tokens_spec_file_examples),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
