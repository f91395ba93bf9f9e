/* lookup_cli.h -- what lookup and concordance (and analyze) share: the
 * memory options (-m, -s, -t, -i, --no-index-file, --rebuild-index), opening
 * the memory with its messages, and the word diff of the text output. */
#ifndef TMK_LOOKUP_CLI_H
#define TMK_LOOKUP_CLI_H

#include <getopt.h>
#include "tmkit/tmkit.h"

typedef struct lookup_open_args {
    const char **mem;
    size_t nmem;
    const char *src, *tgt, *index;
    int no_index, rebuild;
} lookup_open_args;

void lookup_open_args_init(lookup_open_args *a);
void lookup_open_args_release(lookup_open_args *a);
/* Take option c ('m', 's', 't', 'i', 'N' = --no-index-file, 'R' =
 * --rebuild-index) with its value; -1 on no memory. */
int lookup_open_arg(lookup_open_args *a, int c, const char *value);
/* The option parser that lookup, concordance and analyze share: it takes
 * the memory options (-m, -s, -t, -i, --no-index-file, --rebuild-index)
 * into oa, --format (one of formats) into fmt, and -h/--help (prints
 * usage) itself, and hands every other option back.  Set it up with
 * lookup_getopt_init, then call lookup_getopt until it returns -1. */
#define LOOKUP_GETOPT_MAX 32
typedef struct lookup_getopt {
    const char *cmd, *usage;
    const char *const *formats; /* NULL-terminated; formats[fmt] is chosen */
    int fmt;                    /* index into formats (default 0) */
    int exitc;                  /* with LOOKUP_GETOPT_STOP: the exit code */
    char shortopts[64];
    struct option longopts[LOOKUP_GETOPT_MAX];
    lookup_open_args oa;
} lookup_getopt;
#define LOOKUP_GETOPT_STOP (-2)
/* own_short: the command's own short options ("k:l:e:"), own_long its long
 * options (ending with a NULL entry; none may use 'm', 's', 't', 'i',
 * 'N', 'R', 'F' or 'h').  Resets getopt (optind = 1). */
void lookup_getopt_init(lookup_getopt *g, const char *cmd, const char *usage,
                        const char *const *formats, const char *own_short,
                        const struct option *own_long);
/* The next option that is the command's own (optarg as getopt sets it),
 * -1 when the options end, or LOOKUP_GETOPT_STOP: the command returns
 * g->exitc (0 after --help; 2 after a usage error, already reported). */
int lookup_getopt_next(lookup_getopt *g, int argc, char **argv);
void lookup_getopt_release(lookup_getopt *g);

/* Open the memory (messages about the index on stderr); returns an exit
 * code (0 = *tm is open). */
int lookup_open(const lookup_open_args *a, const char *cmd, tmk_tm **tm, int min_score);
/* Append b (a memory text in seg form, shown as plain text with its tags)
 * with its differences from a (a plain-text query) marked as git diff
 * --word-diff marks them: [-only in a-] {+only in b+}.  Words are cut at
 * white space (not inside a tag); tags are not compared with the query's
 * words, each is marked {+as only in b+} where it stands, so a text that
 * differs from the query only in its tags shows only the tags as changed. */
void lookup_word_diff(tmk_buf *o, const char *a, size_t an, const char *b, size_t bn);

#endif
