/* align_model.c -- the alignment model: parameters, bead costs (length and
 * lexical evidence), the banded dynamic program, anchors, the split pass
 * and the confidence of a bead.  Uses the lexicon (align_lex.c), not the
 * driver. */
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
/* ---------------------------------------------------------------- model */


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

void tmk__align_params(struct params *p, int with_dict, const char *tuning)
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
    /* the evidence of the known content words (session 7: on dev with the
     * dictionary, correct 1-1 pairs below 0.70: 1 -> 2 of 237; on the
     * substitution bench, replaced sentences below 0.70: 53 -> 75 of 89) */
    p->kref = 0.3;
    p->kfloor = 0.8;
    p->kmin = 4;
    /* the wrong file pair (session 7): no false warning on the Bleualign
     * set, the sample, 24 page pairs of /work/corpora/parallel_docs and
     * 40 documents of en_de_docpairs; with the dictionary it fires on 8
     * of 8, 24 of 24 and 39 of 40 wrong pairs made of them */
    p->ushare = 0.2;
    p->ufrac = 0.5;
    p->umin = 6;
    p->split = 1;
    p->sexcl = 0.05;
    p->slen = 0;
    p->smin = 5;
    p->srest = 0;
    /* the document-adaptive merge penalty (with a dictionary): on
     * bench-onesided seed 7, one-sided 78.8 % -> 91.2 %; dev (whole and in
     * six parts) and bench-align-deen did not lose (session 6) */
    p->mw = 3;
    p->mref = 0.2;
    p->mc = 5;
    p->mmax = 6;
    p->mmin = 0;
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
        double v[15];
        int nv = sscanf(e, "%lf %lf %lf %lf %lf %lf %lf %lf %lf %lf %lf %lf %lf %lf %lf", &v[0],
                        &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9], &v[10],
                        &v[11], &v[12], &v[13], &v[14]);
        if (nv >= 5) {
            p->split = (int)v[0];
            p->sexcl = v[1];
            p->slen = v[2];
            p->smin = v[3];
            p->srest = v[4];
        }
        if (nv >= 8) {
            p->afrac = v[5];
            p->amin = v[6];
            p->alen = v[7];
        }
        if (nv >= 10) {
            p->ofrac = v[8];
            p->omin = v[9];
        }
        if (nv >= 15) {
            p->mw = v[10];
            p->mref = v[11];
            p->mc = v[12];
            p->mmax = v[13];
            p->mmin = v[14];
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


/* ----------------------------------------------------------------- band */


void tmk__band_free(struct band *b)
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

int tmk__band_alloc(struct band *b, size_t n, size_t m, const size_t *center, size_t w)
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
                        int b, int plain, double k0, double *sim, double *lencost, double *minc)
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
    *sim = (ms + mtc) / (ts + tt + k0);
    double mean = (l1 + l2 / A->ratio) / 2;
    double d = (l2 - l1 * A->ratio) / sqrt((mean + 1) * A->p.s2 * A->ratio);
    double lc = d * d / 2;
    *lencost = lc < A->p.lencap ? lc : A->p.lencap;
    if (minc)
        *minc = mc;
}

static double bead_size(const struct aligner *A, int a, int b)
{
    if (a + b == 2)
        return 1.0;
    return A->p.gamma == 1.0 ? (a + b) / 2.0 : pow((a + b) / 2.0, A->p.gamma);
}

/* Weighted similarity, as the DP uses it.  The smoothing k0 counts once per
 * bead, which favours merging short segments: two 1-1 beads of T/2
 * tokens each, all matched, have (T/2)/(T/2 + k0) each, their merge
 * T/(T + k0).  The dev-set tuning balanced that bonus against the merge
 * penalties; in a text of a few short sentences it outweighed them (three
 * sentences: two 1-1 pairs became a 2-2).  So a merge pays k0 once more
 * for each further 1-1 bead it stands for, in the share k0m: about 1 in a
 * document of a few segments, 0 in a long one (see search in align.c;
 * session 7: tiny texts). */
static void bead_eval(struct aligner *A, const struct band *bd, size_t i0, int a, size_t j0,
                      int b, double *sim, double *lencost)
{
    double k0 = A->p.k0 * (1 + (bead_size(A, a, b) - 1) * A->k0m);
    bead_eval_w(A, bd, i0, a, j0, b, 0, k0, sim, lencost, NULL);
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
int tmk__band_dp(struct aligner *A, struct band *b)
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

int tmk__align_anchor_centre(const struct aligner *A, size_t *centre, double *ratio)
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
        bead_eval_w(A, bd, i0, a, j0 - 1, 1, 1, A->p.k0, &sim, &lc, NULL);
        best = sim > best ? sim : best;
    }
    if (j0 + (size_t)b < m) {
        bead_eval_w(A, bd, i0, a, j0 + (size_t)b, 1, 1, A->p.k0, &sim, &lc, NULL);
        best = sim > best ? sim : best;
    }
    if (i0 > 0) {
        bead_eval_w(A, bd, i0 - 1, 1, j0, b, 1, A->p.k0, &sim, &lc, NULL);
        best = sim > best ? sim : best;
    }
    if (i0 + (size_t)a < n) {
        bead_eval_w(A, bd, i0 + (size_t)a, 1, j0, b, 1, A->p.k0, &sim, &lc, NULL);
        best = sim > best ? sim : best;
    }
    return best;
}

double tmk__align_confidence(struct aligner *A, const struct band *bd, size_t i0, int a,
                             size_t j0, int b, double *share, unsigned *known)
{
    *share = 1.0;
    *known = 0;
    if (!a || !b)
        return 0.1;
    double sim, lc, mc;
    bead_eval_w(A, bd, i0, a, j0, b, 1, A->p.k0, &sim, &lc, &mc);
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
    /* the content words the lexicon knows (dictionary, same word,
     * cognate): a pair in which they find no counterpart is likely a
     * sentence replaced by another, whatever its length and place say
     * (review 6, defect 11; ALIGNMENT-EXPERIMENTS.md, session 7) */
    tmk__align_known_share(A, i0, a, j0, b, share, known);
    c *= tmk__align_known_factor(*share, *known, A->p.kref, A->p.kfloor, A->p.kmin);
    if (c < 0)
        c = 0;
    if (c > 1)
        c = 1;
    return c;
}

/* ------------------------------------------------ evidence where known */

/* Content words: numbers, and words of CONTENT_CHARS letters or more in
 * at most CONTENT_BASE + CONTENT_FRAC * segments of their side (the
 * frequency limit of the evidence without a dictionary): function words
 * match by chance ("beide" - "the two" - "the") and are left out. */
#define CONTENT_BASE 3.0
#define CONTENT_FRAC 0.03
#define CONTENT_CHARS 4

int tmk__align_cover_init(struct aligner *A)
{
    size_t nt = A->lex.ntypes;
    A->cover = calloc(nt ? nt : 1, 1);
    if (!A->cover)
        return TMK_ENOMEM;
    double lim[2];
    for (int side = 0; side < 2; side++)
        lim[side] = CONTENT_BASE + CONTENT_FRAC * (double)A->d[side].nseg;
    uint8_t content[2] = {1, 2};
    for (size_t t = 0; t < nt; t++) {
        const struct type *ty = &A->lex.types[t];
        uint8_t ok = 0;
        for (int side = 0; side < 2; side++)
            if (ty->kind == 1 || (ty->kind == 0 && ty->nchar >= CONTENT_CHARS &&
                                  (double)ty->df[side] <= lim[side]))
                ok |= content[side];
        if (!ok)
            continue;
        if (A->mt.start[t + 1] > A->mt.start[t] || (A->lex.known && (A->lex.known[t] & 1)))
            A->cover[t] |= 1;
        if (A->lex.known && (A->lex.known[t] & 2))
            A->cover[t] |= 2;
        A->cover[t] &= ok;
        A->cover[t] |= (uint8_t)(ok << 2); /* content, matched or not */
    }
    size_t nm = A->mt.start[nt];
    for (size_t q = 0; q < nm; q++) {
        uint32_t t = A->mt.m[q];
        if (A->cover[t] & 8)
            A->cover[t] |= 2;
    }
    return 0;
}

/* The idf weight of a type on one side: log(1 + segments / its df). */
static double idf_weight(const struct aligner *A, int side, uint32_t ty)
{
    double df = A->lex.types[ty].df[side];
    return log(1.0 + (double)A->d[side].nseg / (df > 0 ? df : 1));
}

void tmk__align_known_share(struct aligner *A, size_t i0, int a, size_t j0, int b,
                            double *share, unsigned *known)
{
    *share = 1.0;
    *known = 0;
    if (!A->cover)
        return;
    /* the content words of the target side present (stamp no), then those
     * a content word of the source side matches (stamp no + 1) */
    uint32_t no = ++A->stampno;
    ++A->stampno;
    for (int y = 0; y < b; y++) {
        const struct seg *sg = &A->d[1].seg[j0 + (size_t)y];
        for (uint32_t k = 0; k < sg->n; k++) {
            uint32_t ty = A->d[1].tok[sg->off + k];
            if (A->cover[ty] & 8)
                A->stamp[ty] = no;
        }
    }
    double cov = 0, mat = 0;
    unsigned n = 0;
    for (int x = 0; x < a; x++) {
        const struct seg *sg = &A->d[0].seg[i0 + (size_t)x];
        for (uint32_t k = 0; k < sg->n; k++) {
            uint32_t ty = A->d[0].tok[sg->off + k];
            if (!(A->cover[ty] & 4))
                continue;
            int hit = 0;
            for (uint32_t q = A->mt.start[ty]; q < A->mt.start[ty + 1]; q++) {
                uint32_t t = A->mt.m[q];
                if (A->stamp[t] == no || A->stamp[t] == no + 1) {
                    A->stamp[t] = no + 1;
                    hit = 1;
                }
            }
            if (!(A->cover[ty] & 1))
                continue;
            double w = idf_weight(A, 0, ty);
            cov += w;
            n++;
            if (hit)
                mat += w;
        }
    }
    for (int y = 0; y < b; y++) {
        const struct seg *sg = &A->d[1].seg[j0 + (size_t)y];
        for (uint32_t k = 0; k < sg->n; k++) {
            uint32_t ty = A->d[1].tok[sg->off + k];
            if (!(A->cover[ty] & 2))
                continue;
            double w = idf_weight(A, 1, ty);
            cov += w;
            n++;
            if (A->stamp[ty] == no + 1)
                mat += w;
        }
    }
    *share = cov > 0 ? mat / cov : 1.0;
    *known = n;
}

double tmk__align_known_factor(double share, unsigned known, double ref, double floor,
                               unsigned kmin)
{
    if (known < kmin || ref <= 0 || share >= ref)
        return 1.0;
    if (share < 0)
        share = 0;
    return floor + (1.0 - floor) * share / ref;
}

/* ------------------------------------------------------------ split pass */

/* The share of the other side's evidence weight in the bead that only
 * member k of `side` matches (no other member of its side does). */
static double member_excl(struct aligner *A, const struct band *bd, const tmk_align_bead *bb, int side,
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

/* The coverage of member k of `side` in the bead: the share of its
 * evidence weight that the bead's other side matches. */
static double member_cov(struct aligner *A, const struct band *bd, const tmk_align_bead *bb, int side,
                         size_t k)
{
    size_t o0 = side ? bb->src : bb->tgt, no = side ? bb->nsrc : bb->ntgt;
    const struct seg *sg = &A->d[side].seg[k];
    uint64_t mine = 0;
    for (size_t y = o0; y < o0 + no; y++) {
        uint64_t ms, mt;
        if (side)
            pair_get(A, bd, y, k, &ms, &mt);
        else
            pair_get(A, bd, k, y, &ms, &mt);
        mine |= side ? mt : ms;
    }
    return sg->wsum > 0 ? mask_weight(A->d[side].w + sg->off, mine) / sg->wsum : 0;
}

/* The median coverage of the members of the path's 1-1 beads (both with
 * MINC_TOKENS evidence tokens or more): how much of a sentence a true
 * translation matches in this document with these dictionaries.  0 when
 * fewer than 8 beads tell. */
static double doc_cov(struct aligner *A, const struct band *bd, const tmk_align_bead *out, size_t cnt)
{
    double *v = malloc((2 * cnt + 1) * sizeof *v);
    if (!v)
        return 0;
    size_t nv = 0;
    for (size_t q = 0; q < cnt; q++) {
        const tmk_align_bead *bb = &out[q];
        if (bb->nsrc != 1 || bb->ntgt != 1 || A->d[0].seg[bb->src].n < MINC_TOKENS ||
            A->d[1].seg[bb->tgt].n < MINC_TOKENS)
            continue;
        v[nv++] = member_cov(A, bd, bb, 0, bb->src);
        v[nv++] = member_cov(A, bd, bb, 1, bb->tgt);
    }
    double med = 0;
    if (nv >= 16) {
        qsort(v, nv, sizeof *v, cmp_double);
        med = v[nv / 2];
    }
    free(v);
    return med;
}

/* A merged bead (2-1, 1-2, 2-2, ...) whose edge member adds no evidence of
 * its own (what it matches on the other side, its neighbour matches too)
 * and without which the bead's length fits the document's ratio better is
 * a 1-1 (or smaller) bead and a sentence on one side only: the DP's merge
 * bonus pays a sentence about the same subject for joining.  Splits such
 * members off as 1-0 / 0-1 beads, in place; out has room for the
 * segments of both sides. */
size_t tmk__align_split_pass(struct aligner *A, const struct band *bd, tmk_align_bead *out, size_t cnt)
{
    double med = (A->p.afrac > 0 || A->p.ofrac > 0) ? doc_cov(A, bd, out, cnt) : 0;
    for (size_t q = 0; q < cnt; q++) {
        tmk_align_bead *bb = &out[q];
        if (bb->nsrc == 1 && bb->ntgt == 1 && A->with_dict && med > 0 && A->p.ofrac > 0 &&
            A->d[0].seg[bb->src].n >= A->p.omin && A->d[1].seg[bb->tgt].n >= A->p.omin &&
            member_cov(A, bd, bb, 0, bb->src) <= A->p.ofrac * med &&
            member_cov(A, bd, bb, 1, bb->tgt) <= A->p.ofrac * med) {
            /* two sentences that say nothing of each other: 1-0 + 0-1 */
            memmove(bb + 1, bb, (cnt - q) * sizeof *bb);
            cnt++;
            bb[0].ntgt = 0;
            bb[1].nsrc = 0;
            bb[1].src = bb[0].src + 1;
            q++;
            continue;
        }
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
                    uint32_t ntok = A->d[side].seg[k].n;
                    /* the adaptive test: coverage far below the document's */
                    int low = med > 0 && A->p.afrac > 0 && ntok >= A->p.amin &&
                              member_cov(A, bd, bb, side, k) <= A->p.afrac * med;
                    if (ntok < A->p.smin && !low)
                        continue;
                    if (member_excl(A, bd, bb, side, k) > A->p.sexcl)
                        continue;
                    size_t i0 = bb->src + (!side && first), j0 = bb->tgt + (side && first);
                    int a = (int)bb->nsrc - !side, b = (int)bb->ntgt - side;
                    bead_eval(A, bd, i0, a, j0, b, &sim, &lcr);
                    if (sim < A->p.srest)
                        continue;
                    double gain = lcf - lcr;
                    int ok = (ntok >= A->p.smin && gain > A->p.slen) || (low && gain > -A->p.alen);
                    if (ok && gain > bgain) {
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
            tmk_align_bead *one = bfirst ? bb : bb + 1, *rest = bfirst ? bb + 1 : bb;
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

