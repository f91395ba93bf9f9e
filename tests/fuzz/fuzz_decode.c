/* fuzz_decode.c -- the decoder on any bytes: the first byte picks the
 * encoding and the chunk size, the rest is the input. */
#include <config.h>
#include <stdint.h>
#include <stddef.h>
#include "tmkit/tmkit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const encs[] = {NULL, "UTF-16LE", "UTF-16BE", "windows-1252",
                                       "ISO-8859-15", "UTF-32", "SHIFT_JIS", "UTF-8"};
    if (size < 1)
        return 0;
    const char *enc = encs[data[0] & 7];
    size_t chunk = (size_t)(data[0] >> 3) + 1;
    data++;
    size--;
    tmk_error err = TMK_ERROR_INIT;
    tmk_decoder *d = NULL;
    tmk_decoder_new(&d, enc, "fuzz", &err);
    if (!d)
        return 0;
    tmk_buf out = TMK_BUF_INIT;
    int rc = TMK_OK;
    for (size_t i = 0; i < size && rc == TMK_OK; i += chunk)
        rc = tmk_decoder_feed(d, (const char *)data + i, size - i < chunk ? size - i : chunk, &out,
                              &err);
    if (rc == TMK_OK)
        rc = tmk_decoder_finish(d, &out, &err);
    /* whatever came out must be valid UTF-8 without NUL or CR */
    if (rc == TMK_OK) {
        if (tmk_utf8_valid_prefix(out.data, out.len) != out.len)
            __builtin_trap();
        for (size_t i = 0; i < out.len; i++)
            if (out.data[i] == '\0' || out.data[i] == '\r')
                __builtin_trap();
    }
    tmk_buf_release(&out);
    tmk_decoder_free(d);
    return 0;
}
