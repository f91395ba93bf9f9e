/* fuzz_spell_tok.c -- the spell tokeniser on any bytes (valid UTF-8 or
 * not): the first byte picks the flags.  Every word must lie inside the
 * text, in order, with growing columns, and be valid UTF-8 without
 * white space. */
#include <config.h>
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include "tmkit/tmkit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct state {
    size_t size, end;
    unsigned long col;
};

static int check(void *ud, const tmk_spell_hit *h)
{
    struct state *s = ud;
    size_t wl = strlen(h->word);
    if (h->offset < s->end || h->offset + h->len > s->size || h->col <= s->col || wl == 0 ||
        tmk_utf8_valid_prefix(h->word, wl) != wl || strpbrk(h->word, " \t\n\r"))
        __builtin_trap();
    s->end = h->offset + h->len;
    s->col = h->col;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned flags = data[0] & 1 ? TMK_SPELL_IGNORE_CAPS : 0;
    struct state s = {size - 1, 0, 0};
    if (tmk_spell_tokenize((const char *)data + 1, size - 1, flags, check, &s, NULL) != 0)
        __builtin_trap();
    return 0;
}
