/* doc_xliff.c -- the XLIFF reader (1.0-1.2 with the SDL and memoQ
 * dialects, 2.0-2.2) on expat; see tmkit/xliff.h for what it gives.
 *
 * One unit (<trans-unit>, <unit>) is collected at a time: its segments'
 * text as a list of tokens (text runs and inline codes) over a byte pool,
 * so that paired codes can be matched when the segment is complete; at the
 * end of the unit each segment is rendered as TMX <seg> content and given
 * to the callback. */
#include <config.h>
#include <errno.h>
#include <expat.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "internal.h"

#define NS_SEP '|'
#define MAX_DEPTH 256
#define MAX_OPEN_SEARCH 256 /* unmatched opening codes looked at for a closing one */

#define TMK_TRY_RC(x)                                                                          \
    do {                                                                                       \
        int try_rc_ = (x);                                                                     \
        if (try_rc_ < 0)                                                                       \
            return try_rc_;                                                                    \
    } while (0)
#define TMK_TRY_VOID(x)                                                                        \
    do {                                                                                       \
        if ((x) < 0)                                                                           \
            return;                                                                            \
    } while (0)

enum tok_kind { K_TEXT, K_OPEN, K_CLOSE, K_PH, K_IT_OPEN, K_IT_CLOSE };

typedef struct {
    enum tok_kind kind;
    size_t off, len;  /* text or native code content in the pool */
    char *key;        /* pairing key (K_OPEN, K_CLOSE), or NULL */
    char *x;          /* the XLIFF id when it is a number, or NULL */
    char *type;       /* 1.2 ctype, or NULL */
    long mate;        /* the other half of a pair, or -1 */
    int keep;         /* K_TEXT: white space kept as it is (xml:space="preserve") */
} tok;

typedef struct {
    tmk_buf pool;
    tok *t;
    size_t n, cap;
    int present;      /* the element (target) was there */
} text;

typedef struct {
    char *id;
    char *state;      /* 2.0 segment state */
    text src, tgt;
} seg;

typedef struct {
    char *id, *conf;
} conf;

/* what the end of an element does */
enum role {
    R_NONE, R_SKIP, R_ROOT, R_FILE, R_UNIT, R_SRC, R_SEGSRC, R_TGT, R_MRKSEG, R_SEGMENT,
    R_CODE, R_INCODE, R_PAIR, R_SDLSEG
};

typedef struct {
    enum role role;
    int translate;
    int preserve;     /* xml:space="preserve" here (inherited) */
    text *saved_cur;  /* collector to restore at the end (R_MRKSEG, R_SRC, R_TGT) */
    char key[24];     /* R_PAIR: the key of the pair */
    char *close_tag;  /* R_PAIR: native code of the closing half */
} frame;

struct tmk_xliff_reader {
    int finished; /* tmk_xliff_reader_finish was called (tmkit.h rule 6) */
    XML_Parser p;
    tmk_xliff_pair_cb cb; /* of the feed or finish call in progress */
    void *ud;
    size_t max_unit;
    tmk_error err;
    int rc;
    int version;      /* 0 = root not seen, 1 = 1.x, 2 = 2.x */
    char vstr[16];
    char enc[48];     /* an encoding expat does not know itself, as declared */
    int enc_multi;    /* ... that iconv knows as a multi-byte one */
    int enc_none;     /* ... that iconv does not know */
    frame st[MAX_DEPTH + 1];
    unsigned depth;
    unsigned skip;    /* > 0: inside a skipped element (depth below it) */
    char *src_lang, *tgt_lang, *file;
    unsigned long file_index;
    /* the unit */
    int in_unit, u_translate;
    char *u_id, *u_approved, *u_mq, *t_state, *t_qual;
    unsigned long u_line, u_col;
    text whole_src, whole_tgt;
    seg *ss, *ts;     /* 1.2 seg-source and target segments; 2.0 segments in ss */
    size_t nss, nts, cap_ss, cap_ts;
    conf *confs;
    size_t nconfs, cap_confs;
    enum { P_NONE, P_SRC, P_SEGSRC, P_TGT } part;
    text *cur;        /* where text goes, or NULL */
    text *code_text;  /* inside a native code element: its token */
    size_t code_tok;
    unsigned code_depth;
    size_t unit_bytes;
    unsigned long pair_key; /* synthetic keys for <g>/<pc> */
    tmk_buf a, b;     /* rendering */
};

/* ---- helpers ----------------------------------------------------------- */

static int fail(tmk_xliff_reader *r, int code)
{
    if (r->rc == TMK_OK)
        r->rc = code;
    XML_StopParser(r->p, XML_FALSE);
    return code;
}

static int nomem(tmk_xliff_reader *r)
{
    tmk_error_set(&r->err, TMK_ENOMEM, 0, 0, "out of memory");
    return fail(r, TMK_ENOMEM);
}

static unsigned long cur_line(const tmk_xliff_reader *r)
{
    return (unsigned long)XML_GetCurrentLineNumber(r->p);
}

static unsigned long cur_col(const tmk_xliff_reader *r)
{
    return (unsigned long)XML_GetCurrentColumnNumber(r->p) + 1;
}

/* Split an expat name "uri|local" into its namespace (NULL: none) and its
 * local part. */
static const char *local_of(const char *name, const char **ns, size_t *nslen)
{
    const char *bar = strrchr(name, NS_SEP);
    if (!bar) {
        *ns = NULL;
        *nslen = 0;
        return name;
    }
    *ns = name;
    *nslen = (size_t)(bar - name);
    return bar + 1;
}

static int is_xliff_ns(const char *ns, size_t n)
{
    static const char pre[] = "urn:oasis:names:tc:xliff:document:";
    return !ns || (n >= sizeof pre - 1 && !strncmp(ns, pre, sizeof pre - 1));
}

static int ns_has(const char *ns, size_t n, const char *frag)
{
    size_t f = strlen(frag);
    for (size_t i = 0; ns && i + f <= n; i++)
        if (!strncasecmp(ns + i, frag, f))
            return 1;
    return 0;
}

/* An attribute without namespace, or NULL. */
static const char *attr(const char **atts, const char *name)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (!strcmp(atts[i], name))
            return atts[i + 1];
    return NULL;
}

/* An attribute in a namespace whose URI contains nsfrag, or NULL. */
static const char *attr_ns(const char **atts, const char *nsfrag, const char *local)
{
    for (size_t i = 0; atts[i]; i += 2) {
        const char *ns;
        size_t nl;
        const char *l = local_of(atts[i], &ns, &nl);
        if (ns && !strcmp(l, local) && ns_has(ns, nl, nsfrag))
            return atts[i + 1];
    }
    return NULL;
}

static int dup_into(tmk_xliff_reader *r, char **dst, const char *s)
{
    free(*dst);
    *dst = NULL;
    if (s && !(*dst = tmk__strdup(s)))
        return nomem(r);
    return TMK_OK;
}

static void text_release(text *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->t[i].key);
        free(t->t[i].x);
        free(t->t[i].type);
    }
    free(t->t);
    tmk_buf_release(&t->pool);
    memset(t, 0, sizeof *t);
    tmk_buf_init(&t->pool);
}

static void seg_release(seg *s)
{
    free(s->id);
    free(s->state);
    text_release(&s->src);
    text_release(&s->tgt);
}

static void unit_reset(tmk_xliff_reader *r)
{
    for (size_t i = 0; i < r->nss; i++)
        seg_release(&r->ss[i]);
    for (size_t i = 0; i < r->nts; i++)
        seg_release(&r->ts[i]);
    for (size_t i = 0; i < r->nconfs; i++) {
        free(r->confs[i].id);
        free(r->confs[i].conf);
    }
    r->nss = r->nts = r->nconfs = 0;
    text_release(&r->whole_src);
    text_release(&r->whole_tgt);
    free(r->u_id);
    free(r->u_approved);
    free(r->u_mq);
    free(r->t_state);
    free(r->t_qual);
    r->u_id = r->u_approved = r->u_mq = r->t_state = r->t_qual = NULL;
    r->in_unit = 0;
    r->cur = NULL;
    r->code_text = NULL;
    r->code_depth = 0;
    r->part = P_NONE;
    r->unit_bytes = 0;
}

static int count_bytes(tmk_xliff_reader *r, size_t n)
{
    r->unit_bytes += n;
    if (r->unit_bytes > r->max_unit) {
        tmk_error_set(&r->err, TMK_ELIMIT, r->u_line, r->u_col,
                      "unit \"%s\" holds more than %zu MiB of text, more than any segment "
                      "needs; tmkit stops reading there",
                      r->u_id ? r->u_id : "", r->max_unit >> 20);
        return fail(r, TMK_ELIMIT);
    }
    return TMK_OK;
}

/* Append a token to t; its content (len bytes of s) goes to the pool. */
static int add_tok(tmk_xliff_reader *r, text *t, enum tok_kind kind, const char *s, size_t len,
                   const char *key, const char *id, const char *type, int keep)
{
    if (count_bytes(r, len + sizeof(tok)) < 0)
        return r->rc;
    if (kind == K_TEXT && t->n && t->t[t->n - 1].kind == K_TEXT && t->t[t->n - 1].keep == keep &&
        t->t[t->n - 1].off + t->t[t->n - 1].len == t->pool.len) {
        if (tmk_buf_add(&t->pool, s, len) < 0)
            return nomem(r);
        t->t[t->n - 1].len += len;
        return TMK_OK;
    }
    if (t->n == t->cap) {
        size_t nc = t->cap ? 2 * t->cap : 8;
        tok *nt = realloc(t->t, nc * sizeof *nt);
        if (!nt)
            return nomem(r);
        t->t = nt;
        t->cap = nc;
    }
    tok *k = &t->t[t->n];
    memset(k, 0, sizeof *k);
    k->kind = kind;
    k->mate = -1;
    k->keep = keep;
    k->off = t->pool.len;
    k->len = len;
    if (tmk_buf_add(&t->pool, s, len) < 0)
        return nomem(r);
    t->n++;
    int bad = 0;
    if (key && !(k->key = tmk__strdup(key)))
        bad = 1;
    if (id && *id && strspn(id, "0123456789") == strlen(id) && strlen(id) < 10 &&
        !(k->x = tmk__strdup(id)))
        bad = 1;
    if (type && *type && !(k->type = tmk__strdup(type)))
        bad = 1;
    if (bad)
        return nomem(r);
    /* a closing half: the nearest unmatched opening half with its key */
    if ((kind == K_CLOSE) && key) {
        size_t looked = 0;
        for (size_t i = t->n - 1; i-- > 0 && looked < MAX_OPEN_SEARCH;) {
            tok *o = &t->t[i];
            if (o->kind != K_OPEN || o->mate >= 0)
                continue;
            looked++;
            if (o->key && !strcmp(o->key, key)) {
                o->mate = (long)(t->n - 1);
                k->mate = (long)i;
                break;
            }
        }
    }
    return TMK_OK;
}

/* The XLIFF tag as written, for the native code of a TMX code element:
 * "<g id=\"1\">", "<x id=\"2\"/>", "</g>". */
static int tag_text(tmk_buf *o, const char *local, const char **atts, int empty, int close)
{
    int rc = tmk_buf_addch(o, '<');
    if (close)
        rc |= tmk_buf_addch(o, '/');
    rc |= tmk_buf_adds(o, local);
    for (size_t i = 0; !close && atts[i]; i += 2) {
        const char *ns;
        size_t nl;
        rc |= tmk_buf_addch(o, ' ');
        rc |= tmk_buf_adds(o, local_of(atts[i], &ns, &nl));
        rc |= tmk_buf_adds(o, "=\"");
        rc |= tmk_buf_add_xml_ex(o, atts[i + 1], strlen(atts[i + 1]), TMK_XML_DQUOTE);
        rc |= tmk_buf_addch(o, '"');
    }
    if (empty)
        rc |= tmk_buf_addch(o, '/');
    rc |= tmk_buf_addch(o, '>');
    return rc < 0 ? TMK_ENOMEM : TMK_OK;
}

/* ---- rendering a segment as TMX <seg> content ---------------------------- */

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int code_attrs(tmk_buf *o, const tok *k)
{
    int rc = 0;
    if (k->x)
        rc |= tmk_buf_printf(o, " x=\"%s\"", k->x);
    if (k->type) {
        rc |= tmk_buf_adds(o, " type=\"");
        rc |= tmk_buf_add_xml_ex(o, k->type, strlen(k->type), TMK_XML_DQUOTE);
        rc |= tmk_buf_addch(o, '"');
    }
    return rc;
}

/* Text into o: XML-escaped when the segment has codes. */
static int put(tmk_buf *o, const char *s, size_t n, int codes)
{
    return codes ? tmk_buf_add_xml_ex(o, s, n, 0) : tmk_buf_add(o, s, n);
}

/* Render t into o; *markup = 1 when it has codes; *has_text = 1 when it
 * has a character other than white space (a target of tags alone is no
 * translation).  Text whose xml:space is not "preserve" (the default) has
 * its white space normalised as XML editors and CAT tools read it: each
 * run of spaces, tabs and line breaks is one space, none at the start or
 * the end of the segment; a code keeps the space before and after it. */
static int render(const text *t, tmk_buf *o, int *markup, int *has_text)
{
    int rc = 0, codes = 0;
    *has_text = 0;
    tmk_buf_reset(o);
    for (size_t i = 0; i < t->n; i++)
        if (t->t[i].kind != K_TEXT)
            codes = 1;
    *markup = codes;
    unsigned *num = NULL;
    if (codes && !(num = calloc(t->n, sizeof *num)))
        return TMK_ENOMEM;
    unsigned next = 0;
    int started = 0, space = 0; /* output so far; a collapsed space waiting */
    for (size_t i = 0; i < t->n && rc == 0; i++) {
        const tok *k = &t->t[i];
        const char *s = t->pool.data + k->off;
        if (k->kind == K_TEXT) {
            for (size_t j = 0; j < k->len && !*has_text; j++)
                if (!is_ws(s[j]))
                    *has_text = 1;
            if (k->keep) {
                if (space && k->len)
                    rc |= tmk_buf_addch(o, ' ');
                if (k->len)
                    space = 0, started = 1;
                rc |= put(o, s, k->len, codes);
                continue;
            }
            for (size_t j = 0; j < k->len;) {
                if (is_ws(s[j])) {
                    space = started;
                    j++;
                    continue;
                }
                size_t e = j;
                while (e < k->len && !is_ws(s[e]))
                    e++;
                if (space)
                    rc |= tmk_buf_addch(o, ' ');
                rc |= put(o, s + j, e - j, codes);
                space = 0;
                started = 1;
                j = e;
            }
            continue;
        }
        if (space)
            rc |= tmk_buf_addch(o, ' ');
        space = 0;
        started = 1;
        const char *el;
        if (k->kind == K_OPEN && k->mate >= 0) {
            num[i] = num[k->mate] = ++next;
            rc |= tmk_buf_printf(o, "<bpt i=\"%u\"", num[i]);
            rc |= code_attrs(o, k);
            el = "bpt";
        } else if (k->kind == K_CLOSE && k->mate >= 0) {
            rc |= tmk_buf_printf(o, "<ept i=\"%u\"", num[i]);
            el = "ept";
        } else if (k->kind == K_PH) {
            rc |= tmk_buf_adds(o, "<ph");
            rc |= code_attrs(o, k);
            el = "ph";
        } else {
            int begin = k->kind == K_OPEN || k->kind == K_IT_OPEN;
            rc |= tmk_buf_adds(o, begin ? "<it pos=\"begin\"" : "<it pos=\"end\"");
            rc |= code_attrs(o, k);
            el = "it";
        }
        rc |= tmk_buf_addch(o, '>');
        rc |= tmk_buf_add_xml_ex(o, s, k->len, 0);
        rc |= tmk_buf_printf(o, "</%s>", el);
    }
    free(num);
    return rc < 0 ? TMK_ENOMEM : TMK_OK;
}

/* ---- statuses ------------------------------------------------------------ */

static const struct {
    const char *word;
    enum tmk_xliff_status st;
} sdl_confs[] = {
    {"Draft", TMK_XLIFF_DRAFT},
    {"Translated", TMK_XLIFF_TRANSLATED},
    {"ApprovedTranslation", TMK_XLIFF_APPROVED},
    {"ApprovedSignOff", TMK_XLIFF_APPROVED},
    {"RejectedTranslation", TMK_XLIFF_REJECTED},
    {"RejectedSignOff", TMK_XLIFF_REJECTED},
    {"Unspecified", TMK_XLIFF_DRAFT},
}, mq_states[] = {
    {"NotStarted", TMK_XLIFF_UNTRANSLATED},
    {"Editing", TMK_XLIFF_DRAFT},
    {"PartiallyEdited", TMK_XLIFF_DRAFT},
    {"Pretranslated", TMK_XLIFF_DRAFT},
    {"MachineTranslated", TMK_XLIFF_DRAFT},
    {"ManuallyConfirmed", TMK_XLIFF_TRANSLATED},
    {"Confirmed", TMK_XLIFF_TRANSLATED},
    {"Proofread", TMK_XLIFF_APPROVED},
    {"Reviewer1Confirmed", TMK_XLIFF_APPROVED},
    {"Reviewer2Confirmed", TMK_XLIFF_APPROVED},
    {"Rejected", TMK_XLIFF_REJECTED},
}, states12[] = {
    {"new", TMK_XLIFF_UNTRANSLATED},
    {"needs-translation", TMK_XLIFF_UNTRANSLATED},
    {"needs-adaptation", TMK_XLIFF_DRAFT},
    {"needs-l10n", TMK_XLIFF_DRAFT},
    {"needs-review-adaptation", TMK_XLIFF_DRAFT},
    {"needs-review-l10n", TMK_XLIFF_DRAFT},
    {"needs-review-translation", TMK_XLIFF_DRAFT},
    {"translated", TMK_XLIFF_TRANSLATED},
    {"signed-off", TMK_XLIFF_APPROVED},
    {"final", TMK_XLIFF_APPROVED},
}, states20[] = {
    {"initial", TMK_XLIFF_UNTRANSLATED},
    {"translated", TMK_XLIFF_TRANSLATED},
    {"reviewed", TMK_XLIFF_APPROVED},
    {"final", TMK_XLIFF_APPROVED},
};

#define LOOKUP(tab, w, out)                                                                    \
    do {                                                                                       \
        for (size_t i_ = 0; i_ < sizeof tab / sizeof *tab; i_++)                               \
            if (!strcmp(tab[i_].word, w)) {                                                    \
                *(out) = tab[i_].st;                                                           \
                return 1;                                                                      \
            }                                                                                  \
    } while (0)

static int sdl_status(const char *w, enum tmk_xliff_status *st)
{
    LOOKUP(sdl_confs, w, st);
    *st = TMK_XLIFF_DRAFT;
    return 1;
}

static int mq_status(const char *w, enum tmk_xliff_status *st)
{
    LOOKUP(mq_states, w, st);
    return 0;
}

static int state12_status(const char *w, enum tmk_xliff_status *st)
{
    LOOKUP(states12, w, st);
    *st = TMK_XLIFF_DRAFT; /* x-... and unknown states: not confirmed */
    return 1;
}

static int state20_status(const char *w, enum tmk_xliff_status *st)
{
    LOOKUP(states20, w, st);
    *st = TMK_XLIFF_DRAFT;
    return 1;
}

static const char *conf_of(const tmk_xliff_reader *r, const char *mid)
{
    for (size_t i = 0; mid && i < r->nconfs; i++)
        if (r->confs[i].id && !strcmp(r->confs[i].id, mid))
            return r->confs[i].conf;
    return NULL;
}

/* ---- the end of a unit: its pairs ---------------------------------------- */

static int emit(tmk_xliff_reader *r, const text *src, const text *tgt, const char *segid,
                unsigned long index, unsigned long nseg, const char *seg_state)
{
    tmk_xliff_pair p;
    memset(&p, 0, sizeof p);
    int has_src, has_tgt = 0;
    if (render(src, &r->a, &p.source_markup, &has_src) < 0)
        return nomem(r);
    tmk_buf_reset(&r->b);
    if (tgt && tgt->present && render(tgt, &r->b, &p.target_markup, &has_tgt) < 0)
        return nomem(r);
    p.source = r->a.data;
    p.source_len = r->a.len;
    p.target = r->b.data;
    p.target_len = r->b.len;
    p.source_lang = r->src_lang;
    p.target_lang = r->tgt_lang;
    p.unit_id = r->u_id;
    p.segment_id = segid;
    p.index = index;
    p.nsegments = nseg;
    p.translate = r->u_translate;
    p.file = r->file;
    p.file_index = r->file_index;
    p.line = r->u_line;
    p.col = r->u_col;
    enum tmk_xliff_status st = TMK_XLIFF_TRANSLATED;
    const char *c;
    int no_state = 0;
    if (r->version == 2) {
        no_state = !seg_state;
        p.state = seg_state;
        if (seg_state)
            state20_status(seg_state, &st);
    } else if ((c = conf_of(r, segid)) != NULL) {
        p.state = c;
        sdl_status(c, &st);
    } else if (r->u_mq && mq_status(r->u_mq, &st)) {
        p.state = r->u_mq;
    } else if (r->t_qual && !strncmp(r->t_qual, "rejected", 8)) {
        p.state = r->t_qual;
        st = TMK_XLIFF_REJECTED;
    } else if (r->t_state) {
        p.state = r->t_state;
        state12_status(r->t_state, &st);
    } else if (r->nconfs) {
        st = TMK_XLIFF_DRAFT; /* SDL: a segment without a confirmation level */
    } else {
        no_state = !r->u_approved;
    }
    /* no word on the state and the target a copy of the source: how OmegaT
     * (and tools that prepare a job) write a segment nobody translated */
    if (no_state && p.source_markup == p.target_markup && p.source_len == p.target_len &&
        !memcmp(p.source, p.target, p.source_len))
        st = TMK_XLIFF_UNTRANSLATED;
    if (r->version == 1 && r->u_approved && !strcmp(r->u_approved, "yes") &&
        st >= TMK_XLIFF_DRAFT)
        st = TMK_XLIFF_APPROVED;
    if (!has_tgt || !has_src)
        st = TMK_XLIFF_UNTRANSLATED;
    p.status = st;
    int rc = r->cb ? r->cb(r->ud, &p) : 0;
    if (rc) {
        int code = rc < 0 ? rc : TMK_ECANCELED;
        if (r->err.code == TMK_OK)
            tmk_error_set(&r->err, code, p.line, p.col, "stopped at unit \"%s\"",
                          r->u_id ? r->u_id : "");
        return fail(r, code);
    }
    return TMK_OK;
}

static int mismatch(tmk_xliff_reader *r, const char *what)
{
    tmk_error_set(&r->err, TMK_ESYNTAX, r->u_line, r->u_col,
                  "unit \"%s\": %s; the file is damaged or was edited outside the CAT "
                  "tool: open it there and save or export it again",
                  r->u_id ? r->u_id : "", what);
    return fail(r, TMK_ESYNTAX);
}

static int end_unit12(tmk_xliff_reader *r)
{
    char msg[200];
    if (!r->nss && r->nts > 1) {
        snprintf(msg, sizeof msg,
                 "the target has %zu segments (<mrk mtype=\"seg\">) but the source no "
                 "<seg-source>", r->nts);
        return mismatch(r, msg);
    }
    if (!r->nss) /* a target in one <mrk mtype="seg"> (no seg-source) is the segment */
        return emit(r, &r->whole_src, r->nts ? &r->ts[0].tgt : &r->whole_tgt, NULL, 1, 1,
                    NULL);
    if (!r->nts) {
        text empty;
        memset(&empty, 0, sizeof empty);
        tmk_buf_init(&empty.pool);
        int has = 0;
        for (size_t i = 0; i < r->whole_tgt.n && !has; i++)
            if (r->whole_tgt.t[i].kind != K_TEXT)
                has = 1;
            else
                for (size_t j = 0; j < r->whole_tgt.t[i].len && !has; j++)
                    has = !is_ws(r->whole_tgt.pool.data[r->whole_tgt.t[i].off + j]);
        if (has && r->nss != 1) {
            snprintf(msg, sizeof msg,
                     "the source has %zu segments (<mrk mtype=\"seg\">) but the target none",
                     r->nss);
            return mismatch(r, msg);
        }
        for (size_t i = 0; i < r->nss; i++)
            TMK_TRY_RC(emit(r, &r->ss[i].src, has ? &r->whole_tgt : &empty, r->ss[i].id, i + 1,
                            r->nss, NULL));
        return TMK_OK;
    }
    if (r->nts != r->nss) {
        snprintf(msg, sizeof msg,
                 "the source has %zu segments (<mrk mtype=\"seg\">) but the target %zu", r->nss,
                 r->nts);
        return mismatch(r, msg);
    }
    /* check the whole unit first: none of a damaged unit is given */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < r->nss; i++) {
            size_t j = 0;
            const char *mid = r->ss[i].id;
            while (j < r->nts && !(mid && r->ts[j].id && !strcmp(mid, r->ts[j].id)))
                j++;
            if (j == r->nts || !mid) {
                snprintf(msg, sizeof msg, "source segment mid=\"%.60s\" has no target "
                         "segment with the same mid", mid ? mid : "");
                return mismatch(r, msg);
            }
            if (pass)
                TMK_TRY_RC(emit(r, &r->ss[i].src, &r->ts[j].tgt, mid, i + 1, r->nss, NULL));
        }
    return TMK_OK;
}

static int end_unit20(tmk_xliff_reader *r)
{
    for (size_t i = 0; i < r->nss; i++)
        TMK_TRY_RC(emit(r, &r->ss[i].src, &r->ss[i].tgt, r->ss[i].id, i + 1, r->nss,
                        r->ss[i].state));
    return TMK_OK;
}

/* ---- expat handlers -------------------------------------------------------- */

static seg *new_seg(tmk_xliff_reader *r, seg **arr, size_t *n, size_t *cap, const char *id)
{
    if (*n == *cap) {
        size_t nc = *cap ? 2 * *cap : 4;
        seg *na = realloc(*arr, nc * sizeof *na);
        if (!na) {
            nomem(r);
            return NULL;
        }
        *arr = na;
        *cap = nc;
    }
    seg *s = &(*arr)[*n];
    memset(s, 0, sizeof *s);
    tmk_buf_init(&s->src.pool);
    tmk_buf_init(&s->tgt.pool);
    (*n)++;
    if (id && !(s->id = tmk__strdup(id))) {
        nomem(r);
        return NULL;
    }
    if (count_bytes(r, 64) < 0)
        return NULL;
    return s;
}

static int root_start(tmk_xliff_reader *r, const char *local, const char *ns, size_t nsl,
                      const char **atts)
{
    if (strcmp(local, "xliff")) {
        tmk_error_set(&r->err, TMK_EFORMAT, cur_line(r), cur_col(r),
                      "the root element is <%.40s>, not <xliff>: this is not an XLIFF file",
                      local);
        return fail(r, TMK_EFORMAT);
    }
    const char *v = attr(atts, "version");
    snprintf(r->vstr, sizeof r->vstr, "%s", v ? v : "");
    int ns2 = ns && nsl >= 3 && !strncmp(ns + nsl - 3, "2.0", 3);
    if (v ? !strcmp(v, "1.0") || !strcmp(v, "1.1") || !strcmp(v, "1.2") : !ns2)
        r->version = 1;
    else if (v ? v[0] == '2' && v[1] == '.' && v[2] >= '0' && v[2] <= '2' && !v[3] : ns2)
        r->version = 2;
    else {
        tmk_error_set(&r->err, TMK_EFORMAT, cur_line(r), cur_col(r),
                      "XLIFF version \"%.20s\" is not read: tmkit reads XLIFF 1.0 to 1.2 and "
                      "2.0 to 2.2; export the file from the CAT tool as XLIFF 1.2 or 2.0",
                      v ? v : "");
        return fail(r, TMK_EFORMAT);
    }
    if (r->version == 2) {
        TMK_TRY_RC(dup_into(r, &r->src_lang, attr(atts, "srcLang")));
        TMK_TRY_RC(dup_into(r, &r->tgt_lang, attr(atts, "trgLang")));
    }
    return TMK_OK;
}

/* An inline element inside collected text. */
static enum role inline_start(tmk_xliff_reader *r, frame *f, const char *local, const char **atts)
{
    text *t = r->cur;
    const char *id = attr(atts, "id");
    tmk_buf tag = TMK_BUF_INIT;
    int rc = TMK_OK;
    enum role role = R_NONE;
    int v2 = r->version == 2;
    if (!v2 && (!strcmp(local, "bpt") || !strcmp(local, "ept") || !strcmp(local, "ph") ||
                !strcmp(local, "it"))) {
        /* 1.2 native codes: their content is the code */
        const char *rid = attr(atts, "rid");
        enum tok_kind k = local[0] == 'b' ? K_OPEN : local[0] == 'e' ? K_CLOSE : K_PH;
        if (local[0] == 'i') {
            const char *pos = attr(atts, "pos");
            k = pos && !strcmp(pos, "close") ? K_IT_CLOSE : K_IT_OPEN;
        }
        rc = add_tok(r, t, k, "", 0, rid ? rid : id, id, attr(atts, "ctype"), 0);
        r->code_text = t;
        r->code_tok = t->n - 1;
        r->code_depth = 1;
        role = R_CODE;
    } else if ((!v2 && !strcmp(local, "g")) || (v2 && !strcmp(local, "pc"))) {
        snprintf(f->key, sizeof f->key, "\x01%lu", ++r->pair_key);
        rc = tag_text(&tag, local, atts, 0, 0);
        if (rc == TMK_OK)
            rc = add_tok(r, t, K_OPEN, tag.data, tag.len, f->key, id, attr(atts, "ctype"), 0);
        tmk_buf_reset(&tag);
        if (rc == TMK_OK && (rc = tag_text(&tag, local, atts, 0, 1)) == TMK_OK &&
            !(f->close_tag = tmk__strdup(tag.data)))
            rc = TMK_ENOMEM;
        role = R_PAIR;
    } else if ((!v2 && (!strcmp(local, "x") || !strcmp(local, "bx") || !strcmp(local, "ex"))) ||
               (v2 && (!strcmp(local, "ph") || !strcmp(local, "sc") || !strcmp(local, "ec")))) {
        rc = tag_text(&tag, local, atts, 1, 0);
        enum tok_kind k = K_PH;
        const char *key = NULL;
        if (!strcmp(local, "bx") || !strcmp(local, "sc")) {
            k = K_OPEN;
            key = v2 ? id : attr(atts, "rid") ? attr(atts, "rid") : id;
        } else if (!strcmp(local, "ex") || !strcmp(local, "ec")) {
            k = K_CLOSE;
            key = v2 ? attr(atts, "startRef") : attr(atts, "rid") ? attr(atts, "rid") : id;
        }
        const char *iso = attr(atts, "isolated");
        if (v2 && iso && !strcmp(iso, "yes"))
            k = k == K_OPEN ? K_IT_OPEN : k == K_CLOSE ? K_IT_CLOSE : k;
        if (rc == TMK_OK)
            rc = add_tok(r, t, k, tag.data, tag.len, key, id, attr(atts, "ctype"), 0);
        role = R_NONE;
    } else if (v2 && !strcmp(local, "cp")) {
        const char *hex = attr(atts, "hex");
        char *end;
        unsigned long cp = hex ? strtoul(hex, &end, 16) : 0;
        if (hex && *hex && !*end &&
            (cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
             (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF))) {
            char u[4];
            int n = tmk_utf8_encode((int32_t)cp, u);
            if (n > 0)
                rc = add_tok(r, t, K_TEXT, u, (size_t)n, NULL, NULL, NULL, 1);
        }
    }
    /* mrk, sm, em, sub and anything else: the tag dropped, its text kept */
    tmk_buf_release(&tag);
    if (rc == TMK_ENOMEM)
        nomem(r);
    return role;
}

/* An element inside text (a source, a target, a seg-source mrk): inline
 * markup, Trados' deleted text, or a 1.2 target's mrk segment. */
static void start_inline(tmk_xliff_reader *r, frame *f, const char *local, int core,
                         const char **atts)
{
    const char *mt = attr(atts, "mtype");
    if (core && !strcmp(local, "mrk") && mt && !strcmp(mt, "x-sdl-deleted")) {
        /* Trados tracked changes: deleted text is not in the text (the
         * changes read as accepted, as for DOCX) */
        f->role = R_SKIP;
        r->skip = 1;
        return;
    }
    f->role = inline_start(r, f, local, atts);
    if (core && !strcmp(local, "mrk") && r->version == 1 && (r->part == P_TGT) &&
        attr(atts, "mtype") && !strcmp(attr(atts, "mtype"), "seg") && r->cur == &r->whole_tgt) {
        seg *s = new_seg(r, &r->ts, &r->nts, &r->cap_ts, attr(atts, "mid"));
        if (!s)
            return;
        s->tgt.present = 1;
        f->role = R_MRKSEG;
        f->saved_cur = r->cur;
        r->cur = &s->tgt;
    }
}

/* An element outside the XLIFF namespace. */
static void start_extension(tmk_xliff_reader *r, frame *f, const char *local, const char *ns,
                            size_t nsl, const char **atts)
{
    /* SDL's confirmation levels; every other extension is skipped */
    if (r->in_unit && ns_has(ns, nsl, "sdl.com") && !strcmp(local, "seg-defs")) {
        f->role = R_NONE;
    } else if (r->in_unit && ns_has(ns, nsl, "sdl.com") && !strcmp(local, "seg")) {
        if (r->nconfs == r->cap_confs) {
            size_t nc = r->cap_confs ? 2 * r->cap_confs : 8;
            conf *na = realloc(r->confs, nc * sizeof *na);
            if (!na) {
                nomem(r);
                return;
            }
            r->confs = na;
            r->cap_confs = nc;
        }
        conf *c = &r->confs[r->nconfs++];
        memset(c, 0, sizeof *c);
        const char *id = attr(atts, "id"), *cf = attr(atts, "conf");
        if ((id && !(c->id = tmk__strdup(id))) || (cf && !(c->conf = tmk__strdup(cf)))) {
            nomem(r);
            return;
        }
        if (count_bytes(r, 64) < 0)
            return;
        f->role = R_SKIP;
        r->skip = 1;
    } else {
        f->role = R_SKIP;
        r->skip = 1;
    }
}

/* An XLIFF 1.2 element inside a trans-unit: source, seg-source, target. */
static void start_in_unit_v1(tmk_xliff_reader *r, frame *f, const char *local, const char **atts)
{
    if (!strcmp(local, "source") && r->part == P_NONE && !r->whole_src.present) {
        f->role = R_SRC;
        r->part = P_SRC;
        r->whole_src.present = 1;
        r->cur = &r->whole_src;
    } else if (!strcmp(local, "seg-source") && r->part == P_NONE && !r->nss) {
        f->role = R_SEGSRC;
        r->part = P_SEGSRC;
    } else if (!strcmp(local, "target") && r->part == P_NONE && !r->whole_tgt.present) {
        f->role = R_TGT;
        r->part = P_TGT;
        r->whole_tgt.present = 1;
        r->cur = &r->whole_tgt;
        TMK_TRY_VOID(dup_into(r, &r->t_state, attr(atts, "state")));
        TMK_TRY_VOID(dup_into(r, &r->t_qual, attr(atts, "state-qualifier")));
    } else {
        f->role = R_SKIP; /* alt-trans, note, context-group, a second source ... */
        r->skip = 1;
    }
}

/* An XLIFF 2.0 element inside a unit: segment, and its source and target. */
static void start_in_unit_v2(tmk_xliff_reader *r, frame *f, const char *local, const char **atts)
{
    if (!strcmp(local, "segment") && r->part == P_NONE) {
        seg *s = new_seg(r, &r->ss, &r->nss, &r->cap_ss, attr(atts, "id"));
        if (!s)
            return;
        const char *stt = attr(atts, "state");
        if (stt && !(s->state = tmk__strdup(stt))) {
            nomem(r);
            return;
        }
        f->role = R_SEGMENT;
    } else if (r->nss && r->st[r->depth - 2].role == R_SEGMENT &&
               (!strcmp(local, "source") || !strcmp(local, "target"))) {
        seg *s = &r->ss[r->nss - 1];
        text *t = local[0] == 's' ? &s->src : &s->tgt;
        if (t->present) {
            f->role = R_SKIP;
            r->skip = 1;
            return;
        }
        t->present = 1;
        f->role = local[0] == 's' ? R_SRC : R_TGT;
        r->part = local[0] == 's' ? P_SRC : P_TGT;
        r->cur = t;
    } else {
        f->role = R_SKIP; /* ignorable, notes, originalData, modules */
        r->skip = 1;
    }
}

static void XMLCALL on_start(void *ud, const char *name, const char **atts)
{
    tmk_xliff_reader *r = ud;
    if (r->rc)
        return;
    if (r->depth >= MAX_DEPTH) {
        tmk_error_set(&r->err, TMK_ELIMIT, cur_line(r), cur_col(r),
                      "elements nested more than %d deep: no XLIFF file needs that; tmkit "
                      "stops reading there",
                      MAX_DEPTH);
        fail(r, TMK_ELIMIT);
        return;
    }
    frame *parent = r->depth ? &r->st[r->depth - 1] : NULL;
    frame *f = &r->st[r->depth++];
    memset(f, 0, sizeof *f);
    f->translate = parent ? parent->translate : 1;
    f->preserve = parent ? parent->preserve : 0;
    const char *xs = attr_ns(atts, "w3.org/XML/1998/namespace", "space");
    if (xs)
        f->preserve = !strcmp(xs, "preserve");
    if (r->skip) {
        r->skip++;
        f->role = R_SKIP;
        return;
    }
    if (r->code_depth) {
        r->code_depth++;
        f->role = R_INCODE;
        return;
    }
    const char *ns;
    size_t nsl;
    const char *local = local_of(name, &ns, &nsl);
    if (!parent) {
        f->role = R_ROOT;
        root_start(r, local, ns, nsl, atts);
        return;
    }
    const char *tr = attr(atts, "translate");
    if (tr)
        f->translate = strcmp(tr, "no") != 0;
    int core = is_xliff_ns(ns, nsl);
    if (r->cur) { /* inside text: inline elements */
        start_inline(r, f, local, core, atts);
        return;
    }
    if (!core) {
        start_extension(r, f, local, ns, nsl, atts);
        return;
    }
    if (r->part == P_SEGSRC) {
        /* seg-source: only the mrk segments count */
        const char *mt = attr(atts, "mtype");
        if (!strcmp(local, "mrk") && mt && !strcmp(mt, "seg")) {
            seg *s = new_seg(r, &r->ss, &r->nss, &r->cap_ss, attr(atts, "mid"));
            if (!s)
                return;
            f->role = R_MRKSEG;
            f->saved_cur = r->cur;
            r->cur = &s->src;
        }
        return;
    }
    if (!strcmp(local, "file")) {
        f->role = R_FILE;
        r->file_index++;
        TMK_TRY_VOID(dup_into(r, &r->file, attr(atts, "original")));
        if (r->version == 1) {
            TMK_TRY_VOID(dup_into(r, &r->src_lang, attr(atts, "source-language")));
            TMK_TRY_VOID(dup_into(r, &r->tgt_lang, attr(atts, "target-language")));
        }
        return;
    }
    const char *restype = attr(atts, "restype");
    if (!r->in_unit && r->version == 1 && !strcmp(local, "trans-unit") && restype &&
        !strcmp(restype, "x-gettext-domain-header")) {
        f->role = R_SKIP; /* translate-toolkit's PO header: not a segment */
        r->skip = 1;
        return;
    }
    if (!r->in_unit && ((r->version == 1 && !strcmp(local, "trans-unit")) ||
                        (r->version == 2 && !strcmp(local, "unit")))) {
        unit_reset(r);
        r->in_unit = 1;
        f->role = R_UNIT;
        r->u_translate = f->translate;
        r->u_line = cur_line(r);
        r->u_col = cur_col(r);
        TMK_TRY_VOID(dup_into(r, &r->u_id, attr(atts, "id")));
        if (r->version == 1) {
            TMK_TRY_VOID(dup_into(r, &r->u_approved, attr(atts, "approved")));
            TMK_TRY_VOID(dup_into(r, &r->u_mq, attr_ns(atts, "mqxliff", "status")));
        }
        return;
    }
    if (!r->in_unit) {
        static const char *const skipped[] = {"header", "bin-unit", "notes", "skeleton"};
        for (size_t i = 0; i < sizeof skipped / sizeof *skipped; i++)
            if (!strcmp(local, skipped[i])) {
                f->role = R_SKIP;
                r->skip = 1;
            }
        return; /* body, group, ... */
    }
    if (r->version == 1)
        start_in_unit_v1(r, f, local, atts);
    else
        start_in_unit_v2(r, f, local, atts);
}

static void XMLCALL on_end(void *ud, const char *name)
{
    tmk_xliff_reader *r = ud;
    (void)name;
    if (r->rc || !r->depth)
        return;
    frame *f = &r->st[--r->depth];
    switch (f->role) {
    case R_SKIP:
        if (r->skip)
            r->skip--;
        break;
    case R_INCODE:
        r->code_depth--;
        break;
    case R_CODE:
        r->code_depth = 0;
        r->code_text = NULL;
        break;
    case R_PAIR:
        if (r->cur && f->close_tag)
            add_tok(r, r->cur, K_CLOSE, f->close_tag, strlen(f->close_tag), f->key, NULL,
                    NULL, 0);
        break;
    case R_MRKSEG:
        r->cur = f->saved_cur;
        break;
    case R_SRC:
    case R_TGT:
    case R_SEGSRC:
        r->cur = NULL;
        r->part = P_NONE;
        break;
    case R_UNIT:
        if (r->version == 2)
            end_unit20(r);
        else
            end_unit12(r);
        unit_reset(r);
        break;
    default:
        break;
    }
    free(f->close_tag);
    f->close_tag = NULL;
}

static void XMLCALL on_chars(void *ud, const char *s, int n)
{
    tmk_xliff_reader *r = ud;
    if (r->rc || r->skip || n <= 0)
        return;
    if (r->code_depth && r->code_text) {
        text *t = r->code_text;
        if (count_bytes(r, (size_t)n) < 0)
            return;
        /* the code token is the last one of its text while it is open */
        if (tmk_buf_add(&t->pool, s, (size_t)n) < 0) {
            nomem(r);
            return;
        }
        t->t[r->code_tok].len += (size_t)n;
        return;
    }
    if (r->cur)
        add_tok(r, r->cur, K_TEXT, s, (size_t)n, NULL, NULL, NULL,
                r->depth ? r->st[r->depth - 1].preserve : 0);
}

static void XMLCALL on_doctype(void *ud, const char *name, const char *sysid, const char *pubid,
                               int has_internal)
{
    tmk_xliff_reader *r = ud;
    (void)name, (void)sysid, (void)pubid, (void)has_internal;
    tmk_error_set(&r->err, TMK_ESYNTAX, cur_line(r), cur_col(r),
                  "a document type declaration (<!DOCTYPE>), which XLIFF files do not need: "
                  "the file was edited by hand or made to attack XML readers; tmkit does not "
                  "read it (remove the declaration if you trust the file)");
    fail(r, TMK_ESYNTAX);
}

/* An encoding expat does not know itself (it knows UTF-8, UTF-16,
 * ISO-8859-1 and US-ASCII): a single-byte one that iconv knows
 * (windows-1252, ISO-8859-15, KOI8-R, ...) is read through the table of its
 * 256 bytes; a byte it does not define is an error where it occurs.  Others
 * are refused (the message says how to convert the file). */
static int XMLCALL on_unknown_encoding(void *ud, const XML_Char *name, XML_Encoding *info)
{
    tmk_xliff_reader *r = ud;
    snprintf(r->enc, sizeof r->enc, "%s", name);
    iconv_t cd = iconv_open("UTF-32LE", name);
    if (cd == (iconv_t)-1) {
        r->enc_none = 1;
        return XML_STATUS_ERROR;
    }
    int ok = 1;
    for (int b = 0; b < 256 && ok; b++) {
        char in = (char)b, out[8];
        char *ip = &in, *op = out;
        size_t il = 1, ol = sizeof out;
        iconv(cd, NULL, NULL, NULL, NULL);
        size_t n = iconv(cd, &ip, &il, &op, &ol);
        if (n == (size_t)-1 && errno == EINVAL) {
            r->enc_multi = 1; /* the first byte of a longer sequence */
            ok = 0;
        } else if (n == (size_t)-1 || op - out != 4) {
            info->map[b] = -1; /* not a character of the encoding (or a state change) */
        } else {
            const unsigned char *u = (const unsigned char *)out;
            info->map[b] = (int)((unsigned long)u[0] | (unsigned long)u[1] << 8 |
                                 (unsigned long)u[2] << 16 | (unsigned long)u[3] << 24);
        }
    }
    iconv_close(cd);
    info->data = NULL;
    info->convert = NULL;
    info->release = NULL;
    return ok ? XML_STATUS_OK : XML_STATUS_ERROR;
}

/* ---- API ------------------------------------------------------------------ */

int tmk_xliff_reader_new(tmk_xliff_reader **out, const tmk_xliff_options *opt, tmk_error *err)
{
    *out = NULL;
    tmk_xliff_reader *r = calloc(1, sizeof *r);
    if (!r)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    r->max_unit = TMK_XLIFF_MAX_UNIT;
    if (opt && opt->size >= offsetof(tmk_xliff_options, max_unit) + sizeof opt->max_unit &&
        opt->max_unit)
        r->max_unit = opt->max_unit;
    tmk_buf_init(&r->a);
    tmk_buf_init(&r->b);
    tmk_buf_init(&r->whole_src.pool);
    tmk_buf_init(&r->whole_tgt.pool);
    r->p = XML_ParserCreateNS(NULL, NS_SEP);
    if (!r->p) {
        free(r);
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    }
    XML_SetUserData(r->p, r);
    XML_SetElementHandler(r->p, on_start, on_end);
    XML_SetCharacterDataHandler(r->p, on_chars);
    XML_SetStartDoctypeDeclHandler(r->p, on_doctype);
    XML_SetUnknownEncodingHandler(r->p, on_unknown_encoding, r);
    XML_SetParamEntityParsing(r->p, XML_PARAM_ENTITY_PARSING_NEVER);
    *out = r;
    return TMK_OK;
}

static int give_error(tmk_xliff_reader *r, tmk_error *err)
{
    if (err) {
        if (!r->err.file[0])
            tmk_error_set_file(&r->err, err->file);
        *err = r->err;
    }
    return r->rc;
}

static int parse(tmk_xliff_reader *r, const char *data, size_t len, int final,
                 tmk_xliff_pair_cb cb, void *ud, tmk_error *err)
{
    if (r->finished)
        return tmk__after_finish(err, "XLIFF reader");
    r->finished = final;
    if (r->rc)
        return give_error(r, err);
    r->cb = cb;
    r->ud = ud;
    while (len || final) {
        int n = len > (1u << 30) ? 1 << 30 : (int)len;
        int last = final && (size_t)n == len;
        if (XML_Parse(r->p, data, n, last) == XML_STATUS_ERROR) {
            enum XML_Error xe = XML_GetErrorCode(r->p);
            if (!r->rc && xe == XML_ERROR_UNKNOWN_ENCODING) {
                const char *e = r->enc[0] ? r->enc : "?";
                if (r->enc_none)
                    tmk_error_set(&r->err, TMK_EENCODING, cur_line(r), cur_col(r),
                                  "the file says its encoding is \"%s\", an encoding this "
                                  "system does not know: export it from the CAT tool as UTF-8",
                                  e);
                else
                    tmk_error_set(&r->err, TMK_EENCODING, cur_line(r), cur_col(r),
                                  "the file says its encoding is \"%s\", which tmkit cannot "
                                  "read%s: export it from the CAT tool as UTF-8, or convert it "
                                  "(iconv -f %s -t UTF-8 FILE > NEW) and change "
                                  "encoding=\"%s\" in its first line to encoding=\"UTF-8\"",
                                  e, r->enc_multi ? " (a multi-byte encoding other than UTF-8 "
                                                    "and UTF-16)" : "", e, e);
                r->rc = TMK_EENCODING;
            } else if (!r->rc && xe == XML_ERROR_INVALID_TOKEN && r->enc[0] && !r->enc_multi) {
                tmk_error_set(&r->err, TMK_ESYNTAX, cur_line(r), cur_col(r),
                              "a byte that is no character of the file's encoding \"%s\", or "
                              "XML that is not well-formed (invalid token); the XLIFF file is "
                              "damaged: export it again from the CAT tool (as UTF-8)", r->enc);
                r->rc = TMK_ESYNTAX;
            } else if (!r->rc && xe == XML_ERROR_NO_ELEMENTS && !r->version) {
                /* empty, or only an XML declaration or comments: another kind of
                 * file than XLIFF, as xliff.h says (not a damaged one) */
                tmk_error_set(&r->err, TMK_EFORMAT, 0, 0,
                              "no <xliff> element (the file is empty): this is not an XLIFF "
                              "file");
                r->rc = TMK_EFORMAT;
            }
            if (!r->rc) {
                tmk_error_set(&r->err, TMK_ESYNTAX, cur_line(r), cur_col(r),
                              "%s; the XLIFF file is damaged (not well-formed XML): export "
                              "it again from the CAT tool",
                              XML_ErrorString(XML_GetErrorCode(r->p)));
                r->rc = TMK_ESYNTAX;
            }
            return give_error(r, err);
        }
        if (r->rc)
            return give_error(r, err);
        data += n;
        len -= (size_t)n;
        if (last)
            break;
    }
    return TMK_OK;
}

int tmk_xliff_reader_feed(tmk_xliff_reader *r, const char *data, size_t len, tmk_xliff_pair_cb cb,
                   void *ud, tmk_error *err)
{
    return parse(r, data, len, 0, cb, ud, err);
}

int tmk_xliff_reader_finish(tmk_xliff_reader *r, tmk_xliff_pair_cb cb, void *ud, tmk_error *err)
{
    int rc = parse(r, "", 0, 1, cb, ud, err);
    if (rc)
        return rc;
    if (!r->version) {
        tmk_error_set(&r->err, TMK_EFORMAT, 0, 0, "no <xliff> element: this is not an XLIFF file");
        r->rc = TMK_EFORMAT;
        return give_error(r, err);
    }
    return TMK_OK;
}

const char *tmk_xliff_reader_version(const tmk_xliff_reader *r)
{
    return r->vstr;
}

void tmk_xliff_reader_free(tmk_xliff_reader *r)
{
    if (!r)
        return;
    unit_reset(r);
    for (unsigned i = 0; i < r->depth; i++)
        free(r->st[i].close_tag);
    free(r->ss);
    free(r->ts);
    free(r->confs);
    free(r->src_lang);
    free(r->tgt_lang);
    free(r->file);
    tmk_buf_release(&r->a);
    tmk_buf_release(&r->b);
    XML_ParserFree(r->p);
    free(r);
}

static const char *const status_names[] = {"untranslated", "rejected", "draft", "translated",
                                           "approved"};

const char *tmk_xliff_status_name(enum tmk_xliff_status s)
{
    return (unsigned)s < 5 ? status_names[s] : "";
}

int tmk_xliff_status_parse(const char *s)
{
    for (int i = 0; s && i < 5; i++)
        if (!strcasecmp(s, status_names[i]))
            return i;
    return -1;
}
