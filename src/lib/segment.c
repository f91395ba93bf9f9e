/* segment.c -- sentence segmentation driven by SRX 2.0 rules.
 *
 * Text arrives in chunks; whole lines are grouped into paragraphs (line
 * mode: a line is a paragraph unless it visibly continues on the next one;
 * blank mode: blank lines separate paragraphs).  Each paragraph is then cut:
 *
 *  1. candidates: every break rule scans the paragraph with the compiled
 *     pattern (?:before)(?=after) (PCRE2 JIT), which yields the positions
 *     where some break rule can fire -- usually after terminal punctuation;
 *  2. at each candidate the rules are tried in SRX order, and the first rule
 *     whose before-pattern ends there and whose after-pattern starts there
 *     decides (break or no break), as SRX 2.0 says.  The before-pattern is
 *     matched ENDANCHORED on the text up to the candidate, looking back at
 *     most TMK_SEG_LOOKBACK bytes, so the cost per candidate is bounded.
 *
 * Memory: the unfinished paragraph and its candidate list.
 */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include "seg_int.h"

#define TMK_SEG_LOOKBACK 256
/* Most stack one regex match may use (PCRE2 JIT): enough for a 60 KB run of
 * letters under "(?:\p{L}|-)+[.!?]", still a bounded amount of memory. */
#define TMK_SEG_JIT_STACK (16 * 1024 * 1024)

/* The work budget of one text (from the first feed to finish), in PCRE2
 * match-limit units: TMK_SEG_BUDGET plus TMK_SEG_PER_BYTE per byte fed, so
 * that the time stays linear in the size of the text.  PCRE2's match limit
 * bounds one start position of one call only: a rule that backtracks a
 * little under it at every position of a long text ("(a|aa)+" before "\."
 * on lines of a's, joined into one paragraph by --paragraphs=wrapped or
 * auto) would run for minutes.  So every start position is tried first with
 * a small limit (TMK_SEG_LIGHT: what sane rules need, never charged); one
 * that needs more is tried again alone with limits ten times higher each
 * time, and each limit is charged to the text (rx_match).  The work done is
 * at most what was charged plus TMK_SEG_LIGHT per start position tried:
 * each candidate scan tries each position of the paragraph at most twice,
 * each before-pattern at most the TMK_SEG_LOOKBACK positions before its
 * break point, each anchored pattern one.  When the budget is used up the
 * text stops with TMK_ELIMIT naming the rule. */
#define TMK_SEG_LIGHT 10000u
#define TMK_SEG_BUDGET 100000000ull
#define TMK_SEG_PER_BYTE 100ull
/* most one match may use (PCRE2's default): more is an error of its own */
#define TMK_SEG_MATCH_MAX 10000000u
/* a match stopped by the budget (no PCRE2 error code is this low) */
#define SEG_OVER_BUDGET (-100000)

struct tmk_segmenter {
    tmk_srx *srx;
    const tmk_srx_rule **rules; /* the rules that apply to the language, in order */
    size_t nrules;
    tmk_srx_rule *merged;  /* rules made by merging runs of simple no-break rules */
    size_t nmerged;
    const tmk_srx_langrule **used; /* language rules in use (for --dump-srx) */
    size_t nused;
    char *lang;
    char *srx_name;       /* the rule file, for messages */
    enum tmk_segment_paragraph_mode mode;
    int decided;          /* WRAPPED/AUTO: the text's wrap width is known */
    unsigned wrap_w;      /* that width; 0 = not wrapped (line mode) */
    unsigned wrap_wb;     /* the same in bytes (fmt and fold count bytes) */
    int list;             /* AUTO, not wrapped: a list (lines_like_list) */
    int flowed;           /* soft breaks are marked by a space at the line end */
    size_t det_lines;     /* lines buffered while deciding */

    tmk_buf in;           /* fed bytes not yet consumed: starts at a line start */
    size_t in_off;        /* stream offset of in.data[0] */
    unsigned long in_line;/* line number of in.data[0] */
    size_t in_scan;       /* bytes of in already known to hold no LF */

    tmk_buf para;         /* current paragraph as fed (may contain LF) */
    int para_has;
    size_t para_off;
    unsigned long para_line, para_no;

    tmk_buf work;         /* paragraph with LF as space: what rules see */
    tmk_buf norm;         /* text of a segment that spans joined lines */
    size_t *cand, ncand, capcand;
    unsigned char *live;  /* per rule: can it fire in this paragraph? */
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    pcre2_jit_stack *jit;
    unsigned long long budget; /* of this text, TMK_SEG_BUDGET at its start */
    unsigned long long bound;  /* most PCRE2 steps all calls so far may have taken (tests) */
    size_t stop_at;            /* start position of rx_match's last escalated match */
};

/* ---- construction ---------------------------------------------------- */

static int add_ptr(void ***arr, size_t *n, const void *p)
{
    void **a = realloc(*arr, (*n + 1) * sizeof *a);
    if (!a)
        return TMK_ENOMEM;
    a[(*n)++] = (void *)p;
    *arr = a;
    return TMK_OK;
}

static int select_rules(tmk_segmenter *s, tmk_error *err)
{
    tmk_srx *x = s->srx;
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    if (!md)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    for (size_t i = 0; i < x->nmaps; i++) {
        int rc = pcre2_match(x->maps[i].re, (PCRE2_SPTR)s->lang, strlen(s->lang), 0, 0, md, NULL);
        if (rc < 0 && rc != PCRE2_ERROR_NOMATCH) {
            PCRE2_UCHAR msg[160];
            pcre2_get_error_message(rc, msg, sizeof msg);
            pcre2_match_data_free(md);
            return tmk_error_set(err, TMK_ELIMIT, x->maps[i].line, x->maps[i].col,
                                 "the language pattern \"%.200s\" cannot be matched against "
                                 "\"%.100s\" (%s); simplify the pattern",
                                 x->maps[i].pattern, s->lang, (const char *)msg);
        }
        if (rc < 0)
            continue;
        for (size_t j = 0; j < x->nlang; j++) {
            const tmk_srx_langrule *g = &x->langs[j];
            if (strcmp(g->name, x->maps[i].rulename))
                continue;
            if (add_ptr((void ***)&s->used, &s->nused, g) < 0) {
                pcre2_match_data_free(md);
                return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
            }
            for (size_t k = 0; k < g->nrules; k++) {
                if (tmk__srx_rule_compile(&g->rules[k], err) < 0) {
                    pcre2_match_data_free(md);
                    return err ? err->code : TMK_ESYNTAX;
                }
            }
            for (size_t k = 0; k < g->nrules; k++)
                if (add_ptr((void ***)&s->rules, &s->nrules, &g->rules[k]) < 0) {
                    pcre2_match_data_free(md);
                    return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
                }
            break;
        }
        if (!x->cascade)
            break;
    }
    pcre2_match_data_free(md);
    if (s->nused == 0)
        return tmk_error_set(err, TMK_EINVAL, 0, 0,
                             "no <languagemap> in the rules matches the language \"%s\"; "
                             "give another language with -l or add a map for it",
                             s->lang);
    return TMK_OK;
}

/* A no-break rule that can join others: empty after-pattern, bounded
 * before-pattern that is not anchored at the paragraph start and has no
 * back-reference (its group numbers would change). */
static int mergeable(const tmk_srx_rule *r)
{
    if (r->brk || r->after || !r->before || r->before_pre || r->before_max < 0 ||
        r->before_max > 64)
        return 0;
    for (const char *p = r->before_src; *p; p++)
        if (*p == '\\' && p[1]) {
            if ((p[1] >= '1' && p[1] <= '9') || p[1] == 'k' || p[1] == 'g')
                return 0;
            p++;
        }
    return 1;
}

/* Consecutive no-break rules decide the same way whichever of them matches,
 * so a run of mergeable ones is tried as one alternation: one regex call
 * instead of dozens at each candidate (LanguageTool's German rules have ~40
 * abbreviation rules in a row).  Same results, fewer calls. */
static int merge_rules(tmk_segmenter *s, tmk_error *err)
{
    s->merged = calloc(s->nrules ? s->nrules : 1, sizeof *s->merged);
    if (!s->merged)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    size_t out = 0;
    for (size_t i = 0; i < s->nrules;) {
        size_t j = i;
        while (j < s->nrules && mergeable(s->rules[j]))
            j++;
        if (j - i < 2) {
            s->rules[out++] = s->rules[i];
            i = j > i ? j : i + 1;
            continue;
        }
        tmk_buf pat = TMK_BUF_INIT;
        tmk_srx_rule *m = &s->merged[s->nmerged];
        memset(m, 0, sizeof *m);
        int rc = 0;
        for (size_t k = i; k < j && rc >= 0; k++)
            rc = tmk_buf_printf(&pat, "%s(?:%s)", k > i ? "|" : "", s->rules[k]->before_src);
        if (rc < 0) {
            tmk_buf_release(&pat);
            return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        }
        m->before_src = tmk_buf_detach(&pat, NULL);
        m->after_src = tmk__strdup("");
        if (!m->before_src || !m->after_src)
            return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        m->line = s->rules[i]->line;
        m->col = s->rules[i]->col;
        m->compiled = 1;
        m->before = tmk__srx_compile(m->before_src, PCRE2_ENDANCHORED, NULL, 0, 0);
        if (!m->before) {
            /* cannot be merged after all: keep the rules as they are */
            free(m->before_src);
            free(m->after_src);
            for (size_t k = i; k < j; k++)
                s->rules[out++] = s->rules[k];
            i = j;
            continue;
        }
        m->before_max = tmk__srx_max_chars(m->before_src);
        tmk__srx_tail_sets(m->before_src, &m->last, &m->last2);
        s->nmerged++;
        s->rules[out++] = m;
        i = j;
    }
    s->nrules = out;
    return TMK_OK;
}

/* The built-in rule file for a language code: srx/<primary subtag>.srx,
 * else srx/default.srx. */
static char *builtin_path(const char *data_dir, const char *lang)
{
    char prim[16];
    size_t n = 0;
    while (lang[n] && lang[n] != '-' && lang[n] != '_' && n + 1 < sizeof prim) {
        char c = lang[n];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c < 'a' || c > 'z')
            break;
        prim[n++] = c;
    }
    prim[n] = '\0';
    char rel[64];
    if (n >= 2) {
        snprintf(rel, sizeof rel, "srx/%s.srx", prim);
        char *p = tmk__data_path(data_dir, rel);
        if (p)
            return p;
    }
    return tmk__data_path(data_dir, "srx/default.srx");
}

int tmk_segmenter_builtin_path(char **out, const char *lang, const char *data_dir,
                               tmk_error *err)
{
    *out = builtin_path(data_dir, lang ? lang : "");
    if (*out)
        return TMK_OK;
    char *any = tmk__data_path(data_dir, "srx");
    int rc = any ? TMK_ENOMEM : TMK_ENOTFOUND;
    free(any);
    if (rc == TMK_ENOMEM)
        return tmk_error_set(err, rc, 0, 0, "out of memory");
    return tmk_error_set_detail(err, rc, rc == TMK_ENOTFOUND ? TMK_D_NO_DATA : TMK_D_NONE, 0, 0,
                                "cannot find the built-in segmentation rules (srx/default.srx) "
                                "in the data folder; reinstall tmkit");
}

static tmk_segmenter *segmenter_new(const char *lang, const char *srx_path, const char *data,
                                    size_t len, const char *data_dir, tmk_error *err);

/* segmenter_new with the code of its failure (err may be NULL). */
static int segmenter_make(tmk_segmenter **out, const char *lang, const char *srx_path,
                          const char *data, size_t len, const tmk_segment_options *opt,
                          tmk_error *err)
{
    tmk_segment_options o = TMK_SEGMENT_OPTIONS_INIT;
    tmk__options_copy(&o, sizeof o, opt);
    tmk_error local = TMK_ERROR_INIT, saved = TMK_ERROR_INIT;
    tmk_error *e = err ? err : &local;
    tmk__err_keep(err, &saved);
    *out = segmenter_new(lang, srx_path, data, len, o.data_dir, e);
    if (*out)
        return tmk__err_back(err, &saved, TMK_OK);
    return e->code < 0 ? e->code : tmk_error_set(e, TMK_ENOMEM, 0, 0, "out of memory");
}

int tmk_segmenter_new(tmk_segmenter **out, const char *lang, const char *srx_path,
                      tmk_error *err)
{
    return segmenter_make(out, lang, srx_path, NULL, 0, NULL, err);
}

int tmk_segmenter_new_opt(tmk_segmenter **out, const char *lang, const char *srx_path,
                          const tmk_segment_options *opt, tmk_error *err)
{
    return segmenter_make(out, lang, srx_path, NULL, 0, opt, err);
}

int tmk_segmenter_new_srx_mem(tmk_segmenter **out, const char *lang, const char *srx,
                              size_t len, tmk_error *err)
{
    return segmenter_make(out, lang, NULL, srx ? srx : "", srx ? len : 0, NULL, err);
}

static tmk_segmenter *segmenter_new(const char *lang, const char *srx_path, const char *data,
                                    size_t len, const char *data_dir, tmk_error *err)
{
    tmk_segmenter *s = calloc(1, sizeof *s);
    if (!s) {
        tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        return NULL;
    }
    tmk_buf_init(&s->in);
    tmk_buf_init(&s->para);
    tmk_buf_init(&s->work);
    tmk_buf_init(&s->norm);
    s->in_line = 1;
    s->lang = tmk__strdup(lang && *lang ? lang : "und");
    if (!s->lang) {
        tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        goto fail;
    }
    char *path = NULL;
    if (data) {
        s->srx = tmk__srx_load_mem(data, len, err);
        if (!s->srx)
            goto fail;
    } else if (!srx_path) {
        path = builtin_path(data_dir, s->lang);
        if (!path) {
            tmk_error_set_detail(err, TMK_ENOTFOUND, TMK_D_NO_DATA, 0, 0,
                                 "cannot find the built-in segmentation rules "
                                 "(srx/default.srx) in the data folder; reinstall tmkit");
            goto fail;
        }
    }
    const char *file = srx_path ? srx_path : path;
    s->srx_name = tmk__strdup(data ? "(rules given in memory)" : file);
    if (!s->srx_name) {
        free(path);
        tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        goto fail;
    }
    if (err && !data)
        tmk_error_set_file(err, srx_path); /* borrowed from the caller; built-in files are ours */
    if (!data)
        s->srx = tmk__srx_load_file(file, err);
    if (!s->srx && err && !srx_path && err->code != TMK_ENOMEM) {
        /* a broken built-in file: say which one */
        tmk_buf msg = TMK_BUF_INIT;
        if (tmk_buf_printf(&msg, "built-in rules %s: %s", file, err->msg) >= 0) {
            size_t k = msg.len < sizeof err->msg - 1 ? msg.len : sizeof err->msg - 1;
            memcpy(err->msg, msg.data, k);
            err->msg[k] = '\0';
        }
        tmk_buf_release(&msg);
    }
    free(path);
    if (!s->srx)
        goto fail;
    if (select_rules(s, err) < 0 || merge_rules(s, err) < 0)
        goto fail;
    if (err)
        tmk_error_set_file(err, NULL);
    s->live = malloc(s->nrules + 1);
    if (!s->live) {
        tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        goto fail;
    }
    s->md = pcre2_match_data_create(1, NULL);
    s->mctx = pcre2_match_context_create(NULL);
    /* the JIT stack grows as needed up to TMK_SEG_JIT_STACK; a match that
     * needs more is reported (TMK_ELIMIT), never taken as "no match" */
    s->jit = pcre2_jit_stack_create(32 * 1024, TMK_SEG_JIT_STACK, NULL);
    if (!s->md || !s->mctx) {
        tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        goto fail;
    }
    if (s->jit)
        pcre2_jit_stack_assign(s->mctx, NULL, s->jit);
    s->budget = TMK_SEG_BUDGET;
    return s;
fail:
    tmk_segmenter_free(s);
    return NULL;
}

void tmk_segmenter_free(tmk_segmenter *s)
{
    if (!s)
        return;
    tmk__srx_free(s->srx);
    free(s->rules);
    for (size_t i = 0; i < s->nmerged; i++) {
        free(s->merged[i].before_src);
        free(s->merged[i].after_src);
        pcre2_code_free(s->merged[i].before);
    }
    free(s->merged);
    free(s->used);
    free(s->lang);
    free(s->srx_name);
    free(s->cand);
    free(s->live);
    tmk_buf_release(&s->in);
    tmk_buf_release(&s->para);
    tmk_buf_release(&s->work);
    tmk_buf_release(&s->norm);
    pcre2_match_data_free(s->md);
    pcre2_match_context_free(s->mctx);
    pcre2_jit_stack_free(s->jit);
    free(s);
}

int tmk_segmenter_set_paragraph_mode(tmk_segmenter *s, enum tmk_segment_paragraph_mode m,
                                     tmk_error *err)
{
    if ((unsigned)m > TMK_PARA_LINES)
        return tmk_error_set(err, TMK_EINVAL, 0, 0, "%d is not a paragraph mode", (int)m);
    s->mode = m;
    s->wrap_w = 0;
    s->wrap_wb = 0;
    s->flowed = 0;
    s->list = 0;
    return TMK_OK;
}

unsigned tmk_segmenter_wrap_width(const tmk_segmenter *s)
{
    return s->wrap_w;
}

/* ---- cutting one paragraph ------------------------------------------ */

static int is_trim_space(int32_t cp)
{
    return tmk_utf8_is_space(cp) || cp == 0x200B || cp == 0xFEFF || cp == 0x00A0;
}

static int add_cand(tmk_segmenter *s, size_t c)
{
    if (s->ncand == s->capcand) {
        size_t cap = s->capcand ? 2 * s->capcand : 64;
        size_t *a = realloc(s->cand, cap * sizeof *a);
        if (!a)
            return TMK_ENOMEM;
        s->cand = a;
        s->capcand = cap;
    }
    s->cand[s->ncand++] = c;
    return TMK_OK;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

static size_t next_char(const char *w, size_t n, size_t i)
{
    i++;
    while (i < n && ((unsigned char)w[i] & 0xC0) == 0x80)
        i++;
    return i;
}

/* One call of PCRE2 at limit `limit`, from `start` (pcre2_jit_match without
 * the per-call checks when the pattern is JIT-compiled: the subject is known
 * to be valid UTF-8). */
static int rx_call(tmk_segmenter *s, const pcre2_code *re, int use_jit, const char *w, size_t n,
                   size_t start, uint32_t limit)
{
    pcre2_set_match_limit(s->mctx, limit);
    return use_jit ? pcre2_jit_match(re, (PCRE2_SPTR)w, n, start, 0, s->md, s->mctx)
                   : pcre2_match(re, (PCRE2_SPTR)w, n, start, PCRE2_NO_UTF_CHECK, s->md, s->mctx);
}

/* An unanchored call from `from` at TMK_SEG_LIGHT ended with rc: the start
 * positions it may have tried, up to the match or the end, go into the
 * work bound; 1 when it stopped at the limit (the caller counts the rest). */
static int rx_light_done(tmk_segmenter *s, int rc, size_t from, size_t n)
{
    size_t to = n;
    if (rc == PCRE2_ERROR_MATCHLIMIT)
        return 1;
    if (rc >= 0) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
        to = ov[0] > from ? ov[0] : from;
    }
    s->bound += (unsigned long long)(to - from + 1) * TMK_SEG_LIGHT;
    return 0;
}

/* The match at one start position (the caller has set the offset limit, or
 * the pattern is anchored) that needed more than TMK_SEG_LIGHT: run again
 * with limits ten times higher each time, charging each limit to the text,
 * as far as its budget goes. */
static int rx_escalate(tmk_segmenter *s, const pcre2_code *re, int use_jit, const char *w,
                       size_t n, size_t start)
{
    uint32_t limit = TMK_SEG_LIGHT;
    for (;;) {
        unsigned long long next = (unsigned long long)limit * 10;
        if (next > s->budget)
            next = s->budget;
        if (next <= limit)
            return SEG_OVER_BUDGET;
        limit = (uint32_t)(next > 0xFFFFFFFFu ? 0xFFFFFFFFu : next);
        int rc = rx_call(s, re, use_jit, w, n, start, limit);
        s->bound += limit;
        s->budget -= limit < s->budget ? limit : s->budget;
        if (rc != PCRE2_ERROR_MATCHLIMIT || limit >= TMK_SEG_MATCH_MAX)
            return rc;
    }
}

/* Match re on w[0..n) from `start` within the text's work budget (see
 * TMK_SEG_BUDGET): SEG_OVER_BUDGET when it is used up.
 *
 * PCRE2's match limit applies to each start position of an unanchored
 * call, so one call over a long paragraph may do (positions x limit) work.
 * Hence: the first call is the ordinary unanchored one at TMK_SEG_LIGHT,
 * never charged (each start position it tries costs at most that, and the
 * positions a scan tries are not tried again by the next scan call).  When
 * it stops at the limit, the positions from `start` on are tried one at a
 * time (offset limit = start position), each at TMK_SEG_LIGHT first; the
 * one that needs more is escalated alone (rx_escalate), its limits charged,
 * and after it the scan goes on unanchored at TMK_SEG_LIGHT.  So no
 * position is tried at TMK_SEG_LIGHT more than twice by one call, and every
 * step beyond TMK_SEG_LIGHT at a position is charged. */
static int rx_match(tmk_segmenter *s, const pcre2_code *re, const char *w, size_t n,
                    size_t start)
{
    size_t jit = 0;
    int use_jit = pcre2_pattern_info(re, PCRE2_INFO_JITSIZE, &jit) == 0 && jit > 0;
    uint32_t opts = 0;
    pcre2_pattern_info(re, PCRE2_INFO_ALLOPTIONS, &opts);
    s->stop_at = start;
    int rc = rx_call(s, re, use_jit, w, n, start, TMK_SEG_LIGHT);
    if (opts & PCRE2_ANCHORED) {
        s->bound += TMK_SEG_LIGHT;
        return rc == PCRE2_ERROR_MATCHLIMIT ? rx_escalate(s, re, use_jit, w, n, start) : rc;
    }
    if (!rx_light_done(s, rc, start, n))
        return rc;
    if (!(opts & PCRE2_USE_OFFSET_LIMIT)) /* not made by tmk__srx_compile */
        return rx_escalate(s, re, use_jit, w, n, start);
    size_t from = start, q = start;
    for (;;) {
        /* one position at a time up to the one that needs more */
        pcre2_set_offset_limit(s->mctx, q);
        rc = rx_call(s, re, use_jit, w, n, q, TMK_SEG_LIGHT);
        s->bound += TMK_SEG_LIGHT;
        if (rc == PCRE2_ERROR_NOMATCH && q < n) {
            q = next_char(w, n, q);
            continue;
        }
        /* the unanchored call stopped here at the latest */
        s->bound += (unsigned long long)(q - from + 1) * TMK_SEG_LIGHT;
        if (rc == PCRE2_ERROR_MATCHLIMIT) {
            s->stop_at = q;
            rc = rx_escalate(s, re, use_jit, w, n, q);
        }
        pcre2_set_offset_limit(s->mctx, PCRE2_UNSET);
        if (rc != PCRE2_ERROR_NOMATCH || q >= n)
            return rc;
        /* after it, unanchored again */
        from = q = next_char(w, n, q);
        rc = rx_call(s, re, use_jit, w, n, q, TMK_SEG_LIGHT);
        if (!rx_light_done(s, rc, q, n))
            return rc;
    }
}

/* Does rule r fire at position c of w[0..n)?  1 yes, 0 no, or PCRE2's
 * (negative) error code when the match could not be run to its end. */
static int rule_matches(tmk_segmenter *s, const tmk_srx_rule *r, const char *w, size_t n,
                        size_t c)
{
    int rc;
    /* the after-pattern first: anchored, so cheap, and often decisive */
    if (r->after) {
        rc = rx_match(s, r->after, w, n, c);
        if (rc < 0)
            return rc == PCRE2_ERROR_NOMATCH ? 0 : rc;
    }
    if (r->before) {
        /* the last two characters must fit the pattern's end */
        if (c > 0) {
            size_t p = c - 1;
            unsigned char b = (unsigned char)w[p];
            if (!tmk_charset_has(&r->last, b < 128 ? b : 128))
                return 0;
            while (p > 0 && ((unsigned char)w[p] & 0xC0) == 0x80)
                p--;
            if (p > 0) {
                b = (unsigned char)w[p - 1];
                if (!tmk_charset_has(&r->last2, b < 128 ? b : 128))
                    return 0;
            }
        }
        size_t start;
        if (r->before_max >= 0 && r->before_max < TMK_SEG_LOOKBACK) {
            /* step back exactly before_max characters */
            start = c;
            for (long k = 0; k < r->before_max && start > 0; k++) {
                start--;
                while (start > 0 && ((unsigned char)w[start] & 0xC0) == 0x80)
                    start--;
            }
        } else {
            start = c > TMK_SEG_LOOKBACK ? c - TMK_SEG_LOOKBACK : 0;
            while (start < c && ((unsigned char)w[start] & 0xC0) == 0x80)
                start++;
        }
        rc = rx_match(s, r->before, w, c, start);
        if (rc < 0)
            return rc == PCRE2_ERROR_NOMATCH ? 0 : rc;
    }
    return 1;
}

/* Map a byte position of the paragraph to line and column, moving a cursor
 * forward only. */
typedef struct {
    size_t pos;
    unsigned long line, col;
} cursor;

static void cursor_to(cursor *k, const char *p, size_t to)
{
    for (; k->pos < to; k->pos++) {
        unsigned char b = (unsigned char)p[k->pos];
        if (b == '\n') {
            k->line++;
            k->col = 1;
        } else if ((b & 0xC0) != 0x80) {
            k->col++;
        }
    }
}

static int emit(tmk_segmenter *s, cursor *k, size_t a, size_t b, tmk_segment_cb cb, void *ud)
{
    const char *w = s->work.data;
    size_t adv;
    while (a < b) {
        int32_t cp = tmk_utf8_decode(w + a, b - a, &adv);
        if (!is_trim_space(cp))
            break;
        a += adv;
    }
    while (b > a) {
        size_t st = b - 1;
        while (st > a && ((unsigned char)w[st] & 0xC0) == 0x80)
            st--;
        int32_t cp = tmk_utf8_decode(w + st, b - st, &adv);
        if (!is_trim_space(cp))
            break;
        b = st;
    }
    if (a == b)
        return 0;
    cursor_to(k, s->para.data, a);
    tmk_segment seg = {w + a, b - a, k->line, k->col, s->para_off + a, s->para_no};
    if (memchr(s->para.data + a, '\n', b - a)) {
        /* joined lines: each whitespace run around a line break becomes one space */
        tmk_buf_reset(&s->norm);
        const char *p = s->para.data;
        size_t i = a;
        while (i < b) {
            size_t j = i;
            int has_lf = 0;
            while (j < b && (p[j] == ' ' || p[j] == '\t' || p[j] == '\n'))
                has_lf |= p[j++] == '\n';
            if (j > i && has_lf) {
                if (tmk_buf_addch(&s->norm, ' ') < 0)
                    return TMK_ENOMEM;
                i = j;
                continue;
            }
            if (j == i)
                j++;
            if (tmk_buf_add(&s->norm, w + i, j - i) < 0)
                return TMK_ENOMEM;
            i = j;
        }
        seg.text = s->norm.data;
        seg.len = s->norm.len;
    }
    if (!cb)
        return 0; /* no callback: the segments are dropped (tmkit.h rule 4) */
    int r = cb(ud, &seg);
    return r > 0 ? TMK_ECANCELED : r; /* the tmkit.h callback rule */
}

/* A match of rule r at byte `at` of the paragraph failed (PCRE2 error prc:
 * JIT stack or match limit): an error, never "no match", which would cut
 * the text wrongly without a word. */
static int match_failed(const tmk_segmenter *s, const tmk_srx_rule *r, int prc, size_t at,
                        tmk_error *err)
{
    PCRE2_UCHAR msg[160];
    cursor k = {0, s->para_line, 1};
    cursor_to(&k, s->para.data, at);
    int merged = 0;
    for (size_t i = 0; i < s->nmerged; i++)
        merged |= r == &s->merged[i];
    if (prc == SEG_OVER_BUDGET)
        return tmk_error_set(err, TMK_ELIMIT, k.line, k.col,
                             "the segmentation rule%s at %s:%lu:%lu backtracks too much: this "
                             "text used up its budget of regex steps (%llu million, plus %llu "
                             "per byte); simplify the rule (a nested repetition such as "
                             "(a|aa)+ tries every way to split a run)",
                             merged ? "s (a run of no-break rules) starting" : "", s->srx_name,
                             r->line, r->col, TMK_SEG_BUDGET / 1000000, TMK_SEG_PER_BYTE);
    pcre2_get_error_message(prc, msg, sizeof msg);
    return tmk_error_set(err, TMK_ELIMIT, k.line, k.col,
                         "the segmentation rule%s at %s:%lu:%lu cannot be matched on this "
                         "paragraph (%s); the paragraph is too long or unusual for that rule: "
                         "split it into shorter paragraphs, or simplify the rule",
                         merged ? "s (a run of no-break rules) starting" : "", s->srx_name,
                         r->line, r->col, (const char *)msg);
}

/* Steps 0 and 1 on w[0..n): which rules can fire, and the candidate break
 * points (sorted).  On a failed match returns PCRE2's code with the rule
 * and the position in *bad, *at. */
static int find_cands(tmk_segmenter *s, const char *w, size_t n, const tmk_srx_rule **bad,
                      size_t *at)
{
    /* 0. rules anchored at the paragraph start that cannot match here */
    for (size_t i = 0; i < s->nrules; i++) {
        const tmk_srx_rule *r = s->rules[i];
        int rc = r->before_pre ? rx_match(s, r->before_pre, w, n, 0) : 0;
        if (rc < 0 && rc != PCRE2_ERROR_NOMATCH) {
            *bad = r;
            *at = 0;
            return rc;
        }
        s->live[i] = rc >= 0;
    }
    /* 1. candidates from the break rules */
    s->ncand = 0;
    for (size_t i = 0; i < s->nrules; i++) {
        const tmk_srx_rule *r = s->rules[i];
        if (!r->brk || !s->live[i])
            continue;
        pcre2_code *scan = r->after_find ? r->after_find : r->both;
        size_t pos = 0;
        while (pos <= n) {
            int rc = rx_match(s, scan, w, n, pos);
            if (rc == PCRE2_ERROR_NOMATCH)
                break;
            if (rc < 0) {
                *bad = r;
                *at = s->stop_at; /* where the scan stopped */
                return rc;
            }
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
            size_t e = r->after_find ? ov[0] : ov[1];
            if (e > 0 && e < n && add_cand(s, e) < 0)
                return TMK_ENOMEM;
            pos = ov[1] > ov[0] ? ov[1] : next_char(w, n, ov[1]);
            if (ov[1] >= n)
                break;
        }
    }
    if (s->ncand > 1)
        qsort(s->cand, s->ncand, sizeof *s->cand, cmp_size);
    return 0;
}

/* Step 2 at candidate c: the first rule that fires decides.  1 = break,
 * 0 = no break, or PCRE2's code (the rule in *bad). */
static int decide(tmk_segmenter *s, const char *w, size_t n, size_t c, const tmk_srx_rule **bad)
{
    for (size_t j = 0; j < s->nrules; j++) {
        if (!s->live[j])
            continue;
        int m = rule_matches(s, s->rules[j], w, n, c);
        if (m < 0) {
            *bad = s->rules[j];
            return m;
        }
        if (m)
            return s->rules[j]->brk;
    }
    return 0;
}

static int cut_paragraph(tmk_segmenter *s, tmk_segment_cb cb, void *ud, tmk_error *err)
{
    size_t n = s->para.len;
    tmk_buf_reset(&s->work);
    if (tmk_buf_add(&s->work, s->para.data, n) < 0)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    char *w = s->work.data;
    for (char *p = memchr(w, '\n', n); p; p = memchr(p + 1, '\n', n - (size_t)(p + 1 - w)))
        *p = ' ';

    const tmk_srx_rule *bad = NULL;
    size_t at = 0;
    int frc = find_cands(s, w, n, &bad, &at);
    if (frc == TMK_ENOMEM)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    if (frc < 0)
        return match_failed(s, bad, frc, at, err);

    /* 2. decide each candidate */
    cursor k = {0, s->para_line, 1};
    size_t start = 0, last = (size_t)-1;
    int rc = 0;
    for (size_t i = 0; i < s->ncand && rc == 0; i++) {
        size_t c = s->cand[i];
        if (c == last)
            continue;
        last = c;
        int m = decide(s, w, n, c, &bad);
        if (m < 0)
            return match_failed(s, bad, m, c, err);
        if (m) {
            rc = emit(s, &k, start, c, cb, ud);
            start = c;
        }
    }
    if (rc == 0)
        rc = emit(s, &k, start, n, cb, ud);
    s->para_no++;
    return rc;
}

/* ---- paragraphs from lines ------------------------------------------ */

static int is_blank(const char *l, size_t len)
{
    size_t adv;
    for (size_t i = 0; i < len; i += adv)
        if (!is_trim_space(tmk_utf8_decode(l + i, len - i, &adv)))
            return 0;
    return 1;
}

static int32_t last_cp(const char *l, size_t len, size_t *at)
{
    size_t st = len - 1, adv;
    while (st > 0 && ((unsigned char)l[st] & 0xC0) == 0x80)
        st--;
    *at = st;
    return tmk_utf8_decode(l + st, len - st, &adv);
}

static int is_closer(int32_t cp)
{
    return cp == '"' || cp == '\'' || cp == ')' || cp == ']' || cp == 0x201C ||
           cp == 0x201D || cp == 0x2019 || cp == 0x00BB || cp == 0x00AB || cp == 0x203A;
}

static int is_final_punct(int32_t cp)
{
    return cp == '.' || cp == '!' || cp == '?' || cp == ':' || cp == ';' || cp == 0x2026 ||
           cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F;
}

static int is_bullet(int32_t cp)
{
    return cp == 0x2022 || cp == 0x00B7 || cp == 0x25AA || cp == 0x2023 || cp == 0x2043 ||
           cp == 0x25E6 || cp == '-' || cp == 0x2013 || cp == 0x2014 || cp == '*' ||
           cp == 0x25CF || cp == 0x25A0 || cp == '>';
}

/* Whether the bullet cp, followed by rest, is one: a dash or an asterisk
 * only when white space (or the line end) follows -- "-korrektur",
 * "--device", "*wichtig*" and "-5 °C" at the start of a wrapped line go on
 * with the text; a bullet sign (•, ▪, ...) always. */
static int bullet_ends(int32_t cp, const char *rest, size_t len)
{
    if (cp != '-' && cp != 0x2013 && cp != 0x2014 && cp != '*')
        return 1;
    size_t adv;
    return !len || is_trim_space(tmk_utf8_decode(rest, len, &adv));
}

/* The offset of the first character of s that is not trimmed space (n
 * when there is none); the character in *first (-1 when s is empty) and
 * its length in *adv. */
static size_t first_non_space(const char *s, size_t n, int32_t *first, size_t *adv)
{
    size_t i = 0;
    *first = -1;
    while (i < n) {
        *first = tmk_utf8_decode(s + i, n - i, adv);
        if (!is_trim_space(*first))
            break;
        i += *adv;
    }
    return i;
}

/* The next line starts a list item: a bullet, or "12." "3)" "a)". */
static int starts_item(const char *next, size_t nlen, int *numbered)
{
    size_t adv;
    int32_t first;
    *numbered = 0;
    size_t i = first_non_space(next, nlen, &first, &adv);
    if (i >= nlen || (is_bullet(first) && bullet_ends(first, next + i + adv, nlen - i - adv)))
        return 1;
    size_t j = i;
    while (j < nlen && next[j] >= '0' && next[j] <= '9')
        j++;
    if (j > i && j < nlen && (next[j] == '.' || next[j] == ')')) {
        *numbered = 1;
        return 1;
    }
    if (i + 1 < nlen && next[i + 1] == ')' && next[i] >= 'a' && next[i] <= 'z') {
        *numbered = 1;
        return 1;
    }
    return 0;
}

/* What a line looks like at its end. */
typedef struct {
    size_t e;            /* bytes without the trailing white space */
    int trailing_space;  /* white space after the last character */
    int final;           /* ends in final punctuation (before closing quotes, brackets) */
    size_t chars;        /* characters up to e */
} line_end;

/* Bytes of the first word of a line (fmt and fold count bytes, so a line
 * rich in multi-byte characters is full at fewer characters). */
static size_t first_word_bytes(const char *l, size_t len)
{
    size_t i = 0, adv;
    while (i < len && is_trim_space(tmk_utf8_decode(l + i, len - i, &adv)))
        i += adv;
    size_t from = i;
    while (i < len && !is_trim_space(tmk_utf8_decode(l + i, len - i, &adv)))
        i += adv;
    return i - from;
}

/* Whether a line (le) before the line next is full at the width w
 * (characters) or wb (bytes, 0 = not known): near the width, or the next
 * word would not have fitted.  *no_room: the latter. */
static int line_full(const line_end *le, const char *next, size_t nlen, size_t w, size_t wb,
                     size_t fw, int *no_room)
{
    *no_room = le->chars + 1 + fw > w;
    int full = 4 * le->chars >= 3 * w;
    if (wb) {
        *no_room = *no_room || le->e + 1 + first_word_bytes(next, nlen) > wb;
        full = full || 4 * le->e >= 3 * wb;
    }
    return full || *no_room;
}

static int look_at_end(const char *l, size_t len, line_end *le)
{
    size_t e = len, at;
    while (e > 0) {
        int32_t cp = last_cp(l, e, &at);
        if (!is_trim_space(cp))
            break;
        e = at;
    }
    le->e = e;
    le->trailing_space = e < len;
    le->final = 0;
    le->chars = tmk_utf8_count(l, e);
    if (e == 0)
        return 0;
    size_t t = e;
    int32_t cp = last_cp(l, t, &at);
    while (is_closer(cp) && at > 0) {
        t = at;
        cp = last_cp(l, t, &at);
    }
    le->final = is_final_punct(cp);
    return 1;
}

/* Characters of the first word of a line (up to white space). */
static size_t first_word(const char *l, size_t len)
{
    size_t i = 0, n = 0, adv;
    while (i < len && is_trim_space(tmk_utf8_decode(l + i, len - i, &adv)))
        i += adv;
    while (i < len && !is_trim_space(tmk_utf8_decode(l + i, len - i, &adv))) {
        i += adv;
        n++;
    }
    return n;
}

/* Would the rules end a sentence where the paragraph so far meets `next`
 * (joined with a space)?  0 only when a break rule applies there and a
 * no-break rule (an abbreviation, an ordinal) cancels it.  Looks at the end of the paragraph (at most 512
 * bytes, the rules look back 256) and the start of the next line.  A rule
 * that cannot be matched counts as a break: the lines then stay apart. */
static int breaks_at_join(tmk_segmenter *s, const char *next, size_t nlen)
{
    const char *p = s->para.data;
    size_t plen = s->para.len, from = plen > 512 ? plen - 512 : 0;
    while (from < plen && ((unsigned char)p[from] & 0xC0) == 0x80)
        from++;
    size_t e = plen;
    while (e > from && (p[e - 1] == ' ' || p[e - 1] == '\t'))
        e--;
    size_t take = nlen > 256 ? 256 : nlen;
    while (take < nlen && ((unsigned char)next[take] & 0xC0) == 0x80)
        take++;
    tmk_buf_reset(&s->work);
    if (tmk_buf_add(&s->work, p + from, e - from) < 0 || tmk_buf_addch(&s->work, ' ') < 0 ||
        tmk_buf_add(&s->work, next, take) < 0)
        return 1;
    char *w = s->work.data;
    size_t n = s->work.len;
    for (size_t i = 0; i < n; i++)
        if (w[i] == '\n')
            w[i] = ' ';
    /* the join: from the end of the last line to the first character of the next */
    size_t lo = e - from, hi = lo + 1;
    while (hi < n && (w[hi] == ' ' || w[hi] == '\t'))
        hi++;
    /* the break point of the main rules is right after the punctuation and
     * closing quotes, i.e. at lo; rules that keep the white space before the
     * break move it up to hi */
    const tmk_srx_rule *bad;
    size_t at;
    if (find_cands(s, w, n, &bad, &at) < 0)
        return 1;
    /* only a break point that a no-break rule cancels ("Dr." "3.") joins;
     * where no break rule applies at all (before "(ii)" or a lowercase
     * word) the line end stays what it was */
    int kept = 0;
    for (size_t i = 0; i < s->ncand; i++) {
        size_t c = s->cand[i];
        if (c < lo || c > hi)
            continue;
        if (decide(s, w, n, c, &bad) != 0)
            return 1;
        kept = 1;
    }
    return !kept;
}

/* Line mode: does the last line of the paragraph continue on `next`?  Only
 * when the break looks like a soft wrap: the line ends in a space (a
 * "flowed" line, as RFC 3676 marks soft line breaks; PDF extractions do the
 * same), the next line does not start a list item, and the rules would not
 * end a sentence there ("Dr. " or "am 3. " at the end of the line); or,
 * except in mode TMK_PARA_LINES (lower 0), the line has no final
 * punctuation, at least three words, and the next line starts with a
 * lowercase letter (a sentence cut off in the middle).  In TMK_PARA_LINES every
 * line is a paragraph: a list of UI strings or glossary entries in lower
 * case, and the paragraphs, table cells and list items of a document (one
 * a line: the tmkit command segments documents so), are never
 * glued.  Headings and one-word lines stay paragraphs of their own. */
static int continues(tmk_segmenter *s, const char *prev, size_t plen, const char *next,
                     size_t nlen, int lower)
{
    line_end le;
    if (!look_at_end(prev, plen, &le))
        return 0;
    int numbered;
    if (starts_item(next, nlen, &numbered))
        return 0;
    if (le.trailing_space)
        return !le.final || !breaks_at_join(s, next, nlen);
    if (le.final || !lower)
        return 0;
    size_t adv;
    int32_t first;
    first_non_space(next, nlen, &first, &adv);
    if (!tmk_utf8_is_lower(first))
        return 0;
    int words = 0, inword = 0;
    for (size_t q = 0; q < le.e; q += adv) {
        int32_t c = tmk_utf8_decode(prev + q, le.e - q, &adv);
        int sp = is_trim_space(c);
        if (!sp && !inword)
            words++;
        inword = !sp;
    }
    return words >= 3;
}

/* Wrapped mode (text hard-wrapped at about s->wrap_w characters): a full
 * line -- near the width, or the next word would not have fitted on it --
 * goes on on the next line, unless the rules end a sentence there and the
 * next word would have fitted (then the paragraph ended: a short last line
 * is the usual sign, but a paragraph can end on a full one).  A short line
 * ends its paragraph (a heading, the last line of a paragraph).  A bullet
 * never continues a line; a list number ("3.") does only after a full line
 * that ends in the middle of a sentence ("am ⏎3. Oktober"). */
static int continues_wrapped(tmk_segmenter *s, const char *prev, size_t plen, const char *next,
                             size_t nlen)
{
    line_end le;
    if (!look_at_end(prev, plen, &le))
        return 0;
    if (s->flowed) /* the space at the end says it */
        return le.trailing_space;
    size_t w = s->wrap_w, fw = first_word(next, nlen);
    int no_room;
    int full = line_full(&le, next, nlen, w, s->wrap_wb, fw, &no_room);
    int numbered;
    if (starts_item(next, nlen, &numbered) && (!numbered || !full || le.final))
        return 0;
    if (!full)
        return continues(s, prev, plen, next, nlen, 1);
    if (!le.final || !breaks_at_join(s, next, nlen))
        return 1; /* mid-sentence, or "Dr." "am 3." at the end of the line */
    /* a sentence ends at the end of a full line: the paragraph goes on when
     * the next word could not have fitted (or the line ends in a space, as
     * fold -s leaves soft breaks) */
    return no_room || le.trailing_space;
}

static int flush(tmk_segmenter *s, tmk_segment_cb cb, void *ud, tmk_error *err)
{
    if (!s->para_has)
        return 0;
    int rc = cut_paragraph(s, cb, ud, err);
    s->para_has = 0;
    tmk_buf_reset(&s->para);
    return rc;
}

static int take_line(tmk_segmenter *s, const char *l, size_t len, size_t off, unsigned long line,
                     tmk_segment_cb cb, void *ud, tmk_error *err)
{
    size_t ok = tmk_utf8_valid_prefix(l, len);
    const char *nul = memchr(l, '\0', ok);
    if (nul)
        return tmk_error_set_detail(err, TMK_EENCODING, TMK_D_NUL_BYTE, line,
                             tmk_utf8_count(l, (size_t)(nul - l)) + 1,
                             "NUL byte in the text (segmenter input must be text: remove it, "
                             "or decode the file with its real encoding first)");
    if (ok < len)
        return tmk_error_set_detail(err, TMK_EENCODING, TMK_D_NOT_UTF8, line,
                             tmk_utf8_count(l, ok) + 1, "not valid UTF-8 text (segmenter input must be decoded first)");
    int rc = 0;
    if (is_blank(l, len))
        return flush(s, cb, ud, err);
    if (s->para_has) {
        int join;
        if (s->mode == TMK_PARA_BLANK) {
            join = 1;
        } else {
            const char *nl = memrchr(s->para.data, '\n', s->para.len);
            const char *prev = nl ? nl + 1 : s->para.data;
            size_t plen = s->para.len - (size_t)(prev - s->para.data);
            int wrapped = (s->mode == TMK_PARA_WRAPPED || s->mode == TMK_PARA_AUTO) && s->wrap_w;
            join = wrapped ? continues_wrapped(s, prev, plen, l, len)
                             : continues(s, prev, plen, l, len,
                                         s->mode != TMK_PARA_LINES && !s->list);
        }
        if (join && len + 1 > TMK_SEG_MAX_PARA - s->para.len)
            /* endless text without a paragraph break must not take all memory */
            return tmk_error_set(err, TMK_ELIMIT, line, 0,
                                 "the paragraph that starts at line %lu is longer than %zu MiB, "
                                 "the longest tmkit segments; separate paragraphs with a blank "
                                 "line",
                                 s->para_line, TMK_SEG_MAX_PARA >> 20);
        if (join) {
            if (tmk_buf_addch(&s->para, '\n') < 0 || tmk_buf_add(&s->para, l, len) < 0)
                return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
            return 0;
        }
        rc = flush(s, cb, ud, err);
        if (rc)
            return rc;
    }
    if (tmk_buf_add(&s->para, l, len) < 0)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    s->para_has = 1;
    s->para_off = off;
    s->para_line = line;
    return 0;
}

/* ---- is the text hard-wrapped? --------------------------------------- */

static int cmp_sz(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* The next line of [*p, end) with text in it (not blank, and look_at_end
 * finds its end, in *x); *p moves past it.  0 when there is none. */
static int next_text_line(const char **p, const char *end, line_end *x)
{
    while (*p < end) {
        const char *line = *p;
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        const char *le = nl ? nl : end;
        *p = nl ? nl + 1 : end;
        if (!is_blank(line, (size_t)(le - line)) && look_at_end(line, (size_t)(le - line), x))
            return 1;
    }
    return 0;
}

/* The width a text is wrapped at (the length 95 % of its non-blank lines do
 * not exceed), and whether it looks wrapped: at least 8 such lines, the
 * width 30 to 200 characters, at least half of the lines within a quarter
 * of it, and of those followed by another line at least half ending in the
 * middle of a sentence and two thirds too full for the next line's first
 * word (a wrapping program moves a word down only when it does not fit; a
 * poem or a list of short unpunctuated lines does not look like that).  force: return the width even when the text
 * does not look wrapped. */
static unsigned wrap_estimate(const char *text, size_t len, int force, int *flowed,
                              unsigned *wbytes)
{
    *flowed = 0;
    *wbytes = 0;
    size_t n = 0, cap = 0, *lens = NULL, *blens = NULL;
    const char *p = text, *end = text + len;
    line_end x;
    while (next_text_line(&p, end, &x)) {
        if (n == cap) {
            size_t c2 = cap ? 2 * cap : 256;
            size_t *a = realloc(lens, c2 * sizeof *a);
            if (a)
                lens = a;
            size_t *b = a ? realloc(blens, c2 * sizeof *b) : NULL;
            if (!b) {
                free(lens);
                free(blens);
                return 0;
            }
            blens = b;
            cap = c2;
        }
        blens[n] = x.e;
        lens[n++] = x.chars;
    }
    if (n < (force ? 1u : 8u)) {
        free(lens);
        free(blens);
        return 0;
    }
    qsort(lens, n, sizeof *lens, cmp_sz);
    qsort(blens, n, sizeof *blens, cmp_sz);
    size_t w = lens[(n - 1) * 95 / 100], wb = blens[(n - 1) * 95 / 100];
    free(lens);
    free(blens);
    if (w < 20)
        w = 20;
    if (wb < w)
        wb = w;
    if (!force && (w < 30 || w > 200))
        return 0;
    /* lines near the width, and those of them that end mid-sentence */
    size_t near = 0, near_next = 0, mid = 0, lines = 0, soft = 0, no_room = 0;
    p = text;
    while (next_text_line(&p, end, &x)) {
        lines++;
        if (4 * x.chars >= 3 * w || 4 * x.e >= 3 * wb) {
            near++;
            const char *q = p; /* the next line */
            const char *qe = q < end ? memchr(q, '\n', (size_t)(end - q)) : NULL;
            if (q < end && !is_blank(q, (size_t)((qe ? qe : end) - q))) {
                size_t ql = (size_t)((qe ? qe : end) - q);
                int nr;
                near_next++;
                mid += !x.final;
                soft += x.trailing_space;
                line_full(&x, q, ql, w, wb, first_word(q, ql), &nr);
                no_room += nr;
            }
        }
    }
    /* soft breaks marked by a space at the end of the line (fold -s, RFC
     * 3676 "flowed" text): then a line without one ends its paragraph */
    *flowed = soft >= 4 && 2 * soft >= near_next;
    if (!force && (2 * near < lines || near_next == 0 || 2 * mid < near_next ||
                   3 * no_room < 2 * near_next))
        return 0;
    *wbytes = (unsigned)wb;
    return (unsigned)w;
}

unsigned tmk_segmenter_text_wrap_width(const char *text, size_t len)
{
    int flowed;
    unsigned wb;
    return text ? wrap_estimate(text, len, 0, &flowed, &wb) : 0;
}

/* A list of entries, one a line (UI strings, a glossary): at least 8
 * non-blank lines and nearly all (85 %) without final punctuation.  Wrapped
 * prose, even wrapped narrower than 30 characters, ends a sentence on every
 * few lines; such a list hardly ever does, and its lines start in lower
 * case as often as not: AUTO then takes every line as a paragraph. */
static int lines_like_list(const char *text, size_t len)
{
    size_t lines = 0, open = 0;
    const char *p = text, *end = text + len;
    line_end x;
    while (next_text_line(&p, end, &x)) {
        lines++;
        open += !x.final;
    }
    return lines >= 8 && 100 * open >= 85 * lines;
}

/* WRAPPED/AUTO: the wrap width of the text, from what is buffered. */
static void decide_wrap(tmk_segmenter *s)
{
    s->decided = 1;
    unsigned wb;
    s->wrap_w = wrap_estimate(s->in.data, s->in.len, s->mode == TMK_PARA_WRAPPED, &s->flowed, &wb);
    s->wrap_wb = s->wrap_w ? wb : 0;
    s->list = s->mode == TMK_PARA_AUTO && !s->wrap_w && lines_like_list(s->in.data, s->in.len);
}

/* Lines looked at to decide whether a text is hard-wrapped. */
#define TMK_SEG_WRAP_LINES 256
#define TMK_SEG_WRAP_BYTES (64 * 1024)

/* A callback stopped the segmenter: say so in err when the callback
 * did not (the tmkit.h rule: err is filled whenever a call fails). */
static int stopped(int rc, tmk_error *err)
{
    if (rc < 0 && err && !err->code)
        tmk_error_set(err, rc, 0, 0, "%s", rc == TMK_ECANCELED ? "stopped by the callback"
                                                               : tmk_error_string(rc));
    return rc;
}

/* Take the complete lines held in s->in (no LF in its first scan bytes)
 * and drop them from it; 0 or the first error (the lines after it stay). */
static int take_held_lines(tmk_segmenter *s, size_t scan, tmk_segment_cb cb, void *ud,
                           tmk_error *err)
{
    size_t pos = 0;
    int rc = 0;
    for (;;) {
        const char *nl = memchr(s->in.data + scan, '\n', s->in.len - scan);
        if (!nl)
            break;
        size_t e = (size_t)(nl - s->in.data);
        rc = take_line(s, s->in.data + pos, e - pos, s->in_off + pos, s->in_line, cb, ud, err);
        s->in_line++;
        pos = scan = e + 1;
        if (rc)
            break;
    }
    if (pos > 0) {
        memmove(s->in.data, s->in.data + pos, s->in.len - pos);
        tmk_buf_setlen(&s->in, s->in.len - pos);
        s->in_off += pos;
    }
    return rc;
}

int tmk_segmenter_feed(tmk_segmenter *s, const char *text, size_t len, tmk_segment_cb cb,
                       void *ud, tmk_error *err)
{
    if (tmk_buf_add(&s->in, text, len) < 0)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    if (s->budget < ~0ull - len * TMK_SEG_PER_BYTE)
        s->budget += len * TMK_SEG_PER_BYTE;
    if ((s->mode == TMK_PARA_WRAPPED || s->mode == TMK_PARA_AUTO) && !s->decided) {
        /* hold the text back until enough of it is there to decide */
        for (const char *p = len ? memchr(text, '\n', len) : NULL; p;
             p = memchr(p + 1, '\n', len - (size_t)(p + 1 - text)))
            s->det_lines++;
        if (s->det_lines < TMK_SEG_WRAP_LINES && s->in.len < TMK_SEG_WRAP_BYTES)
            return 0;
        decide_wrap(s);
    }
    int rc = take_held_lines(s, s->in_scan, cb, ud, err);
    s->in_scan = s->in.len;
    return stopped(rc, err);
}

int tmk_segmenter_finish(tmk_segmenter *s, tmk_segment_cb cb, void *ud, tmk_error *err)
{
    int rc = 0;
    if ((s->mode == TMK_PARA_WRAPPED || s->mode == TMK_PARA_AUTO) && !s->decided)
        decide_wrap(s);
    if (s->mode == TMK_PARA_WRAPPED || s->mode == TMK_PARA_AUTO) {
        /* the lines held back: as tmk_segmenter_feed would take them */
        rc = take_held_lines(s, 0, cb, ud, err);
    }
    if (rc == 0 && s->in.len > 0) {
        rc = take_line(s, s->in.data, s->in.len, s->in_off, s->in_line, cb, ud, err);
        s->in_off += s->in.len;
        tmk_buf_reset(&s->in);
        s->in_scan = 0;
    }
    if (rc == 0)
        rc = flush(s, cb, ud, err);
    /* ready for the next text, whatever happened */
    s->para_has = 0;
    tmk_buf_reset(&s->para);
    tmk_buf_reset(&s->in);
    s->in_scan = 0;
    s->in_off = 0;
    s->in_line = 1;
    s->para_no = 0;
    s->budget = TMK_SEG_BUDGET;
    s->decided = 0;
    s->list = 0;
    s->det_lines = 0;
    return stopped(rc, err);
}

/* For tests: the most PCRE2 steps the matches run so far may have taken,
 * counting (start positions a call may try) x (its limit) for every call. */
unsigned long long tmk__seg_work_bound(const tmk_segmenter *s)
{
    return s->bound;
}

/* ---- the rules in use, as an SRX document --------------------------- */

int tmk_segmenter_dump_srx(const tmk_segmenter *s, tmk_buf *out, tmk_error *err)
{
    /* the language code goes into an XML comment, which may not hold "--"
     * (nor control characters): those become '?', and only printable ASCII
     * is kept, so that the dump is always well-formed */
    char lang[64];
    size_t k = 0;
    for (const char *p = s->lang; *p && k + 1 < sizeof lang; p++) {
        char c = *p;
        if (c < 0x20 || c > 0x7E || (c == '-' && k > 0 && lang[k - 1] == '-'))
            c = '?';
        lang[k++] = c;
    }
    lang[k] = '\0';
    int rc = tmk_buf_printf(out,
                            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                            "<!-- segmentation rules in use for language \"%s\" -->\n"
                            "<srx xmlns=\"http://www.lisa.org/srx20\" version=\"2.0\">\n"
                            "  <header segmentsubflows=\"yes\" cascade=\"%s\"/>\n"
                            "  <body>\n    <languagerules>\n",
                            lang, s->srx->cascade ? "yes" : "no");
    for (size_t i = 0; rc >= 0 && i < s->nused; i++) {
        const tmk_srx_langrule *g = s->used[i];
        rc = tmk_buf_adds(out, "      <languagerule languagerulename=\"");
        if (rc >= 0)
            rc = tmk_buf_add_xml(out, g->name, strlen(g->name));
        if (rc >= 0)
            rc = tmk_buf_adds(out, "\">\n");
        for (size_t j = 0; rc >= 0 && j < g->nrules; j++) {
            const tmk_srx_rule *r = &g->rules[j];
            rc = tmk_buf_printf(out, "        <rule break=\"%s\">\n          <beforebreak>",
                                r->brk ? "yes" : "no");
            if (rc >= 0)
                rc = tmk_buf_add_xml(out, r->before_src, strlen(r->before_src));
            if (rc >= 0)
                rc = tmk_buf_adds(out, "</beforebreak>\n          <afterbreak>");
            if (rc >= 0)
                rc = tmk_buf_add_xml(out, r->after_src, strlen(r->after_src));
            if (rc >= 0)
                rc = tmk_buf_adds(out, "</afterbreak>\n        </rule>\n");
        }
        if (rc >= 0)
            rc = tmk_buf_adds(out, "      </languagerule>\n");
    }
    if (rc >= 0)
        rc = tmk_buf_adds(out, "    </languagerules>\n    <maprules>\n");
    for (size_t i = 0; rc >= 0 && i < s->nused; i++) {
        rc = tmk_buf_adds(out, "      <languagemap languagepattern=\".*\" languagerulename=\"");
        if (rc >= 0)
            rc = tmk_buf_add_xml(out, s->used[i]->name, strlen(s->used[i]->name));
        if (rc >= 0)
            rc = tmk_buf_adds(out, "\"/>\n");
    }
    if (rc >= 0)
        rc = tmk_buf_adds(out, "    </maprules>\n  </body>\n</srx>\n");
    if (rc < 0)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    return TMK_OK;
}
