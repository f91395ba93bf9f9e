/* tm_table.c -- TMX units as rows of a translation table (TSV, sheet, CSV;
 * tmkit/tsv.h) and back: tmk_table_writer chooses the two tuvs of the
 * columns, their cell text (plain, or TMX inline markup as XML) and the
 * review prop columns of a sheet; tmk_table_reader finds the languages and
 * prop columns, reads scores and markup cells, and gives units.  Both count
 * what a row cannot hold. */
#include <config.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

/* The props a reviewer needs, one sheet column each after the two texts. */
static const char *const review_props[] = {"x-alignment-score", "x-alignment-bead",
                                           "x-spell-errors"};
#define N_REVIEW_PROPS 3

struct tmk_table_writer {
    enum tmk_tsv_dialect d;
    unsigned flags;
    char *pair_src, *pair_tgt; /* the pair asked for, or NULL */
    char *col_a, *col_b;       /* the columns fixed by the first unit */
    char *hdr_src;             /* the memory's header srclang */
    int header_done;
    tmk_table_sink sink;
    void *ud;
    tmk_table_write_counts n;
    tmk_buf a, b, row, lb;
};

void tmk_table_writer_free(tmk_table_writer *w)
{
    if (!w)
        return;
    free(w->pair_src);
    free(w->pair_tgt);
    free(w->col_a);
    free(w->col_b);
    free(w->hdr_src);
    tmk_buf_release(&w->a);
    tmk_buf_release(&w->b);
    tmk_buf_release(&w->row);
    tmk_buf_release(&w->lb);
    free(w);
}

int tmk_table_writer_new(tmk_table_writer **out, const tmk_table_write_options *opt,
                         tmk_table_sink sink, void *ud, tmk_error *err)
{
    *out = NULL;
    tmk_table_write_options o = TMK_TABLE_WRITE_OPTIONS_INIT;
    tmk__options_copy(&o, sizeof o, opt);
    if ((o.src != NULL) != (o.tgt != NULL) || !sink || (unsigned)o.dialect > TMK_TSV_CSV)
        return tmk_error_set(err, TMK_EINVAL, 0, 0,
                             "a table writer needs a sink, a dialect, and both languages or none");
    tmk_table_writer *w = calloc(1, sizeof *w);
    if (!w)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    w->d = o.dialect;
    w->flags = o.flags;
    w->sink = sink;
    w->ud = ud;
    tmk_buf_init(&w->a);
    tmk_buf_init(&w->b);
    tmk_buf_init(&w->row);
    tmk_buf_init(&w->lb);
    if (o.src && (!(w->pair_src = tmk__strdup(o.src)) || !(w->pair_tgt = tmk__strdup(o.tgt)))) {
        tmk_table_writer_free(w);
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    }
    *out = w;
    return TMK_OK;
}

int tmk_table_writer_header(tmk_table_writer *w, const char *srclang, tmk_error *err)
{
    free(w->hdr_src);
    w->hdr_src = srclang ? tmk__strdup(srclang) : NULL;
    if (srclang && !w->hdr_src)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    return TMK_OK;
}

const tmk_table_write_counts *tmk_table_writer_counts(const tmk_table_writer *w)
{
    return &w->n;
}

const char *tmk_table_writer_column(const tmk_table_writer *w, int i)
{
    if (w->pair_src)
        return i ? w->pair_tgt : w->pair_src;
    return i ? w->col_b : w->col_a;
}

static int lang_same(const char *a, const char *b)
{
    return tmk_lang_match(a, b) || tmk_lang_match(b, a);
}

/* The languages of a unit, for a message: "de-DE, en-US, es-ES"; the
 * first MAX_LISTED, then ", ..." (a unit may have thousands of tuvs: the
 * list costs n * MAX_LISTED comparisons, not n * n). */
#define MAX_LISTED 10
static void unit_langs(const tmk_tmx_tu *tu, tmk_buf *o)
{
    size_t listed[MAX_LISTED], n = 0;
    tmk_buf_reset(o);
    for (size_t i = 0; i < tu->ntuvs; i++) {
        size_t k = 0;
        while (k < n && !lang_same(tu->tuvs[listed[k]].lang, tu->tuvs[i].lang))
            k++;
        if (k < n)
            continue;
        if (n == MAX_LISTED) {
            tmk_buf_adds(o, ", ...");
            break;
        }
        listed[n++] = i;
        if (o->len)
            tmk_buf_adds(o, ", ");
        tmk_buf_adds(o, tu->tuvs[i].lang ? tu->tuvs[i].lang : "?");
    }
}

static const char *dialect_name(enum tmk_tsv_dialect d)
{
    return d == TMK_TSV_CSV ? "CSV" : d == TMK_TSV_SHEET ? "sheet" : "TSV";
}

/* The two tuvs of a unit that go into the two columns.  A column holds one
 * language: the first unit written fixes them (or the pair asked for
 * does); a unit with more languages, or with others, is TMK_EINVAL with a
 * message that names them.  Returns 1 with *si, *ti set, 0 to skip the
 * unit (fewer than two languages), <0 to stop. */
static int pick_columns(tmk_table_writer *w, const tmk_tmx_tu *tu, long *si, long *ti, tmk_error *err)
{
    if (w->pair_src || w->col_a) {
        const char *la = tmk_table_writer_column(w, 0), *lb = tmk_table_writer_column(w, 1);
        *si = tmk_tmx_find_tuv(tu, la);
        *ti = tmk_tmx_find_tuv(tu, lb);
        if (*si >= 0 && *ti >= 0 && *si != *ti) {
            if (w->pair_src)
                w->n.other_tuvs += tu->ntuvs - 2;
            if (w->pair_src || tu->ntuvs == 2)
                return 1;
        } else if (w->pair_src || tu->ntuvs < 2) {
            return 0;
        }
    } else {
        if (tu->ntuvs < 2)
            return 0;
        *si = tmk_tmx_source_tuv(tu, w->hdr_src);
        *ti = -1;
        for (size_t i = 0; i < tu->ntuvs && *ti < 0; i++)
            if ((long)i != *si)
                *ti = (long)i;
        if (tu->ntuvs == 2 && !lang_same(tu->tuvs[0].lang, tu->tuvs[1].lang)) {
            w->col_a = tmk__strdup(tu->tuvs[*si].lang ? tu->tuvs[*si].lang : "");
            w->col_b = tmk__strdup(tu->tuvs[*ti].lang ? tu->tuvs[*ti].lang : "");
            if (!w->col_a || !w->col_b)
                return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
            return 1;
        }
        if (tu->ntuvs == 2)
            return 0; /* two tuvs in one language: no pair */
    }
    unit_langs(tu, &w->lb);
    tmk_buf tmp = TMK_BUF_INIT;
    if (w->col_a)
        tmk_buf_printf(&tmp, "; the columns hold %s and %s (from the first unit)", w->col_a,
                       w->col_b);
    tmk_error_set(err, TMK_EINVAL, 0, 0,
                  "unit %lu has the languages %s%s; a %s row holds one language per column",
                  w->n.units_in, w->lb.data, tmp.data, dialect_name(w->d));
    tmk_buf_release(&tmp);
    return TMK_EINVAL;
}

/* XML content with every CR as &#13;. */
static int add_cr_escaped(tmk_buf *out, const char *s, size_t n)
{
    const char *cr;
    while ((cr = memchr(s, '\r', n))) {
        if (tmk_buf_add(out, s, (size_t)(cr - s)) < 0 || tmk_buf_adds(out, "&#13;") < 0)
            return TMK_ENOMEM;
        n -= (size_t)(cr - s) + 1;
        s = cr + 1;
    }
    return tmk_buf_add(out, s, n);
}

/* A tuv's text for a cell: with TMK_TABLE_KEEP_MARKUP as TMX XML (plain
 * text escaped too, so that every cell reads back the same way; CR as
 * &#13;, which an XML reader would read as LF), else the plain text. */
static int cell_text(const tmk_table_writer *w, const tmk_tmx_tuv *v, tmk_buf *out)
{
    if (w->flags & TMK_TABLE_KEEP_MARKUP)
        return v->markup ? add_cr_escaped(out, v->seg, v->seg_len)
                         : tmk_buf_add_xml_ex(out, v->seg, v->seg_len, TMK_XML_CR);
    if (!v->markup)
        return tmk_buf_add(out, v->seg, v->seg_len);
    return tmk_tmx_seg_text(v->seg, v->seg_len, 1, out);
}


/* Whether the unit has props or notes a row does not hold (a sheet holds
 * the review props, one column each). */
static int has_other_props(const tmk_table_writer *w, const tmk_tmx_tu *tu)
{
    if (tu->nnotes)
        return 1;
    for (size_t k = 0; k <= tu->ntuvs; k++) {
        const tmk_tmx_prop *p = k < tu->ntuvs ? tu->tuvs[k].props : tu->props;
        size_t n = k < tu->ntuvs ? tu->tuvs[k].nprops : tu->nprops;
        if (k < tu->ntuvs && tu->tuvs[k].nnotes)
            return 1;
        for (size_t i = 0; i < n; i++) {
            int review = 0;
            for (int r = 0; w->d == TMK_TSV_SHEET && r < N_REVIEW_PROPS && !review; r++)
                review = p[i].type && !strcmp(p[i].type, review_props[r]);
            if (!review)
                return 1;
        }
    }
    return 0;
}

static int put_field(tmk_table_writer *w, const char *s, size_t n)
{
    return tmk_tsv_field_add(&w->row, s, n, w->d);
}

int tmk_table_writer_row(tmk_table_writer *w, const char *a, size_t an, const char *b, size_t bn,
                         const tmk_tmx_tu *tu, tmk_error *err)
{
    int rc = 0;
    char sep = w->d == TMK_TSV_CSV ? ',' : '\t';
    const char *eol = w->d == TMK_TSV_CSV ? "\r\n" : "\n";
    tmk_buf_reset(&w->row);
    if (w->d != TMK_TSV && !w->header_done) {
        /* the first row names the languages (and the prop columns) */
        const char *la = tmk_table_writer_column(w, 0), *lb = tmk_table_writer_column(w, 1);
        w->header_done = 1;
        rc |= put_field(w, la ? la : "", la ? strlen(la) : 0);
        rc |= tmk_buf_addch(&w->row, sep);
        rc |= put_field(w, lb ? lb : "", lb ? strlen(lb) : 0);
        for (int k = 0; w->d == TMK_TSV_SHEET && k < N_REVIEW_PROPS; k++) {
            rc |= tmk_buf_addch(&w->row, sep);
            rc |= tmk_buf_adds(&w->row, review_props[k]);
        }
        rc |= tmk_buf_adds(&w->row, eol);
    }
    rc |= put_field(w, a, an);
    rc |= tmk_buf_addch(&w->row, sep);
    rc |= put_field(w, b, bn);
    for (int k = 0; w->d == TMK_TSV_SHEET && k < N_REVIEW_PROPS; k++) {
        const char *v = tu ? tmk_tmx_unit_prop(tu, review_props[k]) : NULL;
        rc |= tmk_buf_addch(&w->row, sep);
        if (v)
            rc |= put_field(w, v, strlen(v));
    }
    rc |= tmk_buf_adds(&w->row, eol);
    if (rc < 0)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    rc = w->sink(w->ud, w->row.data, w->row.len);
    if (rc) {
        rc = rc < 0 ? rc : TMK_ECANCELED;
        if (err && !err->code)
            tmk_error_set(err, rc, 0, 0, "cannot write the table");
        return rc;
    }
    return TMK_OK;
}

int tmk_table_writer_add(tmk_table_writer *w, const tmk_tmx_tu *tu, tmk_error *err)
{
    w->n.units_in++;
    long si = -1, ti = -1;
    int p = pick_columns(w, tu, &si, &ti, err);
    if (p < 0)
        return p;
    if (!p) {
        w->n.skipped++;
        return TMK_OK;
    }
    if (!(w->flags & TMK_TABLE_KEEP_MARKUP) && (tu->tuvs[si].markup || tu->tuvs[ti].markup))
        w->n.markup_units++;
    tmk_buf_reset(&w->a);
    tmk_buf_reset(&w->b);
    if (cell_text(w, &tu->tuvs[si], &w->a) < 0 || cell_text(w, &tu->tuvs[ti], &w->b) < 0)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    if ((!w->a.len && tu->tuvs[si].markup) || (!w->b.len && tu->tuvs[ti].markup)) {
        /* only tags: an empty cell would read back as no pair */
        w->n.markup_only++;
        return TMK_OK;
    }
    if (has_other_props(w, tu))
        w->n.props_units++;
    int rc = tmk_table_writer_row(w, w->a.data, w->a.len, w->b.data, w->b.len, tu, err);
    if (rc == TMK_OK)
        w->n.units_out++;
    return rc;
}

/* ---- table rows as TMX units ---------------------------------------------- */

#define MAX_COLS TMK_TSV_MAX_FIELDS

struct tmk_table_reader {
    int finished; /* tmk_table_reader_finish was called (tmkit.h rule 6) */
    enum tmk_tsv_dialect d;
    unsigned flags;
    char *name;
    char *src, *tgt;                /* the column languages (options or first row) */
    int src_given;                  /* src/tgt came from the options */
    char *colprop[MAX_COLS];        /* prop type of each column from 2 on (NULL: none) */
    int named_cols;                 /* colprop[] came from a header row */
    size_t header_cols;             /* cells of the header row */
    tmk_tsv_reader *tr;
    size_t row_nfields;             /* fields of the row being read, also those not given */
    tmk_table_unit_cb on_unit;
    tmk_table_warn_cb on_warn;
    void *ud;
    tmk_table_read_counts n;
    tmk_error err;                  /* an error of the row callback */
    tmk_buf ma, mb;
    /* the bytes before the TSV reader: UTF-16/32 with a BOM (Excel's
     * "Unicode Text") through a decoder, anything else checked as UTF-8 */
    int started;
    unsigned char head[4];
    size_t nhead;
    tmk_decoder *dec;
    tmk_buf dec_out;
    unsigned long vline, vcol;      /* where the UTF-8 check is (1-based line) */
    unsigned char vcarry[4];        /* a character cut by the chunk end */
    size_t nvcarry;
};

/* Tell the warning callback: TMK_OK, or its code when it stops the reader. */
static int warn(tmk_table_reader *r, int kind, unsigned long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int warn(tmk_table_reader *r, int kind, unsigned long line, const char *fmt, ...)
{
    if (!r->on_warn)
        return TMK_OK;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    tmk_table_warning w = {kind, line, msg};
    int rc = r->on_warn(r->ud, &w);
    return rc > 0 ? TMK_ECANCELED : rc;
}

static int bad_line(tmk_table_reader *r, unsigned long line, unsigned long col, const char *msg)
{
    tmk_error_set(&r->err, TMK_ESYNTAX, line, col, "%s", msg);
    return TMK_ESYNTAX;
}

/* A score column: 1 when s is a number from 0 to 1 (a decimal comma, as a
 * German spreadsheet writes it, is read as a point; out[] gets the number
 * with a point), -1 when it is a number outside 0..1, 0 when it is no
 * number. */
static int is_score(const char *s, size_t n, char out[64])
{
    if (!n || n >= 64 || !strchr("0123456789.,", s[0]))
        return 0;
    size_t sep = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '.' || s[i] == ',') {
            if (sep++)
                return 0;
            out[i] = '.';
        } else if (s[i] >= '0' && s[i] <= '9')
            out[i] = s[i];
        else
            return 0;
    }
    out[n] = 0;
    double v = strtod(out, NULL);
    return v >= 0 && v <= 1 ? 1 : -1;
}

/* A cell read with TMK_TABLE_KEEP_MARKUP: TMX <seg> content.  It is parsed
 * as such (well-formed, inline elements of TMX only) and given back as the
 * reader gives it: markup = 1 with XML, else plain text with entities
 * decoded. */
typedef struct {
    tmk_buf *out;
    int markup;
    char problem[200]; /* the first rule the cell breaks */
} seg_take;

static int seg_problem(void *ud, const tmk_tmx_finding *p)
{
    seg_take *t = ud;
    if (!t->problem[0])
        snprintf(t->problem, sizeof t->problem, "%s", p->msg);
    return 0;
}

static int take_seg(void *ud, const tmk_tmx_tu *tu)
{
    seg_take *t = ud;
    if (tu->ntuvs != 1)
        return TMK_ESYNTAX;
    t->markup = tu->tuvs[0].markup;
    return tmk_buf_add(t->out, tu->tuvs[0].seg, tu->tuvs[0].seg_len);
}

static int markup_cell(tmk_table_reader *r, unsigned long line, const char *which, const char *s,
                       size_t n, tmk_buf *out, int *markup)
{
    static const char head[] =
        "<tmx version=\"1.4\"><header creationtool=\"t\" creationtoolversion=\"1\" "
        "segtype=\"sentence\" o-tmf=\"t\" adminlang=\"en\" srclang=\"en\" "
        "datatype=\"plaintext\"/><body><tu><tuv xml:lang=\"en\"><seg>";
    static const char tail[] = "</seg></tuv></tu></body></tmx>";
    tmk_error e = TMK_ERROR_INIT;
    seg_take t = {out, 0, {0}};
    tmk_buf_reset(out);
    tmk_tmx_read_options xo = TMK_TMX_READ_OPTIONS_INIT;
    xo.name = r->name;
    tmk_tmx_reader *x;
    if (tmk_tmx_reader_new(&x, &xo, NULL, take_seg, seg_problem, &t, &e) < 0)
        return tmk_error_set(&r->err, TMK_ENOMEM, 0, 0, "out of memory");
    int rc = tmk_tmx_reader_feed(x, head, sizeof head - 1, &e);
    if (rc == TMK_OK)
        rc = tmk_tmx_reader_feed(x, s, n, &e);
    if (rc == TMK_OK)
        rc = tmk_tmx_reader_feed(x, tail, sizeof tail - 1, &e);
    if (rc == TMK_OK)
        rc = tmk_tmx_reader_finish(x, &e);
    tmk_tmx_reader_free(x);
    if (rc == TMK_ENOMEM)
        return tmk_error_set(&r->err, TMK_ENOMEM, 0, 0, "out of memory");
    if (rc == TMK_OK && t.problem[0])
        return tmk_error_set(&r->err, TMK_ESYNTAX, line, 0, "the %s text: %s", which, t.problem);
    if (rc < 0)
        return tmk_error_set(&r->err, TMK_ESYNTAX, line, 0,
                             "the %s text is not TMX text with inline markup: with --keep-markup "
                             "write & < > as &amp; &lt; &gt; and keep the TMX tags (bpt, ept, ph, "
                             "it, hi, sub, ut) whole; or convert without --keep-markup",
                             which);
    *markup = t.markup;
    return TMK_OK;
}

static int add_pair(tmk_table_reader *r, unsigned long line, const char *a, size_t an,
                    const char *b, size_t bn, const tmk_tmx_prop *props, size_t np)
{
    r->n.units_in++;
    if (!an || !bn) { /* a one-sided or blank row of a review sheet: no pair */
        r->n.skipped++;
        return TMK_OK;
    }
    tmk_tmx_tuv v[2] = {{.lang = r->src, .seg = a, .seg_len = an},
                    {.lang = r->tgt, .seg = b, .seg_len = bn}};
    /* x-spell-errors is about the source text: on the source tuv, where
     * tmkit build writes it (so a review round trip keeps its place); the
     * others are unit props */
    tmk_tmx_prop up[MAX_COLS];
    size_t nup = 0;
    for (size_t i = 0; i < np && i < MAX_COLS; i++) {
        if (!v[0].nprops && !strcmp(props[i].type, "x-spell-errors")) {
            v[0].props = &props[i];
            v[0].nprops = 1;
        } else {
            up[nup++] = props[i];
        }
    }
    int rc = TMK_OK;
    if (r->flags & TMK_TABLE_KEEP_MARKUP) {
        rc = markup_cell(r, line, "source", a, an, &r->ma, &v[0].markup);
        if (rc == TMK_OK)
            rc = markup_cell(r, line, "target", b, bn, &r->mb, &v[1].markup);
        v[0].seg = r->ma.data;
        v[0].seg_len = r->ma.len;
        v[1].seg = r->mb.data;
        v[1].seg_len = r->mb.len;
    }
    tmk_tmx_tu tu = {.props = up, .nprops = nup, .tuvs = v, .ntuvs = 2};
    if (rc == TMK_OK) {
        tmk_table_unit u = {&tu, line};
        rc = r->on_unit ? r->on_unit(r->ud, &u) : 0;
        if (rc > 0)
            rc = TMK_ECANCELED;
    }
    return rc;
}

/* A first row of two language codes is the header (further cells name the
 * prop types of the columns), unless the options name other languages:
 * then it is text that looks like codes ("Nein,Nee").  A code has a
 * primary language of 2 or 3 letters (tmk__lang_plausible): column titles
 * in words (German,English; Quelle;Ziel; Source;Target) are well-formed
 * BCP 47 but no languages, so such a row is not the header (without -s/-t
 * the reader then asks for them).  Returns 1 when it was the header, 0
 * when not, <0 on no memory. */
static int take_header(tmk_table_reader *r, const tmk_tsv_field *f, size_t nf)
{
    if (nf < 2 || !tmk__lang_plausible(f[0].s) || !tmk__lang_plausible(f[1].s))
        return 0;
    if (r->src && !(lang_same(f[0].s, r->src) && lang_same(f[1].s, r->tgt)))
        return 0;
    if (!r->src) {
        r->src = tmk__strdup(f[0].s);
        r->tgt = tmk__strdup(f[1].s);
        if (!r->src || !r->tgt)
            return tmk_error_set(&r->err, TMK_ENOMEM, 0, 0, "out of memory");
    }
    r->named_cols = 1;
    r->header_cols = nf;
    for (size_t k = 2; k < nf && k < MAX_COLS; k++) {
        /* columns named x-... are props; other columns (a reviewer's
         * comments) are not read */
        if (f[k].len > 2 && !strncmp(f[k].s, "x-", 2) && !memchr(f[k].s, 0, f[k].len)) {
            r->colprop[k] = tmk__strdup(f[k].s);
            if (!r->colprop[k])
                return tmk_error_set(&r->err, TMK_ENOMEM, 0, 0, "out of memory");
        }
    }
    return 1;
}

/* One data row (fields already unquoted and unescaped) as a unit. */
static int take_row(tmk_table_reader *r, unsigned long line, const tmk_tsv_field *f, size_t nf)
{
    for (size_t k = 0; k < nf && k < MAX_COLS; k++)
        if (tmk_utf8_valid_prefix(f[k].s, f[k].len) != f[k].len)
            return bad_line(r, line, 0, "not valid UTF-8; convert the file to UTF-8 first");
    if (nf < 2)
        return bad_line(r, line, 0,
                        r->d == TMK_TSV_CSV ? "expected two CSV fields, source and target"
                                            : "expected source TAB target on this line");
    tmk_tmx_prop props[MAX_COLS];
    char num[MAX_COLS][64];
    size_t np = 0;
    /* cells not read: past the fields the reader gives, and non-empty ones
     * without a prop type (columns a header names without x-, such as a
     * reviewer's comments, are not read by design) */
    size_t left = r->row_nfields - nf;
    for (size_t k = 2; k < nf && k < MAX_COLS; k++) {
        const char *type = r->named_cols ? r->colprop[k]
                           : k == 2      ? "x-alignment-score"
                           : k == 3      ? "x-alignment-bead"
                                         : NULL;
        if (!type && f[k].len && !(r->named_cols && k < r->header_cols))
            left++;
        if (!type || !f[k].len)
            continue;
        const char *val = f[k].s;
        if (!strcmp(type, "x-alignment-score")) {
            int sc = is_score(f[k].s, f[k].len, num[k]);
            if (!sc)
                left++; /* a score column that holds no number */
            if (sc < 0 && !r->n.bad_scores++)
                TMK_TRY(warn(r, TMK_TABLE_W_SCORE, line,
                     "the score %s is not between 0 and 1, so it is left out (did a spreadsheet "
                     "read 0.902 as 902? import that column as text); further such lines are "
                     "not reported",
                     f[k].s));
            if (sc <= 0)
                continue;
            val = num[k];
        }
        props[np++] = (tmk_tmx_prop){.type = type, .value = val};
    }
    if (left && !r->n.cells_rows++)
        TMK_TRY(warn(r, TMK_TABLE_W_CELLS, line,
             "%zu cell(s) after the source and target %s left out: %s; further such rows are "
             "counted",
             left, left == 1 ? "is" : "are",
             r->named_cols ? "only the columns whose first row names a prop type (x-...) are "
                             "read, and a row may not have more cells than the first row"
                           : "a tsv row holds source, target, a score from 0 to 1 and a bead "
                             "type; a TAB inside a text must be written \\t"));
    return add_pair(r, line, f[0].s, f[0].len, f[1].s, f[1].len, props, np);
}

static int on_row(void *ud, const tmk_tsv_row *row)
{
    tmk_table_reader *r = ud;
    unsigned long line = row->line;
    const tmk_tsv_field *f = row->f;
    size_t nf = row->nf;
    r->row_nfields = row->nfields;
    if (r->d != TMK_TSV && !r->n.rows++) {
        if (r->d == TMK_TSV_CSV && tmk_tsv_reader_delimiter(r->tr) == ';')
            TMK_TRY(warn(r, TMK_TABLE_W_SEMICOLON, 0,
                         "fields separated by ';' (the first line has semicolons and no comma)"));
        for (size_t k = 0; k < 2 && k < nf; k++)
            if (tmk_utf8_valid_prefix(f[k].s, f[k].len) != f[k].len)
                return bad_line(r, line, 0, "not valid UTF-8; convert the file to UTF-8 first");
        int h = take_header(r, f, nf);
        if (h)
            return h < 0 ? h : TMK_OK;
        if (!r->src)
            return tmk_error_set(&r->err, TMK_EINVAL, line, 0,
                                 "the %s file has no language header row",
                                 dialect_name(r->d));
    }
    if (r->d == TMK_TSV_CSV && nf < 2) {
        /* name the separator the line seems to use, if any */
        const char *other = memchr(f[0].s, '\t', f[0].len) ? "TAB"
                            : memchr(f[0].s, '|', f[0].len) ? "'|'"
                            : memchr(f[0].s, ':', f[0].len) ? "':'"
                                                             : NULL;
        char msg[320];
        snprintf(msg, sizeof msg,
                 "expected two CSV fields separated by '%c', source and target%s%s%s",
                 tmk_tsv_reader_delimiter(r->tr), other ? "; this line has " : "",
                 other ? other : "",
                 other ? ": tmkit reads CSV with ',' or ';' (the first line decides) and "
                         "TAB-separated files with --from tsv or --from sheet"
                       : "");
        return bad_line(r, line, 0, msg);
    }
    return take_row(r, line, f, nf);
}

void tmk_table_reader_free(tmk_table_reader *r)
{
    if (!r)
        return;
    tmk_tsv_reader_free(r->tr);
    free(r->name);
    free(r->src);
    free(r->tgt);
    for (size_t k = 0; k < MAX_COLS; k++)
        free(r->colprop[k]);
    tmk_buf_release(&r->ma);
    tmk_buf_release(&r->mb);
    tmk_decoder_free(r->dec);
    tmk_buf_release(&r->dec_out);
    free(r);
}

int tmk_table_reader_new(tmk_table_reader **out, const tmk_table_read_options *opt,
                         tmk_table_unit_cb on_unit, tmk_table_warn_cb on_warn, void *ud,
                         tmk_error *err)
{
    *out = NULL;
    tmk_table_read_options o = TMK_TABLE_READ_OPTIONS_INIT;
    tmk__options_copy(&o, sizeof o, opt);
    if ((o.src != NULL) != (o.tgt != NULL) || (unsigned)o.dialect > TMK_TSV_CSV ||
        (o.dialect == TMK_TSV && !o.src))
        return tmk_error_set(err, TMK_EINVAL, 0, 0,
                             "a table reader needs a known dialect and both languages "
                             "(or none: sheet and CSV name them in their first row)");
    tmk_table_reader *r = calloc(1, sizeof *r);
    if (!r)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    r->d = o.dialect;
    r->flags = o.flags;
    r->on_unit = on_unit;
    r->on_warn = on_warn;
    r->ud = ud;
    tmk_buf_init(&r->ma);
    tmk_buf_init(&r->mb);
    tmk_buf_init(&r->dec_out);
    r->vline = 1;
    int bad = (o.name && !(r->name = tmk__strdup(o.name))) ||
              (o.src && (!(r->src = tmk__strdup(o.src)) || !(r->tgt = tmk__strdup(o.tgt))));
    tmk_tsv_options to = TMK_TSV_OPTIONS_INIT;
    to.dialect = o.dialect;
    if (bad || tmk_tsv_reader_new(&r->tr, &to, on_row, r, err) < 0) {
        tmk_table_reader_free(r);
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    }
    *out = r;
    return TMK_OK;
}

/* the error of a row (ours) or of the TSV reader, named by the input */
static int reader_result(tmk_table_reader *r, int rc, tmk_error *tsverr, tmk_error *err)
{
    if (rc >= 0)
        return TMK_OK;
    if (err && !err->code) {
        *err = r->err.code ? r->err : *tsverr;
        if (!err->file[0])
            tmk_error_set_file(err, r->name);
    }
    return rc;
}

static size_t utf8_seq_len(unsigned char c)
{
    return c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
}

static void count_text(tmk_table_reader *r, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n') {
            r->vline++;
            r->vcol = 0;
        } else if (((unsigned char)s[i] & 0xC0) != 0x80) {
            r->vcol++;
        }
    }
}

/* A table that is not UTF-8 (and has no BOM): the line, column and byte,
 * and how to make it UTF-8 (a spreadsheet's "Text (Tab delimited)" or CSV
 * export is windows-1252). */
static int not_utf8(tmk_table_reader *r, unsigned char c, int cut, tmk_error *e)
{
    const char *n = r->name ? r->name : "FILE";
    if (cut)
        return tmk_error_set(e, TMK_EENCODING, r->vline, r->vcol + 1,
                             "the file ends in the middle of a UTF-8 character (byte 0x%02X)", c);
    return tmk_error_set(e, TMK_EENCODING, r->vline, r->vcol + 1,
                         "byte 0x%02X is not UTF-8: the table is in another encoding (Excel's "
                         "\"Text (Tab delimited)\" and CSV are windows-1252); save it as "
                         "\"Unicode Text\" or UTF-8, or convert it: iconv -f windows-1252 -t "
                         "UTF-8 -o utf8.tsv %s",
                         c, n);
}

/* Check that the raw bytes are UTF-8, carrying a character cut by the
 * chunk end to the next chunk (the TSV reader gets the bytes unchanged). */
static int check_utf8(tmk_table_reader *r, const char *s, size_t n, int final, tmk_error *e)
{
    size_t i = 0;
    if (r->nvcarry) {
        size_t need = utf8_seq_len(r->vcarry[0]);
        while (r->nvcarry < need && i < n)
            r->vcarry[r->nvcarry++] = (unsigned char)s[i++];
        if (r->nvcarry < need && !final)
            return TMK_OK;
        if (tmk_utf8_valid_prefix((const char *)r->vcarry, r->nvcarry) != r->nvcarry)
            return not_utf8(r, r->vcarry[0], r->nvcarry < need, e);
        r->vcol++;
        r->nvcarry = 0;
    }
    while (i < n) {
        size_t ok = tmk_utf8_valid_prefix(s + i, n - i);
        count_text(r, s + i, ok);
        i += ok;
        if (i == n)
            break;
        unsigned char c = (unsigned char)s[i];
        size_t rest = n - i, need = utf8_seq_len(c);
        if (need && rest < need) {
            /* perhaps cut by the chunk end: decided with the next bytes */
            memcpy(r->vcarry, s + i, rest);
            r->nvcarry = rest;
            return final ? not_utf8(r, c, 1, e) : TMK_OK;
        }
        return not_utf8(r, c, 0, e);
    }
    return TMK_OK;
}

/* The input's bytes to the TSV reader: decoded first when the first bytes
 * are a UTF-16 or UTF-32 byte-order mark, else checked as UTF-8. */
static int table_feed(tmk_table_reader *r, const char *data, size_t len, int final, tmk_error *e)
{
    if (!r->started) {
        size_t take = sizeof r->head - r->nhead;
        if (take > len)
            take = len;
        if (take) { /* data is NULL at the end (finish) */
            memcpy(r->head + r->nhead, data, take);
            r->nhead += take;
            data += take;
            len -= take;
        }
        if (r->nhead < sizeof r->head && !final)
            return TMK_OK;
        r->started = 1;
        const unsigned char *h = r->head;
        if (r->nhead >= 2 && ((h[0] == 0xFF && h[1] == 0xFE) || (h[0] == 0xFE && h[1] == 0xFF) ||
                              (r->nhead == 4 && !h[0] && !h[1] && h[2] == 0xFE && h[3] == 0xFF))) {
            int dr = tmk_decoder_new(&r->dec, NULL, r->name, e);
            if (dr < 0)
                return dr;
            tmk_decoder_set_sniff(r->dec, 0, NULL);
        } else if (r->nhead >= 3 && !memcmp(h, "\xEF\xBB\xBF", 3)) {
            r->vcol = (unsigned long)-1; /* the BOM is no column */
        }
        int rc = table_feed(r, (const char *)r->head, r->nhead, final && !len, e);
        if (rc < 0 || !len)
            return rc;
    }
    if (r->dec) {
        tmk_buf_reset(&r->dec_out);
        if (len)
            TMK_TRY(tmk_decoder_feed(r->dec, data, len, &r->dec_out, e));
        if (final)
            TMK_TRY(tmk_decoder_finish(r->dec, &r->dec_out, e));
        return r->dec_out.len ? tmk_tsv_reader_feed(r->tr, r->dec_out.data, r->dec_out.len, e)
                              : TMK_OK;
    }
    TMK_TRY(check_utf8(r, data, len, final, e));
    return len ? tmk_tsv_reader_feed(r->tr, data, len, e) : TMK_OK;
}

int tmk_table_reader_feed(tmk_table_reader *r, const char *data, size_t len, tmk_error *err)
{
    if (r->finished)
        return tmk__after_finish(err, "table reader");
    tmk_error e = TMK_ERROR_INIT;
    return reader_result(r, table_feed(r, data, len, 0, &e), &e, err);
}

int tmk_table_reader_finish(tmk_table_reader *r, tmk_error *err)
{
    if (r->finished)
        return tmk__after_finish(err, "table reader");
    r->finished = 1;
    tmk_error e = TMK_ERROR_INIT;
    int rc = table_feed(r, NULL, 0, 1, &e);
    if (rc >= 0)
        rc = tmk_tsv_reader_finish(r->tr, &e);
    return reader_result(r, rc, &e, err);
}

const char *tmk_table_reader_column(const tmk_table_reader *r, int i)
{
    return i ? r->tgt : r->src;
}

const tmk_table_read_counts *tmk_table_reader_counts(const tmk_table_reader *r)
{
    return &r->n;
}
