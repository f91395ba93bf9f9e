/* fuzz_docx.c -- the DOCX and ODT reader (libzip + expat) on any bytes.
 * Inputs that are not a zip of a Word or OpenDocument text are refused by
 * content (TMK_EFORMAT) before any parsing; the seeds are real files. */
#include <config.h>
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include "tmkit/tmkit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#include "check_spans.h"

static int count(void *ud, const tmk_doc_para *p)
{
    size_t *n = ud;
    *n += p->len;
    return check_spans(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    enum tmk_decode_content k = tmk_decode_sniff(data, size, NULL);
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
