/* spell_ngram.c -- the candidates for Hunspell's n-gram stage.
 *
 * Hunspell's last suggestion stage scores every root word of the .dic
 * against the misspelling (shared 1-, 2- and 3-grams of the lower-cased
 * words plus the length of their common start), keeps the 100 best roots,
 * expands their affixes and ranks the forms.  Scanning all roots costs
 * tens of milliseconds a word.  Here the roots are indexed once (lower-
 * cased code points and a 256-bit set of their n-grams); for a word, a
 * quick score on the sets picks a few thousand roots, the n-gram score
 * itself picks the TMK__NGRAM_ROOTS best of those, and a .dic made of
 * them (with the first line of the real one, so that Hunspell sizes and
 * walks its table in the same order) goes to a Hunspell handle whose own
 * n-gram stage then chooses, expands and ranks exactly as on the whole
 * dictionary, as long as its 100 best roots are among ours.
 */
#include <config.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "internal.h"
#include "spell_int.h"

#define MAXCP 64 /* longer roots and words are scored on their start */

struct tmk__ngram {
    tmk_buf text;    /* the .dic file */
    size_t head;     /* bytes of its first line (with the newline) */
    uint32_t *line;  /* root i: its line in text (offset), */
    uint32_t *llen;  /* and length without the newline */
    uint32_t *cpoff; /* its lower-cased code points in cps[cpoff[i]..] */
    uint8_t *clen;   /* number of code points (at most MAXCP) */
    uint64_t (*set)[4];
    int32_t *cps;
    size_t n;
};

static uint64_t mix(uint32_t a, uint32_t b, uint32_t c)
{
    uint64_t h = (uint64_t)a * 0x9E3779B97F4A7C15ULL;
    h ^= (uint64_t)b * 0xC2B2AE3D27D4EB4FULL + (h >> 29);
    h ^= (uint64_t)c * 0x165667B19E3779F9ULL + (h >> 31);
    return h ^ (h >> 32);
}

/* The 1-, 2- and 3-grams of s as bits of a 256-bit set. */
static void gram_set(const int32_t *s, size_t l, uint64_t set[4])
{
    memset(set, 0, 4 * sizeof *set);
    for (size_t i = 0; i < l; i++) {
        uint64_t h[3] = {
            mix((uint32_t)s[i], 1, 0), i + 1 < l ? mix((uint32_t)s[i], (uint32_t)s[i + 1], 2) : 0,
            i + 2 < l ? mix((uint32_t)s[i], (uint32_t)s[i + 1], (uint32_t)s[i + 2] + 3u) : 0};
        for (int k = 0; k < 3; k++)
            if (h[k])
                set[(h[k] >> 6) & 3] |= (uint64_t)1 << (h[k] & 63);
    }
}

/* Lower-cased code points of UTF-8 s (at most MAXCP); returns the count. */
static size_t lower_cps(const char *s, size_t n, int32_t *out)
{
    size_t l = 0;
    for (size_t i = 0; i < n && l < MAXCP;) {
        size_t adv;
        int32_t c = tmk_utf8_decode(s + i, n - i, &adv);
        if (c < 0) {
            c = (unsigned char)s[i];
            adv = 1;
        }
        out[l++] = tmk_utf8_tolower(c);
        i += adv;
    }
    return l;
}

/* The end of the word of a .dic line: an unescaped '/', a tab, or a space
 * before a morphological field ("st:"). */
static size_t word_end(const char *p, size_t l)
{
    for (size_t i = 0; i < l; i++) {
        if (p[i] == '/' && i > 0 && p[i - 1] != '\\')
            return i;
        if (p[i] == '\t')
            return i;
        if (p[i] == ' ' && i + 3 < l && p[i + 3] == ':')
            return i;
    }
    return l;
}

void tmk__ngram_free(struct tmk__ngram *ng)
{
    if (!ng)
        return;
    tmk_buf_release(&ng->text);
    free(ng->line);
    free(ng->llen);
    free(ng->cpoff);
    free(ng->clen);
    free(ng->set);
    free(ng->cps);
    free(ng);
}

/* Index the roots of the .dic file at path, in encoding enc (NULL or
 * "UTF-8": UTF-8). */
int tmk__ngram_load(const char *path, const char *enc, struct tmk__ngram **out)
{
    *out = NULL;
    struct tmk__ngram *ng = calloc(1, sizeof *ng);
    if (!ng)
        return TMK_ENOMEM;
    tmk_buf_init(&ng->text);
    tmk_error e = TMK_ERROR_INIT;
    int rc = tmk_io_read_file(path, &ng->text, &e);
    if (rc < 0) {
        tmk__ngram_free(ng);
        return rc;
    }
    if (ng->text.len > UINT32_MAX) {
        tmk__ngram_free(ng);
        return TMK_ELIMIT;
    }
    const char *t = ng->text.data;
    size_t len = ng->text.len, lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += t[i] == '\n';
    lines++;
    const char *nl = memchr(t, '\n', len);
    ng->head = nl ? (size_t)(nl - t) + 1 : len;
    ng->line = malloc(lines * sizeof *ng->line);
    ng->llen = malloc(lines * sizeof *ng->llen);
    ng->cpoff = malloc(lines * sizeof *ng->cpoff);
    ng->clen = malloc(lines);
    ng->set = malloc(lines * sizeof *ng->set);
    size_t cpcap = 1 << 16;
    ng->cps = malloc(cpcap * sizeof *ng->cps);
    iconv_t cd = (iconv_t)-1;
    if (enc && strcasecmp(enc, "UTF-8") && strcasecmp(enc, "UTF8"))
        cd = iconv_open("UTF-8", enc);
    rc = ng->line && ng->llen && ng->cpoff && ng->clen && ng->set && ng->cps ? TMK_OK : TMK_ENOMEM;
    if (rc == TMK_OK && enc && cd == (iconv_t)-1 && strcasecmp(enc, "UTF-8") &&
        strcasecmp(enc, "UTF8"))
        rc = TMK_EINVAL;
    size_t ncp = 0;
    char conv[4 * MAXCP * 2];
    for (size_t i = ng->head; i < len && rc == TMK_OK;) {
        const char *p = t + i, *q = memchr(p, '\n', len - i);
        size_t l = q ? (size_t)(q - p) : len - i;
        i += l + 1;
        size_t ll = l;
        while (ll && p[ll - 1] == '\r')
            ll--;
        size_t we = word_end(p, ll);
        if (!we || p[0] == '\t')
            continue;
        const char *w = p;
        size_t wl = we;
        if (cd != (iconv_t)-1) {
            char *in = (char *)(uintptr_t)p, *o = conv;
            size_t il = we < MAXCP ? we : MAXCP, ol = sizeof conv;
            iconv(cd, NULL, NULL, NULL, NULL);
            if (iconv(cd, &in, &il, &o, &ol) == (size_t)-1 && errno != E2BIG)
                continue;
            w = conv;
            wl = (size_t)(o - conv);
        }
        if (ncp + MAXCP > cpcap) {
            int32_t *x = realloc(ng->cps, cpcap * 2 * sizeof *x);
            if (!x) {
                rc = TMK_ENOMEM;
                break;
            }
            ng->cps = x;
            cpcap *= 2;
        }
        size_t c = lower_cps(w, wl, ng->cps + ncp);
        ng->line[ng->n] = (uint32_t)(p - t);
        ng->llen[ng->n] = (uint32_t)ll;
        ng->cpoff[ng->n] = (uint32_t)ncp;
        ng->clen[ng->n] = (uint8_t)c;
        gram_set(ng->cps + ncp, c, ng->set[ng->n]);
        ncp += c;
        ng->n++;
    }
    if (cd != (iconv_t)-1)
        iconv_close(cd);
    if (rc < 0) {
        tmk__ngram_free(ng);
        return rc;
    }
    *out = ng;
    return TMK_OK;
}

/* The word's n-grams, numbered for root_score: its distinct code points
 * get the numbers 0..63 (it has at most MAXCP), its distinct 2-grams and
 * 3-grams (as pairs and triples of those numbers) numbers of their own;
 * id[j][i] is the number of the (j+1)-gram at position i.  A root is then
 * read once, marking the word's n-grams it holds in three 64-bit masks,
 * instead of being searched for each n-gram of the word. */
#define GHASH 256 /* open addressing, power of two, > 2 * MAXCP */

struct wgrams {
    size_t l1;
    int32_t ckey[GHASH];
    uint32_t gkey[2][GHASH];
    int8_t cval[GHASH], gval[2][GHASH]; /* -1: empty */
    uint8_t id[3][MAXCP];
};

static unsigned ghash(uint32_t x)
{
    return (x * 2654435761u) >> 24; /* 0..255 */
}

/* The number of code point c in the word, -1 when it has none. */
static int wg_char(const struct wgrams *g, int32_t c)
{
    for (unsigned h = ghash((uint32_t)c);; h = (h + 1) & (GHASH - 1)) {
        if (g->cval[h] < 0)
            return -1;
        if (g->ckey[h] == c)
            return g->cval[h];
    }
}

/* The number of 2-gram (kind 0) or 3-gram (kind 1) key, -1 when none. */
static int wg_gram(const struct wgrams *g, int kind, uint32_t key)
{
    for (unsigned h = ghash(key ^ (uint32_t)kind << 20);; h = (h + 1) & (GHASH - 1)) {
        if (g->gval[kind][h] < 0)
            return -1;
        if (g->gkey[kind][h] == key)
            return g->gval[kind][h];
    }
}

static void wg_init(struct wgrams *g, const int32_t *w, size_t l1)
{
    memset(g->cval, -1, sizeof g->cval);
    memset(g->gval, -1, sizeof g->gval);
    g->l1 = l1;
    int nc = 0, ng[2] = {0, 0};
    for (size_t i = 0; i < l1; i++) {
        int c = wg_char(g, w[i]);
        if (c < 0) {
            unsigned h = ghash((uint32_t)w[i]);
            while (g->cval[h] >= 0)
                h = (h + 1) & (GHASH - 1);
            g->ckey[h] = w[i];
            g->cval[h] = (int8_t)(c = nc++);
        }
        g->id[0][i] = (uint8_t)c;
    }
    for (int kind = 0; kind < 2; kind++) {
        for (size_t i = 0; i + (size_t)kind + 1 < l1; i++) {
            uint32_t key = g->id[0][i] | (uint32_t)g->id[0][i + 1] << 6;
            if (kind)
                key |= (uint32_t)g->id[0][i + 2] << 12;
            int x = wg_gram(g, kind, key);
            if (x < 0) {
                unsigned h = ghash(key ^ (uint32_t)kind << 20);
                while (g->gval[kind][h] >= 0)
                    h = (h + 1) & (GHASH - 1);
                g->gkey[kind][h] = key;
                g->gval[kind][h] = (int8_t)(x = ng[kind]++);
            }
            g->id[kind + 1][i] = (uint8_t)x;
        }
    }
}

/* Hunspell's n-gram similarity of root s2 to word s1 (n = 3, a longer root
 * scores worse: the 1-grams of s1 found in s2, then the 2-grams when at
 * least two 1-grams were, the 3-grams when at least two 2-grams were)
 * plus the length of their common start. */
static int root_score(const struct wgrams *g, const int32_t *s1, const int32_t *s2, size_t l2)
{
    size_t l1 = g->l1;
    uint64_t m[3] = {0, 0, 0};
    int p1 = -1, p2 = -1; /* the numbers of s2[k - 1], s2[k - 2] */
    for (size_t k = 0; k < l2; k++) {
        int c = wg_char(g, s2[k]);
        if (c >= 0) {
            m[0] |= (uint64_t)1 << c;
            int x = p1 >= 0 ? wg_gram(g, 0, (uint32_t)p1 | (uint32_t)c << 6) : -1;
            if (x >= 0) {
                m[1] |= (uint64_t)1 << x;
                /* a 3-gram of the word ends in one of its 2-grams */
                int y = p2 >= 0 ? wg_gram(g, 1, (uint32_t)p2 | (uint32_t)p1 << 6 |
                                                    (uint32_t)c << 12)
                                : -1;
                if (y >= 0)
                    m[2] |= (uint64_t)1 << y;
            }
        }
        p2 = p1;
        p1 = c;
    }
    int score = 0;
    for (size_t j = 0; j < 3; j++) {
        int ns = 0;
        for (size_t i = 0; i + j < l1; i++)
            ns += (int)(m[j] >> g->id[j][i] & 1);
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

int tmk__ngram_score(const int32_t *w, size_t l1, const int32_t *r, size_t l2)
{
    struct wgrams g;
    if (l1 > MAXCP)
        l1 = MAXCP;
    wg_init(&g, w, l1);
    return root_score(&g, w, r, l2);
}

static int popcount64(uint64_t x)
{
    x -= (x >> 1) & 0x5555555555555555ULL;
    x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
    return (int)((x * 0x0101010101010101ULL) >> 56);
}

#define SCORE_MIN (-256)
#define SCORE_SPAN 1024

/* The smallest score t such that at least want items score t or more
 * (hist counts the items per score - SCORE_MIN). */
static int cut_score(const size_t *hist, size_t want)
{
    size_t have = 0;
    for (int s = SCORE_SPAN - 1; s > 0; s--) {
        have += hist[s];
        if (have >= want)
            return s + SCORE_MIN;
    }
    return SCORE_MIN;
}

static int clampi(int s)
{
    return s < SCORE_MIN ? SCORE_MIN : s >= SCORE_MIN + SCORE_SPAN ? SCORE_MIN + SCORE_SPAN - 1 : s;
}

static int by_line(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* The quick score of every root (shared n-grams as set bits, less the
 * length penalty, plus the common start) into quick[], counted in hist.
 * The popcounts are most of the cost of a word: where the processor has
 * an instruction for them, a copy compiled for it is used. */
static inline __attribute__((always_inline)) void quick_body(const struct tmk__ngram *ng,
                                                             const int32_t *w, size_t l1,
                                                             const uint64_t ws[4], int *quick,
                                                             size_t *hist, int hw)
{
    for (size_t i = 0; i < ng->n; i++) {
        const uint64_t *rs = ng->set[i];
        int s;
        if (hw)
            s = __builtin_popcountll(rs[0] & ws[0]) + __builtin_popcountll(rs[1] & ws[1]) +
                __builtin_popcountll(rs[2] & ws[2]) + __builtin_popcountll(rs[3] & ws[3]);
        else
            s = popcount64(rs[0] & ws[0]) + popcount64(rs[1] & ws[1]) +
                popcount64(rs[2] & ws[2]) + popcount64(rs[3] & ws[3]);
        const int32_t *r = ng->cps + ng->cpoff[i];
        size_t l2 = ng->clen[i];
        long d = (long)l2 - (long)l1 - 2;
        s -= d > 0 ? (int)d : 0;
        size_t c = 0;
        while (c < l1 && c < l2 && r[c] == w[c])
            c++;
        s = clampi(s + (int)c);
        quick[i] = s;
        hist[s - SCORE_MIN]++;
    }
}

static void quick_generic(const struct tmk__ngram *ng, const int32_t *w, size_t l1,
                          const uint64_t ws[4], int *quick, size_t *hist)
{
    quick_body(ng, w, l1, ws, quick, hist, 0);
}

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
__attribute__((target("popcnt"))) static void quick_popcnt(const struct tmk__ngram *ng,
                                                            const int32_t *w, size_t l1,
                                                            const uint64_t ws[4], int *quick,
                                                            size_t *hist)
{
    quick_body(ng, w, l1, ws, quick, hist, 1);
}

static void quick_scores(const struct tmk__ngram *ng, const int32_t *w, size_t l1,
                         const uint64_t ws[4], int *quick, size_t *hist)
{
    if (__builtin_cpu_supports("popcnt"))
        quick_popcnt(ng, w, l1, ws, quick, hist);
    else
        quick_generic(ng, w, l1, ws, quick, hist);
}
#else
#define quick_scores quick_generic
#endif

int tmk__ngram_dic(const struct tmk__ngram *ng, const char *word, size_t n, size_t k, tmk_buf *out)
{
    int32_t w[MAXCP];
    size_t l1 = lower_cps(word, n, w);
    uint64_t ws[4];
    gram_set(w, l1, ws);
    size_t *hist = calloc(SCORE_SPAN, sizeof *hist);
    int *quick = malloc((ng->n ? ng->n : 1) * sizeof *quick);
    size_t pre = k * 2;
    uint32_t *pick = malloc((pre + 1) * sizeof *pick);
    int *exact = malloc((pre + 1) * sizeof *exact);
    int rc = hist && quick && pick && exact ? TMK_OK : TMK_ENOMEM;
    size_t np = 0, nk = 0;
    struct wgrams wg;
    if (rc == TMK_OK) {
        quick_scores(ng, w, l1, ws, quick, hist);
        wg_init(&wg, w, l1);
        int cut = cut_score(hist, pre);
        for (size_t i = 0; i < ng->n && np < pre; i++)
            if (quick[i] > cut)
                pick[np++] = (uint32_t)i;
        for (size_t i = 0; i < ng->n && np < pre; i++)
            if (quick[i] == cut)
                pick[np++] = (uint32_t)i;
        memset(hist, 0, SCORE_SPAN * sizeof *hist);
        for (size_t j = 0; j < np; j++) {
            uint32_t i = pick[j];
            exact[j] = clampi(root_score(&wg, w, ng->cps + ng->cpoff[i], ng->clen[i]));
            hist[exact[j] - SCORE_MIN]++;
        }
        cut = cut_score(hist, k);
        for (size_t j = 0; j < np; j++)
            if (exact[j] >= cut && nk < 2 * k)
                pick[nk++] = pick[j];
        qsort(pick, nk, sizeof *pick, by_line);
    }
    if (rc == TMK_OK)
        rc = tmk_buf_add(out, ng->text.data, ng->head);
    for (size_t j = 0; j < nk && rc == TMK_OK; j++) {
        rc = tmk_buf_add(out, ng->text.data + ng->line[pick[j]], ng->llen[pick[j]]);
        if (rc == TMK_OK)
            rc = tmk_buf_addch(out, '\n');
    }
    free(hist);
    free(quick);
    free(pick);
    free(exact);
    return rc;
}
