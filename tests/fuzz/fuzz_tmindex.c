/* fuzz_tmindex.c -- the lookup index file reader: any bytes are either
 * refused as damaged or give a memory on which lookup, concordance and
 * unit access stay within bounds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "tmkit/tmkit.h"
#include "tm_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* the reader maps files: 8-byte aligned copies, as mmap gives */
    uint64_t *img = malloc(size / 8 * 8 + 8);
    if (!img)
        return 0;
    memcpy(img, data, size);
    tmk_tm *tm = NULL;
    tmk_error err = TMK_ERROR_INIT;
    /* checksums off: a mutated file would fail them at once; every offset
     * and count is still checked (that is what must hold) */
    if (tmk__tm_from_image(&tm, img, size, 0, &err) == TMK_OK) {
        static const char *const q[] = {"der Vertrag", "", "1 2 3", "a b c d e f", "<ph/>x &amp;"};
        tmk_tm_match m[3];
        size_t n;
        tmk_tm_lookup_options lo = TMK_TM_LOOKUP_OPTIONS_INIT;
        lo.k = 3;
        for (size_t i = 0; i < 5; i++) {
            tmk_tm_lookup(tm, q[i], strlen(q[i]), &lo, m, &n, NULL);
            tmk_tm_lookup_brute(tm, q[i], strlen(q[i]), &lo, m, &n, NULL);
        }
        tmk_tm_concordance(tm, "a", 1, NULL, NULL, NULL, NULL, NULL, NULL);
        for (size_t i = 0; i < tmk_tm_size(tm) && i < 64; i++) {
            tmk_tm_unit u;
            tmk_tm_get(tm, i, &u, NULL);
            size_t pos = 0;
            tmk_tm_meta_item it;
            while (tmk_tm_meta_next(u.meta, u.meta_len, &pos, &it))
                ;
        }
        tmk_tm_free(tm);
    }
    free(img);
    return 0;
}
