/* tm_stats.c -- statistics of translation memories (tmkit/stats.h):
 * units, languages, pairs, words, characters and duplicate units, read as
 * a stream.  Duplicates are counted exactly with bounded memory: each
 * unit's identity hash (tmk_tmx_unit_hash, computed here in the same pass
 * as the counts) goes into a hash set, then into tmk_sorter (in memory up
 * to its budget, then sorted runs on disk). */
#include <config.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "tm_count.h"

typedef struct {
    char *lang;
    char raw[32]; /* the spelling last seen for it; RAW_NONE when too long */
    unsigned long long tuvs, chars;
    tmk_wc_counts wc; /* words by GMX-V (tmkit/wordcount.h): tmk_wc_words */
    uint64_t hash;  /* of the code lowercased with '-' for '_' (duplicate keys) */
    int is_src;     /* matches the current file's header srclang: -1 = not known yet */
} lstat;
typedef struct {
    char *src, *tgt;
    unsigned long long units;
} pstat;

struct tmk_stats {
    const char *header_srclang;
    int header_all;             /* header_srclang is "*all*" */
    char *hdr;
    unsigned long long units, tuvs;
    lstat *langs;
    size_t nlangs, caplangs;
    size_t *lidx;               /* open addressing by lang hash: entry + 1, 0 = empty */
    size_t lidx_cap;            /* a power of two */
    pstat *pairs;
    size_t npairs, cappairs;
    size_t *pidx;               /* the same for pairs, by pair_hash */
    size_t pidx_cap;
    int oom;                    /* a table could not grow: out of memory */
    tmk_sorter *hashes;         /* unit hashes once the set below is full */
    uint64_t *set;              /* open addressing, 0 = empty slot */
    size_t set_cap, set_n;      /* cap: a power of two, or 0 = spilled to hashes */
    size_t set_max;             /* slots at most (SET_MAX) */
    int have_zero;              /* the hash 0 was seen */
    uint64_t pending;           /* the last unit's hash, looked up at the next unit */
    int has_pending;
    unsigned long long dups;    /* found in the set */
    size_t pos_lang[4];         /* entry found at tuv position i last time */
    size_t last_ia, last_ib;    /* the last pair by entry, SIZE_MAX = none */
    size_t last_pair_i;
    size_t two_e0, two_e1, two_pair; /* a two-tuv unit's entries -> its pair (SIZE_MAX = none) */
    tmk_buf plain;
    tmk_buf ident;              /* tmk__tuv_hash's scratch (a unit given with markup) */
    const tmk_tmx_reader *reader; /* the file being read (its tuvs' markup hashes), or NULL */
    tmk_error err;
    /* add_tu: copies of the texts with the padding count_text reads */
    tmk_buf pad;
    tmk_tmx_tuv *tuvbuf;
    size_t captuvs;
    unsigned long long files;
    int finished;
    tmk_stats_lang *rlangs;
    tmk_stats_pair *rpairs;
    tmk_stats_result res;
};
typedef struct tmk_stats stats;


/* raw of a code too long for it: a byte that is never in UTF-8, so that no
 * code (not even "") is taken for the long one by its spelling */
#define RAW_NONE "\xff"

static int same_str(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

/* Hash tables of entry numbers (+ 1; 0 = empty slot), kept under 1/2 full:
 * languages and pairs are found in constant time however many there are. */
static int index_grow(size_t **idx, size_t *cap, size_t n, uint64_t (*key)(const stats *, size_t),
                      const stats *s)
{
    if (2 * (n + 1) <= *cap)
        return 0;
    size_t nc = *cap ? *cap * 2 : 64;
    size_t *t = calloc(nc, sizeof *t);
    if (!t)
        return -1;
    for (size_t i = 0; i < n; i++) {
        size_t k = (size_t)key(s, i) & (nc - 1);
        while (t[k])
            k = (k + 1) & (nc - 1);
        t[k] = i + 1;
    }
    free(*idx);
    *idx = t;
    *cap = nc;
    return 0;
}

static uint64_t lang_key(const stats *s, size_t i) { return s->langs[i].hash; }

static uint64_t pair_hash(const char *a, const char *b)
{
    uint64_t h = tm_hash_bytes(TM_HASH_INIT, a, strlen(a) + 1);
    return tm_hash_bytes(h, b, strlen(b));
}

static uint64_t pair_key(const stats *s, size_t i)
{
    return pair_hash(s->pairs[i].src, s->pairs[i].tgt);
}

/* The entry of a language code: codes that differ only in case and '_'
 * for '-' are one language (tmk_lang_canonical gives its name).  NULL only
 * when out of memory (s->oom set). */
static lstat *lang_entry(stats *s, const char *lang, size_t pos)
{
    /* most memories have few languages in a fixed order: try the entry
     * found for the same tuv position last time first */
    if (pos < 4 && s->pos_lang[pos] < s->nlangs && same_str(s->langs[s->pos_lang[pos]].raw, lang))
        return &s->langs[s->pos_lang[pos]];
    uint64_t h = tm_lang_hash(lang);
    size_t len = strlen(lang), k = 0;
    if (s->lidx_cap) {
        for (k = (size_t)h & (s->lidx_cap - 1); s->lidx[k]; k = (k + 1) & (s->lidx_cap - 1)) {
            lstat *e = &s->langs[s->lidx[k] - 1];
            if (e->hash == h && tmk_lang_match(e->lang, lang) && strlen(e->lang) == len) {
                if (len < sizeof e->raw)
                    strcpy(e->raw, lang);
                if (pos < 4)
                    s->pos_lang[pos] = (size_t)(e - s->langs);
                return e;
            }
        }
    }
    if (s->nlangs == s->caplangs) {
        size_t nc = s->caplangs ? s->caplangs * 2 : 16;
        lstat *n = realloc(s->langs, nc * sizeof *n);
        if (!n) {
            s->oom = 1;
            return NULL;
        }
        s->langs = n;
        s->caplangs = nc;
    }
    lstat *e = &s->langs[s->nlangs];
    memset(e, 0, sizeof *e);
    e->lang = tmk__lang_canonical(lang);
    if (!e->lang) {
        s->oom = 1;
        return NULL;
    }
    strcpy(e->raw, len < sizeof e->raw ? lang : RAW_NONE);
    e->hash = h;
    e->is_src = -1;
    s->nlangs++;
    if (index_grow(&s->lidx, &s->lidx_cap, s->nlangs, lang_key, s) < 0) {
        s->nlangs--;
        free(e->lang);
        s->oom = 1;
        return NULL;
    }
    for (k = (size_t)h & (s->lidx_cap - 1); s->lidx[k]; k = (k + 1) & (s->lidx_cap - 1))
        ;
    s->lidx[k] = s->nlangs;
    if (pos < 4)
        s->pos_lang[pos] = s->nlangs - 1;
    return e;
}

/* Count one unit for the pair a -> b; returns its entry number, or
 * SIZE_MAX when out of memory (s->oom set). */
static size_t pair_add(stats *s, const char *a, const char *b)
{
    uint64_t h = pair_hash(a, b);
    size_t k = 0;
    if (s->pidx_cap) {
        for (k = (size_t)h & (s->pidx_cap - 1); s->pidx[k]; k = (k + 1) & (s->pidx_cap - 1)) {
            pstat *p = &s->pairs[s->pidx[k] - 1];
            if (!strcmp(p->src, a) && !strcmp(p->tgt, b)) {
                p->units++;
                return s->pidx[k] - 1;
            }
        }
    }
    if (s->npairs == s->cappairs) {
        size_t nc = s->cappairs ? s->cappairs * 2 : 16;
        pstat *n = realloc(s->pairs, nc * sizeof *n);
        if (!n) {
            s->oom = 1;
            return SIZE_MAX;
        }
        s->pairs = n;
        s->cappairs = nc;
    }
    pstat p = {tmk__strdup(a), tmk__strdup(b), 1};
    if (!p.src || !p.tgt) {
        free(p.src);
        free(p.tgt);
        s->oom = 1;
        return SIZE_MAX;
    }
    s->pairs[s->npairs++] = p;
    if (index_grow(&s->pidx, &s->pidx_cap, s->npairs, pair_key, s) < 0) {
        s->npairs--;
        free(p.src);
        free(p.tgt);
        s->oom = 1;
        return SIZE_MAX;
    }
    for (k = (size_t)h & (s->pidx_cap - 1); s->pidx[k]; k = (k + 1) & (s->pidx_cap - 1))
        ;
    s->pidx[k] = s->npairs;
    return s->npairs - 1;
}

static int new_header(stats *s, const char *srclang)
{
    free(s->hdr);
    s->hdr = srclang ? tmk__strdup(srclang) : NULL;
    if (srclang && !s->hdr)
        return tmk_error_set(&s->err, TMK_ENOMEM, 0, 0, "out of memory");
    s->header_srclang = s->hdr;
    s->header_all = s->hdr && !strcmp(s->hdr, "*all*");
    for (size_t i = 0; i < s->nlangs; i++)
        s->langs[i].is_src = -1;
    s->two_pair = SIZE_MAX; /* which tuv is the source may change */
    return TMK_OK;
}

static int on_header(void *ud, const tmk_tmx_header *h)
{
    return new_header(ud, h->srclang);
}

/* Count one pair by its canonical codes (the general path). */
static void pair_by_codes(stats *s, const char *ra, const char *rb)
{
    char *a = tmk__lang_canonical(ra);
    char *b = tmk__lang_canonical(rb);
    if (a && b)
        pair_add(s, a, b);
    else
        s->oom = 1;
    free(a);
    free(b);
}

/* The pair of entries ia -> ib; the last one is remembered. */
static void pair_by_entries(stats *s, size_t ia, size_t ib)
{
    if (ia == s->last_ia && ib == s->last_ib) {
        s->pairs[s->last_pair_i].units++;
        return;
    }
    size_t k = pair_add(s, s->langs[ia].lang, s->langs[ib].lang);
    if (k != SIZE_MAX) {
        s->last_ia = ia;
        s->last_ib = ib;
        s->last_pair_i = k;
    }
}


/* Duplicate units: the unit hashes go into a hash set while it stays
 * within SET_MAX slots (duplicates counted on insertion), then into the
 * sorter (in memory up to its budget, then sorted runs on disk), which
 * counts the duplicates among them and the set's unique hashes at the end. */
enum { SET_MIN = 1 << 14, SET_MAX = 1 << 19 };

static int set_spill(stats *s)
{
    for (size_t i = 0; i < s->set_cap; i++)
        if (s->set[i] && tmk_sorter_add(s->hashes, &s->set[i], &s->err) < 0)
            return s->err.code;
    if (s->have_zero) {
        uint64_t z = 0;
        if (tmk_sorter_add(s->hashes, &z, &s->err) < 0)
            return s->err.code;
    }
    free(s->set);
    s->set = NULL;
    s->set_cap = 0;
    return TMK_OK;
}

static int set_grow(stats *s)
{
    size_t cap = s->set_cap * 2;
    uint64_t *n = calloc(cap, sizeof *n);
    if (!n)
        return set_spill(s);
    for (size_t i = 0; i < s->set_cap; i++) {
        uint64_t h = s->set[i];
        if (!h)
            continue;
        size_t k = (size_t)(h >> 17) & (cap - 1);
        while (n[k])
            k = (k + 1) & (cap - 1);
        n[k] = h;
    }
    free(s->set);
    s->set = n;
    s->set_cap = cap;
    return TMK_OK;
}

static __attribute__((noinline)) int unit_seen_slow(stats *s, uint64_t h)
{
    if (!s->set_cap)
        return tmk_sorter_add(s->hashes, &h, &s->err);
    /* h == 0 */
    s->dups += s->have_zero;
    s->have_zero = 1;
    return TMK_OK;
}

static inline __attribute__((always_inline)) int unit_seen(stats *s, uint64_t h)
{
    if (!s->set_cap || !h)
        return unit_seen_slow(s, h);
    size_t mask = s->set_cap - 1, k = (size_t)(h >> 17) & mask;
    while (s->set[k]) {
        if (s->set[k] == h) {
            s->dups++;
            return TMK_OK;
        }
        k = (k + 1) & mask;
    }
    s->set[k] = h;
    if (++s->set_n * 2 > s->set_cap) /* at most half full */
        return s->set_cap < s->set_max ? set_grow(s) : set_spill(s);
    return TMK_OK;
}

/* A unit's hash is looked up in the set at the next unit (or at the end of
 * the file: stats_flush), its slot fetched into the cache meanwhile: the
 * same lookups in the same order, without waiting for memory. */
static inline int unit_later(stats *s, uint64_t h)
{
    int rc = TMK_OK;
    if (s->has_pending)
        rc = unit_seen(s, s->pending);
    s->pending = h;
    s->has_pending = 1;
    if (s->set_cap)
        __builtin_prefetch(&s->set[(size_t)(h >> 17) & (s->set_cap - 1)]);
    return rc;
}

static int stats_flush(stats *s)
{
    if (!s->has_pending)
        return TMK_OK;
    s->has_pending = 0;
    return unit_seen(s, s->pending);
}

/* The entry cached for tuv position pos if it is lang's, else NULL. */
static inline lstat *cached_entry(stats *s, const char *lang, size_t pos)
{
    size_t k = s->pos_lang[pos];
    if (lang && k < s->nlangs && same_str(s->langs[k].raw, lang))
        return &s->langs[k];
    return NULL;
}

static int on_tu_general(const tmk_tmx_tu *tu, stats *s);

/* Words as analyze counts them (GMX-V; the language tells Japanese Han). */
static int wc_add(lstat *e, const char *t, size_t n)
{
    tmk_wc_options o = TMK_WC_OPTIONS_INIT;
    o.lang = e->lang;
    int rc = tmk_wc_count(t, n, &o, &e->wc, NULL);
    return rc == TMK_ENOMEM ? rc : 0; /* the reader gives UTF-8 */
}

/* Most units of a memory: two tuvs of plain text in the languages, order and
 * pair of the unit before.  The same counts as on_tu_general, without its
 * searches. */
static int on_tu(void *ud, const tmk_tmx_tu *tu)
{
    stats *s = ud;
    if (tu->ntuvs == 2 && !tu->nattrs && s->two_pair != SIZE_MAX) {
        const tmk_tmx_tuv *v = tu->tuvs;
        lstat *e0, *e1;
        if (!v[0].markup && !v[1].markup && (e0 = cached_entry(s, v[0].lang, 0)) &&
            e0 == &s->langs[s->two_e0] && (e1 = cached_entry(s, v[1].lang, 1)) &&
            e1 == &s->langs[s->two_e1]) {
            s->units++;
            s->tuvs += 2;
            counts c0 = {0, 0}, c1 = {0, 0};
            uint64_t h0 = TEXT_MIX(count_text(v[0].seg, v[0].seg_len, &c0, e0->hash));
            uint64_t h1 = TEXT_MIX(count_text(v[1].seg, v[1].seg_len, &c1, e1->hash));
            if (s->reader) { /* inline markup counts in the identity (tm_unit.c) */
                h0 = tmk__ident_markup(h0, tmk__tmx_reader_tuv_mhash(s->reader, 0));
                h1 = tmk__ident_markup(h1, tmk__tmx_reader_tuv_mhash(s->reader, 1));
            }
            uint64_t h = h0 + h1;
            e0->tuvs++;
            if (wc_add(e0, v[0].seg, v[0].seg_len) < 0 || wc_add(e1, v[1].seg, v[1].seg_len) < 0)
                return TMK_ENOMEM;
            e0->chars += c0.chars;
            e1->tuvs++;
            e1->chars += c1.chars;
            s->pairs[s->two_pair].units++;
            return unit_later(s, h);
        }
    }
    return on_tu_general(tu, s);
}

static int on_tu_general(const tmk_tmx_tu *tu, stats *s)
{
    s->units++;
    s->tuvs += tu->ntuvs;
    uint64_t unit_hash = 0;
    enum { FAST = 16 };
    size_t ent[FAST];
    int all = tu->ntuvs <= FAST; /* every tuv has an entry (index in ent) */
    for (size_t i = 0; i < tu->ntuvs; i++) {
        const tmk_tmx_tuv *v = &tu->tuvs[i];
        const char *lang = v->lang ? v->lang : "(none)";
        lstat *e = lang_entry(s, lang, i);
        if (!e)
            return tmk_error_set(&s->err, TMK_ENOMEM, 0, 0, "out of memory");
        const char *text = v->seg;
        size_t len = v->seg_len;
        if (v->markup) {
            tmk_buf_reset(&s->plain);
            /* the padding count_text may read past the text, as the reader's */
            if (tmk_tmx_seg_plain(v->seg, v->seg_len, 1, &s->plain) < 0 ||
                tmk_buf_grow(&s->plain, TMK_TMX_SEG_PAD) < 0)
                return TMK_ENOMEM;
            text = s->plain.data;
            len = s->plain.len;
        }
        /* words, characters and the hash of (language, text) in one pass;
         * the unit's hash is the sum: order-independent */
        counts c = {0, 0};
        uint64_t mh = s->reader ? tmk__tmx_reader_tuv_mhash(s->reader, i) : 0, th;
        if (v->markup && tmk__tuv_hash(v, &s->ident, &th) < 0)
            return TMK_ENOMEM;
        if (e) {
            e->tuvs++;
            uint64_t h = tmk__ident_markup(TEXT_MIX(count_text(text, len, &c, e->hash)), mh);
            unit_hash += v->markup ? th : h;
            if (wc_add(e, text, len) < 0)
                return TMK_ENOMEM;
            e->chars += c.chars;
            if (all)
                ent[i] = (size_t)(e - s->langs);
        } else {
            uint64_t h = tmk__ident_markup(TEXT_MIX(count_text(text, len, &c, tm_lang_hash(lang))), mh);
            unit_hash += v->markup ? th : h;
            all = 0;
        }
    }
    /* pairs: source -> every other tuv */
    const char *tsrc = tu->nattrs ? tmk_tmx_attr_get(tu->attrs, tu->nattrs, "srclang") : NULL;
    long si = -1;
    if (all && !tsrc && tu->ntuvs == 2 && ent[0] == s->two_e0 && ent[1] == s->two_e1 &&
        s->two_pair != SIZE_MAX) {
        /* the same two languages as the last such unit: the same pair */
        s->pairs[s->two_pair].units++;
    } else if (all && !tsrc && tu->ntuvs) {
        /* the header's srclang decides: known per entry */
        if (s->header_srclang && !s->header_all) {
            for (size_t i = 0; i < tu->ntuvs && si < 0; i++) {
                lstat *e = &s->langs[ent[i]];
                if (e->is_src < 0)
                    e->is_src = tmk_lang_match(tu->tuvs[i].lang, s->header_srclang);
                if (e->is_src)
                    si = (long)i;
            }
        }
        if (si < 0)
            si = 0;
        for (size_t i = 0; i < tu->ntuvs; i++)
            if ((long)i != si)
                pair_by_entries(s, ent[si], ent[i]);
        if (tu->ntuvs == 2) {
            size_t o = ent[1 - si];
            int known = s->last_ia == ent[si] && s->last_ib == o;
            s->two_e0 = ent[0];
            s->two_e1 = ent[1];
            s->two_pair = known ? s->last_pair_i : SIZE_MAX;
        }
    } else {
        si = tmk_tmx_source_tuv(tu, s->header_srclang);
        for (size_t i = 0; si >= 0 && i < tu->ntuvs; i++) {
            if ((long)i == si)
                continue;
            const char *ra = tu->tuvs[si].lang ? tu->tuvs[si].lang : "(none)";
            const char *rb = tu->tuvs[i].lang ? tu->tuvs[i].lang : "(none)";
            pair_by_codes(s, ra, rb);
        }
    }
    if (s->oom)
        return tmk_error_set(&s->err, TMK_ENOMEM, 0, 0, "out of memory");
    return unit_later(s, unit_hash);
}

static int cmp_lang(const void *a, const void *b)
{
    return strcmp(((const lstat *)a)->lang, ((const lstat *)b)->lang);
}
static int cmp_pair(const void *a, const void *b)
{
    const pstat *x = a, *y = b;
    if (x->units != y->units)
        return x->units < y->units ? 1 : -1;
    int c = strcmp(x->src, y->src);
    return c ? c : strcmp(x->tgt, y->tgt);
}

/* ---- the API ------------------------------------------------------------ */

static void free_tables(stats *s)
{
    for (size_t i = 0; i < s->nlangs; i++)
        free(s->langs[i].lang);
    for (size_t i = 0; i < s->npairs; i++) {
        free(s->pairs[i].src);
        free(s->pairs[i].tgt);
    }
    free(s->langs);
    free(s->pairs);
    free(s->lidx);
    free(s->pidx);
}

void tmk_stats_free(tmk_stats *s)
{
    if (!s)
        return;
    free_tables(s);
    free(s->hdr);
    tmk_buf_release(&s->plain);
    tmk_buf_release(&s->ident);
    tmk_buf_release(&s->pad);
    free(s->tuvbuf);
    free(s->set);
    free(s->rlangs);
    free(s->rpairs);
    tmk_sorter_free(s->hashes);
    free(s);
}

int tmk_stats_new(tmk_stats **out, const tmk_stats_options *opt, tmk_error *err)
{
    *out = NULL;
    size_t memory = 0, slots = 0;
    const char *temp_dir = NULL;
    if (opt && opt->size >= offsetof(tmk_stats_options, memory) + sizeof opt->memory)
        memory = opt->memory;
    if (opt && opt->size >= offsetof(tmk_stats_options, set_slots) + sizeof opt->set_slots)
        slots = opt->set_slots;
    if (opt && opt->size >= offsetof(tmk_stats_options, temp_dir) + sizeof opt->temp_dir)
        temp_dir = opt->temp_dir;
    stats *s = calloc(1, sizeof *s);
    if (!s)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    s->last_ia = s->last_ib = SIZE_MAX;
    s->two_pair = SIZE_MAX;
    tmk_buf_init(&s->plain);
    tmk_buf_init(&s->ident);
    tmk_buf_init(&s->pad);
    int made = tmk_sorter_new(&s->hashes, 8, tmk_sorter_cmp_u64,
                              memory ? memory : (size_t)6 << 20, temp_dir, err);
    if (made < 0) {
        free(s);
        return made;
    }
    s->set_max = SET_MAX;
    if (slots >= 2 && slots <= SET_MAX && !(slots & (slots - 1)))
        s->set_max = slots;
    s->set_cap = s->set_max < SET_MIN ? s->set_max : SET_MIN;
    s->set = calloc(s->set_cap, sizeof *s->set);
    if (!s->set) {
        tmk_stats_free(s);
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    }
    *out = s;
    return TMK_OK;
}

/* s->err (set by the counting code, or the generic message of rc) into err */
static int fail(stats *s, int rc, tmk_error *err)
{
    if (s->err.code) {
        if (err) {
            if (!s->err.file[0])
                tmk_error_set_file(&s->err, err->file);
            *err = s->err;
        }
        rc = s->err.code;
        s->err = (tmk_error)TMK_ERROR_INIT;
        return rc;
    }
    if (err && !err->code)
        tmk_error_set(err, rc, 0, 0, rc == TMK_ENOMEM ? "out of memory" : "cannot count the unit");
    return rc;
}

static int not_after_finish(tmk_error *err)
{
    return tmk_error_set(err, TMK_EINVAL, 0, 0,
                         "the statistics are finished: no more units can be added");
}

int tmk_stats_begin(tmk_stats *s, const char *srclang, tmk_error *err)
{
    if (s->finished)
        return not_after_finish(err);
    int rc = new_header(s, srclang);
    if (rc < 0)
        return fail(s, rc, err);
    s->files++;
    return TMK_OK;
}

int tmk_stats_add_tu(tmk_stats *s, const tmk_tmx_tu *tu, tmk_error *err)
{
    if (s->finished)
        return not_after_finish(err);
    /* count_text reads TMK_TMX_SEG_PAD bytes past each text: copies */
    if (tu->ntuvs > s->captuvs) {
        tmk_tmx_tuv *n = realloc(s->tuvbuf, tu->ntuvs * sizeof *n);
        if (!n)
            return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        s->tuvbuf = n;
        s->captuvs = tu->ntuvs;
    }
    tmk_buf_reset(&s->pad);
    for (size_t i = 0; i < tu->ntuvs; i++) {
        s->tuvbuf[i] = tu->tuvs[i];
        if (tmk_buf_add(&s->pad, tu->tuvs[i].seg, tu->tuvs[i].seg_len) < 0 ||
            tmk_buf_grow(&s->pad, TMK_TMX_SEG_PAD + 1) < 0)
            return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        memset(s->pad.data + s->pad.len, ' ', TMK_TMX_SEG_PAD);
        s->pad.len += TMK_TMX_SEG_PAD;
        s->pad.data[s->pad.len] = '\0';
    }
    /* the buffer may have moved while it grew: point into it now */
    size_t at = 0;
    for (size_t i = 0; i < tu->ntuvs; i++) {
        s->tuvbuf[i].seg = s->pad.data + at;
        at += tu->tuvs[i].seg_len + TMK_TMX_SEG_PAD;
    }
    tmk_tmx_tu copy = *tu;
    copy.tuvs = s->tuvbuf;
    int rc = on_tu(s, &copy);
    return rc < 0 ? fail(s, rc, err) : TMK_OK;
}

/* f NULL: read the file at path; else read f, named path in errors */
static int add_input(tmk_stats *s, FILE *f, const char *path, tmk_error *err)
{
    if (s->finished)
        return not_after_finish(err);
    tmk_tmx_read_options ro = TMK_TMX_READ_OPTIONS_INIT;
    ro.name = path;
    ro.flags = TMK_TMX_READ_TEXT_ONLY;
    tmk_tmx_reader *r;
    TMK_TRY(tmk_tmx_reader_new(&r, &ro, on_header, on_tu, NULL, s, err));
    int rc = new_header(s, NULL);
    if (rc < 0) {
        tmk_tmx_reader_free(r);
        return fail(s, rc, err);
    }
    s->files++;
    s->reader = r;
    rc = f ? tmk_tmx_read_stream(r, f, path, err) : tmk_tmx_read_file(r, path, err);
    s->reader = NULL;
    tmk_tmx_reader_free(r);
    if (rc >= 0)
        rc = stats_flush(s);
    if (rc < 0 && s->err.code) {
        if (path)
            tmk_error_set_file(&s->err, path);
        return fail(s, rc, err);
    }
    return rc < 0 ? rc : TMK_OK;
}

int tmk_stats_add_file(tmk_stats *s, const char *path, tmk_error *err)
{
    return add_input(s, NULL, path, err);
}

int tmk_stats_add_stream(tmk_stats *s, FILE *f, const char *name, tmk_error *err)
{
    return add_input(s, f, name, err);
}

int tmk_stats_finish(tmk_stats *s, const tmk_stats_result **res, tmk_error *err)
{
    *res = NULL;
    if (s->finished) {
        *res = &s->res;
        return TMK_OK;
    }
    int rc = stats_flush(s);
    if (rc < 0)
        return fail(s, rc, err);
    unsigned long long dups = s->dups;
    if (!s->set_cap) {
        rc = tmk_sorter_sort(s->hashes, &s->err);
        uint64_t prev = 0, cur;
        int have = 0;
        while (rc >= 0 && (rc = tmk_sorter_next(s->hashes, &cur, &s->err)) == 1) {
            if (have && cur == prev)
                dups++;
            prev = cur;
            have = 1;
        }
        if (rc < 0)
            return fail(s, rc, err);
    }
    qsort(s->langs, s->nlangs, sizeof *s->langs, cmp_lang);
    qsort(s->pairs, s->npairs, sizeof *s->pairs, cmp_pair);
    s->rlangs = calloc(s->nlangs ? s->nlangs : 1, sizeof *s->rlangs);
    s->rpairs = calloc(s->npairs ? s->npairs : 1, sizeof *s->rpairs);
    if (!s->rlangs || !s->rpairs)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    for (size_t i = 0; i < s->nlangs; i++) {
        s->rlangs[i].lang = s->langs[i].lang;
        s->rlangs[i].tuvs = s->langs[i].tuvs;
        s->rlangs[i].words = tmk_wc_words(&s->langs[i].wc);
        s->rlangs[i].characters = s->langs[i].chars;
    }
    for (size_t i = 0; i < s->npairs; i++) {
        s->rpairs[i].source = s->pairs[i].src;
        s->rpairs[i].target = s->pairs[i].tgt;
        s->rpairs[i].units = s->pairs[i].units;
    }
    s->res.files = s->files;
    s->res.units = s->units;
    s->res.tuvs = s->tuvs;
    s->res.duplicates = dups;
    s->res.nlangs = s->nlangs;
    s->res.langs = s->rlangs;
    s->res.npairs = s->npairs;
    s->res.pairs = s->rpairs;
    s->finished = 1;
    *res = &s->res;
    return TMK_OK;
}
