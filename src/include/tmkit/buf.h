/* tmkit/buf.h -- a growable byte buffer.
 *
 * The caller owns the struct (on the stack or inside its own): TMK_BUF_INIT
 * or tmk_buf_init, then tmk_buf_release frees the contents (the tmkit.h
 * rule for caller-owned structs; there is no _new/_free).  The appending
 * functions return TMK_OK or TMK_ENOMEM and leave b valid either way.
 *
 * Invariants: data is never NULL after tmk_buf_init (it points to a shared
 * empty string until something is added), data[len] == '\0' always, and
 * len < cap once memory was allocated.  The buffer may hold NUL bytes.
 * Appending never moves the tmk_buf itself, only data.
 */
#ifndef TMKIT_BUF_H
#define TMKIT_BUF_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tmk_buf {
    char *data;
    size_t len, cap;
} tmk_buf;

extern char tmk_buf_empty[];
#define TMK_BUF_INIT {tmk_buf_empty, 0, 0}

void tmk_buf_init(tmk_buf *b);
/* Free the contents; b is left initialised and empty. */
void tmk_buf_release(tmk_buf *b);
/* Make room for at least `extra` more bytes.  Returns TMK_OK or TMK_ENOMEM. */
int tmk_buf_grow(tmk_buf *b, size_t extra);
int tmk_buf_add(tmk_buf *b, const void *data, size_t len);
int tmk_buf_adds(tmk_buf *b, const char *s);
int tmk_buf_addch(tmk_buf *b, int c);
int tmk_buf_printf(tmk_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Append s with the five XML special characters escaped (& < > " ').  */
int tmk_buf_add_xml(tmk_buf *b, const char *s, size_t len);
/* Append s with & < > always escaped and, by flags, more: */
enum tmk_buf_xml_flags {
    TMK_XML_DQUOTE = 1 << 0, /* " as &quot; */
    TMK_XML_SQUOTE = 1 << 1, /* ' as &apos; */
    TMK_XML_CR = 1 << 2,     /* CR as &#13; (else a reader turns it into LF) */
    TMK_XML_WS = 1 << 3      /* TAB and LF as &#9; &#10; (kept in attribute values) */
};
int tmk_buf_add_xml_ex(tmk_buf *b, const char *s, size_t len, unsigned flags);
/* Append s as the inside of a JSON string (without the quotes); bytes that
 * are not UTF-8 become U+FFFD, so the result is always valid JSON. */
int tmk_buf_add_json(tmk_buf *b, const char *s, size_t len);
/* Append s with every byte that starts no valid UTF-8 sequence replaced by
 * U+FFFD (for names from the file system in UTF-8 output). */
int tmk_buf_add_utf8_lossy(tmk_buf *b, const char *s, size_t len);
void tmk_buf_reset(tmk_buf *b);          /* len = 0, memory kept */
void tmk_buf_setlen(tmk_buf *b, size_t len); /* len must be <= current len */
/* Hand the data over: the caller frees the result with tmk_free (NULL
 * only when out of memory, with nothing yet allocated); b is
 * left initialised and empty. */
char *tmk_buf_detach(tmk_buf *b, size_t *len);

#ifdef __cplusplus
}
#endif
#endif
