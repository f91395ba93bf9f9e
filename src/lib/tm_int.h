/* tm_int.h -- inside the lookup module: the memory's arrays (the same
 * whether built in memory or mapped from an index file), the token
 * sequences the score works on, and the index file entry points. */
#ifndef TMK_TM_INT_H
#define TMK_TM_INT_H

#include <stddef.h>
#include <stdint.h>
#include "tmkit/buf.h"
#include "tmkit/lookup.h"

/* ---- tokens (tm_score.c) ---------------------------------------------- */

typedef struct tm_tok {
    uint64_t h;     /* hash of the key (folded word; all numbers one key) or of the
                       punctuation/tag bytes */
    uint64_t hraw;  /* words and numbers: hash of the cleaned form as written */
    uint32_t koff;  /* the key in seq->str */
    uint32_t klen;
    uint32_t roff;  /* the cleaned form as written in seq->str */
    uint32_t rlen;
} tm_tok;

#define TM_SPACE_KINDS 8

typedef struct tm_seq {
    tm_tok *w;      /* words and numbers (at most TMK_TM_MAX_TOKENS) */
    size_t nw, cw;
    tm_tok *p;      /* punctuation */
    size_t np, cp;
    tm_tok *t;      /* tags */
    size_t nt, ct;
    uint64_t space[TM_SPACE_KINDS]; /* the distinct white-space runs (hashes) */
    size_t nspace;
    int lead, trail, any; /* starts / ends with white space; any piece yet */
    size_t words_total; /* word/number tokens before the cap */
    tmk_buf str;    /* keys and cleaned forms */
    tmk_buf tmp;    /* scratch: decoded text, cleaned words */
    tmk_buf tmp2;
    uint32_t *dp;   /* DP rows */
    size_t dpcap;
} tm_seq;

#define TM_SEQ_INIT {NULL, 0, 0, NULL, 0, 0, NULL, 0, 0, {0}, 0, 0, 0, 0, 0, TMK_BUF_INIT, \
                     TMK_BUF_INIT, TMK_BUF_INIT, NULL, 0}
void tm__seq_release(tm_seq *s);
/* Tokenise a seg-form text into s (reset first). */
int tm__seq_tokenize(tm_seq *s, const char *text, size_t len);
/* The score of two tokenised texts (a's dp scratch is used). */
int tm__seq_score(tm_seq *a, const char *at, size_t alen, const tm_seq *b, const char *bt,
                  size_t blen);
/* The key hash used by the index's vocabulary. */
uint64_t tm__hash(const void *data, size_t len, uint64_t seed);

/* ---- the memory's arrays (tm_index.c) --------------------------------- */

typedef struct tm_unit {
    uint64_t src_off, tgt_off, aux_off, keys_off; /* aux: tuid then meta */
    uint32_t src_len, tgt_len, tuid_len, meta_len;
    uint32_t file, line, nkeys, flags;
} tm_unit;

/* One entry of a posting list: the unit, its number of keys and where the
 * key first is among its sorted keys (length and positional filters
 * without touching the unit). */
typedef struct tm_post {
    uint32_t unit;
    uint16_t nkeys;
    uint16_t pos;
} tm_post;

typedef struct tm_vocab {
    uint64_t str_off;
    uint64_t post_off;
    uint32_t str_len;
    uint32_t post_len;
    uint32_t count;
    uint32_t pad;
} tm_vocab;

/* The identity of one memory file, as recorded in the index. */
typedef struct tm_ident {
    uint64_t size, mtime_ns, ino, dev, sum;
    uint64_t ctime_ns; /* an edit that restores size and mtime still changes it */
} tm_ident;

typedef struct tm_data {
    const tm_unit *units;
    uint64_t nunits;
    const char *blob;
    uint64_t blob_len;
    const uint32_t *keys;       /* per unit: ranks (1-based), ascending */
    uint64_t nkeys;
    const tm_vocab *vocab;      /* by rank - 1 */
    uint64_t nvocab;
    const char *vstr;           /* vocabulary strings */
    uint64_t vstr_len;
    const uint32_t *hash;       /* open addressing: rank, 0 = empty */
    uint64_t hcap;              /* power of two */
    const tm_post *post;        /* per key, by (nkeys, unit) */
    uint64_t npost;
    const uint32_t *zero;       /* units without word/number tokens */
    uint64_t nzero;
    uint32_t min_score;         /* index_min_score it was built for */
    char srclang[64], tgtlang[64]; /* as the memory spells them */
    uint32_t nident;
    tm_ident ident[1];          /* unused here; identities live in the header */
} tm_data;

struct tmk_tm {
    tm_data d;
    /* ownership: either malloc'ed arrays or one mapping */
    void *map;
    size_t map_len;
    void *owned[8];
    char **names;           /* the memories' names */
    size_t nnames;
    char *index_path;
    /* lookup scratch */
    uint32_t *stamp;
    uint32_t qid;
    tm_seq q, c;
    tmk_buf qtext;
    uint32_t *qranks;
    size_t qcap;
    /* concordance scratch */
    tmk_buf fold, plain, terms;
    size_t *offs;
    unsigned long *cols;
    size_t ocap;
    size_t *hoffs, *hlens;
    size_t hcap;
};

/* Build the arrays from the memories (reads the TMX; streams as in
 * tmk_tm_options). */
int tm__build(tmk_tm *tm, const char *const *memories, FILE *const *streams, size_t n,
              const char *srclang, const char *tgtlang, int min_score,
              tmk_tm_notice_cb notice, void *ud, tmk_error *err);
/* The identities of the memories now (stat + checksum of first/last 64 KiB). */
int tm__identify(const char *path, tm_ident *id, tmk_error *err);
/* Map and check an index file against the expected parameters; 1 = used,
 * 0 = not usable (why in *why: a TMK_TM_NOTICE_* kind, *stale_file the
 * index of the memory that changed), < 0 = error. */
int tm__index_load(tmk_tm *tm, const char *path, const tm_ident *ids, size_t n,
                   const char *srclang, const char *tgtlang, int min_score, int *why,
                   size_t *stale_file, tmk_error *err);
/* Check an index image in memory (no parameters compared): TMK_OK when
 * every offset and count is within bounds; the tm then points into data.
 * sums = 0 skips the checksums (for the fuzzer, to reach the bounds checks). */
int tmk__tm_index_check(tmk_tm *tm, const void *data, size_t len, int sums, tmk_error *err);
/* A tm on an index image in memory (data must stay valid and 8-byte
 * aligned; not freed by tmk_tm_free): for the fuzzer. */
int tmk__tm_from_image(tmk_tm **out, const void *data, size_t len, int sums, tmk_error *err);
/* Write the index atomically. */
int tm__index_save(const tmk_tm *tm, const char *path, const tm_ident *ids, size_t n,
                   const char *srclang, const char *tgtlang, tmk_error *err);

#endif
