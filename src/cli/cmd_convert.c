/* cmd_convert.c -- tmkit convert: TMX <-> TSV/CSV, TMX -> TMX (language
 * codes normalised, markup stripped, one pair pulled out).  Everything is
 * streamed: memory is bounded by the largest unit or line.
 *
 * Two TSV dialects, never guessed between (the format name says which):
 *   tsv    tmkit's TSV, the format of the corpora: TAB, LF, CR and
 *          backslash escaped as \t \n \r \\, a quote is always text;
 *   sheet  TSV as spreadsheets save it: the same escapes, a first row with
 *          the languages and column names, and a cell that starts with a
 *          quote is a quoted cell ("" inside, may span lines). */
#include <config.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "cli.h"
#include "tmx_cli.h"
#include "po_cli.h"

static const char usage_text[] =
    "Usage: tmkit convert [OPTIONS] INPUT [-o OUTPUT]\n"
    "Convert a memory between TMX, TSV and CSV, or TMX to cleaned-up TMX.\n"
    "Text is kept exactly (leading/trailing spaces and line breaks included).\n\n"
    "  --from FMT          tmx, tsv, sheet, csv or po (default: po for a PO\n"
    "                      file, else from INPUT's extension: .tsv/.txt tsv,\n"
    "                      .csv csv, else tmx)\n"
    "  --to FMT            tmx, tsv, sheet or csv (default: from OUTPUT's\n"
    "                      extension, else tsv for TMX input, tmx otherwise)\n"
    "  -o, --output FILE   output file, written atomically (default: stdout)\n"
    "  -s, --source LANG   TSV/CSV input: language of the first column (e.g. de-DE)\n"
    "  -t, --target LANG   TSV/CSV input: language of the second column\n"
    "  --pair S,T          TMX input: take these two languages (S first); units\n"
    "                      without both are skipped, other languages left out\n"
    "  --normalize         TMX output: canonical language codes (de_de -> de-DE)\n"
    "  --strip             TMX output: inline markup removed (plain text)\n"
    "  --keep-markup       TSV/CSV: cells hold the TMX text with its inline markup\n"
    "                      (XML: & < > as &amp; &lt; &gt;), written and read so\n"
    "  --include-fuzzy     PO input: fuzzy entries become units too\n"
    "  -q, --quiet         no summary on stderr\n"
    "  -h, --help          this help\n\n"
    "tsv: one unit per line, source TAB target; inside a field TAB, LF, CR and\n"
    "backslash are written \\t \\n \\r \\\\; quotes are text.  A third numeric\n"
    "column (an aligner's score) becomes <prop type=\"x-alignment-score\">, a\n"
    "fourth <prop type=\"x-alignment-bead\">.\n"
    "sheet: TSV for a spreadsheet: a first row with the two language codes and\n"
    "the prop types of further columns (x-alignment-score, x-alignment-bead,\n"
    "x-spell-errors); a cell that starts with \" is in quotes (\"\" inside).\n"
    "csv: RFC 4180, a first row with the two language codes (and prop types);\n"
    "a file whose first line has semicolons and no comma is read with ';'.\n"
    "A line or record may hold at most 8 MiB.  Characters XML 1.0 forbids\n"
    "cannot go into TMX: they are dropped and each such line is reported.\n"
    "A gettext catalogue (PO, recognised by its content, or --from po) becomes\n"
    "TMX as translate-toolkit's po2tmx makes it: msgid and msgstr (msgstr[0] for\n"
    "plurals); -s is the source language (default en), the target language is\n"
    "the header's Language (-t overrides); untranslated, fuzzy and obsolete\n"
    "entries are left out and counted.\n";

enum fmt { F_NONE, F_TMX, F_TSV, F_SHEET, F_CSV };

static const char *const fmt_names[] = {"", "TMX", "TSV", "sheet", "CSV"};

static enum fmt fmt_of(const char *s)
{
    if (!strcasecmp(s, "tmx")) return F_TMX;
    if (!strcasecmp(s, "tsv") || !strcasecmp(s, "txt")) return F_TSV;
    if (!strcasecmp(s, "sheet")) return F_SHEET;
    if (!strcasecmp(s, "csv")) return F_CSV;
    return F_NONE;
}

static enum fmt fmt_of_path(const char *path)
{
    const char *dot = path ? strrchr(path, '.') : NULL;
    enum fmt f = dot ? fmt_of(dot + 1) : F_NONE;
    return f == F_SHEET ? F_NONE : f; /* "sheet" is a format name, not an extension */
}


/* The props a reviewer needs, one sheet column each after the two texts. */
static const char *const review_props[] = {"x-alignment-score", "x-alignment-bead",
                                           "x-spell-errors"};
#define N_REVIEW_PROPS 3
#define MAX_COLS TMK_TSV_MAX_FIELDS

typedef struct {
    const char *in_name, *out_name;
    enum fmt from, to;
    FILE *out;
    tmk_outfile *of;
    tmk_tmx_writer *w;
    const char *src, *tgt;   /* TSV/CSV input languages, or --pair */
    int pair;                /* --pair given */
    int normalize, strip, keep_markup, quiet;
    const char *header_srclang;
    char *hdr_src;
    char *col_a, *col_b;     /* TMX -> TSV/CSV: the languages of the two columns */
    unsigned long units_in, units_out, skipped, line, dropped_lines;
    unsigned long markup_units, other_tuvs;
    unsigned long warned_line;
    tmk_buf a, b, row, lb;
    tmk_error err;
    int header_done;
    char *csv_src, *csv_tgt; /* languages from a header row */
    const char *colprop[MAX_COLS]; /* prop type of each column from 2 on (NULL: none) */
    char *colprop_own[MAX_COLS];
    int named_cols;          /* colprop[] came from a header row */
    tmk_tsv_reader *tr;      /* the TSV/CSV reader while reading */
    unsigned long rows;      /* rows read */
    int no_header;           /* sheet/CSV without a language row and no -s/-t */
    unsigned long bad_score;
} conv;

static int out_error(conv *c, const char *what)
{
    int e = errno;
    tmk_error_set(&c->err, TMK_EIO, 0, 0, "cannot write %s: %s", what,
                  e ? strerror(e) : "write error");
    c->err.file = c->out_name;
    return TMK_EIO;
}

/* ---- output of one pair as TSV / CSV -------------------------------------- */

static int put_field(conv *c, const char *s, size_t n)
{
    return tmk_tsv_field_add(&c->row, s, n,
                             c->to == F_CSV     ? TMK_TSV_CSV
                             : c->to == F_SHEET ? TMK_TSV_SHEET
                                                : TMK_TSV);
}

/* The value of a prop of the unit, or of one of its tuvs. */
static const char *unit_prop(const tmk_tu *tu, const char *type)
{
    for (size_t i = 0; i < tu->nprops; i++)
        if (tu->props[i].type && !strcmp(tu->props[i].type, type))
            return tu->props[i].value;
    for (size_t k = 0; k < tu->ntuvs; k++)
        for (size_t i = 0; i < tu->tuvs[k].nprops; i++)
            if (tu->tuvs[k].props[i].type && !strcmp(tu->tuvs[k].props[i].type, type))
                return tu->tuvs[k].props[i].value;
    return NULL;
}

static int write_row(conv *c, const char *la, const char *lb, const char *a, size_t an,
                     const char *b, size_t bn, const tmk_tu *tu)
{
    int rc = 0;
    char sep = c->to == F_CSV ? ',' : '\t';
    const char *eol = c->to == F_CSV ? "\r\n" : "\n";
    tmk_buf_reset(&c->row);
    if (c->to != F_TSV && !c->header_done) {
        /* the first row names the languages (and the prop columns) */
        c->header_done = 1;
        rc |= put_field(c, la ? la : "", la ? strlen(la) : 0);
        rc |= tmk_buf_addch(&c->row, sep);
        rc |= put_field(c, lb ? lb : "", lb ? strlen(lb) : 0);
        for (int k = 0; c->to == F_SHEET && k < N_REVIEW_PROPS; k++) {
            rc |= tmk_buf_addch(&c->row, sep);
            rc |= tmk_buf_adds(&c->row, review_props[k]);
        }
        rc |= tmk_buf_adds(&c->row, eol);
    }
    rc |= put_field(c, a, an);
    rc |= tmk_buf_addch(&c->row, sep);
    rc |= put_field(c, b, bn);
    for (int k = 0; c->to == F_SHEET && k < N_REVIEW_PROPS; k++) {
        const char *v = tu ? unit_prop(tu, review_props[k]) : NULL;
        rc |= tmk_buf_addch(&c->row, sep);
        if (v)
            rc |= put_field(c, v, strlen(v));
    }
    rc |= tmk_buf_adds(&c->row, eol);
    if (rc < 0)
        return tmk_error_set(&c->err, TMK_ENOMEM, 0, 0, "out of memory");
    errno = 0;
    if (fwrite(c->row.data, 1, c->row.len, c->out) != c->row.len)
        return out_error(c, "the output");
    return TMK_OK;
}

/* ---- TMX input -------------------------------------------------------------- */

static void on_writer_warning(size_t tu_index, const char *msg, void *ud)
{
    conv *c = ud;
    (void)tu_index;
    if (c->line) {
        if (c->warned_line != c->line) {
            c->dropped_lines++;
            c->warned_line = c->line;
        }
        fprintf(stderr, "tmkit: %s:%lu: %s\n", c->in_name, c->line, msg);
    } else {
        fprintf(stderr, "tmkit: %s: unit %zu: %s\n", c->in_name, tu_index + 1, msg);
    }
}

static int open_writer(conv *c, const tmk_tmx_header *in)
{
    tmk_tmx_header h;
    memset(&h, 0, sizeof h);
    h.creationdate = -1;
    if (in) {
        /* TMX -> TMX keeps the header as it is: creation tool, date and
         * every attribute; only what an option changes is changed */
        h = *in;
        const char *d = tmk_tmx_attr_get(in->attrs, in->nattrs, "creationdate");
        if (d && !tmk_tmx_date_parse(d, &h.creationdate)) {
            h.creationdate = -1;
            fprintf(stderr, "tmkit: %s: the header's creationdate \"%s\" is not a TMX date "
                            "(YYYYMMDDThhmmssZ); the output gets the current time\n",
                    c->in_name, d);
        }
    }
    if (c->src && c->tgt)
        h.srclang = c->src;
    if (!h.srclang)
        h.srclang = "*all*";
    if (c->strip)
        h.datatype = "plaintext";
    char *canon = NULL;
    if (c->normalize && strcmp(h.srclang, "*all*")) {
        canon = tmk_lang_canonical(h.srclang);
        if (!canon)
            return tmk_error_set(&c->err, TMK_ENOMEM, 0, 0, "out of memory");
        h.srclang = canon;
    }
    c->w = tmk_tmx_writer_new_flags(c->out, &h, TMK_TMX_VERBATIM, &c->err);
    free(canon);
    if (!c->w) {
        if (c->err.code == TMK_EIO)
            c->err.file = c->out_name;
        return c->err.code;
    }
    tmk_tmx_writer_set_flags(c->w, TMK_TMX_VERBATIM);
    tmk_tmx_writer_on_warning(c->w, on_writer_warning, c);
    return TMK_OK;
}

static int writer_add(conv *c, const tmk_tu *tu)
{
    int rc = tmk_tmx_writer_add(c->w, tu, &c->err);
    if (rc == TMK_EIO)
        c->err.file = c->out_name;
    return rc;
}

static int on_header(const tmk_tmx_header *h, void *ud)
{
    conv *c = ud;
    free(c->hdr_src);
    c->hdr_src = h->srclang ? strdup(h->srclang) : NULL;
    c->header_srclang = c->hdr_src;
    if (c->to == F_TMX && !c->w)
        return open_writer(c, h);
    return TMK_OK;
}

static int lang_same(const char *a, const char *b)
{
    return tmxcli_lang_match(a, b) || tmxcli_lang_match(b, a);
}

/* The languages of a unit, for a message: "de-DE, en-US, es-ES". */
static void unit_langs(const tmk_tu *tu, tmk_buf *o)
{
    tmk_buf_reset(o);
    for (size_t i = 0; i < tu->ntuvs; i++) {
        size_t k = 0;
        while (k < i && !lang_same(tu->tuvs[k].lang, tu->tuvs[i].lang))
            k++;
        if (k < i)
            continue;
        if (o->len)
            tmk_buf_adds(o, ", ");
        tmk_buf_adds(o, tu->tuvs[i].lang ? tu->tuvs[i].lang : "?");
    }
}

/* TMX -> TSV/CSV: the two tuvs of a unit that go into the two columns.  A
 * column holds one language: the first unit written fixes them (or --pair
 * does); a unit with more languages, or with others, stops the conversion
 * with a usage error that names them.  Returns 1 with *si, *ti set, 0 to
 * skip the unit (fewer than two languages), <0 to stop. */
static int pick_columns(conv *c, const tmk_tu *tu, long *si, long *ti)
{
    if (c->pair || c->col_a) {
        const char *la = c->pair ? c->src : c->col_a, *lb = c->pair ? c->tgt : c->col_b;
        *si = tmxcli_find(tu, la);
        *ti = tmxcli_find(tu, lb);
        if (*si >= 0 && *ti >= 0 && *si != *ti) {
            if (c->pair)
                c->other_tuvs += tu->ntuvs - 2;
            if (c->pair || tu->ntuvs == 2)
                return 1;
        } else if (c->pair || tu->ntuvs < 2) {
            return 0;
        }
    } else {
        if (tu->ntuvs < 2)
            return 0;
        *si = tmxcli_source(tu, c->header_srclang);
        *ti = tmxcli_other(tu, *si);
        if (tu->ntuvs == 2 && !lang_same(tu->tuvs[0].lang, tu->tuvs[1].lang)) {
            c->col_a = strdup(tu->tuvs[*si].lang ? tu->tuvs[*si].lang : "");
            c->col_b = strdup(tu->tuvs[*ti].lang ? tu->tuvs[*ti].lang : "");
            if (!c->col_a || !c->col_b)
                return tmk_error_set(&c->err, TMK_ENOMEM, 0, 0, "out of memory");
            return 1;
        }
        if (tu->ntuvs == 2)
            return 0; /* two tuvs in one language: no pair */
    }
    tmk_buf_reset(&c->lb);
    unit_langs(tu, &c->lb);
    tmk_buf tmp = TMK_BUF_INIT;
    if (c->col_a)
        tmk_buf_printf(&tmp, "; the columns hold %s and %s (from the first unit)", c->col_a,
                       c->col_b);
    tmk_error_set(&c->err, TMK_EINVAL, 0, 0,
                  "unit %lu has the languages %s%s; a %s row holds one language per column: "
                  "choose two with --pair SOURCE,TARGET (or convert to TMX)",
                  c->units_in, c->lb.data, tmp.data, fmt_names[c->to]);
    tmk_buf_release(&tmp);
    c->err.file = c->in_name;
    return TMK_EINVAL;
}

/* A tuv's text for a TSV/CSV cell: with --keep-markup as TMX XML (plain
 * text escaped too, so that every cell reads back the same way), else the
 * plain text. */
static int cell_text(conv *c, const tmk_tuv *v, tmk_buf *out)
{
    if (c->keep_markup)
        return v->markup ? tmk_buf_add(out, v->seg, v->seg_len)
                         : tmk_buf_add_xml_ex(out, v->seg, v->seg_len, 0);
    return tmxcli_text(v, 0, out);
}

static int on_tu(const tmk_tu *tu, void *ud)
{
    conv *c = ud;
    c->units_in++;
    long si = -1, ti = -1;
    if (c->to != F_TMX) {
        int p = pick_columns(c, tu, &si, &ti);
        if (p < 0)
            return p;
        if (!p) {
            c->skipped++;
            return TMK_OK;
        }
        if (!c->keep_markup && (tu->tuvs[si].markup || tu->tuvs[ti].markup))
            c->markup_units++;
        tmk_buf_reset(&c->a);
        tmk_buf_reset(&c->b);
        if (cell_text(c, &tu->tuvs[si], &c->a) < 0 || cell_text(c, &tu->tuvs[ti], &c->b) < 0)
            return tmk_error_set(&c->err, TMK_ENOMEM, 0, 0, "out of memory");
        c->units_out++;
        return write_row(c, c->pair ? c->src : c->col_a, c->pair ? c->tgt : c->col_b,
                         c->a.data, c->a.len, c->b.data, c->b.len, tu);
    }
    if (c->src && c->tgt) {
        si = tmxcli_find(tu, c->src);
        ti = tmxcli_find(tu, c->tgt);
    }
    if (!c->w)
        TMXCLI_TRY(open_writer(c, NULL));
    /* TMX -> TMX: maybe one pair, canonical codes, plain text */
    tmk_tuv tuvs_buf[2];
    tmk_tuv *tuvs = NULL;
    size_t n;
    if (c->src && c->tgt) {
        if (si < 0 || ti < 0 || si == ti) {
            c->skipped++;
            return TMK_OK;
        }
        c->other_tuvs += tu->ntuvs - 2;
        tuvs_buf[0] = tu->tuvs[si];
        tuvs_buf[1] = tu->tuvs[ti];
        tuvs = tuvs_buf;
        n = 2;
    } else {
        n = tu->ntuvs;
        tuvs = malloc((n ? n : 1) * sizeof *tuvs);
        if (!tuvs)
            return tmk_error_set(&c->err, TMK_ENOMEM, 0, 0, "out of memory");
        memcpy(tuvs, tu->tuvs, n * sizeof *tuvs);
    }
    char **langs = calloc(n ? n : 1, sizeof *langs);
    tmk_buf *plain = calloc(n ? n : 1, sizeof *plain);
    int rc = (!langs || !plain) ? TMK_ENOMEM : TMK_OK;
    for (size_t i = 0; i < n && rc == TMK_OK; i++) {
        tmk_buf_init(&plain[i]);
        if (c->normalize && tuvs[i].lang) {
            langs[i] = tmk_lang_canonical(tuvs[i].lang);
            if (!langs[i])
                rc = TMK_ENOMEM;
            tuvs[i].lang = langs[i];
        }
        if (c->strip && tuvs[i].markup) {
            rc = tmk_tmx_seg_plain(tuvs[i].seg, tuvs[i].seg_len, 1, &plain[i]);
            tuvs[i].seg = plain[i].data;
            tuvs[i].seg_len = plain[i].len;
            tuvs[i].markup = 0;
        }
    }
    /* A unit that keeps one pair says its source is the first kept tuv; with
     * --normalize its own srclang gets the canonical spelling too. */
    const char *tu_src = tmk_tmx_attr_get(tu->attrs, tu->nattrs, "srclang");
    char *tu_src_canon = NULL;
    tmk_tmx_attr *attrs = NULL;
    int na = -2;
    if (rc == TMK_OK && c->src && c->tgt && (tu_src || strcasecmp(tuvs[0].lang, c->src)))
        na = tmxcli_attrs_with_srclang(tu, tuvs[0].lang, &attrs);
    else if (rc == TMK_OK && c->normalize && tu_src && strcmp(tu_src, "*all*")) {
        tu_src_canon = tmk_lang_canonical(tu_src);
        na = tu_src_canon ? tmxcli_attrs_with_srclang(tu, tu_src_canon, &attrs) : -1;
    }
    if (na == -1)
        rc = TMK_ENOMEM;
    if (rc == TMK_OK) {
        tmk_tu out = *tu;
        out.tuvs = tuvs;
        out.ntuvs = n;
        if (na >= 0) {
            out.attrs = attrs;
            out.nattrs = (size_t)na;
        }
        rc = writer_add(c, &out);
        if (rc == TMK_OK)
            c->units_out++;
    } else {
        tmk_error_set(&c->err, TMK_ENOMEM, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < n && langs && plain; i++) {
        free(langs[i]);
        tmk_buf_release(&plain[i]);
    }
    free(langs);
    free(plain);
    free(attrs);
    free(tu_src_canon);
    if (tuvs != tuvs_buf)
        free(tuvs);
    return rc;
}

static int convert_tmx(conv *c, const char *path)
{
    tmk_error rerr = TMK_ERROR_INIT;
    tmk_tmx_reader *r = tmk_tmx_reader_new(path, c->strip ? TMK_TMX_READ_STRIP : 0, &rerr);
    if (!r)
        return cli_report(&rerr);
    tmk_tmx_reader_on_header(r, on_header, c);
    tmk_tmx_reader_on_tu(r, on_tu, c);
    int rc = tmk_tmx_read_file(r, path, &rerr);
    tmk_tmx_reader_free(r);
    if (rc < 0) {
        if (c->err.code) {
            rerr = c->err;
            if (!rerr.file)
                rerr.file = path;
        }
        return cli_report(&rerr);
    }
    if (c->to == F_TMX && !c->w && open_writer(c, NULL) < 0)
        return cli_report(&c->err);
    return TMK_EXIT_OK;
}

/* ---- TSV / CSV input ------------------------------------------------------------- */

static int read_error(conv *c)
{
    int e = errno;
    tmk_error_set(&c->err, TMK_EIO, 0, 0, "cannot read the file: %s",
                  e ? strerror(e) : "read error");
    c->err.file = c->in_name;
    return TMK_EIO;
}

/* A score column: 1 when s is a number from 0 to 1 (a decimal comma, as a
 * German spreadsheet writes it, is read as a point; out[] gets the number
 * with a point), -1 when it is a number outside 0..1, 0 when it is no
 * number (another column: ignored). */
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

/* A cell read with --keep-markup: TMX <seg> content.  It is parsed as such
 * (well-formed, inline elements of TMX only) and given back as the reader
 * gives it: markup = 1 with XML, else plain text with entities decoded. */
typedef struct {
    tmk_buf *out;
    int markup;
    char problem[200]; /* the first rule the cell breaks */
} seg_take;

static void seg_problem(unsigned long line, unsigned long col, const char *msg, void *ud)
{
    seg_take *t = ud;
    (void)line;
    (void)col;
    if (!t->problem[0])
        snprintf(t->problem, sizeof t->problem, "%s", msg);
}

static int take_seg(const tmk_tu *tu, void *ud)
{
    seg_take *t = ud;
    if (tu->ntuvs != 1)
        return TMK_ESYNTAX;
    t->markup = tu->tuvs[0].markup;
    return tmk_buf_add(t->out, tu->tuvs[0].seg, tu->tuvs[0].seg_len);
}

static int markup_cell(conv *c, unsigned long line, const char *which, const char *s, size_t n,
                       tmk_buf *out, int *markup)
{
    static const char head[] =
        "<tmx version=\"1.4\"><header creationtool=\"t\" creationtoolversion=\"1\" "
        "segtype=\"sentence\" o-tmf=\"t\" adminlang=\"en\" srclang=\"en\" "
        "datatype=\"plaintext\"/><body><tu><tuv xml:lang=\"en\"><seg>";
    static const char tail[] = "</seg></tuv></tu></body></tmx>";
    tmk_error e = TMK_ERROR_INIT;
    seg_take t = {out, 0, {0}};
    tmk_buf_reset(out);
    tmk_tmx_reader *r = tmk_tmx_reader_new(c->in_name, 0, &e);
    if (!r)
        return tmk_error_set(&c->err, TMK_ENOMEM, 0, 0, "out of memory");
    tmk_tmx_reader_on_tu(r, take_seg, &t);
    tmk_tmx_reader_on_problem(r, seg_problem, &t);
    int rc = tmk_tmx_reader_feed(r, head, sizeof head - 1, &e);
    if (rc == TMK_OK)
        rc = tmk_tmx_reader_feed(r, s, n, &e);
    if (rc == TMK_OK)
        rc = tmk_tmx_reader_feed(r, tail, sizeof tail - 1, &e);
    if (rc == TMK_OK)
        rc = tmk_tmx_reader_finish(r, &e);
    tmk_tmx_reader_free(r);
    if (rc == TMK_ENOMEM)
        return tmk_error_set(&c->err, TMK_ENOMEM, 0, 0, "out of memory");
    if (rc == TMK_OK && t.problem[0]) {
        tmk_error_set(&c->err, TMK_ESYNTAX, line, 0, "the %s text: %s", which, t.problem);
        c->err.file = c->in_name;
        return TMK_ESYNTAX;
    }
    if (rc < 0) {
        (void)e;
        tmk_error_set(&c->err, TMK_ESYNTAX, line, 0,
                      "the %s text is not TMX text with inline markup: with --keep-markup "
                      "write & < > as &amp; &lt; &gt; and keep the TMX tags (bpt, ept, ph, it, "
                      "hi, sub, ut) whole; or convert without --keep-markup", which);
        c->err.file = c->in_name;
        return TMK_ESYNTAX;
    }
    *markup = t.markup;
    return TMK_OK;
}

static int add_pair(conv *c, unsigned long line, const char *a, size_t an, const char *b,
                    size_t bn, const tmk_tmx_prop *props, size_t np)
{
    c->units_in++;
    if (!an || !bn) { /* a one-sided or blank row of a review sheet: no pair */
        c->skipped++;
        return TMK_OK;
    }
    tmk_tuv v[2] = {{.lang = c->src, .seg = a, .seg_len = an},
                    {.lang = c->tgt, .seg = b, .seg_len = bn}};
    tmk_buf ma = TMK_BUF_INIT, mb = TMK_BUF_INIT;
    int rc = TMK_OK;
    if (c->keep_markup) {
        rc = markup_cell(c, line, "source", a, an, &ma, &v[0].markup);
        if (rc == TMK_OK)
            rc = markup_cell(c, line, "target", b, bn, &mb, &v[1].markup);
        v[0].seg = ma.data;
        v[0].seg_len = ma.len;
        v[1].seg = mb.data;
        v[1].seg_len = mb.len;
    }
    tmk_tu tu = {.props = props, .nprops = np, .tuvs = v, .ntuvs = 2};
    if (rc == TMK_OK)
        rc = writer_add(c, &tu);
    if (rc == TMK_OK)
        c->units_out++;
    tmk_buf_release(&ma);
    tmk_buf_release(&mb);
    return rc;
}

static int bad_line(conv *c, unsigned long line, unsigned long col, const char *msg)
{
    tmk_error_set(&c->err, TMK_ESYNTAX, line, col, "%s", msg);
    c->err.file = c->in_name;
    return TMK_ESYNTAX;
}

/* A first row of two language codes is the header (further cells name the
 * prop types of the columns), unless -s/-t name other languages: then it
 * is text that looks like codes ("Nein,Nee").  Returns 1 when it was the
 * header, 0 when not, <0 on no memory. */
static int take_header(conv *c, const tmk_tsv_field *f, size_t nf)
{
    if (nf < 2 || !tmk_lang_valid(f[0].s) || !tmk_lang_valid(f[1].s))
        return 0;
    if (c->src && !((lang_same(f[0].s, c->src)) && lang_same(f[1].s, c->tgt)))
        return 0;
    if (!c->src) {
        c->src = c->csv_src = strdup(f[0].s);
        c->tgt = c->csv_tgt = strdup(f[1].s);
        if (!c->csv_src || !c->csv_tgt)
            return tmk_error_set(&c->err, TMK_ENOMEM, 0, 0, "out of memory");
    }
    c->named_cols = 1;
    for (size_t k = 2; k < nf && k < TMK_TSV_MAX_FIELDS; k++) {
        /* columns named x-... are props; other columns (a reviewer's
         * comments) are not read */
        if (f[k].len > 2 && !strncmp(f[k].s, "x-", 2) && !memchr(f[k].s, 0, f[k].len)) {
            c->colprop_own[k] = strdup(f[k].s);
            if (!c->colprop_own[k])
                return tmk_error_set(&c->err, TMK_ENOMEM, 0, 0, "out of memory");
            c->colprop[k] = c->colprop_own[k];
        }
    }
    return 1;
}

/* One data row (fields already unquoted and unescaped) into the output. */
static int take_row(conv *c, unsigned long line, const tmk_tsv_field *f, size_t nf)
{
    for (size_t k = 0; k < nf && k < TMK_TSV_MAX_FIELDS; k++)
        if (tmk_utf8_valid_prefix(f[k].s, f[k].len) != f[k].len)
            return bad_line(c, line, 0, "not valid UTF-8; convert the file to UTF-8 first");
    if (nf < 2)
        return bad_line(c, line, 0,
                        c->from == F_CSV ? "expected two CSV fields, source and target"
                                         : "expected source TAB target on this line");
    tmk_tmx_prop props[TMK_TSV_MAX_FIELDS];
    char num[64];
    size_t np = 0;
    for (size_t k = 2; k < nf && k < TMK_TSV_MAX_FIELDS; k++) {
        const char *type = c->named_cols ? c->colprop[k]
                           : k == 2      ? "x-alignment-score"
                           : k == 3      ? "x-alignment-bead"
                                         : NULL;
        if (!type || !f[k].len)
            continue;
        const char *val = f[k].s;
        if (!strcmp(type, "x-alignment-score")) {
            int sc = is_score(f[k].s, f[k].len, num);
            if (sc < 0 && !c->bad_score++)
                fprintf(stderr, "tmkit: %s:%lu: the score %s is not between 0 and 1, so it is "
                                "left out (did a spreadsheet read 0.902 as 902? import that "
                                "column as text); further such lines are not reported\n",
                        c->in_name, line, f[k].s);
            if (sc <= 0)
                continue;
            val = num;
        }
        props[np++] = (tmk_tmx_prop){.type = type, .value = val};
    }
    return add_pair(c, line, f[0].s, f[0].len, f[1].s, f[1].len, props, np);
}

/* A TSV or CSV file through the library's reader, read in chunks; a read
 * error is never taken for the end of the input. */
static int on_row(unsigned long line, const tmk_tsv_field *f, size_t nf, void *ud)
{
    conv *c = ud;
    c->line = line; /* for the writer's warnings */
    if (c->from != F_TSV && !c->rows++) {
        if (c->from == F_CSV && tmk_tsv_reader_delimiter(c->tr) == ';' && !c->quiet)
            fprintf(stderr, "tmkit: %s: fields separated by ';' (the first line has "
                            "semicolons and no comma)\n", c->in_name);
        for (size_t k = 0; k < 2 && k < nf; k++)
            if (tmk_utf8_valid_prefix(f[k].s, f[k].len) != f[k].len)
                return bad_line(c, line, 0, "not valid UTF-8; convert the file to UTF-8 first");
        int h = take_header(c, f, nf);
        if (h)
            return h < 0 ? h : TMK_OK;
        if (!c->src) {
            c->no_header = 1;
            return TMK_EINVAL;
        }
    }
    if (c->from == F_CSV && nf < 2) {
        /* name the separator the line seems to use, if any */
        const char *other = memchr(f[0].s, '\t', f[0].len) ? "TAB"
                            : memchr(f[0].s, '|', f[0].len) ? "'|'"
                            : memchr(f[0].s, ':', f[0].len) ? "':'"
                                                             : NULL;
        char msg[320];
        snprintf(msg, sizeof msg,
                 "expected two CSV fields separated by '%c', source and target%s%s%s",
                 tmk_tsv_reader_delimiter(c->tr), other ? "; this line has " : "",
                 other ? other : "",
                 other ? ": tmkit reads CSV with ',' or ';' (the first line decides) and "
                         "TAB-separated files with --from tsv or --from sheet"
                       : "");
        return bad_line(c, line, 0, msg);
    }
    if (!c->w)
        TMXCLI_TRY(open_writer(c, NULL));
    return take_row(c, line, f, nf);
}

static int convert_table(conv *c, FILE *f)
{
    tmk_error e = TMK_ERROR_INIT;
    enum tmk_tsv_dialect d = c->from == F_TSV     ? TMK_TSV
                             : c->from == F_SHEET ? TMK_TSV_SHEET
                                                  : TMK_TSV_CSV;
    tmk_tsv_reader *r = tmk_tsv_reader_new(d, &e);
    if (!r)
        return tmk_error_set(&c->err, TMK_ENOMEM, 0, 0, "out of memory");
    c->tr = r;
    tmk_tsv_reader_on_row(r, on_row, c);
    static char buf[1 << 16];
    int rc = TMK_OK;
    for (;;) {
        errno = 0;
        size_t got = fread(buf, 1, sizeof buf, f);
        if (got && (rc = tmk_tsv_reader_feed(r, buf, got, &e)) < 0)
            break;
        if (got < sizeof buf && ferror(f)) {
            rc = read_error(c);
            break;
        }
        if (got < sizeof buf && feof(f)) {
            rc = tmk_tsv_reader_finish(r, &e);
            break;
        }
    }
    tmk_tsv_reader_free(r);
    c->tr = NULL;
    if (rc < 0 && !c->err.code && !c->no_header) {
        c->err = e;
        c->err.file = c->in_name;
    }
    return rc;
}

int cmd_convert(int argc, char **argv)
{
    static const struct option opts[] = {
        {"from", required_argument, NULL, 'F'}, {"to", required_argument, NULL, 'T'},
        {"output", required_argument, NULL, 'o'}, {"source", required_argument, NULL, 's'},
        {"target", required_argument, NULL, 't'}, {"pair", required_argument, NULL, 'p'},
        {"normalize", no_argument, NULL, 'N'}, {"normalise", no_argument, NULL, 'N'},
        {"strip", no_argument, NULL, 'S'}, {"keep-markup", no_argument, NULL, 'K'},
        {"quiet", no_argument, NULL, 'q'}, {"help", no_argument, NULL, 'h'},
        {"include-fuzzy", no_argument, NULL, 'Z'},
        {NULL, 0, NULL, 0}};
    conv c;
    memset(&c, 0, sizeof c);
    tmk_buf_init(&c.a);
    tmk_buf_init(&c.b);
    tmk_buf_init(&c.row);
    tmk_buf_init(&c.lb);
    enum fmt from = F_NONE;
    const char *output = "-";
    char *ps = NULL, *pt = NULL;
    int ch, from_po = 0, include_fuzzy = 0;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":o:s:t:qh", opts, NULL)) != -1) {
        switch (ch) {
        case 'F':
            from_po = !strcasecmp(optarg, "po");
            if (!from_po && !(from = fmt_of(optarg)))
                return cli_usage_error(argv[0], "--from must be tmx, tsv, sheet, csv or po, not "
                                                "\"%s\"", optarg);
            break;
        case 'T':
            if (!(c.to = fmt_of(optarg)))
                return cli_usage_error(argv[0], "--to must be tmx, tsv, sheet or csv, not \"%s\"",
                                       optarg);
            break;
        case 'o': output = optarg; break;
        case 's': c.src = optarg; break;
        case 't': c.tgt = optarg; break;
        case 'p':
            free(ps);
            free(pt);
            if (tmxcli_parse_pair(optarg, &ps, &pt) < 0)
                return cli_usage_error(argv[0], "--pair wants two language codes like de-DE,en-US, "
                                                "not \"%s\"", optarg);
            c.src = ps;
            c.tgt = pt;
            c.pair = 1;
            break;
        case 'N': c.normalize = 1; break;
        case 'S': c.strip = 1; break;
        case 'K': c.keep_markup = 1; break;
        case 'q': c.quiet = 1; break;
        case 'Z': include_fuzzy = 1; break;
        case 'h': fputs(usage_text, stdout); return TMK_EXIT_OK;
        default:
            free(ps);
            free(pt);
            return cli_bad_option(argv[0], ch, argv);
        }
    }
    int ex = TMK_EXIT_OK;
#define USAGE(...)                                                                             \
    do {                                                                                       \
        ex = cli_usage_error(argv[0], __VA_ARGS__);                                            \
        goto out;                                                                              \
    } while (0)
    if (optind + 1 != argc)
        USAGE("give exactly one input file (or - for stdin)");
    const char *input = argv[optind];
    c.in_name = input;
    c.out_name = output;
    if (strcmp(input, "-") && cli_same_file(input, output))
        USAGE("the output '%s' would replace the input; write it to another file", output);
    if (from_po || (!from && po_cli_is_po(input))) {
        /* a gettext catalogue: its own converter (po_cli.c) */
        if (c.to && c.to != F_TMX)
            USAGE("a PO file converts to TMX only (--to tmx)");
        if (c.pair || (c.src && !tmk_lang_valid(c.src)) || (c.tgt && !tmk_lang_valid(c.tgt)))
            USAGE("-s/-t want language codes like en or de-DE");
        po_cli_args pa = {argv[0], input, output, c.src ? c.src : "en", c.tgt, include_fuzzy,
                          c.quiet};
        ex = po_cli_convert(&pa);
        goto out;
    }
    if (!from)
        from = fmt_of_path(input);
    if (!from)
        from = F_TMX;
    if (!c.to)
        c.to = fmt_of_path(strcmp(output, "-") ? output : NULL);
    if (!c.to)
        c.to = from == F_TMX ? F_TSV : F_TMX;
    c.from = from;
    if (from != F_TMX && c.to != F_TMX)
        USAGE("converting %s to %s: one side must be TMX", fmt_names[from], fmt_names[c.to]);
    if (from == F_TSV && (!c.src || !c.tgt))
        USAGE("TSV input needs the languages: -s SOURCE -t TARGET (e.g. -s de-DE -t en-US); "
              "a sheet for a spreadsheet, with the languages in its first row, is read with "
              "--from sheet");
    if ((c.src && !tmk_lang_valid(c.src)) || (c.tgt && !tmk_lang_valid(c.tgt)))
        USAGE("-s/-t want language codes like de-DE");
    if ((c.src != NULL) != (c.tgt != NULL))
        USAGE("give both -s and -t (or --pair S,T)");
    if (from == F_TMX && c.src && !c.pair)
        c.pair = 1; /* -s/-t on TMX input: the pair */
    if (c.normalize && from != F_TMX && c.src) {
        char *cs = tmk_lang_canonical(c.src), *ct = tmk_lang_canonical(c.tgt);
        free(ps);
        free(pt);
        c.src = ps = cs;
        c.tgt = pt = ct;
    }

    tmk_error oerr = TMK_ERROR_INIT;
    oerr.file = output;
    c.of = tmk_outfile_open(output, &oerr);
    if (!c.of) {
        ex = cli_report(&oerr);
        goto out;
    }
    c.out = tmk_outfile_stream(c.of);
    if (from == F_TMX) {
        ex = convert_tmx(&c, input);
    } else {
        FILE *f = strcmp(input, "-") ? fopen(input, "rb") : stdin;
        if (!f) {
            cli_errorf("%s: cannot open the file: %s", input, strerror(errno));
            ex = TMK_EXIT_IO;
        } else {
            int rc = TMK_OK;
            if (from == F_TSV)
                rc = open_writer(&c, NULL);
            if (rc == TMK_OK)
                rc = convert_table(&c, f);
            if (c.no_header)
                ex = cli_usage_error(argv[0], "the %s file has no language header row: give "
                                              "-s SOURCE -t TARGET", fmt_names[from]);
            else if (rc < 0) {
                if (!c.err.file)
                    c.err.file = input;
                ex = cli_report(&c.err);
            }
            if (f != stdin)
                fclose(f);
        }
    }
    if (ex == TMK_EXIT_OK && c.to == F_TMX) {
        if (!c.w && open_writer(&c, NULL) < 0)
            ex = cli_report(&c.err);
        else if (tmk_tmx_writer_finish(c.w, &c.err) < 0) {
            c.err.file = output;
            ex = cli_report(&c.err);
        }
    }
    tmk_tmx_writer_free(c.w);
    if (ex == TMK_EXIT_OK) {
        if (tmk_outfile_commit(c.of, &oerr) < 0)
            ex = cli_report(&oerr);
    } else {
        tmk_outfile_abort(c.of);
    }
    if (ex == TMK_EXIT_OK && c.markup_units)
        fprintf(stderr, "tmkit: %s: %lu unit(s) have inline markup (tags, placeholders): "
                        "written as plain text without it; --keep-markup keeps it\n",
                input, c.markup_units);
    if (ex == TMK_EXIT_OK && !c.quiet) {
        fprintf(stderr, "tmkit: %s: %lu unit(s) read, %lu written", input, c.units_in, c.units_out);
        if (c.skipped)
            fprintf(stderr, ", %lu skipped (without both languages)", c.skipped);
        if (c.other_tuvs)
            fprintf(stderr, ", %lu tuv(s) in other languages left out (--pair)", c.other_tuvs);
        if (c.dropped_lines)
            fprintf(stderr, ", %lu line(s) lost characters XML forbids", c.dropped_lines);
        fputc('\n', stderr);
    }
out:
    tmk_buf_release(&c.a);
    tmk_buf_release(&c.b);
    tmk_buf_release(&c.row);
    tmk_buf_release(&c.lb);
    free(c.hdr_src);
    free(c.csv_src);
    free(c.csv_tgt);
    free(c.col_a);
    free(c.col_b);
    for (size_t k = 0; k < MAX_COLS; k++)
        free(c.colprop_own[k]);
    free(ps);
    free(pt);
    return ex;
#undef USAGE
}
