/* xliff_cli.h -- XLIFF input for `tmkit convert` and `tmkit build`: each
 * translated segment pair of the file becomes a translation unit. */
#ifndef TMK_XLIFF_CLI_H
#define TMK_XLIFF_CLI_H

/* 1 when the command line asks for XLIFF input: --from xliff, or an input
 * file (not the value of an option) whose content is XLIFF. */
int xliffcli_wants(int argc, char **argv);
/* tmkit convert JOB.xlf [--to tmx] [-o OUT] ... */
int xliffcli_convert(int argc, char **argv);
/* tmkit build JOB.xlf [-o OUT] ... */
int xliffcli_build(int argc, char **argv);

#endif
