/* cmd_lookup.c -- `tmkit lookup`: the best matches in translation memories
 * for each line (or, with --split, each sentence) of a text. */
#include <config.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli.h"
#include "lookup_cli.h"

static const char usage[] =
    "Usage: tmkit lookup -m MEMORY.tmx [-m ...] [OPTIONS] [FILE|-]\n"
    "Look up every line of FILE (or standard input) in the memories and print the\n"
    "best matches: score, the memory's source with the differences from the query\n"
    "marked ([-query only-] {+memory only+}), its translation, file and line.\n"
    "\n"
    "  -m, --memory FILE      a TMX memory (repeat for several; ties keep this order)\n"
    "  -s, --source LANG      source language (de matches de-DE; default: the\n"
    "  -t, --target LANG      memory's pair when it has exactly two languages)\n"
    "  -k, --matches N        at most N matches per segment (default 5)\n"
    "      --min-score N      only matches scoring N or more, 1-100 (default 50)\n"
    "      --split            cut the text into sentences first (as build does)\n"
    "  -l, --lang LANG        segmentation rules for --split (default: source language)\n"
    "      --srx FILE         SRX rules for --split\n"
    "  -e, --encoding ENC     input encoding (default: UTF-8, or what a BOM says)\n"
    "      --format FMT       text (default), tsv or jsonl\n"
    "  -i, --index FILE       the index file (default: MEMORY.tmx.tmkidx)\n"
    "      --no-index-file    neither read nor write an index file\n"
    "      --rebuild-index    rebuild the index even when it is up to date\n"
    "      --brute-force      score every unit instead of using the index (same\n"
    "                         results, slower; for checking)\n"
    "      --stats            print timings to standard error: opening, lookups per\n"
    "                         second of CPU time, median and 99th percentile latency\n"
    "  -h, --help             show this help\n"
    "\n"
    "Exit status: 0 a match found, 1 no segment had a match, 2 usage, 3 bad input\n"
    "(memory, encoding, languages), 4 I/O error.\n";

typedef struct job {
    tmk_tm *tm;
    tmk_tm_lookup_options lo;
    tmk_tm_match *m;
    int fmt; /* 0 text, 1 tsv, 2 jsonl */
    int brute;
    const char *file;
    unsigned long nq, found;
    int warned_long;
    tmk_buf out, a, b;
    tmk_error err;
    int stats;
    double *lat;
    size_t nlat, clat;
    double cpu;
} job;

static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double wall_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int emit(job *j)
{
    if (fwrite(j->out.data, 1, j->out.len, stdout) != j->out.len)
        return TMK_EIO;
    tmk_buf_reset(&j->out);
    return 0;
}

static void add_json_str(tmk_buf *o, const char *k, const char *s, size_t n)
{
    tmk_buf_printf(o, "\"%s\":\"", k);
    tmk_buf_add_json(o, s, n);
    tmk_buf_addch(o, '"');
}

static void add_meta_json(tmk_buf *o, const tmk_tm_unit *u)
{
    size_t pos = 0;
    tmk_tm_meta_item it;
    int na = 0, np = 0, nn = 0;
    tmk_buf_adds(o, ",\"attrs\":{");
    while (tmk_tm_meta_next(u->meta, u->meta_len, &pos, &it))
        if (it.kind == 'a') {
            if (na++)
                tmk_buf_addch(o, ',');
            tmk_buf_addch(o, '"');
            tmk_buf_add_json(o, it.name, it.name_len);
            tmk_buf_adds(o, "\":\"");
            tmk_buf_add_json(o, it.value, it.value_len);
            tmk_buf_addch(o, '"');
        }
    tmk_buf_adds(o, "},\"props\":[");
    pos = 0;
    while (tmk_tm_meta_next(u->meta, u->meta_len, &pos, &it))
        if (it.kind == 'p') {
            if (np++)
                tmk_buf_addch(o, ',');
            tmk_buf_addch(o, '{');
            add_json_str(o, "type", it.name, it.name_len);
            tmk_buf_addch(o, ',');
            add_json_str(o, "value", it.value, it.value_len);
            tmk_buf_addch(o, '}');
        }
    tmk_buf_adds(o, "],\"notes\":[");
    pos = 0;
    while (tmk_tm_meta_next(u->meta, u->meta_len, &pos, &it))
        if (it.kind == 'n') {
            if (nn++)
                tmk_buf_addch(o, ',');
            tmk_buf_addch(o, '"');
            tmk_buf_add_json(o, it.value, it.value_len);
            tmk_buf_addch(o, '"');
        }
    tmk_buf_addch(o, ']');
}

static int one_segment(job *j, const char *s, size_t n, unsigned long line)
{
    j->nq++;
    size_t nm = 0;
    tmk_error *err = &j->err;
    if (!j->warned_long && n > TMK_TM_MAX_TOKENS) { /* fewer bytes cannot hold more tokens */
        tmk_buf_reset(&j->a);
        tmk_tm_text_escape(s, n, &j->a);
        long w = tmk_tm_word_tokens(j->a.data, j->a.len);
        if (w > TMK_TM_MAX_TOKENS) {
            cli_errorf("%s:%lu: the segment has %ld words and numbers; only the first %d are "
                       "scored",
                       j->file, line, w, TMK_TM_MAX_TOKENS);
            j->warned_long = 1;
        }
    }
    double t0 = j->stats ? cpu_now() : 0;
    int rc = j->brute ? tmk_tm_lookup_brute(j->tm, s, n, &j->lo, j->m, &nm, err)
                      : tmk_tm_lookup(j->tm, s, n, &j->lo, j->m, &nm, err);
    if (j->stats) {
        double dt = cpu_now() - t0;
        j->cpu += dt;
        if (j->nlat == j->clat) {
            size_t nc = j->clat ? j->clat * 2 : 1024;
            double *nl = realloc(j->lat, nc * sizeof *nl);
            if (nl) {
                j->lat = nl;
                j->clat = nc;
            }
        }
        if (j->nlat < j->clat)
            j->lat[j->nlat++] = dt;
    }
    if (rc < 0) {
        tmk_error_set_file(err, j->file);
        err->line = line;
        return rc;
    }
    if (nm)
        j->found++;
    tmk_buf *o = &j->out;
    if (j->fmt == 0) {
        tmk_buf_printf(o, "%s:%lu: ", j->file, line);
        tmk_buf_add(o, s, n);
        tmk_buf_addch(o, '\n');
        if (!nm)
            tmk_buf_printf(o, "  no match of %d or more\n", j->lo.min_score);
        for (size_t i = 0; i < nm; i++) {
            const tmk_tm_unit *u = &j->m[i].unit;
            tmk_buf_reset(&j->a);
            tmk_buf_reset(&j->b);
            tmk_buf_printf(o, "  %3d  ", j->m[i].score);
            lookup_word_diff(o, s, n, u->source, u->source_len);
            tmk_buf_adds(o, "\n       = ");
            tmk_tm_text_plain(u->target, u->target_len, 1, &j->b);
            tmk_buf_add(o, j->b.data, j->b.len);
            tmk_buf_printf(o, "\n       %s:%lu", u->file_name, u->line);
            if (u->tuid_len) {
                tmk_buf_adds(o, " tuid=");
                tmk_buf_add(o, u->tuid, u->tuid_len);
            }
            tmk_buf_addch(o, '\n');
        }
        tmk_buf_addch(o, '\n');
    } else if (j->fmt == 1) {
        for (size_t i = 0; i < nm; i++) {
            const tmk_tm_unit *u = &j->m[i].unit;
            tmk_buf_printf(o, "%lu\t%lu\t%zu\t%d\t", j->nq, line, i + 1, j->m[i].score);
            cli_tsv_field(o, s, n, 0);
            tmk_buf_addch(o, '\t');
            tmk_buf_reset(&j->a);
            tmk_tm_text_plain(u->source, u->source_len, 1, &j->a);
            cli_tsv_field(o, j->a.data, j->a.len, 0);
            tmk_buf_addch(o, '\t');
            tmk_buf_reset(&j->a);
            tmk_tm_text_plain(u->target, u->target_len, 1, &j->a);
            cli_tsv_field(o, j->a.data, j->a.len, 0);
            tmk_buf_addch(o, '\t');
            cli_tsv_field(o, u->file_name, strlen(u->file_name), 0);
            tmk_buf_printf(o, "\t%lu\t", u->line);
            cli_tsv_field(o, u->tuid, u->tuid_len, 0);
            tmk_buf_addch(o, '\n');
        }
    } else {
        tmk_buf_printf(o, "{\"n\":%lu,", j->nq);
        add_json_str(o, "file", j->file, strlen(j->file));
        tmk_buf_printf(o, ",\"line\":%lu,", line);
        add_json_str(o, "query", s, n);
        tmk_buf_adds(o, ",\"matches\":[");
        for (size_t i = 0; i < nm; i++) {
            const tmk_tm_unit *u = &j->m[i].unit;
            if (i)
                tmk_buf_addch(o, ',');
            tmk_buf_printf(o, "{\"score\":%d,", j->m[i].score);
            tmk_buf_reset(&j->a);
            tmk_tm_text_plain(u->source, u->source_len, 1, &j->a);
            add_json_str(o, "source", j->a.data, j->a.len);
            tmk_buf_addch(o, ',');
            tmk_buf_reset(&j->a);
            tmk_tm_text_plain(u->target, u->target_len, 1, &j->a);
            add_json_str(o, "target", j->a.data, j->a.len);
            tmk_buf_addch(o, ',');
            add_json_str(o, "memory", u->file_name, strlen(u->file_name));
            tmk_buf_printf(o, ",\"memory_line\":%lu,\"unit\":%zu", u->line, u->index);
            if (u->tuid_len) {
                tmk_buf_addch(o, ',');
                add_json_str(o, "tuid", u->tuid, u->tuid_len);
            }
            add_meta_json(o, u);
            tmk_buf_addch(o, '}');
        }
        tmk_buf_adds(o, "]}\n");
    }
    return emit(j);
}

static int on_seg(void *ud, const tmk_segment *seg)
{
    job *j = ud;
    size_t a = 0, b = seg->len;
    while (a < b && (seg->text[a] == ' ' || seg->text[a] == '\t' || seg->text[a] == '\n'))
        a++;
    while (b > a && (seg->text[b - 1] == ' ' || seg->text[b - 1] == '\t' ||
                     seg->text[b - 1] == '\n' || seg->text[b - 1] == '\r'))
        b--;
    if (a == b)
        return 0;
    return one_segment(j, seg->text + a, b - a, seg->line);
}

static int finish_error(job *j, int rc)
{
    if (rc == TMK_EIO && !j->err.msg[0]) {
        cli_errorf("cannot write the output: %s", strerror(errno));
        return TMK_EXIT_IO;
    }
    return cli_report(&j->err);
}

/* Look up each line of text (without --split); 0 or the first error. */
static int lookup_lines(job *j, const tmk_buf *text)
{
    int rc = 0;
    size_t i = 0;
    unsigned long line = 0;
    while (rc == 0 && i < text->len) {
        const char *nl = memchr(text->data + i, '\n', text->len - i);
        size_t e = nl ? (size_t)(nl - text->data) : text->len;
        line++;
        size_t b = e;
        if (b > i && text->data[b - 1] == '\r')
            b--;
        if (b > i)
            rc = one_segment(j, text->data + i, b - i, line);
        i = e + 1;
    }
    return rc;
}

/* --stats: opening time, throughput and latency, on standard error. */
static void print_stats(job *j, double open_wall, double open_cpu)
{
    double p50 = 0, p99 = 0;
    if (j->nlat) {
        qsort(j->lat, j->nlat, sizeof *j->lat, cmp_double);
        p50 = j->lat[j->nlat / 2];
        p99 = j->lat[(size_t)((double)j->nlat * 0.99) < j->nlat ? (size_t)((double)j->nlat * 0.99)
                                                              : j->nlat - 1];
    }
    fprintf(stderr,
            "tmkit lookup: open %.3f s (%.3f s CPU), %zu units; %lu segments, %lu with a "
            "match; lookup %.3f s CPU = %.1f segments/s; latency p50 %.3f ms, p99 %.3f ms\n",
            open_wall, open_cpu, tmk_tm_size(j->tm), j->nq, j->found, j->cpu,
            j->cpu > 0 ? (double)j->nq / j->cpu : 0.0, p50 * 1e3, p99 * 1e3);
}

int cmd_lookup(int argc, char **argv)
{
    static const struct option opts[] = {
        {"matches", required_argument, NULL, 'k'},
        {"min-score", required_argument, NULL, 'M'},
        {"split", no_argument, NULL, 'X'},
        {"lang", required_argument, NULL, 'l'},
        {"srx", required_argument, NULL, 'S'},
        {"encoding", required_argument, NULL, 'e'},
        {"brute-force", no_argument, NULL, 'B'},
        {"stats", no_argument, NULL, 'T'},
        {NULL, 0, NULL, 0},
    };
    static const char *const formats[] = {"text", "tsv", "jsonl", NULL};
    lookup_getopt g;
    lookup_getopt_init(&g, "lookup", usage, formats, "k:l:e:", opts);
    lookup_open_args *oa = &g.oa;
    job j;
    memset(&j, 0, sizeof j);
    tmk_tm_lookup_options lo = TMK_TM_LOOKUP_OPTIONS_INIT;
    j.lo = lo;
    tmk_buf_init(&j.out);
    tmk_buf_init(&j.a);
    tmk_buf_init(&j.b);
    const char *enc = NULL, *seglang = NULL, *srx = NULL;
    int split = 0, c, exitc = TMK_EXIT_OK;
    while ((c = lookup_getopt_next(&g, argc, argv)) != -1) {
        switch (c) {
        case 'k':
        case 'M': {
            char *end;
            errno = 0;
            long v = strtol(optarg, &end, 10);
            if (errno || *end || end == optarg || (c == 'k' && (v < 1 || v > 1000)) ||
                (c == 'M' && (v < 1 || v > 100))) {
                lookup_getopt_release(&g);
                return cli_usage_error("lookup", c == 'k' ? "-k must be a number from 1 to 1000, not '%s'"
                                                          : "--min-score must be a number from 1 to 100, not '%s'",
                                       optarg);
            }
            if (c == 'k')
                j.lo.k = (size_t)v;
            else
                j.lo.min_score = (int)v;
            break;
        }
        case 'X': split = 1; break;
        case 'l': seglang = optarg; break;
        case 'S': srx = optarg; break;
        case 'e': enc = optarg; break;
        case 'B': j.brute = 1; break;
        case 'T': j.stats = 1; break;
        default:
            lookup_getopt_release(&g);
            return c == LOOKUP_GETOPT_STOP ? g.exitc : cli_bad_option("lookup", c, argv);
        }
    }
    j.fmt = g.fmt;
    if (argc - optind > 1) {
        lookup_getopt_release(&g);
        return cli_usage_error("lookup", "give one input file (or none for standard input)");
    }
    if ((seglang || srx) && !split) {
        lookup_getopt_release(&g);
        return cli_usage_error("lookup", "-l and --srx go with --split");
    }
    const char *in = optind < argc ? argv[optind] : "-";
    for (size_t i = 0; i < oa->nmem; i++)
        if (!strcmp(oa->mem[i], "-") && !strcmp(in, "-")) {
            lookup_getopt_release(&g);
            return cli_usage_error("lookup", "the memory and the segments cannot both come "
                                             "from standard input: give a FILE");
        }
    double w0 = wall_now(), c0 = cpu_now();
    int r = lookup_open(oa, "lookup", &j.tm, j.lo.min_score);
    double open_wall = wall_now() - w0, open_cpu = cpu_now() - c0;
    if (r != TMK_EXIT_OK) {
        lookup_getopt_release(&g);
        return r;
    }
    tmk_buf text = TMK_BUF_INIT;
    j.file = in;
    j.m = calloc(j.lo.k, sizeof *j.m);
    if (!j.m) {
        cli_errorf("out of memory");
        exitc = TMK_EXIT_IO;
        goto done;
    }
    if ((exitc = cli_read_text(in, enc, &text)) != 0)
        goto done;
    int rc = 0;
    if (j.fmt == 1) {
        tmk_buf_adds(&j.out, "n\tline\trank\tscore\tquery\tsource\ttarget\tmemory\tmemory_line\ttuid\n");
        rc = emit(&j);
    }
    if (split) {
        tmk_error err = TMK_ERROR_INIT;
        tmk_segmenter *seg;
        if (cli_segmenter_new(&seg, seglang ? seglang : tmk_tm_srclang(j.tm), srx, &err) < 0) {
            if (err.code == TMK_EIO && srx && !err.file[0])
                tmk_error_set_file(&err, srx);
            exitc = cli_report(&err);
            goto done;
        }
        rc = tmk_segmenter_feed(seg, text.data, text.len, on_seg, &j, &err);
        if (rc == 0)
            rc = tmk_segmenter_finish(seg, on_seg, &j, &err);
        if (rc < 0 && !j.err.msg[0] && rc != TMK_EIO)
            j.err = err;
        tmk_segmenter_free(seg);
    } else if (rc == 0) {
        rc = lookup_lines(&j, &text);
    }
    if (rc < 0) {
        exitc = finish_error(&j, rc);
        goto done;
    }
    if (fflush(stdout) != 0) {
        cli_errorf("cannot write the output: %s", strerror(errno));
        exitc = TMK_EXIT_IO;
        goto done;
    }
    exitc = j.found ? TMK_EXIT_OK : TMK_EXIT_FINDINGS;
    if (j.stats)
        print_stats(&j, open_wall, open_cpu);
done:
    tmk_buf_release(&text);
    tmk_buf_release(&j.out);
    tmk_buf_release(&j.a);
    tmk_buf_release(&j.b);
    free(j.m);
    free(j.lat);
    tmk_tm_free(j.tm);
    lookup_getopt_release(&g);
    return exitc;
}
