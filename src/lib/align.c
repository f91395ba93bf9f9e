/* align.c -- sentence alignment, the driver: reads the documents into the
 * lexicon (align_lex.c), loads dictionaries (align_dict.c) and stemmers,
 * runs the model (align_model.c) and returns the beads.
 *
 * Overview
 *   1. Tokenise every segment: words are case folded with accents stripped,
 *      digit groups joined ("10.000", "10,000", "10 000" -> "10000"), and
 *      the punctuation that survives translation (? ! : ; quotes,
 *      parentheses) becomes pseudo-tokens.  Tokens found in many segments
 *      of their side (function words) and words shorter than 3 letters are
 *      not evidence and are dropped.
 *   2. Build the matches of each source type: the same type on the target
 *      side (names, numbers, punctuation), dictionary translations, and
 *      cognates (a common prefix of 4+ letters covering most of the word).
 *   3. Anchors: types that occur exactly once on each side; their longest
 *      monotone chain gives the centre of a band of the DP matrix.
 *   4. For each segment pair in the band, bit masks record which tokens of
 *      either segment have a match in the other; a bead's lexical score is
 *      computed from the OR of its pairs' masks, i.e. on the joined text.
 *   5. Dynamic program over beads up to 4-1/1-4; when the best path
 *      touches the band edge the band is widened and the DP re-run.
 *   6. With a dictionary, a document whose path has almost no merged beads
 *      (a text translated sentence by sentence) gets dearer merges and the
 *      DP runs again (adapt_merges); then the split pass takes one-sided
 *      members off merged beads, and each bead gets its confidence.
 */
#include <config.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include "internal.h"
#include "align_int.h"
/* The thread that loads the Hunspell dictionaries for stemming. */
static void *make_stemmers(void *arg)
{
    struct aligner *A = arg;
    for (int side = 0; side < 2; side++)
        if (A->lang[side]) {
            tmk_spell_options so = TMK_SPELL_OPTIONS_INIT;
            so.lang = A->lang[side];
            so.dict_path = A->spell_dict_path;
            so.home_dir = A->spell_home_dir;
            so.data_dir = A->data_dir;
            so.no_project_wordlists = 1;
            so.cache_entries = 64;                  /* no spell-check here */
            so.suggest_mode = TMK_SUGGEST_HUNSPELL; /* one handle, no fast copy */
            tmk_error err = TMK_ERROR_INIT;
            tmk_speller_new(&A->stemmer[side], &so, &err); /* NULL: none installed */
            A->own[side] = A->stemmer[side] != NULL;
            tmk_error_clear(&err);
        }
    return NULL;
}


static void *free_stemmers(void *arg)
{
    struct aligner *A = arg;
    for (int side = 0; side < 2; side++)
        if (A->own[side]) {
            tmk_speller_free(A->stemmer[side]);
            A->stemmer[side] = NULL;
            A->own[side] = 0;
        }
    return NULL;
}

/* The lexicon needs the stems of one side: wait for the dictionaries,
 * then stem that side's words. */
static int need_stems(void *ud, int side)
{
    struct aligner *A = ud;
    if (A->thread_on) {
        pthread_join(A->thread, NULL);
        A->thread_on = 0;
    }
    int rc = 0;
    if (A->stemmer[side])
        rc = tmk__lex_stem_side(&A->lex, side, A->txt[side], &A->sf[side], A->stemmer[side]);
    free(A->sf[side].v);
    memset(&A->sf[side], 0, sizeof A->sf[side]);
    return rc;
}

/* ------------------------------------------------------------ the driver */

#define FULL_LIMIT 40000 /* nodes: below this the whole matrix is used */

static void aligner_free(struct aligner *A)
{
    if (A->thread_on)
        pthread_join(A->thread, NULL);
    for (int side = 0; side < 2; side++) {
        if (A->own[side])
            tmk_speller_free(A->stemmer[side]);
        free(A->sf[side].v);
    }
    tmk__lex_release(&A->lex);
    tmk__doc_release(&A->d[0]);
    tmk__doc_release(&A->d[1]);
    free(A->mt.start);
    free(A->mt.m);
    free(A->stamp);
    free(A->pos);
    free(A->pstart[0]);
    free(A->pstart[1]);
    free(A->skipc[0]);
    free(A->skipc[1]);
    free(A->dpenc[0]);
    free(A->dpenc[1]);
    free(A->cover);
}

/* Letters in s, counting no further than lim + 1. */
static int count_letters(const char *s, size_t len, int lim)
{
    int k = 0;
    for (size_t i = 0; i < len && k <= lim;) {
        size_t adv;
        int32_t c = tmk__align_cp_at(s, len, i, &adv);
        if (!adv)
            break;
        i += adv;
        if (c < 0x80 ? ((c | 32) >= 'a' && (c | 32) <= 'z') : tmk_utf8_is_letter(c))
            k++;
    }
    return k;
}

/* The cost of leaving each segment unpaired: skip, or less for debris
 * (page numbers, OCR specks: at most p.debris letters), which gold
 * alignments leave on its own rather than in a neighbour's bead. */
static int setup_skips(struct aligner *A, const tmk_align_text *t, size_t n, int side)
{
    A->skipc[side] = malloc((n ? n : 1) * sizeof *A->skipc[side]);
    A->dpenc[side] = malloc((n ? n : 1) * sizeof *A->dpenc[side]);
    if (!A->skipc[side] || !A->dpenc[side])
        return TMK_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        int deb = A->p.debris >= 0 && count_letters(t[i].s, t[i].len, A->p.debris) <= A->p.debris;
        A->skipc[side][i] = A->p.skip * (deb ? A->p.dskip : 1.0);
        A->dpenc[side][i] = deb ? A->p.dpen : 0.0;
    }
    return 0;
}

/* Paragraph starts of one side; returns the number of paragraphs. */
static size_t para_starts(const unsigned long *para, size_t n, uint8_t *out)
{
    size_t np = 0;
    for (size_t i = 0; i < n; i++) {
        out[i] = (uint8_t)(i == 0 || para[i] != para[i - 1]);
        np += out[i];
    }
    return np;
}

/* Whether a segment ends as a sentence does: . ! ? : ; or an ellipsis,
 * maybe followed by closing quotes or brackets.  The sentence splitter ends
 * a segment elsewhere only at the end of a line.  (: and ; count because
 * pre-segmented texts, the Bleualign set among them, split there.) */
static int ends_sentence(const char *s, size_t len)
{
    int32_t last = 0;
    for (size_t i = 0; i < len;) {
        size_t adv;
        int32_t c = tmk__align_cp_at(s, len, i, &adv);
        if (!adv)
            break;
        i += adv;
        if (c == ' ' || c == '\t' || c == 0xA0 || c == '"' || c == '\'' || c == ')' ||
            c == ']' || c == '}' || c == 0x2018 || c == 0x2019 || tmk__align_is_quote(c))
            continue;
        last = c;
    }
    return last == '.' || last == '!' || last == '?' || last == ':' || last == ';' ||
           last == 0x2026 || last == 0x203C || last == 0x3002 || last == 0xFF01 || last == 0xFF1F;
}

/* Whether a segment starts with a lower-case letter (after spaces and
 * punctuation): the rest of a line that was broken, not a heading. */
static int starts_lower(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        size_t adv;
        int32_t c = tmk__align_cp_at(s, len, i, &adv);
        if (!adv)
            break;
        i += adv;
        if (tmk_utf8_is_letter(c) || tmk_utf8_is_digit(c))
            return utf8proc_tolower(c) == c && utf8proc_toupper(c) != c;
    }
    return 0;
}

struct junctions {
    uint8_t *start; /* byte offsets of the fed text where a segment starts */
    size_t len;
};

static int junction_seg(void *ud, const tmk_segment *seg)
{
    struct junctions *j = ud;
    if (seg->offset < j->len)
        j->start[seg->offset] = 1;
    return 0;
}

/* Where the sentence splitter for lang would cut between two consecutive
 * segments: split[i] (i >= 1) is 1 when it cuts "t[i-1] t[i]" between
 * them.  The raw-text path cuts there inside a paragraph, so a segment
 * after such a cut continues its paragraph even when it does not end as a
 * sentence ("Beispiel 6.3." + "Beispieldatei /etc/apt/sources.list").
 * Returns NULL when the splitter is not available or on no memory (then
 * the guess uses punctuation alone). */
static uint8_t *splitter_cuts(const tmk_align_text *t, size_t n, const char *lang,
                              const char *data_dir)
{
    tmk_segmenter *sg = NULL;
    tmk_error e = TMK_ERROR_INIT;
    tmk_segment_options so = TMK_SEGMENT_OPTIONS_INIT;
    so.data_dir = data_dir;
    if (n < 2 || tmk_segmenter_new_opt(&sg, lang, NULL, &so, &e) < 0) {
        tmk_error_clear(&e);
        return NULL;
    }
    tmk_segmenter_set_paragraph_mode(sg, TMK_PARA_BLANK, NULL);
    uint8_t *split = calloc(n, 1);
    size_t *at = malloc(n * sizeof *at);
    tmk_buf b;
    tmk_buf_init(&b);
    struct junctions j = {NULL, 0};
    int ok = split && at;
    /* one blank-line paragraph per pair of neighbours: "t[i-1] t[i]" */
    for (size_t i = 1; ok && i < n; i++) {
        ok = !memchr(t[i - 1].s, '\n', t[i - 1].len) && !memchr(t[i].s, '\n', t[i].len);
        ok = ok && tmk_buf_add(&b, t[i - 1].s, t[i - 1].len) >= 0 && tmk_buf_addch(&b, ' ') >= 0;
        at[i] = b.len;
        ok = ok && tmk_buf_add(&b, t[i].s, t[i].len) >= 0 && tmk_buf_add(&b, "\n\n", 2) >= 0;
    }
    if (ok) {
        j.len = b.len;
        j.start = calloc(b.len + 1, 1);
        ok = j.start && tmk_segmenter_feed(sg, b.data, b.len, junction_seg, &j, &e) >= 0 &&
             tmk_segmenter_finish(sg, junction_seg, &j, &e) >= 0;
    }
    for (size_t i = 1; ok && i < n; i++) {
        size_t k = at[i];
        while (k < b.len && (b.data[k] == ' ' || b.data[k] == '\t'))
            k++; /* the segment starts at its first non-space */
        split[i] = j.start[k];
    }
    tmk_error_clear(&e);
    tmk_segmenter_free(sg);
    tmk_buf_release(&b);
    free(j.start);
    free(at);
    if (!ok) {
        free(split);
        return NULL;
    }
    return split;
}

/* Whether a segment ends in a number and a full stop: a numbered label
 * ("Beispiel 6.3.", "Figure 2.") that opens a caption. */
static int ends_number(const char *s, size_t len)
{
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    return len >= 2 && s[len - 1] == '.' && s[len - 2] >= '0' && s[len - 2] <= '9';
}

/* Whether a segment looks like a line of code or of a shell session (a
 * <pre> block): it starts with a prompt or comment sign ("$ ", "# ",
 * "> ", "% ", "#"), a path ("/etc/...") or a URL ("https://..."). */
static int code_like(const char *s, size_t len)
{
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    if (!len)
        return 0;
    if (*s == '#' || *s == '/')
        return 1;
    if ((*s == '$' || *s == '>' || *s == '%') && len > 1 && s[1] == ' ')
        return 1;
    size_t k = 0;
    while (k < len && ((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= '0' && s[k] <= '9') ||
                       s[k] == '+' || s[k] == '-' || s[k] == '.'))
        k++;
    return k && k + 2 < len && s[k] == ':' && s[k + 1] == '/' && s[k + 2] == '/';
}

/* Whether segment t[i] is the rest of the line t[i-1], cut in the middle
 * of a sentence: t[i-1] does not end as a sentence, t[i] starts in lower
 * case, and neither looks like code.  After a sentence, a line in lower
 * case starts a paragraph of its own ("Ready!" + "$ ls travail/"), and so
 * does a line of code after a comment ("# Base repository" + "deb
 * https://..."): in the text these are lines of a <pre> block, each a
 * paragraph. */
static int rest_of_line(const tmk_align_text *prev, const tmk_align_text *cur)
{
    return starts_lower(cur->s, cur->len) && !ends_sentence(prev->s, prev->len) &&
           !code_like(prev->s, prev->len) && !code_like(cur->s, cur->len);
}

/* Paragraph numbers of segments given without them, as the sentence
 * splitter makes them from a text with a line each: a segment that does
 * not end as a sentence (a heading, a short line), or that follows one, is
 * a paragraph of its own, unless it is the rest of a broken line
 * (rest_of_line) or it follows a numbered label where the splitter would
 * have cut (a cut inside a paragraph: "Beispiel 6.3." + its caption). */
static unsigned long *guess_paragraphs(const tmk_align_text *t, size_t n, const char *lang,
                                       const char *data_dir)
{
    unsigned long *para = malloc((n ? n : 1) * sizeof *para);
    if (!para)
        return NULL;
    uint8_t *split = splitter_cuts(t, n, lang, data_dir);
    unsigned long p = 0;
    int prev_open = 1; /* the previous segment ended as a sentence */
    for (size_t i = 0; i < n; i++) {
        int ends = ends_sentence(t[i].s, t[i].len);
        if (i && (!prev_open || !ends) && !rest_of_line(&t[i - 1], &t[i]) &&
            !(split && split[i] && ends_number(t[i - 1].s, t[i - 1].len)))
            p++;
        para[i] = p;
        prev_open = ends;
    }
    free(split);
    return para;
}

/* How far to trust the paragraphs: fully when both texts have about as
 * many, less when the counts differ, not at all when they differ a lot
 * (one side with a paragraph per line, the other without). */
static int setup_paragraphs(struct aligner *A, const tmk_align_options *opt, size_t n, size_t m)
{
    if (!opt || !n || !m)
        return 0;
    const unsigned long *sp = opt->src_para, *tp = opt->tgt_para;
    unsigned long *gs = NULL, *gt = NULL;
    if ((!sp || !tp) && (opt->flags & TMK_ALIGN_GUESS_PARAGRAPHS)) {
        if (!sp)
            sp = gs = guess_paragraphs(A->txt[0], n, opt->src_lang, opt->data_dir);
        if (!tp)
            tp = gt = guess_paragraphs(A->txt[1], m, opt->tgt_lang, opt->data_dir);
        if (!sp || !tp) {
            free(gs);
            free(gt);
            return TMK_ENOMEM;
        }
    }
    if (!sp || !tp)
        return 0;
    A->pstart[0] = malloc(n);
    A->pstart[1] = malloc(m);
    if (!A->pstart[0] || !A->pstart[1]) {
        free(gs);
        free(gt);
        return TMK_ENOMEM;
    }
    double p0 = (double)para_starts(sp, n, A->pstart[0]);
    double p1 = (double)para_starts(tp, m, A->pstart[1]);
    free(gs);
    free(gt);
    double agree = (p0 < p1 ? p0 : p1) / (p0 < p1 ? p1 : p0);
    if (p0 < 2 && p1 < 2)
        agree = 0; /* one paragraph each: nothing to learn */
    if (agree >= 0.9) {
        A->pcross = A->p.pcross;
        A->pmis = A->p.pmis;
    } else if (agree >= 0.75) {
        A->pcross = A->p.pcross / 4;
        A->pmis = A->p.pmis / 2;
    } else {
        free(A->pstart[0]);
        free(A->pstart[1]);
        A->pstart[0] = A->pstart[1] = NULL;
    }
    return 0;
}

static int lang_known(const char *l) { return l && *l; }

/* The dictionaries to read: those given, else the installed one for the
 * language pair (*dflt, freed by the caller).  Returns how many, or
 * TMK_ENOMEM. */
static int dict_list(const tmk_align_options *opt, char **dflt)
{
    *dflt = NULL;
    if (!opt || (opt->flags & TMK_ALIGN_NO_DICT))
        return 0;
    if (opt->dicts && opt->ndicts)
        return opt->ndicts > INT_MAX ? INT_MAX : (int)opt->ndicts;
    if ((opt->flags & TMK_ALIGN_NO_AUTO_DICT) || !lang_known(opt->src_lang) ||
        !lang_known(opt->tgt_lang))
        return 0;
    int rc = tmk_align_find_dict(dflt, opt->src_lang, opt->tgt_lang, opt->dictdir, NULL);
    return rc == TMK_ENOMEM ? rc : *dflt ? 1 : 0;
}

static int load_dicts(struct aligner *A, const tmk_align_options *opt, const char *dflt,
                      size_t nd, tmk_error *err)
{
    for (size_t i = 0; i < nd; i++) {
        const char *path = dflt ? dflt : opt->dicts[i];
        size_t np = 0;
        int rev = tmk__dict_is_reversed(path, opt->src_lang, opt->tgt_lang);
        TMK_TRY(tmk__dict_load(&A->lex, path, rev, &np, err));
        if (opt->on_dict) {
            tmk_align_dict_use use = {path, np};
            int stop = opt->on_dict(opt->ud, &use);
            if (stop)
                return tmk_error_set(err, stop < 0 ? stop : TMK_ECANCELED, 0, 0, "%s",
                                     stop < 0 ? tmk_error_string(stop)
                                              : "stopped by the dictionary callback");
        }
    }
    return 0;
}

static int run_with(struct aligner *A, const tmk_align_text *src, size_t nsrc, const tmk_align_text *tgt,
                    size_t ntgt, const tmk_align_options *opt, const char *dflt, size_t nd,
                    tmk_align_bead **beads, size_t *nbeads, tmk_error *err);

static int run(struct aligner *A, const tmk_align_text *src, size_t nsrc, const tmk_align_text *tgt,
               size_t ntgt, const tmk_align_options *opt, tmk_align_bead **beads, size_t *nbeads,
               tmk_error *err)
{
    char *dflt = NULL;
    int found = dict_list(opt, &dflt);
    if (found < 0)
        return found;
    size_t nd = (size_t)found;
    tmk__align_params(&A->p, nd > 0, opt ? opt->tuning : NULL);
    A->with_dict = nd > 0;
    int rc = run_with(A, src, nsrc, tgt, ntgt, opt, dflt, nd, beads, nbeads, err);
    free(dflt);
    return rc;
}

/* Phase 1: the lexicon of both documents (tokens, evidence types and
 * their weights, dictionary pairs with stems, cognates, matches). */
static int build_lexicon(struct aligner *A, const tmk_align_text *src, size_t nsrc, const tmk_align_text *tgt,
                         size_t ntgt, const tmk_align_options *opt, const char *dflt, size_t nd,
                         tmk_error *err)
{
    /* stems serve the dictionary lookup: only with a dictionary */
    int want[2] = {0, 0};
    if (nd && opt) {
        A->stemmer[0] = opt->src_stemmer;
        A->stemmer[1] = opt->tgt_stemmer;
        for (int side = 0; side < 2; side++) {
            const char *l = side ? opt->tgt_lang : opt->src_lang;
            if (!A->stemmer[side] && (opt->flags & TMK_ALIGN_STEM) && l && *l)
                A->lang[side] = l;
            A->spell_dict_path = opt->spell_dict_path;
            A->spell_home_dir = opt->spell_home_dir;
            A->data_dir = opt->data_dir;
            want[side] = A->stemmer[side] || A->lang[side];
        }
    }
    A->txt[0] = src;
    A->txt[1] = tgt;
    TMK_TRY(tmk__doc_read(&A->d[0], &A->lex, 0, src, nsrc, want[0] ? &A->sf[0] : NULL));
    TMK_TRY(tmk__doc_read(&A->d[1], &A->lex, 1, tgt, ntgt, want[1] ? &A->sf[1] : NULL));
    if ((A->lang[0] || A->lang[1]) && pthread_create(&A->thread, NULL, make_stemmers, A) == 0)
        A->thread_on = 1;
    else if (A->lang[0] || A->lang[1])
        make_stemmers(A);
    for (int side = 0; side < 2; side++)
        A->lex.stem_state[side] = want[side] ? 1 : 0;
    A->lex.need_stems = need_stems;
    A->lex.stem_ud = A;
    A->ratio = A->d[0].chars > 0 && A->d[1].chars > 0 ? A->d[1].chars / A->d[0].chars : 1.0;

    /* which types are evidence */
    A->lex.stop = calloc(A->lex.ntypes ? A->lex.ntypes : 1, 1);
    if (!A->lex.stop)
        return TMK_ENOMEM;
    double lim0 = A->p.stopbase + A->p.stopfrac * (double)nsrc;
    double lim1 = A->p.stopbase + A->p.stopfrac * (double)ntgt;
    for (size_t k = 0; k < A->lex.ntypes; k++) {
        const struct type *t = &A->lex.types[k];
        if ((double)t->df[0] > lim0 || (double)t->df[1] > lim1 ||
            (t->kind == 0 && t->nchar < 3))
            A->lex.stop[k] = 1;
    }
    tmk__doc_filter(&A->d[0], &A->lex, 0);
    tmk__doc_filter(&A->d[1], &A->lex, 1);
    TMK_TRY(tmk__doc_weights(&A->d[0], &A->lex, 0, A->p.idf));
    TMK_TRY(tmk__doc_weights(&A->d[1], &A->lex, 1, A->p.idf));

    TMK_TRY(tmk__lex_sort_types(&A->lex));
    A->lex.dcap = A->p.dcap;
    TMK_TRY(load_dicts(A, opt, dflt, nd, err));
    /* a dictionary format that did not ask for the stems: drop them */
    for (int side = 0; side < 2; side++)
        A->lex.stem_state[side] = 0;
    if (A->thread_on) {
        pthread_join(A->thread, NULL);
        A->thread_on = 0;
    }
    /* the stemmers made here are done with: unloading a large Hunspell
     * dictionary takes a while, so a thread does it during the DP */
    if ((A->own[0] || A->own[1]) && pthread_create(&A->thread, NULL, free_stemmers, A) == 0)
        A->thread_on = 1;
    else
        free_stemmers(A);
    TMK_TRY(tmk__lex_add_cognates(&A->lex));
    TMK_TRY(tmk__lex_build_matches(&A->lex, &A->mt));
    return 0;
}

/* Phase 2: what the model needs besides the lexicon: the pair-mask
 * scratch, paragraphs, and the cost of leaving each segment unpaired. */
static int setup_model(struct aligner *A, const tmk_align_text *src, size_t nsrc, const tmk_align_text *tgt,
                       size_t ntgt, const tmk_align_options *opt)
{
    A->stamp = calloc(A->lex.ntypes ? A->lex.ntypes : 1, sizeof *A->stamp);
    A->pos = calloc(A->lex.ntypes ? A->lex.ntypes : 1, sizeof *A->pos);
    if (!A->stamp || !A->pos)
        return TMK_ENOMEM;
    TMK_TRY(setup_paragraphs(A, opt, nsrc, ntgt));
    TMK_TRY(setup_skips(A, src, nsrc, 0));
    TMK_TRY(setup_skips(A, tgt, ntgt, 1));
    return 0;
}

/* The document-adaptive merge penalty (see struct params): count the
 * merged and the 1-1 beads of the path in b; when the document merges
 * less than the dev set, merged beads cost more, and the DP runs again in
 * the same band. */
static void adapt_merges(struct aligner *A, struct band *b)
{
    if (A->p.mw <= 0 || A->p.mref <= 0 || !A->with_dict)
        return;
    size_t i = b->n, j = b->m;
    double n11 = 0, nm = 0;
    while (i || j) {
        uint8_t t = b->back[b->nodeoff[i] + (j - b->lo[i])];
        int a = bead_types[t][0], c = bead_types[t][1];
        if (a == 1 && c == 1)
            n11++;
        else if (a && c)
            nm++;
        i -= (size_t)a;
        j -= (size_t)c;
    }
    double rate = (nm + A->p.mc * A->p.mref) / (n11 + A->p.mc);
    if (!(rate > 0) || !isfinite(rate))
        return; /* a tuning without smoothing on a path without 1-1 beads */
    double d = A->p.mw * log(A->p.mref / rate);
    if (d > A->p.mmax)
        d = A->p.mmax;
    if (d < A->p.mmin)
        d = A->p.mmin;
    if (fabs(d) < 0.01)
        return;
    for (int a = 1; a <= 4; a++)
        for (int c = 1; c <= 4; c++)
            if (a + c > 2 && A->p.pen[a][c] < 99) {
                A->p.pen[a][c] += d;
                if (A->p.pen[a][c] < 0)
                    A->p.pen[a][c] = 0;
            }
    tmk__band_dp(A, b);
}

/* Phase 3: the band around the anchors, and the DP in it, widened while
 * the best path touches its edge.  On success *b holds the path. */
static int search(struct aligner *A, size_t nsrc, size_t ntgt, struct band *b)
{
    size_t n = nsrc, m = ntgt;
    size_t *centre = malloc((n + 1) * sizeof *centre);
    if (!centre)
        return TMK_ENOMEM;
    size_t w;
    double ar = 0;
    int rc0 = tmk__align_anchor_centre(A, centre, &ar);
    if (rc0 < 0) {
        free(centre);
        return rc0;
    }
    /* the ratio of the totals is the better estimate (tuned so), unless
     * the anchors say that one text covers much more than the other */
    if (ar > 0 && (ar > A->ratio * 1.5 || A->ratio > ar * 1.5))
        A->ratio = ar;
    if ((double)(n + 1) * (double)(m + 1) <= FULL_LIMIT) {
        for (size_t i = 0; i <= n; i++)
            centre[i] = 0;
        w = m + 1;
    } else
        w = 40;
    /* the share of the similarity smoothing a merged bead pays per
     * further 1-1 bead (bead_eval): the prior's weight in the adaptive
     * merge estimate, squared (3 segments: 0.39; 36: 0.015; 300: 3e-4).
     * Unsquared, strict F1 of bench-align with the dictionary fell from
     * 0.880 to 0.878 (per member in full: 0.875). */
    {
        double ns = (double)(n < m ? n : m);
        double pr = A->p.mc > 0 ? A->p.mc / (ns + A->p.mc) : 0;
        A->k0m = pr * pr;
    }
    memset(b, 0, sizeof *b);
    for (;;) {
        int rc = tmk__band_alloc(b, n, m, centre, w);
        if (rc < 0) {
            tmk__band_free(b);
            free(centre);
            return rc;
        }
        int touch = tmk__band_dp(A, b);
        /* widen while the best path touches the edge, within 16 M nodes */
        if (!touch || w > m || (double)(n + 1) * (4.0 * (double)w + 1) > 1.6e7)
            break;
        tmk__band_free(b);
        w *= 2;
    }
    free(centre);
    adapt_merges(A, b);
    return 0;
}

/* Phase 4: the beads of the path, the split pass, the confidences. */
static int collect_beads(struct aligner *A, size_t nsrc, size_t ntgt, struct band *b,
                         tmk_align_bead **beads, size_t *nbeads)
{
    size_t n = nsrc, m = ntgt;
    /* back-trace into beads */
    size_t cnt = 0, i = n, j = m;
    while (i || j) {
        uint8_t t = b->back[b->nodeoff[i] + (j - b->lo[i])];
        i -= (size_t)bead_types[t][0];
        j -= (size_t)bead_types[t][1];
        cnt++;
    }
    /* room for the split pass: at most one bead per segment */
    tmk_align_bead *out = malloc((n + m + 1) * sizeof *out);
    if (!out) {
        tmk__band_free(b);
        return TMK_ENOMEM;
    }
    size_t k = cnt;
    i = n;
    j = m;
    while (i || j) {
        uint8_t t = b->back[b->nodeoff[i] + (j - b->lo[i])];
        int a = bead_types[t][0], c = bead_types[t][1];
        i -= (size_t)a;
        j -= (size_t)c;
        tmk_align_bead *bd = &out[--k];
        bd->src = i;
        bd->nsrc = (size_t)a;
        bd->tgt = j;
        bd->ntgt = (size_t)c;
        bd->score = 0;
    }
    if (A->p.split)
        cnt = tmk__align_split_pass(A, b, out, cnt);
    if (tmk__align_cover_init(A) < 0) {
        free(out);
        tmk__band_free(b);
        return TMK_ENOMEM;
    }
    /* the confidences, and how many pairs share (almost) none of the
     * content words the lexicon knows: most of them in a wrong file pair */
    tmk_align_stats *st = &A->stats;
    memset(st, 0, sizeof *st);
    st->dict = A->with_dict;
    for (k = 0; k < cnt; k++) {
        double share;
        unsigned known;
        out[k].score = tmk__align_confidence(A, b, out[k].src, (int)out[k].nsrc, out[k].tgt,
                                             (int)out[k].ntgt, &share, &known);
        if (!out[k].nsrc || !out[k].ntgt)
            continue;
        st->pairs++;
        if (known >= A->p.kmin) {
            st->known_pairs++;
            st->unrelated_pairs += share < A->p.ushare;
        }
    }
    st->unrelated = st->known_pairs >= A->p.umin &&
                    (double)st->unrelated_pairs >= A->p.ufrac * (double)st->known_pairs;
    tmk__band_free(b);
    *beads = out;
    *nbeads = cnt;
    return 0;
}

static int run_with(struct aligner *A, const tmk_align_text *src, size_t nsrc, const tmk_align_text *tgt,
                    size_t ntgt, const tmk_align_options *opt, const char *dflt, size_t nd,
                    tmk_align_bead **beads, size_t *nbeads, tmk_error *err)
{
    TMK_TRY(build_lexicon(A, src, nsrc, tgt, ntgt, opt, dflt, nd, err));
    TMK_TRY(setup_model(A, src, nsrc, tgt, ntgt, opt));
    struct band b;
    TMK_TRY(search(A, nsrc, ntgt, &b));
    TMK_TRY(collect_beads(A, nsrc, ntgt, &b, beads, nbeads));
    if (opt && opt->on_stats) {
        int stop = opt->on_stats(opt->ud, &A->stats);
        if (stop)
            return tmk_error_set(err, stop < 0 ? stop : TMK_ECANCELED, 0, 0, "%s",
                                 stop < 0 ? tmk_error_string(stop) : "stopped by the stats callback");
    }
    return 0;
}

int tmk_align_run(const tmk_align_text *src, size_t nsrc, const tmk_align_text *tgt, size_t ntgt,
              const tmk_align_options *opt, tmk_align_bead **beads, size_t *nbeads, tmk_error *err)
{
    *beads = NULL;
    *nbeads = 0;
    if ((nsrc && !src) || (ntgt && !tgt))
        return tmk_error_set(err, TMK_EINVAL, 0, 0, "no segments given");
    if (nsrc >= UINT32_MAX / 2 || ntgt >= UINT32_MAX / 2)
        return tmk_error_set(err, TMK_ELIMIT, 0, 0, "too many segments to align");
    /* the members the caller's struct has; the rest keep their defaults */
    tmk_align_options o = TMK_ALIGN_OPTIONS_INIT;
    if (opt) {
        memcpy(&o, opt, opt->size < sizeof o ? opt->size : sizeof o);
        o.size = sizeof o;
        opt = &o;
    }
    struct aligner A;
    memset(&A, 0, sizeof A);
    tmk_error saved = TMK_ERROR_INIT;
    tmk__err_keep(err, &saved);
    int rc = tmk__err_back(err, &saved, run(&A, src, nsrc, tgt, ntgt, opt, beads, nbeads, err));
    aligner_free(&A);
    if (rc < 0) {
        free(*beads);
        *beads = NULL;
        *nbeads = 0;
        if (rc == TMK_ENOMEM)
            tmk_error_set(err, rc, 0, 0, "out of memory while aligning");
    }
    return rc;
}
