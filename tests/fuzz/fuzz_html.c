/* fuzz_html.c -- the HTML reader (gumbo) on any bytes; the first byte
 * picks the encoding given (none, windows-1252, UTF-16LE) and (bit 2)
 * whether the formatting spans are asked for and rendered as TMX tags. */
#include <config.h>
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "tmkit/tmkit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#include "check_spans.h"

static int count(void *ud, const tmk_doc_para *p)
{
    size_t *n = ud;
    *n += p->len + (p->lang != NULL);
    return check_spans(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const encs[] = {NULL, "windows-1252", "UTF-16LE", NULL};
    if (size < 1)
        return 0;
    const char *enc = encs[data[0] & 3];
    int spans = (data[0] & 4) != 0;
    data++;
    size--;
    /* make it a page whatever it holds */
    static const char head[] = "<!DOCTYPE html>";
    uint8_t *buf = malloc(size + sizeof head);
    if (!buf)
        return 0;
    memcpy(buf, head, sizeof head - 1);
    memcpy(buf + sizeof head - 1, data, size);
    tmk_doc_options o = TMK_DOC_OPTIONS_INIT;
    o.encoding = enc;
    o.spans = spans;
    tmk_error err = TMK_ERROR_INIT;
    size_t n = 0;
    char *lang = NULL;
    tmk_doc_read(buf, size + sizeof head - 1, &o, count, &n, &lang, &err);
    tmk_free(lang);
    free(buf);
    return 0;
}
