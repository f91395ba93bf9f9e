/* tmkit/wordcount.h -- word and character counts by GMX-V 2.0 (the
 * LISA/ETSI Global information management Metrics eXchange - Volume
 * standard), the counts that analyze and stats report.
 *
 * The rules (README, "Word counts"):
 *  - Words are the segments between Unicode word boundaries (UAX #29, as
 *    libunistring's u8_wordbreaks finds them) that hold a letter or a digit.
 *    "It's", "o'clock", "3.14" and "1,000" are one word each; numbers count
 *    as words (and are also counted as placeables, `numbers`).
 *  - Chinese, Japanese, Korean and Thai are counted by characters divided by
 *    the standard's factors: Chinese (Han, Bopomofo) 2.8, Japanese
 *    (Hiragana, Katakana, and Han in a text whose language is "ja") 3.0,
 *    Korean (Hangul) 3.3, Thai 6.0.  Such characters are kept apart in
 *    logograms[] and tmk_wc_words divides them (rounded to the nearest whole
 *    word, halves up) when the counts are read, so that the sums of many
 *    segments are rounded once.
 *  - Characters: the code points of words, and those of the other segments
 *    that are neither white space nor punctuation (Unicode category P);
 *    punctuation outside words and white space are counted apart: GMX-V's
 *    "d'une famille d'or." has 16 characters, 1 punctuation mark, 2 spaces.
 *    Nothing inside inline tags counts.
 *  - Inline tags (in seg form, TMK_WC_SEG: each bpt, ept, it, ph, ut element
 *    and each <hi> start and end tag) count as tags, never as words or
 *    characters; the text of their content (native code) is not counted.
 *
 * Counts add up: tmk_wc_count adds into the counts it is given.
 */
#ifndef TMKIT_WORDCOUNT_H
#define TMKIT_WORDCOUNT_H

#include <stddef.h>
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The scripts counted by characters, and their factors. */
enum tmk_wc_script {
    TMK_WC_CHINESE = 0,  /* factor 2.8 */
    TMK_WC_JAPANESE = 1, /* factor 3.0 */
    TMK_WC_KOREAN = 2,   /* factor 3.3 */
    TMK_WC_THAI = 3,     /* factor 6.0 */
    TMK_WC_NSCRIPTS = 4
};

typedef struct tmk_wc_counts {
    unsigned long long words;       /* words between word boundaries (numbers included) */
    unsigned long long numbers;     /* of those, the ones without a letter (placeables) */
    unsigned long long logograms[TMK_WC_NSCRIPTS]; /* characters counted by factor */
    unsigned long long characters;  /* no white space, punctuation outside words, tags */
    unsigned long long spaces;      /* white-space code points */
    unsigned long long punctuation; /* code points of category P outside words */
    unsigned long long tags;        /* inline tags (TMK_WC_SEG) */
} tmk_wc_counts;

enum tmk_wc_flags {
    TMK_WC_SEG = 1 << 0 /* the text is in TMX seg form: entities, inline elements */
};

typedef struct tmk_wc_options {
    size_t size;      /* sizeof(tmk_wc_options): TMK_WC_OPTIONS_INIT sets it */
    const char *lang; /* language of the text (BCP 47; NULL = unknown): "ja"
                         counts Han characters as Japanese */
    unsigned flags;   /* enum tmk_wc_flags */
} tmk_wc_options;

#define TMK_WC_OPTIONS_INIT {sizeof(tmk_wc_options), NULL, 0}

/* The factor of a script (2.8, 3.0, 3.3, 6.0); 0 for an unknown one. */
double tmk_wc_factor(int script);

/* Count text (UTF-8, len bytes) and add the counts into *acc.  Returns
 * TMK_OK, TMK_EINVAL (not UTF-8; err has the byte offset as column 0 and
 * says where), TMK_ENOMEM. */
int tmk_wc_count(const char *text, size_t len, const tmk_wc_options *opt, tmk_wc_counts *acc,
                 tmk_error *err);

/* Add b into a. */
void tmk_wc_add(tmk_wc_counts *a, const tmk_wc_counts *b);

/* The GMX-V word count of c: words plus, per script, logograms divided by
 * the script's factor (rounded to nearest, halves up). */
unsigned long long tmk_wc_words(const tmk_wc_counts *c);

#ifdef __cplusplus
}
#endif
#endif
