/* spell.c -- the speller: the check and report driver.
 *
 * A speller owns a list of dictionaries (spell_dict.c), the word-list
 * entries to add to every Hunspell handle, a verdict cache and a
 * suggestion cache (spell_cache.c), and workers (spell_worker.c).  This
 * file makes and frees it, decides whether a token is right (the rules
 * around Hunspell's verdict: hyphenated compounds, digits, gender forms,
 * a final full stop), and runs the checks of tmk_spell_text and
 * tmk_spell_texts, the latter over threads, with the suggestions of the
 * distinct flagged words (spell_sugg.c) computed in a second phase.
 */
#include <config.h>
#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "internal.h"
#include "spell_int.h"


/* A compound with hyphens or inner full stops whose parts are all words
 * is accepted: Hunspell's BREAK rules (default "-"; de_DE adds ".") give
 * the same verdict after first trying the whole word, which is the costly
 * part for a new compound, while the parts are almost always cached.
 * Returns 1 when accepted this way, 0 when the whole word must be checked. */
static int parts_ok(tmk_speller *sp, struct worker *w, const char *word, size_t n)
{
    size_t breaks = 0;
    for (size_t i = 0; i < n; i++) {
        if (word[i] == '-' && sp->break_hyphen)
            breaks++;
        else if (word[i] == '.' && sp->break_dot)
            breaks++;
        else if (word[i] == '-' || word[i] == '.')
            return 0;
    }
    if (breaks == 0 || (breaks >= 10 && n < 300)) /* Hunspell: whole words < 300 bytes */
        return 0;
    /* Hunspell treats words in capitals differently ("MS-DOS" is flagged
     * although "MS" and "DOS" are words): only mixed-case words here */
    int lower = 0;
    for (size_t i = 0; i < n && !lower;) {
        size_t adv;
        int32_t c = tmk_utf8_decode(word + i, n - i, &adv);
        lower = c >= 0 && tmk_utf8_is_lower(c);
        i += adv;
    }
    if (!lower)
        return 0;
    const char *p = word, *end = word + n;
    while (p < end) {
        const char *q = p;
        while (q < end && *q != '-' && *q != '.')
            q++;
        if (q == p)
            return 0; /* "--", a leading or final break */
        tmk_buf_reset(&w->tmp);
        if (tmk_buf_add(&w->tmp, p, (size_t)(q - p)) < 0 ||
            !tmk__verdict(sp, w, w->tmp.data, w->tmp.len))
            return 0;
        p = q < end ? q + 1 : end;
        if (q < end && p == end)
            return 0;
    }
    return 1;
}

/* A compound with a part that holds digits ("3D-Drucker", "2er-Gruppe",
 * "1990er-Jahre-Stil"): such a part is skipped as a word with digits is,
 * the other parts must be words.  1 accepted, 0 not. */
static int digit_parts_ok(tmk_speller *sp, struct worker *w, const char *word, size_t n)
{
    if (!tmk__spell_has_digit(word, n) || !memchr(word, '-', n))
        return 0;
    const char *p = word, *end = word + n;
    int letters = 0;
    while (p < end) {
        const char *q = memchr(p, '-', (size_t)(end - p));
        const char *e = q ? q : end;
        if (e == p)
            return 0; /* "--", a leading or final hyphen */
        if (!tmk__spell_has_digit(p, (size_t)(e - p))) {
            tmk_buf_reset(&w->tmp);
            if (tmk_buf_add(&w->tmp, p, (size_t)(e - p)) < 0 ||
                !tmk__verdict(sp, w, w->tmp.data, w->tmp.len))
                return 0;
            letters = 1;
        }
        if (q && q + 1 == end)
            return 0;
        p = q ? q + 1 : end;
    }
    return letters;
}

static int tok_ok(tmk_speller *sp, struct worker *w, const struct tmk__tok *t)
{
    if (t->toolong)
        return 0; /* reported, not checked */
    if (!t->trunc && parts_ok(sp, w, t->word, t->wlen))
        return 1;
    if (tmk__verdict(sp, w, t->word, t->wlen))
        return 1;
    if (!t->trunc && digit_parts_ok(sp, w, t->word, t->wlen))
        return 1;
    if (t->alt) {
        /* a gender form: right when the form without the marker is */
        if (parts_ok(sp, w, t->alt, t->altlen) || tmk__verdict(sp, w, t->alt, t->altlen))
            return 1;
        if (t->trunc && t->altlen > 1 && tmk__verdict(sp, w, t->alt, t->altlen - 1))
            return 1;
    }
    if (t->dot) {
        /* abbreviations: "usw.", "z.B." */
        tmk_buf_reset(&w->tmp);
        if (tmk_buf_add(&w->tmp, t->word, t->wlen) == 0 && tmk_buf_addch(&w->tmp, '.') == 0 &&
            tmk__verdict(sp, w, w->tmp.data, w->tmp.len))
            return 1;
    }
    if (memchr(t->word, '\'', t->wlen)) {
        /* a clitic: "geht's", "wie's" -- the dictionary has no form with an
         * apostrophe, so each part must be a word */
        const char *p = t->word, *end = t->word + t->wlen;
        int all = 1;
        while (p < end && all) {
            const char *q = memchr(p, '\'', (size_t)(end - p));
            const char *e = q ? q : end;
            if (e > p) {
                tmk_buf_reset(&w->tmp);
                all = tmk_buf_add(&w->tmp, p, (size_t)(e - p)) == 0 &&
                      tmk__verdict(sp, w, w->tmp.data, w->tmp.len);
            }
            p = q ? q + 1 : end;
        }
        if (all)
            return 1;
    }
    if (t->trunc && t->wlen > 1) {
        /* a truncated compound: "Ukraine- und Russlandpolitik" */
        tmk_buf_reset(&w->tmp);
        if (tmk_buf_add(&w->tmp, t->word, t->wlen - 1) == 0 &&
            tmk__verdict(sp, w, w->tmp.data, w->tmp.len))
            return 1;
    }
    return 0;
}

/* ---- public API ---------------------------------------------------------- */

/* A call failed with rc: fill err when nothing has (the tmkit.h rule:
 * err says why whenever a call fails); a callback's positive "stop"
 * becomes TMK_ECANCELED. */
static int failed(int rc, tmk_error *err)
{
    if (rc > 0)
        rc = TMK_ECANCELED;
    if (rc < 0 && err && !err->code)
        tmk_error_set(err, rc, 0, 0, "%s", rc == TMK_ECANCELED ? "stopped by the callback"
                                                               : tmk_error_string(rc));
    return rc;
}

static int speller_new(tmk_speller **out, const tmk_spell_options *opt, tmk_error *err);

int tmk_speller_new(tmk_speller **out, const tmk_spell_options *opt, tmk_error *err)
{
    /* the members the caller's struct has; the rest keep their defaults */
    tmk_spell_options o = TMK_SPELL_OPTIONS_INIT;
    if (opt)
        memcpy(&o, opt, opt->size < sizeof o ? opt->size : sizeof o);
    o.size = sizeof o;
    tmk_error local = TMK_ERROR_INIT;
    tmk_error *e = err ? err : &local;
    int rc = speller_new(out, &o, e);
    return rc < 0 && !e->code ? tmk_error_set(e, rc, 0, 0, "%s", tmk_error_string(rc)) : rc;
}

static int speller_new(tmk_speller **out, const tmk_spell_options *opt, tmk_error *err)
{
    *out = NULL;
    tmk_speller *sp = calloc(1, sizeof *sp);
    if (!sp)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    sp->flags = opt->ignore_caps ? TMK_SPELL_IGNORE_CAPS : 0;
    struct tmk__dirs dirs = {opt->dict_path, opt->home_dir, opt->data_dir};
    sp->temp_dir = tmk__strdup(opt->temp_dir && *opt->temp_dir ? opt->temp_dir : "/tmp");
    if (!sp->temp_dir) {
        tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        goto fail;
    }
    sp->max_sugg = opt->max_suggestions ? opt->max_suggestions : 5;
    sp->cache_entries = opt->cache_entries ? opt->cache_entries : 262144;
    size_t nd = opt->ndicts ? opt->ndicts : 1;
    sp->dicts = calloc(nd, sizeof *sp->dicts);
    if (!sp->dicts) {
        tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        goto fail;
    }
    sp->ndicts = nd;
    if (opt->ndicts) {
        for (size_t i = 0; i < opt->ndicts; i++)
            if (tmk__dict_resolve(&dirs, opt->dicts[i], &sp->dicts[i], err) < 0)
                goto fail;
    } else if (tmk__dict_for_lang(&dirs, opt->lang ? opt->lang : "de-DE", &sp->dicts[0], err) < 0) {
        goto fail;
    }
    if (!opt->no_project_wordlists && tmk__spell_load_project_lists(sp, opt->data_dir, opt->lang, err) < 0)
        goto fail;
    for (size_t i = 0; i < opt->nwordlists; i++)
        if (tmk__spell_load_wordlist(sp, opt->wordlists[i], err) < 0)
            goto fail;
    sp->break_hyphen = sp->break_dot = 1;
    for (size_t i = 0; i < sp->ndicts; i++) {
        tmk__dict_read_breaks(sp->dicts[i].aff, &sp->break_hyphen, &sp->break_dot);
        tmk__dict_aff_texts(&sp->dicts[i]);
    }
    sp->sugg_mode = opt->suggest_mode;
    sp->sugg_max = opt->suggest_cache_entries ? opt->suggest_cache_entries : 65536;
    if (tmk__vcache_init(&sp->vc, sp->cache_entries) < 0) {
        tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        goto fail;
    }
    pthread_mutex_init(&sp->vlock, NULL);
    pthread_mutex_init(&sp->nglock, NULL);
    if (tmk__worker_init(sp, &sp->workers[0], err) < 0)
        goto fail;
    *out = sp;
    return TMK_OK;
fail:
    tmk_speller_free(sp);
    return err->code < 0 ? err->code : TMK_ENOMEM;
}

void tmk_speller_free(tmk_speller *sp)
{
    if (!sp)
        return;
    for (size_t i = 0; i < MAX_WORKERS; i++)
        if (sp->workers[i].ready)
            tmk__worker_release(&sp->workers[i], sp->ndicts);
    for (size_t i = 0; i < sp->ndicts; i++) {
        free(sp->dicts[i].name);
        free(sp->dicts[i].aff);
        free(sp->dicts[i].dic);
        free(sp->dicts[i].label);
        free(sp->dicts[i].fast_aff);
        free(sp->dicts[i].ngram_aff);
        tmk__ngram_free(sp->dicts[i].ng);
    }
    free(sp->dicts);
    free(sp->temp_dir);
    for (size_t i = 0; i < sp->nentries; i++) {
        free(sp->entries[i].word);
        free(sp->entries[i].model);
    }
    free(sp->entries);
    tmk__scache_release(&sp->sc);
    if (sp->vc.slots) {
        pthread_mutex_destroy(&sp->vlock);
        pthread_mutex_destroy(&sp->nglock);
    }
    free(sp->vc.slots);
    tmk_buf_release(&sp->vc.keys);
    free(sp);
}

size_t tmk_speller_ndicts(const tmk_speller *sp) { return sp->ndicts; }

const char *tmk_speller_dict_path(const tmk_speller *sp, size_t i)
{
    return i < sp->ndicts ? sp->dicts[i].dic : NULL;
}

void tmk_speller_stats(const tmk_speller *sp, size_t *lookups, size_t *hits)
{
    if (lookups)
        *lookups = sp->vc.lookups;
    if (hits)
        *hits = sp->vc.hits;
}

int tmk_speller_check(tmk_speller *sp, const char *word, size_t len, tmk_error *err)
{
    int ok = tmk__verdict(sp, &sp->workers[0], word, len);
    return sp->workers[0].failed ? failed(sp->workers[0].failed, err) : ok;
}

static int speller_stem(tmk_speller *sp, const char *word, size_t len, tmk_spell_stem_cb cb,
                        void *ud)
{
    struct worker *w = &sp->workers[0];
    int count = 0;
    for (size_t i = 0; i < sp->ndicts; i++) {
        struct hand *hd = &w->hs[i];
        const char *x = tmk__hand_to(hd, &w->conv, word, len);
        if (!x)
            continue;
        char **list = NULL;
        int n = tmk__hs_stem(hd->h, &list, x);
        if (n < 0)
            return n;
        int rc = 0;
        for (int k = 0; k < n && rc == 0; k++) {
            tmk_buf_reset(&w->scratch);
            if (tmk__hand_from(hd, &w->scratch, list[k]) < 0 || !w->scratch.len)
                continue;
            count++;
            tmk_spell_stem st = {w->scratch.data, w->scratch.len};
            rc = cb ? cb(ud, &st) : 0;
        }
        if (list)
            tmk__hs_free_list(hd->h, &list, n);
        if (rc)
            return rc > 0 ? TMK_ECANCELED : rc;
    }
    return count;
}

int tmk_speller_stem(tmk_speller *sp, const char *word, size_t len, tmk_spell_stem_cb cb,
                     void *ud, tmk_error *err)
{
    int n = speller_stem(sp, word, len, cb, ud);
    return n < 0 ? failed(n, err) : n;
}

static int speller_suggest(tmk_speller *sp, const char *word, size_t len,
                           const char *const **out)
{
    struct sentry *e;
    if (sp->sc.n >= sp->sugg_max)
        tmk__scache_clear(&sp->sc);
    TMK_TRY(tmk__scache_get(&sp->sc, word, len, &e));
    if (!e->done)
        TMK_TRY(tmk__spell_compute_sugg(sp, &sp->workers[0], e));
    *out = (const char *const *)e->sugg;
    return (int)e->nsugg;
}

int tmk_speller_suggest(tmk_speller *sp, const char *word, size_t len,
                        const char *const **out, tmk_error *err)
{
    int n = speller_suggest(sp, word, len, out);
    return n < 0 ? failed(n, err) : n;
}

/* tmk_speller_suggest without clearing the cache (during a delivery). */
static int suggest_cached(tmk_speller *sp, const char *word, size_t len,
                          const char *const **out)
{
    struct sentry *e;
    TMK_TRY(tmk__scache_get(&sp->sc, word, len, &e));
    if (!e->done)
        TMK_TRY(tmk__spell_compute_sugg(sp, &sp->workers[0], e));
    *out = (const char *const *)e->sugg;
    return (int)e->nsugg;
}

struct one {
    tmk_speller *sp;
    int suggest;
    tmk_spell_cb cb;
    void *ud;
};

static int one_tok(const struct tmk__tok *t, void *ud)
{
    struct one *o = ud;
    struct worker *w = &o->sp->workers[0];
    int ok = tok_ok(o->sp, w, t);
    if (w->failed)
        return w->failed;
    if (ok)
        return 0;
    tmk_spell_hit h = {t->word, t->off, t->len, t->col, NULL, 0, t->toolong, 0};
    if (o->suggest && !t->toolong) {
        const char *const *s;
        int n = speller_suggest(o->sp, t->word, t->wlen, &s);
        if (n < 0)
            return n;
        h.sugg = s;
        h.nsugg = (size_t)n;
    }
    int r = o->cb ? o->cb(o->ud, &h) : 0;
    return r > 0 ? TMK_ECANCELED : r;
}

int tmk_spell_text(tmk_speller *sp, const char *text, size_t len, int suggest, tmk_spell_cb cb,
                   void *ud, tmk_error *err)
{
    struct one o = {sp, suggest, cb, ud};
    /* the tokeniser's scratch is separate from the worker's buffers */
    tmk_buf scratch = TMK_BUF_INIT;
    int rc = tmk__spell_tokens(text, len, sp->flags, &scratch, one_tok, &o);
    tmk_buf_release(&scratch);
    return rc < 0 ? failed(rc, err) : TMK_OK;
}

/* ---- many texts, several workers ---------------------------------------- */

struct bhit {
    size_t idx, off, len, woff, wlen;
    unsigned long col;
    int too_long;
    struct sentry *e; /* filled before delivery when suggesting */
};

struct block {
    size_t from, to;
    /* a piece of one very long text (from + 1 == to): bytes [so, eo),
     * cut at white space, col0 characters before so */
    int sub;
    size_t so, eo;
    unsigned long col0;
    struct bhit *hits;
    size_t n, cap;
    tmk_buf words;
};

struct job {
    tmk_speller *sp;
    const char *const *texts;
    const size_t *lens;
    struct block *blocks;
    size_t nblocks;
    size_t next; /* shared counter, under lock */
    struct sentry **todo;
    size_t ntodo;
    int phase;
    pthread_mutex_t lock;
    int rc;
    tmk_error err;
};

struct wctx {
    struct job *job;
    struct worker *w;
    struct block *cur;
    size_t idx;
    size_t base_off;        /* where the checked piece starts in its text */
    unsigned long base_col; /* characters before it */
};

static size_t take(struct job *j)
{
    pthread_mutex_lock(&j->lock);
    size_t k = j->rc < 0 ? SIZE_MAX : j->next++;
    pthread_mutex_unlock(&j->lock);
    return k;
}

static void fail_job(struct job *j, int rc)
{
    pthread_mutex_lock(&j->lock);
    if (j->rc == 0)
        j->rc = rc;
    pthread_mutex_unlock(&j->lock);
}

static int batch_tok(const struct tmk__tok *t, void *ud)
{
    struct wctx *c = ud;
    int ok = tok_ok(c->job->sp, c->w, t);
    if (c->w->failed)
        return c->w->failed;
    if (ok)
        return 0;
    struct block *b = c->cur;
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        struct bhit *h = realloc(b->hits, cap * sizeof *h);
        if (!h)
            return TMK_ENOMEM;
        b->hits = h;
        b->cap = cap;
    }
    struct bhit *h = &b->hits[b->n++];
    h->idx = c->idx;
    h->off = t->off + c->base_off;
    h->len = t->len;
    h->col = t->col + c->base_col;
    h->woff = b->words.len;
    h->wlen = t->wlen;
    h->too_long = t->toolong;
    h->e = NULL;
    return tmk_buf_add(&b->words, t->word, t->wlen + 1);
}

static void *run_worker(void *arg)
{
    struct wctx *c = arg;
    struct job *j = c->job;
    if (!c->w->ready) {
        tmk_error e = TMK_ERROR_INIT;
        int rc = tmk__worker_init(j->sp, c->w, &e);
        if (rc < 0) {
            fail_job(j, rc);
            return NULL;
        }
    }
    size_t k;
    if (j->phase == 1) {
        while ((k = take(j)) < j->nblocks) {
            struct block *b = &j->blocks[k];
            c->cur = b;
            for (size_t i = b->from; i < b->to; i++) {
                c->idx = i;
                c->base_off = b->sub ? b->so : 0;
                c->base_col = b->sub ? b->col0 : 0;
                size_t len = b->sub ? b->eo - b->so : j->lens[i];
                int rc = tmk__spell_tokens(j->texts[i] + c->base_off, len, j->sp->flags,
                                           &c->w->scratch, batch_tok, c);
                if (rc < 0) {
                    fail_job(j, rc);
                    return NULL;
                }
            }
        }
    } else {
        while ((k = take(j)) < j->ntodo) {
            int rc = tmk__spell_compute_sugg(j->sp, c->w, j->todo[k]);
            if (rc < 0) {
                fail_job(j, rc);
                return NULL;
            }
        }
    }
    return NULL;
}

/* Run the current phase on nthreads workers (worker 0 in this thread). */
static void run_phase(struct job *j, unsigned nthreads)
{
    pthread_t th[MAX_WORKERS];
    struct wctx cx[MAX_WORKERS];
    unsigned started = 0;
    j->next = 0;
    for (unsigned t = 0; t < nthreads; t++) {
        cx[t].job = j;
        cx[t].w = &j->sp->workers[t];
        cx[t].cur = NULL;
    }
    j->sp->threaded = nthreads > 1;
    for (unsigned t = 1; t < nthreads; t++) {
        if (pthread_create(&th[t], NULL, run_worker, &cx[t]) != 0)
            break;
        started = t;
    }
    run_worker(&cx[0]);
    for (unsigned t = 1; t <= started; t++)
        pthread_join(th[t], NULL);
    j->sp->threaded = 0;
}

static int longer_first(const void *a, const void *b)
{
    const struct sentry *x = *(const struct sentry *const *)a;
    const struct sentry *y = *(const struct sentry *const *)b;
    if (x->wlen != y->wlen)
        return x->wlen > y->wlen ? -1 : 1;
    return strcmp(x->word, y->word);
}

static unsigned auto_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    return n > MAX_WORKERS ? MAX_WORKERS : (unsigned)n;
}

#define BLOCK_BYTES (64 * 1024)

#define PARALLEL_MIN (512 * 1024)

#define LONG_TEXT (4 * BLOCK_BYTES)

/* Phase 0: cut the texts into blocks of about BLOCK_BYTES (j->blocks,
 * j->nblocks). */
static int make_blocks(struct job *j, size_t n, size_t total)
{
    /* blocks of about BLOCK_BYTES of text; a text longer than LONG_TEXT
     * (a whole book on one line) is cut at white space into blocks of its
     * own, so that the workers share it (words never span white space) */
    size_t nb = 0, cap = total / BLOCK_BYTES + 2;
    j->blocks = calloc(cap, sizeof *j->blocks);
    int rc = j->blocks ? TMK_OK : TMK_ENOMEM;
    for (size_t i = 0, acc = 0, from = 0; rc == TMK_OK && i < n; i++) {
        int cut = j->lens[i] > LONG_TEXT;
        if (!cut)
            acc += j->lens[i];
        size_t so = 0;
        unsigned long col0 = 0;
        while (rc == TMK_OK && ((!cut && (acc >= BLOCK_BYTES || i + 1 == n) && from <= i) ||
                                (cut && (from < i || so < j->lens[i])))) {
            if (nb == cap) {
                struct block *b = realloc(j->blocks, (cap *= 2) * sizeof *b);
                if (!b) {
                    rc = TMK_ENOMEM;
                    break;
                }
                j->blocks = b;
            }
            struct block *bl = &j->blocks[nb++];
            memset(bl, 0, sizeof *bl);
            tmk_buf_init(&bl->words);
            if (!cut || from < i) {
                /* whole texts from..i (before a long one: from..i-1) */
                bl->from = from;
                bl->to = cut ? i : i + 1;
                from = bl->to;
                acc = 0;
                continue;
            }
            size_t eo = so + BLOCK_BYTES < j->lens[i] ? so + BLOCK_BYTES : j->lens[i];
            while (eo < j->lens[i] && j->texts[i][eo] != ' ' && j->texts[i][eo] != '\t' &&
                   j->texts[i][eo] != '\n')
                eo++;
            bl->from = i;
            bl->to = i + 1;
            bl->sub = 1;
            bl->so = so;
            bl->eo = eo;
            bl->col0 = col0;
            col0 += (unsigned long)tmk_utf8_count(j->texts[i] + so, eo - so);
            so = eo;
            if (so == j->lens[i])
                from = i + 1;
        }
    }
    j->nblocks = nb;
    return rc;
}

/* Phase 2, before it: the distinct flagged words without suggestions yet
 * (j->todo, j->ntodo), longest first. */
static int collect_todo(tmk_speller *sp, struct job *j)
{
    int rc = TMK_OK;
    if (sp->sc.n >= sp->sugg_max)
        tmk__scache_clear(&sp->sc);
    /* the distinct flagged words without suggestions yet */
    size_t ntodo = 0, tcap = 0;
    for (size_t b = 0; b < j->nblocks && rc == TMK_OK; b++) {
        for (size_t k = 0; k < j->blocks[b].n && rc == TMK_OK; k++) {
            struct bhit *h = &j->blocks[b].hits[k];
            if (h->too_long)
                continue; /* no suggestions */
            struct sentry *e;
            int r = tmk__scache_get(&sp->sc, j->blocks[b].words.data + h->woff, h->wlen, &e);
            if (r < 0) {
                rc = r;
                break;
            }
            if (r == 1) {
                if (ntodo == tcap) {
                    tcap = tcap ? tcap * 2 : 256;
                    struct sentry **t = realloc(j->todo, tcap * sizeof *t);
                    if (!t) {
                        rc = TMK_ENOMEM;
                        break;
                    }
                    j->todo = t;
                }
                /* entries may move while the cache grows: keep indices */
                j->todo[ntodo++] = (struct sentry *)(uintptr_t)(e - sp->sc.e);
            }
        }
    }
    for (size_t k = 0; rc == TMK_OK && k < ntodo; k++)
        j->todo[k] = &sp->sc.e[(uintptr_t)j->todo[k]];
    /* longest words first: they cost most, so the workers finish together */
    if (rc == TMK_OK && ntodo)
        qsort(j->todo, ntodo, sizeof *j->todo, longer_first);
    j->ntodo = ntodo;
    return rc;
}

/* Phase 3: the hits to cb, in order, with their suggestions. */
static int deliver(tmk_speller *sp, struct job *j, int suggest, tmk_spell_cb cb, void *ud)
{
    int rc = TMK_OK;
    /* deliver in order */
    for (size_t b = 0; rc == TMK_OK && b < j->nblocks; b++) {
        struct block *bl = &j->blocks[b];
        for (size_t k = 0; k < bl->n && rc == TMK_OK; k++) {
            struct bhit *h = &bl->hits[k];
            tmk_spell_hit hit = {
                bl->words.data + h->woff, h->off, h->len, h->col, NULL, 0, h->too_long, h->idx};
            if (suggest && !h->too_long) {
                const char *const *s;
                int ns = suggest_cached(sp, hit.word, h->wlen, &s);
                if (ns < 0) {
                    rc = ns;
                    break;
                }
                hit.sugg = s;
                hit.nsugg = (size_t)ns;
            }
            rc = cb ? cb(ud, &hit) : 0;
            if (rc > 0)
                rc = TMK_ECANCELED;
        }
    }
    return rc;
}

int tmk_spell_texts(tmk_speller *sp, const char *const *texts, const size_t *lens, size_t n,
                    int suggest, unsigned nthreads, tmk_spell_cb cb, void *ud,
                    tmk_error *err)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += lens[i];
    unsigned asked = nthreads > MAX_WORKERS ? MAX_WORKERS : nthreads;
    /* checking pays for a second worker on large inputs only; suggesting
     * (tens of milliseconds a word) as soon as there are a few words */
    nthreads = asked ? asked : total >= PARALLEL_MIN ? auto_threads() : 1;
    struct job j;
    memset(&j, 0, sizeof j);
    j.sp = sp;
    j.texts = texts;
    j.lens = lens;
    pthread_mutex_init(&j.lock, NULL);
    int rc = make_blocks(&j, n, total);
    size_t nb = j.nblocks;
    if (rc == TMK_OK) {
        j.phase = 1;
        run_phase(&j, nthreads > nb ? (unsigned)(nb ? nb : 1) : nthreads);
        rc = j.rc;
    }
    if (rc == TMK_OK && suggest) {
        rc = collect_todo(sp, &j);
        size_t ntodo = j.ntodo;
        if (rc == TMK_OK && ntodo) {
            j.phase = 2;
            unsigned nt = asked ? asked : ntodo >= 8 ? auto_threads() : 1;
            if (nt > ntodo)
                nt = (unsigned)ntodo;
            run_phase(&j, nt);
            rc = j.rc;
        }
    }
    if (rc == TMK_OK)
        rc = deliver(sp, &j, suggest, cb, ud);
    for (size_t b = 0; b < nb; b++) {
        free(j.blocks[b].hits);
        tmk_buf_release(&j.blocks[b].words);
    }
    free(j.blocks);
    free(j.todo);
    pthread_mutex_destroy(&j.lock);
    if (rc == TMK_ENOMEM)
        tmk_error_set(err, rc, 0, 0, "out of memory");
    else if (rc < 0 && j.rc < 0 && j.rc != TMK_ENOMEM)
        tmk_error_set(err, rc, 0, 0, "cannot start a spell-checking worker");
    return rc < 0 ? failed(rc, err) : TMK_OK;
}
