/* tmx_unit.c -- the unit under construction, shared by the reader's full
 * handlers (tmx_read.c) and its lean path (tmx_lean.c): the string arena,
 * the public views given to the callbacks, stopping with an error, the
 * limits, and seg text in direct mode.  It calls nothing in those files. */
#include <config.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "tmx_int.h"

/* the seg of a tuv without <seg>: empty, and like every TEXT_ONLY seg
 * followed by TMK_TMX_SEG_PAD readable bytes (tmx.h) */
const char tmk__tmx_empty_seg[TMK_TMX_SEG_PAD + 1];

void tmk__tmx_stop(tmk_tmx_reader *r, int code, const char *fmt, ...)
{
    if (r->stop_code)
        return;
    r->stop_code = code;
    tmk_error_clear(&r->stop_err);
    r->stop_err.code = code;
    r->stop_err.line = cur_line(r);
    r->stop_err.col = cur_col(r);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->stop_err.msg, sizeof r->stop_err.msg, fmt, ap);
    va_end(ap);
    XML_StopParser(r->p, XML_FALSE);
}

void tmk__tmx_stop_by_callback(tmk_tmx_reader *r, int rc)
{
    if (rc > 0)
        rc = TMK_ECANCELED;
    stop(r, rc, "reading stopped: %s", tmk_error_string(rc));
}

size_t tmk__tmx_ar_add(tmk_tmx_reader *r, const char *s, size_t len)
{
    size_t off = r->ar.len;
    if (tmk_buf_grow(&r->ar, len + 1) < 0) {
        stop(r, TMK_ENOMEM, "out of memory");
        return NOSTR;
    }
    if (len)
        memcpy(r->ar.data + off, s, len);
    r->ar.data[off + len] = '\0'; /* the string's NUL is part of the arena */
    r->ar.len = off + len + 1;
    r->ar.data[r->ar.len] = '\0';
    return off;
}
size_t tmk__tmx_ar_adds(tmk_tmx_reader *r, const char *s) { return s ? ar_add(r, s, strlen(s)) : NOSTR; }

void tmk__tmx_reset_tu(tmk_tmx_reader *r)
{
    tmk_buf_reset(&r->ar);
    tmk_buf_reset(&r->tu_order);
    tmk_buf_reset(&r->tuv_order);
    r->tu_props.n = r->tu_notes.n = r->tu_attrs.n = 0;
    r->tuv_props.n = r->tuv_notes.n = r->tuv_attrs.n = 0;
    r->tuvs.n = 0;
    r->tuid = NOSTR;
    r->tu_srclang = NOSTR;
    r->dropped = 0;
}


int tmk__tmx_build_public(tmk_tmx_reader *r, size_t np, size_t nn, size_t na, size_t nt)
{
    /* size the public arrays once: they must not move while filled */
#define RESERVE(vec, want)                                                        \
    do {                                                                          \
        if ((vec).cap < (want)) {                                                 \
            void *nv_ = realloc((vec).v, (want) * sizeof *(vec).v);               \
            if (!nv_) return TMK_ENOMEM;                                          \
            (vec).v = nv_; (vec).cap = (want);                                    \
        }                                                                         \
        (vec).n = 0;                                                              \
    } while (0)
    RESERVE(r->pprops, np ? np : 1);
    RESERVE(r->pnotes, nn ? nn : 1);
    RESERVE(r->pattrs, na ? na : 1);
    RESERVE(r->ptuvs, nt ? nt : 1);
#undef RESERVE
    return TMK_OK;
}

void tmk__tmx_pub_props(tmk_tmx_reader *r, const rprop *p, size_t n, const tmk_tmx_prop **out)
{
    *out = r->pprops.v + r->pprops.n;
    for (size_t i = 0; i < n; i++)
        r->pprops.v[r->pprops.n++] = (tmk_tmx_prop){.type = ar_str(r, p[i].type),
                                                    .value = ar_str(r, p[i].value),
                                                    .lang = ar_str(r, p[i].lang),
                                                    .o_encoding = ar_str(r, p[i].enc)};
}
void tmk__tmx_pub_notes(tmk_tmx_reader *r, const rnote *p, size_t n, const tmk_tmx_note **out)
{
    *out = r->pnotes.v + r->pnotes.n;
    for (size_t i = 0; i < n; i++)
        r->pnotes.v[r->pnotes.n++] = (tmk_tmx_note){.text = ar_str(r, p[i].text),
                                                    .lang = ar_str(r, p[i].lang),
                                                    .o_encoding = ar_str(r, p[i].enc)};
}
void tmk__tmx_pub_attrs(tmk_tmx_reader *r, const rattr *p, size_t n, const tmk_tmx_attr **out)
{
    *out = r->pattrs.v + r->pattrs.n;
    for (size_t i = 0; i < n; i++)
        r->pattrs.v[r->pattrs.n++] = (tmk_tmx_attr){ar_str(r, p[i].name), ar_str(r, p[i].value)};
}

static void stop_too_big(tmk_tmx_reader *r)
{
    stop(r, TMK_ELIMIT, "one translation unit holds more than %zu MiB; this is not a "
                        "usable TMX file (no CAT tool takes such segments)", r->max_tu_bytes >> 20);
}

/* bytes of a seg that a STRIP read does not keep: counted all the same */
static void drop_bytes(tmk_tmx_reader *r, size_t n)
{
    r->dropped += n;
    if (r->ar.len + r->dropped > r->max_tu_bytes)
        stop_too_big(r);
}

void tmk__tmx_drop_attrs(tmk_tmx_reader *r, const XML_Char **atts)
{
    size_t n = 0;
    for (const XML_Char **a = atts; *a; a += 2)
        n += strlen(a[0]) + strlen(a[1]) + 4;
    drop_bytes(r, n);
}

/* memcpy for the short pieces seg text comes in, without a call: two
 * overlapping fixed-size copies */
static inline void copy_short(char *d, const char *s, size_t n)
{
    if (n > 32) {
        memcpy(d, s, n);
    } else if (n >= 16) {
        memcpy(d, s, 16);
        memcpy(d + n - 16, s + n - 16, 16);
    } else if (n >= 8) {
        memcpy(d, s, 8);
        memcpy(d + n - 8, s + n - 8, 8);
    } else if (n >= 4) {
        memcpy(d, s, 4);
        memcpy(d + n - 4, s + n - 4, 4);
    } else if (n) {
        d[0] = s[0];
        d[n >> 1] = s[n >> 1];
        d[n - 1] = s[n - 1];
    }
}

/* on_seg_text_direct when the arena must grow or may pass the limit */
static __attribute__((noinline)) void seg_text_grow(tmk_tmx_reader *r, const char *s, size_t n)
{
    if (r->ar.len + n + 1 > r->ar.cap && tmk_buf_grow(&r->ar, n) < 0) {
        stop(r, TMK_ENOMEM, "out of memory");
        return;
    }
    memcpy(r->ar.data + r->ar.len, s, n);
    r->ar.len += n;
    if (r->ar.len + r->dropped > r->max_tu_bytes)
        stop_too_big(r);
}

/* text of native codes in direct mode: not kept in the text, counted; on
 * the lean path kept in segx for the seg's markup identity (tmk__markup_hash) */
static __attribute__((noinline)) void code_text_direct(tmk_tmx_reader *r, const char *s,
                                                       size_t n)
{
    if (r->stop_code)
        return;
    if (r->lean && tmk_buf_add(&r->segx, s, n) < 0) {
        stop(r, TMK_ENOMEM, "out of memory");
        return;
    }
    drop_bytes(r, n);
}

/* Seg text in direct mode (STRIP, no checks): straight into the arena. */
void XMLCALL tmk__tmx_on_seg_text_direct(void *ud, const XML_Char *s, int len)
{
    tmk_tmx_reader *r = ud;
    if (r->stop_code | r->code_depth) {
        code_text_direct(r, s, (size_t)len);
        return;
    }
    size_t n = (size_t)len, at = r->ar.len;
    if (at + n + 1 > r->ar.cap || at + n + r->dropped > r->max_tu_bytes) {
        seg_text_grow(r, s, n);
        return;
    }
    copy_short(r->ar.data + at, s, n); /* the NUL comes at </seg> */
    r->ar.len = at + n;
}
