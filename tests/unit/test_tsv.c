/* Unit tests: the TSV/CSV reader (three dialects) and the field writer.
 * Every input is fed whole, in 1-byte and in 7-byte chunks: same rows. */
#include <config.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tmkit/tmkit.h"
#include "spec_file.h"

/* rows as "LINE:f1|f2|...;" with control characters shown as \t \n \r */
static int collect(void *ud, const tmk_tsv_row *row)
{
    unsigned long line = row->line;
    const tmk_tsv_field *f = row->f;
    size_t nf = row->nf;
    tmk_buf *o = ud;
    tmk_buf_printf(o, "%lu:", line);
    for (size_t k = 0; k < nf; k++) {
        if (k)
            tmk_buf_addch(o, '|');
        for (size_t i = 0; i < f[k].len; i++) {
            char ch = f[k].s[i];
            if (ch == '\t')
                tmk_buf_adds(o, "\\t");
            else if (ch == '\n')
                tmk_buf_adds(o, "\\n");
            else if (ch == '\r')
                tmk_buf_adds(o, "\\r");
            else
                tmk_buf_addch(o, ch);
        }
        assert_int_equal(f[k].s[f[k].len], '\0');
    }
    tmk_buf_addch(o, ';');
    return TMK_OK;
}

/* Read in with chunks of `chunk` bytes (0: whole); rows into out; returns
 * the code, err filled. */
static int read_all(enum tmk_tsv_dialect d, const char *in, size_t n, size_t chunk,
                    tmk_buf *out, tmk_error *err)
{
    tmk_tsv_options to = TMK_TSV_OPTIONS_INIT;
    to.dialect = d;
    tmk_tsv_reader *r;
    assert_int_equal(tmk_tsv_reader_new(&r, &to, collect, out, err), TMK_OK);
    int rc = TMK_OK;
    if (!chunk)
        chunk = n ? n : 1;
    for (size_t i = 0; i < n && rc == TMK_OK; i += chunk)
        rc = tmk_tsv_reader_feed(r, in + i, n - i < chunk ? n - i : chunk, err);
    if (rc == TMK_OK)
        rc = tmk_tsv_reader_finish(r, err);
    tmk_tsv_reader_free(r);
    return rc;
}

struct tcase {
    enum tmk_tsv_dialect d;
    const char *in, *rows;
    int code;
    unsigned long line, col;
};

static const struct tcase cases[] = {
    /* tmkit's TSV: escapes, quotes are text, CR LF, BOM, empty lines */
    {TMK_TSV, "\xEF\xBB\xBF" "a\\tb\tc\\\\d\\n\r\n\n\"%s\"\t\"x\" y\n\"open\tz", "1:a\\tb|c\\d\\n;3:\"%s\"|\"x\" y;4:\"open|z;", 0, 0, 0},
    {TMK_TSV, "a\\qb\\\tc\\", "1:a\\qb\\|c\\;", 0, 0, 0},
    /* the spreadsheet dialect: quoted cells, spanning lines, escapes inside */
    {TMK_TSV_SHEET, "de\ten\n\"\"\"Gut\"\", sagt\ter\"\t\"x\r\ny\"\tz\\t\n", "1:de|en;2:\"Gut\", sagt\\ter|x\\ny|z\\t;", 0, 0, 0},
    {TMK_TSV_SHEET, "a\t\"b\"c\n", "", TMK_ESYNTAX, 1, 3},
    {TMK_TSV_SHEET, "a\nb\t\"open\nmore\n", "1:a;", TMK_ESYNTAX, 2, 3},
    {TMK_TSV_SHEET, "x\"y\"\t\"\"\n", "1:x\"y\"|;", 0, 0, 0},
    /* CSV: comma, semicolon from the first line, CR-only ends, quotes */
    {TMK_TSV_CSV, "de,en\r\n\"a,b\",\"c\"\"d\"\r\n\r\n\"multi\nline\",x", "1:de|en;2:a,b|c\"d;4:multi\\nline|x;", 0, 0, 0},
    {TMK_TSV_CSV, "\xEF\xBB\xBF" "de;en\rHallo;Welt, schön\r\"a;b\";c", "1:de|en;2:Hallo|Welt, schön;3:a;b|c;", 0, 0, 0},
    {TMK_TSV_CSV, "a,b\n\"open,c\n", "1:a|b;", TMK_ESYNTAX, 2, 0},
    /* text after a closing quote is an error at that text (not kept silently) */
    {TMK_TSV_CSV, "de,en\n\"x\" y,z\n", "1:de|en;", TMK_ESYNTAX, 2, 4},
    {TMK_TSV_CSV, "a;b\r\nc;\"\xC3\xA4\"\xC3\xB6\r\n", "1:a|b;", TMK_ESYNTAX, 2, 6},
    {TMK_TSV_CSV, "a,\"b\"\r\n\"\"\"q\"\"\",\"\"\n", "1:a|b;2:\"q\"|;", 0, 0, 0},
};

static void test_tsv_dialects_whole_and_in_chunks(void **state)
{
    (void)state;
    static const size_t chunks[] = {0, 1, 7};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        for (size_t c = 0; c < 3; c++) {
            tmk_buf out = TMK_BUF_INIT;
            tmk_error err = TMK_ERROR_INIT;
            int rc = read_all(cases[i].d, cases[i].in, strlen(cases[i].in), chunks[c], &out, &err);
            if (rc != cases[i].code || strcmp(out.data, cases[i].rows) ||
                (rc && (err.line != cases[i].line || err.col != cases[i].col)))
                fail_msg("case %zu chunk %zu: rc %d (%lu:%lu %s), rows \"%s\"; expected rc %d "
                         "(%lu:%lu), rows \"%s\"",
                         i, chunks[c], rc, err.line, err.col, err.msg, out.data, cases[i].code,
                         cases[i].line, cases[i].col, cases[i].rows);
            tmk_buf_release(&out);
        }
}

static void test_tsv_row_limit_stops_endless_input(void **state)
{
    (void)state;
    static const enum tmk_tsv_dialect ds[] = {TMK_TSV, TMK_TSV_SHEET, TMK_TSV_CSV};
    char *zeros = calloc(1, 1 << 20);
    assert_non_null(zeros);
    for (size_t k = 0; k < 3; k++) {
        tmk_error err = TMK_ERROR_INIT;
        tmk_tsv_options to = TMK_TSV_OPTIONS_INIT;
        to.dialect = ds[k];
        tmk_tsv_reader *r;
        assert_int_equal(tmk_tsv_reader_new(&r, &to, NULL, NULL, &err), TMK_OK);
        int rc = TMK_OK;
        for (int i = 0; i < 20 && rc == TMK_OK; i++) /* 20 MiB without a line end */
            rc = tmk_tsv_reader_feed(r, zeros, 1 << 20, &err);
        assert_int_equal(rc, TMK_ELIMIT);
        assert_int_equal(err.line, 1);
        /* a failed reader stays failed */
        assert_int_equal(tmk_tsv_reader_feed(r, "a\tb\n", 4, &err), TMK_ELIMIT);
        tmk_tsv_reader_free(r);
    }
    /* a quoted CSV field that never closes, over lines: the record limit */
    tmk_error err = TMK_ERROR_INIT;
    tmk_tsv_options to = TMK_TSV_OPTIONS_INIT;
    to.dialect = TMK_TSV_CSV;
    tmk_tsv_reader *r;
    assert_int_equal(tmk_tsv_reader_new(&r, &to, NULL, NULL, &err), TMK_OK);
    memset(zeros, '\n', 1 << 20);
    int rc = tmk_tsv_reader_feed(r, "a,b\n\"", 5, &err);
    for (int i = 0; i < 20 && rc == TMK_OK; i++)
        rc = tmk_tsv_reader_feed(r, zeros, 1 << 20, &err);
    assert_int_equal(rc, TMK_ELIMIT);
    assert_int_equal(err.line, 2);
    tmk_tsv_reader_free(r);
    free(zeros);
}

static int stop_at_second(void *ud, const tmk_tsv_row *row)
{
    (void)ud;
    return row->line == 2 ? TMK_EINVAL : TMK_OK;
}

static int stop_with_one(void *ud, const tmk_tsv_row *row)
{
    (*(unsigned long *)ud)++;
    return row->line == 2;
}

static void test_tsv_callback_error_stops_reading(void **state)
{
    (void)state;
    tmk_error err = TMK_ERROR_INIT;
    tmk_tsv_reader *r;
    assert_int_equal(tmk_tsv_reader_new(&r, NULL, stop_at_second, NULL, &err), TMK_OK);
    assert_int_equal(tmk_tsv_reader_feed(r, "a\tb\nc\td\ne\tf\n", 12, &err), TMK_EINVAL);
    assert_int_equal(err.code, TMK_EINVAL);
    assert_int_equal(tmk_tsv_reader_finish(r, &err), TMK_EINVAL);
    tmk_tsv_reader_free(r);
    /* a positive return stops too: TMK_ECANCELED (tmkit.h, rule 4) */
    unsigned long calls = 0;
    err = (tmk_error)TMK_ERROR_INIT;
    assert_int_equal(tmk_tsv_reader_new(&r, NULL, stop_with_one, &calls, &err), TMK_OK);
    assert_int_equal(tmk_tsv_reader_feed(r, "a\tb\nc\td\ne\tf\n", 12, &err), TMK_ECANCELED);
    assert_int_equal(err.code, TMK_ECANCELED);
    assert_int_equal(err.line, 2);
    assert_int_equal(tmk_tsv_reader_finish(r, &err), TMK_ECANCELED);
    assert_int_equal(calls, 2);
    tmk_tsv_reader_free(r);
}

/* tmkit.h rule 5: a dialect past opt->size is the default, TMK_TSV (in
 * which a quote is text; CSV would unquote it). */
static void test_tsv_options_past_size_are_defaults(void **state)
{
    (void)state;
    for (int small = 0; small < 2; small++) {
        tmk_tsv_options o = TMK_TSV_OPTIONS_INIT;
        o.dialect = TMK_TSV_CSV;
        if (small)
            o.size = offsetof(tmk_tsv_options, dialect);
        tmk_buf out = TMK_BUF_INIT;
        tmk_error err = TMK_ERROR_INIT;
        tmk_tsv_reader *r;
        assert_int_equal(tmk_tsv_reader_new(&r, &o, collect, &out, &err), TMK_OK);
        assert_int_equal(tmk_tsv_reader_feed(r, "\"a,b\",c\n", 8, &err), TMK_OK);
        assert_int_equal(tmk_tsv_reader_finish(r, &err), TMK_OK);
        tmk_tsv_reader_free(r);
        assert_string_equal(out.data, small ? "1:\"a,b\",c;" : "1:a,b|c;");
        tmk_buf_release(&out);
    }
}

/* What the writer writes, the reader reads back as it was. */
static void test_tsv_field_writer_round_trips(void **state)
{
    (void)state;
    static const char *const texts[] = {"\"%s\" nicht gefunden", "a\\tb\tc\nd\r", "\"",
                                        "x,y;z \"q\"", "", "\"\"\"", "back\\"};
    static const enum tmk_tsv_dialect ds[] = {TMK_TSV, TMK_TSV_SHEET, TMK_TSV_CSV};
    for (size_t k = 0; k < 3; k++)
        for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
            tmk_buf row = TMK_BUF_INIT, out = TMK_BUF_INIT, want = TMK_BUF_INIT;
            tmk_error err = TMK_ERROR_INIT;
            assert_int_equal(tmk_tsv_field_add(&row, "x", 1, ds[k]), TMK_OK);
            tmk_buf_addch(&row, ds[k] == TMK_TSV_CSV ? ',' : '\t');
            assert_int_equal(tmk_tsv_field_add(&row, texts[i], strlen(texts[i]), ds[k]), TMK_OK);
            tmk_buf_addch(&row, '\n');
            assert_int_equal(read_all(ds[k], row.data, row.len, 0, &out, &err), TMK_OK);
            tmk_buf_adds(&want, "1:x|");
            tmk_buf *w = &want;
            for (const char *p = texts[i]; *p; p++)
                *p == '\t' ? tmk_buf_adds(w, "\\t") : *p == '\n' ? tmk_buf_adds(w, "\\n")
                : *p == '\r' ? tmk_buf_adds(w, "\\r") : tmk_buf_addch(w, *p);
            tmk_buf_addch(w, ';');
            if (strcmp(out.data, want.data))
                fail_msg("dialect %zu text %zu: wrote \"%s\", read \"%s\"", k, i, row.data,
                         out.data);
            tmk_buf_release(&row);
            tmk_buf_release(&out);
            tmk_buf_release(&want);
        }
}

/* ---- the table writer and reader (TMX units <-> rows) ------------------ */

static int sink_buf(void *ud, const char *data, size_t len) { return tmk_buf_add(ud, data, len); }

static tmk_tmx_tu mk_tu(tmk_tmx_tuv *v, const char *la, const char *a, int ma, const char *lb,
                    const char *b, int mb)
{
    memset(v, 0, 2 * sizeof *v);
    v[0] = (tmk_tmx_tuv){.lang = la, .seg = a, .seg_len = strlen(a), .markup = ma};
    v[1] = (tmk_tmx_tuv){.lang = lb, .seg = b, .seg_len = strlen(b), .markup = mb};
    tmk_tmx_tu tu;
    memset(&tu, 0, sizeof tu);
    tu.tuvs = v;
    tu.ntuvs = 2;
    return tu;
}

static void test_table_writer_rows_columns_and_counts(void **state)
{
    (void)state;
    tmk_buf out = TMK_BUF_INIT;
    tmk_table_writer *w;
    tmk_table_write_options o = TMK_TABLE_WRITE_OPTIONS_INIT;
    o.dialect = TMK_TSV_SHEET;
    assert_int_equal(tmk_table_writer_new(&w, &o, sink_buf, &out, NULL), TMK_OK);
    assert_int_equal(tmk_table_writer_header(w, "de", NULL), TMK_OK);
    tmk_tmx_tuv v[2];
    /* the header's srclang is the first column */
    tmk_tmx_prop score = {.type = "x-alignment-score", .value = "0.5"};
    tmk_tmx_tu tu = mk_tu(v, "en", "Yes", 0, "de", "Ja", 0);
    tu.props = &score;
    tu.nprops = 1;
    assert_int_equal(tmk_table_writer_add(w, &tu, NULL), TMK_OK);
    assert_string_equal(tmk_table_writer_column(w, 0), "de");
    /* only a tag in one language (a placeholder whose code is a tag, which
     * plain text leaves out; "{1}" would be text): skipped, counted */
    tu = mk_tu(v, "de", "<ph x=\"1\">&lt;img src=\"a.png\"/&gt;</ph>", 1, "en",
               "Figure <ph x=\"1\">&lt;img src=\"a.png\"/&gt;</ph>", 1);
    assert_int_equal(tmk_table_writer_add(w, &tu, NULL), TMK_OK);
    /* a prop a sheet has no column for: written, counted */
    tmk_tmx_prop proj = {.type = "x-project", .value = "M"};
    tu = mk_tu(v, "de", "a\rb", 0, "en", "c", 0);
    tu.props = &proj;
    tu.nprops = 1;
    assert_int_equal(tmk_table_writer_add(w, &tu, NULL), TMK_OK);
    /* other languages: TMK_EINVAL naming them */
    tmk_error err = TMK_ERROR_INIT;
    tu = mk_tu(v, "de", "x", 0, "fr", "y", 0);
    assert_int_equal(tmk_table_writer_add(w, &tu, &err), TMK_EINVAL);
    assert_non_null(strstr(err.msg, "de, fr"));
    assert_string_equal(out.data, "de\ten\tx-alignment-score\tx-alignment-bead\tx-spell-errors\n"
                                  "Ja\tYes\t0.5\t\t\n"
                                  "a\\rb\tc\t\t\t\n");
    const tmk_table_write_counts *k = tmk_table_writer_counts(w);
    assert_int_equal(k->units_in, 4);
    assert_int_equal(k->units_out, 2);
    assert_int_equal(k->markup_only, 1);
    assert_int_equal(k->markup_units, 1);
    assert_int_equal(k->props_units, 1);
    tmk_table_writer_free(w);
    tmk_buf_release(&out);
}

/* units as the table reader gives them: "LINE:lang=seg(m)|lang=seg;props;" */
static int collect_unit(void *ud, const tmk_table_unit *u)
{
    tmk_buf *o = ud;
    const tmk_tmx_tu *tu = u->tu;
    tmk_buf_printf(o, "%lu:", u->line);
    for (size_t i = 0; i < tu->ntuvs; i++) {
        tmk_buf_printf(o, "%s%s=", i ? "|" : "", tu->tuvs[i].lang);
        for (size_t j = 0; j < tu->tuvs[i].seg_len; j++) {
            char ch = tu->tuvs[i].seg[j];
            if (ch == '\r')
                tmk_buf_adds(o, "\\r");
            else
                tmk_buf_addch(o, ch);
        }
        if (tu->tuvs[i].markup)
            tmk_buf_adds(o, "(m)");
    }
    for (size_t i = 0; i < tu->nprops; i++)
        tmk_buf_printf(o, ";%s=%s", tu->props[i].type, tu->props[i].value);
    tmk_buf_addch(o, ';');
    return 0;
}

static int collect_warning(void *ud, const tmk_table_warning *w)
{
    tmk_buf *o = (tmk_buf *)ud + 1;
    tmk_buf_printf(o, "%d@%lu;", w->kind, w->line);
    return 0;
}

static void test_table_reader_languages_props_and_markup(void **state)
{
    (void)state;
    static const char in[] = "de\ten\tx-alignment-score\tcomment\n"
                             "Ja\tYes\t0,5\tfine\tstray\n"
                             "\t\t\t\n"
                             "eins&#13;<ph x=\"1\">{1}</ph>\tone&#13;\t902\n";
    static const size_t chunks[] = {0, 1, 7};
    for (size_t c = 0; c < 3; c++) {
        tmk_buf got[2] = {TMK_BUF_INIT, TMK_BUF_INIT};
        tmk_table_reader *r;
        tmk_table_read_options o = TMK_TABLE_READ_OPTIONS_INIT;
        o.dialect = TMK_TSV_SHEET;
        o.flags = TMK_TABLE_KEEP_MARKUP;
        o.name = "review.tsv";
        assert_int_equal(tmk_table_reader_new(&r, &o, collect_unit, collect_warning, got, NULL),
                         TMK_OK);
        size_t n = strlen(in), step = chunks[c] ? chunks[c] : n;
        for (size_t i = 0; i < n; i += step)
            assert_int_equal(tmk_table_reader_feed(r, in + i, n - i < step ? n - i : step, NULL),
                             TMK_OK);
        assert_int_equal(tmk_table_reader_finish(r, NULL), TMK_OK);
        assert_string_equal(got[0].data,
                            "2:de=Ja|en=Yes;x-alignment-score=0.5;"
                            "4:de=eins&#13;<ph x=\"1\">{1}</ph>(m)|en=one\\r;");
        assert_string_equal(got[1].data, "3@2;2@4;");
        assert_string_equal(tmk_table_reader_column(r, 1), "en");
        const tmk_table_read_counts *k = tmk_table_reader_counts(r);
        assert_int_equal(k->units_in, 3);
        assert_int_equal(k->skipped, 1);
        assert_int_equal(k->cells_rows, 1);
        assert_int_equal(k->bad_scores, 1);
        tmk_table_reader_free(r);
        tmk_buf_release(&got[0]);
        tmk_buf_release(&got[1]);
    }
}

static int stop_at_warning(void *ud, const tmk_table_warning *w)
{
    (void)w;
    return *(int *)ud;
}

static int count_unit(void *ud, const tmk_table_unit *u)
{
    (void)ud;
    (void)u;
    return 0;
}

/* The warning callback has the one callback shape (rule 4): non-zero stops
 * the reader, with TMK_ECANCELED or the callback's own negative code. */
static void test_table_reader_warning_callback_can_stop(void **state)
{
    (void)state;
    static const char in[] = "Ja\tYes\t902\nNein\tNo\n";
    static const int answers[] = {1, TMK_EIO};
    for (size_t k = 0; k < 2; k++) {
        int answer = answers[k];
        tmk_table_reader *r;
        tmk_table_read_options o = TMK_TABLE_READ_OPTIONS_INIT;
        o.src = "de";
        o.tgt = "en";
        assert_int_equal(tmk_table_reader_new(&r, &o, count_unit, stop_at_warning, &answer, NULL),
                         TMK_OK);
        int rc = tmk_table_reader_feed(r, in, strlen(in), NULL);
        if (rc == TMK_OK)
            rc = tmk_table_reader_finish(r, NULL);
        assert_int_equal(rc, answer > 0 ? TMK_ECANCELED : answer);
        tmk_table_reader_free(r);
    }
}

static void test_table_reader_errors_name_the_input(void **state)
{
    (void)state;
    tmk_buf got[2] = {TMK_BUF_INIT, TMK_BUF_INIT};
    tmk_table_reader *r;
    tmk_table_read_options o = TMK_TABLE_READ_OPTIONS_INIT;
    o.dialect = TMK_TSV_CSV;
    o.name = "in.csv";
    tmk_error err = TMK_ERROR_INIT;
    /* no language row and no languages given */
    assert_int_equal(tmk_table_reader_new(&r, &o, collect_unit, NULL, got, NULL), TMK_OK);
    assert_int_equal(tmk_table_reader_feed(r, "Guten Tag,Good day\n", 19, &err), TMK_EINVAL);
    assert_string_equal(err.file, "in.csv");
    tmk_table_reader_free(r);
    /* text after a closing quote */
    err = (tmk_error)TMK_ERROR_INIT;
    assert_int_equal(tmk_table_reader_new(&r, &o, collect_unit, NULL, got, NULL), TMK_OK);
    assert_int_equal(tmk_table_reader_feed(r, "de,en\n\"x\" y,z\n", 14, &err), TMK_ESYNTAX);
    assert_string_equal(err.file, "in.csv");
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 4);
    tmk_table_reader_free(r);
    /* TSV needs the languages */
    o.dialect = TMK_TSV;
    assert_int_equal(tmk_table_reader_new(&r, &o, collect_unit, NULL, got, NULL), TMK_EINVAL);
    tmk_buf_release(&got[0]);
    tmk_buf_release(&got[1]);
}

/* A sheet in UTF-16LE with a BOM (Excel's "Unicode Text") reads like the
 * same sheet in UTF-8; bytes that are not UTF-8 (no BOM) are an error at
 * their line and column, whatever the chunk size. */
static void test_table_reader_utf16_and_bad_bytes(void **state)
{
    (void)state;
    static const char u8[] = "de\ten\r\nGr\xc3\xbc\xc3\x9f" "e\tHi \xe2\x82\xac\r\n";
    char u16[128];
    size_t n16 = 0;
    u16[n16++] = (char)0xFF;
    u16[n16++] = (char)0xFE;
    /* the same text as UTF-16LE code units (all in the BMP) */
    for (size_t i = 0; u8[i];) {
        unsigned c = (unsigned char)u8[i];
        size_t l = c < 0x80 ? 1 : c < 0xE0 ? 2 : 3;
        unsigned cp = l == 1 ? c : l == 2 ? (c & 0x1F) << 6 | ((unsigned char)u8[i + 1] & 0x3F)
                                          : (c & 0x0F) << 12 |
                                                ((unsigned char)u8[i + 1] & 0x3F) << 6 |
                                                ((unsigned char)u8[i + 2] & 0x3F);
        u16[n16++] = (char)(cp & 0xFF);
        u16[n16++] = (char)(cp >> 8);
        i += l;
    }
    static const char bad[] = "de\ten\nGr\xc3\xbc\xc3\x9f" "e\tGr\xfc\n";
    static const size_t chunks[] = {0, 1, 7};
    for (size_t c = 0; c < 3; c++) {
        for (int which = 0; which < 3; which++) {
            const char *in = which == 0 ? u8 : which == 1 ? u16 : bad;
            size_t n = which == 0 ? strlen(u8) : which == 1 ? n16 : strlen(bad);
            tmk_buf got[2] = {TMK_BUF_INIT, TMK_BUF_INIT};
            tmk_table_reader *r;
            tmk_table_read_options o = TMK_TABLE_READ_OPTIONS_INIT;
            o.dialect = TMK_TSV_SHEET;
            o.name = "sheet.txt";
            assert_int_equal(tmk_table_reader_new(&r, &o, collect_unit, collect_warning, got, NULL),
                             TMK_OK);
            tmk_error err = TMK_ERROR_INIT;
            size_t step = chunks[c] ? chunks[c] : n;
            int rc = TMK_OK;
            for (size_t i = 0; i < n && rc == TMK_OK; i += step)
                rc = tmk_table_reader_feed(r, in + i, n - i < step ? n - i : step, &err);
            if (rc == TMK_OK)
                rc = tmk_table_reader_finish(r, &err);
            if (which < 2) {
                assert_int_equal(rc, TMK_OK);
                assert_string_equal(got[0].data, "2:de=Gr\xc3\xbc\xc3\x9f" "e|en=Hi \xe2\x82\xac;");
            } else {
                assert_int_equal(rc, TMK_EENCODING);
                assert_string_equal(err.file, "sheet.txt");
                assert_int_equal(err.line, 2);
                assert_int_equal(err.col, 9); /* G r ü ß e TAB G r, then 0xFC */
                assert_non_null(strstr(err.msg, "byte 0xFC"));
                assert_true(!got[0].len);
            }
            tmk_table_reader_free(r);
            tmk_buf_release(&got[0]);
            tmk_buf_release(&got[1]);
        }
    }
}

/* ---- tests/spec/tsv.txt: the dialects by example (also run through the
 * program by tests/spec/tsv.sh) ------------------------------------------ */

/* Replace the spec's stand-ins: "→" (E2 86 92) is a TAB, "␍" (E2 90 8D) a CR. */
static void spec_unescape(tmk_buf *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i + 3 <= n && !memcmp(s + i, "\xe2\x86\x92", 3)) {
            tmk_buf_addch(o, '\t');
            i += 2;
        } else if (i + 3 <= n && !memcmp(s + i, "\xe2\x90\x8d", 3)) {
            tmk_buf_addch(o, '\r');
            i += 2;
        } else {
            tmk_buf_addch(o, s[i]);
        }
    }
}

/* rows in tmkit's TSV, written with the library's own field writer */
static int spec_row(void *ud, const tmk_tsv_row *row)
{
    const tmk_tsv_field *f = row->f;
    size_t nf = row->nf;
    tmk_buf *o = ud;
    for (size_t k = 0; k < nf; k++) {
        if (k)
            tmk_buf_addch(o, '\t');
        if (tmk_tsv_field_add(o, f[k].s, f[k].len, TMK_TSV) < 0)
            return TMK_ENOMEM;
    }
    tmk_buf_addch(o, '\n');
    return TMK_OK;
}

/* Read input in dialect d, fed in chunks of chunk bytes (0: whole): the
 * rows, or "error LINE\n". */
static void spec_read(enum tmk_tsv_dialect d, const tmk_buf *in, size_t chunk, tmk_buf *out)
{
    tmk_error err = TMK_ERROR_INIT;
    tmk_tsv_options to = TMK_TSV_OPTIONS_INIT;
    to.dialect = d;
    tmk_tsv_reader *r;
    assert_int_equal(tmk_tsv_reader_new(&r, &to, spec_row, out, &err), TMK_OK);
    int rc = TMK_OK;
    size_t step = chunk ? chunk : in->len;
    for (size_t at = 0; at < in->len && rc == TMK_OK; at += step) {
        size_t n = in->len - at < step ? in->len - at : step;
        rc = tmk_tsv_reader_feed(r, in->data + at, n, &err);
    }
    if (rc == TMK_OK)
        rc = tmk_tsv_reader_finish(r, &err);
    if (rc < 0) {
        assert_int_equal(rc, TMK_ESYNTAX);
        tmk_buf_reset(out);
        tmk_buf_printf(out, "error %lu\n", err.line);
    }
    tmk_tsv_reader_free(r);
}

static void check_example(const char *path, unsigned long line, const char *info,
                          const tmk_buf *in, const tmk_buf *want, void *ud)
{
    (void)ud;
    enum tmk_tsv_dialect d = TMK_TSV;
    if (!strcmp(info, "tsv"))
        d = TMK_TSV;
    else if (!strcmp(info, "sheet"))
        d = TMK_TSV_SHEET;
    else if (!strcmp(info, "csv"))
        d = TMK_TSV_CSV;
    else
        fail_msg("%s:%lu: unknown dialect '%s'", path, line, info);
    static const size_t chunks[] = {0, 1, 7};
    tmk_buf got = TMK_BUF_INIT;
    for (size_t c = 0; c < 3; c++) {
        tmk_buf_reset(&got);
        spec_read(d, in, chunks[c], &got);
        if (got.len != want->len || memcmp(got.data, want->data, got.len))
            fail_msg("%s:%lu: the example (fed %s) gives\n%s\ninstead of\n%s", path, line,
                     c == 0 ? "whole" : c == 1 ? "byte by byte" : "in 7s", got.data,
                     want->data);
    }
    tmk_buf_release(&got);
}

static void test_tsv_spec_file_examples(void **state)
{
    (void)state;
    /* at least as many as the file had when this test was written: the
     * file was found and read */
    assert_true(spec_file_foreach("tsv.txt", spec_unescape, check_example, NULL) >= 12);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tsv_dialects_whole_and_in_chunks),
        cmocka_unit_test(test_tsv_row_limit_stops_endless_input),
        cmocka_unit_test(test_tsv_callback_error_stops_reading),
        cmocka_unit_test(test_tsv_options_past_size_are_defaults),
        cmocka_unit_test(test_tsv_field_writer_round_trips),
        cmocka_unit_test(test_table_writer_rows_columns_and_counts),
        cmocka_unit_test(test_table_reader_languages_props_and_markup),
        cmocka_unit_test(test_table_reader_warning_callback_can_stop),
        cmocka_unit_test(test_table_reader_errors_name_the_input),
        cmocka_unit_test(test_table_reader_utf16_and_bad_bytes),
        cmocka_unit_test(test_tsv_spec_file_examples),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
