/* cmd_filter.c -- tmkit filter: keep the units of a TMX file that match
 * conditions (language pair, prop, score, date).  Streamed: one unit in
 * memory at a time. */
#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "tmx_cli.h"

static const char usage_text[] =
    "Usage: tmkit filter [OPTIONS] INPUT.tmx [-o OUTPUT.tmx]\n"
    "Write the units of INPUT that match every condition given; text, props,\n"
    "notes and inline markup are kept as they are.\n\n"
    "  --pair S,T          units with a tuv in S and one in T; only these two\n"
    "                      tuvs are written, S first (\"de\" matches de-DE)\n"
    "  --lang L            units with a tuv in L; all tuvs of such a unit are\n"
    "                      written; repeatable (a unit needs every L)\n"
    "  --keep-lang L       units with a tuv in L; only the tuvs in the --keep-lang\n"
    "                      languages are written; repeatable (a unit needs every L)\n"
    "  --prop TYPE[=VALUE] units (or one of their tuvs) with this prop; repeatable\n"
    "  --min-score X       units whose x-alignment-score prop is >= X (0..1)\n"
    "  --max-score X       units whose x-alignment-score prop is < X (0..1):\n"
    "                      --min-score X and --max-score X split a memory in two;\n"
    "                      units without a score match neither (counted)\n"
    "  --since DATE        units changed (changedate, else creationdate) at or\n"
    "                      after DATE (YYYYMMDD or YYYYMMDDThhmmssZ)\n"
    "  --until DATE        ... at or before DATE; a unit without a date has the\n"
    "                      header's (changedate, else creationdate); with none\n"
    "                      it matches no date condition (counted)\n"
    "  --invert            keep the units that do NOT match\n"
    "  -o, --output FILE   written atomically (default: stdout)\n"
    "  -q, --quiet         no summary on stderr\n"
    "  -h, --help          this help\n";

#define MAX_CONDS 32

typedef struct {
    char *ps, *pt;
    const char *langs[MAX_CONDS];
    size_t nlangs;
    const char *keep[MAX_CONDS]; /* --keep-lang */
    size_t nkeep;
    unsigned long no_score, tuvs_left;
    const char *props[MAX_CONDS];
    size_t nprops;
    int has_min, has_max, invert;
    double min_score, max_score;
    long long since, until;
    int has_since, has_until;
    long long hdate;       /* the header's changedate, else creationdate */
    int has_hdate;
    unsigned long no_date; /* units without a date, and no header date */
    tmk_tmx_writer *w;
    FILE *out;
    unsigned long in, kept;
    tmk_error err;
} filt;

static int prop_match(const tmk_tmx_prop *p, size_t n, const char *cond)
{
    const char *eq = strchr(cond, '=');
    size_t tl = eq ? (size_t)(eq - cond) : strlen(cond);
    for (size_t i = 0; i < n; i++) {
        if (!p[i].type || strlen(p[i].type) != tl || strncmp(p[i].type, cond, tl))
            continue;
        if (!eq || (p[i].value && !strcmp(p[i].value, eq + 1)))
            return 1;
    }
    return 0;
}

/* the unit's date: changedate, else creationdate, of the unit or its newest tuv */
static int unit_date(const tmk_tmx_tu *tu, long long *t)
{
    int have = 0;
    long long best = 0, v;
    const char *names[2] = {"changedate", "creationdate"};
    for (int k = 0; k < 2 && !have; k++) {
        const char *d = tmk_tmx_attr_get(tu->attrs, tu->nattrs, names[k]);
        if (d && tmk_tmx_date_parse(d, &v)) {
            best = v;
            have = 1;
        }
        for (size_t i = 0; i < tu->ntuvs; i++) {
            d = tmk_tmx_attr_get(tu->tuvs[i].attrs, tu->tuvs[i].nattrs, names[k]);
            if (d && tmk_tmx_date_parse(d, &v) && (!have || v > best)) {
                best = v;
                have = 1;
            }
        }
    }
    *t = best;
    return have;
}

/* The memory's date (its header's changedate, else creationdate): the date
 * of a unit that has none of its own. */
static void header_date(filt *f, const tmk_tmx_header *h)
{
    const char *names[2] = {"changedate", "creationdate"};
    for (int k = 0; k < 2 && !f->has_hdate; k++) {
        const char *d = tmk_tmx_attr_get(h->attrs, h->nattrs, names[k]);
        f->has_hdate = d && tmk_tmx_date_parse(d, &f->hdate);
    }
}

/* The date a unit is filtered by: its own, else the memory's (counted
 * when there is neither). */
static int filter_date(filt *f, const tmk_tmx_tu *tu, long long *t)
{
    if (unit_date(tu, t))
        return 1;
    if (f->has_hdate) {
        *t = f->hdate;
        return 1;
    }
    f->no_date++;
    return 0;
}

static int on_header(void *ud, const tmk_tmx_header *h)
{
    filt *f = ud;
    header_date(f, h);
    tmk_tmx_header hh = *h;
    hh.creationtool = hh.creationtoolversion = NULL;
    hh.creationdate = -1;
    if (f->ps)
        hh.srclang = f->ps;
    if (!hh.srclang)
        hh.srclang = "*all*";
    tmk_tmx_write_options wo = TMK_TMX_WRITE_OPTIONS_INIT;
    wo.creation_time = cli_creation_time();
    wo.flags = TMK_TMX_VERBATIM;
    wo.file = f->out;
    return tmk_tmx_writer_new(&f->w, &wo, &hh, NULL, NULL, NULL, &f->err);
}

static int on_tu(void *ud, const tmk_tmx_tu *tu)
{
    filt *f = ud;
    f->in++;
    if (!f->w) {
        tmk_tmx_header h = {.srclang = "*all*", .creationdate = -1};
        TMXCLI_TRY(on_header(f, &h));
    }
    int ok = 1;
    long si = -1, ti = -1;
    if (f->ps) {
        si = tmxcli_find(tu, f->ps);
        ti = tmxcli_find(tu, f->pt);
        ok = si >= 0 && ti >= 0 && si != ti;
    }
    for (size_t i = 0; ok && i < f->nlangs; i++)
        ok = tmxcli_find(tu, f->langs[i]) >= 0;
    for (size_t i = 0; ok && i < f->nkeep; i++)
        ok = tmxcli_find(tu, f->keep[i]) >= 0;
    for (size_t i = 0; ok && i < f->nprops; i++) {
        int m = prop_match(tu->props, tu->nprops, f->props[i]);
        for (size_t k = 0; !m && k < tu->ntuvs; k++)
            m = prop_match(tu->tuvs[k].props, tu->tuvs[k].nprops, f->props[i]);
        ok = m;
    }
    if (ok && (f->has_min || f->has_max)) {
        const char *sc = tmk_tmx_unit_prop(tu, "x-alignment-score");
        char *end = NULL;
        double v = sc ? strtod(sc, &end) : 0;
        if (!sc || end == sc || v != v)
            f->no_score++;
        /* min inclusive, max exclusive: --min-score X and --max-score X
         * are a partition of the scored units */
        ok = sc && end != sc && v == v && (!f->has_min || v >= f->min_score) &&
             (!f->has_max || v < f->max_score);
    }
    if (ok && (f->has_since || f->has_until)) {
        long long t;
        ok = filter_date(f, tu, &t) && (!f->has_since || t >= f->since) &&
             (!f->has_until || t <= f->until);
    }
    if (f->invert)
        ok = !ok;
    if (!ok)
        return TMK_OK;
    f->kept++;
    if (f->nkeep && !f->invert) {
        tmk_tmx_tuv *kv = malloc(tu->ntuvs * sizeof *kv);
        if (!kv)
            return tmk_error_set(&f->err, TMK_ENOMEM, 0, 0, "out of memory");
        size_t n = 0;
        for (size_t k = 0; k < tu->ntuvs; k++) {
            size_t i = 0;
            while (i < f->nkeep && !tmxcli_lang_match(tu->tuvs[k].lang, f->keep[i]))
                i++;
            if (i < f->nkeep)
                kv[n++] = tu->tuvs[k];
        }
        f->tuvs_left += tu->ntuvs - n;
        tmk_tmx_tu out = *tu;
        out.tuvs = kv;
        out.ntuvs = n;
        /* the unit's source language, if its tuv is left out, is the first kept */
        const char *src = tmk_tmx_attr_get(tu->attrs, tu->nattrs, "srclang");
        tmk_tmx_attr *attrs = NULL;
        int na = -2;
        if (src && strcmp(src, "*all*")) {
            size_t k = 0;
            while (k < n && !tmxcli_lang_match(kv[k].lang, src))
                k++;
            if (k == n)
                na = tmxcli_attrs_with_srclang(tu, n ? kv[0].lang : NULL, &attrs);
        }
        int rc = na == -1 ? tmk_error_set(&f->err, TMK_ENOMEM, 0, 0, "out of memory") : TMK_OK;
        if (na >= 0) {
            out.attrs = attrs;
            out.nattrs = (size_t)na;
        }
        if (rc == TMK_OK)
            rc = tmk_tmx_writer_add(f->w, &out, &f->err);
        free(attrs);
        free(kv);
        return rc;
    }
    if (f->ps && !f->invert) {
        tmk_tmx_tuv two[2] = {tu->tuvs[si], tu->tuvs[ti]};
        tmk_tmx_tu out = *tu;
        out.tuvs = two;
        out.ntuvs = 2;
        /* the kept source tuv is the unit's source language now */
        tmk_tmx_attr *attrs;
        int na = tmxcli_attrs_with_srclang(tu, two[0].lang, &attrs);
        if (na < 0)
            return tmk_error_set(&f->err, TMK_ENOMEM, 0, 0, "out of memory");
        out.attrs = attrs;
        out.nattrs = (size_t)na;
        int rc = tmk_tmx_writer_add(f->w, &out, &f->err);
        free(attrs);
        return rc;
    }
    return tmk_tmx_writer_add(f->w, tu, &f->err);
}

static int parse_date(const char *s, int end_of_day, long long *t)
{
    char buf[17];
    if (strlen(s) == 8) {
        snprintf(buf, sizeof buf, "%sT%sZ", s, end_of_day ? "235959" : "000000");
        s = buf;
    }
    return tmk_tmx_date_parse(s, t);
}

int cmd_filter(int argc, char **argv)
{
    static const struct option opts[] = {
        {"pair", required_argument, NULL, 'p'}, {"lang", required_argument, NULL, 'l'},
        {"prop", required_argument, NULL, 'P'}, {"min-score", required_argument, NULL, 'm'},
        {"keep-lang", required_argument, NULL, 'k'},
        {"max-score", required_argument, NULL, 'M'}, {"since", required_argument, NULL, 'S'},
        {"until", required_argument, NULL, 'U'}, {"invert", no_argument, NULL, 'v'},
        {"output", required_argument, NULL, 'o'}, {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    filt f;
    memset(&f, 0, sizeof f);
    const char *output = "-";
    int quiet = 0, ch, ex = TMK_EXIT_OK;
    char *end;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":o:qh", opts, NULL)) != -1) {
        switch (ch) {
        case 'p':
            free(f.ps);
            free(f.pt);
            if (tmxcli_parse_pair(optarg, &f.ps, &f.pt) < 0)
                return cli_usage_error(argv[0], "--pair wants two language codes like "
                                                "de-DE,en-US, not \"%s\"", optarg);
            break;
        case 'l':
            if (f.nlangs == MAX_CONDS || !tmk_lang_valid(optarg))
                return cli_usage_error(argv[0], "--lang wants a language code like de-DE");
            f.langs[f.nlangs++] = optarg;
            break;
        case 'k':
            if (f.nkeep == MAX_CONDS || !tmk_lang_valid(optarg))
                return cli_usage_error(argv[0], "--keep-lang wants a language code like de-DE");
            f.keep[f.nkeep++] = optarg;
            break;
        case 'P':
            if (f.nprops == MAX_CONDS || !*optarg || *optarg == '=')
                return cli_usage_error(argv[0], "--prop wants TYPE or TYPE=VALUE");
            f.props[f.nprops++] = optarg;
            break;
        case 'm':
        case 'M': {
            double v = strtod(optarg, &end);
            if (end == optarg || *end || !(v >= 0 && v <= 1))
                return cli_usage_error(argv[0], "--%s wants a number from 0 to 1, not \"%s\"",
                                       ch == 'm' ? "min-score" : "max-score", optarg);
            if (ch == 'm') { f.min_score = v; f.has_min = 1; }
            else { f.max_score = v; f.has_max = 1; }
            break;
        }
        case 'S':
        case 'U':
            if (!parse_date(optarg, ch == 'U', ch == 'S' ? &f.since : &f.until))
                return cli_usage_error(argv[0], "dates are YYYYMMDD or YYYYMMDDThhmmssZ, "
                                                "not \"%s\"", optarg);
            if (ch == 'S') f.has_since = 1;
            else f.has_until = 1;
            break;
        case 'v': f.invert = 1; break;
        case 'o': output = optarg; break;
        case 'q': quiet = 1; break;
        case 'h': fputs(usage_text, stdout); return TMK_EXIT_OK;
        default: return cli_bad_option(argv[0], ch, argv);
        }
    }
    if (optind + 1 != argc) {
        free(f.ps);
        free(f.pt);
        return cli_usage_error(argv[0], "give exactly one input file (or - for stdin)");
    }
    const char *input = argv[optind];
    if (f.ps && f.nkeep) {
        free(f.ps);
        free(f.pt);
        return cli_usage_error(argv[0], "give --pair or --keep-lang, not both");
    }
    if (strcmp(input, "-") && cli_same_file(input, output)) {
        free(f.ps);
        free(f.pt);
        return cli_usage_error(argv[0], "the output '%s' would replace the input; write it to "
                                        "another file", output);
    }
    tmk_error err = TMK_ERROR_INIT;
    tmk_error_set_file(&err, output);
    cli_outfile *of = cli_outfile_open(output, &err);
    if (!of) {
        free(f.ps);
        free(f.pt);
        return cli_report(&err);
    }
    f.out = cli_outfile_stream(of);
    tmk_tmx_read_options ro = TMK_TMX_READ_OPTIONS_INIT;
    ro.name = input;
    tmk_tmx_reader *r;
    if (tmk_tmx_reader_new(&r, &ro, on_header, on_tu, NULL, &f, &err) < 0) {
        ex = cli_report(&err);
    } else {
        int rc = cli_tmx_read(r, input, &err);
        tmk_tmx_reader_free(r);
        if (rc < 0) {
            if (f.err.code) {
                err = f.err;
                tmk_error_set_file(&err, rc == TMK_EIO ? output : input);
            }
            ex = cli_report(&err);
        } else {
            if (!f.w) {
                tmk_tmx_header h = {.srclang = "*all*", .creationdate = -1};
                on_header(&f, &h);
            }
            if (!f.w || tmk_tmx_writer_finish(f.w, &f.err) < 0) {
                tmk_error_set_file(&f.err, output);
                ex = cli_report(&f.err);
            }
        }
    }
    tmk_tmx_writer_free(f.w);
    if (ex == TMK_EXIT_OK) {
        if (cli_outfile_commit(of, &err) < 0)
            ex = cli_report(&err);
    } else {
        cli_outfile_abort(of);
    }
    if (ex == TMK_EXIT_OK && f.no_score)
        fprintf(stderr, "tmkit: %s: %lu unit(s) have no x-alignment-score prop: they match "
                        "neither --min-score nor --max-score%s\n",
                input, f.no_score, f.invert ? " (so --invert keeps them)" : "");
    if (ex == TMK_EXIT_OK && f.no_date)
        fprintf(stderr, "tmkit: %s: %lu unit(s) have no date (no changedate or creationdate, "
                        "and none in the header): they match neither --since nor --until%s\n",
                input, f.no_date, f.invert ? " (so --invert keeps them)" : "");
    if (ex == TMK_EXIT_OK && !quiet) {
        fprintf(stderr, "tmkit: %s: %lu unit(s) read, %lu kept", input, f.in, f.kept);
        if (f.tuvs_left)
            fprintf(stderr, ", %lu tuv(s) in other languages left out (--keep-lang)", f.tuvs_left);
        fputc('\n', stderr);
    }
    free(f.ps);
    free(f.pt);
    return ex;
}
