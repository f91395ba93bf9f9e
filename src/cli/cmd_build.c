/* cmd_build.c -- `tmkit build`: the whole pipeline, text and translation in,
 * TMX memory (and spell report) out.  All the work is done by the library;
 * this file reads options, runs the stages in order and reports. */
#include <config.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "report.h"

static const char usage_text[] =
    "Usage: tmkit build SOURCE REFERENCE [OPTIONS]\n"
    "\n"
    "Build a translation memory from a text (SOURCE) and its translation\n"
    "(REFERENCE): both are decoded, split into sentences, the source is\n"
    "spell-checked, the sentences are aligned, and the pairs are written as\n"
    "TMX 1.4b translation units.  A summary goes to standard error.\n"
    "\n"
    "Options:\n"
    "  -s, --source-lang LANG   language of SOURCE (default de-DE)\n"
    "  -t, --target-lang LANG   language of REFERENCE (default en-US)\n"
    "  -o, --output FILE        the memory to write (default: SOURCE's name with .tmx,\n"
    "                           in the current folder; - for standard output)\n"
    "      --report FILE        also write the spell-check report to FILE: HTML, CSV\n"
    "                           or JSON Lines by its extension (.html, .csv, .json),\n"
    "                           else text (FILE:LINE:COL: WORD: suggestions)\n"
    "      --report-format FMT  text, csv, json or html, whatever the extension\n"
    "  -e, --encoding ENC       encoding of SOURCE (default: byte-order mark, else UTF-8)\n"
    "      --ref-encoding ENC   encoding of REFERENCE (default: as for SOURCE)\n"
    "  -d, --dictionary DICT    Hunspell dictionary for the spell-check, by name (de_DE)\n"
    "                           or path; repeatable (default: the source language's)\n"
    "      --personal FILE      extra words to accept, one per line (word/model\n"
    "                           inflects like model); repeatable\n"
    "      --no-wordlists       do not load tmkit's own word lists (names, ...)\n"
    "      --no-spell           skip the spell-check\n"
    "      --dict FILE          bilingual dictionary for the alignment; repeatable\n"
    "      --no-stem            match dictionary words only as written (by default\n"
    "                           Hunspell gives the stems of inflected forms)\n"
    "      --min-score X        keep pairs whose alignment confidence is below X\n"
    "                           (0 to 1) out of the memory (default 0)\n"
    "      --srx FILE           segmentation rules (SRX 2.0) instead of the built-in ones\n"
    "      --paragraphs=MODE    auto (default): wrapped when a file looks hard-wrapped\n"
    "                           (a note says so), else line; line: every line is a\n"
    "                           paragraph; wrapped: lines cut at a fixed width are\n"
    "                           joined; blank: blank lines separate paragraphs\n"
    "  -q, --quiet              no summary and no progress\n"
    "  -h, --help               show this help\n"
    "\n"
    "Exit codes: 0 done, 2 usage error, 3 bad input, 4 I/O or system error.\n"
    "Example:\n"
    "  tmkit build article.de.txt article.en.txt -o article.tmx --report spelling.txt\n";

/* The bilingual dictionaries the aligner read, for the summary. */
struct bidict_note {
    const char *path[16];
    size_t pairs[16], n;
    char *copies[16];
};

static void on_bidict(const char *path, size_t pairs, void *ud)
{
    struct bidict_note *d = ud;
    if (d->n < 16) {
        d->copies[d->n] = strdup(path); /* the library's path is borrowed */
        d->path[d->n] = d->copies[d->n] ? d->copies[d->n] : "(a dictionary)";
        d->pairs[d->n++] = pairs;
    }
}

/* A file name as a shell word: as it is when it is safe, else in single
 * quotes ('\'' for a quote inside). */
static void put_shell_word(FILE *f, const char *s)
{
    if (*s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                        "-_./+,:@%") == strlen(s)) {
        fputs(s, f);
        return;
    }
    putc('\'', f);
    for (; *s; s++)
        if (*s == '\'')
            fputs("'\\''", f);
        else
            putc(*s, f);
    putc('\'', f);
}

/* Where a segment came from. */
struct seginfo {
    size_t store_off;          /* its text in side.store (which may move while it grows) */
    size_t text_off;           /* byte offset of its first character in side.text */
    unsigned long line, col;   /* position of that character in the file */
};

/* One side of the job: its text and its segments. */
struct side {
    const char *path, *lang, *encoding;
    tmk_buf text;
    tmk_text *segs;            /* point into `store` once segmenting is done */
    struct seginfo *info;
    unsigned long *para;       /* paragraph number of each segment, for the aligner */
    size_t nsegs, cap;
    tmk_buf store;             /* the segments' text, one after another */
};

static int add_segment(const tmk_segment *seg, void *ud)
{
    struct side *s = ud;
    if (s->nsegs == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        tmk_text *segs = realloc(s->segs, cap * sizeof *segs);
        if (segs)
            s->segs = segs;
        struct seginfo *info = realloc(s->info, cap * sizeof *info);
        if (info)
            s->info = info;
        unsigned long *para = realloc(s->para, cap * sizeof *para);
        if (para)
            s->para = para;
        if (!segs || !info || !para)
            return TMK_ENOMEM;
        s->cap = cap;
    }
    struct seginfo *in = &s->info[s->nsegs];
    in->store_off = s->store.len;
    in->text_off = seg->offset;
    in->line = seg->line;
    in->col = seg->col;
    s->para[s->nsegs] = seg->para;
    s->segs[s->nsegs].len = seg->len;
    if (tmk_buf_add(&s->store, seg->text, seg->len) < 0 || tmk_buf_addch(&s->store, '\0') < 0)
        return TMK_ENOMEM;
    s->nsegs++;
    return 0;
}

static int segment_side(struct side *s, const char *srx, enum tmk_paragraph_mode mode, int quiet)
{
    tmk_error err = TMK_ERROR_INIT;
    err.file = srx ? srx : s->path;
    tmk_segmenter *sg = tmk_segmenter_new(s->lang, srx, &err);
    if (!sg)
        return cli_report(&err);
    err.file = s->path;
    tmk_segmenter_set_paragraph_mode(sg, mode);
    int rc = tmk_seg_feed(sg, s->text.data, s->text.len, add_segment, s, &err);
    if (rc == TMK_OK)
        rc = tmk_seg_finish(sg, add_segment, s, &err);
    if (rc == TMK_OK && mode == TMK_PARA_AUTO && !quiet)
        cli_note_wrapped(s->path, tmk_segmenter_wrap_width(sg));
    tmk_segmenter_free(sg);
    if (rc != TMK_OK) {
        if (rc == TMK_ENOMEM && !err.msg[0])
            tmk_error_set(&err, TMK_ENOMEM, 0, 0, "out of memory");
        return cli_report(&err);
    }
    for (size_t i = 0; i < s->nsegs; i++)
        s->segs[i].s = s->store.data + s->info[i].store_off;
    return 0;
}

static void side_release(struct side *s)
{
    tmk_buf_release(&s->text);
    tmk_buf_release(&s->store);
    free(s->segs);
    free(s->info);
    free(s->para);
}

/* The line and column in the file of the character at column segcol
 * (1-based, characters) of segment i.  A segment can span lines (a
 * soft-wrapped paragraph) and its text has single spaces where the file has
 * line breaks, so count the characters that are not white space. */
static void file_pos(const struct side *s, size_t i, unsigned long segcol, unsigned long *line,
                     unsigned long *col)
{
    const char *t = s->segs[i].s;
    size_t tl = s->segs[i].len, p = 0, k = 0, adv;
    for (unsigned long c = 1; p < tl && c < segcol; c++, p += adv)
        if (!tmk_uc_is_space(tmk_utf8_decode(t + p, tl - p, &adv)))
            k++;
    unsigned long ln = s->info[i].line, cl = s->info[i].col;
    const char *x = s->text.data + s->info[i].text_off, *end = s->text.data + s->text.len;
    for (; x < end; x += adv) {
        int32_t cp = tmk_utf8_decode(x, (size_t)(end - x), &adv);
        if (!tmk_uc_is_space(cp) && k-- == 0)
            break;
        if (cp == '\n') {
            ln++;
            cl = 1;
        } else
            cl++;
    }
    *line = ln;
    *col = cl;
}

/* Flagged words of the source, per segment. */
struct spell_state {
    tmk_buf *words;      /* per segment: flagged words separated by ", " */
    size_t *nwords;
    size_t total;
    FILE *report;
    enum report_fmt fmt;
    const struct side *src;
};

/* Called in segment order (tmk_spell_texts keeps the order whatever the
 * number of workers). */
static int on_hit(size_t i, const tmk_spell_hit *h, void *ud)
{
    struct spell_state *st = ud;
    if (st->words[i].len && tmk_buf_adds(&st->words[i], " ") < 0)
        return TMK_ENOMEM;
    if (tmk_buf_adds(&st->words[i], h->word) < 0)
        return TMK_ENOMEM;
    st->nwords[i]++;
    st->total++;
    if (st->report) {
        unsigned long line, col;
        file_pos(st->src, i, h->col, &line, &col);
        report_hit(st->report, st->fmt, st->src->path, line, col, h);
    }
    return 0;
}

static void progress(int on, const char *stage)
{
    if (on)
        fprintf(stderr, "\rtmkit: %-40s", stage);
}

static char *default_output(const char *src)
{
    const char *base = strrchr(src, '/');
    base = base ? base + 1 : src;
    if (!strcmp(src, "-"))
        base = "memory";
    size_t n = strlen(base);
    const char *dot = strrchr(base, '.');
    if (dot && dot != base)
        n = (size_t)(dot - base);
    char *out = malloc(n + 5);
    if (out)
        snprintf(out, n + 5, "%.*s.tmx", (int)n, base);
    return out;
}

/* Where in the file the first character XML 1.0 forbids is, in segments
 * first .. first + n - 1 of side s: 1 with *line and *col, or 0. */
static int forbidden_at(const struct side *s, size_t first, size_t n, unsigned long *line,
                        unsigned long *col)
{
    if (!n)
        return 0;
    size_t from = s->info[first].text_off;
    size_t to = first + n < s->nsegs ? s->info[first + n].text_off : s->text.len;
    unsigned long ln = s->info[first].line, cl = s->info[first].col;
    size_t adv;
    for (size_t p = from; p < to; p += adv) {
        int32_t cp = tmk_utf8_decode(s->text.data + p, to - p, &adv);
        if (!adv)
            break;
        int ok = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
                 (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
        if (!ok) {
            *line = ln;
            *col = cl;
            return 1;
        }
        if (cp == '\n') {
            ln++;
            cl = 1;
        } else
            cl++;
    }
    return 0;
}

/* The unit being written, for the writer's warnings. */
struct warn_ctx {
    const struct side *src, *tgt;
    const tmk_bead *bd;
    int nth; /* warnings about this unit so far */
};

/* A warning of the TMX writer, at the place in the files it is about: the
 * writer drops characters XML 1.0 forbids, one warning per segment that had
 * any (source first), so the n-th warning of a unit is about the n-th side
 * of it that has one; anything else is shown at the unit's source. */
static void warn_tmx(size_t tu, const char *msg, void *ud)
{
    struct warn_ctx *c = ud;
    const struct side *sides[2] = {c->src, c->tgt};
    size_t first[2] = {c->bd->src, c->bd->tgt}, n[2] = {c->bd->nsrc, c->bd->ntgt};
    unsigned long line = 0, col = 0;
    int k, seen = 0;
    for (k = 0; k < 2; k++)
        if (forbidden_at(sides[k], first[k], n[k], &line, &col) && seen++ == c->nth)
            break;
    if (k == 2) {
        k = c->bd->nsrc ? 0 : 1;
        line = sides[k]->info[first[k]].line;
        col = sides[k]->info[first[k]].col;
    }
    c->nth++;
    fprintf(stderr, "tmkit: %s:%lu:%lu: warning: translation unit %zu: %s\n", sides[k]->path, line,
            col, tu + 1, msg);
}

int cmd_build(int argc, char **argv)
{
    static const struct option opts[] = {
        {"source-lang", required_argument, NULL, 's'},
        {"target-lang", required_argument, NULL, 't'},
        {"output", required_argument, NULL, 'o'},
        {"report", required_argument, NULL, 'R'},
        {"report-format", required_argument, NULL, 'F'},
        {"encoding", required_argument, NULL, 'e'},
        {"ref-encoding", required_argument, NULL, 'E'},
        {"dictionary", required_argument, NULL, 'd'},
        {"personal", required_argument, NULL, 'P'},
        {"no-spell", no_argument, NULL, 'N'},
        {"no-stem", no_argument, NULL, 'X'},
        {"no-wordlists", no_argument, NULL, 'W'},
        {"dict", required_argument, NULL, 'D'},
        {"min-score", required_argument, NULL, 'm'},
        {"srx", required_argument, NULL, 'x'},
        {"paragraphs", required_argument, NULL, 'G'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct side src = {0}, tgt = {0};
    const char *report_fmt = NULL;
    enum report_fmt st_fmt = REPORT_TEXT;
    const char *out_path = NULL, *report_path = NULL, *srx = NULL, *enc = NULL, *ref_enc = NULL;
    const char *dicts[16], *bidicts[16], *personal[16];
    size_t ndicts = 0, nbidicts = 0, npersonal = 0;
    double min_score = 0;
    enum tmk_paragraph_mode para_mode = TMK_PARA_AUTO;
    int quiet = 0, no_spell = 0, no_wordlists = 0, no_stem = 0, c;
    src.lang = "de-DE";
    tgt.lang = "en-US";
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":s:t:o:e:d:qh", opts, NULL)) != -1) {
        switch (c) {
        case 's': src.lang = optarg; break;
        case 't': tgt.lang = optarg; break;
        case 'o': out_path = optarg; break;
        case 'R': report_path = optarg; break;
        case 'F': report_fmt = optarg; break;
        case 'e': enc = optarg; break;
        case 'E': ref_enc = optarg; break;
        case 'x': srx = optarg; break;
        case 'G':
            if (cli_paragraph_mode(optarg, &para_mode) < 0)
                return cli_usage_error(argv[0], "--paragraphs must be auto, line, wrapped or "
                                       "blank, not '%s'", optarg);
            break;
        case 'q': quiet = 1; break;
        case 'N': no_spell = 1; break;
        case 'X': no_stem = 1; break;
        case 'W': no_wordlists = 1; break;
        case 'd':
            if (ndicts == 16)
                return cli_usage_error(argv[0], "at most 16 dictionaries");
            dicts[ndicts++] = optarg;
            break;
        case 'P':
            if (npersonal == 16)
                return cli_usage_error(argv[0], "at most 16 personal word lists");
            personal[npersonal++] = optarg;
            break;
        case 'D':
            if (nbidicts == 16)
                return cli_usage_error(argv[0], "at most 16 bilingual dictionaries");
            bidicts[nbidicts++] = optarg;
            break;
        case 'm': {
            char *end;
            min_score = strtod(optarg, &end);
            if (*end || end == optarg || !(min_score >= 0 && min_score <= 1))
                return cli_usage_error(argv[0], "--min-score takes a number from 0 to 1, not '%s'",
                                       optarg);
            break;
        }
        case 'h': fputs(usage_text, stdout); return TMK_EXIT_OK;
        case ':': return cli_usage_error(argv[0], "option '%s' needs a value", argv[optind - 1]);
        default:
            if (optopt > 0 && optopt < 128)
                return cli_usage_error(argv[0], "unknown option '-%c'", optopt);
            return cli_usage_error(argv[0], "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (report_path && report_format(report_path, report_fmt, &st_fmt) < 0)
        return cli_usage_error(argv[0], "unknown report format '%s'; use text, csv, json or html",
                               report_fmt);
    if (argc - optind != 2)
        return cli_usage_error(argv[0], "give two files: the text and its translation");
    src.path = argv[optind];
    tgt.path = argv[optind + 1];
    if (!strcmp(src.path, "-") && !strcmp(tgt.path, "-"))
        return cli_usage_error(argv[0], "only one of the two files can be standard input");
    src.encoding = enc;
    tgt.encoding = ref_enc ? ref_enc : enc;
    int bad_lang = cli_check_lang(argv[0], src.lang);
    if (bad_lang || (bad_lang = cli_check_lang(argv[0], tgt.lang)))
        return bad_lang;

    int rc = 0;
    char *def_out = NULL;
    tmk_speller *sp = NULL;
    tmk_outfile *mem = NULL, *rep = NULL;
    tmk_bead *beads = NULL;
    size_t nbeads = 0;
    struct spell_state st = {0};
    struct bidict_note bidict = {{0}, {0}, 0, {0}};
    tmk_buf srcjoin = TMK_BUF_INIT, tgtjoin = TMK_BUF_INIT, score = TMK_BUF_INIT;
    tmk_error err = TMK_ERROR_INIT;
    tmk_tmx_writer *w = NULL;
    int show = !quiet && cli_stderr_is_tty();

    if (!out_path) {
        def_out = default_output(src.path);
        if (!def_out) {
            cli_errorf("out of memory");
            return TMK_EXIT_IO;
        }
        out_path = def_out;
    }
    /* An output must not replace an input or the other output. */
    /* "-" as an output is standard output, the file /dev/stdout names */
    const char *out_cmp = strcmp(out_path, "-") ? out_path : "/dev/stdout";
    if (report_path && cli_same_file(out_cmp, strcmp(report_path, "-") ? report_path : "/dev/stdout")) {
        rc = cli_usage_error(argv[0], "the memory and the --report go to the same %s; give "
                             "them different names",
                             strcmp(out_path, "-") ? "file" : "standard output");
        goto done;
    }
    const char *outs[2] = {out_path, report_path}, *ins[3 + 3 * 16];
    size_t nins = 0;
    ins[nins++] = src.path;
    ins[nins++] = tgt.path;
    if (srx)
        ins[nins++] = srx;
    for (size_t k = 0; k < npersonal; k++)
        ins[nins++] = personal[k];
    for (size_t k = 0; k < nbidicts; k++)
        ins[nins++] = bidicts[k];
    for (size_t k = 0; k < ndicts; k++)
        ins[nins++] = dicts[k]; /* a Hunspell dictionary given as a path */
    for (int o = 0; o < 2; o++)
        for (size_t i = 0; i < nins && outs[o]; i++)
            if (strcmp(ins[i], "-") && cli_same_file(outs[o], ins[i])) {
                rc = cli_usage_error(argv[0], "'%s' is an input file; writing the %s there would "
                                     "replace it: choose another name%s",
                                     ins[i], o ? "report" : "memory",
                                     o ? "" : " with -o");
                goto done;
            }
    /* Open the outputs first: a wrong path is reported before any work.  They
     * are temporary files until the end, so nothing is clobbered on failure. */
    mem = tmk_outfile_open(out_path, &err);
    if (!mem) {
        rc = cli_report(&err);
        goto done;
    }
    if (report_path) {
        rep = tmk_outfile_open(report_path, &err);
        if (!rep) {
            rc = cli_report(&err);
            goto done;
        }
    }
    if ((rc = cli_read_text_as(src.path, src.encoding, src.lang, &src.text)) ||
        (rc = cli_read_text_as(tgt.path, tgt.encoding, tgt.lang, &tgt.text)))
        goto done;
    show = show && src.text.len + tgt.text.len > 256 * 1024;

    /* 1. sentences */
    progress(show, "splitting into sentences...");
    if ((rc = segment_side(&src, srx, para_mode, quiet)) ||
        (rc = segment_side(&tgt, srx, para_mode, quiet)))
        goto done;
    if (!src.nsegs || !tgt.nsegs) {
        cli_errorf("%s: no text to build a memory from (the file is empty or only white space)",
                   !src.nsegs ? src.path : tgt.path);
        rc = TMK_EXIT_INPUT;
        goto done;
    }

    /* 2. spell-check the source */
    st.words = calloc(src.nsegs, sizeof *st.words);
    st.nwords = calloc(src.nsegs, sizeof *st.nwords);
    if (!st.words || !st.nwords) {
        cli_errorf("out of memory");
        rc = TMK_EXIT_IO;
        goto done;
    }
    st.src = &src;
    if (rep) {
        st.report = tmk_outfile_stream(rep);
        st.fmt = st_fmt;
        report_begin(st.report, st.fmt);
    }
    if (!no_spell) {
        progress(show, "spell-checking...");
        tmk_spell_options so = {0};
        so.lang = src.lang;
        so.dicts = dicts;
        so.ndicts = ndicts;
        so.wordlists = personal;
        so.nwordlists = npersonal;
        so.no_project_wordlists = no_wordlists;
        err.file = NULL;
        sp = tmk_speller_new(&so, &err);
        if (!sp) {
            rc = cli_report(&err);
            if (err.code != TMK_ENOMEM)
                cli_errorf("to build the memory without a spell-check, add --no-spell");
            goto done;
        }
        const char **texts = malloc(src.nsegs * sizeof *texts);
        size_t *lens = malloc(src.nsegs * sizeof *lens);
        if (!texts || !lens) {
            free(texts);
            free(lens);
            cli_errorf("out of memory");
            rc = TMK_EXIT_IO;
            goto done;
        }
        for (size_t i = 0; i < src.nsegs; i++) {
            texts[i] = src.segs[i].s;
            lens[i] = src.segs[i].len;
        }
        err.file = src.path;
        int src_rc = tmk_spell_texts(sp, texts, lens, src.nsegs, report_path != NULL, 0, on_hit,
                                     &st, &err);
        free(texts);
        free(lens);
        if (src_rc < 0) {
            rc = cli_report(&err);
            goto done;
        }
    }

    /* 3. align */
    progress(show, "aligning sentences...");
    tmk_align_options ao = {0};
    ao.src_lang = src.lang;
    ao.tgt_lang = tgt.lang;
    ao.dicts = bidicts;
    ao.ndicts = nbidicts;
    ao.on_dict = on_bidict;
    ao.ud = &bidict;
    ao.src_para = src.para; /* sentences pair within paragraphs (headings stay alone) */
    ao.tgt_para = tgt.para;
    ao.dictdir = getenv("TMKIT_DICTDIR"); /* the library reads no environment */
    if (!no_stem) {
        /* the spell-checker's dictionaries stem the source; the aligner
         * loads the target language's */
        ao.flags |= TMK_ALIGN_STEM;
        ao.src_stemmer = sp;
    }
    err.file = NULL;
    if (tmk_align(src.segs, src.nsegs, tgt.segs, tgt.nsegs, &ao, &beads, &nbeads, &err) < 0) {
        rc = cli_report(&err);
        goto done;
    }

    /* 4. write the memory (errors name the output, not a file of an earlier stage) */
    progress(show, "writing the memory...");
    err.file = out_path;
    tmk_tmx_header h = {0};
    h.srclang = src.lang;
    h.creationdate = -1;
    w = tmk_tmx_writer_new(tmk_outfile_stream(mem), &h, &err);
    if (!w) {
        rc = cli_report(&err);
        goto done;
    }
    struct warn_ctx wctx = {&src, &tgt, NULL, 0};
    tmk_tmx_writer_on_warning(w, warn_tmx, &wctx);
    size_t written = 0, kept_out = 0, one_sided = 0, weak = 0;
    size_t kinds[5][5] = {{0}}, other_kinds = 0;
    for (size_t b = 0; b < nbeads; b++) {
        const tmk_bead *bd = &beads[b];
        if (bd->nsrc < 5 && bd->ntgt < 5)
            kinds[bd->nsrc][bd->ntgt]++;
        else
            other_kinds++;
        if (!bd->nsrc || !bd->ntgt) {
            one_sided++;
            continue;
        }
        if (bd->score < min_score) {
            kept_out++;
            continue;
        }
        if (bd->score < CLI_WEAK_SCORE)
            weak++;
        tmk_buf_reset(&srcjoin);
        tmk_buf_reset(&tgtjoin);
        tmk_buf_reset(&score);
        tmk_buf spellw = TMK_BUF_INIT;
        int nomem = 0;
        for (size_t k = 0; k < bd->nsrc; k++) {
            const tmk_text *t = &src.segs[bd->src + k];
            nomem |= (k && tmk_buf_addch(&srcjoin, ' ') < 0) || tmk_buf_add(&srcjoin, t->s, t->len) < 0;
            const tmk_buf *sw = &st.words[bd->src + k];
            if (sw->len) {
                nomem |= (spellw.len && tmk_buf_addch(&spellw, ' ') < 0) ||
                         tmk_buf_add(&spellw, sw->data, sw->len) < 0;
            }
        }
        for (size_t k = 0; k < bd->ntgt; k++) {
            const tmk_text *t = &tgt.segs[bd->tgt + k];
            nomem |= (k && tmk_buf_addch(&tgtjoin, ' ') < 0) || tmk_buf_add(&tgtjoin, t->s, t->len) < 0;
        }
        nomem |= tmk_buf_printf(&score, "%.3f", bd->score) < 0;
        if (nomem) {
            tmk_buf_release(&spellw);
            cli_errorf("out of memory");
            rc = TMK_EXIT_IO;
            goto done;
        }
        tmk_tmx_prop props[2] = {{.type = "x-alignment-score", .value = score.data},
                                 {.type = "x-spell-errors", .value = spellw.data}};
        tmk_tuv tuvs[2] = {{0}};
        tuvs[0].lang = src.lang;
        tuvs[0].seg = srcjoin.data;
        tuvs[0].seg_len = srcjoin.len;
        tuvs[0].props = spellw.len ? &props[1] : NULL;
        tuvs[0].nprops = spellw.len ? 1 : 0;
        tuvs[1].lang = tgt.lang;
        tuvs[1].seg = tgtjoin.data;
        tuvs[1].seg_len = tgtjoin.len;
        tmk_tu tu = {0};
        tu.props = props;
        tu.nprops = 1;
        tu.tuvs = tuvs;
        tu.ntuvs = 2;
        wctx.bd = bd;
        wctx.nth = 0;
        int wrc = tmk_tmx_writer_add(w, &tu, &err);
        tmk_buf_release(&spellw);
        if (wrc < 0) {
            rc = cli_report(&err);
            goto done;
        }
        written++;
    }
    if (tmk_tmx_writer_finish(w, &err) < 0) {
        rc = cli_report(&err);
        goto done;
    }
    if (rep)
        report_end(tmk_outfile_stream(rep), st.fmt, st.total);
    /* the report's write errors first: a failed report must not leave a replaced memory */
    if (rep && (fflush(tmk_outfile_stream(rep)) != 0 || ferror(tmk_outfile_stream(rep)))) {
        err.file = report_path;
        tmk_error_set(&err, TMK_EIO, 0, 0, "cannot write: %s", strerror(errno));
        rc = cli_report(&err);
        goto done;
    }
    tmk_outfile *m = mem;
    mem = NULL;
    if (tmk_outfile_commit(m, &err) < 0) {
        rc = cli_report(&err);
        goto done;
    }
    if (rep) {
        tmk_outfile *r = rep;
        rep = NULL;
        if (tmk_outfile_commit(r, &err) < 0) {
            rc = cli_report(&err);
            goto done;
        }
    }
    progress(show, "");
    if (show)
        fputc('\r', stderr);

    /* 5. summary */
    if (!quiet) {
        fprintf(stderr, "tmkit: built %s\n", strcmp(out_path, "-") ? out_path : "(standard output)");
        fprintf(stderr, "  source     %-6s %6zu segments  %s\n", src.lang, src.nsegs, src.path);
        fprintf(stderr, "  reference  %-6s %6zu segments  %s\n", tgt.lang, tgt.nsegs, tgt.path);
        fprintf(stderr, "  translation units written: %zu\n", written);
        fprintf(stderr, "  beads:");
        static const int order[][2] = {{1, 1}, {1, 2}, {2, 1}, {2, 2}, {1, 0}, {0, 1}};
        for (size_t k = 0; k < sizeof order / sizeof *order; k++)
            fprintf(stderr, " %d-%d %zu%s", order[k][0], order[k][1], kinds[order[k][0]][order[k][1]],
                    k + 1 < sizeof order / sizeof *order ? "," : "");
        size_t more = other_kinds;
        for (int a = 0; a < 5; a++)
            for (int bb = 0; bb < 5; bb++)
                if ((a > 2 || bb > 2) && !(a == 0 || bb == 0))
                    more += kinds[a][bb];
        if (more)
            fprintf(stderr, ", larger %zu", more);
        fputc('\n', stderr);
        if (one_sided)
            fprintf(stderr, "  left out, no counterpart on the other side: %zu bead%s\n", one_sided,
                    one_sided == 1 ? "" : "s");
        if (min_score > 0)
            fprintf(stderr, "  kept out, alignment confidence below %.2f: %zu\n", min_score, kept_out);
        for (size_t k = 0; k < bidict.n; k++)
            fprintf(stderr, "  bilingual dictionary: %s (%zu word pairs for this text)\n",
                    bidict.path[k], bidict.pairs[k]);
        if (!bidict.n)
            fprintf(stderr, "  bilingual dictionary: none installed for %s to %s "
                            "(give one with --dict)\n", src.lang, tgt.lang);
        fprintf(stderr, "  weak pairs in the memory, alignment confidence below %.2f: %zu\n",
                CLI_WEAK_SCORE, weak);
        if (weak) {
            /* the same alignment, side by side, weak pairs marked */
            fputs("    review them: tmkit align --src ", stderr);
            put_shell_word(stderr, src.path);
            fputs(" --tgt ", stderr);
            put_shell_word(stderr, tgt.path);
            fputs(" -s ", stderr);
            put_shell_word(stderr, src.lang);
            fputs(" -t ", stderr);
            put_shell_word(stderr, tgt.lang);
            for (size_t k = 0; k < nbidicts; k++) {
                fputs(" --dict ", stderr);
                put_shell_word(stderr, bidicts[k]);
            }
            if (enc) {
                fputs(" -e ", stderr);
                put_shell_word(stderr, enc);
            }
            if (ref_enc) {
                fputs(" --tgt-encoding ", stderr);
                put_shell_word(stderr, ref_enc);
            }
            fprintf(stderr, "%s -f html -o review.html\n", no_stem ? " --no-stem" : "");
        }
        if (no_spell)
            fprintf(stderr, "  spell-check: skipped\n");
        else
            fprintf(stderr, "  flagged words: %zu%s%s%s\n", st.total, report_path ? " (report: " : "",
                    report_path ? report_path : "", report_path ? ")" : "");
    }

done:
    if (mem)
        tmk_outfile_abort(mem);
    if (rep)
        tmk_outfile_abort(rep);
    tmk_tmx_writer_free(w);
    tmk_speller_free(sp);
    if (st.words)
        for (size_t i = 0; i < src.nsegs; i++)
            tmk_buf_release(&st.words[i]);
    free(st.words);
    free(st.nwords);
    free(beads);
    tmk_buf_release(&srcjoin);
    tmk_buf_release(&tgtjoin);
    tmk_buf_release(&score);
    side_release(&src);
    side_release(&tgt);
    free(def_out);
    for (size_t k = 0; k < bidict.n; k++)
        free(bidict.copies[k]);
    return rc;
}
