/* tmkit/build.h -- the build pipeline: a text and its translation in,
 * translation units out.  What `tmkit build` does for one pair of texts:
 * segment both sides (SRX), spell-check the source (optional), align the
 * sentences, turn the beads into TMX units, and count what the summary
 * needs.  Reading and decoding the files stays with the caller (see
 * decode.h and document.h): the pipeline takes UTF-8 text.
 *
 * Objects:
 *   tmk_builder       the settings and the costly things reused from one
 *                     pair to the next (the Hunspell speller).  One thread
 *                     at a time (a speller is, see spell.h): to build pairs
 *                     in parallel give each thread its own builder.
 *   tmk_build_result  one pair's outcome: its segments, beads and figures;
 *                     independent of the builder that made it (it may be
 *                     read by another thread once handed over), freed with
 *                     tmk_build_result_free.
 *
 * Beads -> units is one function, tmk_build_units, also used by
 * `tmkit align`.  Follows the API contract of tmkit.h.
 */
#ifndef TMKIT_BUILD_H
#define TMKIT_BUILD_H

#include <stddef.h>
#include "error.h"
#include "segment.h"
#include "spell.h"
#include "align.h"
#include "tmx.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tmk_builder tmk_builder;
typedef struct tmk_build_result tmk_build_result;

/* A flagged word of the source, with its place in the source text as
 * given (1-based line and column, columns in characters). */
typedef struct tmk_build_hit {
    size_t seg;                 /* 0-based source segment */
    unsigned long line, col;    /* in the source text */
    const tmk_spell_hit *hit;   /* borrowed */
} tmk_build_hit;

typedef struct tmk_build_options {
    size_t size;                    /* sizeof (tmk_build_options): TMK_BUILD_OPTIONS_INIT */
    const char *src_lang, *tgt_lang;/* BCP 47; NULL = "de-DE" and "en-US" */
    const char *srx;                /* SRX 2.0 rules file, NULL = the built-in rules */
    enum tmk_segment_paragraph_mode para_mode; /* how lines make paragraphs (segment.h) */
    int no_spell;                   /* 1: no spell-check */
    const char *const *dicts;       /* Hunspell dictionaries by name or path (spell.h) */
    size_t ndicts;
    const char *const *wordlists;   /* personal word lists */
    size_t nwordlists;
    int no_project_wordlists;       /* do not load tmkit's own word lists */
    int suggest;                    /* compute suggestions for flagged words (for on_hit) */
    const char *const *bidicts;     /* bilingual dictionaries for the aligner */
    size_t nbidicts;
    int no_stem;                    /* 1: dictionary words only as written */
    double min_score;               /* beads below this confidence are kept out (0..1) */
    double weak_score;              /* units below this are counted as weak (0 = none) */
    unsigned threads;               /* spell-check workers per pair; 0 = all processors */
    /* Each flagged word, in order, from the thread running tmk_builder_run;
     * may be NULL. */
    int (*on_hit)(void *ud, const tmk_build_hit *hit);
    void *ud;
    /* 1: the builder loads the Hunspell stemmers the aligner needs (the
     * target's, and the source's under no_spell) once and keeps them for
     * its next runs, instead of the aligner loading them for every pair
     * (the same stems either way).  For many pairs in a row. */
    int keep_stemmers;
    /* Where dictionaries are looked for (the library reads no environment;
     * the tmkit command fills these from DICPATH, HOME and TMKIT_DICTDIR):
     * Hunspell dictionaries given by name (tmk_spell_options.dict_path and
     * .home_dir) and the aligner's bilingual dictionary
     * (tmk_align_options.dictdir).  NULL: the system folders only. */
    const char *dict_path, *home_dir, *align_dictdir;
    /* Which texts are a document's, one paragraph a line (tmk_doc_read):
     * TMK_BUILD_SRC_DOC, TMK_BUILD_TGT_DOC.  Such a text is segmented with
     * every line a paragraph (TMK_PARA_LINES), whatever para_mode says: a
     * document's paragraphs, headings, list items and table cells are never
     * glued. */
    unsigned doc_sides;
    /* Where tmkit's data and temporary files are (the library reads no
     * environment; the tmkit command fills these from TMKIT_DATADIR and
     * TMPDIR): data_dir as tmk_segment_options.data_dir and
     * tmk_spell_options.data_dir (the built-in rules, the project word
     * lists), temp_dir as tmk_spell_options.temp_dir.  NULL: the installed
     * data folder only, and "/tmp". */
    const char *data_dir, *temp_dir;
} tmk_build_options;

#define TMK_BUILD_SRC_DOC 1u
#define TMK_BUILD_TGT_DOC 2u

#define TMK_BUILD_OPTIONS_INIT                                                                     \
    {sizeof(tmk_build_options), NULL, NULL, NULL, TMK_PARA_AUTO, 0, NULL, 0, NULL, 0, 0, 0,        \
     NULL, 0, 0, 0.0, 0.0, 0, NULL, NULL, 0, NULL, NULL, NULL, 0, NULL, NULL}

/* Make a builder; the options are copied (the strings and arrays they point
 * to are borrowed and must outlive the builder).  NULL options: defaults.
 * Errors: TMK_ENOMEM, TMK_EINVAL (min_score outside 0..1). */
int tmk_builder_new(tmk_builder **out, const tmk_build_options *opt, tmk_error *err);
void tmk_builder_free(tmk_builder *b);
/* Which texts of the next runs are a document's (tmk_build_options.doc_sides):
 * for a builder that runs pairs of mixed kinds.  TMK_OK, or TMK_EINVAL for
 * bits other than TMK_BUILD_SRC_DOC and TMK_BUILD_TGT_DOC. */
int tmk_builder_set_doc_sides(tmk_builder *b, unsigned doc_sides, tmk_error *err);

/* Where a run stopped (tmk_build_result_stage). */
enum tmk_build_stage {
    TMK_BUILD_DONE = 0,
    TMK_BUILD_SEGMENT_SRC,  /* segmenting the source (or loading the rules) */
    TMK_BUILD_SEGMENT_TGT,
    TMK_BUILD_EMPTY_SRC,    /* the source has no text (empty or white space): TMK_ESYNTAX */
    TMK_BUILD_EMPTY_TGT,
    TMK_BUILD_SPELLER,      /* the speller could not be made (no dictionary, ...) */
    TMK_BUILD_SPELL,
    TMK_BUILD_ALIGN         /* aligning (a bilingual dictionary could not be read, ...) */
};

/* Run the pipeline on one pair of UTF-8 texts (borrowed; copied).  src_name
 * and tgt_name (may be NULL) are what err->file is set to when the error is
 * about that text.  *out is set whenever the result could be allocated,
 * also on failure (then tmk_build_result_stage says where it stopped and
 * what was done before is kept); the caller frees it.  Returns TMK_OK or
 * the failing stage's error. */
int tmk_builder_run(tmk_builder *b, const char *src, size_t src_len, const char *tgt,
                    size_t tgt_len, const char *src_name, const char *tgt_name,
                    tmk_build_result **out, tmk_error *err);

void tmk_build_result_free(tmk_build_result *r);
enum tmk_build_stage tmk_build_result_stage(const tmk_build_result *r);

/* What the summary shows. */
typedef struct tmk_build_figures {
    size_t src_segs, tgt_segs;      /* segments of each side */
    size_t units;                   /* units the memory gets */
    size_t kinds[5][5];             /* beads by shape (source x target segments) */
    size_t other_kinds;             /* beads with 5 or more on a side */
    size_t one_sided;               /* 1-0 and 0-1 beads (not in the memory) */
    size_t kept_out;                /* beads below min_score */
    size_t weak;                    /* units below weak_score */
    size_t flagged;                 /* flagged words of the source */
    unsigned src_wrap, tgt_wrap;    /* tmk_segmenter_wrap_width of each side (0: not wrapped) */
    tmk_align_stats align;          /* the aligner's figures of the two texts (align.h);
                                       align.unrelated: they do not look like
                                       translations of each other */
} tmk_build_figures;

/* The figures (valid as long as r). */
const tmk_build_figures *tmk_build_result_figures(const tmk_build_result *r);

/* The bilingual dictionaries the aligner used: the k-th one's path and
 * word pairs used for this text; returns 0, or TMK_EINVAL past the last. */
int tmk_build_result_dict(const tmk_build_result *r, size_t k, const char **path,
                          size_t *pairs);

/* A segment of side 0 (source) or 1 (target): its text and where it
 * starts in the text given to tmk_builder_run. */
typedef struct tmk_build_seg {
    const char *s;              /* NUL-terminated, valid as long as r */
    size_t len;
    size_t offset;              /* byte offset of its first character in the text */
    unsigned long line, col;    /* 1-based */
} tmk_build_seg;
size_t tmk_build_result_nsegs(const tmk_build_result *r, int side);
int tmk_build_result_seg(const tmk_build_result *r, int side, size_t i, tmk_build_seg *out);
/* The text of a side as it was given (a copy valid as long as r). */
const char *tmk_build_result_text(const tmk_build_result *r, int side, size_t *len);

/* A text's segments, collected once for every command that needs them all
 * (build, align, spell): n segments in order, each with its paragraph number and
 * its place in the text. */
typedef struct tmk_build_seglist {
    size_t n;
    tmk_align_text *segs;             /* NUL-terminated texts (n entries) */
    unsigned long *para;        /* paragraph number of each (tmk_segment.para) */
    tmk_build_seg *info;        /* offset, line and column of each */
    unsigned wrap;              /* TMK_PARA_AUTO: tmk_segmenter_wrap_width, else 0 */
    char *store_;               /* private */
} tmk_build_seglist;

/* Segment a UTF-8 text (borrowed) with the built-in rules for lang (looked
 * for in data_dir first, as tmk_segment_options.data_dir; NULL: the
 * installed ones) or the SRX file srx (NULL: built-in) in paragraph mode
 * mode.  *out, freed with
 * tmk_build_seglist_free, may have n = 0 (an empty text).  Errors: as
 * tmk_segmenter_new and tmk_segmenter_feed; err->file is the srx file for a
 * rules error, else left as the caller set it. */
int tmk_build_seglist_new(tmk_build_seglist **out, const char *text, size_t len,
                          const char *lang, const char *srx, const char *data_dir,
                          enum tmk_segment_paragraph_mode mode, tmk_error *err);
/* The same with a segmenter the caller made (tmk_segmenter_new, with its
 * paragraph mode as set), so that one segmenter serves many short texts
 * (`tmkit spell` splits each line it reports from into sentences): the
 * offsets, lines and columns are those in text; wrap is 0.  The segmenter
 * is ready for the next text afterwards, also after an error. */
int tmk_build_seglist_split(tmk_build_seglist **out, tmk_segmenter *sg, const char *text,
                            size_t len, tmk_error *err);
void tmk_build_seglist_free(tmk_build_seglist *l);

/* A unit with the bead it was made from (both borrowed, for the call). */
typedef struct tmk_build_unit {
    const tmk_tmx_tu *tu;
    const tmk_align_bead *bead;
} tmk_build_unit;

/* Beads -> units: one unit per bead with a segment on both sides and a
 * score of at least min_score, in bead order.  The sides' segments of a
 * bead are joined with a space; the unit gets the props x-alignment-score
 * (three decimals) and x-alignment-bead (the bead type, "1-1", "2-1": the
 * segments on each side, as align -f tsv/sheet writes it); when src_notes is not NULL and src_notes[i] is a
 * non-empty string for a source segment of the bead, the source tuv gets
 * x-spell-errors with those strings joined by spaces.  cb is called for
 * each unit (the tmkit.h rule: non-zero stops).  fig, when not NULL, gets
 * the bead shapes, one_sided, kept_out, weak (below weak_score) and units
 * added to it.  Errors: TMK_ENOMEM, TMK_ECANCELED or the callback's code. */
int tmk_build_units(const tmk_align_text *src, const tmk_align_text *tgt, const tmk_align_bead *beads,
                    size_t nbeads, const char *src_lang, const char *tgt_lang,
                    const char *const *src_notes, double min_score, double weak_score,
                    int (*cb)(void *ud, const tmk_build_unit *u), void *ud,
                    tmk_build_figures *fig, tmk_error *err);

/* The units of a finished run (stage TMK_BUILD_DONE), as tmk_build_units
 * makes them with the builder's settings and the flagged words as notes. */
int tmk_build_result_units(const tmk_build_result *r,
                           int (*cb)(void *ud, const tmk_build_unit *u), void *ud,
                           tmk_error *err);

#ifdef __cplusplus
}
#endif
#endif
