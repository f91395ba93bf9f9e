/* cmd_stats.c -- tmkit stats: units, languages, pairs, words, characters
 * and duplicate units of TMX files (the counting is the library's:
 * tmkit/stats.h). */
#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static const char usage_text[] =
    "Usage: tmkit stats [--json] FILE.tmx...\n"
    "Count, over all the files given: units, tuvs, languages (tuvs, words and\n"
    "characters per language), language pairs (source language -> each other\n"
    "language of a unit) and duplicate units (same languages and texts as an\n"
    "earlier unit).  Words are runs of characters between white space; inline\n"
    "markup is not counted.  Memory stays bounded whatever the input size.\n\n"
    "  --json        one JSON object on stdout instead of text\n"
    "  -h, --help    this help\n";

static void json_str(const char *s)
{
    tmk_buf b = TMK_BUF_INIT;
    tmk_buf_add_json(&b, s, strlen(s));
    printf("\"%s\"", b.data);
    tmk_buf_release(&b);
}

static void print_text(const tmk_stats_result *r)
{
    printf("files: %llu\nunits: %llu\ntuvs: %llu\nduplicates: %llu\nlanguages: %zu\n", r->files,
           r->units, r->tuvs, r->duplicates, r->nlangs);
    for (size_t i = 0; i < r->nlangs; i++)
        printf("  %-12s tuvs %llu, words %llu, characters %llu\n", r->langs[i].lang,
               r->langs[i].tuvs, r->langs[i].words, r->langs[i].characters);
    printf("pairs: %zu\n", r->npairs);
    for (size_t i = 0; i < r->npairs; i++)
        printf("  %s -> %s: %llu\n", r->pairs[i].source, r->pairs[i].target, r->pairs[i].units);
}

static void print_json(const tmk_stats_result *r)
{
    printf("{\"files\": %llu, \"units\": %llu, \"tuvs\": %llu, \"duplicates\": %llu, "
           "\"languages\": [", r->files, r->units, r->tuvs, r->duplicates);
    for (size_t i = 0; i < r->nlangs; i++) {
        printf("%s{\"lang\": ", i ? ", " : "");
        json_str(r->langs[i].lang);
        printf(", \"tuvs\": %llu, \"words\": %llu, \"characters\": %llu}", r->langs[i].tuvs,
               r->langs[i].words, r->langs[i].characters);
    }
    printf("], \"pairs\": [");
    for (size_t i = 0; i < r->npairs; i++) {
        printf("%s{\"source\": ", i ? ", " : "");
        json_str(r->pairs[i].source);
        printf(", \"target\": ");
        json_str(r->pairs[i].target);
        printf(", \"units\": %llu}", r->pairs[i].units);
    }
    printf("]}\n");
}

int cmd_stats(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    int json = 0, ch;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (ch) {
        case 'j': json = 1; break;
        case 'h': fputs(usage_text, stdout); return TMK_EXIT_OK;
        default: return cli_bad_option(argv[0], ch, argv);
        }
    }
    if (optind >= argc)
        return cli_usage_error(argv[0], "give the TMX file(s) to count");
    tmk_stats_options o = TMK_STATS_OPTIONS_INIT;
    o.temp_dir = cli_temp_dir(); /* the duplicate hashes' sorted runs */
    /* for the tests only: a smaller duplicate set, to reach the sorter with
     * few units */
    const char *knob = getenv("TMKIT_STATS_SET_SLOTS");
    if (knob)
        o.set_slots = (size_t)strtoul(knob, NULL, 10);
    tmk_error err = TMK_ERROR_INIT;
    tmk_stats *s;
    if (tmk_stats_new(&s, &o, &err) < 0)
        return cli_report(&err);
    int ex = TMK_EXIT_OK;
    for (int i = optind; i < argc && ex == TMK_EXIT_OK; i++)
        if ((strcmp(argv[i], "-") ? tmk_stats_add_file(s, argv[i], &err)
                                   : tmk_stats_add_stream(s, stdin, "-", &err)) < 0)
            ex = cli_report(&err);
    const tmk_stats_result *r;
    if (ex == TMK_EXIT_OK && tmk_stats_finish(s, &r, &err) < 0)
        ex = cli_report(&err);
    if (ex == TMK_EXIT_OK) {
        if (json)
            print_json(r);
        else
            print_text(r);
        if (fflush(stdout) != 0) {
            cli_errorf("cannot write to standard output");
            ex = TMK_EXIT_IO;
        }
    }
    tmk_stats_free(s);
    return ex;
}
