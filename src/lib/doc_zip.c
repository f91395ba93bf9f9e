/* doc_zip.c -- DOCX and ODT: the zip container through libzip, the XML
 * parts through expat (namespace-aware; no document type declarations, so
 * no entity of any kind).  Each member is read in chunks and fed to expat
 * as it is unpacked, at most c->max_member bytes (zip bombs).
 *
 * Nested paragraphs (a text box in a paragraph, an ODT note body) and the
 * notes a DOCX paragraph refers to are queued and reported after the
 * outermost paragraph, which is the order a reader meets them in. */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <expat.h>
#include <zip.h>
#include "internal.h"
#include "doc_int.h"

#define NS_SEP '|'
#define MAX_NEST 32

enum ns {
    NS_OTHER = 0, NS_W, NS_MC, NS_TEXT, NS_OFFICE, NS_TABLE, NS_DRAW, NS_STYLE, NS_SVG,
    NS_R, NS_REL, NS_FO, NS_XLINK
};

static const struct {
    const char *uri;
    enum ns ns;
} known_ns[] = {
    {"http://schemas.openxmlformats.org/wordprocessingml/2006/main", NS_W},
    {"http://purl.oclc.org/ooxml/wordprocessingml/main", NS_W},
    {"http://schemas.openxmlformats.org/markup-compatibility/2006", NS_MC},
    {"urn:oasis:names:tc:opendocument:xmlns:text:1.0", NS_TEXT},
    {"urn:oasis:names:tc:opendocument:xmlns:office:1.0", NS_OFFICE},
    {"urn:oasis:names:tc:opendocument:xmlns:table:1.0", NS_TABLE},
    {"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0", NS_DRAW},
    {"urn:oasis:names:tc:opendocument:xmlns:style:1.0", NS_STYLE},
    {"urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0", NS_SVG},
    {"http://schemas.openxmlformats.org/officeDocument/2006/relationships", NS_R},
    {"http://purl.oclc.org/ooxml/officeDocument/relationships", NS_R},
    {"http://schemas.openxmlformats.org/package/2006/relationships", NS_REL},
    {"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0", NS_FO},
    {"http://www.w3.org/1999/xlink", NS_XLINK},
};

#define BIT(k) (1u << (k))

/* "uri|local" -> namespace and local name */
static enum ns split(const char *name, const char **local)
{
    const char *bar = strchr(name, NS_SEP);
    if (!bar) {
        *local = name;
        return NS_OTHER;
    }
    *local = bar + 1;
    size_t n = (size_t)(bar - name);
    for (size_t i = 0; i < sizeof known_ns / sizeof *known_ns; i++)
        if (strlen(known_ns[i].uri) == n && !memcmp(known_ns[i].uri, name, n))
            return known_ns[i].ns;
    return NS_OTHER;
}

static int is(const char *name, enum ns ns, const char *local)
{
    const char *l;
    return split(name, &l) == ns && !strcmp(l, local);
}

static const char *attr(const char **atts, enum ns ns, const char *local)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (is(atts[i], ns, local))
            return atts[i + 1];
    return NULL;
}

/* a finished paragraph waiting to be reported */
struct qpara {
    char *text;
    size_t len;
    enum tmk_doc_kind kind;
    int level;
    const char *part;
    unsigned long line, col;
    long note; /* notes store: the note's id; -1 otherwise */
    int endnote;
    struct doc_span_int *sp; /* its formatting (owned) */
    size_t nsp;
};

struct qlist {
    struct qpara *v;
    size_t n, cap;
};

struct open_para {
    doc_text t;
    enum tmk_doc_kind kind;
    int level;
    unsigned long line, col;
    int mark_del; /* DOCX: its paragraph mark is a tracked deletion */
};

#define MAX_FIELDS 16 /* DOCX complex fields nested deeper are not told apart */

struct style {
    char *id;
    int level;  /* heading level, 0 none */
    int hidden; /* ODT: text:display="none" */
    unsigned fmt; /* formatting (spans): bits 1 << tmk_doc_span_kind */
    char *parent; /* ODT: the style it inherits from, or NULL */
    int content;  /* ODT: an automatic style of content.xml (direct formatting) */
};

/* a DOCX relationship: r:id -> target (hyperlinks) */
struct rel {
    char *id, *target;
};

typedef struct zr {
    struct doc_ctx *c;
    XML_Parser p;
    enum tmk_decode_content kind;
    const char *part;
    int rc;
    int mode;  /* 0 document, 1 notes, 2 styles (DOCX), 3 ODT content */
    unsigned skip;
    struct open_para stack[MAX_NEST];
    unsigned sp;
    unsigned overflow; /* paragraphs nested deeper than MAX_NEST */
    struct qlist pending, notes;
    struct style *styles;
    size_t nstyles, capstyles;
    /* DOCX */
    int in_run, in_rpr, in_ppr, run_hidden, in_t;
    unsigned tc, txbx;
    long note_id;
    int note_end;
    char *cur_style;
    int cur_style_level;
    /* formatting (c->spans) */
    unsigned cur_style_fmt, run_on, run_off, run_style;
    int in_style_rpr;
    char *cur_parent;
    struct rel *rels;
    size_t nrels, caprels;
    const char *link;      /* DOCX: target of the w:hyperlink we are in */
    int in_link;
    char *link_own;        /* an anchor link's "#name" */
    unsigned fstack[MAX_NEST];   /* ODT: formatting of the open p/h/span/a */
    char *hstack[MAX_NEST];      /* and the link target (owned) */
    unsigned fsp, fover;
    /* DOCX: a paragraph whose mark is deleted goes on in the next one */
    int carry;
    /* DOCX complex fields (fldChar begin/separate/end): the first word of
     * each open field's instruction; the result of a generated index (TOC,
     * INDEX, TOA) is skipped from its separate to its end */
    unsigned fld_depth, fld_hide;
    char fld_instr[MAX_FIELDS][8];
    int in_instr;
    int toc_sdt; /* a w:sdt whose gallery is "Table of Contents" */
    /* ODT */
    unsigned list, cell, notebody, textbox;
    int in_autostyles;
} zr;

static void spans_free(struct doc_span_int *sp, size_t n)
{
    for (size_t k = 0; sp && k < n; k++)
        free(sp[k].href);
    free(sp);
}

/* a deep copy of n spans into *out; TMK_ENOMEM */
static int spans_dup(const struct doc_span_int *sp, size_t n, struct doc_span_int **out)
{
    *out = NULL;
    if (!n)
        return TMK_OK;
    struct doc_span_int *v = calloc(n, sizeof *v);
    if (!v)
        return TMK_ENOMEM;
    for (size_t k = 0; k < n; k++) {
        v[k] = sp[k];
        v[k].href = NULL;
        if (sp[k].href && !(v[k].href = tmk__strdup(sp[k].href))) {
            spans_free(v, n);
            return TMK_ENOMEM;
        }
    }
    *out = v;
    return TMK_OK;
}

static void fail(zr *z, int rc)
{
    if (z->rc == TMK_OK)
        z->rc = rc;
    XML_StopParser(z->p, XML_FALSE);
}

static int q_push(struct qlist *q, const struct qpara *e)
{
    if (q->n == q->cap) {
        size_t cap = q->cap ? q->cap * 2 : 16;
        struct qpara *v = realloc(q->v, cap * sizeof *v);
        if (!v)
            return TMK_ENOMEM;
        q->v = v;
        q->cap = cap;
    }
    q->v[q->n++] = *e;
    return TMK_OK;
}

static void q_free(struct qlist *q)
{
    for (size_t i = 0; i < q->n; i++) {
        free(q->v[i].text);
        spans_free(q->v[i].sp, q->v[i].nsp);
    }
    free(q->v);
    q->v = NULL;
    q->n = q->cap = 0;
}

static int emit_q(zr *z, const struct qpara *e)
{
    doc_text t;
    memset(&t, 0, sizeof t);
    tmk_buf_init(&t.b);
    t.track = z->c->spans;
    if (tmk_buf_add(&t.b, e->text, e->len) < 0 || doc_text_spans_set(&t, e->sp, e->nsp) < 0) {
        doc_text_release(&t);
        return TMK_ENOMEM;
    }
    int rc = doc_emit(z->c, &t, e->kind, e->level, NULL, e->part, e->line, e->col, 0);
    doc_text_release(&t);
    return rc;
}

static int flush_pending(zr *z)
{
    int rc = TMK_OK;
    for (size_t i = 0; i < z->pending.n && rc == TMK_OK; i++)
        rc = emit_q(z, &z->pending.v[i]);
    for (size_t i = 0; i < z->pending.n; i++) {
        free(z->pending.v[i].text);
        spans_free(z->pending.v[i].sp, z->pending.v[i].nsp);
    }
    z->pending.n = 0;
    return rc;
}

static void open_para(zr *z, enum tmk_doc_kind kind, int level)
{
    if (z->sp == MAX_NEST) {
        z->overflow++;
        return;
    }
    struct open_para *o = &z->stack[z->sp++];
    tmk_buf_reset(&o->t.b);
    doc_text_spans_reset(&o->t);
    o->t.track = z->c->spans;
    o->t.space = 0;
    o->kind = kind;
    o->level = level;
    o->line = (unsigned long)XML_GetCurrentLineNumber(z->p);
    o->col = (unsigned long)XML_GetCurrentColumnNumber(z->p) + 1;
    o->mark_del = 0;
}

static struct open_para *top(zr *z)
{
    return z->sp && !z->overflow ? &z->stack[z->sp - 1] : NULL;
}

static void close_para(zr *z)
{
    if (z->overflow) {
        z->overflow--;
        return;
    }
    if (!z->sp)
        return;
    struct open_para *o = &z->stack[--z->sp];
    int rc = TMK_OK;
    if (z->mode == 1 || z->sp) { /* a note's paragraph, or a nested one: queued */
        size_t n = o->t.b.len;
        while (n && (o->t.b.data[n - 1] == '\n' || o->t.b.data[n - 1] == ' '))
            n--;
        if (n) {
            struct qpara e = {NULL, n, o->kind, o->level, z->part, o->line, o->col,
                              z->mode == 1 ? z->note_id : -1, z->note_end, NULL, 0};
            doc_text_spans_close(&o->t);
            e.text = malloc(n ? n : 1);
            if (!e.text || spans_dup(o->t.sp, o->t.nsp, &e.sp) < 0) {
                free(e.text);
                rc = TMK_ENOMEM;
            } else {
                e.nsp = e.sp ? o->t.nsp : 0;
                memcpy(e.text, o->t.b.data, n);
                rc = q_push(z->mode == 1 ? &z->notes : &z->pending, &e);
                if (rc) {
                    free(e.text);
                    spans_free(e.sp, e.nsp);
                }
            }
        }
        tmk_buf_reset(&o->t.b);
        doc_text_spans_reset(&o->t);
    } else {
        rc = doc_emit(z->c, &o->t, o->kind, o->level, NULL, z->part, o->line, o->col, 0);
        if (rc == TMK_OK)
            rc = flush_pending(z);
    }
    if (rc == TMK_ENOMEM)
        tmk_error_set(z->c->err, TMK_ENOMEM, 0, 0, "out of memory");
    if (rc)
        fail(z, rc);
}

static int off(const char *v)
{
    return v && (!strcmp(v, "0") || !strcmp(v, "false") || !strcmp(v, "off"));
}

static int style_add(zr *z, const char *id, int level, int hidden, unsigned fmt,
                     const char *parent)
{
    if (z->nstyles == z->capstyles) {
        size_t cap = z->capstyles ? z->capstyles * 2 : 32;
        struct style *v = realloc(z->styles, cap * sizeof *v);
        if (!v)
            return TMK_ENOMEM;
        z->styles = v;
        z->capstyles = cap;
    }
    char *d = tmk__strdup(id);
    char *pa = parent ? tmk__strdup(parent) : NULL;
    if (!d || (parent && !pa)) {
        free(d);
        free(pa);
        return TMK_ENOMEM;
    }
    z->styles[z->nstyles++] = (struct style){d, level, hidden, fmt, pa, z->mode == 3};
    return TMK_OK;
}

/* the last style of that name (ODT: content.xml's automatic styles are
 * read after styles.xml and win) */
static const struct style *style_find(const zr *z, const char *id)
{
    for (size_t i = z->nstyles; id && i-- > 0;)
        if (!strcmp(z->styles[i].id, id))
            return &z->styles[i];
    return NULL;
}

/* the formatting a style gives, with what it inherits */
static unsigned style_fmt(const zr *z, const char *id)
{
    unsigned f = 0;
    for (int depth = 0; id && depth < 8; depth++) {
        const struct style *s = style_find(z, id);
        if (!s)
            break;
        f |= s->fmt;
        id = s->parent;
    }
    return f;
}

static int rel_add(zr *z, const char *id, const char *target)
{
    if (z->nrels == z->caprels) {
        size_t cap = z->caprels ? z->caprels * 2 : 16;
        struct rel *v = realloc(z->rels, cap * sizeof *v);
        if (!v)
            return TMK_ENOMEM;
        z->rels = v;
        z->caprels = cap;
    }
    char *a = tmk__strdup(id), *b = tmk__strdup(target);
    if (!a || !b) {
        free(a);
        free(b);
        return TMK_ENOMEM;
    }
    z->rels[z->nrels++] = (struct rel){a, b};
    return TMK_OK;
}

static const char *rel_find(const zr *z, const char *id)
{
    for (size_t i = 0; id && i < z->nrels; i++)
        if (!strcmp(z->rels[i].id, id))
            return z->rels[i].target;
    return NULL;
}

static void XMLCALL rels_start(void *ud, const char *name, const char **atts)
{
    zr *z = ud;
    if (!is(name, NS_REL, "Relationship"))
        return;
    const char *id = NULL, *target = NULL, *type = NULL;
    for (size_t i = 0; atts[i]; i += 2) {
        if (!strcmp(atts[i], "Id"))
            id = atts[i + 1];
        else if (!strcmp(atts[i], "Target"))
            target = atts[i + 1];
        else if (!strcmp(atts[i], "Type"))
            type = atts[i + 1];
    }
    size_t tl = type ? strlen(type) : 0;
    if (id && target && tl >= 10 && !strcmp(type + tl - 10, "/hyperlink") &&
        rel_add(z, id, target) < 0) {
        tmk_error_set(z->c->err, TMK_ENOMEM, 0, 0, "out of memory");
        fail(z, TMK_ENOMEM);
    }
}

static void XMLCALL rels_end(void *ud, const char *name)
{
    (void)ud, (void)name;
}

static void XMLCALL rels_chars(void *ud, const char *s, int n)
{
    (void)ud, (void)s, (void)n;
}

/* DOCX run property element l (in w:rPr): the bit it sets, 0 for none */
static unsigned docx_prop_bit(const char *l, const char **atts, int *on)
{
    const char *v = attr(atts, NS_W, "val");
    *on = !off(v);
    if (!strcmp(l, "b"))
        return BIT(TMK_DOC_BOLD);
    if (!strcmp(l, "i"))
        return BIT(TMK_DOC_ITALIC);
    if (!strcmp(l, "u")) {
        if (v && !strcmp(v, "none"))
            *on = 0;
        return BIT(TMK_DOC_UNDERLINE);
    }
    if (!strcmp(l, "vertAlign")) {
        *on = v && (!strcmp(v, "superscript") || !strcmp(v, "subscript"));
        return v && !strcmp(v, "subscript") ? BIT(TMK_DOC_SUBSCRIPT) : BIT(TMK_DOC_SUPERSCRIPT);
    }
    return 0;
}

/* ODT style:text-properties -> formatting bits */
static unsigned odt_text_props(const char **atts)
{
    unsigned f = 0;
    const char *w = attr(atts, NS_FO, "font-weight");
    if (w && (!strcmp(w, "bold") || atoi(w) >= 600))
        f |= BIT(TMK_DOC_BOLD);
    const char *st = attr(atts, NS_FO, "font-style");
    if (st && (!strcmp(st, "italic") || !strcmp(st, "oblique")))
        f |= BIT(TMK_DOC_ITALIC);
    const char *u = attr(atts, NS_STYLE, "text-underline-style");
    if (u && strcmp(u, "none"))
        f |= BIT(TMK_DOC_UNDERLINE);
    const char *pos = attr(atts, NS_STYLE, "text-position");
    if (pos) {
        if (!strncmp(pos, "super", 5) || (pos[0] >= '1' && pos[0] <= '9'))
            f |= BIT(TMK_DOC_SUPERSCRIPT);
        else if (!strncmp(pos, "sub", 3) || (pos[0] == '-' && pos[1] >= '1' && pos[1] <= '9'))
            f |= BIT(TMK_DOC_SUBSCRIPT);
    }
    return f;
}

/* "heading 2", "Heading2", "Title" -> 2, 2, 1 */
static int heading_level(const char *name)
{
    if (!strncasecmp(name, "heading", 7)) {
        const char *d = name + 7;
        while (*d == ' ')
            d++;
        if (*d >= '1' && *d <= '9' && !d[1])
            return *d - '0';
    }
    if (!strcasecmp(name, "title"))
        return 1;
    return 0;
}

static enum tmk_doc_kind context_kind(const zr *z)
{
    if (z->mode == 1)
        return TMK_DOC_FOOTNOTE;
    if (z->txbx || z->textbox)
        return TMK_DOC_TEXT_BOX;
    if (z->notebody)
        return TMK_DOC_FOOTNOTE;
    if (z->tc || z->cell)
        return TMK_DOC_TABLE_CELL;
    if (z->list)
        return TMK_DOC_LIST_ITEM;
    return TMK_DOC_PARAGRAPH;
}

static void add_text(zr *z, const char *s, size_t n)
{
    struct open_para *o = top(z);
    if (o && doc_text_add(&o->t, s, n) < 0) {
        tmk_error_set(z->c->err, TMK_ENOMEM, 0, 0, "out of memory");
        fail(z, TMK_ENOMEM);
    }
}

static void queue_notes(zr *z, long id, int endnote)
{
    for (size_t i = 0; i < z->notes.n; i++) {
        struct qpara *e = &z->notes.v[i];
        if (e->note != id || e->endnote != endnote)
            continue;
        struct qpara c = *e;
        c.note = -1;
        c.text = malloc(e->len ? e->len : 1);
        c.sp = NULL;
        if (!c.text || spans_dup(e->sp, e->nsp, &c.sp) < 0 || q_push(&z->pending, &c)) {
            free(c.text);
            spans_free(c.sp, c.nsp);
            tmk_error_set(z->c->err, TMK_ENOMEM, 0, 0, "out of memory");
            fail(z, TMK_ENOMEM);
            return;
        }
        memcpy(c.text, e->text, e->len);
    }
}

/* --- DOCX ------------------------------------------------------------ */

/* A paragraph whose mark was deleted (tracked) and that waits for the next
 * one: a table, a cell, a text box or the end of the body ends it. */
static void end_carry(zr *z)
{
    if (z->carry) {
        z->carry = 0;
        close_para(z);
    }
}

/* Is the instruction of a field one of a generated index: a table of
 * contents (TOC), an index (INDEX) or a table of authorities (TOA)? */
static int generated_index(const char *instr)
{
    while (*instr == ' ')
        instr++;
    size_t n = strcspn(instr, " \\");
    return (n == 3 && !strncmp(instr, "TOC", 3)) || (n == 5 && !strncmp(instr, "INDEX", 5)) ||
           (n == 3 && !strncmp(instr, "TOA", 3));
}

static void docx_fldchar(zr *z, const char *type)
{
    if (!type)
        return;
    if (!strcmp(type, "begin")) {
        z->fld_depth++;
        if (z->fld_depth <= MAX_FIELDS)
            z->fld_instr[z->fld_depth - 1][0] = '\0';
    } else if (!strcmp(type, "separate")) {
        if (z->fld_depth && z->fld_depth <= MAX_FIELDS && !z->fld_hide &&
            generated_index(z->fld_instr[z->fld_depth - 1]))
            z->fld_hide = z->fld_depth;
    } else if (!strcmp(type, "end") && z->fld_depth) {
        if (z->fld_hide == z->fld_depth)
            z->fld_hide = 0;
        z->fld_depth--;
    }
}

/* the start of the current field's instruction, enough for its name */
static void docx_instr(zr *z, const char *s, size_t n)
{
    if (!z->fld_depth || z->fld_depth > MAX_FIELDS)
        return;
    char *b = z->fld_instr[z->fld_depth - 1];
    size_t have = strlen(b);
    if (!have)
        while (n && *s == ' ')
            s++, n--;
    size_t room = sizeof z->fld_instr[0] - 1 - have;
    if (n > room)
        n = room;
    memcpy(b + have, s, n);
    b[have + n] = '\0';
}

/* Inside an element that is skipped (z->skip: its depth there), an
 * element starts (delta 1) or ends (-1): counted, and nothing else done. */
static int in_skipped(zr *z, int delta)
{
    if (!z->skip)
        return 0;
    if (delta > 0)
        z->skip++;
    else
        z->skip--;
    return 1;
}

/* An element of styles.xml: a style's id, heading level and formatting. */
static void docx_style_start(zr *z, const char *l, const char **atts)
{
    if (!strcmp(l, "style")) {
        free(z->cur_style);
        const char *id = attr(atts, NS_W, "styleId");
        z->cur_style = id ? tmk__strdup(id) : NULL;
        z->cur_style_level = 0;
        z->cur_style_fmt = 0;
        const char *ty = attr(atts, NS_W, "type");
        z->in_style_rpr = ty && !strcmp(ty, "character") ? -1 : 0;
    } else if (!strcmp(l, "rPr") && z->cur_style && z->in_style_rpr == -1) {
        z->in_style_rpr = 1;
    } else if (z->in_style_rpr == 1 && z->c->spans) {
        int on;
        unsigned bit = docx_prop_bit(l, atts, &on);
        if (on)
            z->cur_style_fmt |= bit;
    } else if (!strcmp(l, "name") && z->cur_style) {
        const char *v = attr(atts, NS_W, "val");
        if (v && heading_level(v))
            z->cur_style_level = heading_level(v);
    } else if (!strcmp(l, "outlineLvl") && z->cur_style) {
        const char *v = attr(atts, NS_W, "val");
        if (v && v[0] >= '0' && v[0] <= '8' && !v[1])
            z->cur_style_level = v[0] - '0' + 1;
    }
}

/* A run property (rPr child) when spans are wanted: the run's style, or
 * one formatting bit on or off. */
static void docx_run_prop(zr *z, const char *l, const char **atts)
{
    if (!strcmp(l, "rStyle")) {
        z->run_style = style_fmt(z, attr(atts, NS_W, "val"));
    } else {
        int on;
        unsigned bit = docx_prop_bit(l, atts, &on);
        if (on) {
            z->run_on |= bit;
            z->run_off &= ~bit;
        } else {
            z->run_off |= bit;
            z->run_on &= ~bit;
        }
    }
}

/* A hyperlink: its target from the relationships, or its anchor. */
static void docx_link_start(zr *z, const char **atts)
{
    free(z->link_own);
    z->link_own = NULL;
    z->in_link = 1;
    z->link = rel_find(z, attr(atts, NS_R, "id"));
    const char *anchor = attr(atts, NS_W, "anchor");
    if (!z->link && anchor && (z->link_own = malloc(strlen(anchor) + 2))) {
        z->link_own[0] = '#';
        strcpy(z->link_own + 1, anchor);
        z->link = z->link_own;
    }
}

/* An item in a visible run: a tab, a line break, a non-breaking hyphen or
 * a note reference; -1 when no paragraph is open (the element is ignored). */
static int docx_run_item(zr *z, const char *l, const char **atts)
{
    struct open_para *o = top(z);
    if (!o)
        return -1;
    if (!strcmp(l, "tab") || !strcmp(l, "ptab"))
        doc_text_space(&o->t);
    else if (!strcmp(l, "br") || !strcmp(l, "cr"))
        doc_text_break(&o->t);
    else if (!strcmp(l, "noBreakHyphen"))
        add_text(z, "-", 1);
    else if (!strcmp(l, "footnoteReference") || !strcmp(l, "endnoteReference")) {
        const char *id = attr(atts, NS_W, "id");
        if (id)
            queue_notes(z, strtol(id, NULL, 10), l[0] == 'e');
    }
    return 0;
}

static void XMLCALL docx_start(void *ud, const char *name, const char **atts)
{
    zr *z = ud;
    if (in_skipped(z, 1))
        return;
    const char *l;
    enum ns ns = split(name, &l);
    if (ns == NS_MC && !strcmp(l, "Fallback")) {
        z->skip = 1;
        return;
    }
    if (ns != NS_W)
        return;
    if (z->mode == 2) { /* styles.xml */
        docx_style_start(z, l, atts);
        return;
    }
    if ((!strcmp(l, "del") || !strcmp(l, "moveFrom")) && z->in_ppr) {
        /* in the paragraph mark's properties: the mark is deleted, the
         * paragraph goes on in the next one (the change accepted) */
        struct open_para *o = top(z);
        if (o && z->mode == 0)
            o->mark_del = 1;
        z->skip = 1;
        return;
    }
    if (!strcmp(l, "del") || !strcmp(l, "moveFrom") || !strcmp(l, "delText") ||
        !strcmp(l, "delInstrText") || !strcmp(l, "sym") ||
        !strcmp(l, "rt") || /* ruby: the reading above the base text */
        !strcmp(l, "rPrChange")) { /* a tracked format change: the properties before it */
        z->skip = 1;
        return;
    }
    if (!strcmp(l, "instrText")) {
        z->in_instr = 1;
        return;
    }
    if (!strcmp(l, "fldChar")) {
        docx_fldchar(z, attr(atts, NS_W, "fldCharType"));
        return;
    }
    if (!strcmp(l, "fldSimple")) {
        const char *in = attr(atts, NS_W, "instr");
        if (in && generated_index(in))
            z->skip = 1;
        return;
    }
    if (!strcmp(l, "sdt")) {
        z->toc_sdt = 0;
    } else if (!strcmp(l, "docPartGallery")) {
        const char *v = attr(atts, NS_W, "val");
        z->toc_sdt = v && !strcmp(v, "Table of Contents");
    } else if (!strcmp(l, "sdtContent") && z->toc_sdt) {
        z->toc_sdt = 0;
        z->skip = 1;
        return;
    }
    if (z->carry && strcmp(l, "p") &&
        (!strcmp(l, "tbl") || !strcmp(l, "tc") || !strcmp(l, "txbxContent") ||
         !strcmp(l, "sectPr")))
        end_carry(z);
    if (z->mode == 1 && (!strcmp(l, "footnote") || !strcmp(l, "endnote"))) {
        const char *t = attr(atts, NS_W, "type");
        if (t && (!strcmp(t, "separator") || !strcmp(t, "continuationSeparator") ||
                  !strcmp(t, "continuationNotice"))) {
            z->skip = 1;
            return;
        }
        const char *id = attr(atts, NS_W, "id");
        z->note_id = id ? strtol(id, NULL, 10) : -2;
        z->note_end = l[0] == 'e';
        return;
    }
    if (!strcmp(l, "p")) {
        if (z->carry)
            z->carry = 0; /* the paragraph before goes on here */
        else
            open_para(z, context_kind(z), 0);
    } else if (!strcmp(l, "pPr")) {
        z->in_ppr = 1;
    } else if (!strcmp(l, "pStyle") && z->in_ppr) {
        const struct style *s = style_find(z, attr(atts, NS_W, "val"));
        struct open_para *o = top(z);
        if (o && s && s->level && o->kind == TMK_DOC_PARAGRAPH) {
            o->kind = TMK_DOC_HEADING;
            o->level = s->level;
        }
    } else if (!strcmp(l, "outlineLvl") && z->in_ppr) {
        const char *v = attr(atts, NS_W, "val");
        struct open_para *o = top(z);
        if (o && v && v[0] >= '0' && v[0] <= '8' && !v[1] && o->kind == TMK_DOC_PARAGRAPH) {
            o->kind = TMK_DOC_HEADING;
            o->level = v[0] - '0' + 1;
        }
    } else if (!strcmp(l, "numPr") && z->in_ppr) {
        struct open_para *o = top(z);
        if (o && o->kind == TMK_DOC_PARAGRAPH)
            o->kind = TMK_DOC_LIST_ITEM;
    } else if (!strcmp(l, "r")) {
        z->in_run = 1;
        z->run_hidden = 0;
        z->run_on = z->run_off = z->run_style = 0;
    } else if (!strcmp(l, "rPr")) {
        z->in_rpr = z->in_run;
    } else if (!strcmp(l, "vanish") && z->in_rpr) {
        z->run_hidden = !off(attr(atts, NS_W, "val"));
    } else if (z->in_rpr && z->c->spans) {
        docx_run_prop(z, l, atts);
    } else if (!strcmp(l, "hyperlink") && z->c->spans) {
        docx_link_start(z, atts);
    } else if (!strcmp(l, "t") && z->in_run) {
        z->in_t = !z->run_hidden;
    } else if (z->in_run && !z->run_hidden && !z->in_rpr) {
        if (docx_run_item(z, l, atts) < 0)
            return;
    }
    if (!strcmp(l, "tc"))
        z->tc++;
    else if (!strcmp(l, "txbxContent"))
        z->txbx++;
}

static void XMLCALL docx_end(void *ud, const char *name)
{
    zr *z = ud;
    if (in_skipped(z, -1))
        return;
    const char *l;
    if (split(name, &l) != NS_W)
        return;
    if (z->mode == 2) {
        if (!strcmp(l, "rPr") && z->in_style_rpr == 1)
            z->in_style_rpr = -1;
        if (!strcmp(l, "style") && z->cur_style) {
            if ((z->cur_style_level || z->cur_style_fmt) &&
                style_add(z, z->cur_style, z->cur_style_level, 0, z->cur_style_fmt, NULL)) {
                tmk_error_set(z->c->err, TMK_ENOMEM, 0, 0, "out of memory");
                fail(z, TMK_ENOMEM);
            }
            free(z->cur_style);
            z->cur_style = NULL;
        }
        return;
    }
    if (!strcmp(l, "p")) {
        struct open_para *o = top(z);
        if (o && o->mark_del) {
            o->mark_del = 0;
            z->carry = 1;
        } else {
            close_para(z);
        }
    } else if (!strcmp(l, "instrText"))
        z->in_instr = 0;
    else if (z->carry && (!strcmp(l, "tc") || !strcmp(l, "body") || !strcmp(l, "txbxContent") ||
                          !strcmp(l, "footnote") || !strcmp(l, "endnote") ||
                          !strcmp(l, "sdtContent") || !strcmp(l, "hdr") || !strcmp(l, "ftr")))
        end_carry(z);
    if (!strcmp(l, "p") || !strcmp(l, "instrText"))
        ;
    else if (!strcmp(l, "hyperlink"))
        z->in_link = 0, z->link = NULL;
    else if (!strcmp(l, "pPr"))
        z->in_ppr = 0;
    else if (!strcmp(l, "r"))
        z->in_run = z->in_rpr = z->in_t = 0;
    else if (!strcmp(l, "rPr"))
        z->in_rpr = 0;
    else if (!strcmp(l, "t"))
        z->in_t = 0;
    else if (!strcmp(l, "tc") && z->tc)
        z->tc--;
    else if (!strcmp(l, "txbxContent") && z->txbx)
        z->txbx--;
}

static void XMLCALL docx_chars(void *ud, const char *s, int n)
{
    zr *z = ud;
    if (!z->skip && z->in_instr && n > 0) {
        docx_instr(z, s, (size_t)n);
        return;
    }
    if (!z->skip && z->in_t && n > 0 && !z->fld_hide) {
        struct open_para *o = top(z);
        if (o && o->t.track) {
            /* in a link, the underline of its character style (Word's
             * "Hyperlink", LibreOffice's "Internet Link") is the link's
             * look, not formatting of its own */
            unsigned style = z->in_link ? z->run_style & ~BIT(TMK_DOC_UNDERLINE) : z->run_style;
            o->t.fmt = ((style | z->run_on) & ~z->run_off) | (z->in_link ? BIT(TMK_DOC_LINK) : 0);
            o->t.href = z->link;
        }
        add_text(z, s, (size_t)n);
    }
}

/* --- ODT ------------------------------------------------------------- */

static int odt_hidden(const zr *z, const char **atts)
{
    const char *d = attr(atts, NS_TEXT, "display");
    if (d && !strcmp(d, "none"))
        return 1;
    const char *h = attr(atts, NS_TEXT, "is-hidden");
    if (h && !strcmp(h, "true"))
        return 1;
    const struct style *s = style_find(z, attr(atts, NS_TEXT, "style-name"));
    return s && s->hidden;
}

/* ODT formatting stack: push on p, h, span, a; pop at their end */
static void fpush(zr *z, unsigned fmt, const char *href)
{
    if (z->fsp == MAX_NEST) {
        z->fover++;
        return;
    }
    char *h = href ? tmk__strdup(href) : NULL;
    if (href && !h) {
        tmk_error_set(z->c->err, TMK_ENOMEM, 0, 0, "out of memory");
        fail(z, TMK_ENOMEM);
    }
    z->fstack[z->fsp] = fmt;
    z->hstack[z->fsp++] = h;
}

static void fpop(zr *z)
{
    if (z->fover)
        z->fover--;
    else if (z->fsp)
        free(z->hstack[--z->fsp]);
}

static unsigned ftop(const zr *z, const char **href)
{
    *href = z->fsp ? z->hstack[z->fsp - 1] : NULL;
    return z->fsp ? z->fstack[z->fsp - 1] : 0;
}

static void XMLCALL odt_start(void *ud, const char *name, const char **atts)
{
    zr *z = ud;
    if (in_skipped(z, 1))
        return;
    const char *l;
    enum ns ns = split(name, &l);
    if (z->mode == 5 && ns != NS_OFFICE && ns != NS_STYLE) /* styles.xml: styles only */
        return;
    if (ns == NS_OFFICE) {
        if (!strcmp(l, "annotation") || !strcmp(l, "forms"))
            z->skip = 1;
        else if (!strcmp(l, "automatic-styles") || (z->mode == 5 && !strcmp(l, "styles")))
            z->in_autostyles = 1;
        return;
    }
    if (ns == NS_SVG && (!strcmp(l, "title") || !strcmp(l, "desc"))) {
        z->skip = 1;
        return;
    }
    if (ns == NS_STYLE && z->in_autostyles) {
        if (!strcmp(l, "style")) {
            free(z->cur_style);
            free(z->cur_parent);
            const char *n = attr(atts, NS_STYLE, "name");
            const char *pa = attr(atts, NS_STYLE, "parent-style-name");
            z->cur_style = n ? tmk__strdup(n) : NULL;
            z->cur_parent = pa && z->c->spans ? tmk__strdup(pa) : NULL;
            z->cur_style_level = 0;
            z->cur_style_fmt = 0;
        } else if (!strcmp(l, "text-properties") && z->cur_style) {
            const char *d = attr(atts, NS_TEXT, "display");
            if (d && !strcmp(d, "none") && z->mode != 5)
                z->cur_style_level = 1; /* hidden */
            if (z->c->spans)
                z->cur_style_fmt = odt_text_props(atts);
        }
        return;
    }
    if (ns == NS_TABLE && (!strcmp(l, "table-cell") || !strcmp(l, "covered-table-cell"))) {
        z->cell++;
        return;
    }
    if (ns == NS_DRAW && !strcmp(l, "text-box")) {
        z->textbox++;
        return;
    }
    if (ns != NS_TEXT)
        return;
    static const char *const skipped[] = {
        "tracked-changes", "note-citation", "table-of-content", "alphabetical-index",
        "illustration-index", "table-index", "object-index", "user-index", "bibliography",
        "sequence-decls", "variable-decls", "user-field-decls", "dde-connection-decls",
        "hidden-text", "change", "deletion", "ruby-text"};
    for (size_t i = 0; i < sizeof skipped / sizeof *skipped; i++)
        if (!strcmp(l, skipped[i])) {
            z->skip = 1;
            return;
        }
    if (odt_hidden(z, atts)) {
        z->skip = 1;
        return;
    }
    if (z->c->spans) {
        const char *href;
        unsigned f = ftop(z, &href);
        if (!strcmp(l, "p") || !strcmp(l, "h")) {
            /* a paragraph's direct formatting only: the bold of a heading
             * style is the style's look, not a tag */
            const struct style *ps = style_find(z, attr(atts, NS_TEXT, "style-name"));
            fpush(z, ps && ps->content ? ps->fmt : 0, NULL);
        }
        else if (!strcmp(l, "span"))
            fpush(z, f | style_fmt(z, attr(atts, NS_TEXT, "style-name")), href);
        else if (!strcmp(l, "a")) {
            const char *t = attr(atts, NS_XLINK, "href");
            fpush(z, f | (t ? BIT(TMK_DOC_LINK) : 0), t ? t : href);
        }
    }
    if (!strcmp(l, "p")) {
        open_para(z, context_kind(z), 0);
    } else if (!strcmp(l, "h")) {
        const char *v = attr(atts, NS_TEXT, "outline-level");
        int lv = v ? atoi(v) : 1;
        open_para(z, TMK_DOC_HEADING, lv < 1 ? 1 : lv > 9 ? 9 : lv);
    } else if (!strcmp(l, "list-item") || !strcmp(l, "list-header")) {
        z->list++;
    } else if (!strcmp(l, "note-body")) {
        z->notebody++;
    } else if (!strcmp(l, "s") || !strcmp(l, "tab")) {
        struct open_para *o = top(z);
        if (o)
            doc_text_space(&o->t);
    } else if (!strcmp(l, "line-break")) {
        struct open_para *o = top(z);
        if (o)
            doc_text_break(&o->t);
    }
}

static void XMLCALL odt_end(void *ud, const char *name)
{
    zr *z = ud;
    if (in_skipped(z, -1))
        return;
    const char *l;
    enum ns ns = split(name, &l);
    if (z->mode == 5 && ns != NS_OFFICE && ns != NS_STYLE)
        return;
    if (ns == NS_OFFICE && (!strcmp(l, "automatic-styles") || !strcmp(l, "styles")))
        z->in_autostyles = 0;
    else if (ns == NS_STYLE && z->in_autostyles && !strcmp(l, "style") && z->cur_style) {
        if ((z->cur_style_level || z->cur_style_fmt || z->cur_parent) &&
            style_add(z, z->cur_style, 0, z->cur_style_level, z->cur_style_fmt,
                      z->cur_parent)) {
            tmk_error_set(z->c->err, TMK_ENOMEM, 0, 0, "out of memory");
            fail(z, TMK_ENOMEM);
        }
        free(z->cur_style);
        z->cur_style = NULL;
    } else if (ns == NS_TABLE && (!strcmp(l, "table-cell") || !strcmp(l, "covered-table-cell"))) {
        if (z->cell)
            z->cell--;
    } else if (ns == NS_DRAW && !strcmp(l, "text-box")) {
        if (z->textbox)
            z->textbox--;
    } else if (ns == NS_TEXT) {
        if (z->c->spans && (!strcmp(l, "p") || !strcmp(l, "h") || !strcmp(l, "span") ||
                            !strcmp(l, "a")))
            fpop(z);
        if (!strcmp(l, "p") || !strcmp(l, "h"))
            close_para(z);
        else if ((!strcmp(l, "list-item") || !strcmp(l, "list-header")) && z->list)
            z->list--;
        else if (!strcmp(l, "note-body") && z->notebody)
            z->notebody--;
    }
}

static void XMLCALL odt_chars(void *ud, const char *s, int n)
{
    zr *z = ud;
    if (z->skip || n <= 0)
        return;
    struct open_para *o = top(z);
    if (o && o->t.track)
        o->t.fmt = ftop(z, &o->t.href);
    add_text(z, s, (size_t)n);
}

/* --- common ---------------------------------------------------------- */

static void XMLCALL on_doctype(void *ud, const char *name, const char *sysid,
                               const char *pubid, int has_internal)
{
    zr *z = ud;
    (void)name, (void)sysid, (void)pubid, (void)has_internal;
    tmk_error_set(z->c->err, TMK_ESYNTAX, (unsigned long)XML_GetCurrentLineNumber(z->p),
                  (unsigned long)XML_GetCurrentColumnNumber(z->p) + 1,
                  "%s: a document type declaration, which office documents never have: the "
                  "file is damaged or was made to attack XML readers; tmkit does not read it",
                  z->part);
    fail(z, TMK_ESYNTAX);
}

/* Read one member through expat; missing: TMK_ENOTFOUND (no error set). */
static int read_member(zr *z, zip_t *za, const char *member, XML_StartElementHandler st,
                       XML_EndElementHandler en, XML_CharacterDataHandler ch)
{
    zip_int64_t idx = zip_name_locate(za, member, 0);
    if (idx < 0)
        return TMK_ENOTFOUND;
    zip_file_t *f = zip_fopen_index(za, (zip_uint64_t)idx, 0);
    if (!f) {
        zip_error_t *ze = zip_get_error(za);
        int ze_code = zip_error_code_zip(ze);
        if (ze_code == ZIP_ER_NOPASSWD || ze_code == ZIP_ER_WRONGPASSWD ||
            ze_code == ZIP_ER_ENCRNOTSUPP)
            return tmk_error_set(z->c->err, TMK_ESYNTAX, 0, 0,
                                 "%s is password-protected (encrypted): save it without a "
                                 "password first",
                                 member);
        return tmk_error_set(z->c->err, TMK_ESYNTAX, 0, 0,
                             "cannot unpack %s: %s; the document is damaged or truncated: "
                             "open it and save it again",
                             member, zip_error_strerror(ze));
    }
    XML_Parser p = XML_ParserCreateNS(NULL, NS_SEP);
    if (!p) {
        zip_fclose(f);
        return tmk_error_set(z->c->err, TMK_ENOMEM, 0, 0, "out of memory");
    }
    z->p = p;
    z->part = member;
    z->rc = TMK_OK;
    z->skip = 0;
    z->sp = 0;
    z->overflow = 0;
    z->carry = z->in_instr = z->toc_sdt = 0;
    z->fld_depth = z->fld_hide = 0;
    while (z->fsp)
        free(z->hstack[--z->fsp]);
    z->fover = 0;
    XML_SetUserData(p, z);
    XML_SetElementHandler(p, st, en);
    XML_SetCharacterDataHandler(p, ch);
    XML_SetStartDoctypeDeclHandler(p, on_doctype);
    XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
    char chunk[16384];
    size_t total = 0;
    int rc = TMK_OK;
    for (;;) {
        zip_int64_t n = zip_fread(f, chunk, sizeof chunk);
        if (n < 0) {
            rc = tmk_error_set(z->c->err, TMK_ESYNTAX, 0, 0,
                               "cannot unpack %s: %s; the document is damaged or truncated: "
                               "open it and save it again",
                               member, zip_error_strerror(zip_file_get_error(f)));
            break;
        }
        total += (size_t)n;
        if (total > z->c->max_member) {
            rc = tmk_error_set(z->c->err, TMK_ELIMIT, 0, 0,
                               "%s unpacks to more than %zu MiB, more than any text document "
                               "holds (a zip bomb?); tmkit stops reading there",
                               member, z->c->max_member >> 20);
            break;
        }
        if (XML_Parse(p, chunk, (int)n, n == 0) == XML_STATUS_ERROR) {
            enum XML_Error xe = XML_GetErrorCode(p);
            XML_Index at = XML_GetCurrentByteIndex(p);
            size_t base = total - (size_t)n;
            /* bytes that are not UTF-8 (expat says only "invalid token"):
             * say so, with the byte; the position is that byte's */
            size_t off = at >= 0 && (size_t)at >= base ? (size_t)at - base : (size_t)n;
            int not_utf8 = (xe == XML_ERROR_INVALID_TOKEN || xe == XML_ERROR_PARTIAL_CHAR) &&
                           off < (size_t)n && (unsigned char)chunk[off] >= 0x80 &&
                           (n - (zip_int64_t)off >= 4 || xe == XML_ERROR_PARTIAL_CHAR) &&
                           tmk_utf8_valid_prefix(chunk + off, (size_t)n - off < 4
                                                                  ? (size_t)n - off
                                                                  : 4) == 0;
            if (z->rc != TMK_OK)
                rc = z->rc;
            else if (not_utf8)
                rc = tmk_error_set_detail(
                    z->c->err, TMK_EENCODING, TMK_D_DAMAGED_UTF8, /* not another --encoding */
                    (unsigned long)XML_GetCurrentLineNumber(p),
                    (unsigned long)XML_GetCurrentColumnNumber(p) + 1,
                    "%s: not valid UTF-8 (byte 0x%02X): the document is damaged (a tool "
                    "wrote text in another encoding into it): open it and save it again in "
                    "Word or LibreOffice",
                    member, (unsigned char)chunk[off]);
            else
                rc = tmk_error_set(z->c->err, TMK_ESYNTAX,
                                   (unsigned long)XML_GetCurrentLineNumber(p),
                                   (unsigned long)XML_GetCurrentColumnNumber(p) + 1,
                                   "%s: %s; the document is damaged: open it and save it "
                                   "again in Word or LibreOffice",
                                   member, XML_ErrorString(XML_GetErrorCode(p)));
            break;
        }
        if (n == 0)
            break;
    }
    XML_ParserFree(p);
    z->p = NULL;
    zip_fclose(f);
    return rc;
}

int tmk__doc_read_zip(struct doc_ctx *c, const void *data, size_t len, enum tmk_decode_content kind)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze) : NULL;
    if (!za) {
        int rc;
        if (zip_error_code_zip(&ze) == ZIP_ER_MEMORY)
            rc = tmk_error_set(c->err, TMK_ENOMEM, 0, 0, "out of memory");
        else
            rc = tmk_error_set(c->err, TMK_ESYNTAX, 0, 0,
                               "the zip container of this %s is damaged or truncated (%s): "
                               "open it and save it again, or get a complete copy",
                               kind == TMK_CONTENT_ODT ? "ODT" : "DOCX", zip_error_strerror(&ze));
        if (src)
            zip_source_free(src);
        zip_error_fini(&ze);
        return rc;
    }
    zip_error_fini(&ze);
    zr z;
    memset(&z, 0, sizeof z);
    z.c = c;
    z.kind = kind;
    z.note_id = -1;
    for (unsigned i = 0; i < MAX_NEST; i++)
        tmk_buf_init(&z.stack[i].t.b);
    int rc = TMK_OK;
    if (kind == TMK_CONTENT_DOCX) {
        /* the parts read before the text, each of them optional: the
         * links (for spans only), the styles, the notes */
        static const struct {
            int mode;
            const char *name;
        } parts[] = {{4, "word/_rels/document.xml.rels"},
                     {2, "word/styles.xml"},
                     {1, "word/footnotes.xml"},
                     {1, "word/endnotes.xml"}};
        for (size_t i = 0; i < sizeof parts / sizeof *parts && rc == TMK_OK; i++) {
            if (parts[i].mode == 4 && !c->spans)
                continue;
            z.mode = parts[i].mode;
            if (z.mode == 4)
                rc = read_member(&z, za, parts[i].name, rels_start, rels_end, rels_chars);
            else
                rc = read_member(&z, za, parts[i].name, docx_start, docx_end, docx_chars);
            if (rc == TMK_ENOTFOUND)
                rc = TMK_OK;
        }
        z.mode = 0;
        if (rc == TMK_OK)
            rc = read_member(&z, za, "word/document.xml", docx_start, docx_end, docx_chars);
        if (rc == TMK_ENOTFOUND)
            rc = tmk_error_set(c->err, TMK_ESYNTAX, 0, 0,
                               "this Word file has no word/document.xml: it is damaged, or "
                               "holds no text (macros only?)");
    } else {
        if (c->spans) {
            z.mode = 5;
            rc = read_member(&z, za, "styles.xml", odt_start, odt_end, odt_chars);
            if (rc == TMK_ENOTFOUND)
                rc = TMK_OK;
        }
        z.mode = 3;
        if (rc == TMK_OK)
            rc = read_member(&z, za, "content.xml", odt_start, odt_end, odt_chars);
        if (rc == TMK_ENOTFOUND)
            rc = tmk_error_set(c->err, TMK_ESYNTAX, 0, 0,
                               "this OpenDocument file has no content.xml: it is damaged");
    }
    if (rc == TMK_OK)
        rc = flush_pending(&z);
    for (unsigned i = 0; i < MAX_NEST; i++)
        doc_text_release(&z.stack[i].t);
    q_free(&z.pending);
    q_free(&z.notes);
    for (size_t i = 0; i < z.nstyles; i++) {
        free(z.styles[i].id);
        free(z.styles[i].parent);
    }
    free(z.styles);
    free(z.cur_style);
    free(z.cur_parent);
    for (size_t i = 0; i < z.nrels; i++) {
        free(z.rels[i].id);
        free(z.rels[i].target);
    }
    free(z.rels);
    free(z.link_own);
    while (z.fsp)
        free(z.hstack[--z.fsp]);
    zip_close(za); /* read-only: frees src too */
    return rc;
}
