/* tmkit/tmx.h -- TMX 1.4b writing (and, in tmx_read, reading).
 *
 * The writer emits as it goes: header first, then one <tu> per call, then
 * the closing tags on finish.  All strings are borrowed UTF-8.  Text is
 * escaped; characters XML 1.0 forbids (C0 controls other than TAB, LF,
 * CR; U+FFFE, U+FFFF; unpaired surrogates) never reach the file: they are
 * dropped and reported through the warning callback.
 */
#ifndef TMKIT_TMX_H
#define TMKIT_TMX_H

#include <stddef.h>
#include <stdio.h>
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tmk_tmx_attr {
    const char *name, *value;
} tmk_tmx_attr;

typedef struct tmk_tmx_prop {
    const char *type;   /* should start with "x-" for tool data */
    const char *value;
    const char *lang;   /* xml:lang or NULL */
} tmk_tmx_prop;

typedef struct tmk_tmx_note {
    const char *text;
    const char *lang;   /* or NULL */
} tmk_tmx_note;

typedef struct tmk_tuv {
    const char *lang;          /* xml:lang, e.g. "de-DE" */
    const char *seg;           /* plain text, or with markup != 0 the XML content of <seg> */
    size_t seg_len;
    int markup;                /* seg is already XML (level 2: bpt, ept, ph, ...) */
    const tmk_tmx_prop *props;
    size_t nprops;
    const tmk_tmx_note *notes;
    size_t nnotes;
    const tmk_tmx_attr *attrs; /* further attributes (creationdate, ...) kept as they are */
    size_t nattrs;
} tmk_tuv;

typedef struct tmk_tu {
    const char *tuid;          /* or NULL */
    const tmk_tmx_attr *attrs; /* further attributes */
    size_t nattrs;
    const tmk_tmx_prop *props;
    size_t nprops;
    const tmk_tmx_note *notes;
    size_t nnotes;
    const tmk_tuv *tuvs;       /* the source tuv first */
    size_t ntuvs;
} tmk_tu;

typedef struct tmk_tmx_header {
    const char *srclang;       /* "de-DE" or "*all*" */
    const char *adminlang;     /* NULL = "en-US" */
    const char *segtype;       /* NULL = "sentence" */
    const char *datatype;      /* NULL = "plaintext" */
    const char *o_tmf;         /* NULL = "tmkit" */
    const char *creationtool;  /* NULL = "tmkit" */
    const char *creationtoolversion; /* NULL = this library's version */
    long long creationdate;    /* seconds since the epoch; -1 = now, or SOURCE_DATE_EPOCH when set */
    const tmk_tmx_prop *props;
    size_t nprops;
    const tmk_tmx_note *notes;
    size_t nnotes;
    const tmk_tmx_attr *attrs; /* further header attributes */
    size_t nattrs;
} tmk_tmx_header;

typedef struct tmk_tmx_writer tmk_tmx_writer;

/* Called for each problem the writer fixed on the way (a forbidden
 * character dropped, ...): tu_index is the 0-based unit number. */
typedef void (*tmk_tmx_warn_cb)(size_t tu_index, const char *msg, void *ud);

tmk_tmx_writer *tmk_tmx_writer_new(FILE *out, const tmk_tmx_header *h,
                                   tmk_error *err);
void tmk_tmx_writer_on_warning(tmk_tmx_writer *w, tmk_tmx_warn_cb cb, void *ud);

/* Writer behaviour.  The default (flags 0) is the memory-building mode that
 * CAT tools want: plain-text segments are trimmed of leading and trailing
 * white space, a unit with fewer than two non-empty segments (a one-sided
 * bead) is not written, language codes are written in canonical spelling,
 * prop types without "x-" get it prefixed, and attributes the TMX 1.4b DTD
 * does not know are dropped (each change reported through the warning
 * callback, except trimming).  TMK_TMX_VERBATIM writes what it is given
 * (still escaped, forbidden characters still dropped): for convert, merge
 * and filter, which must keep text exactly.  Call before the first add. */
enum tmk_tmx_flags {
    TMK_TMX_VERBATIM = 1 << 0
};
void tmk_tmx_writer_set_flags(tmk_tmx_writer *w, unsigned flags);
int tmk_tmx_writer_add(tmk_tmx_writer *w, const tmk_tu *tu, tmk_error *err);
int tmk_tmx_writer_finish(tmk_tmx_writer *w, tmk_error *err);
void tmk_tmx_writer_free(tmk_tmx_writer *w);

/* Canonical spelling of a language code (BCP 47 case conventions):
 * "de_de" -> "de-DE", "EN" -> "en", "zh-hant-tw" -> "zh-Hant-TW"; "*all*"
 * stays.  The caller frees the result with free(); NULL for NULL input or
 * no memory. */
char *tmk_lang_canonical(const char *code);

/* Whether code is a well-formed BCP 47 language tag (syntax only, no
 * registry lookup; "x-..." private tags and "i-..." grandfathered forms
 * accepted).  "*all*" is not a language tag: check it separately. */
int tmk_lang_valid(const char *code);

/* Format t (seconds since the epoch, UTC) as YYYYMMDDThhmmssZ into out[17]. */
void tmk_tmx_date(long long t, char out[17]);

#ifdef __cplusplus
}
#endif
#endif
