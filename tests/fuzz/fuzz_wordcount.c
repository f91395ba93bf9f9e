/* fuzz_wordcount.c -- the GMX-V counter and the rate-grid parser on any
 * bytes: the first byte picks plain text or seg form (with its entities and
 * inline elements) and the language; the rest is counted, and parsed as a
 * rate grid.  Besides no crash and no leak: plain valid UTF-8 always
 * counts, and the GMX-V words are never fewer than the boundary words. */
#include <config.h>
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "tmkit/tmkit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const langs[] = {NULL, "ja", "zh-CN", "ko", "th", "de-DE", "ja-JP", "en"};
    if (size < 1)
        return 0;
    tmk_wc_options o = TMK_WC_OPTIONS_INIT;
    o.flags = (data[0] & 1) ? TMK_WC_SEG : 0;
    o.lang = langs[(data[0] >> 1) & 7];
    const char *s = (const char *)data + 1;
    size_t n = size - 1;
    tmk_wc_counts c;
    memset(&c, 0, sizeof c);
    tmk_error err = TMK_ERROR_INIT;
    int rc = tmk_wc_count(s, n, &o, &c, &err);
    /* plain valid UTF-8 always counts */
    if (!(o.flags & TMK_WC_SEG) && tmk_utf8_valid_prefix(s, n) == n && rc != TMK_OK)
        abort();
    if (rc == TMK_OK && tmk_wc_words(&c) < c.words)
        abort();
    tmk_analysis_rates r;
    (void)tmk_analysis_rates_parse(s, n, &r, &err);
    return 0;
}
