/* tm_tsv.c -- TSV (tmkit's and the spreadsheet dialect) and CSV: a push
 * reader that gives one row at a time, and the field writer.  Memory is
 * bounded by the longest row (TMK_TSV_MAX_RECORD). */
#include <config.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "tmkit/tsv.h"
#include "tmkit/utf8.h"

enum { S_START, S_PLAIN, S_QUOTED, S_AFTER_QUOTE }; /* a cell, while scanning */

struct tmk_tsv_reader {
    int finished; /* tmk_tsv_reader_finish was called (tmkit.h rule 6) */
    enum tmk_tsv_dialect d;
    tmk_tsv_row_cb cb;
    void *ud;
    int failed;              /* the first error code, 0 while none */
    unsigned long line;      /* lines completed */
    tmk_buf line_buf;        /* TSV: the line being read; CSV: the first line,
                                until the separator is known */
    /* the spreadsheet dialect: a row may span lines */
    tmk_buf rec, cell;
    int rec_open;            /* a quoted cell goes on on the next line */
    int state;               /* S_*: where the scan of rec stopped */
    size_t scan;             /* rec is scanned up to here */
    unsigned long rec_line, cell_line, cell_col;
    /* CSV */
    char delim;              /* 0 until the first line was seen */
    int cr_pending;          /* a CR ended the last record: skip one LF */
    size_t nf, rec_bytes;
    unsigned long csv_start; /* line where the record started */
    unsigned long ccol;      /* characters of the current line so far */
    unsigned long qline, qcol; /* where the open quoted field's quote is */
    tmk_buf extra;           /* fields after TMK_TSV_MAX_FIELDS */
    size_t row_fields;       /* fields of the row being given, all of them */
    tmk_buf f[TMK_TSV_MAX_FIELDS];
    tmk_tsv_field pub[TMK_TSV_MAX_FIELDS];
};

static int fail(tmk_tsv_reader *r, tmk_error *err, int code, unsigned long line,
                unsigned long col, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static int fail(tmk_tsv_reader *r, tmk_error *err, int code, unsigned long line,
                unsigned long col, const char *fmt, ...)
{
    r->failed = code;
    if (err) {
        char msg[sizeof err->msg];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        tmk_error_set(err, code, line, col, "%s", msg);
    }
    return code;
}

static int nomem(tmk_tsv_reader *r, tmk_error *err)
{
    return fail(r, err, TMK_ENOMEM, 0, 0, "out of memory");
}

int tmk_tsv_reader_new(tmk_tsv_reader **out, const tmk_tsv_options *opt, tmk_tsv_row_cb on_row,
                       void *ud, tmk_error *err)
{
    if (!out)
        return tmk_error_set(err, TMK_EINVAL, 0, 0, "no place for the reader");
    *out = NULL;
    tmk_tsv_options o = TMK_TSV_OPTIONS_INIT;
    tmk__options_copy(&o, sizeof o, opt);
    tmk_tsv_reader *r = calloc(1, sizeof *r);
    if (!r)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    r->d = o.dialect;
    r->cb = on_row;
    r->ud = ud;
    r->csv_start = 1;
    tmk_buf_init(&r->line_buf);
    tmk_buf_init(&r->rec);
    tmk_buf_init(&r->cell);
    tmk_buf_init(&r->extra);
    for (size_t k = 0; k < TMK_TSV_MAX_FIELDS; k++)
        tmk_buf_init(&r->f[k]);
    *out = r;
    return TMK_OK;
}

char tmk_tsv_reader_delimiter(const tmk_tsv_reader *r) { return r ? r->delim : 0; }

void tmk_tsv_reader_free(tmk_tsv_reader *r)
{
    if (!r)
        return;
    tmk_buf_release(&r->line_buf);
    tmk_buf_release(&r->rec);
    tmk_buf_release(&r->cell);
    tmk_buf_release(&r->extra);
    for (size_t k = 0; k < TMK_TSV_MAX_FIELDS; k++)
        tmk_buf_release(&r->f[k]);
    free(r);
}

static int emit(tmk_tsv_reader *r, tmk_error *err, unsigned long line, size_t nf)
{
    r->row_fields = nf;
    if (nf > TMK_TSV_MAX_FIELDS)
        nf = TMK_TSV_MAX_FIELDS;
    for (size_t k = 0; k < nf; k++) {
        r->pub[k].s = r->f[k].data;
        r->pub[k].len = r->f[k].len;
    }
    if (!r->cb)
        return TMK_OK;
    tmk_tsv_row row = {line, r->pub, nf, r->row_fields};
    int rc = r->cb(r->ud, &row);
    if (rc > 0)
        rc = TMK_ECANCELED;
    if (rc < 0) {
        r->failed = rc;
        if (err && !err->code)
            tmk_error_set(err, rc, line, 0, "reading stopped: %s", tmk_error_string(rc));
    }
    return rc < 0 ? rc : TMK_OK;
}

/* \t \n \r \\ back to TAB, LF, CR, backslash; any other backslash is text. */
static int unescape(tmk_buf *o, const char *s, size_t n)
{
    tmk_buf_reset(o);
    if (tmk_buf_grow(o, n + 1) < 0)
        return TMK_ENOMEM;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == '\\' && i + 1 < n) {
            char e = s[i + 1];
            char rep = e == 't' ? '\t' : e == 'n' ? '\n' : e == 'r' ? '\r' : e == '\\' ? '\\' : 0;
            if (rep) {
                ch = rep;
                i++;
            }
        }
        o->data[k++] = ch;
    }
    o->data[k] = '\0';
    o->len = k;
    return TMK_OK;
}

static void drop_bom(const char **s, size_t *n)
{
    if (*n >= 3 && !memcmp(*s, "\xEF\xBB\xBF", 3)) {
        *s += 3;
        *n -= 3;
    }
}

static int too_long(tmk_tsv_reader *r, tmk_error *err, unsigned long line, const char *what)
{
    return fail(r, err, TMK_ELIMIT, line, 0,
                "a %s holds more than %zu MiB (the limit for one unit); is this a %s file?", what,
                TMK_TSV_MAX_RECORD >> 20, r->d == TMK_TSV_CSV ? "CSV" : "TSV");
}

/* ---- tmkit's TSV ------------------------------------------------------------ */

static int tsv_row(tmk_tsv_reader *r, const char *s, size_t n, tmk_error *err)
{
    size_t nf = 0, i = 0;
    for (;;) {
        const char *tab = memchr(s + i, '\t', n - i);
        size_t e = tab ? (size_t)(tab - s) : n;
        if (nf < TMK_TSV_MAX_FIELDS && unescape(&r->f[nf], s + i, e - i) < 0)
            return nomem(r, err);
        nf++;
        if (!tab)
            break;
        i = e + 1;
    }
    return emit(r, err, r->line, nf);
}

/* ---- the spreadsheet dialect ---------------------------------------------- */

static int sheet_emit(tmk_tsv_reader *r, tmk_error *err)
{
    const char *s = r->rec.data;
    size_t n = r->rec.len, nf = 0, i = 0;
    for (;;) {
        tmk_buf_reset(&r->cell);
        if (i < n && s[i] == '"') {
            i++;
            while (i < n) {
                const char *q = memchr(s + i, '"', n - i);
                size_t qi = q ? (size_t)(q - s) : n;
                if (tmk_buf_add(&r->cell, s + i, qi - i) < 0)
                    return nomem(r, err);
                i = qi + 1;
                if (i < n && s[i] == '"') {
                    if (tmk_buf_addch(&r->cell, '"') < 0)
                        return nomem(r, err);
                    i++;
                    continue;
                }
                break;
            }
        } else {
            const char *tab = memchr(s + i, '\t', n - i);
            size_t e = tab ? (size_t)(tab - s) : n;
            if (tmk_buf_add(&r->cell, s + i, e - i) < 0)
                return nomem(r, err);
            i = e;
        }
        if (nf < TMK_TSV_MAX_FIELDS && unescape(&r->f[nf], r->cell.data, r->cell.len) < 0)
            return nomem(r, err);
        nf++;
        if (i >= n)
            break;
        i++; /* the TAB */
    }
    return emit(r, err, r->rec_line, nf);
}

static int sheet_line(tmk_tsv_reader *r, const char *s, size_t n, tmk_error *err)
{
    if (!r->rec_open) {
        if (!n)
            return TMK_OK;
        tmk_buf_reset(&r->rec);
        r->rec_line = r->line;
        r->scan = 0;
        r->state = S_START;
    } else if (tmk_buf_addch(&r->rec, '\n') < 0) {
        return nomem(r, err);
    }
    if (r->rec.len + n > TMK_TSV_MAX_RECORD)
        return too_long(r, err, r->rec_line, "row");
    size_t line_start = r->rec.len;
    if (tmk_buf_add(&r->rec, s, n) < 0)
        return nomem(r, err);
    const char *d = r->rec.data;
    int st = r->state;
    for (size_t i = r->scan; i < r->rec.len; i++) {
        char ch = d[i];
        switch (st) {
        case S_START:
            if (ch == '"') {
                st = S_QUOTED;
                r->cell_line = r->line;
                r->cell_col = tmk_utf8_count(d + line_start, i - line_start) + 1;
            } else if (ch != '\t') {
                st = S_PLAIN;
            }
            break;
        case S_PLAIN:
            if (ch == '\t')
                st = S_START;
            break;
        case S_QUOTED:
            if (ch == '"')
                st = S_AFTER_QUOTE;
            break;
        default: /* S_AFTER_QUOTE */
            if (ch == '"')
                st = S_QUOTED;
            else if (ch == '\t')
                st = S_START;
            else
                return fail(r, err, TMK_ESYNTAX, r->cell_line, r->cell_col,
                            "a cell starts with a quote but goes on after its closing quote; "
                            "in a sheet a text that starts with \" is written in quotes with "
                            "\"\" for each quote inside (or read the file as tsv, where quotes "
                            "are text)");
            break;
        }
    }
    r->scan = r->rec.len;
    r->state = st;
    r->rec_open = st == S_QUOTED;
    return r->rec_open ? TMK_OK : sheet_emit(r, err);
}

/* One complete line of a TSV dialect (without its LF). */
static int tsv_line(tmk_tsv_reader *r, const char *s, size_t n, tmk_error *err)
{
    r->line++;
    if (r->line == 1)
        drop_bom(&s, &n);
    if (n && s[n - 1] == '\r')
        n--;
    if (r->d == TMK_TSV_SHEET)
        return sheet_line(r, s, n, err);
    /* a carriage return is written \r inside a field: a bare one is a line
     * end of another system (old Mac files), which would glue rows together */
    const char *cr = memchr(s, '\r', n);
    if (cr)
        return fail(r, err, TMK_ESYNTAX, r->line, tmk_utf8_count(s, (size_t)(cr - s)) + 1,
                             "a carriage return inside a line: the file's lines end in CR only "
                             "(convert them to LF, e.g. tr '\\r' '\\n'), or a field holds a CR "
                             "that should be written \\r");
    return n ? tsv_row(r, s, n, err) : TMK_OK;
}

static int tsv_feed(tmk_tsv_reader *r, const char *data, size_t len, tmk_error *err)
{
    while (len) {
        const char *nl = memchr(data, '\n', len);
        size_t take = nl ? (size_t)(nl - data) : len;
        if (r->line_buf.len + take > TMK_TSV_MAX_RECORD + 1) /* + its CR */
            return too_long(r, err, r->line + 1, "line");
        int rc;
        if (!r->line_buf.len && nl) { /* the whole line is here: no copy */
            rc = tsv_line(r, data, take, err);
        } else {
            if (tmk_buf_add(&r->line_buf, data, take) < 0)
                return nomem(r, err);
            if (!nl)
                break;
            rc = tsv_line(r, r->line_buf.data, r->line_buf.len, err);
            tmk_buf_reset(&r->line_buf);
        }
        if (rc < 0)
            return rc;
        data += take + 1;
        len -= take + 1;
    }
    return TMK_OK;
}

/* ---- CSV ------------------------------------------------------------------------ */

/* ',' unless the first line has no comma outside quotes and a ';'. */
static char csv_delimiter(const char *s, size_t n)
{
    int q = 0, semi = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            q = !q;
        else if (!q && s[i] == ',')
            return ',';
        else if (!q && s[i] == ';')
            semi = 1;
    }
    return semi ? ';' : ',';
}

static tmk_buf *csv_cur(tmk_tsv_reader *r)
{
    return r->nf < TMK_TSV_MAX_FIELDS ? &r->f[r->nf] : &r->extra;
}

static int csv_end_record(tmk_tsv_reader *r, tmk_error *err)
{
    int rc = TMK_OK;
    if (r->nf > 0 || r->f[0].len > 0) /* an empty line gives no row */
        rc = emit(r, err, r->csv_start, r->nf + 1);
    r->nf = 0;
    r->rec_bytes = 0;
    r->state = S_START;
    r->csv_start = r->line + 1;
    tmk_buf_reset(&r->f[0]);
    return rc;
}

static int csv_bytes(tmk_tsv_reader *r, const char *data, size_t len, tmk_error *err)
{
    for (size_t i = 0; i < len; i++) {
        char ch = data[i];
        if (r->cr_pending) {
            r->cr_pending = 0;
            if (ch == '\n')
                continue;
        }
        if (++r->rec_bytes > TMK_TSV_MAX_RECORD)
            return too_long(r, err, r->csv_start, "record");
        /* the column of ch, for messages (characters: UTF-8 lead bytes) */
        r->ccol = ch == '\n' || ch == '\r' ? 0 : r->ccol + (((unsigned char)ch & 0xC0) != 0x80);
        tmk_buf *cur = csv_cur(r);
        if (r->state == S_QUOTED) {
            if (ch == '"') {
                r->state = S_AFTER_QUOTE;
                continue;
            }
            if (ch == '\n')
                r->line++;
            /* the run up to the next quote or line end at once */
            size_t j = i + 1;
            while (j < len && data[j] != '"' && data[j] != '\n' && data[j] != '\r' &&
                   r->rec_bytes + (j - i) <= TMK_TSV_MAX_RECORD)
                j++;
            if (tmk_buf_add(cur, data + i, j - i) < 0)
                return nomem(r, err);
            r->ccol += tmk_utf8_count(data + i + 1, j - i - 1);
            r->rec_bytes += j - i - 1;
            i = j - 1;
            continue;
        }
        if (r->state == S_AFTER_QUOTE) {
            if (ch == '"') {
                if (tmk_buf_addch(cur, '"') < 0)
                    return nomem(r, err);
                r->state = S_QUOTED;
                continue;
            }
            if (ch != r->delim && ch != '\r' && ch != '\n')
                return fail(r, err, TMK_ESYNTAX, r->line + 1, r->ccol,
                            "text after the closing quote of a quoted field (the field's quote "
                            "is at %lu:%lu); in CSV a field that starts with \" ends at the "
                            "next lone \": write \"\" for each quote inside the text",
                            r->qline, r->qcol);
            r->state = S_PLAIN;
        }
        if (ch == '"' && cur->len == 0) {
            r->state = S_QUOTED;
            r->qline = r->line + 1;
            r->qcol = r->ccol;
            continue;
        }
        if (ch == r->delim) {
            r->nf++;
            tmk_buf_reset(csv_cur(r));
            r->state = S_START;
            continue;
        }
        if (ch == '\r' || ch == '\n') {
            r->line++;
            r->cr_pending = ch == '\r';
            int rc = csv_end_record(r, err);
            if (rc < 0)
                return rc;
            continue;
        }
        if (tmk_buf_addch(cur, ch) < 0)
            return nomem(r, err);
        r->state = S_PLAIN;
    }
    return TMK_OK;
}

/* The first line is kept until its end shows the separator. */
static int csv_first(tmk_tsv_reader *r, tmk_error *err)
{
    const char *s = r->line_buf.data;
    size_t n = r->line_buf.len;
    drop_bom(&s, &n);
    r->delim = csv_delimiter(s, n);
    int rc = csv_bytes(r, s, n, err);
    tmk_buf_reset(&r->line_buf);
    return rc;
}

static int csv_feed(tmk_tsv_reader *r, const char *data, size_t len, tmk_error *err)
{
    if (!r->delim) {
        /* the first line ends at LF or CR (old Mac files end lines with CR) */
        const char *nl = memchr(data, '\n', len), *cr = memchr(data, '\r', len);
        if (cr && (!nl || cr < nl))
            nl = cr;
        size_t take = nl ? (size_t)(nl - data) + 1 : len;
        if (r->line_buf.len + take > TMK_TSV_MAX_RECORD)
            return too_long(r, err, 1, "line");
        if (tmk_buf_add(&r->line_buf, data, take) < 0)
            return nomem(r, err);
        if (!nl)
            return TMK_OK;
        TMK_TRY(csv_first(r, err));
        data += take;
        len -= take;
    }
    return csv_bytes(r, data, len, err);
}

/* ---- feeding ---------------------------------------------------------------- */

int tmk_tsv_reader_feed(tmk_tsv_reader *r, const char *data, size_t len, tmk_error *err)
{
    if (!r)
        return tmk_error_set(err, TMK_EINVAL, 0, 0, "no reader");
    if (r->finished)
        return tmk__after_finish(err, "TSV reader");
    if (r->failed)
        return r->failed;
    return r->d == TMK_TSV_CSV ? csv_feed(r, data, len, err) : tsv_feed(r, data, len, err);
}

int tmk_tsv_reader_finish(tmk_tsv_reader *r, tmk_error *err)
{
    if (!r)
        return tmk_error_set(err, TMK_EINVAL, 0, 0, "no reader");
    if (r->finished)
        return tmk__after_finish(err, "TSV reader");
    r->finished = 1;
    if (r->failed)
        return r->failed;
    if (r->d == TMK_TSV_CSV) {
        if (!r->delim)
            TMK_TRY(csv_first(r, err));
        if (r->state == S_QUOTED)
            return fail(r, err, TMK_ESYNTAX, r->csv_start, 0,
                        "a quoted CSV field is not closed");
        if (r->rec_bytes)
            TMK_TRY(csv_end_record(r, err));
        return TMK_OK;
    }
    if (r->line_buf.len) {
        int rc = tsv_line(r, r->line_buf.data, r->line_buf.len, err);
        tmk_buf_reset(&r->line_buf);
        if (rc < 0)
            return rc;
    }
    if (r->rec_open)
        return fail(r, err, TMK_ESYNTAX, r->cell_line, r->cell_col,
                    "a quoted cell that starts here is never closed; in a sheet a cell that "
                    "starts with \" must end with \" (with \"\" for a quote inside)");
    return TMK_OK;
}

/* ---- writing ------------------------------------------------------------------ */

static int csv_field(tmk_buf *o, const char *s, size_t n)
{
    int need = 0;
    for (size_t i = 0; i < n && !need; i++)
        need = s[i] == ',' || s[i] == ';' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (!need)
        return tmk_buf_add(o, s, n);
    TMK_TRY(tmk_buf_addch(o, '"'));
    size_t start = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '"') {
            TMK_TRY(tmk_buf_add(o, s + start, i + 1 - start));
            TMK_TRY(tmk_buf_addch(o, '"'));
            start = i + 1;
        }
    TMK_TRY(tmk_buf_add(o, s + start, n - start));
    return tmk_buf_addch(o, '"');
}

int tmk_tsv_field_add(tmk_buf *o, const char *s, size_t n, enum tmk_tsv_dialect d)
{
    if (d == TMK_TSV_CSV)
        return csv_field(o, s, n) < 0 ? TMK_ENOMEM : TMK_OK;
    /* a text that starts with a quote is quoted in a sheet (inner quotes
     * doubled), or a spreadsheet would take its quote for a cell
     * delimiter; in tmkit's TSV a quote is text, always */
    int q = d == TMK_TSV_SHEET && n && s[0] == '"';
    size_t start = 0;
    if (q)
        TMK_TRY(tmk_buf_addch(o, '"'));
    for (size_t i = 0; i < n; i++) {
        const char *rep;
        switch (s[i]) {
        case '"':
            if (!q)
                continue;
            rep = "\"\"";
            break;
        case '\\': rep = "\\\\"; break;
        case '\t': rep = "\\t"; break;
        case '\n': rep = "\\n"; break;
        case '\r': rep = "\\r"; break;
        default: continue;
        }
        TMK_TRY(tmk_buf_add(o, s + start, i - start));
        TMK_TRY(tmk_buf_adds(o, rep));
        start = i + 1;
    }
    TMK_TRY(tmk_buf_add(o, s + start, n - start));
    if (q)
        TMK_TRY(tmk_buf_addch(o, '"'));
    return TMK_OK;
}
