/* cmd_concordance.c -- `tmkit concordance`: the units of a memory whose
 * source (or target) contains a word or phrase, inside compounds too. */
#include <config.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "lookup_cli.h"

static const char usage[] =
    "Usage: tmkit concordance -m MEMORY.tmx [-m ...] [OPTIONS] TERM...\n"
    "Print the units whose source (or, with --target-side, target) contains TERM,\n"
    "ignoring case, also inside words (\"Vertrag\" finds \"Verteidigungsvertrag\"),\n"
    "with the hits marked [[like this]], the other side, the memory's FILE:LINE of\n"
    "the unit, and the counts.  A TERM with spaces is a phrase (any white space\n"
    "matches).  tsv and jsonl give each hit's column and byte offset in the text.\n"
    "\n"
    "  -m, --memory FILE      a TMX memory (repeat for several)\n"
    "  -s, --source LANG      source language (default: the memory's pair when it\n"
    "  -t, --target LANG      has exactly two languages)\n"
    "      --target-side      search the target texts instead of the source\n"
    "      --format FMT       text (default), tsv or jsonl\n"
    "  -i, --index FILE       the index file (default: MEMORY.tmx.tmkidx)\n"
    "      --no-index-file    neither read nor write an index file\n"
    "      --rebuild-index    rebuild the index even when it is up to date\n"
    "  -h, --help             show this help\n"
    "\n"
    "Exit status: 0 found, 1 no unit contains any TERM, 2 usage, 3 bad input,\n"
    "4 I/O error.\n";

typedef struct cctx {
    int fmt;
    int target;
    const char *term;
    tmk_buf out, a;
} cctx;

static int on_hit(void *ud, const tmk_tm_conc_hit *h)
{
    cctx *c = ud;
    tmk_buf *o = &c->out;
    const tmk_tm_unit *u = &h->unit;
    tmk_buf_reset(&c->a);
    if (c->target)
        tmk_tm_text_plain(u->source, u->source_len, 1, &c->a);
    else
        tmk_tm_text_plain(u->target, u->target_len, 1, &c->a);
    if (c->fmt == 0) {
        /* FILE:LINE of the <tu>, as lookup and the messages name a unit; where
         * the hits are in the text the [[marks]] show */
        tmk_buf_printf(o, "%s:%lu: ", u->file_name, u->line);
        size_t at = 0;
        for (size_t i = 0; i < h->nhits; i++) {
            tmk_buf_add(o, h->text + at, h->offsets[i] - at);
            tmk_buf_adds(o, "[[");
            tmk_buf_add(o, h->text + h->offsets[i], h->lens[i]);
            tmk_buf_adds(o, "]]");
            at = h->offsets[i] + h->lens[i];
        }
        tmk_buf_add(o, h->text + at, h->text_len - at);
        tmk_buf_adds(o, "\n    = ");
        tmk_buf_add(o, c->a.data, c->a.len);
        tmk_buf_addch(o, '\n');
    } else if (c->fmt == 1) {
        for (size_t i = 0; i < h->nhits; i++) {
            cli_tsv_field(o, c->term, strlen(c->term), 0);
            tmk_buf_addch(o, '\t');
            cli_tsv_field(o, u->file_name, strlen(u->file_name), 0);
            tmk_buf_printf(o, "\t%lu\t%zu\t%lu\t%zu\t", u->line, u->index, h->cols[i],
                           h->offsets[i]);
            cli_tsv_field(o, h->text, h->text_len, 0);
            tmk_buf_addch(o, '\t');
            cli_tsv_field(o, c->a.data, c->a.len, 0);
            tmk_buf_addch(o, '\n');
        }
    } else {
        tmk_buf_adds(o, "{\"term\":\"");
        tmk_buf_add_json(o, c->term, strlen(c->term));
        tmk_buf_adds(o, "\",\"memory\":\"");
        tmk_buf_add_json(o, u->file_name, strlen(u->file_name));
        tmk_buf_printf(o, "\",\"memory_line\":%lu,\"unit\":%zu,\"%s\":\"", u->line, u->index,
                       c->target ? "target" : "source");
        tmk_buf_add_json(o, h->text, h->text_len);
        tmk_buf_printf(o, "\",\"%s\":\"", c->target ? "source" : "target");
        tmk_buf_add_json(o, c->a.data, c->a.len);
        tmk_buf_adds(o, "\",\"hits\":[");
        for (size_t i = 0; i < h->nhits; i++)
            tmk_buf_printf(o, "%s{\"offset\":%zu,\"len\":%zu,\"col\":%lu}", i ? "," : "",
                           h->offsets[i], h->lens[i], h->cols[i]);
        tmk_buf_adds(o, "]}\n");
    }
    if (fwrite(o->data, 1, o->len, stdout) != o->len)
        return TMK_EIO;
    tmk_buf_reset(o);
    return 0;
}

int cmd_concordance(int argc, char **argv)
{
    static const struct option opts[] = {
        {"target-side", no_argument, NULL, 'T'},
        {NULL, 0, NULL, 0},
    };
    static const char *const formats[] = {"text", "tsv", "jsonl", NULL};
    lookup_getopt g;
    lookup_getopt_init(&g, "concordance", usage, formats, "", opts);
    lookup_open_args *oa = &g.oa;
    cctx cx;
    memset(&cx, 0, sizeof cx);
    tmk_buf_init(&cx.out);
    tmk_buf_init(&cx.a);
    int c;
    while ((c = lookup_getopt_next(&g, argc, argv)) != -1) {
        if (c == 'T')
            cx.target = 1;
        else {
            lookup_getopt_release(&g);
            return c == LOOKUP_GETOPT_STOP ? g.exitc : cli_bad_option("concordance", c, argv);
        }
    }
    cx.fmt = g.fmt;
    if (optind >= argc) {
        lookup_getopt_release(&g);
        return cli_usage_error("concordance", "give a word or phrase to look for");
    }
    for (int i = optind; i < argc; i++) {
        size_t n = strlen(argv[i]);
        if (tmk_utf8_valid_prefix(argv[i], n) != n) {
            lookup_getopt_release(&g);
            return cli_usage_error("concordance", "the term '%s' is not UTF-8", argv[i]);
        }
        size_t k = strspn(argv[i], " \t\n\r");
        if (k == n) {
            lookup_getopt_release(&g);
            return cli_usage_error("concordance", "a term is empty");
        }
    }
    tmk_tm *tm = NULL;
    int exitc = lookup_open(oa, "concordance", &tm, 0);
    if (exitc != TMK_EXIT_OK) {
        lookup_getopt_release(&g);
        return exitc;
    }
    size_t total_units = 0;
    if (cx.fmt == 1) {
        tmk_buf_adds(&cx.out, "term\tmemory\tmemory_line\tunit\ttext_col\ttext_offset\ttext"
                               "\tother\n");
        fwrite(cx.out.data, 1, cx.out.len, stdout);
        tmk_buf_reset(&cx.out);
    }
    for (int i = optind; i < argc && exitc == TMK_EXIT_OK; i++) {
        tmk_tm_conc_options co = TMK_TM_CONC_OPTIONS_INIT;
        co.flags = cx.target ? TMK_TM_CONC_TARGET : 0;
        cx.term = argv[i];
        size_t nu = 0, nh = 0;
        tmk_error err = TMK_ERROR_INIT;
        int rc = tmk_tm_concordance(tm, argv[i], strlen(argv[i]), &co, on_hit, &cx, &nu, &nh,
                                    &err);
        if (rc == TMK_EIO) {
            cli_errorf("cannot write the output: %s", strerror(errno));
            exitc = TMK_EXIT_IO;
            break;
        }
        if (rc < 0) {
            exitc = cli_report(&err);
            break;
        }
        total_units += nu;
        if (cx.fmt == 0)
            printf("-- \"%s\": %zu occurrence%s in %zu unit%s of %zu\n\n", argv[i], nh,
                   nh == 1 ? "" : "s", nu, nu == 1 ? "" : "s", tmk_tm_size(tm));
    }
    if (fflush(stdout) != 0 && exitc == TMK_EXIT_OK) {
        cli_errorf("cannot write the output: %s", strerror(errno));
        exitc = TMK_EXIT_IO;
    }
    if (exitc == TMK_EXIT_OK && total_units == 0)
        exitc = TMK_EXIT_FINDINGS;
    tmk_buf_release(&cx.out);
    tmk_buf_release(&cx.a);
    tmk_tm_free(tm);
    lookup_getopt_release(&g);
    return exitc;
}
