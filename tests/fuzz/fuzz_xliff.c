/* fuzz_xliff.c -- the XLIFF reader on any bytes, fed in chunks whose size
 * the first byte picks (1..255; 0: whole). */
#include <config.h>
#include <stdint.h>
#include <stddef.h>
#include "tmkit/tmkit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count(void *ud, const tmk_xliff_pair *p)
{
    size_t *n = ud;
    *n += p->source_len + p->target_len + p->status;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t chunk = data[0] ? data[0] : size;
    data++;
    size--;
    tmk_xliff_options o = TMK_XLIFF_OPTIONS_INIT;
    o.max_unit = 1 << 20;
    tmk_error err = TMK_ERROR_INIT;
    tmk_xliff_reader *r = NULL;
    size_t n = 0;
    if (tmk_xliff_reader_new(&r, &o, &err) < 0)
        return 0;
    int rc = TMK_OK;
    for (size_t off = 0; off < size && rc == TMK_OK; off += chunk)
        rc = tmk_xliff_reader_feed(r, (const char *)data + off, size - off < chunk ? size - off : chunk,
                            count, &n, &err);
    if (rc == TMK_OK)
        tmk_xliff_reader_finish(r, count, &n, &err);
    tmk_xliff_reader_free(r);
    return 0;
}
