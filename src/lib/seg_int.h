/* seg_int.h -- inside the segment module: the SRX document model. */
#ifndef TMK_SEG_INT_H
#define TMK_SEG_INT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdint.h>
#include "internal.h"

/* A set of characters: the ASCII ones exactly, all others as one flag. */
typedef struct tmk_charset {
    uint64_t lo, hi;
    int nonascii;
} tmk_charset;

static inline int tmk_charset_has(const tmk_charset *c, unsigned ch)
{
    if (ch >= 128)
        return c->nonascii;
    return ch < 64 ? (int)((c->lo >> ch) & 1) : (int)((c->hi >> (ch - 64)) & 1);
}

typedef struct tmk_srx_rule {
    int brk;                   /* 1 = break rule, 0 = no-break (exception) */
    char *before_src, *after_src; /* the patterns as written (Java syntax) */
    pcre2_code *before;        /* ENDANCHORED: must end at the break point; NULL = empty */
    pcre2_code *after;         /* ANCHORED: must start at the break point; NULL = empty */
    pcre2_code *both;          /* break rules: (?:before)(?=after), to find candidates */
    pcre2_code *after_find;    /* break rules whose before is empty or starts with ^:
                                * the after pattern unanchored, to find candidates */
    pcre2_code *before_pre;    /* before starts with ^: the pattern anchored at the
                                * start only; no match there = the rule is dead for
                                * this paragraph */
    unsigned long line, col;   /* where the rule is in its file */
    tmk_charset last, last2;   /* what before's last two characters can be */
    long before_max;           /* most characters before can consume, -1 = unbounded */
    int compiled;              /* patterns compiled (done on first use) */
} tmk_srx_rule;

typedef struct tmk_srx_langrule {
    char *name;
    tmk_srx_rule *rules;
    size_t nrules;
} tmk_srx_langrule;

typedef struct tmk_srx_map {
    char *pattern, *rulename;
    pcre2_code *re; /* anchored at both ends: Java's matches() */
    unsigned long line, col; /* where the map is in its file */
} tmk_srx_map;

typedef struct tmk_srx {
    int cascade;
    tmk_srx_langrule *langs;
    size_t nlang;
    tmk_srx_map *maps;
    size_t nmaps;
} tmk_srx;

int tmk__srx_translate(const char *java, tmk_buf *out);
pcre2_code *tmk__srx_compile(const char *java, uint32_t extra_opts, tmk_error *err,
                             unsigned long line, unsigned long col);
int tmk__srx_rule_compile(tmk_srx_rule *r, tmk_error *err);
tmk_srx *tmk__srx_load_mem(const char *data, size_t len, tmk_error *err);
tmk_srx *tmk__srx_load_file(const char *path, tmk_error *err);
void tmk__srx_free(tmk_srx *x);
long tmk__srx_max_chars(const char *java);
char *tmk__srx_after_for_matching(const char *after_src);
void tmk__srx_tail_sets(const char *java, tmk_charset *last, tmk_charset *last2);
unsigned long long tmk__seg_work_bound(const struct tmk_segmenter *s);

#endif
