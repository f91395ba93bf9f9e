/* cmd_validate.c -- tmkit validate: check TMX files against the TMX 1.4b
 * DTD rules and the checks of Maxprograms' TMXValidator. */
#include <config.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"

static const char usage_text[] =
    "Usage: tmkit validate [-q] FILE.tmx...\n"
    "Check TMX files: the rules of the TMX 1.4b DTD (elements, order, required\n"
    "attributes) and what Maxprograms' TMXValidator checks (version, BCP 47\n"
    "language codes, a source-language tuv in every unit, real dates in\n"
    "YYYYMMDDThhmmssZ form, bpt/ept pairs, matching x across tuvs).\n"
    "Each problem is printed as FILE:LINE:COL: message on stderr; a summary\n"
    "line per file goes to stdout.  Files are read as a stream (any size).\n\n"
    "  -q, --quiet            no summary lines\n"
    "      --max-problems N   print at most N problems per file (default 1000,\n"
    "                         0 = all); all are still counted\n"
    "  -h, --help             this help\n\n"
    "Exit: 0 all valid, 3 a file is invalid or not well-formed, 4 cannot read.\n";

typedef struct {
    const char *file;
    unsigned long units;
    unsigned long problems;
    unsigned long max; /* 0 = print all */
    unsigned long warnings;
} vstate;

static int on_problem(void *ud, const tmk_tmx_finding *p)
{
    vstate *v = ud;
    if (p->id == TMK_TMXP_UNLIKELY_LANGUAGE) { /* a warning: the memory stays valid */
        if (++v->warnings <= 20)
            fprintf(stderr, "tmkit: %s:%lu:%lu: warning: %s\n", v->file, p->line, p->col, p->msg);
        else if (v->warnings == 21)
            fprintf(stderr, "tmkit: %s: more warnings follow; they are counted but not shown\n",
                    v->file);
        return 0;
    }
    v->problems++;
    if (!v->max || v->problems <= v->max)
        fprintf(stderr, "tmkit: %s:%lu:%lu: %s\n", v->file, p->line, p->col, p->msg);
    else if (v->problems == v->max + 1)
        fprintf(stderr, "tmkit: %s: more problems follow; they are counted but not shown "
                        "(--max-problems 0 shows all)\n", v->file);
    return 0;
}

static int count_tu(void *ud, const tmk_tmx_tu *tu)
{
    (void)tu;
    ((vstate *)ud)->units++;
    return TMK_OK;
}

int cmd_validate(int argc, char **argv)
{
    static const struct option opts[] = {
        {"quiet", no_argument, NULL, 'q'},
        {"max-problems", required_argument, NULL, 'm'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int quiet = 0, c;
    unsigned long max = 1000;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":qh", opts, NULL)) != -1) {
        switch (c) {
        case 'q': quiet = 1; break;
        case 'm': {
            char *end;
            errno = 0;
            max = strtoul(optarg, &end, 10);
            if (*end || end == optarg || errno || optarg[0] == '-')
                return cli_usage_error(argv[0], "--max-problems takes a whole number, not '%s'",
                                       optarg);
            break;
        }
        case 'h': fputs(usage_text, stdout); return TMK_EXIT_OK;
        default: return cli_bad_option(argv[0], c, argv);
        }
    }
    if (optind >= argc)
        return cli_usage_error(argv[0], "give the TMX file(s) to check");
    int rc_all = TMK_EXIT_OK;
    for (int i = optind; i < argc; i++) {
        vstate v = {argv[i], 0, 0, max, 0};
        tmk_error err = TMK_ERROR_INIT;
        tmk_tmx_read_options ro = TMK_TMX_READ_OPTIONS_INIT;
        ro.name = argv[i];
        tmk_tmx_reader *r;
        if (tmk_tmx_reader_new(&r, &ro, NULL, count_tu, on_problem, &v, &err) < 0)
            return cli_report(&err);
        int rc = cli_tmx_read(r, argv[i], &err);
        char version[16];
        snprintf(version, sizeof version, "%s", tmk_tmx_reader_version(r));
        tmk_tmx_reader_free(r);
        int ex;
        if (rc < 0) {
            ex = cli_report(&err);
            if (!quiet)
                printf("%s: not readable as TMX (%lu problem(s) before the error)\n", argv[i],
                       v.problems);
        } else if (v.problems) {
            ex = TMK_EXIT_INPUT;
            if (!quiet)
                printf("%s: invalid: %lu problem(s), %lu unit(s)\n", argv[i], v.problems, v.units);
        } else {
            ex = TMK_EXIT_OK;
            if (!quiet && v.warnings)
                printf("%s: valid TMX %s, %lu unit(s), %lu warning(s)\n", argv[i], version,
                       v.units, v.warnings);
            else if (!quiet)
                printf("%s: valid TMX %s, %lu unit(s)\n", argv[i], version, v.units);
        }
        if (ex > rc_all)
            rc_all = ex;
    }
    return rc_all;
}
