/* tmkit/stats.h -- statistics of translation memories: units, tuvs,
 * languages (tuvs, words, characters per language), language pairs and
 * duplicate units, counted over any number of memories with bounded memory
 * (what `tmkit stats` prints).
 *
 * Use: tmk_stats_new, then for each memory either tmk_stats_add_file (a TMX
 * file, read as a stream) or tmk_stats_begin followed by tmk_stats_add_tu for
 * each of its units, then tmk_stats_finish to read the results, then
 * tmk_stats_free.
 *
 * What is counted:
 *  - languages: codes that differ only in case and '_' for '-' are one
 *    language, named by tmk_lang_canonical; a tuv without xml:lang counts
 *    under "(none)".
 *  - words and characters: GMX-V counts of the tuv text without inline
 *    markup (tmkit/wordcount.h); characters are the code points of the text.
 *  - pairs: for each unit, source language -> each other language of the
 *    unit; the source tuv is tmk_tmx_source_tuv's (the unit's srclang, else
 *    the memory's header srclang, else the first tuv).
 *  - duplicates: units identical to an earlier unit by tmk_tmx_unit_hash
 *    (tmkit/tmx.h: the languages and the texts without inline markup, in any
 *    tuv order), exactly, with bounded memory: the hashes go to a hash set,
 *    then to tmk_sorter (runs on disk) when it is full.
 */
#ifndef TMKIT_STATS_H
#define TMKIT_STATS_H

#include <stddef.h>
#include "error.h"
#include "tmx.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tmk_stats tmk_stats;

typedef struct tmk_stats_options {
    size_t size;      /* sizeof(tmk_stats_options): TMK_STATS_OPTIONS_INIT sets it */
    size_t memory;    /* bytes of duplicate hashes the sorter holds before it writes
                         sorted runs to disk (0 = 6 MiB) */
    size_t set_slots; /* for tests: the most slots of the in-memory duplicate set, a
                         power of two from 2 to 2^19 (0 or another value = 2^19);
                         small values reach the sorter with few units */
    const char *temp_dir; /* the folder of the sorter's runs (tmk_sorter_new; the
                         library reads no environment, tmkit passes $TMPDIR); NULL
                         or "" = "/tmp"; copied */
} tmk_stats_options;

#define TMK_STATS_OPTIONS_INIT {sizeof(tmk_stats_options), 0, 0, NULL}

typedef struct tmk_stats_lang {
    const char *lang;             /* canonical code (tmk_lang_canonical) */
    unsigned long long tuvs;
    unsigned long long words;     /* GMX-V words (tmk_wc_words) */
    unsigned long long characters; /* code points of the plain text */
} tmk_stats_lang;

typedef struct tmk_stats_pair {
    const char *source, *target;  /* canonical codes */
    unsigned long long units;
} tmk_stats_pair;

typedef struct tmk_stats_result {
    unsigned long long files;      /* memories counted (add_file or begin calls) */
    unsigned long long units, tuvs;
    unsigned long long duplicates; /* units identical to an earlier one */
    size_t nlangs;
    const tmk_stats_lang *langs;   /* sorted by code */
    size_t npairs;
    const tmk_stats_pair *pairs;   /* most units first, then by source and target */
} tmk_stats_result;

/* A new accumulator in *out (opt NULL = defaults).  TMK_OK, TMK_ENOMEM,
 * TMK_EIO (the sorter's temporary folder). */
int tmk_stats_new(tmk_stats **out, const tmk_stats_options *opt, tmk_error *err);

/* A new memory begins whose header names srclang (NULL: none, "*all*":
 * any); its units follow through tmk_stats_add_tu.  TMK_OK, TMK_ENOMEM,
 * TMK_EINVAL after tmk_stats_finish. */
int tmk_stats_begin(tmk_stats *s, const char *srclang, tmk_error *err);

/* Count one unit (any reader flags; borrowed).  TMK_OK, TMK_ENOMEM, TMK_EIO
 * (the sorter), TMK_EINVAL after tmk_stats_finish. */
int tmk_stats_add_tu(tmk_stats *s, const tmk_tmx_tu *tu, tmk_error *err);

/* Read the TMX file at path (as named: "-" is a file) and count it: the
 * errors of tmk_tmx_read_file (err names path and the position).  Units
 * read before an error stay counted. */
int tmk_stats_add_file(tmk_stats *s, const char *path, tmk_error *err);
/* The same from the open stream f (left open; tmkit passes stdin for "-"),
 * named name in errors (may be NULL). */
int tmk_stats_add_stream(tmk_stats *s, FILE *f, const char *name, tmk_error *err);

/* Finish counting (duplicates among spilled hashes are counted here) and
 * give the results in *res, owned by s and valid until tmk_stats_free.
 * Later calls give the same results.  TMK_OK, TMK_ENOMEM, TMK_EIO. */
int tmk_stats_finish(tmk_stats *s, const tmk_stats_result **res, tmk_error *err);

void tmk_stats_free(tmk_stats *s);

#ifdef __cplusplus
}
#endif
#endif
