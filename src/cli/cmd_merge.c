/* cmd_merge.c -- tmkit merge: merge TMX memories (tmk_tm_merge). */
#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "cli.h"

static const char usage_text[] =
    "Usage: tmkit merge A.tmx B.tmx ... -o OUT.tmx\n"
    "Merge memories into one, in input order.  A unit with the same languages\n"
    "and texts as an earlier one is written once: the first, with the newest\n"
    "changedate and the sum of the usagecounts.  Units whose source text has\n"
    "different translations (conflicts) are all kept and reported on stderr as\n"
    "FILE:LINE: with the place of the first one.  Memory stays bounded whatever\n"
    "the input size: one record per unit is sorted on disk (temporary files in\n"
    "$TMPDIR) and the inputs are read twice, so they must be files.\n\n"
    "  -o, --output FILE   the merged memory, written atomically (default: stdout)\n"
    "  --strict            exit 1 when there are conflicts\n"
    "  -q, --quiet         no summary and no conflict lines\n"
    "  -h, --help          this help\n";

typedef struct {
    int quiet;
} mstate;

static int on_conflict(void *ud, const tmk_tm_conflict *c)
{
    mstate *m = ud;
    if (!m->quiet)
        fprintf(stderr, "tmkit: %s:%lu: conflict: this source has a different translation at "
                        "%s:%lu; both are kept\n", c->file, c->line, c->first_file, c->first_line);
    return 0;
}

int cmd_merge(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'}, {"strict", no_argument, NULL, 's'},
        {"quiet", no_argument, NULL, 'q'}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *output = "-";
    mstate ms = {0};
    int strict = 0, ch;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":o:qh", opts, NULL)) != -1) {
        switch (ch) {
        case 'o': output = optarg; break;
        case 's': strict = 1; break;
        case 'q': ms.quiet = 1; break;
        case 'h': fputs(usage_text, stdout); return TMK_EXIT_OK;
        default: return cli_bad_option(argv[0], ch, argv);
        }
    }
    if (optind >= argc)
        return cli_usage_error(argv[0], "give the TMX files to merge");
    for (int i = optind; i < argc; i++) {
        struct stat st;
        if (!strcmp(argv[i], "-"))
            return cli_usage_error(argv[0], "merge reads its inputs twice: give files, not -");
        /* a pipe would be empty the second time (a missing file or a folder:
         * the reader says so) */
        if (stat(argv[i], &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
            return cli_usage_error(argv[0], "merge reads its inputs twice: '%s' is a pipe or "
                                            "device, not a file it can read twice; give files",
                                   argv[i]);
        if (strcmp(output, "-") && cli_same_file(argv[i], output))
            return cli_usage_error(argv[0], "the output '%s' would replace the input '%s'; "
                                            "write it to another file", output, argv[i]);
    }
    tmk_error err = TMK_ERROR_INIT;
    tmk_error_set_file(&err, output);
    cli_outfile *of = cli_outfile_open(output, &err);
    if (!of)
        return cli_report(&err);
    tmk_tm_merge_stats st;
    tmk_error_clear(&err);
    tmk_tmx_write_options wo = TMK_TMX_WRITE_OPTIONS_INIT;
    wo.file = cli_outfile_stream(of);
    wo.creation_time = cli_creation_time();
    int rc = tmk_tm_merge((const char *const *)argv + optind, (size_t)(argc - optind), &wo,
                          cli_temp_dir(), NULL, on_conflict, &ms, &st, &err);
    if (rc < 0) {
        cli_outfile_abort(of);
        if (!err.file[0] && rc == TMK_EIO)
            tmk_error_set_file(&err, output);
        return cli_report(&err);
    }
    tmk_error_set_file(&err, output);
    if (cli_outfile_commit(of, &err) < 0)
        return cli_report(&err);
    if (!ms.quiet)
        fprintf(stderr, "tmkit: merged %d file(s): %llu unit(s) read, %llu written, %llu "
                        "duplicate(s) dropped, %llu conflict(s)\n",
                argc - optind, st.units_in, st.units_out, st.duplicates, st.conflicts);
    return strict && st.conflicts ? TMK_EXIT_FINDINGS : TMK_EXIT_OK;
}
