#include <config.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tmkit/buf.h"
#include "tmkit/error.h"
#include "tmkit/utf8.h"

char tmk_buf_empty[1];

void tmk_buf_init(tmk_buf *b)
{
    b->data = tmk_buf_empty;
    b->len = b->cap = 0;
}

void tmk_buf_release(tmk_buf *b)
{
    if (b->cap)
        free(b->data);
    tmk_buf_init(b);
}

int tmk_buf_grow(tmk_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return TMK_OK;
    if (extra > (size_t)-1 / 2 - b->len)
        return TMK_ENOMEM;
    size_t want = b->len + extra + 1;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < want)
        cap += cap / 2 + 64;
    char *p = b->cap ? realloc(b->data, cap) : malloc(cap);
    if (!p)
        return TMK_ENOMEM;
    if (!b->cap)
        p[0] = '\0';
    b->data = p;
    b->cap = cap;
    return TMK_OK;
}

int tmk_buf_add(tmk_buf *b, const void *data, size_t len)
{
    if (tmk_buf_grow(b, len) < 0)
        return TMK_ENOMEM;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return TMK_OK;
}

int tmk_buf_adds(tmk_buf *b, const char *s) { return tmk_buf_add(b, s, strlen(s)); }

int tmk_buf_addch(tmk_buf *b, int c)
{
    char ch = (char)c;
    return tmk_buf_add(b, &ch, 1);
}

int tmk_buf_printf(tmk_buf *b, const char *fmt, ...)
{
    va_list ap;
    char small[256];
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return TMK_EINVAL;
    if ((size_t)n < sizeof small)
        return tmk_buf_add(b, small, (size_t)n);
    if (tmk_buf_grow(b, (size_t)n) < 0)
        return TMK_ENOMEM;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return TMK_OK;
}

int tmk_buf_add_xml_ex(tmk_buf *b, const char *s, size_t len, unsigned flags)
{
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        const char *rep = NULL;
        switch (s[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = (flags & TMK_XML_DQUOTE) ? "&quot;" : NULL; break;
        case '\'': rep = (flags & TMK_XML_SQUOTE) ? "&apos;" : NULL; break;
        case '\r': rep = (flags & TMK_XML_CR) ? "&#13;" : NULL; break;
        case '\t': rep = (flags & TMK_XML_WS) ? "&#9;" : NULL; break;
        case '\n': rep = (flags & TMK_XML_WS) ? "&#10;" : NULL; break;
        default: continue;
        }
        if (!rep)
            continue;
        if (tmk_buf_add(b, s + start, i - start) < 0 || tmk_buf_adds(b, rep) < 0)
            return TMK_ENOMEM;
        start = i + 1;
    }
    return tmk_buf_add(b, s + start, len - start);
}

int tmk_buf_add_xml(tmk_buf *b, const char *s, size_t len)
{
    return tmk_buf_add_xml_ex(b, s, len, TMK_XML_DQUOTE | TMK_XML_SQUOTE);
}

int tmk_buf_add_utf8_lossy(tmk_buf *b, const char *s, size_t len)
{
    while (len) {
        size_t ok = tmk_utf8_valid_prefix(s, len);
        if (tmk_buf_add(b, s, ok) < 0)
            return TMK_ENOMEM;
        if (ok == len)
            break;
        /* one byte that starts no valid sequence: U+FFFD */
        if (tmk_buf_adds(b, "\xEF\xBF\xBD") < 0)
            return TMK_ENOMEM;
        s += ok + 1;
        len -= ok + 1;
    }
    return TMK_OK;
}

int tmk_buf_add_json(tmk_buf *b, const char *s, size_t len)
{
    if (tmk_utf8_valid_prefix(s, len) != len) {
        /* JSON is UTF-8: bytes that are not (a file name in Latin-1) become
         * U+FFFD first */
        tmk_buf t = TMK_BUF_INIT;
        int rc = tmk_buf_add_utf8_lossy(&t, s, len);
        if (rc == 0)
            rc = tmk_buf_add_json(b, t.data ? t.data : "", t.len);
        tmk_buf_release(&t);
        return rc;
    }
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[8];
        const char *rep = NULL;
        if (c == '"') rep = "\\\"";
        else if (c == '\\') rep = "\\\\";
        else if (c == '\n') rep = "\\n";
        else if (c == '\r') rep = "\\r";
        else if (c == '\t') rep = "\\t";
        else if (c < 0x20 || c == 0x7f) {
            snprintf(esc, sizeof esc, "\\u%04x", c);
            rep = esc;
        } else
            continue;
        if (tmk_buf_add(b, s + start, i - start) < 0 || tmk_buf_adds(b, rep) < 0)
            return TMK_ENOMEM;
        start = i + 1;
    }
    return tmk_buf_add(b, s + start, len - start);
}

void tmk_buf_reset(tmk_buf *b)
{
    b->len = 0;
    if (b->cap)
        b->data[0] = '\0';
}

void tmk_buf_setlen(tmk_buf *b, size_t len)
{
    if (len <= b->len && b->cap) {
        b->len = len;
        b->data[len] = '\0';
    }
}

char *tmk_buf_detach(tmk_buf *b, size_t *len)
{
    char *p;
    if (len)
        *len = b->len;
    if (!b->cap) {
        p = malloc(1);
        if (p)
            p[0] = '\0';
    } else
        p = b->data;
    tmk_buf_init(b);
    return p;
}
