/* align_dict.c -- bilingual dictionaries for the aligner, read at run time.
 *
 * Formats:
 *   DICT (dictd; Debian's dict-freedict-*): NAME.index lines
 *     "headword TAB base64-offset TAB base64-length" into NAME.dict, or
 *     NAME.dict.dz (dictzip: gzip with a chunk table in the extra field,
 *     read chunk by chunk with zlib, so only the entries needed are
 *     inflated).  An entry is the headword line, then translation lines;
 *     indented lines (notes, examples, "see:") are skipped.
 *   Ding (trans-de-en): "de | de2 :: en | en2", ";" between synonyms,
 *     {gender}, [domain] and (comments) ignored.
 *   hunalign: "target phrase @ source phrase".
 *   TSV: "source TAB target".
 * Only pairs whose words occur in the documents being aligned are kept,
 * so a large dictionary costs reading time, not memory.
 */
#include <config.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef HAVE_ZLIB_H
#include <zlib.h>
#endif
#include "internal.h"
#include "align_int.h"

#define MAXPH 16 /* ids kept per phrase */

/* Pair every found word of src phrase with every found word of tgt phrase
 * when both are short enough to be translations, not definitions. */
static int add_phrases(tmk__lex *x, const char *s, size_t slen, const char *t, size_t tlen,
                       size_t *npairs)
{
    uint32_t a[MAXPH], b[MAXPH];
    size_t na, nb;
    size_t ws = tmk__lex_phrase(x, s, slen, 0, a, MAXPH, &na);
    size_t wt = tmk__lex_phrase(x, t, tlen, 1, b, MAXPH, &nb);
    /* the dictionary knows these words, translated in the documents or not */
    if (ws == 1)
        tmk__lex_mark_known(x, 0, a, na);
    if (wt == 1)
        tmk__lex_mark_known(x, 1, b, nb);
    if (!na || ws > 3 || !nb || wt > 4)
        return 0;
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nb; j++) {
            int r = tmk__lex_add_dict_pair(x, a[i], b[j]);
            if (r < 0)
                return r;
            *npairs += (size_t)r; /* only the pairs kept count */
        }
    return 0;
}

static int add_oriented(tmk__lex *x, int reverse, const char *l, size_t ll, const char *r,
                        size_t rl, size_t *npairs)
{
    return reverse ? add_phrases(x, r, rl, l, ll, npairs) : add_phrases(x, l, ll, r, rl, npairs);
}

/* Copy s without the bracketed parts {..} [..] (..) <..>. */
static size_t strip_brackets(const char *s, size_t len, char *out)
{
    size_t n = 0;
    int depth = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '{' || c == '[' || c == '(' || c == '<')
            depth++;
        else if ((c == '}' || c == ']' || c == ')' || c == '>') && depth > 0)
            depth--;
        else if (!depth)
            out[n++] = c;
    }
    return n;
}

/* Split s at any of the bytes in seps; calls fn for each piece. */
typedef int (*piece_fn)(const char *p, size_t len, void *ud);

static int split(const char *s, size_t len, const char *sep, piece_fn fn, void *ud)
{
    size_t seplen = strlen(sep), start = 0;
    for (size_t i = 0; i + seplen <= len;) {
        if (!memcmp(s + i, sep, seplen)) {
            TMK_TRY(fn(s + start, i - start, ud));
            i += seplen;
            start = i;
        } else
            i++;
    }
    return fn(s + start, len - start, ud);
}

/* --- Ding ------------------------------------------------------------- */

struct ding {
    tmk__lex *x;
    int reverse;
    size_t *npairs;
    const char *right; /* the alternative of the other side */
    size_t rlen;
    const char *lsyn;  /* current left synonym */
    size_t llen;
};

static int ding_rsyn(const char *p, size_t len, void *ud)
{
    struct ding *d = ud;
    return add_oriented(d->x, d->reverse, d->lsyn, d->llen, p, len, d->npairs);
}

static int ding_lsyn(const char *p, size_t len, void *ud)
{
    struct ding *d = ud;
    d->lsyn = p;
    d->llen = len;
    return split(d->right, d->rlen, ";", ding_rsyn, d);
}

#define DING_ALT 32

static int ding_line(tmk__lex *x, const char *line, size_t len, int reverse, size_t *npairs)
{
    const char *mid = NULL;
    for (size_t i = 0; i + 4 <= len; i++)
        if (!memcmp(line + i, " :: ", 4)) {
            mid = line + i;
            break;
        }
    if (!mid)
        return 0;
    char buf[4096];
    if (len >= sizeof buf)
        return 0; /* an overlong entry is not a word translation */
    size_t ll = strip_brackets(line, (size_t)(mid - line), buf);
    size_t rl = strip_brackets(mid + 4, len - (size_t)(mid - line) - 4, buf + ll);
    const char *l = buf, *r = buf + ll;
    /* alternatives separated by " | " correspond in order */
    const char *la[DING_ALT], *ra[DING_ALT];
    size_t lal[DING_ALT], ral[DING_ALT], nl = 0, nr = 0;
    for (int side = 0; side < 2; side++) {
        const char *s = side ? r : l;
        size_t sl = side ? rl : ll, start = 0, *n = side ? &nr : &nl;
        const char **a = side ? ra : la;
        size_t *al = side ? ral : lal;
        for (size_t i = 0; i <= sl; i++)
            if (i == sl || s[i] == '|') {
                if (*n < DING_ALT) {
                    a[*n] = s + start;
                    al[*n] = i - start;
                    (*n)++;
                }
                start = i + 1;
            }
    }
    struct ding d = {x, reverse, npairs, NULL, 0, NULL, 0};
    /* alternatives are paired with their counterpart on the other side */
    for (size_t k = 0; k < nl && k < nr; k++) {
        d.right = ra[k];
        d.rlen = ral[k];
        TMK_TRY(split(la[k], lal[k], ";", ding_lsyn, &d));
    }
    return 0;
}

/* --- line formats --------------------------------------------------------- */

/* The longest line of a line-format dictionary (Ding, hunalign, TSV). */
#define DICT_MAX_LINE (64 << 10)

static int line_entry(tmk__lex *x, const char *line, size_t len, int reverse, size_t *npairs)
{
    if (!len || line[0] == '#')
        return 0;
    for (size_t i = 0; i + 4 <= len; i++)
        if (!memcmp(line + i, " :: ", 4))
            return ding_line(x, line, len, reverse, npairs);
    for (size_t i = 0; i + 3 <= len; i++)
        if (!memcmp(line + i, " @ ", 3)) /* hunalign: target @ source */
            return add_oriented(x, !reverse, line, i, line + i + 3, len - i - 3, npairs);
    const char *tab = memchr(line, '\t', len);
    if (tab) {
        const char *end = memchr(tab + 1, '\t', len - (size_t)(tab + 1 - line));
        size_t rl = end ? (size_t)(end - tab - 1) : len - (size_t)(tab + 1 - line);
        return add_oriented(x, reverse, line, (size_t)(tab - line), tab + 1, rl, npairs);
    }
    return 0;
}

static int load_lines(tmk__lex *x, const char *path, int reverse, size_t *npairs,
                      tmk_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return tmk_error_set(err, errno == ENOENT ? TMK_ENOTFOUND : TMK_EIO, 0, 0,
                             "cannot open dictionary: %s", strerror(errno));
    /* both sides are looked up line by line: the stems are needed now */
    int rc = tmk__lex_need_stems(x, 0);
    if (rc == 0)
        rc = tmk__lex_need_stems(x, 1);
    /* lines of at most DICT_MAX_LINE bytes, files of at most
     * TMK_READ_FILE_MAX: an endless stream (/dev/zero) stops at once */
    tmk_buf line = TMK_BUF_INIT;
    unsigned long lineno = 0;
    size_t total = 0;
    int c = 0;
    while (rc == 0 && c != EOF) {
        tmk_buf_reset(&line);
        lineno++;
        while ((c = getc_unlocked(f)) != EOF && c != '\n') {
            if (line.len == DICT_MAX_LINE) {
                rc = tmk_error_set(err, TMK_ELIMIT, lineno, 0,
                                   "this line is longer than %d KiB, the longest a dictionary "
                                   "line may be; is it a dictionary?", DICT_MAX_LINE >> 10);
                break;
            }
            if (tmk_buf_addch(&line, c) < 0) {
                rc = tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
                break;
            }
        }
        total += line.len + 1;
        if (rc == 0 && total > TMK_READ_FILE_MAX)
            rc = tmk__too_large(err, TMK_READ_FILE_MAX);
        size_t len = line.len, from = 0;
        while (rc == 0 && len && line.data[len - 1] == '\r')
            len--;
        if (lineno == 1 && len >= 3 && !memcmp(line.data, "\xEF\xBB\xBF", 3))
            from = 3; /* a byte-order mark */
        /* an entry in another encoding would never match a word of the
         * text: a latin-1 Ding or hunalign file is refused, not half used */
        size_t ok = rc == 0 ? tmk_utf8_valid_prefix(line.data + from, len - from) : 0;
        if (rc == 0 && ok < len - from)
            rc = tmk_error_set(err, TMK_EENCODING, lineno,
                               tmk_utf8_count(line.data + from, ok) + 1,
                               "not valid UTF-8 (byte 0x%02X): a dictionary must be UTF-8; "
                               "convert it, for example: iconv -f ISO-8859-1 -t UTF-8 -o "
                               "dict-utf8.txt %s",
                               (unsigned char)line.data[from + ok], path);
        if (rc == 0 && len > from)
            rc = line_entry(x, line.data + from, len - from, reverse, npairs);
    }
    if (rc == 0 && ferror(f))
        rc = tmk_error_set(err, TMK_EIO, 0, 0, "cannot read dictionary: %s", strerror(errno));
    tmk_buf_release(&line);
    fclose(f);
    return rc;
}

/* --- DICT ------------------------------------------------------------------ */

/* An error names the file that is wrong: the index, or the .dict.dz/.dict
 * data file beside it (tmk_error keeps its own copy of the name, so the
 * names made here may go away). */

static int name_file(tmk_error *err, int rc, const char *path)
{
    if (err && path)
        tmk_error_set_file(err, path); /* the error keeps its own copy */
    return rc;
}

struct dictdata {
    FILE *f;
    int dz;
    /* dictzip */
    size_t chlen;      /* uncompressed bytes per chunk */
    size_t nchunks;
    long *choff;       /* compressed offset of each chunk (nchunks + 1) */
    long cached;       /* chunk in cache, -1 none */
    unsigned char *cache;
    size_t cachelen;
    unsigned char *zin;
    /* chunks kept once inflated, up to KEEP_MAX bytes (the entries of a
     * document are read in two rounds when stems come in between) */
    unsigned char **kept;
    size_t *keptlen, keptbytes;
    const unsigned char *cur; /* the current chunk: kept or cache */
    size_t curlen;
    unsigned long long work;  /* bytes read or inflated, DZ_CALL_COST per inflation */
};

#define KEEP_MAX (8u << 20)
/* The work one dictionary may cost for one document: a damaged or hostile
 * dictzip (1-byte chunks, thousands of overlapping entries for one
 * headword) would otherwise inflate the same chunks again and again for
 * minutes.  Real dictionaries need a few MiB. */
#define DICT_WORK_MAX (256ull << 20)
#define DZ_CALL_COST 4096u
/* Index lines kept per headword (consecutive lines with the same
 * headword, as in a sorted index): real ones have a handful. */
#define DICT_MAX_PER_HEAD 64

static int too_much_work(tmk_error *err)
{
    return tmk_error_set_detail(err, TMK_ELIMIT, TMK_D_DICT_DAMAGED, 0, 0,
                                "reading the entries needed takes more than %llu MiB of data: "
                                "the dictionary is damaged or was not made by dictzip; install "
                                "it again, or align without it",
                                DICT_WORK_MAX >> 20);
}

static int b64val(int c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

static int b64num(const char *s, size_t len, size_t *out)
{
    size_t v = 0;
    if (!len || len > 10)
        return -1;
    for (size_t i = 0; i < len; i++) {
        int d = b64val((unsigned char)s[i]);
        if (d < 0)
            return -1;
        v = v * 64 + (size_t)d;
    }
    *out = v;
    return 0;
}

#ifdef HAVE_ZLIB_H
static int rd16(FILE *f, unsigned *v)
{
    int a = getc(f), b = getc(f);
    if (a == EOF || b == EOF)
        return -1;
    *v = (unsigned)a | (unsigned)b << 8;
    return 0;
}

/* Read the dictzip header: the chunk table in the "RA" extra field. */
static int dz_open(struct dictdata *d, tmk_error *err)
{
    FILE *f = d->f;
    unsigned char h[10];
    if (fread(h, 1, 10, f) != 10 || h[0] != 0x1f || h[1] != 0x8b || h[2] != 8)
        return tmk_error_set(err, TMK_ESYNTAX, 0, 0, "not a gzip file");
    int flg = h[3];
    if (!(flg & 4))
        return tmk_error_set(err, TMK_ESYNTAX, 0, 0,
                             "gzip file without a dictzip chunk table; "
                             "unpack it with gunzip and give the .dict file");
    unsigned xlen;
    if (rd16(f, &xlen))
        return tmk_error_set(err, TMK_ESYNTAX, 0, 0, "truncated dictzip header");
    long xend = ftell(f) + (long)xlen;
    int found = 0;
    while (ftell(f) + 4 <= xend) {
        int si1 = getc(f), si2 = getc(f);
        unsigned len;
        if (si1 == EOF || si2 == EOF || rd16(f, &len))
            break;
        if (si1 == 'R' && si2 == 'A') {
            unsigned ver, chlen, cnt;
            if (rd16(f, &ver) || rd16(f, &chlen) || rd16(f, &cnt) || !chlen)
                return tmk_error_set(err, TMK_ESYNTAX, 0, 0, "bad dictzip chunk table");
            d->chlen = chlen;
            d->nchunks = cnt;
            d->choff = malloc((cnt + 1) * sizeof *d->choff);
            if (!d->choff)
                return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
            unsigned *sz = malloc((cnt ? cnt : 1) * sizeof *sz);
            if (!sz)
                return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
            for (unsigned i = 0; i < cnt; i++)
                if (rd16(f, &sz[i])) {
                    free(sz);
                    return tmk_error_set(err, TMK_ESYNTAX, 0, 0, "truncated dictzip chunk table");
                }
            found = 1;
            fseek(f, xend, SEEK_SET);
            if (flg & 8) /* file name */
                while (getc(f) > 0) {
                }
            if (flg & 16) /* comment */
                while (getc(f) > 0) {
                }
            if (flg & 2) {
                getc(f);
                getc(f);
            }
            long off = ftell(f);
            for (unsigned i = 0; i < cnt; i++) {
                d->choff[i] = off;
                off += sz[i];
            }
            d->choff[cnt] = off;
            free(sz);
            break;
        }
        fseek(f, (long)len, SEEK_CUR);
    }
    if (!found)
        return tmk_error_set(err, TMK_ESYNTAX, 0, 0, "gzip file without a dictzip chunk table");
    d->cache = malloc(d->chlen);
    d->zin = malloc(65536 + 16);
    if (!d->cache || !d->zin)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    d->cached = -1;
    return 0;
}

static int dz_inflate(struct dictdata *d, size_t k, unsigned char *dst, tmk_error *err);

/* zlib allocates through the library's malloc (the allocation failure
 * tests reach it) */
static voidpf dz_alloc(voidpf opaque, uInt items, uInt size)
{
    (void)opaque;
    return items && size > (size_t)-1 / items ? NULL : malloc((size_t)items * size);
}

static void dz_free(voidpf opaque, voidpf p)
{
    (void)opaque;
    free(p);
}

static int dz_chunk(struct dictdata *d, size_t k, tmk_error *err)
{
    if (d->kept && d->kept[k]) {
        d->cur = d->kept[k];
        d->curlen = d->keptlen[k];
        return 0;
    }
    if (d->cached == (long)k) {
        d->cur = d->cache;
        d->curlen = d->cachelen;
        return 0;
    }
    unsigned char *dst = d->cache;
    if (d->kept && d->keptbytes + d->chlen <= KEEP_MAX) {
        unsigned char *p = malloc(d->chlen);
        if (p)
            dst = p;
    }
    int rc = dz_inflate(d, k, dst, err);
    if (rc < 0 || dst == d->cache) {
        if (dst != d->cache)
            free(dst);
        if (rc == 0) {
            d->cur = d->cache;
            d->curlen = d->cachelen;
        }
        return rc;
    }
    d->kept[k] = dst;
    d->keptlen[k] = d->cachelen;
    d->keptbytes += d->chlen;
    d->cached = -1; /* the scratch buffer does not hold it */
    d->cur = dst;
    d->curlen = d->keptlen[k];
    return 0;
}

/* Inflate chunk k into dst (chlen bytes); its length goes to cachelen and,
 * when dst is the scratch buffer, cached names it. */
static int dz_inflate(struct dictdata *d, size_t k, unsigned char *dst, tmk_error *err)
{
    size_t clen = (size_t)(d->choff[k + 1] - d->choff[k]);
    if (clen > 65536 || fseek(d->f, d->choff[k], SEEK_SET) || fread(d->zin, 1, clen, d->f) != clen)
        return tmk_error_set(err, TMK_ESYNTAX, 0, 0,
                             "truncated dictzip data: the file is incomplete; install the "
                             "dictionary again");
    d->work += DZ_CALL_COST + d->chlen;
    if (d->work > DICT_WORK_MAX)
        return too_much_work(err);
    z_stream z;
    memset(&z, 0, sizeof z);
    z.zalloc = dz_alloc;
    z.zfree = dz_free;
    int zr = inflateInit2(&z, -15);
    if (zr != Z_OK)
        return zr == Z_MEM_ERROR ? tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory")
                                 : tmk_error_set(err, TMK_EIO, 0, 0, "zlib cannot start: %s",
                                                 z.msg ? z.msg : "unknown error");
    z.next_in = d->zin;
    z.avail_in = (uInt)clen;
    z.next_out = dst;
    z.avail_out = (uInt)d->chlen;
    zr = inflate(&z, Z_SYNC_FLUSH);
    size_t got = d->chlen - z.avail_out;
    inflateEnd(&z);
    /* no memory for zlib's window is no fault of the file */
    if (zr == Z_MEM_ERROR)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR)
        return tmk_error_set(err, TMK_ESYNTAX, 0, 0,
                             "corrupt dictzip data: the file is damaged; install the "
                             "dictionary again");
    d->cachelen = got;
    d->cached = dst == d->cache ? (long)k : -1;
    return 0;
}
#endif

#define PAST_END                                                                                   \
    "the index names an entry at offset %zu, past the end of this file: it is "                    \
    "incomplete, or it does not belong to that index"

/* The definition at [off, off+len) into out. */
static int dict_read(struct dictdata *d, size_t off, size_t len, tmk_buf *out, tmk_error *err)
{
    tmk_buf_reset(out);
    if (!d->dz) {
        d->work += len;
        if (d->work > DICT_WORK_MAX)
            return too_much_work(err);
        if (tmk_buf_grow(out, len) < 0)
            return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        if (fseek(d->f, (long)off, SEEK_SET) || fread(out->data, 1, len, d->f) != len)
            return tmk_error_set(err, TMK_ESYNTAX, 0, 0, PAST_END, off);
        tmk_buf_setlen(out, 0);
        out->len = len;
        out->data[len] = 0;
        return 0;
    }
#ifdef HAVE_ZLIB_H
    while (len) {
        size_t k = off / d->chlen, in = off % d->chlen;
        if (k >= d->nchunks)
            return tmk_error_set(err, TMK_ESYNTAX, 0, 0, PAST_END, off);
        TMK_TRY(dz_chunk(d, k, err));
        if (in >= d->curlen)
            return tmk_error_set(err, TMK_ESYNTAX, 0, 0, PAST_END, off);
        size_t n = d->curlen - in < len ? d->curlen - in : len;
        if (tmk_buf_add(out, d->cur + in, n) < 0)
            return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        off += n;
        len -= n;
    }
    return 0;
#else
    (void)off;
    (void)len;
    return tmk_error_set(err, TMK_ENOTFOUND, 0, 0,
                         "this tmkit was built without zlib and cannot read .dict.dz files");
#endif
}

/* One DICT entry: skip the headword line and indented lines; each other
 * line is a list of translations separated by , or ; */
struct dictentry {
    tmk__lex *x;
    int reverse;
    size_t *npairs;
    const char *head;
    size_t hlen;
};

static int dict_item(const char *p, size_t len, void *ud)
{
    struct dictentry *e = ud;
    return add_oriented(e->x, e->reverse, e->head, e->hlen, p, len, e->npairs);
}

static int dict_entry(struct dictentry *e, const char *def, size_t len)
{
    const char *p = def, *end = def + len;
    int first = 1;
    char buf[2048];
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        size_t ll = (size_t)(le - p);
        if (first) {
            first = 0;
        } else if (ll && ll < sizeof buf && !(p[0] == ' ' && (ll < 2 || p[1] != '[')) &&
                   p[0] != '\t') {
            size_t n = strip_brackets(p, ll, buf);
            /* a line that reads like a definition (a long item) is not a
             * list of translations */
            int ok = 1;
            size_t words = 0;
            for (size_t i = 0; i <= n; i++) {
                if (i == n || buf[i] == ',' || buf[i] == ';') {
                    if (words > 4)
                        ok = 0;
                    words = 0;
                } else if (buf[i] == ' ' && i + 1 < n && buf[i + 1] != ' ' && buf[i + 1] != ',')
                    words++;
            }
            if (ok) {
                for (size_t i = 0; i < n; i++)
                    if (buf[i] == ';')
                        buf[i] = ',';
                TMK_TRY(split(buf, n, ",", dict_item, e));
            }
        }
        p = le + 1;
    }
    return 0;
}

struct want {
    size_t off, len;
    const char *head;
    size_t hlen;
};

static int want_add(struct want **v, size_t *n, size_t *cap, size_t off, size_t len,
                    const char *head, size_t hlen)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 1024;
        struct want *w = realloc(*v, c * sizeof *w);
        if (!w)
            return TMK_ENOMEM;
        *v = w;
        *cap = c;
    }
    (*v)[*n] = (struct want){off, len, head, hlen};
    (*n)++;
    return 0;
}

/* A one-word headword not found as written, that a stem may find: its
 * entry in the data and its place in the index (16 bytes: there may be
 * hundreds of thousands). */
struct cand {
    uint32_t off, len;   /* entry */
    uint32_t hoff, hlen; /* headword in the index */
};

/* by offset (data order), then length and headword (repeats side by side) */
static int cmp_want(const void *a, const void *b)
{
    const struct want *x = a, *y = b;
    if (x->off != y->off)
        return x->off < y->off ? -1 : 1;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    if (x->hlen != y->hlen)
        return x->hlen < y->hlen ? -1 : 1;
    return memcmp(x->head, y->head, x->hlen);
}

/* Open the data beside the index path (data: path with room for
 * ".dict.dz", pl its length): the .dict.dz, else the .dict. */
static int open_data(struct dictdata *d, char *data, size_t pl, const char *path, tmk_error *err)
{
    int rc = 0;
    strcpy(data + pl - 6, ".dict.dz");
    d->f = fopen(data, "rb");
    d->dz = 1;
    int edz = d->f ? 0 : errno, edict = 0;
    if (!d->f) {
        strcpy(data + pl - 6, ".dict");
        d->f = fopen(data, "rb");
        edict = d->f ? 0 : errno;
        d->dz = 0;
    }
    if (!d->f) {
        if (edz != ENOENT || edict != ENOENT) { /* there, but cannot be read */
            strcpy(data + pl - 6, edz != ENOENT ? ".dict.dz" : ".dict");
            tmk_error_set(err, TMK_EIO, 0, 0, "cannot open dictionary data: %s",
                          strerror(edz != ENOENT ? edz : edict));
            rc = name_file(err, TMK_EIO, data);
        } else {
            strcpy(data + pl - 6, ".dict.dz");
            rc = name_file(err,
                           tmk_error_set(err, TMK_ENOTFOUND, 0, 0,
                                         "no %s or .dict file beside this index",
                                         strrchr(data, '/') ? strrchr(data, '/') + 1 : data),
                           path);
        }
        return rc;
    }
    return 0;
}

/* The entries to read: headwords found as written (want), and one-word
 * headwords a stem may find once the stems are there (cand). */
struct wants {
    struct want *want;
    size_t nwant, capwant;
    struct cand *cand;
    size_t ncand, capcand;
};

/* Read the DICT index: keep the entries of the headwords that occur on
 * their side of the documents (hside), and the stem candidates while the
 * stems are pending. */
static int scan_index(struct wants *w, tmk__lex *x, int hside, int pending, const tmk_buf *idx,
                      tmk_error *err)
{
    const char *p = idx->data, *end = idx->data + idx->len;
    unsigned long lineno = 0;
    const char *prev_head = NULL; /* the headword of the line before, and its lines */
    size_t prev_hlen = 0, same_head = 0;
    int rc = 0;
    while (rc == 0 && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        lineno++;
        const char *t1 = memchr(p, '\t', (size_t)(le - p));
        const char *t2 = t1 ? memchr(t1 + 1, '\t', (size_t)(le - t1 - 1)) : NULL;
        if (!t1 || !t2) {
            if (le > p)
                rc = tmk_error_set(err, TMK_ESYNTAX, lineno, 0,
                                   "not a DICT index line (headword, offset, length)");
            break;
        }
        /* at most DICT_MAX_PER_HEAD lines of one headword */
        if (prev_head && (size_t)(t1 - p) == prev_hlen && !memcmp(p, prev_head, prev_hlen)) {
            if (++same_head > DICT_MAX_PER_HEAD) {
                p = le + 1;
                continue;
            }
        } else {
            prev_head = p;
            prev_hlen = (size_t)(t1 - p);
            same_head = 1;
        }
        /* only headwords that occur on their side of the documents */
        uint32_t ids[MAXPH];
        size_t nf;
        size_t nw = tmk__lex_phrase(x, p, (size_t)(t1 - p), hside, ids, MAXPH, &nf);
        int found = nf && nw <= 3 && p[0] != '0';
        char key[128];
        size_t kl = 0;
        if (pending && nw == 1 && p[0] != '0') {
            kl = tmk__lex_word_key(p, (size_t)(t1 - p), key, sizeof key);
            if (kl && !found && !tmk__lex_stem_candidate(x, hside, key, kl))
                kl = 0;
            /* a stem may reach this headword: its words are stemmed */
            if (kl && (rc = tmk__lex_note_headword(x, hside, key, kl)) < 0)
                break;
            if (found)
                kl = 0;
        }
        if (!found && !kl) {
            p = le + 1;
            continue;
        }
        const char *t3 = memchr(t2 + 1, '\t', (size_t)(le - t2 - 1));
        size_t off, len;
        if (b64num(t1 + 1, (size_t)(t2 - t1 - 1), &off) ||
            b64num(t2 + 1, (size_t)((t3 ? t3 : le) - t2 - 1), &len)) {
            rc = tmk_error_set(err, TMK_ESYNTAX, lineno, 0, "bad offset or length in DICT index");
            break;
        }
        if (len >= 65536) {
            /* not a translation entry */
        } else if (found) {
            tmk__lex_mark_found(x, ids, nf);
            if ((rc = want_add(&w->want, &w->nwant, &w->capwant, off, len, p, (size_t)(t1 - p))) <
                0)
                break;
        } else if (off <= UINT32_MAX && (size_t)(p - idx->data) <= UINT32_MAX) {
            if (w->ncand == w->capcand) {
                size_t cap = w->capcand ? w->capcand * 2 : 1024;
                struct cand *cv = realloc(w->cand, cap * sizeof *cv);
                if (!cv) {
                    rc = TMK_ENOMEM;
                    break;
                }
                w->cand = cv;
                w->capcand = cap;
            }
            w->cand[w->ncand++] = (struct cand){(uint32_t)off, (uint32_t)len,
                                                (uint32_t)(p - idx->data), (uint32_t)(t1 - p)};
        }
        p = le + 1;
    }
    return rc;
}

static int load_dict(tmk__lex *x, const char *path, int reverse, size_t *npairs, tmk_error *err)
{
    size_t pl = strlen(path);
    char *data = malloc(pl + 8);
    if (!data)
        return TMK_ENOMEM;
    memcpy(data, path, pl - 6); /* without ".index" */
    int rc = 0;
    struct dictdata d;
    memset(&d, 0, sizeof d);
    if ((rc = open_data(&d, data, pl, path, err)) < 0) {
        free(data);
        return rc;
    }
    /* errors in the data name the data file, errors in the index the index */
    const char *bad = data;
    tmk_buf idx = TMK_BUF_INIT, def = TMK_BUF_INIT;
#ifdef HAVE_ZLIB_H
    if (d.dz)
        rc = dz_open(&d, err);
#else
    if (d.dz)
        rc = tmk_error_set(err, TMK_ENOTFOUND, 0, 0,
                           "this tmkit was built without zlib and cannot read .dict.dz files; "
                           "unpack the data with gunzip");
#endif
    if (rc == 0) {
        bad = path;
        rc = tmk_io_read_file(path, &idx, err);
    }
    struct wants w;
    memset(&w, 0, sizeof w);
    /* while the stems of the headword side are still coming (Hunspell
     * loads in a thread), one-word headwords not found as written are kept
     * as candidates and looked up among the stems afterwards */
    int hside = reverse ? 1 : 0;
    int pending = tmk__lex_stems_pending(x, hside);
    if (rc == 0)
        rc = scan_index(&w, x, hside, pending, &idx, err);
#ifdef HAVE_ZLIB_H
    /* while Hunspell is still loading, inflate the chunks that hold the
     * entries found so far and keep them: reading does not need the stems,
     * only understanding the entries does */
    if (rc == 0 && pending && d.dz && w.nwant) {
        d.kept = calloc(d.nchunks, sizeof *d.kept);
        d.keptlen = calloc(d.nchunks, sizeof *d.keptlen);
        if (!d.kept || !d.keptlen) {
            free(d.kept);
            free(d.keptlen);
            d.kept = NULL;
            d.keptlen = NULL;
        }
        qsort(w.want, w.nwant, sizeof *w.want, cmp_want);
        for (size_t k = 0; d.kept && rc == 0 && k < w.nwant && d.keptbytes + d.chlen <= KEEP_MAX;
             k++) {
            size_t c0 = w.want[k].off / d.chlen, c1 = (w.want[k].off + w.want[k].len) / d.chlen;
            for (size_t c = c0; rc == 0 && c <= c1 && c < d.nchunks; c++)
                if (!d.kept[c])
                    rc = dz_chunk(&d, c, err);
        }
        if (rc < 0)
            bad = data;
    }
#endif
    /* the stems: headwords that are a stem of a word in the documents */
    if (rc == 0 && pending)
        rc = tmk__lex_need_stems(x, hside);
    for (size_t k = 0; rc == 0 && k < w.ncand; k++) {
        const char *head = idx.data + w.cand[k].hoff;
        char key[128];
        size_t kl = tmk__lex_word_key(head, w.cand[k].hlen, key, sizeof key);
        if (kl && tmk__lex_stem_find(x, hside, key, kl))
            rc = want_add(&w.want, &w.nwant, &w.capwant, w.cand[k].off, w.cand[k].len, head,
                          w.cand[k].hlen);
    }
    free(w.cand);
    /* the translations are looked up on the other side: its stems too */
    if (rc == 0)
        rc = tmk__lex_need_stems(x, 1 - hside);
    /* read the entries in data order, so that each chunk is inflated once */
    if (rc == 0 && w.nwant)
        qsort(w.want, w.nwant, sizeof *w.want, cmp_want);
    for (size_t k = 0; rc == 0 && k < w.nwant; k++) {
        /* the same entry for the same headword: once */
        if (k && w.want[k].off == w.want[k - 1].off && w.want[k].len == w.want[k - 1].len &&
            w.want[k].hlen == w.want[k - 1].hlen &&
            !memcmp(w.want[k].head, w.want[k - 1].head, w.want[k].hlen))
            continue;
        rc = dict_read(&d, w.want[k].off, w.want[k].len, &def, err);
        if (rc < 0) {
            bad = data;
            break;
        }
        struct dictentry e = {x, reverse, npairs, w.want[k].head, w.want[k].hlen};
        rc = dict_entry(&e, def.data, def.len);
    }
    if (rc < 0)
        name_file(err, rc, bad);
    free(data);
    free(w.want);
    tmk_buf_release(&idx);
    tmk_buf_release(&def);
    fclose(d.f);
    if (d.kept)
        for (size_t k = 0; k < d.nchunks; k++)
            free(d.kept[k]);
    free(d.kept);
    free(d.keptlen);
    free(d.choff);
    free(d.cache);
    free(d.zin);
    return rc;
}

int tmk__dict_load(tmk__lex *x, const char *path, int reverse, size_t *npairs, tmk_error *err)
{
    *npairs = 0;
    size_t pl = strlen(path);
    int rc;
    FILE *f = fopen(path, "rb");
    if (!f) {
        rc = tmk_error_set(err, errno == ENOENT ? TMK_ENOTFOUND : TMK_EIO, 0, 0,
                           "cannot open dictionary: %s", strerror(errno));
        return name_file(err, rc, path);
    }
    fclose(f);
    tmk_error_set_file(err, NULL);
    if (pl > 6 && !strcmp(path + pl - 6, ".index"))
        rc = load_dict(x, path, reverse, npairs, err);
    else
        rc = load_lines(x, path, reverse, npairs, err);
    if (rc < 0 && err && !err->file[0]) /* load_dict names its files */
        name_file(err, rc, path);
    return rc;
}

/* --- which dictionary ------------------------------------------------------ */

static const char *const iso3[][2] = {
    {"de", "deu"}, {"en", "eng"}, {"fr", "fra"}, {"it", "ita"}, {"es", "spa"}, {"nl", "nld"},
    {"pt", "por"}, {"sv", "swe"}, {"da", "dan"}, {"fi", "fin"}, {"pl", "pol"}, {"cs", "ces"},
    {"ru", "rus"}, {"hu", "hun"}, {"tr", "tur"}, {"el", "ell"}, {"ja", "jpn"}, {"la", "lat"},
    {"ga", "gle"}, {"hr", "hrv"}, {"sr", "srp"}, {"bg", "bul"}, {"uk", "ukr"}, {"no", "nor"},
    {"nb", "nob"}, {"is", "isl"}, {"eo", "epo"}, {"af", "afr"}, {"ar", "ara"}, {"zh", "zho"},
    {"ko", "kor"}, {"lt", "lit"}, {"lv", "lav"}, {"sk", "slk"}, {"sl", "slv"}, {"ro", "ron"},
};

/* "de-DE" -> "de" into out[4]; 0 when it is not a plain 2-3 letter code. */
static int primary(const char *lang, char out[4])
{
    size_t n = 0;
    if (!lang)
        return 0;
    while (lang[n] && lang[n] != '-' && lang[n] != '_') {
        if (n >= 3)
            return 0;
        char c = lang[n];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c < 'a' || c > 'z')
            return 0;
        out[n++] = c;
    }
    out[n] = 0;
    return n >= 2;
}

static const char *to3(const char *two)
{
    for (size_t i = 0; i < sizeof iso3 / sizeof *iso3; i++)
        if (!strcmp(iso3[i][0], two) || !strcmp(iso3[i][1], two))
            return iso3[i][1];
    return strlen(two) == 3 ? two : NULL;
}

static const char *to2(const char *code)
{
    for (size_t i = 0; i < sizeof iso3 / sizeof *iso3; i++)
        if (!strcmp(iso3[i][0], code) || !strcmp(iso3[i][1], code))
            return iso3[i][0];
    return code;
}

int tmk__dict_is_reversed(const char *path, const char *src_lang, const char *tgt_lang)
{
    char s[4], t[4];
    if (!primary(src_lang, s) || !primary(tgt_lang, t))
        return 0;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    /* the last two language codes in the name: freedict-fra-deu.index,
     * de-en, my-freedict-deu-eng.index */
    char codes[2][4];
    int nc = 0;
    const char *p = base;
    while (*p) {
        size_t n = 0;
        while (p[n] >= 'a' && p[n] <= 'z')
            n++;
        if ((n == 2 || n == 3) && (p[n] == '-' || p[n] == '_' || p[n] == '.' || !p[n]) &&
            (p == base || p[-1] == '-' || p[-1] == '_')) {
            if (nc == 2) {
                memcpy(codes[0], codes[1], sizeof codes[0]);
                nc = 1;
            }
            memcpy(codes[nc], p, n);
            codes[nc][n] = 0;
            nc++;
        }
        p += n ? n : 1;
    }
    if (nc < 2)
        return 0;
    return !strcmp(to2(codes[0]), to2(t)) && !strcmp(to2(codes[1]), to2(s));
}

/* dir/name when that file opens: 1 and *out (the caller frees it), 0
 * when it does not, TMK_ENOMEM. */
static int try_path(const char *dir, const char *name, char **out)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (!p)
        return TMK_ENOMEM;
    snprintf(p, n, "%s/%s", dir, name);
    FILE *f = fopen(p, "rb");
    if (f) {
        fclose(f);
        *out = p;
        return 1;
    }
    free(p);
    return 0;
}

int tmk_align_find_dict(char **out, const char *src_lang, const char *tgt_lang,
                        const char *dictdir, tmk_error *err)
{
    *out = NULL;
    char s[4], t[4];
    if (!primary(src_lang, s) || !primary(tgt_lang, t) || !strcmp(to2(s), to2(t)))
        return tmk_error_set(err, TMK_ENOTFOUND, 0, 0,
                             "no bilingual dictionary for '%s' and '%s': give two "
                             "different languages",
                             src_lang ? src_lang : "", tgt_lang ? tgt_lang : "");
    const char *s3 = to3(s), *t3 = to3(t), *s2 = to2(s), *t2 = to2(t);
    const char *dirs[3];
    size_t nd = 0;
    if (dictdir)
        dirs[nd++] = dictdir; /* given (even empty): look only there */
    else {
        dirs[nd++] = "/usr/share/dictd";
        dirs[nd++] = "/usr/share/trans";
    }
    char names[4][64];
    size_t nn = 0;
    if (s3 && t3) {
        snprintf(names[nn++], sizeof names[0], "freedict-%s-%s.index", s3, t3);
        snprintf(names[nn++], sizeof names[0], "freedict-%s-%s.index", t3, s3);
    }
    snprintf(names[nn++], sizeof names[0], "%s-%s", s2, t2);
    snprintf(names[nn++], sizeof names[0], "%s-%s", t2, s2);
    for (size_t i = 0; i < nd; i++) {
        if (!*dirs[i])
            continue;
        for (size_t k = 0; k < nn; k++) {
            int r = try_path(dirs[i], names[k], out);
            if (r < 0)
                return tmk_error_set(err, r, 0, 0, "out of memory");
            if (r > 0)
                return TMK_OK;
        }
    }
    return tmk_error_set(err, TMK_ENOTFOUND, 0, 0,
                         "no bilingual dictionary for %s-%s is installed in %s (install "
                         "dict-freedict-%s-%s or trans-%s-%s)",
                         s2, t2, dictdir ? (*dictdir ? dictdir : "(nowhere)")
                                         : "/usr/share/dictd or /usr/share/trans",
                         s3 ? s3 : s2, t3 ? t3 : t2, s2, t2);
}
