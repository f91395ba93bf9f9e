/* build_batch.c -- `tmkit build` with many pairs: --pairs LIST and/or two
 * folders matched by file name, one memory (or one per pair with --each),
 * N pairs built at a time.
 *
 * Determinism: the main thread reads the pairs in order and hands them to
 * the workers, at most WINDOW pairs ahead of the one it writes next; it
 * writes (and reports) the pairs strictly in order.  So the memory and
 * every message are the same whatever the number of workers: only the time
 * changes.  Each worker has its own tmk_builder (a Hunspell speller is used
 * by one thread at a time, spell.h). */
#include <config.h>
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"
#include "build_cli.h"

#define WINDOW 64 /* pairs read ahead of the one being written */

int build_is_folder(const char *path)
{
    struct stat st;
    return strcmp(path, "-") && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

struct pair {
    char *src, *tgt;      /* paths as opened (and shown) */
    char *rel;            /* the source's name inside its folder (for --each) */
    /* filled while building */
    tmk_buf st, tt;
    struct cli_fmt fmt[2]; /* --keep-formatting */
    tmk_build_result *res;
    tmk_error err;
    int rc;               /* 0, or the exit code of its failure */
    int state;            /* 0 waiting, 1 ready for a worker, 2 done */
    int read_failed;      /* 0, or the exit code of the failed read */
    int doc[2];           /* source, target: a document (its lines are paragraphs) */
    size_t segs[2], units;
};

struct pairs {
    struct pair *v;
    size_t n, cap;
};

static int pairs_add(struct pairs *p, char *src, char *tgt, char *rel)
{
    if (!src || !tgt || !rel)
        goto nomem;
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 64;
        struct pair *v = realloc(p->v, cap * sizeof *v);
        if (!v)
            goto nomem;
        p->v = v;
        p->cap = cap;
    }
    memset(&p->v[p->n], 0, sizeof p->v[p->n]);
    p->v[p->n].src = src;
    p->v[p->n].tgt = tgt;
    p->v[p->n].rel = rel;
    tmk_buf_init(&p->v[p->n].st);
    tmk_buf_init(&p->v[p->n].tt);
    p->n++;
    return 0;
nomem:
    free(src);
    free(tgt);
    free(rel);
    return -1;
}

static void pairs_free(struct pairs *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->v[i].src);
        free(p->v[i].tgt);
        free(p->v[i].rel);
        tmk_buf_release(&p->v[i].st);
        tmk_buf_release(&p->v[i].tt);
        cli_fmt_release(&p->v[i].fmt[0]);
        cli_fmt_release(&p->v[i].fmt[1]);
        tmk_build_result_free(p->v[i].res);
    }
    free(p->v);
}

static char *join_path(const char *dir, size_t dirlen, const char *name, size_t namelen)
{
    if (name[0] == '/' || !dirlen)
        return strndup(name, namelen);
    char *s = malloc(dirlen + namelen + 2);
    if (s)
        snprintf(s, dirlen + namelen + 2, "%.*s/%.*s", (int)dirlen, dir, (int)namelen, name);
    return s;
}

/* A name for --each: the source as written, without "./" and without any
 * part that would lead out of the output folder. */
static char *each_name(const char *s)
{
    while (s[0] == '.' && s[1] == '/')
        s += 2;
    while (*s == '/')
        s++;
    if (strstr(s, "../") || !strcmp(s, "..") || !*s) {
        const char *slash = strrchr(s, '/');
        s = slash ? slash + 1 : s;
    }
    return strdup(*s && strcmp(s, "..") ? s : "pair");
}

/* --pairs LIST: SOURCE<TAB>REFERENCE a line, names relative to the list's
 * folder; blank lines and lines starting with # are skipped. */
static int read_list(const struct build_cli *c, const char *list, struct pairs *p)
{
    tmk_buf raw = TMK_BUF_INIT;
    tmk_error err = TMK_ERROR_INIT;
    tmk_error_set_file(&err, list);
    if (tmk_read_file(list, &raw, &err) < 0) {
        tmk_buf_release(&raw);
        return cli_report(&err);
    }
    if (raw.len >= 2 && (!memcmp(raw.data, "\xFF\xFE", 2) || !memcmp(raw.data, "\xFE\xFF", 2))) {
        /* UTF-16 with a BOM (Excel's "Unicode Text"): decoded to UTF-8 */
        tmk_buf u8 = TMK_BUF_INIT;
        tmk_decoder *d = tmk_decoder_new(NULL, list, &err);
        int drc = d ? TMK_OK : err.code;
        if (d) {
            tmk_decoder_set_sniff(d, 0);
            drc = tmk_decoder_feed(d, raw.data, raw.len, &u8, &err);
            if (drc == TMK_OK)
                drc = tmk_decoder_finish(d, &u8, &err);
            tmk_decoder_free(d);
        }
        tmk_buf_release(&raw);
        if (drc < 0) {
            tmk_buf_release(&u8);
            return cli_report(&err);
        }
        raw = u8;
    } else if (memchr(raw.data, '\0', raw.len)) {
        const char *z = memchr(raw.data, '\0', raw.len);
        unsigned long zl = 1;
        for (const char *q = raw.data; q < z; q++)
            zl += *q == '\n';
        fprintf(stderr, "tmkit: %s:%lu: a NUL byte: the list is not plain text (UTF-16 without a "
                        "byte-order mark?); save it as UTF-8 or as \"Unicode Text\" (UTF-16 "
                        "with a BOM)\n", list, zl);
        tmk_buf_release(&raw);
        return TMK_EXIT_INPUT;
    }
    const char *slash = strcmp(list, "-") ? strrchr(list, '/') : NULL;
    size_t dirlen = slash ? (size_t)(slash - list) + (slash == list) : 0;
    unsigned long line = 0;
    int rc = 0;
    for (size_t at = 0; at < raw.len && !rc;) {
        const char *s = raw.data + at, *nl = memchr(s, '\n', raw.len - at);
        size_t len = nl ? (size_t)(nl - s) : raw.len - at;
        at += len + 1;
        line++;
        if (len && s[len - 1] == '\r')
            len--;
        if (line == 1 && len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) {
            s += 3; /* a byte-order mark */
            len -= 3;
        }
        size_t lead = 0;
        while (lead < len && (s[lead] == ' ' || s[lead] == '\t'))
            lead++;
        if (lead == len || s[lead] == '#')
            continue;
        const char *tab = memchr(s, '\t', len);
        const char *tab2 = tab ? memchr(tab + 1, '\t', len - (size_t)(tab + 1 - s)) : NULL;
        if (!tab || tab == s || tab + 1 == s + len || tab2) {
            fprintf(stderr, "tmkit: %s:%lu: a line of the list must be SOURCE<TAB>REFERENCE "
                            "(two file names separated by one tab)%s\n",
                    list, line, tab2 ? ", not three or more fields" : "");
            rc = TMK_EXIT_INPUT;
            break;
        }
        size_t sl = (size_t)(tab - s), tl = len - sl - 1;
        if ((sl == 1 && s[0] == '-') || (tl == 1 && tab[1] == '-')) {
            fprintf(stderr, "tmkit: %s:%lu: standard input (-) cannot be one of many pairs; "
                            "give a file name\n", list, line);
            rc = TMK_EXIT_INPUT;
            break;
        }
        char *srcname = strndup(s, sl);
        if (pairs_add(p, join_path(list, dirlen, s, sl), join_path(list, dirlen, tab + 1, tl),
                      srcname ? each_name(srcname) : NULL) < 0) {
            cli_errorf("out of memory");
            rc = TMK_EXIT_IO;
        }
        free(srcname);
    }
    if (!rc && !p->n) {
        fprintf(stderr, "tmkit: %s: the list names no pair (one SOURCE<TAB>REFERENCE a line)\n",
                list);
        rc = TMK_EXIT_INPUT;
    }
    tmk_buf_release(&raw);
    (void)c;
    return rc;
}

/* The files under a folder, as paths relative to it, sorted (byte order).
 * Hidden files (.name) and Word's lock files (~$name) are skipped. */
struct names {
    char **v;
    size_t n, cap;
};

static int walk(const char *root, const char *rel, struct names *out, int depth)
{
    char *dir = *rel ? join_path(root, strlen(root), rel, strlen(rel)) : strdup(root);
    if (!dir)
        return -1;
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "tmkit: %s: cannot read the folder: %s\n", dir, strerror(errno));
        free(dir);
        return -2;
    }
    int rc = 0;
    struct dirent *e;
    while (!rc && (e = readdir(d))) {
        if (e->d_name[0] == '.' || !strncmp(e->d_name, "~$", 2))
            continue;
        char *r = *rel ? join_path(rel, strlen(rel), e->d_name, strlen(e->d_name))
                       : strdup(e->d_name);
        char *full = r ? join_path(root, strlen(root), r, strlen(r)) : NULL;
        struct stat st;
        if (!r || !full) {
            rc = -1;
        } else if (stat(full, &st) != 0) {
            /* a dangling link: nothing to read */
        } else if (S_ISDIR(st.st_mode)) {
            if (depth < 64)
                rc = walk(root, r, out, depth + 1);
        } else if (S_ISREG(st.st_mode)) {
            if (out->n == out->cap) {
                size_t cap = out->cap ? 2 * out->cap : 64;
                char **v = realloc(out->v, cap * sizeof *v);
                if (!v)
                    rc = -1;
                else {
                    out->v = v;
                    out->cap = cap;
                }
            }
            if (!rc) {
                out->v[out->n++] = r;
                r = NULL;
            }
        }
        free(r);
        free(full);
    }
    closedir(d);
    free(dir);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void names_free(struct names *n)
{
    for (size_t i = 0; i < n->n; i++)
        free(n->v[i]);
    free(n->v);
}

/* Whether s (len bytes) looks like a language part: de, deu, de-DE, de_DE,
 * pt-BR, zh-Hant (2 or 3 letters, then optional -/_ subtags of 2 to 4
 * letters or digits). */
static int is_lang_part(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
        i++;
    if (i < 2 || i > 3)
        return 0;
    while (i < len) {
        if (s[i] != '-' && s[i] != '_')
            return 0;
        size_t k = ++i;
        while (i < len && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
                           (s[i] >= '0' && s[i] <= '9')))
            i++;
        if (i - k < 2 || i - k > 4)
            return 0;
    }
    return 1;
}

/* The name without its language part: "a/report.de.docx" -> "a/report.docx",
 * "a/report_de.docx" -> "a/report.docx"; NULL when it has none (or out of
 * memory: then *nomem). */
static char *lang_key(const char *rel, int *nomem)
{
    const char *base = strrchr(rel, '/');
    base = base ? base + 1 : rel;
    const char *ext = strrchr(base, '.');
    if (!ext || ext == base)
        ext = base + strlen(base);
    /* the part before the extension: after the last '.', '_' or '-' */
    const char *p = ext;
    while (p > base && p[-1] != '.' && p[-1] != '_')
        p--;
    if (p == base || !is_lang_part(p, (size_t)(ext - p))) {
        /* report_de-DE.docx: the part after the last '_' or '.' holds a '-' */
        return NULL;
    }
    size_t head = (size_t)(p - 1 - rel);
    size_t n = head + strlen(ext);
    char *k = malloc(n + 1);
    if (!k) {
        *nomem = 1;
        return NULL;
    }
    memcpy(k, rel, head);
    memcpy(k + head, ext, strlen(ext) + 1);
    return k;
}

/* Match the files of folders a and b: the same relative path first, else
 * the same name apart from a language part, when that is unambiguous.
 * The pairs are added in a's order; unmatched files are listed. */
static int match_folders(const char *a, const char *b, struct pairs *p, int quiet)
{
    struct names na = {0}, nb = {0};
    int rc = 0, w;
    if ((w = walk(a, "", &na, 0)) || (w = walk(b, "", &nb, 0))) {
        if (w == -1)
            cli_errorf("out of memory");
        names_free(&na);
        names_free(&nb);
        return w == -1 ? TMK_EXIT_IO : TMK_EXIT_IO;
    }
    qsort(na.v, na.n, sizeof *na.v, cmp_str);
    qsort(nb.v, nb.n, sizeof *nb.v, cmp_str);
    int nomem = 0;
    char **ka = calloc(na.n + 1, sizeof *ka), **kb = calloc(nb.n + 1, sizeof *kb);
    size_t *ma = calloc(na.n + 1, sizeof *ma); /* index in b + 1, 0 = none */
    unsigned char *usedb = calloc(nb.n + 1, 1);
    /* 1 = left out as ambiguous (several files share its key), 2 = listed */
    unsigned char *amba = calloc(na.n + 1, 1), *ambb = calloc(nb.n + 1, 1);
    if (!ka || !kb || !ma || !usedb || !amba || !ambb)
        nomem = 1;
    /* 1. the same path */
    for (size_t i = 0, j = 0; !nomem && i < na.n && j < nb.n;) {
        int c = strcmp(na.v[i], nb.v[j]);
        if (!c) {
            ma[i] = j + 1;
            usedb[j] = 1;
            i++;
            j++;
        } else if (c < 0)
            i++;
        else
            j++;
    }
    /* 2. the same name apart from the language part, one file on each side */
    for (size_t i = 0; !nomem && i < na.n; i++)
        if (!ma[i])
            ka[i] = lang_key(na.v[i], &nomem);
    for (size_t j = 0; !nomem && j < nb.n; j++)
        if (!usedb[j])
            kb[j] = lang_key(nb.v[j], &nomem);
    for (size_t i = 0; !nomem && i < na.n; i++) {
        if (!ka[i])
            continue;
        size_t found = 0, count = 0;
        for (size_t j = 0; j < nb.n; j++)
            if (kb[j] && !strcmp(ka[i], kb[j])) {
                found = j + 1;
                count++;
            }
        size_t same_a = 0;
        for (size_t k = 0; k < na.n; k++)
            if (ka[k] && !strcmp(ka[i], ka[k]))
                same_a++;
        if (count == 1 && same_a == 1) {
            ma[i] = found;
            usedb[found - 1] = 1;
        } else if (count) { /* offer_de with offer_en and offer_fr: which one? */
            amba[i] = 1;
            for (size_t j = 0; j < nb.n; j++)
                if (kb[j] && !strcmp(ka[i], kb[j]))
                    ambb[j] = 1;
        }
    }
    size_t unmatched = 0, ambiguous = 0;
    for (size_t i = 0; !nomem && i < na.n; i++) {
        if (!ma[i]) {
            if (amba[i])
                ambiguous++;
            else
                unmatched++;
            continue;
        }
        if (pairs_add(p, join_path(a, strlen(a), na.v[i], strlen(na.v[i])),
                      join_path(b, strlen(b), nb.v[ma[i] - 1], strlen(nb.v[ma[i] - 1])),
                      strdup(na.v[i])) < 0)
            nomem = 1;
    }
    for (size_t j = 0; !nomem && j < nb.n; j++)
        if (!usedb[j]) {
            if (ambb[j])
                ambiguous++;
            else
                unmatched++;
        }
    if (!nomem && ambiguous && !quiet) {
        fprintf(stderr, "tmkit: warning: %zu file%s left out as ambiguous: more than two files "
                        "have the same name apart from the language part, so which file pairs "
                        "with which is not clear; give these pairs in a list with --pairs:\n",
                ambiguous, ambiguous == 1 ? "" : "s");
        /* one line per name: the files of a, then those of b */
        for (size_t i = 0; i < na.n; i++) {
            if (amba[i] != 1)
                continue;
            const char *sep = "  ";
            for (size_t k = i; k < na.n; k++)
                if (amba[k] == 1 && !strcmp(ka[i], ka[k])) {
                    fprintf(stderr, "%s%s/%s", sep, a, na.v[k]);
                    sep = ", ";
                    if (k != i)
                        amba[k] = 2;
                }
            for (size_t j = 0; j < nb.n; j++)
                if (ambb[j] && kb[j] && !strcmp(ka[i], kb[j]))
                    fprintf(stderr, "%s%s/%s", sep, b, nb.v[j]);
            fputc('\n', stderr);
            amba[i] = 2;
        }
    }
    if (nomem) {
        cli_errorf("out of memory");
        rc = TMK_EXIT_IO;
    } else if (unmatched && !quiet) {
        fprintf(stderr, "tmkit: warning: %zu file%s without a counterpart in the other folder "
                        "(same path, or same name apart from a language part such as .de or "
                        "_en); left out:\n",
                unmatched, unmatched == 1 ? "" : "s");
        for (size_t i = 0; i < na.n; i++)
            if (!ma[i] && !amba[i])
                fprintf(stderr, "  %s/%s\n", a, na.v[i]);
        for (size_t j = 0; j < nb.n; j++)
            if (!usedb[j] && !ambb[j])
                fprintf(stderr, "  %s/%s\n", b, nb.v[j]);
    }
    if (!rc && !p->n) {
        fprintf(stderr, "tmkit: %s and %s: no file of one folder matches %s file of the other "
                        "by name; name them alike (report.de.docx, report.en.docx) or give a "
                        "list with --pairs\n", a, b, ambiguous ? "exactly one" : "a");
        rc = TMK_EXIT_INPUT;
    }
    if (ka)
        for (size_t i = 0; i < na.n; i++)
            free(ka[i]);
    if (kb)
        for (size_t j = 0; j < nb.n; j++)
            free(kb[j]);
    free(ka);
    free(kb);
    free(ma);
    free(usedb);
    free(amba);
    free(ambb);
    names_free(&na);
    names_free(&nb);
    return rc;
}

/* ---- the workers ---- */

struct pool {
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    struct pairs *p;
    size_t ready;  /* pairs 0 .. ready-1 have been handed over */
    size_t next;   /* the next pair a worker takes */
    int stop;
    const tmk_build_options *bo;
};

static void *worker(void *arg)
{
    struct pool *pl = arg;
    tmk_builder *b = NULL;
    tmk_error berr = TMK_ERROR_INIT;
    int brc = tmk_builder_new(&b, pl->bo, &berr);
    pthread_mutex_lock(&pl->mu);
    for (;;) {
        while (!pl->stop && pl->next >= pl->ready)
            pthread_cond_wait(&pl->work, &pl->mu);
        if (pl->stop)
            break;
        struct pair *x = &pl->p->v[pl->next++];
        pthread_mutex_unlock(&pl->mu);
        if (brc < 0) {
            x->err = berr;
            x->rc = -1;
        } else if (!x->read_failed) {
            tmk_error_clear(&x->err);
            tmk_builder_set_doc_sides(b, (x->doc[0] ? TMK_BUILD_SRC_DOC : 0) |
                                             (x->doc[1] ? TMK_BUILD_TGT_DOC : 0));
            x->rc = tmk_builder_run(b, x->st.data, x->st.len, x->tt.data, x->tt.len, x->src,
                                    x->tgt, &x->res, &x->err) < 0;
        }
        tmk_buf_release(&x->st); /* the result has its copy */
        tmk_buf_release(&x->tt);
        pthread_mutex_lock(&pl->mu);
        x->state = 2;
        pthread_cond_broadcast(&pl->done);
    }
    pthread_mutex_unlock(&pl->mu);
    tmk_builder_free(b);
    return NULL;
}

static unsigned processors(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 256 ? 256 : (unsigned)n;
}

/* mkdir -p for the folders of path */
static int make_parents(const char *path)
{
    char *s = strdup(path);
    if (!s)
        return -1;
    for (char *q = s + 1; *q; q++)
        if (*q == '/') {
            *q = '\0';
            if (mkdir(s, 0777) != 0 && errno != EEXIST) {
                int e = errno;
                fprintf(stderr, "tmkit: %s: cannot make the folder: %s\n", s, strerror(e));
                free(s);
                return -1;
            }
            *q = '/';
        }
    free(s);
    return 0;
}


/* The units of pair x into writer w (errors name out_path). */
static int write_pair(tmk_tmx_writer *w, const struct pair *x, const char *out_path)
{
    tmk_error err = TMK_ERROR_INIT;
    struct build_warn wctx = {x->res, x->src, x->tgt, NULL, 0};
    tmk_tmx_writer_on_warning(w, build_warn_tmx, &wctx);
    struct build_write xc = {w, &wctx, &err, x->res, {NULL, NULL}};
    if (x->fmt[0].n || x->fmt[1].n)
        xc.fmt[0] = &x->fmt[0], xc.fmt[1] = &x->fmt[1];
    if (tmk_build_result_units(x->res, build_write_unit, &xc, &err) < 0) {
        tmk_error_set_file(&err, out_path);
        return cli_report(&err);
    }
    return 0;
}

/* --each: the pair's own memory, DIR/NAME.tmx */
static int write_each(const struct build_cli *c, const struct pair *x, char **shown)
{
    size_t n = strlen(x->rel);
    const char *slash = strrchr(x->rel, '/'), *dot = strrchr(x->rel, '.');
    if (dot && dot > (slash ? slash + 1 : x->rel))
        n = (size_t)(dot - x->rel);
    size_t dl = strlen(c->out_path);
    char *path = malloc(dl + n + 6);
    if (!path) {
        cli_errorf("out of memory");
        return TMK_EXIT_IO;
    }
    snprintf(path, dl + n + 6, "%s/%.*s.tmx", c->out_path, (int)n, x->rel);
    *shown = path;
    if (make_parents(path) < 0)
        return TMK_EXIT_IO;
    tmk_error err = TMK_ERROR_INIT;
    tmk_outfile *of = tmk_outfile_open(path, &err);
    if (!of)
        return cli_report(&err);
    tmk_tmx_header h = {0};
    h.srclang = c->src_lang;
    h.creationdate = -1;
    tmk_error_set_file(&err, path);
    tmk_tmx_writer *w = tmk_tmx_writer_new(tmk_outfile_stream(of), &h, &err);
    int rc = !w ? cli_report(&err) : write_pair(w, x, path);
    if (!rc && tmk_tmx_writer_finish(w, &err) < 0)
        rc = cli_report(&err);
    tmk_tmx_writer_free(w);
    if (rc) {
        tmk_outfile_abort(of);
        return rc;
    }
    if (tmk_outfile_commit(of, &err) < 0)
        return cli_report(&err);
    return 0;
}

/* The summary of a batch: a line per pair, then the totals. */
static void print_summary(const struct build_cli *c, const struct pairs *pp, const char *out_path,
                          char *const *each_out, size_t built, size_t failed,
                          const tmk_build_figures *tot, char *const *dicts, size_t ndicts)
{
    if (c->each)
        fprintf(stderr, "tmkit: built %zu memor%s in %s\n", built, built == 1 ? "y" : "ies",
                c->out_path);
    else
        fprintf(stderr, "tmkit: built %s\n",
                strcmp(out_path, "-") ? out_path : "(standard output)");
    for (size_t i = 0; i < pp->n; i++) {
        const struct pair *x = &pp->v[i];
        if (x->rc)
            fprintf(stderr, "  pair %zu  failed (see above)  %s  %s\n", i + 1, x->src, x->tgt);
        else
            fprintf(stderr, "  pair %zu  %zu + %zu segments, %zu units  %s  %s%s%s\n", i + 1,
                    x->segs[0], x->segs[1], x->units, x->src, x->tgt,
                    c->each ? "  -> " : "", c->each ? each_out[i] : "");
    }
    fprintf(stderr, "  pairs: %zu built, %zu failed\n", built, failed);
    fprintf(stderr, "  source     %-6s %6zu segments\n", c->src_lang, tot->src_segs);
    fprintf(stderr, "  reference  %-6s %6zu segments\n", c->tgt_lang, tot->tgt_segs);
    fprintf(stderr, "  translation units written: %zu\n", tot->units);
    build_print_beads(stderr, tot);
    if (c->min_score > 0)
        fprintf(stderr, "  kept out, alignment confidence below %.2f: %zu\n", c->min_score,
                tot->kept_out);
    for (size_t k = 0; k < ndicts; k++)
        fprintf(stderr, "  bilingual dictionary: %s\n", dicts[k]);
    if (!ndicts)
        fprintf(stderr, "  bilingual dictionary: none installed for %s to %s "
                        "(give one with --dict)\n", c->src_lang, c->tgt_lang);
    fprintf(stderr, "  weak pairs in the memory, alignment confidence below %.2f: %zu%s\n",
            CLI_WEAK_SCORE, tot->weak,
            tot->weak ? " (review a pair's with tmkit align -f html)" : "");
    if (c->no_spell)
        fprintf(stderr, "  spell-check: skipped\n");
    else
        fprintf(stderr, "  flagged words: %zu\n", tot->flagged);
    if (failed)
        fprintf(stderr, "tmkit: %zu of %zu pairs failed and are not in the memor%s (exit "
                        "status 1); --strict stops at the first instead\n",
                failed, pp->n, c->each ? "ies" : "y");
}

/* --each: two pairs must not write the same memory (a usage error). */
static int check_each_names(const struct build_cli *c, const struct pairs *p)
{
    for (size_t i = 0; i < p->n; i++)
        for (size_t j = i + 1; j < p->n; j++) {
            const char *a = p->v[i].rel, *b = p->v[j].rel;
            const char *da = strrchr(a, '.'), *db = strrchr(b, '.');
            size_t la = da && da > (strrchr(a, '/') ? strrchr(a, '/') : a) ? (size_t)(da - a)
                                                                             : strlen(a);
            size_t lb = db && db > (strrchr(b, '/') ? strrchr(b, '/') : b) ? (size_t)(db - b)
                                                                             : strlen(b);
            if (la == lb && !memcmp(a, b, la))
                return cli_usage_error(c->cmd, "'%s' and '%s' would both be written to "
                                       "%s/%.*s.tmx with --each; rename one",
                                       p->v[i].src, p->v[j].src, c->out_path, (int)la, a);
        }
    return 0;
}

int build_batch(struct build_cli *c, int nargs, char **args)
{
    if (c->report_path)
        return cli_usage_error(c->cmd, "--report works with one pair; for many pairs use "
                               "tmkit spell on the sources");
    if (nargs != 0 && nargs != 2)
        return cli_usage_error(c->cmd, "with --pairs give no more files, or two folders");
    if (nargs == 2 && (!build_is_folder(args[0]) || !build_is_folder(args[1])))
        return cli_usage_error(c->cmd, "with --pairs LIST, the two names after it must be "
                               "folders ('%s' is not one)",
                               build_is_folder(args[0]) ? args[1] : args[0]);
    int bad_lang = cli_check_lang(c->cmd, c->src_lang);
    if (bad_lang || (bad_lang = cli_check_lang(c->cmd, c->tgt_lang)))
        return bad_lang;
    if (c->each && !c->out_path)
        return cli_usage_error(c->cmd, "--each needs the folder for the memories: -o FOLDER");
    if (c->each && !strcmp(c->out_path, "-"))
        return cli_usage_error(c->cmd, "--each writes one memory per pair: give a folder with "
                               "-o, not standard output");
    if (c->each && !build_is_folder(c->out_path)) {
        /* the folder and any missing folders above it (mkdir -p) */
        size_t ol = strlen(c->out_path);
        char *dir = malloc(ol + 2);
        if (!dir) {
            cli_errorf("out of memory");
            return TMK_EXIT_IO;
        }
        snprintf(dir, ol + 2, "%s/", c->out_path);
        int mrc = make_parents(dir);
        free(dir);
        if (mrc < 0)
            return TMK_EXIT_IO;
        if (!build_is_folder(c->out_path)) {
            fprintf(stderr, "tmkit: %s: cannot make the folder: %s\n", c->out_path,
                    strerror(EEXIST));
            return TMK_EXIT_IO;
        }
    }
    if (!c->each && c->out_path && build_is_folder(c->out_path))
        return cli_usage_error(c->cmd, "'%s' is a folder: give the memory's file name with -o, "
                               "or add --each for one memory per pair in it", c->out_path);

    struct pairs p = {0};
    int rc = 0;
    char *def_out = NULL;
    tmk_outfile *mem = NULL;
    tmk_tmx_writer *w = NULL;
    pthread_t *th = NULL;
    unsigned nth = 0;
    struct pool pl;
    memset(&pl, 0, sizeof pl);
    pthread_mutex_init(&pl.mu, NULL);
    pthread_cond_init(&pl.work, NULL);
    pthread_cond_init(&pl.done, NULL);

    if (c->pairs_list && (rc = read_list(c, c->pairs_list, &p)))
        goto done;
    if (nargs == 2 && (rc = match_folders(args[0], args[1], &p, c->quiet)))
        goto done;

    /* the memory: a file, never one of the inputs */
    const char *out_path = c->out_path;
    if (!c->each && !out_path) {
        const char *from = c->pairs_list ? c->pairs_list : args[0];
        size_t n = strlen(from);
        while (n > 1 && from[n - 1] == '/')
            n--;
        char *t = strndup(from, n);
        def_out = t ? build_default_output(t) : NULL;
        free(t);
        if (!def_out) {
            cli_errorf("out of memory");
            rc = TMK_EXIT_IO;
            goto done;
        }
        out_path = def_out;
    }
    if (!c->each) {
        for (size_t i = 0; i < p.n; i++)
            for (int k = 0; k < 2; k++) {
                const char *in = k ? p.v[i].tgt : p.v[i].src;
                if (cli_same_file(out_path, in)) {
                    rc = cli_usage_error(c->cmd, "'%s' is an input file; writing the memory "
                                         "there would replace it: choose another name with -o",
                                         in);
                    goto done;
                }
            }
        tmk_error err = TMK_ERROR_INIT;
        mem = tmk_outfile_open(out_path, &err);
        if (!mem) {
            rc = cli_report(&err);
            goto done;
        }
        tmk_tmx_header h = {0};
        h.srclang = c->src_lang;
        h.creationdate = -1;
        tmk_error_set_file(&err, out_path);
        w = tmk_tmx_writer_new(tmk_outfile_stream(mem), &h, &err);
        if (!w) {
            rc = cli_report(&err);
            goto done;
        }
    } else {
        if ((rc = check_each_names(c, &p)))
            goto done;
    }

    tmk_build_options bo = TMK_BUILD_OPTIONS_INIT;
    build_cli_options(c, &bo);
    bo.threads = 1; /* the pairs are the unit of parallel work */
    bo.keep_stemmers = 1;
    pl.p = &p;
    pl.bo = &bo;
    nth = c->jobs ? c->jobs : processors();
    if (nth > p.n)
        nth = (unsigned)p.n;
    th = calloc(nth, sizeof *th);
    if (!th) {
        cli_errorf("out of memory");
        rc = TMK_EXIT_IO;
        goto done;
    }
    unsigned started = 0;
    for (; started < nth; started++)
        if (pthread_create(&th[started], NULL, worker, &pl) != 0)
            break;
    nth = started;
    if (!nth) {
        cli_errorf("cannot start a thread: %s", strerror(errno));
        rc = TMK_EXIT_IO;
        goto done;
    }

    int show = !c->quiet && cli_stderr_is_tty();
    size_t failed = 0, built = 0, first_fail = 0;
    int first_rc = 0;
    tmk_build_figures total;
    memset(&total, 0, sizeof total);
    char **dicts = NULL;
    size_t ndicts = 0;
    char **each_out = c->each ? calloc(p.n, sizeof *each_out) : NULL;
    if (c->each && !each_out) {
        cli_errorf("out of memory");
        rc = TMK_EXIT_IO;
        goto stop;
    }
    for (size_t wi = 0, ri = 0; wi < p.n;) {
        /* read ahead (in order, in this thread: its messages come in order) */
        if (ri < p.n && ri - wi < WINDOW) {
            struct pair *x = &p.v[ri];
            int r = cli_read_text_doc(x->src, c->enc, c->src_lang, &x->st,
                                      c->keep_fmt ? &x->fmt[0] : NULL, &x->doc[0]);
            if (!r)
                r = cli_read_text_doc(x->tgt, c->ref_enc ? c->ref_enc : c->enc, c->tgt_lang,
                                      &x->tt, c->keep_fmt ? &x->fmt[1] : NULL, &x->doc[1]);
            x->read_failed = r; /* its exit code; the message is out */
            pthread_mutex_lock(&pl.mu);
            pl.ready = ++ri;
            pthread_cond_signal(&pl.work);
            pthread_mutex_unlock(&pl.mu);
            if (ri < p.n && ri - wi < WINDOW)
                continue;
        }
        /* write the next pair when it is done */
        struct pair *x = &p.v[wi];
        pthread_mutex_lock(&pl.mu);
        while (x->state != 2)
            pthread_cond_wait(&pl.done, &pl.mu);
        pthread_mutex_unlock(&pl.mu);
        if (x->res && c->para_mode == TMK_PARA_AUTO && !c->quiet) {
            enum tmk_build_stage stage = tmk_build_result_stage(x->res);
            const tmk_build_figures *fig = tmk_build_result_figures(x->res);
            if (stage == TMK_BUILD_DONE || stage > TMK_BUILD_SEGMENT_SRC)
                cli_note_wrapped(x->src, fig->src_wrap);
            if (stage == TMK_BUILD_DONE || stage > TMK_BUILD_SEGMENT_TGT)
                cli_note_wrapped(x->tgt, fig->tgt_wrap);
        }
        int xrc = 0, keep = 0;
        if (x->read_failed)
            xrc = x->read_failed;
        else if (x->rc)
            xrc = build_report_failure(c, x->res, &x->err);
        else if (c->each && !c->strict)
            xrc = write_each(c, x, &each_out[wi]);
        else if (c->each)
            keep = 1; /* --strict: written once every pair is built */
        else if ((xrc = write_pair(w, x, out_path))) {
            rc = xrc; /* the memory cannot be written: no point going on */
            goto stop;
        }
        if (xrc) {
            x->rc = xrc;
            if (!failed++) {
                first_fail = wi;
                first_rc = xrc;
            }
            if (c->strict) {
                fprintf(stderr, "tmkit: %s and %s: stopped (--strict); nothing written\n",
                        x->src, x->tgt);
                rc = xrc;
                goto stop;
            }
        } else {
            const tmk_build_figures *fig = tmk_build_result_figures(x->res);
            build_figures_add(&total, fig);
            x->segs[0] = fig->src_segs;
            x->segs[1] = fig->tgt_segs;
            x->units = fig->units;
            built++;
            const char *dp;
            size_t dn;
            for (size_t k = 0; tmk_build_result_dict(x->res, k, &dp, &dn) == 0; k++) {
                size_t j = 0;
                while (j < ndicts && strcmp(dicts[j], dp))
                    j++;
                if (j == ndicts) {
                    char **nd = realloc(dicts, (ndicts + 1) * sizeof *nd);
                    if (nd && (nd[ndicts] = strdup(dp)))
                        ndicts++;
                    if (nd)
                        dicts = nd;
                }
            }
        }
        if (!keep) {
            tmk_build_result_free(x->res);
            x->res = NULL;
            cli_fmt_release(&x->fmt[0]);
            cli_fmt_release(&x->fmt[1]);
        }
        wi++;
        if (show)
            fprintf(stderr, "\rtmkit: pair %zu of %zu%s", wi, p.n, failed ? " (some failed)" : "");
    }
    if (show)
        fprintf(stderr, "\r%-60s\r", "");

    if (!built) {
        fprintf(stderr, "tmkit: no pair could be built (the first, %s and %s, failed as said "
                        "above); nothing written\n",
                p.v[first_fail].src, p.v[first_fail].tgt);
        rc = first_rc;
        goto stop;
    }
    if (c->each && c->strict)
        for (size_t i = 0; i < p.n; i++) {
            if ((rc = write_each(c, &p.v[i], &each_out[i])))
                goto stop;
            tmk_build_result_free(p.v[i].res);
            p.v[i].res = NULL;
        }
    if (!c->each) {
        tmk_error err = TMK_ERROR_INIT;
        tmk_error_set_file(&err, out_path);
        if (tmk_tmx_writer_finish(w, &err) < 0) {
            rc = cli_report(&err);
            goto stop;
        }
        tmk_outfile *m = mem;
        mem = NULL;
        if (tmk_outfile_commit(m, &err) < 0) {
            rc = cli_report(&err);
            goto stop;
        }
    }
    rc = failed ? TMK_EXIT_FINDINGS : TMK_EXIT_OK;

    if (!c->quiet)
        print_summary(c, &p, out_path, each_out, built, failed, &total, dicts, ndicts);

stop:
    pthread_mutex_lock(&pl.mu);
    pl.stop = 1;
    pthread_cond_broadcast(&pl.work);
    pthread_mutex_unlock(&pl.mu);
    for (unsigned i = 0; i < nth; i++)
        pthread_join(th[i], NULL);
    nth = 0;
    if (each_out)
        for (size_t i = 0; i < p.n; i++)
            free(each_out[i]);
    free(each_out);
    for (size_t k = 0; k < ndicts; k++)
        free(dicts[k]);
    free(dicts);
done:
    for (unsigned i = 0; i < nth; i++)
        pthread_join(th[i], NULL);
    free(th);
    if (w)
        tmk_tmx_writer_free(w);
    if (mem)
        tmk_outfile_abort(mem);
    pthread_mutex_destroy(&pl.mu);
    pthread_cond_destroy(&pl.work);
    pthread_cond_destroy(&pl.done);
    pairs_free(&p);
    free(def_out);
    return rc;
}
