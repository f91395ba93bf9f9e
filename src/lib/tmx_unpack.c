/* tmx_unpack.c -- compressed memories: a gzip stream (zlib's inflate) and a
 * zip file holding one TMX (libzip).  Both are unpacked in chunks of
 * CHUNK bytes and handed to a sink as they come: a compressed memory is
 * never held whole, in either form.
 *
 * The limit (tmx.h, TMK_TMX_UNPACK_RATIO): the unpacked bytes may reach
 * TMK_TMX_UNPACK_SLACK plus TMK_TMX_UNPACK_RATIO times the compressed
 * bytes read so far.  Real memories unpack to 5 to 20 times their size;
 * a compression bomb (deflate reaches about 1,000 times) is stopped after
 * a few megabytes, whatever its final size.
 */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>
#include <zlib.h>
#include "internal.h"
#include "tmkit/tmx.h"
#include "tmx_int.h"

enum { CHUNK = 1 << 18 };

int tmk__is_gzip(const void *data, size_t n)
{
    const unsigned char *p = data;
    return n >= 2 && p[0] == 0x1F && p[1] == 0x8B;
}

int tmk__is_zip(const void *data, size_t n)
{
    const unsigned char *p = data;
    return n >= 4 && p[0] == 'P' && p[1] == 'K' &&
           ((p[2] == 3 && p[3] == 4) || (p[2] == 5 && p[3] == 6));
}

static int over_limit(unsigned long long out, unsigned long long in)
{
    return out > TMK_TMX_UNPACK_SLACK + (unsigned long long)TMK_TMX_UNPACK_RATIO * in;
}

static int bomb(tmk_error *err, const char *name, const char *what, unsigned long long in)
{
    tmk_error_set_detail(err, TMK_ELIMIT, TMK_D_UNPACK_LIMIT, 0, 0,
                         "%s unpacks to more than %d times its size (beyond %llu MiB from "
                         "%llu KiB): a compression bomb, or a memory so repetitive that "
                         "tmkit will not take it packed; if you trust it, unpack it first "
                         "(for example: zcat FILE | tmkit COMMAND -)",
                         what, TMK_TMX_UNPACK_RATIO,
                         (TMK_TMX_UNPACK_SLACK + (unsigned long long)TMK_TMX_UNPACK_RATIO * in) >> 20,
                         in >> 10);
    tmk_error_set_file(err, name);
    return TMK_ELIMIT;
}

/* ---- gzip ----------------------------------------------------------------------- */

struct tmk__gunzip {
    const char *name;
    z_stream z;
    int member_end;           /* the last member ended (Z_STREAM_END) and no byte followed */
    int zero_tail;            /* zero bytes after the last member (padding, as gzip ignores) */
    unsigned long long in, out;
    unsigned char *buf;
};

tmk__gunzip *tmk__gunzip_new(const char *name, tmk_error *err)
{
    tmk__gunzip *g = calloc(1, sizeof *g);
    if (g)
        g->buf = malloc(CHUNK);
    /* 16 + MAX_WBITS: gzip only (its header and CRC are checked) */
    if (!g || !g->buf || inflateInit2(&g->z, 16 + MAX_WBITS) != Z_OK) {
        if (g)
            free(g->buf);
        free(g);
        tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        return NULL;
    }
    g->name = name;
    return g;
}

static int damaged(tmk__gunzip *g, tmk_error *err, const char *why)
{
    tmk_error_set(err, TMK_ESYNTAX, 0, 0,
                  "the compressed (gzip) memory is damaged after %llu bytes: %s; "
                  "get a good copy of the file", g->in - g->z.avail_in, why);
    tmk_error_set_file(err, g->name);
    return TMK_ESYNTAX;
}

int tmk__gunzip_feed(tmk__gunzip *g, const char *data, size_t len, tmk__unpack_sink sink,
                     void *ud, tmk_error *err)
{
    g->in += len;
    g->z.next_in = (unsigned char *)(uintptr_t)data;
    while (len > 0) {
        unsigned step = len > (1u << 30) ? (1u << 30) : (unsigned)len;
        g->z.avail_in = step;
        len -= step;
        while (g->z.avail_in > 0) {
            if (g->zero_tail || (g->member_end && g->z.next_in[0] == 0)) {
                /* zero bytes after the end (a tape or block device pads
                 * with them): ignored as gzip ignores them; nothing else
                 * may follow them */
                g->zero_tail = 1;
                while (g->z.avail_in > 0 && g->z.next_in[0] == 0)
                    g->z.next_in++, g->z.avail_in--;
                if (g->z.avail_in > 0)
                    return damaged(g, err, "bytes that are not gzip data follow its end");
                break;
            }
            if (g->member_end) {
                /* another member follows (files joined with cat): only a
                 * gzip header may come here */
                if (g->z.next_in[0] != 0x1F)
                    return damaged(g, err, "bytes that are not gzip data follow its end");
                if (inflateReset(&g->z) != Z_OK)
                    return damaged(g, err, "cannot restart");
                g->member_end = 0;
            }
            g->z.next_out = g->buf;
            g->z.avail_out = CHUNK;
            int zr = inflate(&g->z, Z_NO_FLUSH);
            if (zr == Z_MEM_ERROR)
                return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
            if (zr == Z_DATA_ERROR || zr == Z_NEED_DICT || zr == Z_STREAM_ERROR)
                return damaged(g, err, g->z.msg ? g->z.msg : "invalid data");
            size_t got = CHUNK - g->z.avail_out;
            g->out += got;
            if (over_limit(g->out, g->in - g->z.avail_in - len))
                return bomb(err, g->name, "the compressed memory", g->in - g->z.avail_in - len);
            if (got)
                TMK_TRY(sink(ud, (const char *)g->buf, got, err));
            if (zr == Z_STREAM_END)
                g->member_end = 1;
            else if (zr == Z_BUF_ERROR && g->z.avail_in == 0)
                break;
        }
    }
    return TMK_OK;
}

int tmk__gunzip_finish(tmk__gunzip *g, tmk_error *err)
{
    if (g->member_end)
        return TMK_OK;
    tmk_error_set_detail(err, TMK_ESYNTAX, TMK_D_TRUNCATED, 0, 0,
                         "the compressed (gzip) memory is truncated: its %llu bytes end "
                         "before the end of the packed data (%llu bytes unpacked); the file "
                         "was not copied or downloaded completely: get a whole copy",
                         g->in, g->out);
    tmk_error_set_file(err, g->name);
    return TMK_ESYNTAX;
}

void tmk__gunzip_free(tmk__gunzip *g)
{
    if (!g)
        return;
    inflateEnd(&g->z);
    free(g->buf);
    free(g);
}

/* ---- zip ------------------------------------------------------------------------ */

/* Whether the first bytes of a member start a TMX document: "<tmx" after
 * the XML declaration, comments and a DOCTYPE, in UTF-8 or (NUL bytes
 * dropped) UTF-16. */
static int starts_tmx(const unsigned char *p, size_t n)
{
    char v[4096];
    size_t k = 0;
    for (size_t i = 0; i < n && k < sizeof v - 1; i++)
        if (p[i])
            v[k++] = (char)p[i];
    v[k] = '\0';
    const char *t = v;
    while ((t = strstr(t, "<tmx")) != NULL) {
        char c = t[4];
        if (c == ' ' || c == '>' || c == '\t' || c == '\r' || c == '\n' || c == '/' || c == '\0')
            return 1;
        t += 4;
    }
    return 0;
}

/* err names path; returns rc */
static int named(tmk_error *err, const char *path, int rc)
{
    tmk_error_set_file(err, path);
    return rc;
}

static int member_locked(zip_t *za)
{
    int c = zip_error_code_zip(zip_get_error(za));
    return c == ZIP_ER_NOPASSWD || c == ZIP_ER_WRONGPASSWD || c == ZIP_ER_ENCRNOTSUPP;
}

/* Find the one TMX member: *idx, or an error naming what the zip holds. */
static int find_tmx(zip_t *za, const char *path, zip_uint64_t *idx, tmk_error *err)
{
    zip_int64_t n = zip_get_num_entries(za, 0);
    zip_uint64_t found = 0, files = 0;
    const char *first = NULL, *second = NULL, *other = NULL;
    unsigned char head[4096];
    for (zip_int64_t i = 0; i < n; i++) {
        const char *nm = zip_get_name(za, (zip_uint64_t)i, 0);
        size_t nl = nm ? strlen(nm) : 0;
        if (!nm || (nl && nm[nl - 1] == '/'))
            continue; /* a folder */
        files++;
        zip_file_t *f = zip_fopen_index(za, (zip_uint64_t)i, 0);
        if (!f) {
            if (member_locked(za))
                return named(err, path, tmk_error_set(err, TMK_EFORMAT, 0, 0,
                                "the member %s of this zip file is encrypted (password "
                                "protected): unzip it with its password first",
                                nm));
            return named(err, path, tmk_error_set(err, TMK_ESYNTAX, 0, 0,
                            "the member %s of this zip file cannot be read: %s; the file "
                            "is damaged", nm, zip_error_strerror(zip_get_error(za))));
        }
        zip_int64_t got = zip_fread(f, head, sizeof head);
        zip_fclose(f);
        if (got > 0 && starts_tmx(head, (size_t)got)) {
            if (!found++)
                first = nm, *idx = (zip_uint64_t)i;
            else if (!second)
                second = nm;
        } else if (!other) {
            other = nm;
        }
    }
    if (found == 1)
        return TMK_OK;
    if (found > 1) {
        tmk_error_set(err, TMK_EFORMAT, 0, 0,
                      "this zip file holds %llu TMX memories (%s, %s%s); tmkit reads one "
                      "memory per file: unzip it and give the memories one by one (merge "
                      "joins them)", (unsigned long long)found, first, second,
                      found > 2 ? ", ..." : "");
        tmk_error_set_file(err, path);
        return TMK_EFORMAT;
    }
    if (!files)
        return named(err, path, tmk_error_set(err, TMK_EFORMAT, 0, 0,
                        "this zip file is empty: it holds no TMX memory"));
    tmk_error_set(err, TMK_EFORMAT, 0, 0,
                  "this zip file holds no TMX memory (%llu file%s, such as %s, none of them "
                  "starting with <tmx>); give the memory itself",
                  (unsigned long long)files, files == 1 ? "" : "s", other ? other : "?");
    tmk_error_set_file(err, path);
    return TMK_EFORMAT;
}

static int copy_member(zip_t *za, zip_uint64_t idx, const char *path, tmk__unpack_sink sink,
                       void *ud, tmk_error *err)
{
    zip_stat_t st;
    zip_stat_init(&st);
    unsigned long long csize = 0;
    if (zip_stat_index(za, idx, 0, &st) == 0 && (st.valid & ZIP_STAT_COMP_SIZE))
        csize = st.comp_size;
    /* the declared size first: a bomb is refused before a byte is unpacked */
    if ((st.valid & ZIP_STAT_SIZE) && over_limit(st.size, csize))
        return bomb(err, path, "the memory in this zip file", csize);
    zip_file_t *f = zip_fopen_index(za, idx, 0);
    if (!f) {
        if (member_locked(za))
            return named(err, path, tmk_error_set(err, TMK_EFORMAT, 0, 0,
                            "the memory %s in this zip file is encrypted (password "
                            "protected): unzip it with its password first", st.name));
        return named(err, path, tmk_error_set(err, TMK_ESYNTAX, 0, 0,
                        "the memory %s in this zip file cannot be read: %s", st.name,
                        zip_error_strerror(zip_get_error(za))));
    }
    char *buf = malloc(CHUNK);
    if (!buf) {
        zip_fclose(f);
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    }
    int rc = TMK_OK;
    unsigned long long out = 0;
    for (;;) {
        zip_int64_t got = zip_fread(f, buf, CHUNK);
        if (got < 0) {
            rc = named(err, path, tmk_error_set(err, TMK_ESYNTAX, 0, 0,
                          "the memory %s in this zip file is damaged: %s; get a good copy",
                          st.name, zip_error_strerror(zip_file_get_error(f))));
            break;
        }
        if (got == 0)
            break;
        out += (unsigned long long)got;
        /* the sizes a zip declares may lie: count what comes */
        if (over_limit(out, csize)) {
            rc = bomb(err, path, "the memory in this zip file", csize);
            break;
        }
        if ((rc = sink(ud, buf, (size_t)got, err)) < 0)
            break;
    }
    free(buf);
    zip_fclose(f);
    return rc;
}

int tmk__unzip_tmx(const char *path, tmk__unpack_sink sink, void *ud, tmk_error *err)
{
    int zerr = 0;
    zip_t *za = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
    if (!za) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        int code = zerr == ZIP_ER_MEMORY ? TMK_ENOMEM
                   : zerr == ZIP_ER_OPEN || zerr == ZIP_ER_READ ? TMK_EIO : TMK_ESYNTAX;
        named(err, path, tmk_error_set(err, code, 0, 0, "cannot read this zip file: %s; it is "
                                       "damaged or truncated", zip_error_strerror(&ze)));
        zip_error_fini(&ze);
        return code;
    }
    zip_uint64_t idx = 0;
    int rc = find_tmx(za, path, &idx, err);
    if (rc == TMK_OK)
        rc = copy_member(za, idx, path, sink, ud, err);
    zip_discard(za);
    return rc;
}
