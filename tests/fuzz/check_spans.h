/* check_spans.h -- what fuzz_docx and fuzz_html check on every paragraph
 * read with formatting spans (static: each fuzz program has its copy). */
#ifndef TMK_FUZZ_CHECK_SPANS_H
#define TMK_FUZZ_CHECK_SPANS_H
#include <stdlib.h>
#include "tmkit/tmkit.h"

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

#endif
