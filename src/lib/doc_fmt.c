/* doc_fmt.c -- a text with formatting spans as TMX inline markup:
 * <bpt>/<ept> pairs with the native code inside, as CAT tools write them
 * (Okapi, OmegaT, Trados: type bold, italic, ulined, link).
 *
 * Spans are clipped to the text; at each place where the set of spans in
 * effect changes, the tags that must close are closed innermost first
 * (closing one that is not innermost closes those inside it and reopens
 * those still in effect), then the spans starting there open, the longer
 * outside.  So overlapping spans give well-formed markup, every pair with
 * its own i. */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "tmkit/document.h"

const char *tmk_doc_span_kind_name(enum tmk_doc_span_kind kind)
{
    switch (kind) {
    case TMK_DOC_BOLD: return "bold";
    case TMK_DOC_ITALIC: return "italic";
    case TMK_DOC_UNDERLINE: return "underline";
    case TMK_DOC_LINK: return "link";
    case TMK_DOC_SUPERSCRIPT: return "superscript";
    case TMK_DOC_SUBSCRIPT: return "subscript";
    }
    return "?";
}

/* TMX type and HTML-like native code of each kind */
static const struct {
    const char *type, *tag;
} codes[TMK_DOC_NSPAN_KINDS] = {
    {"bold", "b"},   {"italic", "i"},          {"ulined", "u"},
    {"link", "a"},   {"x-superscript", "sup"}, {"x-subscript", "sub"},
};

struct rs {
    size_t s, e;
    int kind;
    const char *target;
    unsigned i; /* i of its open pair */
};

static int cmp_rs(const void *a, const void *b)
{
    const struct rs *x = a, *y = b;
    if (x->s != y->s)
        return x->s < y->s ? -1 : 1;
    if (x->e != y->e)
        return x->e > y->e ? -1 : 1;
    return x->kind - y->kind;
}

static int only_space(const char *s, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (s[k] != ' ' && s[k] != '\n' && s[k] != '\t' && s[k] != '\r')
            return 0;
    return 1;
}

/* forward to a character boundary */
static size_t snap(const char *s, size_t len, size_t x)
{
    while (x < len && ((unsigned char)s[x] & 0xC0) == 0x80)
        x++;
    return x;
}

static int open_tag(tmk_buf *o, struct rs *r, unsigned *next_i)
{
    r->i = (*next_i)++;
    int k = r->kind >= 0 && r->kind < TMK_DOC_NSPAN_KINDS ? r->kind : 0;
    if (tmk_buf_printf(o, "<bpt i=\"%u\" type=\"%s\">&lt;%s", r->i, codes[k].type,
                       codes[k].tag) < 0)
        return TMK_ENOMEM;
    if (k == TMK_DOC_LINK && r->target) {
        /* the native code is HTML: the target quoted in it, then the
         * whole escaped as XML text */
        tmk_buf q = TMK_BUF_INIT;
        int rc = tmk_buf_add_xml_ex(&q, r->target, strlen(r->target), TMK_XML_DQUOTE) < 0 ||
                 tmk_buf_adds(o, " href=&quot;") < 0 || tmk_buf_add_xml(o, q.data, q.len) < 0 ||
                 tmk_buf_adds(o, "&quot;") < 0;
        tmk_buf_release(&q);
        if (rc)
            return TMK_ENOMEM;
    }
    return tmk_buf_adds(o, "&gt;</bpt>") < 0 ? TMK_ENOMEM : TMK_OK;
}

static int close_tag(tmk_buf *o, const struct rs *r)
{
    int k = r->kind >= 0 && r->kind < TMK_DOC_NSPAN_KINDS ? r->kind : 0;
    return tmk_buf_printf(o, "<ept i=\"%u\">&lt;/%s&gt;</ept>", r->i, codes[k].tag) < 0
               ? TMK_ENOMEM
               : TMK_OK;
}

int tmk_doc_render_tmx(tmk_buf *out, const char *text, size_t len, size_t base,
                       const tmk_doc_span *spans, size_t nspans, unsigned *next_i,
                       tmk_error *err)
{
    unsigned one = 1;
    if (!next_i)
        next_i = &one;
    if (!*next_i)
        *next_i = 1;
    struct rs *r = NULL;
    size_t n = 0;
    if (nspans) {
        r = malloc(nspans * sizeof *r);
        if (!r)
            return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    }
    for (size_t k = 0; k < nspans; k++) {
        const tmk_doc_span *sp = &spans[k];
        if (sp->end <= base || sp->start >= base + len || sp->start >= sp->end)
            continue;
        size_t s = sp->start > base ? sp->start - base : 0;
        size_t e = sp->end - base < len ? sp->end - base : len;
        s = snap(text, len, s);
        e = snap(text, len, e);
        if (s >= e || only_space(text + s, e - s))
            continue;
        r[n++] = (struct rs){s, e, (int)sp->kind, sp->target, 0};
    }
    if (n > 1)
        qsort(r, n, sizeof *r, cmp_rs);
    struct rs **stack = n ? malloc(n * sizeof *stack) : NULL;
    struct rs **keep = n ? malloc(n * sizeof *keep) : NULL;
    int rc = TMK_OK;
    if (n && (!stack || !keep))
        rc = TMK_ENOMEM;
    size_t sp = 0, next = 0, pos = 0;
    while (rc == TMK_OK) {
        /* close what ends here: the outermost ending one and all inside it */
        size_t low = sp;
        for (size_t j = 0; j < sp; j++)
            if (stack[j]->e <= pos) {
                low = j;
                break;
            }
        size_t nk = 0;
        while (rc == TMK_OK && sp > low) {
            struct rs *x = stack[--sp];
            rc = close_tag(out, x);
            if (x->e > pos)
                keep[nk++] = x;
        }
        /* reopen those still in effect, outermost first */
        while (rc == TMK_OK && nk) {
            struct rs *x = keep[--nk];
            rc = open_tag(out, x, next_i);
            stack[sp++] = x;
        }
        while (rc == TMK_OK && next < n && r[next].s <= pos) {
            rc = open_tag(out, &r[next], next_i);
            stack[sp++] = &r[next++];
        }
        if (rc)
            break;
        size_t to = len;
        if (next < n && r[next].s < to)
            to = r[next].s;
        for (size_t j = 0; j < sp; j++)
            if (stack[j]->e < to)
                to = stack[j]->e;
        if (to > pos && tmk_buf_add_xml_ex(out, text + pos, to - pos, 0) < 0) {
            rc = TMK_ENOMEM;
            break;
        }
        pos = to;
        if (pos >= len && next >= n) {
            while (rc == TMK_OK && sp)
                rc = close_tag(out, stack[--sp]);
            break;
        }
    }
    free(stack);
    free(keep);
    free(r);
    if (rc == TMK_ENOMEM)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    return rc;
}
