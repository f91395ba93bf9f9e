/* fuzz_docx.c -- the DOCX and ODT reader (libzip + expat) on any bytes.
 * Inputs that are not a zip of a Word or OpenDocument text are refused by
 * content (TMK_EFORMAT) before any parsing; the seeds are real files. */
#include <config.h>
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include "tmkit/tmkit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* with spans: each within the text, on character boundaries, ordered;
 * the text rendered with them (the TMX tags path) */
static int check_spans(const tmk_doc_para *p)
{
    for (size_t k = 0; k < p->nspans; k++) {
        const tmk_doc_span *s = &p->spans[k];
        if (s->start >= s->end || s->end > p->len ||
            (k && s->start < p->spans[k - 1].start) ||
            ((unsigned char)p->text[s->start] & 0xC0) == 0x80 ||
            (s->end < p->len && ((unsigned char)p->text[s->end] & 0xC0) == 0x80))
            abort();
    }
    if (p->nspans) {
        tmk_buf b = TMK_BUF_INIT;
        unsigned next_i = 1;
        /* the whole, and a cut in the middle (a segment boundary) */
        tmk_doc_render_tmx(&b, p->text, p->len, 0, p->spans, p->nspans, &next_i, NULL);
        tmk_buf_reset(&b);
        next_i = 1;
        size_t half = p->len / 2;
        while (half < p->len && ((unsigned char)p->text[half] & 0xC0) == 0x80)
            half++;
        tmk_doc_render_tmx(&b, p->text + half, p->len - half, half, p->spans, p->nspans,
                           &next_i, NULL);
        tmk_buf_release(&b);
    }
    return 0;
}

static int count(void *ud, const tmk_doc_para *p)
{
    size_t *n = ud;
    *n += p->len;
    return check_spans(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    enum tmk_content k = tmk_sniff(data, size, NULL);
    if (k != TMK_CONTENT_DOCX && k != TMK_CONTENT_ODT)
        return 0;
    tmk_doc_options o = TMK_DOC_OPTIONS_INIT;
    o.max_member = 1 << 20;
    tmk_error err = TMK_ERROR_INIT;
    size_t n = 0;
    tmk_doc_read(data, size, &o, count, &n, NULL, &err);
    /* again with the formatting (tmk_doc_options.spans) */
    o.spans = 1;
    tmk_doc_read(data, size, &o, count, &n, NULL, &err);
    return 0;
}
