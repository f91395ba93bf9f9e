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
#include "xliff_cli.h"
#include "po_cli.h"

static const char usage_text[] =
    "Usage: tmkit convert [OPTIONS] INPUT [-o OUTPUT]\n"
    "Convert a memory between TMX, TSV and CSV, or TMX to cleaned-up TMX.\n"
    "Text is kept exactly (leading/trailing spaces and line breaks included).\n\n"
    "  --from FMT          tmx, tsv, sheet, csv or po (default: po or XLIFF\n"
    "                      for such content, standard input too, else from\n"
    "                      INPUT's extension: .tsv/.txt tsv, .csv csv, else tmx)\n"
    "  --to FMT            tmx, tsv, sheet or csv (default: from OUTPUT's\n"
    "                      extension, else tsv for TMX input, tmx otherwise)\n"
    "  -o, --output FILE   output file, written atomically (default: stdout)\n"
    "  -s, --source LANG   TSV/CSV input: language of the first column (e.g. de-DE)\n"
    "  -t, --target LANG   TSV/CSV input: language of the second column\n"
    "  --pair S,T          TMX input: take these two languages (S first); units\n"
    "                      without both are skipped, other languages left out\n"
    "  --normalize         TMX output: canonical language codes (de_de -> de-DE)\n"
    "  --strip             TMX output: plain text (placeholders as their code,\n"
    "                      formatting tags left out)\n"
    "  --keep-markup       TSV/CSV: cells hold the TMX text with its inline markup\n"
    "                      (XML: & < > as &amp; &lt; &gt;), written and read so\n"
    "  --include-fuzzy     PO input: fuzzy entries become units too\n"
    "  -q, --quiet         no summary on stderr\n"
    "  -h, --help          this help\n\n"
    "XLIFF input (JOB.xlf, .sdlxliff, .mqxliff: known by content) converts to TMX,\n"
    "one unit per translated segment; --status draft|translated|approved is the\n"
    "lowest status kept (default translated): tmkit convert --from xliff --help.\n"
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
    "entries are left out and counted.  PO and XLIFF input convert to TMX only\n"
    "(an OUTPUT named .tsv, .txt or .csv is refused unless --to tmx).\n";

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

static enum fmt fmt_of_path(const char *path, int output)
{
    const char *dot = path ? strrchr(path, '.') : NULL;
    if (output && dot && dot > path && !strcasecmp(dot, ".gz")) {
        /* -o NAME.tmx.gz: the format is the extension before ".gz" (the
         * output file is written gzip-compressed, cli_outfile_open) */
        const char *d = dot - 1;
        while (d > path && *d != '.' && *d != '/')
            d--;
        dot = *d == '.' ? d : NULL;
    }
    char ext[8] = "";
    if (dot) {
        size_t n = strcspn(dot + 1, ".");
        if (n < sizeof ext)
            memcpy(ext, dot + 1, n), ext[n] = '\0';
    }
    enum fmt f = ext[0] ? fmt_of(ext) : F_NONE;
    return f == F_SHEET ? F_NONE : f; /* "sheet" is a format name, not an extension */
}



typedef struct {
    const char *in_name, *out_name;
    enum fmt from, to;
    FILE *out;
    FILE *spool;             /* out when the rows wait in a temporary file (convert_run) */
    cli_outfile *of;
    tmk_tmx_writer *w;
    const char *src, *tgt;   /* TSV/CSV input languages, or --pair */
    int pair;                /* --pair given */
    int normalize, strip, keep_markup, quiet;
    const char *header_srclang;
    char *hdr_src;
    tmk_table_writer *tw;    /* TMX -> TSV/CSV: the library's table writer */
    unsigned long units_in, units_out, skipped, line, dropped_lines;
    unsigned long markup_units, other_tuvs;
    unsigned long warned_line;
    tmk_buf a, b, row, lb;
    tmk_error err;
    int header_done;
    char *csv_src, *csv_tgt; /* languages from a header row */
    tmk_table_reader *tab;   /* the library's table reader while reading */
    int no_header;           /* sheet/CSV without a language row and no -s/-t */
    unsigned long cells_rows; /* rows with cells left out (the first is reported) */
    unsigned long props_units; /* TMX -> table: units with props or notes left out */
    unsigned long markup_only; /* TMX -> table: units skipped, only markup in a language */
} conv;

/* The rows' temporary file could not be written: the message names its
 * folder (the output is not concerned). */
static int spool_error(tmk_error *err, int e)
{
    const char *dir = cli_temp_dir();
    tmk_error_set_file(err, NULL);
    return tmk_error_set(err, TMK_EIO, 0, 0,
                         "cannot write a temporary file in the folder '%s': %s; set TMPDIR "
                         "to a folder with more room",
                         dir && *dir ? dir : "/tmp", e ? strerror(e) : "write error");
}

static int out_error(conv *c, const char *what)
{
    int e = errno;
    if (c->spool && c->out == c->spool)
        return spool_error(&c->err, e);
    tmk_error_set(&c->err, TMK_EIO, 0, 0, "cannot write %s: %s", what,
                  e ? strerror(e) : "write error");
    tmk_error_set_file(&c->err, c->out_name);
    return TMK_EIO;
}

/* ---- TMX input -------------------------------------------------------------- */

static int on_writer_warning(void *ud, const tmk_tmx_warning *wn)
{
    size_t tu_index = wn->tu_index;
    const char *msg = wn->msg;
    conv *c = ud;
    if (c->line) {
        if (c->warned_line != c->line) {
            c->dropped_lines++;
            c->warned_line = c->line;
        }
        fprintf(stderr, "tmkit: %s:%lu: %s\n", c->in_name, c->line, msg);
    } else {
        fprintf(stderr, "tmkit: %s: unit %zu: %s\n", c->in_name, tu_index + 1, msg);
    }
    return 0;
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
        if (!d)
            h.creationdate = TMK_TMX_DATE_NONE; /* none added */
        else if (!tmk_tmx_date_parse(d, &h.creationdate)) {
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
        int rc = tmk_lang_canonical(&canon, h.srclang, &c->err);
        if (rc)
            return rc;
        h.srclang = canon;
    }
    tmk_tmx_write_options wo = TMK_TMX_WRITE_OPTIONS_INIT;
    wo.creation_time = cli_creation_time();
    wo.flags = TMK_TMX_VERBATIM;
    wo.file = c->out;
    int rc = tmk_tmx_writer_new(&c->w, &wo, &h, NULL, on_writer_warning, c, &c->err);
    free(canon);
    if (rc == TMK_EIO)
        tmk_error_set_file(&c->err, c->out_name);
    return rc;
}

static int writer_add(conv *c, const tmk_tmx_tu *tu)
{
    int rc = tmk_tmx_writer_add(c->w, tu, &c->err);
    if (rc == TMK_EIO)
        tmk_error_set_file(&c->err, c->out_name);
    return rc;
}

static int on_header(void *ud, const tmk_tmx_header *h)
{
    conv *c = ud;
    free(c->hdr_src);
    c->hdr_src = h->srclang ? strdup(h->srclang) : NULL;
    c->header_srclang = c->hdr_src;
    if (c->tw)
        TMXCLI_TRY(tmk_table_writer_header(c->tw, c->header_srclang, &c->err));
    if (c->to == F_TMX && !c->w)
        return open_writer(c, h);
    return TMK_OK;
}

/* TMX -> TSV/CSV: rows to the output */
static int table_sink(void *ud, const char *data, size_t len)
{
    conv *c = ud;
    errno = 0;
    if (fwrite(data, 1, len, c->out) != len)
        return out_error(c, "the output");
    return TMK_OK;
}

static int table_unit(conv *c, const tmk_tmx_tu *tu)
{
    if (!c->tw) {
        tmk_table_write_options o = TMK_TABLE_WRITE_OPTIONS_INIT;
        o.dialect = c->to == F_CSV ? TMK_TSV_CSV : c->to == F_SHEET ? TMK_TSV_SHEET : TMK_TSV;
        o.flags = c->keep_markup ? TMK_TABLE_KEEP_MARKUP : 0;
        if (c->pair) {
            o.src = c->src;
            o.tgt = c->tgt;
        }
        TMXCLI_TRY(tmk_table_writer_new(&c->tw, &o, table_sink, c, &c->err));
        TMXCLI_TRY(tmk_table_writer_header(c->tw, c->header_srclang, &c->err));
    }
    int rc = tmk_table_writer_add(c->tw, tu, &c->err);
    if (rc == TMK_EINVAL) { /* a unit in other languages than the columns */
        size_t n = strlen(c->err.msg);
        snprintf(c->err.msg + n, sizeof c->err.msg - n,
                 ": choose two with --pair SOURCE,TARGET (or convert to TMX)");
        tmk_error_set_file(&c->err, c->in_name);
    }
    const tmk_table_write_counts *k = tmk_table_writer_counts(c->tw);
    c->units_in = k->units_in;
    c->units_out = k->units_out;
    c->skipped = k->skipped;
    c->other_tuvs = k->other_tuvs;
    c->markup_units = k->markup_units;
    c->markup_only = k->markup_only;
    c->props_units = k->props_units;
    return rc;
}

static int on_tu(void *ud, const tmk_tmx_tu *tu)
{
    conv *c = ud;
    if (c->to != F_TMX)
        return table_unit(c, tu);
    c->units_in++;
    long si = -1, ti = -1;
    if (c->src && c->tgt) {
        si = tmxcli_find(tu, c->src);
        ti = tmxcli_find(tu, c->tgt);
    }
    if (!c->w)
        TMXCLI_TRY(open_writer(c, NULL));
    /* TMX -> TMX: maybe one pair, canonical codes, plain text */
    tmk_tmx_tuv tuvs_buf[2];
    tmk_tmx_tuv *tuvs = NULL;
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
            rc = tmk_lang_canonical(&langs[i], tuvs[i].lang, NULL);
            tuvs[i].lang = langs[i];
        }
        if (c->strip && tuvs[i].markup) {
            rc = tmk_tmx_seg_text(tuvs[i].seg, tuvs[i].seg_len, 1, &plain[i]);
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
        na = tmk_lang_canonical(&tu_src_canon, tu_src, NULL)
                 ? -1
                 : tmxcli_attrs_with_srclang(tu, tu_src_canon, &attrs);
    }
    if (na == -1)
        rc = TMK_ENOMEM;
    if (rc == TMK_OK) {
        tmk_tmx_tu out = *tu;
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
    /* --strip: the reader gives the markup, on_tu writes each seg as its
     * text (tmk_tmx_seg_text: placeholders kept as their code) */
    tmk_tmx_read_options ro = TMK_TMX_READ_OPTIONS_INIT;
    ro.name = path;
    tmk_tmx_reader *r;
    if (tmk_tmx_reader_new(&r, &ro, on_header, on_tu, NULL, c, &rerr) < 0)
        return cli_report(&rerr);
    const char *head;
    size_t nhead;
    xliffcli_stdin_head(&head, &nhead);
    int rc = TMK_OK;
    if (!strcmp(path, "-") && nhead) /* what recognising it read */
        rc = tmk_tmx_reader_feed(r, head, nhead, &rerr);
    if (rc == TMK_OK)
        rc = cli_tmx_read(r, path, &rerr);
    tmk_tmx_reader_free(r);
    if (rc < 0) {
        if (c->err.code) {
            rerr = c->err;
            if (!rerr.file[0])
                tmk_error_set_file(&rerr, path);
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
    tmk_error_set_file(&c->err, c->in_name);
    return TMK_EIO;
}

/* A row of the table as a unit: into the TMX output. */
static int table_in_unit(void *ud, const tmk_table_unit *u)
{
    conv *c = ud;
    const tmk_tmx_tu *tu = u->tu;
    c->line = u->line; /* for the writer's warnings */
    if (!c->src) { /* the languages of the first row */
        c->src = tmk_table_reader_column(c->tab, 0);
        c->tgt = tmk_table_reader_column(c->tab, 1);
    }
    if (!c->w)
        TMXCLI_TRY(open_writer(c, NULL));
    int rc = writer_add(c, tu);
    if (rc == TMK_OK)
        c->units_out++;
    return rc;
}

static int table_in_warning(void *ud, const tmk_table_warning *w)
{
    conv *c = ud;
    if (w->kind == TMK_TABLE_W_SEMICOLON && c->quiet)
        return 0;
    if (w->line)
        fprintf(stderr, "tmkit: %s:%lu: %s\n", c->in_name, w->line, w->msg);
    else
        fprintf(stderr, "tmkit: %s: %s\n", c->in_name, w->msg);
    return 0;
}

/* A TSV or CSV file through the library's table reader, read in chunks; a
 * read error is never taken for the end of the input. */
static int convert_table(conv *c, FILE *f)
{
    tmk_error e = TMK_ERROR_INIT;
    tmk_table_read_options o = TMK_TABLE_READ_OPTIONS_INIT;
    o.dialect = c->from == F_TSV ? TMK_TSV : c->from == F_SHEET ? TMK_TSV_SHEET : TMK_TSV_CSV;
    o.flags = c->keep_markup ? TMK_TABLE_KEEP_MARKUP : 0;
    o.src = c->src;
    o.tgt = c->tgt;
    o.name = c->in_name;
    if (tmk_table_reader_new(&c->tab, &o, table_in_unit, table_in_warning, c, &e) < 0) {
        c->err = e;
        return e.code;
    }
    static char buf[1 << 16];
    int rc = TMK_OK;
    for (;;) {
        errno = 0;
        size_t got = fread(buf, 1, sizeof buf, f);
        if (got && (rc = tmk_table_reader_feed(c->tab, buf, got, &e)) < 0)
            break;
        if (got < sizeof buf && ferror(f)) {
            rc = read_error(c);
            break;
        }
        if (got < sizeof buf && feof(f)) {
            rc = tmk_table_reader_finish(c->tab, &e);
            break;
        }
    }
    const tmk_table_read_counts *k = tmk_table_reader_counts(c->tab);
    c->units_in = k->units_in;
    c->skipped = k->skipped;
    c->cells_rows = k->cells_rows;
    /* a sheet or CSV without languages: a usage error (main) */
    c->no_header = rc == TMK_EINVAL && e.code == TMK_EINVAL;
    if (c->src && c->src == tmk_table_reader_column(c->tab, 0)) {
        /* the header's languages outlive the reader (the summary) */
        c->src = c->csv_src = strdup(c->src);
        c->tgt = c->csv_tgt = strdup(c->tgt);
    }
    tmk_table_reader_free(c->tab);
    c->tab = NULL;
    if (rc < 0 && !c->err.code && !c->no_header) {
        c->err = e;
        tmk_error_set_file(&c->err, c->in_name);
    }
    return rc;
}

/* Copy the rows held in spool to the output (see convert_run); ex is the
 * run's exit code so far, the result the new one. */
static int spool_out(conv *c, FILE *spool, int ex, tmk_error *oerr)
{
    FILE *to = cli_outfile_stream(c->of);
    char buf[65536];
    size_t n;
    if (ex == TMK_EXIT_OK && (fflush(spool) || fseek(spool, 0, SEEK_SET))) {
        spool_error(oerr, errno);
        ex = cli_report(oerr);
    }
    while (ex == TMK_EXIT_OK && (n = fread(buf, 1, sizeof buf, spool)) > 0)
        if (fwrite(buf, 1, n, to) != n) {
            tmk_error_set(oerr, TMK_EIO, 0, 0, "cannot write the output: %s", strerror(errno));
            ex = cli_report(oerr);
        }
    if (ex == TMK_EXIT_OK && ferror(spool)) {
        tmk_error_set(oerr, TMK_EIO, 0, 0, "cannot read back the temporary file: %s",
                      strerror(errno));
        ex = cli_report(oerr);
    }
    fclose(spool);
    return ex;
}

/* The conversion proper, once the options are checked: write output from
 * input, commit the output file only when all went well. */
static int convert_run(conv *c, const char *argv0, const char *input, const char *output)
{
    tmk_error oerr = TMK_ERROR_INIT;
    tmk_error_set_file(&oerr, output);
    c->of = cli_outfile_open(output, &oerr);
    if (!c->of)
        return cli_report(&oerr);
    int ex = TMK_EXIT_OK;
    c->out = cli_outfile_stream(c->of);
    /* TMX -> table on standard output without --pair: a later unit in
     * other languages stops with a usage error, and no row may be out by
     * then ("nothing is written"): the rows wait in a temporary file (disk,
     * not memory, in $TMPDIR as every temporary file) and go out at the
     * end.  Without one, they go out directly. */
    FILE *spool = NULL;
    if (c->from == F_TMX && c->to != F_TMX && !c->pair && !strcmp(output, "-") &&
        tmk_io_temp_file(&spool, cli_temp_dir(), NULL) == TMK_OK)
        c->out = c->spool = spool;
    if (c->from == F_TMX) {
        ex = convert_tmx(c, input);
    } else {
        FILE *f = strcmp(input, "-") ? fopen(input, "rb") : stdin;
        if (!f) {
            cli_errorf("%s: cannot open the file: %s", input, strerror(errno));
            ex = TMK_EXIT_IO;
        } else {
            int rc = TMK_OK;
            if (c->from == F_TSV)
                rc = open_writer(c, NULL);
            if (rc == TMK_OK)
                rc = convert_table(c, f);
            if (c->no_header)
                ex = cli_usage_error(argv0,
                                     "the %s file has no language header row (codes such as "
                                     "de and en-GB, not column titles such as German or "
                                     "Source): write the two language codes in its first "
                                     "row, or give -s SOURCE -t TARGET",
                                     fmt_names[c->from]);
            else if (rc < 0) {
                if (!c->err.file[0])
                    tmk_error_set_file(&c->err, input);
                ex = cli_report(&c->err);
            }
            if (f != stdin)
                fclose(f);
        }
    }
    if (ex == TMK_EXIT_OK && c->to == F_TMX) {
        if (!c->w && open_writer(c, NULL) < 0)
            ex = cli_report(&c->err);
        else if (tmk_tmx_writer_finish(c->w, &c->err) < 0) {
            tmk_error_set_file(&c->err, output);
            ex = cli_report(&c->err);
        }
    }
    tmk_tmx_writer_free(c->w);
    if (spool)
        ex = spool_out(c, spool, ex, &oerr);
    if (ex == TMK_EXIT_OK) {
        if (cli_outfile_commit(c->of, &oerr) < 0)
            ex = cli_report(&oerr);
    } else {
        cli_outfile_abort(c->of);
    }
    return ex;
}

/* What a translator should know about a conversion that went well: what
 * was left out, and the counts. */
static void convert_summary(const conv *c, const char *input)
{
    if (c->markup_units)
        fprintf(stderr,
                "tmkit: %s: %lu unit(s) have inline markup (tags, placeholders): "
                "written as plain text, placeholders as their code ({0}) and "
                "formatting tags left out; --keep-markup keeps the markup\n",
                input, c->markup_units);
    if (c->markup_only)
        fprintf(stderr,
                "tmkit: %s: %lu unit(s) skipped: only inline markup (tags) in a language, "
                "no text without it; --keep-markup keeps them\n",
                input, c->markup_only);
    if (c->props_units)
        fprintf(stderr,
                "tmkit: %s: %lu unit(s) have props or notes that a %s row does not hold: "
                "left out%s\n",
                input, c->props_units, fmt_names[c->to],
                c->to == F_SHEET ? " (a sheet holds x-alignment-score, x-alignment-bead and "
                                   "x-spell-errors; TMX output keeps everything)"
                                 : " (--to sheet keeps x-alignment-score, x-alignment-bead and "
                                   "x-spell-errors; TMX output keeps everything)");
    if (!c->quiet) {
        fprintf(stderr, "tmkit: %s: %lu unit(s) read, %lu written", input, c->units_in,
                c->units_out);
        if (c->skipped)
            fprintf(stderr, ", %lu skipped (without both languages)", c->skipped);
        if (c->other_tuvs)
            fprintf(stderr, ", %lu tuv(s) in other languages left out (--pair)", c->other_tuvs);
        if (c->dropped_lines)
            fprintf(stderr, ", %lu line(s) lost characters XML forbids", c->dropped_lines);
        if (c->cells_rows)
            fprintf(stderr, ", %lu row(s) had cells left out", c->cells_rows);
        fputc('\n', stderr);
    }
}

int cmd_convert(int argc, char **argv)
{
    static const struct option opts[] = {
        {"from", required_argument, NULL, 'F'},    {"to", required_argument, NULL, 'T'},
        {"output", required_argument, NULL, 'o'},  {"source", required_argument, NULL, 's'},
        {"target", required_argument, NULL, 't'},  {"pair", required_argument, NULL, 'p'},
        {"normalize", no_argument, NULL, 'N'},     {"normalise", no_argument, NULL, 'N'},
        {"strip", no_argument, NULL, 'S'},         {"keep-markup", no_argument, NULL, 'K'},
        {"quiet", no_argument, NULL, 'q'},         {"help", no_argument, NULL, 'h'},
        {"include-fuzzy", no_argument, NULL, 'Z'}, {NULL, 0, NULL, 0}};
    /* standard input without --from: known by its first bytes, like a file */
    int sniffed = xliffcli_sniff_stdin(argc, argv);
    if (sniffed == TMK_CONTENT_XLIFF || xliffcli_wants(argc, argv))
        return xliffcli_convert(argc, argv);
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
    if (from_po || (!from && (po_cli_is_po(input) || sniffed == TMK_CONTENT_PO))) {
        /* a gettext catalogue: its own converter (po_cli.c) */
        if (c.to && c.to != F_TMX)
            USAGE("a PO file converts to TMX only (--to tmx)");
        enum fmt ext = fmt_of_path(strcmp(output, "-") ? output : NULL, 1);
        if (!c.to && ext && ext != F_TMX)
            USAGE("a PO file converts to TMX only, and the output '%s' is named as %s: name "
                  "it .tmx (or give --to tmx to write TMX under that name)", output,
                  fmt_names[ext]);
        if (c.pair || (c.src && !tmk_lang_valid(c.src)) || (c.tgt && !tmk_lang_valid(c.tgt)))
            USAGE("-s/-t want language codes like en or de-DE");
        po_cli_args pa = {argv[0], input, output, c.src ? c.src : "en", c.tgt, include_fuzzy,
                          c.quiet};
        ex = po_cli_convert(&pa);
        goto out;
    }
    if (!from)
        from = fmt_of_path(input, 0);
    if (!from)
        from = F_TMX;
    if (!c.to)
        c.to = fmt_of_path(strcmp(output, "-") ? output : NULL, 1);
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
        char *cs = NULL, *ct = NULL;
        tmk_error cerr = TMK_ERROR_INIT;
        if (tmk_lang_canonical(&cs, c.src, &cerr) || tmk_lang_canonical(&ct, c.tgt, &cerr)) {
            tmk_free(cs);
            free(ps);
            free(pt);
            return cli_report(&cerr);
        }
        free(ps);
        free(pt);
        c.src = ps = cs;
        c.tgt = pt = ct;
    }

    ex = convert_run(&c, argv[0], input, output);
    if (ex == TMK_EXIT_OK)
        convert_summary(&c, input);
out:
    tmk_buf_release(&c.a);
    tmk_buf_release(&c.b);
    tmk_buf_release(&c.row);
    tmk_buf_release(&c.lb);
    free(c.hdr_src);
    free(c.csv_src);
    free(c.csv_tgt);
    tmk_table_writer_free(c.tw);
    free(ps);
    free(pt);
    return ex;
#undef USAGE
}
