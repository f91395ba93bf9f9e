/* fuzz_align.c -- the aligner on any bytes: the input is split at the first
 * NUL (or in the middle) into a source and a target text, each line a
 * segment.  Checks the bead invariants: every segment once, in order, no
 * empty bead, scores in [0, 1]. */
#include <config.h>
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "tmkit/tmkit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t split_lines(const char *s, size_t len, tmk_align_text *out, size_t max)
{
    size_t n = 0, start = 0;
    for (size_t i = 0; i <= len && n < max; i++)
        if (i == len || s[i] == '\n') {
            if (i == len && i == start && n)
                break;
            out[n].s = s + start;
            out[n].len = i - start;
            n++;
            start = i + 1;
        }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    const char *nul = memchr(s, 0, size);
    size_t half = nul ? (size_t)(nul - s) : size / 2;
    size_t rest = nul ? size - half - 1 : size - half;
    const char *t = nul ? nul + 1 : s + half;
    tmk_align_text *src = malloc(4096 * sizeof *src), *tgt = malloc(4096 * sizeof *tgt);
    if (!src || !tgt) {
        free(src);
        free(tgt);
        return 0;
    }
    size_t ns = split_lines(s, half, src, 4096), nt = split_lines(t, rest, tgt, 4096);
    tmk_align_options opt = TMK_ALIGN_OPTIONS_INIT;
    opt.src_lang = "de";
    opt.tgt_lang = "en";
    opt.flags = TMK_ALIGN_NO_DICT;
    tmk_align_bead *b = NULL;
    size_t nb = 0;
    tmk_error err = TMK_ERROR_INIT;
    if (tmk_align_run(src, ns, tgt, nt, &opt, &b, &nb, &err) == TMK_OK) {
        size_t i = 0, j = 0;
        for (size_t k = 0; k < nb; k++) {
            if (b[k].src != i || b[k].tgt != j || b[k].nsrc + b[k].ntgt == 0 ||
                b[k].nsrc > 4 || b[k].ntgt > 4 || !(b[k].score >= 0.0 && b[k].score <= 1.0))
                __builtin_trap();
            i += b[k].nsrc;
            j += b[k].ntgt;
        }
        if (i != ns || j != nt)
            __builtin_trap();
    }
    free(b);
    free(src);
    free(tgt);
    return 0;
}
