/* tm_merge.c -- merging TMX memories with bounded memory.
 *
 * Pass 1 reads every input and puts one fixed-size record per unit into an
 * external sorter: hash of its source (language + text), hash of all its
 * (language, text) pairs, file, ordinal, line, newest changedate,
 * usagecount.  Sorted by (source, content, file, ordinal), units with the
 * same source but other content follow each other (conflicts).  While that
 * order is walked, the records go into a second sorter by (content, file,
 * ordinal): there identical units are neighbours whatever their source
 * language (a de->en unit of a de memory and the same pair in an en->de
 * memory are one pair); the first in input order keeps, the others drop.
 * The keep/drop decisions go through a third sorter into input order, and
 * pass 2 reads the inputs again and writes the units, applying them.
 * Memory: at most two sorter budgets (8 MiB each) filled at a time, plus
 * one unit; 64-bit hashes make a false "identical" practically impossible
 * (about n^2 / 2^65).
 *
 * Source languages: the output header keeps the first input's srclang
 * (or "*all*" when some input says "*all*" and the inputs differ); a unit
 * without its own srclang whose input header named another source language
 * gets srclang="..." so that it keeps its source language.
 */
#include <config.h>
#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "internal.h"
#include "tmkit/tmx.h"

typedef struct {
    uint64_t src, pair;
    uint32_t file, line;
    uint64_t ord;
    int64_t date;   /* newest changedate, -1 = none */
    int64_t usage;  /* usagecount, -1 = none */
} mrec;

enum { D_DROP = 0, D_KEEP = 1 };
typedef struct {
    uint32_t file, action;
    uint64_t ord;
    int64_t date, usage;
} drec;

static int cmp_mrec(const void *a, const void *b)
{
    const mrec *x = a, *y = b;
    if (x->src != y->src) return x->src < y->src ? -1 : 1;
    if (x->pair != y->pair) return x->pair < y->pair ? -1 : 1;
    if (x->file != y->file) return x->file < y->file ? -1 : 1;
    return x->ord < y->ord ? -1 : x->ord > y->ord;
}

static int cmp_pair(const void *a, const void *b)
{
    const mrec *x = a, *y = b;
    if (x->pair != y->pair) return x->pair < y->pair ? -1 : 1;
    if (x->file != y->file) return x->file < y->file ? -1 : 1;
    return x->ord < y->ord ? -1 : x->ord > y->ord;
}

/* conflicting units: by source, then input order (the first is the earliest) */
static int cmp_conf(const void *a, const void *b)
{
    const mrec *x = a, *y = b;
    if (x->src != y->src) return x->src < y->src ? -1 : 1;
    if (x->file != y->file) return x->file < y->file ? -1 : 1;
    return x->ord < y->ord ? -1 : x->ord > y->ord;
}

/* a conflict to report: the later unit and the first with its source,
 * reported in the input order of the first, then of the later */
typedef struct {
    uint32_t efile, eline, lfile, lline;
    uint64_t eord, lord;
} crec;

static int cmp_crec(const void *a, const void *b)
{
    const crec *x = a, *y = b;
    if (x->efile != y->efile) return x->efile < y->efile ? -1 : 1;
    if (x->eord != y->eord) return x->eord < y->eord ? -1 : 1;
    if (x->lfile != y->lfile) return x->lfile < y->lfile ? -1 : 1;
    return x->lord < y->lord ? -1 : x->lord > y->lord;
}

/* What a pass saw of one input: its size and modification time before the
 * pass, and a checksum of its units in order.  Pass 2 must see the same as
 * pass 1, or the decisions of pass 1 would apply to other units. */
typedef struct {
    long long size, mtime_s, mtime_ns;
    uint64_t sum, units;
} fseen;

static int cmp_drec(const void *a, const void *b)
{
    const drec *x = a, *y = b;
    if (x->file != y->file) return x->file < y->file ? -1 : 1;
    return x->ord < y->ord ? -1 : x->ord > y->ord;
}

static uint64_t hash(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++)
        h = (h ^ p[i]) * 0x100000001b3ULL;
    return h;
}

static uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

static uint64_t lang_hash(const char *l)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (; l && *l; l++) {
        unsigned char c = (unsigned char)(*l == '_' ? '-' : tolower((unsigned char)*l));
        h = hash(h, &c, 1);
    }
    return hash(h, "", 1);
}

static int lang_eq(const char *a, const char *b)
{
    if (!a || !b)
        return 0;
    for (; *a && *b; a++, b++) {
        int x = *a == '_' ? '-' : tolower((unsigned char)*a);
        int y = *b == '_' ? '-' : tolower((unsigned char)*b);
        if (x != y)
            return 0;
    }
    return !*a && !*b;
}

_Static_assert(LLONG_MAX == INT64_MAX, "usagecounts saturate at LLONG_MAX");

typedef struct {
    const char *const *inputs;
    size_t ninputs, file;
    fseen *seen;        /* per input: what pass 1 saw */
    fseen now;          /* the input being read */
    int pass;
    uint64_t ord;
    tmk_tmx_reader *r;
    char *hdr_src;
    /* pass 1 */
    tmk_sorter *recs;
    char *out_srclang;
    int srclang_differs, any_all, have_header;
    /* pass 2 */
    tmk_sorter *decisions;
    const char *w_src; /* the output header's srclang */
    drec cur;
    int have_cur;
    tmk_tmx_writer *w;
    tmk_tmx_write_options wo; /* where the memory goes */
    tmk_tmx_sink sink;
    void *ud;
    tmk_tm_merge_stats *st;
    tmk_error *err;
    tmk_buf tmp;
    const char *temp_dir; /* the sorters' runs (borrowed from the caller) */
} merge;

static int on_header1(void *ud, const tmk_tmx_header *h)
{
    merge *m = ud;
    free(m->hdr_src);
    m->hdr_src = h->srclang ? tmk__strdup(h->srclang) : NULL;
    if (h->srclang && !m->hdr_src)
        return tmk_error_set(m->err, TMK_ENOMEM, 0, 0, "out of memory");
    const char *s = h->srclang ? h->srclang : "*all*";
    if (!strcmp(s, "*all*"))
        m->any_all = 1;
    if (!m->have_header) {
        m->out_srclang = tmk__strdup(s);
        if (!m->out_srclang)
            return tmk_error_set(m->err, TMK_ENOMEM, 0, 0, "out of memory");
        m->have_header = 1;
    } else if (!m->out_srclang || !lang_eq(m->out_srclang, s)) {
        m->srclang_differs = 1;
    }
    return TMK_OK;
}

static int64_t newest_changedate(const tmk_tmx_tu *tu)
{
    long long best = -1, t;
    const char *d = tmk_tmx_attr_get(tu->attrs, tu->nattrs, "changedate");
    if (d && tmk_tmx_date_parse(d, &t))
        best = t;
    for (size_t i = 0; i < tu->ntuvs; i++) {
        d = tmk_tmx_attr_get(tu->tuvs[i].attrs, tu->tuvs[i].nattrs, "changedate");
        if (d && tmk_tmx_date_parse(d, &t) && t > best)
            best = t;
    }
    return best;
}

/* The hashes of a unit's source and of its content (see mrec): the content
 * is the unit's identity (tmk_tmx_unit_hash: languages and texts, inline
 * tags by name, place and content but not attributes, any tuv order), the one stats counts duplicates by; raw
 * hashes the tuvs as read, markup included (the checksum of a pass). */
static int unit_hashes(merge *m, const tmk_tmx_tu *tu, uint64_t *src_out, uint64_t *pair_out,
                       uint64_t *raw_out)
{
    long si = tmk_tmx_source_tuv(tu, m->hdr_src);
    uint64_t pair = 0, langs = 0, src = 0, raw = 0;
    for (size_t i = 0; i < tu->ntuvs; i++) {
        uint64_t lh = lang_hash(tu->tuvs[i].lang), h;
        langs += lh;
        h = hash(lh, &tu->tuvs[i].markup, sizeof(int));
        raw += mix(hash(h, tu->tuvs[i].seg, tu->tuvs[i].seg_len));
        if (tmk__tuv_hash(&tu->tuvs[i], &m->tmp, &h) < 0)
            return tmk_error_set(m->err, TMK_ENOMEM, 0, 0, "out of memory");
        pair += h; /* order of tuvs does not matter */
        if ((long)i == si)
            src = h;
    }
    /* a conflict is the same source with other texts in the same languages
     * (de->en and de->fr units with one German text are no conflict) */
    *src_out = mix(src + langs);
    *pair_out = pair;
    *raw_out = mix(raw ^ tu->ntuvs);
    return TMK_OK;
}

/* the checksum of what a pass read: every unit's content, its attributes
 * (dates, counts) and its place in the file */
static void seen_unit(merge *m, const tmk_tmx_tu *tu, uint64_t raw)
{
    uint64_t h = hash(raw, &m->now.units, sizeof m->now.units);
    for (size_t i = 0; i < tu->nattrs; i++) {
        h = hash(h, tu->attrs[i].name, strlen(tu->attrs[i].name) + 1);
        h = hash(h, tu->attrs[i].value, strlen(tu->attrs[i].value) + 1);
    }
    m->now.sum = mix(m->now.sum ^ h);
    m->now.units++;
}

static int on_tu1(void *ud, const tmk_tmx_tu *tu)
{
    merge *m = ud;
    mrec rec;
    memset(&rec, 0, sizeof rec);
    rec.file = (uint32_t)m->file;
    rec.ord = m->ord++;
    rec.line = (uint32_t)tmk_tmx_reader_tu_line(m->r);
    uint64_t raw;
    TMK_TRY(unit_hashes(m, tu, &rec.src, &rec.pair, &raw));
    seen_unit(m, tu, raw);
    rec.date = newest_changedate(tu);
    const char *u = tmk_tmx_attr_get(tu->attrs, tu->nattrs, "usagecount");
    /* too big: strtoll clamps at LLONG_MAX, the INT64_MAX that sums saturate at */
    rec.usage = u && isdigit((unsigned char)*u) ? strtoll(u, NULL, 10) : -1;
    m->st->units_in++;
    return tmk_sorter_add(m->recs, &rec, m->err);
}

static int input_changed(merge *m, const char *path)
{
    tmk_error_set(m->err, TMK_EIO, 0, 0,
                  "the file changed while merge was reading it (merge reads each input "
                  "twice); run merge again when nothing else writes to it");
    tmk_error_set_file(m->err, path);
    return TMK_EIO;
}

/* size and modification time of path into m->now, its checksum zeroed */
static int seen_start(merge *m, const char *path)
{
    struct stat st;
    memset(&m->now, 0, sizeof m->now);
    if (stat(path, &st) != 0)
        return TMK_OK; /* the reader says why it cannot open it */
    m->now.size = (long long)st.st_size;
    m->now.mtime_s = (long long)st.st_mtim.tv_sec;
    m->now.mtime_ns = (long long)st.st_mtim.tv_nsec;
    return TMK_OK;
}

/* flags: pass 1 needs unit positions (conflict reports), pass 2 does not */
static int read_all(merge *m, tmk_tmx_header_cb hcb, tmk_tmx_tu_cb tcb, unsigned flags)
{
    for (m->file = 0; m->file < m->ninputs; m->file++) {
        m->ord = 0;
        free(m->hdr_src);
        m->hdr_src = NULL;
        const char *path = m->inputs[m->file];
        seen_start(m, path);
        fseen *was = &m->seen[m->file];
        if (m->pass == 2 && (m->now.size != was->size || m->now.mtime_s != was->mtime_s ||
                             m->now.mtime_ns != was->mtime_ns))
            return input_changed(m, path);
        tmk_tmx_read_options ro = TMK_TMX_READ_OPTIONS_INIT;
        ro.name = path;
        ro.flags = flags;
        TMK_TRY(tmk_tmx_reader_new(&m->r, &ro, hcb, tcb, NULL, m, m->err));
        tmk_error rerr = TMK_ERROR_INIT;
        int rc = tmk_tmx_read_file(m->r, path, &rerr);
        tmk_tmx_reader_free(m->r);
        m->r = NULL;
        if (rc < 0) {
            /* a callback error is already in m->err; else the reader's */
            if (!m->err->code) {
                *m->err = rerr;
                tmk_error_set_file(m->err, path);
            }
            return rc;
        }
        if (m->pass == 1)
            *was = m->now;
        else if (m->now.sum != was->sum || m->now.units != was->units)
            return input_changed(m, path);
    }
    return TMK_OK;
}

/* pass 2 */

static int on_header2(void *ud, const tmk_tmx_header *h)
{
    merge *m = ud;
    free(m->hdr_src);
    m->hdr_src = h->srclang ? tmk__strdup(h->srclang) : NULL;
    if (h->srclang && !m->hdr_src)
        return tmk_error_set(m->err, TMK_ENOMEM, 0, 0, "out of memory");
    if (m->w)
        return TMK_OK;
    tmk_tmx_header hh = *h;
    hh.creationtool = hh.creationtoolversion = NULL;
    hh.creationdate = -1;
    hh.srclang = (m->srclang_differs && m->any_all) || !m->out_srclang ? "*all*" : m->out_srclang;
    m->w_src = hh.srclang;
    return tmk_tmx_writer_new(&m->w, &m->wo, &hh, m->sink, NULL, m->ud, m->err);
}

static int on_tu2(void *ud, const tmk_tmx_tu *tu)
{
    merge *m = ud;
    uint64_t ord = m->ord++;
    uint64_t src, pair, raw;
    TMK_TRY(unit_hashes(m, tu, &src, &pair, &raw));
    seen_unit(m, tu, raw);
    /* more units than pass 1 saw: changed (said at the end of the file) */
    if (m->now.units > m->seen[m->file].units)
        return input_changed(m, m->inputs[m->file]);
    if (!m->w) {
        tmk_tmx_header h = {.srclang = "*all*", .creationdate = -1};
        TMK_TRY(on_header2(m, &h));
    }
    while (m->have_cur && (m->cur.file < m->file || (m->cur.file == m->file && m->cur.ord < ord))) {
        int rc = tmk_sorter_next(m->decisions, &m->cur, m->err);
        if (rc < 0)
            return rc;
        m->have_cur = rc == 1;
    }
    int keeper = m->have_cur && m->cur.file == m->file && m->cur.ord == ord;
    if (keeper && m->cur.action == D_DROP)
        return TMK_OK;
    /* a unit that relied on its header's srclang says it when the output
     * header names another one */
    const char *own_src = NULL;
    if (!tmk_tmx_attr_get(tu->attrs, tu->nattrs, "srclang")) {
        const char *hs = m->hdr_src ? m->hdr_src : "*all*";
        if (!lang_eq(hs, m->w_src))
            own_src = hs;
    }
    if (!keeper && !own_src) {
        m->st->units_out++;
        return tmk_tmx_writer_add(m->w, tu, m->err);
    }
    /* the keeper: newest changedate, summed usagecount */
    tmk_tmx_attr *attrs = malloc((tu->nattrs + 3) * sizeof *attrs);
    if (!attrs)
        return tmk_error_set(m->err, TMK_ENOMEM, 0, 0, "out of memory");
    char date[17], usage[32];
    size_t n = 0;
    int set_date = keeper && m->cur.date >= 0, set_usage = keeper && m->cur.usage >= 0;
    if (own_src)
        attrs[n++] = (tmk_tmx_attr){"srclang", own_src};
    if (set_date)
        tmk_tmx_date(m->cur.date, date);
    if (set_usage)
        snprintf(usage, sizeof usage, "%lld", (long long)m->cur.usage);
    for (size_t i = 0; i < tu->nattrs; i++) {
        tmk_tmx_attr a = tu->attrs[i];
        if (set_date && !strcmp(a.name, "changedate")) {
            a.value = date;
            set_date = 0;
        } else if (set_usage && !strcmp(a.name, "usagecount")) {
            a.value = usage;
            set_usage = 0;
        }
        attrs[n++] = a;
    }
    if (set_date)
        attrs[n++] = (tmk_tmx_attr){"changedate", date};
    if (set_usage)
        attrs[n++] = (tmk_tmx_attr){"usagecount", usage};
    tmk_tmx_tu out = *tu;
    out.attrs = attrs;
    out.nattrs = n;
    int rc = tmk_tmx_writer_add(m->w, &out, m->err);
    free(attrs);
    m->st->units_out++;
    return rc;
}

static int emit_group(merge *m, const mrec *first, int64_t date, int64_t usage, size_t count)
{
    if (count < 2)
        return TMK_OK;
    drec d = {first->file, D_KEEP, first->ord, date, usage};
    return tmk_sorter_add(m->decisions, &d, m->err);
}

/* Walk the records by source: groups of equal source, sub-groups of equal
 * content; a new content within a source group is a conflict (its first
 * units go to *conf, made at the first).  Every record goes on into
 * bypair, the sorter by content. */
static int walk_by_source(merge *m, tmk_sorter *bypair, tmk_sorter **conf)
{
    mrec cur, src_first, grp_first;
    memset(&src_first, 0, sizeof src_first);
    memset(&grp_first, 0, sizeof grp_first);
    int have = 0, src_first_out = 0, rc = TMK_OK;
    while (rc == TMK_OK) {
        int got = tmk_sorter_next(m->recs, &cur, m->err);
        if (got <= 0) {
            rc = got;
            break;
        }
        if (!have || cur.pair != grp_first.pair || cur.src != grp_first.src) {
            if (have && cur.src == src_first.src) {
                /* same source, other content: a conflict.  Records come in
                 * hash order: the first unit of each content goes to conf,
                 * which finds the earliest of the source in input order */
                m->st->conflicts++;
                if (!*conf)
                    rc = tmk_sorter_new(conf, sizeof(mrec), cmp_conf, 0, m->temp_dir, m->err);
                if (rc == TMK_OK && !src_first_out)
                    rc = tmk_sorter_add(*conf, &src_first, m->err);
                src_first_out = 1;
                if (rc == TMK_OK)
                    rc = tmk_sorter_add(*conf, &cur, m->err);
            } else {
                src_first = cur;
                src_first_out = 0;
            }
            grp_first = cur;
            have = 1;
        }
        if (rc == TMK_OK)
            rc = tmk_sorter_add(bypair, &cur, m->err);
    }
    return rc;
}

/* Tell the conflicts: each against the earliest unit with its source, in
 * the input order of that unit (then of the other). */
static int report_conflicts(merge *m, tmk_sorter *conf, tmk_tm_conflict_cb on_conflict, void *ud)
{
    tmk_sorter *reports = NULL;
    int rc = tmk_sorter_new(&reports, sizeof(crec), cmp_crec, 0, m->temp_dir, m->err);
    if (rc == TMK_OK)
        rc = tmk_sorter_sort(conf, m->err);
    mrec cur, first;
    int have_first = 0;
    while (rc == TMK_OK) {
        int got = tmk_sorter_next(conf, &cur, m->err);
        if (got <= 0) {
            rc = got;
            break;
        }
        if (!have_first || cur.src != first.src) {
            first = cur;
            have_first = 1;
            continue;
        }
        crec c = {first.file, first.line, cur.file, cur.line, first.ord, cur.ord};
        rc = tmk_sorter_add(reports, &c, m->err);
    }
    if (rc == TMK_OK)
        rc = tmk_sorter_sort(reports, m->err);
    crec c;
    while (rc == TMK_OK) {
        int got = tmk_sorter_next(reports, &c, m->err);
        if (got <= 0) {
            rc = got;
            break;
        }
        tmk_tm_conflict cf = {m->inputs[c.lfile], c.lline, m->inputs[c.efile], c.eline};
        int stop = on_conflict(ud, &cf);
        if (stop)
            rc = stop < 0 ? tmk_error_set(m->err, stop, 0, 0, "%s", tmk_error_string(stop))
                          : tmk_error_set(m->err, TMK_ECANCELED, 0, 0,
                                          "stopped by the conflict callback");
    }
    tmk_sorter_free(reports);
    return rc;
}

/* Walk the records by content: the first of identical units (in input
 * order) keeps, with the newest date and the summed usage counts; the
 * others are dropped (the decisions pass 2 follows). */
static int walk_by_content(merge *m, tmk_sorter *bypair)
{
    mrec cur, grp_first;
    memset(&grp_first, 0, sizeof grp_first);
    int have = 0, rc = TMK_OK;
    int64_t gdate = -1, gusage = -1;
    size_t gcount = 0;
    while (rc == TMK_OK) {
        int got = tmk_sorter_next(bypair, &cur, m->err);
        if (got < 0) {
            rc = got;
            break;
        }
        if (got == 0 || !have || cur.pair != grp_first.pair) {
            if (have)
                rc = emit_group(m, &grp_first, gdate, gusage, gcount);
            if (got == 0 || rc < 0)
                break;
            grp_first = cur;
            gdate = cur.date;
            gusage = cur.usage;
            gcount = 1;
            have = 1;
            continue;
        }
        /* an identical unit: dropped */
        gcount++;
        m->st->duplicates++;
        if (cur.date > gdate)
            gdate = cur.date;
        if (cur.usage >= 0)
            gusage = gusage < 0                       ? cur.usage
                     : gusage > INT64_MAX - cur.usage ? INT64_MAX /* saturate */
                                                      : gusage + cur.usage;
        drec d = {cur.file, D_DROP, cur.ord, -1, -1};
        rc = tmk_sorter_add(m->decisions, &d, m->err);
    }
    return rc;
}

int tmk_tm_merge(const char *const *inputs, size_t ninputs, const tmk_tmx_write_options *out,
                 const char *temp_dir, tmk_tmx_sink sink, tmk_tm_conflict_cb on_conflict, void *ud,
                 tmk_tm_merge_stats *st, tmk_error *err)
{
    tmk_tm_merge_stats dummy;
    merge m;
    memset(&m, 0, sizeof m);
    if (!st)
        st = &dummy;
    memset(st, 0, sizeof *st);
    tmk_buf_init(&m.tmp);
    m.inputs = inputs;
    m.ninputs = ninputs;
    m.temp_dir = temp_dir;
    tmk_tmx_write_options wo = TMK_TMX_WRITE_OPTIONS_INIT;
    tmk__options_copy(&wo, sizeof wo, out);
    wo.flags = TMK_TMX_VERBATIM;
    m.wo = wo;
    m.sink = sink;
    m.ud = ud;
    m.st = st;
    tmk_error local = TMK_ERROR_INIT;
    m.err = err ? err : &local;
    int rc = TMK_OK;
    tmk_sorter_new(&m.recs, sizeof(mrec), cmp_mrec, 0, m.temp_dir, m.err);
    tmk_sorter_new(&m.decisions, sizeof(drec), cmp_drec, 0, m.temp_dir, m.err);
    m.seen = calloc(ninputs ? ninputs : 1, sizeof *m.seen);
    tmk_sorter *conf = NULL; /* made at the first conflict */
    if (!m.recs || !m.decisions || !m.seen)
        rc = tmk_error_set(m.err, TMK_ENOMEM, 0, 0, "out of memory");
    else if (!sink && !wo.file)
        rc = tmk_error_set(m.err, TMK_EINVAL, 0, 0, "merge needs an output: a sink or a file");
    m.pass = 1;
    if (rc == TMK_OK)
        rc = read_all(&m, on_header1, on_tu1, TMK_TMX_READ_POSITIONS);
    if (rc == TMK_OK)
        rc = tmk_sorter_sort(m.recs, m.err);
    /* by source (conflicts), then by content (duplicates) */
    tmk_sorter *bypair = NULL;
    if (rc == TMK_OK)
        rc = tmk_sorter_new(&bypair, sizeof(mrec), cmp_pair, 0, m.temp_dir, m.err);
    if (rc == TMK_OK)
        rc = walk_by_source(&m, bypair, &conf);
    tmk_sorter_free(m.recs);
    m.recs = NULL;
    if (rc == TMK_OK && st->conflicts && on_conflict)
        rc = report_conflicts(&m, conf, on_conflict, ud);
    tmk_sorter_free(conf);
    if (rc == TMK_OK)
        rc = tmk_sorter_sort(bypair, m.err);
    if (rc == TMK_OK)
        rc = walk_by_content(&m, bypair);
    tmk_sorter_free(bypair);
    if (rc == TMK_OK)
        rc = tmk_sorter_sort(m.decisions, m.err);
    if (rc == TMK_OK) {
        int got = tmk_sorter_next(m.decisions, &m.cur, m.err);
        rc = got < 0 ? got : TMK_OK;
        m.have_cur = got == 1;
    }
    if (rc == TMK_OK) {
        st->units_in = 0;
        m.pass = 2;
        rc = read_all(&m, on_header2, on_tu2, 0);
    }
    if (rc == TMK_OK && !m.w) {
        tmk_tmx_header h = {.srclang = "*all*", .creationdate = -1};
        rc = on_header2(&m, &h);
    }
    if (rc == TMK_OK)
        rc = tmk_tmx_writer_finish(m.w, m.err);
    st->units_in = st->units_out + st->duplicates;
    tmk_tmx_writer_free(m.w);
    tmk_sorter_free(m.decisions);
    free(m.hdr_src);
    free(m.out_srclang);
    free(m.seen);
    tmk_buf_release(&m.tmp);
    return rc;
}
