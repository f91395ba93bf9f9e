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

static int on_header(const tmk_tmx_header *h, void *ud)
{
    fz *z = ud;
    for (size_t i = 0; i < h->nattrs; i++)
        z->sum += touch(h->attrs[i].name) + touch(h->attrs[i].value);
    if (!z->w) {
        tmk_tmx_header hh = *h;
        if (!hh.srclang)
            hh.srclang = "*all*";
        hh.creationdate = 0;
        z->w = tmk_tmx_writer_new_flags(z->f, &hh, TMK_TMX_VERBATIM, NULL);
    }
    return TMK_OK;
}

static int on_tu(const tmk_tu *tu, void *ud)
{
    fz *z = ud;
    z->sum += touch(tu->tuid);
    for (size_t i = 0; i < tu->ntuvs; i++) {
        const tmk_tuv *v = &tu->tuvs[i];
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

static void on_problem(enum tmk_tmx_problem id, unsigned long line, unsigned long col,
                       const char *msg, void *ud)
{
    fz *z = ud;
    z->sum += line + col + strlen(msg) + strlen(tmk_tmx_problem_name(id));
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
    tmk_tmx_reader *r = tmk_tmx_reader_new("fuzz", flags, &err);
    if (r) {
        tmk_tmx_reader_set_limits(r, 32, 1 << 20);
        tmk_tmx_reader_on_header(r, on_header, &z);
        tmk_tmx_reader_on_tu(r, on_tu, &z);
        if (opt & 2)
            tmk_tmx_reader_on_problem(r, on_problem, &z);
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
