/* spell_worker.c -- workers: Hunspell handles and per-thread state.
 *
 * A worker owns one Hunspell handle per dictionary (with iconv converters
 * when a dictionary is not UTF-8), the fast suggestion handles (loaded
 * from a temporary copy of each .aff with the slow stages off) and its
 * scratch buffers; it is used by one thread at a time.  Worker 0 serves
 * the single-text API and the calling thread; tmk_spell_texts() (spell.c)
 * starts threads for the others.  Every Hunspell handle is created and
 * destroyed here, under one lock.
 */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
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

int tmk__hand_create(const char *aff, const char *dic, Hunhandle **out)
{
    pthread_mutex_lock(&hunspell_lock);
    int rc = tmk__hs_create(aff, dic, out);
    pthread_mutex_unlock(&hunspell_lock);
    return rc;
}

void tmk__hand_destroy(Hunhandle *h)
{
    pthread_mutex_lock(&hunspell_lock);
    tmk__hs_destroy(h);
    pthread_mutex_unlock(&hunspell_lock);
}

int tmk__spell_is_utf8(const char *e)
{
    return !e || !strcasecmp(e, "UTF-8") || !strcasecmp(e, "UTF8");
}

/* Hunspell's encoding names that iconv spells differently. */
const char *tmk__spell_iconv_name(const char *e)
{
    if (!strncasecmp(e, "microsoft-cp", 12))
        return e + 10; /* "cp1251" */
    if (!strcasecmp(e, "TIS620-2533"))
        return "TIS-620";
    return e;
}

/* Convert word (UTF-8) for a handle; returns the string to pass to
 * Hunspell or NULL when the word cannot be written in its encoding. */
const char *tmk__hand_to(struct hand *hd, tmk_buf *conv, const char *w, size_t n)
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
int tmk__hand_from(struct hand *hd, tmk_buf *out, const char *s)
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

static void hands_free(struct hand *hs, size_t ndicts)
{
    if (!hs)
        return;
    for (size_t i = 0; i < ndicts; i++) {
        struct hand *hd = &hs[i];
        if (hd->h) {
            tmk__hand_destroy(hd->h);
        }
        if (hd->to != (iconv_t)-1)
            iconv_close(hd->to);
        if (hd->from != (iconv_t)-1)
            iconv_close(hd->from);
    }
    free(hs);
}

void tmk__worker_release(struct worker *w, size_t ndicts)
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
    int rc = tmk__hand_create(aff, d->dic, &hd->h);
    if (rc < 0)
        return tmk_error_set(err, rc, 0, 0, "cannot load the dictionary %s: %s", d->label,
                             rc == TMK_ENOMEM ? "out of memory" : "Hunspell failed");
    const char *enc = tmk__hs_encoding(hd->h);
    if (!tmk__spell_is_utf8(enc)) {
        hd->to = iconv_open(tmk__spell_iconv_name(enc), "UTF-8");
        hd->from = iconv_open("UTF-8", tmk__spell_iconv_name(enc));
        if (hd->to == (iconv_t)-1 || hd->from == (iconv_t)-1)
            return tmk_error_set(err, TMK_ESYNTAX, 0, 0, /* bad data, not a bad option */
                                 "the dictionary %s uses the encoding \"%s\", which this "
                                 "system cannot convert; convert it to UTF-8 (SET UTF-8 in "
                                 "the .aff file)",
                                 d->label, enc);
    }
    for (size_t k = 0; k < sp->nentries; k++) {
        const struct entry *e = &sp->entries[k];
        const char *word = tmk__hand_to(hd, &w->conv, e->word, strlen(e->word));
        if (!word)
            continue; /* not writable in this dictionary's encoding */
        if (e->model) {
            if (tmk_buf_add(&w->tmp, word, strlen(word) + 1) < 0)
                continue;
            const char *model = tmk__hand_to(hd, &w->conv, e->model, strlen(e->model));
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

/* An unnamed file (O_TMPFILE) in dir, open for writing, or -1 (the file
 * system has none, /proc is not mounted): Hunspell reads it by the name
 * /proc/self/fd/N, and it vanishes when closed, so a run interrupted while
 * Hunspell reads it (Ctrl-C, kill -9) leaves nothing in the folder. */
static int open_unnamed(const char *dir)
{
#ifdef O_TMPFILE
    if (access("/proc/self/fd", X_OK) != 0)
        return -1;
    return open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
#else
    (void)dir;
    return -1;
#endif
}

static const char proc_fd[] = "/proc/self/fd/";

/* Write len bytes of data to a new temporary file; its path in *path
 * (the caller removes it with tmk__spell_remove_temp).  Returns 1 on
 * success. */
int tmk__spell_write_temp(const tmk_speller *sp, const char *data, size_t len, char **path)
{
    int fd = open_unnamed(sp->temp_dir);
    if (fd >= 0) {
        char num[24];
        snprintf(num, sizeof num, "%d", fd);
        *path = tmk__spell_concat3(proc_fd, num, "");
        if (!*path) {
            close(fd);
            return 0;
        }
    } else {
        *path = tmk__spell_concat3(sp->temp_dir, "/tmkit-aff-", "XXXXXX");
        fd = *path ? mkstemp(*path) : -1;
        if (fd < 0) {
            free(*path);
            *path = NULL;
            return 0;
        }
    }
    int ok = 1;
    size_t done = 0;
    while (ok && done < len) {
        ssize_t k = write(fd, data + done, len - done);
        ok = k > 0;
        done += ok ? (size_t)k : 0;
    }
    if (strncmp(*path, proc_fd, sizeof proc_fd - 1)) /* a named file: closed now */
        ok = close(fd) == 0 && ok;
    if (!ok) {
        tmk__spell_remove_temp(*path);
        *path = NULL;
    }
    return ok;
}

void tmk__spell_remove_temp(char *path)
{
    if (!path)
        return;
    if (!strncmp(path, proc_fd, sizeof proc_fd - 1))
        close(atoi(path + sizeof proc_fd - 1)); /* unnamed: gone when closed */
    else
        unlink(path);
    free(path);
}

/* The fast suggestion handles of a worker: the same dictionaries loaded
 * from a temporary copy of each .aff with MAXNGRAMSUGS 0 and MAXCPDSUGS 0
 * (the copy is removed as soon as Hunspell has read it).  Returns 1 when
 * ready, 0 when not available (the full handles are used instead). */
int tmk__worker_fast(tmk_speller *sp, struct worker *w)
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
        int ok = tmk__spell_write_temp(sp, d->fast_aff, d->fast_len, &path);
        if (ok) {
            ok = hand_open(sp, w, &w->fs[i], path, d, NULL) == 0;
            tmk__spell_remove_temp(path);
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
    if (!tmk__worker_fast(sp, w))
        return 0;
    w->hs = w->fs;
    w->ready = 1;
    return 1;
}

int tmk__worker_init(tmk_speller *sp, struct worker *w, tmk_error *err)
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
        tmk__worker_release(w, sp->ndicts);
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < sp->ndicts; i++)
        w->hs[i].to = w->hs[i].from = (iconv_t)-1;
    for (size_t i = 0; i < sp->ndicts; i++) {
        if (hand_open(sp, w, &w->hs[i], sp->dicts[i].aff, &sp->dicts[i], err) < 0) {
            tmk__worker_release(w, sp->ndicts);
            return err ? err->code : TMK_ENOMEM;
        }
    }
    w->ready = 1;
    return TMK_OK;
}

/* The verdict of all dictionaries on one word, through the cache. */
int tmk__verdict(tmk_speller *sp, struct worker *w, const char *word, size_t n)
{
    uint64_t h = tmk__spell_hash(word, n);
    if (sp->threaded)
        pthread_mutex_lock(&sp->vlock);
    sp->vc.lookups++;
    struct vslot *s = tmk__vcache_find(&sp->vc, word, n, h);
    int found = s->used, ok = found ? s->ok : 0;
    if (found)
        sp->vc.hits++;
    if (sp->threaded)
        pthread_mutex_unlock(&sp->vlock);
    if (found)
        return ok;
    int unwritable = 0;
    for (size_t i = 0; i < sp->ndicts && !ok; i++) {
        const char *x = tmk__hand_to(&w->hs[i], &w->conv, word, n);
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
    tmk__vcache_put(&sp->vc, word, n, h, ok);
    if (sp->threaded)
        pthread_mutex_unlock(&sp->vlock);
    return ok;
}
