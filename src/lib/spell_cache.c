/* spell_cache.c -- the speller's caches.
 *
 * The verdict cache: one per speller, shared by all workers (locked while
 * threads run), open addressing, cleared when full.  The suggestion cache:
 * the suggestions of each distinct flagged word, computed once (filled
 * only while no worker runs, so that their pointers stay valid).
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


uint64_t tmk__spell_hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h ^ (h >> 29);
}

int tmk__vcache_init(struct vcache *vc, size_t entries)
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

void tmk__vcache_clear(struct vcache *vc)
{
    memset(vc->slots, 0, vc->cap * sizeof *vc->slots);
    vc->n = 0;
    tmk_buf_reset(&vc->keys);
    vc->clears++;
}

/* Returns the slot for the word: used == 1 when found. */
struct vslot *tmk__vcache_find(struct vcache *vc, const char *w, size_t n, uint64_t h)
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

void tmk__vcache_put(struct vcache *vc, const char *w, size_t n, uint64_t h, int ok)
{
    if (n > UINT16_MAX)
        return;
    if (vc->n >= vc->max || vc->keys.len + n > UINT32_MAX - 1)
        tmk__vcache_clear(vc);
    struct vslot *s = tmk__vcache_find(vc, w, n, h);
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
int tmk__scache_get(struct scache *sc, const char *w, size_t n, struct sentry **out)
{
    uint64_t h = tmk__spell_hash(w, n);
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

/* Forget every entry (the cache is bounded: cleared when over its size at
 * the start of a call). */
void tmk__scache_clear(struct scache *sc)
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

void tmk__scache_release(struct scache *sc)
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
