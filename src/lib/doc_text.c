/* doc_text.c -- the paragraph collector the document readers (doc_zip.c,
 * doc_html.c, doc_pdf.c) share: text, formatting spans, and the paragraph
 * handed to the caller (doc_emit).  It calls none of the readers. */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "doc_int.h"
#include "tmkit/utf8.h"

#define SPAN_OPEN ((size_t)-1)
#define LINK_BIT (1u << TMK_DOC_LINK)

static int same_href(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

/* the open link span's target */
static const char *open_href(const doc_text *t)
{
    for (size_t k = t->nsp; k-- > 0;)
        if (t->sp[k].end == SPAN_OPEN && t->sp[k].kind == TMK_DOC_LINK)
            return t->sp[k].href;
    return NULL;
}

static int fmt_same(const doc_text *t)
{
    return t->fmt == t->applied && (!(t->fmt & LINK_BIT) || same_href(t->href, open_href(t)));
}

/* close the spans whose formatting ended, at the end of the text so far */
static void spans_close_changed(doc_text *t)
{
    int relink = (t->fmt & LINK_BIT) && (t->applied & LINK_BIT) &&
                 !same_href(t->href, open_href(t));
    for (size_t k = 0; k < t->nsp; k++) {
        struct doc_span_int *d = &t->sp[k];
        if (d->end != SPAN_OPEN)
            continue;
        if (!(t->fmt & (1u << d->kind)) || (d->kind == TMK_DOC_LINK && relink)) {
            d->end = t->b.len;
            t->applied &= ~(1u << d->kind);
        }
    }
}

static int spans_push(doc_text *t, size_t start, size_t end, int kind, const char *href)
{
    if (t->nsp == t->capsp) {
        size_t cap = t->capsp ? 2 * t->capsp : 8;
        struct doc_span_int *v = realloc(t->sp, cap * sizeof *v);
        if (!v)
            return TMK_ENOMEM;
        t->sp = v;
        t->capsp = cap;
    }
    char *h = NULL;
    if (href && !(h = tmk__strdup(href)))
        return TMK_ENOMEM;
    t->sp[t->nsp++] = (struct doc_span_int){start, end, kind, h};
    return TMK_OK;
}

static int spans_open_new(doc_text *t)
{
    for (int k = 0; k < TMK_DOC_NSPAN_KINDS; k++) {
        unsigned bit = 1u << k;
        if (!(t->fmt & bit) || (t->applied & bit))
            continue;
        if (spans_push(t, t->b.len, SPAN_OPEN, k, k == TMK_DOC_LINK ? t->href : NULL) < 0)
            return TMK_ENOMEM;
        t->applied |= bit;
    }
    return TMK_OK;
}

void doc_text_spans_close(doc_text *t)
{
    for (size_t k = 0; k < t->nsp; k++)
        if (t->sp[k].end == SPAN_OPEN)
            t->sp[k].end = t->b.len;
    t->applied = 0;
}

void doc_text_spans_reset(doc_text *t)
{
    for (size_t k = 0; k < t->nsp; k++)
        free(t->sp[k].href);
    t->nsp = 0;
    t->applied = 0;
}

void doc_text_release(doc_text *t)
{
    doc_text_spans_reset(t);
    free(t->sp);
    t->sp = NULL;
    t->capsp = 0;
    tmk_buf_release(&t->b);
}

int doc_text_spans_set(doc_text *t, const struct doc_span_int *sp, size_t n)
{
    doc_text_spans_reset(t);
    for (size_t k = 0; k < n; k++)
        if (spans_push(t, sp[k].start, sp[k].end, sp[k].kind, sp[k].href) < 0)
            return TMK_ENOMEM;
    return TMK_OK;
}

int doc_text_add(doc_text *t, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v') {
            if (t->b.len && t->b.data[t->b.len - 1] != '\n')
                t->space = 1;
            continue;
        }
        if (ch == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xAD) { /* soft hyphen */
            i++;
            continue;
        }
        if (ch < 0x20) /* other control characters: not text */
            continue;
        int change = t->track && (ch & 0xC0) != 0x80 && !fmt_same(t);
        if (change)
            spans_close_changed(t);
        if (t->space && tmk_buf_addch(&t->b, ' ') < 0)
            return TMK_ENOMEM;
        t->space = 0;
        if (change && spans_open_new(t) < 0)
            return TMK_ENOMEM;
        if (tmk_buf_addch(&t->b, ch) < 0)
            return TMK_ENOMEM;
    }
    return TMK_OK;
}

int doc_text_break(doc_text *t)
{
    t->space = 0;
    if (!t->b.len || t->b.data[t->b.len - 1] == '\n')
        return TMK_OK;
    return tmk_buf_addch(&t->b, '\n') < 0 ? TMK_ENOMEM : TMK_OK;
}

int doc_text_space(doc_text *t)
{
    if (t->b.len && t->b.data[t->b.len - 1] != '\n')
        t->space = 1;
    return TMK_OK;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_span(const void *a, const void *b)
{
    const tmk_doc_span *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end > y->end ? -1 : 1;
    return (int)x->kind - (int)y->kind;
}

/* t's spans (text t->b[0..n), its NFC form in c->nfc) as c->out, in the
 * NFC text's offsets; *count is how many */
static int spans_out(struct doc_ctx *c, doc_text *t, size_t n, size_t *count)
{
    *count = 0;
    doc_text_spans_close(t);
    if (!t->nsp)
        return TMK_OK;
    if (t->nsp > c->capout) {
        tmk_doc_span *v = realloc(c->out, t->nsp * sizeof *v);
        if (!v)
            return TMK_ENOMEM;
        c->out = v;
        c->capout = t->nsp;
    }
    int same = c->nfc.len == n && !memcmp(c->nfc.data, t->b.data, n);
    size_t *pts = NULL, *map = NULL, np = 0;
    if (!same) {
        /* NFC changed the text: each boundary moves by what the pieces
         * before it became */
        pts = malloc(2 * t->nsp * sizeof *pts);
        map = malloc(2 * t->nsp * sizeof *map);
        if (!pts || !map) {
            free(pts);
            free(map);
            return TMK_ENOMEM;
        }
        for (size_t k = 0; k < t->nsp; k++) {
            pts[np++] = t->sp[k].start < n ? t->sp[k].start : n;
            pts[np++] = t->sp[k].end < n ? t->sp[k].end : n;
        }
        qsort(pts, np, sizeof *pts, cmp_size);
        size_t pos = 0, acc = 0;
        for (size_t k = 0; k < np; k++) {
            tmk_buf_reset(&c->scratch);
            if (pts[k] > pos && tmk_utf8_nfc(t->b.data + pos, pts[k] - pos, &c->scratch) < 0) {
                free(pts);
                free(map);
                return TMK_ENOMEM;
            }
            acc += c->scratch.len;
            pos = pts[k] > pos ? pts[k] : pos;
            size_t m = acc < c->nfc.len ? acc : c->nfc.len;
            while (m < c->nfc.len && ((unsigned char)c->nfc.data[m] & 0xC0) == 0x80)
                m++;
            map[k] = m;
        }
    }
    size_t out = 0;
    for (size_t k = 0; k < t->nsp; k++) {
        size_t s = t->sp[k].start < n ? t->sp[k].start : n;
        size_t e = t->sp[k].end < n ? t->sp[k].end : n;
        if (!same) {
            size_t *ps = bsearch(&s, pts, np, sizeof *pts, cmp_size);
            size_t *pe = bsearch(&e, pts, np, sizeof *pts, cmp_size);
            s = ps ? map[ps - pts] : c->nfc.len;
            e = pe ? map[pe - pts] : c->nfc.len;
        }
        if (s >= e)
            continue;
        c->out[out++] = (tmk_doc_span){s, e, (enum tmk_doc_span_kind)t->sp[k].kind,
                                       t->sp[k].href};
    }
    free(pts);
    free(map);
    qsort(c->out, out, sizeof *c->out, cmp_span);
    *count = out;
    return TMK_OK;
}

int doc_emit(struct doc_ctx *c, doc_text *t, enum tmk_doc_kind kind, int level,
             const char *lang, const char *part, unsigned long line, unsigned long col,
             unsigned long page)
{
    size_t n = t->b.len;
    while (n && (t->b.data[n - 1] == '\n' || t->b.data[n - 1] == ' '))
        n--;
    t->space = 0;
    if (!n) {
        tmk_buf_reset(&t->b);
        doc_text_spans_reset(t);
        return TMK_OK;
    }
    tmk_buf_reset(&c->nfc);
    if (tmk_utf8_nfc(t->b.data, n, &c->nfc) < 0) {
        tmk_buf_reset(&t->b);
        doc_text_spans_reset(t);
        return tmk_error_set(c->err, TMK_ENOMEM, 0, 0, "out of memory");
    }
    size_t nspans = 0;
    if (t->track && spans_out(c, t, n, &nspans) < 0) {
        tmk_buf_reset(&t->b);
        doc_text_spans_reset(t);
        return tmk_error_set(c->err, TMK_ENOMEM, 0, 0, "out of memory");
    }
    tmk_buf_reset(&t->b);
    tmk_doc_para p;
    memset(&p, 0, sizeof p);
    p.text = c->nfc.data;
    p.len = c->nfc.len;
    p.kind = kind;
    p.level = level;
    p.lang = lang;
    p.part = part;
    p.line = line;
    p.col = col;
    p.page = page;
    p.index = ++c->index;
    p.spans = nspans ? c->out : NULL;
    p.nspans = nspans;
    int r = c->cb ? c->cb(c->ud, &p) : 0;
    doc_text_spans_reset(t);
    if (r) {
        if (r < 0 && r >= TMK_EFORMAT)
            return r;
        return tmk_error_set(c->err, TMK_ECANCELED, 0, 0, "stopped by the caller");
    }
    return TMK_OK;
}
