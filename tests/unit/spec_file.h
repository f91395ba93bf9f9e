/* spec_file.h -- reading the example files of tests/spec/ (the way cmark's
 * spec.txt is read) in unit tests; the shell drivers read the same files.
 *
 *   ~~~ example INFO
 *   input lines
 *   .
 *   expected lines
 *   ~~~
 *
 * Everything outside an example is prose.  spec_file_foreach reads
 * $top_srcdir/tests/spec/NAME and calls fn for each example with its line,
 * its INFO ("" when none), the input and the expected text (each line ended
 * by '\n', passed through unesc when given).  Returns how many examples it
 * read; a missing file or an example left open fails the test. */
#ifndef TMK_TEST_SPEC_FILE_H
#define TMK_TEST_SPEC_FILE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tmkit/tmkit.h"

typedef void (*spec_unesc_fn)(tmk_buf *o, const char *s, size_t n);
typedef void (*spec_example_fn)(const char *path, unsigned long line, const char *info,
                                const tmk_buf *in, const tmk_buf *want, void *ud);

static void spec_add_line(tmk_buf *o, const char *s, size_t n, spec_unesc_fn unesc)
{
    if (unesc)
        unesc(o, s, n);
    else
        tmk_buf_add(o, s, n);
    tmk_buf_addch(o, '\n');
}

static int spec_file_foreach(const char *name, spec_unesc_fn unesc, spec_example_fn fn,
                             void *ud)
{
    const char *top = getenv("top_srcdir");
    char path[4096], info[64] = "";
    snprintf(path, sizeof path, "%s/tests/spec/%s", top ? top : ".", name);
    tmk_buf spec = TMK_BUF_INIT, in = TMK_BUF_INIT, want = TMK_BUF_INIT;
    tmk_error err = TMK_ERROR_INIT;
    if (tmk_io_read_file(path, &spec, &err) < 0)
        fail_msg("cannot read %s (top_srcdir not set?): %s", path, err.msg);
    int part = 0, nex = 0;
    unsigned long line = 0, ex_line = 0;
    const char *p = spec.data, *end = spec.data + spec.len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        line++;
        if (part == 0 && n >= 11 && !memcmp(p, "~~~ example", 11)) {
            size_t k = n > 12 ? n - 12 : 0;
            snprintf(info, sizeof info, "%.*s", (int)k, p + 12);
            part = 1;
            ex_line = line;
            tmk_buf_reset(&in);
            tmk_buf_reset(&want);
        } else if (part == 1 && n == 1 && p[0] == '.') {
            part = 2;
        } else if (part == 1) {
            spec_add_line(&in, p, n, unesc);
        } else if (part == 2 && n == 3 && !memcmp(p, "~~~", 3)) {
            fn(path, ex_line, info, &in, &want, ud);
            nex++;
            part = 0;
        } else if (part == 2) {
            spec_add_line(&want, p, n, unesc);
        }
        p += n + 1;
    }
    if (part != 0)
        fail_msg("%s:%lu: the example is not closed with ~~~", path, ex_line);
    print_message("%d examples of %s\n", nex, path);
    tmk_buf_release(&spec);
    tmk_buf_release(&in);
    tmk_buf_release(&want);
    return nex;
}

#endif
