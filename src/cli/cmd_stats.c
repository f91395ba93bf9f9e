/* cmd_stats.c -- tmkit stats: units, languages, pairs, words, characters
 * and duplicate units of TMX files, read as a stream.  Duplicates are
 * counted exactly with bounded memory: each unit's 64-bit content hash goes
 * into tmk_sorter (in memory up to its budget, then sorted runs on disk). */
#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "tmx_cli.h"

static const char usage_text[] =
    "Usage: tmkit stats [--json] FILE.tmx...\n"
    "Count, over all the files given: units, tuvs, languages (tuvs, words and\n"
    "characters per language), language pairs (source language -> each other\n"
    "language of a unit) and duplicate units (same languages and texts as an\n"
    "earlier unit).  Words are runs of characters between white space; inline\n"
    "markup is not counted.  Memory stays bounded whatever the input size.\n\n"
    "  --json        one JSON object on stdout instead of text\n"
    "  -h, --help    this help\n";

typedef struct {
    char *lang;
    char raw[32]; /* the spelling last seen for it */
    unsigned long long tuvs, words, chars;
} lstat;
typedef struct {
    char *src, *tgt;
    unsigned long long units;
} pstat;

typedef struct {
    const char *header_srclang;
    char *hdr;
    unsigned long long units, tuvs;
    lstat *langs;
    size_t nlangs;
    pstat *pairs;
    size_t npairs;
    tmk_sorter *hashes;
    char last_a[64], last_b[64]; /* the last pair seen, as written */
    size_t last_pair;
    tmk_buf plain;
    tmk_error err;
} stats;

static lstat *lang_entry(stats *s, const char *lang)
{
    /* most memories have few languages in a fixed order: try the entry
     * found for the same tuv position last time first */
    for (size_t i = 0; i < s->nlangs; i++)
        if (!strcmp(s->langs[i].raw, lang))
            return &s->langs[i];
    for (size_t i = 0; i < s->nlangs; i++)
        if (tmxcli_lang_match(s->langs[i].lang, lang) && strlen(s->langs[i].lang) == strlen(lang)) {
            if (strlen(lang) < sizeof s->langs[i].raw)
                strcpy(s->langs[i].raw, lang);
            return &s->langs[i];
        }
    if (s->nlangs >= 10000)
        return NULL; /* a bounded table: absurd files do not grow it */
    lstat *n = realloc(s->langs, (s->nlangs + 1) * sizeof *n);
    if (!n)
        return NULL;
    s->langs = n;
    lstat *e = &s->langs[s->nlangs++];
    memset(e, 0, sizeof *e);
    e->lang = tmk_lang_canonical(lang);
    if (!e->lang) {
        s->nlangs--;
        return NULL;
    }
    if (strlen(lang) < sizeof e->raw)
        strcpy(e->raw, lang);
    return e;
}

static void pair_add(stats *s, const char *a, const char *b)
{
    for (size_t i = 0; i < s->npairs; i++)
        if (!strcmp(s->pairs[i].src, a) && !strcmp(s->pairs[i].tgt, b)) {
            s->pairs[i].units++;
            return;
        }
    if (s->npairs >= 10000)
        return;
    pstat *n = realloc(s->pairs, (s->npairs + 1) * sizeof *n);
    if (!n)
        return;
    s->pairs = n;
    s->pairs[s->npairs++] = (pstat){strdup(a), strdup(b), 1};
}

/* words = starts of runs of non-space; characters = code points.  A
 * table gives each byte's class so that the common case is branch-light:
 * 0 = other, 1 = ASCII white space, 2 = UTF-8 continuation byte, 3 = the
 * lead byte of a character that may be a Unicode space (U+00A0, U+1680,
 * U+2000..U+200A, U+2028/9, U+202F, U+205F, U+3000): decoded to check. */
static unsigned char byte_class[256];

static void init_classes(void)
{
    byte_class[' '] = byte_class['\t'] = byte_class['\n'] = byte_class['\r'] = 1;
    byte_class[0x0B] = byte_class[0x0C] = 1;
    for (int b = 0x80; b < 0xC0; b++)
        byte_class[b] = 2;
    byte_class[0xC2] = byte_class[0xE1] = byte_class[0xE2] = byte_class[0xE3] = 3;
}

static void count_text(const char *t, size_t n, unsigned long long *words,
                       unsigned long long *chars)
{
    unsigned long long w = 0, c = 0;
    int prev_space = 1;
    for (size_t i = 0; i < n; i++) {
        unsigned cls = byte_class[(unsigned char)t[i]];
        if (cls == 2)
            continue; /* inside a character */
        int space = cls == 1;
        if (cls == 3) {
            size_t adv;
            int32_t cp = tmk_utf8_decode(t + i, n - i, &adv);
            space = cp >= 0 && tmk_uc_is_space(cp);
        }
        c++;
        w += (unsigned)(prev_space & !space);
        prev_space = space;
    }
    *words += w;
    *chars += c;
}

static int on_header(const tmk_tmx_header *h, void *ud)
{
    stats *s = ud;
    free(s->hdr);
    s->hdr = h->srclang ? strdup(h->srclang) : NULL;
    s->header_srclang = s->hdr;
    return TMK_OK;
}

static int on_tu(const tmk_tu *tu, void *ud)
{
    stats *s = ud;
    s->units++;
    s->tuvs += tu->ntuvs;
    uint64_t unit_hash = 0;
    for (size_t i = 0; i < tu->ntuvs; i++) {
        const tmk_tuv *v = &tu->tuvs[i];
        const char *lang = v->lang ? v->lang : "(none)";
        lstat *e = lang_entry(s, lang);
        const char *text = v->seg;
        size_t len = v->seg_len;
        if (v->markup) {
            tmk_buf_reset(&s->plain);
            if (tmk_tmx_seg_plain(v->seg, v->seg_len, 1, &s->plain) < 0)
                return TMK_ENOMEM;
            text = s->plain.data;
            len = s->plain.len;
        }
        if (e) {
            e->tuvs++;
            count_text(text, len, &e->words, &e->chars);
        }
        /* order-independent hash of (language, text) pairs */
        char lk[64];
        size_t ln = 0;
        for (const char *p = lang; *p && ln < sizeof lk; p++)
            lk[ln++] = (char)(*p == '_' ? '-' : (*p >= 'A' && *p <= 'Z' ? *p + 32 : *p));
        uint64_t h = tmxcli_hash(TMXCLI_HASH_INIT, lk, ln);
        h = tmxcli_hash(h, text, len);
        h ^= h >> 29;
        h *= 0xbf58476d1ce4e5b9ULL;
        h ^= h >> 32;
        unit_hash += h;
    }
    long si = tmxcli_source(tu, s->header_srclang);
    for (size_t i = 0; si >= 0 && i < tu->ntuvs; i++) {
        if ((long)i == si)
            continue;
        const char *ra = tu->tuvs[si].lang ? tu->tuvs[si].lang : "(none)";
        const char *rb = tu->tuvs[i].lang ? tu->tuvs[i].lang : "(none)";
        if (s->npairs && !strcmp(ra, s->last_a) && !strcmp(rb, s->last_b)) {
            s->pairs[s->last_pair].units++; /* the common case: same pair as before */
            continue;
        }
        char *a = tmk_lang_canonical(ra);
        char *b = tmk_lang_canonical(rb);
        if (a && b) {
            pair_add(s, a, b);
            for (size_t k = 0; k < s->npairs; k++)
                if (!strcmp(s->pairs[k].src, a) && !strcmp(s->pairs[k].tgt, b) &&
                    strlen(ra) < sizeof s->last_a && strlen(rb) < sizeof s->last_b) {
                    s->last_pair = k;
                    strcpy(s->last_a, ra);
                    strcpy(s->last_b, rb);
                }
        }
        free(a);
        free(b);
    }
    return tmk_sorter_add(s->hashes, &unit_hash, &s->err);
}

static int cmp_lang(const void *a, const void *b)
{
    return strcmp(((const lstat *)a)->lang, ((const lstat *)b)->lang);
}
static int cmp_pair(const void *a, const void *b)
{
    const pstat *x = a, *y = b;
    if (x->units != y->units)
        return x->units < y->units ? 1 : -1;
    int c = strcmp(x->src, y->src);
    return c ? c : strcmp(x->tgt, y->tgt);
}

static void json_str(const char *s)
{
    tmk_buf b = TMK_BUF_INIT;
    tmk_buf_add_json(&b, s, strlen(s));
    printf("\"%s\"", b.data);
    tmk_buf_release(&b);
}

int cmd_stats(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    int json = 0, ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (ch) {
        case 'j': json = 1; break;
        case 'h': fputs(usage_text, stdout); return TMK_EXIT_OK;
        default: return cli_usage_error(argv[0], "unknown option");
        }
    }
    if (optind >= argc)
        return cli_usage_error(argv[0], "give the TMX file(s) to count");
    stats s;
    memset(&s, 0, sizeof s);
    init_classes();
    tmk_buf_init(&s.plain);
    s.hashes = tmk_sorter_new(8, tmk_sorter_cmp_u64, (size_t)6 << 20, &s.err);
    if (!s.hashes)
        return cli_report(&s.err);
    int ex = TMK_EXIT_OK;
    for (int i = optind; i < argc && ex == TMK_EXIT_OK; i++) {
        tmk_error err = TMK_ERROR_INIT;
        tmk_tmx_reader *r = tmk_tmx_reader_new(argv[i], TMK_TMX_READ_STRIP, &err);
        if (!r)
            return cli_report(&err);
        free(s.hdr);
        s.hdr = NULL;
        s.header_srclang = NULL;
        tmk_tmx_reader_on_header(r, on_header, &s);
        tmk_tmx_reader_on_tu(r, on_tu, &s);
        int rc = tmk_tmx_read_file(r, argv[i], &err);
        tmk_tmx_reader_free(r);
        if (rc < 0) {
            if (s.err.code) {
                err = s.err;
                err.file = argv[i];
            }
            ex = cli_report(&err);
        }
    }
    unsigned long long dups = 0;
    if (ex == TMK_EXIT_OK) {
        int rc = tmk_sorter_sort(s.hashes, &s.err);
        uint64_t prev = 0, cur;
        int have = 0;
        while (rc >= 0 && (rc = tmk_sorter_next(s.hashes, &cur, &s.err)) == 1) {
            if (have && cur == prev)
                dups++;
            prev = cur;
            have = 1;
        }
        if (rc < 0)
            ex = cli_report(&s.err);
    }
    if (ex == TMK_EXIT_OK) {
        qsort(s.langs, s.nlangs, sizeof *s.langs, cmp_lang);
        qsort(s.pairs, s.npairs, sizeof *s.pairs, cmp_pair);
        if (json) {
            printf("{\"files\": %d, \"units\": %llu, \"tuvs\": %llu, \"duplicates\": %llu, "
                   "\"languages\": [", argc - optind, s.units, s.tuvs, dups);
            for (size_t i = 0; i < s.nlangs; i++) {
                printf("%s{\"lang\": ", i ? ", " : "");
                json_str(s.langs[i].lang);
                printf(", \"tuvs\": %llu, \"words\": %llu, \"characters\": %llu}",
                       s.langs[i].tuvs, s.langs[i].words, s.langs[i].chars);
            }
            printf("], \"pairs\": [");
            for (size_t i = 0; i < s.npairs; i++) {
                printf("%s{\"source\": ", i ? ", " : "");
                json_str(s.pairs[i].src);
                printf(", \"target\": ");
                json_str(s.pairs[i].tgt);
                printf(", \"units\": %llu}", s.pairs[i].units);
            }
            printf("]}\n");
        } else {
            printf("files: %d\nunits: %llu\ntuvs: %llu\nduplicates: %llu\nlanguages: %zu\n",
                   argc - optind, s.units, s.tuvs, dups, s.nlangs);
            for (size_t i = 0; i < s.nlangs; i++)
                printf("  %-12s tuvs %llu, words %llu, characters %llu\n", s.langs[i].lang,
                       s.langs[i].tuvs, s.langs[i].words, s.langs[i].chars);
            printf("pairs: %zu\n", s.npairs);
            for (size_t i = 0; i < s.npairs; i++)
                printf("  %s -> %s: %llu\n", s.pairs[i].src, s.pairs[i].tgt, s.pairs[i].units);
        }
        if (fflush(stdout) != 0) {
            cli_errorf("cannot write to standard output");
            ex = TMK_EXIT_IO;
        }
    }
    for (size_t i = 0; i < s.nlangs; i++)
        free(s.langs[i].lang);
    for (size_t i = 0; i < s.npairs; i++) {
        free(s.pairs[i].src);
        free(s.pairs[i].tgt);
    }
    free(s.langs);
    free(s.pairs);
    free(s.hdr);
    tmk_buf_release(&s.plain);
    tmk_sorter_free(s.hashes);
    return ex;
}
