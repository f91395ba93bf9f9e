/* spell.c -- the speller: dictionaries, word lists, caches, workers.
 *
 * A speller owns a list of dictionaries (paths of .aff/.dic pairs), the
 * word-list entries to add to every Hunspell handle, a suggestion cache
 * shared by all workers (filled only while no worker runs), and workers.
 * A worker owns one Hunspell handle per dictionary (with iconv converters
 * when a dictionary is not UTF-8) and its own bounded verdict cache; it is
 * used by one thread at a time.  Worker 0 serves the single-text API and
 * the calling thread; tmk_spell_texts() starts threads for the others.
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

/* Hunspell_create/Hunspell_destroy race on a global counter in 1.7. */
static pthread_mutex_t hunspell_lock = PTHREAD_MUTEX_INITIALIZER;

#define MAX_WORKERS 16

struct dict {
    char *name; /* as given or derived */
    char *aff, *dic;
    char *label; /* "name (dic path)" */
    /* the .aff text with the slow suggestion stages turned off (n-grams,
     * compound suggestions), NULL when the .aff could not be read */
    char *fast_aff;
    size_t fast_len;
    /* the same with the n-gram stage on (for the handles of ngram_sugg) */
    char *ngram_aff;
    size_t ngram_len;
    struct tmk__ngram *ng; /* the roots, indexed on first use */
    int ng_state;          /* 0 not tried, 1 ready, -1 unavailable */
};

struct entry {
    char *word, *model; /* model may be NULL */
};

struct hand {
    Hunhandle *h;
    iconv_t to, from; /* (iconv_t)-1 for UTF-8 dictionaries */
};

/* Bounded verdict cache: open addressing, cleared when full. */
struct vslot {
    uint64_t hash;
    uint32_t off;
    uint16_t len;
    uint8_t used, ok;
};

struct vcache {
    struct vslot *slots;
    size_t cap, n, max;
    tmk_buf keys;
    size_t lookups, hits, clears;
};

struct worker {
    struct hand *hs;
    int ready;
    struct hand *fs; /* fast suggestion handles, made on first use */
    int failed;      /* a Hunspell call failed (TMK_ENOMEM...): the results
                        since are not to be trusted, the caller gets it */
    int fast_state;  /* 0 not tried, 1 ready, -1 unavailable */
    tmk_buf tmp, conv, scratch;
};

struct sentry {
    char *word;
    size_t wlen;
    uint64_t hash;
    char **sugg;
    size_t nsugg;
    int done;
};

struct scache {
    struct sentry *e;
    size_t n, cap;  /* entries */
    uint32_t *idx;  /* hash index: entry number + 1, 0 = empty */
    size_t icap;
};

struct tmk_speller {
    struct dict *dicts;
    size_t ndicts;
    struct entry *entries;
    size_t nentries;
    unsigned flags;
    size_t max_sugg, cache_entries;
    struct worker workers[MAX_WORKERS];
    /* one verdict cache for all workers: a distinct word costs one
     * Hunspell call whichever worker meets it; locked while threads run */
    struct vcache vc;
    pthread_mutex_t vlock;
    int threaded;
    int break_hyphen, break_dot; /* every dictionary has BREAK "-" / "." */
    struct scache sc;
    int sugg_mode;
    size_t sugg_max; /* distinct words kept in the suggestion cache */
    pthread_mutex_t nglock; /* for the dictionaries' n-gram indexes */
    char *temp_dir;         /* for the .aff and .dic copies */
};

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h ^ (h >> 29);
}

/* ---- verdict cache ------------------------------------------------------ */

static int vcache_init(struct vcache *vc, size_t entries)
{
    size_t cap = 64;
    while (cap < entries + entries / 3 + 1)
        cap *= 2;
    vc->slots = calloc(cap, sizeof *vc->slots);
    if (!vc->slots)
        return TMK_ENOMEM;
    vc->cap = cap;
    vc->max = entries;
    vc->n = 0;
    tmk_buf_init(&vc->keys);
    return TMK_OK;
}

static void vcache_clear(struct vcache *vc)
{
    memset(vc->slots, 0, vc->cap * sizeof *vc->slots);
    vc->n = 0;
    tmk_buf_reset(&vc->keys);
    vc->clears++;
}

/* Returns the slot for the word: used == 1 when found. */
static struct vslot *vcache_find(struct vcache *vc, const char *w, size_t n, uint64_t h)
{
    size_t i = (size_t)h & (vc->cap - 1);
    for (;;) {
        struct vslot *s = &vc->slots[i];
        if (!s->used)
            return s;
        if (s->hash == h && s->len == n && !memcmp(vc->keys.data + s->off, w, n))
            return s;
        i = (i + 1) & (vc->cap - 1);
    }
}

static void vcache_put(struct vcache *vc, const char *w, size_t n, uint64_t h, int ok)
{
    if (n > UINT16_MAX)
        return;
    if (vc->n >= vc->max || vc->keys.len + n > UINT32_MAX - 1)
        vcache_clear(vc);
    struct vslot *s = vcache_find(vc, w, n, h);
    if (s->used)
        return;
    size_t off = vc->keys.len;
    if (tmk_buf_add(&vc->keys, w, n) < 0)
        return; /* not cached: fine */
    s->used = 1;
    s->hash = h;
    s->off = (uint32_t)off;
    s->len = (uint16_t)n;
    s->ok = (uint8_t)(ok != 0);
    vc->n++;
}

/* ---- encodings ----------------------------------------------------------- */

static int is_utf8_name(const char *e)
{
    return !e || !strcasecmp(e, "UTF-8") || !strcasecmp(e, "UTF8");
}

/* Hunspell's encoding names that iconv spells differently. */
static const char *iconv_name(const char *e)
{
    if (!strncasecmp(e, "microsoft-cp", 12))
        return e + 10; /* "cp1251" */
    if (!strcasecmp(e, "TIS620-2533"))
        return "TIS-620";
    return e;
}

/* Convert word (UTF-8) for a handle; returns the string to pass to
 * Hunspell or NULL when the word cannot be written in its encoding. */
static const char *to_dic(struct hand *hd, tmk_buf *conv, const char *w, size_t n)
{
    tmk_buf_reset(conv);
    if (hd->to == (iconv_t)-1) {
        if (tmk_buf_add(conv, w, n) < 0)
            return NULL;
        return conv->data;
    }
    if (tmk_buf_grow(conv, n * 4 + 8) < 0)
        return NULL;
    char *in = (char *)w, *out = conv->data;
    size_t inl = n, outl = conv->cap - 1;
    iconv(hd->to, NULL, NULL, NULL, NULL);
    if (iconv(hd->to, &in, &inl, &out, &outl) == (size_t)-1)
        return NULL;
    *out = '\0';
    conv->len = (size_t)(out - conv->data);
    return conv->data;
}

/* Append s (in the dictionary's encoding) to out as UTF-8. */
static int from_dic(struct hand *hd, tmk_buf *out, const char *s)
{
    size_t n = strlen(s);
    if (hd->from == (iconv_t)-1)
        return tmk_buf_add(out, s, n);
    TMK_TRY(tmk_buf_grow(out, n * 4 + 8));
    char *in = (char *)s, *o = out->data + out->len;
    size_t inl = n, outl = out->cap - out->len - 1;
    iconv(hd->from, NULL, NULL, NULL, NULL);
    if (iconv(hd->from, &in, &inl, &o, &outl) == (size_t)-1)
        return TMK_EENCODING;
    out->len = (size_t)(o - out->data);
    out->data[out->len] = '\0';
    return TMK_OK;
}

/* ---- workers ------------------------------------------------------------- */

static char *concat3(const char *a, const char *b, const char *c);

static void hands_free(struct hand *hs, size_t ndicts)
{
    if (!hs)
        return;
    for (size_t i = 0; i < ndicts; i++) {
        struct hand *hd = &hs[i];
        if (hd->h) {
            pthread_mutex_lock(&hunspell_lock);
            tmk__hs_destroy(hd->h);
            pthread_mutex_unlock(&hunspell_lock);
        }
        if (hd->to != (iconv_t)-1)
            iconv_close(hd->to);
        if (hd->from != (iconv_t)-1)
            iconv_close(hd->from);
    }
    free(hs);
}

static void worker_release(struct worker *w, size_t ndicts)
{
    if (w->fs != w->hs)
        hands_free(w->fs, ndicts);
    hands_free(w->hs, ndicts);
    tmk_buf_release(&w->tmp);
    tmk_buf_release(&w->conv);
    tmk_buf_release(&w->scratch);
    memset(w, 0, sizeof *w);
}

/* Open one Hunspell handle for dictionary d with the given .aff file and
 * add the word-list entries to it.  On failure hd->h may be set (the
 * caller frees). */
static int hand_open(tmk_speller *sp, struct worker *w, struct hand *hd, const char *aff,
                     const struct dict *d, tmk_error *err)
{
    pthread_mutex_lock(&hunspell_lock);
    int rc = tmk__hs_create(aff, d->dic, &hd->h);
    pthread_mutex_unlock(&hunspell_lock);
    if (rc < 0)
        return tmk_error_set(err, rc, 0, 0, "cannot load the dictionary %s: %s", d->label,
                             rc == TMK_ENOMEM ? "out of memory" : "Hunspell failed");
    const char *enc = tmk__hs_encoding(hd->h);
    if (!is_utf8_name(enc)) {
        hd->to = iconv_open(iconv_name(enc), "UTF-8");
        hd->from = iconv_open("UTF-8", iconv_name(enc));
        if (hd->to == (iconv_t)-1 || hd->from == (iconv_t)-1)
            return tmk_error_set(err, TMK_ESYNTAX, 0, 0, /* bad data, not a bad option */
                                 "the dictionary %s uses the encoding \"%s\", which this "
                                 "system cannot convert; convert it to UTF-8 (SET UTF-8 in "
                                 "the .aff file)",
                                 d->label, enc);
    }
    for (size_t k = 0; k < sp->nentries; k++) {
        const struct entry *e = &sp->entries[k];
        const char *word = to_dic(hd, &w->conv, e->word, strlen(e->word));
        if (!word)
            continue; /* not writable in this dictionary's encoding */
        if (e->model) {
            if (tmk_buf_add(&w->tmp, word, strlen(word) + 1) < 0)
                continue;
            const char *model = to_dic(hd, &w->conv, e->model, strlen(e->model));
            rc = model ? tmk__hs_add(hd->h, w->tmp.data, model) : TMK_OK;
            tmk_buf_reset(&w->tmp);
        } else {
            rc = tmk__hs_add(hd->h, word, NULL);
        }
        if (rc < 0)
            return tmk_error_set(err, rc, 0, 0, "cannot load the dictionary %s: %s", d->label,
                                 rc == TMK_ENOMEM ? "out of memory" : "Hunspell failed");
    }
    return TMK_OK;
}

/* Write len bytes of data to a new temporary file; its path in *path
 * (the caller unlinks and frees it).  Returns 1 on success. */
static int write_temp(const tmk_speller *sp, const char *data, size_t len, char **path)
{
    *path = concat3(sp->temp_dir, "/tmkit-aff-", "XXXXXX");
    int fd = *path ? mkstemp(*path) : -1;
    if (fd < 0) {
        free(*path);
        *path = NULL;
        return 0;
    }
    int ok = 1;
    size_t done = 0;
    while (ok && done < len) {
        ssize_t k = write(fd, data + done, len - done);
        ok = k > 0;
        done += ok ? (size_t)k : 0;
    }
    ok = close(fd) == 0 && ok;
    if (!ok) {
        unlink(*path);
        free(*path);
        *path = NULL;
    }
    return ok;
}

/* The fast suggestion handles of a worker: the same dictionaries loaded
 * from a temporary copy of each .aff with MAXNGRAMSUGS 0 and MAXCPDSUGS 0
 * (the copy is removed as soon as Hunspell has read it).  Returns 1 when
 * ready, 0 when not available (the full handles are used instead). */
static int fast_init(tmk_speller *sp, struct worker *w)
{
    if (w->fast_state)
        return w->fast_state > 0;
    w->fast_state = -1;
    for (size_t i = 0; i < sp->ndicts; i++)
        if (!sp->dicts[i].fast_aff)
            return 0;
    w->fs = calloc(sp->ndicts, sizeof *w->fs);
    if (!w->fs)
        return 0;
    for (size_t i = 0; i < sp->ndicts; i++)
        w->fs[i].to = w->fs[i].from = (iconv_t)-1;
    for (size_t i = 0; i < sp->ndicts; i++) {
        const struct dict *d = &sp->dicts[i];
        char *path;
        int ok = write_temp(sp, d->fast_aff, d->fast_len, &path);
        if (ok) {
            ok = hand_open(sp, w, &w->fs[i], path, d, NULL) == 0;
            unlink(path);
            free(path);
        }
        if (!ok) {
            hands_free(w->fs, sp->ndicts);
            w->fs = NULL;
            return 0;
        }
    }
    w->fast_state = 1;
    return 1;
}

/* The fast handles give the same verdicts as the full ones (the .aff
 * differs only in suggestion limits): in the fast mode a worker loads only
 * them and checks with them too. */
static int worker_init_fast(tmk_speller *sp, struct worker *w)
{
    if (!fast_init(sp, w))
        return 0;
    w->hs = w->fs;
    w->ready = 1;
    return 1;
}

static int worker_init(tmk_speller *sp, struct worker *w, tmk_error *err)
{
    if (w->ready)
        return TMK_OK;
    memset(w, 0, sizeof *w);
    tmk_buf_init(&w->tmp);
    tmk_buf_init(&w->conv);
    tmk_buf_init(&w->scratch);
    if (sp->sugg_mode == TMK_SUGGEST_FAST && worker_init_fast(sp, w))
        return TMK_OK;
    w->hs = calloc(sp->ndicts, sizeof *w->hs);
    if (!w->hs) {
        worker_release(w, sp->ndicts);
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < sp->ndicts; i++)
        w->hs[i].to = w->hs[i].from = (iconv_t)-1;
    for (size_t i = 0; i < sp->ndicts; i++) {
        if (hand_open(sp, w, &w->hs[i], sp->dicts[i].aff, &sp->dicts[i], err) < 0) {
            worker_release(w, sp->ndicts);
            return err ? err->code : TMK_ENOMEM;
        }
    }
    w->ready = 1;
    return TMK_OK;
}

/* The verdict of all dictionaries on one word, through the cache. */
static int verdict_sp(tmk_speller *sp, struct worker *w, const char *word, size_t n)
{
    uint64_t h = hash_bytes(word, n);
    if (sp->threaded)
        pthread_mutex_lock(&sp->vlock);
    sp->vc.lookups++;
    struct vslot *s = vcache_find(&sp->vc, word, n, h);
    int found = s->used, ok = found ? s->ok : 0;
    if (found)
        sp->vc.hits++;
    if (sp->threaded)
        pthread_mutex_unlock(&sp->vlock);
    if (found)
        return ok;
    int unwritable = 0;
    for (size_t i = 0; i < sp->ndicts && !ok; i++) {
        const char *x = to_dic(&w->hs[i], &w->conv, word, n);
        int r = x ? tmk__hs_spell(w->hs[i].h, x) : 0;
        if (r < 0) {
            w->failed = r; /* not cached; the caller reports it */
            return 0;
        }
        ok = r;
        unwritable |= !x;
    }
    /* a word of the word lists that a dictionary's own encoding cannot
     * hold (Łódź in an ISO-8859-1 dictionary) was not added to it: the
     * lists themselves say it is right (as written; the cache keeps it) */
    for (size_t k = 0; unwritable && !ok && k < sp->nentries; k++)
        if (strlen(sp->entries[k].word) == n && !memcmp(sp->entries[k].word, word, n))
            ok = 1;
    if (sp->threaded)
        pthread_mutex_lock(&sp->vlock);
    vcache_put(&sp->vc, word, n, h, ok);
    if (sp->threaded)
        pthread_mutex_unlock(&sp->vlock);
    return ok;
}

#define verdict_sp(sp, w, word, n) verdict_sp(sp, (w), (word), (n))

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
        lower = c >= 0 && tmk_uc_is_lower(c);
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
            !verdict_sp(sp, w, w->tmp.data, w->tmp.len))
            return 0;
        p = q < end ? q + 1 : end;
        if (q < end && p == end)
            return 0;
    }
    return 1;
}

static int has_digit(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] >= '0' && s[i] <= '9')
            return 1;
    return 0;
}

/* A compound with a part that holds digits ("3D-Drucker", "2er-Gruppe",
 * "1990er-Jahre-Stil"): such a part is skipped as a word with digits is,
 * the other parts must be words.  1 accepted, 0 not. */
static int digit_parts_ok(tmk_speller *sp, struct worker *w, const char *word, size_t n)
{
    if (!has_digit(word, n) || !memchr(word, '-', n))
        return 0;
    const char *p = word, *end = word + n;
    int letters = 0;
    while (p < end) {
        const char *q = memchr(p, '-', (size_t)(end - p));
        const char *e = q ? q : end;
        if (e == p)
            return 0; /* "--", a leading or final hyphen */
        if (!has_digit(p, (size_t)(e - p))) {
            tmk_buf_reset(&w->tmp);
            if (tmk_buf_add(&w->tmp, p, (size_t)(e - p)) < 0 ||
                !verdict_sp(sp, w, w->tmp.data, w->tmp.len))
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
    if (verdict_sp(sp, w, t->word, t->wlen))
        return 1;
    if (!t->trunc && digit_parts_ok(sp, w, t->word, t->wlen))
        return 1;
    if (t->alt) {
        /* a gender form: right when the form without the marker is */
        if (parts_ok(sp, w, t->alt, t->altlen) || verdict_sp(sp, w, t->alt, t->altlen))
            return 1;
        if (t->trunc && t->altlen > 1 && verdict_sp(sp, w, t->alt, t->altlen - 1))
            return 1;
    }
    if (t->dot) {
        /* abbreviations: "usw.", "z.B." */
        tmk_buf_reset(&w->tmp);
        if (tmk_buf_add(&w->tmp, t->word, t->wlen) == 0 && tmk_buf_addch(&w->tmp, '.') == 0 &&
            verdict_sp(sp, w, w->tmp.data, w->tmp.len))
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
                      verdict_sp(sp, w, w->tmp.data, w->tmp.len);
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
            verdict_sp(sp, w, w->tmp.data, w->tmp.len))
            return 1;
    }
    return 0;
}

/* A list of distinct suggestions, at most max. */
struct slist {
    char **v;
    size_t n, max;
};

static int slist_add(struct slist *l, const char *s, size_t len)
{
    if (l->n >= l->max)
        return 0;
    for (size_t j = 0; j < l->n; j++)
        if (!strncmp(l->v[j], s, len) && l->v[j][len] == '\0')
            return 0;
    if (!l->v && !(l->v = calloc(l->max, sizeof *l->v)))
        return TMK_ENOMEM;
    if (!(l->v[l->n] = tmk__strndup(s, len)))
        return TMK_ENOMEM;
    l->n++;
    return 1;
}

static void slist_release(struct slist *l)
{
    for (size_t j = 0; j < l->n; j++)
        free(l->v[j]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

/* Hunspell's suggestions for word from every dictionary, in order, with
 * the handles hs (the worker's full or fast ones). */
static int raw_sugg(tmk_speller *sp, struct worker *w, struct hand *hs, const char *word,
                    size_t n, struct slist *out)
{
    int rc = TMK_OK;
    tmk_buf u = TMK_BUF_INIT;
    /* with several dictionaries, a split into words ("Home office",
     * "Home-office") from any but the first goes after the whole words of
     * all: a word of the text's language outranks another language's
     * reading of it as two words */
    struct slist late = {NULL, 0, out->max};
    int nohyphen = !memchr(word, '-', n);
    for (size_t d = 0; d < sp->ndicts && out->n < out->max && rc >= 0; d++) {
        struct hand *hd = &hs[d];
        const char *x = to_dic(hd, &w->conv, word, n);
        if (!x)
            continue;
        char **list = NULL;
        int k = tmk__hs_suggest(hd->h, &list, x);
        if (k < 0) {
            w->failed = rc = k;
            break;
        }
        for (int i = 0; i < k && rc >= 0; i++) {
            tmk_buf_reset(&u);
            if (from_dic(hd, &u, list[i]) != 0)
                continue;
            int split = memchr(u.data, ' ', u.len) || (nohyphen && memchr(u.data, '-', u.len));
            rc = slist_add(d > 0 && split ? &late : out, u.data, u.len);
        }
        if (list)
            tmk__hs_free_list(hd->h, &list, k);
    }
    for (size_t i = 0; i < late.n && rc >= 0; i++)
        rc = slist_add(out, late.v[i], strlen(late.v[i]));
    slist_release(&late);
    tmk_buf_release(&u);
    return rc < 0 ? rc : TMK_OK;
}

/* Append s (n bytes) to b with its first letter in upper or lower case. */
static int add_recased(tmk_buf *b, const char *s, size_t n, int upper)
{
    size_t adv;
    int32_t c = n ? tmk_utf8_decode(s, n, &adv) : -1;
    if (c < 0)
        return tmk_buf_add(b, s, n);
    char enc[4];
    int k = tmk_utf8_encode(upper ? tmk_uc_toupper(c) : tmk_uc_tolower(c), enc);
    if (k <= 0)
        return tmk_buf_add(b, s, n);
    TMK_TRY(tmk_buf_add(b, enc, (size_t)k));
    return tmk_buf_add(b, s + adv, n - adv);
}

/* A typo inside a closed compound ("Tippfeler", "Tipfehler"): the longest
 * head that is a word with the fast suggestions for the rest ("Feler" ->
 * "Fehler": "Tippfehler"), else the longest tail that is a word (as a noun)
 * with the fast suggestions for the head (up to 2 splits each, longest
 * first, until one gives something); a candidate counts only when
 * Hunspell accepts the whole.  This stands in for Hunspell's compound
 * stage at a fraction of its cost. */
static int compound_sugg(tmk_speller *sp, struct worker *w, const char *word, size_t n,
                         struct slist *out)
{
    size_t bnd[TMK_SPELL_MAXCHARS + 2], nc = 0;
    for (size_t i = 0; i < n; nc++) {
        size_t adv;
        int32_t c = tmk_utf8_decode(word + i, n - i, &adv);
        if (c < 0 || !tmk_uc_is_letter(c) || nc > TMK_SPELL_MAXCHARS)
            return TMK_OK;
        bnd[nc] = i;
        i += adv;
    }
    bnd[nc] = n;
    if (nc < 6)
        return TMK_OK;
    tmk_buf piece = TMK_BUF_INIT, cand = TMK_BUF_INIT;
    int rc = TMK_OK;
    for (int side = 0; side < 2 && rc == TMK_OK && out->n == 0; side++) {
        int tries = 0;
        /* side 0: head right, rest wrong; side 1: tail right, head wrong */
        for (size_t k = side ? 3 : nc - 3; side ? k + 3 <= nc : k >= 3; side ? k++ : k--) {
            size_t cut = bnd[k];
            tmk_buf_reset(&piece);
            rc = side ? add_recased(&piece, word + cut, n - cut, 1)
                      : tmk_buf_add(&piece, word, cut);
            if (rc < 0 || !verdict_sp(sp, w, piece.data, piece.len))
                continue;
            /* the wrong part: a tail is tried as a noun first */
            struct slist ps = {NULL, 0, sp->max_sugg * 2};
            for (int form = 0; form < 2 && rc == TMK_OK && ps.n == 0; form++) {
                tmk_buf_reset(&piece);
                if (side)
                    rc = tmk_buf_add(&piece, word, cut);
                else if (form == 0)
                    rc = add_recased(&piece, word + cut, n - cut, 1);
                else
                    rc = tmk_buf_add(&piece, word + cut, n - cut);
                if (rc == TMK_OK)
                    rc = raw_sugg(sp, w, w->fs, piece.data, piece.len, &ps);
                if (side)
                    break;
            }
            for (size_t j = 0; j < ps.n && rc == TMK_OK; j++) {
                const char *x = ps.v[j];
                if (strpbrk(x, " -."))
                    continue;
                tmk_buf_reset(&cand);
                rc = side ? tmk_buf_adds(&cand, x) : tmk_buf_add(&cand, word, cut);
                if (rc == TMK_OK)
                    rc = side ? tmk_buf_add(&cand, word + cut, n - cut)
                              : add_recased(&cand, x, strlen(x), 0);
                if (rc == TMK_OK && verdict_sp(sp, w, cand.data, cand.len) &&
                    slist_add(out, cand.data, cand.len) < 0)
                    rc = TMK_ENOMEM;
            }
            slist_release(&ps);
            if (out->n || ++tries == 2)
                break; /* the longest correct parts only */
        }
    }
    tmk_buf_release(&piece);
    tmk_buf_release(&cand);
    return rc;
}

/* Roots handed to Hunspell's n-gram stage per word (it keeps 100). */
#define NGRAM_ROOTS 500

/* Hunspell's n-gram suggestions for word, from a handle loaded with the
 * roots most like it (see spell_ngram.c), for each dictionary in turn. */
static int ngram_sugg(tmk_speller *sp, struct worker *w, const char *word, size_t n,
                      struct slist *out)
{
    int rc = TMK_OK;
    tmk_buf dic = TMK_BUF_INIT, u = TMK_BUF_INIT;
    for (size_t d = 0; d < sp->ndicts && out->n < out->max && rc >= 0; d++) {
        struct dict *dt = &sp->dicts[d];
        if (!dt->ngram_aff)
            continue;
        pthread_mutex_lock(&sp->nglock);
        if (dt->ng_state == 0) {
            const char *enc = tmk__hs_encoding(w->hs[d].h);
            dt->ng_state = tmk__ngram_load(dt->dic, is_utf8_name(enc) ? NULL : iconv_name(enc),
                                           &dt->ng) == 0 ? 1 : -1;
        }
        int ready = dt->ng_state > 0;
        pthread_mutex_unlock(&sp->nglock);
        if (!ready)
            continue;
        tmk_buf_reset(&dic);
        rc = tmk__ngram_dic(dt->ng, word, n, NGRAM_ROOTS, &dic);
        char *affp = NULL, *dicp = NULL;
        if (rc < 0 || !write_temp(sp, dt->ngram_aff, dt->ngram_len, &affp) ||
            !write_temp(sp, dic.data, dic.len, &dicp)) {
            if (affp)
                unlink(affp);
            free(affp);
            continue;
        }
        struct hand hd = {NULL, w->hs[d].to, w->hs[d].from};
        pthread_mutex_lock(&hunspell_lock);
        int k = tmk__hs_create(affp, dicp, &hd.h);
        pthread_mutex_unlock(&hunspell_lock);
        unlink(affp);
        unlink(dicp);
        free(affp);
        free(dicp);
        if (k < 0) {
            rc = k;
            break;
        }
        const char *x = to_dic(&hd, &w->conv, word, n);
        char **list = NULL;
        k = x ? tmk__hs_suggest(hd.h, &list, x) : 0;
        if (k < 0)
            w->failed = rc = k;
        for (int i = 0; i < k && rc >= 0; i++) {
            tmk_buf_reset(&u);
            if (from_dic(&hd, &u, list[i]) == 0)
                rc = slist_add(out, u.data, u.len);
        }
        if (list)
            tmk__hs_free_list(hd.h, &list, k);
        pthread_mutex_lock(&hunspell_lock);
        tmk__hs_destroy(hd.h);
        pthread_mutex_unlock(&hunspell_lock);
    }
    tmk_buf_release(&dic);
    tmk_buf_release(&u);
    return rc < 0 ? rc : TMK_OK;
}

/* Suggestions by the speller's mode: the fast stages of Hunspell (edits,
 * REP/MAP/TRY/KEY tables, case, two words: a handle without the n-gram
 * and compound-suggestion stages), then, in the thorough mode, Hunspell's
 * full search for words they leave without suggestions. */
static int tiered_sugg(tmk_speller *sp, struct worker *w, const char *word, size_t n,
                       struct slist *out)
{
    if (sp->sugg_mode == TMK_SUGGEST_HUNSPELL || !fast_init(sp, w))
        return raw_sugg(sp, w, w->hs, word, n, out);
    TMK_TRY(raw_sugg(sp, w, w->fs, word, n, out));
    /* with several dictionaries, splits only ("Homeoffice" -> "Home
     * office" from en_US): the later stages still look for a whole word,
     * which goes first */
    struct slist splits = {NULL, 0, out->max};
    int only_splits = sp->ndicts > 1 && out->n > 0, nohyphen = !memchr(word, '-', n);
    for (size_t i = 0; i < out->n && only_splits; i++)
        only_splits = strchr(out->v[i], ' ') || (nohyphen && strchr(out->v[i], '-'));
    if (only_splits) {
        splits = *out;
        out->v = NULL;
        out->n = 0;
    }
    int rc = TMK_OK;
    if (out->n == 0)
        rc = compound_sugg(sp, w, word, n, out);
    if (rc == TMK_OK && out->n == 0 && sp->sugg_mode == TMK_SUGGEST_FAST)
        rc = ngram_sugg(sp, w, word, n, out);
    if (rc == TMK_OK && out->n == 0 && sp->sugg_mode == TMK_SUGGEST_THOROUGH)
        rc = raw_sugg(sp, w, w->hs, word, n, out);
    for (size_t i = 0; i < splits.n && rc == TMK_OK; i++)
        if (slist_add(out, splits.v[i], strlen(splits.v[i])) < 0)
            rc = TMK_ENOMEM;
    slist_release(&splits);
    return rc;
}

/* A hyphenated compound ("Boot-Loader-Schnittstele"): suggest for the
 * parts that are not words and put the compound back together.  Much
 * faster than Hunspell on the whole (which often gives up on long
 * compounds) and closer to what the writer meant.  Returns 1 when done
 * (out may stay empty), 0 when the whole word must go to Hunspell. */
#define MAXPARTS 8
static int hyphen_sugg(tmk_speller *sp, struct worker *w, const char *word, size_t n,
                       struct slist *out)
{
    const char *ps[MAXPARTS];
    size_t pl[MAXPARTS], np = 0;
    const char *p = word, *end = word + n;
    while (p <= end) {
        const char *q = memchr(p, '-', (size_t)(end - p));
        if (!q)
            q = end;
        if (q == p || np == MAXPARTS)
            return 0;
        ps[np] = p;
        pl[np++] = (size_t)(q - p);
        p = q + 1;
    }
    if (np < 2)
        return 0;
    int bad[MAXPARTS], nbad = 0, rc = TMK_OK;
    for (size_t i = 0; i < np; i++) {
        tmk_buf_reset(&w->tmp);
        if (tmk_buf_add(&w->tmp, ps[i], pl[i]) < 0)
            return TMK_ENOMEM;
        bad[i] = !has_digit(ps[i], pl[i]) && !verdict_sp(sp, w, w->tmp.data, w->tmp.len);
        if (bad[i] && i + 1 < np && tmk_buf_addch(&w->tmp, '-') == 0)
            /* a first part with a linking s ("Buchfuehrungs-") */
            bad[i] = !verdict_sp(sp, w, w->tmp.data, w->tmp.len);
        nbad += bad[i];
    }
    if (!nbad)
        return 0; /* every part is a word: only the whole is wrong ("MS-DOS") */
    /* as Hunspell does: the suggestions for the whole word when one of
     * them has a hyphen; else the first wrong part replaced by each of its
     * suggestions ("Brute-Force" -> "Beute-Force"), before the whole
     * word's other suggestions */
    struct slist whole = {NULL, 0, sp->max_sugg};
    if (fast_init(sp, w) && sp->sugg_mode != TMK_SUGGEST_HUNSPELL)
        rc = raw_sugg(sp, w, w->fs, word, n, &whole);
    int dashed = 0;
    for (size_t k = 0; k < whole.n && !dashed; k++)
        dashed = strchr(whole.v[k], '-') != NULL;
    size_t first = 0;
    while (first < np && !bad[first])
        first++;
    if (rc == TMK_OK && !dashed) {
        struct slist all = {NULL, 0, sp->max_sugg * 2};
        rc = tiered_sugg(sp, w, ps[first], pl[first], &all);
        tmk_buf b = TMK_BUF_INIT;
        for (size_t k = 0; k < all.n && rc == TMK_OK; k++) {
            if (strchr(all.v[k], ' '))
                continue;
            tmk_buf_reset(&b);
            rc = tmk_buf_add(&b, word, (size_t)(ps[first] - word));
            if (rc == TMK_OK)
                rc = tmk_buf_adds(&b, all.v[k]);
            if (rc == TMK_OK)
                rc = tmk_buf_add(&b, ps[first] + pl[first],
                                 n - (size_t)(ps[first] + pl[first] - word));
            if (rc == TMK_OK && slist_add(out, b.data, b.len) < 0)
                rc = TMK_ENOMEM;
        }
        tmk_buf_release(&b);
        slist_release(&all);
    }
    for (size_t k = 0; k < whole.n && rc == TMK_OK; k++)
        if (slist_add(out, whole.v[k], strlen(whole.v[k])) < 0)
            rc = TMK_ENOMEM;
    slist_release(&whole);
    return rc < 0 ? rc : 1;
}

/* Compute the suggestions for one word with worker w into e. */
static int compute_sugg(tmk_speller *sp, struct worker *w, struct sentry *e)
{
    size_t n = e->wlen;
    int trunc = n > 1 && e->word[n - 1] == '-';
    if (trunc)
        n--; /* a truncated compound ("Ukrain- und"): suggest for the word */
    struct slist out = {NULL, 0, sp->max_sugg};
    int rc = 0;
    if (sp->break_hyphen && memchr(e->word, '-', n))
        rc = hyphen_sugg(sp, w, e->word, n, &out);
    if (rc == 0)
        rc = tiered_sugg(sp, w, e->word, n, &out);
    if (rc >= 0 && trunc) {
        for (size_t i = 0; i < out.n && rc >= 0; i++) {
            size_t l = strlen(out.v[i]);
            char *x = realloc(out.v[i], l + 2);
            if (!x) {
                rc = TMK_ENOMEM;
                break;
            }
            x[l] = '-';
            x[l + 1] = '\0';
            out.v[i] = x;
        }
    }
    e->sugg = out.v;
    e->nsugg = out.n;
    e->done = 1;
    if (rc >= 0 && w->failed)
        rc = w->failed;
    return rc < 0 ? rc : TMK_OK;
}

/* ---- suggestion cache ---------------------------------------------------- */

static int scache_grow_index(struct scache *sc)
{
    size_t icap = sc->icap ? sc->icap * 2 : 1024;
    uint32_t *idx = calloc(icap, sizeof *idx);
    if (!idx)
        return TMK_ENOMEM;
    for (size_t k = 0; k < sc->n; k++) {
        size_t i = (size_t)sc->e[k].hash & (icap - 1);
        while (idx[i])
            i = (i + 1) & (icap - 1);
        idx[i] = (uint32_t)(k + 1);
    }
    free(sc->idx);
    sc->idx = idx;
    sc->icap = icap;
    return TMK_OK;
}

/* Find or add the entry for word; *out gets it (its done flag says whether
 * the suggestions are there). */
static int scache_get(struct scache *sc, const char *w, size_t n, struct sentry **out)
{
    uint64_t h = hash_bytes(w, n);
    if (sc->icap) {
        size_t i = (size_t)h & (sc->icap - 1);
        while (sc->idx[i]) {
            struct sentry *e = &sc->e[sc->idx[i] - 1];
            if (e->hash == h && e->wlen == n && !memcmp(e->word, w, n)) {
                *out = e;
                return 0;
            }
            i = (i + 1) & (sc->icap - 1);
        }
    }
    if ((sc->n + 1) * 2 > sc->icap)
        TMK_TRY(scache_grow_index(sc));
    if (sc->n == sc->cap) {
        size_t cap = sc->cap ? sc->cap * 2 : 256;
        struct sentry *e = realloc(sc->e, cap * sizeof *e);
        if (!e)
            return TMK_ENOMEM;
        sc->e = e;
        sc->cap = cap;
    }
    struct sentry *e = &sc->e[sc->n];
    memset(e, 0, sizeof *e);
    if (!(e->word = tmk__strndup(w, n)))
        return TMK_ENOMEM;
    e->wlen = n;
    e->hash = h;
    size_t i = (size_t)h & (sc->icap - 1);
    while (sc->idx[i])
        i = (i + 1) & (sc->icap - 1);
    sc->idx[i] = (uint32_t)(sc->n + 1);
    sc->n++;
    *out = e;
    return 1;
}

static void scache_release(struct scache *sc);

/* Forget every entry (the cache is bounded: cleared when over its size at
 * the start of a call). */
static void scache_clear(struct scache *sc)
{
    for (size_t k = 0; k < sc->n; k++) {
        for (size_t j = 0; j < sc->e[k].nsugg; j++)
            free(sc->e[k].sugg[j]);
        free(sc->e[k].sugg);
        free(sc->e[k].word);
    }
    sc->n = 0;
    if (sc->idx)
        memset(sc->idx, 0, sc->icap * sizeof *sc->idx);
}

static void scache_release(struct scache *sc)
{
    for (size_t k = 0; k < sc->n; k++) {
        for (size_t j = 0; j < sc->e[k].nsugg; j++)
            free(sc->e[k].sugg[j]);
        free(sc->e[k].sugg);
        free(sc->e[k].word);
    }
    free(sc->e);
    free(sc->idx);
    memset(sc, 0, sizeof *sc);
}

/* ---- dictionaries -------------------------------------------------------- */

static int readable(const char *p) { return p && access(p, R_OK) == 0; }

static char *concat3(const char *a, const char *b, const char *c)
{
    size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
    char *p = malloc(la + lb + lc + 1);
    if (p) {
        memcpy(p, a, la);
        memcpy(p + la, b, lb);
        memcpy(p + la + lb, c, lc + 1);
    }
    return p;
}

static const char *const system_dirs[] = {
    "/usr/share/hunspell", "/usr/share/myspell", "/usr/share/myspell/dicts",
    "/usr/local/share/hunspell", "/usr/local/share/myspell", "/opt/homebrew/share/hunspell",
    "/Library/Spelling",
};

/* Try dir/name.{aff,dic}; on success fills d. */
static int try_dir(const char *dir, size_t dlen, const char *name, struct dict *d)
{
    char *base = malloc(dlen + strlen(name) + 2);
    if (!base)
        return TMK_ENOMEM;
    memcpy(base, dir, dlen);
    base[dlen] = '/';
    strcpy(base + dlen + 1, name);
    char *aff = concat3(base, ".aff", ""), *dic = concat3(base, ".dic", "");
    free(base);
    if (aff && dic && readable(aff) && readable(dic)) {
        d->aff = aff;
        d->dic = dic;
        return 1;
    }
    free(aff);
    free(dic);
    return (aff && dic) ? 0 : TMK_ENOMEM;
}

/* Where dictionaries given by name are looked for (from the options). */
struct dirs {
    const char *path; /* DICPATH-like list, may be NULL */
    const char *home; /* may be NULL */
};

/* Look a dictionary name up in the folders of dirs->path, the system
 * folders, dirs->home/Library/Spelling and the project's
 * dictionaries/hunspell folder.  1 found, 0 not, < 0 error. */
static int find_by_name(const struct dirs *dirs, const char *name, struct dict *d)
{
    int rc;
    const char *dp = dirs->path;
    while (dp && *dp) {
        const char *e = strchr(dp, ':');
        size_t l = e ? (size_t)(e - dp) : strlen(dp);
        if (l && (rc = try_dir(dp, l, name, d)) != 0)
            return rc;
        dp = e ? e + 1 : NULL;
    }
    for (size_t i = 0; i < sizeof system_dirs / sizeof *system_dirs; i++)
        if ((rc = try_dir(system_dirs[i], strlen(system_dirs[i]), name, d)) != 0)
            return rc;
    const char *home = dirs->home;
    if (home && *home) {
        char *p = concat3(home, "/Library/Spelling", "");
        if (!p)
            return TMK_ENOMEM;
        rc = try_dir(p, strlen(p), name, d);
        free(p);
        if (rc)
            return rc;
    }
    char *rel = concat3("hunspell/", name, ".dic");
    if (!rel)
        return TMK_ENOMEM;
    char *p = tmk__data_path(rel);
    free(rel);
    if (p) {
        char *slash = strrchr(p, '/');
        rc = try_dir(p, (size_t)(slash - p), name, d);
        free(p);
        if (rc)
            return rc;
    }
    return 0;
}

static int has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcmp(s + a - b, suf);
}

static int not_found(tmk_error *err, const char *name)
{
    /* Debian names the packages hunspell-de-de, hunspell-en-us */
    char pkg[64];
    size_t k = 0;
    for (const char *p = name; *p && k < sizeof pkg - 1; p++)
        pkg[k++] = (*p == '_') ? '-' : (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
    pkg[k] = '\0';
    return tmk_error_set(err, TMK_ENOTFOUND, 0, 0,
                         "no Hunspell dictionary \"%s\" (looked in DICPATH, /usr/share/hunspell "
                         "and the other usual folders); install it (on Debian: apt-get install "
                         "hunspell-%s), set DICPATH to its folder, or give the path of its "
                         ".dic file with -d",
                         name, pkg);
}

static int resolve_dict(const struct dirs *dirs, const char *spec, struct dict *d,
                        tmk_error *err)
{
    int by_path = strchr(spec, '/') || has_suffix(spec, ".dic") || has_suffix(spec, ".aff");
    if (!by_path) {
        int rc = find_by_name(dirs, spec, d);
        if (rc < 0)
            return tmk_error_set(err, rc, 0, 0, "out of memory");
        if (rc == 0)
            return not_found(err, spec);
        d->name = tmk__strdup(spec);
    } else {
        size_t l = strlen(spec);
        if (has_suffix(spec, ".dic") || has_suffix(spec, ".aff"))
            l -= 4;
        char *base = tmk__strndup(spec, l);
        if (!base)
            return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        d->aff = concat3(base, ".aff", "");
        d->dic = concat3(base, ".dic", "");
        const char *slash = strrchr(base, '/');
        d->name = tmk__strdup(slash ? slash + 1 : base);
        free(base);
        if (!d->aff || !d->dic || !d->name)
            return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        const char *missing = !readable(d->dic) ? d->dic : !readable(d->aff) ? d->aff : NULL;
        if (missing)
            return tmk_error_set(err, TMK_ENOTFOUND, 0, 0,
                                 "cannot read the dictionary file %s (%s); a Hunspell "
                                 "dictionary is a .dic file with its .aff file beside it",
                                 missing, strerror(errno));
    }
    /* (no name: out of memory, and nothing to concatenate) */
    d->label = d->name && d->dic ? concat3(d->name, " ", d->dic) : NULL;
    if (!d->name || !d->label)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    return TMK_OK;
}

/* A TRY line of a UTF-8 .aff without the capitals whose small letter is
 * in it too: Hunspell inserts and replaces every TRY character at every
 * position, and capitals inside a word are rarely the fix (its case
 * handling still tries the word's capitalised forms), so the fast stages
 * do about half the work.  Appends the line to out. */
static int add_try_line(tmk_buf *out, const char *p, size_t l)
{
    size_t a = 4, e = l;
    while (a < e && (p[a] == ' ' || p[a] == '\t'))
        a++;
    while (e > a && (p[e - 1] == '\n' || p[e - 1] == '\r' || p[e - 1] == ' '))
        e--;
    if (tmk_utf8_valid_prefix(p + a, e - a) != e - a)
        return tmk_buf_add(out, p, l);
    TMK_TRY(tmk_buf_adds(out, "TRY "));
    for (size_t i = a; i < e;) {
        size_t adv;
        int32_t c = tmk_utf8_decode(p + i, e - i, &adv);
        int keep = 1;
        if (c >= 0 && tmk_uc_is_upper(c) && tmk_uc_tolower(c) != c) {
            /* dropped only when the small letter is there */
            char low[4];
            int k = tmk_utf8_encode(tmk_uc_tolower(c), low);
            for (size_t j = a; k > 0 && j + (size_t)k <= e && keep; j++)
                keep = memcmp(p + j, low, (size_t)k) != 0;
        }
        if (keep)
            TMK_TRY(tmk_buf_add(out, p + i, adv));
        i += adv;
    }
    return tmk_buf_addch(out, '\n');
}

/* d->fast_aff: the .aff text without its MAXNGRAMSUGS and MAXCPDSUGS
 * lines, with both set to 0, and in a UTF-8 .aff a shorter TRY line (see
 * add_try_line).  Left NULL when the file cannot be read. */
static void fast_aff_text(struct dict *d)
{
    tmk_buf in = TMK_BUF_INIT, out = TMK_BUF_INIT;
    tmk_error e = TMK_ERROR_INIT;
    if (tmk_read_file(d->aff, &in, &e) < 0) {
        tmk_buf_release(&in);
        return;
    }
    int ok = 1, utf8 = 0;
    for (size_t i = 0; i < in.len;) {
        const char *p = in.data + i, *nl = memchr(p, '\n', in.len - i);
        size_t l = nl ? (size_t)(nl - p) + 1 : in.len - i;
        if (l > 4 && !strncmp(p, "SET", 3) && (p[3] == ' ' || p[3] == '\t')) {
            const char *q = p + 4;
            while (*q == ' ' || *q == '\t')
                q++;
            utf8 = !strncasecmp(q, "UTF-8", 5);
        }
        i += l;
    }
    for (size_t i = 0; i < in.len && ok;) {
        const char *p = in.data + i, *nl = memchr(p, '\n', in.len - i);
        size_t l = nl ? (size_t)(nl - p) + 1 : in.len - i;
        int drop = (l > 12 && !strncmp(p, "MAXNGRAMSUGS", 12) && (p[12] == ' ' || p[12] == '\t')) ||
                   (l > 10 && !strncmp(p, "MAXCPDSUGS", 10) && (p[10] == ' ' || p[10] == '\t'));
        if (utf8 && l > 4 && !strncmp(p, "TRY", 3) && (p[3] == ' ' || p[3] == '\t'))
            ok = add_try_line(&out, p, l) == 0;
        else if (!drop)
            ok = tmk_buf_add(&out, p, l) == 0;
        i += l;
    }
    if (ok && out.len && out.data[out.len - 1] != '\n')
        ok = tmk_buf_addch(&out, '\n') == 0;
    /* the n-gram handles: only the n-gram stage finds anything (the
     * stages before it found nothing with the full dictionary), so the
     * tables of the other stages go */
    tmk_buf ng = TMK_BUF_INIT;
    static const char *const edit_tables[] = {"MAXNGRAMSUGS", "MAXCPDSUGS", "TRY", "REP", "MAP",
                                              "KEY", "NOSPLITSUGS"};
    for (size_t i = 0; i < out.len && ok;) {
        const char *p = out.data + i, *nl = memchr(p, '\n', out.len - i);
        size_t l = nl ? (size_t)(nl - p) + 1 : out.len - i;
        int drop = 0;
        for (size_t k = 0; k < sizeof edit_tables / sizeof *edit_tables && !drop; k++) {
            size_t kl = strlen(edit_tables[k]);
            drop = l > kl && !strncmp(p, edit_tables[k], kl) &&
                   (p[kl] == ' ' || p[kl] == '\t' || p[kl] == '\n' || p[kl] == '\r');
        }
        if (!drop)
            ok = tmk_buf_add(&ng, p, l) == 0;
        i += l;
    }
    if (ok)
        ok = tmk_buf_adds(&ng, "MAXCPDSUGS 0\nNOSPLITSUGS\n") == 0 &&
             tmk_buf_adds(&out, "MAXNGRAMSUGS 0\nMAXCPDSUGS 0\n") == 0;
    tmk_buf_release(&in);
    if (!ok) {
        tmk_buf_release(&out);
        tmk_buf_release(&ng);
        return;
    }
    d->fast_aff = tmk_buf_detach(&out, &d->fast_len);
    d->ngram_aff = tmk_buf_detach(&ng, &d->ngram_len);
}

/* The BREAK patterns of an .aff file: Hunspell's default (no BREAK line)
 * is "-", "^-", "-$". */
static void read_breaks(const char *aff, int *hyphen, int *dot)
{
    FILE *f = fopen(aff, "r");
    char line[256];
    int any = 0, hy = 0, dt = 0;
    while (f && fgets(line, sizeof line, f)) {
        if (strncmp(line, "BREAK", 5) || (line[5] != ' ' && line[5] != '\t'))
            continue;
        char *p = line + 5;
        while (*p == ' ' || *p == '\t')
            p++;
        size_t l = strcspn(p, " \t\r\n");
        any = 1;
        if (l == 1 && *p == '-')
            hy = 1;
        else if (l == 1 && *p == '.')
            dt = 1;
    }
    if (f)
        fclose(f);
    if (!any)
        hy = 1;
    *hyphen &= hy;
    *dot &= dt;
}

/* "de-DE" -> "de_DE"; "de" -> "de_DE", else the first de_* found. */
static int dict_for_lang(const struct dirs *dirs, const char *lang, struct dict *d,
                         tmk_error *err)
{
    char l[16], r[16];
    size_t i = 0, j = 0;
    const char *p = lang;
    while (*p && *p != '-' && *p != '_' && i < sizeof l - 1)
        l[i++] = (char)((*p >= 'A' && *p <= 'Z') ? *p++ + 32 : *p++);
    l[i] = '\0';
    if (*p == '-' || *p == '_')
        p++;
    while (*p && *p != '-' && *p != '_' && j < sizeof r - 1)
        r[j++] = (char)((*p >= 'a' && *p <= 'z') ? *p++ - 32 : *p++);
    r[j] = '\0';
    if (!i)
        return tmk_error_set(err, TMK_EINVAL, 0, 0, "\"%s\" is not a language code; use a "
                             "code such as de-DE or en-US", lang);
    char name[40];
    if (j == 2) {
        /* LibreOffice's German dictionary (Debian: hunspell-de-de-frami,
         * de_DE_frami) knows current words the older de_DE lacks: it is
         * preferred where both are installed */
        snprintf(name, sizeof name, "%s_%s_frami", l, r);
        int rc = find_by_name(dirs, name, d);
        snprintf(name, sizeof name, "%s_%s", l, r);
        if (rc == 0)
            rc = find_by_name(dirs, name, d);
        if (rc < 0)
            return tmk_error_set(err, rc, 0, 0, "out of memory");
        if (rc == 0)
            return not_found(err, name);
    } else {
        /* the main country of the language first (de_DE, fr_FR), then the
         * bare name (de), then the first region found in the usual folder */
        snprintf(name, sizeof name, "%s_%c%c_frami", l, l[0] - 32, l[1] ? l[1] - 32 : 0);
        int rc = i == 2 ? find_by_name(dirs, name, d) : 0;
        snprintf(name, sizeof name, "%s_%c%c", l, l[0] - 32, l[1] ? l[1] - 32 : 0);
        if (rc == 0 && i == 2)
            rc = find_by_name(dirs, name, d);
        if (rc == 0)
            rc = find_by_name(dirs, l, d), snprintf(name, sizeof name, "%s", l);
        static const char *const regions[] = {"US", "GB", "AT", "CH", "BR", "PT", "BE", "CA"};
        for (size_t k = 0; rc == 0 && k < sizeof regions / sizeof *regions; k++) {
            snprintf(name, sizeof name, "%s_%s", l, regions[k]);
            rc = find_by_name(dirs, name, d);
        }
        if (rc < 0)
            return tmk_error_set(err, rc, 0, 0, "out of memory");
        if (rc == 0)
            return not_found(err, l);
    }
    d->name = tmk__strdup(name);
    d->label = concat3(name, " ", d->dic);
    if (!d->name || !d->label)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    return TMK_OK;
}

/* ---- word lists ---------------------------------------------------------- */

static int add_entry(tmk_speller *sp, const char *s, size_t n)
{
    struct entry *e = realloc(sp->entries, (sp->nentries + 1) * sizeof *e);
    if (!e)
        return TMK_ENOMEM;
    sp->entries = e;
    e = &sp->entries[sp->nentries];
    const char *slash = memchr(s, '/', n);
    if (slash && slash > s && slash + 1 < s + n) {
        e->word = tmk__strndup(s, (size_t)(slash - s));
        e->model = tmk__strndup(slash + 1, n - (size_t)(slash - s) - 1);
        if (!e->word || !e->model) {
            free(e->word);
            free(e->model);
            return TMK_ENOMEM;
        }
    } else {
        e->word = tmk__strndup(s, n);
        e->model = NULL;
        if (!e->word)
            return TMK_ENOMEM;
    }
    sp->nentries++;
    return TMK_OK;
}

static int load_wordlist(tmk_speller *sp, const char *path, tmk_error *err)
{
    tmk_buf b = TMK_BUF_INIT;
    tmk_error e2 = TMK_ERROR_INIT;
    int rrc = tmk_read_file_max(path, &b, TMK_WORDLIST_MAX, &e2);
    if (rrc == TMK_ELIMIT) {
        tmk_buf_release(&b);
        if (err)
            err->file = path;
        return tmk_error_set(err, TMK_ELIMIT, 0, 0,
                             "the word list is larger than %zu MiB, the most tmkit reads; give "
                             "a text file with one word per line",
                             TMK_WORDLIST_MAX >> 20);
    }
    if (rrc < 0) {
        tmk_buf_release(&b);
        return tmk_error_set(err, TMK_ENOTFOUND, 0, 0,
                             "cannot read the word list %s (%s); give a text file with one "
                             "word per line",
                             path, e2.msg[0] ? e2.msg : "missing");
    }
    size_t valid = tmk_utf8_valid_prefix(b.data, b.len);
    const char *nul = memchr(b.data, '\0', valid);
    if (valid < b.len || nul) {
        size_t at = nul ? (size_t)(nul - b.data) : valid;
        unsigned long line = 1;
        for (size_t i = 0; i < at; i++)
            line += b.data[i] == '\n';
        tmk_buf_release(&b);
        if (err)
            err->file = path;
        if (nul)
            return tmk_error_set(err, TMK_EENCODING, line, 0,
                                 "NUL byte in the word list (a binary file?); give a text "
                                 "file with one word per line, in UTF-8");
        return tmk_error_set(err, TMK_EENCODING, line, 0,
                             "the word list is not valid UTF-8; save it as UTF-8");
    }
    const char *p = b.data, *end = b.data + b.len;
    if (end - p >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
        p += 3;
    int rc = TMK_OK;
    while (p < end && rc == TMK_OK) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *a = p, *z = le;
        while (a < z && (*a == ' ' || *a == '\t'))
            a++;
        for (const char *h = a + 1; h < z; h++)
            if (*h == '#' && (h[-1] == ' ' || h[-1] == '\t')) {
                z = h; /* "word  # comment" */
                break;
            }
        while (z > a && (z[-1] == ' ' || z[-1] == '\t' || z[-1] == '\r'))
            z--;
        if (a < z && *a != '#') {
            tmk_buf nfc = TMK_BUF_INIT;
            rc = tmk_utf8_nfc(a, (size_t)(z - a), &nfc);
            if (rc == TMK_OK)
                rc = add_entry(sp, nfc.data, nfc.len);
            tmk_buf_release(&nfc);
        }
        p = nl ? nl + 1 : end;
    }
    tmk_buf_release(&b);
    if (rc < 0)
        return tmk_error_set(err, rc, 0, 0, "out of memory");
    return TMK_OK;
}

/* Project word lists: words/<name>.txt and words/<lang>.txt for every
 * dictionary name ("de_DE" -> de_DE.txt, de.txt) and the language option. */
static int load_project_lists(tmk_speller *sp, const char *lang, tmk_error *err)
{
    char *seen[2 * MAX_WORKERS + 8];
    size_t nseen = 0;
    int rc = TMK_OK;
    for (size_t i = 0; i <= sp->ndicts && rc == TMK_OK; i++) {
        const char *name = i < sp->ndicts ? sp->dicts[i].name : lang;
        if (!name)
            continue;
        char full[64], base[16];
        size_t k = 0;
        for (; name[k] && k < sizeof full - 1; k++)
            full[k] = name[k] == '-' ? '_' : name[k];
        full[k] = '\0';
        for (k = 0; full[k] && full[k] != '_' && k < sizeof base - 1; k++)
            base[k] = full[k];
        base[k] = '\0';
        const char *cands[2] = {full, base};
        for (size_t c = 0; c < 2 && rc == TMK_OK; c++) {
            char rel[96];
            snprintf(rel, sizeof rel, "words/%s.txt", cands[c]);
            char *p = tmk__data_path(rel);
            if (!p) {
                /* installed with nobase under pkgdatadir/dictionaries */
                char rel2[112];
                snprintf(rel2, sizeof rel2, "dictionaries/%s", rel);
                p = tmk__data_path(rel2);
            }
            if (!p)
                continue;
            int dup = 0;
            for (size_t s = 0; s < nseen && !dup; s++)
                dup = !strcmp(seen[s], p);
            if (dup || nseen == sizeof seen / sizeof *seen) {
                free(p);
                continue;
            }
            seen[nseen++] = p;
            rc = load_wordlist(sp, p, err);
        }
    }
    for (size_t s = 0; s < nseen; s++)
        free(seen[s]);
    return rc;
}

/* ---- public API ---------------------------------------------------------- */

tmk_speller *tmk_speller_new(const tmk_spell_options *opt, tmk_error *err)
{
    tmk_spell_options none;
    if (!opt) {
        memset(&none, 0, sizeof none);
        opt = &none;
    }
    tmk_speller *sp = calloc(1, sizeof *sp);
    if (!sp) {
        tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        return NULL;
    }
    sp->flags = opt->ignore_caps ? TMK_SPELL_IGNORE_CAPS : 0;
    struct dirs dirs = {opt->dict_path, opt->home_dir};
    sp->temp_dir = tmk__strdup(opt->temp_dir ? opt->temp_dir : tmk_temp_dir());
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
            if (resolve_dict(&dirs, opt->dicts[i], &sp->dicts[i], err) < 0)
                goto fail;
    } else if (dict_for_lang(&dirs, opt->lang ? opt->lang : "de-DE", &sp->dicts[0], err) < 0) {
        goto fail;
    }
    if (!opt->no_project_wordlists && load_project_lists(sp, opt->lang, err) < 0)
        goto fail;
    for (size_t i = 0; i < opt->nwordlists; i++)
        if (load_wordlist(sp, opt->wordlists[i], err) < 0)
            goto fail;
    sp->break_hyphen = sp->break_dot = 1;
    for (size_t i = 0; i < sp->ndicts; i++) {
        read_breaks(sp->dicts[i].aff, &sp->break_hyphen, &sp->break_dot);
        fast_aff_text(&sp->dicts[i]);
    }
    sp->sugg_mode = opt->suggest_mode;
    sp->sugg_max = opt->suggest_cache_entries ? opt->suggest_cache_entries : 65536;
    if (vcache_init(&sp->vc, sp->cache_entries) < 0) {
        tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        goto fail;
    }
    pthread_mutex_init(&sp->vlock, NULL);
    pthread_mutex_init(&sp->nglock, NULL);
    if (worker_init(sp, &sp->workers[0], err) < 0)
        goto fail;
    return sp;
fail:
    tmk_speller_free(sp);
    return NULL;
}

void tmk_speller_free(tmk_speller *sp)
{
    if (!sp)
        return;
    for (size_t i = 0; i < MAX_WORKERS; i++)
        if (sp->workers[i].ready)
            worker_release(&sp->workers[i], sp->ndicts);
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
    scache_release(&sp->sc);
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

int tmk_speller_check(tmk_speller *sp, const char *word, size_t len)
{
    int ok = verdict_sp(sp, &sp->workers[0], word, len);
    return sp->workers[0].failed ? sp->workers[0].failed : ok;
}

int tmk_speller_stem(tmk_speller *sp, const char *word, size_t len, tmk_stem_cb cb, void *ud)
{
    struct worker *w = &sp->workers[0];
    int count = 0;
    for (size_t i = 0; i < sp->ndicts; i++) {
        struct hand *hd = &w->hs[i];
        const char *x = to_dic(hd, &w->conv, word, len);
        if (!x)
            continue;
        char **list = NULL;
        int n = tmk__hs_stem(hd->h, &list, x);
        if (n < 0)
            return n;
        int rc = 0;
        for (int k = 0; k < n && rc == 0; k++) {
            tmk_buf_reset(&w->scratch);
            if (from_dic(hd, &w->scratch, list[k]) < 0 || !w->scratch.len)
                continue;
            count++;
            rc = cb(w->scratch.data, w->scratch.len, ud);
        }
        if (list)
            tmk__hs_free_list(hd->h, &list, n);
        if (rc)
            return rc < 0 ? rc : count;
    }
    return count;
}

int tmk_speller_suggest(tmk_speller *sp, const char *word, size_t len,
                        const char *const **out)
{
    struct sentry *e;
    if (sp->sc.n >= sp->sugg_max)
        scache_clear(&sp->sc);
    TMK_TRY(scache_get(&sp->sc, word, len, &e));
    if (!e->done)
        TMK_TRY(compute_sugg(sp, &sp->workers[0], e));
    *out = (const char *const *)e->sugg;
    return (int)e->nsugg;
}

/* tmk_speller_suggest without clearing the cache (during a delivery). */
static int suggest_cached(tmk_speller *sp, const char *word, size_t len,
                          const char *const **out)
{
    struct sentry *e;
    TMK_TRY(scache_get(&sp->sc, word, len, &e));
    if (!e->done)
        TMK_TRY(compute_sugg(sp, &sp->workers[0], e));
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
    tmk_spell_hit h = {t->word, t->off, t->len, t->col, NULL, 0, t->toolong};
    if (o->suggest && !t->toolong) {
        const char *const *s;
        int n = tmk_speller_suggest(o->sp, t->word, t->wlen, &s);
        if (n < 0)
            return n;
        h.sugg = s;
        h.nsugg = (size_t)n;
    }
    return o->cb(&h, o->ud);
}

int tmk_spell_text(tmk_speller *sp, const char *text, size_t len, int suggest, tmk_spell_cb cb,
                   void *ud, tmk_error *err)
{
    struct one o = {sp, suggest, cb, ud};
    /* the tokeniser's scratch is separate from the worker's buffers */
    tmk_buf scratch = TMK_BUF_INIT;
    int rc = tmk__spell_tokens(text, len, sp->flags, &scratch, one_tok, &o);
    tmk_buf_release(&scratch);
    if (rc < 0 && rc == TMK_ENOMEM)
        tmk_error_set(err, rc, 0, 0, "out of memory");
    return rc < 0 ? rc : TMK_OK;
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
        int rc = worker_init(j->sp, c->w, &e);
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
            int rc = compute_sugg(j->sp, c->w, j->todo[k]);
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

int tmk_spell_texts(tmk_speller *sp, const char *const *texts, const size_t *lens, size_t n,
                    int suggest, unsigned nthreads, tmk_spell_texts_cb cb, void *ud,
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
    /* blocks of about BLOCK_BYTES of text; a text longer than LONG_TEXT
     * (a whole book on one line) is cut at white space into blocks of its
     * own, so that the workers share it (words never span white space) */
    size_t nb = 0, cap = total / BLOCK_BYTES + 2;
    j.blocks = calloc(cap, sizeof *j.blocks);
    int rc = j.blocks ? TMK_OK : TMK_ENOMEM;
    for (size_t i = 0, acc = 0, from = 0; rc == TMK_OK && i < n; i++) {
        int cut = lens[i] > LONG_TEXT;
        if (!cut)
            acc += lens[i];
        size_t so = 0;
        unsigned long col0 = 0;
        while (rc == TMK_OK && ((!cut && (acc >= BLOCK_BYTES || i + 1 == n) && from <= i) ||
                                (cut && (from < i || so < lens[i])))) {
            if (nb == cap) {
                struct block *b = realloc(j.blocks, (cap *= 2) * sizeof *b);
                if (!b) {
                    rc = TMK_ENOMEM;
                    break;
                }
                j.blocks = b;
            }
            struct block *bl = &j.blocks[nb++];
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
            size_t eo = so + BLOCK_BYTES < lens[i] ? so + BLOCK_BYTES : lens[i];
            while (eo < lens[i] && texts[i][eo] != ' ' && texts[i][eo] != '\t' &&
                   texts[i][eo] != '\n')
                eo++;
            bl->from = i;
            bl->to = i + 1;
            bl->sub = 1;
            bl->so = so;
            bl->eo = eo;
            bl->col0 = col0;
            col0 += (unsigned long)tmk_utf8_count(texts[i] + so, eo - so);
            so = eo;
            if (so == lens[i])
                from = i + 1;
        }
    }
    j.nblocks = nb;
    if (rc == TMK_OK) {
        j.phase = 1;
        run_phase(&j, nthreads > nb ? (unsigned)(nb ? nb : 1) : nthreads);
        rc = j.rc;
    }
    if (rc == TMK_OK && suggest) {
        if (sp->sc.n >= sp->sugg_max)
            scache_clear(&sp->sc);
        /* the distinct flagged words without suggestions yet */
        size_t ntodo = 0, tcap = 0;
        for (size_t b = 0; b < nb && rc == TMK_OK; b++) {
            for (size_t k = 0; k < j.blocks[b].n && rc == TMK_OK; k++) {
                struct bhit *h = &j.blocks[b].hits[k];
                if (h->too_long)
                    continue; /* no suggestions */
                struct sentry *e;
                int r = scache_get(&sp->sc, j.blocks[b].words.data + h->woff, h->wlen, &e);
                if (r < 0) {
                    rc = r;
                    break;
                }
                if (r == 1) {
                    if (ntodo == tcap) {
                        tcap = tcap ? tcap * 2 : 256;
                        struct sentry **t = realloc(j.todo, tcap * sizeof *t);
                        if (!t) {
                            rc = TMK_ENOMEM;
                            break;
                        }
                        j.todo = t;
                    }
                    /* entries may move while the cache grows: keep indices */
                    j.todo[ntodo++] = (struct sentry *)(uintptr_t)(e - sp->sc.e);
                }
            }
        }
        for (size_t k = 0; rc == TMK_OK && k < ntodo; k++)
            j.todo[k] = &sp->sc.e[(uintptr_t)j.todo[k]];
        /* longest words first: they cost most, so the workers finish together */
        if (rc == TMK_OK && ntodo)
            qsort(j.todo, ntodo, sizeof *j.todo, longer_first);
        j.ntodo = ntodo;
        if (rc == TMK_OK && ntodo) {
            j.phase = 2;
            unsigned nt = asked ? asked : ntodo >= 8 ? auto_threads() : 1;
            if (nt > ntodo)
                nt = (unsigned)ntodo;
            run_phase(&j, nt);
            rc = j.rc;
        }
    }
    /* deliver in order */
    for (size_t b = 0; rc == TMK_OK && b < nb; b++) {
        struct block *bl = &j.blocks[b];
        for (size_t k = 0; k < bl->n && rc == TMK_OK; k++) {
            struct bhit *h = &bl->hits[k];
            tmk_spell_hit hit = {
                bl->words.data + h->woff, h->off, h->len, h->col, NULL, 0, h->too_long};
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
            rc = cb(h->idx, &hit, ud);
        }
    }
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
    return rc < 0 ? rc : TMK_OK;
}
