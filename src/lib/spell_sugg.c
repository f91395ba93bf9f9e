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

/* ---- Hunspell's order of single edits -------------------------------
 *
 * Hunspell's suggest() (suggestmgr.cxx) tries the edits of a word class
 * by class and keeps what it finds in that order: the REP table (entry by
 * entry, left to right), swapped neighbours, letters swapped further
 * apart, a capital or a keyboard neighbour (KEY), a letter too many
 * (right to left), a letter missing (by the letter's place in the TRY
 * line, then right to left), a moved letter, a wrong letter (as a missing
 * one).  compound_sugg builds its candidates from the suggestions for a
 * part, which Hunspell ranked as edits of that part ("Fah": "Fach" first);
 * rank_edits puts them in the order Hunspell's compound stage finds them
 * as edits of the whole word ("Fahradwerkstatt": "Fahrradwerkstatt"
 * inserts an r, the 7th TRY letter of de_DE, "Fachradwerkstatt" a c, the
 * 11th).  Candidates that are no single edit go last, in their order. */
enum { E_REP = 1, E_SWAP, E_LONGSWAP, E_KEY, E_EXTRA, E_FORGOT, E_MOVE, E_BAD, E_OTHER };

#define RANK_TABLE 160
#define RANK_CHARS (TMK_SPELL_MAXCHARS + 8)

struct edit_tables {
    int32_t try_[RANK_TABLE], key[RANK_TABLE];
    size_t ntry, nkey;
    tmk_buf rep; /* REP pairs as "from\0to\0", '_' made a space */
    size_t nrep;
};

struct rank {
    int cls;
    size_t k1, k2, i;
};

/* s (n bytes) as code points into cp (at most max); max + 1 when s is
 * longer or not UTF-8. */
static size_t to_cps(const char *s, size_t n, int32_t *cp, size_t max)
{
    size_t k = 0;
    for (size_t i = 0; i < n; k++) {
        size_t adv;
        int32_t c = tmk_utf8_decode(s + i, n - i, &adv);
        if (c < 0 || k == max)
            return max + 1;
        cp[k] = c;
        i += adv;
    }
    return k;
}

/* The first RANK_TABLE code points of the string s into cp: how many. */
static size_t table_cps(const char *s, int32_t *cp)
{
    size_t k = 0, n = strlen(s);
    for (size_t i = 0; i < n && k < RANK_TABLE; k++) {
        size_t adv;
        int32_t c = tmk_utf8_decode(s + i, n - i, &adv);
        if (c < 0)
            break;
        cp[k] = c;
        i += adv;
    }
    return k;
}

/* The TRY, KEY and REP tables of the first dictionary (in UTF-8), read
 * from its fast .aff text (whose TRY line lacks the capitals of its small
 * letters: those rank after all small letters, as in Hunspell's TRY). */
static int read_tables(tmk_speller *sp, struct worker *w, struct edit_tables *t)
{
    static const char default_key[] = "qwertyuiop|asdfghjkl|zxcvbnm"; /* Hunspell's */
    const struct dict *d = &sp->dicts[0];
    tmk_buf u = TMK_BUF_INIT;
    int rc = TMK_OK, have_key = 0;
    t->ntry = t->nkey = t->nrep = 0;
    for (size_t i = 0; d->fast_aff && i < d->fast_len && rc == TMK_OK;) {
        const char *p = d->fast_aff + i, *nl = memchr(p, '\n', d->fast_len - i);
        size_t l = nl ? (size_t)(nl - p) : d->fast_len - i;
        i += l + 1;
        int kind = l > 4 && (p[3] == ' ' || p[3] == '\t')
                       ? !strncmp(p, "TRY", 3) ? 1 : !strncmp(p, "KEY", 3) ? 2 : !strncmp(p, "REP", 3) ? 3 : 0
                       : 0;
        if (!kind)
            continue;
        /* the fields after the keyword, converted to UTF-8 */
        const char *f[2];
        size_t fl[2], nf = 0, j = 3;
        while (nf < 2) {
            while (j < l && (p[j] == ' ' || p[j] == '\t' || p[j] == '\r'))
                j++;
            if (j == l)
                break;
            f[nf] = p + j;
            while (j < l && p[j] != ' ' && p[j] != '\t' && p[j] != '\r')
                j++;
            fl[nf] = (size_t)(p + j - f[nf]);
            nf++;
        }
        if (nf == 0 || (kind == 3 && nf < 2))
            continue; /* (REP's count line) */
        tmk_buf_reset(&u);
        for (size_t k = 0; k < nf && rc == TMK_OK; k++) {
            tmk_buf_reset(&w->tmp);
            rc = tmk_buf_add(&w->tmp, f[k], fl[k]);
            if (rc == TMK_OK && tmk__hand_from(&w->hs[0], &u, w->tmp.data) != 0)
                rc = 1; /* not convertible: the line is left out */
            if (rc == TMK_OK)
                rc = tmk_buf_addch(&u, '\0');
        }
        if (rc == 1) {
            rc = TMK_OK;
            continue;
        }
        if (kind == 1)
            t->ntry = table_cps(u.data, t->try_);
        else if (kind == 2) {
            t->nkey = table_cps(u.data, t->key);
            have_key = 1;
        } else {
            for (size_t k = 0; k < u.len; k++)
                if (u.data[k] == '_')
                    u.data[k] = ' ';
            rc = tmk_buf_add(&t->rep, u.data, u.len);
            t->nrep++;
        }
    }
    if (!have_key)
        t->nkey = table_cps(default_key, t->key);
    tmk_buf_release(&u);
    return rc;
}

static size_t try_index(const struct edit_tables *t, int32_t c)
{
    for (size_t i = 0; i < t->ntry; i++)
        if (t->try_[i] == c)
            return i;
    int32_t low = tmk_utf8_tolower(c);
    for (size_t i = 0; low != c && i < t->ntry; i++)
        if (t->try_[i] == low)
            return t->ntry + i;
    return 2 * RANK_TABLE;
}

/* b is a neighbour of a on the KEY rows */
static int key_near(const struct edit_tables *t, int32_t a, int32_t b)
{
    for (size_t i = 0; i < t->nkey; i++)
        if (t->key[i] == a && ((i > 0 && t->key[i - 1] == b) || (i + 1 < t->nkey && t->key[i + 1] == b)))
            return 1;
    return 0;
}

/* Which REP entry turns w into c, and where: 1 and r->k1, r->k2 set. */
static int rep_edit(const struct edit_tables *t, const char *w, size_t wn, const char *c, size_t cn,
                    struct rank *r)
{
    const char *e = t->rep.data;
    for (size_t k = 0; k < t->nrep; k++) {
        const char *from = e, *to = from + strlen(from) + 1;
        e = to + strlen(to) + 1;
        size_t fl = strlen(from), tl = strlen(to);
        int head = from[0] == '^', tail = fl > (size_t)head && from[fl - 1] == '$';
        from += head;
        fl -= (size_t)head + (size_t)tail;
        if (!fl || wn < fl || cn + fl != wn + tl)
            continue;
        for (size_t at = 0; at + fl <= wn; at++) {
            if ((head && at) || (tail && at + fl != wn))
                continue;
            if (!memcmp(w + at, from, fl) && !memcmp(c, w, at) && !memcmp(c + at, to, tl) &&
                !memcmp(c + at + tl, w + at + fl, wn - at - fl)) {
                r->cls = E_REP;
                r->k1 = k;
                r->k2 = at;
                return 1;
            }
        }
    }
    return 0;
}

/* The class and the place in it of c as an edit of w (see above). */
static void edit_rank(const struct edit_tables *t, const char *w, size_t wlen, const char *c,
                      size_t clen, struct rank *r)
{
    int32_t a[RANK_CHARS], b[RANK_CHARS];
    r->cls = E_OTHER;
    r->k1 = r->k2 = 0;
    if (rep_edit(t, w, wlen, c, clen, r))
        return;
    size_t an = to_cps(w, wlen, a, RANK_CHARS), bn = to_cps(c, clen, b, RANK_CHARS);
    if (an > RANK_CHARS || bn > RANK_CHARS)
        return;
    size_t p = 0, s = 0;
    while (p < an && p < bn && a[p] == b[p])
        p++;
    while (s < an - p && s < bn - p && a[an - 1 - s] == b[bn - 1 - s])
        s++;
    if (bn == an + 1 && p + s >= an) { /* a letter missing: b[p] */
        r->cls = E_FORGOT;
        r->k1 = try_index(t, b[p]);
        r->k2 = bn - p;
    } else if (an == bn + 1 && p + s >= bn) { /* a letter too many */
        r->cls = E_EXTRA;
        r->k1 = an - p;
    } else if (an == bn && an - s - p == 1) { /* one letter wrong */
        if ((b[p] == tmk_utf8_toupper(a[p]) && b[p] != a[p]) || key_near(t, a[p], b[p])) {
            r->cls = E_KEY;
            r->k1 = p;
        } else {
            r->cls = E_BAD;
            r->k1 = try_index(t, b[p]);
            r->k2 = an - p;
        }
    } else if (an == bn && an - s - p >= 2) {
        size_t q = an - s - 1; /* the last differing letter */
        int mid = 1;
        for (size_t k = p + 1; k < q && mid; k++)
            mid = a[k] == b[k];
        int rot = 1;
        for (size_t k = p; k < q && rot; k++)
            rot = b[k] == a[k + 1];
        if (rot)
            rot = b[q] == a[p];
        int rotr = !rot;
        for (size_t k = p + 1; k <= q && rotr; k++)
            rotr = b[k] == a[k - 1];
        if (rotr)
            rotr = b[p] == a[q];
        if (a[p] == b[q] && a[q] == b[p] && mid) {
            r->cls = q == p + 1 ? E_SWAP : E_LONGSWAP;
            r->k1 = p;
        } else if ((rot || rotr) && q - p <= 4) {
            r->cls = E_MOVE;
            r->k1 = p;
        }
    }
}

/* a before b in Hunspell's order of edits */
static int rank_before(const struct rank *a, const struct rank *b)
{
    return a->cls != b->cls ? a->cls < b->cls : a->k1 != b->k1 ? a->k1 < b->k1 : a->k2 <= b->k2;
}

/* Order the nv strings of v as Hunspell finds them as edits of word. */
static int rank_edits(const struct edit_tables *t, const char *word, size_t n, char **v, size_t nv)
{
    if (nv < 2)
        return TMK_OK;
    struct rank *rk = malloc(nv * sizeof *rk);
    char **sorted = malloc(nv * sizeof *sorted);
    int rc = rk && sorted ? TMK_OK : TMK_ENOMEM;
    for (size_t i = 0; i < nv && rc == TMK_OK; i++) {
        edit_rank(t, word, n, v[i], strlen(v[i]), &rk[i]);
        rk[i].i = i;
        /* insertion sort: a few candidates, stable */
        size_t j = i;
        struct rank x = rk[i];
        while (j > 0 && !rank_before(&rk[j - 1], &x)) {
            rk[j] = rk[j - 1];
            j--;
        }
        rk[j] = x;
    }
    if (rc == TMK_OK) {
        for (size_t i = 0; i < nv; i++)
            sorted[i] = v[rk[i].i];
        memcpy(v, sorted, nv * sizeof *v);
    }
    free(rk);
    free(sorted);
    return rc;
}

static int rank_by_tables(tmk_speller *sp, struct worker *w, const char *word, size_t n, char **v,
                          size_t nv)
{
    if (nv < 2)
        return TMK_OK;
    struct edit_tables t;
    t.rep = (tmk_buf)TMK_BUF_INIT;
    int rc = read_tables(sp, w, &t);
    if (rc == TMK_OK)
        rc = rank_edits(&t, word, n, v, nv);
    tmk_buf_release(&t.rep);
    return rc;
}

/* s (nc code points) into b, all in small letters (lower), or as it is
 * with the first letter small (!lower); from code point `from` on. */
static int add_cps(tmk_buf *b, const int32_t *cp, size_t from, size_t nc, int lower)
{
    for (size_t i = from; i < nc; i++) {
        char enc[4];
        int k = tmk_utf8_encode(lower || i == 0 ? tmk_utf8_tolower(cp[i]) : cp[i], enc);
        if (k <= 0 || tmk_buf_add(b, enc, (size_t)k) < 0)
            return TMK_ENOMEM;
    }
    return TMK_OK;
}

/* A capital for the first letter, in place of it or before it ("Kalenz"
 * -> "Valenz", "char" -> "Schar", "BATCH" -> "PATCH").  Hunspell's TRY
 * line has the capitals; the fast handles' lacks them (add_try_line in
 * spell_dict.c: trying them at every place costs half as much again),
 * so this stage tries them at the first place only, where a capital makes
 * a word, and only when the fast stages found nothing.  Order: a word in
 * small letters or capitals has both edits tried at once (Hunspell: a
 * missing letter before a wrong one, then by TRY); a capitalised word
 * has its first letter replaced first, then a capital put before it in
 * small letters (Hunspell tries the word, then its small-letter form). */
static int capital_sugg(tmk_speller *sp, struct worker *w, const char *word, size_t n,
                        struct slist *out)
{
    int32_t cp[RANK_CHARS];
    size_t nc = to_cps(word, n, cp, RANK_CHARS), up = 0;
    if (nc < 2 || nc > RANK_CHARS)
        return TMK_OK;
    for (size_t i = 0; i < nc; i++) {
        if (!tmk_utf8_is_letter(cp[i]))
            return TMK_OK;
        up += tmk_utf8_is_upper(cp[i]) != 0;
    }
    int allcap = up == nc, initcap = up == 1 && tmk_utf8_is_upper(cp[0]);
    if (up && !allcap && !initcap)
        return TMK_OK; /* mixed case ("iPhone"): left to the other stages */
    struct edit_tables t;
    t.rep = (tmk_buf)TMK_BUF_INIT;
    int rc = read_tables(sp, w, &t);
    /* the capitals of the TRY letters the fast handles lack */
    int32_t caps[RANK_TABLE];
    size_t ncaps = 0;
    for (size_t i = 0; i < t.ntry && rc == TMK_OK; i++) {
        int32_t c = tmk_utf8_toupper(t.try_[i]);
        int have = c == t.try_[i] || !tmk_utf8_is_lower(t.try_[i]);
        for (size_t j = 0; j < t.ntry && !have; j++)
            have = t.try_[j] == c;
        if (!have)
            caps[ncaps++] = c;
    }
    /* base: the word as Hunspell's edits see it (small letters for one in
     * capitals); group 0 replaces its first letter, group 1 goes before it */
    tmk_buf base = TMK_BUF_INIT, low = TMK_BUF_INIT, cand = TMK_BUF_INIT;
    if (rc == TMK_OK && ncaps) {
        rc = allcap ? add_cps(&base, cp, 0, nc, 1) : tmk_buf_add(&base, word, n);
        if (rc == TMK_OK)
            rc = add_cps(&low, cp, 0, nc, allcap);
    }
    struct slist got = {NULL, 0, sp->max_sugg * 2};
    size_t group0 = 0;
    for (int g = 0; g < 2 && rc == TMK_OK && ncaps; g++) {
        for (size_t k = 0; k < ncaps && rc == TMK_OK; k++) {
            char enc[4];
            int el = tmk_utf8_encode(caps[k], enc);
            if (el <= 0 || (g == 0 && caps[k] == cp[0]))
                continue;
            tmk_buf_reset(&cand);
            rc = tmk_buf_add(&cand, enc, (size_t)el);
            if (rc == TMK_OK)
                rc = g ? tmk_buf_add(&cand, low.data, low.len) : add_cps(&cand, cp, 1, nc, allcap);
            if (rc == TMK_OK && tmk__verdict(sp, w, cand.data, cand.len) &&
                slist_add(&got, cand.data, cand.len) < 0)
                rc = TMK_ENOMEM;
        }
        if (g == 0)
            group0 = got.n;
    }
    if (rc == TMK_OK && got.n < 2)
        ; /* nothing to order */
    else if (rc == TMK_OK && initcap) {
        rc = rank_edits(&t, base.data, base.len, got.v, group0);
        if (rc == TMK_OK)
            rc = rank_edits(&t, low.data, low.len, got.v + group0, got.n - group0);
    } else if (rc == TMK_OK)
        rc = rank_edits(&t, base.data, base.len, got.v, got.n);
    for (size_t i = 0; i < got.n && rc == TMK_OK; i++) {
        tmk_buf_reset(&cand);
        if (allcap) {
            int32_t g[RANK_CHARS];
            size_t gn = to_cps(got.v[i], strlen(got.v[i]), g, RANK_CHARS);
            for (size_t j = 0; j < gn && gn <= RANK_CHARS && rc == TMK_OK; j++) {
                char enc[4];
                int el = tmk_utf8_encode(tmk_utf8_toupper(g[j]), enc);
                rc = el > 0 ? tmk_buf_add(&cand, enc, (size_t)el) : TMK_OK;
            }
        } else
            rc = tmk_buf_adds(&cand, got.v[i]);
        if (rc == TMK_OK && slist_add(out, cand.data, cand.len) < 0)
            rc = TMK_ENOMEM;
    }
    slist_release(&got);
    tmk_buf_release(&base);
    tmk_buf_release(&low);
    tmk_buf_release(&cand);
    tmk_buf_release(&t.rep);
    return rc;
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
    /* the candidates, put in Hunspell's order for the whole word at the end */
    struct slist got = {NULL, 0, sp->max_sugg * 2};
    for (int side = 0; side < 2 && rc == TMK_OK && got.n == 0; side++) {
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
                    slist_add(&got, cand.data, cand.len) < 0)
                    rc = TMK_ENOMEM;
            }
            slist_release(&ps);
            break; /* the longest correct part only */
        }
    }
    if (rc == TMK_OK)
        rc = rank_by_tables(sp, w, word, n, got.v, got.n);
    for (size_t i = 0; i < got.n && rc == TMK_OK; i++)
        if (slist_add(out, got.v[i], strlen(got.v[i])) < 0)
            rc = TMK_ENOMEM;
    slist_release(&got);
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
            tmk__spell_remove_temp(affp);
            continue;
        }
        struct hand hd = {NULL, w->hs[d].to, w->hs[d].from};
        int k = tmk__hand_create(affp, dicp, &hd.h);
        tmk__spell_remove_temp(affp);
        tmk__spell_remove_temp(dicp);
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

/* Two lists, each in its order, into out: merged by Hunspell's order of
 * the edits of word, the first list first where they tie. */
static int merge_ranked(tmk_speller *sp, struct worker *w, const char *word, size_t n,
                        const struct slist *a, const struct slist *b, struct slist *out)
{
    int rc = TMK_OK;
    struct edit_tables t;
    t.rep = (tmk_buf)TMK_BUF_INIT;
    if (a->n && b->n)
        rc = read_tables(sp, w, &t);
    size_t i = 0, j = 0;
    struct rank ra, rb;
    while ((i < a->n || j < b->n) && rc == TMK_OK) {
        int from_a = j == b->n;
        if (i < a->n && j < b->n) {
            edit_rank(&t, word, n, a->v[i], strlen(a->v[i]), &ra);
            edit_rank(&t, word, n, b->v[j], strlen(b->v[j]), &rb);
            from_a = rank_before(&ra, &rb);
        }
        const char *x = from_a ? a->v[i++] : b->v[j++];
        if (slist_add(out, x, strlen(x)) < 0)
            rc = TMK_ENOMEM;
    }
    tmk_buf_release(&t.rep);
    return rc;
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
    if (out->n == 0) {
        /* both stages stand in for edits Hunspell's search finds: their
         * candidates in the order it finds them */
        struct slist caps = {NULL, 0, out->max}, cmp = {NULL, 0, out->max};
        rc = capital_sugg(sp, w, word, n, &caps);
        if (rc == TMK_OK)
            rc = compound_sugg(sp, w, word, n, &cmp);
        if (rc == TMK_OK)
            rc = merge_ranked(sp, w, word, n, &caps, &cmp, out);
        slist_release(&caps);
        slist_release(&cmp);
    }
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
