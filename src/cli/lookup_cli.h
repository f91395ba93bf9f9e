/* lookup_cli.h -- what lookup and concordance (and analyze) share: the
 * memory options (-m, -s, -t, -i, --no-index-file, --rebuild-index), opening
 * the memory with its messages, and the word diff of the text output. */
#ifndef TMK_LOOKUP_CLI_H
#define TMK_LOOKUP_CLI_H

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
/* Open the memory (messages about the index on stderr); returns an exit
 * code (0 = *tm is open). */
int lookup_open(const lookup_open_args *a, const char *cmd, tmk_tm **tm, int min_score);
/* Append b with its differences from a marked as git diff --word-diff
 * marks them: [-only in a-] {+only in b+}; words are cut at white space. */
void lookup_word_diff(tmk_buf *o, const char *a, size_t an, const char *b, size_t bn);

#endif
