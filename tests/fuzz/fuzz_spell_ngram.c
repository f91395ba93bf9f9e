/* fuzz_spell_ngram.c -- the n-gram root index (spell_ngram.c) on any .dic
 * text.  Input: the first byte picks the encoding (odd: ISO-8859-1, else
 * UTF-8) and the number of roots asked for, the rest up to the first
 * newline is the word, the remainder the .dic file.  The .dic text made
 * for the word must start with the file's first line and hold only lines
 * of the file. */
#include <config.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tmkit/tmkit.h"
#include "spell_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Whether line (n bytes) is a line of text (len bytes). */
static int has_line(const char *text, size_t len, const char *line, size_t n)
{
    for (size_t i = 0; i < len;) {
        const char *q = memchr(text + i, '\n', len - i);
        size_t l = q ? (size_t)(q - text - i) : len - i;
        size_t ll = l;
        while (ll && text[i + ll - 1] == '\r')
            ll--;
        if (ll == n && !memcmp(text + i, line, n))
            return 1;
        i += l + 1;
    }
    return 0;
}

/* Hunspell's score as it defines it (SuggestMgr::ngram with n = 3 and
 * NGRAM_LONGER_WORSE, plus leftcommon_score): each n-gram of s1 searched
 * for in s2.  tmk__ngram_score must give the same. */
static int score_ref(const int32_t *s1, size_t l1, const int32_t *s2, size_t l2)
{
    int score = 0;
    for (size_t j = 1; j <= 3; j++) {
        int ns = 0;
        for (size_t i = 0; i + j <= l1; i++) {
            for (size_t k = 0; k + j <= l2; k++) {
                size_t m = 0;
                while (m < j && s1[i + m] == s2[k + m])
                    m++;
                if (m == j) {
                    ns++;
                    break;
                }
            }
        }
        score += ns;
        if (ns < 2)
            break;
    }
    long d = (long)l2 - (long)l1 - 2;
    score -= d > 0 ? (int)d : 0;
    size_t c = 0;
    if (l1 && l2 && s1[0] == s2[0]) {
        c = 1;
        while (c < l1 && c < l2 && s1[c] == s2[c])
            c++;
    }
    return score + (int)c;
}

/* The score of every root-sized piece of the input against the word, on
 * a small alphabet (each byte's low bits, plus a few large code points)
 * so that n-grams repeat and match. */
static void check_scores(const uint8_t *data, size_t size, size_t wl)
{
    int32_t w[64], r[200];
    size_t l1 = wl < 64 ? wl : 64;
    for (size_t i = 0; i < l1; i++)
        w[i] = data[i] & 8 ? 0x10000 + (data[i] & 3) : data[i] & 7;
    for (size_t at = wl; at < size; at += 37) {
        size_t l2 = size - at < 200 ? size - at : 200;
        for (size_t i = 0; i < l2; i++)
            r[i] = data[at + i] & 8 ? 0x10000 + (data[at + i] & 3) : data[at + i] & 7;
        for (size_t cut = 0; cut <= l2; cut += 1 + cut / 4)
            if (tmk__ngram_score(w, l1, r, cut) != score_ref(w, l1, r, cut))
                __builtin_trap();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *enc = data[0] & 1 ? "ISO-8859-1" : NULL;
    size_t k = data[0] >> 1;
    const char *p = (const char *)data + 1, *end = (const char *)data + size;
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl)
        return 0;
    const char *word = p, *dic = nl + 1;
    size_t wlen = (size_t)(nl - p), dlen = (size_t)(end - dic);
    check_scores((const uint8_t *)p, (size_t)(end - p), wlen);
    char path[] = "/tmp/fuzz_spell_ngram-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return 0;
    int ok = write(fd, dic, dlen) == (ssize_t)dlen;
    close(fd);
    struct tmk__ngram *ng = NULL;
    if (ok && tmk__ngram_load(path, enc, &ng) == 0) {
        tmk_buf out = TMK_BUF_INIT;
        if (tmk__ngram_dic(ng, word, wlen, k, &out) == 0) {
            const char *q = memchr(dic, '\n', dlen);
            size_t head = q ? (size_t)(q - dic) + 1 : dlen;
            if (out.len < head || memcmp(out.data, dic, head))
                __builtin_trap();
            size_t lines = 0;
            for (size_t i = head; i < out.len;) {
                const char *e = memchr(out.data + i, '\n', out.len - i);
                if (!e)
                    __builtin_trap(); /* every root line ends in a newline */
                size_t l = (size_t)(e - out.data - i);
                if (!has_line(dic + head, dlen - head, out.data + i, l))
                    __builtin_trap();
                lines++;
                i += l + 1;
            }
            if (lines > 2 * k)
                __builtin_trap();
        }
        tmk_buf_release(&out);
        tmk__ngram_free(ng);
    }
    unlink(path);
    return 0;
}
