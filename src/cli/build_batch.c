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
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
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
    unsigned long line;   /* its line in the --pairs list, 0 for folder pairs */
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

/* A --pairs LIST that is another kind of file (a TMX memory, a document):
 * say what it is (1 when it is not a list). */
static int list_not_a_list(const char *list, const tmk_buf *raw)
{
    const char *what = NULL;
    enum tmk_decode_content k = tmk_decode_sniff(raw->data, raw->len, &what);
    if (k == TMK_CONTENT_TEXT)
        return 0;
    fprintf(stderr, "tmkit: %s: this is %s, not a list of pairs; --pairs takes a text file with "
                    "one pair a line, SOURCE<TAB>REFERENCE%s\n",
            list, what ? what : "not a text",
            k == TMK_CONTENT_TMX ? " (a memory goes to tmkit merge, filter or convert)" : "");
    return 1;
}

/* A list that is not UTF-8 (saved by Excel as "Text (Tab delimited)", that
 * is windows-1252): LIST:LINE:COL and the byte (1 when it is not). */
static int list_bad_utf8(const char *list, const tmk_buf *raw)
{
    size_t ok = tmk_utf8_valid_prefix(raw->data, raw->len);
    if (ok == raw->len)
        return 0;
    unsigned long line = 1;
    size_t ls = 0;
    for (size_t i = 0; i < ok; i++)
        if (raw->data[i] == '\n') {
            line++;
            ls = i + 1;
        }
    unsigned long col = (unsigned long)tmk_utf8_count(raw->data + ls, ok - ls) + 1;
    fprintf(stderr, "tmkit: %s:%lu:%lu: not valid UTF-8 (byte 0x%02X): the list was saved in "
                    "another encoding (Excel's \"Text (Tab delimited)\" is windows-1252); save "
                    "it as UTF-8, or in Excel as \"Unicode Text\", or convert it: iconv -f "
                    "windows-1252 -t UTF-8 %s > list-utf8.txt\n",
            list, line, col, (unsigned char)raw->data[ok], list);
    return 1;
}

/* --pairs LIST: SOURCE<TAB>REFERENCE a line, names relative to the list's
 * folder; blank lines and lines starting with # are skipped. */
static int read_list(const struct build_cli *c, const char *list, struct pairs *p)
{
    tmk_buf raw = TMK_BUF_INIT;
    tmk_error err = TMK_ERROR_INIT;
    tmk_error_set_file(&err, list);
    if (cli_read_file(list, &raw, &err) < 0) {
        tmk_buf_release(&raw);
        return cli_report(&err);
    }
    if (list_not_a_list(list, &raw)) {
        tmk_buf_release(&raw);
        return TMK_EXIT_INPUT;
    }
    if (raw.len >= 2 && (!memcmp(raw.data, "\xFF\xFE", 2) || !memcmp(raw.data, "\xFE\xFF", 2))) {
        /* UTF-16 with a BOM (Excel's "Unicode Text"): decoded to UTF-8 */
        tmk_buf u8 = TMK_BUF_INIT;
        tmk_decoder *d = NULL;
        tmk_decoder_new(&d, NULL, list, &err);
        int drc = d ? TMK_OK : err.code;
        if (d) {
            tmk_decoder_set_sniff(d, 0, NULL);
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
    if (list_bad_utf8(list, &raw)) {
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
        } else {
            p->v[p->n - 1].line = line;
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
    size_t skipped;   /* files that are not documents */
    char *example;    /* the first of them (its path) */
};

/* Whether ext (without the dot) is one of names[] (any case). */
static int ext_in(const char *ext, const char *const *names)
{
    for (; *names; names++)
        if (!strcasecmp(ext, *names))
            return 1;
    return 0;
}

/* Folder mode pairs documents only (texts, DOCX, ODT, HTML, PDF, ...):
 * a file whose name or first bytes say it is something else -- an image, a
 * font, a stylesheet, a script, a build file, an archive, a program, a
 * memory -- is skipped (1).  A --pairs list takes what it is given. */
static int not_document(const char *full, const char *name)
{
    static const char *const exts[] = {
        "css", "scss", "sass", "less", "js", "mjs", "cjs", "ts", "json", "map", "png", "jpg",
        "jpeg", "gif", "svg", "svgz", "ico", "webp", "bmp", "tif", "tiff", "psd", "woff",
        "woff2", "ttf", "otf", "eot", "mp3", "mp4", "m4a", "wav", "ogg", "webm", "avi", "mov",
        "mkv", "zip", "gz", "tgz", "bz2", "xz", "7z", "rar", "jar", "exe", "dll", "so", "dylib",
        "o", "a", "class", "pyc", "sh", "bat", "cmd", "ps1", "py", "pl", "rb", "mk", "xsl",
        "xslt", "dtd", "xsd", "tmx", "db", "sqlite", NULL};
    static const char *const files[] = {"Makefile", "makefile", "GNUmakefile", "Makefile.am",
                                        "Makefile.in", "CMakeLists.txt", "Dockerfile",
                                        "configure", "Rakefile", NULL};
    for (size_t i = 0; files[i]; i++)
        if (!strcmp(name, files[i]))
            return 1;
    const char *dot = strrchr(name, '.');
    if (dot && dot != name && ext_in(dot + 1, exts))
        return 1;
    unsigned char head[TMK_SNIFF_LEN];
    int fd = open(full, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0; /* the build says why it cannot be read */
    ssize_t n = read(fd, head, sizeof head);
    close(fd);
    if (n <= 0)
        return 0;
    enum tmk_decode_content k = tmk_decode_sniff(head, (size_t)n, NULL);
    return k == TMK_CONTENT_IMAGE || k == TMK_CONTENT_ARCHIVE || k == TMK_CONTENT_BINARY ||
           k == TMK_CONTENT_TMX;
}

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
        } else if (S_ISREG(st.st_mode) && not_document(full, e->d_name)) {
            /* the first by name, so that the note is the same on every system */
            out->skipped++;
            if (!out->example || strcmp(full, out->example) < 0) {
                free(out->example);
                out->example = full;
                full = NULL;
            }
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
    free(n->example);
}

/* The note on the files folder mode skipped as not documents. */
static void note_skipped(const struct names *na, const struct names *nb)
{
    size_t n = na->skipped + nb->skipped;
    if (!n)
        return;
    fprintf(stderr, "tmkit: note: %zu file%s skipped: not documents (images, fonts, stylesheets, "
                    "scripts, build files, archives), such as %s; to build one anyway, give its "
                    "pair in a list with --pairs\n",
            n, n == 1 ? "" : "s", na->example ? na->example : nb->example);
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
    /* a locale written with '_' (Vertrag_de_DE.txt, V.de_DE.txt): the
     * language before the region belongs to the part */
    if (p[-1] == '_') {
        const char *q = p - 1;
        while (q > base && q[-1] != '.' && q[-1] != '_')
            q--;
        size_t ql = (size_t)(p - 1 - q);
        if (q > base && ql >= 2 && ql <= 3 && is_lang_part(q, (size_t)(ext - q)))
            p = q;
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

/* Matching the files of two folders. */
struct match {
    struct names na, nb;  /* the files of each, sorted */
    char **ka, **kb;      /* their names without the language part (lang_key) */
    size_t *ma;           /* the file of b for each of a: index + 1, 0 = none */
    unsigned char *usedb; /* b's file has a partner */
    /* 1 = left out as ambiguous (several files share its key), 2 = listed */
    unsigned char *amba, *ambb;
};

static void match_release(struct match *m)
{
    if (m->ka)
        for (size_t i = 0; i < m->na.n; i++)
            free(m->ka[i]);
    if (m->kb)
        for (size_t j = 0; j < m->nb.n; j++)
            free(m->kb[j]);
    free(m->ka);
    free(m->kb);
    free(m->ma);
    free(m->usedb);
    free(m->amba);
    free(m->ambb);
    names_free(&m->na);
    names_free(&m->nb);
}

/* 1. the same path */
static void match_same_path(struct match *m)
{
    for (size_t i = 0, j = 0; i < m->na.n && j < m->nb.n;) {
        int c = strcmp(m->na.v[i], m->nb.v[j]);
        if (!c) {
            m->ma[i] = j + 1;
            m->usedb[j] = 1;
            i++;
            j++;
        } else if (c < 0)
            i++;
        else
            j++;
    }
}

/* 2. the same name apart from the language part, one file on each side;
 * several on a side: ambiguous.  Returns 0 or -1 (out of memory). */
static int match_lang_keys(struct match *m)
{
    int nomem = 0;
    for (size_t i = 0; !nomem && i < m->na.n; i++)
        if (!m->ma[i])
            m->ka[i] = lang_key(m->na.v[i], &nomem);
    for (size_t j = 0; !nomem && j < m->nb.n; j++)
        if (!m->usedb[j])
            m->kb[j] = lang_key(m->nb.v[j], &nomem);
    for (size_t i = 0; !nomem && i < m->na.n; i++) {
        if (!m->ka[i])
            continue;
        size_t found = 0, count = 0;
        for (size_t j = 0; j < m->nb.n; j++)
            if (m->kb[j] && !strcmp(m->ka[i], m->kb[j])) {
                found = j + 1;
                count++;
            }
        size_t same_a = 0;
        for (size_t k = 0; k < m->na.n; k++)
            if (m->ka[k] && !strcmp(m->ka[i], m->ka[k]))
                same_a++;
        if (count == 1 && same_a == 1) {
            m->ma[i] = found;
            m->usedb[found - 1] = 1;
        } else if (count) { /* offer_de with offer_en and offer_fr: which one? */
            m->amba[i] = 1;
            for (size_t j = 0; j < m->nb.n; j++)
                if (m->kb[j] && !strcmp(m->ka[i], m->kb[j]))
                    m->ambb[j] = 1;
        }
    }
    return nomem ? -1 : 0;
}

/* The files left out as ambiguous: one line per name, the files of a,
 * then those of b. */
static void warn_ambiguous(struct match *m, const char *a, const char *b, size_t ambiguous)
{
    fprintf(stderr, "tmkit: warning: %zu file%s left out as ambiguous: more than two files "
                    "have the same name apart from the language part, so which file pairs "
                    "with which is not clear; give these pairs in a list with --pairs:\n",
            ambiguous, ambiguous == 1 ? "" : "s");
    for (size_t i = 0; i < m->na.n; i++) {
        if (m->amba[i] != 1)
            continue;
        const char *sep = "  ";
        for (size_t k = i; k < m->na.n; k++)
            if (m->amba[k] == 1 && !strcmp(m->ka[i], m->ka[k])) {
                fprintf(stderr, "%s%s/%s", sep, a, m->na.v[k]);
                sep = ", ";
                if (k != i)
                    m->amba[k] = 2;
            }
        for (size_t j = 0; j < m->nb.n; j++)
            if (m->ambb[j] && m->kb[j] && !strcmp(m->ka[i], m->kb[j]))
                fprintf(stderr, "%s%s/%s", sep, b, m->nb.v[j]);
        fputc('\n', stderr);
        m->amba[i] = 2;
    }
}

static void warn_unmatched(const struct match *m, const char *a, const char *b,
                           size_t unmatched)
{
    fprintf(stderr, "tmkit: warning: %zu file%s without a counterpart in the other folder "
                    "(same path, or same name apart from a language part such as .de or "
                    "_en); left out:\n",
            unmatched, unmatched == 1 ? "" : "s");
    for (size_t i = 0; i < m->na.n; i++)
        if (!m->ma[i] && !m->amba[i])
            fprintf(stderr, "  %s/%s\n", a, m->na.v[i]);
    for (size_t j = 0; j < m->nb.n; j++)
        if (!m->usedb[j] && !m->ambb[j])
            fprintf(stderr, "  %s/%s\n", b, m->nb.v[j]);
}

/* Match the files of folders a and b: the same relative path first, else
 * the same name apart from a language part, when that is unambiguous.
 * The pairs are added in a's order; unmatched files are listed. */
static int match_folders(const char *a, const char *b, struct pairs *p, int quiet)
{
    struct match m;
    memset(&m, 0, sizeof m);
    int rc = 0, w;
    if ((w = walk(a, "", &m.na, 0)) || (w = walk(b, "", &m.nb, 0))) {
        if (w == -1)
            cli_errorf("out of memory");
        match_release(&m);
        return TMK_EXIT_IO;
    }
    if (!quiet)
        note_skipped(&m.na, &m.nb);
    size_t na = m.na.n, nb = m.nb.n;
    qsort(m.na.v, na, sizeof *m.na.v, cmp_str);
    qsort(m.nb.v, nb, sizeof *m.nb.v, cmp_str);
    m.ka = calloc(na + 1, sizeof *m.ka);
    m.kb = calloc(nb + 1, sizeof *m.kb);
    m.ma = calloc(na + 1, sizeof *m.ma);
    m.usedb = calloc(nb + 1, 1);
    m.amba = calloc(na + 1, 1);
    m.ambb = calloc(nb + 1, 1);
    int nomem = !m.ka || !m.kb || !m.ma || !m.usedb || !m.amba || !m.ambb;
    if (!nomem) {
        match_same_path(&m);
        nomem = match_lang_keys(&m) < 0;
    }
    size_t unmatched = 0, ambiguous = 0;
    for (size_t i = 0; !nomem && i < na; i++) {
        if (!m.ma[i]) {
            if (m.amba[i])
                ambiguous++;
            else
                unmatched++;
            continue;
        }
        const char *x = m.na.v[i], *y = m.nb.v[m.ma[i] - 1];
        if (pairs_add(p, join_path(a, strlen(a), x, strlen(x)),
                      join_path(b, strlen(b), y, strlen(y)), strdup(x)) < 0)
            nomem = 1;
    }
    for (size_t j = 0; !nomem && j < nb; j++)
        if (!m.usedb[j]) {
            if (m.ambb[j])
                ambiguous++;
            else
                unmatched++;
        }
    if (!nomem && ambiguous && !quiet)
        warn_ambiguous(&m, a, b, ambiguous);
    if (nomem) {
        cli_errorf("out of memory");
        rc = TMK_EXIT_IO;
    } else if (unmatched && !quiet) {
        warn_unmatched(&m, a, b, unmatched);
    }
    if (!rc && !p->n) {
        fprintf(stderr, "tmkit: %s and %s: no file of one folder matches %s file of the other "
                        "by name; name them alike (report.de.docx, report.en.docx) or give a "
                        "list with --pairs\n", a, b, ambiguous ? "exactly one" : "a");
        rc = TMK_EXIT_INPUT;
    }
    match_release(&m);
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
                                             (x->doc[1] ? TMK_BUILD_TGT_DOC : 0), NULL);
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


/* The units of pair x into writer w, whose warnings go to *wctx (errors
 * name out_path). */
static int write_pair(tmk_tmx_writer *w, struct build_warn *wctx, const struct pair *x,
                      const char *out_path)
{
    tmk_error err = TMK_ERROR_INIT;
    *wctx = (struct build_warn){x->res, x->src, x->tgt, NULL, 0};
    struct build_write xc = {w, wctx, &err, x->res, {NULL, NULL}};
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
    cli_outfile *of = cli_outfile_open(path, &err);
    if (!of)
        return cli_report(&err);
    tmk_tmx_header h = {0};
    h.srclang = c->src_lang;
    h.creationdate = -1;
    tmk_error_set_file(&err, path);
    tmk_tmx_write_options wo = TMK_TMX_WRITE_OPTIONS_INIT;
    wo.creation_time = cli_creation_time();
    wo.file = cli_outfile_stream(of);
    struct build_warn wctx = {0};
    tmk_tmx_writer *w = NULL;
    int rc = tmk_tmx_writer_new(&w, &wo, &h, NULL, build_warn_tmx, &wctx, &err) < 0
                 ? cli_report(&err)
                 : write_pair(w, &wctx, x, path);
    if (!rc && tmk_tmx_writer_finish(w, &err) < 0)
        rc = cli_report(&err);
    tmk_tmx_writer_free(w);
    if (rc) {
        cli_outfile_abort(of);
        return rc;
    }
    if (cli_outfile_commit(of, &err) < 0)
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

/* A failed pair of the --pairs list: the line to correct. */
static void note_list_line(const struct build_cli *c, const struct pair *x)
{
    if (x->line)
        fprintf(stderr, "tmkit: %s:%lu: this pair is left out (the reason is above); correct "
                        "the line or the file it names\n", c->pairs_list, x->line);
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

/* The command line of a batch: what goes with --pairs, the languages, the
 * output; makes the --each folder (and the folders above it). */
static int check_batch_args(struct build_cli *c, int nargs, char **args)
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
    return 0;
}

/* A batch while its pairs are built and written. */
struct batch {
    struct build_cli *c;
    struct pairs p;
    const char *out_path; /* the one memory (not with --each) */
    char *def_out;        /* its default name, when -o gave none */
    cli_outfile *mem;
    tmk_tmx_writer *w;
    struct build_warn wctx; /* w's warnings: the pair being written */
    struct pool pl;
    pthread_t *th;
    unsigned nth;
    /* what came out */
    size_t failed, built, first_fail;
    int first_rc;
    tmk_build_figures total;
    char **dicts; /* the bilingual dictionaries used, each once */
    size_t ndicts;
    char **each_out; /* --each: the memory of each pair */
};

/* The one memory: its name (from -o, else from the list or the first
 * folder), never one of the inputs; opened with its TMX writer. */
static int open_memory(struct batch *B, char **args)
{
    struct build_cli *c = B->c;
    B->out_path = c->out_path;
    if (!B->out_path) {
        const char *from = c->pairs_list ? c->pairs_list : args[0];
        size_t n = strlen(from);
        while (n > 1 && from[n - 1] == '/')
            n--;
        char *t = strndup(from, n);
        B->def_out = t ? build_default_output(t) : NULL;
        free(t);
        if (!B->def_out) {
            cli_errorf("out of memory");
            return TMK_EXIT_IO;
        }
        B->out_path = B->def_out;
    }
    if (c->pairs_list && cli_same_file(B->out_path, c->pairs_list))
        return cli_usage_error(c->cmd, "'%s' is the list of pairs; writing the memory there "
                               "would replace it: choose another name with -o",
                               c->pairs_list);
    for (size_t i = 0; i < B->p.n; i++)
        for (int k = 0; k < 2; k++) {
            const char *in = k ? B->p.v[i].tgt : B->p.v[i].src;
            if (cli_same_file(B->out_path, in))
                return cli_usage_error(c->cmd, "'%s' is an input file; writing the memory "
                                       "there would replace it: choose another name with -o",
                                       in);
        }
    tmk_error err = TMK_ERROR_INIT;
    B->mem = cli_outfile_open(B->out_path, &err);
    if (!B->mem)
        return cli_report(&err);
    tmk_tmx_header h = {0};
    h.srclang = c->src_lang;
    h.creationdate = -1;
    tmk_error_set_file(&err, B->out_path);
    tmk_tmx_write_options wo = TMK_TMX_WRITE_OPTIONS_INIT;
    wo.creation_time = cli_creation_time();
    wo.file = cli_outfile_stream(B->mem);
    return tmk_tmx_writer_new(&B->w, &wo, &h, NULL, build_warn_tmx, &B->wctx, &err) < 0
               ? cli_report(&err)
               : 0;
}

/* The workers, one builder each (-j, else one per processor, at most one
 * per pair). */
static int start_workers(struct batch *B, const tmk_build_options *bo)
{
    B->pl.p = &B->p;
    B->pl.bo = bo;
    unsigned nth = B->c->jobs ? B->c->jobs : processors();
    if (nth > B->p.n)
        nth = (unsigned)B->p.n;
    B->th = calloc(nth, sizeof *B->th);
    if (!B->th) {
        cli_errorf("out of memory");
        return TMK_EXIT_IO;
    }
    while (B->nth < nth && pthread_create(&B->th[B->nth], NULL, worker, &B->pl) == 0)
        B->nth++;
    if (!B->nth) {
        cli_errorf("cannot start a thread: %s", strerror(errno));
        return TMK_EXIT_IO;
    }
    return 0;
}

static void stop_workers(struct batch *B)
{
    pthread_mutex_lock(&B->pl.mu);
    B->pl.stop = 1;
    pthread_cond_broadcast(&B->pl.work);
    pthread_mutex_unlock(&B->pl.mu);
    for (unsigned i = 0; i < B->nth; i++)
        pthread_join(B->th[i], NULL);
    B->nth = 0;
}

/* Read pair ri's texts (in order, in this thread: its messages come in
 * order) and hand it to the workers. */
static void read_pair(struct batch *B, size_t ri)
{
    const struct build_cli *c = B->c;
    struct pair *x = &B->p.v[ri];
    int r = cli_read_text_doc(x->src, c->enc, c->src_lang, &x->st,
                              c->keep_fmt ? &x->fmt[0] : NULL, &x->doc[0]);
    if (!r)
        r = cli_read_text_doc(x->tgt, c->ref_enc ? c->ref_enc : c->enc, c->tgt_lang, &x->tt,
                              c->keep_fmt ? &x->fmt[1] : NULL, &x->doc[1]);
    x->read_failed = r; /* its exit code; the message is out */
    pthread_mutex_lock(&B->pl.mu);
    B->pl.ready = ri + 1;
    pthread_cond_signal(&B->pl.work);
    pthread_mutex_unlock(&B->pl.mu);
}

/* A built pair's figures and dictionaries into the totals. */
static void count_pair(struct batch *B, struct pair *x)
{
    const tmk_build_figures *fig = tmk_build_result_figures(x->res);
    build_figures_add(&B->total, fig);
    x->segs[0] = fig->src_segs;
    x->segs[1] = fig->tgt_segs;
    x->units = fig->units;
    B->built++;
    const char *dp;
    size_t dn;
    for (size_t k = 0; tmk_build_result_dict(x->res, k, &dp, &dn) == 0; k++) {
        size_t j = 0;
        while (j < B->ndicts && strcmp(B->dicts[j], dp))
            j++;
        if (j == B->ndicts) {
            char **nd = realloc(B->dicts, (B->ndicts + 1) * sizeof *nd);
            if (nd && (nd[B->ndicts] = strdup(dp)))
                B->ndicts++;
            if (nd)
                B->dicts = nd;
        }
    }
}

/* Pair wi once it is built: its notes, then written (kept until the end
 * with --each --strict) or its failure reported.  0 to go on, else the
 * exit code to stop with. */
static int take_pair(struct batch *B, size_t wi)
{
    const struct build_cli *c = B->c;
    struct pair *x = &B->p.v[wi];
    pthread_mutex_lock(&B->pl.mu);
    while (x->state != 2)
        pthread_cond_wait(&B->pl.done, &B->pl.mu);
    pthread_mutex_unlock(&B->pl.mu);
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
        xrc = write_each(c, x, &B->each_out[wi]);
    else if (c->each)
        keep = 1; /* --strict: written once every pair is built */
    else if ((xrc = write_pair(B->w, &B->wctx, x, B->out_path)))
        return xrc; /* the memory cannot be written: no point going on */
    if (xrc) {
        x->rc = xrc;
        note_list_line(c, x);
        if (!B->failed++) {
            B->first_fail = wi;
            B->first_rc = xrc;
        }
        if (c->strict) {
            fprintf(stderr, "tmkit: %s and %s: stopped (--strict); nothing written\n", x->src,
                    x->tgt);
            return xrc;
        }
    } else {
        count_pair(B, x);
        if (x->res) /* a misnamed file pairs two unrelated texts */
            cli_warn_unrelated("tmkit", x->src, x->tgt, &tmk_build_result_figures(x->res)->align);
    }
    if (!keep) {
        tmk_build_result_free(x->res);
        x->res = NULL;
        cli_fmt_release(&x->fmt[0]);
        cli_fmt_release(&x->fmt[1]);
    }
    return 0;
}

/* Every pair: read ahead up to WINDOW pairs, and write each in order as
 * soon as it is built. */
static int run_pairs(struct batch *B)
{
    int show = !B->c->quiet && cli_stderr_is_tty();
    size_t n = B->p.n;
    for (size_t wi = 0, ri = 0; wi < n;) {
        if (ri < n && ri - wi < WINDOW) {
            read_pair(B, ri++);
            if (ri < n && ri - wi < WINDOW)
                continue;
        }
        int rc = take_pair(B, wi);
        if (rc)
            return rc;
        wi++;
        if (show)
            fprintf(stderr, "\rtmkit: pair %zu of %zu%s", wi, n, B->failed ? " (some failed)" : "");
    }
    if (show)
        fprintf(stderr, "\r%-60s\r", "");
    return 0;
}

/* Every pair built: the memories written (--each --strict) or the one
 * memory finished and committed, then the summary. */
static int finish_batch(struct batch *B)
{
    const struct build_cli *c = B->c;
    if (!B->built) {
        fprintf(stderr, "tmkit: no pair could be built (the first, %s and %s, failed as said "
                        "above); nothing written\n",
                B->p.v[B->first_fail].src, B->p.v[B->first_fail].tgt);
        return B->first_rc;
    }
    int rc;
    if (c->each && c->strict)
        for (size_t i = 0; i < B->p.n; i++) {
            if ((rc = write_each(c, &B->p.v[i], &B->each_out[i])))
                return rc;
            tmk_build_result_free(B->p.v[i].res);
            B->p.v[i].res = NULL;
        }
    if (!c->each) {
        tmk_error err = TMK_ERROR_INIT;
        tmk_error_set_file(&err, B->out_path);
        if (tmk_tmx_writer_finish(B->w, &err) < 0)
            return cli_report(&err);
        cli_outfile *m = B->mem;
        B->mem = NULL;
        if (cli_outfile_commit(m, &err) < 0)
            return cli_report(&err);
    }
    if (!c->quiet)
        print_summary(c, &B->p, B->out_path, B->each_out, B->built, B->failed, &B->total,
                      B->dicts, B->ndicts);
    return B->failed ? TMK_EXIT_FINDINGS : TMK_EXIT_OK;
}

static void batch_release(struct batch *B)
{
    stop_workers(B);
    free(B->th);
    if (B->each_out)
        for (size_t i = 0; i < B->p.n; i++)
            free(B->each_out[i]);
    free(B->each_out);
    for (size_t k = 0; k < B->ndicts; k++)
        free(B->dicts[k]);
    free(B->dicts);
    if (B->w)
        tmk_tmx_writer_free(B->w);
    if (B->mem)
        cli_outfile_abort(B->mem);
    pthread_mutex_destroy(&B->pl.mu);
    pthread_cond_destroy(&B->pl.work);
    pthread_cond_destroy(&B->pl.done);
    pairs_free(&B->p);
    free(B->def_out);
}

/* --pairs: the list (or two folders) -> the pairs -> built by the workers
 * and written in order -> the summary. */
int build_batch(struct build_cli *c, int nargs, char **args)
{
    int rc = check_batch_args(c, nargs, args);
    if (rc)
        return rc;
    struct batch B;
    memset(&B, 0, sizeof B);
    B.c = c;
    pthread_mutex_init(&B.pl.mu, NULL);
    pthread_cond_init(&B.pl.work, NULL);
    pthread_cond_init(&B.pl.done, NULL);
    if (c->pairs_list)
        rc = read_list(c, c->pairs_list, &B.p);
    if (!rc && nargs == 2)
        rc = match_folders(args[0], args[1], &B.p, c->quiet);
    if (!rc)
        rc = c->each ? check_each_names(c, &B.p) : open_memory(&B, args);
    tmk_build_options bo = TMK_BUILD_OPTIONS_INIT;
    build_cli_options(c, &bo);
    bo.threads = 1; /* the pairs are the unit of parallel work */
    bo.keep_stemmers = 1;
    if (!rc)
        rc = start_workers(&B, &bo);
    if (!rc && c->each && !(B.each_out = calloc(B.p.n, sizeof *B.each_out))) {
        cli_errorf("out of memory");
        rc = TMK_EXIT_IO;
    }
    if (!rc)
        rc = run_pairs(&B);
    if (!rc)
        rc = finish_batch(&B);
    batch_release(&B);
    return rc;
}
