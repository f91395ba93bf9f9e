/* fmt_cli.c -- --keep-formatting: a document's inline formatting carried
 * from its paragraphs (read one a line) to the segments written to a TMX
 * as <bpt>/<ept> pairs (tmk_doc_render_tmx does the rendering). */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

int cli_fmt_add(struct cli_fmt *f, const tmk_doc_span *sp, size_t n, size_t base)
{
    if (f->n + n > f->cap) {
        size_t cap = f->cap ? f->cap : 64;
        while (cap < f->n + n)
            cap *= 2;
        tmk_doc_span *v = realloc(f->v, cap * sizeof *v);
        if (!v)
            return TMK_ENOMEM;
        f->v = v;
        f->cap = cap;
    }
    for (size_t k = 0; k < n; k++) {
        tmk_doc_span d = sp[k];
        d.start += base;
        d.end += base;
        if (sp[k].target && !(d.target = strdup(sp[k].target)))
            return TMK_ENOMEM;
        f->v[f->n++] = d;
        if (d.end - d.start > f->maxlen)
            f->maxlen = d.end - d.start;
    }
    return TMK_OK;
}

void cli_fmt_release(struct cli_fmt *f)
{
    for (size_t k = 0; k < f->n; k++)
        free((char *)f->v[k].target);
    free(f->v);
    memset(f, 0, sizeof *f);
}

int cli_fmt_render(const struct cli_fmt *f, const char *s, size_t len, size_t off,
                   tmk_buf *out, unsigned *next_i, int *tags)
{
    /* the spans that may reach into [off, off + len): they are ordered by
     * start and none is longer than maxlen */
    size_t lo = 0, hi = f ? f->n : 0;
    while (lo < hi) { /* first span starting at or after off + len */
        size_t mid = lo + (hi - lo) / 2;
        if (f->v[mid].start < off + len)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo, first = lo;
    while (first > 0 && f->v[first - 1].start + f->maxlen > off)
        first--;
    unsigned before = *next_i;
    tmk_error err = TMK_ERROR_INIT;
    int rc = tmk_doc_render_tmx(out, s, len, off, f && f->n ? f->v + first : NULL, end - first, next_i,
                                &err);
    if (*next_i != before)
        *tags = 1;
    return rc;
}

int cli_fmt_unit(const tmk_tmx_tu *tu, const tmk_align_bead *bd, const struct cli_fmt *const fmt[2],
                 int (*seg)(void *ud, int side, size_t i, const char **s, size_t *len,
                            size_t *off),
                 void *ud, tmk_tmx_tu *out, tmk_tmx_tuv tuvs[2], tmk_buf bufs[2])
{
    *out = *tu;
    for (size_t k = 0; k < 2 && k < tu->ntuvs; k++) {
        tuvs[k] = tu->tuvs[k];
        if (!fmt[k] || !fmt[k]->n)
            continue;
        size_t first = k ? bd->tgt : bd->src, n = k ? bd->ntgt : bd->nsrc;
        unsigned next_i = 1;
        int tags = 0;
        tmk_buf_reset(&bufs[k]);
        for (size_t j = 0; j < n; j++) {
            const char *s;
            size_t len, off;
            if (seg(ud, (int)k, first + j, &s, &len, &off) < 0) {
                tags = 0; /* no place in the text known: the side stays plain */
                break;
            }
            if (j && tmk_buf_addch(&bufs[k], ' ') < 0)
                return TMK_ENOMEM;
            if (cli_fmt_render(fmt[k], s, len, off, &bufs[k], &next_i, &tags) < 0)
                return TMK_ENOMEM;
        }
        if (tags) {
            tuvs[k].seg = bufs[k].data;
            tuvs[k].seg_len = bufs[k].len;
            tuvs[k].markup = 1;
        }
    }
    out->tuvs = tuvs;
    if (out->ntuvs > 2)
        out->ntuvs = 2;
    return TMK_OK;
}
