/* tm_unit.c -- what every TMX tool asks of a unit: which tuv is its
 * source, and its identity (tmkit/tmx.h: tmk_tmx_source_tuv,
 * tmk_tmx_unit_hash).  stats counts duplicates and merge drops them by this
 * one hash, so the two always agree on what "the same unit" is. */
#include <config.h>
#include <stdint.h>
#include <string.h>
#include "internal.h"
#include "tm_count.h"

long tmk_tmx_find_tuv(const tmk_tu *tu, const char *want)
{
    for (size_t i = 0; i < tu->ntuvs; i++)
        if (tmk_lang_match(tu->tuvs[i].lang, want))
            return (long)i;
    return -1;
}

long tmk_tmx_source_tuv(const tmk_tu *tu, const char *header_srclang)
{
    const char *s = tmk_tmx_attr_get(tu->attrs, tu->nattrs, "srclang");
    if (!s || !strcmp(s, "*all*"))
        s = header_srclang;
    long i = -1;
    if (s && strcmp(s, "*all*"))
        i = tmk_tmx_find_tuv(tu, s);
    if (i < 0 && tu->ntuvs)
        i = 0;
    return i;
}

int tmk__tuv_hash(const tmk_tuv *v, tmk_buf *scratch, uint64_t *out)
{
    tmk_buf_reset(scratch);
    int rc = v->markup ? tmk_tmx_seg_plain(v->seg, v->seg_len, 1, scratch)
                       : tmk_buf_add(scratch, v->seg, v->seg_len);
    if (rc < 0 || tmk_buf_grow(scratch, TMK_TMX_SEG_PAD + 1) < 0)
        return TMK_ENOMEM;
    /* count_text may read up to TMK_TMX_SEG_PAD - 1 bytes past the text's
     * NUL (it masks them): defined bytes there */
    memset(scratch->data + scratch->len + 1, ' ', TMK_TMX_SEG_PAD - 1);
    *out = tm_tuv_hash(tm_lang_hash(v->lang ? v->lang : "(none)"), scratch->data, scratch->len);
    return TMK_OK;
}

int tmk_tmx_unit_hash(const tmk_tu *tu, uint64_t *out, tmk_error *err)
{
    tmk_buf b = TMK_BUF_INIT;
    uint64_t sum = 0, h;
    *out = 0;
    for (size_t i = 0; i < tu->ntuvs; i++) {
        if (tmk__tuv_hash(&tu->tuvs[i], &b, &h) < 0) {
            tmk_buf_release(&b);
            return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        }
        sum += h;
    }
    tmk_buf_release(&b);
    *out = sum;
    return TMK_OK;
}
