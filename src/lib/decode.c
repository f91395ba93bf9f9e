/* decode.c -- bytes in any encoding to UTF-8, LF line ends, NFC lines. */
#include "internal.h"
#include <config.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int unicode_family(const char *name, int *order);

struct tmk_decoder {
    int finished; /* tmk_decoder_finish was called (tmkit.h rule 6) */
    char *name;   /* our copy of the name for messages */
    char *want;   /* encoding asked for, or NULL */
    char enc[32]; /* encoding in use once known */
    int started;  /* BOM checked */
    int utf8_asked; /* -e UTF-8 given */
    int utf8;     /* direct UTF-8 path (no iconv) */
    iconv_t cd;
    unsigned char head[TMK_SNIFF_LEN]; /* first bytes: BOM and kind of file */
    size_t nhead;
    int no_sniff;       /* decode whatever comes (tmk_decoder_set_sniff(d, 0)) */
    int fed;            /* feed or finish was called: no more settings */
    int sniff_decoded;  /* the encoding is not ASCII-compatible: look at the
                         * decoded text for markup instead */
    tmk_buf sniffbuf;   /* its first decoded bytes */
    const char *utf16; /* "UTF-16LE"/"UTF-16BE" when the first bytes look like it (no BOM) */
    unsigned char carry[16]; /* incomplete sequence from the previous chunk */
    size_t ncarry;
    int prev_cr;
    int first_char;     /* next character is the first one (drop U+FEFF) */
    unsigned long line; /* current line, 1-based */
    size_t max_line;    /* longest line taken (bytes of UTF-8) */
    tmk_buf cur;        /* current line (UTF-8, not yet NFC) */
    tmk_buf tmp;        /* iconv output */
    int seen_mb;        /* UTF-8 path: a valid multi-byte character was read */
    int u8_track;       /* an 8-bit encoding asked for: are the bytes UTF-8? */
    int u8_need;        /* continuation bytes the current sequence still needs */
    int u8_bad;         /* a byte that UTF-8 cannot have */
    unsigned long u8_mb; /* multi-byte UTF-8 sequences among the bytes */
};

int tmk_decoder_new(tmk_decoder **out, const char *encoding, const char *name,
                    tmk_error *err)
{
    *out = NULL;
    tmk_decoder *d = calloc(1, sizeof *d);
    if (!d || !(d->name = tmk__strdup(name ? name : "-"))) {
        free(d);
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    }
    d->cd = (iconv_t)-1;
    d->line = 1;
    d->max_line = TMK_DECODE_MAX_LINE;
    d->first_char = 1;
    tmk_buf_init(&d->cur);
    tmk_buf_init(&d->tmp);
    tmk_buf_init(&d->sniffbuf);
    d->utf8_asked = encoding && (!strcasecmp(encoding, "UTF-8") || !strcasecmp(encoding, "UTF8"));
    if (encoding && *encoding && strcasecmp(encoding, "UTF-8") && strcasecmp(encoding, "UTF8")) {
        iconv_t cd = iconv_open("UTF-8", encoding);
        if (cd == (iconv_t)-1) {
            tmk_decoder_free(d);
            return tmk_error_set(err, TMK_EINVAL, 0, 0,
                                 "unknown encoding '%s' (run 'iconv -l' for the names this "
                                 "system knows)",
                                 encoding);
        }
        iconv_close(cd);
        d->want = tmk__strdup(encoding);
        if (!d->want) {
            tmk_decoder_free(d);
            return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        }
        d->u8_track = !unicode_family(encoding, &(int){0});
    }
    *out = d;
    return TMK_OK;
}

void tmk_decoder_free(tmk_decoder *d)
{
    if (!d)
        return;
    if (d->cd != (iconv_t)-1)
        iconv_close(d->cd);
    free(d->want);
    free(d->name);
    tmk_buf_release(&d->cur);
    tmk_buf_release(&d->tmp);
    tmk_buf_release(&d->sniffbuf);
    free(d);
}

/* The settings are made before the first feed: a later one would apply to
 * part of the text only. */
static int settings_closed(const tmk_decoder *d, const char *what, tmk_error *err)
{
    return tmk_error_set(err, TMK_EINVAL, 0, 0,
                         "%s: the decoder's %s is set before its first feed, not after",
                         d->name, what);
}

int tmk_decoder_set_sniff(tmk_decoder *d, int on, tmk_error *err)
{
    if (d->fed)
        return settings_closed(d, "file kind check", err);
    d->no_sniff = !on;
    return TMK_OK;
}

/* The input is not text: say what it is and what to do. */
static int not_text(enum tmk_decode_content kind, const char *what, tmk_error *err)
{
    if (kind == TMK_CONTENT_TRUNCATED)
        return tmk_error_set(err, TMK_EFORMAT, 0, 0, "this is %s; %s", what,
                             tmk_decode_content_advice(kind));
    return tmk_error_set(err, TMK_EFORMAT, 0, 0, "this is %s, not plain text; %s", what,
                         tmk_decode_content_advice(kind));
}

/* Markup in the decoded text of an encoding that is not ASCII-compatible
 * (UTF-16, UTF-32): checked once the first bytes are there, or at the end. */
static int sniff_decoded(tmk_decoder *d, int final, tmk_error *err)
{
    if (!d->sniff_decoded || (!final && d->sniffbuf.len < 1024))
        return TMK_OK;
    d->sniff_decoded = 0;
    const char *what;
    enum tmk_decode_content k = tmk_decode_sniff(d->sniffbuf.data, d->sniffbuf.len, &what);
    tmk_buf_release(&d->sniffbuf);
    return k == TMK_CONTENT_TEXT ? TMK_OK : not_text(k, what, err);
}

int tmk_decoder_set_max_line(tmk_decoder *d, size_t max, tmk_error *err)
{
    if (d->fed)
        return settings_closed(d, "longest line", err);
    d->max_line = max ? max : TMK_DECODE_MAX_LINE;
    return TMK_OK;
}

const char *tmk_decoder_encoding(const tmk_decoder *d)
{
    return d->enc[0] ? d->enc : (d->want ? d->want : "UTF-8");
}

/* The Unicode encoding family of an encoding name: 16 (UTF-16, UCS-2), 32
 * (UTF-32, UCS-4) or 0; *order: 'L', 'B' or 0 when the name fixes no byte
 * order.  Case, '-' and '_' do not matter ("ucs_4le" is "UCS-4LE"). */
static int unicode_family(const char *name, int *order)
{
    static const struct {
        const char *name;
        int family, order;
    } names[] = {
        {"UTF16", 16, 0},   {"UTF16LE", 16, 'L'},  {"UTF16BE", 16, 'B'},
        {"UCS2", 16, 0},    {"UCS2LE", 16, 'L'},   {"UCS2BE", 16, 'B'},
        {"UNICODE", 16, 0}, {"UNICODELITTLE", 16, 'L'}, {"UNICODEBIG", 16, 'B'},
        {"ISO10646UCS2", 16, 0},
        {"UTF32", 32, 0},   {"UTF32LE", 32, 'L'},  {"UTF32BE", 32, 'B'},
        {"UCS4", 32, 0},    {"UCS4LE", 32, 'L'},   {"UCS4BE", 32, 'B'},
        {"ISO10646UCS4", 32, 0},
    };
    char norm[32];
    size_t n = 0;
    for (const char *p = name; *p; p++) {
        if (*p == '-' || *p == '_')
            continue;
        if (n + 1 >= sizeof norm)
            return 0;
        norm[n++] = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
    }
    norm[n] = '\0';
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcmp(norm, names[i].name)) {
            *order = names[i].order;
            return names[i].family;
        }
    *order = 0;
    return 0;
}

/* Whether an encoding asked for agrees with the one a byte-order mark says:
 * the same, or the same family with no byte order or the same one ("UTF-16"
 * or "UCS-2LE" for "UTF-16LE", "UCS-4" for "UTF-32LE"). */
static int bom_agrees(const char *want, const char *bom_enc)
{
    if (!strcasecmp(want, bom_enc))
        return 1;
    int wo, bo;
    int wf = unicode_family(want, &wo), bf = unicode_family(bom_enc, &bo);
    return wf && wf == bf && (!wo || wo == bo);
}

/* Decide the encoding from the first bytes; returns the BOM length. */
static int start(tmk_decoder *d, tmk_error *err)
{
    const unsigned char *h = d->head;
    size_t n = d->nhead, bom = 0;
    const char *enc = NULL;
    if (n >= 3 && h[0] == 0xEF && h[1] == 0xBB && h[2] == 0xBF) {
        enc = "UTF-8";
        bom = 3;
    } else if (n >= 4 && h[0] == 0xFF && h[1] == 0xFE && h[2] == 0 && h[3] == 0) {
        enc = "UTF-32LE";
        bom = 4;
    } else if (n >= 4 && h[0] == 0 && h[1] == 0 && h[2] == 0xFE && h[3] == 0xFF) {
        enc = "UTF-32BE";
        bom = 4;
    } else if (n >= 2 && h[0] == 0xFF && h[1] == 0xFE) {
        enc = "UTF-16LE";
        bom = 2;
    } else if (n >= 2 && h[0] == 0xFE && h[1] == 0xFF) {
        enc = "UTF-16BE";
        bom = 2;
    }
    /* ASCII text in UTF-16 without a BOM: every other byte is NUL */
    if (!enc && n >= 4 && !h[0] && h[1] && !h[2] && h[3])
        d->utf16 = "UTF-16BE";
    else if (!enc && n >= 4 && h[0] && !h[1] && h[2] && !h[3])
        d->utf16 = "UTF-16LE";
    int want_order;
    if (d->want && enc && !strcmp(enc, "UTF-32LE") && unicode_family(d->want, &want_order) == 16) {
        /* FF FE 00 00 read as UTF-16: a little-endian BOM, then U+0000 */
        enc = "UTF-16LE";
        bom = 2;
    }
    const char *asked = d->want ? d->want : d->utf8_asked ? "UTF-8" : NULL;
    if (asked && enc && !bom_agrees(asked, enc)) {
        /* a byte-order mark says another encoding than the one asked for: read
         * as asked, the text would be garbage ("ï»¿", "Ã¤") without an error */
        d->started = 1;
        return tmk_error_set(err, TMK_EENCODING, 1, 1,
                             "the file starts with a %s byte-order mark, but it was to be read "
                             "as %s; leave out the encoding option (the mark says it all)",
                             enc, asked);
    }
    if (d->want && !enc) {
        /* "UTF-16" without a mark: iconv assumes little-endian; take the
         * byte order the first bytes show */
        enc = unicode_family(d->want, &want_order) == 16 && !want_order && d->utf16 ? d->utf16
                                                                                  : d->want;
    } else if (d->want) {
        /* a BOM that agrees with the encoding asked for gives the byte order:
         * iconv's "UCS-4" and "UCS-2" ignore a BOM (and assume one order),
         * so read with the BOM's exact encoding, past the mark */
    } else if (!enc)
        enc = "UTF-8";
    snprintf(d->enc, sizeof d->enc, "%s", enc);
    d->started = 1;
    if (!strcasecmp(enc, "UTF-8")) {
        d->utf8 = 1;
    } else {
        d->cd = iconv_open("UTF-8", enc);
        if (d->cd == (iconv_t)-1)
            return tmk_error_set(err, TMK_EINVAL, 0, 0, "unknown encoding '%s'", enc);
    }
    return (int)bom;
}

static int flush_line(tmk_decoder *d, tmk_buf *out, int with_lf)
{
    if (tmk__utf8_nfc_keep(d->cur.data, d->cur.len, out) < 0)
        return TMK_ENOMEM;
    if (with_lf && tmk_buf_addch(out, '\n') < 0)
        return TMK_ENOMEM;
    tmk_buf_reset(&d->cur);
    return TMK_OK;
}

/* Append n bytes to the current line, within the line limit. */
static int add_to_line(tmk_decoder *d, const char *s, size_t n, tmk_error *err)
{
    if (n > d->max_line - d->cur.len)
        return tmk_error_set(err, TMK_ELIMIT, d->line, 0,
                             "this line is longer than %zu %s, the longest tmkit reads; is it a "
                             "text file? (a text needs a line break at least after every "
                             "paragraph)",
                             d->max_line >= ((size_t)1 << 20) ? d->max_line >> 20 : d->max_line,
                             d->max_line >= ((size_t)1 << 20) ? "MiB" : "bytes");
    if (tmk_buf_add(&d->cur, s, n) < 0)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    return TMK_OK;
}

/* Take valid UTF-8 text (already checked), split lines, normalise. */
static int take_utf8(tmk_decoder *d, const char *s, size_t len, tmk_buf *out, tmk_error *err)
{
    size_t start = 0;
    if (d->sniff_decoded) {
        size_t k = len < 1024 ? len : 1024;
        if (tmk_buf_add(&d->sniffbuf, s, k) < 0)
            return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        TMK_TRY(sniff_decoded(d, 0, err));
    }
    if (d->first_char && len) {
        d->first_char = 0;
        if (len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
            start = 3;
    }
    for (size_t i = start; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c > '\r')
            continue;
        if (c == '\0') {
            TMK_TRY(add_to_line(d, s + start, i - start, err));
            unsigned long col = tmk_utf8_count(d->cur.data, d->cur.len) + 1;
            if (d->utf16)
                return tmk_error_set_detail(err, TMK_EENCODING,
                                     strcmp(d->utf16, "UTF-16BE") ? TMK_D_LOOKS_UTF16LE
                                                                  : TMK_D_LOOKS_UTF16BE,
                                     d->line, col,
                                     "NUL byte in text: the file looks like %s without a "
                                     "byte-order mark",
                                     d->utf16);
            return tmk_error_set_detail(err, TMK_EENCODING, TMK_D_NUL_BYTE, d->line, col,
                                        "NUL byte in text (the file may be binary)");
        }
        if (c == '\v') {
            /* a manual line break (Shift+Enter) in text taken out of Word,
             * PowerPoint or FileMaker: a space, so that words stay apart
             * (XML cannot hold U+000B) and line numbers stay the editor's */
            TMK_TRY(add_to_line(d, s + start, i - start, err));
            TMK_TRY(add_to_line(d, " ", 1, err));
            start = i + 1;
            continue;
        }
        if (c != '\n' && c != '\r')
            continue;
        if (c == '\n' && d->prev_cr && i == start) { /* LF of a CRLF split across calls */
            d->prev_cr = 0;
            start = i + 1;
            continue;
        }
        TMK_TRY(add_to_line(d, s + start, i - start, err));
        if (flush_line(d, out, 1) < 0)
            return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        d->line++;
        d->prev_cr = 0;
        if (c == '\r') {
            if (i + 1 < len && s[i + 1] == '\n')
                i++;
            else if (i + 1 == len)
                d->prev_cr = 1;
        }
        start = i + 1;
    }
    if (start < len) {
        d->prev_cr = 0;
        TMK_TRY(add_to_line(d, s + start, len - start, err));
    }
    return TMK_OK;
}

/* Column (1-based, characters) where a problem at byte `off` of the chunk
 * s would be, given the current line buffer. */
static unsigned long col_at(tmk_decoder *d, const char *s, size_t off, unsigned long *line)
{
    unsigned long ln = d->line;
    size_t ls = 0;
    unsigned long col = (unsigned long)tmk_utf8_count(d->cur.data, d->cur.len);
    for (size_t i = 0; i < off; i++)
        if (s[i] == '\n' || (s[i] == '\r' && !(i + 1 < off && s[i + 1] == '\n'))) {
            ln++;
            ls = i + 1;
            col = 0;
        }
    *line = ln;
    return col + (unsigned long)tmk_utf8_count(s + ls, off - ls) + 1;
}

/* The length of the UTF-8 sequence that c starts, or 0 when no valid
 * sequence starts with c (a continuation byte, 0xC0, 0xC1, 0xF5..0xFF). */
static size_t seq_len(unsigned char c)
{
    return c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
}

/* Whether the n bytes at s (fewer than the sequence needs) can still be
 * completed into a valid character: no overlong form, no surrogate, nothing
 * above U+10FFFF. */
static int completable(const unsigned char *s, size_t n)
{
    for (size_t k = 1; k < n; k++) {
        unsigned char lo = 0x80, hi = 0xBF;
        if (k == 1) {
            if (s[0] == 0xE0)
                lo = 0xA0;
            else if (s[0] == 0xED)
                hi = 0x9F;
            else if (s[0] == 0xF0)
                lo = 0x90;
            else if (s[0] == 0xF4)
                hi = 0x8F;
        }
        if (s[k] < lo || s[k] > hi)
            return 0;
    }
    return 1;
}

/* Whether s[0..n) holds a valid multi-byte UTF-8 character. */
static int has_utf8_mb(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t k = seq_len((unsigned char)s[i]);
        if (k && k <= n - i && tmk_utf8_valid_prefix(s + i, k) == k)
            return 1;
    }
    return 0;
}

/* A byte that is not UTF-8 in a file that holds valid multi-byte UTF-8
 * characters (before it, or after it in the chunk): a damaged character
 * (a copy cut inside one), not another encoding -- reading the file as
 * windows-1252 would garble every other character. */
static int damaged_utf8(unsigned long line, unsigned long col, unsigned char c, tmk_error *err)
{
    const char *why = seq_len(c) ? "starts a character that is cut off"
                      : c >= 0x80 && c <= 0xBF ? "continues a character whose start is missing"
                                               : "cannot occur in UTF-8";
    return tmk_error_set_detail(err, TMK_EENCODING, TMK_D_DAMAGED_UTF8, line, col,
                                "a damaged UTF-8 character (byte 0x%02X %s) in a file that is "
                                "otherwise UTF-8: correct or delete it here (it may be text "
                                "pasted in another encoding); do not read the file as "
                                "windows-1252, that would garble its other characters",
                                c, why);
}

static int feed_utf8(tmk_decoder *d, const char *s, size_t len, int final, tmk_buf *out,
                     tmk_error *err)
{
    size_t ok = tmk_utf8_valid_prefix(s, len);
    if (d->utf8 && !d->seen_mb)
        d->seen_mb = has_utf8_mb(s, ok);
    if (ok < len) {
        /* An incomplete sequence at the very end may continue in the next
         * chunk; at the end of the text it is a truncated character.  A byte
         * that cannot start or continue a character is invalid at once. */
        size_t rest = len - ok;
        unsigned char c = (unsigned char)s[ok];
        size_t need = seq_len(c);
        int truncated = need && rest < need && completable((const unsigned char *)s + ok, rest);
        int incomplete = !final && truncated;
        TMK_TRY(take_utf8(d, s, ok, out, err));
        if (incomplete) {
            memcpy(d->carry, s + ok, rest);
            d->ncarry = rest;
            return TMK_OK;
        }
        unsigned long line;
        unsigned long col = col_at(d, s, 0, &line);
        if (truncated)
            return tmk_error_set(err, TMK_EENCODING, line, col,
                                 "the text ends in the middle of a UTF-8 character");
        if (d->utf8 && (d->seen_mb || has_utf8_mb(s + ok + 1, len - ok - 1)))
            return damaged_utf8(line, col, c, err);
        return tmk_error_set_detail(err, TMK_EENCODING, TMK_D_NOT_UTF8, line, col,
                                    "not valid UTF-8 (byte 0x%02X)", c);
    }
    return take_utf8(d, s, len, out, err);
}

static int feed_iconv(tmk_decoder *d, const char *s, size_t len, int final, tmk_buf *out,
                      tmk_error *err)
{
    char *in = (char *)s;
    size_t inleft = len;
    while (inleft > 0) {
        tmk_buf_reset(&d->tmp);
        if (tmk_buf_grow(&d->tmp, inleft * 4 + 16) < 0)
            return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        char *o = d->tmp.data;
        size_t oleft = d->tmp.cap - 1;
        size_t r = iconv(d->cd, &in, &inleft, &o, &oleft);
        int e = errno;
        d->tmp.len = (size_t)(o - d->tmp.data);
        d->tmp.data[d->tmp.len] = '\0';
        TMK_TRY(feed_utf8(d, d->tmp.data, d->tmp.len, 0, out, err));
        if (r != (size_t)-1)
            continue;
        if (e == E2BIG)
            continue;
        if (e == EINVAL) { /* incomplete sequence at the end */
            if (final || inleft > sizeof d->carry)
                return tmk_error_set(err, TMK_EENCODING, d->line,
                                     tmk_utf8_count(d->cur.data, d->cur.len) + 1,
                                     "the text ends in the middle of a character (%s)", d->enc);
            memcpy(d->carry, in, inleft);
            d->ncarry = inleft;
            return TMK_OK;
        }
        return tmk_error_set(err, TMK_EENCODING, d->line,
                             tmk_utf8_count(d->cur.data, d->cur.len) + 1,
                             "not valid %s (byte 0x%02X)", d->enc, (unsigned char)*in);
    }
    return TMK_OK;
}

static int feed(tmk_decoder *d, const char *data, size_t len, int final, tmk_buf *out,
                tmk_error *err)
{
    if (!d->started) {
        size_t take = sizeof d->head - d->nhead;
        if (take > len)
            take = len;
        memcpy(d->head + d->nhead, data, take);
        d->nhead += take;
        data += take;
        len -= take;
        if (d->nhead < sizeof d->head && !final)
            return TMK_OK;
        int bom = start(d, err);
        if (bom < 0)
            return bom;
        size_t nh = d->nhead - (size_t)bom;
        if (!d->no_sniff) {
            /* magic numbers, and markup in ASCII-compatible encodings */
            const char *what;
            enum tmk_decode_content k = tmk_decode_sniff(d->head + bom, nh, &what);
            if (k != TMK_CONTENT_TEXT)
                return not_text(k, what, err);
            int order;
            d->sniff_decoded = unicode_family(d->enc, &order) != 0;
        }
        d->nhead = 0;
        /* d->head is not touched again once started */
        if (nh)
            TMK_TRY(feed(d, (const char *)d->head + bom, nh, final && !len, out, err));
        if (!len)
            return TMK_OK;
    }
    if (d->ncarry) { /* an incomplete sequence waits: join it with the new bytes
                      */
        tmk_buf joined = TMK_BUF_INIT;
        if (tmk_buf_add(&joined, d->carry, d->ncarry) < 0 || tmk_buf_add(&joined, data, len) < 0) {
            tmk_buf_release(&joined);
            return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        }
        d->ncarry = 0;
        int rc = d->utf8 ? feed_utf8(d, joined.data, joined.len, final, out, err)
                         : feed_iconv(d, joined.data, joined.len, final, out, err);
        tmk_buf_release(&joined);
        return rc;
    }
    if (!len)
        return TMK_OK;
    return d->utf8 ? feed_utf8(d, data, len, final, out, err)
                   : feed_iconv(d, data, len, final, out, err);
}

/* With an 8-bit encoding asked for: whether the raw bytes are UTF-8. */
static void track_utf8(tmk_decoder *d, const unsigned char *s, size_t len)
{
    for (size_t i = 0; i < len && !d->u8_bad; i++) {
        unsigned char c = s[i];
        if (d->u8_need) {
            if ((c & 0xC0) != 0x80)
                d->u8_bad = 1;
            else if (!--d->u8_need)
                d->u8_mb++;
        } else if (c >= 0x80) {
            size_t k = seq_len(c);
            if (k)
                d->u8_need = (int)k - 1;
            else
                d->u8_bad = 1;
        }
    }
}

int tmk_decoder_looks_utf8(const tmk_decoder *d)
{
    return d->u8_track && !d->u8_bad && !d->u8_need && d->u8_mb > 0;
}

int tmk_decoder_feed(tmk_decoder *d, const char *data, size_t len, tmk_buf *out, tmk_error *err)
{
    if (d->finished)
        return tmk__after_finish(err, "decoder");
    d->fed = 1;
    if (d->u8_track)
        track_utf8(d, (const unsigned char *)data, len);
    /* name the input only for an error (error.h), unless the caller has */
    int named = err && !err->file[0] && d->name;
    if (named)
        tmk_error_set_file(err, d->name);
    int rc = feed(d, data, len, 0, out, err);
    if (named && rc >= 0)
        err->file[0] = '\0';
    return rc;
}

static int decoder_end(tmk_decoder *d, tmk_buf *out, tmk_error *err);

int tmk_decoder_finish(tmk_decoder *d, tmk_buf *out, tmk_error *err)
{
    if (d->finished)
        return tmk__after_finish(err, "decoder");
    d->finished = 1;
    d->fed = 1;
    int named = err && !err->file[0] && d->name;
    if (named)
        tmk_error_set_file(err, d->name);
    int rc = decoder_end(d, out, err);
    if (named && rc >= 0)
        err->file[0] = '\0';
    return rc;
}

static int decoder_end(tmk_decoder *d, tmk_buf *out, tmk_error *err)
{
    TMK_TRY(feed(d, "", 0, 1, out, err));
    TMK_TRY(sniff_decoded(d, 1, err));
    if (d->ncarry)
        return tmk_error_set(
            err, TMK_EENCODING, d->line, tmk_utf8_count(d->cur.data, d->cur.len) + 1,
            "the text ends in the middle of a character (%s)", tmk_decoder_encoding(d));
    if (d->cur.len && flush_line(d, out, 0) < 0)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    return TMK_OK;
}

struct decode_sink {
    tmk_decoder *d;
    tmk_buf *out;
};

static int decode_chunk(const char *data, size_t len, void *ud, tmk_error *err)
{
    struct decode_sink *k = ud;
    return tmk_decoder_feed(k->d, data, len, k->out, err);
}

/* f NULL: read path; else read f, named path */
static int decode_whole(FILE *f, const char *path, const char *encoding, tmk_buf *out,
                        tmk_error *err)
{
    char old[TMK_ERROR_FILE_MAX];
    tmk__name_push(err, path, old);
    tmk_decoder *d;
    int made = tmk_decoder_new(&d, encoding, path, err);
    if (made < 0)
        return made;
    /* decoded as it is read: bad bytes (a binary file, /dev/zero) stop the
     * reading at once, and the raw bytes are never held whole */
    struct decode_sink k = {d, out};
    int rc = f ? tmk__read_limited_stream(f, path, 0, decode_chunk, &k, err)
               : tmk__read_limited(path, 0, decode_chunk, &k, err);
    if (rc == TMK_OK)
        rc = tmk_decoder_finish(d, out, err);
    tmk_decoder_free(d);
    return tmk__name_pop(err, old, rc);
}

int tmk_decode_file(const char *path, const char *encoding, tmk_buf *out, tmk_error *err)
{
    return decode_whole(NULL, path, encoding, out, err);
}

int tmk_decode_stream(FILE *f, const char *name, const char *encoding, tmk_buf *out,
                      tmk_error *err)
{
    return decode_whole(f, name, encoding, out, err);
}
