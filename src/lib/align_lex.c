/* align_lex.c -- the lexicon of an alignment run: tokeniser, word types of
 * both documents, their evidence weights, Hunspell stems, cognates and the
 * translation pairs (dictionary pairs come in through tmk__lex_add_pair
 * from align_dict.c).  Calls nothing in the model or the driver; the stems
 * are asked for through the lexicon's need_stems callback. */
#include <config.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include "internal.h"
#include "align_int.h"
#include "words_int.h"

/* ---------------------------------------------------------------- lexicon */




#define PFX_BITS 16

struct stemref {
    uint32_t off, len; /* key in lex->stemchars */
    uint32_t type;     /* the word type it is a stem of */
};

static uint32_t hash_bytes(const char *s, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static long lex_lookup(const tmk__lex *x, const char *s, size_t len)
{
    if (!x->nslots)
        return -1;
    size_t mask = x->nslots - 1;
    for (size_t i = hash_bytes(s, len) & mask;; i = (i + 1) & mask) {
        uint32_t v = x->slots[i];
        if (!v)
            return -1;
        const struct type *t = &x->types[v - 1];
        if (t->len == len && !memcmp(x->chars + t->off, s, len))
            return (long)(v - 1);
    }
}

static int lex_rehash(tmk__lex *x, size_t nslots)
{
    uint32_t *slots = calloc(nslots, sizeof *slots);
    if (!slots)
        return TMK_ENOMEM;
    for (size_t k = 0; k < x->ntypes; k++) {
        const struct type *t = &x->types[k];
        size_t i = hash_bytes(x->chars + t->off, t->len) & (nslots - 1);
        while (slots[i])
            i = (i + 1) & (nslots - 1);
        slots[i] = (uint32_t)k + 1;
    }
    free(x->slots);
    x->slots = slots;
    x->nslots = nslots;
    return TMK_OK;
}

/* Find or add a type; returns its index or a negative error. */
static long lex_intern(tmk__lex *x, const char *s, size_t len, uint32_t nchar, int kind)
{
    long k = lex_lookup(x, s, len);
    if (k >= 0)
        return k;
    if ((x->ntypes + 1) * 2 > x->nslots)
        TMK_TRY(lex_rehash(x, x->nslots ? x->nslots * 2 : 1024));
    if (x->ntypes == x->captypes) {
        size_t cap = x->captypes ? x->captypes * 2 : 1024;
        struct type *t = realloc(x->types, cap * sizeof *t);
        if (!t)
            return TMK_ENOMEM;
        x->types = t;
        x->captypes = cap;
    }
    if (x->nchars + len > x->capchars) {
        size_t cap = x->capchars ? x->capchars : 8192;
        while (cap < x->nchars + len)
            cap *= 2;
        char *c = realloc(x->chars, cap);
        if (!c)
            return TMK_ENOMEM;
        x->chars = c;
        x->capchars = cap;
    }
    memcpy(x->chars + x->nchars, s, len);
    struct type *t = &x->types[x->ntypes];
    memset(t, 0, sizeof *t);
    t->off = (uint32_t)x->nchars;
    t->len = (uint32_t)len;
    t->nchar = nchar;
    t->kind = (uint8_t)kind;
    x->nchars += len;
    size_t i = hash_bytes(s, len) & (x->nslots - 1);
    while (x->slots[i])
        i = (i + 1) & (x->nslots - 1);
    x->slots[i] = (uint32_t)x->ntypes + 1;
    return (long)x->ntypes++;
}

int tmk__lex_add_pair(tmk__lex *x, uint32_t s, uint32_t t)
{
    if (x->npairs == x->cappairs) {
        size_t cap = x->cappairs ? x->cappairs * 2 : 1024;
        struct pair *p = realloc(x->pairs, cap * sizeof *p);
        if (!p)
            return TMK_ENOMEM;
        x->pairs = p;
        x->cappairs = cap;
    }
    x->pairs[x->npairs].s = s;
    x->pairs[x->npairs].t = t;
    x->npairs++;
    return TMK_OK;
}

int tmk__lex_add_dict_pair(tmk__lex *x, uint32_t s, uint32_t t)
{
    if (x->dcount) {
        if (x->dcount[s] >= x->dcap)
            return 0;
        x->dcount[s]++;
    }
    TMK_TRY(tmk__lex_add_pair(x, s, t));
    return 1;
}

void tmk__lex_release(tmk__lex *x)
{
    free(x->dcount);
    free(x->types);
    free(x->slots);
    free(x->chars);
    free(x->pairs);
    free(x->stop);
    free(x->sorted[0]);
    free(x->sorted[1]);
    free(x->stems[0]);
    free(x->stems[1]);
    free(x->stemchars);
    free(x->pfx[0]);
    free(x->pfx[1]);
    free(x->pfx4[0]);
    free(x->pfx4[1]);
    free(x->want4[0]);
    free(x->want4[1]);
    free(x->found);
    free(x->known);
    memset(x, 0, sizeof *x);
}

/* ------------------------------------------------------------- tokeniser */

#define TOKMAX 96 /* bytes of one normalised token; longer ones are cut */

/* A token as the tokeniser hands it over. */
struct tok {
    char key[TOKMAX + 8];
    size_t len;
    uint32_t nchar;
    int kind;
    size_t start, end; /* bytes of the word in the text (words only) */
};

int tmk__align_is_quote(int32_t c)
{
    return c == '"' || c == 0x201C || c == 0x201D || c == 0x201E || c == 0x00AB ||
           c == 0x00BB || c == 0x2039 || c == 0x203A || c == 0x201A;
}

/* The punctuation pseudo-token for c, or NULL. */
static const char *punct_key(int32_t c)
{
    switch (c) {
    case '?': case 0xBF: return "\x01?";
    case '!': case 0xA1: return "\x01!";
    case ':': return "\x01:";
    case ';': return "\x01;";
    case '(': case ')': case '[': case ']': return "\x01(";
    case '%': return "\x01%";
    default: return tmk__align_is_quote(c) ? "\x01\"" : NULL;
    }
}

static int is_word_cp(int32_t c)
{
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    return tmk_utf8_is_letter(c) || tmk_utf8_is_digit(c) ||
           utf8proc_category(c) == UTF8PROC_CATEGORY_MN ||
           utf8proc_category(c) == UTF8PROC_CATEGORY_MC;
}

static void tok_addcp(struct tok *t, int32_t c)
{
    if (c < 0x80) {
        if (t->len + 1 > TOKMAX)
            return;
        t->key[t->len++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        t->nchar++;
        return;
    }
    utf8proc_int32_t buf[8];
    int bound = 0;
    utf8proc_ssize_t n = utf8proc_decompose_char(
        c, buf, 8, UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK, &bound);
    if (n < 0 || n > 8) {
        buf[0] = c;
        n = 1;
    }
    for (utf8proc_ssize_t i = 0; i < n; i++) {
        if (t->len + 4 > TOKMAX)
            return;
        int k = tmk_utf8_encode(buf[i], t->key + t->len);
        t->len += (size_t)k;
        t->nchar++;
    }
}

/* Iterate the tokens of s; calls fn for each.  Returns fn's first negative
 * result or 0. */
typedef int (*tok_fn)(const struct tok *t, void *ud);

int32_t tmk__align_cp_at(const char *s, size_t len, size_t i, size_t *adv)
{
    if (i >= len) {
        *adv = 0;
        return -1;
    }
    if ((unsigned char)s[i] < 0x80) {
        *adv = 1;
        return (unsigned char)s[i];
    }
    int32_t c = tmk_utf8_decode(s + i, len - i, adv);
    return c;
}

/* The aligner's tokens on top of the word scanner (words_int.h): bare words
 * (letters, marks, digits; no connectors), numbers with their group
 * separators left out of the key ("1.000,50" -> "100050"; glued letters
 * keep it a word: "3km"), case folded and marks stripped; the punctuation
 * pseudo-tokens of punct_key.  A word's key holds at most TOKMAX bytes, so
 * the scanner keeps at most TOKSCAN characters of it (its span stays
 * whole). */
#define TOKSCAN 4096

struct toks {
    const char *s;
    tok_fn fn;
    void *ud;
};

static int tok_span(const tmk__span *sp, void *ud)
{
    struct toks *x = ud;
    struct tok t;
    if (sp->kind == TMK__SPAN_WORD) {
        t.len = 0;
        t.nchar = 0;
        /* a number without letters glued to it is kind 1 */
        t.kind = sp->c[0].cls == TMK__WC_DIGIT && !(sp->flags & TMK__WF_LETTER);
        t.start = sp->off; /* the surface: a number glued to letters is stemmed */
        t.end = sp->off + sp->len;
        for (size_t i = 0; i < sp->n; i++)
            if (sp->c[i].cls == TMK__WC_LETTER || sp->c[i].cls == TMK__WC_DIGIT)
                tok_addcp(&t, sp->c[i].cp);
        return t.kind || t.len ? x->fn(&t, x->ud) : 0;
    }
    if (sp->kind != TMK__SPAN_PUNCT)
        return 0;
    size_t adv;
    const char *p = punct_key(tmk__word_cp(x->s + sp->off, sp->len, &adv));
    if (!p)
        return 0;
    t.len = strlen(p);
    memcpy(t.key, p, t.len);
    t.nchar = 1;
    t.kind = 2;
    t.start = sp->off;
    t.end = sp->off + sp->len;
    return x->fn(&t, x->ud);
}

static int tokenize(const char *s, size_t len, tok_fn fn, void *ud)
{
    struct toks x = {s, fn, ud};
    return tmk__words_scan(s, len, TMK__W_BARE | TMK__W_NUMGROUPS, TOKSCAN, NULL, tok_span, &x);
}

static uint32_t pfx_hash(const char *key, size_t len);

/* The stems of `side` equal to key: how many, the first at *lo (the table
 * is sorted by key). */
static size_t stem_range(const tmk__lex *x, int side, const char *key, size_t len, size_t *lo)
{
    const struct stemref *v = x->stems[side];
    size_t a = 0, b = x->nstems[side];
    while (a < b) {
        size_t mid = (a + b) / 2;
        size_t ml = v[mid].len < len ? v[mid].len : len;
        int cmp = memcmp(x->stemchars + v[mid].off, key, ml);
        if (cmp < 0 || (cmp == 0 && v[mid].len < len))
            a = mid + 1;
        else
            b = mid;
    }
    *lo = a;
    size_t n = 0;
    while (a + n < x->nstems[side] && v[a + n].len == len &&
           !memcmp(x->stemchars + v[a + n].off, key, len))
        n++;
    return n;
}

/* The dictionary tokeniser: the next word of s from *i into t (words
 * only; digits joined across . and ,).  Returns 0 at the end, 1 for a
 * word, 2 for a word whose first 3 bytes are not in the bit set pfx (when
 * given; t->key is then incomplete: nothing can match it). */
static int dict_word(const char *s, size_t len, size_t *pi, struct tok *t, const uint64_t *pfx)
{
    size_t i = *pi, adv;
    for (;;) {
        if (i >= len) {
            *pi = i;
            return 0;
        }
        int32_t c = tmk__align_cp_at(s, len, i, &adv);
        if (c >= 0 && is_word_cp(c))
            break;
        i += adv ? adv : 1;
    }
    t->len = 0;
    t->nchar = 0;
    int32_t c;
    int rejected = 0;
    while ((c = tmk__align_cp_at(s, len, i, &adv)) >= 0 && (is_word_cp(c) || c == '.' || c == ',')) {
        if (c == '.' || c == ',') {
            size_t a2;
            int32_t d = tmk__align_cp_at(s, len, i + adv, &a2);
            if (!(d >= 0 && tmk_utf8_is_digit(d) && t->len &&
                  isdigit((unsigned char)t->key[t->len - 1])))
                break;
            i += adv;
            continue;
        }
        if (!rejected) {
            tok_addcp(t, c);
            if (pfx && t->len >= 3) {
                /* the first 3 bytes are known: the hash covers no more */
                uint32_t h = pfx_hash(t->key, t->len);
                if (!((pfx[h / 64] >> (h % 64)) & 1))
                    rejected = 1;
                pfx = NULL; /* checked */
            }
        }
        i += adv;
    }
    if (pfx && !rejected && t->len) {
        uint32_t h = pfx_hash(t->key, t->len);
        rejected = !((pfx[h / 64] >> (h % 64)) & 1);
    }
    *pi = i;
    return rejected ? 2 : 1;
}

size_t tmk__lex_word_key(const char *s, size_t len, char *key, size_t cap)
{
    struct tok t;
    size_t i = 0;
    if (!dict_word(s, len, &i, &t, NULL) || t.len > cap)
        return 0;
    memcpy(key, t.key, t.len);
    struct tok u;
    return dict_word(s, len, &i, &u, NULL) ? 0 : t.len;
}

size_t tmk__lex_phrase(const tmk__lex *x, const char *s, size_t len, int side,
                       uint32_t *ids, size_t max, size_t *nfound)
{
    size_t nw = 0, nf = 0, i = 0;
    struct tok t;
    int r;
    while ((r = dict_word(s, len, &i, &t, x->pfx[side]))) {
        nw++;
        if (r == 2)
            continue; /* no type, stem or form of it on this side starts so */
        long k = lex_lookup(x, t.key, t.len);
        if (k >= 0 && x->types[k].df[side] && !x->stop[k] && nf < max)
            ids[nf++] = (uint32_t)k;
        /* the forms whose stem this word is (Seil -> Seilen, Seiles) */
        if (x->nstems[side]) {
            size_t lo, n = stem_range(x, side, t.key, t.len, &lo);
            const struct stemref *v = x->stems[side] + lo;
            for (size_t q = 0; q < n && nf < max; q++)
                if ((long)v[q].type != k && !x->stop[v[q].type])
                    ids[nf++] = v[q].type;
        }
        /* inflected forms: types that extend the word by up to 3 bytes
         * (Berg -> Berge, Berges; montagne -> montagnes) */
        if (t.nchar >= 5 && x->sorted[side]) {
            const uint32_t *v = x->sorted[side];
            size_t lo = 0, hi = x->nsorted[side];
            while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                const struct type *m = &x->types[v[mid]];
                size_t ml = m->len < t.len ? m->len : t.len;
                int cmp = memcmp(x->chars + m->off, t.key, ml);
                if (cmp < 0 || (cmp == 0 && m->len < t.len))
                    lo = mid + 1;
                else
                    hi = mid;
            }
            for (size_t q = lo; q < x->nsorted[side] && nf < max; q++) {
                const struct type *m = &x->types[v[q]];
                if (m->len < t.len || memcmp(x->chars + m->off, t.key, t.len))
                    break;
                if (m->len > t.len && m->len <= t.len + 2)
                    ids[nf++] = v[q];
            }
        }
    }
    *nfound = nf;
    return nw;
}

/* ----------------------------------------------------------- documents */






struct tokctx {
    tmk__lex *lex;
    struct doc *d;
    int side;
    uint32_t segno;
    struct surfaces *sf; /* NULL: no stemming on this side */
};

static int add_token(const struct tok *t, void *ud)
{
    struct tokctx *c = ud;
    long k = lex_intern(c->lex, t->key, t->len, t->nchar, t->kind);
    if (k < 0)
        return (int)k;
    struct type *ty = &c->lex->types[k];
    if (ty->last[c->side] == c->segno + 1)
        return 0; /* each type once per segment */
    if (c->sf && !ty->df[c->side] && t->kind == 0 && t->nchar >= 4) {
        struct surfaces *sf = c->sf;
        if (sf->n == sf->cap) {
            size_t cap = sf->cap ? sf->cap * 2 : 1024;
            struct surface *v = realloc(sf->v, cap * sizeof *v);
            if (!v)
                return TMK_ENOMEM;
            sf->v = v;
            sf->cap = cap;
        }
        sf->v[sf->n++] = (struct surface){(uint32_t)k, c->segno, (uint32_t)t->start,
                                          (uint32_t)(t->end - t->start)};
    }
    ty->last[c->side] = c->segno + 1;
    ty->df[c->side]++;
    struct doc *d = c->d;
    if (d->ntok == d->captok) {
        size_t cap = d->captok ? d->captok * 2 : 4096;
        uint32_t *p = realloc(d->tok, cap * sizeof *p);
        if (!p)
            return TMK_ENOMEM;
        d->tok = p;
        d->captok = cap;
    }
    d->tok[d->ntok++] = (uint32_t)k;
    d->seg[c->segno].n++;
    return 0;
}

int tmk__doc_read(struct doc *d, tmk__lex *lex, int side, const tmk_align_text *t, size_t n,
                    struct surfaces *sf)
{
    d->nseg = n;
    d->seg = calloc(n ? n : 1, sizeof *d->seg);
    if (!d->seg)
        return TMK_ENOMEM;
    d->captok = 256;
    d->tok = malloc(d->captok * sizeof *d->tok); /* never NULL, even without tokens */
    if (!d->tok)
        return TMK_ENOMEM;
    struct tokctx c = {lex, d, side, 0, sf};
    for (size_t i = 0; i < n; i++) {
        c.segno = (uint32_t)i;
        d->seg[i].off = (uint32_t)d->ntok;
        TMK_TRY(tokenize(t[i].s, t[i].len, add_token, &c));
        size_t nc = 0, p = 0, adv;
        while (p < t[i].len) {
            int32_t cp = tmk_utf8_decode(t[i].s + p, t[i].len - p, &adv);
            if (!(cp >= 0 && tmk_utf8_is_space(cp)))
                nc++;
            p += adv;
        }
        d->seg[i].chars = (uint32_t)nc;
        d->chars += (double)nc;
    }
    return 0;
}

/* Keep only evidence tokens (not stop types), at most MAXTOK per segment,
 * rarer types first when there are too many. */
void tmk__doc_filter(struct doc *d, const tmk__lex *lex, int side)
{
    size_t w = 0;
    for (size_t i = 0; i < d->nseg; i++) {
        struct seg *s = &d->seg[i];
        size_t start = w;
        for (uint32_t k = 0; k < s->n; k++) {
            uint32_t ty = d->tok[s->off + k];
            if (!lex->stop[ty])
                d->tok[w++] = ty;
        }
        size_t n = w - start;
        if (n > MAXTOK) {
            /* keep the MAXTOK rarest: selection by document frequency */
            uint32_t *v = d->tok + start;
            for (size_t a = 0; a < MAXTOK; a++) {
                size_t best = a;
                for (size_t b = a + 1; b < n; b++)
                    if (lex->types[v[b]].df[side] < lex->types[v[best]].df[side])
                        best = b;
                uint32_t tmp = v[a];
                v[a] = v[best];
                v[best] = tmp;
            }
            n = MAXTOK;
            w = start + n;
        }
        s->off = (uint32_t)start;
        s->n = (uint32_t)n;
    }
    d->ntok = w;
}

/* Token weights: rarer types weigh more (inverse document frequency,
 * raised to alpha; alpha 0 = every token 1), scaled to a mean of 1. */
int tmk__doc_weights(struct doc *d, const tmk__lex *lex, int side, double alpha)
{
    d->w = malloc((d->ntok ? d->ntok : 1) * sizeof *d->w);
    if (!d->w)
        return TMK_ENOMEM;
    double n = (double)d->nseg, tot = 0;
    for (size_t k = 0; k < d->ntok; k++) {
        double df = lex->types[d->tok[k]].df[side];
        double w = alpha > 0 ? pow(log(1.0 + n / (df > 0 ? df : 1)), alpha) : 1.0;
        d->w[k] = (float)w;
        tot += w;
    }
    double scale = d->ntok && tot > 0 ? (double)d->ntok / tot : 1.0;
    for (size_t i = 0; i < d->nseg; i++) {
        struct seg *s = &d->seg[i];
        double sum = 0;
        for (uint32_t k = 0; k < s->n; k++) {
            d->w[s->off + k] = (float)(d->w[s->off + k] * scale);
            sum += d->w[s->off + k];
        }
        s->wsum = (float)sum;
    }
    return 0;
}

void tmk__doc_release(struct doc *d)
{
    free(d->w);
    free(d->seg);
    free(d->tok);
    memset(d, 0, sizeof *d);
}

/* ------------------------------------------------------------- matches */

struct keyref {
    const char *key;
    uint32_t len, id;
};

static int cmp_key(const void *a, const void *b)
{
    const struct keyref *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->key, y->key, n);
    if (c)
        return c;
    return x->len < y->len ? -1 : x->len > y->len;
}

static uint32_t pfx_hash(const char *key, size_t len)
{
    return hash_bytes(key, len < 3 ? len : 3) & ((1u << PFX_BITS) - 1);
}

static uint32_t pfx4_hash(const char *key, size_t len)
{
    return (hash_bytes(key, len < 4 ? len : 4) * 2654435761u >> (32 - PFX_BITS));
}

int tmk__lex_note_headword(tmk__lex *x, int side, const char *key, size_t len)
{
    if (!x->want4[side]) {
        x->want4[side] = calloc((1u << PFX_BITS) / 64, sizeof **x->want4);
        if (!x->want4[side])
            return TMK_ENOMEM;
    }
    uint32_t h = pfx4_hash(key, len);
    x->want4[side][h / 64] |= (uint64_t)1 << (h % 64);
    return 0;
}

/* Whether a stem of the word type could be a headword noted above. */
static int stem_wanted(const tmk__lex *x, int side, const struct type *ty)
{
    const uint64_t *w = x->want4[side];
    if (!w)
        return 1;
    const char *k = x->chars + ty->off;
    uint32_t h4 = pfx4_hash(k, ty->len), h3 = pfx4_hash(k, ty->len < 3 ? ty->len : 3);
    return (int)(((w[h4 / 64] >> (h4 % 64)) & 1) | ((w[h3 / 64] >> (h3 % 64)) & 1));
}

int tmk__lex_stem_candidate(const tmk__lex *x, int side, const char *key, size_t len)
{
    if (len < 4 || !x->pfx4[side])
        return tmk__lex_prefix_seen(x, side, key, len);
    uint32_t h = pfx4_hash(key, len);
    return (int)((x->pfx4[side][h / 64] >> (h % 64)) & 1);
}

int tmk__lex_prefix_seen(const tmk__lex *x, int side, const char *key, size_t len)
{
    if (!x->pfx[side])
        return 1;
    uint32_t h = pfx_hash(key, len);
    return (int)((x->pfx[side][h / 64] >> (h % 64)) & 1);
}

void tmk__lex_mark_found(tmk__lex *x, const uint32_t *ids, size_t n)
{
    if (x->found)
        for (size_t k = 0; k < n; k++)
            x->found[ids[k]] = 1;
}

void tmk__lex_mark_known(tmk__lex *x, int side, const uint32_t *ids, size_t n)
{
    if (x->known)
        for (size_t k = 0; k < n; k++)
            x->known[ids[k]] |= (uint8_t)(1u << side);
}

int tmk__lex_stems_pending(const tmk__lex *x, int side)
{
    return x->stem_state[side] == 1;
}

int tmk__lex_need_stems(tmk__lex *x, int side)
{
    if (x->stem_state[side] != 1)
        return 0;
    x->stem_state[side] = 2;
    return x->need_stems(x->stem_ud, side);
}

size_t tmk__lex_stem_find(const tmk__lex *x, int side, const char *key, size_t len)
{
    size_t lo;
    return stem_range(x, side, key, len, &lo);
}

/* The evidence word types of each side, sorted by key, for prefix search. */
int tmk__lex_sort_types(tmk__lex *x)
{
    x->dcount = calloc(x->ntypes ? x->ntypes : 1, sizeof *x->dcount);
    x->found = calloc(x->ntypes ? x->ntypes : 1, 1);
    x->known = calloc(x->ntypes ? x->ntypes : 1, 1);
    if (!x->dcount || !x->found || !x->known)
        return TMK_ENOMEM;
    for (int side = 0; side < 2; side++) {
        uint32_t *v = malloc((x->ntypes ? x->ntypes : 1) * sizeof *v);
        struct keyref *r = malloc((x->ntypes ? x->ntypes : 1) * sizeof *r);
        if (!v || !r) {
            free(v);
            free(r);
            return TMK_ENOMEM;
        }
        size_t n = 0;
        x->pfx[side] = calloc((1u << PFX_BITS) / 64, sizeof **x->pfx);
        x->pfx4[side] = calloc((1u << PFX_BITS) / 64, sizeof **x->pfx4);
        if (!x->pfx[side] || !x->pfx4[side]) {
            free(v);
            free(r);
            return TMK_ENOMEM;
        }
        for (size_t k = 0; k < x->ntypes; k++) {
            if (x->types[k].df[side] && !x->stop[k]) {
                uint32_t h = pfx_hash(x->chars + x->types[k].off, x->types[k].len);
                x->pfx[side][h / 64] |= (uint64_t)1 << (h % 64);
            }
            if (x->types[k].df[side] && !x->stop[k] && x->types[k].kind == 0) {
                uint32_t h4 = pfx4_hash(x->chars + x->types[k].off, x->types[k].len);
                x->pfx4[side][h4 / 64] |= (uint64_t)1 << (h4 % 64);
                r[n].key = x->chars + x->types[k].off;
                r[n].len = x->types[k].len;
                r[n].id = (uint32_t)k;
                n++;
            }
        }
        qsort(r, n, sizeof *r, cmp_key);
        for (size_t k = 0; k < n; k++)
            v[k] = r[k].id;
        free(r);
        x->sorted[side] = v;
        x->nsorted[side] = n;
    }
    return 0;
}

/* ---------------------------------------------------------------- stems */

struct stemctx {
    tmk__lex *x;
    int side;
    uint32_t type;
};

static int stem_one(void *ud, const tmk_spell_stem *st)
{
    const char *stem = st->text;
    size_t len = st->len;
    struct stemctx *c = ud;
    tmk__lex *x = c->x;
    struct tok t;
    t.len = 0;
    t.nchar = 0;
    size_t i = 0, adv;
    while (i < len) {
        int32_t cp = tmk__align_cp_at(stem, len, i, &adv);
        if (cp < 0 || !is_word_cp(cp))
            return 0; /* a stem of several words: not a headword form */
        tok_addcp(&t, cp);
        i += adv;
    }
    const struct type *ty = &x->types[c->type];
    if (!t.len || (ty->len == t.len && !memcmp(x->chars + ty->off, t.key, t.len)))
        return 0;
    if (x->nstemchars + t.len > x->capstemchars) {
        size_t cap = x->capstemchars ? x->capstemchars * 2 : 8192;
        while (cap < x->nstemchars + t.len)
            cap *= 2;
        char *p = realloc(x->stemchars, cap);
        if (!p)
            return TMK_ENOMEM;
        x->stemchars = p;
        x->capstemchars = cap;
    }
    int side = c->side;
    if (x->nstems[side] == x->capstems[side]) {
        size_t cap = x->capstems[side] ? x->capstems[side] * 2 : 1024;
        struct stemref *v = realloc(x->stems[side], cap * sizeof *v);
        if (!v)
            return TMK_ENOMEM;
        x->stems[side] = v;
        x->capstems[side] = cap;
    }
    if (x->pfx[side]) {
        uint32_t h = pfx_hash(t.key, t.len);
        x->pfx[side][h / 64] |= (uint64_t)1 << (h % 64);
    }
    memcpy(x->stemchars + x->nstemchars, t.key, t.len);
    x->stems[side][x->nstems[side]++] =
        (struct stemref){(uint32_t)x->nstemchars, (uint32_t)t.len, c->type};
    x->nstemchars += t.len;
    return 0;
}

struct stemsort {
    const char *key;
    struct stemref r;
};

static int cmp_stem(const void *a, const void *b)
{
    const struct stemsort *x = a, *y = b;
    size_t n = x->r.len < y->r.len ? x->r.len : y->r.len;
    int c = memcmp(x->key, y->key, n);
    if (c)
        return c;
    if (x->r.len != y->r.len)
        return x->r.len < y->r.len ? -1 : 1;
    return x->r.type < y->r.type ? -1 : x->r.type > y->r.type;
}

/* The stems of the evidence word types of one side, sorted by key, each
 * (stem, type) once. */
int tmk__lex_stem_side(tmk__lex *x, int side, const tmk_align_text *txt, const struct surfaces *sf,
                     tmk_speller *sp)
{
    struct stemctx c = {x, side, 0};
    for (size_t k = 0; k < sf->n; k++) {
        const struct surface *f = &sf->v[k];
        if (x->stop[f->type] || x->found[f->type])
            continue; /* not evidence, or a headword as it is */
        if (!stem_wanted(x, side, &x->types[f->type]))
            continue; /* no headword its stem could be */
        c.type = f->type;
        int rc = tmk_speller_stem(sp, txt[f->seg].s + f->off, f->len, stem_one, &c, NULL);
        if (rc < 0)
            return rc;
    }
    size_t n = x->nstems[side];
    if (!n)
        return 0;
    struct stemsort *v = malloc(n * sizeof *v);
    if (!v)
        return TMK_ENOMEM;
    for (size_t k = 0; k < n; k++) {
        v[k].r = x->stems[side][k];
        v[k].key = x->stemchars + v[k].r.off;
    }
    qsort(v, n, sizeof *v, cmp_stem);
    size_t w = 0;
    for (size_t k = 0; k < n; k++)
        if (!w || cmp_stem(&v[k], &v[w - 1]))
            v[w++] = v[k];
    for (size_t k = 0; k < w; k++)
        x->stems[side][k] = v[k].r;
    x->nstems[side] = w;
    free(v);
    return 0;
}


static int cmp_pair(const void *a, const void *b)
{
    const struct pair *x = a, *y = b;
    if (x->s != y->s)
        return x->s < y->s ? -1 : 1;
    return x->t < y->t ? -1 : x->t > y->t;
}

static size_t common_prefix(const char *a, size_t la, const char *b, size_t lb)
{
    size_t n = 0;
    while (n < la && n < lb && a[n] == b[n])
        n++;
    return n;
}

/* Cognates: words of 5+ characters sharing a prefix of at least 4 bytes
 * that covers most of the shorter word and half of the longer one. */
int tmk__lex_add_cognates(tmk__lex *x)
{
    /* bucket target types by their first 4 bytes through a sorted index */
    size_t nt = 0;
    uint32_t *tg = malloc((x->ntypes ? x->ntypes : 1) * sizeof *tg);
    if (!tg)
        return TMK_ENOMEM;
    for (size_t k = 0; k < x->ntypes; k++) {
        const struct type *t = &x->types[k];
        if (t->df[1] && !x->stop[k] && t->kind == 0 && t->len >= 5)
            tg[nt++] = (uint32_t)k;
    }
    /* sort by key (insertion into a hash of prefixes would do as well) */
    const tmk__lex *cx = x;
    size_t gap;
    for (gap = nt / 2; gap > 0; gap /= 2)
        for (size_t a = gap; a < nt; a++) {
            uint32_t v = tg[a];
            size_t b = a;
            while (b >= gap) {
                const struct type *p = &cx->types[tg[b - gap]], *q = &cx->types[v];
                if (memcmp(cx->chars + p->off, cx->chars + q->off, 4) <= 0)
                    break;
                tg[b] = tg[b - gap];
                b -= gap;
            }
            tg[b] = v;
        }
    for (size_t k = 0; k < x->ntypes; k++) {
        const struct type *s = &x->types[k];
        if (!s->df[0] || x->stop[k] || s->kind != 0 || s->len < 5)
            continue;
        const char *sk = x->chars + s->off;
        /* binary search the first target with the same 4-byte prefix */
        size_t lo = 0, hi = nt;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (memcmp(x->chars + x->types[tg[mid]].off, sk, 4) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (size_t b = lo; b < nt; b++) {
            const struct type *t = &x->types[tg[b]];
            const char *tk = x->chars + t->off;
            if (memcmp(tk, sk, 4))
                break;
            if (tg[b] == k)
                continue;
            size_t cp = common_prefix(sk, s->len, tk, t->len);
            size_t mn = s->len < t->len ? s->len : t->len;
            size_t mx = s->len < t->len ? t->len : s->len;
            if (cp * 10 >= mn * 7 && cp * 2 >= mx) {
                int rc = tmk__lex_add_pair(x, (uint32_t)k, tg[b]);
                if (rc < 0) {
                    free(tg);
                    return rc;
                }
            }
        }
    }
    free(tg);
    return 0;
}

int tmk__lex_build_matches(tmk__lex *x, struct matches *mt)
{
    for (size_t k = 0; k < x->ntypes; k++)
        if (x->types[k].df[0] && x->types[k].df[1] && !x->stop[k])
            TMK_TRY(tmk__lex_add_pair(x, (uint32_t)k, (uint32_t)k));
    if (x->npairs)
        qsort(x->pairs, x->npairs, sizeof *x->pairs, cmp_pair);
    mt->start = calloc(x->ntypes + 1, sizeof *mt->start);
    mt->m = malloc((x->npairs ? x->npairs : 1) * sizeof *mt->m);
    if (!mt->start || !mt->m)
        return TMK_ENOMEM;
    size_t n = 0;
    for (size_t p = 0; p < x->npairs; p++) {
        if (p && x->pairs[p].s == x->pairs[p - 1].s && x->pairs[p].t == x->pairs[p - 1].t)
            continue;
        if (x->stop[x->pairs[p].s] || x->stop[x->pairs[p].t])
            continue;
        mt->m[n++] = x->pairs[p].t;
        mt->start[x->pairs[p].s + 1]++;
    }
    for (size_t k = 0; k < x->ntypes; k++)
        mt->start[k + 1] += mt->start[k];
    return 0;
}

