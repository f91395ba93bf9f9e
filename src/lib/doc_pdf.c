/* doc_pdf.c -- PDF through Poppler's pdftotext, run as a child process
 * (argv, no shell): "pdftotext -enc UTF-8 -eol unix FILE -" (reading
 * order, not -layout: columns come out one after the other), the bytes on
 * its standard input when no file name is given.
 *
 * Paragraphs are rebuilt from its lines:
 *  - pages are split at form feeds; a line that is the first or the last of
 *    a page and, with its digits ignored, is the first or last line of at
 *    least half of the pages (at least 2) is a running header or footer
 *    and dropped; so is a page number (a line of digits, roman numerals,
 *    "- 3 -", "Seite 3", "Page 3 of 9") at the top or bottom of a page;
 *  - a blank line ends a paragraph; so does a line that ends in . ! ? : or
 *    a closing quote and is clearly shorter (under 85%) than the longest
 *    line of its page, and any line under 60% of it (a heading, the last
 *    line of a list item) unless it ends in a hyphen;
 *  - hyphenation at a line end is undone: "Trenn-" + "ung" is "Trennung"
 *    (the next line starts with a lower-case letter), but "E-" + "Mail"
 *    stays "E-Mail" (upper case or a digit: a real hyphen, joined without
 *    a space), and "Ein-" + "und" stays "Ein- und" (the next word is und,
 *    oder, bzw., and, or: an elided compound); a dash after a space joins
 *    with a space;
 *  - other lines are joined with a space. */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "internal.h"
#include "doc_int.h"
#include "tmkit/utf8.h"

extern char **environ;

struct line {
    const char *s;
    size_t n;
    unsigned long page, no; /* 1-based */
    int drop;
};

static int is_space(char ch) { return ch == ' ' || ch == '\t' || ch == '\r'; }

/* the line with digits left out, for comparing running headers */
static int same_but_digits(const struct line *a, const struct line *b)
{
    size_t i = 0, j = 0;
    for (;;) {
        while (i < a->n && ((a->s[i] >= '0' && a->s[i] <= '9') || is_space(a->s[i])))
            i++;
        while (j < b->n && ((b->s[j] >= '0' && b->s[j] <= '9') || is_space(b->s[j])))
            j++;
        if (i == a->n || j == b->n)
            return i == a->n && j == b->n;
        if (a->s[i] != b->s[j])
            return 0;
        i++, j++;
    }
}

static int is_page_number(const char *s, size_t n)
{
    size_t digits = 0, other = 0;
    static const char *const words[] = {"seite", "page", "p.", "s.", "of", "von", "/", "-"};
    size_t i = 0;
    while (i < n) {
        if (is_space(s[i])) {
            i++;
            continue;
        }
        if (s[i] >= '0' && s[i] <= '9') {
            digits++;
            i++;
            continue;
        }
        size_t k = 0;
        for (; k < sizeof words / sizeof *words; k++) {
            size_t wl = strlen(words[k]);
            if (i + wl <= n && !strncasecmp(s + i, words[k], wl)) {
                i += wl;
                break;
            }
        }
        if (k < sizeof words / sizeof *words)
            continue;
        if (strchr("ivxlcIVXLC", s[i])) {
            digits++;
            i++;
            continue;
        }
        other++;
        i++;
    }
    return digits && !other && digits <= 8;
}

static int ends_sentence(const char *s, size_t n)
{
    while (n && is_space(s[n - 1]))
        n--;
    if (!n)
        return 0;
    unsigned char c = (unsigned char)s[n - 1];
    if (strchr(".!?:", c))
        return 1;
    /* closing quotes: " ' » “ ” ’ ) */
    if (c == '"' || c == '\'' || c == ')')
        return n >= 2 && strchr(".!?", s[n - 2]);
    if (n >= 3 && (unsigned char)s[n - 3] == 0xE2 && (unsigned char)s[n - 2] == 0x80)
        return n >= 4 && strchr(".!?", s[n - 4]);
    if (n >= 2 && (unsigned char)s[n - 2] == 0xC2 && (c == 0xBB || c == 0xAB))
        return n >= 3 && strchr(".!?", s[n - 3]);
    return 0;
}

static int elided_next(const char *s, size_t n)
{
    static const char *const w[] = {"und ", "oder ", "bzw. ", "and ", "or ", "sowie "};
    for (size_t i = 0; i < sizeof w / sizeof *w; i++) {
        size_t l = strlen(w[i]);
        if (n >= l - 1 && !strncmp(s, w[i], n >= l ? l : l - 1) && (n >= l || n == l - 1))
            return 1;
    }
    return 0;
}

int tmk__doc_pdf_text(struct doc_ctx *c, const char *text, size_t len)
{
    size_t nl = 0, cap = 256;
    struct line *L = malloc(cap * sizeof *L);
    if (!L)
        return tmk_error_set(c->err, TMK_ENOMEM, 0, 0, "out of memory");
    unsigned long page = 1, no = 0;
    size_t i = 0;
    while (i < len) {
        size_t e = i;
        while (e < len && text[e] != '\n' && text[e] != '\f')
            e++;
        if (nl == cap) {
            struct line *n2 = realloc(L, 2 * cap * sizeof *L);
            if (!n2) {
                free(L);
                return tmk_error_set(c->err, TMK_ENOMEM, 0, 0, "out of memory");
            }
            L = n2;
            cap *= 2;
        }
        size_t n = e - i;
        while (n && is_space(text[i + n - 1]))
            n--;
        L[nl++] = (struct line){text + i, n, page, ++no, 0};
        if (e < len && text[e] == '\f') {
            page++;
            no = 0;
        }
        i = e + 1;
    }
    unsigned long pages = page;
    /* first and last non-empty line of each page */
    size_t *first = calloc(pages + 1, sizeof *first), *last = calloc(pages + 1, sizeof *last);
    if (!first || !last) {
        free(first), free(last), free(L);
        return tmk_error_set(c->err, TMK_ENOMEM, 0, 0, "out of memory");
    }
    for (size_t k = 0; k < nl; k++)
        if (L[k].n) {
            if (!first[L[k].page])
                first[L[k].page] = k + 1;
            last[L[k].page] = k + 1;
        }
    unsigned long filled = 0;
    for (unsigned long p = 1; p <= pages; p++)
        filled += first[p] != 0;
    for (int side = 0; side < 2; side++) {
        size_t *edge = side ? last : first;
        for (unsigned long p = 1; p <= pages; p++) {
            if (!edge[p])
                continue;
            struct line *a = &L[edge[p] - 1];
            if (is_page_number(a->s, a->n)) {
                a->drop = 1;
                continue;
            }
            unsigned long same = 0;
            for (unsigned long q = 1; q <= pages; q++)
                if (edge[q] && same_but_digits(a, &L[edge[q] - 1]))
                    same++;
            if (filled >= 2 && same >= 2 && 2 * same >= filled)
                a->drop = 1;
        }
    }
    /* the longest line of each page */
    size_t *width = calloc(pages + 1, sizeof *width);
    if (!width) {
        free(first), free(last), free(L);
        return tmk_error_set(c->err, TMK_ENOMEM, 0, 0, "out of memory");
    }
    for (size_t k = 0; k < nl; k++) {
        size_t w = tmk_utf8_count(L[k].s, L[k].n);
        if (!L[k].drop && w > width[L[k].page])
            width[L[k].page] = w;
    }
    doc_text t;
    memset(&t, 0, sizeof t);
    tmk_buf_init(&t.b);
    unsigned long ppage = 0, pline = 0;
    int rc = TMK_OK;
    for (size_t k = 0; k < nl && rc == TMK_OK; k++) {
        struct line *a = &L[k];
        if (a->drop)
            continue;
        if (!a->n) {
            /* a blank line ends a paragraph, but not at a page's end: a
             * paragraph may go on on the next page */
            int page_end = k + 1 < nl && L[k + 1].page != a->page;
            if (!page_end)
                rc = doc_emit(c, &t, TMK_DOC_PARAGRAPH, 0, NULL, NULL, pline, 1, ppage);
            continue;
        }
        if (!t.b.len) {
            ppage = a->page;
            pline = a->no;
        }
        const char *s = a->s;
        size_t n = a->n;
        while (n && is_space(*s))
            s++, n--;
        /* join with what came before */
        if (t.b.len && t.b.data[t.b.len - 1] == '-') {
            size_t bl = t.b.len;
            int after_space = bl >= 2 && t.b.data[bl - 2] == ' ';
            int32_t cp = tmk_utf8_decode(s, n, &(size_t){0});
            if (after_space) {
                t.space = 1; /* a dash */
            } else if (tmk_uc_is_lower(cp) && !elided_next(s, n)) {
                tmk_buf_setlen(&t.b, bl - 1); /* Trenn-ung */
                t.space = 0;
            } else {
                t.space = tmk_uc_is_lower(cp); /* Ein- und; E-Mail */
            }
        } else if (t.b.len) {
            t.space = 1;
        }
        rc = doc_text_add(&t, s, n);
        size_t w = tmk_utf8_count(a->s, a->n);
        if (rc == TMK_OK && a->s[a->n - 1] != '-' &&
            ((ends_sentence(a->s, a->n) && 100 * w < 85 * width[a->page]) ||
             100 * w < 60 * width[a->page]))
            rc = doc_emit(c, &t, TMK_DOC_PARAGRAPH, 0, NULL, NULL, pline, 1, ppage);
    }
    if (rc == TMK_OK)
        rc = doc_emit(c, &t, TMK_DOC_PARAGRAPH, 0, NULL, NULL, pline, 1, ppage);
    tmk_buf_release(&t.b);
    free(width), free(first), free(last), free(L);
    if (rc == TMK_ENOMEM)
        tmk_error_set(c->err, TMK_ENOMEM, 0, 0, "out of memory");
    return rc;
}

int tmk__doc_read_pdf(struct doc_ctx *c, const void *data, size_t len,
                      const tmk_doc_options *opt)
{
    if (!opt->pdftotext)
        return tmk_error_set(c->err, TMK_ENOTFOUND, 0, 0,
                             "reading a PDF needs pdftotext, which is not installed: install "
                             "poppler-utils (apt-get install poppler-utils), or take the text "
                             "out with another tool and give that");
    int in[2] = {-1, -1}, out[2] = {-1, -1}, er[2] = {-1, -1};
    if (!opt->path && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) < 0)
        return tmk_error_set(c->err, TMK_EIO, 0, 0, "cannot run pdftotext: %s", strerror(errno));
    if (pipe2(out, O_CLOEXEC) < 0 || pipe2(er, O_CLOEXEC) < 0) {
        int e = errno;
        for (int k = 0; k < 2; k++) {
            if (in[k] >= 0) close(in[k]);
            if (out[k] >= 0) close(out[k]);
            if (er[k] >= 0) close(er[k]);
        }
        return tmk_error_set(c->err, TMK_EIO, 0, 0, "cannot run pdftotext: %s", strerror(e));
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    if (!opt->path)
        posix_spawn_file_actions_adddup2(&fa, in[1], 0);
    else
        posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_adddup2(&fa, er[1], 2);
    /* a file whose name starts with '-' ("-" is a file here, not standard
     * input) goes as "./NAME", or pdftotext would take it for an option */
    char *dashed = NULL;
    if (opt->path && opt->path[0] == '-' && (dashed = malloc(strlen(opt->path) + 3)))
        sprintf(dashed, "./%s", opt->path);
    const char *file = !opt->path ? "-" : dashed ? dashed : opt->path;
    char *args[] = {(char *)opt->pdftotext, (char *)"-enc", (char *)"UTF-8", (char *)"-eol",
                    (char *)"unix", (char *)file, (char *)"-", NULL};
    pid_t pid;
    int se = posix_spawn(&pid, opt->pdftotext, &fa, NULL, args, environ);
    posix_spawn_file_actions_destroy(&fa);
    free(dashed);
    if (in[1] >= 0)
        close(in[1]);
    close(out[1]);
    close(er[1]);
    if (se) {
        if (in[0] >= 0)
            close(in[0]);
        close(out[0]);
        close(er[0]);
        return tmk_error_set(c->err, TMK_ENOTFOUND, 0, 0,
                             "cannot run %s: %s; reading a PDF needs pdftotext (apt-get "
                             "install poppler-utils)",
                             opt->pdftotext, strerror(se));
    }
    tmk_buf txt = TMK_BUF_INIT, msg = TMK_BUF_INIT;
    size_t sent = 0;
    int rc = TMK_OK;
    int fin = in[0], fout = out[0], ferr = er[0];
    if (fin >= 0 && len == 0) {
        close(fin);
        fin = -1;
    }
    while (fout >= 0 || ferr >= 0) {
        struct pollfd pf[3];
        int np = 0, ii = -1, io = -1, ie = -1;
        if (fin >= 0) ii = np, pf[np++] = (struct pollfd){fin, POLLOUT, 0};
        if (fout >= 0) io = np, pf[np++] = (struct pollfd){fout, POLLIN, 0};
        if (ferr >= 0) ie = np, pf[np++] = (struct pollfd){ferr, POLLIN, 0};
        if (poll(pf, (nfds_t)np, -1) < 0) {
            if (errno == EINTR)
                continue;
            rc = TMK_EIO;
            break;
        }
        if (ii >= 0 && pf[ii].revents) {
            ssize_t w = send(fin, (const char *)data + sent, len - sent, MSG_NOSIGNAL);
            if (w > 0)
                sent += (size_t)w;
            if (w < 0 || sent == len) {
                close(fin);
                fin = -1;
            }
        }
        char buf[16384];
        if (io >= 0 && pf[io].revents) {
            ssize_t r = read(fout, buf, sizeof buf);
            if (r > 0 && tmk_buf_add(&txt, buf, (size_t)r) < 0)
                rc = TMK_ENOMEM;
            if (r <= 0 && !(r < 0 && errno == EINTR)) {
                close(fout);
                fout = -1;
            }
        }
        if (ie >= 0 && pf[ie].revents) {
            ssize_t r = read(ferr, buf, sizeof buf);
            if (r > 0 && msg.len < 4096)
                tmk_buf_add(&msg, buf, (size_t)r);
            if (r <= 0 && !(r < 0 && errno == EINTR)) {
                close(ferr);
                ferr = -1;
            }
        }
        if (rc)
            break;
    }
    if (fin >= 0)
        close(fin);
    if (fout >= 0)
        close(fout);
    if (ferr >= 0)
        close(ferr);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (rc == TMK_OK && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
        /* its first message line */
        size_t k = 0;
        while (k < msg.len && msg.data[k] != '\n')
            k++;
        tmk_buf_setlen(&msg, k);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
            rc = tmk_error_set(c->err, TMK_ENOTFOUND, 0, 0,
                               "cannot run %s; reading a PDF needs pdftotext (apt-get install "
                               "poppler-utils)",
                               opt->pdftotext);
        else
            rc = tmk_error_set(c->err, TMK_ESYNTAX, 0, 0,
                               "pdftotext cannot read this PDF (%s): it is damaged, or "
                               "password-protected (open it and print it to a new PDF)",
                               msg.len ? msg.data : "no reason given");
    } else if (rc == TMK_OK) {
        unsigned long before = c->index;
        rc = tmk__doc_pdf_text(c, txt.data, txt.len);
        if (rc == TMK_OK && c->index == before)
            rc = tmk_error_set(c->err, TMK_EFORMAT, 0, 0,
                               "this PDF has no text, only images (a scan?): run text "
                               "recognition first (ocrmypdf, from the package of that name), "
                               "then give the result");
    } else if (rc == TMK_ENOMEM) {
        tmk_error_set(c->err, TMK_ENOMEM, 0, 0, "out of memory");
    } else {
        tmk_error_set(c->err, TMK_EIO, 0, 0, "reading from pdftotext failed: %s",
                      strerror(errno));
    }
    tmk_buf_release(&txt);
    tmk_buf_release(&msg);
    return rc;
}
