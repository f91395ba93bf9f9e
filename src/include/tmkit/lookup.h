/* tmkit/lookup.h -- a translation memory to look things up in: fuzzy
 * lookup (the k best matches for a segment) and concordance (the units
 * whose text contains a word or phrase).
 *
 * A tmk_tm is opened from one or more TMX files for one language pair.
 * Loading streams the TMX (tmk_tmx_reader); each unit that has a tuv in
 * the source language and one in the target language (matched as merge
 * matches them: "de" finds "de-DE", case and '_'/'-' ignored) is kept with
 * its source, target, tuid, file, line and a compact form of its
 * attributes, props and notes (see tmk_tm_meta_next).  The index that
 * lookup needs is built at the same time.  With TMK_TM_INDEX_FILE in
 * opt->flags (not the default: without it nothing is written) it is
 * saved in an index file (MEMORY.tmx.tmkidx beside the first memory,
 * MEMORY.tmx.HASH.tmkidx for a set of several, or opt->index_path) so that
 * the next open maps it instead of reading the TMX.  An index file is
 * only used when it matches the memories (size, modification and change times, inode
 * and a checksum of the first and last 64 KiB of each), the language pair
 * and the options, and when its own checksum is right; otherwise it is
 * rebuilt, never trusted.  It is written to a file without a name
 * (O_TMPFILE where the file system has it, else INDEX.tmp.XXXXXX), then
 * named and renamed over the index, so a process that dies while writing
 * leaves nothing behind and any number of processes may read one index
 * while another replaces it.  Index files are native-endian: a file from a machine of the other
 * byte order is rebuilt.
 *
 * Texts.  A memory text is kept in the form of a TMX <seg>'s content:
 * '&', '<' and '>' escaped, inline elements (bpt, ept, it, ph, ut, hi,
 * sub) as elements.  A plain-text tuv is escaped when it is loaded; a
 * plain-text query is escaped by tmk_tm_lookup (unless the caller says it
 * is already in seg form).  tmk_tm_text_plain turns such a text back into
 * plain text for display.
 *
 * THE SCORE (tmk_tm_score; the README gives worked examples).  A text is
 * cut into tokens: words (by the spell tokeniser's word rules: runs of
 * letters, digits and the connectors - ' . inside a word), numbers (such
 * a run with no letter), punctuation (every other character that is not
 * white space, one token each, including connectors trimmed from a word's
 * ends), and inline tags (each bpt, ept, it, ph, ut element whole, each
 * <hi>/<sub> start and end tag; compared by their bytes).  White space is
 * not a token.  Only the first TMK_TM_MAX_TOKENS word/number tokens and
 * the first TMK_TM_MAX_TOKENS punctuation and tag tokens of a text are
 * scored (the CLI warns about longer segments).  Then:
 *   L   = the number of word+number tokens of the longer text;
 *   d   = the token Levenshtein distance over the word+number tokens
 *         (insert, delete, substitute cost 1; two words equal after case
 *         folding cost 0, two numbers cost 0), taking among the alignments
 *         with the least d the one with the fewest penalty points below;
 *   raw = floor(100 * (L - d) / L), 100 when L = 0;
 *   penalties: 1 per aligned word pair that differs only in case, 2 per
 *         aligned number pair with different digits, 1 per punctuation
 *         edit (Levenshtein over the punctuation tokens), 1 per tag edit
 *         (Levenshtein over the tag tokens), 1 if the white space differs
 *         (one text starts or ends with white space and the other not, or
 *         the sets of distinct white-space runs differ: "  " or a no-break
 *         space where the other has " "; how many runs does not matter);
 *   score = max(0, raw - penalties), then at most 99 unless the two texts
 *         are identical byte for byte (100).
 *
 * LOOKUP returns exactly what scoring every unit returns (as
 * tmk_tm_lookup_brute does): the units with score >= min_score, best
 * first, ties in memory order (file, then position in the file), at most
 * k of them.  The index only skips units that cannot reach the minimum
 * (length and shared-token bounds that follow from the formula).
 *
 * Threads: a tmk_tm is used by one thread at a time (lookup keeps scratch
 * memory in it); open the same memory once per thread (a saved index is
 * mapped, which is cheap).
 */
#ifndef TMKIT_LOOKUP_H
#define TMKIT_LOOKUP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "buf.h"
#include "error.h"
#include "lang.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Word/number tokens (and, separately, punctuation/tag tokens) of a text
 * beyond this many are not scored. */
#define TMK_TM_MAX_TOKENS 1000

/* The score of b as a match for a (symmetric), 0-100, by the formula
 * above.  a and b are texts in seg form (plain text without '&' and '<'
 * is its own seg form).  Returns the score, or TMK_ENOMEM. */
int tmk_tm_score(const char *a, size_t alen, const char *b, size_t blen);

/* The number of word/number tokens of a seg-form text, before the
 * TMK_TM_MAX_TOKENS cap (a caller can warn that a segment is scored on
 * its start only).  Returns the count, or TMK_ENOMEM. */
long tmk_tm_word_tokens(const char *s, size_t len);

typedef struct tmk_tm tmk_tm;

/* What open tells the caller on the way (none is an error). */
enum tmk_tm_notice_kind {
    TMK_TM_NOTICE_INDEX_USED = 1,     /* the index file was valid and is used */
    TMK_TM_NOTICE_INDEX_BUILT = 2,    /* there was no index file; one was built */
    TMK_TM_NOTICE_INDEX_STALE = 3,    /* the index file did not match a memory
                                         (changed since): rebuilt; file = that memory */
    TMK_TM_NOTICE_INDEX_CORRUPT = 4,  /* the index file was truncated, of another
                                         version or damaged: rebuilt */
    TMK_TM_NOTICE_INDEX_NOT_SAVED = 5,/* the index could not be saved (folder not
                                         writable, the file is not an index, ...):
                                         msg says why the memory was read again
                                         (stale, damaged), why saving failed and
                                         what to do; the memory works without it.
                                         Given instead of BUILT/STALE/CORRUPT, so
                                         one notice tells what happened */
    TMK_TM_NOTICE_UNIT_SKIPPED = 6,   /* units without the source or target language
                                         (one notice per file, with the count) */
    TMK_TM_NOTICE_INDEX_SAVED = 7     /* the index was saved to file */
};

typedef struct tmk_tm_notice {
    int kind;            /* enum tmk_tm_notice_kind */
    const char *file;    /* the memory or index file concerned, or NULL */
    const char *msg;     /* for a person: what happened */
    unsigned long long count; /* UNIT_SKIPPED: units skipped */
} tmk_tm_notice;

typedef int (*tmk_tm_notice_cb)(void *ud, const tmk_tm_notice *notice);

/* Without TMK_TM_INDEX_FILE the index is built in memory only: tmk_tm_open
 * reads the memories and writes nothing (tmkit.h rule 8).  (Bit 0, the
 * TMK_TM_NO_INDEX_FILE of 1.x, is no longer used: no index file is now the
 * default.) */
enum tmk_tm_open_flags {
    TMK_TM_REBUILD = 1 << 1,   /* with TMK_TM_INDEX_FILE: ignore an existing index file
                                  (and replace it) */
    TMK_TM_INDEX_FILE = 1 << 2 /* read the index from index_path when it matches the
                                  memories, else build it and save it there (mkstemp in
                                  its folder + rename): the one file the library writes by
                                  name, and only when asked (tmkit lookup asks) */
};

typedef struct tmk_tm_options {
    size_t size;              /* sizeof(tmk_tm_options): TMK_TM_OPTIONS_INIT sets it */
    const char *srclang;      /* source language; NULL: the memory's srclang when the
                                 first memory has exactly two languages */
    const char *tgtlang;      /* target language; NULL: the other of those two */
    const char *index_path;   /* NULL: first memory + ".tmkidx" for one memory;
                                 for several, first memory + ".HASH.tmkidx",
                                 HASH (8 hex digits) from the full paths of
                                 the others, in order */
    unsigned flags;           /* enum tmk_tm_open_flags */
    int index_min_score;      /* the lowest min_score the index serves (1-100;
                                 0 = 50); lookups with a lower minimum scan the
                                 whole memory */
    FILE *const *streams;     /* NULL, or n entries: where streams[i] is not
                                 NULL, memory i is read from that open stream
                                 (left open; tmkit passes stdin for "-") and
                                 memories[i] is only its name.  A stream is
                                 read once: no index file, and srclang and
                                 tgtlang must be given */
} tmk_tm_options;

#define TMK_TM_OPTIONS_INIT {sizeof(tmk_tm_options), NULL, NULL, NULL, 0, 50, NULL}

/* Open memories[0..n) (TMX files, read as named: "-" is a file; see
 * streams above for standard input) for one language pair.  notice (may be NULL) hears about the
 * index (used, built, stale, corrupt, not saved) and skipped units.
 * Errors: TMK_EIO (a memory cannot be read), TMK_ESYNTAX (bad TMX, with
 * file, line, column), TMK_ENOTFOUND with TMK_D_NO_SUCH_LANGUAGE (no unit
 * has the source or target language; the message names the languages the
 * memory has), TMK_EINVAL with TMK_D_EMPTY_MEMORY (no unit has both
 * languages), TMK_EINVAL (no languages given and the memory has not
 * exactly two), TMK_EIO with TMK_D_CHANGED_WHILE_READ (a memory changed
 * while it was read: nothing is indexed), TMK_ECANCELED (notice returned
 * non-zero), TMK_ENOMEM.  An index that cannot be saved is a notice, not
 * an error; an existing file that is not a tmkit index is never replaced.
 * The caller frees *out with tmk_tm_free. */
int tmk_tm_open(tmk_tm **out, const char *const *memories, size_t n,
                const tmk_tm_options *opt, tmk_tm_notice_cb notice, void *ud,
                tmk_error *err);
void tmk_tm_free(tmk_tm *tm);

/* The language pair as the memory spells it (the first matching tuv's
 * xml:lang), and the number of units kept. */
const char *tmk_tm_srclang(const tmk_tm *tm);
const char *tmk_tm_tgtlang(const tmk_tm *tm);
size_t tmk_tm_size(const tmk_tm *tm);
/* The index file in use or written (NULL when none). */
const char *tmk_tm_index_path(const tmk_tm *tm);

/* One unit of the memory.  Strings point into the tm (valid until
 * tmk_tm_free) and are not NUL-terminated: use the lengths. */
typedef struct tmk_tm_unit {
    size_t index;              /* 0-based, in memory order */
    const char *source;        /* seg form */
    size_t source_len;
    const char *target;        /* seg form */
    size_t target_len;
    const char *tuid;          /* tuid (tuid_len 0: none) */
    size_t tuid_len;
    const char *meta;          /* attributes, props, notes: see tmk_tm_meta_next */
    size_t meta_len;
    size_t file;               /* index into the memories given to open */
    const char *file_name;     /* that name (NUL-terminated) */
    unsigned long line;        /* line of the <tu> in it */
} tmk_tm_unit;

/* The unit at index i (i < tmk_tm_size); TMK_EINVAL (with a message in
 * err) if out of range. */
int tmk_tm_get(const tmk_tm *tm, size_t i, tmk_tm_unit *out, tmk_error *err);

/* Walk a unit's meta: each call gives the next item and advances *pos
 * (start at 0).  Returns 1 with an item, 0 at the end. kind is 'a' (an
 * attribute of the <tu>, such as creationdate, changedate, usagecount:
 * name and value), 'p' (a <prop>: name is its type) or 'n' (a <note>:
 * name is ""). */
typedef struct tmk_tm_meta_item {
    int kind;
    const char *name;
    size_t name_len;
    const char *value;
    size_t value_len;
} tmk_tm_meta_item;
int tmk_tm_meta_next(const char *meta, size_t meta_len, size_t *pos, tmk_tm_meta_item *item);

/* ---- lookup ---------------------------------------------------------- */

enum tmk_tm_lookup_flags {
    TMK_TM_QUERY_SEG = 1 << 0  /* the query is in seg form already (else plain text) */
};

typedef struct tmk_tm_lookup_options {
    size_t size;     /* sizeof(tmk_tm_lookup_options): TMK_TM_LOOKUP_OPTIONS_INIT */
    size_t k;        /* at most this many matches (0 = 5) */
    int min_score;   /* 1-100 (0 = 50) */
    unsigned flags;  /* enum tmk_tm_lookup_flags */
} tmk_tm_lookup_options;

#define TMK_TM_LOOKUP_OPTIONS_INIT {sizeof(tmk_tm_lookup_options), 5, 50, 0}

typedef struct tmk_tm_match {
    int score;        /* 1-100 */
    tmk_tm_unit unit; /* strings valid until tmk_tm_free */
} tmk_tm_match;

/* The best matches for query (UTF-8, len bytes): up to k of them into
 * out[0..k), best first, *nout set to how many.  No allocation once the
 * tm's scratch memory has grown to the largest query, so calling it for
 * every segment of a job is cheap.  Returns TMK_OK (also with no match),
 * TMK_EINVAL (k or min_score out of range, query not UTF-8), TMK_ENOMEM. */
int tmk_tm_lookup(tmk_tm *tm, const char *query, size_t len,
                  const tmk_tm_lookup_options *opt, tmk_tm_match *out, size_t *nout,
                  tmk_error *err);

/* The same result by scoring every unit (no index): the reference that
 * tmk_tm_lookup must equal, for tests and benchmarks. */
int tmk_tm_lookup_brute(tmk_tm *tm, const char *query, size_t len,
                        const tmk_tm_lookup_options *opt, tmk_tm_match *out,
                        size_t *nout, tmk_error *err);

/* ---- concordance ----------------------------------------------------- */

enum tmk_tm_conc_flags {
    TMK_TM_CONC_TARGET = 1 << 0 /* search the target texts (else the source) */
};

typedef struct tmk_tm_conc_options {
    size_t size;     /* sizeof(tmk_tm_conc_options): TMK_TM_CONC_OPTIONS_INIT */
    unsigned flags;  /* enum tmk_tm_conc_flags */
} tmk_tm_conc_options;

#define TMK_TM_CONC_OPTIONS_INIT {sizeof(tmk_tm_conc_options), 0}

/* One unit that contains the term.  text is the searched side as plain
 * text (tmk_tm_text_plain without tags); the hits are where the term is
 * in it, as byte offsets and 1-based character columns. */
typedef struct tmk_tm_conc_hit {
    tmk_tm_unit unit;
    const char *text;        /* plain text of the searched side (NUL-terminated) */
    size_t text_len;
    const size_t *offsets;   /* byte offset of each occurrence in text */
    const size_t *lens;      /* its length in bytes (case may change it) */
    const unsigned long *cols; /* 1-based column in characters */
    size_t nhits;            /* occurrences in this unit (>= 1) */
} tmk_tm_conc_hit;

/* Every unit whose source (or target) contains term (UTF-8, len bytes),
 * ignoring case (simple case folding), anywhere: inside words too
 * ("Vertrag" finds "Verteidigungsvertrag"); white space in the term
 * matches any white-space run.  cb is called per unit in memory order;
 * the hit is valid during the call only.  *units and *hits (may be NULL)
 * get the totals.  Returns TMK_OK, TMK_EINVAL (empty term, not UTF-8),
 * TMK_ECANCELED, TMK_ENOMEM. */
typedef int (*tmk_tm_conc_cb)(void *ud, const tmk_tm_conc_hit *hit);
int tmk_tm_concordance(tmk_tm *tm, const char *term, size_t len,
                       const tmk_tm_conc_options *opt, tmk_tm_conc_cb cb, void *ud,
                       size_t *units, size_t *hits, tmk_error *err);

/* ---- texts ----------------------------------------------------------- */

/* Append the plain text of a seg-form text to out: entities decoded;
 * with keep_tags the inline elements stay as they are written (for
 * display), else they are removed.  TMK_OK or TMK_ENOMEM. */
int tmk_tm_text_plain(const char *s, size_t len, int keep_tags, tmk_buf *out);
/* The length in bytes of the inline element (bpt, ept, it, ph, ut whole) or
 * hi/sub start or end tag that starts at s (s[0] == '<') in a seg-form
 * text, as tmk_tm_text_plain and the score see it; 0 when no tag starts
 * there.  A caller can mark tags apart from words (lookup's diff does). */
size_t tmk_tm_tag_len(const char *s, size_t len);
/* Append the seg form of a plain text to out ('&', '<', '>' escaped). */
int tmk_tm_text_escape(const char *s, size_t len, tmk_buf *out);

#ifdef __cplusplus
}
#endif
#endif
