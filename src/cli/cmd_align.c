/* cmd_align.c -- tmkit align: pair the sentences of a text with those of
 * its translation and write the pairs as TMX, TSV, beads or HTML. */
#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

#define TRY(x)                                                                 \
    do {                                                                       \
        int try_rc_ = (x);                                                     \
        if (try_rc_ < 0)                                                       \
            return try_rc_;                                                    \
    } while (0)

static const char usage_text[] =
    "Usage: tmkit align --src FILE --tgt FILE [options]\n"
    "\n"
    "Align the sentences of a text (--src) with those of its translation (--tgt).\n"
    "\n"
    "Options:\n"
    "  --src FILE         the source text ('-' = standard input)\n"
    "  --tgt FILE         the translation\n"
    "  -s, --src-lang L   source language (default de-DE)\n"
    "  -t, --tgt-lang L   target language (default en-US)\n"
    "      --srx FILE     split both texts with the rules of this SRX 2.0 file\n"
    "                     (its language maps pick the rules of -s and -t)\n"
    "                     instead of the built-in ones, as build and segment do\n"
    "      --segmented    the files hold one segment per line, as given\n"
    "                     (otherwise they are split into sentences first); a\n"
    "                     file with blank lines between its segments ('segment\n"
    "                     --paragraph-breaks') has its paragraphs marked so;\n"
    "                     otherwise a line that does not end as a sentence (a\n"
    "                     heading) is a paragraph of its own, as in the text\n"
    "      --paragraphs=MODE  how lines make paragraphs; a bead never spans a\n"
    "                     paragraph boundary when both texts have about as\n"
    "                     many paragraphs.  Without --segmented: auto (default:\n"
    "                     wrapped when a file looks hard-wrapped, with a note,\n"
    "                     else line), line (every line), wrapped (lines cut at\n"
    "                     a fixed width are joined) or blank (blank lines\n"
    "                     separate paragraphs).  With --segmented: blank (blank\n"
    "                     lines separate paragraphs and are not segments; beads\n"
    "                     then count the other lines only; the default for a\n"
    "                     file with blank lines between segments) or none/line\n"
    "                     (every line is a segment)\n"
    "      --dict FILE    a bilingual dictionary (DICT .index, Ding, hunalign\n"
    "                     'target @ source' or 'source<TAB>target' lines);\n"
    "                     may be repeated.  Without it an installed dictionary\n"
    "                     for the language pair is used when one is found\n"
    "      --no-dict      use no dictionary\n"
    "      --no-stem      match dictionary words only as written; by default\n"
    "                     the Hunspell dictionary of each language (when one\n"
    "                     is installed) gives the stems of inflected forms\n"
    "      --min-score X  leave pairs with a confidence below X (0..1) out of\n"
    "                     tmx and tsv output\n"
    "  -f, --format F     tmx (default), tsv, sheet, beads or html\n"
    "  -o, --output FILE  write there instead of standard output\n"
    "  -e, --encoding E   input encoding (default: byte-order mark, else UTF-8)\n"
    "      --tgt-encoding E  encoding of --tgt when it differs (default: as -e)\n"
    "      --keep-formatting  tmx: a document's bold, italic, underline, links,\n"
    "                     super- and subscript become <bpt>/<ept> tags\n"
    "  -q, --quiet        no messages except errors\n"
    "  -h, --help         show this help\n"
    "\n"
    "Formats:\n"
    "  tmx    TMX 1.4b; each pair is a <tu> with <prop type=\"x-alignment-score\">;\n"
    "         segments without a counterpart are not written\n"
    "  tsv    source TAB target TAB score TAB bead (2-1, 1-0, ...), one bead per\n"
    "         line, tab/newline/backslash written as \\t \\n \\\\; quotes are text\n"
    "         ('tmkit convert FILE.tsv -s S -t T' reads it back)\n"
    "  sheet  the same for a spreadsheet: a first row with the languages and\n"
    "         column names, a text that starts with \" in quotes (\"\" inside);\n"
    "         after review 'tmkit convert --from sheet FILE.tsv' reads it back\n"
    "  beads  [0, 1]:[0] per line: 0-based segment numbers of each bead\n"
    "  html   both texts side by side, coloured by confidence, for review\n";

enum fmt { FMT_TMX, FMT_TSV, FMT_SHEET, FMT_BEADS, FMT_HTML };

/* Below this confidence a pair is marked for review in HTML (on the
 * benchmark's documents, pairs below it are wrong several times as often
 * as those above). */
#define LOW_SCORE 0.7

struct segs {
    tmk_buf text;      /* decoded file, or the joined segments */
    tmk_align_text *v;
    size_t n, cap;
    unsigned long *para; /* when split by the segmenter: paragraph of each */
    tmk_build_seglist *list; /* when split by the segmenter: the segments' text */
    struct cli_fmt fmt;      /* --keep-formatting: the document's formatting */
};

static int segs_push(struct segs *s, const char *p, size_t len)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        tmk_align_text *v = realloc(s->v, cap * sizeof *v);
        if (!v)
            return TMK_ENOMEM;
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n].s = p;
    s->v[s->n].len = len;
    s->n++;
    return 0;
}

static void segs_free(struct segs *s)
{
    tmk_buf_release(&s->text);
    free(s->v);
    free(s->para);
    tmk_build_seglist_free(s->list);
    cli_fmt_release(&s->fmt);
}

/* One segment per line: every line counts, also empty ones, so that the
 * numbers in the beads output are line numbers - 1.  With blank_para,
 * blank lines are not segments but separate paragraphs (numbers in the
 * beads output then count the other lines only). */
static int split_lines(struct segs *s, int blank_para)
{
    const char *p = s->text.data, *end = p + s->text.len;
    unsigned long para = 0;
    int gap = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        size_t len = (size_t)(le - p);
        /* trailing spaces are not part of the segment */
        while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
            len--;
        if (blank_para && !len) {
            gap = 1;
            p = le + 1;
            continue;
        }
        if (blank_para) {
            if (gap && s->n)
                para++;
            gap = 0;
            if (s->n == s->cap) {
                /* segs_push grows v to cap; keep para as large */
                unsigned long *pa = realloc(s->para, (s->cap ? s->cap * 2 : 256) * sizeof *pa);
                if (!pa)
                    return TMK_ENOMEM;
                s->para = pa;
            }
            s->para[s->n] = para;
        }
        TRY(segs_push(s, p, len));
        p = le + 1;
    }
    return 0;
}

/* Whether a text has a blank line (or one of spaces) between two lines
 * that are not: what `tmkit segment --paragraph-breaks` writes between
 * paragraphs.  Blank lines only at the start or the end do not count. */
static int has_blank_gap(const tmk_buf *t)
{
    const char *p = t->data, *end = p + t->len;
    int text = 0, gap = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *q = p;
        while (q < le && (*q == ' ' || *q == '\t' || *q == '\r'))
            q++;
        if (q == le) {
            gap = text;
        } else {
            if (gap)
                return 1;
            text = 1;
        }
        p = le + 1;
    }
    return 0;
}

/* The segmenter's segments: the library collects them (tmk_build_seglist,
 * as build does); s points into the list, which it keeps. */
static int segment_text(struct segs *s, const char *lang, const char *srx, const char *file,
                        enum tmk_segment_paragraph_mode mode, int quiet)
{
    tmk_error err = TMK_ERROR_INIT;
    tmk_error_set_file(&err, file);
    int rc = tmk_build_seglist_new(&s->list, s->text.data, s->text.len, lang, srx, cli_data_dir(),
                                   mode, &err);
    if (rc < 0) {
        if (!err.code)
            tmk_error_set(&err, rc, 0, 0, "cannot split the text into sentences");
        return cli_report(&err);
    }
    if (mode == TMK_PARA_AUTO && !quiet)
        cli_note_wrapped(file, s->list->wrap);
    free(s->v);
    free(s->para);
    s->v = s->list->segs;
    s->n = s->cap = s->list->n;
    s->para = s->list->para;
    s->list->segs = NULL; /* s owns them now */
    s->list->para = NULL;
    return 0;
}

/* Append the segments of one side of a bead, joined with a space. */
static int join(tmk_buf *b, const struct segs *s, size_t first, size_t n)
{
    tmk_buf_reset(b);
    for (size_t i = 0; i < n; i++) {
        if (i)
            TRY(tmk_buf_addch(b, ' '));
        TRY(tmk_buf_add(b, s->v[first + i].s, s->v[first + i].len));
    }
    return 0;
}

static int put_tsv_field(FILE *f, const tmk_buf *b, tmk_buf *tmp, int sheet)
{
    tmk_buf_reset(tmp);
    TRY(cli_tsv_field(tmp, b->data, b->len, sheet));
    fwrite(tmp->data, 1, tmp->len, f);
    return 0;
}

static void put_indices(FILE *f, size_t first, size_t n)
{
    putc('[', f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, i ? ", %zu" : "%zu", first + i);
    putc(']', f);
}

static void put_html_text(FILE *f, const struct segs *s, size_t first, size_t n)
{
    tmk_buf b = TMK_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        tmk_buf_reset(&b);
        if (tmk_buf_add_xml(&b, s->v[first + i].s, s->v[first + i].len) < 0)
            break;
        fprintf(f, "<p><span class=n>%zu</span> %s</p>", first + i + 1, b.data);
    }
    tmk_buf_release(&b);
}

static const char html_head[] =
    "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n<title>tmkit alignment</title>\n"
    "<style>\n"
    "body{font-family:sans-serif;margin:1em}table{border-collapse:collapse;width:100%}\n"
    "td{vertical-align:top;padding:.3em .5em;border-bottom:1px solid #ccc;width:45%}\n"
    "td.s{width:10%;text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
    "p{margin:.1em 0}.n{color:#888;font-size:.8em}\n"
    "tr.gap td{background:#eee;font-style:italic}tr.low td.s{font-weight:bold;color:#b00}\n"
    ".legend span{padding:.2em .6em;margin-right:.5em}\n"
    "</style></head><body>\n";

static void html_colour(double c, char out[32])
{
    /* red (0) through yellow to green (1), light */
    int hue = (int)(c * 120.0 + 0.5);
    snprintf(out, 32, "hsl(%d,70%%,88%%)", hue);
}

struct dictnote {
    int quiet;
    tmk_align_stats stats; /* the aligner's figures of the two texts */
};

/* The test-only tuning string of tmk_align_options from $TMKIT_ALIGN_TUNE,
 * ..._TUNE2, ..._TUNE3, ..._TUNE4 (dev-set tuning runs); NULL when none is
 * set.  The caller frees it. */
static char *tuning_from_env(void)
{
    static const char *const names[] = {"TMKIT_ALIGN_TUNE", "TMKIT_ALIGN_TUNE2",
                                        "TMKIT_ALIGN_TUNE3", "TMKIT_ALIGN_TUNE4"};
    size_t len = 0;
    int any = 0;
    for (size_t k = 0; k < 4; k++) {
        const char *e = getenv(names[k]);
        if (e && *e && !strchr(e, ';')) {
            len += strlen(e);
            any = 1;
        }
    }
    if (!any)
        return NULL;
    char *t = malloc(len + 4);
    if (!t)
        return NULL;
    t[0] = 0;
    for (size_t k = 0; k < 4; k++) {
        const char *e = getenv(names[k]);
        if (k)
            strcat(t, ";");
        if (e && *e && !strchr(e, ';'))
            strcat(t, e);
    }
    return t;
}

static int on_dict(void *ud, const tmk_align_dict_use *use)
{
    struct dictnote *d = ud;
    if (!d->quiet)
        fprintf(stderr, "tmkit align: using dictionary %s (%zu word pairs for this text)\n",
                use->path, use->pairs);
    return 0;
}

static int on_stats(void *ud, const tmk_align_stats *st)
{
    struct dictnote *d = ud;
    d->stats = *st;
    return 0;
}

static int on_tmx_warning(void *ud, const tmk_tmx_warning *wn)
{
    size_t tu = wn->tu_index;
    const char *msg = wn->msg;
    (void)ud;
    fprintf(stderr, "tmkit align: unit %zu: %s\n", tu + 1, msg);
    return 0;
}

struct unit_sink {
    tmk_tmx_writer *w;
    tmk_error *err;
    const struct segs *side[2];
};

/* segment i of a side, with its place in the text read */
static int side_seg(void *ud, int side, size_t i, const char **s, size_t *len, size_t *off)
{
    const struct segs *g = ((const struct unit_sink *)ud)->side[side];
    if (i >= g->n)
        return TMK_EINVAL;
    *s = g->v[i].s;
    *len = g->v[i].len;
    if (g->list && i < g->list->n)
        *off = g->list->info[i].offset;
    else if (g->v[i].s >= g->text.data && g->v[i].s <= g->text.data + g->text.len)
        *off = (size_t)(g->v[i].s - g->text.data);
    else
        return TMK_EINVAL;
    return TMK_OK;
}

static int write_unit(void *ud, const tmk_build_unit *u)
{
    struct unit_sink *k = ud;
    if (!k->side[0]->fmt.n && !k->side[1]->fmt.n)
        return tmk_tmx_writer_add(k->w, u->tu, k->err);
    const struct cli_fmt *fmt[2] = {&k->side[0]->fmt, &k->side[1]->fmt};
    tmk_tmx_tu tu;
    tmk_tmx_tuv tuvs[2];
    tmk_buf bufs[2] = {TMK_BUF_INIT, TMK_BUF_INIT};
    int rc = cli_fmt_unit(u->tu, u->bead, fmt, side_seg, k, &tu, tuvs, bufs);
    if (rc < 0)
        rc = tmk_error_set(k->err, rc, 0, 0, "out of memory");
    else
        rc = tmk_tmx_writer_add(k->w, &tu, k->err);
    tmk_buf_release(&bufs[0]);
    tmk_buf_release(&bufs[1]);
    return rc;
}

static int write_tmx(FILE *f, const struct segs *S, const struct segs *T, const tmk_align_bead *b,
                     size_t nb, double min, const char *sl, const char *tl, size_t *dropped,
                     tmk_error *err)
{
    char *csl = NULL, *ctl = NULL;
    if (sl && tmk_lang_canonical(&csl, sl, err) < 0)
        return TMK_ENOMEM;
    if (tl && tmk_lang_canonical(&ctl, tl, err) < 0) {
        tmk_free(csl);
        return TMK_ENOMEM;
    }
    tmk_tmx_header h;
    memset(&h, 0, sizeof h);
    h.srclang = csl ? csl : sl;
    h.creationdate = -1;
    int rc = 0;
    tmk_tmx_write_options wo = TMK_TMX_WRITE_OPTIONS_INIT;
    wo.creation_time = cli_creation_time();
    wo.file = f;
    tmk_tmx_writer *w;
    if ((rc = tmk_tmx_writer_new(&w, &wo, &h, NULL, on_tmx_warning, NULL, err)) < 0)
        goto out;
    /* beads -> units: the library's one way (as tmkit build writes them) */
    tmk_build_figures fig;
    memset(&fig, 0, sizeof fig);
    struct unit_sink sink = {w, err, {S, T}};
    rc = tmk_build_units(S->v, T->v, b, nb, csl ? csl : sl, ctl ? ctl : tl, NULL, min, 0,
                         write_unit, &sink, &fig, err);
    *dropped += fig.kept_out;
    if (rc == 0)
        rc = tmk_tmx_writer_finish(w, err);
    tmk_tmx_writer_free(w);
out:
    free(csl);
    free(ctl);
    return rc;
}

static int write_out(FILE *f, enum fmt fmt, const struct segs *S, const struct segs *T,
                     const tmk_align_bead *b, size_t nb, double min, size_t *dropped)
{
    tmk_buf a = TMK_BUF_INIT, c = TMK_BUF_INIT, tmp = TMK_BUF_INIT;
    int rc = 0;
    if (fmt == FMT_HTML) {
        size_t low = 0, gaps = 0;
        for (size_t i = 0; i < nb; i++) {
            if (!b[i].nsrc || !b[i].ntgt)
                gaps++;
            else if (b[i].score < LOW_SCORE)
                low++;
        }
        fputs(html_head, f);
        fprintf(f,
                "<h1>Alignment for review</h1>\n<p>%zu source and %zu target segments in %zu "
                "pairs; %zu without a counterpart (grey), %zu with a confidence below %.1f (score in "
                "bold red). Background: confidence from red (0) to green (1).</p>\n",
                S->n, T->n, nb, gaps, low, LOW_SCORE);
        fputs("<table>\n<tr><th>source</th><th>target</th><th>score</th></tr>\n", f);
    }
    for (size_t i = 0; i < nb && rc == 0; i++) {
        const tmk_align_bead *x = &b[i];
        switch (fmt) {
        case FMT_BEADS:
            put_indices(f, x->src, x->nsrc);
            putc(':', f);
            put_indices(f, x->tgt, x->ntgt);
            putc('\n', f);
            break;
        case FMT_TSV:
        case FMT_SHEET:
            if (x->score < min) { /* one-sided rows too: they score low */
                (*dropped)++;
                break;
            }
            if ((rc = join(&a, S, x->src, x->nsrc)) < 0 || (rc = join(&c, T, x->tgt, x->ntgt)) < 0)
                break;
            if ((rc = put_tsv_field(f, &a, &tmp, fmt == FMT_SHEET)) < 0)
                break;
            putc('\t', f);
            if ((rc = put_tsv_field(f, &c, &tmp, fmt == FMT_SHEET)) < 0)
                break;
            fprintf(f, "\t%.3f\t%zu-%zu\n", x->score, x->nsrc, x->ntgt);
            break;
        case FMT_HTML: {
            char col[32];
            int gap = !x->nsrc || !x->ntgt, low = !gap && x->score < LOW_SCORE;
            html_colour(gap ? 0 : x->score, col);
            fprintf(f, "<tr%s id=b%zu>", gap ? " class=gap" : low ? " class=low" : "", i + 1);
            fprintf(f, "<td style=\"background:%s\">", gap ? "#eee" : col);
            put_html_text(f, S, x->src, x->nsrc);
            fprintf(f, "</td><td style=\"background:%s\">", gap ? "#eee" : col);
            put_html_text(f, T, x->tgt, x->ntgt);
            if (gap)
                fprintf(f, "</td><td class=s>%s</td></tr>\n",
                        x->nsrc ? "no translation" : "not in source");
            else
                fprintf(f, "</td><td class=s>%s%.2f<br><span class=n>%zu-%zu</span></td></tr>\n",
                        low ? "&#9888; " : "", x->score, x->nsrc, x->ntgt);
            break;
        }
        case FMT_TMX:
            break;
        }
    }
    if (fmt == FMT_HTML)
        fputs("</table>\n</body></html>\n", f);
    tmk_buf_release(&a);
    tmk_buf_release(&c);
    tmk_buf_release(&tmp);
    return rc;
}

struct align_args {
    const char *cmd, *src, *tgt, *sl, *tl, *out, *enc, *tenc, *srx;
    int segmented, nodict, quiet, blank_para, nostem, keep_fmt, help;
    enum tmk_segment_paragraph_mode para_mode;
    const char *para_name;
    double min;
    enum fmt fmt;
    const char **dicts; /* --dict FILE..., nd of them */
    size_t nd;
};

/* One option of the command line into a (usage errors say so). */
static int take_option(struct align_args *a, int c, char **argv)
{
    switch (c) {
    case 'S': a->src = optarg; break;
    case 'K': a->keep_fmt = 1; break;
    case 'x': a->srx = optarg; break;
    case 'T': a->tgt = optarg; break;
    case 's': a->sl = optarg; break;
    case 't': a->tl = optarg; break;
    case 'G': a->segmented = 1; break;
    case 'P':
        /* with --segmented: blank, or none/line (every line is a segment);
         * without: the segmenter's mode */
        a->para_name = optarg;
        if (!strcmp(optarg, "none"))
            a->para_mode = TMK_PARA_LINE;
        else if (cli_paragraph_mode(optarg, &a->para_mode) < 0)
            return cli_usage_error(a->cmd, "unknown paragraph mode '%s'; use auto, line, "
                                   "wrapped or blank (with --segmented: blank or none)",
                                   optarg);
        a->blank_para = a->para_mode == TMK_PARA_BLANK;
        break;
    case 'd': a->dicts[a->nd++] = optarg; break;
    case 'N': a->nodict = 1; break;
    case 'X': a->nostem = 1; break;
    case 'm': {
        char *end;
        a->min = strtod(optarg, &end);
        if (end == optarg || *end || !(a->min >= 0 && a->min <= 1))
            return cli_usage_error(a->cmd, "--min-score wants a number from 0 to 1, not '%s'",
                                   optarg);
        break;
    }
    case 'f':
        if (!strcmp(optarg, "tmx"))
            a->fmt = FMT_TMX;
        else if (!strcmp(optarg, "tsv"))
            a->fmt = FMT_TSV;
        else if (!strcmp(optarg, "sheet"))
            a->fmt = FMT_SHEET;
        else if (!strcmp(optarg, "beads"))
            a->fmt = FMT_BEADS;
        else if (!strcmp(optarg, "html"))
            a->fmt = FMT_HTML;
        else
            return cli_usage_error(a->cmd, "unknown format '%s'; use tmx, tsv, sheet, beads or "
                                           "html", optarg);
        break;
    case 'o': a->out = optarg; break;
    case 'e': a->enc = optarg; break;
    case 'E': a->tenc = optarg; break;
    case 'q': a->quiet = 1; break;
    case 'h':
        fputs(usage_text, stdout);
        a->help = 1;
        break;
    default:
        return cli_bad_option(a->cmd, c, argv);
    }
    return 0;
}

/* After the options: both inputs, valid languages, no output written over
 * an input or a dictionary, options that go together. */
static int check_args(const struct align_args *a)
{
    if (!a->src || !a->tgt)
        return cli_usage_error(a->cmd, "both --src FILE and --tgt FILE are needed");
    if (!strcmp(a->src, "-") && !strcmp(a->tgt, "-"))
        return cli_usage_error(a->cmd, "only one of --src and --tgt can be standard input");
    int bad_lang = cli_check_lang(a->cmd, a->sl);
    if (bad_lang || (bad_lang = cli_check_lang(a->cmd, a->tl)))
        return bad_lang;
    if (a->srx && a->segmented)
        return cli_usage_error(a->cmd, "--srx gives the rules that split a text; with "
                                       "--segmented the files are split already (leave one out)");
    for (size_t i = 0; a->out && i < a->nd; i++)
        if (cli_same_file(a->out, a->dicts[i]))
            return cli_usage_error(a->cmd, "the output '%s' would replace the dictionary '%s'; "
                                           "write it to another file", a->out, a->dicts[i]);
    if (a->out && ((strcmp(a->src, "-") && cli_same_file(a->out, a->src)) ||
                   (strcmp(a->tgt, "-") && cli_same_file(a->out, a->tgt))))
        return cli_usage_error(a->cmd, "the output '%s' would replace an input file; write it "
                                       "to another file", a->out);
    if (a->segmented && a->para_name && a->para_mode != TMK_PARA_BLANK &&
        a->para_mode != TMK_PARA_LINE && a->para_mode != TMK_PARA_LINES)
        return cli_usage_error(a->cmd, "with --segmented, --paragraphs is blank or none, not "
                                       "'%s' (every line is a segment as given)", a->para_name);
    if (a->nodict && a->nd)
        return cli_usage_error(a->cmd, "--no-dict and --dict exclude each other");
    return 0;
}

static int parse_args(struct align_args *a, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"src", required_argument, NULL, 'S'},
        {"tgt", required_argument, NULL, 'T'},
        {"src-lang", required_argument, NULL, 's'},
        {"tgt-lang", required_argument, NULL, 't'},
        {"segmented", no_argument, NULL, 'G'},
        {"srx", required_argument, NULL, 'x'},
        {"paragraphs", required_argument, NULL, 'P'},
        {"dict", required_argument, NULL, 'd'},
        {"no-dict", no_argument, NULL, 'N'},
        {"no-stem", no_argument, NULL, 'X'},
        {"min-score", required_argument, NULL, 'm'},
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"encoding", required_argument, NULL, 'e'},
        {"tgt-encoding", required_argument, NULL, 'E'},
        {"quiet", no_argument, NULL, 'q'},
        {"keep-formatting", no_argument, NULL, 'K'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    a->cmd = argv[0];
    a->sl = "de-DE";
    a->tl = "en-US";
    a->out = "-";
    a->para_mode = TMK_PARA_AUTO;
    a->fmt = FMT_TMX;
    a->dicts = calloc((size_t)argc + 1, sizeof *a->dicts);
    if (!a->dicts) {
        cli_errorf("out of memory");
        return TMK_EXIT_IO;
    }
    int c, rc;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":s:t:f:o:e:qh", longopts, NULL)) != -1)
        if ((rc = take_option(a, c, argv)) != 0 || a->help)
            return rc;
    if (optind < argc)
        return cli_usage_error(a->cmd, "unexpected argument '%s'; give the files with --src and "
                                       "--tgt", argv[optind]);
    return check_args(a);
}

/* Both texts read and cut into segments (by line with --segmented). */
static int read_segments(const struct align_args *a, struct segs *S, struct segs *T)
{
    int rc, sdoc = 0, tdoc = 0;
    if ((rc = cli_read_text_doc(a->src, a->enc, a->sl, &S->text, a->keep_fmt ? &S->fmt : NULL,
                                &sdoc)) ||
        (rc = cli_read_text_doc(a->tgt, a->tenc ? a->tenc : a->enc, a->tl, &T->text,
                                a->keep_fmt ? &T->fmt : NULL, &tdoc)))
        return rc;
    if (a->segmented) {
        /* without --paragraphs, a file with blank lines between its
         * segments has its paragraphs marked (segment --paragraph-breaks) */
        int auto_blank = !a->para_name;
        int sb = a->blank_para || (auto_blank && has_blank_gap(&S->text));
        int tb = a->blank_para || (auto_blank && has_blank_gap(&T->text));
        if (split_lines(S, sb) < 0 || split_lines(T, tb) < 0) {
            cli_errorf("out of memory");
            return TMK_EXIT_IO;
        }
        for (int i = 0; i < 2 && auto_blank && !a->quiet; i++)
            if (i ? tb : sb)
                fprintf(stderr, "tmkit align: %s: blank lines taken as paragraph breaks, not "
                                "segments (beads count the other lines; --paragraphs=none "
                                "keeps every line)\n", i ? a->tgt : a->src);
    } else if ((rc = segment_text(S, a->sl, a->srx, a->src, sdoc ? TMK_PARA_LINES : a->para_mode,
                                  a->quiet)) ||
               (rc = segment_text(T, a->tl, a->srx, a->tgt, tdoc ? TMK_PARA_LINES : a->para_mode,
                                  a->quiet)))
        return rc; /* a document's lines are its paragraphs (as build, segment) */
    if (!S->n || !T->n) {
        cli_errorf("%s: no text to align (the file is empty or only white space)",
                   !S->n ? a->src : a->tgt);
        return TMK_EXIT_INPUT;
    }
    return TMK_EXIT_OK;
}

/* The beads of the two texts (tmk_align_run with the options and the
 * environment the program takes: TMKIT_DICTDIR, the stemmers' DICPATH). */
static int align_segments(const struct align_args *a, const struct segs *S,
                          const struct segs *T, tmk_align_bead **beads, size_t *nb)
{
    struct dictnote note;
    memset(&note, 0, sizeof note);
    note.quiet = a->quiet;
    tmk_align_options opt = TMK_ALIGN_OPTIONS_INIT;
    opt.src_lang = a->sl;
    opt.tgt_lang = a->tl;
    opt.dicts = a->nd ? a->dicts : NULL;
    opt.ndicts = a->nd;
    opt.flags = a->nodict ? TMK_ALIGN_NO_DICT : 0;
    opt.on_dict = on_dict;
    opt.on_stats = on_stats;
    opt.ud = &note;
    opt.src_para = S->para;
    opt.tgt_para = T->para;
    opt.dictdir = getenv("TMKIT_DICTDIR");
    tmk_spell_options so = TMK_SPELL_OPTIONS_INIT;
    cli_spell_env(&so); /* the stemmers' dictionaries: DICPATH, HOME */
    opt.spell_dict_path = so.dict_path;
    opt.spell_home_dir = so.home_dir;
    opt.data_dir = so.data_dir; /* TMKIT_DATADIR */
    char *tuning = tuning_from_env();
    opt.tuning = tuning;
    if (!a->nostem)
        opt.flags |= TMK_ALIGN_STEM;
    if (a->segmented && (!S->para || !T->para)) /* a side without blank-line paragraphs */
        opt.flags |= TMK_ALIGN_GUESS_PARAGRAPHS; /* as the splitter would have them */
    tmk_error err = TMK_ERROR_INIT;
    int arc = tmk_align_run(S->v, S->n, T->v, T->n, &opt, beads, nb, &err);
    free(tuning);
    if (arc < 0) {
        int rc = cli_report(&err);
        if (err.code == TMK_ENOTFOUND && a->nd)
            fputs("tmkit align: check the --dict path, or run without a dictionary "
                  "(--no-dict)\n",
                  stderr);
        else if (err.code == TMK_ENOTFOUND)
            fputs("tmkit align: the installed dictionary is incomplete (reinstall its "
                  "package), or run without a dictionary (--no-dict)\n",
                  stderr);
        return rc;
    }
    if (!a->nd && !a->nodict && !a->quiet) {
        char *p = NULL;
        if (tmk_align_find_dict(&p, a->sl, a->tl, getenv("TMKIT_DICTDIR"), NULL) == TMK_ENOTFOUND)
            fprintf(stderr, "tmkit align: no dictionary installed for %s-%s; aligning without "
                            "one (give one with --dict)\n", a->sl, a->tl);
        tmk_free(p);
    }
    if (!a->quiet) /* the output is written all the same: a warning */
        cli_warn_unrelated("tmkit align", a->src, a->tgt, &note.stats);
    return TMK_EXIT_OK;
}

/* The beads in the format asked for, to the output file (replaced whole or
 * not at all), and how many pairs --min-score left out. */
static int write_result(const struct align_args *a, const struct segs *S, const struct segs *T,
                        const tmk_align_bead *beads, size_t nb)
{
    tmk_error err = TMK_ERROR_INIT;
    tmk_error_set_file(&err, a->out);
    cli_outfile *of = cli_outfile_open(a->out, &err);
    if (!of)
        return cli_report(&err);
    FILE *f = cli_outfile_stream(of);
    size_t dropped = 0;
    if (a->fmt == FMT_SHEET) /* the header row: convert --from sheet takes the languages from it */
        fprintf(f, "%s\t%s\tx-alignment-score\tx-alignment-bead\n", a->sl, a->tl);
    int wr = a->fmt == FMT_TMX
                 ? write_tmx(f, S, T, beads, nb, a->min, a->sl, a->tl, &dropped, &err)
                 : write_out(f, a->fmt, S, T, beads, nb, a->min, &dropped);
    if (wr < 0) {
        cli_outfile_abort(of);
        if (!err.code)
            tmk_error_set(&err, wr, 0, 0, "cannot write the output");
        tmk_error_set_file(&err, a->out);
        return cli_report(&err);
    }
    if (cli_outfile_commit(of, &err) < 0) {
        tmk_error_set_file(&err, a->out);
        return cli_report(&err);
    }
    if (dropped && !a->quiet)
        fprintf(stderr, "tmkit align: %zu pair%s with a score below %g left out\n", dropped,
                dropped == 1 ? "" : "s", a->min);
    return TMK_EXIT_OK;
}

int cmd_align(int argc, char **argv)
{
    struct align_args a;
    memset(&a, 0, sizeof a);
    int rc = parse_args(&a, argc, argv);
    if (rc != 0 || a.help) {
        free(a.dicts);
        return rc;
    }
    struct segs S, T;
    memset(&S, 0, sizeof S);
    memset(&T, 0, sizeof T);
    tmk_buf_init(&S.text);
    tmk_buf_init(&T.text);
    tmk_align_bead *beads = NULL;
    size_t nb = 0;
    if ((rc = read_segments(&a, &S, &T)) == 0 &&
        (rc = align_segments(&a, &S, &T, &beads, &nb)) == 0)
        rc = write_result(&a, &S, &T, beads, nb);
    free(beads);
    free(a.dicts);
    segs_free(&S);
    segs_free(&T);
    return rc;
}
