/* tmx_read.c -- the streaming TMX reader (expat): set-up, feeding (plain,
 * or unpacked by tmx_unpack.c), the element handlers and the lean path
 * (TEXT_ONLY without checks, the one stats uses).  The validation rules
 * are in tmx_rules.c, which this file calls (tmx_int.h: the shared state).
 *
 * One <tu> is built at a time: every string of the unit goes into one
 * arena buffer (offsets, not pointers, because the arena moves when it
 * grows); at </tu> the public tmk_tmx_tu is assembled from the offsets, given
 * to the callback and everything is reset.  Memory is O(largest unit).
 */
#include <config.h>
#include <ctype.h>
#include <errno.h>
#include <expat.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "tmkit/tmx.h"
#include "tmx_int.h"




/* ---- small helpers -------------------------------------------------------- */

/* Inline markup is kept as XML text: CR stays a character reference, and in
 * attribute values so do quotes, TAB and LF. */
static int add_xml_escaped(tmk_buf *b, const char *s, size_t len, int in_attr)
{
    return tmk_buf_add_xml_ex(b, s, len,
                              TMK_XML_CR | (in_attr ? TMK_XML_DQUOTE | TMK_XML_WS : 0));
}

const char *tmk_tmx_attr_get(const tmk_tmx_attr *a, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (a[i].name && !strcmp(a[i].name, name))
            return a[i].value;
    return NULL;
}

/* ---- building the unit ------------------------------------------------------- */

static void end_tu(tmk_tmx_reader *r)
{
    check_tu(r);
    if (r->on_tu && !r->stop_code) {
        if (build_public(r, r->tu_props.n + r->tuv_props.n, r->tu_notes.n + r->tuv_notes.n,
                         r->tu_attrs.n + r->tuv_attrs.n, r->tuvs.n) < 0) {
            stop(r, TMK_ENOMEM, "out of memory");
            return;
        }
        tmk_tmx_tu tu;
        memset(&tu, 0, sizeof tu);
        tu.tuid = ar_str(r, r->tuid);
        pub_attrs(r, r->tu_attrs.v, r->tu_attrs.n, &tu.attrs);
        tu.nattrs = r->tu_attrs.n;
        pub_props(r, r->tu_props.v, r->tu_props.n, &tu.props);
        tu.nprops = r->tu_props.n;
        pub_notes(r, r->tu_notes.v, r->tu_notes.n, &tu.notes);
        tu.nnotes = r->tu_notes.n;
        tu.order = r->tu_order.len ? r->tu_order.data : NULL;
        for (size_t i = 0; i < r->tuvs.n; i++) {
            const rtuv *t = &r->tuvs.v[i];
            tmk_tmx_tuv *v = &r->ptuvs.v[r->ptuvs.n++];
            memset(v, 0, sizeof *v);
            v->lang = ar_str(r, t->lang);
            v->seg = t->has_seg ? ar_str(r, t->seg) : empty_seg;
            v->seg_len = t->has_seg ? t->seg_len : 0;
            v->markup = t->markup;
            pub_props(r, t->np ? r->tuv_props.v + t->p0 : NULL, t->np, &v->props);
            v->nprops = t->np;
            pub_notes(r, t->nn ? r->tuv_notes.v + t->n0 : NULL, t->nn, &v->notes);
            v->nnotes = t->nn;
            pub_attrs(r, t->na ? r->tuv_attrs.v + t->a0 : NULL, t->na, &v->attrs);
            v->nattrs = t->na;
            v->order = t->np + t->nn ? r->tuv_order.data + t->o0 : NULL;
        }
        tu.tuvs = r->ptuvs.v;
        tu.ntuvs = r->ptuvs.n;
        int rc = r->on_tu(r->ud, &tu);
        if (rc)
            stop_by_callback(r, rc);
    }
    reset_tu(r);
}

static void end_header(tmk_tmx_reader *r)
{
    if (r->on_header && !r->stop_code) {
        if (build_public(r, r->tu_props.n, r->tu_notes.n, r->tu_attrs.n, 0) < 0) {
            stop(r, TMK_ENOMEM, "out of memory");
            return;
        }
        tmk_tmx_header h;
        memset(&h, 0, sizeof h);
        pub_attrs(r, r->tu_attrs.v, r->tu_attrs.n, &h.attrs);
        h.nattrs = r->tu_attrs.n;
        pub_props(r, r->tu_props.v, r->tu_props.n, &h.props);
        h.nprops = r->tu_props.n;
        pub_notes(r, r->tu_notes.v, r->tu_notes.n, &h.notes);
        h.nnotes = r->tu_notes.n;
        h.order = r->tu_order.len ? r->tu_order.data : NULL;
        h.ude_xml = r->ude.len ? r->ude.data : NULL;
        h.ude_len = r->ude.len;
        h.srclang = tmk_tmx_attr_get(h.attrs, h.nattrs, "srclang");
        h.adminlang = tmk_tmx_attr_get(h.attrs, h.nattrs, "adminlang");
        h.segtype = tmk_tmx_attr_get(h.attrs, h.nattrs, "segtype");
        h.datatype = tmk_tmx_attr_get(h.attrs, h.nattrs, "datatype");
        h.o_tmf = tmk_tmx_attr_get(h.attrs, h.nattrs, "o-tmf");
        h.creationtool = tmk_tmx_attr_get(h.attrs, h.nattrs, "creationtool");
        h.creationtoolversion = tmk_tmx_attr_get(h.attrs, h.nattrs, "creationtoolversion");
        h.creationdate = -1;
        int rc = r->on_header(r->ud, &h);
        if (rc)
            stop_by_callback(r, rc);
    }
    reset_tu(r);
}

/* ---- expat handlers ------------------------------------------------------------ */

static void XMLCALL on_text(void *ud, const XML_Char *s, int len);

/* Text between elements is only looked at when checking: without a problem
 * callback, expat reports character data only inside seg, note and prop
 * (saves a callback per indentation run). */

static void text_on(tmk_tmx_reader *r, int on)
{
    if (!r->on_problem)
        XML_SetCharacterDataHandler(r->p, on ? on_text : NULL);
}

static int flush_pending(tmk_tmx_reader *r)
{
    if (r->pending_open) {
        r->pending_open = 0;
        return tmk_buf_addch(&r->segx, '>');
    }
    return TMK_OK;
}

/* an append whose failure stops the reading: rc becomes TMK_ENOMEM */
#define ADD(rc, call)                                                                  \
    do {                                                                               \
        if ((call) < 0)                                                                \
            (rc) = TMK_ENOMEM;                                                         \
    } while (0)



/* on_start inside <seg>: the element is kept as XML in segx (its '>' or
 * "/>" follows when known: pending_open). */
static void start_in_seg(tmk_tmx_reader *r, enum el e, const XML_Char *name, const XML_Char **atts)
{
    int rc = TMK_OK;
    /* inside <seg>: keep the markup as XML */
    if (r->segx.len == 0 && !r->pending_open && r->segp.len)
        ADD(rc, add_xml_escaped(&r->segx, r->segp.data, r->segp.len, 0));
    r->tuvs.v[r->tuvs.n - 1].markup = 1;
    ADD(rc, flush_pending(r));
    ADD(rc, tmk_buf_addch(&r->segx, '<'));
    ADD(rc, tmk_buf_adds(&r->segx, name));
    for (const XML_Char **a = atts; *a; a += 2) {
        ADD(rc, tmk_buf_addch(&r->segx, ' '));
        ADD(rc, tmk_buf_adds(&r->segx, a[0]));
        ADD(rc, tmk_buf_adds(&r->segx, "=\""));
        ADD(rc, add_xml_escaped(&r->segx, a[1], strlen(a[1]), 1));
        ADD(rc, tmk_buf_addch(&r->segx, '"'));
    }
    r->pending_open = 1;
    if (is_code(e))
        r->code_depth++;
    if (r->on_problem && check_inline(r, e, atts) < 0)
        rc = TMK_ENOMEM;
    if (rc < 0)
        stop(r, TMK_ENOMEM, "out of memory");
}

/* on_start: <header> (at depth 2): its attributes, kept for the header callback. */
static int start_header(tmk_tmx_reader *r, const XML_Char **atts)
{
    int rc = TMK_OK;
    if (r->depth != 2)
        return rc;
    r->in_header = (int)r->depth;
    reset_tu(r);
    tmk_buf_reset(&r->ude);
    for (const XML_Char **a = atts; *a; a += 2) {
        rattr ra = {ar_adds(r, a[0]), ar_adds(r, a[1])};
        VEC_PUSH(r->tu_attrs, ra, rc);
    }
    free(r->srclang);
    r->srclang = tmk__strdup(attr(atts, "srclang"));
    if (!r->srclang && attr(atts, "srclang"))
        rc = TMK_ENOMEM;
    return rc;
}

/* on_start: <tu>: a new unit, its attributes (TEXT_ONLY: srclang only). */
static int start_tu(tmk_tmx_reader *r, const XML_Char **atts, int text_only)
{
    int rc = TMK_OK;
    if (r->in_tu || r->in_header)
        return rc;
    r->in_tu = (int)r->depth;
    reset_tu(r);
    /* positions cost expat a second look at every byte: only when used */
    if (r->on_problem || (r->flags & TMK_TMX_READ_POSITIONS)) {
        r->tu_line = cur_line(r);
        r->tu_col = cur_col(r);
    }
    for (const XML_Char **a = atts; *a; a += 2) {
        if (text_only && strcmp(a[0], "srclang"))
            continue;
        if (!strcmp(a[0], "tuid")) {
            r->tuid = ar_adds(r, a[1]);
            continue;
        }
        rattr ra = {ar_adds(r, a[0]), ar_adds(r, a[1])};
        if (!strcmp(a[0], "srclang"))
            r->tu_srclang = ra.value;
        VEC_PUSH(r->tu_attrs, ra, rc);
    }
    return rc;
}

/* on_start: <tuv> of the current unit: its language and attributes. */
static int start_tuv(tmk_tmx_reader *r, const XML_Char **atts, int text_only)
{
    int rc = TMK_OK;
    if (!r->in_tu || r->in_tuv || r->depth != (unsigned)r->in_tu + 1)
        return rc;
    r->in_tuv = (int)r->depth;
    rtuv t;
    memset(&t, 0, sizeof t);
    const char *l = attr(atts, "xml:lang");
    if (!l)
        l = attr(atts, "lang");
    t.lang = ar_adds(r, l);
    t.xsig = NOSTR;
    t.p0 = r->tuv_props.n;
    t.n0 = r->tuv_notes.n;
    t.a0 = r->tuv_attrs.n;
    t.o0 = r->tuv_order.len;
    if (r->on_problem) {
        t.line = cur_line(r);
        t.col = cur_col(r);
    }
    for (const XML_Char **a = atts; *a && !text_only; a += 2) {
        if (!strcmp(a[0], "xml:lang") || !strcmp(a[0], "lang"))
            continue;
        rattr ra = {ar_adds(r, a[0]), ar_adds(r, a[1])};
        VEC_PUSH(r->tuv_attrs, ra, rc);
        t.na++;
    }
    VEC_PUSH(r->tuvs, t, rc);
    r->xs.n = 0;
    return rc;
}

/* on_start: <seg>: its text is collected (direct mode: straight into the arena). */
static int start_seg(tmk_tmx_reader *r)
{
    int rc = TMK_OK;
    if (!r->in_tuv || r->depth != (unsigned)r->in_tuv + 1 ||
        r->tuvs.v[r->tuvs.n - 1].has_seg)
        return rc;
    r->in_seg = (int)r->depth;
    if (r->direct) {
        /* the text is appended to ar as it comes, NUL at </seg> */
        r->tuvs.v[r->tuvs.n - 1].seg = r->ar.len;
        XML_SetCharacterDataHandler(r->p, on_seg_text_direct);
    } else {
        text_on(r, 1);
    }
    r->code_depth = 0;
    r->pending_open = 0;
    tmk_buf_reset(&r->segp);
    tmk_buf_reset(&r->segx);
    r->bpts.n = 0;
    r->bused = 0;
    if (++r->bgen == 0) { /* all slots free again */
        if (r->bcap)
            memset(r->bslots, 0, r->bcap * sizeof *r->bslots);
        r->bgen = 1;
    }
    return rc;
}

/* on_start: <ude> in the header and its <map>: kept as XML. */
static int start_ude_map(tmk_tmx_reader *r, enum el e, const XML_Char *name, const XML_Char **atts)
{
    int rc = TMK_OK;
    /* kept as XML: <ude> in the header, <map> in such a <ude> */
    if (!r->in_header || r->depth != (unsigned)r->in_header + (e == E_UDE ? 1 : 2) ||
        (e == E_MAP && r->stack[r->depth - 2].el != E_UDE))
        return rc;
    r->stack[r->depth - 1].state |= 2; /* kept: the end tag is written */
    if (r->ude.len > r->max_tu_bytes) {
        stop(r, TMK_ELIMIT, "the header's <ude> elements hold more than %zu MiB",
             r->max_tu_bytes >> 20);
        return rc;
    }
    ADD(rc, tmk_buf_addch(&r->ude, '<'));
    ADD(rc, tmk_buf_adds(&r->ude, name));
    for (const XML_Char **a = atts; *a; a += 2) {
        ADD(rc, tmk_buf_addch(&r->ude, ' '));
        ADD(rc, tmk_buf_adds(&r->ude, a[0]));
        ADD(rc, tmk_buf_adds(&r->ude, "=\""));
        ADD(rc, add_xml_escaped(&r->ude, a[1], strlen(a[1]), 1));
        ADD(rc, tmk_buf_addch(&r->ude, '"'));
    }
    ADD(rc, tmk_buf_adds(&r->ude, e == E_MAP ? "/>" : ">"));
    return rc;
}

/* on_start: <note>, <prop>: their text is collected; attributes kept in tmp. */
static int start_note_prop(tmk_tmx_reader *r, const XML_Char **atts, int text_only)
{
    int rc = TMK_OK;
    if ((!r->in_header && !r->in_tu) || (text_only && !r->in_header))
        return rc;
    r->collect = 1;
    text_on(r, 1);
    tmk_buf_reset(&r->txt);
    tmk_buf_reset(&r->npattr);
    /* remember attributes in npattr as "type\0lang\0o-encoding" (not in tmp,
     * which an element inside the note, checked, overwrites) */
    {
        const char *l = attr(atts, "xml:lang");
        if (!l)
            l = attr(atts, "lang");
        const char *t = attr(atts, "type");
        const char *enc = attr(atts, "o-encoding");
        r->stack[r->depth - 1].state =
            (unsigned char)((t ? 1 : 0) | (l ? 2 : 0) | (enc ? 4 : 0));
        ADD(rc, tmk_buf_adds(&r->npattr, t ? t : ""));
        ADD(rc, tmk_buf_addch(&r->npattr, '\0'));
        ADD(rc, tmk_buf_adds(&r->npattr, l ? l : ""));
        ADD(rc, tmk_buf_addch(&r->npattr, '\0'));
        ADD(rc, tmk_buf_adds(&r->npattr, enc ? enc : ""));
    }
    return rc;
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    tmk_tmx_reader *r = ud;
    if (r->stop_code)
        return;
    enum el e = el_of(name);
    frame *parent = r->depth ? &r->stack[r->depth - 1] : NULL;
    if (r->depth == 0 && e != E_TMX) {
        stop(r, TMK_ESYNTAX, "not a TMX file: the root element is <%s>, not <tmx>", name);
        return;
    }
    if (r->depth >= r->max_depth) {
        stop(r, TMK_ELIMIT, "elements are nested deeper than %u levels; this is not a "
                            "usable TMX file", r->max_depth);
        return;
    }
    if (unit_bytes(r) > r->max_tu_bytes) {
        stop(r, TMK_ELIMIT, "one translation unit holds more than %zu MiB; this is not a "
                            "usable TMX file (no CAT tool takes such segments)", r->max_tu_bytes >> 20);
        return;
    }
    if (e == E_TMX && r->depth == 0) {
        const char *v = attr(atts, "version");
        snprintf(r->version, sizeof r->version, "%s", v ? v : "");
    }
    if (r->on_problem) {
        tmk_buf_reset(&r->tmp);
        if (tmk_buf_adds(&r->tmp, name) < 0) {
            stop(r, TMK_ENOMEM, "out of memory");
            return;
        }
        check_child(r, parent, e);
        if (e != E_UNKNOWN)
            check_attrs(r, e, atts);
    }
    r->stack[r->depth++] = (frame){(unsigned char)e, 0};
    int rc = TMK_OK;
    int text_only = (r->flags & TMK_TMX_READ_TEXT_ONLY) && !r->on_problem;

    if (r->in_seg && (r->flags & TMK_TMX_READ_STRIP) && !r->on_problem) {
        if (is_code(e))
            r->code_depth++;
        drop_attrs(r, atts);
        return;
    }
    if (r->in_seg) {
        start_in_seg(r, e, name, atts);
        return;
    }

    switch (e) {
    case E_HEADER:
        rc = start_header(r, atts);
        break;
    case E_TU:
        rc = start_tu(r, atts, text_only);
        break;
    case E_TUV:
        rc = start_tuv(r, atts, text_only);
        break;
    case E_SEG:
        rc = start_seg(r);
        break;
    case E_UDE:
    case E_MAP:
        rc = start_ude_map(r, e, name, atts);
        break;
    case E_NOTE:
    case E_PROP:
        rc = start_note_prop(r, atts, text_only);
        break;
    default: break;
    }
    if (rc < 0)
        stop(r, TMK_ENOMEM, "out of memory");
}

static int cmp_xuse(const void *a, const void *b)
{
    const xuse *x = a, *y = b;
    if (x->el != y->el)
        return x->el < y->el ? -1 : 1;
    return x->x < y->x ? -1 : x->x > y->x;
}

/* on_end inside <seg>: an inline element ends (written "/>" when empty). */
static void end_in_seg(tmk_tmx_reader *r, enum el e, const XML_Char *name)
{
    int rc = TMK_OK;
    /* an inline element ends */
    if (r->pending_open) {
        ADD(rc, tmk_buf_adds(&r->segx, "/>"));
        r->pending_open = 0;
    } else {
        ADD(rc, tmk_buf_adds(&r->segx, "</"));
        ADD(rc, tmk_buf_adds(&r->segx, name));
        ADD(rc, tmk_buf_addch(&r->segx, '>'));
    }
    if (is_code(e))
        r->code_depth--;
    if (rc < 0)
        stop(r, TMK_ENOMEM, "out of memory");
}

/* </seg>: the tuv's seg (plain text or markup) into the arena; in checks,
 * the <bpt> left without their <ept>. */
static void end_seg(tmk_tmx_reader *r)
{
    r->in_seg = 0;
    text_on(r, 0);
    rtuv *t = &r->tuvs.v[r->tuvs.n - 1];
    t->has_seg = 1;
    int strip = (r->flags & TMK_TMX_READ_STRIP) != 0;
    if (r->direct) {
        t->seg_len = r->ar.len - t->seg;
        if (tmk_buf_addch(&r->ar, '\0') < 0)
            stop(r, TMK_ENOMEM, "out of memory");
    } else if (t->markup && !strip) {
        t->seg = ar_add(r, r->segx.data, r->segx.len);
        t->seg_len = r->segx.len;
    } else {
        t->seg = ar_add(r, r->segp.data, r->segp.len);
        t->seg_len = r->segp.len;
        t->markup = 0;
    }
    /* TEXT_ONLY: padding after the seg (see TMK_TMX_SEG_PAD) */
    if ((r->flags & TMK_TMX_READ_TEXT_ONLY) && tmk_buf_grow(&r->ar, TMK_TMX_SEG_PAD) < 0)
        stop(r, TMK_ENOMEM, "out of memory");
    if (r->on_problem) {
        /* in document order (an <ept> took its <bpt> out by a swap) */
        for (size_t k = 0; k < r->bpts.n; k++)
            if (!r->bpts.v[k].closed)
                problem_at(r, TMK_TMXP_UNMATCHED_BPT, r->bpts.v[k].line, r->bpts.v[k].col,
                           "<bpt i=\"%ld\"> has no matching <ept> in this <seg>",
                           r->bpts.v[k].i);
    }
}

/* </tuv>: its props and notes counted; in checks, x on its inline codes
 * (each once per element kind; the set kept to compare the tuvs at </tu>). */
static int end_tuv(tmk_tmx_reader *r)
{
    int rc = TMK_OK;
    r->in_tuv = 0;
    rtuv *t = &r->tuvs.v[r->tuvs.n - 1];
    t->np = r->tuv_props.n - t->p0;
    t->nn = r->tuv_notes.n - t->n0;
    if (r->on_problem && r->xs.n) {
        qsort(r->xs.v, r->xs.n, sizeof *r->xs.v, cmp_xuse);
        tmk_buf_reset(&r->tmp);
        for (size_t k = 0; k < r->xs.n; k++) {
            if (k && !cmp_xuse(&r->xs.v[k], &r->xs.v[k - 1]))
                problem(r, TMK_TMXP_DUPLICATE_X, "two <%s> in this <tuv> have x=\"%ld\"",
                        el_names[r->xs.v[k].el], r->xs.v[k].x);
            ADD(rc, tmk_buf_printf(&r->tmp, "%d:%ld ", r->xs.v[k].el, r->xs.v[k].x));
        }
        t->uses_x = 1;
        t->xsig = ar_add(r, r->tmp.data, r->tmp.len);
    }
    return rc;
}

/* </note>, </prop>: the text and attributes collected into the unit (or
 * the header), in document order. */
static int end_note_prop(tmk_tmx_reader *r, enum el e, unsigned state)
{
    int rc = TMK_OK;
    r->collect = 0;
    text_on(r, 0);
    int in_tuv = r->in_tuv;
    const char *type = r->npattr.data;
    const char *lang = type + strlen(type) + 1;
    const char *enc = lang + strlen(lang) + 1;
    size_t lang_off = (state & 2) ? ar_adds(r, lang) : NOSTR;
    size_t enc_off = (state & 4) ? ar_adds(r, enc) : NOSTR;
    if (rc == TMK_OK && tmk_buf_addch(in_tuv ? &r->tuv_order : &r->tu_order,
                                      e == E_NOTE ? 'n' : 'p') < 0)
        rc = TMK_ENOMEM;
    if (rc < 0) {
    } else if (e == E_NOTE) {
        rnote n = {ar_add(r, r->txt.data, r->txt.len), lang_off, enc_off};
        if (in_tuv) VEC_PUSH(r->tuv_notes, n, rc);
        else VEC_PUSH(r->tu_notes, n, rc);
    } else {
        rprop p = {(state & 1) ? ar_adds(r, type) : ar_adds(r, ""),
                   ar_add(r, r->txt.data, r->txt.len), lang_off, enc_off};
        if (in_tuv) VEC_PUSH(r->tuv_props, p, rc);
        else VEC_PUSH(r->tu_props, p, rc);
    }
    return rc;
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    tmk_tmx_reader *r = ud;
    (void)name;
    if (r->stop_code || !r->depth)
        return;
    frame f = r->stack[--r->depth];
    enum el e = (enum el)f.el;
    if (r->on_problem)
        check_end(r, &f);
    int rc = TMK_OK;
    if (r->in_seg && (int)r->depth + 1 >= r->in_seg) {
        if ((int)r->depth >= r->in_seg && (r->flags & TMK_TMX_READ_STRIP) && !r->on_problem) {
            if (is_code(e))
                r->code_depth--;
            return;
        }
        if ((int)r->depth >= r->in_seg) {
            end_in_seg(r, e, name);
            return;
        }
        end_seg(r);
        return;
    }
    switch (e) {
    case E_UDE:
        if ((f.state & 2) && r->in_header)
            ADD(rc, tmk_buf_adds(&r->ude, "</ude>"));
        break;
    case E_HEADER:
        if (r->in_header && r->depth + 1 == (unsigned)r->in_header) {
            r->in_header = 0;
            end_header(r);
        }
        break;
    case E_TU:
        if (r->in_tu && r->depth + 1 == (unsigned)r->in_tu) {
            r->in_tu = 0;
            end_tu(r);
        }
        break;
    case E_TUV:
        if (r->in_tuv && r->depth + 1 == (unsigned)r->in_tuv)
            rc = end_tuv(r);
        break;
    case E_NOTE:
    case E_PROP:
        if (r->collect)
            rc = end_note_prop(r, e, f.state);
        break;
    default: break;
    }
    if (rc < 0)
        stop(r, TMK_ENOMEM, "out of memory");
}

static int element_only(enum el e)
{
    return e == E_TMX || e == E_HEADER || e == E_BODY || e == E_TU || e == E_TUV ||
           e == E_UDE || e == E_MAP;
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
    tmk_tmx_reader *r = ud;
    if (r->stop_code)
        return;
    if (r->in_seg) {
        int rc = TMK_OK;
        if (r->code_depth == 0)
            ADD(rc, tmk_buf_add(&r->segp, s, (size_t)len));
        if (r->segx.len || r->pending_open) {
            ADD(rc, flush_pending(r));
            ADD(rc, add_xml_escaped(&r->segx, s, (size_t)len, 0));
        }
        if (rc < 0)
            stop(r, TMK_ENOMEM, "out of memory");
        else if (r->segp.len + r->segx.len > r->max_tu_bytes)
            stop(r, TMK_ELIMIT, "one segment holds more than %zu MiB; this is not a usable "
                                "TMX file", r->max_tu_bytes >> 20);
        return;
    }
    if (r->collect) {
        if (tmk_buf_add(&r->txt, s, (size_t)len) < 0)
            stop(r, TMK_ENOMEM, "out of memory");
        else if (r->txt.len > r->max_tu_bytes)
            stop(r, TMK_ELIMIT, "a note or prop holds more than %zu MiB", r->max_tu_bytes >> 20);
        return;
    }
    if (r->on_problem && r->depth && element_only((enum el)r->stack[r->depth - 1].el)) {
        for (int i = 0; i < len; i++)
            if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r') {
                problem(r, TMK_TMXP_TEXT_NOT_ALLOWED, "text is not allowed directly inside <%s>",
                        el_names[r->stack[r->depth - 1].el]);
                break;
            }
    }
}

static void XMLCALL on_entity_decl(void *ud, const XML_Char *name, int is_param,
                                   const XML_Char *value, int value_len, const XML_Char *base,
                                   const XML_Char *system_id, const XML_Char *public_id,
                                   const XML_Char *notation)
{
    tmk_tmx_reader *r = ud;
    (void)is_param; (void)value; (void)value_len; (void)base; (void)system_id;
    (void)public_id; (void)notation;
    stop(r, TMK_ESYNTAX, "the document declares the entity \"%s\"; entity declarations are "
                         "refused for safety (TMX needs none)", name);
}

/* Attribute defaults declared in an internal DTD subset are added to every
 * element of that name: a 7 MB default on <tu> makes each unit 7 MB.  TMX
 * needs no such declaration: refused, as entity declarations are. */
static void XMLCALL on_attlist_decl(void *ud, const XML_Char *elname, const XML_Char *attname,
                                    const XML_Char *att_type, const XML_Char *dflt,
                                    int isrequired)
{
    tmk_tmx_reader *r = ud;
    (void)att_type; (void)dflt; (void)isrequired;
    stop(r, TMK_ESYNTAX, "the document declares the attribute %s of <%s> in its DOCTYPE; "
                         "attribute declarations are refused for safety (TMX needs none): "
                         "remove the DOCTYPE's [...] part", attname, elname);
}

/* ---- set up and feeding ----------------------------------------------------------- */

int tmk_tmx_reader_new(tmk_tmx_reader **out, const tmk_tmx_read_options *opt,
                       tmk_tmx_header_cb on_header, tmk_tmx_tu_cb on_tu,
                       tmk_tmx_problem_cb on_problem, void *ud, tmk_error *err)
{
    if (!out)
        return tmk_error_set(err, TMK_EINVAL, 0, 0, "no place for the reader");
    *out = NULL;
    tmk_tmx_read_options o = TMK_TMX_READ_OPTIONS_INIT;
    tmk__options_copy(&o, sizeof o, opt);
    tmk_tmx_reader *r = calloc(1, sizeof *r);
    if (!r || !(r->name = tmk__strdup(o.name ? o.name : "-"))) {
        free(r);
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    }
    r->flags = o.flags;
    r->max_depth = o.max_depth ? o.max_depth : 64;
    r->max_tu_bytes = o.max_tu_bytes ? o.max_tu_bytes : (size_t)8 << 20;
    r->on_header = on_header;
    r->on_tu = on_tu;
    r->on_problem = on_problem;
    r->ud = ud;
    tmk_buf_init(&r->pre);
    tmk_buf_init(&r->decoded);
    tmk_buf_init(&r->ar);
    tmk_buf_init(&r->segp);
    tmk_buf_init(&r->segx);
    tmk_buf_init(&r->txt);
    tmk_buf_init(&r->tmp);
    tmk_buf_init(&r->npattr);
    tmk_buf_init(&r->tu_order);
    tmk_buf_init(&r->tuv_order);
    tmk_buf_init(&r->ude);
    r->stack = calloc((size_t)r->max_depth + 1, sizeof *r->stack);
    if (!r->stack) {
        tmk_tmx_reader_free(r);
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    }
    reset_tu(r);
    *out = r;
    return TMK_OK;
}

unsigned long tmk_tmx_reader_tu_line(const tmk_tmx_reader *r) { return r->tu_line; }
unsigned long tmk_tmx_reader_tu_col(const tmk_tmx_reader *r) { return r->tu_col; }
const char *tmk_tmx_reader_version(const tmk_tmx_reader *r) { return r->version; }
unsigned long long tmk_tmx_reader_bytes(const tmk_tmx_reader *r) { return r->bytes; }

/* The encoding named in the XML declaration at the start of s, or "" if
 * none; *complete = 0 when more bytes are needed to know. */
static void declared_encoding(const char *s, size_t len, char *out, size_t outsz, int *complete)
{
    out[0] = '\0';
    *complete = 1;
    if (len < 5) {
        *complete = 0;
        return;
    }
    if (memcmp(s, "<?xml", 5))
        return;
    const char *end = memmem(s, len, "?>", 2);
    if (!end) {
        *complete = len >= 1024;
        return;
    }
    const char *e = memmem(s, (size_t)(end - s), "encoding", 8);
    if (!e)
        return;
    e += 8;
    while (e < end && (*e == ' ' || *e == '=' || *e == '\t' || *e == '\r' || *e == '\n'))
        e++;
    if (e >= end || (*e != '"' && *e != '\''))
        return;
    char q = *e++;
    size_t n = 0;
    while (e < end && *e != q && n + 1 < outsz)
        out[n++] = *e++;
    out[n] = '\0';
}

static int start_parser(tmk_tmx_reader *r, tmk_error *err)
{
    const char *s = r->pre.data;
    size_t len = r->pre.len;
    if (r->pack != PACK_ZIP && tmk__is_zip(s, len)) {
        r->done = 1;
        tmk_error_set(err, TMK_EFORMAT, 0, 0,
                      "this is a zip file: a memory in a zip file is read from the file by "
                      "its name, not from a stream or standard input (or unpack it: unzip "
                      "-p FILE | tmkit COMMAND -)");
        tmk_error_set_file(err, r->name);
        return TMK_EFORMAT;
    }
    /* other compressors: say so (their bytes would read as damaged XML) */
    const char *packer = NULL, *unpack = NULL;
    if (len >= 4 && !memcmp(s, "BZh", 3) && s[3] >= '1' && s[3] <= '9')
        packer = "bzip2", unpack = "bunzip2 FILE, or bzcat FILE | tmkit COMMAND -";
    else if (len >= 6 && !memcmp(s, "\xFD" "7zXZ\0", 6))
        packer = "xz", unpack = "unxz FILE, or xzcat FILE | tmkit COMMAND -";
    else if (len >= 4 && !memcmp(s, "\x28\xB5\x2F\xFD", 4))
        packer = "zstd", unpack = "unzstd FILE, or zstdcat FILE | tmkit COMMAND -";
    if (packer) {
        r->done = 1;
        tmk_error_set(err, TMK_EFORMAT, 0, 0,
                      "this memory is compressed with %s, which tmkit does not unpack: "
                      "unpack it first (%s), or compress it with gzip, which tmkit reads",
                      packer, unpack);
        tmk_error_set_file(err, r->name);
        return TMK_EFORMAT;
    }
    const char *force = NULL;
    int bom = len >= 2 && (((unsigned char)s[0] == 0xFE && (unsigned char)s[1] == 0xFF) ||
                           ((unsigned char)s[0] == 0xFF && (unsigned char)s[1] == 0xFE));
    int utf32 = len >= 4 && ((!memcmp(s, "\xFF\xFE\0\0", 4)) || !memcmp(s, "\0\0\xFE\xFF", 4));
    if (!bom || utf32) {
        char enc[64];
        int complete;
        declared_encoding(s, len, enc, sizeof enc, &complete);
        if (len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
            declared_encoding(s + 3, len - 3, enc, sizeof enc, &complete);
        if (utf32 || (enc[0] && strcasecmp(enc, "UTF-8") && strcasecmp(enc, "UTF8") &&
                      strcasecmp(enc, "UTF-16") && strcasecmp(enc, "ISO-8859-1") &&
                      strcasecmp(enc, "US-ASCII") && strcasecmp(enc, "ASCII"))) {
            tmk_decoder_new(&r->dec, utf32 ? NULL : enc, r->name, err);
            if (!r->dec) {
                if (err && err->code == TMK_EINVAL)
                    tmk_error_set(err, TMK_EENCODING, 1, 1,
                                  "the file declares the encoding \"%s\", which this system "
                                  "cannot convert; convert the file to UTF-8 first", enc);
                if (err)
                    tmk_error_set_file(err, r->name);
                r->done = 1;
                return err ? err->code : TMK_EENCODING;
            }
            tmk_decoder_set_sniff(r->dec, 0, NULL); /* XML is what we read here */
            force = "UTF-8";
        }
    }
    /* expat allocates through the same functions as the rest of the
     * library (the allocation failure tests reach it this way) */
    static const XML_Memory_Handling_Suite mem = {malloc, realloc, free};
    r->p = XML_ParserCreate_MM(force, &mem, NULL);
    if (!r->p)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    XML_SetUserData(r->p, r);
    XML_SetElementHandler(r->p, on_start, on_end);
    XML_SetCharacterDataHandler(r->p, r->on_problem ? on_text : NULL);
    XML_SetEntityDeclHandler(r->p, on_entity_decl);
    XML_SetAttlistDeclHandler(r->p, on_attlist_decl);
    XML_SetParamEntityParsing(r->p, XML_PARAM_ENTITY_PARSING_NEVER);
    XML_SetHashSalt(r->p, 0x746d6b); /* deterministic runs (fuzzing) */
#ifdef XML_DTD
    XML_SetBillionLaughsAttackProtectionMaximumAmplification(r->p, 100.0f);
#endif
    if (r->flags & TMK_TMX_READ_TEXT_ONLY)
        r->flags |= TMK_TMX_READ_STRIP;
    r->direct = (r->flags & TMK_TMX_READ_STRIP) && !r->on_problem;
    r->lean = (r->flags & TMK_TMX_READ_TEXT_ONLY) && !r->on_problem;
    if (r->lean) {
        r->full_start = on_start; /* the lean handlers hand elements outside units on */
        r->full_end = on_end;
        XML_SetElementHandler(r->p, lean_start, lean_end);
    }
    r->started = 1;
    return TMK_OK;
}

/* Positions in a compressed memory are those of the unpacked text. */
static const char *packed_note(const tmk_tmx_reader *r)
{
    return r->pack == PACK_GZIP || r->pack == PACK_ZIP
               ? " (line and column in the unpacked memory)" : "";
}

/* The code point of an HTML entity often found in memories exported from
 * HTML (XML defines only amp, lt, gt, quot, apos), or 0. */
static unsigned html_entity(const char *name, size_t n)
{
    static const struct {
        const char *name;
        unsigned cp;
    } t[] = {{"nbsp", 160},   {"shy", 173},     {"copy", 169},    {"reg", 174},
             {"trade", 8482}, {"euro", 8364},   {"ndash", 8211},  {"mdash", 8212},
             {"hellip", 8230}, {"laquo", 171},  {"raquo", 187},   {"bdquo", 8222},
             {"ldquo", 8220}, {"rdquo", 8221},  {"lsquo", 8216},  {"rsquo", 8217},
             {"sbquo", 8218}, {"bull", 8226},   {"middot", 183},  {"deg", 176},
             {"sect", 167},   {"para", 182},    {"times", 215},   {"thinsp", 8201},
             {"ensp", 8194},  {"emsp", 8195},   {"zwnj", 8204},   {"zwj", 8205},
             {"auml", 228},   {"ouml", 246},    {"uuml", 252},    {"Auml", 196},
             {"Ouml", 214},   {"Uuml", 220},    {"szlig", 223},   {"eacute", 233},
             {"egrave", 232}, {"agrave", 224},  {"aacute", 225},  {"ccedil", 231},
             {"Eacute", 201}, {"ecirc", 234},   {"iacute", 237},  {"oacute", 243},
             {"uacute", 250}, {"ntilde", 241},  {"acirc", 226},   {"ocirc", 244}};
    for (size_t i = 0; i < sizeof t / sizeof *t; i++)
        if (strlen(t[i].name) == n && !memcmp(t[i].name, name, n))
            return t[i].cp;
    return 0;
}

static int fail_from_expat(tmk_tmx_reader *r, tmk_error *err)
{
    r->done = 1;
    if (r->stop_code) {
        if (err) {
            *err = r->stop_err;
            tmk_error_set_file(err, r->name);
        }
        return r->stop_code;
    }
    enum XML_Error code = XML_GetErrorCode(r->p);
    int rc = code == XML_ERROR_NO_MEMORY ? TMK_ENOMEM : TMK_ESYNTAX;
#ifdef XML_DTD
    if (code == XML_ERROR_AMPLIFICATION_LIMIT_BREACH)
        rc = TMK_ELIMIT;
#endif
    unsigned long line = (unsigned long)XML_GetCurrentLineNumber(r->p);
    unsigned long col = (unsigned long)XML_GetCurrentColumnNumber(r->p) + 1;
    int eoff = 0, esize = 0;
    const char *ectx = code == XML_ERROR_UNDEFINED_ENTITY ? XML_GetInputContext(r->p, &eoff, &esize)
                                                          : NULL;
    size_t en = 0; /* the entity's name at ectx[eoff + 1 ..] */
    if (ectx && eoff >= 0 && eoff < esize && ectx[eoff] == '&')
        while (eoff + 1 + (int)en < esize && en < 32 && ectx[eoff + 1 + en] != ';' &&
               (isalnum((unsigned char)ectx[eoff + 1 + en]) || ectx[eoff + 1 + en] == '.' ||
                ectx[eoff + 1 + en] == '-' || ectx[eoff + 1 + en] == '_'))
            en++;
    if (rc == TMK_ENOMEM) {
        tmk_error_set(err, rc, line, col, "out of memory");
    } else if (en && eoff + 1 + (int)en < esize && ectx[eoff + 1 + en] == ';') {
        /* an undefined entity: name it and say what to write */
        const char *name = ectx + eoff + 1;
        unsigned cp = html_entity(name, en);
        if (cp)
            tmk_error_set(err, rc, line, col,
                          "the entity &%.*s; is HTML, not XML (common in memories exported "
                          "from HTML): write the character reference &#%u; instead (or the "
                          "character U+%04X itself)%s",
                          (int)en, name, cp, cp, packed_note(r));
        else
            tmk_error_set(err, rc, line, col,
                          "the entity &%.*s; is not defined (XML has only &amp; &lt; &gt; "
                          "&quot; &apos;): write the character itself or a character "
                          "reference &#NUMBER;, or &amp;%.*s; for the text \"&%.*s;\"%s",
                          (int)en, name, (int)en, name, (int)en, name, packed_note(r));
    } else if (code == XML_ERROR_INVALID_TOKEN) {
        /* say what the byte at the error is: markup or encoding */
        int off = 0, size = 0;
        const char *ctx = XML_GetInputContext(r->p, &off, &size);
        unsigned char c = ctx && off >= 0 && off < size ? (unsigned char)ctx[off] : 0;
        /* expat points at the & or <, or at the byte after it */
        unsigned char before = ctx && off > 0 && off <= size ? (unsigned char)ctx[off - 1] : 0;
        if (c != '&' && c != '<' && c < 0x80 && (before == '&' || before == '<'))
            c = before;
        /* or after a name that follows an & ("&Jerry<") */
        for (int j = off - 1; ctx && c < 0x80 && c != '&' && j >= 0 && j < size; j--) {
            unsigned char b = (unsigned char)ctx[j];
            if (b == '&')
                c = '&';
            else if (!isalnum(b) && b != '.' && b != '-' && b != '_' && b != ':' && b != '#')
                break;
        }
        const char *what;
        if (c == '&')
            what = "an & that starts no entity or character reference; a literal & is "
                   "written &amp; in XML";
        else if (c == '<')
            what = "a < that starts no tag; a literal < is written &lt; in XML";
        else if (c >= 0x80 && !r->dec)
            what = "bytes that are not UTF-8; a file that is not UTF-8 must name its "
                   "encoding in the XML declaration";
        else
            what = "a character XML does not allow here";
        tmk_error_set(err, rc, line, col, "XML error: %s (%s); the file is damaged or not TMX%s",
                      XML_ErrorString(code), what, packed_note(r));
    } else {
        tmk_error_set(err, rc, line, col, "XML error: %s; the file is damaged or not TMX%s",
                      XML_ErrorString(code), packed_note(r));
    }
    if (err)
        tmk_error_set_file(err, r->name);
    return rc;
}

static int parse(tmk_tmx_reader *r, const char *data, size_t len, int final, tmk_error *err)
{
    if (r->dec) {
        tmk_buf_reset(&r->decoded);
        int rc = len ? tmk_decoder_feed(r->dec, data, len, &r->decoded, err) : TMK_OK;
        if (rc == TMK_OK && final)
            rc = tmk_decoder_finish(r->dec, &r->decoded, err);
        if (rc < 0) {
            r->done = 1;
            if (err)
                tmk_error_set_file(err, r->name);
            return rc;
        }
        data = r->decoded.data;
        len = r->decoded.len;
    }
    while (len > 0 || final) {
        int n = len > (1u << 30) ? (1 << 30) : (int)len;
        int last = final && (size_t)n == len;
        if (XML_Parse(r->p, data, n, last) != XML_STATUS_OK)
            return fail_from_expat(r, err);
        if (last)
            break;
        data += n;
        len -= (size_t)n;
    }
    return TMK_OK;
}

/* Feed XML (unpacked) bytes. */
static int feed_xml(tmk_tmx_reader *r, const char *data, size_t len, tmk_error *err)
{
    r->bytes += len;
    if (!r->started) {
        if (tmk_buf_add(&r->pre, data, len) < 0)
            return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        char enc[64];
        int complete;
        const char *s = r->pre.data;
        size_t n = r->pre.len;
        if (n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) {
            s += 3;
            n -= 3;
        }
        declared_encoding(s, n, enc, sizeof enc, &complete);
        if (!complete)
            return TMK_OK;
        TMK_TRY(start_parser(r, err));
        int rc = parse(r, r->pre.data, r->pre.len, 0, err);
        tmk_buf_release(&r->pre);
        return rc;
    }
    return parse(r, data, len, 0, err);
}

static int sink_xml(void *ud, const char *data, size_t len, tmk_error *err)
{
    return feed_xml(ud, data, len, err);
}

/* Bytes as given: unpacked first when they are gzip. */
static int feed_packed(tmk_tmx_reader *r, const char *data, size_t len, tmk_error *err)
{
    if (r->pack != PACK_GZIP)
        return feed_xml(r, data, len, err);
    int rc = tmk__gunzip_feed(r->gz, data, len, sink_xml, r, err);
    if (rc < 0)
        r->done = 1;
    return rc;
}

/* The first two bytes say whether the input is gzip (1f 8b). */
static int choose_pack(tmk_tmx_reader *r, const char *data, size_t len, tmk_error *err)
{
    unsigned char m[2];
    memcpy(m, r->magic, r->nmagic);
    if (r->nmagic + len < 2) {
        if (len)
            r->magic[r->nmagic++] = (unsigned char)data[0];
        return TMK_OK;
    }
    if (r->nmagic < 2)
        memcpy(m + r->nmagic, data, 2 - r->nmagic);
    if (tmk__is_gzip(m, 2)) {
        if (!(r->gz = tmk__gunzip_new(r->name, err)))
            return TMK_ENOMEM;
        r->pack = PACK_GZIP;
    } else {
        r->pack = PACK_PLAIN;
    }
    size_t held = r->nmagic;
    r->nmagic = 0;
    return held ? feed_packed(r, (const char *)r->magic, held, err) : TMK_OK;
}

int tmk_tmx_reader_feed(tmk_tmx_reader *r, const char *data, size_t len, tmk_error *err)
{
    if (r->done)
        return tmk__after_finish(err, "TMX reader");
    if (r->pack == PACK_UNKNOWN) {
        TMK_TRY(choose_pack(r, data, len, err));
        if (r->pack == PACK_UNKNOWN)
            return TMK_OK;
    }
    return feed_packed(r, data, len, err);
}

int tmk_tmx_reader_finish(tmk_tmx_reader *r, tmk_error *err)
{
    if (r->done)
        return tmk__after_finish(err, "TMX reader");
    int rc;
    if (r->pack == PACK_UNKNOWN) { /* fewer than two bytes: plain */
        if (r->nmagic == 1 && r->magic[0] == 0x1F) { /* the start of a gzip header */
            tmk__gunzip *g = tmk__gunzip_new(r->name, err);
            rc = g ? tmk__gunzip_feed(g, (const char *)r->magic, 1, sink_xml, r, err) : TMK_ENOMEM;
            if (rc == TMK_OK)
                rc = tmk__gunzip_finish(g, err);
            tmk__gunzip_free(g);
            r->done = 1;
            return rc;
        }
        r->pack = PACK_PLAIN;
        if (r->nmagic && (rc = feed_xml(r, (const char *)r->magic, r->nmagic, err)) < 0)
            return rc;
    }
    if (r->pack == PACK_GZIP && (rc = tmk__gunzip_finish(r->gz, err)) < 0) {
        r->done = 1;
        return rc;
    }
    if (!r->started) {
        if (r->pre.len == 0) {
            r->done = 1;
            tmk_error_set(err, TMK_ESYNTAX, 0, 0, "the file is empty, not a TMX memory");
            if (err)
                tmk_error_set_file(err, r->name);
            return TMK_ESYNTAX;
        }
        TMK_TRY(start_parser(r, err));
        rc = parse(r, r->pre.data, r->pre.len, 1, err);
        tmk_buf_release(&r->pre);
    } else {
        rc = parse(r, NULL, 0, 1, err);
    }
    r->done = 1;
    return rc;
}

void tmk_tmx_reader_free(tmk_tmx_reader *r)
{
    if (!r)
        return;
    if (r->p)
        XML_ParserFree(r->p);
    tmk_decoder_free(r->dec);
    tmk__gunzip_free(r->gz);
    tmk_buf_release(&r->pre);
    tmk_buf_release(&r->decoded);
    tmk_buf_release(&r->ar);
    tmk_buf_release(&r->segp);
    tmk_buf_release(&r->segx);
    tmk_buf_release(&r->txt);
    tmk_buf_release(&r->tmp);
    tmk_buf_release(&r->npattr);
    tmk_buf_release(&r->tu_order);
    tmk_buf_release(&r->tuv_order);
    tmk_buf_release(&r->ude);
    free(r->tu_props.v); free(r->tu_notes.v); free(r->tu_attrs.v);
    free(r->tuv_props.v); free(r->tuv_notes.v); free(r->tuv_attrs.v);
    free(r->tuvs.v);
    free(r->pprops.v); free(r->pnotes.v); free(r->pattrs.v); free(r->ptuvs.v);
    free(r->bpts.v); free(r->bslots); free(r->xs.v);
    free(r->srclang);
    free(r->stack);
    free(r->name);
    free(r);
}

static int sink_feed(void *ud, const char *data, size_t len, tmk_error *err)
{
    return tmk_tmx_reader_feed(ud, data, len, err);
}

/* A zip file holding one memory: libzip reads it from the file. */
static int read_zip(tmk_tmx_reader *r, const char *path, tmk_error *err)
{
    r->pack = PACK_ZIP;
    int rc = tmk__unzip_tmx(path, sink_feed, r, err);
    if (rc == TMK_OK)
        return tmk_tmx_reader_finish(r, err);
    r->done = 1;
    return rc;
}

/* Read f to its end; path: the file f was opened from (a zip file is then
 * read by libzip, which a stream cannot be), or NULL; name: for errors. */
static int read_stream(tmk_tmx_reader *r, FILE *f, const char *path, const char *name,
                       tmk_error *err)
{
    /* the first bytes: a zip file is read by libzip (a stream cannot be) */
    char head[4];
    size_t nhead = fread(head, 1, sizeof head, f);
    if (r->pack == PACK_UNKNOWN && !r->started && tmk__is_zip(head, nhead) && path) {
        fclose(f);
        return read_zip(r, path, err);
    }
    enum { CHUNK = 1 << 18 };
    char *chunk = malloc(CHUNK);
    if (!chunk) {
        if (path)
            fclose(f);
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    }
    int rc = nhead ? tmk_tmx_reader_feed(r, head, nhead, err) : TMK_OK;
    size_t n;
    while (rc == TMK_OK) {
        if (r->started && !r->dec && !r->done && r->pack == PACK_PLAIN) {
            /* read straight into expat's buffer: no copy */
            void *buf = XML_GetBuffer(r->p, CHUNK);
            if (!buf) {
                rc = fail_from_expat(r, err);
                break;
            }
            if ((n = fread(buf, 1, CHUNK, f)) == 0)
                break;
            r->bytes += n;
            if (XML_ParseBuffer(r->p, (int)n, XML_FALSE) != XML_STATUS_OK)
                rc = fail_from_expat(r, err);
            continue;
        }
        /* until the encoding is known, small reads: the XML declaration
         * is at the start, and the rest goes straight into expat's buffer */
        if ((n = fread(chunk, 1, r->started ? CHUNK : 4096, f)) == 0)
            break;
        rc = tmk_tmx_reader_feed(r, chunk, n, err);
    }
    if (rc == TMK_OK && ferror(f)) {
        rc = tmk_error_set(err, TMK_EIO, 0, 0, "cannot read the file: %s", strerror(errno));
        if (err)
            tmk_error_set_file(err, name);
    }
    if (rc == TMK_OK)
        rc = tmk_tmx_reader_finish(r, err);
    free(chunk);
    if (path)
        fclose(f);
    return rc;
}

int tmk_tmx_read_file(tmk_tmx_reader *r, const char *path, tmk_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        tmk_error_set(err, TMK_EIO, 0, 0, "cannot open the file: %s", strerror(errno));
        if (err)
            tmk_error_set_file(err, path);
        return TMK_EIO;
    }
    return read_stream(r, f, path, path, err);
}

int tmk_tmx_read_stream(tmk_tmx_reader *r, FILE *f, const char *name, tmk_error *err)
{
    return read_stream(r, f, NULL, name ? name : r->name, err);
}
