/* tmkit/tm.h -- memory operations on TMX files with bounded memory.
 *
 * tmk_sorter is an external sort of fixed-size records: records are
 * collected in memory up to a budget, then sorted and written to temporary
 * files ("runs", in the folder given to tmk_sorter_new; removed as soon as
 * they are made, so nothing is left behind); reading them back merges the
 * runs.  Memory stays at the budget (plus one record and a stdio buffer
 * per run) whatever the input size; disk use is records x size.  It is what keeps `tmkit stats`
 * (duplicate counting) and `tmkit merge` (identical pairs, conflicts) under
 * their memory bound.
 */
#ifndef TMKIT_TM_H
#define TMKIT_TM_H

#include <stddef.h>
#include <stdio.h>
#include "error.h"
#include "tmx.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tmk_sorter tmk_sorter;

/* recsize: bytes per record; cmp: qsort-style order (make it total, e.g.
 * with an ordinal as the last key, if equal records must keep an order);
 * budget: bytes of memory for records, 0 = 8 MiB; temp_dir: the folder of
 * the runs (tmk_io_temp_file; NULL or "" = "/tmp"; copied).  *out gets the
 * sorter (freed with tmk_sorter_free); returns TMK_OK, TMK_EINVAL (recsize
 * 0 or no cmp) or TMK_ENOMEM (*out NULL then). */
int tmk_sorter_new(tmk_sorter **out, size_t recsize, int (*cmp)(const void *, const void *),
                   size_t budget, const char *temp_dir, tmk_error *err);
/* Add one record (copied).  TMK_EIO with detail TMK_D_TEMP_DIR when a run
 * cannot be made or written (the message names the temporary folder). */
int tmk_sorter_add(tmk_sorter *s, const void *rec, tmk_error *err);
/* End of input: sort what is in memory.  Then call next until it returns 0. */
int tmk_sorter_sort(tmk_sorter *s, tmk_error *err);
/* Copy the next record in order into rec: returns 1, 0 at the end, or a
 * negative code. */
int tmk_sorter_next(tmk_sorter *s, void *rec, tmk_error *err);
/* Number of records added, and of runs written to disk. */
size_t tmk_sorter_count(const tmk_sorter *s);
size_t tmk_sorter_runs(const tmk_sorter *s);
void tmk_sorter_free(tmk_sorter *s);
/* The order of records that are one uint64_t (native byte order); a sorter
 * given this comparator sorts by radix, which is much faster.  Note that
 * radix sorting needs a scratch buffer as large as the records in memory:
 * give half the budget you would otherwise. */
int tmk_sorter_cmp_u64(const void *a, const void *b);

/* Merge TMX files into one (see tmkit merge in the README): units with
 * the same languages and texts are written once (the first occurrence, in
 * input order, whatever the source language of each) with the newest
 * changedate and the sum of usagecount; a source text with different
 * translations is a conflict: all are kept and the callback is told (file
 * and line of the unit, and of the first one with that source).  The output
 * header has the first input's srclang ("*all*" when the inputs differ and
 * one says "*all*"); a unit that relied on its header's other srclang gets
 * its own srclang attribute.  Conflicts are told after pass 1, each against
 * the earliest unit with its source, in the input order of that unit.
 * Inputs are read twice, so they must be files: an input whose size,
 * modification time or units differ in the second reading stops the merge
 * with TMK_EIO (err names the file).  The conflict callback follows the
 * tmkit.h rule: non-zero stops the merge (TMK_ECANCELED, or its own
 * negative code).
 * Memory: tmk_sorter budgets, whatever the input size; the sorters' runs
 * go to temp_dir (tmk_sorter_new; NULL or "" = "/tmp"). */
typedef struct tmk_tm_conflict {
    const char *file;           /* the unit's file and line */
    unsigned long line;
    const char *first_file;     /* the earliest unit with the same source */
    unsigned long first_line;
} tmk_tm_conflict;
typedef int (*tmk_tm_conflict_cb)(void *ud, const tmk_tm_conflict *c);
typedef struct tmk_tm_merge_stats {
    unsigned long long units_in, units_out, duplicates, conflicts;
} tmk_tm_merge_stats;
/* The merged memory goes to sink(ud, ...) as the TMX writer's does or, with
 * sink NULL, to out->file; out (may be NULL only with a sink) also gives
 * the creation_time of the new header.  The writer always runs
 * TMK_TMX_VERBATIM (out->flags is not used).  ud goes to both callbacks. */
int tmk_tm_merge(const char *const *inputs, size_t ninputs, const tmk_tmx_write_options *out,
                 const char *temp_dir, tmk_tmx_sink sink, tmk_tm_conflict_cb on_conflict, void *ud,
                 tmk_tm_merge_stats *st, tmk_error *err);

#ifdef __cplusplus
}
#endif
#endif
