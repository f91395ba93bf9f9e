/* tmkit/analyze.h -- leverage analysis: how much of a new text a memory
 * already covers, per band, per file and in total (what Trados and memoQ
 * call an analysis report), with GMX-V word counts (tmkit/wordcount.h) and
 * an optional rate grid.
 *
 * A tmk_analysis is made for an open memory (tmkit/lookup.h); documents are
 * added one by one as their segments (in document order); each segment
 * gets exactly one band:
 *
 *   PRECEDENCE, first rule that holds:
 *   1. CONTEXT (101 %): the segment is identical to the source of a memory
 *      unit u (a 100 % match) and its neighbours match u's: the previous
 *      segment of the document is identical to the source of the unit
 *      before u in the same memory file (for the document's first segment:
 *      u is the first unit of its file), and the next segment is identical
 *      to the source of the unit after u in that file (for the last
 *      segment: u is the last unit of its file).  "Units" are the units the
 *      memory kept (tmk_tm_get), in file order.  Context wins over
 *      repetition: a context match seen before is still a context match.
 *   2. REPETITION: the identical segment was met earlier in the job, in the
 *      same file (TMK_ANALYSIS_REP) or in an earlier file only (TMK_ANALYSIS_XREP,
 *      cross-file).  The first occurrence keeps its memory band; later ones
 *      are repetitions, so no segment counts twice.
 *   3. The memory band of the best score (tmk_tm_score, lookup's formula):
 *      100 (identical source), 95-99, 85-94, 75-84, 50-74, else NEW.
 *   4. Only with TMK_ANALYSIS_INTERNAL_FUZZY: a segment left in a band below 100
 *      whose best score against the earlier segments of the job is higher
 *      than its memory score and at least 50 moves to the internal fuzzy
 *      band of that score (TMK_ANALYSIS_IF95 ... TMK_ANALYSIS_IF50).
 * "Identical" means byte for byte in seg form (what tmk_tm_score scores
 * 100).
 */
#ifndef TMKIT_ANALYZE_H
#define TMKIT_ANALYZE_H

#include <stddef.h>
#include "error.h"
#include "lookup.h"
#include "wordcount.h"

#ifdef __cplusplus
extern "C" {
#endif

enum tmk_analysis_band {
    TMK_ANALYSIS_CONTEXT = 0, /* 101 % */
    TMK_ANALYSIS_REP,         /* repetition within the file */
    TMK_ANALYSIS_XREP,        /* repetition of a segment of an earlier file */
    TMK_ANALYSIS_100,
    TMK_ANALYSIS_95,          /* 95-99 */
    TMK_ANALYSIS_85,          /* 85-94 */
    TMK_ANALYSIS_75,          /* 75-84 */
    TMK_ANALYSIS_50,          /* 50-74 */
    TMK_ANALYSIS_NEW,         /* no match */
    TMK_ANALYSIS_IF95,        /* internal fuzzy 95-99 (TMK_ANALYSIS_INTERNAL_FUZZY only) */
    TMK_ANALYSIS_IF85,
    TMK_ANALYSIS_IF75,
    TMK_ANALYSIS_IF50,
    TMK_ANALYSIS_NBANDS
};

/* A short name of a band: "context", "rep", "xrep", "100", "95", "85",
 * "75", "50", "new", "if95", "if85", "if75", "if50" (the keys of a rate
 * grid); NULL when out of range. */
const char *tmk_analysis_band_key(int band);
/* A title for a report: "Context match (101%)", "Repetitions", ... */
const char *tmk_analysis_band_title(int band);

enum tmk_analysis_flags {
    TMK_ANALYSIS_INTERNAL_FUZZY = 1 << 0, /* rule 4 above */
    TMK_ANALYSIS_SEG = 1 << 1             /* segments are given in seg form (else plain text) */
};

typedef struct tmk_analysis_options {
    size_t size;      /* sizeof(tmk_analysis_options): TMK_ANALYSIS_OPTIONS_INIT sets it */
    const char *lang; /* language of the documents, for word counts (NULL:
                         the memory's source language) */
    unsigned flags;   /* enum tmk_analysis_flags */
} tmk_analysis_options;

#define TMK_ANALYSIS_OPTIONS_INIT {sizeof(tmk_analysis_options), NULL, 0}

/* Counts of one band. */
typedef struct tmk_analysis_band_counts {
    unsigned long long segments;
    tmk_wc_counts wc; /* words: tmk_wc_words(&wc); placeables: wc.numbers; tags: wc.tags */
} tmk_analysis_band_counts;

typedef struct tmk_analysis_counts {
    tmk_analysis_band_counts band[TMK_ANALYSIS_NBANDS];
} tmk_analysis_counts;

/* What the segment callback is given, per segment. */
typedef struct tmk_analysis_segment {
    size_t file;            /* index of the document (order of adding) */
    size_t index;           /* 0-based segment number in it */
    const char *text;       /* as given */
    size_t len;
    int band;               /* enum tmk_analysis_band */
    int score;              /* best memory score (0: none >= 50); 101 for context */
    long unit;              /* memory unit of that match, -1 if none */
    int internal_score;     /* best internal score (INTERNAL_FUZZY), else 0 */
    size_t first_file;      /* REP/XREP: where the segment was met first */
    size_t first_index;
    const tmk_wc_counts *wc; /* its counts */
} tmk_analysis_segment;

typedef int (*tmk_analysis_segment_cb)(void *ud, const tmk_analysis_segment *seg);

typedef struct tmk_analysis tmk_analysis;

/* A new analysis against tm (borrowed: it must stay open until
 * tmk_analysis_free).  The caller frees *out with tmk_analysis_free.  TMK_OK,
 * TMK_ENOMEM. */
int tmk_analysis_new(tmk_analysis **out, tmk_tm *tm, const tmk_analysis_options *opt, tmk_error *err);
void tmk_analysis_free(tmk_analysis *an);

/* Analyse one document given as its segments segs[0..n) with lengths
 * lens[0..n) (UTF-8).  cb (may be NULL) hears every segment in order.
 * Returns TMK_OK, TMK_EINVAL (a segment is not UTF-8: err->line is its
 * number, 1-based), TMK_ECANCELED, TMK_ENOMEM. */
int tmk_analysis_add_document(tmk_analysis *an, const char *name, const char *const *segs,
                        const size_t *lens, size_t n, tmk_analysis_segment_cb cb, void *ud,
                        tmk_error *err);

/* The documents added so far, their names, their counts; the totals. */
size_t tmk_analysis_nfiles(const tmk_analysis *an);
const char *tmk_analysis_file_name(const tmk_analysis *an, size_t i);
int tmk_analysis_file_counts(const tmk_analysis *an, size_t i, tmk_analysis_counts *out);
void tmk_analysis_total(const tmk_analysis *an, tmk_analysis_counts *out);

/* ---- rates ------------------------------------------------------------- */

/* Weights per band (a fraction of the full price per word). */
typedef struct tmk_analysis_rates {
    double weight[TMK_ANALYSIS_NBANDS];
} tmk_analysis_rates;

/* The largest weight tmk_analysis_rates_parse takes: 1 is the full price. */
#define TMK_ANALYSIS_MAX_WEIGHT 10

/* Parse a plain decimal number of n bytes: digits with an optional
 * fraction ("0.3", "1", "12.", ".5"); not a sign, an exponent, hex, inf or
 * white space.  The one rule for rate weights and prices.  TMK_OK and *out,
 * or TMK_EINVAL (err is not used: the caller names the item). */
int tmk_analysis_decimal_parse(const char *s, size_t n, double *out);

/* Parse a rate grid "KEY=WEIGHT,KEY=WEIGHT..." (commas, semicolons, white
 * space or new lines between items; '#' starts a comment to the end of the
 * line).  Keys: the band keys of tmk_analysis_band_key, and "101" for context,
 * "repetitions" for rep, "0" or "nomatch" for new.  A band not given
 * weighs 1, except xrep (rep's weight) and ifNN (the NN band's weight).
 * Weights are decimal numbers >= 0 ("0.3", "1"; not "0x10" or "1e3"); each
 * band is given once (a key and its alias count as one band); a weight is at
 * most TMK_ANALYSIS_MAX_WEIGHT.  A leading UTF-8 BOM is skipped; UTF-16 is
 * refused (save as UTF-8).  TMK_OK or
 * TMK_EINVAL (err says which item, with its line and column). */
int tmk_analysis_rates_parse(const char *spec, size_t len, tmk_analysis_rates *out, tmk_error *err);

/* Weighted words of counts: the sum over bands of words x weight. */
double tmk_analysis_weighted_words(const tmk_analysis_counts *c, const tmk_analysis_rates *rates);

#ifdef __cplusplus
}
#endif
#endif
