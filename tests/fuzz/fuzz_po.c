/* fuzz_po.c -- the PO reader on any bytes, fed in chunks whose size comes
 * from the first byte (0: whole). */
#include <config.h>
#include <stdint.h>
#include <stddef.h>
#include "tmkit/tmkit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count(void *ud, const tmk_po_entry *e)
{
    size_t *n = ud;
    *n += e->msgid_len + e->nmsgstr + (e->msgctxt != NULL);
    for (size_t i = 0; i < e->nmsgstr; i++)
        *n += e->msgstr_len[i];
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t chunk = data[0] & 15;
    data++;
    size--;
    if (!chunk)
        chunk = size ? size : 1;
    tmk_po_reader *r = NULL;
    tmk_error err = TMK_ERROR_INIT;
    size_t n = 0;
    tmk_po_options o = TMK_PO_OPTIONS_INIT;
    o.name = "fuzz.po";
    if (tmk_po_reader_new(&r, &o, count, &n, &err) < 0)
        return 0;
    int rc = TMK_OK;
    for (size_t i = 0; i < size && rc == TMK_OK; i += chunk)
        rc = tmk_po_reader_feed(r, (const char *)data + i, size - i < chunk ? size - i : chunk,
                                &err);
    if (rc == TMK_OK && tmk_po_reader_finish(r, &err) == TMK_OK) {
        const tmk_po_header *h = tmk_po_reader_header(r);
        n += h && h->language ? 1 : 0;
        char *lang = NULL;
        if (h && h->language && tmk_po_lang_to_tmx(h->language, &lang, &err) == TMK_OK)
            tmk_free(lang);
    }
    tmk_po_reader_free(r);
    return 0;
}
