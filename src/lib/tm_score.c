/* tm_score.c -- the lookup's tokens and THE score (lookup.h states the
 * formula; this file is its only implementation).
 *
 * A seg-form text is read leniently: an inline element (bpt, ept, it, ph,
 * ut whole; hi/sub start and end tags) is a tag token, an entity is the
 * character it stands for, any other '<' or '&' is itself.  The text
 * between tags goes through the spell tokeniser's word rules
 * (tmk__text_pieces), which give words, numbers, punctuation and runs of
 * white space.
 */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "spell_int.h"
#include "tm_int.h"

uint64_t tm__hash(const void *data, size_t n, uint64_t seed)
{
    const unsigned char *s = data;
    uint64_t h = seed ^ ((uint64_t)n * 0x9E3779B97F4A7C15ULL);
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
        h ^= h >> 31;
        s += 8;
        n -= 8;
    }
    uint64_t w = 0;
    memcpy(&w, s, n);
    h = (h ^ w ^ ((uint64_t)n << 59)) * 0x94d049bb133111ebULL;
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 32;
    return h;
}

#define NUMKEY "\x01"
#define SEED_KEY 0x1234567ULL
#define SEED_RAW 0x7654321ULL
#define SEED_PUNCT 0x55aa55aaULL
#define SEED_TAG 0x3c3c3c3cULL

void tm__seq_release(tm_seq *s)
{
    free(s->w);
    free(s->p);
    free(s->t);
    free(s->dp);
    tmk_buf_release(&s->str);
    tmk_buf_release(&s->tmp);
    tmk_buf_release(&s->tmp2);
}

static int push(tm_tok **arr, size_t *n, size_t *cap, tm_tok **out)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        tm_tok *na = realloc(*arr, nc * sizeof *na);
        if (!na)
            return TMK_ENOMEM;
        *arr = na;
        *cap = nc;
    }
    *out = &(*arr)[(*n)++];
    return 0;
}

/* Append the simple lowercase of s to b. */
static int fold(tmk_buf *b, const char *s, size_t n)
{
    TMK_TRY(tmk_buf_grow(b, n + 8));
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            TMK_TRY(tmk_buf_addch(b, c >= 'A' && c <= 'Z' ? c + 32 : c));
            i++;
            continue;
        }
        size_t adv;
        int32_t cp = tmk_utf8_decode(s + i, n - i, &adv);
        if (cp < 0) {
            TMK_TRY(tmk_buf_add(b, s + i, adv ? adv : 1));
            i += adv ? adv : 1;
            continue;
        }
        char enc[4];
        int k = tmk_utf8_encode(tmk_utf8_tolower(cp), enc);
        TMK_TRY(tmk_buf_add(b, enc, (size_t)k));
        i += adv;
    }
    return 0;
}

static int on_piece(void *ud, int kind, size_t off, size_t len, const char *word, size_t wlen)
{
    tm_seq *s = ud;
    (void)off;
    (void)len;
    tm_tok *t;
    if (!s->any && kind == TMK__P_SPACE)
        s->lead = 1;
    s->any = 1;
    s->trail = kind == TMK__P_SPACE;
    switch (kind) {
    case TMK__P_WORD:
    case TMK__P_NUMBER:
        s->words_total++;
        if (s->nw >= TMK_TM_MAX_TOKENS)
            return 0;
        TMK_TRY(push(&s->w, &s->nw, &s->cw, &t));
        t->roff = (uint32_t)s->str.len;
        t->rlen = (uint32_t)wlen;
        TMK_TRY(tmk_buf_add(&s->str, word, wlen));
        t->hraw = tm__hash(word, wlen, SEED_RAW);
        t->koff = (uint32_t)s->str.len;
        if (kind == TMK__P_NUMBER)
            TMK_TRY(tmk_buf_add(&s->str, NUMKEY, 1));
        else
            TMK_TRY(fold(&s->str, word, wlen));
        t->klen = (uint32_t)(s->str.len - t->koff);
        t->h = tm__hash(s->str.data + t->koff, t->klen, SEED_KEY);
        return 0;
    case TMK__P_PUNCT:
        if (s->np >= TMK_TM_MAX_TOKENS)
            return 0;
        TMK_TRY(push(&s->p, &s->np, &s->cp, &t));
        t->koff = (uint32_t)s->str.len;
        t->klen = (uint32_t)wlen;
        TMK_TRY(tmk_buf_add(&s->str, word, wlen));
        t->h = tm__hash(word, wlen, SEED_PUNCT);
        t->hraw = t->h;
        t->roff = t->koff;
        t->rlen = t->klen;
        return 0;
    case TMK__P_SPACE: {
        uint64_t h = tm__hash(word, wlen, 0x9e3779b97f4a7c15ULL);
        for (size_t i = 0; i < s->nspace; i++)
            if (s->space[i] == h)
                return 0;
        if (s->nspace < TM_SPACE_KINDS)
            s->space[s->nspace++] = h;
        return 0;
    }
    default:
        return 0;
    }
}

static int add_tag(tm_seq *s, const char *p, size_t n)
{
    s->any = 1;
    s->trail = 0;
    if (s->nt >= TMK_TM_MAX_TOKENS)
        return 0;
    tm_tok *t;
    TMK_TRY(push(&s->t, &s->nt, &s->ct, &t));
    t->koff = (uint32_t)s->str.len;
    t->klen = (uint32_t)n;
    TMK_TRY(tmk_buf_add(&s->str, p, n));
    t->h = tm__hash(p, n, SEED_TAG);
    t->hraw = t->h;
    t->roff = t->koff;
    t->rlen = t->klen;
    return 0;
}

static int name_end(char c)
{
    return c == ' ' || c == '>' || c == '/' || c == '\t' || c == '\n' || c == '\r';
}

/* The length of the inline tag token at p (p[0] == '<'), 0 if none. */
static size_t tag_len(const char *p, size_t n)
{
    static const char *const whole[] = {"bpt", "ept", "it", "ph", "ut"};
    static const char *const open[] = {"hi", "sub"};
    if (n >= 2 && p[1] == '/') {
        for (size_t k = 0; k < 2; k++) {
            size_t m = strlen(open[k]);
            if (n >= m + 3 && !memcmp(p + 2, open[k], m) && p[2 + m] == '>')
                return m + 3;
        }
        return 0;
    }
    const char *name = NULL;
    int is_open = 0;
    size_t m = 0;
    for (size_t k = 0; k < 5 && !name; k++) {
        m = strlen(whole[k]);
        if (n > m + 1 && !memcmp(p + 1, whole[k], m) && name_end(p[1 + m]))
            name = whole[k];
    }
    for (size_t k = 0; k < 2 && !name; k++) {
        m = strlen(open[k]);
        if (n > m + 1 && !memcmp(p + 1, open[k], m) && name_end(p[1 + m])) {
            name = open[k];
            is_open = 1;
        }
    }
    if (!name)
        return 0;
    const char *gt = memchr(p, '>', n);
    if (!gt)
        return 0;
    size_t st = (size_t)(gt - p) + 1;
    if (is_open || gt[-1] == '/')
        return st;
    /* find </name> */
    for (size_t i = st; i + m + 3 <= n; i++)
        if (p[i] == '<' && p[i + 1] == '/' && !memcmp(p + i + 2, name, m) && p[i + 2 + m] == '>')
            return i + m + 3;
    return 0;
}

/* An entity at p (p[0] == '&'): its length, and the character in out. */
static size_t entity(const char *p, size_t n, char out[4], size_t *outn)
{
    static const struct {
        const char *e;
        char c;
    } ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
    for (size_t k = 0; k < 5; k++) {
        size_t m = strlen(ents[k].e);
        if (n >= m && !memcmp(p, ents[k].e, m)) {
            out[0] = ents[k].c;
            *outn = 1;
            return m;
        }
    }
    if (n >= 4 && p[1] == '#') {
        size_t i = 2;
        int hex = 0;
        if (p[2] == 'x' || p[2] == 'X') {
            hex = 1;
            i++;
        }
        long v = 0;
        size_t d0 = i;
        while (i < n && i < d0 + 8) {
            char c = p[i];
            int dv;
            if (c >= '0' && c <= '9')
                dv = c - '0';
            else if (hex && c >= 'a' && c <= 'f')
                dv = c - 'a' + 10;
            else if (hex && c >= 'A' && c <= 'F')
                dv = c - 'A' + 10;
            else
                break;
            v = v * (hex ? 16 : 10) + dv;
            i++;
        }
        if (i > d0 && i < n && p[i] == ';' && v > 0 && v <= 0x10FFFF) {
            int k = tmk_utf8_encode((int32_t)v, out);
            if (k > 0) {
                *outn = (size_t)k;
                return i + 1;
            }
        }
    }
    return 0;
}

static int flush_chunk(tm_seq *s)
{
    if (!s->tmp.len)
        return 0;
    int rc = tmk__text_pieces(s->tmp.data, s->tmp.len, &s->tmp2, on_piece, s);
    tmk_buf_reset(&s->tmp);
    return rc;
}

int tm__seq_tokenize(tm_seq *s, const char *text, size_t len)
{
    s->nw = s->np = s->nt = 0;
    s->nspace = 0;
    s->lead = s->trail = s->any = 0;
    s->words_total = 0;
    tmk_buf_reset(&s->str);
    tmk_buf_reset(&s->tmp);
    if (!memchr(text, '<', len) && !memchr(text, '&', len))
        return tmk__text_pieces(text, len, &s->tmp2, on_piece, s);
    size_t i = 0;
    while (i < len) {
        char c = text[i];
        if (c == '<') {
            size_t tl = tag_len(text + i, len - i);
            if (tl) {
                TMK_TRY(flush_chunk(s));
                TMK_TRY(add_tag(s, text + i, tl));
                i += tl;
                continue;
            }
        } else if (c == '&') {
            char e[4];
            size_t en = 0, el = entity(text + i, len - i, e, &en);
            if (el) {
                TMK_TRY(tmk_buf_add(&s->tmp, e, en));
                i += el;
                continue;
            }
        }
        size_t j = i + 1;
        while (j < len && text[j] != '<' && text[j] != '&')
            j++;
        TMK_TRY(tmk_buf_add(&s->tmp, text + i, j - i));
        i = j;
    }
    return flush_chunk(s);
}

static int tok_eq(const tm_tok *x, const char *xs, const tm_tok *y, const char *ys)
{
    return x->h == y->h && x->klen == y->klen && !memcmp(xs + x->koff, ys + y->koff, x->klen);
}

static int grow_dp(tm_seq *a, size_t need)
{
    if (need <= a->dpcap)
        return 0;
    uint32_t *n = realloc(a->dp, need * sizeof *n);
    if (!n)
        return TMK_ENOMEM;
    a->dp = n;
    a->dpcap = need;
    return 0;
}

#define EDIT 4096u /* one edit; penalty points are counted below it */

/* Levenshtein over the word/number tokens; returns d * EDIT + penalty
 * points of the best alignment with that d. */
static uint32_t word_dist(tm_seq *a, const tm_seq *b)
{
    size_t n = a->nw, m = b->nw;
    uint32_t *prev = a->dp, *cur = a->dp + (m + 1);
    const char *as = a->str.data, *bs = b->str.data;
    for (size_t j = 0; j <= m; j++)
        prev[j] = (uint32_t)j * EDIT;
    for (size_t i = 1; i <= n; i++) {
        const tm_tok *x = &a->w[i - 1];
        cur[0] = (uint32_t)i * EDIT;
        for (size_t j = 1; j <= m; j++) {
            const tm_tok *y = &b->w[j - 1];
            uint32_t sub;
            if (tok_eq(x, as, y, bs)) {
                if (x->hraw == y->hraw && x->rlen == y->rlen &&
                    !memcmp(as + x->roff, bs + y->roff, x->rlen))
                    sub = 0;
                else
                    sub = (x->klen == 1 && as[x->koff] == NUMKEY[0]) ? 2 : 1;
            } else {
                sub = EDIT;
            }
            uint32_t v = prev[j - 1] + sub;
            uint32_t del = prev[j] + EDIT, ins = cur[j - 1] + EDIT;
            if (del < v)
                v = del;
            if (ins < v)
                v = ins;
            cur[j] = v;
        }
        uint32_t *t = prev;
        prev = cur;
        cur = t;
    }
    return prev[m];
}

static uint32_t plain_dist(tm_seq *a, const tm_tok *x, size_t n, const char *as,
                           const tm_tok *y, size_t m, const char *bs)
{
    if (n == 0)
        return (uint32_t)m;
    if (m == 0)
        return (uint32_t)n;
    uint32_t *prev = a->dp, *cur = a->dp + (m + 1);
    for (size_t j = 0; j <= m; j++)
        prev[j] = (uint32_t)j;
    for (size_t i = 1; i <= n; i++) {
        cur[0] = (uint32_t)i;
        for (size_t j = 1; j <= m; j++) {
            uint32_t v = prev[j - 1] + (tok_eq(&x[i - 1], as, &y[j - 1], bs) ? 0 : 1);
            if (prev[j] + 1 < v)
                v = prev[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            cur[j] = v;
        }
        uint32_t *t = prev;
        prev = cur;
        cur = t;
    }
    return prev[m];
}

/* The white space of a text: which runs it has (as a set: "  " and " "
 * are two kinds, the number of runs does not matter, so inserting a word
 * costs nothing here), and whether it starts or ends with white space. */
static int space_differs(const tm_seq *a, const tm_seq *b)
{
    if (a->lead != b->lead || a->trail != b->trail || a->nspace != b->nspace)
        return 1;
    for (size_t i = 0; i < a->nspace; i++) {
        size_t j = 0;
        while (j < b->nspace && b->space[j] != a->space[i])
            j++;
        if (j == b->nspace)
            return 1;
    }
    return 0;
}

int tm__seq_score(tm_seq *a, const char *at, size_t alen, const tm_seq *b, const char *bt,
                  size_t blen)
{
    int identical = alen == blen && !memcmp(at, bt, alen);
    size_t mx = b->nw;
    if (b->np > mx)
        mx = b->np;
    if (b->nt > mx)
        mx = b->nt;
    TMK_TRY(grow_dp(a, 2 * (mx + 1)));
    size_t L = a->nw > b->nw ? a->nw : b->nw;
    uint32_t c = word_dist(a, b);
    long d = (long)(c / EDIT), pen = (long)(c % EDIT);
    long raw = L ? (long)(100 * ((long)L - d) / (long)L) : 100;
    pen += plain_dist(a, a->p, a->np, a->str.data, b->p, b->np, b->str.data);
    pen += plain_dist(a, a->t, a->nt, a->str.data, b->t, b->nt, b->str.data);
    if (space_differs(a, b))
        pen++;
    long s = raw - pen;
    if (s < 0)
        s = 0;
    if (!identical && s > 99)
        s = 99;
    if (identical)
        s = 100;
    return (int)s;
}

int tmk_tm_score(const char *a, size_t alen, const char *b, size_t blen)
{
    tm_seq x = TM_SEQ_INIT, y = TM_SEQ_INIT;
    int rc = tm__seq_tokenize(&x, a, alen);
    if (rc == 0)
        rc = tm__seq_tokenize(&y, b, blen);
    if (rc == 0)
        rc = tm__seq_score(&x, a, alen, &y, b, blen);
    tm__seq_release(&x);
    tm__seq_release(&y);
    return rc;
}

int tmk_tm_text_escape(const char *s, size_t len, tmk_buf *out)
{
    size_t i = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && s[j] != '&' && s[j] != '<' && s[j] != '>')
            j++;
        TMK_TRY(tmk_buf_add(out, s + i, j - i));
        if (j == len)
            break;
        TMK_TRY(tmk_buf_adds(out, s[j] == '&' ? "&amp;" : s[j] == '<' ? "&lt;" : "&gt;"));
        i = j + 1;
    }
    return TMK_OK;
}

int tmk_tm_text_plain(const char *s, size_t len, int keep_tags, tmk_buf *out)
{
    TMK_TRY(tmk_buf_grow(out, len));
    size_t i = 0;
    while (i < len) {
        char c = s[i];
        if (c == '<') {
            size_t tl = tag_len(s + i, len - i);
            if (tl) {
                if (keep_tags) /* else native code dropped, hi/sub text kept */
                    TMK_TRY(tmk_buf_add(out, s + i, tl));
                i += tl;
                continue;
            }
        } else if (c == '&') {
            char e[4];
            size_t en = 0, el = entity(s + i, len - i, e, &en);
            if (el) {
                TMK_TRY(tmk_buf_add(out, e, en));
                i += el;
                continue;
            }
        }
        size_t j = i + 1;
        while (j < len && s[j] != '<' && s[j] != '&')
            j++;
        TMK_TRY(tmk_buf_add(out, s + i, j - i));
        i = j;
    }
    return TMK_OK;
}

size_t tmk_tm_tag_len(const char *s, size_t len)
{
    return s && len && s[0] == '<' ? tag_len(s, len) : 0;
}

long tmk_tm_word_tokens(const char *s, size_t len)
{
    tm_seq x = TM_SEQ_INIT;
    int rc = tm__seq_tokenize(&x, s, len);
    long n = rc < 0 ? rc : (long)x.words_total;
    tm__seq_release(&x);
    return n;
}
