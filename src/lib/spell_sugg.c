/* spell_sugg.c -- suggestions for one word, by the speller's mode.
 *
 * The fast mode: Hunspell's quick stages (a handle without its n-gram and
 * compound stages), a repair of typos inside closed compounds, then
 * Hunspell's n-gram stage on the roots most like the word (spell_ngram.c);
 * the thorough mode: the quick stages, then Hunspell's full search; the
 * hunspell mode: the full search.  Hyphenated compounds and truncated
 * words are handled around them (compute_sugg).
 */
#include <config.h>
#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "internal.h"
#include "spell_int.h"


int tmk__spell_has_digit(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] >= '0' && s[i] <= '9')
            return 1;
    return 0;
}

/* A list of distinct suggestions, at most max. */
struct slist {
    char **v;
    size_t n, max;
};

static int slist_add(struct slist *l, const char *s, size_t len)
{
    if (l->n >= l->max)
        return 0;
    for (size_t j = 0; j < l->n; j++)
        if (!strncmp(l->v[j], s, len) && l->v[j][len] == '\0')
            return 0;
    if (!l->v && !(l->v = calloc(l->max, sizeof *l->v)))
        return TMK_ENOMEM;
    if (!(l->v[l->n] = tmk__strndup(s, len)))
        return TMK_ENOMEM;
    l->n++;
    return 1;
}

static void slist_release(struct slist *l)
{
    for (size_t j = 0; j < l->n; j++)
        free(l->v[j]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

/* Hunspell's suggestions for word from every dictionary, in order, with
 * the handles hs (the worker's full or fast ones). */
static int raw_sugg(tmk_speller *sp, struct worker *w, struct hand *hs, const char *word,
                    size_t n, struct slist *out)
{
    int rc = TMK_OK;
    tmk_buf u = TMK_BUF_INIT;
    /* with several dictionaries, a split into words ("Home office",
     * "Home-office") from any but the first goes after the whole words of
     * all: a word of the text's language outranks another language's
     * reading of it as two words */
    struct slist late = {NULL, 0, out->max};
    int nohyphen = !memchr(word, '-', n);
    for (size_t d = 0; d < sp->ndicts && out->n < out->max && rc >= 0; d++) {
        struct hand *hd = &hs[d];
        const char *x = tmk__hand_to(hd, &w->conv, word, n);
        if (!x)
            continue;
        char **list = NULL;
        int k = tmk__hs_suggest(hd->h, &list, x);
        if (k < 0) {
            w->failed = rc = k;
            break;
        }
        for (int i = 0; i < k && rc >= 0; i++) {
            tmk_buf_reset(&u);
            if (tmk__hand_from(hd, &u, list[i]) != 0)
                continue;
            int split = memchr(u.data, ' ', u.len) || (nohyphen && memchr(u.data, '-', u.len));
            rc = slist_add(d > 0 && split ? &late : out, u.data, u.len);
        }
        if (list)
            tmk__hs_free_list(hd->h, &list, k);
    }
    for (size_t i = 0; i < late.n && rc >= 0; i++)
        rc = slist_add(out, late.v[i], strlen(late.v[i]));
    slist_release(&late);
    tmk_buf_release(&u);
    return rc < 0 ? rc : TMK_OK;
}

/* Append s (n bytes) to b with its first letter in upper or lower case. */
static int add_recased(tmk_buf *b, const char *s, size_t n, int upper)
{
    size_t adv;
    int32_t c = n ? tmk_utf8_decode(s, n, &adv) : -1;
    if (c < 0)
        return tmk_buf_add(b, s, n);
    char enc[4];
    int k = tmk_utf8_encode(upper ? tmk_utf8_toupper(c) : tmk_utf8_tolower(c), enc);
    if (k <= 0)
        return tmk_buf_add(b, s, n);
    TMK_TRY(tmk_buf_add(b, enc, (size_t)k));
    return tmk_buf_add(b, s + adv, n - adv);
}

/* A typo inside a closed compound ("Tippfeler", "Tipfehler"): the longest
 * head that is a word with the fast suggestions for the rest ("Feler" ->
 * "Fehler": "Tippfehler"), else the longest tail that is a word (as a noun)
 * with the fast suggestions for the head (the longest such part only: on
 * two 300-line samples of the German corpus the second longest, tried
 * 79 times, never gave a suggestion, and cost a quarter of this stage);
 * a candidate counts only when Hunspell accepts the whole.  This stands
 * in for Hunspell's compound stage at a fraction of its cost. */
static int compound_sugg(tmk_speller *sp, struct worker *w, const char *word, size_t n,
                         struct slist *out)
{
    size_t bnd[TMK_SPELL_MAXCHARS + 2], nc = 0;
    for (size_t i = 0; i < n; nc++) {
        size_t adv;
        int32_t c = tmk_utf8_decode(word + i, n - i, &adv);
        if (c < 0 || !tmk_utf8_is_letter(c) || nc > TMK_SPELL_MAXCHARS)
            return TMK_OK;
        bnd[nc] = i;
        i += adv;
    }
    bnd[nc] = n;
    if (nc < 6)
        return TMK_OK;
    tmk_buf piece = TMK_BUF_INIT, cand = TMK_BUF_INIT;
    int rc = TMK_OK;
    for (int side = 0; side < 2 && rc == TMK_OK && out->n == 0; side++) {
        /* side 0: head right, rest wrong; side 1: tail right, head wrong */
        for (size_t k = side ? 3 : nc - 3; side ? k + 3 <= nc : k >= 3; side ? k++ : k--) {
            size_t cut = bnd[k];
            tmk_buf_reset(&piece);
            rc = side ? add_recased(&piece, word + cut, n - cut, 1)
                      : tmk_buf_add(&piece, word, cut);
            if (rc < 0 || !tmk__verdict(sp, w, piece.data, piece.len))
                continue;
            /* the wrong part: a tail is tried as a noun first */
            struct slist ps = {NULL, 0, sp->max_sugg * 2};
            for (int form = 0; form < 2 && rc == TMK_OK && ps.n == 0; form++) {
                tmk_buf_reset(&piece);
                if (side)
                    rc = tmk_buf_add(&piece, word, cut);
                else if (form == 0)
                    rc = add_recased(&piece, word + cut, n - cut, 1);
                else
                    rc = tmk_buf_add(&piece, word + cut, n - cut);
                if (rc == TMK_OK)
                    rc = raw_sugg(sp, w, w->fs, piece.data, piece.len, &ps);
                if (side)
                    break;
            }
            for (size_t j = 0; j < ps.n && rc == TMK_OK; j++) {
                const char *x = ps.v[j];
                if (strpbrk(x, " -."))
                    continue;
                tmk_buf_reset(&cand);
                rc = side ? tmk_buf_adds(&cand, x) : tmk_buf_add(&cand, word, cut);
                if (rc == TMK_OK)
                    rc = side ? tmk_buf_add(&cand, word + cut, n - cut)
                              : add_recased(&cand, x, strlen(x), 0);
                if (rc == TMK_OK && tmk__verdict(sp, w, cand.data, cand.len) &&
                    slist_add(out, cand.data, cand.len) < 0)
                    rc = TMK_ENOMEM;
            }
            slist_release(&ps);
            break; /* the longest correct part only */
        }
    }
    tmk_buf_release(&piece);
    tmk_buf_release(&cand);
    return rc;
}

/* Roots handed to Hunspell's n-gram stage per word (it keeps 100). */
#define NGRAM_ROOTS 500

/* Hunspell's n-gram suggestions for word, from a handle loaded with the
 * roots most like it (see spell_ngram.c), for each dictionary in turn. */
static int ngram_sugg(tmk_speller *sp, struct worker *w, const char *word, size_t n,
                      struct slist *out)
{
    int rc = TMK_OK;
    tmk_buf dic = TMK_BUF_INIT, u = TMK_BUF_INIT;
    for (size_t d = 0; d < sp->ndicts && out->n < out->max && rc >= 0; d++) {
        struct dict *dt = &sp->dicts[d];
        if (!dt->ngram_aff)
            continue;
        pthread_mutex_lock(&sp->nglock);
        if (dt->ng_state == 0) {
            const char *enc = tmk__hs_encoding(w->hs[d].h);
            dt->ng_state = tmk__ngram_load(dt->dic, tmk__spell_is_utf8(enc) ? NULL : tmk__spell_iconv_name(enc),
                                           &dt->ng) == 0 ? 1 : -1;
        }
        int ready = dt->ng_state > 0;
        pthread_mutex_unlock(&sp->nglock);
        if (!ready)
            continue;
        tmk_buf_reset(&dic);
        rc = tmk__ngram_dic(dt->ng, word, n, NGRAM_ROOTS, &dic);
        char *affp = NULL, *dicp = NULL;
        if (rc < 0 || !tmk__spell_write_temp(sp, dt->ngram_aff, dt->ngram_len, &affp) ||
            !tmk__spell_write_temp(sp, dic.data, dic.len, &dicp)) {
            if (affp)
                unlink(affp);
            free(affp);
            continue;
        }
        struct hand hd = {NULL, w->hs[d].to, w->hs[d].from};
        int k = tmk__hand_create(affp, dicp, &hd.h);
        unlink(affp);
        unlink(dicp);
        free(affp);
        free(dicp);
        if (k < 0) {
            rc = k;
            break;
        }
        const char *x = tmk__hand_to(&hd, &w->conv, word, n);
        char **list = NULL;
        k = x ? tmk__hs_suggest(hd.h, &list, x) : 0;
        if (k < 0)
            w->failed = rc = k;
        for (int i = 0; i < k && rc >= 0; i++) {
            tmk_buf_reset(&u);
            if (tmk__hand_from(&hd, &u, list[i]) == 0)
                rc = slist_add(out, u.data, u.len);
        }
        if (list)
            tmk__hs_free_list(hd.h, &list, k);
        tmk__hand_destroy(hd.h);
    }
    tmk_buf_release(&dic);
    tmk_buf_release(&u);
    return rc < 0 ? rc : TMK_OK;
}

/* Suggestions by the speller's mode: the fast stages of Hunspell (edits,
 * REP/MAP/TRY/KEY tables, case, two words: a handle without the n-gram
 * and compound-suggestion stages), then, in the thorough mode, Hunspell's
 * full search for words they leave without suggestions. */
static int tiered_sugg(tmk_speller *sp, struct worker *w, const char *word, size_t n,
                       struct slist *out)
{
    if (sp->sugg_mode == TMK_SUGGEST_HUNSPELL || !tmk__worker_fast(sp, w))
        return raw_sugg(sp, w, w->hs, word, n, out);
    TMK_TRY(raw_sugg(sp, w, w->fs, word, n, out));
    /* with several dictionaries, splits only ("Homeoffice" -> "Home
     * office" from en_US): the later stages still look for a whole word,
     * which goes first */
    struct slist splits = {NULL, 0, out->max};
    int only_splits = sp->ndicts > 1 && out->n > 0, nohyphen = !memchr(word, '-', n);
    for (size_t i = 0; i < out->n && only_splits; i++)
        only_splits = strchr(out->v[i], ' ') || (nohyphen && strchr(out->v[i], '-'));
    if (only_splits) {
        splits = *out;
        out->v = NULL;
        out->n = 0;
    }
    int rc = TMK_OK;
    if (out->n == 0)
        rc = compound_sugg(sp, w, word, n, out);
    if (rc == TMK_OK && out->n == 0 && sp->sugg_mode == TMK_SUGGEST_FAST)
        rc = ngram_sugg(sp, w, word, n, out);
    if (rc == TMK_OK && out->n == 0 && sp->sugg_mode == TMK_SUGGEST_THOROUGH)
        rc = raw_sugg(sp, w, w->hs, word, n, out);
    for (size_t i = 0; i < splits.n && rc == TMK_OK; i++)
        if (slist_add(out, splits.v[i], strlen(splits.v[i])) < 0)
            rc = TMK_ENOMEM;
    slist_release(&splits);
    return rc;
}

/* A hyphenated compound ("Boot-Loader-Schnittstele"): suggest for the
 * parts that are not words and put the compound back together.  Much
 * faster than Hunspell on the whole (which often gives up on long
 * compounds) and closer to what the writer meant.  Returns 1 when done
 * (out may stay empty), 0 when the whole word must go to Hunspell. */
#define MAXPARTS 8

static int hyphen_sugg(tmk_speller *sp, struct worker *w, const char *word, size_t n,
                       struct slist *out)
{
    const char *ps[MAXPARTS];
    size_t pl[MAXPARTS], np = 0;
    const char *p = word, *end = word + n;
    while (p <= end) {
        const char *q = memchr(p, '-', (size_t)(end - p));
        if (!q)
            q = end;
        if (q == p || np == MAXPARTS)
            return 0;
        ps[np] = p;
        pl[np++] = (size_t)(q - p);
        p = q + 1;
    }
    if (np < 2)
        return 0;
    int bad[MAXPARTS], nbad = 0, rc = TMK_OK;
    for (size_t i = 0; i < np; i++) {
        tmk_buf_reset(&w->tmp);
        if (tmk_buf_add(&w->tmp, ps[i], pl[i]) < 0)
            return TMK_ENOMEM;
        bad[i] = !tmk__spell_has_digit(ps[i], pl[i]) && !tmk__verdict(sp, w, w->tmp.data, w->tmp.len);
        if (bad[i] && i + 1 < np && tmk_buf_addch(&w->tmp, '-') == 0)
            /* a first part with a linking s ("Buchfuehrungs-") */
            bad[i] = !tmk__verdict(sp, w, w->tmp.data, w->tmp.len);
        nbad += bad[i];
    }
    if (!nbad)
        return 0; /* every part is a word: only the whole is wrong ("MS-DOS") */
    /* as Hunspell does: the suggestions for the whole word when one of
     * them has a hyphen; else the first wrong part replaced by each of its
     * suggestions ("Brute-Force" -> "Beute-Force", "Debian-Installer" ->
     * "Debian-Inst aller"), before the whole word's other suggestions.
     * The fast mode leaves out the whole word: Hunspell's edits of a long
     * word cost more than all the rest (a third of the time on German
     * text); on two 300-line samples of the German corpus (808 distinct
     * flagged words) leaving them out changes the first suggestion of one
     * word ("elf-headers": Hunspell's "elf -headers") */
    struct slist whole = {NULL, 0, sp->max_sugg};
    if (sp->sugg_mode == TMK_SUGGEST_THOROUGH && tmk__worker_fast(sp, w))
        rc = raw_sugg(sp, w, w->fs, word, n, &whole);
    int dashed = 0;
    for (size_t k = 0; k < whole.n && !dashed; k++)
        dashed = strchr(whole.v[k], '-') != NULL;
    size_t first = 0;
    while (first < np && !bad[first])
        first++;
    if (rc == TMK_OK && !dashed) {
        struct slist all = {NULL, 0, sp->max_sugg * 2};
        rc = tiered_sugg(sp, w, ps[first], pl[first], &all);
        tmk_buf b = TMK_BUF_INIT;
        for (size_t k = 0; k < all.n && rc == TMK_OK; k++) {
            tmk_buf_reset(&b);
            rc = tmk_buf_add(&b, word, (size_t)(ps[first] - word));
            if (rc == TMK_OK)
                rc = tmk_buf_adds(&b, all.v[k]);
            if (rc == TMK_OK)
                rc = tmk_buf_add(&b, ps[first] + pl[first],
                                 n - (size_t)(ps[first] + pl[first] - word));
            if (rc == TMK_OK && slist_add(out, b.data, b.len) < 0)
                rc = TMK_ENOMEM;
        }
        tmk_buf_release(&b);
        slist_release(&all);
    }
    for (size_t k = 0; k < whole.n && rc == TMK_OK; k++)
        if (slist_add(out, whole.v[k], strlen(whole.v[k])) < 0)
            rc = TMK_ENOMEM;
    slist_release(&whole);
    return rc < 0 ? rc : 1;
}

/* Compute the suggestions for one word with worker w into e. */
int tmk__spell_compute_sugg(tmk_speller *sp, struct worker *w, struct sentry *e)
{
    size_t n = e->wlen;
    int trunc = n > 1 && e->word[n - 1] == '-';
    if (trunc)
        n--; /* a truncated compound ("Ukrain- und"): suggest for the word */
    struct slist out = {NULL, 0, sp->max_sugg};
    int rc = 0;
    if (sp->break_hyphen && memchr(e->word, '-', n))
        rc = hyphen_sugg(sp, w, e->word, n, &out);
    if (rc == 0)
        rc = tiered_sugg(sp, w, e->word, n, &out);
    if (rc >= 0 && trunc) {
        for (size_t i = 0; i < out.n && rc >= 0; i++) {
            size_t l = strlen(out.v[i]);
            char *x = realloc(out.v[i], l + 2);
            if (!x) {
                rc = TMK_ENOMEM;
                break;
            }
            x[l] = '-';
            x[l + 1] = '\0';
            out.v[i] = x;
        }
    }
    e->sugg = out.v;
    e->nsugg = out.n;
    e->done = 1;
    if (rc >= 0 && w->failed)
        rc = w->failed;
    return rc < 0 ? rc : TMK_OK;
}
