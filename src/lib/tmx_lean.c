/* tmx_lean.c -- the lean path of the TMX reader: TEXT_ONLY without checks
 * (what stats uses).  Inside a unit these handlers keep only the tuv
 * languages, the unit's srclang and the plain seg text, with the limits of
 * the full path; outside one they hand every element to the full handlers
 * the reader gave them (r->full_start, r->full_end).  Uses tmx_unit.c; calls
 * nothing in tmx_read.c. */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "tmx_int.h"

/* end_tu for the lean handlers: no props, notes, tuv attributes or tuid.
 * The public tuvs are zeroed once, then only lang and seg are set; the
 * public unit (lean_pub) keeps its other fields zero. */
static __attribute__((noinline)) int lean_public(tmk_tmx_reader *r)
{
    size_t nt = r->tuvs.n;
    if (nt > r->lean_zeroed) {
        size_t want = nt < 8 ? 8 : nt;
        if (r->ptuvs.cap < want) {
            void *nv = realloc(r->ptuvs.v, want * sizeof *r->ptuvs.v);
            if (!nv)
                return TMK_ENOMEM;
            r->ptuvs.v = nv;
            r->ptuvs.cap = want;
        }
        memset(r->ptuvs.v, 0, r->ptuvs.cap * sizeof *r->ptuvs.v);
        r->lean_zeroed = r->ptuvs.cap;
    }
    if ((r->pattrs.cap < r->tu_attrs.n || !r->pattrs.cap) &&
        build_public(r, 0, 0, r->tu_attrs.n, 0) < 0)
        return TMK_ENOMEM;
    return TMK_OK;
}

static __attribute__((noinline)) void end_tu_lean(tmk_tmx_reader *r)
{
    if (r->on_tu && !r->stop_code) {
        size_t nt = r->tuvs.n, na = r->tu_attrs.n;
        if ((nt > r->lean_zeroed || !r->pattrs.cap || na > r->pattrs.cap) && lean_public(r) < 0) {
            stop(r, TMK_ENOMEM, "out of memory");
            return;
        }
        tmk_tmx_tu *tu = &r->lean_pub;
        r->pattrs.n = 0;
        tu->attrs = r->pattrs.v;
        tu->nattrs = na;
        if (na)
            pub_attrs(r, r->tu_attrs.v, na, &tu->attrs);
        tmk_tmx_tuv *pv = r->ptuvs.v;
        const rtuv *t = r->tuvs.v;
        char *base = r->ar.data;
        for (size_t i = 0; i < nt; i++) {
            pv[i].lang = t[i].lang == NOSTR ? NULL : base + t[i].lang;
            pv[i].seg = t[i].has_seg ? base + t[i].seg : empty_seg;
            pv[i].seg_len = t[i].seg_len; /* 0 without a seg */
        }
        tu->tuvs = pv;
        tu->ntuvs = nt;
        int rc = r->on_tu(r->ud, tu);
        if (rc)
            stop_by_callback(r, rc);
    }
    /* reset_tu for what the lean handlers fill */
    r->ar.len = 0;
    if (r->ar.cap)
        r->ar.data[0] = '\0';
    r->tuvs.n = 0;
    r->tu_attrs.n = 0;
    r->tu_srclang = NOSTR;
    r->dropped = 0;
}


/* Lean handlers (TEXT_ONLY, no checks): installed for the whole document.
 * Outside a unit they give every element but a unit's <tu> to on_start and
 * on_end; inside one they keep only what counting needs (tuv languages,
 * plain seg text) with the same limits. */
static __attribute__((noinline)) void lean_stop(tmk_tmx_reader *r, int too_deep)
{
    if (too_deep)
        stop(r, TMK_ELIMIT, "elements are nested deeper than %u levels; this is not a "
                            "usable TMX file", r->max_depth);
    else
        stop(r, TMK_ELIMIT, "one translation unit holds more than %zu MiB; this is not "
                            "a usable TMX file (no CAT tool takes such segments)",
             r->max_tu_bytes >> 20);
}

/* lean_tu's attributes: only srclang is kept */
static __attribute__((noinline)) void lean_tu_attrs(tmk_tmx_reader *r, const XML_Char **atts)
{
    int rc = TMK_OK;
    for (const XML_Char **a = atts; *a; a += 2) {
        if (strcmp(a[0], "srclang"))
            continue;
        rattr ra = {ar_adds(r, a[0]), ar_adds(r, a[1])};
        r->tu_srclang = ra.value;
        VEC_PUSH(r->tu_attrs, ra, rc);
    }
    if (rc < 0)
        stop(r, TMK_ENOMEM, "out of memory");
}

/* lean_tu's position (if asked for) and attributes */
static __attribute__((noinline)) void lean_tu_more(tmk_tmx_reader *r, const XML_Char **atts)
{
    if (r->flags & TMK_TMX_READ_POSITIONS) {
        r->tu_line = cur_line(r);
        r->tu_col = cur_col(r);
    }
    if (*atts)
        lean_tu_attrs(r, atts);
}

/* <tu> starts a unit: on_start's E_TU case for TEXT_ONLY (only srclang kept) */
static inline void lean_tu(tmk_tmx_reader *r, const XML_Char **atts)
{
    r->stack[r->depth++] = (frame){E_TU, 0}; /* as on_start (lean_end goes by depth) */
    r->in_tu = (int)r->depth;
    r->ar.len = 0; /* end_tu_lean's reset, for the first unit */
    if (r->ar.cap)
        r->ar.data[0] = '\0';
    r->tuvs.n = 0;
    r->tu_attrs.n = 0;
    r->tu_srclang = NOSTR;
    r->tuid = NOSTR;
    r->dropped = 0;
    r->unit_markup = 0;
    if ((r->flags & TMK_TMX_READ_POSITIONS) || *atts)
        lean_tu_more(r, atts);
}

/* lean_tuv's rare paths, as tail calls: the tuvs grown, then the tuv
 * pushed; a code that does not fit the arena copied after growing it */
static __attribute__((noinline)) void lean_lang_long(tmk_tmx_reader *r, const char *l)
{
    size_t k = strlen(l);
    if (tmk_buf_grow(&r->ar, k + 1) < 0) {
        stop(r, TMK_ENOMEM, "out of memory");
        return;
    }
    memcpy(r->ar.data + r->ar.len, l, k + 1);
    r->lean_tuv->lang = r->ar.len;
    r->ar.len += k + 1;
    r->ar.data[r->ar.len] = '\0';
}

static void lean_tuv_push(tmk_tmx_reader *r, const char *l);

static __attribute__((noinline)) void lean_tuv_grow(tmk_tmx_reader *r, const char *l)
{
    size_t nc = r->tuvs.cap ? r->tuvs.cap * 2 : 8;
    rtuv *nv = realloc(r->tuvs.v, nc * sizeof *nv);
    if (!nv) {
        stop(r, TMK_ENOMEM, "out of memory");
        return;
    }
    r->tuvs.v = nv;
    r->tuvs.cap = nc;
    lean_tuv_push(r, l);
}

/* the tuv pushed (only the fields the lean handlers and end_tu_lean use),
 * with its language l (or none) in the arena */
static inline void lean_tuv_push(tmk_tmx_reader *r, const char *l)
{
    if (r->tuvs.n == r->tuvs.cap) {
        lean_tuv_grow(r, l);
        return;
    }
    rtuv *t = r->lean_tuv = &r->tuvs.v[r->tuvs.n++];
    t->seg = t->seg_len = 0;
    t->has_seg = 0;
    t->mhash = 0;
    t->lang = NOSTR;
    if (!l)
        return;
    /* copied while it fits (codes are short), else grown and copied again */
    size_t len = r->ar.len, room = r->ar.cap > len + 1 ? r->ar.cap - len - 1 : 0, k = 0;
    char *d = r->ar.data + len;
    while (k < room && (d[k] = l[k]) != '\0')
        k++;
    if (k == room) {
        lean_lang_long(r, l);
        return;
    }
    t->lang = len;
    r->ar.len = len + k + 1;
    d[k + 1] = '\0';
}

/* <tuv> of the unit: its language into the arena */
static __attribute__((noinline)) void lean_tuv(tmk_tmx_reader *r, const XML_Char **atts)
{
    if (r->ar.len + r->dropped > r->max_tu_bytes) {
        lean_stop(r, 0);
        return;
    }
    r->in_tuv = (int)r->depth; /* lean_start counted it */
    const char *l = NULL;
    for (const XML_Char **a = atts; *a; a += 2) {
        const char *n = a[0]; /* "xml:lang" (1.4) or "lang" (1.1), no strcmp call */
        /* a non-namespace expat parser gives an attribute's name from its
         * table of attribute names, kept for the parser's life: the same
         * pointer each time, so a pointer once matched needs no compare */
        if (n == r->xml_lang) {
            l = a[1];
            break;
        }
        if (n[0] == 'x' && n[1] == 'm' && n[2] == 'l' && n[3] == ':' && n[4] == 'l' &&
            n[5] == 'a' && n[6] == 'n' && n[7] == 'g' && !n[8]) {
            r->xml_lang = n;
            l = a[1];
            break;
        }
        if (!l && n[0] == 'l' && n[1] == 'a' && n[2] == 'n' && n[3] == 'g' && !n[4])
            l = a[1];
    }
    lean_tuv_push(r, l);
}

/* A tag inside the seg, for the unit identity (tmk__markup_event): its
 * place in the plain text and its name into segx. */
static void lean_tag(tmk_tmx_reader *r, int end, const XML_Char *name)
{
    size_t at = r->ar.len - r->lean_tuv->seg;
    if (tmk__markup_event(&r->segx, end, name, strlen(name), at) < 0)
        stop(r, TMK_ENOMEM, "out of memory");
}

/* an element inside the seg: a frame, and native codes counted */
static __attribute__((noinline)) void lean_inline(tmk_tmx_reader *r, const XML_Char *name,
                                                  unsigned d, const XML_Char **atts)
{
    enum el e = el_of(name);
    r->stack[d] = (frame){(unsigned char)e, 0};
    if (is_code(e))
        r->code_depth++;
    lean_tag(r, 0, name);
    drop_attrs(r, atts);
}

/* </seg> of a seg that had inline markup: its hash */
static __attribute__((noinline)) void lean_seg_markup(tmk_tmx_reader *r, rtuv *t)
{
    t->mhash = tmk__markup_hash(r->segx.data, r->segx.len);
    r->unit_markup = 1;
    tmk_buf_reset(&r->segx);
}

/* (every call below is the last thing done: no registers to save) */
void XMLCALL tmk__tmx_lean_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    tmk_tmx_reader *r = ud;
    unsigned d = r->depth;
    if (!r->in_tu) {
        /* a unit starts where on_start would start one */
        if (name[0] == 't' && name[1] == 'u' && !name[2] && !r->in_header && d &&
            d < r->max_depth && !r->stop_code && unit_bytes(r) <= r->max_tu_bytes)
            lean_tu(r, atts);
        else
            r->full_start(ud, name, atts);
        return;
    }
    if (r->stop_code)
        return;
    if (d >= r->max_depth) {
        lean_stop(r, 1);
        return;
    }
    r->depth = d + 1;
    if (r->in_seg) {
        lean_inline(r, name, d, atts);
        return;
    }
    /* the names met in every unit, without a call */
    if (name[0] == 's' && name[1] == 'e' && name[2] == 'g' && !name[3]) {
        if (r->in_tuv && d == (unsigned)r->in_tuv && !r->lean_tuv->has_seg) {
            r->in_seg = (int)d + 1;
            r->code_depth = 0;
            r->lean_tuv->seg = r->ar.len;
            r->segx.len = 0;
            XML_SetCharacterDataHandler(r->p, on_seg_text_direct);
        }
    } else if (name[0] == 't' && name[1] == 'u' && name[2] == 'v' && !name[3]) {
        if (!r->in_tuv && d == (unsigned)r->in_tu)
            lean_tuv(r, atts);
    }
}

/* </seg> when the arena must grow for the seg's NUL and padding */
static __attribute__((noinline)) void lean_seg_grow(tmk_tmx_reader *r)
{
    XML_SetCharacterDataHandler(r->p, NULL);
    if (tmk_buf_grow(&r->ar, TMK_TMX_SEG_PAD) < 0) {
        stop(r, TMK_ENOMEM, "out of memory");
        return;
    }
    r->ar.data[r->ar.len++] = '\0'; /* the seg's NUL */
    r->ar.data[r->ar.len] = '\0';
}

void XMLCALL tmk__tmx_lean_end(void *ud, const XML_Char *name)
{
    tmk_tmx_reader *r = ud;
    if (!r->in_tu) {
        r->full_end(ud, name);
        return;
    }
    if (r->stop_code)
        return;
    int d = (int)--r->depth;
    if (r->in_seg) {
        if (d >= r->in_seg) {
            if (is_code((enum el)r->stack[d].el))
                r->code_depth--;
            lean_tag(r, 1, name);
            return;
        }
        r->in_seg = 0;
        rtuv *t = r->lean_tuv;
        t->has_seg = 1;
        t->seg_len = r->ar.len - t->seg;
        if (r->segx.len)
            lean_seg_markup(r, t);
        /* the NUL and TMK_TMX_SEG_PAD readable bytes from it on */
        if (r->ar.len + TMK_TMX_SEG_PAD + 1 > r->ar.cap) {
            lean_seg_grow(r);
            return;
        }
        r->ar.data[r->ar.len++] = '\0'; /* the seg's NUL */
        r->ar.data[r->ar.len] = '\0';
        XML_SetCharacterDataHandler(r->p, NULL); /* (the last call: see lean_start) */
        return;
    }
    if (d + 1 == r->in_tuv) {
        r->in_tuv = 0;
    } else if (d + 1 == r->in_tu) {
        r->in_tu = 0;
        end_tu_lean(r);
    }
}

uint64_t tmk__tmx_reader_tuv_mhash(const tmk_tmx_reader *r, size_t i)
{
    return r->lean && r->unit_markup && i < r->tuvs.n ? r->tuvs.v[i].mhash : 0;
}
