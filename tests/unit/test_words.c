/* The word scanner (src/lib/words.c, words_int.h): tests/spec/words.txt by
 * example, plus the properties every scan must have (spans tile the text,
 * columns count code points, a negative callback result stops the scan,
 * long words are cut at max).
 *
 * Each example's INFO names the flags ("address", "gender", "bare",
 * "numgroups", "words-only", "uax29", "max=N"); its input is one line (the final
 * newline is not part of the text; "\u{XXXX}" is code point XXXX and
 * "\x{HH}" byte HH, in both input and output); its output has one line per span:
 *   space                   a run of white space
 *   punct TEXT              one punctuation character
 *   address TEXT            a whitespace-delimited run skipped whole
 *   segment TEXT            what lies between two word boundaries (uax29)
 *   word RUN CLASS...       RUN with its word proper in [brackets]; CLASS is
 *                           letters, number or mixed (none: connectors only),
 *                           then hyphen, apostrophe, dot, gender (inside the
 *                           word proper), dots=N and cut (trimmed from its
 *                           end), over (longer than max) */
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
#include "words_int.h"

static void unesc(tmk_buf *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (n - i >= 5 && !memcmp(s + i, "\\u{", 3)) {
            const char *close = memchr(s + i, '}', n - i);
            if (close) {
                char num[16];
                size_t k = (size_t)(close - (s + i)) - 3;
                if (k > 0 && k < sizeof num) {
                    memcpy(num, s + i + 3, k);
                    num[k] = 0;
                    char u[4];
                    int m = tmk_utf8_encode((int32_t)strtol(num, NULL, 16), u);
                    tmk_buf_add(o, u, (size_t)m);
                    i = (size_t)(close - s);
                    continue;
                }
            }
        }
        if (n - i >= 6 && !memcmp(s + i, "\\x{", 3) && s[i + 5] == '}') {
            char num[3] = {s[i + 3], s[i + 4], 0};
            tmk_buf_addch(o, (char)strtol(num, NULL, 16));
            i += 5;
            continue;
        }
        tmk_buf_addch(o, s[i]);
    }
}

struct out {
    const char *text;
    tmk_buf *o;
};

static int on_span(const tmk__span *sp, void *ud)
{
    struct out *u = ud;
    tmk_buf *o = u->o;
    const char *t = u->text;
    switch (sp->kind) {
    case TMK__SPAN_SPACE:
        tmk_buf_adds(o, "space\n");
        return 0;
    case TMK__SPAN_PUNCT: tmk_buf_adds(o, "punct "); break;
    case TMK__SPAN_ADDRESS: tmk_buf_adds(o, "address "); break;
    case TMK__SPAN_SEGMENT: tmk_buf_adds(o, "segment "); break;
    default: break;
    }
    if (sp->kind != TMK__SPAN_WORD) {
        tmk_buf_add(o, t + sp->off, sp->len);
        tmk_buf_addch(o, '\n');
        return 0;
    }
    size_t pa = sp->a < sp->n ? sp->c[sp->a].off : sp->off + sp->len;
    size_t pb = sp->b > sp->a ? (sp->b < sp->n ? sp->c[sp->b].off : sp->off + sp->len) : pa;
    tmk_buf_adds(o, "word ");
    tmk_buf_add(o, t + sp->off, pa - sp->off);
    tmk_buf_addch(o, '[');
    tmk_buf_add(o, t + pa, pb - pa);
    tmk_buf_addch(o, ']');
    tmk_buf_add(o, t + pb, sp->off + sp->len - pb);
    unsigned f = sp->flags;
    if ((f & TMK__WF_LETTER) && (f & TMK__WF_DIGIT))
        tmk_buf_adds(o, " mixed");
    else if (f & TMK__WF_LETTER)
        tmk_buf_adds(o, " letters");
    else if (f & TMK__WF_DIGIT)
        tmk_buf_adds(o, " number");
    if (f & TMK__WF_HYPHEN)
        tmk_buf_adds(o, " hyphen");
    if (f & TMK__WF_APOS)
        tmk_buf_adds(o, " apostrophe");
    if (f & TMK__WF_DOT)
        tmk_buf_adds(o, " dot");
    if (f & TMK__WF_GENDER)
        tmk_buf_adds(o, " gender");
    if (sp->dots) {
        char d[32];
        snprintf(d, sizeof d, " dots=%u", sp->dots);
        tmk_buf_adds(o, d);
    }
    if (sp->trunc)
        tmk_buf_adds(o, " cut");
    if (f & TMK__WF_OVER)
        tmk_buf_adds(o, " over");
    tmk_buf_addch(o, '\n');
    return 0;
}

static unsigned parse_info(const char *info, size_t *max)
{
    unsigned flags = 0;
    *max = 0;
    if (strstr(info, "address"))
        flags |= TMK__W_ADDRESS;
    if (strstr(info, "gender"))
        flags |= TMK__W_GENDER;
    if (strstr(info, "bare"))
        flags |= TMK__W_BARE;
    if (strstr(info, "numgroups"))
        flags |= TMK__W_NUMGROUPS;
    if (strstr(info, "uax29"))
        flags |= TMK__W_UAX29;
    if (strstr(info, "words-only"))
        flags |= TMK__W_WORDS_ONLY;
    const char *m = strstr(info, "max=");
    if (m)
        *max = (size_t)strtoul(m + 4, NULL, 10);
    return flags;
}

static void check_example(const char *path, unsigned long line, const char *info,
                          const tmk_buf *in, const tmk_buf *want, void *ud)
{
    (void)ud;
    size_t max;
    unsigned flags = parse_info(info, &max);
    size_t len = in->len && in->data[in->len - 1] == '\n' ? in->len - 1 : in->len;
    tmk_buf got = TMK_BUF_INIT;
    struct out u = {in->data, &got};
    assert_int_equal(tmk__words_scan(in->data, len, flags, max, NULL, on_span, &u), 0);
    if (got.len != want->len || memcmp(got.data, want->data, got.len))
        fail_msg("%s:%lu: the scanner gives\n%s\ninstead of\n%s", path, line, got.data,
                 want->data);
    tmk_buf_release(&got);
}

static void test_words_spec_file_examples(void **state)
{
    (void)state;
    /* at least as many as the file had when this test was written: the
     * file was found and read */
    assert_true(spec_file_foreach("words.txt", unesc, check_example, NULL) >= 20);
}

/* ---- properties on generated text --------------------------------------- */

struct tile {
    const char *text;
    size_t len, end;
    unsigned long col;
    int words_only;
};

static int on_tile(const tmk__span *sp, void *ud)
{
    struct tile *t = ud;
    /* spans follow one another without gaps (words-only: without overlap) */
    if (t->words_only)
        assert_true(sp->off >= t->end);
    else
        assert_int_equal(sp->off, t->end);
    assert_true(sp->len > 0 && sp->off + sp->len <= t->len);
    /* the column is the code points before the span, plus one (a byte that
     * is not UTF-8 counts as one) */
    unsigned long col = 1;
    for (size_t i = 0, adv; i < sp->off; i += adv, col++)
        tmk_utf8_decode(t->text + i, t->len - i, &adv);
    assert_int_equal(sp->col, col);
    if (sp->kind == TMK__SPAN_WORD) {
        assert_true(sp->n > 0 && sp->a <= sp->b && sp->b <= sp->n);
        assert_int_equal(sp->c[0].off, sp->off);
        for (size_t i = 1; i < sp->n; i++)
            assert_true(sp->c[i].off > sp->c[i - 1].off);
        assert_true(sp->c[sp->n - 1].off + sp->c[sp->n - 1].n <= sp->off + sp->len);
    }
    t->end = sp->off + sp->len;
    return 0;
}

static void test_spans_tile_the_text_in_every_mode(void **state)
{
    (void)state;
    static const char *const atoms[] = {
        "a", "Z", "\xC3\xA4", "7", "-", "'", ".", ",", " ", "\xC2\xA0", "\xE2\x80\x99",
        "\xC2\xAD", "*", "innen", "(in)", "/", "@", "://", "\xF0\x9F\x98\x80", "\xFF", "\xE2\x80",
        "\xD9\x85", "\xE2\x83\x9D", "=", "\t"};
    unsigned seed = 12345;
    for (int round = 0; round < 3000; round++) {
        tmk_buf s = TMK_BUF_INIT;
        int n = (int)(seed % 40);
        for (int i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            tmk_buf_adds(&s, atoms[(seed >> 16) % (sizeof atoms / sizeof *atoms)]);
        }
        seed = seed * 1103515245u + 12345u;
        unsigned flags = (seed >> 16) & 63;
        size_t max = (seed >> 22) & 1 ? 3 : 0;
        struct tile t = {s.data, s.len, 0, 0, (flags & TMK__W_WORDS_ONLY) != 0};
        assert_int_equal(tmk__words_scan(s.data, s.len, flags, max, NULL, on_tile, &t), 0);
        if (!t.words_only)
            assert_int_equal(t.end, s.len);
        tmk_buf_release(&s);
    }
}

/* Unicode's boundaries tile valid text too, ASCII or not (the ASCII path
 * does without the break array). */
static void test_uax29_segments_tile_valid_text(void **state)
{
    (void)state;
    static const char *const atoms[] = {"a", "Z", "7", "_", ".", ",", ":", ";", "'", " ",
                                        "\t", "!", "\xC3\xA9", "\xE6\x97\xA5", "\xC2\xA0"};
    unsigned seed = 777;
    for (int round = 0; round < 3000; round++) {
        tmk_buf s = TMK_BUF_INIT;
        int n = (int)(seed % 30);
        int ascii = round % 2;
        for (int i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            size_t k = (seed >> 16) % (sizeof atoms / sizeof *atoms - (ascii ? 3 : 0));
            tmk_buf_adds(&s, atoms[k]);
        }
        seed = seed * 1103515245u + 12345u;
        struct tile t = {s.data, s.len, 0, 0, 0};
        assert_int_equal(tmk__words_scan(s.data, s.len, TMK__W_UAX29, 0, NULL, on_tile, &t), 0);
        assert_int_equal(t.end, s.len);
        tmk_buf_release(&s);
    }
}

static int stop_at_second(const tmk__span *sp, void *ud)
{
    (void)sp;
    int *n = ud;
    return ++*n == 2 ? -42 : 0;
}

static void test_callback_result_stops_the_scan(void **state)
{
    (void)state;
    int n = 0;
    assert_int_equal(tmk__words_scan("one two three", 13, 0, 0, NULL, stop_at_second, &n), -42);
    assert_int_equal(n, 2);
}

static int keep_last(const tmk__span *sp, void *ud)
{
    *(tmk__span *)ud = *sp;
    return 0;
}

static void test_long_word_is_cut_at_max_and_scratch_is_reused(void **state)
{
    (void)state;
    tmk_buf s = TMK_BUF_INIT;
    for (int i = 0; i < 1000; i++)
        tmk_buf_adds(&s, "\xC3\xA4");
    tmk__words_mem mem = TMK__WORDS_MEM_INIT;
    tmk__span last;
    for (int pass = 0; pass < 2; pass++) {
        assert_int_equal(tmk__words_scan(s.data, s.len, 0, 300, &mem, keep_last, &last), 0);
        assert_int_equal(last.n, 300);
        assert_int_equal(last.over_end, s.len);
        assert_int_equal(last.len, s.len);
        assert_true(last.flags & TMK__WF_OVER);
        assert_int_equal(tmk__words_scan(s.data, s.len, 0, 0, &mem, keep_last, &last), 0);
        assert_int_equal(last.n, 1000);
        assert_int_equal(last.b, 1000);
        assert_int_equal(last.over_end, 0);
    }
    tmk__words_release(&mem);
    tmk_buf_release(&s);
}

struct clean {
    const char *text;
    tmk_buf w;
};

/* the characters are the scanner's: valid during the call only */
static int clean_word(const tmk__span *sp, void *ud)
{
    struct clean *k = ud;
    return sp->kind == TMK__SPAN_WORD ? tmk__words_clean(&k->w, k->text, sp->c, sp->a, sp->b)
                                      : 0;
}

static void test_clean_form_drops_invisible_and_makes_ascii(void **state)
{
    (void)state;
    /* "Ver<SHY>trag\u2011s\u2019n" */
    struct clean k = {"Ver\xC2\xADtrag\xE2\x80\x91s\xE2\x80\x99n", TMK_BUF_INIT};
    assert_int_equal(tmk__words_scan(k.text, strlen(k.text), 0, 0, NULL, clean_word, &k), 0);
    assert_string_equal(k.w.data, "Vertrag-s'n");
    tmk_buf_release(&k.w);
}

static void test_address_rules(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int want;
    } cases[] = {
        {"https://example.com", 1}, {"www.example.org", 1}, {"(www.example.org)", 1},
        {"--max-depth=0", 1},        {"-perm", 1},           {"g=w", 1},
        {"user@example.com", 1},     {"/usr/bin", 1},        {"~/notes", 1},
        {"./configure", 1},          {"../x", 1},            {"C:\\Windows", 1},
        {"a/b/c", 1},                {"und/oder", 0},        {"20-jährige", 0},
        {"E-Mail", 0},               {"@home", 0},           {"z.B.", 0},
        {"-jährige", 1}, /* like an option (-perm): skipped by spell */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        if (tmk__word_is_address(cases[i].s, strlen(cases[i].s)) != cases[i].want)
            fail_msg("%s: address %d, expected %d", cases[i].s, !cases[i].want, cases[i].want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_words_spec_file_examples),
        cmocka_unit_test(test_spans_tile_the_text_in_every_mode),
        cmocka_unit_test(test_uax29_segments_tile_valid_text),
        cmocka_unit_test(test_callback_result_stops_the_scan),
        cmocka_unit_test(test_long_word_is_cut_at_max_and_scratch_is_reused),
        cmocka_unit_test(test_clean_form_drops_invisible_and_makes_ascii),
        cmocka_unit_test(test_address_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
