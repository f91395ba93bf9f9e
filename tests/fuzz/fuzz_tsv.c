/* fuzz_tsv.c -- the TSV/CSV reader on any bytes: the first byte picks the
 * dialect and the chunk size, the rest is the input.  Every row must have
 * at least one field, each field NUL-terminated, and the row lines must not
 * go backwards.  The same input then goes through the table reader
 * (tmk_table_reader: rows as TMX units, with --keep-markup cells when the
 * first byte's bit 7 is set), whose units must have two tuvs with text and
 * whose errors must say what they are. */
#include <config.h>
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include "tmkit/tmkit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_row(void *ud, const tmk_tsv_row *row)
{
    unsigned long line = row->line;
    const tmk_tsv_field *f = row->f;
    size_t nf = row->nf;
    unsigned long *last = ud;
    if (nf < 1 || nf > TMK_TSV_MAX_FIELDS || line < *last || line == 0)
        __builtin_trap();
    for (size_t k = 0; k < nf; k++)
        if (!f[k].s || f[k].s[f[k].len] != '\0')
            __builtin_trap();
    *last = line;
    /* a field written back in the row's dialect reads back the same: checked
     * by the writer not failing here */
    tmk_buf b = TMK_BUF_INIT;
    if (tmk_tsv_field_add(&b, f[0].s, f[0].len, TMK_TSV) < 0)
        __builtin_trap();
    tmk_buf_release(&b);
    return TMK_OK;
}

static int on_unit(void *ud, const tmk_table_unit *u)
{
    (void)ud;
    const tmk_tmx_tu *tu = u->tu;
    unsigned long line = u->line;
    if (tu->ntuvs != 2 || !tu->tuvs[0].seg_len || !tu->tuvs[1].seg_len || !line ||
        !tu->tuvs[0].lang || !tu->tuvs[1].lang)
        __builtin_trap();
    return 0;
}

static void table(enum tmk_tsv_dialect d, unsigned flags, size_t chunk, const uint8_t *data,
                  size_t size)
{
    tmk_table_read_options o = TMK_TABLE_READ_OPTIONS_INIT;
    o.dialect = d;
    o.flags = flags;
    o.name = "fuzz";
    if (d == TMK_TSV) {
        o.src = "de";
        o.tgt = "en";
    }
    tmk_error err = TMK_ERROR_INIT;
    tmk_table_reader *r;
    if (tmk_table_reader_new(&r, &o, on_unit, NULL, NULL, &err) < 0)
        return;
    int rc = TMK_OK;
    for (size_t i = 0; i < size && rc == TMK_OK; i += chunk)
        rc = tmk_table_reader_feed(r, (const char *)data + i, size - i < chunk ? size - i : chunk,
                                   &err);
    if (rc == TMK_OK)
        rc = tmk_table_reader_finish(r, &err);
    if (rc < 0 && err.code == TMK_OK)
        __builtin_trap();
    tmk_table_reader_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    enum tmk_tsv_dialect d = (enum tmk_tsv_dialect)(data[0] % 3);
    size_t chunk = (size_t)((data[0] >> 2) & 31) + 1;
    unsigned flags = data[0] & 0x80 ? TMK_TABLE_KEEP_MARKUP : 0;
    data++;
    size--;
    tmk_error err = TMK_ERROR_INIT;
    tmk_tsv_options to = TMK_TSV_OPTIONS_INIT;
    to.dialect = d;
    unsigned long last = 0;
    tmk_tsv_reader *r;
    if (tmk_tsv_reader_new(&r, &to, on_row, &last, &err) < 0)
        return 0;
    int rc = TMK_OK;
    for (size_t i = 0; i < size && rc == TMK_OK; i += chunk)
        rc = tmk_tsv_reader_feed(r, (const char *)data + i, size - i < chunk ? size - i : chunk,
                                 &err);
    if (rc == TMK_OK)
        rc = tmk_tsv_reader_finish(r, &err);
    if (rc < 0 && err.code == TMK_OK)
        __builtin_trap(); /* an error always says what it is */
    tmk_tsv_reader_free(r);
    table(d, flags, chunk, data, size);
    return 0;
}
