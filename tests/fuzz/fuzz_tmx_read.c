/* fuzz_tmx_read.c -- the TMX reader (with checks, or stripping) on any
 * bytes: the first byte picks the flags (bit 0 strip, with bit 7 text only;
 * bit 1 checks) and the chunk size, the rest is the
 * document.  Everything given to the callbacks is touched, and every unit is
 * written again through the writer into memory: the writer must accept
 * whatever the reader gives. */
#include <config.h>
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tmkit/tmkit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
    tmk_tmx_writer *w;
    FILE *f;
    size_t sum;
    int text_only;
} fz;

static size_t touch(const char *s) { return s ? strlen(s) : 0; }

static int on_header(void *ud, const tmk_tmx_header *h)
{
    fz *z = ud;
    for (size_t i = 0; i < h->nattrs; i++)
        z->sum += touch(h->attrs[i].name) + touch(h->attrs[i].value);
    if (!z->w) {
        tmk_tmx_header hh = *h;
        if (!hh.srclang)
            hh.srclang = "*all*";
        hh.creationdate = 0;
        tmk_tmx_write_options o = TMK_TMX_WRITE_OPTIONS_INIT;
        o.flags = TMK_TMX_VERBATIM;
        o.file = z->f;
        tmk_tmx_writer_new(&z->w, &o, &hh, NULL, NULL, NULL, NULL);
    }
    return TMK_OK;
}

static int on_tu(void *ud, const tmk_tmx_tu *tu)
{
    fz *z = ud;
    z->sum += touch(tu->tuid);
    for (size_t i = 0; i < tu->ntuvs; i++) {
        const tmk_tmx_tuv *v = &tu->tuvs[i];
        z->sum += touch(v->lang) + v->seg_len;
        if (z->text_only) {
            /* TEXT_ONLY: the seg's NUL and TMK_TMX_SEG_PAD readable bytes */
            if (v->seg[v->seg_len])
                __builtin_trap();
            /* volatile: every byte is read (a memcpy to an unused array may not be) */
            const volatile char *pad = v->seg + v->seg_len;
            for (size_t k = 0; k < TMK_TMX_SEG_PAD; k++)
                z->sum += (unsigned char)pad[k];
        }
        tmk_buf b = TMK_BUF_INIT;
        tmk_tmx_seg_plain(v->seg, v->seg_len, v->markup, &b);
        tmk_tmx_seg_text(v->seg, v->seg_len, v->markup, &b); /* convert --strip, TSV cells */
        if (tmk_utf8_valid_prefix(v->seg, v->seg_len) != v->seg_len)
            __builtin_trap(); /* the reader gives UTF-8 only */
        tmk_buf_release(&b);
    }
    if (z->w)
        tmk_tmx_writer_add(z->w, tu, NULL);
    return TMK_OK;
}

static int on_problem(void *ud, const tmk_tmx_finding *p)
{
    fz *z = ud;
    z->sum += p->line + p->col + strlen(p->msg) + strlen(tmk_tmx_problem_name(p->id));
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned opt = data[0];
    size_t chunk = (size_t)(opt >> 2) * 3 + 1;
    data++;
    size--;
    char *mem = NULL;
    size_t memlen = 0;
    fz z = {NULL, open_memstream(&mem, &memlen), 0, 0};
    if (!z.f)
        return 0;
    tmk_error err = TMK_ERROR_INIT;
    /* bit 0: strip (with bit 7: text only, the lean reading of stats) */
    unsigned flags = (opt & 1) ? ((opt & 0x80) ? TMK_TMX_READ_TEXT_ONLY : TMK_TMX_READ_STRIP) : 0;
    z.text_only = (flags & TMK_TMX_READ_TEXT_ONLY) != 0;
    tmk_tmx_read_options ro = TMK_TMX_READ_OPTIONS_INIT;
    ro.name = "fuzz";
    ro.flags = flags;
    ro.max_depth = 32;
    ro.max_tu_bytes = 1 << 20;
    tmk_tmx_reader *r = NULL;
    if (tmk_tmx_reader_new(&r, &ro, on_header, on_tu, (opt & 2) ? on_problem : NULL, &z, &err) ==
        TMK_OK) {
        int rc = TMK_OK;
        for (size_t i = 0; i < size && rc == TMK_OK; i += chunk)
            rc = tmk_tmx_reader_feed(r, (const char *)data + i,
                                     size - i < chunk ? size - i : chunk, &err);
        if (rc == TMK_OK)
            rc = tmk_tmx_reader_finish(r, &err);
        tmk_tmx_reader_free(r);
    }
    if (z.w) {
        tmk_tmx_writer_finish(z.w, NULL);
        tmk_tmx_writer_free(z.w);
    }
    fclose(z.f);
    free(mem);
    return 0;
}
