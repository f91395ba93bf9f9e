/* doc_pdf.c -- PDF through Poppler's pdftotext, run as a child process
 * (argv, no shell): "pdftotext -tsv -enc UTF-8 FILE -" (reading order, not
 * -layout: columns come out one after the other), the bytes on its
 * standard input when no file name is given.  -tsv gives each word with
 * its box, grouped in blocks and lines, and leaves the words as printed
 * (the plain output undoes every hyphen at a line end itself, "E-" + "Mail"
 * into "EMail").
 *
 * Paragraphs are rebuilt from the layout:
 *  - a running header or footer is dropped: the first or last line of a
 *    page that, digits ignored, is the first or last line of at least half
 *    of the pages (at least 2); so is a page number (a line of digits,
 *    roman numerals, "- 3 -", "Seite 3", "Page 3 of 9") there;
 *  - inside a block, a line ends its paragraph when the next line's first
 *    word would have fitted after it (the line was ended, not filled: a
 *    heading, the last line of a paragraph or list item), when it is under
 *    60% of the block's width, when the next line is indented after a
 *    sentence end, or when a gap of a line follows;
 *  - a new block starts a paragraph unless the line before is full and
 *    does not end a sentence (a paragraph going on in the next column or
 *    on the next page); a one-line block takes the width of the blocks of
 *    several lines beside it;
 *  - a hyphen at a line end: "Trenn-" + "ung" is "Trennung" (a lower-case
 *    continuation), unless the document writes the hyphenated word
 *    elsewhere ("bug-gettext"), or it is an address or a path (@, /, www.);
 *    it stays before upper case or a digit ("E-Mail", joined without a
 *    space) and before und, oder, bzw., and, or ("Ein- und Ausgang"); a
 *    dash after a space joins with a space; a soft hyphen joins. */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
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
    size_t off, n;          /* the text: words joined by one space, in words */
    unsigned long page, no; /* 1-based; no counts the lines of the page */
    unsigned long block;    /* pdftotext's block (a new one at each page) */
    double x0, x1, y0, h;   /* left, right, top edge and height */
    double fw;              /* width of the first word */
    int drop;
    const char *s;          /* set once all text is read */
};

static int is_space(char ch) { return ch == ' ' || ch == '\t' || ch == '\r'; }

/* The line with digits and spaces left out, hashed: running headers
 * and footers ("Seite 3", "Seite 4") hash alike. */
static uint64_t hash_but_digits(const struct line *a)
{
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < a->n; i++)
        if (!(a->s[i] >= '0' && a->s[i] <= '9') && !is_space(a->s[i]))
            h = (h ^ (unsigned char)a->s[i]) * 1099511628211u;
    return h;
}

struct edge {
    uint64_t hash;
    size_t line;
};

static int cmp_edge(const void *x, const void *y)
{
    const struct edge *a = x, *b = y;
    return a->hash < b->hash ? -1 : a->hash > b->hash;
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

/* A number as pdftotext writes it ("56.800000"), whatever the locale. */
static double tsv_num(const char *s, const char *e)
{
    double v = 0, scale = 0;
    int neg = s < e && *s == '-';
    for (s += neg; s < e; s++) {
        if (*s >= '0' && *s <= '9') {
            v = v * 10 + (*s - '0');
            if (scale)
                scale *= 10;
        } else if ((*s == '.' || *s == ',') && !scale) {
            scale = 1;
        } else {
            break;
        }
    }
    if (scale > 1)
        v /= scale;
    return neg ? -v : v;
}

/* The words of the document, for the hyphen at a line end: "bug-" +
 * "gettext" stays "bug-gettext" when the document writes that elsewhere,
 * "Trenn-" + "ung" becomes "Trennung" when it writes that, or when it
 * writes neither. */
struct wordset {
    const char *base;
    size_t *slot; /* off + 1 << 20 | len, 0 = empty; see ws_key */
    size_t *len;
    size_t cap, n;
};

static uint64_t ws_hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

static int ws_add(struct wordset *w, size_t off, size_t n)
{
    if (2 * (w->n + 1) > w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 1024;
        size_t *slot = calloc(cap, sizeof *slot), *len = calloc(cap, sizeof *len);
        if (!slot || !len) {
            free(slot), free(len);
            return TMK_ENOMEM;
        }
        for (size_t i = 0; i < w->cap; i++)
            if (w->slot[i]) {
                size_t k = ws_hash(w->base + w->slot[i] - 1, w->len[i]) & (cap - 1);
                while (slot[k])
                    k = (k + 1) & (cap - 1);
                slot[k] = w->slot[i], len[k] = w->len[i];
            }
        free(w->slot), free(w->len);
        w->slot = slot, w->len = len, w->cap = cap;
    }
    size_t k = ws_hash(w->base + off, n) & (w->cap - 1);
    for (; w->slot[k]; k = (k + 1) & (w->cap - 1))
        if (w->len[k] == n && !memcmp(w->base + w->slot[k] - 1, w->base + off, n))
            return TMK_OK;
    w->slot[k] = off + 1, w->len[k] = n, w->n++;
    return TMK_OK;
}

static int ws_has(const struct wordset *w, const char *s, size_t n)
{
    if (!w->cap)
        return 0;
    size_t k = ws_hash(s, n) & (w->cap - 1);
    for (; w->slot[k]; k = (k + 1) & (w->cap - 1))
        if (w->len[k] == n && !memcmp(w->base + w->slot[k] - 1, s, n))
            return 1;
    return 0;
}

/* s[0..n) without the punctuation around a word ("(Mail," -> "Mail") */
static void word_core(const char **s, size_t *n)
{
    while (*n && strchr("([{\"'\xC2\xBB\xAB\xE2\x80\x9E\x9C\x9D", **s))
        (*s)++, (*n)--;
    while (*n && strchr(".,;:!?)]}\"'\xC2\xBB\xAB\xE2\x80\x9C\x9D", (*s)[*n - 1]))
        (*n)--;
}

/* Should "pre-" at a line end and "next" at the start of the next keep
 * the hyphen?  pre and next are the whole words. */
static int keep_hyphen(const struct wordset *w, const char *pre, size_t pn, const char *next,
                       size_t nn, tmk_buf *tmp)
{
    word_core(&next, &nn);
    const char *p = pre;
    size_t n = pn;
    while (n && strchr("([{\"'", *p))
        p++, n--;
    tmk_buf_setlen(tmp, 0);
    if (tmk_buf_add(tmp, p, n) < 0 || tmk_buf_add(tmp, next, nn) < 0)
        return 0;
    if (ws_has(w, tmp->data, tmp->len)) /* "bug-gettext" written elsewhere */
        return 1;
    tmk_buf_setlen(tmp, n - 1);
    if (tmk_buf_add(tmp, next, nn) < 0)
        return 0;
    if (ws_has(w, tmp->data, tmp->len)) /* "Trennung" */
        return 0;
    /* an address or a file name is never hyphenated by a word processor */
    return memchr(tmp->data, '@', tmp->len) || memchr(tmp->data, '/', tmp->len) ||
           (tmp->len >= 4 && !memcmp(tmp->data, "www.", 4));
}

/* Parse pdftotext -tsv: a header line, then one row a page (level 1), a
 * flow or block (2, 3), a line (4), a word (5): level, page, par, block,
 * line, word, left, top, width, height, conf, text (the rest). */
static int read_tsv(const char *text, size_t len, struct line **out, size_t *nout, tmk_buf *all)
{
    size_t nl = 0, cap = 256;
    struct line *L = malloc(cap * sizeof *L);
    if (!L)
        return TMK_ENOMEM;
    unsigned long page = 0, no = 0, block = 0;
    double last_pg = -1, prev_x1 = 0;
    int cur = 0; /* a line is open */
    size_t i = 0;
    while (i < len) {
        const char *row = text + i;
        const char *e = memchr(row, '\n', len - i);
        size_t rl = e ? (size_t)(e - row) : len - i;
        i += rl + 1;
        const char *f[12], *fe[12];
        size_t nf = 0;
        const char *p = row, *end = row + rl;
        while (nf < 11) {
            const char *t = memchr(p, '\t', (size_t)(end - p));
            if (!t)
                break;
            f[nf] = p, fe[nf] = t, nf++;
            p = t + 1;
        }
        if (nf < 11 || *row < '1' || *row > '5')
            continue; /* the header line, or not a row */
        f[11] = p, fe[11] = end;
        while (fe[11] > f[11] && (fe[11][-1] == '\r' || fe[11][-1] == ' '))
            fe[11]--;
        int level = *row - '0';
        double pg = tsv_num(f[1], fe[1]);
        if (level == 1 || pg != last_pg || !page) {
            /* counted here, not taken from the row: pages stay 1..rows */
            page++;
            last_pg = pg;
            no = 0;
            block++;
            cur = 0;
        }
        if (level == 2 || level == 3) {
            block++;
            cur = 0;
            continue;
        }
        double x = tsv_num(f[6], fe[6]), y = tsv_num(f[7], fe[7]);
        double w = tsv_num(f[8], fe[8]), h = tsv_num(f[9], fe[9]);
        if (level == 4 || (level == 5 && !cur)) {
            if (nl == cap) {
                struct line *n2 = realloc(L, 2 * cap * sizeof *L);
                if (!n2) {
                    free(L);
                    return TMK_ENOMEM;
                }
                L = n2;
                cap *= 2;
            }
            L[nl++] = (struct line){all->len, 0, page, ++no, block, x, x + w, y, h, -1, 0, NULL};
            cur = 1;
        }
        if (level != 5 || fe[11] == f[11])
            continue;
        struct line *a = &L[nl - 1];
        /* words are apart when there is a gap (a space is about a quarter
         * of the height); a comma set in another font than the word before
         * it is a word of its own with no gap: no space */
        if (a->n && x - prev_x1 >= 0.12 * (h > 0 ? h : 10) && tmk_buf_add(all, " ", 1) < 0) {
            free(L);
            return TMK_ENOMEM;
        }
        if (tmk_buf_add(all, f[11], (size_t)(fe[11] - f[11])) < 0) {
            free(L);
            return TMK_ENOMEM;
        }
        a->n = all->len - a->off;
        prev_x1 = x + w;
        if (a->fw < 0)
            a->fw = w;
        if (x + w > a->x1)
            a->x1 = x + w;
        if (x < a->x0)
            a->x0 = x;
    }
    /* lines without words are left out */
    size_t k = 0;
    for (size_t j = 0; j < nl; j++)
        if (L[j].n)
            L[k++] = L[j];
    for (size_t j = 0; j < k; j++) {
        L[j].s = all->data + L[j].off;
        if (L[j].fw < 0)
            L[j].fw = 0;
    }
    *out = L;
    *nout = k;
    return TMK_OK;
}

static int ends_with(const struct line *a, const char *suffix)
{
    size_t n = strlen(suffix);
    return a->n >= n && !memcmp(a->s + a->n - n, suffix, n);
}

/* A block of one line (a heading, a short paragraph, the end of one that
 * began in another column) says nothing about the width of its column:
 * take the edges of the blocks of several lines near it on the page that
 * overlap it (at most 64 on either side, so a hostile page stays linear). */
static void widen_single_lines(const struct line *L, size_t nl, double *bl, double *br,
                               unsigned long blocks)
{
    /* first line and number of lines of each block */
    size_t *at = calloc(blocks + 1, sizeof *at), *cnt = calloc(blocks + 1, sizeof *cnt);
    double *nl_ = malloc((blocks + 1) * sizeof *nl_), *nr = malloc((blocks + 1) * sizeof *nr);
    if (!at || !cnt || !nl_ || !nr) {
        free(at), free(cnt), free(nl_), free(nr);
        return; /* only a worse guess */
    }
    for (size_t k = 0; k < nl; k++)
        if (!L[k].drop) {
            if (!cnt[L[k].block])
                at[L[k].block] = k;
            cnt[L[k].block]++;
        }
    for (unsigned long b = 1; b <= blocks; b++) {
        nl_[b] = bl[b], nr[b] = br[b];
        if (cnt[b] != 1)
            continue;
        unsigned long page = L[at[b]].page;
        unsigned long lo = b > 64 ? b - 64 : 1, hi = b + 64 <= blocks ? b + 64 : blocks;
        for (unsigned long o = lo; o <= hi; o++)
            if (cnt[o] >= 2 && L[at[o]].page == page && bl[o] < br[b] && br[o] > bl[b]) {
                if (bl[o] < nl_[b])
                    nl_[b] = bl[o];
                if (br[o] > nr[b])
                    nr[b] = br[o];
            }
    }
    for (unsigned long b = 1; b <= blocks; b++)
        bl[b] = nl_[b], br[b] = nr[b];
    free(at), free(cnt), free(nl_), free(nr);
}

/* Drop the running headers and footers (the same first or last line of
 * a page, digits aside, on at least half of the pages) and the page
 * numbers.  first and last (pages + 1 entries, zeroed) get each page's
 * first and last line (index + 1); TMK_ENOMEM. */
static int drop_page_edges(struct line *L, size_t nl, unsigned long pages, size_t *first,
                           size_t *last)
{
    for (size_t k = 0; k < nl; k++) {
        if (!first[L[k].page])
            first[L[k].page] = k + 1;
        last[L[k].page] = k + 1;
    }
    unsigned long filled = 0;
    for (unsigned long p = 1; p <= pages; p++)
        filled += first[p] != 0;
    struct edge *edges = malloc((pages + 1) * sizeof *edges);
    if (!edges)
        return TMK_ENOMEM;
    for (int side = 0; side < 2; side++) {
        size_t *edge = side ? last : first, ne = 0;
        for (unsigned long p = 1; p <= pages; p++)
            if (edge[p]) {
                struct line *a = &L[edge[p] - 1];
                if (is_page_number(a->s, a->n))
                    a->drop = 1;
                else
                    edges[ne++] = (struct edge){hash_but_digits(a), edge[p] - 1};
            }
        /* the same line, digits aside, on at least half of the pages */
        qsort(edges, ne, sizeof *edges, cmp_edge);
        for (size_t i = 0, j; i < ne; i = j) {
            for (j = i + 1; j < ne && edges[j].hash == edges[i].hash; j++)
                ;
            unsigned long same = (unsigned long)(j - i);
            if (filled >= 2 && same >= 2 && 2 * same >= filled)
                for (size_t k = i; k < j; k++)
                    L[edges[k].line].drop = 1;
        }
    }
    free(edges);
    return TMK_OK;
}

/* Join line s to the paragraph so far: a hyphen at the end of t goes
 * (Trenn-ung) or stays (E-Mail, Ein- und), a soft hyphen goes, else a
 * space comes between. */
static void join_line(doc_text *t, const struct wordset *ws, const char *s, size_t n,
                      tmk_buf *tmp)
{
    if (t->b.len && t->b.data[t->b.len - 1] == '-') {
        size_t len0 = t->b.len;
        int after_space = len0 >= 2 && t->b.data[len0 - 2] == ' ';
        int32_t cp = tmk_utf8_decode(s, n, &(size_t){0});
        size_t ws0 = len0;
        while (ws0 && t->b.data[ws0 - 1] != ' ')
            ws0--;
        size_t nw = 0;
        while (nw < n && s[nw] != ' ')
            nw++;
        if (after_space) {
            t->space = 1; /* a dash */
        } else if (tmk_utf8_is_lower(cp) && !elided_next(s, n) &&
                   !keep_hyphen(ws, t->b.data + ws0, len0 - ws0, s, nw, tmp)) {
            tmk_buf_setlen(&t->b, len0 - 1); /* Trenn-ung */
            t->space = 0;
        } else {
            t->space = elided_next(s, n); /* Ein- und; E-Mail; bug-gettext */
        }
    } else if (t->b.len) {
        t->space = t->b.data[t->b.len - 1] != '\x01';
        if (!t->space)
            tmk_buf_setlen(&t->b, t->b.len - 1); /* a soft hyphen */
    }
}

/* Whether a paragraph ends after line a, b the next line, left and right
 * the edges of a's block. */
static int para_ends(const struct line *a, const struct line *b, double left, double right)
{
    double h = a->h > 0 ? a->h : 10;
    int hyphen = ends_with(a, "-") || ends_with(a, "\xC2\xAD");
    /* the next line's first word would have fitted: the line was ended */
    int ended = right - a->x1 > b->fw + 0.3 * h;
    int shorter = a->x1 - left < 0.6 * (right - left);
    int sentence = ends_sentence(a->s, a->n);
    int brk;
    if (b->block != a->block) {
        /* a new block: a new paragraph, unless this line is full and
         * the sentence goes on (a paragraph that goes on on the next
         * page or column) */
        brk = hyphen ? !tmk_utf8_is_lower(tmk_utf8_decode(b->s, b->n, &(size_t){0}))
                     : sentence || ended || shorter;
        if (b->page == a->page && b->y0 - (a->y0 + a->h) > h)
            brk = brk || !hyphen; /* a gap of a line or more */
    } else if (hyphen) {
        brk = 0;
    } else {
        int indent = b->x0 - left > 0.8 * h && a->x0 - left < 0.4 * h;
        brk = ended || shorter || (sentence && indent) || b->y0 - (a->y0 + a->h) > h;
    }
    return brk;
}

int tmk__doc_pdf_text(struct doc_ctx *c, const char *text, size_t len)
{
    struct line *L = NULL;
    size_t nl = 0;
    tmk_buf all = TMK_BUF_INIT, tmp = TMK_BUF_INIT;
    struct wordset ws = {0};
    size_t *first = NULL, *last = NULL;
    double *bl = NULL, *br = NULL;
    doc_text t;
    memset(&t, 0, sizeof t);
    tmk_buf_init(&t.b);
    int rc = read_tsv(text, len, &L, &nl, &all);
    if (rc)
        goto out;
    unsigned long pages = nl ? L[nl - 1].page : 0, blocks = nl ? L[nl - 1].block : 0;
    first = calloc(pages + 1, sizeof *first), last = calloc(pages + 1, sizeof *last);
    bl = calloc(blocks + 1, sizeof *bl), br = calloc(blocks + 1, sizeof *br);
    if (!first || !last || !bl || !br) {
        rc = TMK_ENOMEM;
        goto out;
    }
    /* running headers and footers, page numbers */
    if ((rc = drop_page_edges(L, nl, pages, first, last)) < 0)
        goto out;
    /* each block's left and right edge; the words of the document */
    ws.base = all.data;
    for (size_t k = 0; k < nl; k++) {
        struct line *a = &L[k];
        if (a->drop)
            continue;
        if (!br[a->block] || a->x0 < bl[a->block])
            bl[a->block] = a->x0;
        if (!br[a->block] || a->x1 > br[a->block])
            br[a->block] = a->x1;
        for (size_t j = 0; j < a->n && rc == TMK_OK;) {
            size_t e = j;
            while (e < a->n && a->s[e] != ' ')
                e++;
            const char *w = a->s + j;
            size_t wn = e - j;
            word_core(&w, &wn);
            if (wn)
                rc = ws_add(&ws, (size_t)(w - all.data), wn);
            j = e + 1;
        }
    }
    if (rc)
        goto out;
    widen_single_lines(L, nl, bl, br, blocks);
    unsigned long ppage = 0, pline = 0;
    for (size_t k = 0; k < nl && rc == TMK_OK; k++) {
        struct line *a = &L[k];
        if (a->drop)
            continue;
        if (!t.b.len) {
            ppage = a->page;
            pline = a->no;
        }
        const char *s = a->s;
        size_t n = a->n;
        join_line(&t, &ws, s, n, &tmp);
        rc = doc_text_add(&t, s, n);
        if (rc == TMK_OK && ends_with(a, "\xC2\xAD")) /* a soft hyphen: join without space */
            rc = tmk_buf_add(&t.b, "\x01", 1) < 0 ? TMK_ENOMEM : TMK_OK;
        if (rc)
            break;
        /* does a paragraph end here? */
        size_t k2 = k + 1;
        while (k2 < nl && L[k2].drop)
            k2++;
        if (k2 == nl)
            break;
        const struct line *b = &L[k2];
        int brk = para_ends(a, b, bl[a->block], br[a->block]);
        if (brk) {
            if (t.b.len && t.b.data[t.b.len - 1] == '\x01')
                tmk_buf_setlen(&t.b, t.b.len - 1);
            rc = doc_emit(c, &t, TMK_DOC_PARAGRAPH, 0, NULL, NULL, pline, 1, ppage);
        }
    }
    if (rc == TMK_OK) {
        if (t.b.len && t.b.data[t.b.len - 1] == '\x01')
            tmk_buf_setlen(&t.b, t.b.len - 1);
        rc = doc_emit(c, &t, TMK_DOC_PARAGRAPH, 0, NULL, NULL, pline, 1, ppage);
    }
out:
    tmk_buf_release(&t.b);
    tmk_buf_release(&all);
    tmk_buf_release(&tmp);
    free(ws.slot), free(ws.len);
    free(bl), free(br), free(first), free(last), free(L);
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
    char *args[] = {(char *)opt->pdftotext, (char *)"-tsv", (char *)"-enc", (char *)"UTF-8",
                    (char *)"-eol", (char *)"unix", (char *)file, (char *)"-", NULL};
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
