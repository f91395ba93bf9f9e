/* fuzz_srx.c -- the SRX loader and the segmenter on any bytes.  The first
 * byte picks what is fuzzed and the chunk size:
 *   bit 0 = 0: the rest is an SRX document; it is loaded for language
 *              "de" and, if it loads, segments a fixed German text;
 *   bit 0 = 1: the rest is text, segmented with the built-in rules of the
 *              language picked by bits 1-3, fed in chunks of (byte >> 4) + 1
 *              bytes, in paragraph mode line, auto (bit 4), wrapped
 *              (bit 3) or blank (bits 3 and 4). */
#include <config.h>
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include "tmkit/tmkit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int check_segment(void *ud, const tmk_segment *seg)
{
    size_t limit = *(size_t *)ud;
    /* segments are non-empty, inside the input, without a line break */
    if (seg->len == 0 || seg->offset >= limit || memchr(seg->text, '\n', seg->len) ||
        seg->line == 0 || seg->col == 0)
        __builtin_trap();
    return 0;
}

static void feed(tmk_segmenter *s, const char *text, size_t len, size_t chunk)
{
    tmk_error err = TMK_ERROR_INIT;
    size_t limit = len;
    int rc = 0;
    for (size_t i = 0; i < len && rc == 0; i += chunk)
        rc = tmk_segmenter_feed(s, text + i, len - i < chunk ? len - i : chunk, check_segment, &limit,
                          &err);
    tmk_segmenter_finish(s, check_segment, &limit, &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const langs[] = {"de", "en", "fr", "zh", "ru", "pl", "und", "ja"};
    static const char sample[] = "Wir trafen Dr. med. Meyer am 3. Oktober. Er sagte: „Gut.“ "
                                 "Dann ging er.\nÜberschrift\n1. Punkt\n";
    if (size < 1)
        return 0;
    uint8_t opt = data[0];
    data++;
    size--;
    tmk_error err = TMK_ERROR_INIT;
    tmk_segmenter *s;
    if (!(opt & 1)) {
        tmk_segmenter_new_srx_mem(&s, "de", (const char *)data, size, &err);
        if (!s)
            return 0;
        feed(s, sample, sizeof sample - 1, (size_t)(opt >> 4) + 1);
    } else {
        tmk_segmenter_new(&s, langs[(opt >> 1) & 7], NULL, &err);
        if (!s)
            return 0;
        static const enum tmk_segment_paragraph_mode modes[] = {TMK_PARA_LINE, TMK_PARA_WRAPPED,
                                                        TMK_PARA_AUTO, TMK_PARA_BLANK};
        tmk_segmenter_set_paragraph_mode(s, modes[(opt >> 3) & 3], NULL);
        feed(s, (const char *)data, size, (size_t)(opt >> 4) + 1);
    }
    tmk_segmenter_free(s);
    return 0;
}
