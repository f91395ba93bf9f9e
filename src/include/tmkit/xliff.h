/* tmkit/xliff.h -- reading XLIFF: the bilingual files CAT tools exchange.
 *
 * An XLIFF file is already segmented and translated: the reader hands each
 * segment pair (source, target) to a callback, with its status and where
 * it is, so that each can become a translation unit directly, with no
 * alignment.  Push API on expat: tmk_xliff_reader_new, tmk_xliff_reader_feed any
 * number of times, tmk_xliff_reader_finish, tmk_xliff_reader_free; each a callback
 * for the pairs.  Memory is
 * bounded by the largest unit (<trans-unit>, <unit>), which is held until
 * it ends.
 *
 * Dialects read:
 *  - XLIFF 1.0 to 1.2: <file source-language target-language>,
 *    <trans-unit> with <source>/<target>, or with <seg-source> whose
 *    <mrk mtype="seg" mid="..."> segments pair with those of <target> by
 *    mid.  <alt-trans>, <note>, <header>, <bin-unit> are skipped.
 *  - SDL Trados Studio .sdlxliff: 1.2 with <sdl:seg-defs><sdl:seg id conf>.
 *  - memoQ .mqxliff: 1.2 with mq:status on <trans-unit>.
 *  - OmegaT's and translate-toolkit's XLIFF (plain 1.2; po2xliff's unit for
 *    the PO header, restype="x-gettext-domain-header", is not a segment).
 *  - XLIFF 2.0 to 2.2: <xliff srcLang trgLang>, <unit>, <segment state>
 *    with <source>/<target>; <ignorable>, <notes>, <originalData> skipped.
 *
 * One status scale for every dialect (enum tmk_xliff_status; the README
 * has the full table):
 *   untranslated  no target, an empty one, state new / needs-translation
 *                 (1.2), initial (2.0), memoQ NotStarted, SDL no conf
 *                 with an empty target; a target identical to its source
 *                 when the file says nothing of the state (no state, no
 *                 approved, no SDL conf, no mq:status): OmegaT writes the
 *                 segments nobody translated so
 *   rejected      1.2 state-qualifier rejected-*, SDL RejectedTranslation /
 *                 RejectedSignOff, memoQ Rejected
 *   draft         1.2 needs-review-*, needs-adaptation, needs-l10n, an
 *                 unknown state; SDL Draft or no conf; memoQ Editing,
 *                 PartiallyEdited, Pretranslated, MachineTranslated
 *   translated    1.2 translated or no state; 2.0 translated or no state;
 *                 SDL Translated; memoQ ManuallyConfirmed, Confirmed
 *   approved      1.2 signed-off, final, approved="yes"; 2.0 reviewed,
 *                 final; SDL ApprovedTranslation, ApprovedSignOff; memoQ
 *                 Proofread, Reviewer1Confirmed, Reviewer2Confirmed
 *
 * Text: source and target are given as the content of a TMX 1.4b <seg>.
 * A segment without inline codes is plain text (markup = 0, not escaped);
 * one with codes is XML (markup = 1): text escaped, codes as TMX inline
 * elements: paired codes (1.2 <g>, <bx/>/<ex/>, <bpt>/<ept>; 2.0 <pc>,
 * <sc/>/<ec/>) become <bpt>/<ept> with the same i, numbered from 1 in each
 * segment; a half whose partner is not in the segment becomes <it
 * pos="begin|end">; <x/>, <ph> become <ph>; 1.2 <it> stays <it>.  The
 * content of a TMX code element is the native code: the content of 1.2
 * <bpt>, <ept>, <ph>, <it>, and for the empty or wrapping elements the
 * XLIFF tag itself (<g id="1">, <x id="2"/>).  x is the XLIFF id when it
 * is a number.  <mrk> (other than segments), <sm/>, <em/> are dropped,
 * their text kept; 2.0 <cp hex> becomes its character when XML allows it.
 * Text is otherwise kept as written (white space included).
 *
 * Refused (the callback is not called for anything after): XML that is not
 * well-formed (TMK_ESYNTAX with line and column from expat), a document
 * type declaration (TMK_ESYNTAX: XLIFF never needs one and entity tricks
 * attack XML readers), a root that is not <xliff> or a version not read
 * (TMK_EFORMAT), a unit whose <seg-source> and <target> segments do not
 * match (TMK_ESYNTAX; the message names the unit id and line), a unit
 * larger than options.max_unit or elements nested deeper than 256
 * (TMK_ELIMIT).  Pairs before the problem were already delivered.
 */
#ifndef TMKIT_XLIFF_H
#define TMKIT_XLIFF_H

#include <stddef.h>
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Ordered: a minimum status keeps every status >= it. */
enum tmk_xliff_status {
    TMK_XLIFF_UNTRANSLATED = 0,
    TMK_XLIFF_REJECTED,
    TMK_XLIFF_DRAFT,
    TMK_XLIFF_TRANSLATED,
    TMK_XLIFF_APPROVED
};

typedef struct tmk_xliff_pair {
    const char *source;        /* TMX <seg> content, see above; not NUL-terminated in general */
    size_t source_len;
    int source_markup;         /* 1: source is XML with inline elements; 0: plain text */
    const char *target;        /* "" (target_len 0) when there is none */
    size_t target_len;
    int target_markup;
    const char *source_lang;   /* from <file source-language> / srcLang, or NULL */
    const char *target_lang;   /* from <file target-language> / trgLang, or NULL */
    const char *unit_id;       /* <trans-unit id> / <unit id>, or NULL */
    const char *segment_id;    /* mrk mid / <segment id>, or NULL */
    unsigned long index;       /* 1-based number of the segment in its unit */
    unsigned long nsegments;   /* segments in the unit */
    enum tmk_xliff_status status;
    const char *state;         /* the file's own word for it, as written (state, SDL conf,
                                * mq:status), or NULL */
    int translate;             /* 0 for translate="no" (a locked unit), else 1 */
    const char *file;          /* <file original> (1.2, 2.0), or NULL */
    unsigned long file_index;  /* 1-based number of the <file> element */
    unsigned long line, col;   /* where the unit starts (1-based) */
} tmk_xliff_pair;

/* 8 MiB of text in one unit. */
#define TMK_XLIFF_MAX_UNIT (8UL * 1024 * 1024)

typedef struct tmk_xliff_options {
    size_t size;
    size_t max_unit;           /* bytes of text in one unit; 0: TMK_XLIFF_MAX_UNIT */
} tmk_xliff_options;

#define TMK_XLIFF_OPTIONS_INIT {sizeof(tmk_xliff_options), 0}

typedef struct tmk_xliff_reader tmk_xliff_reader;

/* The callback: called for every segment of every unit in document order,
 * whatever its status (the caller chooses what to keep).  Return 0 to go
 * on, non-zero to stop (tmkit.h, rule 4).  cb may be NULL: the pairs are
 * dropped (the file is still read and checked). */
typedef int (*tmk_xliff_pair_cb)(void *ud, const tmk_xliff_pair *pair);

/* Make a reader; opt may be NULL (defaults).  Returns TMK_OK with *out
 * set, or TMK_ENOMEM. */
int tmk_xliff_reader_new(tmk_xliff_reader **out, const tmk_xliff_options *opt, tmk_error *err);
/* Feed the next len bytes of the file; cb(ud, pair) is called for each
 * unit that ends in them.  Returns TMK_OK or a negative code (see above;
 * TMK_ECANCELED when the callback stopped). */
int tmk_xliff_reader_feed(tmk_xliff_reader *r, const char *data, size_t len, tmk_xliff_pair_cb cb,
                   void *ud, tmk_error *err);
/* The end of the file: checks that it is complete (cb as for feed).
 * TMK_EFORMAT when no <xliff> root was seen (also for an empty input).  After finish, feed and
 * finish return TMK_EINVAL with TMK_D_AFTER_FINISH (tmkit.h rule 6). */
int tmk_xliff_reader_finish(tmk_xliff_reader *r, tmk_xliff_pair_cb cb, void *ud, tmk_error *err);
/* The version attribute of <xliff> once seen ("1.2", "2.0"), else "". */
const char *tmk_xliff_reader_version(const tmk_xliff_reader *r);
void tmk_xliff_reader_free(tmk_xliff_reader *r);

/* "untranslated", "rejected", "draft", "translated", "approved". */
const char *tmk_xliff_status_name(enum tmk_xliff_status s);
/* The status named s (one of the names above), or -1. */
int tmk_xliff_status_parse(const char *s);

#ifdef __cplusplus
}
#endif
#endif
