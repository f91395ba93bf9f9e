/* fuzz_words.c -- the word scanner (src/lib/words.c) on any bytes: the first
 * byte picks the flags, whether words are cut at 5 characters and (on valid
 * UTF-8) Unicode's boundaries instead.  Spans
 * must tile the text in order (words-only: in order, without overlap), lie
 * inside it, have growing columns, and a word's characters must lie in its
 * span with its word proper inside them. */
#include <config.h>
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include "tmkit/tmkit.h"
#include "words_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct state {
    size_t size, end;
    unsigned long col;
    int words_only;
};

static int check(const tmk__span *sp, void *ud)
{
    struct state *s = ud;
    if (sp->len == 0 || sp->off + sp->len > s->size || sp->col <= s->col ||
        (s->words_only ? sp->off < s->end : sp->off != s->end))
        __builtin_trap();
    if (sp->kind == TMK__SPAN_WORD) {
        if (sp->n == 0 || sp->a > sp->b || sp->b > sp->n || sp->c[0].off != sp->off ||
            sp->c[sp->n - 1].off + sp->c[sp->n - 1].n > sp->off + sp->len)
            __builtin_trap();
        for (size_t i = 1; i < sp->n; i++)
            if (sp->c[i].off < sp->c[i - 1].off + sp->c[i - 1].n)
                __builtin_trap();
    }
    s->end = sp->off + sp->len;
    s->col = sp->col;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned flags = data[0] & 63;
    size_t max = data[0] & 64 ? 5 : 0;
    /* Unicode's boundaries (GMX-V) on valid UTF-8 only: wordcount checks first */
    if ((data[0] & 128) && tmk_utf8_valid_prefix((const char *)data + 1, size - 1) == size - 1)
        flags = TMK__W_UAX29;
    struct state s = {size - 1, 0, 0, (flags & TMK__W_WORDS_ONLY) != 0};
    tmk__words_mem mem = TMK__WORDS_MEM_INIT;
    if (tmk__words_scan((const char *)data + 1, size - 1, flags, max, &mem, check, &s) != 0)
        __builtin_trap();
    if (!s.words_only && s.end != size - 1)
        __builtin_trap();
    tmk__words_release(&mem);
    return 0;
}
