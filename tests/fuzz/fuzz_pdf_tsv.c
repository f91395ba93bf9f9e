/* fuzz_pdf_tsv.c -- the PDF paragraph rebuilder on any "pdftotext -tsv"
 * output: a PDF is hostile input, and the words, boxes and page numbers
 * pdftotext writes come from it.  Reaches an internal (tmk__doc_pdf_text):
 * linked to the library's objects. */
#include <config.h>
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include "tmkit/tmkit.h"
#include "doc_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count(void *ud, const tmk_doc_para *p)
{
    size_t *n = ud;
    *n += p->len;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct doc_ctx c;
    memset(&c, 0, sizeof c);
    size_t n = 0;
    tmk_error err = TMK_ERROR_INIT;
    c.cb = count;
    c.ud = &n;
    c.err = &err;
    tmk_buf_init(&c.nfc);
    tmk__doc_pdf_text(&c, (const char *)data, size);
    tmk_buf_release(&c.nfc);
    return 0;
}
