/* analyze.c -- leverage analysis against a memory (tmkit/analyze.h). */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "tmkit/analyze.h"
#include "internal.h"
#include "tm_int.h"

static const char *const band_keys[TMK_ANALYSIS_NBANDS] = {
    "context", "rep", "xrep", "100", "95", "85", "75", "50", "new",
    "if95", "if85", "if75", "if50"};
static const char *const band_titles[TMK_ANALYSIS_NBANDS] = {
    "Context match (101%)", "Repetitions", "Cross-file repetitions", "100%", "95-99%",
    "85-94%", "75-84%", "50-74%", "No match", "Internal fuzzy 95-99%",
    "Internal fuzzy 85-94%", "Internal fuzzy 75-84%", "Internal fuzzy 50-74%"};

const char *tmk_analysis_band_key(int band)
{
    return band >= 0 && band < TMK_ANALYSIS_NBANDS ? band_keys[band] : NULL;
}

const char *tmk_analysis_band_title(int band)
{
    return band >= 0 && band < TMK_ANALYSIS_NBANDS ? band_titles[band] : NULL;
}

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h ^ (h >> 29);
}

struct slot {
    uint64_t h;
    size_t v; /* SIZE_MAX: empty */
};

/* a segment met in the job */
struct seen {
    size_t off, len;    /* its seg form in an->texts */
    size_t file, index; /* where first */
    long ntok;          /* word tokens (internal fuzzy) */
    size_t koff, nk;    /* internal fuzzy: its sorted word-key hashes in an->keys */
};

struct file {
    char *name;
    tmk_analysis_counts c;
};

struct tmk_analysis {
    tmk_tm *tm;
    char *lang;
    unsigned flags;
    /* memory sources: hash -> first unit; next[] chains units of one source */
    struct slot *mslots;
    size_t mcap;
    size_t *mnext;
    /* the job's segments met so far */
    struct slot *jslots;
    size_t jcap;
    struct seen *seen;
    size_t nseen, seencap;
    tmk_buf texts;
    struct file *files;
    size_t nfiles;
    tmk_buf tmp;
    /* internal fuzzy: the word-key hashes of the seen segments (each one's
     * sorted), the current segment's (sorted), and token scratch */
    uint64_t *keys, *qkeys;
    size_t nkeys, keycap, nq, qcap;
    tm_seq qseq, cseq;
};

static size_t pow2_at_least(size_t n)
{
    size_t c = 16;
    while (c < n)
        c <<= 1;
    return c;
}

static int unit_source(const tmk_analysis *an, size_t u, const char **s, size_t *n, size_t *file)
{
    tmk_tm_unit t;
    if (tmk_tm_get(an->tm, u, &t, NULL) < 0)
        return -1;
    *s = t.source;
    *n = t.source_len;
    if (file)
        *file = t.file;
    return 0;
}

/* the first unit whose source is s, or SIZE_MAX */
static size_t mem_find(const tmk_analysis *an, const char *s, size_t n)
{
    uint64_t h = hash_bytes(s, n);
    for (size_t i = h & (an->mcap - 1);; i = (i + 1) & (an->mcap - 1)) {
        const struct slot *sl = &an->mslots[i];
        if (sl->v == SIZE_MAX)
            return SIZE_MAX;
        const char *t;
        size_t tn;
        if (sl->h == h && !unit_source(an, sl->v, &t, &tn, NULL) && tn == n && !memcmp(t, s, n))
            return sl->v;
    }
}

static int build_memory_map(tmk_analysis *an)
{
    size_t n = tmk_tm_size(an->tm);
    an->mcap = pow2_at_least(n * 2 + 1);
    an->mslots = malloc(an->mcap * sizeof *an->mslots);
    an->mnext = malloc((n ? n : 1) * sizeof *an->mnext);
    size_t *tail = malloc((n ? n : 1) * sizeof *tail);
    if (!an->mslots || !an->mnext || !tail) {
        free(tail);
        return TMK_ENOMEM;
    }
    for (size_t i = 0; i < an->mcap; i++)
        an->mslots[i].v = SIZE_MAX;
    for (size_t u = 0; u < n; u++) {
        const char *s;
        size_t sn;
        an->mnext[u] = SIZE_MAX;
        if (unit_source(an, u, &s, &sn, NULL) < 0)
            continue;
        uint64_t h = hash_bytes(s, sn);
        for (size_t i = h & (an->mcap - 1);; i = (i + 1) & (an->mcap - 1)) {
            struct slot *sl = &an->mslots[i];
            if (sl->v == SIZE_MAX) {
                sl->h = h;
                sl->v = u;
                tail[u] = u;
                break;
            }
            const char *t;
            size_t tn;
            if (sl->h == h && !unit_source(an, sl->v, &t, &tn, NULL) && tn == sn &&
                !memcmp(t, s, sn)) {
                an->mnext[tail[sl->v]] = u; /* memory order along the chain */
                tail[sl->v] = u;
                break;
            }
        }
    }
    free(tail);
    return TMK_OK;
}

int tmk_analysis_new(tmk_analysis **out, tmk_tm *tm, const tmk_analysis_options *opt, tmk_error *err)
{
    *out = NULL;
    tmk_analysis *an = calloc(1, sizeof *an);
    if (!an)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    an->tm = tm;
    const char *lang = NULL;
    if (opt && opt->size >= offsetof(tmk_analysis_options, lang) + sizeof opt->lang)
        lang = opt->lang;
    if (opt && opt->size >= offsetof(tmk_analysis_options, flags) + sizeof opt->flags)
        an->flags = opt->flags;
    if (!lang)
        lang = tmk_tm_srclang(tm);
    an->lang = lang ? strdup(lang) : NULL;
    tmk_buf_init(&an->texts);
    tmk_buf_init(&an->tmp);
    an->qseq = (tm_seq)TM_SEQ_INIT;
    an->cseq = (tm_seq)TM_SEQ_INIT;
    an->jcap = 1024;
    an->jslots = malloc(an->jcap * sizeof *an->jslots);
    if ((lang && !an->lang) || !an->jslots || build_memory_map(an) < 0) {
        tmk_analysis_free(an);
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < an->jcap; i++)
        an->jslots[i].v = SIZE_MAX;
    *out = an;
    return TMK_OK;
}

void tmk_analysis_free(tmk_analysis *an)
{
    if (!an)
        return;
    free(an->lang);
    free(an->mslots);
    free(an->mnext);
    free(an->jslots);
    free(an->seen);
    tmk_buf_release(&an->texts);
    tmk_buf_release(&an->tmp);
    free(an->keys);
    free(an->qkeys);
    tm__seq_release(&an->qseq);
    tm__seq_release(&an->cseq);
    for (size_t i = 0; i < an->nfiles; i++)
        free(an->files[i].name);
    free(an->files);
    free(an);
}

/* the job's entry of seg form s, or SIZE_MAX; *slot_out the slot to fill */
static size_t job_find(const tmk_analysis *an, const char *s, size_t n, uint64_t h, size_t *slot_out)
{
    for (size_t i = h & (an->jcap - 1);; i = (i + 1) & (an->jcap - 1)) {
        const struct slot *sl = &an->jslots[i];
        if (sl->v == SIZE_MAX) {
            *slot_out = i;
            return SIZE_MAX;
        }
        const struct seen *e = &an->seen[sl->v];
        if (sl->h == h && e->len == n && !memcmp(an->texts.data + e->off, s, n))
            return sl->v;
    }
}

static int job_grow(tmk_analysis *an)
{
    if ((an->nseen + 1) * 2 < an->jcap)
        return TMK_OK;
    size_t cap = an->jcap * 2;
    struct slot *sl = malloc(cap * sizeof *sl);
    if (!sl)
        return TMK_ENOMEM;
    for (size_t i = 0; i < cap; i++)
        sl[i].v = SIZE_MAX;
    for (size_t i = 0; i < an->jcap; i++) {
        if (an->jslots[i].v == SIZE_MAX)
            continue;
        size_t j = an->jslots[i].h & (cap - 1);
        while (sl[j].v != SIZE_MAX)
            j = (j + 1) & (cap - 1);
        sl[j] = an->jslots[i];
    }
    free(an->jslots);
    an->jslots = sl;
    an->jcap = cap;
    return TMK_OK;
}

static int same_source(const tmk_analysis *an, size_t u, size_t file, const char *s, size_t n)
{
    const char *t;
    size_t tn, f;
    return !unit_source(an, u, &t, &tn, &f) && f == file && tn == n && !memcmp(t, s, n);
}

static int unit_file(const tmk_analysis *an, size_t u, size_t *file)
{
    const char *t;
    size_t tn;
    return unit_source(an, u, &t, &tn, file);
}

static int band_of_score(int score, int internal)
{
    int b = score >= 100 ? TMK_ANALYSIS_100 : score >= 95 ? TMK_ANALYSIS_95 : score >= 85 ? TMK_ANALYSIS_85
          : score >= 75 ? TMK_ANALYSIS_75 : score >= 50 ? TMK_ANALYSIS_50 : TMK_ANALYSIS_NEW;
    if (internal && b >= TMK_ANALYSIS_95 && b <= TMK_ANALYSIS_50)
        b = TMK_ANALYSIS_IF95 + (b - TMK_ANALYSIS_95);
    return b;
}

/* The memory unit among head's chain (units with the source of segment i)
 * whose neighbours hold the segments around i, or -1: a context match.
 * The document's seg forms are in an->tmp, segment k at off[k]. */
static long context_unit(const tmk_analysis *an, size_t head, const size_t *off, size_t i, size_t n,
                         size_t msize)
{
#define SEG(k) (an->tmp.data + off[k])
#define SEGN(k) (off[(k) + 1] - off[k])
    for (size_t u = head; u != SIZE_MAX; u = an->mnext[u]) {
        size_t uf;
        if (unit_file(an, u, &uf) < 0)
            continue;
        int prev_ok, next_ok;
        if (i == 0) {
            size_t pf;
            prev_ok = u == 0 || (unit_file(an, u - 1, &pf) == 0 && pf != uf);
        } else {
            prev_ok = u > 0 && same_source(an, u - 1, uf, SEG(i - 1), SEGN(i - 1));
        }
        if (i + 1 == n) {
            size_t nf;
            next_ok = u + 1 == msize || (unit_file(an, u + 1, &nf) == 0 && nf != uf);
        } else {
            next_ok = u + 1 < msize && same_source(an, u + 1, uf, SEG(i + 1), SEGN(i + 1));
        }
        if (prev_ok && next_ok)
            return (long)u;
    }
    return -1;
#undef SEG
#undef SEGN
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Tokenise s into an->qseq (the tokens tmk_tm_score scores) and its word
 * keys' hashes, sorted, into an->qkeys; its word tokens (before the cap),
 * or TMK_ENOMEM. */
static long job_tokens(tmk_analysis *an, const char *s, size_t sn)
{
    if (tm__seq_tokenize(&an->qseq, s, sn) < 0)
        return TMK_ENOMEM;
    size_t n = an->qseq.nw;
    if (n > an->qcap) {
        uint64_t *k = realloc(an->qkeys, n * sizeof *k);
        if (!k)
            return TMK_ENOMEM;
        an->qkeys = k;
        an->qcap = n;
    }
    for (size_t i = 0; i < n; i++)
        an->qkeys[i] = an->qseq.w[i].h;
    qsort(an->qkeys, n, sizeof *an->qkeys, cmp_u64);
    an->nq = n;
    return (long)an->qseq.words_total;
}

/* How many of the sorted a (n) and b (m) are common (as multisets). */
static size_t common_keys(const uint64_t *a, size_t n, const uint64_t *b, size_t m)
{
    size_t i = 0, j = 0, c = 0;
    while (i < n && j < m) {
        if (a[i] < b[j]) {
            i++;
        } else if (b[j] < a[i]) {
            j++;
        } else {
            c++;
            i++;
            j++;
        }
    }
    return c;
}

/* The best score of s (ntok word tokens, tokenised by job_tokens) against
 * the job's earlier segments that could beat score (an internal fuzzy
 * match), 0 when none reaches 50; TMK_ENOMEM.  Two bounds skip most pairs
 * without scoring them: the score is at most 100 * shorter / longer (word
 * counts), and at most 100 * common / longer, common the word keys the
 * two share (the token distance d >= longer - common, as only equal keys
 * align at no cost; a hash shared by two keys only counts more). */
static int internal_best(tmk_analysis *an, const char *s, size_t sn, long ntok, int score)
{
    int best = 0;
    for (size_t k = 0; k < an->nseen; k++) {
        const struct seen *e = &an->seen[k];
        long lo_t = e->ntok < ntok ? e->ntok : ntok;
        long hi_t = e->ntok < ntok ? ntok : e->ntok;
        int need = score + 1 > best + 1 ? score + 1 : best + 1;
        if (need < 50)
            need = 50;
        if (hi_t > 0 && lo_t * 100 / hi_t < need)
            continue; /* the score is at most 100 * shorter / longer */
        size_t L = an->nq > e->nk ? an->nq : e->nk;
        if (L && common_keys(an->qkeys, an->nq, an->keys + e->koff, e->nk) * 100 / L <
                     (size_t)need)
            continue;
        const char *t = an->texts.data + e->off;
        if (tm__seq_tokenize(&an->cseq, t, e->len) < 0)
            return TMK_ENOMEM;
        int sc = tm__seq_score(&an->qseq, s, sn, &an->cseq, t, e->len);
        if (sc < 0)
            return TMK_ENOMEM;
        if (sc > best)
            best = sc;
    }
    return best;
}

/* Remember s (segment i of file fi) as the first occurrence of its seg
 * form, in the job's table at slot (hash h); TMK_ENOMEM. */
static int remember(tmk_analysis *an, const char *s, size_t sn, size_t fi, size_t i, long ntok,
                    uint64_t h, size_t slot)
{
    if (an->nseen == an->seencap) {
        size_t cap = an->seencap ? an->seencap * 2 : 256;
        struct seen *e = realloc(an->seen, cap * sizeof *e);
        if (!e)
            return TMK_ENOMEM;
        an->seen = e;
        an->seencap = cap;
    }
    struct seen *e = &an->seen[an->nseen];
    e->off = an->texts.len;
    e->len = sn;
    e->file = fi;
    e->index = i;
    e->ntok = ntok;
    e->koff = an->nkeys;
    e->nk = 0;
    if (an->flags & TMK_ANALYSIS_INTERNAL_FUZZY) { /* job_tokens made an->qkeys of s */
        if (an->nkeys + an->nq > an->keycap) {
            size_t cap = an->keycap ? an->keycap : 1024;
            while (cap < an->nkeys + an->nq)
                cap *= 2;
            uint64_t *nk = realloc(an->keys, cap * sizeof *nk);
            if (!nk)
                return TMK_ENOMEM;
            an->keys = nk;
            an->keycap = cap;
        }
        if (an->nq)
            memcpy(an->keys + an->nkeys, an->qkeys, an->nq * sizeof *an->keys);
        e->nk = an->nq;
        an->nkeys += an->nq;
    }
    if (tmk_buf_add(&an->texts, s, sn) < 0)
        return TMK_ENOMEM;
    an->jslots[slot].h = h;
    an->jslots[slot].v = an->nseen++;
    return job_grow(an);
}

int tmk_analysis_add_document(tmk_analysis *an, const char *name, const char *const *segs,
                        const size_t *lens, size_t n, tmk_analysis_segment_cb cb, void *ud,
                        tmk_error *err)
{
    struct file *fs = realloc(an->files, (an->nfiles + 1) * sizeof *fs);
    if (!fs)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    an->files = fs;
    struct file *f = &fs[an->nfiles];
    memset(f, 0, sizeof *f);
    f->name = strdup(name ? name : "");
    if (!f->name)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    size_t fi = an->nfiles++;
    /* seg forms of the document, one after another in tmp */
    size_t *off = malloc((n + 1) * sizeof *off);
    if (!off)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    int rc = TMK_OK;
    tmk_buf_reset(&an->tmp);
    for (size_t i = 0; i < n; i++) {
        off[i] = an->tmp.len;
        if (an->flags & TMK_ANALYSIS_SEG)
            rc = tmk_buf_add(&an->tmp, segs[i], lens[i]);
        else
            rc = tmk_tm_text_escape(segs[i], lens[i], &an->tmp);
        if (rc < 0) {
            free(off);
            return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        }
    }
    off[n] = an->tmp.len;
#define SEG(i) (an->tmp.data + off[i])
#define SEGN(i) (off[(i) + 1] - off[i])
    tmk_wc_options wo = TMK_WC_OPTIONS_INIT;
    wo.lang = an->lang;
    wo.flags = (an->flags & TMK_ANALYSIS_SEG) ? TMK_WC_SEG : 0;
    tmk_tm_lookup_options lo = TMK_TM_LOOKUP_OPTIONS_INIT;
    lo.k = 1;
    lo.min_score = 50;
    lo.flags = TMK_TM_QUERY_SEG;
    size_t msize = tmk_tm_size(an->tm);
    for (size_t i = 0; i < n && rc == TMK_OK; i++) {
        const char *s = SEG(i);
        size_t sn = SEGN(i);
        tmk_analysis_segment out;
        memset(&out, 0, sizeof out);
        tmk_wc_counts wc;
        memset(&wc, 0, sizeof wc);
        if ((rc = tmk_wc_count(segs[i], lens[i], &wo, &wc, err)) < 0) {
            if (rc == TMK_EINVAL && err)
                err->line = i + 1;
            break;
        }
        out.file = fi;
        out.index = i;
        out.text = segs[i];
        out.len = lens[i];
        out.unit = -1;
        out.wc = &wc;
        /* 1. context */
        size_t head = mem_find(an, s, sn);
        out.unit = context_unit(an, head, off, i, n, msize);
        if (out.unit >= 0) {
            out.band = TMK_ANALYSIS_CONTEXT;
            out.score = 101;
        }
        uint64_t h = hash_bytes(s, sn);
        size_t slot;
        size_t seen = job_find(an, s, sn, h, &slot);
        if (out.unit < 0) {
            if (seen != SIZE_MAX) { /* 2. repetition */
                out.band = an->seen[seen].file == fi ? TMK_ANALYSIS_REP : TMK_ANALYSIS_XREP;
                out.first_file = an->seen[seen].file;
                out.first_index = an->seen[seen].index;
            } else if (head != SIZE_MAX) { /* 3. memory bands */
                out.band = TMK_ANALYSIS_100;
                out.score = 100;
                out.unit = (long)head;
            } else {
                tmk_tm_match m;
                size_t nm = 0;
                if ((rc = tmk_tm_lookup(an->tm, s, sn, &lo, &m, &nm, err)) < 0)
                    break;
                if (nm) {
                    out.score = m.score;
                    out.unit = (long)m.unit.index;
                }
                out.band = band_of_score(out.score, 0);
            }
        }
        long ntok = 0;
        if ((an->flags & TMK_ANALYSIS_INTERNAL_FUZZY) && seen == SIZE_MAX) {
            ntok = job_tokens(an, s, sn);
            if (ntok < 0) {
                rc = tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
                break;
            }
            if (out.band >= TMK_ANALYSIS_95 && out.band <= TMK_ANALYSIS_NEW) {
                int best = internal_best(an, s, sn, ntok, out.score);
                if (best < 0) {
                    rc = tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
                    break;
                }
                out.internal_score = best;
                if (best > out.score && best >= 50 && best < 100)
                    out.band = band_of_score(best, 1);
            }
        }
        /* remember the first occurrence */
        if (seen == SIZE_MAX && remember(an, s, sn, fi, i, ntok, h, slot) < 0) {
            rc = tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
            break;
        }
        tmk_analysis_band_counts *bc = &f->c.band[out.band];
        bc->segments++;
        tmk_wc_add(&bc->wc, &wc);
        if (cb) {
            int r = cb(ud, &out);
            if (r) {
                rc = r < 0 ? r : tmk_error_set(err, TMK_ECANCELED, 0, 0, "stopped by the caller");
                break;
            }
        }
    }
#undef SEG
#undef SEGN
    free(off);
    return rc;
}

size_t tmk_analysis_nfiles(const tmk_analysis *an) { return an->nfiles; }

const char *tmk_analysis_file_name(const tmk_analysis *an, size_t i)
{
    return i < an->nfiles ? an->files[i].name : NULL;
}

int tmk_analysis_file_counts(const tmk_analysis *an, size_t i, tmk_analysis_counts *out)
{
    if (i >= an->nfiles)
        return TMK_EINVAL;
    *out = an->files[i].c;
    return TMK_OK;
}

void tmk_analysis_total(const tmk_analysis *an, tmk_analysis_counts *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < an->nfiles; i++)
        for (int b = 0; b < TMK_ANALYSIS_NBANDS; b++) {
            out->band[b].segments += an->files[i].c.band[b].segments;
            tmk_wc_add(&out->band[b].wc, &an->files[i].c.band[b].wc);
        }
}

/* ---- rates --------------------------------------------------------------- */

static int key_band(const char *k, size_t n)
{
    static const struct {
        const char *k;
        int b;
    } alias[] = {{"101", TMK_ANALYSIS_CONTEXT}, {"repetitions", TMK_ANALYSIS_REP}, {"0", TMK_ANALYSIS_NEW},
                 {"nomatch", TMK_ANALYSIS_NEW}};
    for (int b = 0; b < TMK_ANALYSIS_NBANDS; b++)
        if (strlen(band_keys[b]) == n && !strncasecmp(band_keys[b], k, n))
            return b;
    for (size_t i = 0; i < sizeof alias / sizeof *alias; i++)
        if (strlen(alias[i].k) == n && !strncasecmp(alias[i].k, k, n))
            return alias[i].b;
    return -1;
}

int tmk_analysis_decimal_parse(const char *s, size_t n, double *out)
{
    /* a plain decimal only: strtod would also take 0x10, 1e3, inf, -1, " 1" */
    char num[64];
    if (n == 0 || n >= sizeof num)
        return TMK_EINVAL;
    memcpy(num, s, n);
    num[n] = 0;
    size_t digits = strspn(num, "0123456789"), frac = 0;
    if (num[digits] == '.') {
        frac = strspn(num + digits + 1, "0123456789");
        if (digits + frac == 0)
            return TMK_EINVAL;
        digits += 1 + frac;
    }
    if (digits == 0 || num[digits])
        return TMK_EINVAL;
    char *end;
    double v = strtod(num, &end);
    if (*end || !isfinite(v) || v < 0)
        return TMK_EINVAL;
    *out = v;
    return TMK_OK;
}

int tmk_analysis_rates_parse(const char *spec, size_t len, tmk_analysis_rates *out, tmk_error *err)
{
    int given[TMK_ANALYSIS_NBANDS] = {0};
    unsigned long given_line[TMK_ANALYSIS_NBANDS] = {0}, given_col[TMK_ANALYSIS_NBANDS] = {0};
    double w[TMK_ANALYSIS_NBANDS];
    unsigned long line = 1, col = 1;
    size_t i = 0, line_start = 0;
    if (len >= 3 && !memcmp(spec, "\xEF\xBB\xBF", 3)) /* a UTF-8 BOM (Notepad) */
        i = line_start = 3;
    else if (len >= 2 && (!memcmp(spec, "\xFF\xFE", 2) || !memcmp(spec, "\xFE\xFF", 2)))
        return tmk_error_set(err, TMK_EINVAL, 1, 1,
                             "the rates are in UTF-16: save the file as UTF-8 (or plain text)");
    while (i < len) {
        char ch = spec[i];
        if (ch == '\n') {
            line++;
            line_start = i + 1;
            i++;
            continue;
        }
        if (ch == ',' || ch == ';' || isspace((unsigned char)ch)) {
            i++;
            continue;
        }
        if (ch == '#') {
            while (i < len && spec[i] != '\n')
                i++;
            continue;
        }
        size_t start = i;
        col = (unsigned long)(i - line_start) + 1;
        while (i < len && spec[i] != ',' && spec[i] != ';' && spec[i] != '\n' &&
               !isspace((unsigned char)spec[i]))
            i++;
        size_t n = i - start;
        const char *eq = memchr(spec + start, '=', n);
        size_t nd = 0;
        while (nd < n && spec[start + nd] >= '0' && spec[start + nd] <= '9')
            nd++;
        if (!eq && start > 0 && spec[start - 1] == ',' && nd == n)
            /* "100=0,3": a decimal comma splits the weight into two items */
            return tmk_error_set(err, TMK_EINVAL, line, col,
                                 "rate item '%.*s' is not KEY=WEIGHT: write a weight with a "
                                 "decimal point (95=0.3), not a comma (a comma separates items)",
                                 (int)n, spec + start);
        if (!eq)
            return tmk_error_set(err, TMK_EINVAL, line, col,
                                 "rate item '%.*s' is not KEY=WEIGHT (e.g. 95=0.3)", (int)n,
                                 spec + start);
        size_t kn = (size_t)(eq - (spec + start));
        int b = key_band(spec + start, kn);
        if (b < 0)
            return tmk_error_set(err, TMK_EINVAL, line, col,
                                 "unknown band '%.*s' in the rates; the bands are context, rep, "
                                 "xrep, 100, 95, 85, 75, 50, new, if95, if85, if75, if50",
                                 (int)kn, spec + start);
        char num[40];
        size_t vn = n - kn - 1;
        if (vn == 0)
            return tmk_error_set(err, TMK_EINVAL, line, col, "rate for '%.*s' has no number",
                                 (int)kn, spec + start);
        /* shown in messages: a long one cut with "..." */
        snprintf(num, sizeof num, "%.*s%s", vn < 32 ? (int)vn : 28, eq + 1, vn < 32 ? "" : "...");
        double v;
        if (tmk_analysis_decimal_parse(eq + 1, vn, &v) < 0)
            return tmk_error_set(err, TMK_EINVAL, line, col,
                                 "rate '%s' for '%.*s' is not a decimal number >= 0 (such as "
                                 "0.3 or 1)",
                                 num, (int)kn, spec + start);
        if (v > TMK_ANALYSIS_MAX_WEIGHT)
            return tmk_error_set(err, TMK_EINVAL, line, col,
                                 "rate '%s' for '%.*s' is more than %d: a weight is a share of "
                                 "the full price of a word (1 = full price, 0.3 = 30%%)",
                                 num, (int)kn, spec + start, TMK_ANALYSIS_MAX_WEIGHT);
        if (given[b])
            return tmk_error_set(err, TMK_EINVAL, line, col,
                                 "the band '%s' is given twice (as '%.*s' here, first at line "
                                 "%lu, column %lu): give each band once",
                                 band_keys[b], (int)kn, spec + start, given_line[b],
                                 given_col[b]);
        w[b] = v;
        given[b] = 1;
        given_line[b] = line;
        given_col[b] = col;
    }
    for (int b = 0; b <= TMK_ANALYSIS_NEW; b++)
        if (!given[b] && b != TMK_ANALYSIS_XREP)
            w[b] = 1;
    if (!given[TMK_ANALYSIS_XREP])
        w[TMK_ANALYSIS_XREP] = w[TMK_ANALYSIS_REP];
    for (int b = TMK_ANALYSIS_IF95; b < TMK_ANALYSIS_NBANDS; b++)
        if (!given[b])
            w[b] = w[TMK_ANALYSIS_95 + (b - TMK_ANALYSIS_IF95)];
    memcpy(out->weight, w, sizeof w);
    return TMK_OK;
}

double tmk_analysis_weighted_words(const tmk_analysis_counts *c, const tmk_analysis_rates *rates)
{
    double t = 0;
    for (int b = 0; b < TMK_ANALYSIS_NBANDS; b++)
        t += (double)tmk_wc_words(&c->band[b].wc) * rates->weight[b];
    return t;
}
