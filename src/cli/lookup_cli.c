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
    tmk_tm_options o = TMK_TM_OPTIONS_INIT;
    o.srclang = a->src;
    o.tgtlang = a->tgt;
    o.index_path = a->index;
    o.flags = (a->no_index ? TMK_TM_NO_INDEX_FILE : 0) | (a->rebuild ? TMK_TM_REBUILD : 0);
    if (min_score > 0 && min_score < 50)
        o.index_min_score = min_score;
    tmk_error err = TMK_ERROR_INIT;
    int rc = tmk_tm_open(tm, a->mem, a->nmem, &o, on_notice, NULL, &err);
    if (rc < 0) {
        if (err.code == TMK_ENOTFOUND || err.code == TMK_EINVAL)
            err.code = TMK_ESYNTAX; /* bad input (exit 3), not a missing dictionary */
        return cli_report(&err);
    }
    return TMK_EXIT_OK;
}

typedef struct word {
    const char *s;
    size_t n;
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
            w[k] = (word){s + st, i - st};
        k++;
    }
    return k;
}

static int weq(const word *x, const word *y) { return x->n == y->n && !memcmp(x->s, y->s, x->n); }

#define DIFF_MAX 300

void lookup_word_diff(tmk_buf *o, const char *a, size_t an, const char *b, size_t bn)
{
    word *wa = malloc(DIFF_MAX * sizeof *wa), *wb = malloc(DIFF_MAX * sizeof *wb);
    size_t na = wa ? split_words(a, an, wa, DIFF_MAX) : 0;
    size_t nb = wb ? split_words(b, bn, wb, DIFF_MAX) : 0;
    unsigned short *t = NULL;
    if (wa && wb && na <= DIFF_MAX && nb <= DIFF_MAX)
        t = calloc((na + 1) * (nb + 1), sizeof *t);
    if (!t) { /* too long to mark: as it is */
        tmk_buf_add(o, b, bn);
        free(wa);
        free(wb);
        return;
    }
    /* LCS table from the ends */
    for (size_t i = na; i-- > 0;)
        for (size_t j = nb; j-- > 0;) {
            unsigned short *c = &t[i * (nb + 1) + j];
            if (weq(&wa[i], &wb[j]))
                *c = (unsigned short)(t[(i + 1) * (nb + 1) + j + 1] + 1);
            else {
                unsigned short x = t[(i + 1) * (nb + 1) + j], y = t[i * (nb + 1) + j + 1];
                *c = x > y ? x : y;
            }
        }
    size_t i = 0, j = 0;
    int first = 1;
    while (i < na || j < nb) {
        if (i < na && j < nb && weq(&wa[i], &wb[j])) {
            if (!first)
                tmk_buf_addch(o, ' ');
            first = 0;
            tmk_buf_add(o, wb[j].s, wb[j].n);
            i++;
            j++;
            continue;
        }
        /* up to the next kept word: what only a has, then what only b has */
        size_t i0 = i, j0 = j;
        size_t di[DIFF_MAX], dj[DIFF_MAX], ndi = 0, ndj = 0;
        while ((i < na || j < nb) && !(i < na && j < nb && weq(&wa[i], &wb[j]))) {
            if (j >= nb || (i < na && t[(i + 1) * (nb + 1) + j] >= t[i * (nb + 1) + j + 1]))
                di[ndi++] = i++;
            else
                dj[ndj++] = j++;
        }
        (void)i0;
        (void)j0;
        if (ndi) {
            if (!first)
                tmk_buf_addch(o, ' ');
            first = 0;
            tmk_buf_adds(o, "[-");
            for (size_t k = 0; k < ndi; k++) {
                if (k)
                    tmk_buf_addch(o, ' ');
                tmk_buf_add(o, wa[di[k]].s, wa[di[k]].n);
            }
            tmk_buf_adds(o, "-]");
        }
        if (ndj) {
            if (!first)
                tmk_buf_addch(o, ' ');
            first = 0;
            tmk_buf_adds(o, "{+");
            for (size_t k = 0; k < ndj; k++) {
                if (k)
                    tmk_buf_addch(o, ' ');
                tmk_buf_add(o, wb[dj[k]].s, wb[dj[k]].n);
            }
            tmk_buf_adds(o, "+}");
        }
    }
    free(t);
    free(wa);
    free(wb);
}
