/* xliff_cli.h -- XLIFF input for `tmkit convert` and `tmkit build`: each
 * translated segment pair of the file becomes a translation unit. */
#ifndef TMK_XLIFF_CLI_H
#define TMK_XLIFF_CLI_H

/* 1 when the command line asks for XLIFF input: --from xliff, or an input
 * file (not the value of an option) whose content is XLIFF. */
int xliffcli_wants(int argc, char **argv);
/* convert with standard input ("-") and no --from: reads the first bytes of
 * standard input (once) and returns what they are (enum tmk_decode_content), or -1
 * when the input is not standard input or --from is given.  The bytes read
 * are given by xliffcli_stdin_head: a reader of standard input takes them
 * first (the XLIFF, PO and TMX readers of convert do). */
int xliffcli_sniff_stdin(int argc, char **argv);
void xliffcli_stdin_head(const char **data, size_t *len);
/* tmkit convert JOB.xlf [--to tmx] [-o OUT] ... */
int xliffcli_convert(int argc, char **argv);
/* tmkit build JOB.xlf [-o OUT] ... */
int xliffcli_build(int argc, char **argv);

#endif
