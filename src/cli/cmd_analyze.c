/* cmd_analyze.c -- `tmkit analyze`: how much of new documents a memory
 * covers, per band, per file and in total (tmkit/analyze.h), as a text
 * table, CSV, JSON or a self-contained HTML page, with an optional rate
 * grid and price. */
#include <config.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "lookup_cli.h"

static const char usage[] =
    "Usage: tmkit analyze -m MEMORY.tmx [-m ...] [OPTIONS] DOCUMENT...\n"
    "Segment the documents as build does and report, per file and in total, the\n"
    "segments, words, characters, placeables (numbers) and tags in each band:\n"
    "context match (101%), repetitions, cross-file repetitions, 100%, 95-99%,\n"
    "85-94%, 75-84%, 50-74%, no match (the README's analyze section gives the\n"
    "precedence: context, then repetition, then the memory's band).\n"
    "\n"
    "  -m, --memory FILE       a TMX memory (repeat for several)\n"
    "  -s, --source LANG       source language (de matches de-DE; default: the\n"
    "  -t, --target LANG       memory's pair when it has exactly two languages)\n"
    "  -l, --lang LANG         segmentation rules (default: the source language)\n"
    "      --srx FILE          SRX rules instead of the built-in ones\n"
    "  -e, --encoding ENC      encoding of the documents (default: UTF-8, or a BOM's)\n"
    "      --internal-fuzzy    count fuzzy matches against earlier segments of the job\n"
    "                          in their own bands (slower: compares segment pairs)\n"
    "      --rates GRID|FILE   weights per band, e.g. \"context=0,rep=0.1,100=0.1,\n"
    "                          95=0.3,85=0.6,75=0.8,50=1,new=1\", or a file of them\n"
    "                          (an existing file by that name is read)\n"
    "      --price-per-word N  full price of one word (with --rates: the price)\n"
    "      --currency CUR      currency shown with the price (default EUR)\n"
    "      --format FMT        text (default), csv, json or html\n"
    "  -o, --output FILE       write the report to FILE (default: standard output)\n"
    "  -i, --index FILE        the memory's index file (default: MEMORY.tmx.tmkidx)\n"
    "      --no-index-file     neither read nor write an index file\n"
    "      --rebuild-index     rebuild the index even when it is up to date\n"
    "  -h, --help              show this help\n"
    "\n"
    "Exit status: 0 ok, 2 usage, 3 bad input (memory, document encoding,\n"
    "languages, rates), 4 I/O error.\n";

enum { FMT_TEXT, FMT_CSV, FMT_JSON, FMT_HTML };

struct doc {
    const char **segs;
    size_t *lens;
    size_t n, cap;
    tmk_buf store;
    size_t *offs;
};

static int on_seg(void *ud, const tmk_segment *seg)
{
    struct doc *d = ud;
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 256;
        size_t *l = realloc(d->lens, cap * sizeof *l);
        if (l)
            d->lens = l;
        size_t *o = realloc(d->offs, cap * sizeof *o);
        if (o)
            d->offs = o;
        if (!l || !o)
            return TMK_ENOMEM;
        d->cap = cap;
    }
    d->offs[d->n] = d->store.len;
    d->lens[d->n] = seg->len;
    if (tmk_buf_add(&d->store, seg->text, seg->len) < 0)
        return TMK_ENOMEM;
    d->n++;
    return 0;
}

static void doc_release(struct doc *d)
{
    free(d->segs);
    free(d->lens);
    free(d->offs);
    tmk_buf_release(&d->store);
    memset(d, 0, sizeof *d);
}

struct report {
    int fmt, internal, have_rates;
    tmk_analysis_rates rates;
    double ppw;
    const char *currency;
    tmk_tm *tm;
    const lookup_open_args *oa;
};

static int band_shown(const struct report *r, int b)
{
    return b < TMK_ANALYSIS_IF95 || r->internal;
}

static unsigned long long total_words(const tmk_analysis_counts *c)
{
    tmk_wc_counts all;
    memset(&all, 0, sizeof all);
    for (int b = 0; b < TMK_ANALYSIS_NBANDS; b++)
        tmk_wc_add(&all, &c->band[b].wc);
    return tmk_wc_words(&all);
}

static void sum_all(const tmk_analysis_counts *c, tmk_analysis_band_counts *t)
{
    memset(t, 0, sizeof *t);
    for (int b = 0; b < TMK_ANALYSIS_NBANDS; b++) {
        t->segments += c->band[b].segments;
        tmk_wc_add(&t->wc, &c->band[b].wc);
    }
}

static void json_str(tmk_buf *o, const char *s)
{
    tmk_buf_addch(o, '"');
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            tmk_buf_printf(o, "\\%c", ch);
        else if (ch < 0x20)
            tmk_buf_printf(o, "\\u%04x", ch);
        else
            tmk_buf_addch(o, ch);
    }
    tmk_buf_addch(o, '"');
}

static void html_str(tmk_buf *o, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': tmk_buf_adds(o, "&amp;"); break;
        case '<': tmk_buf_adds(o, "&lt;"); break;
        case '>': tmk_buf_adds(o, "&gt;"); break;
        case '"': tmk_buf_adds(o, "&quot;"); break;
        default: tmk_buf_addch(o, *s);
        }
    }
}

static void csv_str(tmk_buf *o, const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) {
        tmk_buf_adds(o, s);
        return;
    }
    tmk_buf_addch(o, '"');
    for (; *s; s++) {
        if (*s == '"')
            tmk_buf_addch(o, '"');
        tmk_buf_addch(o, *s);
    }
    tmk_buf_addch(o, '"');
}

/* percentage of part in whole, one decimal */
static double pct(unsigned long long part, unsigned long long whole)
{
    return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

static void text_table(tmk_buf *o, const struct report *r, const char *title,
                       const tmk_analysis_counts *c)
{
    unsigned long long tw = total_words(c);
    tmk_buf_printf(o, "%s\n", title);
    tmk_buf_printf(o, "  %-28s %9s %10s %7s %11s %10s %6s", "Band", "Segments", "Words", "%",
                   "Characters", "Placeables", "Tags");
    if (r->have_rates)
        tmk_buf_printf(o, " %7s %12s", "Weight", "Weighted");
    tmk_buf_addch(o, '\n');
    for (int b = 0; b < TMK_ANALYSIS_NBANDS; b++) {
        if (!band_shown(r, b))
            continue;
        const tmk_analysis_band_counts *bc = &c->band[b];
        unsigned long long w = tmk_wc_words(&bc->wc);
        tmk_buf_printf(o, "  %-28s %9llu %10llu %6.1f%% %11llu %10llu %6llu",
                       tmk_analysis_band_title(b), bc->segments, w, pct(w, tw), bc->wc.characters,
                       bc->wc.numbers, bc->wc.tags);
        if (r->have_rates)
            tmk_buf_printf(o, " %7.2f %12.1f", r->rates.weight[b], (double)w * r->rates.weight[b]);
        tmk_buf_addch(o, '\n');
    }
    tmk_analysis_band_counts t;
    sum_all(c, &t);
    tmk_buf_printf(o, "  %-28s %9llu %10llu %6.1f%% %11llu %10llu %6llu", "Total", t.segments, tw,
                   tw ? 100.0 : 0.0, t.wc.characters, t.wc.numbers, t.wc.tags);
    if (r->have_rates)
        tmk_buf_printf(o, " %7s %12.1f", "", tmk_analysis_weighted_words(c, &r->rates));
    tmk_buf_addch(o, '\n');
}

static void price_line(tmk_buf *o, const struct report *r, const tmk_analysis_counts *c)
{
    if (!r->have_rates)
        return;
    double ww = tmk_analysis_weighted_words(c, &r->rates);
    tmk_buf_printf(o, "Weighted words: %.1f", ww);
    if (r->ppw > 0)
        tmk_buf_printf(o, "; price at %.4g %s a word: %.2f %s", r->ppw, r->currency, ww * r->ppw,
                       r->currency);
    tmk_buf_addch(o, '\n');
}

static void json_counts(tmk_buf *o, const struct report *r, const tmk_analysis_counts *c)
{
    tmk_buf_adds(o, "{\"bands\": {");
    int first = 1;
    for (int b = 0; b < TMK_ANALYSIS_NBANDS; b++) {
        if (!band_shown(r, b))
            continue;
        const tmk_analysis_band_counts *bc = &c->band[b];
        tmk_buf_printf(o, "%s\"%s\": {\"segments\": %llu, \"words\": %llu, \"characters\": %llu, "
                       "\"placeables\": %llu, \"tags\": %llu",
                       first ? "" : ", ", tmk_analysis_band_key(b), bc->segments, tmk_wc_words(&bc->wc),
                       bc->wc.characters, bc->wc.numbers, bc->wc.tags);
        if (r->have_rates)
            tmk_buf_printf(o, ", \"weight\": %g, \"weighted_words\": %.1f", r->rates.weight[b],
                           (double)tmk_wc_words(&bc->wc) * r->rates.weight[b]);
        tmk_buf_addch(o, '}');
        first = 0;
    }
    tmk_analysis_band_counts t;
    sum_all(c, &t);
    tmk_buf_printf(o, "}, \"total\": {\"segments\": %llu, \"words\": %llu, \"characters\": %llu, "
                   "\"placeables\": %llu, \"tags\": %llu}",
                   t.segments, total_words(c), t.wc.characters, t.wc.numbers, t.wc.tags);
    if (r->have_rates) {
        double ww = tmk_analysis_weighted_words(c, &r->rates);
        tmk_buf_printf(o, ", \"weighted_words\": %.1f", ww);
        if (r->ppw > 0) {
            tmk_buf_printf(o, ", \"price\": %.2f, \"currency\": ", ww * r->ppw);
            json_str(o, r->currency);
        }
    }
    tmk_buf_addch(o, '}');
}

static void csv_rows(tmk_buf *o, const struct report *r, const char *file, const tmk_analysis_counts *c)
{
    for (int b = 0; b < TMK_ANALYSIS_NBANDS; b++) {
        if (!band_shown(r, b))
            continue;
        const tmk_analysis_band_counts *bc = &c->band[b];
        csv_str(o, file);
        tmk_buf_printf(o, ",%s,%llu,%llu,%llu,%llu,%llu", tmk_analysis_band_key(b), bc->segments,
                       tmk_wc_words(&bc->wc), bc->wc.characters, bc->wc.numbers, bc->wc.tags);
        if (r->have_rates)
            tmk_buf_printf(o, ",%g,%.1f", r->rates.weight[b],
                           (double)tmk_wc_words(&bc->wc) * r->rates.weight[b]);
        tmk_buf_addch(o, '\n');
    }
    tmk_analysis_band_counts t;
    sum_all(c, &t);
    csv_str(o, file);
    tmk_buf_printf(o, ",total,%llu,%llu,%llu,%llu,%llu", t.segments, total_words(c),
                   t.wc.characters, t.wc.numbers, t.wc.tags);
    if (r->have_rates)
        tmk_buf_printf(o, ",,%.1f", tmk_analysis_weighted_words(c, &r->rates));
    tmk_buf_addch(o, '\n');
}

static void html_table(tmk_buf *o, const struct report *r, const char *title,
                       const tmk_analysis_counts *c)
{
    unsigned long long tw = total_words(c);
    tmk_buf_adds(o, "<section>\n<h2>");
    html_str(o, title);
    tmk_buf_adds(o, "</h2>\n<table>\n<thead><tr><th class=\"band\">Band</th><th>Segments</th>"
                    "<th>Words</th><th>Share</th><th>Characters</th><th>Placeables</th>"
                    "<th>Tags</th>");
    if (r->have_rates)
        tmk_buf_adds(o, "<th>Weight</th><th>Weighted words</th>");
    tmk_buf_adds(o, "</tr></thead>\n<tbody>\n");
    for (int b = 0; b < TMK_ANALYSIS_NBANDS; b++) {
        if (!band_shown(r, b))
            continue;
        const tmk_analysis_band_counts *bc = &c->band[b];
        unsigned long long w = tmk_wc_words(&bc->wc);
        double p = pct(w, tw);
        tmk_buf_printf(o, "<tr class=\"b-%s\"><td class=\"band\">", tmk_analysis_band_key(b));
        html_str(o, tmk_analysis_band_title(b));
        tmk_buf_printf(o, "</td><td>%llu</td><td>%llu</td><td class=\"share\"><span class=\"bar\" "
                       "style=\"width:%.0fpx\"></span> %.1f%%</td><td>%llu</td><td>%llu</td>"
                       "<td>%llu</td>",
                       bc->segments, w, p, p, bc->wc.characters, bc->wc.numbers, bc->wc.tags);
        if (r->have_rates)
            tmk_buf_printf(o, "<td>%.2f</td><td>%.1f</td>", r->rates.weight[b],
                           (double)w * r->rates.weight[b]);
        tmk_buf_adds(o, "</tr>\n");
    }
    tmk_analysis_band_counts t;
    sum_all(c, &t);
    tmk_buf_printf(o, "<tr class=\"total\"><td class=\"band\">Total</td><td>%llu</td><td>%llu</td>"
                   "<td class=\"share\">%s</td><td>%llu</td><td>%llu</td><td>%llu</td>",
                   t.segments, tw, tw ? "100.0%" : "", t.wc.characters, t.wc.numbers, t.wc.tags);
    if (r->have_rates)
        tmk_buf_printf(o, "<td></td><td>%.1f</td>", tmk_analysis_weighted_words(c, &r->rates));
    tmk_buf_adds(o, "</tr>\n</tbody>\n</table>\n");
    if (r->have_rates && r->ppw > 0) {
        double ww = tmk_analysis_weighted_words(c, &r->rates);
        tmk_buf_printf(o, "<p class=\"price\">Price: %.1f weighted words &times; %.4g ", ww,
                       r->ppw);
        html_str(o, r->currency);
        tmk_buf_printf(o, " = <strong>%.2f ", ww * r->ppw);
        html_str(o, r->currency);
        tmk_buf_adds(o, "</strong></p>\n");
    }
    tmk_buf_adds(o, "</section>\n");
}

static const char html_style[] =
    "body{font-family:sans-serif;margin:2em;color:#222}"
    "h1{font-size:1.4em}h2{font-size:1.1em;margin-top:1.5em}"
    "table{border-collapse:collapse;min-width:40em}"
    "th,td{border:1px solid #bbb;padding:.25em .6em;text-align:right}"
    "th{background:#eee}td.band,th.band{text-align:left}"
    "tr.total td{font-weight:bold;background:#f4f4f4}"
    ".bar{display:inline-block;height:.8em;background:#4a7fb5;vertical-align:middle}"
    "tr.b-context .bar,tr.b-rep .bar,tr.b-xrep .bar,tr.b-100 .bar{background:#3a9a4a}"
    "tr.b-new .bar{background:#c0504d}"
    ".meta{color:#555}.price{font-size:1.1em}";

static void write_report(tmk_buf *o, const struct report *r, const tmk_analysis *an)
{
    size_t nf = tmk_analysis_nfiles(an);
    tmk_analysis_counts c, tot;
    tmk_analysis_total(an, &tot);
    const lookup_open_args *oa = r->oa;
    switch (r->fmt) {
    case FMT_TEXT:
        tmk_buf_printf(o, "Analysis against");
        for (size_t i = 0; i < oa->nmem; i++)
            tmk_buf_printf(o, " %s", oa->mem[i]);
        tmk_buf_printf(o, " (%s -> %s, %zu units)\n\n", tmk_tm_srclang(r->tm),
                       tmk_tm_tgtlang(r->tm), tmk_tm_size(r->tm));
        for (size_t i = 0; i < nf; i++) {
            tmk_analysis_file_counts(an, i, &c);
            tmk_buf_printf(o, "File ");
            text_table(o, r, tmk_analysis_file_name(an, i), &c);
            price_line(o, r, &c);
            tmk_buf_addch(o, '\n');
        }
        text_table(o, r, nf == 1 ? "Total (1 file)" : "Total", &tot);
        price_line(o, r, &tot);
        break;
    case FMT_CSV:
        tmk_buf_adds(o, "file,band,segments,words,characters,placeables,tags");
        if (r->have_rates)
            tmk_buf_adds(o, ",weight,weighted_words");
        tmk_buf_addch(o, '\n');
        for (size_t i = 0; i < nf; i++) {
            tmk_analysis_file_counts(an, i, &c);
            csv_rows(o, r, tmk_analysis_file_name(an, i), &c);
        }
        csv_rows(o, r, "(all files)", &tot);
        break;
    case FMT_JSON:
        tmk_buf_adds(o, "{\"memories\": [");
        for (size_t i = 0; i < oa->nmem; i++) {
            if (i)
                tmk_buf_adds(o, ", ");
            json_str(o, oa->mem[i]);
        }
        tmk_buf_adds(o, "], \"source\": ");
        json_str(o, tmk_tm_srclang(r->tm));
        tmk_buf_adds(o, ", \"target\": ");
        json_str(o, tmk_tm_tgtlang(r->tm));
        tmk_buf_printf(o, ", \"units\": %zu,\n \"files\": [", tmk_tm_size(r->tm));
        for (size_t i = 0; i < nf; i++) {
            tmk_analysis_file_counts(an, i, &c);
            tmk_buf_adds(o, i ? ",\n  {\"file\": " : "\n  {\"file\": ");
            json_str(o, tmk_analysis_file_name(an, i));
            tmk_buf_adds(o, ", \"counts\": ");
            json_counts(o, r, &c);
            tmk_buf_addch(o, '}');
        }
        tmk_buf_adds(o, "],\n \"total\": ");
        json_counts(o, r, &tot);
        tmk_buf_adds(o, "}\n");
        break;
    case FMT_HTML:
        tmk_buf_printf(o, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                          "<title>Translation analysis</title>\n<style>%s</style>\n</head>\n"
                          "<body>\n<h1>Translation analysis</h1>\n<p class=\"meta\">Memory:",
                       html_style);
        for (size_t i = 0; i < oa->nmem; i++) {
            tmk_buf_addch(o, ' ');
            html_str(o, oa->mem[i]);
        }
        tmk_buf_adds(o, " (");
        html_str(o, tmk_tm_srclang(r->tm));
        tmk_buf_adds(o, " &rarr; ");
        html_str(o, tmk_tm_tgtlang(r->tm));
        tmk_buf_printf(o, ", %zu units). Words are counted by GMX-V.</p>\n", tmk_tm_size(r->tm));
        html_table(o, r, nf == 1 ? "Total (1 file)" : "Total", &tot);
        for (size_t i = 0; i < nf; i++) {
            tmk_analysis_file_counts(an, i, &c);
            html_table(o, r, tmk_analysis_file_name(an, i), &c);
        }
        tmk_buf_adds(o, "</body>\n</html>\n");
        break;
    }
}

/* a price a word above this is a typing error */
#define MAX_PRICE_PER_WORD 1000000.0

static int read_rates(const char *arg, tmk_analysis_rates *rates)
{
    tmk_buf spec = TMK_BUF_INIT;
    tmk_error err = TMK_ERROR_INIT;
    int rc;
    int is_file = access(arg, F_OK) == 0;
    if (!is_file && !strchr(arg, '=')) /* neither a file nor a grid ("--rates 100") */
        return cli_usage_error("analyze",
                               "--rates takes a grid of BAND=WEIGHT items, such as "
                               "\"context=0,rep=0.1,100=0.1,95=0.3,85=0.6,75=0.8,50=1,"
                               "new=1\", or the name of a file of them; '%s' is neither "
                               "(there is no such file)",
                               arg);
    if (is_file) { /* a file of the same items */
        if (cli_read_file(arg, &spec, &err) < 0) {
            if (!err.file[0])
                tmk_error_set_file(&err, arg);
            rc = cli_report(&err);
            tmk_buf_release(&spec);
            return rc;
        }
        tmk_error_set_file(&err, arg);
    } else {
        tmk_buf_adds(&spec, arg);
        tmk_error_set_file(&err, "--rates");
    }
    if (tmk_analysis_rates_parse(spec.data, spec.len, rates, &err) < 0) {
        if (is_file) {
            err.code = TMK_ESYNTAX; /* a bad rate file is bad input (exit 3) */
            rc = cli_report(&err);
        } else {
            cli_errorf("--rates: %s", err.msg);
            rc = TMK_EXIT_USAGE;
        }
        tmk_buf_release(&spec);
        return rc;
    }
    tmk_buf_release(&spec);
    return 0;
}

/* A usage error (its exit code) when out_path would replace a document,
 * a memory or the memory's index file; else 0. */
static int output_clobbers(const char *out_path, int ndocs, char *const *docs,
                           const lookup_open_args *oa)
{
    if (!out_path || !strcmp(out_path, "-"))
        return 0;
    for (int i = 0; i < ndocs; i++)
        if (cli_same_file(out_path, docs[i]))
            return cli_usage_error("analyze", "'%s' is a document; writing the report there "
                                   "would replace it: choose another name with -o", docs[i]);
    for (size_t i = 0; i < oa->nmem; i++)
        if (cli_same_file(out_path, oa->mem[i]))
            return cli_usage_error("analyze", "'%s' is a memory; writing the report there "
                                   "would replace it: choose another name with -o",
                                   oa->mem[i]);
    /* nor the memory's index file (given with -i, or beside the first memory) */
    tmk_buf idx = TMK_BUF_INIT;
    if (oa->index)
        tmk_buf_add(&idx, oa->index, strlen(oa->index));
    else if (oa->nmem)
        tmk_buf_printf(&idx, "%s.tmkidx", oa->mem[0]);
    if (idx.len && cli_same_file(out_path, idx.data)) {
        int rc = cli_usage_error("analyze", "'%s' is the memory's index file; writing the "
                                 "report there would replace it: choose another name with -o",
                                 idx.data);
        tmk_buf_release(&idx);
        return rc;
    }
    tmk_buf_release(&idx);
    return 0;
}

/* Segment one document (its text read) with seglang's rules (or srx) and
 * add it to the analysis; 0, or the exit code of the error reported. */
static int add_document(tmk_analysis *an, const char *path, const tmk_buf *text, const char *seglang,
                        const char *srx)
{
    struct doc d;
    memset(&d, 0, sizeof d);
    tmk_buf_init(&d.store);
    tmk_error e2 = TMK_ERROR_INIT;
    tmk_error_set_file(&e2, srx ? srx : path);
    tmk_segmenter *sg;
    if (cli_segmenter_new(&sg, seglang, srx, &e2) < 0) {
        doc_release(&d);
        return cli_report(&e2);
    }
    tmk_error_set_file(&e2, path);
    int rc = tmk_segmenter_feed(sg, text->data, text->len, on_seg, &d, &e2);
    if (rc == TMK_OK)
        rc = tmk_segmenter_finish(sg, on_seg, &d, &e2);
    tmk_segmenter_free(sg);
    if (rc == TMK_OK) {
        d.segs = malloc((d.n ? d.n : 1) * sizeof *d.segs);
        if (!d.segs)
            rc = TMK_ENOMEM;
        for (size_t k = 0; k < d.n && d.segs; k++)
            d.segs[k] = d.store.data + d.offs[k];
    }
    if (rc == TMK_OK)
        rc = tmk_analysis_add_document(an, path, d.segs, d.lens, d.n, NULL, NULL, &e2);
    doc_release(&d);
    if (rc < 0) {
        if (rc == TMK_ENOMEM && !e2.msg[0])
            tmk_error_set(&e2, TMK_ENOMEM, 0, 0, "out of memory");
        if (!e2.file[0])
            tmk_error_set_file(&e2, path);
        return cli_report(&e2);
    }
    return 0;
}

int cmd_analyze(int argc, char **argv)
{
    static const struct option opts[] = {
        {"lang", required_argument, NULL, 'l'},
        {"srx", required_argument, NULL, 'S'},
        {"encoding", required_argument, NULL, 'e'},
        {"internal-fuzzy", no_argument, NULL, 'I'},
        {"rates", required_argument, NULL, 'r'},
        {"price-per-word", required_argument, NULL, 'P'},
        {"currency", required_argument, NULL, 'C'},
        {"output", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0},
    };
    /* in the order of enum FMT_* */
    static const char *const formats[] = {"text", "csv", "json", "html", NULL};
    lookup_getopt g;
    lookup_getopt_init(&g, "analyze", usage, formats, "l:e:o:", opts);
    lookup_open_args *oa = &g.oa;
    struct report r;
    memset(&r, 0, sizeof r);
    r.currency = "EUR";
    r.oa = oa;
    const char *seglang = NULL, *srx = NULL, *enc = NULL, *out_path = NULL, *rates_arg = NULL;
    int c, exitc = TMK_EXIT_OK;
    while ((c = lookup_getopt_next(&g, argc, argv)) != -1) {
        switch (c) {
        case 'l': seglang = optarg; break;
        case 'S': srx = optarg; break;
        case 'e': enc = optarg; break;
        case 'I': r.internal = 1; break;
        case 'r': rates_arg = optarg; break;
        case 'C': r.currency = optarg; break;
        case 'o': out_path = optarg; break;
        case 'P': {
            /* the number rule of --rates weights: a plain decimal */
            if (tmk_analysis_decimal_parse(optarg, strlen(optarg), &r.ppw) < 0 || r.ppw <= 0 ||
                r.ppw > MAX_PRICE_PER_WORD) {
                lookup_getopt_release(&g);
                return cli_usage_error("analyze", "--price-per-word must be a decimal number "
                                       "above 0 and at most 1000000 (such as 0.12; a decimal "
                                       "point, no exponent), not '%s'", optarg);
            }
            break;
        }
        default:
            lookup_getopt_release(&g);
            return c == LOOKUP_GETOPT_STOP ? g.exitc : cli_bad_option("analyze", c, argv);
        }
    }
    r.fmt = g.fmt;
    if (optind >= argc) {
        lookup_getopt_release(&g);
        return cli_usage_error("analyze", "give the documents to analyse");
    }
    if (r.ppw > 0 && !rates_arg)
        rates_arg = "new=1"; /* a price without a grid: every word at full price */
    if (rates_arg) {
        if ((exitc = read_rates(rates_arg, &r.rates)) != 0) {
            lookup_getopt_release(&g);
            return exitc;
        }
        r.have_rates = 1;
    }
    /* an output must not replace an input */
    if ((exitc = output_clobbers(out_path, argc - optind, argv + optind, oa)) != 0) {
        lookup_getopt_release(&g);
        return exitc;
    }
    if (out_path && !*out_path) {
        lookup_getopt_release(&g);
        return cli_usage_error("analyze", "-o needs a file name (or - for standard output)");
    }
    tmk_tm *tm = NULL;
    tmk_analysis *an = NULL;
    cli_outfile *of = NULL;
    tmk_buf text = TMK_BUF_INIT, o = TMK_BUF_INIT;
    tmk_error err = TMK_ERROR_INIT;
    if (out_path && strcmp(out_path, "-")) {
        of = cli_outfile_open(out_path, &err);
        if (!of) {
            lookup_getopt_release(&g);
            return cli_report(&err);
        }
    }
    if ((exitc = lookup_open(oa, "analyze", &tm, 50)) != 0)
        goto done;
    r.tm = tm;
    tmk_analysis_options ao = TMK_ANALYSIS_OPTIONS_INIT;
    ao.flags = r.internal ? TMK_ANALYSIS_INTERNAL_FUZZY : 0;
    if (tmk_analysis_new(&an, tm, &ao, &err) < 0) {
        exitc = cli_report(&err);
        goto done;
    }
    for (int i = optind; i < argc && !exitc; i++) {
        const char *path = argv[i];
        tmk_buf_reset(&text);
        if ((exitc = cli_read_text(path, enc, &text)) != 0)
            break;
        exitc = add_document(an, path, &text, seglang ? seglang : tmk_tm_srclang(tm), srx);
    }
    if (exitc)
        goto done;
    write_report(&o, &r, an);
    FILE *f = of ? cli_outfile_stream(of) : stdout;
    if (fwrite(o.data, 1, o.len, f) != o.len || fflush(f) != 0) {
        cli_errorf("cannot write the report%s%s: %s", of ? " to " : "", of ? out_path : "",
                   strerror(errno));
        exitc = TMK_EXIT_IO;
        goto done;
    }
    if (of) {
        int crc = cli_outfile_commit(of, &err);
        of = NULL;
        if (crc < 0)
            exitc = cli_report(&err);
    }
done:
    if (of)
        cli_outfile_abort(of);
    tmk_buf_release(&text);
    tmk_buf_release(&o);
    tmk_analysis_free(an);
    tmk_tm_free(tm);
    lookup_getopt_release(&g);
    return exitc;
}
