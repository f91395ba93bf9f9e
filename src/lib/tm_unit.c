/* tm_unit.c -- what every TMX tool asks of a unit: which tuv is its
 * source (tmk_lang_match, tmk_tmx_source_tuv), its identity
 * (tmk_tmx_unit_hash), and the text of a seg (tmk_tmx_seg_plain,
 * tmk_tmx_seg_text).  stats counts duplicates and merge drops them by this
 * one hash, so the two always agree on what "the same unit" is.  The
 * reader (tmx_read.c) and the memory (tm_lookup.c, tm_index.c) call it;
 * of them it calls only tmk_tmx_attr_get. */
#include <config.h>
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "tm_count.h"
#include "tmx_int.h"

static int lang_ch(int c) { return c == '_' ? '-' : tolower(c); }

int tmk_lang_match(const char *lang, const char *want)
{
    if (!lang || !want)
        return 0;
    size_t i = 0;
    while (lang[i] && want[i] &&
           lang_ch((unsigned char)lang[i]) == lang_ch((unsigned char)want[i]))
        i++;
    if (!lang[i] && !want[i])
        return 1;
    /* "de" matches "de-DE" */
    return !want[i] && (lang[i] == '-' || lang[i] == '_') && !strchr(want, '-') &&
           !strchr(want, '_');
}

long tmk_tmx_find_tuv(const tmk_tmx_tu *tu, const char *want)
{
    for (size_t i = 0; i < tu->ntuvs; i++)
        if (tmk_lang_match(tu->tuvs[i].lang, want))
            return (long)i;
    return -1;
}

long tmk_tmx_source_tuv(const tmk_tmx_tu *tu, const char *header_srclang)
{
    const char *s = tmk_tmx_attr_get(tu->attrs, tu->nattrs, "srclang");
    if (!s || !strcmp(s, "*all*"))
        s = header_srclang;
    long i = -1;
    if (s && strcmp(s, "*all*"))
        i = tmk_tmx_find_tuv(tu, s);
    if (i < 0 && tu->ntuvs)
        i = 0;
    return i;
}

int tmk__markup_event(tmk_buf *m, int end, const char *name, size_t nlen, size_t at)
{
    uint64_t a = (uint64_t)at;
    char head[2] = {'\1', end ? 'E' : 'S'};
    if (tmk_buf_add(m, head, 2) < 0 || tmk_buf_add(m, &a, sizeof a) < 0 ||
        tmk_buf_add(m, name, nlen) < 0 || tmk_buf_addch(m, '\2') < 0)
        return TMK_ENOMEM;
    return TMK_OK;
}

uint64_t tmk__markup_hash(const char *m, size_t n)
{
    return tm_hash_bytes(0x6d61726b7570ULL, m, n) | 1;
}

uint64_t tmk__ident_markup(uint64_t tuv_hash, uint64_t mhash)
{
    if (!mhash)
        return tuv_hash;
    uint64_t h = (tuv_hash ^ mhash) * 0x9E3779B97F4A7C15ULL;
    return h ^ (h >> 29);
}

/* One XML entity or character reference at s (n bytes left) decoded into
 * out; returns its length (1 for a lone '&', kept). */
static size_t decode_ref(const char *s, size_t n, tmk_buf *out, int *rc) /* out NULL: skip */
{
    const char *semi = memchr(s, ';', n);
    size_t el = semi ? (size_t)(semi - s) + 1 : 1;
    char chbuf[4];
    int k = 0;
    if (el == 4 && !memcmp(s, "&lt;", 4)) chbuf[k++] = '<';
    else if (el == 4 && !memcmp(s, "&gt;", 4)) chbuf[k++] = '>';
    else if (el == 5 && !memcmp(s, "&amp;", 5)) chbuf[k++] = '&';
    else if (el == 6 && !memcmp(s, "&quot;", 6)) chbuf[k++] = '"';
    else if (el == 6 && !memcmp(s, "&apos;", 6)) chbuf[k++] = '\'';
    else if (el > 3 && s[1] == '#') {
        long cp = s[2] == 'x' ? strtol(s + 3, NULL, 16) : strtol(s + 2, NULL, 10);
        k = tmk_utf8_encode((int32_t)cp, chbuf);
    } else {
        chbuf[k++] = '&';
        el = 1;
    }
    if (out && k > 0 && tmk_buf_add(out, chbuf, (size_t)k) < 0)
        *rc = TMK_ENOMEM;
    return el;
}

/* The tag that starts at seg[i] ('<'): closing ("</x>"), self-closing
 * ("<x/>"), its name (seg[name..name+name_len), and in nm when it is short
 * enough to be a TMX inline element, else ""), and end: the index of its
 * '>' (len when it has none).  Quoted attribute values may hold '>'. */
struct tag {
    int closing, selfclose;
    size_t name, name_len, end;
    char nm[8];
};

static void scan_tag(const char *seg, size_t len, size_t i, struct tag *t)
{
    size_t j = i + 1;
    memset(t, 0, sizeof *t);
    t->closing = j < len && seg[j] == '/';
    if (t->closing)
        j++;
    t->name = j;
    while (j < len && seg[j] != ' ' && seg[j] != '>' && seg[j] != '/' && seg[j] != '\t' &&
           seg[j] != '\n' && seg[j] != '\r')
        j++;
    t->name_len = j - t->name;
    if (t->name_len < sizeof t->nm)
        memcpy(t->nm, seg + t->name, t->name_len);
    while (j < len && seg[j] != '>') {
        if (seg[j] == '"' || seg[j] == '\'') {
            char q = seg[j++];
            while (j < len && seg[j] != q)
                j++;
        }
        j++;
    }
    t->selfclose = j > 0 && j < len && seg[j - 1] == '/';
    t->end = j;
}

int tmk__seg_split(const char *seg, size_t len, tmk_buf *plain, tmk_buf *m)
{
    int code = 0, rc = TMK_OK;
    size_t i = 0;
    while (i < len && rc == TMK_OK) {
        if (seg[i] == '<') {
            struct tag t;
            scan_tag(seg, len, i, &t);
            int closing = t.closing, selfclose = t.selfclose;
            size_t ns = t.name, ne = t.name + t.name_len, j = t.end;
            const char *nm = t.nm;
            int is_code = !strcmp(nm, "bpt") || !strcmp(nm, "ept") || !strcmp(nm, "it") ||
                          !strcmp(nm, "ph") || !strcmp(nm, "ut");
            if (m && !closing)
                rc = tmk__markup_event(m, 0, seg + ns, ne - ns, plain->len);
            if (m && rc == TMK_OK && (closing || selfclose))
                rc = tmk__markup_event(m, 1, seg + ns, ne - ns, plain->len);
            if (is_code && !selfclose)
                code += closing ? -1 : 1;
            if (code < 0)
                code = 0;
            i = j + 1;
            continue;
        }
        tmk_buf *to = code ? m : plain; /* NULL: native code text left out */
        size_t j = i;
        while (j < len && seg[j] != '<' && seg[j] != '&')
            j++;
        if (to && tmk_buf_add(to, seg + i, j - i) < 0)
            return TMK_ENOMEM;
        i = j;
        if (i < len && seg[i] == '&')
            i += decode_ref(seg + i, len - i, to, &rc);
    }
    return rc;
}

int tmk_tmx_seg_plain(const char *seg, size_t len, int markup, tmk_buf *out)
{
    return markup ? tmk__seg_split(seg, len, out, NULL) : tmk_buf_add(out, seg, len);
}

int tmk__tuv_hash(const tmk_tmx_tuv *v, tmk_buf *scratch, uint64_t *out)
{
    tmk_buf_reset(scratch);
    tmk_buf m = TMK_BUF_INIT;
    int rc = v->markup ? tmk__seg_split(v->seg, v->seg_len, scratch, &m)
                       : tmk_buf_add(scratch, v->seg, v->seg_len);
    if (rc < 0 || tmk_buf_grow(scratch, TMK_TMX_SEG_PAD + 1) < 0) {
        tmk_buf_release(&m);
        return TMK_ENOMEM;
    }
    /* count_text may read up to TMK_TMX_SEG_PAD - 1 bytes past the text's
     * NUL (it masks them): defined bytes there */
    memset(scratch->data + scratch->len + 1, ' ', TMK_TMX_SEG_PAD - 1);
    *out = tm_tuv_hash(tm_lang_hash(v->lang ? v->lang : "(none)"), scratch->data, scratch->len);
    if (m.len)
        *out = tmk__ident_markup(*out, tmk__markup_hash(m.data, m.len));
    tmk_buf_release(&m);
    return TMK_OK;
}

int tmk_tmx_unit_hash(const tmk_tmx_tu *tu, uint64_t *out, tmk_error *err)
{
    tmk_buf b = TMK_BUF_INIT;
    uint64_t sum = 0, h;
    *out = 0;
    for (size_t i = 0; i < tu->ntuvs; i++) {
        if (tmk__tuv_hash(&tu->tuvs[i], &b, &h) < 0) {
            tmk_buf_release(&b);
            return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        }
        sum += h;
    }
    tmk_buf_release(&b);
    *out = sum;
    return TMK_OK;
}

const char *tmk_tmx_unit_prop(const tmk_tmx_tu *tu, const char *type)
{
    for (size_t i = 0; i < tu->nprops; i++)
        if (tu->props[i].type && !strcmp(tu->props[i].type, type))
            return tu->props[i].value;
    for (size_t k = 0; k < tu->ntuvs; k++)
        for (size_t i = 0; i < tu->tuvs[k].nprops; i++)
            if (tu->tuvs[k].props[i].type && !strcmp(tu->tuvs[k].props[i].type, type))
                return tu->tuvs[k].props[i].value;
    return NULL;
}

/* ---- the text of a seg as a translator reads it ----------------------------- */

/* A removed tag left the text at out->len + this text: no double space and
 * no space before punctuation where the tag was (other spacing stays). */
static size_t after_cut(tmk_buf *out, size_t start, const char *s, size_t n)
{
    int sp = out->len > start && out->data[out->len - 1] == ' ';
    if (!sp || !n)
        return 0;
    size_t k = 0;
    while (k < n && s[k] == ' ')
        k++; /* "Click  to" -> "Click to" */
    if (k < n && strchr(".,;:!?)]}", s[k]))
        while (out->len > start && out->data[out->len - 1] == ' ')
            out->data[--out->len] = '\0'; /* "Sie , um" -> "Sie, um" */
    return k;
}

/* A placeholder's native code that is markup, not a variable: an HTML/XML
 * tag ("<br/>", "<img src=...>") or an RTF control ("\line", "{\field").
 * Such code is formatting and is left out like <bpt>/<ept>; "{0}", "%s",
 * "%1$s", "{page}", "$name" are kept. */
static int code_is_markup(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t' || *s == '\n')) {
        s++;
        n--;
    }
    return n && ((s[0] == '<' && s[n - 1] == '>') || s[0] == '\\' ||
                 (n > 1 && s[0] == '{' && s[1] == '\\'));
}

/* Append text t where a code may have been left out before it. */
static int put_text(tmk_buf *out, size_t start, int *cut, const char *t, size_t tn)
{
    if (*cut && tn) {
        size_t k = after_cut(out, start, t, tn);
        t += k;
        tn -= k;
    }
    if (tn)
        *cut = 0;
    return tmk_buf_add(out, t, tn);
}

int tmk_tmx_seg_text(const char *seg, size_t len, int markup, tmk_buf *out)
{
    if (!markup)
        return tmk_buf_add(out, seg, len);
    size_t start = out->len;
    int drop = 0;   /* inside bpt, ept or it: formatting code, left out */
    int cut = 0;    /* something was left out since the last text */
    int in_ph = 0;  /* inside a ph or ut: its code collects in ph */
    tmk_buf ph = TMK_BUF_INIT;
    int rc = TMK_OK;
    size_t i = 0;
    while (i < len && rc == TMK_OK) {
        if (seg[i] == '<') {
            struct tag t;
            scan_tag(seg, len, i, &t);
            int closing = t.closing, selfclose = t.selfclose;
            size_t j = t.end;
            const char *nm = t.nm;
            enum el e = el_of(nm);
            i = j + 1;
            if (e == E_BPT || e == E_EPT || e == E_IT) {
                if (!selfclose)
                    drop += closing ? -1 : 1;
                if (drop < 0)
                    drop = 0;
                cut = 1;
            } else if ((e == E_PH || e == E_UT) && !drop) {
                if (!closing && !selfclose) {
                    in_ph = 1;
                    tmk_buf_reset(&ph);
                } else if (closing && in_ph && ph.len && !code_is_markup(ph.data, ph.len)) {
                    in_ph = 0;
                    rc = put_text(out, start, &cut, ph.data, ph.len);
                } else {
                    in_ph = 0;
                    cut = 1; /* no code, or markup code */
                }
            }
            continue;
        }
        size_t j = i;
        while (j < len && seg[j] != '<' && seg[j] != '&')
            j++;
        const char *t = seg + i;
        size_t tn = j - i;
        char chbuf[8];
        if (j == i) { /* an entity */
            const char *semi = memchr(seg + i, ';', len - i);
            size_t el = semi ? (size_t)(semi - (seg + i)) + 1 : 1;
            int n = 0;
            if (el == 4 && !memcmp(seg + i, "&lt;", 4)) chbuf[n++] = '<';
            else if (el == 4 && !memcmp(seg + i, "&gt;", 4)) chbuf[n++] = '>';
            else if (el == 5 && !memcmp(seg + i, "&amp;", 5)) chbuf[n++] = '&';
            else if (el == 6 && !memcmp(seg + i, "&quot;", 6)) chbuf[n++] = '"';
            else if (el == 6 && !memcmp(seg + i, "&apos;", 6)) chbuf[n++] = '\'';
            else if (el > 3 && seg[i + 1] == '#') {
                long cp = seg[i + 2] == 'x' ? strtol(seg + i + 3, NULL, 16)
                                             : strtol(seg + i + 2, NULL, 10);
                n = tmk_utf8_encode((int32_t)cp, chbuf);
            } else {
                chbuf[n++] = '&';
                el = 1;
            }
            t = chbuf;
            tn = n > 0 ? (size_t)n : 0;
            j = i + el;
        }
        i = j;
        if (drop || !tn)
            continue;
        rc = in_ph ? tmk_buf_add(&ph, t, tn) : put_text(out, start, &cut, t, tn);
    }
    tmk_buf_release(&ph);
    return rc < 0 ? TMK_ENOMEM : TMK_OK;
}
