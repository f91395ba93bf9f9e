/* tm_sort.c -- external sort of fixed-size records (see tmkit/tm.h). */
#include <config.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "tmkit/tm.h"

struct tmk_sorter {
    size_t recsize, cap, n, total, pos;
    int (*cmp)(const void *, const void *);
    char *mem;
    FILE **runs;
    char *heads;      /* one current record per run */
    unsigned char *live;
    size_t nruns;
    int sorted;
    char *temp_dir;   /* the runs' folder ("/tmp" when none was given) */
};

int tmk_sorter_new(tmk_sorter **out, size_t recsize, int (*cmp)(const void *, const void *),
                   size_t budget, const char *temp_dir, tmk_error *err)
{
    *out = NULL;
    if (!recsize || !cmp)
        return tmk_error_set(err, TMK_EINVAL, 0, 0, "bad sorter arguments");
    tmk_sorter *s = calloc(1, sizeof *s);
    if (!budget)
        budget = (size_t)8 << 20;
    if (s) {
        s->recsize = recsize;
        s->cmp = cmp;
        s->cap = budget / recsize ? budget / recsize : 1;
        s->mem = malloc(s->cap * recsize);
        s->temp_dir = tmk__strdup(temp_dir && *temp_dir ? temp_dir : "/tmp");
    }
    if (!s || !s->mem || !s->temp_dir) {
        if (s) {
            free(s->mem);
            free(s->temp_dir);
        }
        free(s);
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    }
    *out = s;
    return TMK_OK;
}

int tmk_sorter_cmp_u64(const void *a, const void *b)
{
    uint64_t x, y;
    memcpy(&x, a, 8);
    memcpy(&y, b, 8);
    return x < y ? -1 : x > y;
}

/* Records that are plain 64-bit keys sort by radix (8 passes of 8 bits,
 * through a scratch buffer of the same size) instead of qsort with a
 * callback per comparison: several times faster for stats' hashes. */
static void sort_mem(tmk_sorter *s)
{
    if (s->cmp != tmk_sorter_cmp_u64 || s->n < 256) {
        qsort(s->mem, s->n, s->recsize, s->cmp);
        return;
    }
    uint64_t *a = (uint64_t *)(void *)s->mem;
    uint64_t *tmp = malloc(s->n * sizeof *tmp);
    if (!tmp) {
        qsort(s->mem, s->n, s->recsize, s->cmp);
        return;
    }
    uint64_t *src = a, *dst = tmp;
    for (int shift = 0; shift < 64; shift += 8) {
        size_t count[257] = {0};
        for (size_t i = 0; i < s->n; i++)
            count[((src[i] >> shift) & 0xFF) + 1]++;
        if (count[((src[0] >> shift) & 0xFF) + 1] == s->n)
            continue; /* all equal in this byte */
        for (int k = 0; k < 256; k++)
            count[k + 1] += count[k];
        for (size_t i = 0; i < s->n; i++)
            dst[count[(src[i] >> shift) & 0xFF]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, s->n * sizeof *a);
    free(tmp);
}

static int spill(tmk_sorter *s, tmk_error *err)
{
    sort_mem(s);
    /* in the folder the program chose ($TMPDIR for tmkit), removed at once */
    FILE *f;
    TMK_TRY(tmk_io_temp_file(&f, s->temp_dir, err));
    if (fwrite(s->mem, s->recsize, s->n, f) != s->n || fflush(f) != 0) {
        int e = errno;
        fclose(f);
        if (err)
            tmk_error_set_file(err, NULL); /* not about the input being read */
        return tmk_error_set_detail(err, TMK_EIO, TMK_D_TEMP_DIR, 0, 0,
                                    "cannot write a temporary file in the folder '%s': %s",
                                    s->temp_dir, strerror(e));
    }
    FILE **nr = realloc(s->runs, (s->nruns + 1) * sizeof *nr);
    if (!nr) {
        fclose(f);
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    }
    s->runs = nr;
    s->runs[s->nruns++] = f;
    s->n = 0;
    return TMK_OK;
}

int tmk_sorter_add(tmk_sorter *s, const void *rec, tmk_error *err)
{
    if (s->sorted)
        return tmk_error_set(err, TMK_EINVAL, 0, 0, "sorter already sorted");
    if (s->n == s->cap)
        TMK_TRY(spill(s, err));
    memcpy(s->mem + s->n * s->recsize, rec, s->recsize);
    s->n++;
    s->total++;
    return TMK_OK;
}

static int load_head(tmk_sorter *s, size_t i, tmk_error *err)
{
    size_t got = fread(s->heads + i * s->recsize, s->recsize, 1, s->runs[i]);
    if (got == 1) {
        s->live[i] = 1;
        return TMK_OK;
    }
    s->live[i] = 0;
    if (ferror(s->runs[i]))
        return tmk_error_set_detail(err, TMK_EIO, TMK_D_TEMP_DIR, 0, 0,
                                    "cannot read a temporary file in the folder '%s': %s",
                                    s->temp_dir, strerror(errno));
    return TMK_OK;
}

int tmk_sorter_sort(tmk_sorter *s, tmk_error *err)
{
    if (s->sorted)
        return TMK_OK;
    s->sorted = 1;
    if (s->nruns == 0) {
        sort_mem(s);
        s->pos = 0;
        return TMK_OK;
    }
    if (s->n)
        TMK_TRY(spill(s, err));
    /* the record memory is not needed any more: keep only the heads */
    free(s->mem);
    s->mem = NULL;
    s->heads = malloc(s->nruns * s->recsize);
    s->live = calloc(s->nruns, 1);
    if (!s->heads || !s->live)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    for (size_t i = 0; i < s->nruns; i++) {
        rewind(s->runs[i]);
        TMK_TRY(load_head(s, i, err));
    }
    return TMK_OK;
}

int tmk_sorter_next(tmk_sorter *s, void *rec, tmk_error *err)
{
    if (!s->sorted)
        TMK_TRY(tmk_sorter_sort(s, err));
    if (s->nruns == 0) {
        if (s->pos >= s->n)
            return 0;
        memcpy(rec, s->mem + s->pos++ * s->recsize, s->recsize);
        return 1;
    }
    size_t best = (size_t)-1;
    for (size_t i = 0; i < s->nruns; i++)
        if (s->live[i] && (best == (size_t)-1 ||
                           s->cmp(s->heads + i * s->recsize, s->heads + best * s->recsize) < 0))
            best = i;
    if (best == (size_t)-1)
        return 0;
    memcpy(rec, s->heads + best * s->recsize, s->recsize);
    TMK_TRY(load_head(s, best, err));
    return 1;
}

size_t tmk_sorter_count(const tmk_sorter *s) { return s->total; }
size_t tmk_sorter_runs(const tmk_sorter *s) { return s->nruns; }

void tmk_sorter_free(tmk_sorter *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nruns; i++)
        fclose(s->runs[i]);
    free(s->runs);
    free(s->mem);
    free(s->heads);
    free(s->live);
    free(s->temp_dir);
    free(s);
}
