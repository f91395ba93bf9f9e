/* cmd_convert.c -- tmkit convert: TMX <-> TSV/CSV, TMX -> TMX (language
 * codes normalised, markup stripped, one pair pulled out).  Everything is
 * streamed: memory is bounded by the largest unit or line. */
#include <config.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "cli.h"
#include "tmx_cli.h"

static const char usage_text[] =
    "Usage: tmkit convert [OPTIONS] INPUT [-o OUTPUT]\n"
    "Convert a memory between TMX, TSV and CSV, or TMX to cleaned-up TMX.\n"
    "Text is kept exactly (leading/trailing spaces and line breaks included).\n\n"
    "  --from FMT          tmx, tsv or csv (default: from INPUT's extension, else tmx)\n"
    "  --to FMT            tmx, tsv or csv (default: from OUTPUT's extension, else\n"
    "                      tsv for TMX input and tmx for TSV/CSV input)\n"
    "  -o, --output FILE   output file, written atomically (default: stdout)\n"
    "  -s, --source LANG   TSV/CSV input: language of the first column (e.g. de-DE)\n"
    "  -t, --target LANG   TSV/CSV input: language of the second column\n"
    "  --pair S,T          TMX input: take these two languages (S first); units\n"
    "                      without both are skipped\n"
    "  --normalize         TMX output: canonical language codes (de_de -> de-DE)\n"
    "  --strip             TMX output: inline markup removed (plain text)\n"
    "  --keep-markup       TSV/CSV output: keep inline markup as XML text\n"
    "  -q, --quiet         no summary on stderr\n"
    "  -h, --help          this help\n\n"
    "TSV: one unit per line, source TAB target; inside a field TAB, LF, CR and\n"
    "backslash are written \\t \\n \\r \\\\.  A third numeric column (an aligner's\n"
    "score) becomes <prop type=\"x-alignment-score\">, a fourth <prop\n"
    "type=\"x-alignment-bead\">.  CSV: RFC 4180, a first row with the two\n"
    "language codes.  Characters XML 1.0 forbids cannot go into TMX: they are\n"
    "dropped and each such line is reported.\n";

enum fmt { F_NONE, F_TMX, F_TSV, F_CSV };

static enum fmt fmt_of(const char *s)
{
    if (!strcasecmp(s, "tmx")) return F_TMX;
    if (!strcasecmp(s, "tsv") || !strcasecmp(s, "txt")) return F_TSV;
    if (!strcasecmp(s, "csv")) return F_CSV;
    return F_NONE;
}

static enum fmt fmt_of_path(const char *path)
{
    const char *dot = path ? strrchr(path, '.') : NULL;
    return dot ? fmt_of(dot + 1) : F_NONE;
}

typedef struct {
    const char *in_name;
    enum fmt to;
    FILE *out;
    tmk_outfile *of;
    tmk_tmx_writer *w;
    const char *src, *tgt;   /* TSV/CSV input languages, or --pair */
    int normalize, strip, keep_markup, quiet;
    const char *header_srclang;
    char *hdr_src;
    unsigned long units_in, units_out, skipped, line, dropped_lines;
    unsigned long warned_line;
    tmk_buf a, b, row;
    tmk_error err;
    int csv_header_done;
    char *csv_src, *csv_tgt; /* languages from a CSV header row */
} conv;

/* ---- output of one pair as TSV / CSV -------------------------------------- */

static void csv_field(tmk_buf *o, const char *s, size_t n)
{
    if (!memchr(s, ',', n) && !memchr(s, '"', n) && !memchr(s, '\n', n) && !memchr(s, '\r', n)) {
        tmk_buf_add(o, s, n);
        return;
    }
    tmk_buf_addch(o, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            tmk_buf_addch(o, '"');
        tmk_buf_addch(o, s[i]);
    }
    tmk_buf_addch(o, '"');
}

static int write_row(conv *c, const char *la, const char *lb, const char *a, size_t an,
                     const char *b, size_t bn)
{
    tmk_buf_reset(&c->row);
    if (c->to == F_CSV && !c->csv_header_done) {
        /* the first row names the languages */
        c->csv_header_done = 1;
        csv_field(&c->row, la ? la : "", la ? strlen(la) : 0);
        tmk_buf_addch(&c->row, ',');
        csv_field(&c->row, lb ? lb : "", lb ? strlen(lb) : 0);
        tmk_buf_adds(&c->row, "\r\n");
    }
    if (c->to == F_TSV) {
        cli_tsv_field(&c->row, a, an);
        tmk_buf_addch(&c->row, '\t');
        cli_tsv_field(&c->row, b, bn);
        tmk_buf_addch(&c->row, '\n');
    } else {
        csv_field(&c->row, a, an);
        tmk_buf_addch(&c->row, ',');
        csv_field(&c->row, b, bn);
        tmk_buf_adds(&c->row, "\r\n");
    }
    if (fwrite(c->row.data, 1, c->row.len, c->out) != c->row.len)
        return tmk_error_set(&c->err, TMK_EIO, 0, 0, "cannot write the output");
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
        h = *in;
        h.creationtool = NULL;
        h.creationtoolversion = NULL;
        h.creationdate = -1;
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
    if (!c->w)
        return c->err.code;
    tmk_tmx_writer_set_flags(c->w, TMK_TMX_VERBATIM);
    tmk_tmx_writer_on_warning(c->w, on_writer_warning, c);
    return TMK_OK;
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

static int on_tu(const tmk_tu *tu, void *ud)
{
    conv *c = ud;
    c->units_in++;
    long si, ti;
    if (c->src && c->tgt) {
        si = tmxcli_find(tu, c->src);
        ti = tmxcli_find(tu, c->tgt);
    } else {
        si = tmxcli_source(tu, c->header_srclang);
        ti = tmxcli_other(tu, si);
    }
    if (c->to != F_TMX) {
        if (si < 0 || ti < 0 || si == ti) {
            c->skipped++;
            return TMK_OK;
        }
        tmk_buf_reset(&c->a);
        tmk_buf_reset(&c->b);
        if (tmxcli_text(&tu->tuvs[si], c->keep_markup, &c->a) < 0 ||
            tmxcli_text(&tu->tuvs[ti], c->keep_markup, &c->b) < 0)
            return tmk_error_set(&c->err, TMK_ENOMEM, 0, 0, "out of memory");
        c->units_out++;
        return write_row(c, c->src ? c->src : tu->tuvs[si].lang,
                         c->tgt ? c->tgt : tu->tuvs[ti].lang, c->a.data, c->a.len, c->b.data,
                         c->b.len);
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
        rc = tmk_tmx_writer_add(c->w, &out, &c->err);
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
            rerr.file = path;
        }
        return cli_report(&rerr);
    }
    if (c->to == F_TMX && !c->w && open_writer(c, NULL) < 0)
        return cli_report(&c->err);
    return TMK_EXIT_OK;
}

/* ---- TSV / CSV input ------------------------------------------------------------- */

static void tsv_unescape(tmk_buf *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n) {
            char e = s[i + 1];
            char ch = e == 't' ? '\t' : e == 'n' ? '\n' : e == 'r' ? '\r' : e == '\\' ? '\\'
                      : e == '"' ? '"' : 0;
            if (ch) {
                tmk_buf_addch(o, ch);
                i++;
                continue;
            }
        }
        tmk_buf_addch(o, s[i]);
    }
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

static int add_pair(conv *c, const char *a, size_t an, const char *b, size_t bn,
                    const char *score, size_t sn, const char *bead, size_t bdn)
{
    tmk_tmx_prop props[2];
    size_t np = 0;
    char sbuf[64], bbuf[256];
    if (score && sn && sn < sizeof sbuf) {
        memcpy(sbuf, score, sn);
        sbuf[sn] = 0;
        props[np++] = (tmk_tmx_prop){"x-alignment-score", sbuf, NULL};
    }
    if (bead && bdn && bdn < sizeof bbuf) {
        memcpy(bbuf, bead, bdn);
        bbuf[bdn] = 0;
        props[np++] = (tmk_tmx_prop){"x-alignment-bead", bbuf, NULL};
    }
    if (!an || !bn) { /* a one-sided or blank row of a review sheet: no pair */
        c->units_in++;
        c->skipped++;
        return TMK_OK;
    }
    tmk_tuv v[2] = {{.lang = c->src, .seg = a, .seg_len = an},
                    {.lang = c->tgt, .seg = b, .seg_len = bn}};
    tmk_tu tu = {.props = props, .nprops = np, .tuvs = v, .ntuvs = 2};
    c->units_in++;
    if (c->to == F_TMX) {
        TMXCLI_TRY(tmk_tmx_writer_add(c->w, &tu, &c->err));
        c->units_out++;
        return TMK_OK;
    }
    c->units_out++;
    return write_row(c, c->src, c->tgt, a, an, b, bn);
}

static int bad_line(conv *c, const char *path, unsigned long col, const char *msg)
{
    tmk_error_set(&c->err, TMK_ESYNTAX, c->line, col, "%s", msg);
    c->err.file = path;
    return TMK_ESYNTAX;
}

/* TSV cells as spreadsheets save them: a cell that holds a quote, a TAB or
 * a line break is written in quotes, with "" for a quote inside.  A field
 * counts as quoted when it starts with a quote whose closing quote is
 * followed by a TAB or the end of the line; otherwise its quotes are text
 * ("%s" not found).  tsv_close: the position after the closing quote of
 * the quote at s[i], or SIZE_MAX when s ends before it closes. */
static size_t tsv_close(const char *s, size_t n, size_t i)
{
    for (i++; i < n; i++)
        if (s[i] == '"') {
            if (i + 1 < n && s[i + 1] == '"')
                i++;
            else
                return i + 1;
        }
    return SIZE_MAX;
}

enum { TSV_PLAIN, TSV_QUOTED, TSV_OPEN };

/* The field at s[i] into o, quotes removed when it is quoted; *kind says
 * which it is (TSV_OPEN: a quoted cell that s ends inside).  Returns its
 * end. */
static size_t tsv_take(const char *s, size_t n, size_t i, tmk_buf *o, int *kind)
{
    tmk_buf_reset(o);
    *kind = TSV_PLAIN;
    if (i < n && s[i] == '"') {
        size_t e = tsv_close(s, n, i);
        if (e == SIZE_MAX) {
            *kind = TSV_OPEN;
            return n;
        }
        if (e == n || s[e] == '\t') {
            *kind = TSV_QUOTED;
            for (size_t k = i + 1; k + 1 < e; k++) {
                tmk_buf_addch(o, s[k]);
                if (s[k] == '"')
                    k++; /* "" */
            }
            return e;
        }
    }
    const char *tab = memchr(s + i, '\t', n - i);
    size_t e = tab ? (size_t)(tab - s) : n;
    tmk_buf_add(o, s + i, e - i);
    return e;
}

#define TSV_MAX_CELL_LINES 64 /* a quoted cell spans at most this many lines */

static int convert_tsv(conv *c, const char *path, FILE *f)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    int rc = TMK_OK, cont = 0;
    unsigned long first = 0;
    size_t open_at = SIZE_MAX; /* where the quoted cell of a joined record starts */
    unsigned long bad_score = 0;
    tmk_buf rec = TMK_BUF_INIT, fb[4] = {TMK_BUF_INIT, TMK_BUF_INIT, TMK_BUF_INIT, TMK_BUF_INIT};
    while (rc == TMK_OK && (got = getline(&line, &cap, f)) >= 0) {
        c->line++;
        size_t n = (size_t)got;
        if (n && line[n - 1] == '\n')
            n--;
        if (n && line[n - 1] == '\r')
            n--;
        if (c->line == 1 && n >= 3 && !memcmp(line, "\xEF\xBB\xBF", 3)) {
            memmove(line, line + 3, n - 3);
            n -= 3;
        }
        size_t valid = tmk_utf8_valid_prefix(line, n);
        if (valid != n) {
            rc = bad_line(c, path, tmk_utf8_count(line, valid) + 1,
                          "not valid UTF-8; convert the file to UTF-8 first");
            break;
        }
        if (cont)
            tmk_buf_addch(&rec, '\n'); /* inside a quoted cell */
        else {
            tmk_buf_reset(&rec);
            first = c->line;
        }
        tmk_buf_add(&rec, line, n);
        if (rec.len == 0)
            continue;
        size_t nf = 0, i = 0, at = 0;
        int kind = TSV_PLAIN, joined_ok = !cont;
        while (nf < 4) {
            at = i;
            i = tsv_take(rec.data, rec.len, i, &fb[nf++], &kind);
            if (at == open_at && kind == TSV_QUOTED)
                joined_ok = 1;
            if (kind == TSV_OPEN || i >= rec.len)
                break;
            i++;
        }
        if (kind == TSV_OPEN && c->line - first + 1 < TSV_MAX_CELL_LINES) {
            /* a line break inside a quoted cell: the record goes on */
            if (!cont)
                open_at = at;
            cont = 1;
            continue;
        }
        /* a record joined over lines must be one whose open cell closed as
         * a quoted cell: otherwise the quote was text, and the lines are
         * not one record */
        if (kind == TSV_OPEN || !joined_ok) {
            c->line = first;
            rc = bad_line(c, path, 0, "a text starts with a quote that is never closed; if the "
                                      "quote belongs to the text, write it as \\\" (or save "
                                      "the sheet with quoted cells)");
            break;
        }
        cont = 0;
        open_at = SIZE_MAX;
        if (nf < 2) {
            rc = bad_line(c, path, 0, "expected source TAB target on this line");
            break;
        }
        tmk_buf_reset(&c->a);
        tmk_buf_reset(&c->b);
        tsv_unescape(&c->a, fb[0].data, fb[0].len);
        tsv_unescape(&c->b, fb[1].data, fb[1].len);
        const char *score = NULL, *bead = NULL;
        size_t sn = 0, bn = 0;
        char num[64];
        int sc = nf >= 3 ? is_score(fb[2].data, fb[2].len, num) : 0;
        if (sc > 0) {
            score = num;
            sn = fb[2].len;
        } else if (sc < 0 && !c->quiet && !bad_score++)
            fprintf(stderr, "tmkit: %s:%lu: the score %.*s is not between 0 and 1, so it is left "
                            "out (did a spreadsheet read 0.902 as 902? import that column as "
                            "text); further such lines are not reported\n",
                    path, first, (int)fb[2].len, fb[2].data);
        if (nf >= 4) {
            bead = fb[3].data;
            bn = fb[3].len;
        }
        rc = add_pair(c, c->a.data, c->a.len, c->b.data, c->b.len, score, sn, bead, bn);
    }
    if (rc == TMK_OK && cont) {
        c->line = first;
        rc = bad_line(c, path, 0, "a text starts with a quote that is never closed; if the "
                                  "quote belongs to the text, write it as \\\" (or save "
                                  "the sheet with quoted cells)");
    }
    free(line);
    tmk_buf_release(&rec);
    for (int k = 0; k < 4; k++)
        tmk_buf_release(&fb[k]);
    return rc;
}

/* RFC 4180: read one record of two or more fields; returns 1, 0 at EOF, <0 error. */
static int csv_record(conv *c, FILE *f, const char *path)
{
    tmk_buf_reset(&c->a);
    tmk_buf_reset(&c->b);
    tmk_buf *fld = &c->a;
    int nf = 0, ch, quoted = 0, any = 0;
    unsigned long start_line = c->line + 1;
    c->line++;
    for (;;) {
        ch = getc(f);
        if (ch == EOF) {
            if (quoted) {
                c->line = start_line;
                return bad_line(c, path, 0, "a quoted CSV field is not closed");
            }
            if (!any && nf == 0)
                return 0;
            break;
        }
        any = 1;
        if (quoted) {
            if (ch == '"') {
                int nx = getc(f);
                if (nx == '"') {
                    tmk_buf_addch(fld, '"');
                    continue;
                }
                quoted = 0;
                if (nx == EOF)
                    continue;
                ungetc(nx, f);
                continue;
            }
            if (ch == '\n')
                c->line++;
            tmk_buf_addch(fld, (char)ch);
            continue;
        }
        if (ch == '"' && (fld->len == 0 || (start_line == 1 && nf == 0 && fld->len == 3 &&
                                            !memcmp(fld->data, "\xEF\xBB\xBF", 3)))) {
            tmk_buf_reset(fld); /* a byte-order mark (Excel writes one) is not text */
            quoted = 1;
            continue;
        }
        if (ch == ',') {
            nf++;
            fld = nf == 1 ? &c->b : &c->row; /* extra fields are ignored */
            tmk_buf_reset(&c->row);
            continue;
        }
        if (ch == '\r') {
            int nx = getc(f);
            if (nx != '\n' && nx != EOF)
                ungetc(nx, f);
            break;
        }
        if (ch == '\n')
            break;
        tmk_buf_addch(fld, (char)ch);
    }
    if (nf < 1 && c->a.len == 0 && !quoted)
        return 2; /* an empty line: nothing to convert */
    if (nf < 1) {
        c->line = start_line;
        return bad_line(c, path, 0, "expected two CSV fields, source and target");
    }
    return 1;
}

static int convert_csv(conv *c, const char *path, FILE *f)
{
    int rc;
    unsigned long rec = 0;
    while ((rc = csv_record(c, f, path)) == 1 || rc == 2) {
        if (rc == 2)
            continue;
        rec++;
        if (rec == 1 && c->a.len >= 3 && !memcmp(c->a.data, "\xEF\xBB\xBF", 3)) {
            memmove(c->a.data, c->a.data + 3, c->a.len - 2); /* with the NUL */
            c->a.len -= 3;
        }
        if (tmk_utf8_valid_prefix(c->a.data, c->a.len) != c->a.len ||
            tmk_utf8_valid_prefix(c->b.data, c->b.len) != c->b.len)
            return bad_line(c, path, 0, "not valid UTF-8; convert the file to UTF-8 first");
        /* a first row of two language codes is the header, unless -s/-t name
         * other languages (then it is text that looks like codes: "Nein,Nee") */
        if (rec == 1 && tmk_lang_valid(c->a.data) && tmk_lang_valid(c->b.data) &&
            (!c->src || ((tmxcli_lang_match(c->a.data, c->src) ||
                          tmxcli_lang_match(c->src, c->a.data)) &&
                         (tmxcli_lang_match(c->b.data, c->tgt) ||
                          tmxcli_lang_match(c->tgt, c->b.data))))) {
            if (!c->src) {
                c->src = c->csv_src = strdup(c->a.data);
                c->tgt = c->csv_tgt = strdup(c->b.data);
                if (!c->csv_src || !c->csv_tgt)
                    return tmk_error_set(&c->err, TMK_ENOMEM, 0, 0, "out of memory");
            }
            continue;
        }
        if (rec == 1 && (!c->src || !c->tgt))
            return -100;
        if (c->to == F_TMX && !c->w)
            TMXCLI_TRY(open_writer(c, NULL));
        TMXCLI_TRY(add_pair(c, c->a.data, c->a.len, c->b.data, c->b.len, NULL, 0, NULL, 0));
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
        {NULL, 0, NULL, 0}};
    conv c;
    memset(&c, 0, sizeof c);
    tmk_buf_init(&c.a);
    tmk_buf_init(&c.b);
    tmk_buf_init(&c.row);
    enum fmt from = F_NONE;
    const char *output = "-";
    char *ps = NULL, *pt = NULL;
    int ch;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":o:s:t:qh", opts, NULL)) != -1) {
        switch (ch) {
        case 'F':
            if (!(from = fmt_of(optarg)))
                return cli_usage_error(argv[0], "--from must be tmx, tsv or csv, not \"%s\"", optarg);
            break;
        case 'T':
            if (!(c.to = fmt_of(optarg)))
                return cli_usage_error(argv[0], "--to must be tmx, tsv or csv, not \"%s\"", optarg);
            break;
        case 'o': output = optarg; break;
        case 's': c.src = optarg; break;
        case 't': c.tgt = optarg; break;
        case 'p':
            if (tmxcli_parse_pair(optarg, &ps, &pt) < 0)
                return cli_usage_error(argv[0], "--pair wants two language codes like de-DE,en-US, "
                                                "not \"%s\"", optarg);
            c.src = ps;
            c.tgt = pt;
            break;
        case 'N': c.normalize = 1; break;
        case 'S': c.strip = 1; break;
        case 'K': c.keep_markup = 1; break;
        case 'q': c.quiet = 1; break;
        case 'h': fputs(usage_text, stdout); return TMK_EXIT_OK;
        default: return cli_bad_option(argv[0], ch, argv);
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error(argv[0], "give exactly one input file (or - for stdin)");
    const char *input = argv[optind];
    c.in_name = input;
    if (strcmp(input, "-") && cli_same_file(input, output))
        return cli_usage_error(argv[0], "the output '%s' would replace the input; write it to "
                                        "another file", output);
    if (!from)
        from = fmt_of_path(input);
    if (!from)
        from = F_TMX;
    if (!c.to)
        c.to = fmt_of_path(strcmp(output, "-") ? output : NULL);
    if (!c.to)
        c.to = from == F_TMX ? F_TSV : F_TMX;
    if (from != F_TMX && c.to != F_TMX)
        return cli_usage_error(argv[0], "converting %s to %s: one side must be TMX",
                               from == F_TSV ? "TSV" : "CSV", c.to == F_TSV ? "TSV" : "CSV");
    if (from == F_TSV && (!c.src || !c.tgt))
        return cli_usage_error(argv[0], "TSV input needs the languages: -s SOURCE -t TARGET "
                                        "(e.g. -s de-DE -t en-US)");
    if ((c.src && !tmk_lang_valid(c.src)) || (c.tgt && !tmk_lang_valid(c.tgt)))
        return cli_usage_error(argv[0], "-s/-t want language codes like de-DE");
    if ((c.src != NULL) != (c.tgt != NULL))
        return cli_usage_error(argv[0], "give both -s and -t (or --pair S,T)");
    if (c.normalize && from != F_TMX && c.src) {
        char *cs = tmk_lang_canonical(c.src), *ct = tmk_lang_canonical(c.tgt);
        free(ps);
        free(pt);
        c.src = ps = cs;
        c.tgt = pt = ct;
    }

    int ex = TMK_EXIT_OK;
    tmk_error oerr = TMK_ERROR_INIT;
    oerr.file = output;
    c.of = tmk_outfile_open(output, &oerr);
    if (!c.of)
        return cli_report(&oerr);
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
            if (from == F_TSV && c.to == F_TMX)
                rc = open_writer(&c, NULL);
            if (rc == TMK_OK)
                rc = from == F_TSV ? convert_tsv(&c, input, f) : convert_csv(&c, input, f);
            if (rc == -100)
                ex = cli_usage_error(argv[0], "the CSV file has no language header row: give "
                                              "-s SOURCE -t TARGET");
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
    if (ex == TMK_EXIT_OK && !c.quiet) {
        fprintf(stderr, "tmkit: %s: %lu unit(s) read, %lu written", input, c.units_in, c.units_out);
        if (c.skipped)
            fprintf(stderr, ", %lu skipped (without both languages)", c.skipped);
        if (c.dropped_lines)
            fprintf(stderr, ", %lu line(s) lost characters XML forbids", c.dropped_lines);
        fputc('\n', stderr);
    }
    tmk_buf_release(&c.a);
    tmk_buf_release(&c.b);
    tmk_buf_release(&c.row);
    free(c.hdr_src);
    free(c.csv_src);
    free(c.csv_tgt);
    free(ps);
    free(pt);
    return ex;
}
