/* tmkit/tsv.h -- reading and writing translation tables: TSV and CSV.
 *
 * Follows the API contract of tmkit.h (objects through out-parameters,
 * options structs with their size first, callbacks (cb, ud) given to _new,
 * ud first, 0 to go on).
 *
 * Three dialects, named by the caller and never guessed between:
 *
 *   TMK_TSV        tmkit's TSV (the format of the corpora): fields separated
 *                  by TAB, one row per line; inside a field TAB, LF, CR and
 *                  backslash are written \t \n \r \\ (any other backslash is
 *                  text); a quote is always text.
 *   TMK_TSV_SHEET  TSV as spreadsheets save it: the escapes of TMK_TSV in
 *                  every cell, and a cell that starts with '"' is a quoted
 *                  cell ("" for a quote inside; TABs and line breaks inside
 *                  are text, so a row may span lines).  A cell that starts
 *                  with a quote and goes on after its closing quote is an
 *                  error (TMK_ESYNTAX with line and column).
 *   TMK_TSV_CSV    RFC 4180: '"' quoting, CRLF (or LF, or CR) row ends.  The
 *                  separator is ',' unless the first line has no comma
 *                  outside quotes and a ';' (German spreadsheets): then ';'.
 *                  Text after the closing quote of a quoted field ("x" y)
 *                  is an error (TMK_ESYNTAX with its line and column).
 *
 * Push API: feed chunks of any size, then finish (after which feed and
 * finish return TMK_EINVAL, TMK_D_AFTER_FINISH: tmkit.h rule 6); each row goes to the row
 * callback as soon as it is complete.  A UTF-8 byte-order mark at the start
 * is dropped; a CR before a line's LF is dropped (TSV dialects); empty lines
 * give no row.  Bytes are passed as they are (the caller checks UTF-8).
 *
 * Limits: a row holds at most TMK_TSV_MAX_RECORD bytes (8 MiB, the TMX
 * reader's limit for one unit): a longer one, or an endless input without
 * line ends, stops with TMK_ELIMIT and the row's line.  Fields after the
 * first TMK_TSV_MAX_FIELDS of a row are not given.
 */
#ifndef TMKIT_TSV_H
#define TMKIT_TSV_H

#include <stddef.h>
#include "buf.h"
#include "error.h"
#include "tmx.h"

#ifdef __cplusplus
extern "C" {
#endif

enum tmk_tsv_dialect { TMK_TSV = 0, TMK_TSV_SHEET = 1, TMK_TSV_CSV = 2 };

#define TMK_TSV_MAX_RECORD ((size_t)8 << 20)
#define TMK_TSV_MAX_FIELDS 16

typedef struct tmk_tsv_field {
    const char *s; /* unquoted and unescaped; NUL-terminated (may hold NULs too) */
    size_t len;
} tmk_tsv_field;

/* One row: nf fields (at least 1), borrowed and valid during the call;
 * line: the 1-based line where the row starts; nfields: how many fields
 * the row has, also those past TMK_TSV_MAX_FIELDS that are not given (so a
 * caller can say that cells were left out). */
typedef struct tmk_tsv_row {
    unsigned long line;
    const tmk_tsv_field *f;
    size_t nf;
    size_t nfields;
} tmk_tsv_row;

/* Return 0 to go on, non-zero to stop: feed or finish then returns
 * TMK_ECANCELED, or the callback's own negative code (tmkit.h, rule 4). */
typedef int (*tmk_tsv_row_cb)(void *ud, const tmk_tsv_row *row);

typedef struct tmk_tsv_reader tmk_tsv_reader;

typedef struct tmk_tsv_options {
    size_t size;                  /* sizeof(tmk_tsv_options): TMK_TSV_OPTIONS_INIT sets it */
    enum tmk_tsv_dialect dialect; /* default TMK_TSV */
} tmk_tsv_options;

#define TMK_TSV_OPTIONS_INIT {sizeof(tmk_tsv_options), TMK_TSV}

/* A reader in *out (opt NULL: the defaults) that gives each row to
 * on_row(ud, row) (may be NULL).  TMK_OK or TMK_ENOMEM (*out NULL). */
int tmk_tsv_reader_new(tmk_tsv_reader **out, const tmk_tsv_options *opt, tmk_tsv_row_cb on_row,
                       void *ud, tmk_error *err);
/* Errors: TMK_ESYNTAX (a quoted cell not closed, or going on after its
 * closing quote), TMK_ELIMIT (a row over TMK_TSV_MAX_RECORD), TMK_ENOMEM,
 * or what the callback returned.  After an error the reader stays failed. */
int tmk_tsv_reader_feed(tmk_tsv_reader *r, const char *data, size_t len, tmk_error *err);
int tmk_tsv_reader_finish(tmk_tsv_reader *r, tmk_error *err);
/* CSV: the separator once the first line was seen (',' or ';'), else 0. */
char tmk_tsv_reader_delimiter(const tmk_tsv_reader *r);
void tmk_tsv_reader_free(tmk_tsv_reader *r);

/* Append one field in dialect d: TMK_TSV escapes TAB, LF, CR and
 * backslash; TMK_TSV_SHEET also puts a text that starts with '"' in quotes
 * with inner quotes doubled; TMK_TSV_CSV quotes a field that holds ',', ';',
 * '"', CR or LF (RFC 4180).  Returns TMK_OK or TMK_ENOMEM. */
int tmk_tsv_field_add(tmk_buf *o, const char *s, size_t n, enum tmk_tsv_dialect d);

/* ---- TMX units as table rows -------------------------------------------
 *
 * tmk_table_writer writes TMX units (tmkit/tmx.h) as rows of two texts in
 * a dialect above: what `tmkit convert --to tsv|sheet|csv` does.
 *  - Columns: one language each.  With a pair (options src, tgt) the tuvs
 *    that match them (tmk_tmx_find_tuv) go in, units without both are
 *    skipped and the tuvs of other languages counted; else the first unit
 *    with two tuvs in two languages fixes the columns (its source tuv,
 *    tmk_tmx_source_tuv, first) and a later unit with other or more
 *    languages stops with TMK_EINVAL (the message names them).
 *  - sheet and CSV start with a row of the two language codes; a sheet has
 *    a column for each review prop (x-alignment-score, x-alignment-bead,
 *    x-spell-errors), the values from the unit or its tuvs.
 *  - Cell text: the plain text (inline markup dropped), or with
 *    TMK_TABLE_KEEP_MARKUP the TMX seg content as XML (& < > escaped, CR as
 *    &#13;), which tmkit convert --keep-markup reads back.
 *  - What a row cannot hold is counted (tmk_table_write_counts): units
 *    whose text in one column would be only markup (skipped: an empty cell
 *    reads back as no pair), units with props or notes left out.
 * Rows go to the sink as they are made (return 0, or a negative tmk_error_code to
 * stop: the call returns it). */
typedef struct tmk_table_writer tmk_table_writer;
typedef int (*tmk_table_sink)(void *ud, const char *data, size_t len);

enum tmk_table_flags {
    TMK_TABLE_KEEP_MARKUP = 1 << 0 /* cells hold TMX inline markup as XML */
};

typedef struct tmk_table_write_options {
    size_t size;                  /* TMK_TABLE_WRITE_OPTIONS_INIT sets it */
    enum tmk_tsv_dialect dialect;
    unsigned flags;               /* enum tmk_table_flags */
    const char *src, *tgt;        /* the pair of languages, or both NULL */
} tmk_table_write_options;

#define TMK_TABLE_WRITE_OPTIONS_INIT {sizeof(tmk_table_write_options), TMK_TSV, 0, NULL, NULL}

typedef struct tmk_table_write_counts {
    unsigned long units_in, units_out;
    unsigned long skipped;      /* without both languages */
    unsigned long other_tuvs;   /* tuvs of other languages left out (a pair) */
    unsigned long markup_units; /* written without their inline markup */
    unsigned long markup_only;  /* skipped: a text is only inline markup */
    unsigned long props_units;  /* with props or notes a row does not hold */
} tmk_table_write_counts;

/* TMK_OK, TMK_EINVAL (no sink, one language of the pair), TMK_ENOMEM. */
int tmk_table_writer_new(tmk_table_writer **out, const tmk_table_write_options *opt,
                         tmk_table_sink sink, void *ud, tmk_error *err);
/* A memory's header: its srclang chooses the source tuv (NULL: none). */
int tmk_table_writer_header(tmk_table_writer *w, const char *srclang, tmk_error *err);
/* One unit: a row, or counted as skipped.  TMK_OK, TMK_EINVAL (a unit in
 * other languages than the columns), TMK_ENOMEM, or the sink's code. */
int tmk_table_writer_add(tmk_table_writer *w, const tmk_tmx_tu *tu, tmk_error *err);
/* One row of two cell texts as given (the header row first, if not yet
 * written; tu, or NULL, gives the review props of a sheet). */
int tmk_table_writer_row(tmk_table_writer *w, const char *a, size_t an, const char *b, size_t bn,
                         const tmk_tmx_tu *tu, tmk_error *err);
/* The language of column i (0 or 1), NULL while not fixed. */
const char *tmk_table_writer_column(const tmk_table_writer *w, int i);
const tmk_table_write_counts *tmk_table_writer_counts(const tmk_table_writer *w);
void tmk_table_writer_free(tmk_table_writer *w);

/* ---- table rows as TMX units --------------------------------------------
 *
 * tmk_table_reader reads a table (a dialect above, fed in chunks) and gives
 * each row as a TMX unit of two tuvs: what `tmkit convert --from
 * tsv|sheet|csv` does.
 *  - Languages: the options' src and tgt (TMK_TSV needs them), or the
 *    first row of a sheet or CSV when it holds two language codes, each
 *    with a primary language of 2 or 3 letters (then it is the header;
 *    with src and tgt given it is one only if it names them; column titles
 *    such as German or Source are not codes).  A sheet or CSV without
 *    either is TMK_EINVAL.
 *  - Further columns: TMK_TSV reads a score from 0 to 1 in the third
 *    (a decimal comma read as a point) and a bead type in the fourth;
 *    sheet and CSV read each column whose header cell starts with "x-" as
 *    a unit prop of that type (x-spell-errors: a prop of the source tuv,
 *    where tmk_build_units puts it).  Other non-empty cells are left out: the
 *    first such row is a warning (TMK_TABLE_W_CELLS), all are counted.  A
 *    score outside 0..1 is left out with a warning (TMK_TABLE_W_SCORE).
 *  - A row with an empty source or target is skipped and counted.
 *  - With TMK_TABLE_KEEP_MARKUP each cell is TMX seg content (XML): it is
 *    checked as such and the tuv gets markup = 1 when it has inline
 *    elements; a cell that is not is TMK_ESYNTAX with its line.
 *  - Cells that are not UTF-8 are TMK_ESYNTAX with the line.
 * Errors name opt->name in err->file. */
typedef struct tmk_table_reader tmk_table_reader;

enum tmk_table_warning_kind {
    TMK_TABLE_W_SEMICOLON = 1, /* CSV read with ';' (line 0) */
    TMK_TABLE_W_SCORE,         /* a score outside 0..1 left out (the first) */
    TMK_TABLE_W_CELLS          /* cells left out (the first such row) */
};
typedef struct tmk_table_warning {
    int kind;           /* enum tmk_table_warning_kind */
    unsigned long line; /* 1-based, 0 for the whole input */
    const char *msg;
} tmk_table_warning;

/* A row as a unit: tu (borrowed) and the line where the row starts. */
typedef struct tmk_table_unit {
    const tmk_tmx_tu *tu;
    unsigned long line;
} tmk_table_unit;

/* The callbacks (tmkit.h, rule 4): return 0 to go on, non-zero to stop;
 * feed or finish then returns TMK_ECANCELED, or the callback's own
 * negative tmk_error_code.  Either may be NULL (tmkit.h, rule 4). */
typedef int (*tmk_table_unit_cb)(void *ud, const tmk_table_unit *unit);
typedef int (*tmk_table_warn_cb)(void *ud, const tmk_table_warning *w);

typedef struct tmk_table_read_options {
    size_t size;                  /* TMK_TABLE_READ_OPTIONS_INIT sets it */
    enum tmk_tsv_dialect dialect;
    unsigned flags;               /* enum tmk_table_flags */
    const char *src, *tgt;        /* the column languages, or both NULL */
    const char *name;             /* the input's name for err->file (copied) */
} tmk_table_read_options;

#define TMK_TABLE_READ_OPTIONS_INIT {sizeof(tmk_table_read_options), TMK_TSV, 0, NULL, NULL, NULL}

typedef struct tmk_table_read_counts {
    unsigned long rows;       /* sheet/CSV rows, the header included */
    unsigned long units_in;   /* data rows */
    unsigned long skipped;    /* rows with an empty source or target */
    unsigned long cells_rows; /* rows with cells left out */
    unsigned long bad_scores; /* scores outside 0..1 left out */
} tmk_table_read_counts;

/* on_warn may be NULL.  TMK_OK, TMK_EINVAL, TMK_ENOMEM. */
int tmk_table_reader_new(tmk_table_reader **out, const tmk_table_read_options *opt,
                         tmk_table_unit_cb on_unit, tmk_table_warn_cb on_warn, void *ud,
                         tmk_error *err);
/* The tmk_tsv_reader errors (with line and column), TMK_EINVAL (no
 * languages), TMK_ESYNTAX (a row: not UTF-8, one field, a bad markup cell),
 * or what the unit callback returned. */
int tmk_table_reader_feed(tmk_table_reader *r, const char *data, size_t len, tmk_error *err);
int tmk_table_reader_finish(tmk_table_reader *r, tmk_error *err);
/* The language of column i (0 or 1), NULL while not known. */
const char *tmk_table_reader_column(const tmk_table_reader *r, int i);
const tmk_table_read_counts *tmk_table_reader_counts(const tmk_table_reader *r);
void tmk_table_reader_free(tmk_table_reader *r);

#ifdef __cplusplus
}
#endif
#endif
