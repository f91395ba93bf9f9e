/* align_int.h -- what the align files share (not installed): the lexicon
 * (align_lex.c), the dictionary readers (align_dict.c), the model
 * (align_model.c) and the driver (align.c). */
#ifndef TMK_ALIGN_INT_H
#define TMK_ALIGN_INT_H

#include <stddef.h>
#include <pthread.h>
#include <stdint.h>
#include "tmkit/align.h"

/* The lexicon of one alignment run: every token type seen in the two
 * documents, with how many segments of each side hold it, and the list of
 * translation pairs (source type, target type) found so far. */
typedef struct tmk__lex tmk__lex;

struct type {
    uint32_t off, len;   /* the key in lex->chars */
    uint32_t df[2];      /* segments of each side that hold it */
    uint32_t last[2];    /* last segment counted (+1), to count each once */
    uint32_t nchar;      /* code points */
    uint8_t kind;        /* 0 word, 1 number, 2 punctuation */
};

struct pair {
    uint32_t s, t;
};

struct tmk__lex {
    struct type *types;
    size_t ntypes, captypes;
    uint32_t *slots; /* hash table of type index + 1 */
    size_t nslots;
    char *chars;
    size_t nchars, capchars;
    struct pair *pairs;
    size_t npairs, cappairs;
    uint8_t *stop;   /* per type: not evidence */
    uint32_t *sorted[2]; /* evidence types of each side, sorted by key */
    uint16_t *dcount;    /* dictionary translations kept per source type */
    unsigned dcap;       /* at most this many */
    size_t nsorted[2];
    /* stems: Hunspell's dictionary forms of the word types of each side,
     * normalised like tokens and sorted by key, so that a dictionary
     * headword ("Seil") finds the inflected forms in the text ("Seilen") */
    struct stemref *stems[2];
    size_t nstems[2], capstems[2];
    char *stemchars;
    size_t nstemchars, capstemchars;
    /* stems are made on demand: the Hunspell dictionaries load in a
     * thread while the dictionary index is scanned */
    uint8_t stem_state[2];     /* 0 no stems, 1 coming, 2 ready */
    int (*need_stems)(void *ud, int side);
    void *stem_ud;
    uint64_t *pfx[2];          /* evidence words of each side: their first
                                  3 bytes, hashed into a bit set */
    uint64_t *pfx4[2];         /* the same for their first 4 bytes (words) */
    uint64_t *want4[2];        /* the first 4 bytes of the one-word headwords
                                  a stem could reach (NULL: unknown, stem all) */
    uint8_t *found;            /* per type: a headword found it as written */
    uint8_t *known;            /* per type: the dictionary has it, bit 1 << side
                                  (a one-word headword or translation; for the
                                  confidence: a word it knows that finds no
                                  counterpart is evidence against a pair) */
};

#define MAXTOK 64 /* evidence tokens kept per segment (one bit each) */

struct seg {
    uint32_t off;   /* into doc->tok */
    uint32_t n;     /* tokens (all, before filtering: then evidence) */
    uint32_t chars; /* code points that are not spaces */
    float wsum;     /* evidence weight of its tokens */
};

struct doc {
    struct seg *seg;
    size_t nseg;
    uint32_t *tok;
    size_t ntok, captok;
    double chars;
    float *w;       /* per evidence token: its weight (rarer = heavier) */
};

/* Where a word type was first seen on one side: its surface form is
 * what Hunspell stems. */
struct surface {
    uint32_t type, seg, off, len;
};

struct surfaces {
    struct surface *v;
    size_t n, cap;
};

struct matches {
    uint32_t *start; /* per type: first index in m (ntypes + 1 entries) */
    uint32_t *m;
};


#define TMK__LEX_MAXWORDS 8

/* Tokenise a phrase (same rules as the segments: case folded, accents
 * stripped, numbers normalised) and put into ids[] the types (at most max)
 * that occur on `side` (0 = source, 1 = target) of the documents.  Returns
 * the number of words the phrase has in total (found or not). */
size_t tmk__lex_phrase(const tmk__lex *x, const char *s, size_t len, int side,
                       uint32_t *ids, size_t max, size_t *nfound);
/* The normalised key of a phrase that is one word (at most cap bytes);
 * 0 when it is not one word. */
size_t tmk__lex_word_key(const char *s, size_t len, char *key, size_t cap);
/* Whether some evidence word of `side` (or a stem of one) starts with the
 * same 3 bytes as key: when not, key cannot match anything there. */
int tmk__lex_prefix_seen(const tmk__lex *x, int side, const char *key, size_t len);
/* Whether key may be the stem of a word of `side`: a word starts with its
 * first 4 bytes (3 for a 3-byte key). */
int tmk__lex_stem_candidate(const tmk__lex *x, int side, const char *key, size_t len);
/* A one-word headword (its key) that a stem might reach: once any is
 * noted for a side, only its words sharing the first 4 bytes with a noted
 * headword are stemmed. */
int tmk__lex_note_headword(tmk__lex *x, int side, const char *key, size_t len);
/* Stems (Hunspell) of one side: pending = they will come, when asked for
 * with need_stems (which waits for the Hunspell dictionaries and stems the
 * side's words; until then tmk__lex_phrase ignores stems).  stem_find:
 * how many word types of `side` have key as a stem. */
int tmk__lex_stems_pending(const tmk__lex *x, int side);
/* Types found by a headword as written (or a form of it): not stemmed. */
void tmk__lex_mark_found(tmk__lex *x, const uint32_t *ids, size_t n);
/* Types of `side` the dictionary has (a word of a headword or translation). */
void tmk__lex_mark_known(tmk__lex *x, int side, const uint32_t *ids, size_t n);
int tmk__lex_need_stems(tmk__lex *x, int side);
size_t tmk__lex_stem_find(const tmk__lex *x, int side, const char *key, size_t len);
/* Record that source type s translates as target type t. */
int tmk__lex_add_pair(tmk__lex *x, uint32_t s, uint32_t t);
/* The same for a dictionary pair: at most a few translations per source
 * type are kept (the first senses listed), so that large dictionaries do
 * not link every segment with every other.  Returns 1 when the pair is
 * kept, 0 when the source type has its share already, < 0 on error. */
int tmk__lex_add_dict_pair(tmk__lex *x, uint32_t s, uint32_t t);

/* Read a dictionary file into x: pairs whose words occur in the documents.
 * The format is detected: path ending in .index = DICT (with .dict.dz or
 * .dict beside it), else lines in Ding ("de :: en"), hunalign
 * ("target @ source") or "source<TAB>target" form.  reverse: the file's
 * left side is the target language.  *npairs gets the pairs added. */
int tmk__dict_load(tmk__lex *x, const char *path, int reverse, size_t *npairs,
                   tmk_error *err);

/* Whether a dictionary file is for the pair in the opposite direction
 * (freedict-fra-deu used for German-French, Ding en-de, ...). */
int tmk__dict_is_reversed(const char *path, const char *src_lang,
                          const char *tgt_lang);

/* align_lex.c: the lexicon's life cycle, as the driver runs it. */
/* One code point of s at byte i (*adv: its length, 0 at the end). */
int32_t tmk__align_cp_at(const char *s, size_t len, size_t i, size_t *adv);
/* Whether c is a quotation mark. */
int tmk__align_is_quote(int32_t c);
/* Tokenise the n segments of one side into d, interning the types in lex
 * (sf, may be NULL: where each word type is first seen, for stemming). */
int tmk__doc_read(struct doc *d, tmk__lex *lex, int side, const tmk_align_text *t, size_t n,
                  struct surfaces *sf);
/* Keep only the evidence tokens (lex->stop set), at most MAXTOK a segment. */
void tmk__doc_filter(struct doc *d, const tmk__lex *lex, int side);
/* Evidence weights of the tokens (inverse document frequency ^ alpha). */
int tmk__doc_weights(struct doc *d, const tmk__lex *lex, int side, double alpha);
void tmk__doc_release(struct doc *d);
/* Sort the evidence types of each side by key (for dictionary lookups). */
int tmk__lex_sort_types(tmk__lex *x);
/* Stem one side's word types with sp (Hunspell). */
int tmk__lex_stem_side(tmk__lex *x, int side, const tmk_align_text *txt, const struct surfaces *sf,
                       tmk_speller *sp);
/* Add the cognate pairs, then build the match lists of every type. */
int tmk__lex_add_cognates(tmk__lex *x);
int tmk__lex_build_matches(tmk__lex *x, struct matches *mt);
void tmk__lex_release(tmk__lex *x);

/* ---------------------------------------------------------------- model */

struct params {
    double skip;      /* cost of a 1-0 / 0-1 bead, per segment */
    double wlen;      /* weight of the length cost */
    double wlex;      /* weight of the lexical similarity */
    double s2;        /* Gale-Church variance per character */
    double pen[5][5]; /* extra cost per bead type */
    double k0;        /* smoothing of the similarity denominator */
    double lencap;    /* cap of the length cost */
    double gamma;     /* lexical reward grows with ((a+b)/2)^gamma */
    unsigned dcap;    /* dictionary translations kept per source word */
    double stopbase, stopfrac; /* types in more segments than this are not evidence */
    double idf;       /* token weight = log(1 + N/df)^idf */
    double pcross;    /* paragraph boundary inside one side of a bead */
    double pmis;      /* bead sides disagree about a paragraph start */
    int debris;       /* a segment with at most this many letters is debris */
    double dskip;     /* a debris segment's 1-0 / 0-1 cost, as a part of skip */
    double dpen;      /* cost per debris segment inside a bead larger than 1-1 */
    double cref;      /* confidence: a member with less than cref of its
                         evidence tokens matched lowers it (dictionary only) */
    /* confidence: a pair with kmin or more known content words (words or
     * numbers that have a counterpart in the lexicon) of which less than
     * kref of the idf weight is matched in the pair gets its confidence
     * multiplied by kfloor at share 0, rising linearly to 1 at kref */
    double kref, kfloor;
    unsigned kmin;
    /* the document (tmk_align_stats): a pair with kmin known content words
     * that matches less than ushare of them is unrelated; the texts are
     * when umin pairs or more have kmin and ufrac of them are unrelated */
    double ushare, ufrac;
    unsigned umin;
    int split;        /* second pass: split one-sided members off merged beads */
    double sexcl;     /* ... when the other side's evidence only it matches is
                         at most this share */
    double slen;      /* ... and the rest's length cost is lower by this much */
    double smin;      /* ... and it has at least this many evidence tokens */
    double srest;     /* ... and the rest's similarity is at least this */
    /* document-adaptive split: a member whose coverage (share of its
     * evidence weight matched on the bead's other side) is at most afrac
     * times the document's median 1-1 coverage goes when it has at least
     * amin evidence tokens and the rest's length cost is at most alen
     * worse (afrac 0: off) */
    double afrac, amin, alen;
    /* a 1-1 bead whose two sides have at most ofrac times the median 1-1
     * coverage, each with at least omin evidence tokens, becomes a 1-0 and
     * a 0-1 (ofrac 0: off; with a dictionary only) */
    double ofrac, omin;
    /* document-adaptive merge penalty: after a first DP, the merged beads
     * per 1-1 bead of the path (smoothed with mc pseudo-beads at mref)
     * against mref, the rate of the dev set: every merged bead type costs
     * mw * log(mref / rate) more (at most mmax, at least mmin), and the
     * DP runs again (mw 0: off) */
    double mw, mref, mc, mmax, mmin;
};

static const int bead_types[][2] = {{1, 1}, {1, 0}, {0, 1}, {2, 1}, {1, 2}, {2, 2},
                                    {3, 1}, {1, 3}, {3, 2}, {2, 3}, {4, 1}, {1, 4}};
#define NBT ((int)(sizeof bead_types / sizeof *bead_types))

struct band {
    size_t n, m;          /* segments per side */
    size_t *lo, *hi;      /* node rows 0..n: columns lo..hi inclusive */
    size_t *nodeoff;      /* node row i starts at nodeoff[i] */
    size_t *plo, *phi;    /* pair rows 0..n-1: columns plo..phi-1 */
    size_t pw, nw;        /* widest pair row, widest node row */
    double *cost;         /* ring of 5 node rows (a bead spans at most 4) */
    uint8_t *back;        /* every node: the bead type that reached it */
    uint64_t *ms, *mt;    /* ring of 4 pair rows: matched source / target token bits */
    int direct;           /* masks computed on demand (after the DP) */
};

struct aligner {
    tmk__lex lex;
    struct doc d[2];
    struct matches mt;
    struct params p;
    double ratio;          /* target chars per source char */
    uint32_t *stamp, *pos; /* per type, for pair masks */
    uint32_t stampno;
    uint8_t *pstart[2];    /* per segment: starts a paragraph (NULL = unknown) */
    double *skipc[2];      /* per segment: cost of leaving it unpaired (1-0 / 0-1) */
    double *dpenc[2];      /* per segment: extra cost inside a bead larger than 1-1 */
    double pcross;         /* cost per paragraph boundary inside one side of a bead */
    double pmis;           /* cost of a bead whose sides disagree on a paragraph start */
    double k0m;            /* share of k0 a merged bead pays per extra 1-1 bead it
                              stands for: (mc / (segments + mc))^2, see bead_eval */
    /* stemming */
    const tmk_align_text *txt[2];
    struct surfaces sf[2];
    tmk_speller *stemmer[2];
    int own[2];            /* stemmer[side] was made here */
    const char *spell_dict_path, *spell_home_dir; /* for the stemmers */
    const char *data_dir;                         /* tmk_align_options.data_dir */
    const char *lang[2];   /* languages whose stemmers the thread makes */
    pthread_t thread;
    int thread_on;
    int with_dict;         /* a bilingual dictionary is read */
    tmk_align_stats stats; /* the document's figures (collect_beads) */
    uint8_t *cover;        /* per type: a word or number with a counterpart
                              the lexicon knows, as a source token (bit 1)
                              and as a target token (bit 2) */
};

/* align_model.c */
/* The parameters (tuning: the test-only string of tmk_align_options). */
void tmk__align_params(struct params *p, int with_dict, const char *tuning);
/* centre[i] for node rows 0..n from the anchors; *ratio: their length ratio. */
int tmk__align_anchor_centre(const struct aligner *A, size_t *centre, double *ratio);
int tmk__band_alloc(struct band *b, size_t n, size_t m, const size_t *center, size_t w);
/* The DP in the band: 1 when the best path touches the band edge. */
int tmk__band_dp(struct aligner *A, struct band *b);
void tmk__band_free(struct band *b);
/* Splits one-sided members off merged beads (out has room for n + m). */
size_t tmk__align_split_pass(struct aligner *A, const struct band *bd, tmk_align_bead *out, size_t cnt);
/* The confidence of a bead; *share and *known: tmk__align_known_share's. */
double tmk__align_confidence(struct aligner *A, const struct band *bd, size_t i0, int a,
                             size_t j0, int b, double *share, unsigned *known);
/* The cover bits of every type (before the confidences). */
int tmk__align_cover_init(struct aligner *A);
/* The lexical evidence of a bead where the lexicon knows the words: of the
 * content words and numbers of both sides that the dictionary knows or
 * that have a counterpart elsewhere in the other document (the same word,
 * a cognate), *known gets how many there are and *share the idf-weighted
 * share of them that a content word on the bead's other side matches (1
 * when there are none).  Needs tmk__align_cover_init. */
void tmk__align_known_share(struct aligner *A, size_t i0, int a, size_t j0, int b,
                            double *share, unsigned *known);
/* The confidence factor of that evidence: 1 at share >= ref, floor at
 * share 0 (when known >= kmin), linear between. */
double tmk__align_known_factor(double share, unsigned known, double ref, double floor,
                               unsigned kmin);

#endif
