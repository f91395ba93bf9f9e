/* tmx_rules.c -- the validation rules of the TMX reader: the TMX 1.4b DTD
 * (attributes, content models, required children) and those of
 * Maxprograms' TMXValidator (dates, language codes, the source tuv, x and
 * i on inline codes).  Each problem has an id (enum tmk_tmx_problem), given
 * with its message to the problem callback.  These functions read the
 * reader's state and report; they call nothing in tmx_read.c, which calls
 * them (tmx_int.h). */
#include <config.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "internal.h"
#include "tmx_int.h"

const char *const tmk__tmx_el_names[] = {"", "tmx", "header", "body", "tu", "tuv", "seg",
                                       "note", "prop", "ude", "map", "bpt", "ept", "it",
                                       "ph", "hi", "sub", "ut", "(unknown element)",
                                       NULL};

void tmk__tmx_problem_at(tmk_tmx_reader *r, enum tmk_tmx_problem id, unsigned long line,
                         unsigned long col, const char *fmt, ...)
{
    if (!r->on_problem)
        return;
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    tmk_tmx_finding f = {id, line, col, msg};
    int rc = r->on_problem(r->ud, &f);
    if (rc)
        stop_by_callback(r, rc);
}

const char *tmk_tmx_problem_name(enum tmk_tmx_problem id)
{
    static const char *const names[] = {
        "?", "unknown-attribute", "bad-segtype", "bad-pos", "bad-number", "bad-date",
        "bad-language", "bad-version", "missing-attribute", "unknown-element",
        "misplaced-element", "missing-element", "text-not-allowed", "no-source-tuv",
        "duplicate-bpt", "unmatched-ept", "unmatched-bpt", "duplicate-x", "x-mismatch",
        "unlikely-language"};
    return (unsigned)id < sizeof names / sizeof *names ? names[id] : "?";
}
int tmk_tmx_date_parse(const char *s, long long *t)
{
    if (!s || strlen(s) != 16 || s[8] != 'T' || s[15] != 'Z')
        return 0;
    for (int i = 0; i < 15; i++)
        if (i != 8 && !isdigit((unsigned char)s[i]))
            return 0;
    int v[6];
    const int pos[6] = {0, 4, 6, 9, 11, 13}, len[6] = {4, 2, 2, 2, 2, 2};
    for (int k = 0; k < 6; k++) {
        v[k] = 0;
        for (int i = 0; i < len[k]; i++)
            v[k] = v[k] * 10 + (s[pos[k] + i] - '0');
    }
    int y = v[0], mo = v[1], d = v[2];
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (mo < 1 || mo > 12 || d < 1)
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int md = mdays[mo - 1] + (mo == 2 && leap);
    if (d > md || v[3] > 23 || v[4] > 59 || v[5] > 59)
        return 0;
    if (t) {
        /* days from civil (proleptic Gregorian) */
        long long yy = y - (mo <= 2);
        long long era = (yy >= 0 ? yy : yy - 399) / 400;
        long long yoe = yy - era * 400;
        long long doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        long long days = era * 146097 + doe - 719468;
        *t = days * 86400 + v[3] * 3600 + v[4] * 60 + v[5];
    }
    return 1;
}

/* ---- attribute checks (DTD + TMXValidator) --------------------------------- */

static const char *const known_attrs[E_UNKNOWN + 1][16] = {
    [E_TMX] = {"version", NULL},
    [E_HEADER] = {"creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang",
                  "srclang", "datatype", "o-encoding", "creationdate", "creationid",
                  "changedate", "changeid", NULL},
    [E_BODY] = {NULL},
    [E_TU] = {"tuid", "o-encoding", "datatype", "usagecount", "lastusagedate", "creationtool",
              "creationtoolversion", "creationdate", "creationid", "changedate", "segtype",
              "changeid", "o-tmf", "srclang", NULL},
    [E_TUV] = {"xml:lang", "o-encoding", "datatype", "usagecount", "lastusagedate",
               "creationtool", "creationtoolversion", "creationdate", "creationid",
               "changedate", "o-tmf", "changeid", "lang", NULL},
    [E_SEG] = {NULL},
    [E_NOTE] = {"o-encoding", "xml:lang", "lang", NULL},
    [E_PROP] = {"type", "xml:lang", "o-encoding", "lang", NULL},
    [E_UDE] = {"name", "base", NULL},
    [E_MAP] = {"unicode", "code", "ent", "subst", NULL},
    [E_BPT] = {"i", "x", "type", NULL},
    [E_EPT] = {"i", NULL},
    [E_IT] = {"pos", "x", "type", NULL},
    [E_PH] = {"x", "assoc", "type", NULL},
    [E_HI] = {"x", "type", NULL},
    [E_SUB] = {"datatype", "type", NULL},
    [E_UT] = {"x", NULL},
};
static const char *const required_attrs[E_UNKNOWN + 1][8] = {
    [E_HEADER] = {"creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang",
                  "srclang", "datatype", NULL},
    [E_PROP] = {"type", NULL},
    [E_UDE] = {"name", NULL},
    [E_MAP] = {"unicode", NULL},
    [E_BPT] = {"i", NULL},
    [E_EPT] = {"i", NULL},
    [E_IT] = {"pos", NULL},
};

static int old_version(const tmk_tmx_reader *r)
{
    return !strcmp(r->version, "1.1") || !strcmp(r->version, "1.2") || !strcmp(r->version, "1.3");
}

void tmk__tmx_check_attrs(tmk_tmx_reader *r, enum el e, const XML_Char **atts)
{
    const char *name = el_names[e];
    for (const XML_Char **a = atts; *a; a += 2) {
        int known = 0;
        for (const char *const *k = known_attrs[e]; *k; k++)
            if (!strcmp(*k, a[0]))
                known = 1;
        if (!known) {
            problem(r, TMK_TMXP_UNKNOWN_ATTRIBUTE, "<%s> has attribute %s, which TMX 1.4b does not define there", name, a[0]);
            continue;
        }
        const char *v = a[1];
        if (!strcmp(a[0], "segtype") && strcmp(v, "block") && strcmp(v, "paragraph") &&
            strcmp(v, "sentence") && strcmp(v, "phrase"))
            problem(r, TMK_TMXP_BAD_SEGTYPE, "segtype=\"%s\" is not one of block, paragraph, sentence, phrase", v);
        else if (!strcmp(a[0], "pos") && strcmp(v, "begin") && strcmp(v, "end"))
            problem(r, TMK_TMXP_BAD_POS, "<it pos=\"%s\">: pos must be begin or end", v);
        else if (!strcmp(a[0], "usagecount") && !is_number(v))
            problem(r, TMK_TMXP_BAD_NUMBER, "usagecount=\"%s\" is not a number", v);
        else if ((!strcmp(a[0], "creationdate") || !strcmp(a[0], "changedate") ||
                  !strcmp(a[0], "lastusagedate")) && !tmk_tmx_date_parse(v, NULL))
            problem(r, TMK_TMXP_BAD_DATE, "%s=\"%s\" is not a date YYYYMMDDThhmmssZ that exists", a[0], v);
        else if ((!strcmp(a[0], "xml:lang") || !strcmp(a[0], "lang") ||
                  !strcmp(a[0], "adminlang") || !strcmp(a[0], "srclang")) &&
                 !(!strcmp(a[0], "srclang") && !strcmp(v, "*all*")) && !tmk_lang_valid(v))
            problem(r, TMK_TMXP_BAD_LANGUAGE, "%s=\"%s\" is not a valid language code (BCP 47, e.g. de-DE)", a[0], v);
        else if ((!strcmp(a[0], "xml:lang") || !strcmp(a[0], "lang") ||
                  !strcmp(a[0], "adminlang") || !strcmp(a[0], "srclang")) &&
                 strcmp(v, "*all*") && !tmk__lang_plausible(v))
            problem(r, TMK_TMXP_UNLIKELY_LANGUAGE,
                    "%s=\"%s\" is well-formed but no language code (the language is 2 or 3 "
                    "letters, e.g. de, en-GB): a column title? write the code of the language",
                    a[0], v);
        else if (!strcmp(a[0], "i") && !is_number(v))
            problem(r, TMK_TMXP_BAD_NUMBER, "<%s i=\"%s\">: i must be a number", name, v);
        else if (!strcmp(a[0], "x") && !is_number(v))
            problem(r, TMK_TMXP_BAD_NUMBER, "<%s x=\"%s\">: x must be a number", name, v);
        else if (!strcmp(a[0], "version") && strcmp(v, "1.4") && !old_version(r))
            problem(r, TMK_TMXP_BAD_VERSION, "TMX version \"%s\" is not 1.4 (nor 1.1 to 1.3)", v);
    }
    for (const char *const *q = required_attrs[e]; q && *q; q++)
        if (!attr(atts, *q))
            problem(r, TMK_TMXP_MISSING_ATTRIBUTE, "<%s> lacks the required attribute %s", name, *q);
    if (e == E_TMX && !attr(atts, "version"))
        problem(r, TMK_TMXP_MISSING_ATTRIBUTE, "<tmx> lacks the version attribute (1.4)");
    if (e == E_TUV && !attr(atts, "xml:lang") && !(old_version(r) && attr(atts, "lang")))
        problem(r, TMK_TMXP_MISSING_ATTRIBUTE, "<tuv> lacks the required attribute xml:lang");
}

/* Whether element e may appear in parent (DTD content models), updating the
 * parent's state for the sequence rules. */
void tmk__tmx_check_child(tmk_tmx_reader *r, frame *parent, enum el e)
{
    enum el pe = parent ? (enum el)parent->el : E_NONE;
    const char *pn = el_names[pe], *n = el_names[e];
    int ok = 0;
    switch (pe) {
    case E_NONE: ok = e == E_TMX; break;
    case E_TMX:
        if (e == E_HEADER && parent->state == 0) { parent->state = 1; ok = 1; }
        else if (e == E_BODY && parent->state == 1) { parent->state = 2; ok = 1; }
        break;
    case E_HEADER: ok = e == E_NOTE || e == E_PROP || e == E_UDE; break;
    case E_BODY: ok = e == E_TU; break;
    case E_TU:
        if (e == E_TUV) { parent->state = 1; ok = 1; }
        else ok = (e == E_NOTE || e == E_PROP) && parent->state == 0;
        break;
    case E_TUV:
        if (e == E_SEG) { ok = parent->state == 0; parent->state = 1; }
        else ok = (e == E_NOTE || e == E_PROP) && parent->state == 0;
        break;
    case E_UDE: ok = e == E_MAP; parent->state |= 1; break;
    case E_SEG: case E_HI: case E_SUB: ok = is_inline(e) && e != E_SUB; break;
    case E_BPT: case E_EPT: case E_IT: case E_PH: case E_UT: ok = e == E_SUB; break;
    default: ok = 0; break;
    }
    if (ok)
        return;
    if (e == E_UNKNOWN)
        problem(r, TMK_TMXP_UNKNOWN_ELEMENT, "unknown element <%s> inside <%s>", r->tmp.data, pn[0] ? pn : "(document)");
    else if (pe == E_NONE)
        problem(r, TMK_TMXP_MISPLACED_ELEMENT, "<%s> cannot be the root element: a TMX file starts with <tmx>", n);
    else if (pe == E_TU && e != E_TUV)
        problem(r, TMK_TMXP_MISPLACED_ELEMENT, "<%s> inside <tu> must come before the first <tuv>", n);
    else if (pe == E_TUV && e == E_SEG)
        problem(r, TMK_TMXP_MISPLACED_ELEMENT, "<tuv> has more than one <seg>");
    else if (pe == E_TUV)
        problem(r, TMK_TMXP_MISPLACED_ELEMENT, "<%s> inside <tuv> must come before <seg>", n);
    else if (pe == E_TMX)
        problem(r, TMK_TMXP_MISPLACED_ELEMENT, "<tmx> must hold one <header>, then one <body>; <%s> is out of place", n);
    else
        problem(r, TMK_TMXP_MISPLACED_ELEMENT, "<%s> is not allowed inside <%s>", n, pn);
}

void tmk__tmx_check_end(tmk_tmx_reader *r, const frame *f)
{
    switch ((enum el)f->el) {
    case E_TMX:
        if (f->state < 2)
            problem(r, TMK_TMXP_MISSING_ELEMENT, "<tmx> must hold a <header> and a <body>");
        break;
    case E_TU:
        if (!f->state)
            problem_at(r, TMK_TMXP_MISSING_ELEMENT, r->tu_line, r->tu_col, "<tu> has no <tuv>");
        break;
    case E_TUV:
        if (!f->state)
            problem(r, TMK_TMXP_MISSING_ELEMENT, "<tuv> has no <seg>");
        break;
    case E_UDE:
        if (!(f->state & 1))
            problem(r, TMK_TMXP_MISSING_ELEMENT, "<ude> needs at least one <map>");
        break;
    default: break;
    }
}

void tmk__tmx_check_tu(tmk_tmx_reader *r)
{
    if (!r->on_problem)
        return;
    const char *src = r->tu_srclang != NOSTR ? ar_str(r, r->tu_srclang) : r->srclang;
    if (src && strcmp(src, "*all*") && r->tuvs.n) {
        int found = 0;
        for (size_t i = 0; i < r->tuvs.n && !found; i++) {
            const char *l = ar_str(r, r->tuvs.v[i].lang);
            found = l && !strcasecmp(l, src);
        }
        if (!found)
            problem_at(r, TMK_TMXP_NO_SOURCE_TUV, r->tu_line, r->tu_col,
                       "<tu> has no <tuv> in the source language %s (srclang)", src);
    }
    /* x: either no tuv uses it or all do, with the same (element, x) set */
    size_t first = NOSTR;
    int some = 0, none = 0;
    for (size_t i = 0; i < r->tuvs.n; i++) {
        const rtuv *t = &r->tuvs.v[i];
        if (!t->uses_x) {
            none = 1;
            continue;
        }
        some = 1;
        if (first == NOSTR)
            first = i;
        else if (strcmp(ar_str(r, t->xsig), ar_str(r, r->tuvs.v[first].xsig)))
            problem_at(r, TMK_TMXP_X_MISMATCH, t->line, t->col,
                       "inline codes of this <tuv> do not match those of the first by x "
                       "(the same elements with the same x in every tuv of a unit)");
    }
    if (some && none)
        problem_at(r, TMK_TMXP_X_MISMATCH, r->tu_line, r->tu_col,
                   "some <tuv> of this unit use x on inline codes and others do not");
}

static size_t bpt_hash(long i, size_t cap)
{
    return (size_t)(((uint64_t)i * 0x9E3779B97F4A7C15ull) >> 32) & (cap - 1);
}

/* The slot of i among the seg's <bpt>; with add, made if new (*created
 * says so).  NULL when not there (without add) or out of memory. */
static bpt_slot *bpt_slot_of(tmk_tmx_reader *r, long i, int add, int *created)
{
    if (add && (r->bused + 1) * 2 > r->bcap) {
        size_t nc = r->bcap ? r->bcap * 2 : 16;
        bpt_slot *t = calloc(nc, sizeof *t);
        if (!t)
            return NULL;
        for (size_t k = 0; k < r->bcap; k++) {
            if (r->bslots[k].gen != r->bgen)
                continue;
            size_t h = bpt_hash(r->bslots[k].i, nc);
            while (t[h].gen == r->bgen)
                h = (h + 1) & (nc - 1);
            t[h] = r->bslots[k];
        }
        free(r->bslots);
        r->bslots = t;
        r->bcap = nc;
    }
    if (!r->bcap)
        return NULL;
    size_t h = bpt_hash(i, r->bcap);
    for (; r->bslots[h].gen == r->bgen; h = (h + 1) & (r->bcap - 1))
        if (r->bslots[h].i == i)
            return &r->bslots[h];
    if (!add)
        return NULL;
    r->bslots[h] = (bpt_slot){i, (size_t)-1, (size_t)-1, r->bgen};
    r->bused++;
    *created = 1;
    return &r->bslots[h];
}

/* Inside a <seg>: <bpt> and <ept> pair by i, x is unique per element kind
 * in a tuv (collected here, compared at </tuv>).  TMK_OK or TMK_ENOMEM. */
int tmk__tmx_check_inline(tmk_tmx_reader *r, enum el e, const XML_Char **atts)
{
    int rc = TMK_OK;
    const char *i = attr(atts, "i"), *x = attr(atts, "x");
    if (e == E_BPT && is_number(i)) {
        long iv = strtol(i, NULL, 10);
        int created = 0;
        bpt_slot *sl = bpt_slot_of(r, iv, 1, &created);
        if (!sl) {
            rc = TMK_ENOMEM;
        } else {
            if (!created)
                problem(r, TMK_TMXP_DUPLICATE_BPT, "<bpt i=\"%s\">: another <bpt> in this <seg> has the same i", i);
            bpt_at at = {iv, cur_line(r), cur_col(r), (size_t)-1, 0};
            size_t idx = r->bpts.n;
            VEC_PUSH(r->bpts, at, rc);
            if (rc == TMK_OK) {
                if (sl->tail != (size_t)-1)
                    r->bpts.v[sl->tail].next = idx;
                else
                    sl->head = idx;
                sl->tail = idx;
            }
        }
    } else if (e == E_EPT && is_number(i)) {
        long iv = strtol(i, NULL, 10);
        bpt_slot *sl = bpt_slot_of(r, iv, 0, NULL);
        if (sl && sl->head != (size_t)-1) {
            /* it closes the oldest open <bpt> with its i */
            bpt_at *b = &r->bpts.v[sl->head];
            b->closed = 1;
            sl->head = b->next;
            if (sl->head == (size_t)-1)
                sl->tail = (size_t)-1;
        } else {
            problem(r, TMK_TMXP_UNMATCHED_EPT, "<ept i=\"%s\"> has no <bpt i=\"%s\"> before it in this <seg>", i, i);
        }
    }
    if (x && is_number(x) && e != E_SUB) {
        xuse u = {(unsigned char)e, strtol(x, NULL, 10)};
        VEC_PUSH(r->xs, u, rc);
    }
    return rc;
}
