/* build.c -- the build pipeline (build.h): segment, spell-check, align,
 * beads -> units, figures. */
#include <config.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "tmkit/tmkit.h"
#include "tmkit/build.h"
#include "internal.h"

struct tmk_builder {
    tmk_build_options o;
    tmk_speller *sp; /* made at the first run that spell-checks, then reused */
    tmk_speller *stem[2]; /* keep_stemmers: the aligner's stemmers, made once */
    int stem_tried[2];
};

/* One side: its text and its segments. */
struct side {
    tmk_buf text;              /* a copy of the text given */
    tmk_buf store;             /* the segments' text, each NUL-terminated */
    tmk_align_text *segs;            /* point into store once segmenting is done */
    tmk_build_seg *info;       /* offset, line, col (s/len filled at the end) */
    unsigned long *para;
    size_t nsegs, cap;
};

struct dict_note {
    char *path;
    size_t pairs;
};

struct tmk_build_result {
    struct side side[2];
    tmk_buf *words;            /* per source segment: its flagged words, space-separated */
    char **notes;              /* per source segment: words[i].data or "" */
    tmk_align_bead *beads;
    size_t nbeads;
    struct dict_note *dicts;
    size_t ndicts;
    int dict_nomem;
    enum tmk_build_stage stage;
    tmk_build_figures fig;
    char *src_lang, *tgt_lang;
    double min_score, weak_score;
};

/* a BCP 47 tag, also written with '_' (de_DE) */
static int lang_ok(const char *code)
{
    char *c = tmk__lang_canonical(code);
    int ok = c && tmk_lang_valid(c);
    free(c);
    return ok;
}

int tmk_builder_new(tmk_builder **out, const tmk_build_options *opt, tmk_error *err)
{
    *out = NULL;
    tmk_build_options def = TMK_BUILD_OPTIONS_INIT;
    /* the members the caller's struct has; the rest stay defaults */
    tmk__options_copy(&def, sizeof def, opt);
    if (!(def.min_score >= 0 && def.min_score <= 1))
        return tmk_error_set(err, TMK_EINVAL, 0, 0, "the minimum score must be from 0 to 1");
    /* a language code becomes a dictionary and a package name: check it first */
    const char *bad = def.src_lang && !lang_ok(def.src_lang)   ? def.src_lang
                      : def.tgt_lang && !lang_ok(def.tgt_lang) ? def.tgt_lang
                                                               : NULL;
    if (bad)
        return tmk_error_set(err, TMK_EINVAL, 0, 0,
                             "\"%.100s\" is not a language code: give one such as de, de-DE or "
                             "en-US (BCP 47)",
                             bad);
    tmk_builder *b = calloc(1, sizeof *b);
    if (!b)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    b->o = def;
    if (!b->o.src_lang)
        b->o.src_lang = "de-DE";
    if (!b->o.tgt_lang)
        b->o.tgt_lang = "en-US";
    *out = b;
    return TMK_OK;
}

int tmk_builder_set_doc_sides(tmk_builder *b, unsigned doc_sides, tmk_error *err)
{
    if (doc_sides & ~(TMK_BUILD_SRC_DOC | TMK_BUILD_TGT_DOC))
        return tmk_error_set(err, TMK_EINVAL, 0, 0, "0x%x is not a set of document sides",
                             doc_sides);
    b->o.doc_sides = doc_sides;
    return TMK_OK;
}

void tmk_builder_free(tmk_builder *b)
{
    if (!b)
        return;
    tmk_speller_free(b->sp);
    tmk_speller_free(b->stem[0]);
    tmk_speller_free(b->stem[1]);
    free(b);
}

static int add_segment(void *ud, const tmk_segment *seg)
{
    struct side *s = ud;
    if (s->nsegs == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        tmk_align_text *segs = realloc(s->segs, cap * sizeof *segs);
        if (segs)
            s->segs = segs;
        tmk_build_seg *info = realloc(s->info, cap * sizeof *info);
        if (info)
            s->info = info;
        unsigned long *para = realloc(s->para, cap * sizeof *para);
        if (para)
            s->para = para;
        if (!segs || !info || !para)
            return TMK_ENOMEM;
        s->cap = cap;
    }
    tmk_build_seg *in = &s->info[s->nsegs];
    in->s = NULL;
    in->len = seg->len;
    in->offset = seg->offset;
    in->line = seg->line;
    in->col = seg->col;
    s->para[s->nsegs] = seg->para;
    s->segs[s->nsegs].s = (const char *)(uintptr_t)s->store.len; /* an offset until the end */
    s->segs[s->nsegs].len = seg->len;
    if (tmk_buf_add(&s->store, seg->text, seg->len) < 0 || tmk_buf_addch(&s->store, '\0') < 0)
        return TMK_ENOMEM;
    s->nsegs++;
    return 0;
}

/* Segment text into s with sg (the one place a text's segments are
 * collected: build, align and spell through tmk_build_seglist_new and
 * tmk_build_seglist_split). */
static int collect_segments(struct side *s, tmk_segmenter *sg, const char *text, size_t len,
                            tmk_error *err)
{
    int rc = tmk_segmenter_feed(sg, text, len, add_segment, s, err);
    if (rc == TMK_OK)
        rc = tmk_segmenter_finish(sg, add_segment, s, err);
    if (rc != TMK_OK) {
        if (rc == TMK_ENOMEM && (!err || !err->msg[0]))
            tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        return rc;
    }
    for (size_t i = 0; i < s->nsegs; i++) {
        s->segs[i].s = s->store.data + (uintptr_t)s->segs[i].s;
        s->info[i].s = s->segs[i].s;
    }
    return 0;
}

/* Segment text into s with a segmenter made for it. */
static int segment_into(struct side *s, const char *text, size_t len, const char *lang,
                        const char *srx, const char *data_dir,
                        enum tmk_segment_paragraph_mode mode, const char *name, unsigned *wrap,
                        tmk_error *err)
{
    tmk_error_set_file(err, srx ? srx : name);
    tmk_segmenter *sg;
    tmk_segment_options so = TMK_SEGMENT_OPTIONS_INIT;
    so.data_dir = data_dir;
    int made = tmk_segmenter_new_opt(&sg, lang, srx, &so, err);
    if (made < 0)
        return made;
    tmk_error_set_file(err, name);
    tmk_segmenter_set_paragraph_mode(sg, mode, NULL);
    int rc = collect_segments(s, sg, text, len, err);
    if (rc == TMK_OK && mode == TMK_PARA_AUTO)
        *wrap = tmk_segmenter_wrap_width(sg);
    tmk_segmenter_free(sg);
    return rc;
}

static void side_release(struct side *s)
{
    tmk_buf_release(&s->text);
    tmk_buf_release(&s->store);
    free(s->segs);
    free(s->info);
    free(s->para);
}

/* The line and column in the text of the character at column segcol
 * (1-based, characters) of segment i.  A segment can span lines (a
 * soft-wrapped paragraph) and its text has single spaces where the text
 * has line breaks, so count the characters that are not white space. */
static void text_pos(const struct side *s, size_t i, unsigned long segcol, unsigned long *line,
                     unsigned long *col)
{
    const char *t = s->segs[i].s;
    size_t tl = s->segs[i].len, p = 0, k = 0, adv;
    for (unsigned long c = 1; p < tl && c < segcol; c++, p += adv)
        if (!tmk_utf8_is_space(tmk_utf8_decode(t + p, tl - p, &adv)))
            k++;
    unsigned long ln = s->info[i].line, cl = s->info[i].col;
    const char *x = s->text.data + s->info[i].offset, *end = s->text.data + s->text.len;
    for (; x < end; x += adv) {
        int32_t cp = tmk_utf8_decode(x, (size_t)(end - x), &adv);
        if (!tmk_utf8_is_space(cp) && k-- == 0)
            break;
        if (cp == '\n') {
            ln++;
            cl = 1;
        } else
            cl++;
    }
    *line = ln;
    *col = cl;
}

struct hit_ctx {
    const tmk_builder *b;
    tmk_build_result *r;
};

/* Called in segment order (tmk_spell_texts keeps the order whatever the
 * number of workers). */
static int on_spell_hit(void *ud, const tmk_spell_hit *h)
{
    size_t i = h->text;
    struct hit_ctx *c = ud;
    tmk_build_result *r = c->r;
    if (r->words[i].len && tmk_buf_adds(&r->words[i], " ") < 0)
        return TMK_ENOMEM;
    if (tmk_buf_adds(&r->words[i], h->word) < 0)
        return TMK_ENOMEM;
    r->fig.flagged++;
    if (c->b->o.on_hit) {
        tmk_build_hit bh = {i, 0, 0, h};
        text_pos(&r->side[0], i, h->col, &bh.line, &bh.col);
        int x = c->b->o.on_hit(c->b->o.ud, &bh);
        if (x)
            return x < 0 ? x : TMK_ECANCELED;
    }
    return 0;
}

/* The aligner's figures of the two texts (a wrong file pair?). */
static int on_stats(void *ud, const tmk_align_stats *st)
{
    tmk_build_result *r = ud;
    r->fig.align = *st;
    return 0;
}

static int on_dict(void *ud, const tmk_align_dict_use *use)
{
    const char *path = use->path;
    size_t pairs = use->pairs;
    tmk_build_result *r = ud;
    struct dict_note *d = realloc(r->dicts, (r->ndicts + 1) * sizeof *d);
    char *p = strdup(path); /* the aligner's path is borrowed */
    if (!d || !p) {
        free(p);
        if (d)
            r->dicts = d;
        r->dict_nomem = 1;
        return 0; /* reported after the run (dict_nomem) */
    }
    r->dicts = d;
    d[r->ndicts].path = p;
    d[r->ndicts++].pairs = pairs;
    return 0;
}

static int spell_source(tmk_builder *b, tmk_build_result *r, const char *src_name, tmk_error *err)
{
    struct side *src = &r->side[0];
    if (!b->sp) {
        tmk_spell_options so = TMK_SPELL_OPTIONS_INIT;
        so.lang = b->o.src_lang;
        so.dicts = (const char **)b->o.dicts;
        so.ndicts = b->o.ndicts;
        so.wordlists = (const char **)b->o.wordlists;
        so.nwordlists = b->o.nwordlists;
        so.no_project_wordlists = b->o.no_project_wordlists;
        so.dict_path = b->o.dict_path;
        so.home_dir = b->o.home_dir;
        so.data_dir = b->o.data_dir;
        so.temp_dir = b->o.temp_dir;
        tmk_error_set_file(err, NULL);
        int made = tmk_speller_new(&b->sp, &so, err);
        if (made < 0) {
            r->stage = TMK_BUILD_SPELLER;
            return made;
        }
    }
    r->stage = TMK_BUILD_SPELL;
    const char **texts = malloc(src->nsegs * sizeof *texts);
    size_t *lens = malloc(src->nsegs * sizeof *lens);
    if (!texts || !lens) {
        free(texts);
        free(lens);
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < src->nsegs; i++) {
        texts[i] = src->segs[i].s;
        lens[i] = src->segs[i].len;
    }
    tmk_error_set_file(err, src_name);
    struct hit_ctx hc = {b, r};
    int rc = tmk_spell_texts(b->sp, texts, lens, src->nsegs, b->o.suggest, b->o.threads,
                             on_spell_hit, &hc, err);
    free(texts);
    free(lens);
    return rc < 0 ? rc : 0;
}

static int builder_run(tmk_builder *b, const char *src, size_t src_len, const char *tgt,
                       size_t tgt_len, const char *src_name, const char *tgt_name,
                       tmk_build_result **out, tmk_error *err);

int tmk_builder_run(tmk_builder *b, const char *src, size_t src_len, const char *tgt,
                    size_t tgt_len, const char *src_name, const char *tgt_name,
                    tmk_build_result **out, tmk_error *err)
{
    tmk_error saved = TMK_ERROR_INIT;
    tmk__err_keep(err, &saved);
    return tmk__err_back(err, &saved,
                         builder_run(b, src, src_len, tgt, tgt_len, src_name, tgt_name, out, err));
}

static int builder_run(tmk_builder *b, const char *src, size_t src_len, const char *tgt,
                       size_t tgt_len, const char *src_name, const char *tgt_name,
                       tmk_build_result **out, tmk_error *err)
{
    *out = NULL;
    tmk_build_result *r = calloc(1, sizeof *r);
    if (!r)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    r->src_lang = strdup(b->o.src_lang);
    r->tgt_lang = strdup(b->o.tgt_lang);
    r->min_score = b->o.min_score;
    r->weak_score = b->o.weak_score;
    tmk_buf_init(&r->side[0].text);
    tmk_buf_init(&r->side[0].store);
    tmk_buf_init(&r->side[1].text);
    tmk_buf_init(&r->side[1].store);
    if (!r->src_lang || !r->tgt_lang || tmk_buf_add(&r->side[0].text, src, src_len) < 0 ||
        tmk_buf_add(&r->side[1].text, tgt, tgt_len) < 0) {
        tmk_build_result_free(r);
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    }
    *out = r;
    int rc;

    /* 1. sentences */
    r->stage = TMK_BUILD_SEGMENT_SRC;
    if ((rc = segment_into(&r->side[0], src, src_len, b->o.src_lang, b->o.srx, b->o.data_dir,
                           b->o.doc_sides & TMK_BUILD_SRC_DOC ? TMK_PARA_LINES : b->o.para_mode,
                           src_name, &r->fig.src_wrap, err)))
        return rc;
    r->stage = TMK_BUILD_SEGMENT_TGT;
    if ((rc = segment_into(&r->side[1], tgt, tgt_len, b->o.tgt_lang, b->o.srx, b->o.data_dir,
                           b->o.doc_sides & TMK_BUILD_TGT_DOC ? TMK_PARA_LINES : b->o.para_mode,
                           tgt_name, &r->fig.tgt_wrap, err)))
        return rc;
    r->fig.src_segs = r->side[0].nsegs;
    r->fig.tgt_segs = r->side[1].nsegs;
    for (int k = 0; k < 2; k++)
        if (!r->side[k].nsegs) {
            r->stage = k ? TMK_BUILD_EMPTY_TGT : TMK_BUILD_EMPTY_SRC;
            tmk_error_set_file(err, k ? tgt_name : src_name);
            return tmk_error_set(err, TMK_ESYNTAX, 0, 0,
                                 "no text to build a memory from (the file is empty or only "
                                 "white space)");
        }

    /* 2. spell-check the source */
    size_t n = r->side[0].nsegs;
    r->words = calloc(n, sizeof *r->words);
    r->notes = calloc(n, sizeof *r->notes);
    if (!r->words || !r->notes)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    if (!b->o.no_spell && (rc = spell_source(b, r, src_name, err)))
        return rc;
    for (size_t i = 0; i < n; i++)
        r->notes[i] = r->words[i].data ? r->words[i].data : "";

    /* 3. align */
    r->stage = TMK_BUILD_ALIGN;
    tmk_align_options ao = TMK_ALIGN_OPTIONS_INIT;
    ao.src_lang = b->o.src_lang;
    ao.tgt_lang = b->o.tgt_lang;
    ao.dicts = b->o.bidicts;
    ao.ndicts = b->o.nbidicts;
    ao.on_dict = on_dict;
    ao.on_stats = on_stats;
    ao.ud = r;
    ao.dictdir = b->o.align_dictdir;
    ao.spell_dict_path = b->o.dict_path;
    ao.spell_home_dir = b->o.home_dir;
    ao.data_dir = b->o.data_dir;
    ao.src_para = r->side[0].para; /* sentences pair within paragraphs */
    ao.tgt_para = r->side[1].para;
    if (!b->o.no_stem) {
        /* the spell-checker's dictionaries stem the source; the aligner
         * loads the target language's */
        ao.flags |= TMK_ALIGN_STEM;
        ao.src_stemmer = b->o.no_spell ? NULL : b->sp;
        if (b->o.keep_stemmers) {
            /* as the aligner would make them (align.c), once for all runs */
            for (int side = b->o.no_spell ? 0 : 1; side < 2; side++) {
                if (!b->stem_tried[side]) {
                    tmk_spell_options so = TMK_SPELL_OPTIONS_INIT;
                    so.lang = side ? b->o.tgt_lang : b->o.src_lang;
                    so.dict_path = b->o.dict_path;
                    so.home_dir = b->o.home_dir;
                    so.data_dir = b->o.data_dir;
                    so.no_project_wordlists = 1;
                    so.cache_entries = 64;
                    so.suggest_mode = TMK_SUGGEST_HUNSPELL;
                    tmk_speller_new(&b->stem[side], &so, NULL); /* NULL: none installed */
                    b->stem_tried[side] = 1;
                }
            }
            if (b->stem[0] && b->o.no_spell)
                ao.src_stemmer = b->stem[0];
            if (b->stem[1])
                ao.tgt_stemmer = b->stem[1];
        }
    }
    tmk_error_set_file(err, NULL);
    if ((rc = tmk_align_run(r->side[0].segs, r->side[0].nsegs, r->side[1].segs, r->side[1].nsegs,
                        &ao, &r->beads, &r->nbeads, err)) < 0)
        return rc;
    if (r->dict_nomem)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");

    /* 4. the figures of the units (made again when they are written) */
    if ((rc = tmk_build_units(r->side[0].segs, r->side[1].segs, r->beads, r->nbeads,
                              r->src_lang, r->tgt_lang, NULL, r->min_score, r->weak_score, NULL,
                              NULL, &r->fig, err)) < 0)
        return rc;
    r->stage = TMK_BUILD_DONE;
    return TMK_OK;
}

void tmk_build_result_free(tmk_build_result *r)
{
    if (!r)
        return;
    if (r->words)
        for (size_t i = 0; i < r->side[0].nsegs; i++)
            tmk_buf_release(&r->words[i]);
    free(r->words);
    free(r->notes);
    side_release(&r->side[0]);
    side_release(&r->side[1]);
    free(r->beads);
    for (size_t k = 0; k < r->ndicts; k++)
        free(r->dicts[k].path);
    free(r->dicts);
    free(r->src_lang);
    free(r->tgt_lang);
    free(r);
}

enum tmk_build_stage tmk_build_result_stage(const tmk_build_result *r) { return r->stage; }

const tmk_build_figures *tmk_build_result_figures(const tmk_build_result *r) { return &r->fig; }

int tmk_build_result_dict(const tmk_build_result *r, size_t k, const char **path, size_t *pairs)
{
    if (k >= r->ndicts)
        return TMK_EINVAL;
    *path = r->dicts[k].path;
    *pairs = r->dicts[k].pairs;
    return 0;
}

size_t tmk_build_result_nsegs(const tmk_build_result *r, int side)
{
    return side == 0 || side == 1 ? r->side[side].nsegs : 0;
}

int tmk_build_result_seg(const tmk_build_result *r, int side, size_t i, tmk_build_seg *out)
{
    if ((side != 0 && side != 1) || i >= r->side[side].nsegs || !r->side[side].info[i].s)
        return TMK_EINVAL;
    *out = r->side[side].info[i];
    return 0;
}

const char *tmk_build_result_text(const tmk_build_result *r, int side, size_t *len)
{
    if (side != 0 && side != 1) {
        *len = 0;
        return "";
    }
    *len = r->side[side].text.len;
    return r->side[side].text.data;
}

/* Append the n segments from first, joined with a space. */
static int join(tmk_buf *b, const tmk_align_text *segs, size_t first, size_t n)
{
    tmk_buf_reset(b);
    for (size_t k = 0; k < n; k++) {
        const tmk_align_text *t = &segs[first + k];
        if ((k && tmk_buf_addch(b, ' ') < 0) || tmk_buf_add(b, t->s, t->len) < 0)
            return TMK_ENOMEM;
    }
    return 0;
}

int tmk_build_units(const tmk_align_text *src, const tmk_align_text *tgt, const tmk_align_bead *beads,
                    size_t nbeads, const char *src_lang, const char *tgt_lang,
                    const char *const *src_notes, double min_score, double weak_score,
                    int (*cb)(void *ud, const tmk_build_unit *u), void *ud,
                    tmk_build_figures *fig, tmk_error *err)
{
    tmk_buf a = TMK_BUF_INIT, c = TMK_BUF_INIT, notes = TMK_BUF_INIT;
    int rc = 0;
    for (size_t i = 0; i < nbeads; i++) {
        const tmk_align_bead *bd = &beads[i];
        if (fig) {
            if (bd->nsrc < 5 && bd->ntgt < 5)
                fig->kinds[bd->nsrc][bd->ntgt]++;
            else
                fig->other_kinds++;
        }
        if (!bd->nsrc || !bd->ntgt) {
            if (fig)
                fig->one_sided++;
            continue;
        }
        if (bd->score < min_score) {
            if (fig)
                fig->kept_out++;
            continue;
        }
        if (fig) {
            if (bd->score < weak_score)
                fig->weak++;
            fig->units++;
        }
        if (!cb)
            continue;
        tmk_buf_reset(&notes);
        if (src_notes)
            for (size_t k = 0; k < bd->nsrc; k++) {
                const char *w = src_notes[bd->src + k];
                if (w && *w && ((notes.len && tmk_buf_addch(&notes, ' ') < 0) ||
                                tmk_buf_adds(&notes, w) < 0)) {
                    rc = TMK_ENOMEM;
                    break;
                }
            }
        char score[32];
        snprintf(score, sizeof score, "%.3f", bd->score);
        if (rc < 0 || join(&a, src, bd->src, bd->nsrc) < 0 || join(&c, tgt, bd->tgt, bd->ntgt) < 0) {
            rc = tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
            break;
        }
        char bead[48];
        snprintf(bead, sizeof bead, "%zu-%zu", bd->nsrc, bd->ntgt);
        tmk_tmx_prop props[3];
        memset(props, 0, sizeof props);
        props[0].type = "x-alignment-score";
        props[0].value = score;
        props[1].type = "x-alignment-bead";
        props[1].value = bead;
        props[2].type = "x-spell-errors";
        props[2].value = notes.data;
        tmk_tmx_tuv tuvs[2];
        memset(tuvs, 0, sizeof tuvs);
        tuvs[0].lang = src_lang;
        tuvs[0].seg = a.data;
        tuvs[0].seg_len = a.len;
        tuvs[0].props = notes.len ? &props[2] : NULL;
        tuvs[0].nprops = notes.len ? 1 : 0;
        tuvs[1].lang = tgt_lang;
        tuvs[1].seg = c.data;
        tuvs[1].seg_len = c.len;
        tmk_tmx_tu tu;
        memset(&tu, 0, sizeof tu);
        tu.props = props;
        tu.nprops = 2;
        tu.tuvs = tuvs;
        tu.ntuvs = 2;
        tmk_build_unit u = {&tu, bd};
        int x = cb(ud, &u);
        if (x) {
            rc = x < 0 ? x : TMK_ECANCELED;
            if (err && !err->code)
                tmk_error_set(err, rc, 0, 0, "stopped by the caller");
            break;
        }
    }
    tmk_buf_release(&a);
    tmk_buf_release(&c);
    tmk_buf_release(&notes);
    return rc;
}

int tmk_build_result_units(const tmk_build_result *r,
                           int (*cb)(void *ud, const tmk_build_unit *u), void *ud,
                           tmk_error *err)
{
    if (r->stage != TMK_BUILD_DONE)
        return tmk_error_set(err, TMK_EINVAL, 0, 0, "the build did not finish");
    return tmk_build_units(r->side[0].segs, r->side[1].segs, r->beads, r->nbeads, r->src_lang,
                           r->tgt_lang, (const char *const *)r->notes, r->min_score,
                           r->weak_score, cb, ud, NULL, err);
}

/* The segments collected in s become list l's (s is left empty). */
static void seglist_take(tmk_build_seglist *l, struct side *s)
{
    l->n = s->nsegs;
    l->segs = s->segs;
    l->para = s->para;
    l->info = s->info;
    l->store_ = s->store.cap ? tmk_buf_detach(&s->store, NULL) : NULL;
    tmk_buf_release(&s->store);
    tmk_buf_release(&s->text);
}

static int skip_segment(void *ud, const tmk_segment *seg)
{
    (void)ud;
    (void)seg;
    return 0;
}

/* A seglist from text: with the segmenter sg when given (reused), else
 * with one made for lang/srx/mode. */
static int seglist_make(tmk_build_seglist **out, tmk_segmenter *sg, const char *text, size_t len,
                        const char *lang, const char *srx, const char *data_dir,
                        enum tmk_segment_paragraph_mode mode, tmk_error *err)
{
    tmk_error saved = TMK_ERROR_INIT;
    tmk__err_keep(err, &saved);
    *out = NULL;
    tmk_build_seglist *l = calloc(1, sizeof *l);
    if (!l)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    struct side s;
    memset(&s, 0, sizeof s);
    tmk_buf_init(&s.text);
    tmk_buf_init(&s.store);
    int rc = sg ? collect_segments(&s, sg, text, len, err)
                : segment_into(&s, text, len, lang, srx, data_dir, mode, err ? err->file : NULL,
                               &l->wrap, err);
    if (rc) {
        if (sg)
            tmk_segmenter_finish(sg, skip_segment, NULL, NULL); /* ready for the next text */
        side_release(&s);
        free(l);
        return rc;
    }
    seglist_take(l, &s);
    *out = l;
    return tmk__err_back(err, &saved, TMK_OK);
}

int tmk_build_seglist_new(tmk_build_seglist **out, const char *text, size_t len,
                          const char *lang, const char *srx, const char *data_dir,
                          enum tmk_segment_paragraph_mode mode, tmk_error *err)
{
    return seglist_make(out, NULL, text, len, lang, srx, data_dir, mode, err);
}

int tmk_build_seglist_split(tmk_build_seglist **out, tmk_segmenter *sg, const char *text,
                            size_t len, tmk_error *err)
{
    return seglist_make(out, sg, text, len, NULL, NULL, NULL, TMK_PARA_LINE, err);
}

void tmk_build_seglist_free(tmk_build_seglist *l)
{
    if (!l)
        return;
    free(l->segs);
    free(l->para);
    free(l->info);
    free(l->store_);
    free(l);
}
