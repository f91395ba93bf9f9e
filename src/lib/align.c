/* align.c -- sentence alignment: lexicon, anchors, banded dynamic program.
 *
 * Overview
 *   1. Tokenise every segment: words are case folded with accents stripped,
 *      digit groups joined ("10.000", "10,000", "10 000" -> "10000"), and
 *      the punctuation that survives translation (? ! : ; quotes,
 *      parentheses) becomes pseudo-tokens.  Tokens found in many segments
 *      of their side (function words) and words shorter than 3 letters are
 *      not evidence and are dropped.
 *   2. Build the matches of each source type: the same type on the target
 *      side (names, numbers, punctuation), dictionary translations, and
 *      cognates (a common prefix of 4+ letters covering most of the word).
 *   3. Anchors: types that occur exactly once on each side; their longest
 *      monotone chain gives the centre of a band of the DP matrix.
 *   4. For each segment pair in the band, bit masks record which tokens of
 *      either segment have a match in the other; a bead's lexical score is
 *      computed from the OR of its pairs' masks, i.e. on the joined text.
 *   5. Dynamic program over beads up to 4-1/1-4; when the best path
 *      touches the band edge the band is widened and the DP re-run.
 */
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

/* ---------------------------------------------------------------- lexicon */

struct type {
    uint32_t off, len;   /* the key in lex->chars */
    uint32_t df[2];      /* segments of each side that hold it */
    uint32_t last[2];    /* last segment counted (+1), to count each once */
    uint32_t nchar;      /* code points */
    uint8_t kind;        /* 0 word, 1 number, 2 punctuation */
};

struct pair {
    uint32_t s, t;
};

struct tmk__lex {
    struct type *types;
    size_t ntypes, captypes;
    uint32_t *slots; /* hash table of type index + 1 */
    size_t nslots;
    char *chars;
    size_t nchars, capchars;
    struct pair *pairs;
    size_t npairs, cappairs;
    uint8_t *stop;   /* per type: not evidence */
    uint32_t *sorted[2]; /* evidence types of each side, sorted by key */
    uint16_t *dcount;    /* dictionary translations kept per source type */
    unsigned dcap;       /* at most this many */
    size_t nsorted[2];
    /* stems: Hunspell's dictionary forms of the word types of each side,
     * normalised like tokens and sorted by key, so that a dictionary
     * headword ("Seil") finds the inflected forms in the text ("Seilen") */
    struct stemref *stems[2];
    size_t nstems[2], capstems[2];
    char *stemchars;
    size_t nstemchars, capstemchars;
    /* stems are made on demand: the Hunspell dictionaries load in a
     * thread while the dictionary index is scanned */
    uint8_t stem_state[2];     /* 0 no stems, 1 coming, 2 ready */
    int (*need_stems)(void *ud, int side);
    void *stem_ud;
    uint64_t *pfx[2];          /* evidence words of each side: their first
                                  3 bytes, hashed into a bit set */
    uint64_t *pfx4[2];         /* the same for their first 4 bytes (words) */
    uint64_t *want4[2];        /* the first 4 bytes of the one-word headwords
                                  a stem could reach (NULL: unknown, stem all) */
    uint8_t *found;            /* per type: a headword found it as written */
};

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

static void lex_release(tmk__lex *x)
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

static int is_quote(int32_t c)
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
    default: return is_quote(c) ? "\x01\"" : NULL;
    }
}

static int is_word_cp(int32_t c)
{
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    return tmk_uc_is_letter(c) || tmk_uc_is_digit(c) ||
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

static int32_t cp_at(const char *s, size_t len, size_t i, size_t *adv)
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

static int tokenize(const char *s, size_t len, tok_fn fn, void *ud)
{
    size_t i = 0, adv;
    struct tok t;
    while (i < len) {
        int32_t c = cp_at(s, len, i, &adv);
        if (c < 0) {
            i += adv;
            continue;
        }
        if (tmk_uc_is_digit(c)) {
            /* a number: digits, with . , ' and thin/normal spaces between
             * groups of three removed */
            t.len = 0;
            t.nchar = 0;
            t.kind = 1;
            t.start = i; /* the surface: a number glued to letters is stemmed */
            size_t group = 0;
            for (;;) {
                c = cp_at(s, len, i, &adv);
                if (c >= 0 && tmk_uc_is_digit(c)) {
                    tok_addcp(&t, c);
                    group++;
                    i += adv;
                    continue;
                }
                if (c == '.' || c == ',' || c == '\'' || c == 0x2019 || c == ' ' ||
                    c == 0xA0 || c == 0x202F || c == 0x2009) {
                    /* separator: joins when followed by digits (a space only
                     * when a group of exactly three digits follows) */
                    size_t j = i + adv, a2, nd = 0;
                    int32_t d;
                    while ((d = cp_at(s, len, j, &a2)) >= 0 && tmk_uc_is_digit(d)) {
                        nd++;
                        j += a2;
                    }
                    int sp = (c == ' ' || c == 0xA0 || c == 0x202F || c == 0x2009);
                    int join = nd > 0 && (!sp || (nd == 3 && group <= 3 &&
                                                  !(d >= 0 && is_word_cp(d))));
                    if (join) {
                        i += adv;
                        group = 0;
                        continue;
                    }
                }
                break;
            }
            /* a number glued to letters (3a, km2) stays one word */
            while ((c = cp_at(s, len, i, &adv)) >= 0 && is_word_cp(c)) {
                tok_addcp(&t, c);
                t.kind = 0;
                i += adv;
            }
            t.end = i;
            TMK_TRY(fn(&t, ud));
            continue;
        }
        if (is_word_cp(c)) {
            t.len = 0;
            t.nchar = 0;
            t.kind = 0;
            t.start = i;
            while ((c = cp_at(s, len, i, &adv)) >= 0 && is_word_cp(c)) {
                tok_addcp(&t, c);
                i += adv;
            }
            t.end = i;
            if (t.len)
                TMK_TRY(fn(&t, ud));
            continue;
        }
        const char *p = punct_key(c);
        if (p) {
            t.len = strlen(p);
            memcpy(t.key, p, t.len);
            t.nchar = 1;
            t.kind = 2;
            t.start = i;
            t.end = i + adv;
            TMK_TRY(fn(&t, ud));
        }
        i += adv;
    }
    return 0;
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
        int32_t c = cp_at(s, len, i, &adv);
        if (c >= 0 && is_word_cp(c))
            break;
        i += adv ? adv : 1;
    }
    t->len = 0;
    t->nchar = 0;
    int32_t c;
    int rejected = 0;
    while ((c = cp_at(s, len, i, &adv)) >= 0 && (is_word_cp(c) || c == '.' || c == ',')) {
        if (c == '.' || c == ',') {
            size_t a2;
            int32_t d = cp_at(s, len, i + adv, &a2);
            if (!(d >= 0 && tmk_uc_is_digit(d) && t->len &&
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

#define MAXTOK 64 /* evidence tokens kept per segment (one bit each) */

struct seg {
    uint32_t off;   /* into doc->tok */
    uint32_t n;     /* tokens (all, before filtering: then evidence) */
    uint32_t chars; /* code points that are not spaces */
    float wsum;     /* evidence weight of its tokens */
};

struct doc {
    struct seg *seg;
    size_t nseg;
    uint32_t *tok;
    size_t ntok, captok;
    double chars;
    float *w;       /* per evidence token: its weight (rarer = heavier) */
};

/* Where a word type was first seen on one side: its surface form is
 * what Hunspell stems. */
struct surface {
    uint32_t type, seg, off, len;
};

struct surfaces {
    struct surface *v;
    size_t n, cap;
};

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

static int doc_read(struct doc *d, tmk__lex *lex, int side, const tmk_text *t, size_t n,
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
            if (!(cp >= 0 && tmk_uc_is_space(cp)))
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
static void doc_filter(struct doc *d, const tmk__lex *lex, int side)
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
static int doc_weights(struct doc *d, const tmk__lex *lex, int side, double alpha)
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

static void doc_release(struct doc *d)
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
static int sort_types(tmk__lex *x)
{
    x->dcount = calloc(x->ntypes ? x->ntypes : 1, sizeof *x->dcount);
    x->found = calloc(x->ntypes ? x->ntypes : 1, 1);
    if (!x->dcount || !x->found)
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

static int stem_one(const char *stem, size_t len, void *ud)
{
    struct stemctx *c = ud;
    tmk__lex *x = c->x;
    struct tok t;
    t.len = 0;
    t.nchar = 0;
    size_t i = 0, adv;
    while (i < len) {
        int32_t cp = cp_at(stem, len, i, &adv);
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
static int stem_side(tmk__lex *x, int side, const tmk_text *txt, const struct surfaces *sf,
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
        int rc = tmk_speller_stem(sp, txt[f->seg].s + f->off, f->len, stem_one, &c);
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

struct matches {
    uint32_t *start; /* per type: first index in m (ntypes + 1 entries) */
    uint32_t *m;
};

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
static int add_cognates(tmk__lex *x)
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

static int build_matches(tmk__lex *x, struct matches *mt)
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

/* ---------------------------------------------------------------- model */

struct params {
    double skip;      /* cost of a 1-0 / 0-1 bead, per segment */
    double wlen;      /* weight of the length cost */
    double wlex;      /* weight of the lexical similarity */
    double s2;        /* Gale-Church variance per character */
    double pen[5][5]; /* extra cost per bead type */
    double k0;        /* smoothing of the similarity denominator */
    double lencap;    /* cap of the length cost */
    double gamma;     /* lexical reward grows with ((a+b)/2)^gamma */
    unsigned dcap;    /* dictionary translations kept per source word */
    double stopbase, stopfrac; /* types in more segments than this are not evidence */
    double idf;       /* token weight = log(1 + N/df)^idf */
    double pcross;    /* paragraph boundary inside one side of a bead */
    double pmis;      /* bead sides disagree about a paragraph start */
    int debris;       /* a segment with at most this many letters is debris */
    double dskip;     /* a debris segment's 1-0 / 0-1 cost, as a part of skip */
    double dpen;      /* cost per debris segment inside a bead larger than 1-1 */
    double cref;      /* confidence: a member with less than cref of its
                         evidence tokens matched lowers it (dictionary only) */
    int split;        /* second pass: split one-sided members off merged beads */
    double sexcl;     /* ... when the other side's evidence only it matches is
                         at most this share */
    double slen;      /* ... and the rest's length cost is lower by this much */
    double smin;      /* ... and it has at least this many evidence tokens */
    double srest;     /* ... and the rest's similarity is at least this */
};

/* with_dict: a bilingual dictionary will be read.  Its translations make
 * the lexical evidence richer, so rare words are weighted up (inverse
 * document frequency squared) instead of frequent ones being dropped, and
 * the bead penalties differ (both sets tuned on the dev set: the whole
 * document and in six parts, so that short documents count too). */
/* Part k (0-based) of a tuning string "P1;P2;P3;P4" into out ("" when
 * absent). */
static void tune_part(const char *tuning, int k, char *out, size_t cap)
{
    out[0] = 0;
    if (!tuning)
        return;
    const char *s = tuning;
    for (; k > 0 && s; k--) {
        s = strchr(s, ';');
        if (s)
            s++;
    }
    if (!s)
        return;
    size_t n = strcspn(s, ";");
    if (n >= cap)
        n = cap - 1;
    memcpy(out, s, n);
    out[n] = 0;
}

static void params_default(struct params *p, int with_dict, const char *tuning)
{
    memset(p, 0, sizeof *p);
    p->skip = 1.3;
    p->gamma = 1.0;
    p->dcap = 8;
    p->wlen = 1.0;
    p->wlex = 6.0;
    p->s2 = 6.8;
    p->k0 = 1.0;
    p->lencap = 12.0;
    p->pcross = 12.0;
    p->pmis = 0.8;
    for (int a = 0; a <= 4; a++)
        for (int b = 0; b <= 4; b++)
            p->pen[a][b] = 99;
    p->pen[1][1] = 0;
    p->pen[2][1] = p->pen[1][2] = 1.2;
    p->pen[2][2] = 2.5;
    p->pen[3][1] = p->pen[1][3] = 2.5;
    p->pen[3][2] = p->pen[2][3] = 3.5;
    p->pen[4][1] = p->pen[1][4] = 3.8;
    p->stopbase = 3;
    p->stopfrac = 0.03;
    p->idf = 0;
    /* debris handling (segments with at most `debris` letters: page
     * numbers, OCR specks) is off: on dev it moved strict F1 by +0.005
     * without a dictionary (1 0.1 0) and lost up to 0.01 on the dev parts
     * with one; on test it was neutral.  TMKIT_ALIGN_TUNE3 turns it on. */
    p->debris = -1;
    p->dskip = 1.0;
    p->dpen = 0;
    /* on dev with a dictionary, at 0.7: precision of the pairs kept 0.914
     * -> 0.921, correct pairs kept 0.917 -> 0.902 (0.25: 0.927 / 0.871) */
    p->cref = 0.15;
    p->split = 1;
    p->sexcl = 0.05;
    p->slen = 0;
    p->smin = 5;
    p->srest = 0;
    if (with_dict) {
        p->skip = 0.91;
        p->wlen = 0.595;
        p->pen[3][1] = p->pen[1][3] = 2.125;
        p->pen[3][2] = p->pen[2][3] = 4.025;
        p->pen[4][1] = p->pen[1][4] = 3.23;
        p->stopbase = HUGE_VAL; /* no frequency limit: weights instead */
        p->idf = 2;
    }
    /* tuning (dev set only), part 1: "skip wlen wlex s2 p21 p22
     * p31 p32 p41 gamma" */
    char e[256];
    tune_part(tuning, 0, e, sizeof e);
    if (*e) {
        double v[10];
        int n = sscanf(e, "%lf %lf %lf %lf %lf %lf %lf %lf %lf %lf", &v[0], &v[1], &v[2], &v[3],
                       &v[4], &v[5], &v[6], &v[7], &v[8], &v[9]);
        if (n == 10) {
            p->gamma = v[9];
            p->skip = v[0];
            p->wlen = v[1];
            p->wlex = v[2];
            p->s2 = v[3];
            p->pen[2][1] = p->pen[1][2] = v[4];
            p->pen[2][2] = v[5];
            p->pen[3][1] = p->pen[1][3] = v[6];
            p->pen[3][2] = p->pen[2][3] = v[7];
            p->pen[4][1] = p->pen[1][4] = v[8];
        }
    }
    /* part 3: "debris dskip dpen" */
    tune_part(tuning, 2, e, sizeof e);
    if (*e) {
        double v[3];
        if (sscanf(e, "%lf %lf %lf", &v[0], &v[1], &v[2]) == 3) {
            p->debris = (int)v[0];
            p->dskip = v[1];
            p->dpen = v[2];
        }
    }
    /* part 4: "split sexcl slen smin srest" (the split pass) */
    tune_part(tuning, 3, e, sizeof e);
    if (*e) {
        double v[5];
        if (sscanf(e, "%lf %lf %lf %lf %lf", &v[0], &v[1], &v[2], &v[3], &v[4]) == 5) {
            p->split = (int)v[0];
            p->sexcl = v[1];
            p->slen = v[2];
            p->smin = v[3];
            p->srest = v[4];
        }
    }
    /* part 2: "stopbase stopfrac idf k0" */
    tune_part(tuning, 1, e, sizeof e);
    if (*e) {
        double v[4];
        if (sscanf(e, "%lf %lf %lf %lf", &v[0], &v[1], &v[2], &v[3]) == 4) {
            p->stopbase = v[0];
            p->stopfrac = v[1];
            p->idf = v[2];
            p->k0 = v[3];
        }
    }
}

static const int bead_types[][2] = {{1, 1}, {1, 0}, {0, 1}, {2, 1}, {1, 2}, {2, 2},
                                    {3, 1}, {1, 3}, {3, 2}, {2, 3}, {4, 1}, {1, 4}};
#define NBT ((int)(sizeof bead_types / sizeof *bead_types))

/* ----------------------------------------------------------------- band */

struct band {
    size_t n, m;          /* segments per side */
    size_t *lo, *hi;      /* node rows 0..n: columns lo..hi inclusive */
    size_t *nodeoff;      /* node row i starts at nodeoff[i] */
    size_t *plo, *phi;    /* pair rows 0..n-1: columns plo..phi-1 */
    size_t pw, nw;        /* widest pair row, widest node row */
    double *cost;         /* ring of 5 node rows (a bead spans at most 4) */
    uint8_t *back;        /* every node: the bead type that reached it */
    uint64_t *ms, *mt;    /* ring of 4 pair rows: matched source / target token bits */
    int direct;           /* masks computed on demand (after the DP) */
};

static void band_free(struct band *b)
{
    free(b->lo);
    free(b->hi);
    free(b->nodeoff);
    free(b->plo);
    free(b->phi);
    free(b->cost);
    free(b->back);
    free(b->ms);
    free(b->mt);
    memset(b, 0, sizeof *b);
}

struct aligner {
    tmk__lex lex;
    struct doc d[2];
    struct matches mt;
    struct params p;
    double ratio;          /* target chars per source char */
    uint32_t *stamp, *pos; /* per type, for pair masks */
    uint32_t stampno;
    uint8_t *pstart[2];    /* per segment: starts a paragraph (NULL = unknown) */
    double *skipc[2];      /* per segment: cost of leaving it unpaired (1-0 / 0-1) */
    double *dpenc[2];      /* per segment: extra cost inside a bead larger than 1-1 */
    double pcross;         /* cost per paragraph boundary inside one side of a bead */
    double pmis;           /* cost of a bead whose sides disagree on a paragraph start */
    /* stemming */
    const tmk_text *txt[2];
    struct surfaces sf[2];
    tmk_speller *stemmer[2];
    int own[2];            /* stemmer[side] was made here */
    const char *lang[2];   /* languages whose stemmers the thread makes */
    pthread_t thread;
    int thread_on;
    int with_dict;         /* a bilingual dictionary is read */
};

/* The thread that loads the Hunspell dictionaries for stemming. */
static void *make_stemmers(void *arg)
{
    struct aligner *A = arg;
    for (int side = 0; side < 2; side++)
        if (A->lang[side]) {
            tmk_spell_options so;
            memset(&so, 0, sizeof so);
            so.lang = A->lang[side];
            so.no_project_wordlists = 1;
            so.cache_entries = 64;                  /* no spell-check here */
            so.suggest_mode = TMK_SUGGEST_HUNSPELL; /* one handle, no fast copy */
            tmk_error err = TMK_ERROR_INIT;
            A->stemmer[side] = tmk_speller_new(&so, &err); /* NULL: none installed */
            A->own[side] = A->stemmer[side] != NULL;
            tmk_error_clear(&err);
        }
    return NULL;
}

static int stem_side(tmk__lex *x, int side, const tmk_text *txt, const struct surfaces *sf,
                     tmk_speller *sp);

static void *free_stemmers(void *arg)
{
    struct aligner *A = arg;
    for (int side = 0; side < 2; side++)
        if (A->own[side]) {
            tmk_speller_free(A->stemmer[side]);
            A->stemmer[side] = NULL;
            A->own[side] = 0;
        }
    return NULL;
}

/* The lexicon needs the stems of one side: wait for the dictionaries,
 * then stem that side's words. */
static int need_stems(void *ud, int side)
{
    struct aligner *A = ud;
    if (A->thread_on) {
        pthread_join(A->thread, NULL);
        A->thread_on = 0;
    }
    int rc = 0;
    if (A->stemmer[side])
        rc = stem_side(&A->lex, side, A->txt[side], &A->sf[side], A->stemmer[side]);
    free(A->sf[side].v);
    memset(&A->sf[side], 0, sizeof A->sf[side]);
    return rc;
}

static void pair_masks(struct aligner *A, size_t i, size_t j, uint64_t *ms, uint64_t *mtg)
{
    const struct seg *ss = &A->d[0].seg[i], *ts = &A->d[1].seg[j];
    const uint32_t *st = A->d[0].tok + ss->off, *tt = A->d[1].tok + ts->off;
    uint32_t no = ++A->stampno;
    for (uint32_t k = 0; k < ts->n; k++) {
        A->stamp[tt[k]] = no;
        A->pos[tt[k]] = k;
    }
    uint64_t a = 0, b = 0;
    for (uint32_t k = 0; k < ss->n; k++) {
        uint32_t ty = st[k];
        for (uint32_t q = A->mt.start[ty]; q < A->mt.start[ty + 1]; q++) {
            uint32_t t = A->mt.m[q];
            if (A->stamp[t] == no) {
                a |= (uint64_t)1 << k;
                b |= (uint64_t)1 << A->pos[t];
            }
        }
    }
    *ms = a;
    *mtg = b;
}

static int band_alloc(struct band *b, size_t n, size_t m, const size_t *center, size_t w)
{
    b->n = n;
    b->m = m;
    b->lo = malloc((n + 1) * sizeof *b->lo);
    b->hi = malloc((n + 1) * sizeof *b->hi);
    b->nodeoff = malloc((n + 2) * sizeof *b->nodeoff);
    b->plo = malloc((n + 1) * sizeof *b->plo);
    b->phi = malloc((n + 1) * sizeof *b->phi);
    if (!b->lo || !b->hi || !b->nodeoff || !b->plo || !b->phi)
        return TMK_ENOMEM;
    for (size_t i = 0; i <= n; i++) {
        size_t c = center[i];
        b->lo[i] = c > w ? c - w : 0;
        b->hi[i] = c + w < m ? c + w : m;
    }
    /* monotone, and the corners included */
    b->lo[0] = 0;
    b->hi[n] = m;
    for (size_t i = 1; i <= n; i++)
        if (b->hi[i] < b->hi[i - 1])
            b->hi[i] = b->hi[i - 1];
    for (size_t i = n; i-- > 0;)
        if (b->lo[i] > b->lo[i + 1])
            b->lo[i] = b->lo[i + 1];
    /* a skip of up to 4 segments must be able to move on: rows overlap */
    for (size_t i = 1; i <= n; i++)
        if (b->lo[i] > b->hi[i - 1])
            b->lo[i] = b->hi[i - 1];
    size_t tot = 0;
    b->nw = 1;
    for (size_t i = 0; i <= n; i++) {
        b->nodeoff[i] = tot;
        tot += b->hi[i] - b->lo[i] + 1;
        if (b->hi[i] - b->lo[i] + 1 > b->nw)
            b->nw = b->hi[i] - b->lo[i] + 1;
    }
    b->nodeoff[n + 1] = tot;
    b->cost = malloc(5 * b->nw * sizeof *b->cost);
    b->back = malloc(tot);
    if (!b->cost || !b->back)
        return TMK_ENOMEM;
    b->pw = 1;
    for (size_t i = 0; i < n; i++) {
        size_t top = i + 4 < n ? i + 4 : n;
        size_t lo = b->lo[i + 1] > 4 ? b->lo[i + 1] - 4 : 0;
        size_t hi = b->hi[top];
        if (hi > m)
            hi = m;
        b->plo[i] = lo;
        b->phi[i] = hi; /* exclusive */
        if (b->phi[i] < b->plo[i])
            b->phi[i] = b->plo[i];
        if (b->phi[i] - b->plo[i] > b->pw)
            b->pw = b->phi[i] - b->plo[i];
    }
    b->ms = malloc(4 * b->pw * sizeof *b->ms);
    b->mt = malloc(4 * b->pw * sizeof *b->mt);
    if (!b->ms || !b->mt)
        return TMK_ENOMEM;
    return 0;
}

/* The masks of pair row i into its ring slot. */
static void band_pair_row(struct aligner *A, struct band *b, size_t i)
{
    size_t base = (i % 4) * b->pw;
    for (size_t j = b->plo[i]; j < b->phi[i]; j++) {
        size_t k = base + (j - b->plo[i]);
        pair_masks(A, i, j, &b->ms[k], &b->mt[k]);
    }
}

static void pair_get(struct aligner *A, const struct band *b, size_t i, size_t j, uint64_t *ms,
                     uint64_t *mt)
{
    if (b->direct) {
        pair_masks(A, i, j, ms, mt);
        return;
    }
    if (j < b->plo[i] || j >= b->phi[i]) {
        *ms = *mt = 0;
        return;
    }
    size_t k = (i % 4) * b->pw + (j - b->plo[i]);
    *ms = b->ms[k];
    *mt = b->mt[k];
}

static inline int popcount64(uint64_t x)
{
#if defined(__POPCNT__)
    return __builtin_popcountll(x);
#else
    x = x - ((x >> 1) & 0x5555555555555555ull);
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
    return (int)((x * 0x0101010101010101ull) >> 56);
#endif
}

/* The summed weight of the tokens whose bits are set. */
static inline double mask_weight(const float *w, uint64_t m)
{
    double s = 0;
    while (m) {
        s += w[__builtin_ctzll(m)];
        m &= m - 1;
    }
    return s;
}

#define MINC_TOKENS 3 /* fewer evidence tokens say too little about a member */

/* Lexical similarity and length cost of the bead of source segments
 * [i0, i0+a) and target segments [j0, j0+b); *minc (may be NULL): the least
 * share of matched evidence of a member with MINC_TOKENS evidence tokens or
 * more (1 when none has as many). */
static void bead_eval_w(struct aligner *A, const struct band *bd, size_t i0, int a, size_t j0,
                        int b, int plain, double *sim, double *lencost, double *minc)
{
    uint64_t tor[4] = {0, 0, 0, 0};
    double ms = 0, tt = 0, ts = 0, mc = 1;
    double l1 = 0, l2 = 0;
    for (int x = 0; x < a; x++) {
        uint64_t sor = 0;
        for (int y = 0; y < b; y++) {
            uint64_t s, t;
            pair_get(A, bd, i0 + (size_t)x, j0 + (size_t)y, &s, &t);
            sor |= s;
            tor[y] |= t;
        }
        const struct seg *sg = &A->d[0].seg[i0 + (size_t)x];
        double mw = plain ? popcount64(sor) : mask_weight(A->d[0].w + sg->off, sor);
        double tw = plain ? sg->n : sg->wsum;
        if (sg->n >= MINC_TOKENS && mw / tw < mc)
            mc = mw / tw;
        ms += mw;
        ts += tw;
        l1 += sg->chars;
    }
    double mtc = 0;
    for (int y = 0; y < b; y++) {
        const struct seg *sg = &A->d[1].seg[j0 + (size_t)y];
        double mw = plain ? popcount64(tor[y]) : mask_weight(A->d[1].w + sg->off, tor[y]);
        double tw = plain ? sg->n : sg->wsum;
        if (sg->n >= MINC_TOKENS && mw / tw < mc)
            mc = mw / tw;
        mtc += mw;
        tt += tw;
        l2 += sg->chars;
    }
    *sim = (ms + mtc) / (ts + tt + A->p.k0);
    double mean = (l1 + l2 / A->ratio) / 2;
    double d = (l2 - l1 * A->ratio) / sqrt((mean + 1) * A->p.s2 * A->ratio);
    double lc = d * d / 2;
    *lencost = lc < A->p.lencap ? lc : A->p.lencap;
    if (minc)
        *minc = mc;
}

/* Weighted similarity, as the DP uses it. */
static void bead_eval(struct aligner *A, const struct band *bd, size_t i0, int a, size_t j0,
                      int b, double *sim, double *lencost)
{
    bead_eval_w(A, bd, i0, a, j0, b, 0, sim, lencost, NULL);
}

static double bead_size(const struct aligner *A, int a, int b)
{
    if (a + b == 2)
        return 1.0;
    return A->p.gamma == 1.0 ? (a + b) / 2.0 : pow((a + b) / 2.0, A->p.gamma);
}

/* Paragraph structure: boundaries crossed inside either side of the bead,
 * and whether both sides agree on starting a paragraph.  0 when the
 * paragraphs are unknown.  Never negative (the DP's pruning relies on it). */
static double para_cost(const struct aligner *A, size_t i0, int a, size_t j0, int b)
{
    if (!A->pstart[0])
        return 0;
    const uint8_t *ps = A->pstart[0], *pt = A->pstart[1];
    int cross = 0;
    for (int x = 1; x < a; x++)
        cross += ps[i0 + (size_t)x];
    for (int y = 1; y < b; y++)
        cross += pt[j0 + (size_t)y];
    return A->pcross * cross + (ps[i0] != pt[j0] ? A->pmis : 0);
}

static double bead_cost(struct aligner *A, const struct band *bd, size_t i0, int a,
                        size_t j0, int b)
{
    if (!a || !b)
        return a ? A->skipc[0][i0] : A->skipc[1][j0];
    double sim, lc, dp = 0;
    bead_eval(A, bd, i0, a, j0, b, &sim, &lc);
    if (a + b > 2) {
        for (int x = 0; x < a; x++)
            dp += A->dpenc[0][i0 + (size_t)x];
        for (int y = 0; y < b; y++)
            dp += A->dpenc[1][j0 + (size_t)y];
    }
    return dp + A->p.pen[a][b] + A->p.wlen * lc - A->p.wlex * sim * bead_size(A, a, b) +
           para_cost(A, i0, a, j0, b);
}

/* Run the DP in the band.  Returns 1 when the best path touches the band
 * edge (the band should be widened), 0 otherwise. */
static int band_dp(struct aligner *A, struct band *b)
{
    size_t n = b->n;
    b->direct = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i)
            band_pair_row(A, b, i - 1);
        for (size_t j = b->lo[i]; j <= b->hi[i]; j++) {
            size_t k = b->nodeoff[i] + (j - b->lo[i]);
            size_t kc = (i % 5) * b->nw + (j - b->lo[i]);
            if (!i && !j) {
                b->cost[kc] = 0;
                b->back[k] = 255;
                continue;
            }
            double best = HUGE_VAL;
            uint8_t bt = 255;
            for (int t = 0; t < NBT; t++) {
                size_t a = (size_t)bead_types[t][0], c = (size_t)bead_types[t][1];
                if (a > i || c > j)
                    continue;
                size_t pi = i - a, pj = j - c;
                if (pj < b->lo[pi] || pj > b->hi[pi])
                    continue;
                double pc = b->cost[(pi % 5) * b->nw + (pj - b->lo[pi])];
                if (pc == HUGE_VAL)
                    continue;
                /* the best this bead could do (similarity 1, perfect
                 * length) cannot beat the best so far: skip it */
                if (a && c && pc + A->p.pen[a][c] - A->p.wlex * bead_size(A, (int)a, (int)c) >= best)
                    continue;
                double cst = pc + bead_cost(A, b, pi, (int)a, pj, (int)c);
                if (cst < best) {
                    best = cst;
                    bt = (uint8_t)t;
                }
            }
            b->cost[kc] = best;
            b->back[k] = bt;
        }
    }
    /* does the path touch an edge that is not the matrix edge? */
    size_t i = n, j = b->m;
    int touch = 0;
    while (i || j) {
        size_t k = b->nodeoff[i] + (j - b->lo[i]);
        if ((j == b->lo[i] && j > 0) || (j == b->hi[i] && j < b->m))
            touch = 1;
        uint8_t t = b->back[k];
        if (t == 255)
            break;
        i -= (size_t)bead_types[t][0];
        j -= (size_t)bead_types[t][1];
    }
    b->direct = 1; /* the rings are stale from here on */
    return touch;
}

/* ---------------------------------------------------------------- anchors */

/* centre[i] for node rows 0..n: a monotone path through anchors (types
 * that occur once on each side), linear between them. */
static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int anchor_centre(const struct aligner *A, size_t *centre, double *ratio)
{
    size_t n = A->d[0].nseg, m = A->d[1].nseg;
    size_t na = 0, cap = 0;
    size_t *ai = NULL, *aj = NULL;
    /* where each once-only target type sits */
    uint32_t *where = malloc((A->lex.ntypes ? A->lex.ntypes : 1) * sizeof *where);
    if (!where)
        return TMK_ENOMEM;
    for (size_t k = 0; k < A->lex.ntypes; k++)
        where[k] = UINT32_MAX;
    for (size_t j = 0; j < m; j++) {
        const struct seg *s = &A->d[1].seg[j];
        for (uint32_t q = 0; q < s->n; q++) {
            uint32_t ty = A->d[1].tok[s->off + q];
            if (A->lex.types[ty].df[1] == 1)
                where[ty] = (uint32_t)j;
        }
    }
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        const struct seg *s = &A->d[0].seg[i];
        for (uint32_t q = 0; q < s->n; q++) {
            uint32_t ty = A->d[0].tok[s->off + q];
            if (A->lex.types[ty].df[0] != 1)
                continue;
            /* exactly one once-only match */
            uint32_t found = UINT32_MAX;
            int cnt = 0;
            for (uint32_t r = A->mt.start[ty]; r < A->mt.start[ty + 1]; r++) {
                uint32_t t = A->mt.m[r];
                if (A->lex.types[t].df[1] == 1 && where[t] != UINT32_MAX) {
                    found = where[t];
                    cnt++;
                } else if (A->lex.types[t].df[1] > 1)
                    cnt += 2;
            }
            if (cnt != 1)
                continue;
            if (na == cap) {
                cap = cap ? cap * 2 : 256;
                size_t *x = realloc(ai, cap * sizeof *x), *y;
                if (!x) {
                    rc = TMK_ENOMEM;
                    goto out;
                }
                ai = x;
                y = realloc(aj, cap * sizeof *y);
                if (!y) {
                    rc = TMK_ENOMEM;
                    goto out;
                }
                aj = y;
            }
            ai[na] = i;
            aj[na] = found;
            na++;
        }
    }
    /* longest chain increasing in both i and j (patience sorting); ai is
     * already sorted by i */
    size_t *tail = malloc((na + 1) * sizeof *tail), *prev = malloc((na + 1) * sizeof *prev);
    if (!tail || !prev) {
        free(tail);
        free(prev);
        rc = TMK_ENOMEM;
        goto out;
    }
    size_t len = 0;
    for (size_t k = 0; k < na; k++) {
        size_t lo = 0, hi = len;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            const size_t t = tail[mid];
            /* strictly increasing in j and i */
            if (aj[t] < aj[k] && ai[t] < ai[k])
                lo = mid + 1;
            else
                hi = mid;
        }
        prev[k] = lo ? tail[lo - 1] : SIZE_MAX;
        tail[lo] = k;
        if (lo == len)
            len++;
    }
    /* the chain, from the end */
    size_t *ci = malloc((len + 2) * sizeof *ci), *cj = malloc((len + 2) * sizeof *cj);
    if (!ci || !cj) {
        free(ci);
        free(cj);
        free(tail);
        free(prev);
        rc = TMK_ENOMEM;
        goto out;
    }
    size_t nc = len + 2;
    ci[0] = 0;
    cj[0] = 0;
    ci[nc - 1] = n;
    cj[nc - 1] = m;
    size_t k = len ? tail[len - 1] : SIZE_MAX;
    for (size_t p = len; p > 0; p--) {
        /* node after the anchor pair: (i+1, j+1) on the path; use the
         * middle of the pair */
        ci[p] = ai[k];
        cj[p] = aj[k];
        k = prev[k];
    }
    /* the length ratio of anchored segment pairs: robust where one text
     * covers more than the other (the ratio of the totals is not) */
    if (len >= 8) {
        double *r = malloc(len * sizeof *r);
        if (r) {
            size_t nr = 0;
            for (size_t p = 1; p <= len; p++) {
                double c1 = A->d[0].seg[ci[p]].chars, c2 = A->d[1].seg[cj[p]].chars;
                if (c1 >= 10 && c2 >= 10)
                    r[nr++] = c2 / c1;
            }
            if (nr >= 8) {
                qsort(r, nr, sizeof *r, cmp_double);
                *ratio = r[nr / 2];
            }
            free(r);
        }
    }
    for (size_t p = 0; p + 1 < nc; p++) {
        size_t i0 = ci[p], i1 = ci[p + 1];
        double j0 = (double)cj[p], j1 = (double)cj[p + 1];
        for (size_t i = i0; i <= i1 && i <= n; i++) {
            double f = i1 > i0 ? (double)(i - i0) / (double)(i1 - i0) : 0;
            double j = j0 + f * (j1 - j0);
            centre[i] = (size_t)(j + 0.5);
            if (centre[i] > m)
                centre[i] = m;
        }
    }
    free(ci);
    free(cj);
    free(tail);
    free(prev);
out:
    free(where);
    free(ai);
    free(aj);
    return rc;
}

/* ------------------------------------------------------------- confidence */

/* Confidence uses the unweighted similarity (every evidence token counts
 * 1): the model below was fitted on it. */

/* The best similarity of this bead's source side with a target shifted
 * by one segment, or of its target side with a shifted source: how much
 * a neighbour competes. */
static double neighbour_sim(struct aligner *A, const struct band *bd, size_t i0, int a,
                            size_t j0, int b)
{
    double best = 0, sim, lc;
    size_t n = A->d[0].nseg, m = A->d[1].nseg;
    if (j0 > 0) {
        bead_eval_w(A, bd, i0, a, j0 - 1, 1, 1, &sim, &lc, NULL);
        best = sim > best ? sim : best;
    }
    if (j0 + (size_t)b < m) {
        bead_eval_w(A, bd, i0, a, j0 + (size_t)b, 1, 1, &sim, &lc, NULL);
        best = sim > best ? sim : best;
    }
    if (i0 > 0) {
        bead_eval_w(A, bd, i0 - 1, 1, j0, b, 1, &sim, &lc, NULL);
        best = sim > best ? sim : best;
    }
    if (i0 + (size_t)a < n) {
        bead_eval_w(A, bd, i0 + (size_t)a, 1, j0, b, 1, &sim, &lc, NULL);
        best = sim > best ? sim : best;
    }
    return best;
}

static double confidence(struct aligner *A, const struct band *bd, size_t i0, int a,
                         size_t j0, int b)
{
    if (!a || !b)
        return 0.1;
    double sim, lc, mc;
    bead_eval_w(A, bd, i0, a, j0, b, 1, &sim, &lc, &mc);
    double nb = neighbour_sim(A, bd, i0, a, j0, b);
    /* logistic regression fitted on the dev set (strict correctness of
     * the bead): a bead is trustworthy when its length fits, it is small,
     * and no neighbouring segment shares as many words (AUC 0.78, against
     * 0.55 for the similarity alone) */
    double z = 2.85 - 2.35 * sim - 1.07 * lc - 0.93 * (a + b - 2) + 3.06 * (sim - nb);
    double c = 1.0 / (1.0 + exp(-z));
    /* with a dictionary, a member whose words find nothing on the other
     * side is likely not a translation of it, unless the bead is a whole
     * paragraph (a heading) on both sides */
    size_t n = A->d[0].nseg, m = A->d[1].nseg;
    int whole = A->pstart[0] && A->pstart[0][i0] && A->pstart[1][j0] &&
                (i0 + (size_t)a == n || A->pstart[0][i0 + (size_t)a]) &&
                (j0 + (size_t)b == m || A->pstart[1][j0 + (size_t)b]);
    if (A->with_dict && A->p.cref > 0 && mc < A->p.cref && !whole)
        c *= 0.5 + 0.5 * mc / A->p.cref;
    if (c < 0)
        c = 0;
    if (c > 1)
        c = 1;
    return c;
}

/* ------------------------------------------------------------ split pass */

/* The share of the other side's evidence weight in the bead that only
 * member k of `side` matches (no other member of its side does). */
static double member_excl(struct aligner *A, const struct band *bd, const tmk_bead *bb, int side,
                          size_t k)
{
    size_t o0 = side ? bb->src : bb->tgt, no = side ? bb->nsrc : bb->ntgt;
    size_t s0 = side ? bb->tgt : bb->src, ns = side ? bb->ntgt : bb->nsrc;
    const struct doc *od = &A->d[!side];
    double ex = 0, tot = 0;
    for (size_t y = o0; y < o0 + no; y++) {
        uint64_t mine = 0, rest = 0;
        for (size_t x = s0; x < s0 + ns; x++) {
            uint64_t ms, mt;
            if (side)
                pair_get(A, bd, y, x, &ms, &mt);
            else
                pair_get(A, bd, x, y, &ms, &mt);
            uint64_t other = side ? ms : mt;
            if (x == k)
                mine |= other;
            else
                rest |= other;
        }
        const struct seg *sg = &od->seg[y];
        ex += mask_weight(od->w + sg->off, mine & ~rest);
        tot += sg->wsum;
    }
    return tot > 0 ? ex / tot : 0;
}

/* A merged bead (2-1, 1-2, 2-2, ...) whose edge member adds no evidence of
 * its own (what it matches on the other side, its neighbour matches too)
 * and without which the bead's length fits the document's ratio better is
 * a 1-1 (or smaller) bead and a sentence on one side only: the DP's merge
 * bonus pays a sentence about the same subject for joining.  Splits such
 * members off as 1-0 / 0-1 beads, in place; out has room for the
 * segments of both sides. */
static size_t split_pass(struct aligner *A, const struct band *bd, tmk_bead *out, size_t cnt)
{
    for (size_t q = 0; q < cnt; q++) {
        tmk_bead *bb = &out[q];
        while (bb->nsrc && bb->ntgt && bb->nsrc + bb->ntgt > 2) {
            double sim, lcf, lcr;
            bead_eval(A, bd, bb->src, (int)bb->nsrc, bb->tgt, (int)bb->ntgt, &sim, &lcf);
            int bside = -1, bfirst = 0;
            double bgain = -HUGE_VAL;
            for (int side = 0; side < 2; side++) {
                size_t s0 = side ? bb->tgt : bb->src, ns = side ? bb->ntgt : bb->nsrc;
                if (ns < 2)
                    continue;
                for (int first = 0; first < 2; first++) {
                    size_t k = first ? s0 : s0 + ns - 1;
                    if (A->d[side].seg[k].n < A->p.smin)
                        continue;
                    if (member_excl(A, bd, bb, side, k) > A->p.sexcl)
                        continue;
                    size_t i0 = bb->src + (!side && first), j0 = bb->tgt + (side && first);
                    int a = (int)bb->nsrc - !side, b = (int)bb->ntgt - side;
                    bead_eval(A, bd, i0, a, j0, b, &sim, &lcr);
                    if (sim < A->p.srest)
                        continue;
                    double gain = lcf - lcr;
                    if (gain > A->p.slen && gain > bgain) {
                        bgain = gain;
                        bside = side;
                        bfirst = first;
                    }
                }
            }
            if (bside < 0)
                break;
            /* the member leaves: a 1-0 / 0-1 bead before or after */
            memmove(bb + 1, bb, (cnt - q) * sizeof *bb);
            cnt++;
            tmk_bead *one = bfirst ? bb : bb + 1, *rest = bfirst ? bb + 1 : bb;
            if (bside == 0) {
                one->src = bfirst ? rest->src : rest->src + rest->nsrc - 1;
                one->nsrc = 1;
                one->tgt = bfirst ? rest->tgt : rest->tgt + rest->ntgt;
                one->ntgt = 0;
                rest->nsrc--;
                if (bfirst)
                    rest->src++;
            } else {
                one->tgt = bfirst ? rest->tgt : rest->tgt + rest->ntgt - 1;
                one->ntgt = 1;
                one->src = bfirst ? rest->src : rest->src + rest->nsrc;
                one->nsrc = 0;
                rest->ntgt--;
                if (bfirst)
                    rest->tgt++;
            }
            one->score = rest->score = 0;
            bb = rest;
            if (bfirst)
                q++;
        }
    }
    return cnt;
}

/* ------------------------------------------------------------ the driver */

#define FULL_LIMIT 40000 /* nodes: below this the whole matrix is used */

static void aligner_free(struct aligner *A)
{
    if (A->thread_on)
        pthread_join(A->thread, NULL);
    for (int side = 0; side < 2; side++) {
        if (A->own[side])
            tmk_speller_free(A->stemmer[side]);
        free(A->sf[side].v);
    }
    lex_release(&A->lex);
    doc_release(&A->d[0]);
    doc_release(&A->d[1]);
    free(A->mt.start);
    free(A->mt.m);
    free(A->stamp);
    free(A->pos);
    free(A->pstart[0]);
    free(A->pstart[1]);
    free(A->skipc[0]);
    free(A->skipc[1]);
    free(A->dpenc[0]);
    free(A->dpenc[1]);
}

/* Letters in s, counting no further than lim + 1. */
static int count_letters(const char *s, size_t len, int lim)
{
    int k = 0;
    for (size_t i = 0; i < len && k <= lim;) {
        size_t adv;
        int32_t c = cp_at(s, len, i, &adv);
        if (!adv)
            break;
        i += adv;
        if (c < 0x80 ? ((c | 32) >= 'a' && (c | 32) <= 'z') : tmk_uc_is_letter(c))
            k++;
    }
    return k;
}

/* The cost of leaving each segment unpaired: skip, or less for debris
 * (page numbers, OCR specks: at most p.debris letters), which gold
 * alignments leave on its own rather than in a neighbour's bead. */
static int setup_skips(struct aligner *A, const tmk_text *t, size_t n, int side)
{
    A->skipc[side] = malloc((n ? n : 1) * sizeof *A->skipc[side]);
    A->dpenc[side] = malloc((n ? n : 1) * sizeof *A->dpenc[side]);
    if (!A->skipc[side] || !A->dpenc[side])
        return TMK_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        int deb = A->p.debris >= 0 && count_letters(t[i].s, t[i].len, A->p.debris) <= A->p.debris;
        A->skipc[side][i] = A->p.skip * (deb ? A->p.dskip : 1.0);
        A->dpenc[side][i] = deb ? A->p.dpen : 0.0;
    }
    return 0;
}

/* Paragraph starts of one side; returns the number of paragraphs. */
static size_t para_starts(const unsigned long *para, size_t n, uint8_t *out)
{
    size_t np = 0;
    for (size_t i = 0; i < n; i++) {
        out[i] = (uint8_t)(i == 0 || para[i] != para[i - 1]);
        np += out[i];
    }
    return np;
}

/* Whether a segment ends as a sentence does: . ! ? : ; or an ellipsis,
 * maybe followed by closing quotes or brackets.  The sentence splitter ends
 * a segment elsewhere only at the end of a line.  (: and ; count because
 * pre-segmented texts, the Bleualign set among them, split there.) */
static int ends_sentence(const char *s, size_t len)
{
    int32_t last = 0;
    for (size_t i = 0; i < len;) {
        size_t adv;
        int32_t c = cp_at(s, len, i, &adv);
        if (!adv)
            break;
        i += adv;
        if (c == ' ' || c == '\t' || c == 0xA0 || c == '"' || c == '\'' || c == ')' ||
            c == ']' || c == '}' || c == 0x2018 || c == 0x2019 || is_quote(c))
            continue;
        last = c;
    }
    return last == '.' || last == '!' || last == '?' || last == ':' || last == ';' ||
           last == 0x2026 || last == 0x203C || last == 0x3002 || last == 0xFF01 || last == 0xFF1F;
}

/* Whether a segment starts with a lower-case letter (after spaces and
 * punctuation): the rest of a line that was broken, not a heading. */
static int starts_lower(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        size_t adv;
        int32_t c = cp_at(s, len, i, &adv);
        if (!adv)
            break;
        i += adv;
        if (tmk_uc_is_letter(c) || tmk_uc_is_digit(c))
            return utf8proc_tolower(c) == c && utf8proc_toupper(c) != c;
    }
    return 0;
}

/* Paragraph numbers of segments given without them: a segment that does
 * not end as a sentence (a heading, a short line) is a paragraph of its
 * own, as the sentence splitter makes it from a text with a line each. */
static unsigned long *guess_paragraphs(const tmk_text *t, size_t n)
{
    unsigned long *para = malloc((n ? n : 1) * sizeof *para);
    if (!para)
        return NULL;
    unsigned long p = 0;
    int prev_open = 1; /* the previous segment ended as a sentence */
    for (size_t i = 0; i < n; i++) {
        int ends = ends_sentence(t[i].s, t[i].len);
        if (i && (!prev_open || !ends) && !starts_lower(t[i].s, t[i].len))
            p++;
        para[i] = p;
        prev_open = ends;
    }
    return para;
}

/* How far to trust the paragraphs: fully when both texts have about as
 * many, less when the counts differ, not at all when they differ a lot
 * (one side with a paragraph per line, the other without). */
static int setup_paragraphs(struct aligner *A, const tmk_align_options *opt, size_t n, size_t m)
{
    if (!opt || !n || !m)
        return 0;
    const unsigned long *sp = opt->src_para, *tp = opt->tgt_para;
    unsigned long *gs = NULL, *gt = NULL;
    if ((!sp || !tp) && (opt->flags & TMK_ALIGN_GUESS_PARAGRAPHS)) {
        if (!sp)
            sp = gs = guess_paragraphs(A->txt[0], n);
        if (!tp)
            tp = gt = guess_paragraphs(A->txt[1], m);
        if (!sp || !tp) {
            free(gs);
            free(gt);
            return TMK_ENOMEM;
        }
    }
    if (!sp || !tp)
        return 0;
    A->pstart[0] = malloc(n);
    A->pstart[1] = malloc(m);
    if (!A->pstart[0] || !A->pstart[1]) {
        free(gs);
        free(gt);
        return TMK_ENOMEM;
    }
    double p0 = (double)para_starts(sp, n, A->pstart[0]);
    double p1 = (double)para_starts(tp, m, A->pstart[1]);
    free(gs);
    free(gt);
    double agree = (p0 < p1 ? p0 : p1) / (p0 < p1 ? p1 : p0);
    if (p0 < 2 && p1 < 2)
        agree = 0; /* one paragraph each: nothing to learn */
    if (agree >= 0.9) {
        A->pcross = A->p.pcross;
        A->pmis = A->p.pmis;
    } else if (agree >= 0.75) {
        A->pcross = A->p.pcross / 4;
        A->pmis = A->p.pmis / 2;
    } else {
        free(A->pstart[0]);
        free(A->pstart[1]);
        A->pstart[0] = A->pstart[1] = NULL;
    }
    return 0;
}

static int lang_known(const char *l) { return l && *l; }

/* The dictionaries to read: those given, else the installed one for the
 * language pair (*dflt, freed by the caller).  Returns how many. */
static size_t dict_list(const tmk_align_options *opt, char **dflt)
{
    *dflt = NULL;
    if (!opt || (opt->flags & TMK_ALIGN_NO_DICT))
        return 0;
    if (opt->dicts && opt->ndicts)
        return opt->ndicts;
    if ((opt->flags & TMK_ALIGN_NO_AUTO_DICT) || !lang_known(opt->src_lang) ||
        !lang_known(opt->tgt_lang))
        return 0;
    *dflt = tmk_align_find_dict(opt->src_lang, opt->tgt_lang, opt->dictdir);
    return *dflt ? 1 : 0;
}

static int load_dicts(struct aligner *A, const tmk_align_options *opt, const char *dflt,
                      size_t nd, tmk_error *err)
{
    for (size_t i = 0; i < nd; i++) {
        const char *path = dflt ? dflt : opt->dicts[i];
        size_t np = 0;
        int rev = tmk__dict_is_reversed(path, opt->src_lang, opt->tgt_lang);
        TMK_TRY(tmk__dict_load(&A->lex, path, rev, &np, err));
        if (opt->on_dict)
            opt->on_dict(path, np, opt->ud);
    }
    return 0;
}

static int run_with(struct aligner *A, const tmk_text *src, size_t nsrc, const tmk_text *tgt,
                    size_t ntgt, const tmk_align_options *opt, const char *dflt, size_t nd,
                    tmk_bead **beads, size_t *nbeads, tmk_error *err);

static int run(struct aligner *A, const tmk_text *src, size_t nsrc, const tmk_text *tgt,
               size_t ntgt, const tmk_align_options *opt, tmk_bead **beads, size_t *nbeads,
               tmk_error *err)
{
    char *dflt = NULL;
    size_t nd = dict_list(opt, &dflt);
    params_default(&A->p, nd > 0, opt ? opt->tuning : NULL);
    A->with_dict = nd > 0;
    int rc = run_with(A, src, nsrc, tgt, ntgt, opt, dflt, nd, beads, nbeads, err);
    free(dflt);
    return rc;
}

static int run_with(struct aligner *A, const tmk_text *src, size_t nsrc, const tmk_text *tgt,
                    size_t ntgt, const tmk_align_options *opt, const char *dflt, size_t nd,
                    tmk_bead **beads, size_t *nbeads, tmk_error *err)
{
    /* stems serve the dictionary lookup: only with a dictionary */
    int want[2] = {0, 0};
    if (nd && opt) {
        A->stemmer[0] = opt->src_stemmer;
        A->stemmer[1] = opt->tgt_stemmer;
        for (int side = 0; side < 2; side++) {
            const char *l = side ? opt->tgt_lang : opt->src_lang;
            if (!A->stemmer[side] && (opt->flags & TMK_ALIGN_STEM) && l && *l)
                A->lang[side] = l;
            want[side] = A->stemmer[side] || A->lang[side];
        }
    }
    A->txt[0] = src;
    A->txt[1] = tgt;
    TMK_TRY(doc_read(&A->d[0], &A->lex, 0, src, nsrc, want[0] ? &A->sf[0] : NULL));
    TMK_TRY(doc_read(&A->d[1], &A->lex, 1, tgt, ntgt, want[1] ? &A->sf[1] : NULL));
    if ((A->lang[0] || A->lang[1]) && pthread_create(&A->thread, NULL, make_stemmers, A) == 0)
        A->thread_on = 1;
    else if (A->lang[0] || A->lang[1])
        make_stemmers(A);
    for (int side = 0; side < 2; side++)
        A->lex.stem_state[side] = want[side] ? 1 : 0;
    A->lex.need_stems = need_stems;
    A->lex.stem_ud = A;
    A->ratio = A->d[0].chars > 0 && A->d[1].chars > 0 ? A->d[1].chars / A->d[0].chars : 1.0;

    /* which types are evidence */
    A->lex.stop = calloc(A->lex.ntypes ? A->lex.ntypes : 1, 1);
    if (!A->lex.stop)
        return TMK_ENOMEM;
    double lim0 = A->p.stopbase + A->p.stopfrac * (double)nsrc;
    double lim1 = A->p.stopbase + A->p.stopfrac * (double)ntgt;
    for (size_t k = 0; k < A->lex.ntypes; k++) {
        const struct type *t = &A->lex.types[k];
        if ((double)t->df[0] > lim0 || (double)t->df[1] > lim1 ||
            (t->kind == 0 && t->nchar < 3))
            A->lex.stop[k] = 1;
    }
    doc_filter(&A->d[0], &A->lex, 0);
    doc_filter(&A->d[1], &A->lex, 1);
    TMK_TRY(doc_weights(&A->d[0], &A->lex, 0, A->p.idf));
    TMK_TRY(doc_weights(&A->d[1], &A->lex, 1, A->p.idf));

    TMK_TRY(sort_types(&A->lex));
    A->lex.dcap = A->p.dcap;
    TMK_TRY(load_dicts(A, opt, dflt, nd, err));
    /* a dictionary format that did not ask for the stems: drop them */
    for (int side = 0; side < 2; side++)
        A->lex.stem_state[side] = 0;
    if (A->thread_on) {
        pthread_join(A->thread, NULL);
        A->thread_on = 0;
    }
    /* the stemmers made here are done with: unloading a large Hunspell
     * dictionary takes a while, so a thread does it during the DP */
    if ((A->own[0] || A->own[1]) && pthread_create(&A->thread, NULL, free_stemmers, A) == 0)
        A->thread_on = 1;
    else
        free_stemmers(A);
    TMK_TRY(add_cognates(&A->lex));
    TMK_TRY(build_matches(&A->lex, &A->mt));
    A->stamp = calloc(A->lex.ntypes ? A->lex.ntypes : 1, sizeof *A->stamp);
    A->pos = calloc(A->lex.ntypes ? A->lex.ntypes : 1, sizeof *A->pos);
    if (!A->stamp || !A->pos)
        return TMK_ENOMEM;
    TMK_TRY(setup_paragraphs(A, opt, nsrc, ntgt));
    TMK_TRY(setup_skips(A, src, nsrc, 0));
    TMK_TRY(setup_skips(A, tgt, ntgt, 1));

    size_t n = nsrc, m = ntgt;
    size_t *centre = malloc((n + 1) * sizeof *centre);
    if (!centre)
        return TMK_ENOMEM;
    size_t w;
    double ar = 0;
    int rc0 = anchor_centre(A, centre, &ar);
    if (rc0 < 0) {
        free(centre);
        return rc0;
    }
    /* the ratio of the totals is the better estimate (tuned so), unless
     * the anchors say that one text covers much more than the other */
    if (ar > 0 && (ar > A->ratio * 1.5 || A->ratio > ar * 1.5))
        A->ratio = ar;
    if ((double)(n + 1) * (double)(m + 1) <= FULL_LIMIT) {
        for (size_t i = 0; i <= n; i++)
            centre[i] = 0;
        w = m + 1;
    } else
        w = 40;
    struct band b;
    memset(&b, 0, sizeof b);
    for (;;) {
        int rc = band_alloc(&b, n, m, centre, w);
        if (rc < 0) {
            band_free(&b);
            free(centre);
            return rc;
        }
        int touch = band_dp(A, &b);
        /* widen while the best path touches the edge, within 16 M nodes */
        if (!touch || w > m || (double)(n + 1) * (4.0 * (double)w + 1) > 1.6e7)
            break;
        band_free(&b);
        w *= 2;
    }
    free(centre);

    /* back-trace into beads */
    size_t cnt = 0, i = n, j = m;
    while (i || j) {
        uint8_t t = b.back[b.nodeoff[i] + (j - b.lo[i])];
        i -= (size_t)bead_types[t][0];
        j -= (size_t)bead_types[t][1];
        cnt++;
    }
    /* room for the split pass: at most one bead per segment */
    tmk_bead *out = malloc((n + m + 1) * sizeof *out);
    if (!out) {
        band_free(&b);
        return TMK_ENOMEM;
    }
    size_t k = cnt;
    i = n;
    j = m;
    while (i || j) {
        uint8_t t = b.back[b.nodeoff[i] + (j - b.lo[i])];
        int a = bead_types[t][0], c = bead_types[t][1];
        i -= (size_t)a;
        j -= (size_t)c;
        tmk_bead *bd = &out[--k];
        bd->src = i;
        bd->nsrc = (size_t)a;
        bd->tgt = j;
        bd->ntgt = (size_t)c;
        bd->score = 0;
    }
    if (A->p.split)
        cnt = split_pass(A, &b, out, cnt);
    for (k = 0; k < cnt; k++)
        out[k].score = confidence(A, &b, out[k].src, (int)out[k].nsrc, out[k].tgt,
                                  (int)out[k].ntgt);
    band_free(&b);
    *beads = out;
    *nbeads = cnt;
    return 0;
}

int tmk_align(const tmk_text *src, size_t nsrc, const tmk_text *tgt, size_t ntgt,
              const tmk_align_options *opt, tmk_bead **beads, size_t *nbeads, tmk_error *err)
{
    *beads = NULL;
    *nbeads = 0;
    if ((nsrc && !src) || (ntgt && !tgt))
        return tmk_error_set(err, TMK_EINVAL, 0, 0, "no segments given");
    if (nsrc >= UINT32_MAX / 2 || ntgt >= UINT32_MAX / 2)
        return tmk_error_set(err, TMK_ELIMIT, 0, 0, "too many segments to align");
    struct aligner A;
    memset(&A, 0, sizeof A);
    int rc = run(&A, src, nsrc, tgt, ntgt, opt, beads, nbeads, err);
    aligner_free(&A);
    if (rc < 0) {
        free(*beads);
        *beads = NULL;
        *nbeads = 0;
        if (rc == TMK_ENOMEM)
            tmk_error_set(err, rc, 0, 0, "out of memory while aligning");
    }
    return rc;
}
