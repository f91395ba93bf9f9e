/* build_cli.h -- what cmd_build.c (one pair) and build_batch.c (many
 * pairs) share: the options as given and the summary pieces. */
#ifndef TMK_CLI_BUILD_CLI_H
#define TMK_CLI_BUILD_CLI_H

#include <stdio.h>
#include "tmkit/tmkit.h"
#include "tmkit/build.h"

struct build_cli {
    const char *cmd;                    /* argv[0] */
    const char *src_lang, *tgt_lang;
    const char *out_path, *report_path, *report_fmt, *srx, *enc, *ref_enc;
    const char *dicts[16], *bidicts[16], *personal[16];
    size_t ndicts, nbidicts, npersonal;
    double min_score;
    enum tmk_segment_paragraph_mode para_mode;
    int quiet, no_spell, no_wordlists, no_stem;
    int keep_fmt;                       /* --keep-formatting */
    /* batch */
    const char *pairs_list;             /* --pairs LIST */
    int each, strict;
    unsigned jobs;                      /* -j N; 0 = all processors */
};

/* The library options for the CLI's options (the arrays stay in c). */
void build_cli_options(const struct build_cli *c, tmk_build_options *o);

/* The memory file for a source file: its base name with .tmx ("memory.tmx"
 * for "-"); NULL when out of memory.  The caller frees it. */
char *build_default_output(const char *src);

/* Print a writer warning at its place in the files (one pair being
 * written: set bw->r and the paths; warn_ctx is reset per unit). */
struct build_warn {
    const tmk_build_result *r;
    const char *src_path, *tgt_path;
    const tmk_align_bead *bd;
    int nth;
};
int build_warn_tmx(void *ud, const tmk_tmx_warning *wn);

/* Write one built unit (tmk_build_result_units' callback): ud is a
 * struct build_write, whose warn context learns the unit's bead. */
struct build_write {
    tmk_tmx_writer *w;
    struct build_warn *warn;
    tmk_error *err;
    /* --keep-formatting: the run and each side's formatting (else NULL) */
    const tmk_build_result *r;
    const struct cli_fmt *fmt[2];
};
int build_write_unit(void *ud, const tmk_build_unit *u);

/* The summary lines shared by one pair and a batch: beads by shape,
 * one-sided, kept out, dictionaries, weak pairs (without the review hint). */
void build_print_beads(FILE *f, const tmk_build_figures *fig);

/* Add b's counts to a. */
void build_figures_add(tmk_build_figures *a, const tmk_build_figures *b);

/* Print the error of a pair's build (as one pair's build reports it):
 * returns the exit code. */
int build_report_failure(const struct build_cli *c, const tmk_build_result *r,
                         const tmk_error *err);

/* Whether path names an existing folder. */
int build_is_folder(const char *path);

/* Many pairs: --pairs LIST, two folders, --each, -j. */
int build_batch(struct build_cli *c, int nargs, char **args);

#endif
