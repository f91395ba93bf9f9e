/* tmkit/tmx.h -- TMX 1.4b writing and reading.
 *
 * Follows the API contract of tmkit.h: objects made by tmk_tmx_writer_new
 * and tmk_tmx_reader_new (int return, the object through an out-parameter,
 * an options struct with its size first), callbacks passed to the call
 * that makes the object as (cb, ud) with ud first, returning 0 to go on.
 *
 * The writer emits as it goes, to a sink callback or a FILE *: header
 * first, then one <tu> per call, then the closing tags on finish.  All
 * strings are borrowed UTF-8.  Text is
 * escaped; characters XML 1.0 forbids (C0 controls other than TAB, LF,
 * CR; U+FFFE, U+FFFF; unpaired surrogates) never reach the file: they are
 * dropped and reported through the warning callback.
 */
#ifndef TMKIT_TMX_H
#define TMKIT_TMX_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "buf.h"
#include "error.h"
#include "lang.h"

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
    const char *o_encoding; /* o-encoding or NULL (initialise by name: fields may follow) */
} tmk_tmx_prop;

typedef struct tmk_tmx_note {
    const char *text;
    const char *lang;   /* or NULL */
    const char *o_encoding; /* o-encoding or NULL (initialise by name: fields may follow) */
} tmk_tmx_note;

typedef struct tmk_tmx_tuv {
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
    const char *order;         /* NULL, or the document order of notes and props: nnotes +
                                  nprops characters (no NUL needed), 'n' for the next note,
                                  'p' for the next prop; the writer keeps it (else notes
                                  first) */
} tmk_tmx_tuv;

typedef struct tmk_tmx_tu {
    const char *tuid;          /* or NULL */
    const tmk_tmx_attr *attrs; /* further attributes */
    size_t nattrs;
    const tmk_tmx_prop *props;
    size_t nprops;
    const tmk_tmx_note *notes;
    size_t nnotes;
    const tmk_tmx_tuv *tuvs;       /* the source tuv first */
    size_t ntuvs;
    const char *order;         /* NULL, or the document order of notes and props: nnotes +
                                  nprops characters (no NUL needed), 'n' for the next note,
                                  'p' for the next prop; the writer keeps it (else notes
                                  first) */
} tmk_tmx_tu;

/* tmk_tmx_header.creationdate: write no creationdate (TMX 1.4b makes it
 * optional). */
#define TMK_TMX_DATE_NONE (-2LL)

typedef struct tmk_tmx_header {
    const char *srclang;       /* "de-DE" or "*all*" */
    const char *adminlang;     /* NULL = "en-US" */
    const char *segtype;       /* NULL = "sentence" */
    const char *datatype;      /* NULL = "plaintext" */
    const char *o_tmf;         /* NULL = "tmkit" */
    const char *creationtool;  /* NULL = "tmkit" */
    const char *creationtoolversion; /* NULL = this library's version */
    long long creationdate;    /* seconds since the epoch; -1 = the writer
                                  options' creation_time (else now);
                                  TMK_TMX_DATE_NONE = no creationdate attribute
                                  (a copy of a header that had none) */
    const tmk_tmx_prop *props;
    size_t nprops;
    const tmk_tmx_note *notes;
    size_t nnotes;
    const tmk_tmx_attr *attrs; /* further header attributes */
    size_t nattrs;
    const char *order;         /* NULL, or the document order of notes and props: nnotes +
                                  nprops characters (no NUL needed), 'n' for the next note,
                                  'p' for the next prop; the writer keeps it (else notes
                                  first) */
    const char *ude_xml;       /* NULL, or the header's <ude> elements (user-defined
                                  characters) as XML: the reader gives them as read, the
                                  writer writes them as given, after notes and props */
    size_t ude_len;
} tmk_tmx_header;

typedef struct tmk_tmx_writer tmk_tmx_writer;

/* A problem the writer fixed on the way (a forbidden character dropped, a
 * unit not written, ...): tu_index is the 0-based number of the
 * tmk_tmx_writer_add call it is about; msg is for a person. */
typedef struct tmk_tmx_warning {
    size_t tu_index;
    const char *msg;
} tmk_tmx_warning;

/* Return 0 to go on, non-zero to stop: the tmk_tmx_writer_add that warned
 * then writes nothing and returns TMK_ECANCELED (or the callback's own
 * negative code), and so does every later call. */
typedef int (*tmk_tmx_warn_cb)(void *ud, const tmk_tmx_warning *w);

/* Where the bytes go when no FILE * is used: called with each piece of the
 * file in order (the header, then one call per unit, then the end).
 * Return 0 when all len bytes were taken, non-zero to stop: the call that
 * wrote returns TMK_ECANCELED (or the sink's own negative code) and the
 * writer stays failed. */
typedef int (*tmk_tmx_sink)(void *ud, const char *data, size_t len);

/* Writer behaviour.  The default (flags 0) is the memory-building mode that
 * CAT tools want: plain-text segments are trimmed of leading and trailing
 * white space, a unit with fewer than two non-empty segments (a one-sided
 * bead) is not written, language codes are written in canonical spelling,
 * prop types without "x-" get it prefixed, and attributes the TMX 1.4b DTD
 * does not know are dropped (each change in a unit reported through the
 * warning callback, except trimming).  TMK_TMX_VERBATIM writes what it is
 * given (still escaped, forbidden characters still dropped): for convert,
 * merge and filter, which must keep text exactly.  The flags apply to the
 * header and every unit. */
enum tmk_tmx_flags {
    TMK_TMX_VERBATIM = 1 << 0
};

typedef struct tmk_tmx_write_options {
    size_t size;  /* sizeof(tmk_tmx_write_options): TMK_TMX_WRITE_OPTIONS_INIT sets it */
    unsigned flags; /* enum tmk_tmx_flags; default 0 */
    FILE *file;   /* where the bytes go when no sink is given (borrowed: the
                     caller opens and closes it; the writer flushes it on
                     finish); default NULL */
    long long creation_time; /* the time (seconds since the epoch) a header
                     creationdate of -1 stands for; -1 (the default) = now,
                     from time().  The library reads no environment: tmkit
                     passes $SOURCE_DATE_EPOCH here when it is set, for
                     reproducible files */
} tmk_tmx_write_options;

#define TMK_TMX_WRITE_OPTIONS_INIT {sizeof(tmk_tmx_write_options), 0, NULL, -1}

/* A writer in *out that writes the header h at once, to sink(ud, ...) or,
 * with sink NULL, to opt->file.  on_warning (may be NULL) gets ud too.
 * TMK_OK; TMK_EINVAL (no sink and no file, no header or no h->srclang);
 * TMK_ENOMEM; TMK_EIO (the file cannot be written) or the sink's code.
 * On failure *out is NULL. */
int tmk_tmx_writer_new(tmk_tmx_writer **out, const tmk_tmx_write_options *opt,
                       const tmk_tmx_header *h, tmk_tmx_sink sink, tmk_tmx_warn_cb on_warning,
                       void *ud, tmk_error *err);
/* Write one unit.  A tuv whose seg is given as TMX markup (markup = 1) is
 * checked first, in every mode: well-formed, entities and tags only where
 * XML allows them, only TMX's inline elements (bpt ept it ph hi sub ut);
 * and, except with TMK_TMX_VERBATIM (which keeps a real memory's segs as
 * they are), each bpt closed by an ept with its i.  A seg that is not is refused:
 * TMK_EINVAL with detail TMK_D_BAD_MARKUP (the message names the unit and
 * what is wrong), nothing of the unit is written, and the writer goes on
 * with the next unit.  (Plain text, markup = 0, is always escaped.) */
int tmk_tmx_writer_add(tmk_tmx_writer *w, const tmk_tmx_tu *tu, tmk_error *err);
/* Writes </body></tmx> and flushes.  After it, add and finish return
 * TMK_EINVAL with TMK_D_AFTER_FINISH and write nothing (tmkit.h rule 6). */
int tmk_tmx_writer_finish(tmk_tmx_writer *w, tmk_error *err);
void tmk_tmx_writer_free(tmk_tmx_writer *w);

/* Language codes: tmk_lang_canonical, tmk_lang_valid, tmk_lang_match
 * (tmkit/lang.h). */

/* Format t (seconds since the epoch, UTC) as YYYYMMDDThhmmssZ into out[17]. */
void tmk_tmx_date(long long t, char out[17]);

/* ---- reading ------------------------------------------------------------
 *
 * A streaming TMX reader on expat (TMX 1.1 to 1.4b).  Push API: feed chunks
 * of any size, then finish.  The header is passed to the header callback
 * when </header> is seen, each <tu> to the unit callback when </tu> is
 * seen; only the current unit is in memory.  Everything given to the
 * callbacks is borrowed and valid only during the call.
 *
 * Encodings: UTF-8, UTF-16 (with BOM, or detected from "<?xml"),
 * ISO-8859-1 and US-ASCII go straight to expat; any other encoding the XML
 * declaration names (windows-1252, ...) is decoded to UTF-8 by tmk_decoder
 * first.
 *
 * Inside <seg>, level-2 inline markup (bpt, ept, it, ph, hi, sub, ut) is
 * kept as XML: the tuv's seg is then the XML content of <seg> (markup = 1),
 * re-serialised with the attributes in document order; plain text has
 * markup = 0.  With TMK_TMX_READ_STRIP the reader gives plain text only:
 * the content of bpt, ept, it, ph and ut (native codes) is dropped, the text
 * in hi is kept.
 *
 * TMX 1.1 "lang" attributes are read as xml:lang.  Header attributes are
 * given in h->attrs (all of them, as written) and the named fields;
 * h->creationdate is -1.  Unit and tuv attributes other than tuid and
 * xml:lang/lang are in attrs, in document order.
 *
 * Compressed memories: input that starts with the gzip signature (1f 8b)
 * is unpacked as it is fed (one or more gzip members, in chunks, never
 * whole); tmk_tmx_read_file also reads a zip file that holds exactly one
 * TMX memory (a member whose start has a <tmx element; folders and other
 * files are ignored).  Both are recognised by content, not by name.  Line
 * and column (messages, problems, tmk_tmx_reader_tu_line) are those of the
 * unpacked text.  A truncated gzip stream is TMK_ESYNTAX with the detail
 * TMK_D_TRUNCATED; damaged data TMK_ESYNTAX; a zip with no TMX or several,
 * or an encrypted member, TMK_EFORMAT; a zip fed as a stream TMK_EFORMAT.
 * The limit against compression bombs: the unpacked bytes may reach
 * TMK_TMX_UNPACK_SLACK plus TMK_TMX_UNPACK_RATIO times the compressed
 * bytes read so far (for a zip member: its compressed size; its declared
 * size is checked before unpacking), else TMK_ELIMIT with the detail
 * TMK_D_UNPACK_LIMIT.  Real memories unpack to 5 to 20 times their size.
 *
 * Secure by default: no external entity or DTD is ever loaded, entity
 * declarations are refused (which also stops "billion laughs"; expat's own
 * amplification limit stays on), and element depth, attribute count and
 * the size of one unit are limited (TMK_ELIMIT with the position).
 *
 * Checks: with a problem callback set, the reader also checks the rules of
 * the TMX 1.4b DTD and those of Maxprograms' TMXValidator (see validate in
 * the README) and reports each finding with its line and column; reading
 * goes on.  Malformed XML stops reading with TMK_ESYNTAX (the units before
 * were already delivered).
 */
typedef struct tmk_tmx_reader tmk_tmx_reader;

enum tmk_tmx_read_flags {
    TMK_TMX_READ_STRIP = 1 << 0,    /* inline markup removed, plain text in seg */
    TMK_TMX_READ_POSITIONS = 1 << 1, /* keep each unit's line/column (tmk_tmx_reader_tu_line);
                                       costs time, on by itself with a problem callback */
    TMK_TMX_READ_TEXT_ONLY = 1 << 2 /* for counting (stats): units carry only the tuv
                                       languages, the plain seg text (STRIP implied) and the
                                       unit's srclang attribute; tuid, other attributes,
                                       props and notes are skipped (the header stays whole).
                                       Ignored while a problem callback is set.  A seg of
                                       TEXT_ONLY units is followed by its NUL and padding:
                                       TMK_TMX_SEG_PAD bytes from seg + seg_len on may be
                                       read (no meaning), for loads of 16 bytes at a time */
};
#define TMK_TMX_SEG_PAD 16

/* The compression bomb limit (see above). */
#define TMK_TMX_UNPACK_RATIO 100
#define TMK_TMX_UNPACK_SLACK (16ULL << 20)

/* The callbacks (tmkit.h, rule 4): return 0 to go on, non-zero to stop
 * reading; feed or finish then returns TMK_ECANCELED, or the callback's own
 * negative code (err gets the position and a message saying that reading
 * stopped). */
typedef int (*tmk_tmx_header_cb)(void *ud, const tmk_tmx_header *h);
typedef int (*tmk_tmx_tu_cb)(void *ud, const tmk_tmx_tu *tu);
/* What a problem is (the id the problem callback gets with each finding),
 * so that a program can tell problems apart without reading the message
 * (its wording may change; the ids do not; new ones are only added).
 * tmk_tmx_problem_name gives a short stable name ("missing-attribute").
 * Each makes the memory invalid except TMK_TMXP_UNLIKELY_LANGUAGE, a
 * warning (tmkit validate says so and still calls the memory valid). */
enum tmk_tmx_problem {
    TMK_TMXP_UNKNOWN_ATTRIBUTE = 1, /* an attribute TMX 1.4b does not define on that element */
    TMK_TMXP_BAD_SEGTYPE,      /* segtype not block, paragraph, sentence or phrase */
    TMK_TMXP_BAD_POS,          /* <it pos> not begin or end */
    TMK_TMXP_BAD_NUMBER,       /* usagecount, i or x that is not a number */
    TMK_TMXP_BAD_DATE,         /* creationdate, changedate, lastusagedate not a real date */
    TMK_TMXP_BAD_LANGUAGE,     /* xml:lang, lang, adminlang, srclang not a BCP 47 tag */
    TMK_TMXP_BAD_VERSION,      /* <tmx version> not 1.4 (nor 1.1 to 1.3) */
    TMK_TMXP_MISSING_ATTRIBUTE,/* a required attribute is missing (<tuv xml:lang>, ...) */
    TMK_TMXP_UNKNOWN_ELEMENT,  /* an element TMX does not define */
    TMK_TMXP_MISPLACED_ELEMENT,/* an element where the DTD does not allow it, or out of order */
    TMK_TMXP_MISSING_ELEMENT,  /* a required child is missing (<tu> without <tuv>, ...) */
    TMK_TMXP_TEXT_NOT_ALLOWED, /* text directly inside an element-only element */
    TMK_TMXP_NO_SOURCE_TUV,    /* a unit without a tuv in the source language (srclang) */
    TMK_TMXP_DUPLICATE_BPT,    /* two <bpt> in one <seg> with the same i */
    TMK_TMXP_UNMATCHED_EPT,    /* an <ept> without a <bpt> before it */
    TMK_TMXP_UNMATCHED_BPT,    /* a <bpt> without its <ept> */
    TMK_TMXP_DUPLICATE_X,      /* two inline codes of one kind with the same x in a <tuv> */
    TMK_TMXP_X_MISMATCH,       /* the tuvs of a unit do not use x on inline codes alike */
    TMK_TMXP_UNLIKELY_LANGUAGE /* a warning, not a DTD or TMX rule: a well-formed BCP 47 tag
                                  whose primary language has 4-8 letters (German, Quelle):
                                  no ISO 639 code, likely a column title */
};
const char *tmk_tmx_problem_name(enum tmk_tmx_problem id); /* static string; "?" if unknown */

/* One finding of the checks: id, what the problem is; line and col, where
 * (in the unpacked text of a compressed memory); msg, for a person. */
typedef struct tmk_tmx_finding {
    enum tmk_tmx_problem id;
    unsigned long line, col;
    const char *msg;
} tmk_tmx_finding;
typedef int (*tmk_tmx_problem_cb)(void *ud, const tmk_tmx_finding *p);

typedef struct tmk_tmx_read_options {
    size_t size;          /* sizeof(tmk_tmx_read_options): TMK_TMX_READ_OPTIONS_INIT sets it */
    unsigned flags;       /* enum tmk_tmx_read_flags; default 0 */
    const char *name;     /* the input's name for err->file (copied); NULL: "-" */
    unsigned max_depth;   /* element depth; 0: the default, 64 */
    size_t max_tu_bytes;  /* bytes of text in one unit; 0: the default, 8 MiB
                             (keeps every command under 32 MB of memory) */
} tmk_tmx_read_options;

#define TMK_TMX_READ_OPTIONS_INIT {sizeof(tmk_tmx_read_options), 0, NULL, 0, 0}

/* A reader in *out (opt NULL: all defaults).  Each callback may be NULL;
 * all get ud.  Setting on_problem turns the checks on.  TMK_OK or
 * TMK_ENOMEM (*out NULL). */
int tmk_tmx_reader_new(tmk_tmx_reader **out, const tmk_tmx_read_options *opt,
                       tmk_tmx_header_cb on_header, tmk_tmx_tu_cb on_tu,
                       tmk_tmx_problem_cb on_problem, void *ud, tmk_error *err);
int tmk_tmx_reader_feed(tmk_tmx_reader *r, const char *data, size_t len, tmk_error *err);
int tmk_tmx_reader_finish(tmk_tmx_reader *r, tmk_error *err);
/* During a callback: the line and column where the current <tu> started
 * (0 unless TMK_TMX_READ_POSITIONS or a problem callback is set). */
unsigned long tmk_tmx_reader_tu_line(const tmk_tmx_reader *r);
unsigned long tmk_tmx_reader_tu_col(const tmk_tmx_reader *r);
/* The version attribute of <tmx> once seen ("1.4"), else "". */
const char *tmk_tmx_reader_version(const tmk_tmx_reader *r);
/* Number of bytes of XML read so far (unpacked, for a compressed memory). */
unsigned long long tmk_tmx_reader_bytes(const tmk_tmx_reader *r);
void tmk_tmx_reader_free(tmk_tmx_reader *r);

/* Read the whole file at path (as named: "-" is a file) in chunks through
 * a reader set up by the caller (callbacks, flags): a plain, gzip or zip
 * memory (see above).  TMK_EIO when it cannot be read. */
int tmk_tmx_read_file(tmk_tmx_reader *r, const char *path, tmk_error *err);
/* The same from the open stream f (left open; tmkit passes stdin for "-"):
 * plain or gzip (a zip is read only from a named file).  A read error
 * names name (NULL: the reader's name); what the reader finds in the TMX
 * names the reader's name (tmk_tmx_reader_new). */
int tmk_tmx_read_stream(tmk_tmx_reader *r, FILE *f, const char *name, tmk_error *err);

/* The first tuv of tu whose language matches want (tmk_lang_match:
 * case and '_' for '-' ignored; "de" also matches "de-DE"), or -1. */
long tmk_tmx_find_tuv(const tmk_tmx_tu *tu, const char *want);

/* The source tuv of a unit, as every TMX tool chooses it: the tuv in the
 * unit's srclang attribute, else in header_srclang (the memory's header;
 * NULL or "*all*": none), else the first tuv.  Returns an index, -1 only
 * for a unit without tuvs. */
long tmk_tmx_source_tuv(const tmk_tmx_tu *tu, const char *header_srclang);

/* The value of the unit's prop of this type, else of the first of its
 * tuvs that has one; NULL when none has it. */
const char *tmk_tmx_unit_prop(const tmk_tmx_tu *tu, const char *type);

/* The identity of a unit, one 64-bit hash (stats counts duplicates and
 * merge drops them by it).  Two units are the same when they have the same
 * tuvs, each a language and a text, in any order:
 *  - languages compare ignoring case and '_' for '-' ("de_de" = "de-DE"),
 *    a tuv without a language is "(none)";
 *  - inline tags (bpt, ept, it, ph, ut, hi, sub) count by their name, their
 *    place in the text and their content (native code), not by their
 *    attributes (i, x, type, ...): "Page <ph x="1">{page}</ph>" and
 *    "Page <ph x="2">{page}</ph>" are one text, "Page <ph>{total}</ph>",
 *    "Page<ph/>" and "Page" three others; <ph/> = <ph></ph>; entities are
 *    decoded first;
 *  - everything else in the text counts as written: case, white space,
 *    punctuation, Unicode normal form;
 *  - attributes, props and notes of the unit and tuvs do not count.
 * The value is the same within one build of the library (not meant to be
 * stored).  TMK_OK or TMK_ENOMEM. */
int tmk_tmx_unit_hash(const tmk_tmx_tu *tu, uint64_t *out, tmk_error *err);

/* Append the plain text of a seg (markup != 0: XML content of <seg>) to
 * out: native code content dropped, entities decoded.  Returns TMK_OK or
 * TMK_ENOMEM. */
int tmk_tmx_seg_plain(const char *seg, size_t len, int markup, tmk_buf *out);

/* Append the text of a seg as a translator reads it, for plain-text output
 * (TSV/CSV cells, convert --strip): a placeholder (<ph>, <ut>) is written
 * as its native code ("Click {0} to save"), formatting codes (<bpt>, <ept>,
 * <it>) are left out with their content, <hi>/<sub> text is kept, entities
 * are decoded; where a code was left out, a space doubled by it is written
 * once and a space before punctuation (. , ; : ! ? ) ] }) is dropped.
 * markup == 0: seg is plain text, appended as it is.  TMK_OK or
 * TMK_ENOMEM. */
int tmk_tmx_seg_text(const char *seg, size_t len, int markup, tmk_buf *out);

/* Whether s is a TMX date YYYYMMDDThhmmssZ that exists; if t is not NULL
 * it gets the seconds since the epoch. */
int tmk_tmx_date_parse(const char *s, long long *t);

/* The attribute value named name in a, or NULL. */
const char *tmk_tmx_attr_get(const tmk_tmx_attr *a, size_t n, const char *name);

#ifdef __cplusplus
}
#endif

#include "tm.h" /* memory operations (merge, external sort) */
#endif
