/* lookup_cli.c -- helpers shared by lookup and concordance. */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "lookup_cli.h"

void lookup_open_args_init(lookup_open_args *a) { memset(a, 0, sizeof *a); }

void lookup_open_args_release(lookup_open_args *a)
{
    free(a->mem);
    memset(a, 0, sizeof *a);
}

int lookup_open_arg(lookup_open_args *a, int c, const char *v)
{
    switch (c) {
    case 'm': {
        const char **n = realloc(a->mem, (a->nmem + 1) * sizeof *n);
        if (!n)
            return -1;
        a->mem = n;
        a->mem[a->nmem++] = v;
        return 0;
    }
    case 's': a->src = v; return 0;
    case 't': a->tgt = v; return 0;
    case 'i': a->index = v; return 0;
    case 'N': a->no_index = 1; return 0;
    case 'R': a->rebuild = 1; return 0;
    default: return 0;
    }
}

static const struct option shared_longopts[] = {
    {"memory", required_argument, NULL, 'm'},
    {"source", required_argument, NULL, 's'},
    {"target", required_argument, NULL, 't'},
    {"format", required_argument, NULL, 'F'},
    {"index", required_argument, NULL, 'i'},
    {"no-index-file", no_argument, NULL, 'N'},
    {"rebuild-index", no_argument, NULL, 'R'},
    {"help", no_argument, NULL, 'h'},
};
#define NSHARED (sizeof shared_longopts / sizeof shared_longopts[0])

void lookup_getopt_init(lookup_getopt *g, const char *cmd, const char *usage,
                        const char *const *formats, const char *own_short,
                        const struct option *own_long)
{
    memset(g, 0, sizeof *g);
    g->cmd = cmd;
    g->usage = usage;
    g->formats = formats;
    lookup_open_args_init(&g->oa);
    snprintf(g->shortopts, sizeof g->shortopts, ":m:s:t:i:h%s", own_short);
    size_t n = 0;
    for (size_t i = 0; i < NSHARED; i++)
        g->longopts[n++] = shared_longopts[i];
    for (size_t i = 0; own_long[i].name && n + 1 < LOOKUP_GETOPT_MAX; i++)
        g->longopts[n++] = own_long[i];
    /* the rest is zero: the terminating entry */
    optind = 1;
    opterr = 0;
}

void lookup_getopt_release(lookup_getopt *g) { lookup_open_args_release(&g->oa); }

static int getopt_stop(lookup_getopt *g, int exitc)
{
    g->exitc = exitc;
    return LOOKUP_GETOPT_STOP;
}

static int take_format(lookup_getopt *g, const char *v)
{
    tmk_buf names = TMK_BUF_INIT;
    for (int i = 0; g->formats && g->formats[i]; i++) {
        if (!strcmp(v, g->formats[i])) {
            g->fmt = i;
            tmk_buf_release(&names);
            return 0;
        }
        tmk_buf_printf(&names, "%s%s", i == 0 ? "" : g->formats[i + 1] ? ", " : " or ",
                       g->formats[i]);
    }
    getopt_stop(g, cli_usage_error(g->cmd, "--format must be %s, not '%s'", names.data, v));
    tmk_buf_release(&names);
    return -1;
}

int lookup_getopt_next(lookup_getopt *g, int argc, char **argv)
{
    for (;;) {
        int c = getopt_long(argc, argv, g->shortopts, g->longopts, NULL);
        switch (c) {
        case 'm':
        case 's':
        case 't':
        case 'i':
        case 'N':
        case 'R':
            if (lookup_open_arg(&g->oa, c, optarg) < 0) {
                cli_errorf("out of memory");
                return getopt_stop(g, TMK_EXIT_IO);
            }
            continue;
        case 'F':
            if (take_format(g, optarg) < 0)
                return LOOKUP_GETOPT_STOP;
            continue;
        case 'h':
            fputs(g->usage, stdout);
            return getopt_stop(g, TMK_EXIT_OK);
        case '?':
        case ':':
            return getopt_stop(g, cli_bad_option(g->cmd, c, argv));
        default:
            return c;
        }
    }
}

static int on_notice(void *ud, const tmk_tm_notice *n)
{
    (void)ud;
    switch (n->kind) {
    case TMK_TM_NOTICE_INDEX_STALE:
    case TMK_TM_NOTICE_INDEX_CORRUPT:
        cli_errorf("%s", n->msg);
        break;
    case TMK_TM_NOTICE_INDEX_NOT_SAVED:
        cli_errorf("%s (-i FILE names another; --no-index-file works without one)", n->msg);
        break;
    case TMK_TM_NOTICE_UNIT_SKIPPED:
        cli_errorf("%s: %s", n->file, n->msg);
        break;
    default:
        break;
    }
    return 0;
}

int lookup_open(const lookup_open_args *a, const char *cmd, tmk_tm **tm, int min_score)
{
    *tm = NULL;
    if (!a->nmem)
        return cli_usage_error(cmd, "give a memory with -m MEMORY.tmx");
    if ((a->src == NULL) != (a->tgt == NULL))
        return cli_usage_error(cmd, "give both -s and -t, or neither (then the memory must "
                                    "have exactly two languages)");
    for (size_t i = 0; i < a->nmem; i++)
        for (size_t k = i + 1; k < a->nmem; k++)
            if (cli_same_file(a->mem[i], a->mem[k]))
                return cli_usage_error(cmd, "the memory %s is given twice", a->mem[k]);
    if (a->index)
        for (size_t i = 0; i < a->nmem; i++)
            if (cli_same_file(a->index, a->mem[i]))
                return cli_usage_error(cmd, "the index file %s is one of the memories",
                                       a->index);
    /* "-" is standard input, which the library takes as an open stream; it
     * can be read only once, so the languages cannot be guessed first */
    FILE **streams = calloc(a->nmem, sizeof *streams);
    if (!streams) {
        cli_errorf("out of memory");
        return TMK_EXIT_IO;
    }
    int any_stdin = 0;
    for (size_t i = 0; i < a->nmem; i++)
        if (!strcmp(a->mem[i], "-")) {
            streams[i] = stdin;
            any_stdin = 1;
        }
    if (any_stdin && !a->src) {
        free(streams);
        cli_errorf("a memory read from standard input needs its source and target languages "
                   "given (it cannot be read twice)");
        return TMK_EXIT_INPUT;
    }
    tmk_tm_options o = TMK_TM_OPTIONS_INIT;
    o.streams = (FILE *const *)streams;
    o.srclang = a->src;
    o.tgtlang = a->tgt;
    o.index_path = a->index;
    o.flags = (a->no_index ? 0 : TMK_TM_INDEX_FILE) | (a->rebuild ? TMK_TM_REBUILD : 0);
    if (min_score > 0 && min_score < 50)
        o.index_min_score = min_score;
    tmk_error err = TMK_ERROR_INIT;
    int rc = tmk_tm_open(tm, a->mem, a->nmem, &o, on_notice, NULL, &err);
    free(streams);
    if (rc < 0) {
        if (err.code == TMK_ENOTFOUND || err.code == TMK_EINVAL)
            err.code = TMK_ESYNTAX; /* bad input (exit 3), not a missing dictionary */
        return cli_report(&err);
    }
    return TMK_EXIT_OK;
}

/* A word of the diff: key is what is compared (for a memory text, its text
 * with the tags left out and entities decoded); [b0, b1) is where it is in
 * the memory's seg form (to show it with its tags). */
typedef struct word {
    const char *s;
    size_t n;
    size_t b0, b1;
} word;

static size_t split_words(const char *s, size_t n, word *w, size_t max)
{
    size_t k = 0, i = 0;
    while (i < n) {
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (i == n)
            break;
        size_t st = i;
        while (i < n && s[i] != ' ' && s[i] != '\t')
            i++;
        if (k < max)
            w[k] = (word){s + st, i - st, 0, 0};
        k++;
    }
    return k;
}

/* The words of a seg-form text: white space outside tags cuts; a tag
 * belongs to the word it touches, and adds nothing to its key (a word of
 * tags only has an empty key).  Keys go to keys (w[].s set at the end). */
static size_t split_seg_words(const char *s, size_t n, word *w, size_t max, tmk_buf *keys)
{
    size_t k = 0, i = 0;
    while (i < n) {
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (i == n)
            break;
        size_t st = i, kst = keys->len;
        while (i < n && s[i] != ' ' && s[i] != '\t') {
            size_t tl = tmk_tm_tag_len(s + i, n - i);
            if (tl) {
                i += tl;
                continue;
            }
            size_t j = i + 1;
            while (j < n && s[j] != ' ' && s[j] != '\t' && s[j] != '<')
                j++;
            tmk_tm_text_plain(s + i, j - i, 0, keys);
            i = j;
        }
        if (k < max)
            w[k] = (word){NULL, keys->len - kst, st, i};
        k++;
    }
    size_t at = 0;
    for (size_t x = 0; x < k && x < max; x++) {
        w[x].s = keys->data + at;
        at += w[x].n;
    }
    return k;
}

static int weq(const word *x, const word *y) { return x->n == y->n && !memcmp(x->s, y->s, x->n); }

/* A memory word as the reader sees it: its text decoded, and (with
 * mark_tags) each of its tags marked {+as only in the memory+}. */
static void show_word(tmk_buf *o, const char *seg, const word *w, int mark_tags)
{
    size_t i = w->b0;
    while (i < w->b1) {
        size_t tl = tmk_tm_tag_len(seg + i, w->b1 - i);
        if (tl) {
            if (mark_tags)
                tmk_buf_adds(o, "{+");
            tmk_buf_add(o, seg + i, tl);
            if (mark_tags)
                tmk_buf_adds(o, "+}");
            i += tl;
            continue;
        }
        size_t j = i + 1;
        while (j < w->b1 && seg[j] != '<')
            j++;
        tmk_tm_text_plain(seg + i, j - i, 0, o);
        i = j;
    }
}

#define DIFF_MAX 300

void lookup_word_diff(tmk_buf *o, const char *a, size_t an, const char *b, size_t bn)
{
    word *wa = malloc(DIFF_MAX * sizeof *wa), *wb = malloc(DIFF_MAX * sizeof *wb);
    tmk_buf keys = TMK_BUF_INIT;
    size_t na = wa ? split_words(a, an, wa, DIFF_MAX) : 0;
    size_t nb = wb ? split_seg_words(b, bn, wb, DIFF_MAX, &keys) : 0;
    /* words of tags only are not compared: they are shown as only in the
     * memory where they stand (one tag must not make its neighbours differ) */
    size_t *bi = wb ? malloc(DIFF_MAX * sizeof *bi) : NULL;
    size_t nbk = 0;
    for (size_t x = 0; bi && x < nb && x < DIFF_MAX; x++)
        if (wb[x].n)
            bi[nbk++] = x;
    unsigned short *t = NULL;
    if (wa && wb && bi && na <= DIFF_MAX && nb <= DIFF_MAX)
        t = calloc((na + 1) * (nbk + 1), sizeof *t);
    if (!t) { /* too long to mark: as it is */
        tmk_tm_text_plain(b, bn, 1, o);
        free(wa);
        free(wb);
        free(bi);
        tmk_buf_release(&keys);
        return;
    }
#define WB(j) (&wb[bi[j]])
    /* LCS table from the ends */
    for (size_t i = na; i-- > 0;)
        for (size_t j = nbk; j-- > 0;) {
            unsigned short *c = &t[i * (nbk + 1) + j];
            if (weq(&wa[i], WB(j)))
                *c = (unsigned short)(t[(i + 1) * (nbk + 1) + j + 1] + 1);
            else {
                unsigned short x = t[(i + 1) * (nbk + 1) + j], y = t[i * (nbk + 1) + j + 1];
                *c = x > y ? x : y;
            }
        }
    size_t i = 0, j = 0, shown = 0; /* shown: memory words (wb) written so far */
    int first = 1;
#define SEP()                                                                                  \
    do {                                                                                       \
        if (!first)                                                                            \
            tmk_buf_addch(o, ' ');                                                             \
        first = 0;                                                                             \
    } while (0)
    while (i < na || j < nbk) {
        /* the tag-only words before the next memory word */
        size_t upto = j < nbk ? bi[j] : nb;
        for (; shown < upto; shown++) {
            SEP();
            show_word(o, b, &wb[shown], 1);
        }
        if (i < na && j < nbk && weq(&wa[i], WB(j))) {
            SEP();
            show_word(o, b, WB(j), 1);
            shown = bi[j] + 1;
            i++;
            j++;
            continue;
        }
        /* up to the next kept word: what only a has, then what only b has */
        size_t di[DIFF_MAX], dj[DIFF_MAX], ndi = 0, ndj = 0;
        while ((i < na || j < nbk) && !(i < na && j < nbk && weq(&wa[i], WB(j)))) {
            if (j >= nbk || (i < na && t[(i + 1) * (nbk + 1) + j] >= t[i * (nbk + 1) + j + 1]))
                di[ndi++] = i++;
            else
                dj[ndj++] = j++;
        }
        if (ndi) {
            SEP();
            tmk_buf_adds(o, "[-");
            for (size_t k = 0; k < ndi; k++) {
                if (k)
                    tmk_buf_addch(o, ' ');
                tmk_buf_add(o, wa[di[k]].s, wa[di[k]].n);
            }
            tmk_buf_adds(o, "-]");
        }
        if (ndj) {
            SEP();
            tmk_buf_adds(o, "{+");
            /* the memory's words from the first to the last that differ, with
             * the tag-only words between them */
            for (size_t x = bi[dj[0]]; x <= bi[dj[ndj - 1]]; x++) {
                if (x > bi[dj[0]])
                    tmk_buf_addch(o, ' ');
                show_word(o, b, &wb[x], 0);
            }
            tmk_buf_adds(o, "+}");
            shown = bi[dj[ndj - 1]] + 1;
        }
    }
    for (; shown < nb && shown < DIFF_MAX; shown++) { /* tag-only words at the end */
        SEP();
        show_word(o, b, &wb[shown], 1);
    }
#undef SEP
#undef WB
    free(t);
    free(wa);
    free(wb);
    free(bi);
    tmk_buf_release(&keys);
}
