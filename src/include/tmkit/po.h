/* tmkit/po.h -- gettext PO catalogues: a streaming reader.
 *
 * A PO file is fed in chunks of any size (tmk_po_reader_feed), then
 * finished (tmk_po_reader_finish); the callback given to tmk_po_reader_new
 * is called once for each message entry, in file order, with its strings
 * in UTF-8 and its C escapes (\n \t \" \\ \ooo \xhh ...) decoded.
 *
 *  - The header entry (msgid "" without msgctxt) must come first and name
 *    its charset (Content-Type: text/plain; charset=...): the rest of the
 *    file is converted from that charset to UTF-8 (NFC) through the
 *    decoder (tmkit/decode.h).  Its Language: and Plural-Forms: fields are
 *    given by tmk_po_reader_header once it has been read; the header is
 *    not given to the callback.
 *  - Obsolete entries (#~ lines) are left out and counted
 *    (tmk_po_reader_obsolete); "#," flags are read (fuzzy); other
 *    comments are skipped.
 *  - Memory is bounded by the largest entry (and the header entry, which
 *    is held until its charset is known; both at most TMK_PO_MAX_ENTRY).
 *
 * Errors (err has the file name given in the options, line and column):
 * TMK_ESYNTAX for a syntax error (an unknown keyword, a string without a
 * keyword, an unterminated string, an unknown escape, a msgstr[n] without
 * msgid_plural, a msgid without msgstr), for a missing or broken header
 * (no header entry, no Content-Type charset, a Plural-Forms that is not
 * "nplurals=N; plural=EXPRESSION;", a charset iconv does not know);
 * TMK_EENCODING for bytes that are not in the charset;
 * TMK_ELIMIT for an entry over TMK_PO_MAX_ENTRY; TMK_ECANCELED when the
 * callback returns > 0, or the callback's own negative code (err is then
 * left as the callback left it); TMK_ENOMEM.
 * After an error the reader takes no more input.
 */
#ifndef TMKIT_PO_H
#define TMKIT_PO_H

#include <stddef.h>
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Entry flags (from the "#," comment line). */
enum tmk_po_flags {
    TMK_PO_FUZZY = 1 << 0
};

/* One message.  Strings are UTF-8, NUL-terminated, and may also hold NUL
 * (from a \0 escape): use the lengths. */
typedef struct tmk_po_entry {
    const char *msgctxt;        /* NULL when the entry has no msgctxt */
    size_t msgctxt_len;
    const char *msgid;
    size_t msgid_len;
    const char *msgid_plural;   /* NULL for a singular entry */
    size_t msgid_plural_len;
    const char *const *msgstr;  /* nmsgstr strings: msgstr, or msgstr[0..] */
    const size_t *msgstr_len;
    size_t nmsgstr;
    unsigned flags;             /* enum tmk_po_flags */
    unsigned long line;         /* line of the entry's first keyword */
} tmk_po_entry;

/* The header entry's fields (borrowed from the reader, valid until it is
 * freed); NULL for a field the header does not have. */
typedef struct tmk_po_header {
    const char *language;       /* "Language:" as written ("de", "pt_BR"), or NULL
                                 * when absent or empty */
    const char *charset;        /* from Content-Type */
    const char *plural_forms;   /* "Plural-Forms:" as written, or NULL */
    int nplurals;               /* from Plural-Forms; 0 without it */
} tmk_po_header;

/* 64 MiB: the largest entry (all its strings together) a reader holds. */
#define TMK_PO_MAX_ENTRY ((size_t)64 << 20)

typedef struct tmk_po_options {
    size_t size;                /* sizeof(tmk_po_options): TMK_PO_OPTIONS_INIT sets it */
    const char *name;           /* file name for errors (borrowed; must outlive
                                 * the reader), or NULL */
} tmk_po_options;

#define TMK_PO_OPTIONS_INIT {sizeof(tmk_po_options), NULL}

typedef struct tmk_po_reader tmk_po_reader;

/* A new reader in *out that calls cb(ud, entry) for each entry (return 0
 * to go on).  opt may be NULL.  Returns TMK_OK or TMK_ENOMEM. */
int tmk_po_reader_new(tmk_po_reader **out, const tmk_po_options *opt,
                      int (*cb)(void *ud, const tmk_po_entry *entry), void *ud,
                      tmk_error *err);
int tmk_po_reader_feed(tmk_po_reader *r, const char *data, size_t len, tmk_error *err);
/* The end of the input: the last entry is given, a missing header is an
 * error.  After it, feed and finish return TMK_EINVAL, TMK_D_AFTER_FINISH
 * (tmkit.h rule 6). */
int tmk_po_reader_finish(tmk_po_reader *r, tmk_error *err);
/* The header, once read (NULL before). */
const tmk_po_header *tmk_po_reader_header(const tmk_po_reader *r);
/* How many obsolete (#~) entries were left out so far. */
unsigned long tmk_po_reader_obsolete(const tmk_po_reader *r);
void tmk_po_reader_free(tmk_po_reader *r);

/* A PO Language code as a TMX one: "pt_BR" -> "pt-BR", "sr@latin" ->
 * "sr-Latn", "de_DE.UTF-8" -> "de-DE" (other @modifiers are dropped).
 * On success *out is a string to free with tmk_free; TMK_EINVAL when
 * what is left is not a language code, TMK_ENOMEM. */
int tmk_po_lang_to_tmx(const char *po_lang, char **out, tmk_error *err);

#ifdef __cplusplus
}
#endif
#endif
