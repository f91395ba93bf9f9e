/* cmd_spell.c -- `tmkit spell`: report misspelled words. */
#include <config.h>
#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "cli.h"
#include "report.h"

static const char usage_text[] =
    "Usage: tmkit spell [-l LANG] [-d DICT]... [--personal FILE]... [--no-suggest]\n"
    "                   [--suggest-mode fast|thorough|hunspell]\n"
    "                   [--ignore-caps] [--format text|json|csv|html|words] [-o OUT]\n"
    "                   [--strict] [-e ENC] [FILE...]\n"
    "Spell-check text files (or standard input) with Hunspell and report each\n"
    "misspelled word with its position and suggestions.\n\n"
    "  -l, --lang LANG        language of the text (BCP 47, default de-DE); picks the\n"
    "                         dictionary when no -d is given (de-DE -> de_DE)\n"
    "  -d, --dict DICT        Hunspell dictionary by name (de_DE, looked up in DICPATH\n"
    "                         and /usr/share/hunspell) or path to its .dic file;\n"
    "                         repeat for mixed text: -d de_DE -d en_US\n"
    "      --personal FILE    extra words, one per line; word/model inflects word\n"
    "                         like model (e.g. Genossin/Lehrerin); repeatable\n"
    "      --no-wordlists     do not load the project's word lists\n"
    "                         (dictionaries/words/LANG.txt)\n"
    "      --no-suggest       no suggestions (much faster)\n"
    "      --suggest-mode M   fast (default): Hunspell's quick stages (edits, REP/TRY\n"
    "                         tables, case, two words), then its n-gram stage on\n"
    "                         the dictionary words closest to the word; thorough:\n"
    "                         the quick stages, then Hunspell's full search for\n"
    "                         words still without suggestions; hunspell: the full\n"
    "                         search for every word (slowest)\n"
    "      --ignore-caps      skip words in capitals (acronyms such as DVRK)\n"
    "      --words            each line is one word, checked as given (no tokenising)\n"
    "      --format FMT       text (default): FILE:LINE:COL: WORD: suggestions\n"
    "                         json: JSON Lines; csv: RFC 4180 for spreadsheets;\n"
    "                         html: one self-contained page; words: one word a line\n"
    "                         (default: by the extension of OUT: .html, .csv, .json;\n"
    "                         else text)\n"
    "  -o, --output OUT       write the report to OUT (atomically) instead of stdout\n"
    "      --strict           exit with 1 when a word is flagged\n"
    "  -e, --encoding ENC     input encoding (default: UTF-8, or as the BOM says)\n"
    "  -j, --threads N        worker threads (default: all processors on large input)\n"
    "  -h, --help             show this help\n\n"
    "Columns count characters, from 1.  Exit codes: 0 done, 1 words flagged\n"
    "(only with --strict), 2 usage error, 3 bad input, 4 missing dictionary or I/O.\n";

enum fmt { F_TEXT, F_JSON, F_CSV, F_HTML, F_WORDS };

struct hitrec {
    size_t file, line, off, len;
    unsigned long col;
    char *word;
    char **sugg; /* copies: the speller's cache is bounded */
    size_t nsugg;
    size_t order;
    int too_long;
};

/* In place of suggestions for a word Hunspell cannot check. */
#define TOO_LONG_NOTE "not checked: longer than " TMK_STR(TMK_SPELL_MAX_WORD) " characters"
#define TMK_STR(x) TMK_STR2(x)
#define TMK_STR2(x) #x

struct srcfile {
    char *name;
    tmk_buf text;
    const char **lines;
    size_t *lens;
    size_t nlines;
    /* a TMX memory: each "line" is a segment of the checked language */
    int tmx;
    unsigned long *tulines; /* the line where its <tu> starts */
    char **units;           /* its tuid, else its number (from 1) */
    size_t nunits;
    char *lang;             /* the language checked */
};

struct ctx {
    enum fmt fmt;
    FILE *out;
    const char *fname;
    size_t file;
    const char *const *lines;
    const size_t *lens;
    const struct srcfile *src; /* the file being checked */
    size_t flagged;
    int suggest;
    /* sentences of the current line for the segment key (json, csv) */
    tmk_segmenter *seg;
    size_t seg_file, seg_idx;
    tmk_build_seglist *sents; /* NULL: the line could not be split */
    /* html */
    struct hitrec *recs;
    size_t nrecs, caprecs;
};

static void csv_field(FILE *out, const char *s, size_t n)
{
    if (!memchr(s, ',', n) && !memchr(s, '"', n) && !memchr(s, '\n', n) &&
        !memchr(s, '\r', n)) {
        fwrite(s, 1, n, out);
        return;
    }
    fputc('"', out);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            fputc('"', out);
        fputc(s[i], out);
    }
    fputc('"', out);
}

static void json_str(FILE *out, tmk_buf *tmp, const char *s, size_t n)
{
    tmk_buf_reset(tmp);
    if (tmk_buf_add_json(tmp, s, n) < 0) {
        fputs("\"\"", out);
        return;
    }
    fputc('"', out);
    fwrite(tmp->data, 1, tmp->len, out);
    fputc('"', out);
}

/* The segment shown with a hit: the sentence it is in (when the language
 * has segmentation rules), else the line; for a very long sentence or line
 * (a paragraph without line breaks, a 20 MB single line) a window of about
 * SEG_WINDOW bytes each side of the word, cut at character boundaries and
 * marked with "..." so that a report never repeats megabytes per word.
 * Positions (line, column) are those of the word in the file either way. */
#define SEG_MAX 4000
#define SEG_WINDOW 400

static void segment_of(struct ctx *c, size_t idx, const tmk_spell_hit *h, tmk_buf *out)
{
    const char *line = c->lines[idx];
    size_t len = c->lens[idx], off = h->offset;
    tmk_buf_reset(out);
    if (c->seg) {
        if (c->seg_file != c->file || c->seg_idx != idx) {
            /* the library collects the line's sentences, as for build and align */
            c->seg_file = c->file;
            c->seg_idx = idx;
            tmk_build_seglist_free(c->sents);
            if (tmk_build_seglist_split(&c->sents, c->seg, line, len, NULL) < 0)
                c->sents = NULL;
        }
        for (size_t i = 0; c->sents && i < c->sents->n; i++) {
            size_t so = c->sents->info[i].offset, sl = c->sents->segs[i].len;
            if (off >= so && off < so + sl && so + sl <= len) {
                line += so;
                off -= so;
                len = sl;
                break;
            }
        }
    }
    if (len <= SEG_MAX) {
        tmk_buf_add(out, line, len);
        return;
    }
    size_t a = off > SEG_WINDOW ? off - SEG_WINDOW : 0;
    size_t b = off + h->len + SEG_WINDOW < len ? off + h->len + SEG_WINDOW : len;
    while (a > 0 && ((unsigned char)line[a] & 0xC0) == 0x80)
        a--;
    while (b < len && ((unsigned char)line[b] & 0xC0) == 0x80)
        b++;
    if (a > 0)
        tmk_buf_adds(out, "\xe2\x80\xa6");
    tmk_buf_add(out, line + a, b - a);
    if (b < len)
        tmk_buf_adds(out, "\xe2\x80\xa6");
}

/* A segmenter for the segment key when the language has its own rules
 * (srx/<lang>.srx); NULL otherwise: the line is shown then. */
static tmk_segmenter *sentence_splitter(const char *lang)
{
    char *p = NULL;
    if (tmk_segmenter_builtin_path(&p, lang, cli_data_dir(), NULL) < 0)
        return NULL;
    size_t l = strlen(p);
    int generic = l >= 11 && !strcmp(p + l - 11, "default.srx");
    tmk_free(p);
    tmk_segmenter *s = NULL;
    if (!generic)
        cli_segmenter_new(&s, lang, NULL, NULL);
    return s;
}

/* Where a hit is: its line (a memory: the line of its unit) and unit. */
static unsigned long hit_line(const struct ctx *c, size_t idx, const char **unit)
{
    const struct srcfile *sf = c->src;
    *unit = sf && sf->tmx ? sf->units[idx] : NULL;
    return sf && sf->tmx ? sf->tulines[idx] : (unsigned long)idx + 1;
}

static void hit_text(struct ctx *c, const tmk_spell_hit *h)
{
    FILE *out = c->out;
    const char *unit;
    unsigned long line = hit_line(c, h->text, &unit);
    if (unit)
        fprintf(out, "%s:%lu: unit %s, column %lu: %s", c->fname, line, unit, h->col, h->word);
    else
        fprintf(out, "%s:%lu:%lu: %s", c->fname, line, h->col, h->word);
    if (h->too_long)
        fputs(": (" TOO_LONG_NOTE ")", out);
    for (size_t i = 0; i < h->nsugg; i++)
        fprintf(out, "%s%s", i ? ", " : ": ", h->sugg[i]);
    fputc('\n', out);
}

static void hit_json(struct ctx *c, const tmk_spell_hit *h)
{
    FILE *out = c->out;
    const char *unit;
    unsigned long line = hit_line(c, h->text, &unit);
    tmk_buf tmp = TMK_BUF_INIT;
    fputs("{\"file\":", out);
    json_str(out, &tmp, c->fname, strlen(c->fname));
    fprintf(out, ",\"line\":%lu,", line);
    if (unit) {
        fputs("\"unit\":", out);
        json_str(out, &tmp, unit, strlen(unit));
        fputs(",\"lang\":", out);
        json_str(out, &tmp, c->src->lang, strlen(c->src->lang));
        fputc(',', out);
    }
    fprintf(out, "\"column\":%lu,\"segment\":", h->col);
    tmk_buf seg = TMK_BUF_INIT;
    segment_of(c, h->text, h, &seg);
    json_str(out, &tmp, seg.data, seg.len);
    tmk_buf_release(&seg);
    fputs(",\"word\":", out);
    json_str(out, &tmp, h->word, strlen(h->word));
    fputs(",\"suggestions\":[", out);
    for (size_t i = 0; i < h->nsugg; i++) {
        if (i)
            fputc(',', out);
        json_str(out, &tmp, h->sugg[i], strlen(h->sugg[i]));
    }
    fputs(h->too_long ? "],\"too_long\":true}\n" : "]}\n", out);
    tmk_buf_release(&tmp);
}

static void hit_csv(struct ctx *c, const tmk_spell_hit *h)
{
    FILE *out = c->out;
    const char *unit;
    unsigned long line = hit_line(c, h->text, &unit);
    csv_field(out, c->fname, strlen(c->fname));
    fprintf(out, ",%lu,%lu,", line, h->col);
    csv_field(out, h->word, strlen(h->word));
    fputc(',', out);
    tmk_buf s = TMK_BUF_INIT;
    if (h->too_long)
        tmk_buf_adds(&s, "(" TOO_LONG_NOTE ")");
    for (size_t i = 0; i < h->nsugg; i++) {
        if (i)
            tmk_buf_adds(&s, ", ");
        tmk_buf_adds(&s, h->sugg[i]);
    }
    csv_field(out, s.data, s.len);
    fputc(',', out);
    segment_of(c, h->text, h, &s);
    csv_field(out, s.data, s.len);
    fputc(',', out);
    if (unit)
        csv_field(out, unit, strlen(unit));
    tmk_buf_release(&s);
    fputs("\r\n", out);
}

/* The HTML report is written at the end: keep a copy of the hit (the
 * speller's suggestion cache is bounded). */
static int hit_keep(struct ctx *c, const tmk_spell_hit *h)
{
    if (c->nrecs == c->caprecs) {
        size_t cap = c->caprecs ? c->caprecs * 2 : 256;
        struct hitrec *r = realloc(c->recs, cap * sizeof *r);
        if (!r)
            return TMK_ENOMEM;
        c->recs = r;
        c->caprecs = cap;
    }
    struct hitrec *r = &c->recs[c->nrecs];
    r->word = strdup(h->word);
    if (!r->word)
        return TMK_ENOMEM;
    r->file = c->file;
    r->line = h->text;
    r->off = h->offset;
    r->len = h->len;
    r->col = h->col;
    r->sugg = NULL;
    r->nsugg = 0;
    r->too_long = h->too_long;
    if (h->nsugg && !(r->sugg = calloc(h->nsugg, sizeof *r->sugg))) {
        free(r->word);
        return TMK_ENOMEM;
    }
    for (size_t i = 0; i < h->nsugg; i++)
        if ((r->sugg[i] = strdup(h->sugg[i])) != NULL)
            r->nsugg++;
    r->order = c->nrecs++;
    return 0;
}

static int on_hit(void *ud, const tmk_spell_hit *h)
{
    struct ctx *c = ud;
    c->flagged++;
    switch (c->fmt) {
    case F_TEXT: hit_text(c, h); break;
    case F_WORDS: fprintf(c->out, "%s\n", h->word); break;
    case F_JSON: hit_json(c, h); break;
    case F_CSV: hit_csv(c, h); break;
    case F_HTML: return hit_keep(c, h);
    }
    return 0;
}

/* ---- HTML report --------------------------------------------------------- */

static void html_esc(FILE *out, const char *s, size_t n)
{
    tmk_buf b = TMK_BUF_INIT, u = TMK_BUF_INIT;
    if (tmk_utf8_valid_prefix(s, n) != n) { /* a file name that is not UTF-8 */
        if (tmk_buf_add_utf8_lossy(&u, s, n) < 0)
            goto done;
        s = u.data;
        n = u.len;
    }
    if (tmk_buf_add_xml(&b, s, n) == 0)
        fwrite(b.data, 1, b.len, out);
done:
    tmk_buf_release(&b);
    tmk_buf_release(&u);
}

static void html_sugg(FILE *out, const struct hitrec *r, int suggest)
{
    if (r->too_long) {
        fputs(TOO_LONG_NOTE, out);
        return;
    }
    if (!suggest) {
        fputs("not in the dictionary", out);
        return;
    }
    if (!r->nsugg) {
        fputs("no suggestions", out);
        return;
    }
    for (size_t i = 0; i < r->nsugg; i++) {
        if (i)
            fputs(", ", out);
        html_esc(out, r->sugg[i], strlen(r->sugg[i]));
    }
}

static int cmp_word(const void *a, const void *b)
{
    const struct hitrec *x = *(const struct hitrec *const *)a;
    const struct hitrec *y = *(const struct hitrec *const *)b;
    int c = strcmp(x->word, y->word);
    if (c)
        return c;
    return x->order < y->order ? -1 : x->order > y->order;
}

struct group {
    const struct hitrec *first;
    size_t count;
};

static int cmp_group(const void *a, const void *b)
{
    const struct group *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return x->first->order < y->first->order ? -1 : x->first->order > y->first->order;
}

static const char html_head[] =
    "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<title>Spell-check report</title>\n<style>\n"
    "body{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,\"DejaVu Sans\",sans-serif;"
    "margin:2em auto;max-width:60em;padding:0 1em;color:#222;line-height:1.5}\n"
    "h1{font-size:1.6em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}\n"
    ".text p{margin:.2em 0;padding-left:3.5em;text-indent:-3.5em}\n"
    ".ln{display:inline-block;width:3em;color:#999;text-align:right;margin-right:.5em;"
    "text-indent:0;font-size:.85em}\n"
    "mark{background:#ffd5d5;border-bottom:2px solid #d00;position:relative;cursor:help}\n"
    "mark:hover::after{content:attr(data-s);position:absolute;left:0;top:1.6em;z-index:1;"
    "background:#333;color:#fff;padding:.2em .5em;border-radius:4px;white-space:nowrap;"
    "font-size:.85em}\n"
    "table{border-collapse:collapse;width:100%%}th,td{border:1px solid #ccc;padding:.25em .5em;"
    "text-align:left;vertical-align:top}th{background:#f3f3f3}td.n{text-align:right}\n"
    ".summary{color:#555}\n</style>\n</head>\n<body>\n<h1>Spell-check report</h1>\n";

static void write_html(FILE *out, struct ctx *c, struct srcfile *files, size_t nfiles,
                       const char *lang, tmk_speller *sp)
{
    /* distinct words */
    const struct hitrec **idx = malloc((c->nrecs + 1) * sizeof *idx);
    struct group *g = malloc((c->nrecs + 1) * sizeof *g);
    size_t ng = 0;
    if (!idx || !g) {
        free(idx);
        free(g);
        return;
    }
    for (size_t i = 0; i < c->nrecs; i++)
        idx[i] = &c->recs[i];
    qsort(idx, c->nrecs, sizeof *idx, cmp_word);
    for (size_t i = 0; i < c->nrecs; i++) {
        if (ng && !strcmp(g[ng - 1].first->word, idx[i]->word)) {
            g[ng - 1].count++;
        } else {
            g[ng].first = idx[i];
            g[ng].count = 1;
            ng++;
        }
    }
    qsort(g, ng, sizeof *g, cmp_group);

    tmk_buf lb = TMK_BUF_INIT;
    tmk_buf_add_xml(&lb, lang, strlen(lang)); /* on no memory: an empty lang attribute */
    fprintf(out, html_head, lb.data);
    tmk_buf_release(&lb);
    fprintf(out, "<p class=\"summary\">%zu flagged word%s (%zu distinct) in %zu file%s. "
                 "Dictionaries:",
            c->nrecs, c->nrecs == 1 ? "" : "s", ng, nfiles, nfiles == 1 ? "" : "s");
    for (size_t i = 0; i < tmk_speller_ndicts(sp); i++) {
        const char *p = tmk_speller_dict_path(sp, i);
        const char *slash = strrchr(p, '/');
        fputs(i ? ", " : " ", out);
        html_esc(out, slash ? slash + 1 : p, strlen(slash ? slash + 1 : p));
    }
    fputs(". Hover over a highlighted word for suggestions.</p>\n", out);

    size_t r = 0;
    for (size_t f = 0; f < nfiles; f++) {
        fputs("<h2>", out);
        html_esc(out, files[f].name, strlen(files[f].name));
        fputs("</h2>\n<div class=\"text\">\n", out);
        for (size_t l = 0; l < files[f].nlines; l++) {
            const char *s = files[f].lines[l];
            size_t n = files[f].lens[l], pos = 0;
            if (files[f].tmx) {
                fprintf(out, "<p id=\"f%zu-l%zu\"><span class=\"ln\" title=\"line %lu\">", f + 1,
                        l + 1, files[f].tulines[l]);
                html_esc(out, files[f].units[l], strlen(files[f].units[l]));
                fputs("</span>", out);
            } else {
                fprintf(out, "<p id=\"f%zu-l%zu\"><span class=\"ln\">%zu</span>", f + 1, l + 1,
                        l + 1);
            }
            while (r < c->nrecs && c->recs[r].file == f && c->recs[r].line == l) {
                const struct hitrec *h = &c->recs[r++];
                if (h->off < pos)
                    continue;
                html_esc(out, s + pos, h->off - pos);
                fputs("<mark data-s=\"", out);
                html_sugg(out, h, c->suggest);
                fputs("\" title=\"", out);
                html_sugg(out, h, c->suggest);
                fputs("\">", out);
                html_esc(out, s + h->off, h->len);
                fputs("</mark>", out);
                pos = h->off + h->len;
            }
            html_esc(out, s + pos, n - pos);
            fputs("</p>\n", out);
        }
        fputs("</div>\n", out);
    }

    fputs("<h2>Distinct flagged words</h2>\n<table>\n<thead><tr><th>Word</th><th>Count</th>"
          "<th>First position</th><th>Suggestions</th></tr></thead>\n<tbody>\n",
          out);
    for (size_t i = 0; i < ng; i++) {
        const struct hitrec *h = g[i].first;
        fputs("<tr><td>", out);
        html_esc(out, h->word, strlen(h->word));
        fprintf(out, "</td><td class=\"n\">%zu</td><td><a href=\"#f%zu-l%zu\">", g[i].count,
                h->file + 1, h->line + 1);
        html_esc(out, files[h->file].name, strlen(files[h->file].name));
        if (files[h->file].tmx) {
            fprintf(out, ":%lu: unit ", files[h->file].tulines[h->line]);
            html_esc(out, files[h->file].units[h->line], strlen(files[h->file].units[h->line]));
            fprintf(out, ", column %lu</a></td><td>", h->col);
        } else {
            fprintf(out, ":%zu:%lu</a></td><td>", h->line + 1, h->col);
        }
        html_sugg(out, h, c->suggest);
        fputs("</td></tr>\n", out);
    }
    fputs("</tbody>\n</table>\n</body>\n</html>\n", out);
    free(idx);
    free(g);
}

/* ---- main ---------------------------------------------------------------- */

static int split_lines(struct srcfile *f)
{
    size_t n = 0, cap = 64;
    f->lines = malloc(cap * sizeof *f->lines);
    f->lens = malloc(cap * sizeof *f->lens);
    if (!f->lines || !f->lens)
        return TMK_ENOMEM;
    const char *p = f->text.data, *end = p + f->text.len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        if (n == cap) {
            cap *= 2;
            const char **l = realloc(f->lines, cap * sizeof *l);
            if (!l)
                return TMK_ENOMEM;
            f->lines = l;
            size_t *s = realloc(f->lens, cap * sizeof *s);
            if (!s)
                return TMK_ENOMEM;
            f->lens = s;
        }
        f->lines[n] = p;
        f->lens[n] = (size_t)(le - p);
        n++;
        p = nl ? nl + 1 : end;
    }
    f->nlines = n;
    return TMK_OK;
}

/* ---- input: text or TMX ---------------------------------------------------- */

/* A TMX memory, recognised by its content, not its name: after a byte-order
 * mark and white space, an XML declaration, comments and a doctype, the
 * first element is <tmx>.  UTF-8 and UTF-16 (with a BOM) are looked at. */
static int looks_like_tmx(const char *s, size_t n)
{
    char v[4096];
    size_t k = 0, i = 0, step = 1, lo = 0;
    if (n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
        i = 3;
    else if (n >= 2 && !memcmp(s, "\xFF\xFE", 2))
        i = 2, step = 2, lo = 0;
    else if (n >= 2 && !memcmp(s, "\xFE\xFF", 2))
        i = 2, step = 2, lo = 1;
    for (; i + lo < n && k < sizeof v; i += step)
        v[k++] = s[i + lo];
    size_t p = 0;
    for (;;) {
        while (p < k && (v[p] == ' ' || v[p] == '\t' || v[p] == '\r' || v[p] == '\n'))
            p++;
        if (p + 4 >= k || v[p] != '<')
            return 0;
        const char *end = NULL;
        if (v[p + 1] == '?')
            end = "?>";
        else if (k - p >= 4 && !memcmp(v + p, "<!--", 4))
            end = "-->";
        else if (v[p + 1] == '!')
            end = ">";
        if (!end)
            return k - p > 4 && !memcmp(v + p, "<tmx", 4) &&
                   (v[p + 4] == ' ' || v[p + 4] == '>' || v[p + 4] == '\t' ||
                    v[p + 4] == '\n' || v[p + 4] == '\r');
        size_t el = strlen(end), q = p + 2;
        while (q + el <= k && memcmp(v + q, end, el))
            q++;
        if (q + el > k)
            return 0;
        p = q + el;
    }
}

/* Whether a tuv's language is the one to check: the same primary language,
 * and the same region when both name one (de matches de-DE and de-AT,
 * de-DE matches de and de-DE). */
static int lang_match(const char *tuv, const char *want)
{
    if (!tuv || !want)
        return 0;
    size_t a = strcspn(tuv, "-_"), b = strcspn(want, "-_");
    if (a != b || strncasecmp(tuv, want, a))
        return 0;
    if (!tuv[a] || !want[b])
        return 1;
    return !strcasecmp(tuv + a + 1, want + b + 1);
}

struct tmxread {
    tmk_tmx_reader *r;
    struct srcfile *sf;
    const char *opt_lang, *fallback;
    char *want;
    size_t units, n, cap;
    size_t *offs;
    tmk_buf langs; /* the languages seen, ", "-separated (for the message when none is want) */
    size_t nlangs;
    int rc;
};

/* Note a tuv language not seen before (the first 20 are kept). */
static int note_lang(struct tmxread *t, const char *lang)
{
    if (!lang || !*lang || t->nlangs >= 20)
        return TMK_OK;
    size_t n = strlen(lang);
    for (const char *p = t->langs.data; p && *p;) {
        size_t k = strcspn(p, ",");
        if (k == n && !strncasecmp(p, lang, n))
            return TMK_OK;
        p += k;
        p += strspn(p, ", ");
    }
    t->nlangs++;
    if ((t->langs.len && tmk_buf_add(&t->langs, ", ", 2) < 0) || tmk_buf_add(&t->langs, lang, n) < 0)
        return TMK_ENOMEM;
    return TMK_OK;
}

static int tmx_header(void *ud, const tmk_tmx_header *h)
{
    struct tmxread *t = ud;
    if (t->opt_lang || t->want)
        return TMK_OK;
    /* the memory's source language, unless it is *all* */
    if (h->srclang && *h->srclang && strcmp(h->srclang, "*all*"))
        t->want = strdup(h->srclang);
    return TMK_OK;
}

/* The text of a seg as the speller reads it: the plain text (entities
 * decoded, the content of native codes left out, <hi>/<sub> text kept) with
 * a space where a placeholder (<ph>, <it>, <ut>) stands, so that the words
 * on either side stay two words ("Sie<ph>&lt;br/&gt;</ph>hier"); paired
 * formatting (<bpt>...<ept>) adds nothing, as it renders ("dann<bpt/>weiter"
 * is one word).  Columns count that space as one character.  markup: seg
 * is the XML content of <seg> (as the reader keeps it), else plain text. */
static int spell_seg_text(const char *seg, size_t len, int markup, tmk_buf *out)
{
    if (!markup)
        return tmk_tmx_seg_plain(seg, len, 0, out);
    size_t from = 0, i = 0;
    while (i < len) {
        if (seg[i] != '<') { /* a '<' in text is written &lt; */
            i++;
            continue;
        }
        size_t at = i, j = i + 1;
        int closing = j < len && seg[j] == '/';
        size_t name = j + (size_t)closing, nlen = 0;
        while (name + nlen < len && seg[name + nlen] != '\0' &&
               strchr(" \t\r\n/>", seg[name + nlen]) == NULL)
            nlen++;
        for (j = name + nlen; j < len && seg[j] != '>'; j++)
            if (seg[j] == '"' || seg[j] == '\'') {
                char q = seg[j++];
                while (j < len && seg[j] != q)
                    j++;
            }
        int selfclose = j < len && seg[j - 1] == '/';
        i = j + 1;
        int ph = !closing && nlen == 2 &&
                 (!strncmp(seg + name, "ph", 2) || !strncmp(seg + name, "it", 2) ||
                  !strncmp(seg + name, "ut", 2));
        if (!ph)
            continue;
        if (!selfclose) { /* to the matching end tag */
            int depth = 1;
            while (i < len && depth) {
                int end = i + 1 < len && seg[i + 1] == '/';
                size_t at_name = i + 1 + (size_t)end;
                if (seg[i] == '<' && at_name + nlen < len &&
                    !strncmp(seg + at_name, seg + name, nlen) && seg[at_name + nlen] != '\0' &&
                    strchr(" \t\r\n/>", seg[at_name + nlen]) != NULL) {
                    size_t k = i;
                    while (k < len && seg[k] != '>')
                        k++;
                    if (!end && !(k > 0 && seg[k - 1] == '/'))
                        depth++;
                    else if (end)
                        depth--;
                    i = k + 1;
                    continue;
                }
                i++;
            }
        }
        if (tmk_tmx_seg_plain(seg + from, at - from, 1, out) < 0 || tmk_buf_addch(out, ' ') < 0)
            return TMK_ENOMEM;
        from = i < len ? i : len;
    }
    return tmk_tmx_seg_plain(seg + from, len - from, 1, out);
}

static int tmx_unit(void *ud, const tmk_tmx_tu *tu)
{
    struct tmxread *t = ud;
    struct srcfile *sf = t->sf;
    t->units++;
    if (!t->want && !(t->want = strdup(t->opt_lang ? t->opt_lang : t->fallback)))
        return TMK_ENOMEM;
    for (size_t i = 0; i < tu->ntuvs; i++) {
        const tmk_tmx_tuv *v = &tu->tuvs[i];
        if (!lang_match(v->lang, t->want)) {
            if (!t->n && note_lang(t, v->lang) < 0)
                return TMK_ENOMEM;
            continue;
        }
        if (t->n == t->cap) {
            size_t cap = t->cap ? t->cap * 2 : 256;
            size_t *o = realloc(t->offs, cap * sizeof *o);
            if (!o)
                return TMK_ENOMEM;
            t->offs = o;
            unsigned long *l = realloc(sf->tulines, cap * sizeof *l);
            if (!l)
                return TMK_ENOMEM;
            sf->tulines = l;
            char **u = realloc(sf->units, cap * sizeof *u);
            if (!u)
                return TMK_ENOMEM;
            sf->units = u;
            t->cap = cap;
        }
        char num[32];
        snprintf(num, sizeof num, "%zu", t->units);
        if (!(sf->units[t->n] = strdup(tu->tuid && *tu->tuid ? tu->tuid : num)))
            return TMK_ENOMEM;
        sf->nunits = t->n + 1;
        sf->tulines[t->n] = tmk_tmx_reader_tu_line(t->r);
        t->offs[t->n] = sf->text.len;
        t->n++;
        /* the text to check (a placeholder as a space); a NUL after each */
        if (spell_seg_text(v->seg, v->seg_len, v->markup, &sf->text) < 0 ||
            tmk_buf_addch(&sf->text, '\0') < 0)
            return TMK_ENOMEM;
    }
    return TMK_OK;
}

static void srcfile_release(struct srcfile *sf)
{
    tmk_buf_release(&sf->text);
    free(sf->lines);
    free(sf->lens);
    free(sf->tulines);
    for (size_t i = 0; sf->units && i < sf->nunits; i++)
        free(sf->units[i]);
    free(sf->units);
    free(sf->lang);
    sf->lines = NULL;
    sf->lens = NULL;
    sf->tulines = NULL;
    sf->units = NULL;
    sf->lang = NULL;
    sf->nlines = sf->nunits = 0;
}

/* Read the segments of the chosen language from a TMX held in raw (a
 * gzip one too), or with raw NULL from the file path (a zip file). */
static int read_tmx(const char *path, const tmk_buf *raw, const char *opt_lang,
                    const char *fallback, struct srcfile *sf)
{
    tmk_error err = TMK_ERROR_INIT;
    struct tmxread t;
    memset(&t, 0, sizeof t);
    t.sf = sf;
    t.langs = (tmk_buf)TMK_BUF_INIT;
    t.opt_lang = opt_lang;
    t.fallback = fallback;
    sf->tmx = 1;
    tmk_tmx_read_options ro = TMK_TMX_READ_OPTIONS_INIT;
    ro.name = path;
    ro.flags = TMK_TMX_READ_POSITIONS; /* markup kept: spell_seg_text reads it */
    int rc = tmk_tmx_reader_new(&t.r, &ro, tmx_header, tmx_unit, NULL, &t, &err);
    if (t.r) {
        if (raw) {
            rc = tmk_tmx_reader_feed(t.r, raw->data, raw->len, &err);
            if (rc == TMK_OK)
                rc = tmk_tmx_reader_finish(t.r, &err);
        } else { /* a zip file: the library reads it by name */
            rc = cli_tmx_read(t.r, path, &err);
        }
        tmk_tmx_reader_free(t.r);
    }
    if (rc == TMK_OK && !t.want)
        t.want = strdup(opt_lang ? opt_lang : fallback);
    if (rc == TMK_OK && !t.want)
        rc = tmk_error_set(&err, TMK_ENOMEM, 0, 0, "out of memory");
    sf->lang = t.want;
    if (rc == TMK_OK) {
        sf->nlines = t.n;
        sf->lines = malloc((t.n + 1) * sizeof *sf->lines);
        sf->lens = malloc((t.n + 1) * sizeof *sf->lens);
        if (!sf->lines || !sf->lens)
            rc = tmk_error_set(&err, TMK_ENOMEM, 0, 0, "out of memory");
        for (size_t i = 0; rc == TMK_OK && i < t.n; i++) {
            sf->lines[i] = sf->text.data + t.offs[i];
            sf->lens[i] = strlen(sf->lines[i]);
        }
    }
    free(t.offs);
    if (rc < 0) {
        tmk_buf_release(&t.langs);
        if (!err.file[0])
            tmk_error_set_file(&err, path);
        if (!err.msg[0] && rc == TMK_ENOMEM)
            tmk_error_set(&err, rc, 0, 0, "out of memory");
        return cli_report(&err);
    }
    if (t.units && !t.n) {
        /* units, but none in the language asked for: checking nothing would
         * read as "no misspelling" */
        size_t a = strcspn(t.want, "-_");
        int variant = 0; /* the memory has another variant of the language */
        for (const char *p = t.langs.data; p && *p;) {
            size_t k = strcspn(p, ",");
            if (strcspn(p, "-_,") == a && !strncasecmp(p, t.want, a))
                variant = 1;
            p += k;
            p += strspn(p, ", ");
        }
        tmk_error_set_file(&err, path);
        tmk_error_set_detail(&err, TMK_ENOTFOUND, TMK_D_NO_SUCH_LANGUAGE, 0, 0,
                             "the memory has no segment in %s; its languages are %s: give -l "
                             "with one of them%s%.*s%s",
                             t.want, t.langs.len ? t.langs.data : "(none)",
                             variant ? " (-l " : "", variant ? (int)a : 0, t.want,
                             variant ? " checks every variant of the language)" : "");
        tmk_buf_release(&t.langs);
        cli_report(&err);
        return TMK_EXIT_INPUT;
    }
    tmk_buf_release(&t.langs);
    return TMK_EXIT_OK;
}

/* Read one input: a TMX memory (by content) or a text in enc. */
static int read_input(const char *path, const char *enc, const char *opt_lang,
                      const char *fallback, struct srcfile *sf)
{
    tmk_error err = TMK_ERROR_INIT;
    tmk_buf raw = TMK_BUF_INIT;
    tmk_error_set_file(&err, path);
    int rc = cli_read_file(path, &raw, &err);
    /* a compressed memory: gzip (the reader unpacks it), or a zip file
     * that is no document (DOCX and ODT are zip files too) */
    int gz = rc == TMK_OK && raw.len >= 2 && (unsigned char)raw.data[0] == 0x1F &&
             (unsigned char)raw.data[1] == 0x8B;
    int zip = rc == TMK_OK && strcmp(path, "-") && raw.len >= 4 && !memcmp(raw.data, "PK\3\4", 4) &&
              tmk_decode_sniff(raw.data, raw.len, NULL) == TMK_CONTENT_ARCHIVE;
    if (rc == TMK_OK && (gz || zip || looks_like_tmx(raw.data, raw.len))) {
        rc = read_tmx(path, zip ? NULL : &raw, opt_lang, fallback, sf);
        tmk_buf_release(&raw);
        return rc;
    }
    if (rc < 0) {
        tmk_buf_release(&raw);
        return cli_report(&err);
    }
    /* text or a document (DOCX, ODT, HTML, PDF) */
    int x = cli_text_from_raw(path, &raw, enc, opt_lang, &sf->text);
    tmk_buf_release(&raw);
    if (x)
        return x;
    if (split_lines(sf) < 0) {
        cli_errorf("out of memory");
        return TMK_EXIT_IO;
    }
    return TMK_EXIT_OK;
}

enum { OPT_PERSONAL = 256, OPT_NO_SUGGEST, OPT_IGNORE_CAPS, OPT_FORMAT, OPT_STRICT,
       OPT_NO_WORDLISTS, OPT_WORDS, OPT_SUGGEST_MODE };

void cli_spell_env(tmk_spell_options *o)
{
    const char *dp = getenv("DICPATH"), *home = getenv("HOME");
    o->dict_path = dp && *dp ? dp : NULL;
    o->home_dir = home && *home ? home : NULL;
    o->temp_dir = cli_temp_dir();
    o->data_dir = cli_data_dir();
}

/* What the command line asks for. */
struct spell_args {
    const char *cmd, *lang, *output, *enc;
    const char **dicts, **personal;
    size_t ndicts, npersonal;
    int suggest, ignore_caps, strict, no_lists, verbatim, smode;
    unsigned threads;
    enum fmt fmt;
    int fmt_given, help;
    char **inputs; /* the texts named, NULL: standard input */
    size_t ninputs;
};

/* One option of the command line into a (usage errors say so). */
static int take_option(struct spell_args *a, int o, char **argv)
{
    switch (o) {
    case 'l': a->lang = optarg; break;
    case 'd': a->dicts[a->ndicts++] = optarg; break;
    case OPT_PERSONAL: a->personal[a->npersonal++] = optarg; break;
    case OPT_NO_WORDLISTS: a->no_lists = 1; break;
    case OPT_NO_SUGGEST: a->suggest = 0; break;
    case OPT_WORDS: a->verbatim = 1; break;
    case OPT_IGNORE_CAPS: a->ignore_caps = 1; break;
    case OPT_STRICT: a->strict = 1; break;
    case 'o': a->output = optarg; break;
    case 'e': a->enc = optarg; break;
    case 'j': {
        char *end;
        long v = strtol(optarg, &end, 10);
        if (*end || v < 1 || v > 16)
            return cli_usage_error(a->cmd, "--threads wants a number from 1 to 16, not '%s'",
                                   optarg);
        a->threads = (unsigned)v;
        break;
    }
    case OPT_SUGGEST_MODE:
        if (!strcmp(optarg, "fast")) a->smode = TMK_SUGGEST_FAST;
        else if (!strcmp(optarg, "thorough")) a->smode = TMK_SUGGEST_THOROUGH;
        else if (!strcmp(optarg, "hunspell")) a->smode = TMK_SUGGEST_HUNSPELL;
        else
            return cli_usage_error(a->cmd, "unknown suggestion mode '%s'; use fast, thorough "
                                           "or hunspell", optarg);
        break;
    case OPT_FORMAT:
        a->fmt_given = 1;
        if (!strcmp(optarg, "text")) a->fmt = F_TEXT;
        else if (!strcmp(optarg, "json")) a->fmt = F_JSON;
        else if (!strcmp(optarg, "csv")) a->fmt = F_CSV;
        else if (!strcmp(optarg, "html")) a->fmt = F_HTML;
        else if (!strcmp(optarg, "words")) a->fmt = F_WORDS;
        else
            return cli_usage_error(a->cmd, "unknown format '%s'; use text, json, csv, html or "
                                           "words", optarg);
        break;
    case 'h':
        fputs(usage_text, stdout);
        a->help = 1;
        break;
    default:
        return cli_bad_option(a->cmd, o, argv);
    }
    return 0;
}

/* After the options: the report's format by its name, the language, and
 * no report written over an input. */
static int check_args(struct spell_args *a)
{
    if (!a->fmt_given && a->output) {
        /* the report's format by its extension: .html, .csv, .json */
        enum report_fmt rf;
        report_format(a->output, NULL, &rf);
        a->fmt = rf == REPORT_HTML ? F_HTML : rf == REPORT_CSV ? F_CSV
                 : rf == REPORT_JSON ? F_JSON : F_TEXT;
    }
    if (a->fmt == F_WORDS)
        a->suggest = 0;
    int rc;
    if (a->lang && (rc = cli_check_lang(a->cmd, a->lang)) != 0)
        return rc;
    for (size_t i = 0; a->output && a->inputs && i < a->ninputs; i++)
        if (strcmp(a->inputs[i], "-") && cli_same_file(a->output, a->inputs[i]))
            return cli_usage_error(a->cmd, "the report '%s' would replace the text '%s'; write "
                                           "it to another file", a->output, a->inputs[i]);
    for (size_t i = 0; a->output && i < a->npersonal; i++)
        if (cli_same_file(a->output, a->personal[i]))
            return cli_usage_error(a->cmd, "the report '%s' would replace the word list '%s'; "
                                           "write it to another file", a->output, a->personal[i]);
    return 0;
}

static int parse_args(struct spell_args *a, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"lang", required_argument, NULL, 'l'},
        {"dict", required_argument, NULL, 'd'},
        {"personal", required_argument, NULL, OPT_PERSONAL},
        {"no-wordlists", no_argument, NULL, OPT_NO_WORDLISTS},
        {"no-suggest", no_argument, NULL, OPT_NO_SUGGEST},
        {"words", no_argument, NULL, OPT_WORDS},
        {"suggest-mode", required_argument, NULL, OPT_SUGGEST_MODE},
        {"ignore-caps", no_argument, NULL, OPT_IGNORE_CAPS},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"output", required_argument, NULL, 'o'},
        {"strict", no_argument, NULL, OPT_STRICT},
        {"encoding", required_argument, NULL, 'e'},
        {"threads", required_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    a->cmd = argv[0];
    a->suggest = 1;
    a->smode = TMK_SUGGEST_FAST;
    a->fmt = F_TEXT;
    a->dicts = calloc((size_t)argc + 1, sizeof *a->dicts);
    a->personal = calloc((size_t)argc + 1, sizeof *a->personal);
    if (!a->dicts || !a->personal) {
        cli_errorf("out of memory");
        return TMK_EXIT_IO;
    }
    int o, rc;
    optind = 1;
    opterr = 0;
    while ((o = getopt_long(argc, argv, ":l:d:o:e:j:h", longopts, NULL)) != -1)
        if ((rc = take_option(a, o, argv)) != 0 || a->help)
            return rc;
    a->inputs = optind < argc ? argv + optind : NULL;
    a->ninputs = optind < argc ? (size_t)(argc - optind) : 1;
    return check_args(a);
}

/* A run: the speller (made again when a memory's language asks for
 * another), the report being written and the files read. */
struct spell_run {
    const struct spell_args *a;
    tmk_spell_options opt;
    tmk_speller *sp;
    char *sp_lang;  /* the language sp was made for ("" when the dictionaries say it) */
    const char *text_lang; /* a text's language: -l, else de-DE (NULL with -d: the
                              dictionaries'); a memory has its own */
    char hl[32];    /* the report's language */
    struct ctx c;
    struct srcfile *files;
    size_t done_files;
};

/* (Re)make the speller for the language want (NULL: the dictionaries'). */
static int make_speller(struct spell_run *r, const char *want)
{
    tmk_speller_free(r->sp);
    r->sp = NULL;
    free(r->sp_lang);
    r->sp_lang = NULL;
    r->opt.lang = want;
    tmk_error err = TMK_ERROR_INIT;
    int rc = tmk_speller_new(&r->sp, &r->opt, &err);
    /* want may be a memory's language, freed with the memory: opt must
     * not keep it */
    r->opt.lang = NULL;
    if (rc < 0)
        return cli_report(&err);
    if (!(r->sp_lang = strdup(want ? want : ""))) {
        cli_errorf("out of memory");
        return TMK_EXIT_IO;
    }
    r->opt.lang = want ? r->sp_lang : NULL;
    return TMK_EXIT_OK;
}

/* A new speller: the report's language (the text's, else the first
 * dictionary's name) and the sentence splitter of its segment key. */
static void report_language(struct spell_run *r, const char *want)
{
    if (want) {
        snprintf(r->hl, sizeof r->hl, "%s", want);
    } else {
        const char *p = tmk_speller_dict_path(r->sp, 0), *b = strrchr(p, '/');
        snprintf(r->hl, sizeof r->hl, "%s", b ? b + 1 : p);
        r->hl[strcspn(r->hl, ".")] = '\0';
        for (char *q = r->hl; *q; q++)
            if (*q == '_')
                *q = '-';
    }
    tmk_segmenter_free(r->c.seg);
    r->c.seg = (r->a->fmt == F_JSON || r->a->fmt == F_CSV) ? sentence_splitter(r->hl) : NULL;
    r->c.seg_idx = SIZE_MAX;
}

/* --words: each line one word, checked as given. */
static int check_words(struct spell_run *r, const struct srcfile *sf, tmk_error *err)
{
    int rc = 0, suggest = r->a->suggest;
    for (size_t i = 0; i < sf->nlines && rc == 0; i++) {
        /* longer than Hunspell can check: reported, not checked */
        int too_long = tmk_utf8_count(sf->lines[i], sf->lens[i]) > TMK_SPELL_MAX_WORD;
        int ok = !sf->lens[i] ||
                 (!too_long && tmk_speller_check(r->sp, sf->lines[i], sf->lens[i], NULL));
        if (ok < 0) {
            rc = ok;
            break;
        }
        if (ok)
            continue;
        char *w = strndup(sf->lines[i], sf->lens[i]);
        const char *const *sg = NULL;
        int ns = (w && suggest && !too_long)
                     ? tmk_speller_suggest(r->sp, w, sf->lens[i], &sg, NULL) : 0;
        tmk_spell_hit h = {w, 0, sf->lens[i], 1, sg, ns > 0 ? (size_t)ns : 0, too_long, i};
        rc = w ? on_hit(&r->c, &h) : TMK_ENOMEM;
        free(w);
    }
    if (rc < 0)
        tmk_error_set(err, rc, 0, 0, "out of memory");
    return rc;
}

/* Read input f, (re)make the speller its language needs, check it. */
static int check_file(struct spell_run *r, size_t f, tmk_error *err)
{
    const struct spell_args *a = r->a;
    struct srcfile *sf = &r->files[f];
    const char *path = a->inputs ? a->inputs[f] : "-";
    sf->name = (char *)path;
    tmk_buf_init(&sf->text);
    r->done_files++;
    int rc = read_input(path, a->enc, a->lang, r->text_lang ? r->text_lang : "de-DE", sf);
    if (rc)
        return rc;
    /* the language of the text: -l, a memory's source language, else
     * the first dictionary's name */
    const char *want = sf->tmx ? sf->lang : r->text_lang;
    int fresh = f == 0;
    if (!r->sp || (!a->ndicts && strcmp(r->sp_lang, want ? want : ""))) {
        if ((rc = make_speller(r, want)) != 0)
            return rc;
        fresh = 1;
    }
    if (fresh)
        report_language(r, want);
    struct ctx *c = &r->c;
    c->fname = path;
    c->file = f;
    c->src = sf;
    c->lines = sf->lines;
    c->lens = sf->lens;
    tmk_error_set_file(err, path);
    int x = a->verbatim && !sf->tmx
                ? check_words(r, sf, err)
                : tmk_spell_texts(r->sp, sf->lines, sf->lens, sf->nlines, a->suggest,
                                  a->threads, on_hit, c, err);
    if (x < 0)
        return cli_report(err);
    if (a->fmt != F_HTML)
        srcfile_release(sf); /* only the HTML report needs the text afterwards */
    return TMK_EXIT_OK;
}

static void run_release(struct spell_run *r)
{
    for (size_t f = 0; f < r->done_files; f++)
        srcfile_release(&r->files[f]);
    free(r->files);
    struct ctx *c = &r->c;
    for (size_t i = 0; i < c->nrecs; i++) {
        free(c->recs[i].word);
        for (size_t k = 0; k < c->recs[i].nsugg; k++)
            free(c->recs[i].sugg[k]);
        free(c->recs[i].sugg);
    }
    free(c->recs);
    tmk_segmenter_free(c->seg);
    tmk_build_seglist_free(c->sents);
    tmk_speller_free(r->sp);
    free(r->sp_lang);
}

/* Check every input into the report, written atomically. */
static int run_spell(const struct spell_args *a)
{
    struct spell_run r;
    memset(&r, 0, sizeof r);
    r.a = a;
    tmk_spell_options init = TMK_SPELL_OPTIONS_INIT;
    r.opt = init;
    /* the default language picks de_DE; with -d the dictionaries say it */
    r.opt.lang = a->lang ? a->lang : a->ndicts ? NULL : "de-DE";
    r.text_lang = r.opt.lang;
    r.opt.dicts = a->dicts;
    r.opt.ndicts = a->ndicts;
    r.opt.wordlists = a->personal;
    r.opt.nwordlists = a->npersonal;
    r.opt.ignore_caps = a->ignore_caps;
    r.opt.no_project_wordlists = a->no_lists;
    r.opt.suggest_mode = a->smode;
    cli_spell_env(&r.opt);
    snprintf(r.hl, sizeof r.hl, "de-DE");
    int rc = TMK_EXIT_OK;
    /* the speller is made when the first input is read (a memory without -l
     * is checked in its source language), unless the language is known:
     * then a missing dictionary is reported at once */
    if ((a->lang || a->ndicts) && (rc = make_speller(&r, r.opt.lang)) != 0) {
        run_release(&r);
        return rc;
    }
    tmk_error err = TMK_ERROR_INIT;
    r.files = calloc(a->ninputs, sizeof *r.files);
    cli_outfile *of = r.files ? cli_outfile_open(a->output ? a->output : "-", &err) : NULL;
    if (!of) {
        if (!r.files) {
            cli_errorf("out of memory");
            rc = TMK_EXIT_IO;
        } else {
            tmk_error_set_file(&err, a->output);
            rc = cli_report(&err);
        }
        run_release(&r);
        return rc ? rc : TMK_EXIT_IO;
    }
    r.c.fmt = a->fmt;
    r.c.out = cli_outfile_stream(of);
    r.c.suggest = a->suggest;
    r.c.seg_idx = SIZE_MAX; /* no line segmented yet */
    if (a->fmt == F_CSV)
        fputs("file,line,column,word,suggestions,segment,unit\r\n", r.c.out);
    for (size_t f = 0; f < a->ninputs && rc == TMK_EXIT_OK; f++)
        rc = check_file(&r, f, &err);
    if (rc == TMK_EXIT_OK && a->fmt == F_HTML)
        write_html(r.c.out, &r.c, r.files, a->ninputs, r.hl, r.sp);
    if (rc == TMK_EXIT_OK) {
        tmk_error_set_file(&err, a->output);
        if (cli_outfile_commit(of, &err) < 0)
            rc = cli_report(&err);
    } else {
        cli_outfile_abort(of);
    }
    if (rc == TMK_EXIT_OK && a->strict && r.c.flagged)
        rc = TMK_EXIT_FINDINGS;
    run_release(&r);
    return rc;
}

int cmd_spell(int argc, char **argv)
{
    struct spell_args a;
    memset(&a, 0, sizeof a);
    int rc = parse_args(&a, argc, argv);
    if (rc == 0 && !a.help)
        rc = run_spell(&a);
    free(a.dicts);
    free(a.personal);
    return rc;
}
