/* po_cli.h -- tmkit convert FILE.po --to tmx: a gettext catalogue as a
 * memory (the library's PO reader, tmkit/po.h, and TMX writer). */
#ifndef TMK_PO_CLI_H
#define TMK_PO_CLI_H

typedef struct po_cli_args {
    const char *cmd;        /* the command name for usage errors */
    const char *input;      /* file name, "-" for stdin */
    const char *output;     /* file name, "-" for stdout */
    const char *src, *tgt;  /* -s, -t or NULL */
    int include_fuzzy, quiet;
} po_cli_args;

/* 1 when the file input holds a PO catalogue (by its content; "-" is never
 * read here), else 0. */
int po_cli_is_po(const char *input);

/* Convert; returns an exit code (TMK_EXIT_*).  Nothing is written unless
 * the whole conversion succeeds. */
int po_cli_convert(const po_cli_args *a);

#endif
