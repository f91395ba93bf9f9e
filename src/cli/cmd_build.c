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
#include "xliff_cli.h"
#include "report.h"
#include "build_cli.h"

static const char usage_text[] =
    "Usage: tmkit build SOURCE REFERENCE [OPTIONS]\n"
    "       tmkit build --pairs LIST [OPTIONS]\n"
    "       tmkit build FOLDER_A FOLDER_B [OPTIONS]\n"
    "\n"
    "Build a translation memory from a text (SOURCE) and its translation\n"
    "(REFERENCE): both are decoded, split into sentences, the source is\n"
    "spell-checked, the sentences are aligned, and the pairs are written as\n"
    "TMX 1.4b translation units.  A summary goes to standard error.\n"
    "One XLIFF file instead (tmkit build JOB.xlf): its translated segments become\n"
    "the units, --status draft|translated|approved the lowest status kept\n"
    "(tmkit build --from xliff --help).\n"
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
    "      --keep-formatting    documents: bold, italic, underline, links, super- and\n"
    "                           subscript become <bpt>/<ept> tags in the memory\n"
    "                           (default: plain text)\n"
    "      --paragraphs=MODE    auto (default): wrapped when a file looks hard-wrapped\n"
    "                           (a note says so), else line; line: every line is a\n"
    "                           paragraph; wrapped: lines cut at a fixed width are\n"
    "                           joined; blank: blank lines separate paragraphs\n"
    "      --pairs LIST         build from many pairs: one SOURCE<TAB>REFERENCE a\n"
    "                           line (names relative to LIST's folder; # comments)\n"
    "      --each               with many pairs: one memory per pair, in the folder -o\n"
    "  -j, --jobs N             with many pairs: build N pairs at a time (default: all\n"
    "                           processors); the memory is the same whatever N\n"
    "      --strict             with many pairs: stop at the first pair that fails and\n"
    "                           write nothing (default: report it and go on)\n"
    "  -q, --quiet              no summary and no progress\n"
    "  -h, --help               show this help\n"
    "\n"
    "Two folders are matched by file name: the same path inside both, or the same\n"
    "name apart from a language part (report.de.docx and report.en.docx).\n"
    "\n"
    "Exit codes: 0 done, 1 some pairs of a batch failed (the memory has the\n"
    "others), 2 usage error, 3 bad input, 4 I/O or system error.\n"
    "Example:\n"
    "  tmkit build article.de.txt article.en.txt -o article.tmx --report spelling.txt\n";

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

void build_cli_options(const struct build_cli *c, tmk_build_options *o)
{
    o->src_lang = c->src_lang;
    o->tgt_lang = c->tgt_lang;
    o->srx = c->srx;
    o->para_mode = c->para_mode;
    o->no_spell = c->no_spell;
    o->dicts = c->dicts;
    o->ndicts = c->ndicts;
    o->wordlists = c->personal;
    o->nwordlists = c->npersonal;
    o->no_project_wordlists = c->no_wordlists;
    o->bidicts = c->bidicts;
    o->nbidicts = c->nbidicts;
    o->no_stem = c->no_stem;
    o->min_score = c->min_score;
    o->weak_score = CLI_WEAK_SCORE;
    tmk_spell_options so = TMK_SPELL_OPTIONS_INIT;
    cli_spell_env(&so); /* DICPATH, HOME */
    o->dict_path = so.dict_path;
    o->home_dir = so.home_dir;
    o->data_dir = so.data_dir;  /* TMKIT_DATADIR */
    o->temp_dir = so.temp_dir;  /* TMPDIR */
    o->align_dictdir = getenv("TMKIT_DICTDIR");
}

char *build_default_output(const char *src)
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

/* Where in the text the first character XML 1.0 forbids is, in segments
 * first .. first + n - 1 of a side: 1 with *line and *col, or 0. */
static int forbidden_at(const tmk_build_result *r, int side, size_t first, size_t n,
                        unsigned long *line, unsigned long *col)
{
    tmk_build_seg a, b;
    if (!n || tmk_build_result_seg(r, side, first, &a) < 0)
        return 0;
    size_t tlen;
    const char *text = tmk_build_result_text(r, side, &tlen);
    size_t from = a.offset;
    size_t to = tmk_build_result_seg(r, side, first + n, &b) == 0 ? b.offset : tlen;
    unsigned long ln = a.line, cl = a.col;
    size_t adv;
    for (size_t p = from; p < to; p += adv) {
        int32_t cp = tmk_utf8_decode(text + p, to - p, &adv);
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

/* A warning of the TMX writer, at the place in the files it is about: the
 * writer drops characters XML 1.0 forbids, one warning per segment that had
 * any (source first), so the n-th warning of a unit is about the n-th side
 * of it that has one; anything else is shown at the unit's source. */
int build_warn_tmx(void *ud, const tmk_tmx_warning *wn)
{
    size_t tu = wn->tu_index;
    const char *msg = wn->msg;
    struct build_warn *c = ud;
    const char *paths[2] = {c->src_path, c->tgt_path};
    size_t first[2] = {c->bd->src, c->bd->tgt}, n[2] = {c->bd->nsrc, c->bd->ntgt};
    unsigned long line = 0, col = 0;
    int k, seen = 0;
    for (k = 0; k < 2; k++)
        if (forbidden_at(c->r, k, first[k], n[k], &line, &col) && seen++ == c->nth)
            break;
    if (k == 2) {
        k = c->bd->nsrc ? 0 : 1;
        tmk_build_seg s = {0};
        tmk_build_result_seg(c->r, k, first[k], &s);
        line = s.line;
        col = s.col;
    }
    c->nth++;
    fprintf(stderr, "tmkit: %s:%lu:%lu: warning: translation unit %zu: %s\n", paths[k], line, col,
            tu + 1, msg);
    return 0;
}

void build_figures_add(tmk_build_figures *a, const tmk_build_figures *b)
{
    a->src_segs += b->src_segs;
    a->tgt_segs += b->tgt_segs;
    a->units += b->units;
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 5; j++)
            a->kinds[i][j] += b->kinds[i][j];
    a->other_kinds += b->other_kinds;
    a->one_sided += b->one_sided;
    a->kept_out += b->kept_out;
    a->weak += b->weak;
    a->flagged += b->flagged;
}

void build_print_beads(FILE *f, const tmk_build_figures *fig)
{
    fprintf(f, "  beads:");
    static const int order[][2] = {{1, 1}, {1, 2}, {2, 1}, {2, 2}, {1, 0}, {0, 1}};
    for (size_t k = 0; k < sizeof order / sizeof *order; k++)
        fprintf(f, " %d-%d %zu%s", order[k][0], order[k][1], fig->kinds[order[k][0]][order[k][1]],
                k + 1 < sizeof order / sizeof *order ? "," : "");
    size_t more = fig->other_kinds;
    for (int a = 0; a < 5; a++)
        for (int bb = 0; bb < 5; bb++)
            if ((a > 2 || bb > 2) && !(a == 0 || bb == 0))
                more += fig->kinds[a][bb];
    if (more)
        fprintf(f, ", larger %zu", more);
    fputc('\n', f);
    if (fig->one_sided)
        fprintf(f, "  left out, no counterpart on the other side: %zu bead%s\n", fig->one_sided,
                fig->one_sided == 1 ? "" : "s");
}

int build_report_failure(const struct build_cli *c, const tmk_build_result *r,
                         const tmk_error *err)
{
    int rc = cli_report(err);
    if (r && tmk_build_result_stage(r) == TMK_BUILD_SPELLER && err->code != TMK_ENOMEM)
        cli_errorf("to build the memory without a spell-check, add --no-spell");
    (void)c;
    return rc;
}

/* One pair's spell report, written as the words are found. */
struct report_ctx {
    FILE *f;
    enum report_fmt fmt;
    const char *path;
};

static int on_hit(void *ud, const tmk_build_hit *h)
{
    struct report_ctx *rc = ud;
    report_hit(rc->f, rc->fmt, rc->path, h->line, h->col, h->hit);
    return 0;
}

static int result_seg(void *ud, int side, size_t i, const char **s, size_t *len, size_t *off)
{
    tmk_build_seg g;
    if (tmk_build_result_seg(ud, side, i, &g) < 0)
        return TMK_EINVAL;
    *s = g.s;
    *len = g.len;
    *off = g.offset;
    return TMK_OK;
}

int build_write_unit(void *ud, const tmk_build_unit *u)
{
    struct build_write *x = ud;
    x->warn->bd = u->bead;
    x->warn->nth = 0;
    if (!x->r || (!x->fmt[0] && !x->fmt[1]))
        return tmk_tmx_writer_add(x->w, u->tu, x->err);
    tmk_tmx_tu tu;
    tmk_tmx_tuv tuvs[2];
    tmk_buf bufs[2] = {TMK_BUF_INIT, TMK_BUF_INIT};
    int rc = cli_fmt_unit(u->tu, u->bead, x->fmt, result_seg, (void *)x->r, &tu, tuvs, bufs);
    if (rc < 0)
        rc = tmk_error_set(x->err, rc, 0, 0, "out of memory");
    else
        rc = tmk_tmx_writer_add(x->w, &tu, x->err);
    tmk_buf_release(&bufs[0]);
    tmk_buf_release(&bufs[1]);
    return rc;
}

static void progress(int on, const char *stage)
{
    if (on)
        fprintf(stderr, "\rtmkit: %-40s", stage);
}

/* The summary of one pair's build. */
static void print_summary(const struct build_cli *c, const char *out_path, const char *src_path,
                          const char *tgt_path, const tmk_build_result *res)
{
    const tmk_build_figures *fig = tmk_build_result_figures(res);
    const char *report_path = c->report_path;
    fprintf(stderr, "tmkit: built %s\n", strcmp(out_path, "-") ? out_path : "(standard output)");
    fprintf(stderr, "  source     %-6s %6zu segments  %s\n", c->src_lang, fig->src_segs, src_path);
    fprintf(stderr, "  reference  %-6s %6zu segments  %s\n", c->tgt_lang, fig->tgt_segs, tgt_path);
    fprintf(stderr, "  translation units written: %zu\n", fig->units);
    build_print_beads(stderr, fig);
    if (c->min_score > 0)
        fprintf(stderr, "  kept out, alignment confidence below %.2f: %zu\n", c->min_score,
                fig->kept_out);
    const char *dpath;
    size_t dpairs, k;
    for (k = 0; tmk_build_result_dict(res, k, &dpath, &dpairs) == 0; k++)
        fprintf(stderr, "  bilingual dictionary: %s (%zu word pairs for this text)\n", dpath,
                dpairs);
    if (!k)
        fprintf(stderr, "  bilingual dictionary: none installed for %s to %s "
                        "(give one with --dict)\n", c->src_lang, c->tgt_lang);
    fprintf(stderr, "  weak pairs in the memory, alignment confidence below %.2f: %zu\n",
            CLI_WEAK_SCORE, fig->weak);
    if (fig->weak) {
        /* the same alignment, side by side, weak pairs marked */
        fputs("    review them: tmkit align --src ", stderr);
        put_shell_word(stderr, src_path);
        fputs(" --tgt ", stderr);
        put_shell_word(stderr, tgt_path);
        fputs(" -s ", stderr);
        put_shell_word(stderr, c->src_lang);
        fputs(" -t ", stderr);
        put_shell_word(stderr, c->tgt_lang);
        for (size_t j = 0; j < c->nbidicts; j++) {
            fputs(" --dict ", stderr);
            put_shell_word(stderr, c->bidicts[j]);
        }
        if (c->enc) {
            fputs(" -e ", stderr);
            put_shell_word(stderr, c->enc);
        }
        if (c->ref_enc) {
            fputs(" --tgt-encoding ", stderr);
            put_shell_word(stderr, c->ref_enc);
        }
        /* the segments of the memory: the same rules and paragraphs */
        if (c->srx) {
            fputs(" --srx ", stderr);
            put_shell_word(stderr, c->srx);
        }
        if (c->para_mode != TMK_PARA_AUTO)
            fprintf(stderr, " --paragraphs=%s", cli_paragraph_mode_name(c->para_mode));
        fprintf(stderr, "%s -f html -o review.html\n", c->no_stem ? " --no-stem" : "");
    }
    if (c->no_spell)
        fprintf(stderr, "  spell-check: skipped\n");
    else
        fprintf(stderr, "  flagged words: %zu%s%s%s\n", fig->flagged,
                report_path ? " (report: " : "", report_path ? report_path : "",
                report_path ? ")" : "");
}

/* A usage error (its exit code) when an output would replace an input or
 * the other output; else 0. */
static int outputs_clobber(const struct build_cli *c, const char *out_path, const char *report_path,
                           const char *src_path, const char *tgt_path)
{
    /* "-" as an output is standard output, the file /dev/stdout names */
    const char *out_cmp = strcmp(out_path, "-") ? out_path : "/dev/stdout";
    if (report_path &&
        cli_same_file(out_cmp, strcmp(report_path, "-") ? report_path : "/dev/stdout")) {
        return cli_usage_error(c->cmd,
                               "the memory and the --report go to the same %s; give "
                               "them different names",
                               strcmp(out_path, "-") ? "file" : "standard output");
    }
    const char *outs[2] = {out_path, report_path}, *ins[3 + 3 * 16];
    size_t nins = 0;
    ins[nins++] = src_path;
    ins[nins++] = tgt_path;
    if (c->srx)
        ins[nins++] = c->srx;
    for (size_t k = 0; k < c->npersonal; k++)
        ins[nins++] = c->personal[k];
    for (size_t k = 0; k < c->nbidicts; k++)
        ins[nins++] = c->bidicts[k];
    for (size_t k = 0; k < c->ndicts; k++)
        ins[nins++] = c->dicts[k]; /* a Hunspell dictionary given as a path */
    for (int o = 0; o < 2; o++)
        for (size_t i = 0; i < nins && outs[o]; i++)
            if (strcmp(ins[i], "-") && cli_same_file(outs[o], ins[i]))
                return cli_usage_error(c->cmd, "'%s' is an input file; writing the %s there "
                                       "would replace it: choose another name%s",
                                       ins[i], o ? "report" : "memory", o ? "" : " with -o");
    return 0;
}

/* Write the memory of res to mem (errors name the output, not a file of
 * an earlier stage); 0, or the exit code of the error reported. */
static int write_memory(const struct build_cli *c, cli_outfile *mem, const char *out_path,
                        const char *src_path, const char *tgt_path, tmk_build_result *res,
                        struct cli_fmt fmt[2], tmk_error *err)
{
    tmk_error_set_file(err, out_path);
    tmk_tmx_header h = {0};
    h.srclang = c->src_lang;
    h.creationdate = -1;
    struct build_warn wctx = {res, src_path, tgt_path, NULL, 0};
    tmk_tmx_write_options wo = TMK_TMX_WRITE_OPTIONS_INIT;
    wo.creation_time = cli_creation_time();
    wo.file = cli_outfile_stream(mem);
    tmk_tmx_writer *w = NULL;
    if (tmk_tmx_writer_new(&w, &wo, &h, NULL, build_warn_tmx, &wctx, err) < 0)
        return cli_report(err);
    struct build_write xc = {w, &wctx, err, res, {NULL, NULL}};
    if (c->keep_fmt)
        xc.fmt[0] = &fmt[0], xc.fmt[1] = &fmt[1];
    int rc = 0;
    if (tmk_build_result_units(res, build_write_unit, &xc, err) < 0 ||
        tmk_tmx_writer_finish(w, err) < 0) {
        tmk_error_set_file(err, out_path);
        rc = cli_report(err);
    }
    tmk_tmx_writer_free(w);
    return rc;
}

/* One pair: SOURCE REFERENCE. */
static int build_one(const struct build_cli *c, const char *src_path, const char *tgt_path)
{
    enum report_fmt st_fmt = REPORT_TEXT;
    const char *out_path = c->out_path, *report_path = c->report_path;
    if (report_path && report_format(report_path, c->report_fmt, &st_fmt) < 0)
        return cli_usage_error(c->cmd, "unknown report format '%s'; use text, csv, json or html",
                               c->report_fmt);
    if (!strcmp(src_path, "-") && !strcmp(tgt_path, "-"))
        return cli_usage_error(c->cmd, "only one of the two files can be standard input");

    int rc = 0;
    char *def_out = NULL;
    tmk_builder *b = NULL;
    tmk_build_result *res = NULL;
    cli_outfile *mem = NULL, *rep = NULL;
    tmk_buf src_text = TMK_BUF_INIT, tgt_text = TMK_BUF_INIT;
    struct cli_fmt fmt[2];
    memset(fmt, 0, sizeof fmt);
    tmk_error err = TMK_ERROR_INIT;
    int show = !c->quiet && cli_stderr_is_tty();
    struct report_ctx rctx = {NULL, st_fmt, src_path};

    if (!out_path) {
        def_out = build_default_output(src_path);
        if (!def_out) {
            cli_errorf("out of memory");
            return TMK_EXIT_IO;
        }
        out_path = def_out;
    }
    if ((rc = outputs_clobber(c, out_path, report_path, src_path, tgt_path)) != 0)
        goto done;
    /* Open the outputs first: a wrong path is reported before any work.  They
     * are temporary files until the end, so nothing is clobbered on failure. */
    mem = cli_outfile_open(out_path, &err);
    if (!mem) {
        rc = cli_report(&err);
        goto done;
    }
    if (report_path) {
        rep = cli_outfile_open(report_path, &err);
        if (!rep) {
            rc = cli_report(&err);
            goto done;
        }
    }
    int src_doc = 0, tgt_doc = 0;
    if ((rc = cli_read_text_doc(src_path, c->enc, c->src_lang, &src_text,
                                c->keep_fmt ? &fmt[0] : NULL, &src_doc)) ||
        (rc = cli_read_text_doc(tgt_path, c->ref_enc ? c->ref_enc : c->enc, c->tgt_lang,
                                &tgt_text, c->keep_fmt ? &fmt[1] : NULL, &tgt_doc)))
        goto done;
    show = show && src_text.len + tgt_text.len > 256 * 1024;

    /* segment, spell-check, align: the library's pipeline */
    tmk_build_options bo = TMK_BUILD_OPTIONS_INIT;
    build_cli_options(c, &bo);
    bo.doc_sides = (src_doc ? TMK_BUILD_SRC_DOC : 0) | (tgt_doc ? TMK_BUILD_TGT_DOC : 0);
    if (rep) {
        rctx.f = cli_outfile_stream(rep);
        report_begin(rctx.f, st_fmt);
        bo.suggest = 1;
        bo.on_hit = on_hit;
        bo.ud = &rctx;
    }
    if (tmk_builder_new(&b, &bo, &err) < 0) {
        rc = cli_report(&err);
        goto done;
    }
    progress(show, "splitting, spell-checking, aligning...");
    int brc = tmk_builder_run(b, src_text.data, src_text.len, tgt_text.data, tgt_text.len,
                              src_path, tgt_path, &res, &err);
    if (res && c->para_mode == TMK_PARA_AUTO && !c->quiet) {
        enum tmk_build_stage stage = tmk_build_result_stage(res);
        const tmk_build_figures *fig = tmk_build_result_figures(res);
        if (stage == TMK_BUILD_DONE || stage > TMK_BUILD_SEGMENT_SRC)
            cli_note_wrapped(src_path, fig->src_wrap);
        if (stage == TMK_BUILD_DONE || stage > TMK_BUILD_SEGMENT_TGT)
            cli_note_wrapped(tgt_path, fig->tgt_wrap);
    }
    if (brc < 0) {
        rc = build_report_failure(c, res, &err);
        goto done;
    }
    const tmk_build_figures *fig = tmk_build_result_figures(res);

    progress(show, "writing the memory...");
    if ((rc = write_memory(c, mem, out_path, src_path, tgt_path, res, fmt, &err)) != 0)
        goto done;
    if (rep)
        report_end(cli_outfile_stream(rep), st_fmt, fig->flagged);
    /* the report's write errors first: a failed report must not leave a replaced memory */
    if (rep && (fflush(cli_outfile_stream(rep)) != 0 || ferror(cli_outfile_stream(rep)))) {
        tmk_error_set_file(&err, report_path);
        tmk_error_set(&err, TMK_EIO, 0, 0, "cannot write: %s", strerror(errno));
        rc = cli_report(&err);
        goto done;
    }
    cli_outfile *m = mem;
    mem = NULL;
    if (cli_outfile_commit(m, &err) < 0) {
        rc = cli_report(&err);
        goto done;
    }
    if (rep) {
        cli_outfile *r = rep;
        rep = NULL;
        if (cli_outfile_commit(r, &err) < 0) {
            rc = cli_report(&err);
            goto done;
        }
    }
    progress(show, "");
    if (show)
        fputc('\r', stderr);

    if (!c->quiet)
        print_summary(c, out_path, src_path, tgt_path, res);
    /* the memory is written: a warning, also under -q (no summary) */
    cli_warn_unrelated("tmkit", src_path, tgt_path, &tmk_build_result_figures(res)->align);

done:
    if (mem)
        cli_outfile_abort(mem);
    if (rep)
        cli_outfile_abort(rep);
    tmk_build_result_free(res);
    tmk_builder_free(b);
    tmk_buf_release(&src_text);
    tmk_buf_release(&tgt_text);
    cli_fmt_release(&fmt[0]);
    cli_fmt_release(&fmt[1]);
    free(def_out);
    return rc;
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
        {"keep-formatting", no_argument, NULL, 'K'},
        {"pairs", required_argument, NULL, 'L'},
        {"each", no_argument, NULL, 'H'},
        {"jobs", required_argument, NULL, 'j'},
        {"strict", no_argument, NULL, 'S'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    if (xliffcli_wants(argc, argv))
        return xliffcli_build(argc, argv);
    struct build_cli c;
    memset(&c, 0, sizeof c);
    c.cmd = argv[0];
    c.src_lang = "de-DE";
    c.tgt_lang = "en-US";
    c.para_mode = TMK_PARA_AUTO;
    int o, jobs_given = 0;
    optind = 1;
    opterr = 0;
    while ((o = getopt_long(argc, argv, ":s:t:o:e:d:j:qh", opts, NULL)) != -1) {
        switch (o) {
        case 's': c.src_lang = optarg; break;
        case 't': c.tgt_lang = optarg; break;
        case 'o': c.out_path = optarg; break;
        case 'R': c.report_path = optarg; break;
        case 'F': c.report_fmt = optarg; break;
        case 'e': c.enc = optarg; break;
        case 'E': c.ref_enc = optarg; break;
        case 'x': c.srx = optarg; break;
        case 'G':
            if (cli_paragraph_mode(optarg, &c.para_mode) < 0)
                return cli_usage_error(argv[0], "--paragraphs must be auto, line, wrapped or "
                                       "blank, not '%s'", optarg);
            break;
        case 'q': c.quiet = 1; break;
        case 'N': c.no_spell = 1; break;
        case 'X': c.no_stem = 1; break;
        case 'K': c.keep_fmt = 1; break;
        case 'W': c.no_wordlists = 1; break;
        case 'L': c.pairs_list = optarg; break;
        case 'H': c.each = 1; break;
        case 'S': c.strict = 1; break;
        case 'j': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || end == optarg || v < 1 || v > 256)
                return cli_usage_error(argv[0], "--jobs takes a number from 1 to 256, not '%s'",
                                       optarg);
            c.jobs = (unsigned)v;
            jobs_given = 1;
            break;
        }
        case 'd':
            if (c.ndicts == 16)
                return cli_usage_error(argv[0], "at most 16 dictionaries");
            c.dicts[c.ndicts++] = optarg;
            break;
        case 'P':
            if (c.npersonal == 16)
                return cli_usage_error(argv[0], "at most 16 personal word lists");
            c.personal[c.npersonal++] = optarg;
            break;
        case 'D':
            if (c.nbidicts == 16)
                return cli_usage_error(argv[0], "at most 16 bilingual dictionaries");
            c.bidicts[c.nbidicts++] = optarg;
            break;
        case 'm': {
            char *end;
            c.min_score = strtod(optarg, &end);
            if (*end || end == optarg || !(c.min_score >= 0 && c.min_score <= 1))
                return cli_usage_error(argv[0], "--min-score takes a number from 0 to 1, not '%s'",
                                       optarg);
            break;
        }
        case 'h': fputs(usage_text, stdout); return TMK_EXIT_OK;
        default: return cli_bad_option(argv[0], o, argv);
        }
    }
    if (c.report_path && !c.pairs_list) {
        enum report_fmt f;
        if (report_format(c.report_path, c.report_fmt, &f) < 0)
            return cli_usage_error(argv[0], "unknown report format '%s'; use text, csv, json or "
                                   "html", c.report_fmt);
    }
    int nargs = argc - optind;
    /* many pairs: a list, or two folders */
    int folders = nargs == 2 && build_is_folder(argv[optind]) && build_is_folder(argv[optind + 1]);
    if (c.pairs_list || folders)
        return build_batch(&c, nargs, argv + optind);
    if (c.each || c.strict || jobs_given)
        return cli_usage_error(argv[0], "%s works with many pairs (--pairs LIST or two "
                               "folders)", c.each ? "--each" : c.strict ? "--strict" : "--jobs");
    if (nargs != 2)
        return cli_usage_error(argv[0], "give two files: the text and its translation");
    int bad_lang = cli_check_lang(argv[0], c.src_lang);
    if (bad_lang || (bad_lang = cli_check_lang(argv[0], c.tgt_lang)))
        return bad_lang;
    return build_one(&c, argv[optind], argv[optind + 1]);
}
