/* tm_lookup.c -- opening a memory, fuzzy lookup and concordance.
 *
 * Lookup (exact top k, see lookup.h).  The query's word/number keys are
 * ranked as the index ranks them (a key the memory does not have ranks
 * before all others: it can match nothing) and sorted.  With m the
 * effective minimum (min_score, raised to the k-th best score once k
 * matches are held), a unit with n keys can only score >= m when
 *   - ceil(q*m/100) <= n <= floor(100*q/m)         (length filter; q the
 *     query's key count: d >= |q - n| and raw >= m means d <= floor(L*(100-m)/100)),
 *   - it shares at least T = ceil(max(q,n)*m/100) keys with the query
 *     (count filter: the keys aligned at cost 0 are shared keys, and there
 *     are at least L - d of them),
 *   - one of the first q - ceil(q*m/100) + 1 query keys is among the first
 *     n - ceil(n*m0/100) + 1 keys of the unit (prefix filter: the smallest
 *     shared key is in both prefixes; the index holds the latter),
 *   - met first through the query's i-th key, found at place j among the
 *     unit's keys, it shares at most min(q - i, n - j) keys (positional
 *     filter: a smaller shared key would have met it earlier).
 * Units found through the posting lists of the query's prefix keys, within
 * the length range, are counted exactly against the query's keys and, when
 * they pass, scored by the one score function.  Penalties only lower a
 * score, so none of these bounds can drop a unit that brute force keeps.
 */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "internal.h"
#include "tm_int.h"

void tmk_tm_free(tmk_tm *tm)
{
    if (!tm)
        return;
    if (tm->map)
        munmap(tm->map, tm->map_len);
    for (size_t i = 0; i < 8; i++)
        free(tm->owned[i]);
    for (size_t i = 0; i < tm->nnames; i++)
        free(tm->names[i]);
    free(tm->names);
    free(tm->index_path);
    free(tm->stamp);
    free(tm->qranks);
    tm__seq_release(&tm->q);
    tm__seq_release(&tm->c);
    tmk_buf_release(&tm->qtext);
    tmk_buf_release(&tm->fold);
    tmk_buf_release(&tm->plain);
    tmk_buf_release(&tm->terms);
    free(tm->offs);
    free(tm->cols);
    free(tm->hoffs);
    free(tm->hlens);
    free(tm);
}

const char *tmk_tm_srclang(const tmk_tm *tm) { return tm->d.srclang; }
const char *tmk_tm_tgtlang(const tmk_tm *tm) { return tm->d.tgtlang; }
size_t tmk_tm_size(const tmk_tm *tm) { return (size_t)tm->d.nunits; }
const char *tmk_tm_index_path(const tmk_tm *tm) { return tm->index_path; }

static void fill_unit(const tmk_tm *tm, size_t i, tmk_tm_unit *o)
{
    const tm_unit *u = &tm->d.units[i];
    o->index = i;
    o->source = tm->d.blob + u->src_off;
    o->source_len = u->src_len;
    o->target = tm->d.blob + u->tgt_off;
    o->target_len = u->tgt_len;
    o->tuid = tm->d.blob + u->aux_off;
    o->tuid_len = u->tuid_len;
    o->meta = tm->d.blob + u->aux_off + u->tuid_len;
    o->meta_len = u->meta_len;
    o->file = u->file;
    o->file_name = u->file < tm->nnames ? tm->names[u->file] : "";
    o->line = u->line;
}

int tmk_tm_get(const tmk_tm *tm, size_t i, tmk_tm_unit *out, tmk_error *err)
{
    if (!tm || i >= tm->d.nunits)
        return tmk_error_set(err, TMK_EINVAL, 0, 0, "no unit %zu: the memory has %zu", i,
                             tm ? (size_t)tm->d.nunits : (size_t)0);
    fill_unit(tm, i, out);
    return TMK_OK;
}

int tmk_tm_meta_next(const char *meta, size_t len, size_t *pos, tmk_tm_meta_item *it)
{
    size_t p = *pos;
    if (p >= len)
        return 0;
    const char *z1 = memchr(meta + p + 1, 0, len - p - 1);
    if (!z1)
        return 0;
    size_t vo = (size_t)(z1 - meta) + 1;
    const char *z2 = vo < len ? memchr(meta + vo, 0, len - vo) : NULL;
    if (!z2)
        return 0;
    it->kind = (unsigned char)meta[p];
    it->name = meta + p + 1;
    it->name_len = (size_t)(z1 - it->name);
    it->value = meta + vo;
    it->value_len = (size_t)(z2 - it->value);
    *pos = (size_t)(z2 - meta) + 1;
    return 1;
}

static tmk_tm *tm_alloc(void);

/* ---- open --------------------------------------------------------------- */

typedef struct pre {
    char *hdr_src;
    char langs[3][64];
    size_t nlangs;
    char first[64];
} pre;

static int pre_header(void *ud, const tmk_tmx_header *h)
{
    pre *p = ud;
    if (h->srclang && !p->hdr_src)
        p->hdr_src = tmk__strdup(h->srclang);
    return 0;
}

static int pre_tu(void *ud, const tmk_tmx_tu *tu)
{
    pre *p = ud;
    for (size_t i = 0; i < tu->ntuvs; i++) {
        const char *l = tu->tuvs[i].lang;
        if (!l || strlen(l) >= 64)
            continue;
        if (!p->first[0])
            strcpy(p->first, l);
        size_t k;
        for (k = 0; k < p->nlangs; k++)
            if (tmk_lang_match(p->langs[k], l) && tmk_lang_match(l, p->langs[k]))
                break;
        if (k == p->nlangs) {
            if (p->nlangs == 3)
                return TMK_ECANCELED; /* more than two: enough */
            strcpy(p->langs[p->nlangs++], l);
        }
    }
    return 0;
}

/* No languages given: the first memory must have exactly two. */
static int guess_langs(const char *mem, char *src, char *tgt, tmk_error *err)
{
    pre p;
    memset(&p, 0, sizeof p);
    tmk_tmx_read_options ro = TMK_TMX_READ_OPTIONS_INIT;
    ro.name = mem;
    ro.flags = TMK_TMX_READ_TEXT_ONLY;
    tmk_tmx_reader *r;
    TMK_TRY(tmk_tmx_reader_new(&r, &ro, pre_header, pre_tu, NULL, &p, err));
    tmk_error e2 = TMK_ERROR_INIT;
    int rc = tmk_tmx_read_file(r, mem, &e2);
    tmk_tmx_reader_free(r);
    if (rc < 0 && rc != TMK_ECANCELED) {
        free(p.hdr_src);
        if (err) {
            *err = e2;
            tmk_error_set_file(err, e2.file[0] ? e2.file : mem);
        }
        return rc;
    }
    if (p.nlangs != 2) {
        free(p.hdr_src);
        tmk_error_set_file(err, mem);
        if (p.nlangs == 0)
            return tmk_error_set_detail(err, TMK_EINVAL, TMK_D_EMPTY_MEMORY, 0, 0,
                                        "the memory holds no translation unit");
        if (p.nlangs == 1)
            return tmk_error_set_detail(err, TMK_EINVAL, TMK_D_NO_SUCH_LANGUAGE, 0, 0,
                                        "the memory has only one language (%s): a memory "
                                        "to look things up in needs a source and a target",
                                        p.langs[0]);
        return tmk_error_set(err, TMK_EINVAL, 0, 0,
                             "the memory has more than two languages (%s, %s, %s%s): say "
                             "which are the source and the target with -s and -t",
                             p.langs[0], p.langs[1], p.langs[2], p.nlangs > 3 ? ", ..." : "");
    }
    int s = 0;
    if (p.hdr_src && tmk_lang_match(p.langs[1], p.hdr_src))
        s = 1;
    else if (!(p.hdr_src && tmk_lang_match(p.langs[0], p.hdr_src))) {
        /* srclang="*all*" (or none): the order of the tuvs decides nothing */
        int e = tmk_error_set(err, TMK_EINVAL, 0, 0,
                              "the memory's header names no source language (srclang=\"%s\"): "
                              "say which of %s and %s is the source with -s and -t",
                              p.hdr_src ? p.hdr_src : "", p.langs[0], p.langs[1]);
        tmk_error_set_file(err, mem);
        free(p.hdr_src);
        return e;
    }
    strcpy(src, p.langs[s]);
    strcpy(tgt, p.langs[1 - s]);
    free(p.hdr_src);
    return 0;
}

static int tell(tmk_tm_notice_cb cb, void *ud, int kind, const char *file, const char *msg,
                tmk_error *err)
{
    if (!cb)
        return 0;
    tmk_tm_notice n = {kind, file, msg, 0};
    int rc = cb(ud, &n);
    if (rc)
        return tmk_error_set(err, rc < 0 ? rc : TMK_ECANCELED, 0, 0, "stopped by the caller");
    return 0;
}

/* The index file when none is given: MEMORY.tmkidx beside the first memory
 * for it alone; for several, MEMORY.HASH.tmkidx, HASH from the full paths
 * of the others in order, so that the first memory alone and each set it
 * opens keep an index each (one file for both rebuilt it at every switch).
 * Returns a malloc'ed string, NULL when out of memory. */
static char *default_index_path(const char *const *memories, size_t n)
{
    tmk_buf p = TMK_BUF_INIT;
    if (tmk_buf_add(&p, memories[0], strlen(memories[0])) < 0)
        return NULL;
    if (n > 1) {
        uint64_t h = tm__hash("set", 3, (uint64_t)n);
        for (size_t i = 1; i < n; i++) {
            char *full = realpath(memories[i], NULL);
            const char *name = full ? full : memories[i];
            h = tm__hash(name, strlen(name) + 1, h);
            free(full);
        }
        if (tmk_buf_printf(&p, ".%08x", (unsigned)(h ^ (h >> 32))) < 0) {
            tmk_buf_release(&p);
            return NULL;
        }
    }
    if (tmk_buf_add(&p, ".tmkidx", 7) < 0) {
        tmk_buf_release(&p);
        return NULL;
    }
    return tmk_buf_detach(&p, NULL);
}

/* An error when a memory (not a stream) is no longer what ids say: it
 * changed while it was read. */
static int check_unchanged(const char *const *memories, const tm_ident *ids, size_t n,
                           FILE *const *streams, tmk_error *err)
{
    for (size_t i = 0; i < n; i++) {
        tm_ident now;
        int stream = streams && streams[i];
        int r = !stream ? tm__identify(memories[i], &now, NULL) : 0;
        if (r == TMK_ENOMEM)
            return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        if (!stream && (r < 0 || memcmp(&now, &ids[i], sizeof now))) {
            tmk_error_set_file(err, memories[i]);
            return tmk_error_set_detail(err, TMK_EIO, TMK_D_CHANGED_WHILE_READ, 0, 0,
                                        "the memory changed while it was being read; run "
                                        "again when it is complete");
        }
    }
    return 0;
}

/* Save the index just built, and tell what happened to the index file
 * (why: why it was rebuilt; stale: which memory changed). */
static int save_index(tmk_tm *tm, const char *const *memories, const tm_ident *ids, size_t n,
                      const tmk_tm_options *o, int why, size_t stale, tmk_tm_notice_cb notice,
                      void *ud, tmk_error *err)
{
    /* One notice for what happened to the index file: why it was rebuilt
     * (stale, damaged) and saved, or, when it cannot be saved, one
     * NOT_SAVED notice that gives both the cause and what to do (never
     * "rebuilt" followed by "not saved"). */
    char cause[600] = "", msg[1400];
    const char *file = tm->index_path;
    if (why == TMK_TM_NOTICE_INDEX_STALE && stale < n) {
        file = memories[stale];
        snprintf(cause, sizeof cause, "%s changed since its index was built", memories[stale]);
    } else if (why == TMK_TM_NOTICE_INDEX_STALE) {
        snprintf(cause, sizeof cause, "the index %s was built for other languages or options",
                 tm->index_path);
    } else if (why == TMK_TM_NOTICE_INDEX_CORRUPT) {
        snprintf(cause, sizeof cause, "the index %s is damaged, truncated or from another version",
                 tm->index_path);
    }
    tmk_error e2 = TMK_ERROR_INIT;
    if (tm__index_save(tm, tm->index_path, ids, n, o->srclang, o->tgtlang, &e2) < 0) {
        if (e2.detail == TMK_D_INDEX_CORRUPT)
            snprintf(msg, sizeof msg,
                     "%s is not a tmkit index, so it is neither used nor replaced: "
                     "working without an index (every run reads the whole memory); "
                     "choose another index file or move that one away",
                     tm->index_path);
        else if (cause[0])
            snprintf(msg, sizeof msg,
                     "%s, and the new index cannot be saved to %s (%s): working without "
                     "an index (every run reads the whole memory); check that its "
                     "folder exists and is writable, or choose another index file",
                     cause, tm->index_path, e2.msg);
        else
            snprintf(msg, sizeof msg,
                     "cannot save the index %s (%s): working without an index (every run "
                     "reads the whole memory); check that its folder exists and is "
                     "writable, or choose another index file",
                     tm->index_path, e2.msg);
        free(tm->index_path);
        tm->index_path = NULL;
        return tell(notice, ud, TMK_TM_NOTICE_INDEX_NOT_SAVED, memories[0], msg, err);
    }
    if (cause[0])
        snprintf(msg, sizeof msg, "%s; index rebuilt", cause);
    else
        snprintf(msg, sizeof msg, "index %s built", file);
    TMK_TRY(tell(notice, ud, why, file, msg, err));
    snprintf(msg, sizeof msg, "index %s saved", tm->index_path);
    return tell(notice, ud, TMK_TM_NOTICE_INDEX_SAVED, tm->index_path, msg, err);
}

int tmk_tm_open(tmk_tm **out, const char *const *memories, size_t n, const tmk_tm_options *opt,
                tmk_tm_notice_cb notice, void *ud, tmk_error *err)
{
    *out = NULL;
    tmk_tm_options o = TMK_TM_OPTIONS_INIT;
    tmk__options_copy(&o, sizeof o, opt);
    if (!o.index_min_score)
        o.index_min_score = 50;
    if (!memories || n == 0)
        return tmk_error_set(err, TMK_EINVAL, 0, 0, "no memory given");
    if (o.index_min_score < 1 || o.index_min_score > 100)
        return tmk_error_set(err, TMK_EINVAL, 0, 0, "index_min_score must be 1-100");
    if ((o.srclang == NULL) != (o.tgtlang == NULL))
        return tmk_error_set(err, TMK_EINVAL, 0, 0,
                             "give both the source and the target language, or neither");
    tmk_tm *tm = tm_alloc();
    if (!tm)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    int rc = 0;
    tm_ident *ids = calloc(n, sizeof *ids);
    tm->names = calloc(n, sizeof *tm->names);
    if (!ids || !tm->names) {
        free(ids);
        tmk_tm_free(tm);
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    }
    int use_file = (o.flags & TMK_TM_INDEX_FILE) != 0;
    for (size_t i = 0; i < n; i++) {
        if (!(tm->names[i] = tmk__strdup(memories[i]))) {
            rc = tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
            goto fail;
        }
        tm->nnames++;
        if (o.streams && o.streams[i])
            use_file = 0;
        else if ((rc = tm__identify(memories[i], &ids[i], err)) < 0)
            goto fail;
    }
    if (use_file) {
        if (o.index_path) {
            tm->index_path = tmk__strdup(o.index_path);
        } else {
            tm->index_path = default_index_path(memories, n);
        }
        if (!tm->index_path) {
            rc = tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
            goto fail;
        }
    }
    int why = TMK_TM_NOTICE_INDEX_BUILT;
    size_t stale = 0;
    if (use_file && !(o.flags & TMK_TM_REBUILD)) {
        rc = tm__index_load(tm, tm->index_path, ids, n, o.srclang, o.tgtlang,
                            o.index_min_score, &why, &stale, err);
        if (rc < 0)
            goto fail;
        if (rc == 1) {
            free(ids);
            char msg[600];
            snprintf(msg, sizeof msg, "index %s used", tm->index_path);
            if ((rc = tell(notice, ud, TMK_TM_NOTICE_INDEX_USED, tm->index_path, msg, err)) < 0) {
                tmk_tm_free(tm);
                return rc;
            }
            *out = tm;
            return TMK_OK;
        }
    }
    char src[64], tgt[64];
    if (!o.srclang && !use_file)
        for (size_t i = 0; i < n; i++)
            if (o.streams && o.streams[i]) {
                rc = tmk_error_set(err, TMK_EINVAL, 0, 0,
                                   "a memory read from a stream (such as standard input) "
                                   "needs its source and target languages given (it cannot "
                                   "be read twice)");
                goto fail;
            }
    if (o.srclang) {
        snprintf(src, sizeof src, "%s", o.srclang);
        snprintf(tgt, sizeof tgt, "%s", o.tgtlang);
    } else if ((rc = guess_langs(memories[0], src, tgt, err)) < 0) {
        goto fail;
    }
    if ((rc = tm__build(tm, memories, o.streams, n, o.srclang ? o.srclang : src,
                        o.tgtlang ? o.tgtlang : tgt, o.index_min_score, notice, ud, err)) < 0)
        goto fail;
    /* a memory that changed while it was read is not indexed */
    if ((rc = check_unchanged(memories, ids, n, o.streams, err)) < 0)
        goto fail;
    if (use_file && (rc = save_index(tm, memories, ids, n, &o, why, stale, notice, ud, err)) < 0)
        goto fail;
    free(ids);
    *out = tm;
    return TMK_OK;
fail:
    free(ids);
    tmk_tm_free(tm);
    return rc < 0 ? rc : TMK_EINVAL;
}

static tmk_tm *tm_alloc(void)
{
    tmk_tm *tm = calloc(1, sizeof *tm);
    if (!tm)
        return NULL;
    tm_seq s0 = TM_SEQ_INIT;
    tm->q = s0;
    tm->c = s0;
    tmk_buf_init(&tm->qtext);
    tmk_buf_init(&tm->fold);
    tmk_buf_init(&tm->plain);
    tmk_buf_init(&tm->terms);
    return tm;
}

int tmk__tm_from_image(tmk_tm **out, const void *data, size_t len, int sums, tmk_error *err)
{
    *out = NULL;
    tmk_tm *tm = tm_alloc();
    if (!tm)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    int rc = tmk__tm_index_check(tm, data, len, sums, err);
    if (rc < 0) {
        tmk_tm_free(tm);
        return rc;
    }
    *out = tm;
    return TMK_OK;
}

/* ---- lookup ------------------------------------------------------------- */

static int read_lopts(const tmk_tm_lookup_options *opt, tmk_tm_lookup_options *o,
                      tmk_error *err)
{
    tmk_tm_lookup_options d = TMK_TM_LOOKUP_OPTIONS_INIT;
    tmk__options_copy(&d, sizeof d, opt);
    if (!d.k)
        d.k = 5;
    if (!d.min_score)
        d.min_score = 50;
    if (d.min_score < 1 || d.min_score > 100)
        return tmk_error_set(err, TMK_EINVAL, 0, 0, "the minimum score must be 1-100");
    if (d.k > 100000)
        return tmk_error_set(err, TMK_EINVAL, 0, 0, "too many matches asked for");
    *o = d;
    return 0;
}

/* Tokenise the query (escaped unless it is in seg form) into tm->q; the
 * seg form stays in tm->qtext. */
static int prep_query(tmk_tm *tm, const char *q, size_t len, unsigned flags, tmk_error *err)
{
    if (tmk_utf8_valid_prefix(q, len) != len)
        return tmk_error_set_detail(err, TMK_EINVAL, TMK_D_NOT_UTF8, 0, 0,
                                    "the query is not UTF-8");
    tmk_buf_reset(&tm->qtext);
    int rc = (flags & TMK_TM_QUERY_SEG) ? tmk_buf_add(&tm->qtext, q, len)
                                        : tmk_tm_text_escape(q, len, &tm->qtext);
    if (rc == 0)
        rc = tm__seq_tokenize(&tm->q, tm->qtext.data, tm->qtext.len);
    if (rc < 0)
        return tmk_error_set(err, rc, 0, 0, "out of memory");
    return 0;
}

/* Keep out[0..*n) sorted best first (score desc, unit asc), at most k. */
static void offer(tmk_tm *tm, tmk_tm_match *out, size_t *n, size_t k, int score, size_t u)
{
    size_t i = *n;
    if (i == k) {
        const tmk_tm_match *w = &out[k - 1];
        if (score < w->score || (score == w->score && u > w->unit.index))
            return;
        i = k - 1;
    } else {
        (*n)++;
    }
    while (i > 0 && (out[i - 1].score < score ||
                     (out[i - 1].score == score && out[i - 1].unit.index > u))) {
        out[i] = out[i - 1];
        i--;
    }
    out[i].score = score;
    fill_unit(tm, u, &out[i].unit);
}

static int score_unit(tmk_tm *tm, size_t u)
{
    const tm_unit *x = &tm->d.units[u];
    const char *t = tm->d.blob + x->src_off;
    int rc = tm__seq_tokenize(&tm->c, t, x->src_len);
    if (rc < 0)
        return rc;
    return tm__seq_score(&tm->q, tm->qtext.data, tm->qtext.len, &tm->c, t, x->src_len);
}

int tmk_tm_lookup_brute(tmk_tm *tm, const char *query, size_t len,
                        const tmk_tm_lookup_options *opt, tmk_tm_match *out, size_t *nout,
                        tmk_error *err)
{
    *nout = 0;
    tmk_tm_lookup_options o;
    TMK_TRY(read_lopts(opt, &o, err));
    TMK_TRY(prep_query(tm, query, len, o.flags, err));
    for (size_t u = 0; u < tm->d.nunits; u++) {
        int s = score_unit(tm, u);
        if (s < 0)
            return tmk_error_set(err, s, 0, 0, "out of memory");
        if (s >= o.min_score)
            offer(tm, out, nout, o.k, s, u);
    }
    return TMK_OK;
}

static size_t ceil_pct(size_t n, int m) { return (n * (size_t)m + 99) / 100; }

static uint32_t find_rank(const tm_data *d, const tm_tok *t, const char *str)
{
    size_t mask = (size_t)d->hcap - 1, s = (size_t)t->h & mask;
    for (size_t probes = 0; probes < d->hcap; probes++) {
        uint32_t r = d->hash[s];
        if (!r)
            return 0;
        const tm_vocab *v = &d->vocab[r - 1];
        if (v->str_len == t->klen && !memcmp(d->vstr + v->str_off, str + t->koff, t->klen))
            return r;
        s = (s + 1) & mask;
    }
    return 0;
}

/* Shared keys of two sorted key lists, or something below T as soon as
 * T cannot be reached. */
static size_t overlap(const uint32_t *a, size_t na, const uint32_t *b, size_t nb, size_t T)
{
    size_t i = 0, j = 0, c = 0;
    while (i < na && j < nb) {
        if (c + (na - i < nb - j ? na - i : nb - j) < T)
            return c;
        if (a[i] == b[j]) {
            c++;
            i++;
            j++;
        } else if (a[i] < b[j]) {
            i++;
        } else {
            j++;
        }
    }
    return c;
}

/* The first posting in [lo, hi) whose unit has at least n keys. */
static size_t lower_len(const tm_post *p, size_t lo, size_t hi, size_t n)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p[mid].nkeys < n)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int tmk_tm_lookup(tmk_tm *tm, const char *query, size_t len, const tmk_tm_lookup_options *opt,
                  tmk_tm_match *out, size_t *nout, tmk_error *err)
{
    *nout = 0;
    tmk_tm_lookup_options o;
    TMK_TRY(read_lopts(opt, &o, err));
    if ((uint32_t)o.min_score < tm->d.min_score)
        return tmk_tm_lookup_brute(tm, query, len, opt, out, nout, err);
    TMK_TRY(prep_query(tm, query, len, o.flags, err));
    const tm_data *d = &tm->d;
    size_t q = tm->q.nw;
    if (q == 0) {
        /* only units without words and numbers can reach the minimum */
        for (size_t i = 0; i < d->nzero; i++) {
            int s = score_unit(tm, d->zero[i]);
            if (s < 0)
                return tmk_error_set(err, s, 0, 0, "out of memory");
            if (s >= o.min_score)
                offer(tm, out, nout, o.k, s, d->zero[i]);
        }
        return TMK_OK;
    }
    if (!tm->stamp) {
        tm->stamp = calloc(d->nunits ? d->nunits : 1, sizeof *tm->stamp);
        if (!tm->stamp)
            return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    }
    if (++tm->qid == 0) {
        memset(tm->stamp, 0, d->nunits * sizeof *tm->stamp);
        tm->qid = 1;
    }
    if (q > tm->qcap) {
        uint32_t *n = realloc(tm->qranks, q * sizeof *n);
        if (!n)
            return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        tm->qranks = n;
        tm->qcap = q;
    }
    uint32_t *qr = tm->qranks;
    for (size_t i = 0; i < q; i++)
        qr[i] = find_rank(d, &tm->q.w[i], tm->q.str.data);
    for (size_t i = 1; i < q; i++) { /* insertion sort: queries are short */
        uint32_t x = qr[i];
        size_t j = i;
        while (j && qr[j - 1] > x) {
            qr[j] = qr[j - 1];
            j--;
        }
        qr[j] = x;
    }
    size_t z = 0; /* keys the memory lacks come first */
    while (z < q && qr[z] == 0)
        z++;
    int m = o.min_score;
    for (size_t i = 0; i < q; i++) {
        if (i >= q - ceil_pct(q, m) + 1)
            break;
        if (i < z || (i > z && qr[i] == qr[i - 1]))
            continue;
        const tm_vocab *v = &d->vocab[qr[i] - 1];
        const tm_post *p = d->post + v->post_off;
        size_t lo_n = ceil_pct(q, m), hi_n = 100 * q / (size_t)m;
        size_t a = lower_len(p, 0, v->post_len, lo_n);
        size_t b = lower_len(p, a, v->post_len, hi_n + 1);
        for (size_t x = a; x < b; x++) {
            /* filters on the posting alone first (no cache miss): length,
             * as m may have risen, and position: a unit met first through
             * key qr[i] shares no smaller key (it would be in its indexed
             * prefix and the unit met earlier), so at most
             * min(q - i, n - j) keys, j where qr[i] first is in the unit.
             * A unit that fails here fails at every later key too (the
             * bound only shrinks, T only grows), so it need not be marked. */
            size_t n = p[x].nkeys, j = p[x].pos, L = n > q ? n : q;
            if (n < ceil_pct(q, m) || n > 100 * q / (size_t)m)
                continue;
            size_t T = ceil_pct(L, m);
            if (j >= n || (q - i < n - j ? q - i : n - j) < T)
                continue;
            uint32_t u = p[x].unit;
            if (tm->stamp[u] == tm->qid)
                continue;
            tm->stamp[u] = tm->qid;
            const tm_unit *un = &d->units[u];
            if (un->nkeys != n) /* a damaged index: never read out of bounds */
                continue;
            if (overlap(qr + i, q - i, d->keys + un->keys_off + j, n - j, T) < T)
                continue;
            int s = score_unit(tm, u);
            if (s < 0)
                return tmk_error_set(err, s, 0, 0, "out of memory");
            if (s >= m) {
                offer(tm, out, nout, o.k, s, u);
                if (*nout == o.k && out[o.k - 1].score > m)
                    m = out[o.k - 1].score;
            }
        }
    }
    return TMK_OK;
}

/* ---- concordance ---------------------------------------------------------- */

static int is_space_at(const char *s, size_t n, size_t *adv)
{
    unsigned char c = (unsigned char)s[0];
    *adv = 1;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
        *adv = 1;
        return 1;
    }
    if (c < 0x80)
        return 0;
    int32_t cp = tmk_utf8_decode(s, n, adv);
    return cp > 0 && tmk_utf8_is_space(cp);
}

/* Fold text into tm->fold with, when it is not ASCII, tm->offs mapping
 * each folded byte to its text offset.  Returns 1 if mapped. */
static int fold_text(tmk_tm *tm, const char *s, size_t n, int *mapped)
{
    tmk_buf *f = &tm->fold;
    tmk_buf_reset(f);
    int ascii = 1;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80) {
            ascii = 0;
            break;
        }
    TMK_TRY(tmk_buf_grow(f, n * 2 + 8));
    if (ascii) {
        for (size_t i = 0; i < n; i++) {
            char c = s[i];
            f->data[i] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
        }
        f->len = n;
        f->data[n] = 0;
        *mapped = 0;
        return 0;
    }
    if (tm->ocap < n * 4 + 8) {
        size_t nc = n * 4 + 8;
        size_t *no = realloc(tm->offs, nc * sizeof *no);
        if (!no)
            return TMK_ENOMEM;
        tm->offs = no;
        tm->ocap = nc;
    }
    size_t i = 0;
    while (i < n) {
        size_t adv;
        int32_t cp = tmk_utf8_decode(s + i, n - i, &adv);
        char enc[4];
        int k = cp < 0 ? 0 : tmk_utf8_encode(tmk_utf8_tolower(cp), enc);
        if (k <= 0) {
            enc[0] = s[i];
            k = 1;
            adv = 1;
        }
        for (int j = 0; j < k; j++)
            tm->offs[f->len + (size_t)j] = i;
        TMK_TRY(tmk_buf_add(f, enc, (size_t)k));
        i += adv;
    }
    tm->offs[f->len] = n;
    *mapped = 1;
    return 0;
}

/* Whether the folded term parts match at f[pos..]: returns the end. */
static size_t match_at(const char *f, size_t n, size_t pos, const tmk_buf *parts, size_t nparts)
{
    const char *p = parts->data;
    for (size_t k = 0; k < nparts; k++) {
        size_t pl = strlen(p);
        if (k) {
            size_t adv, sp = 0;
            while (pos < n && is_space_at(f + pos, n - pos, &adv)) {
                pos += adv;
                sp++;
            }
            if (!sp)
                return 0;
        }
        if (pl > n - pos || memcmp(f + pos, p, pl))
            return 0;
        pos += pl;
        p += pl + 1;
    }
    return pos;
}

int tmk_tm_concordance(tmk_tm *tm, const char *term, size_t len, const tmk_tm_conc_options *opt,
                       tmk_tm_conc_cb cb, void *ud, size_t *units, size_t *hits, tmk_error *err)
{
    tmk_tm_conc_options o = TMK_TM_CONC_OPTIONS_INIT;
    tmk__options_copy(&o, sizeof o, opt);
    if (units)
        *units = 0;
    if (hits)
        *hits = 0;
    if (tmk_utf8_valid_prefix(term, len) != len)
        return tmk_error_set_detail(err, TMK_EINVAL, TMK_D_NOT_UTF8, 0, 0,
                                    "the term is not UTF-8");
    /* the term: folded, cut at white space into NUL-separated parts */
    tmk_buf *tb = &tm->terms;
    tmk_buf_reset(tb);
    size_t nparts = 0;
    int rc = fold_text(tm, term, len, &(int){0});
    if (rc < 0)
        return tmk_error_set(err, rc, 0, 0, "out of memory");
    {
        const char *f = tm->fold.data;
        size_t n = tm->fold.len, i = 0;
        while (i < n) {
            size_t adv;
            if (is_space_at(f + i, n - i, &adv)) {
                i += adv;
                continue;
            }
            size_t st = i;
            while (i < n && !is_space_at(f + i, n - i, &adv))
                i += adv ? adv : 1;
            if (tmk_buf_add(tb, f + st, i - st) < 0 || tmk_buf_addch(tb, 0) < 0)
                return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
            nparts++;
        }
    }
    if (!nparts)
        return tmk_error_set(err, TMK_EINVAL, 0, 0, "the term is empty");
    const char *first = tb->data;
    size_t flen = strlen(first);
    size_t nu = 0, nh = 0;
    for (size_t u = 0; u < tm->d.nunits; u++) {
        const tm_unit *x = &tm->d.units[u];
        const char *t = tm->d.blob + (o.flags & TMK_TM_CONC_TARGET ? x->tgt_off : x->src_off);
        size_t tl = o.flags & TMK_TM_CONC_TARGET ? x->tgt_len : x->src_len;
        tmk_buf_reset(&tm->plain);
        if (tmk_tm_text_plain(t, tl, 0, &tm->plain) < 0)
            return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        int mapped = 0;
        if (fold_text(tm, tm->plain.data, tm->plain.len, &mapped) < 0)
            return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        const char *f = tm->fold.data;
        size_t fn = tm->fold.len, pos = 0, k = 0;
        while (pos < fn && flen <= fn - pos) {
            const char *at = memmem(f + pos, fn - pos, first, flen);
            if (!at)
                break;
            size_t st = (size_t)(at - f);
            size_t end = match_at(f, fn, st, tb, nparts);
            size_t so = mapped ? tm->offs[st] : st;
            if (!end || (mapped && st > 0 && tm->offs[st - 1] == so)) {
                pos = st + 1; /* no match, or inside one folded character */
                continue;
            }
            size_t eo = mapped ? tm->offs[end] : end;
            if (mapped && end < fn && tm->offs[end - 1] == eo) {
                pos = st + 1; /* ends inside one folded character */
                continue;
            }
            if (k == tm->hcap) {
                size_t nc = tm->hcap ? tm->hcap * 2 : 16;
                size_t *no = realloc(tm->hoffs, nc * sizeof *no);
                if (no)
                    tm->hoffs = no;
                size_t *nl = realloc(tm->hlens, nc * sizeof *nl);
                if (nl)
                    tm->hlens = nl;
                unsigned long *nco = realloc(tm->cols, nc * sizeof *nco);
                if (nco)
                    tm->cols = nco;
                if (!no || !nl || !nco)
                    return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
                tm->hcap = nc;
            }
            tm->hoffs[k] = so;
            tm->hlens[k] = eo - so;
            tm->cols[k] = (unsigned long)tmk_utf8_count(tm->plain.data, so) + 1;
            k++;
            pos = end;
        }
        if (!k)
            continue;
        nu++;
        nh += k;
        tmk_tm_conc_hit h;
        fill_unit(tm, u, &h.unit);
        h.text = tm->plain.data;
        h.text_len = tm->plain.len;
        h.offsets = tm->hoffs;
        h.lens = tm->hlens;
        h.cols = tm->cols;
        h.nhits = k;
        rc = cb ? cb(ud, &h) : 0;
        if (rc) {
            if (units)
                *units = nu;
            if (hits)
                *hits = nh;
            return tmk_error_set(err, rc < 0 ? rc : TMK_ECANCELED, 0, 0, "stopped by the caller");
        }
    }
    if (units)
        *units = nu;
    if (hits)
        *hits = nh;
    return TMK_OK;
}
