/* words_int.h -- the library's one word scanner: where words, numbers,
 * punctuation and white space are in a text, and what each word is made
 * of.  Every consumer keeps only its policy on top of it:
 *
 *   spell   (spell_tok.c)  whitespace runs that are addresses skipped whole,
 *                          German gender forms kept in the word, words
 *                          without letters, codes, file names skipped;
 *   lookup  (spell_tok.c tmk__text_pieces, used by tm_score.c) words,
 *                          numbers, punctuation and space pieces;
 *   align   (align_lex.c)  bare words (no connectors), numbers with group
 *                          separators, case folded and marks stripped.
 *
 *   GMX-V   (wordcount.c)  TMK__W_UAX29: the standard's boundaries (Unicode
 *                          UAX #29); wordcount keeps what counts as a word,
 *                          a character, punctuation, a logogram.
 *
 * Internal (not in a public header): embedders get each consumer's policy
 * (tmk_spell_tokenize, tmk_tm_word_tokens, tmk_wc_count), the spans alone are
 * a building block.
 *
 * The rules (tests/spec/words.txt shows them by example):
 *  - Character classes (tmk__word_class): white space; letters (L*, and the
 *    marks Mn Mc Me); digits (Nd); connectors: hyphen (- U+2010 U+2011),
 *    apostrophe (' U+2019 U+02BC), full stop; invisible characters inside
 *    words (soft hyphen, zero-width space/joiners, word joiner, BOM); any
 *    other character is punctuation.  Malformed UTF-8 reads as U+FFFD.
 *  - A word is a maximal run of letters, digits and connectors; its word
 *    proper c[a..b) leaves out the connectors at its start and the
 *    apostrophes, full stops, invisible characters and hyphens at its end
 *    (in that order; `dots` and `trunc` say what was cut).
 *  - TMK__W_BARE: only letters and digits make words; connectors and
 *    invisible characters are punctuation.  TMK__W_NUMGROUPS (with BARE): a
 *    word that starts with a digit goes on across . , ' U+2019 followed by a
 *    digit and across a space (U+0020 U+00A0 U+202F U+2009) followed by
 *    exactly three digits in a group of at most three, then takes the
 *    letters and digits glued to it ("1.000,50", "10 000", "3km").
 *  - TMK__W_ADDRESS: a whitespace-delimited run that is a URL, an e-mail
 *    address, a file path or a command-line option is one ADDRESS span.
 *  - TMK__W_UAX29: instead of all the above, the segments between Unicode
 *    word boundaries (UAX #29, libunistring's u8_wordbreaks; "It's",
 *    "o'clock", "3.14", "1,000" are one segment each), every one a SEGMENT
 *    span for the caller to classify; white space may come one character a
 *    span.  The text must be valid UTF-8 (wordcount.c checks first).
 *  - TMK__W_GENDER: a German gender marker after a letter ("*innen",
 *    ":in", "/-innen", "(innen)", "\u00B7in" ...) stays in the word, its
 *    marker characters of class TMK__WC_GENDER.
 */
#ifndef TMK_WORDS_INT_H
#define TMK_WORDS_INT_H

#include <stddef.h>
#include <stdint.h>
#include "tmkit/buf.h"

enum tmk__word_cls {
    TMK__WC_OTHER,  /* punctuation, symbols, anything else */
    TMK__WC_SPACE,
    TMK__WC_LETTER, /* letters and combining marks */
    TMK__WC_DIGIT,
    TMK__WC_HYPHEN,
    TMK__WC_APOS,
    TMK__WC_DOT,
    TMK__WC_IGNORE, /* invisible inside a word: soft hyphen, zero-width */
    TMK__WC_GENDER  /* a gender marker kept in the word (TMK__W_GENDER) */
};

/* The class of a code point (enum tmk__word_cls). */
int tmk__word_class(int32_t cp);

/* The code point at s (n > 0 bytes), its length in *adv; malformed UTF-8
 * gives U+FFFD and the bytes to skip. */
int32_t tmk__word_cp(const char *s, size_t n, size_t *adv);

/* URL, e-mail address, file path, command-line option or assignment: a
 * whitespace-delimited run s[0..n) that is not words of a language. */
int tmk__word_is_address(const char *s, size_t n);

enum tmk__words_flags {
    TMK__W_ADDRESS = 1 << 0,    /* address-like runs are one ADDRESS span */
    TMK__W_GENDER = 1 << 1,     /* gender markers stay in words */
    TMK__W_BARE = 1 << 2,       /* no connectors: letters and digits only */
    TMK__W_NUMGROUPS = 1 << 3,  /* numbers with group separators (with BARE) */
    TMK__W_WORDS_ONLY = 1 << 4, /* report WORD and ADDRESS spans only */
    TMK__W_CASE = 1 << 5,       /* count upper and lower case letters */
    TMK__W_UAX29 = 1 << 6       /* Unicode's word boundaries (GMX-V): SEGMENT
                                   spans only, the other flags and max unused */
};

enum tmk__span_kind {
    TMK__SPAN_SPACE = 1,
    TMK__SPAN_PUNCT,
    TMK__SPAN_WORD,
    TMK__SPAN_ADDRESS,
    TMK__SPAN_SEGMENT /* TMK__W_UAX29: what lies between two boundaries */
};

/* One character of a word run. */
struct tmk__wch {
    size_t off;      /* byte offset in the text */
    unsigned char n; /* bytes */
    unsigned char cls;
    int32_t cp;
};

/* What a word proper c[a..b) holds. */
enum tmk__word_flags {
    TMK__WF_LETTER = 1 << 0,
    TMK__WF_DIGIT = 1 << 1,
    TMK__WF_HYPHEN = 1 << 2, /* an inner hyphen ("Vertrags-Nr") */
    TMK__WF_APOS = 1 << 3,   /* an inner apostrophe ("it's") */
    TMK__WF_DOT = 1 << 4,    /* an inner full stop ("z.B", "1.000") */
    TMK__WF_GENDER = 1 << 5, /* a gender marker */
    TMK__WF_OVER = 1 << 6    /* longer than the scanner's max: c holds its start */
};

typedef struct tmk__span {
    int kind;               /* enum tmk__span_kind */
    size_t off, len;        /* bytes: the whole span (a word: its run with the
                               connectors at both ends) */
    unsigned long col;      /* 1-based column of off, in code points */
    /* WORD spans only */
    const struct tmk__wch *c; /* the run's characters (at most max of them) */
    size_t n;               /* how many c holds */
    size_t a, b;            /* the word proper: c[a..b) (a == b: connectors only) */
    size_t over_end;        /* 0, or the end of a run longer than max (not trimmed) */
    unsigned flags;         /* enum tmk__word_flags */
    unsigned dots;          /* full stops cut from the end */
    int trunc;              /* a hyphen cut from the end ("Vertrags-") */
    size_t letters, digits, hyphens; /* in c[a..b) */
    size_t upper, lower;    /* letters by case (with TMK__W_CASE, else 0) */
    size_t longest;         /* longest part between hyphens and full stops */
} tmk__span;

/* A span callback (the span and its characters are valid during the call
 * only): 0 goes on, a negative TMK_E* code (or any negative
 * number) stops the scan and is returned. */
typedef int (*tmk__span_fn)(const tmk__span *sp, void *ud);

/* Scratch memory of a scan (the characters of long words); reuse it across
 * calls, release it with tmk__words_release. */
typedef struct tmk__words_mem {
    struct tmk__wch *c;
    size_t cap;
} tmk__words_mem;
#define TMK__WORDS_MEM_INIT {NULL, 0}
void tmk__words_release(tmk__words_mem *m);

/* Call fn for each span of text[0..len), in order.  flags: enum
 * tmk__words_flags; max: the most characters of a word stored (0 = no
 * limit; a longer word has TMK__WF_OVER and over_end).  mem may be NULL
 * (then words of up to 128 characters only use the stack).  Returns 0,
 * TMK_ENOMEM or fn's first negative result. */
int tmk__words_scan(const char *text, size_t len, unsigned flags, size_t max,
                    tmk__words_mem *mem, tmk__span_fn fn, void *ud);

/* The word's clean form c[a..b) into w (reset first): invisible characters
 * left out, hyphens and apostrophes made ASCII.  Returns 0 or TMK_ENOMEM. */
int tmk__words_clean(tmk_buf *w, const char *text, const struct tmk__wch *c, size_t a,
                     size_t b);

#endif
