/* test_wordcount.c -- GMX-V word and character counts (tmkit/wordcount.h):
 * the standard's examples, numbers, the factors of Chinese, Japanese,
 * Korean and Thai, inline tags, rounding of sums, bad input. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include "tmkit/tmkit.h"

static tmk_wc_counts count(const char *s, const char *lang, unsigned flags)
{
    tmk_wc_counts c;
    memset(&c, 0, sizeof c);
    tmk_wc_options o = TMK_WC_OPTIONS_INIT;
    o.lang = lang;
    o.flags = flags;
    assert_int_equal(tmk_wc_count(s, strlen(s), &o, &c, NULL), TMK_OK);
    return c;
}

static unsigned long long words(const char *s, const char *lang)
{
    tmk_wc_counts c = count(s, lang, 0);
    return tmk_wc_words(&c);
}

/* GMX-V's examples (as the gmx-word-counter implementation quotes them) */
static void test_gmxv_examples(void **state)
{
    (void)state;
    assert_int_equal(words("It's five o'clock!", "en"), 3);
    assert_int_equal(words("Aš einu į parduotuvę.", "lt"), 4);
    tmk_wc_counts c = count("d'une famille d'or.", "fr", 0);
    assert_int_equal(c.characters, 16);
    assert_int_equal(c.punctuation, 1);
    assert_int_equal(c.spaces, 2);
    assert_int_equal(tmk_wc_words(&c), 3);
}

/* numbers count as words (and as placeables); UAX #29 keeps 3.14 and
 * 1,000.50 whole; a dash between spaces is no word */
static void test_numbers_and_punctuation(void **state)
{
    (void)state;
    tmk_wc_counts c = count("Pi is 3.14 and 1,000.50 is a number - really.", "en", 0);
    assert_int_equal(tmk_wc_words(&c), 9);
    assert_int_equal(c.numbers, 2);
    assert_int_equal(c.punctuation, 2);
    assert_int_equal(words("Seite 12 von 300", "de"), 4);
    assert_int_equal(words("  ", "de"), 0);
    assert_int_equal(words("", "de"), 0);
    assert_int_equal(words("...!?", "de"), 0);
    /* a German compound with hyphen: UAX #29 breaks at '-' */
    assert_int_equal(words("E-Mail-Adresse", "de"), 3);
}

/* characters divided by the standard's factors, rounded to nearest */
static void test_logographic_factors(void **state)
{
    (void)state;
    assert_true(tmk_wc_factor(TMK_WC_CHINESE) == 2.8);
    assert_true(tmk_wc_factor(TMK_WC_JAPANESE) == 3.0);
    assert_true(tmk_wc_factor(TMK_WC_KOREAN) == 3.3);
    assert_true(tmk_wc_factor(TMK_WC_THAI) == 6.0);
    /* 6 Han characters / 2.8 = 2.14 -> 2; the full stop is punctuation */
    tmk_wc_counts c = count("这是一个测试。", "zh", 0);
    assert_int_equal(c.logograms[TMK_WC_CHINESE], 6);
    assert_int_equal(c.punctuation, 1);
    assert_int_equal(c.characters, 6);
    assert_int_equal(tmk_wc_words(&c), 2);
    /* 7 Han characters: 2.5 -> 3 (halves up) */
    assert_int_equal(words("我们今天去学校", "zh"), 3);
    /* Japanese: 8 kana / 3.0 = 2.67 -> 3; Han in a "ja" text is Japanese */
    assert_int_equal(words("これはテストです", "ja"), 3);
    c = count("日本語", "ja-JP", 0);
    assert_int_equal(c.logograms[TMK_WC_JAPANESE], 3);
    assert_int_equal(c.logograms[TMK_WC_CHINESE], 0);
    /* Korean: 7 Hangul / 3.3 = 2.12 -> 2 (the space is not counted) */
    c = count("안녕하세요 세계", "ko", 0);
    assert_int_equal(c.logograms[TMK_WC_KOREAN], 7);
    assert_int_equal(tmk_wc_words(&c), 2);
    /* Thai: 10 code points / 6.0 = 1.67 -> 2 */
    c = count("สวัสดีครับ", "th", 0);
    assert_int_equal(c.logograms[TMK_WC_THAI], 10);
    assert_int_equal(tmk_wc_words(&c), 2);
    /* mixed: a Latin word in Chinese text counts as a word */
    /* 4 Han / 2.8 = 1.43 -> 1, plus Linux */
    assert_int_equal(words("我用 Linux 系统", "zh"), 2);
}

/* sums are rounded once: two one-character segments are 2/2.8 -> 1 word,
 * not 0 + 0 */
static void test_sums_round_once(void **state)
{
    (void)state;
    tmk_wc_counts a = count("是", "zh", 0), b = count("的", "zh", 0);
    assert_int_equal(tmk_wc_words(&a), 0);
    tmk_wc_add(&a, &b);
    assert_int_equal(tmk_wc_words(&a), 1);
}

/* inline tags count apart; their content is not text */
static void test_tags(void **state)
{
    (void)state;
    tmk_wc_counts c = count("Click <bpt i=\"1\">&lt;b&gt;</bpt>Save<ept i=\"1\">&lt;/b&gt;</ept> "
                            "now<ph x=\"2\"/>.",
                            "en", TMK_WC_SEG);
    assert_int_equal(tmk_wc_words(&c), 3);
    assert_int_equal(c.tags, 3);
    assert_int_equal(c.characters, 12);
    c = count("Tom &amp; <hi type=\"b\">Jerry</hi>", "en", TMK_WC_SEG);
    assert_int_equal(tmk_wc_words(&c), 2);
    assert_int_equal(c.tags, 2);
    assert_int_equal(c.punctuation, 1);
    /* the same text as plain text: the markup is text */
    c = count("Tom &amp; Jerry", "en", 0);
    assert_int_equal(tmk_wc_words(&c), 3);
    assert_int_equal(c.tags, 0);
}

static void test_bad_input(void **state)
{
    (void)state;
    tmk_wc_counts c;
    memset(&c, 0, sizeof c);
    tmk_error err = TMK_ERROR_INIT;
    assert_int_equal(tmk_wc_count("ab\xff", 3, NULL, &c, &err), TMK_EINVAL);
    assert_int_equal(err.detail, TMK_D_NOT_UTF8);
    assert_int_equal(c.words, 0); /* nothing added on failure */
    /* NUL bytes inside the text are characters, not the end */
    assert_int_equal(tmk_wc_count("a\0b c", 5, NULL, &c, NULL), TMK_OK);
    assert_true(c.words >= 2);
    /* a long text (over the stack buffer) */
    char big[5000];
    for (size_t i = 0; i < sizeof big - 1; i++)
        big[i] = i % 5 == 4 ? ' ' : 'a';
    big[sizeof big - 1] = 0;
    memset(&c, 0, sizeof c);
    assert_int_equal(tmk_wc_count(big, strlen(big), NULL, &c, NULL), TMK_OK);
    assert_int_equal(c.words, 1000);
}

/* The ASCII fast path gives what the general path (libunistring's word
 * breaks) gives: each random ASCII string is counted alone (fast path) and
 * followed by " é" (general path; " é" adds one word, character and space). */
static void test_ascii_fast_path_equals_general(void **state)
{
    (void)state;
    static const char alpha[] = "abZ09_.,:;'!$-\t\n  \"x1";
    uint64_t r = 88172645463325252ULL;
    char buf[64];
    for (int it = 0; it < 50000; it++) {
        r ^= r << 13;
        r ^= r >> 7;
        r ^= r << 17;
        size_t n = (size_t)(r % 16);
        for (size_t i = 0; i < n; i++) {
            r ^= r << 13;
            r ^= r >> 7;
            r ^= r << 17;
            buf[i] = alpha[r % (sizeof alpha - 1)];
        }
        buf[n] = 0;
        tmk_wc_counts f, g;
        memset(&f, 0, sizeof f);
        memset(&g, 0, sizeof g);
        assert_int_equal(tmk_wc_count(buf, n, NULL, &f, NULL), TMK_OK);
        memcpy(buf + n, " \xc3\xa9", 4);
        assert_int_equal(tmk_wc_count(buf, n + 3, NULL, &g, NULL), TMK_OK);
        g.words--;
        g.characters--;
        g.spaces--;
        buf[n] = 0;
        if (memcmp(&f, &g, sizeof f)) {
            fprintf(stderr, "'%s': fast words %llu numbers %llu chars %llu punct %llu spaces %llu;"
                            " general %llu %llu %llu %llu %llu\n",
                    buf, f.words, f.numbers, f.characters, f.punctuation, f.spaces, g.words,
                    g.numbers, g.characters, g.punctuation, g.spaces);
            fail();
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gmxv_examples),
        cmocka_unit_test(test_numbers_and_punctuation),
        cmocka_unit_test(test_logographic_factors),
        cmocka_unit_test(test_sums_round_once),
        cmocka_unit_test(test_tags),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_ascii_fast_path_equals_general),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
