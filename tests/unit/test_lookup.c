/* test_lookup.c -- the score's worked examples (README), the index's
 * exactness against brute force, the index file (reopen, stale, damaged),
 * concordance and the bad inputs of the lookup module. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "tmkit/tmkit.h"


/* the index file, as tmkit lookup asks for it (not the library's default) */
static const tmk_tm_options ix_opts = {sizeof(tmk_tm_options), NULL, NULL, NULL,
                                       TMK_TM_INDEX_FILE, 50, NULL};
static int score(const char *a, const char *b) { return tmk_tm_score(a, strlen(a), b, strlen(b)); }

/* The worked examples of the README, each with why. */
static void test_score_worked_examples(void **state)
{
    (void)state;
    static const struct {
        const char *a, *b;
        int s;
    } ex[] = {
        /* identical */
        {"Der Vertrag wurde gestern unterzeichnet.", "Der Vertrag wurde gestern unterzeichnet.", 100},
        /* one word of five replaced: L 5, d 1, floor(100*4/5) = 80 */
        {"Der Vertrag wurde gestern unterzeichnet.", "Der Vertrag wurde heute unterzeichnet.", 80},
        /* one word inserted: L 5, d 1 -> 80 */
        {"Das Haus ist groß.", "Das Haus ist sehr groß.", 80},
        /* case only: 100 - 1 */
        {"Der Vertrag wurde gestern unterzeichnet.", "der Vertrag wurde gestern unterzeichnet.", 99},
        /* two numbers changed: 100 - 2 - 2 */
        {"Am 3. Mai 2024 um 10 Uhr", "Am 4. Mai 2025 um 10 Uhr", 96},
        /* two punctuation marks missing: 100 - 2 */
        {"Hallo, Welt!", "Hallo Welt", 98},
        /* a tag more: 100 - 1 */
        {"<ph x=\"1\"/>Hallo Welt", "Hallo Welt", 99},
        /* white space differs: 100 - 1 */
        {"Hallo  Welt", "Hallo Welt", 99},
        {"Hallo Welt ", "Hallo Welt", 99},
        {"Hallo\u00a0Welt", "Hallo Welt", 99},
        /* one word of one replaced */
        {"Vertrag", "Verträge", 0},
        /* L = 3, d = 1: floor(200/3) = 66 */
        {"Stärkung der Beziehung", "Stärkung der Beziehungen", 66},
        /* no words: raw 100, one punctuation token more */
        {"!!", "!!!", 99},
        {"", "", 100},
        /* compounds stay one word: E-Mail-Adresse vs E-Mail-Adressen: d 1 of 2 */
        {"Ihre E-Mail-Adresse", "Ihre E-Mail-Adressen", 50},
        /* an entity is the character it stands for (but not the same bytes) */
        {"Tom &amp; Jerry", "Tom & Jerry", 99},
        /* reordering: d 2 of 4 */
        {"eins zwei drei vier", "zwei eins drei vier", 50},
    };
    for (size_t i = 0; i < sizeof ex / sizeof *ex; i++) {
        int s = score(ex[i].a, ex[i].b);
        if (s != ex[i].s)
            fail_msg("example %zu: score(\"%s\", \"%s\") = %d, expected %d", i, ex[i].a, ex[i].b, s,
                     ex[i].s);
        assert_int_equal(score(ex[i].b, ex[i].a), s); /* symmetric */
    }
}

static void test_score_long_segment_is_capped(void **state)
{
    (void)state;
    /* 100,000 words: scored on the first TMK_TM_MAX_TOKENS, in bounded time */
    size_t n = 100000;
    char *a = malloc(n * 6 + 1), *b = malloc(n * 6 + 1);
    assert_non_null(a);
    assert_non_null(b);
    size_t la = 0, lb = 0;
    for (size_t i = 0; i < n; i++) {
        la += (size_t)sprintf(a + la, "w%zu ", i % 997);
        lb += (size_t)sprintf(b + lb, "w%zu ", (i + 1) % 991);
    }
    clock_t t0 = clock();
    int s = tmk_tm_score(a, la, b, lb);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    assert_true(s >= 0 && s <= 99);
    assert_true(secs < 2.0);
    assert_int_equal(tmk_tm_word_tokens(a, la), (long)n);
    free(a);
    free(b);
}

/* ---- memories for the tests ------------------------------------------- */

static char tmpdir[256];

static void make_tmpdir(void)
{
    if (tmpdir[0])
        return;
    const char *t = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/tmk-lookup-XXXXXX", t && *t ? t : "/tmp");
    assert_non_null(mkdtemp(tmpdir));
}

/* Write pairs as a TMX memory (de-DE -> en-US). */
static void write_tmx(const char *path, char **src, char **tgt, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    tmk_tmx_header h = {.srclang = "de-DE", .creationdate = 0};
    tmk_tmx_write_options o = TMK_TMX_WRITE_OPTIONS_INIT;
    o.flags = TMK_TMX_VERBATIM;
    o.file = f;
    tmk_tmx_writer *w;
    assert_int_equal(tmk_tmx_writer_new(&w, &o, &h, NULL, NULL, NULL, NULL), TMK_OK);
    for (size_t i = 0; i < n; i++) {
        tmk_tmx_tuv v[2] = {{.lang = "de-DE", .seg = src[i], .seg_len = strlen(src[i])},
                        {.lang = "en-US", .seg = tgt[i], .seg_len = strlen(tgt[i])}};
        char tuid[32];
        snprintf(tuid, sizeof tuid, "u%zu", i);
        tmk_tmx_tu tu = {.tuid = tuid, .tuvs = v, .ntuvs = 2};
        assert_int_equal(tmk_tmx_writer_add(w, &tu, NULL), 0);
    }
    assert_int_equal(tmk_tmx_writer_finish(w, NULL), 0);
    tmk_tmx_writer_free(w);
    fclose(f);
}

static uint64_t rng = 88172645463325252ULL;
static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

/* An edited copy of s: a word inserted, deleted, replaced, two swapped,
 * numbers changed, case changed, punctuation changed. */
static char *edit(const char *s, char **vocab, size_t nvocab)
{
    char *words[400];
    size_t n = 0;
    char *copy = strdup(s);
    for (char *t = strtok(copy, " "); t && n < 390; t = strtok(NULL, " "))
        words[n++] = t;
    char *out = malloc(strlen(s) * 2 + 200);
    out[0] = 0;
    int op = (int)rnd(8);
    size_t at = n ? rnd((uint32_t)n) : 0;
    for (size_t i = 0; i <= n; i++) {
        if (op == 0 && i == at) { /* insert */
            strcat(out, vocab[rnd((uint32_t)nvocab)]);
            strcat(out, " ");
        }
        if (i == n)
            break;
        const char *w = words[i];
        char buf[256];
        if (op == 1 && i == at)
            continue; /* delete */
        if (op == 2 && i == at)
            w = vocab[rnd((uint32_t)nvocab)]; /* replace */
        if (op == 3 && i + 1 < n && (i == at || i == at + 1))
            w = words[i == at ? at + 1 : at]; /* swap */
        if (op == 4 && w[0] >= '0' && w[0] <= '9') {
            snprintf(buf, sizeof buf, "%u", rnd(1000));
            w = buf;
        }
        if (op == 5 && i == at && w[0] >= 'a' && w[0] <= 'z') {
            snprintf(buf, sizeof buf, "%c%s", w[0] - 32, w + 1);
            w = buf;
        }
        if (op == 6 && i == at) {
            snprintf(buf, sizeof buf, "%s,", w);
            w = buf;
        }
        if (op == 7 && (i == at || i == (at + 3) % (n ? n : 1))) {
            w = vocab[rnd((uint32_t)nvocab)];
        }
        strcat(out, w);
        if (i + 1 < n)
            strcat(out, " ");
    }
    free(copy);
    return out;
}

static void same_results(tmk_tm *tm, const char *q, int min, size_t k, size_t *nonempty)
{
    tmk_tm_lookup_options lo = TMK_TM_LOOKUP_OPTIONS_INIT;
    lo.k = k;
    lo.min_score = min;
    tmk_tm_match a[32], b[32];
    size_t na = 0, nb = 0;
    assert_int_equal(tmk_tm_lookup(tm, q, strlen(q), &lo, a, &na, NULL), 0);
    assert_int_equal(tmk_tm_lookup_brute(tm, q, strlen(q), &lo, b, &nb, NULL), 0);
    if (na != nb)
        fail_msg("query \"%s\" (min %d, k %zu): %zu matches with the index, %zu by brute force", q,
                 min, k, na, nb);
    for (size_t i = 0; i < na; i++)
        if (a[i].score != b[i].score || a[i].unit.index != b[i].unit.index)
            fail_msg("query \"%s\": match %zu is unit %zu (%d), brute force unit %zu (%d)", q, i,
                     a[i].unit.index, a[i].score, b[i].unit.index, b[i].score);
    *nonempty += na > 0;
}

/* Read up to max lines of at most 300 bytes from a TSV file (column col). */
static size_t read_col(const char *path, int col, char **out, size_t max, size_t skip)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[8192];
    size_t n = 0, seen = 0;
    while (n < max && fgets(line, sizeof line, f)) {
        if (seen++ < skip)
            continue;
        line[strcspn(line, "\n")] = 0;
        char *p = line;
        for (int c = 0; c < col && p; c++) {
            p = strchr(p, '\t');
            if (p)
                p++;
        }
        if (!p)
            continue;
        p[strcspn(p, "\t")] = 0;
        if (!*p || strlen(p) > 300 || strchr(p, '\\') || strchr(p, '<') || strchr(p, '&'))
            continue;
        out[n++] = strdup(p);
    }
    fclose(f);
    return n;
}

static const char *corpora(char *buf, size_t n)
{
    const char *c = getenv("CORPORA");
    const char *top = getenv("top_srcdir");
    if (c && *c)
        snprintf(buf, n, "%s/en_de_pairs.tsv", c);
    else
        snprintf(buf, n, "%s/../corpora/en_de_pairs.tsv", top ? top : "..");
    return access(buf, R_OK) == 0 ? buf : NULL;
}

static void check_exact(char **src, char **tgt, size_t nmem, char **extra, size_t nextra,
                        size_t want_queries)
{
    make_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/exact.tmx", tmpdir);
    write_tmx(path, src, tgt, nmem);
    const char *mems[] = {path};
    tmk_tm_options o = TMK_TM_OPTIONS_INIT;
    o.flags = TMK_TM_INDEX_FILE; /* as tmkit lookup */
    o.srclang = "de";
    o.tgtlang = "en";
    tmk_tm *tm = NULL;
    tmk_error err = TMK_ERROR_INIT;
    assert_int_equal(tmk_tm_open(&tm, mems, 1, &o, NULL, NULL, &err), 0);
    assert_int_equal(tmk_tm_size(tm), nmem);
    /* vocabulary for edits */
    char **vocab = malloc(4096 * sizeof *vocab);
    size_t nv = 0;
    for (size_t i = 0; i < nmem && nv < 4096; i++) {
        char *c = strdup(src[i]);
        for (char *t = strtok(c, " "); t && nv < 4096; t = strtok(NULL, " "))
            vocab[nv++] = strdup(t);
        free(c);
    }
    size_t nq = 0, nonempty = 0;
    static const int mins[] = {50, 50, 70, 90, 60};
    static const size_t ks[] = {5, 1, 5, 10, 3};
    while (nq < want_queries) {
        char *q;
        int kind = (int)(nq % 4);
        if (kind == 0) /* an edited memory sentence */
            q = edit(src[rnd((uint32_t)nmem)], vocab, nv);
        else if (kind == 1 && nextra) /* a real sentence not in the memory */
            q = strdup(extra[rnd((uint32_t)nextra)]);
        else if (kind == 2) { /* one to three words */
            char buf[512] = "";
            int nw = 1 + (int)rnd(3);
            for (int w = 0; w < nw; w++) {
                if (w)
                    strcat(buf, " ");
                strncat(buf, vocab[rnd((uint32_t)nv)], 100);
            }
            q = strdup(buf);
        } else { /* a memory sentence as it is, or edited twice */
            char *e = edit(src[rnd((uint32_t)nmem)], vocab, nv);
            q = rnd(2) ? edit(e, vocab, nv) : strdup(src[rnd((uint32_t)nmem)]);
            free(e);
        }
        size_t v = nq % 5;
        same_results(tm, q, mins[v], ks[v], &nonempty);
        free(q);
        nq++;
    }
    /* most edited queries find something: the test is not vacuous */
    assert_true(nonempty > want_queries / 3);
    /* the same from the saved index, mapped */
    tmk_tm_free(tm);
    int used = 0;
    assert_int_equal(tmk_tm_open(&tm, mems, 1, &o, NULL, NULL, &err), 0);
    (void)used;
    for (size_t i = 0; i < 200; i++) {
        char *q = edit(src[rnd((uint32_t)nmem)], vocab, nv);
        same_results(tm, q, 50, 5, &nonempty);
        free(q);
    }
    tmk_tm_free(tm);
    for (size_t i = 0; i < nv; i++)
        free(vocab[i]);
    free(vocab);
    char idx[600];
    snprintf(idx, sizeof idx, "%s.tmkidx", path);
    unlink(idx);
    unlink(path);
}

static void test_lookup_equals_brute_force_sample(void **state)
{
    (void)state;
    /* a small memory of its own, with duplicates and near-duplicates (ties) */
    static const char *const base[] = {
        "Der Vertrag wurde gestern unterzeichnet.",
        "Der Vertrag wurde heute unterzeichnet.",
        "Der Vertrag wurde gestern unterzeichnet.",
        "Die Regierung hat am 3. Mai 2024 neue Regeln beschlossen.",
        "Die Regierung hat am 4. Mai 2025 neue Regeln beschlossen.",
        "Bitte geben Sie Ihre E-Mail-Adresse ein.",
        "Bitte geben Sie Ihre Telefonnummer ein.",
        "Stärkung der Beziehungen",
        "Neujahrsbotschaft",
        "Wünsche für das russische Volk",
        "Das Haus ist groß.",
        "Das Haus ist sehr groß.",
        "Das Haus ist klein.",
        "!!!",
        "...",
        "Hallo, Welt!",
        "hallo welt",
        "Er kam, sah und siegte.",
        "Im Juni wurde ein historisches Verteidigungsabkommen unterzeichnet.",
        "Kim Jong Un und Wladimir Putin trafen sich in Pjöngjang.",
        "1 2 3",
        "Seite 12 von 20",
        "Seite 13 von 20",
    };
    size_t nb = sizeof base / sizeof *base;
    char *src[64], *tgt[64];
    for (size_t i = 0; i < nb; i++) {
        src[i] = (char *)base[i];
        tgt[i] = "x";
    }
    static char *extra[] = {"Die Katze schläft auf dem Sofa.", "Heute ist ein schöner Tag.",
                            "Der Vertrag", "Seite 14 von 21", "!!", "Regeln"};
    check_exact(src, tgt, nb, extra, 6, 1200);
}

static void test_lookup_equals_brute_force_corpus(void **state)
{
    (void)state;
    char buf[1024];
    const char *c = corpora(buf, sizeof buf);
    if (!c) {
        print_message("optional: real-corpus exactness: en_de_pairs.tsv not found (set CORPORA "
                      "to the folder make_corpora.sh builds)\n");
        skip();
    }
    size_t nmem = 1500, nextra = 500;
    char **src = calloc(nmem, sizeof *src), **tgt = calloc(nmem, sizeof *tgt);
    char **extra = calloc(nextra, sizeof *extra);
    /* lines from the middle of the file: sentences rather than names */
    size_t n = read_col(c, 1, src, nmem, 120000);
    size_t n2 = read_col(c, 0, tgt, n, 120000);
    size_t ne = read_col(c, 1, extra, nextra, 200000);
    assert_true(n > 1000 && n2 >= 1);
    for (size_t i = 0; i < n; i++)
        if (!tgt[i] || i >= n2)
            tgt[i] = strdup("x");
    check_exact(src, tgt, n, extra, ne, 1100);
    for (size_t i = 0; i < n; i++) {
        free(src[i]);
        free(tgt[i]);
    }
    for (size_t i = 0; i < ne; i++)
        free(extra[i]);
    free(src);
    free(tgt);
    free(extra);
}

/* ---- index file, languages, empty memory ------------------------------ */

static const char *sample_tmx(char *buf, size_t n)
{
    const char *top = getenv("top_srcdir");
    snprintf(buf, n, "%s/tmx/sample.tmx", top ? top : "..");
    return buf;
}

static void copy_file(const char *from, const char *to)
{
    FILE *a = fopen(from, "rb"), *b = fopen(to, "wb");
    assert_non_null(a);
    assert_non_null(b);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, a)) > 0)
        assert_int_equal(fwrite(buf, 1, n, b), n);
    fclose(a);
    fclose(b);
}

static int last_kind;
static int on_notice(void *ud, const tmk_tm_notice *n)
{
    (void)ud;
    if (n->kind != TMK_TM_NOTICE_INDEX_SAVED && n->kind != TMK_TM_NOTICE_UNIT_SKIPPED)
        last_kind = n->kind;
    return 0;
}

static void test_index_file_used_stale_damaged(void **state)
{
    (void)state;
    make_tmpdir();
    char s[512], mem[512], idx[600];
    snprintf(mem, sizeof mem, "%s/sample.tmx", tmpdir);
    snprintf(idx, sizeof idx, "%s.tmkidx", mem);
    copy_file(sample_tmx(s, sizeof s), mem);
    unlink(idx);
    const char *mems[] = {mem};
    tmk_tm *tm = NULL;
    tmk_error err = TMK_ERROR_INIT;
    /* no languages: the memory has two, the header's srclang is the source */
    assert_int_equal(tmk_tm_open(&tm, mems, 1, &ix_opts, on_notice, NULL, &err), 0);
    assert_int_equal(last_kind, TMK_TM_NOTICE_INDEX_BUILT);
    assert_string_equal(tmk_tm_srclang(tm), "de-DE");
    size_t n = tmk_tm_size(tm);
    tmk_tm_match m1[5], m2[5];
    size_t n1 = 0, n2 = 0;
    const char *q = "Stärkung der Beziehung";
    assert_int_equal(tmk_tm_lookup(tm, q, strlen(q), NULL, m1, &n1, NULL), 0);
    assert_true(n1 >= 1);
    tmk_tm_free(tm);
    assert_int_equal(tmk_tm_open(&tm, mems, 1, &ix_opts, on_notice, NULL, &err), 0);
    assert_int_equal(last_kind, TMK_TM_NOTICE_INDEX_USED);
    assert_int_equal(tmk_tm_size(tm), n);
    assert_int_equal(tmk_tm_lookup(tm, q, strlen(q), NULL, m2, &n2, NULL), 0);
    assert_int_equal(n1, n2);
    assert_int_equal(m1[0].score, m2[0].score);
    assert_int_equal(m1[0].unit.line, m2[0].unit.line);
    tmk_tm_free(tm);
    /* the memory changes: stale, rebuilt */
    FILE *f = fopen(mem, "ab");
    assert_non_null(f);
    fputs("\n", f);
    fclose(f);
    assert_int_equal(tmk_tm_open(&tm, mems, 1, &ix_opts, on_notice, NULL, &err), 0);
    assert_int_equal(last_kind, TMK_TM_NOTICE_INDEX_STALE);
    tmk_tm_free(tm);
    /* the index damaged in the middle, or truncated: rebuilt, not trusted */
    struct stat st;
    assert_int_equal(stat(idx, &st), 0);
    f = fopen(idx, "r+b");
    fseek(f, st.st_size / 2, SEEK_SET);
    fputc('X', f);
    fputc('Y', f);
    fclose(f);
    assert_int_equal(tmk_tm_open(&tm, mems, 1, &ix_opts, on_notice, NULL, &err), 0);
    assert_int_equal(last_kind, TMK_TM_NOTICE_INDEX_CORRUPT);
    assert_int_equal(tmk_tm_size(tm), n);
    tmk_tm_free(tm);
    assert_int_equal(truncate(idx, st.st_size - 100), 0);
    assert_int_equal(tmk_tm_open(&tm, mems, 1, &ix_opts, on_notice, NULL, &err), 0);
    assert_int_equal(last_kind, TMK_TM_NOTICE_INDEX_CORRUPT);
    tmk_tm_free(tm);
    /* other languages asked: stale (options), rebuilt */
    tmk_tm_options o = TMK_TM_OPTIONS_INIT;
    o.flags = TMK_TM_INDEX_FILE; /* as tmkit lookup */
    o.srclang = "en";
    o.tgtlang = "de";
    assert_int_equal(tmk_tm_open(&tm, mems, 1, &o, on_notice, NULL, &err), 0);
    assert_int_equal(last_kind, TMK_TM_NOTICE_INDEX_STALE);
    assert_string_equal(tmk_tm_srclang(tm), "en-US");
    tmk_tm_free(tm);
    unlink(idx);
    unlink(mem);
}

static void test_missing_language_names_languages(void **state)
{
    (void)state;
    char s[512];
    const char *mems[] = {sample_tmx(s, sizeof s)};
    tmk_tm_options o = TMK_TM_OPTIONS_INIT;
    o.flags = TMK_TM_INDEX_FILE; /* as tmkit lookup */
    o.srclang = "fr";
    o.tgtlang = "en";
    o.flags = 0; /* no index file (the default) */
    tmk_tm *tm = NULL;
    tmk_error err = TMK_ERROR_INIT;
    assert_int_equal(tmk_tm_open(&tm, mems, 1, &o, NULL, NULL, &err), TMK_ENOTFOUND);
    assert_null(tm);
    assert_int_equal(err.detail, TMK_D_NO_SUCH_LANGUAGE);
    assert_non_null(strstr(err.msg, "de-DE"));
    assert_non_null(strstr(err.msg, "en-US"));
}

static void test_empty_memory_is_an_error(void **state)
{
    (void)state;
    make_tmpdir();
    char mem[512];
    snprintf(mem, sizeof mem, "%s/empty.tmx", tmpdir);
    write_tmx(mem, NULL, NULL, 0);
    const char *mems[] = {mem};
    tmk_tm_options o = TMK_TM_OPTIONS_INIT;
    o.flags = TMK_TM_INDEX_FILE; /* as tmkit lookup */
    o.srclang = "de";
    o.tgtlang = "en";
    o.flags = 0; /* no index file (the default) */
    tmk_tm *tm = NULL;
    tmk_error err = TMK_ERROR_INIT;
    assert_int_equal(tmk_tm_open(&tm, mems, 1, &o, NULL, NULL, &err), TMK_EINVAL);
    assert_int_equal(err.detail, TMK_D_EMPTY_MEMORY);
    unlink(mem);
}

static int count_hits(void *ud, const tmk_tm_conc_hit *h)
{
    size_t *n = ud;
    for (size_t i = 0; i < h->nhits; i++) {
        /* the hit is the term, ignoring case */
        assert_true(h->offsets[i] + h->lens[i] <= h->text_len);
    }
    *n += h->nhits;
    return 0;
}

static void test_concordance_inside_compounds(void **state)
{
    (void)state;
    make_tmpdir();
    char mem[512];
    snprintf(mem, sizeof mem, "%s/conc.tmx", tmpdir);
    char *src[] = {"Der Verteidigungsvertrag gilt.", "VERTRAG und Vertrag", "Kein Treffer hier.",
                   "Straße &amp; Weg", "Über die  Straße"};
    char *tgt[] = {"a", "b", "c", "d", "e"};
    write_tmx(mem, src, tgt, 5);
    const char *mems[] = {mem};
    tmk_tm_options o = TMK_TM_OPTIONS_INIT;
    o.flags = TMK_TM_INDEX_FILE; /* as tmkit lookup */
    o.flags = 0; /* no index file (the default) */
    tmk_tm *tm = NULL;
    assert_int_equal(tmk_tm_open(&tm, mems, 1, &o, NULL, NULL, NULL), 0);
    size_t hits = 0, units = 0, h2 = 0;
    assert_int_equal(tmk_tm_concordance(tm, "Vertrag", 7, NULL, count_hits, &hits, &units, &h2,
                                        NULL),
                     0);
    assert_int_equal(units, 2);
    assert_int_equal(hits, 3);
    assert_int_equal(h2, 3);
    hits = 0;
    assert_int_equal(tmk_tm_concordance(tm, "die straße", 11, NULL, count_hits, &hits, &units,
                                        NULL, NULL),
                     0);
    assert_int_equal(units, 1);
    hits = 0;
    assert_int_equal(tmk_tm_concordance(tm, "STRASSE", 7, NULL, count_hits, &hits, &units, NULL,
                                        NULL),
                     0);
    assert_int_equal(units, 0); /* simple case folding: ß is not SS */
    assert_int_equal(tmk_tm_concordance(tm, "&", 1, NULL, count_hits, &hits, &units, NULL, NULL),
                     0);
    assert_int_equal(units, 1); /* found in the plain text, not in "&amp;" */
    tmk_tm_free(tm);
    unlink(mem);
}

static void test_unit_meta_and_texts(void **state)
{
    (void)state;
    char s[512];
    const char *mems[] = {sample_tmx(s, sizeof s)};
    tmk_tm_options o = TMK_TM_OPTIONS_INIT;
    o.flags = TMK_TM_INDEX_FILE; /* as tmkit lookup */
    o.flags = 0; /* no index file (the default) */
    tmk_tm *tm = NULL;
    assert_int_equal(tmk_tm_open(&tm, mems, 1, &o, NULL, NULL, NULL), 0);
    tmk_tm_unit u;
    assert_int_equal(tmk_tm_get(tm, 0, &u, NULL), 0);
    assert_int_equal(u.line, 5);
    assert_int_equal(u.source_len, strlen("Neujahrsbotschaft"));
    assert_memory_equal(u.source, "Neujahrsbotschaft", u.source_len);
    size_t pos = 0, n = 0;
    tmk_tm_meta_item it;
    /* the props tmkit build writes: the score, then the bead type */
    static const char *const names[] = {"x-alignment-score", "x-alignment-bead"};
    static const char *const values[] = {"0.944", "1-1"};
    while (tmk_tm_meta_next(u.meta, u.meta_len, &pos, &it)) {
        assert_true(n < 2);
        assert_int_equal(it.kind, 'p');
        assert_int_equal(it.name_len, strlen(names[n]));
        assert_memory_equal(it.name, names[n], it.name_len);
        assert_int_equal(it.value_len, strlen(values[n]));
        assert_memory_equal(it.value, values[n], it.value_len);
        n++;
    }
    assert_int_equal(n, 2);
    {
        tmk_error ge = TMK_ERROR_INIT;
        assert_int_equal(tmk_tm_get(tm, tmk_tm_size(tm), &u, &ge), TMK_EINVAL);
        assert_int_equal(ge.code, TMK_EINVAL);
        assert_true(ge.msg[0] != 0);
    }
    tmk_tm_free(tm);
    /* seg form and back */
    tmk_buf b = TMK_BUF_INIT, c = TMK_BUF_INIT;
    assert_int_equal(tmk_tm_text_escape("a < b & c > d", 13, &b), 0);
    assert_string_equal(b.data, "a &lt; b &amp; c &gt; d");
    assert_int_equal(tmk_tm_text_plain(b.data, b.len, 0, &c), 0);
    assert_string_equal(c.data, "a < b & c > d");
    tmk_buf_reset(&c);
    const char *seg = "<bpt i=\"1\">&lt;b&gt;</bpt>fett<ept i=\"1\">&lt;/b&gt;</ept> <hi>x</hi>";
    assert_int_equal(tmk_tm_text_plain(seg, strlen(seg), 0, &c), 0);
    assert_string_equal(c.data, "fett x");
    tmk_buf_reset(&c);
    assert_int_equal(tmk_tm_text_plain(seg, strlen(seg), 1, &c), 0);
    assert_string_equal(c.data, seg);
    tmk_buf_release(&b);
    tmk_buf_release(&c);
    /* two tags less: 2 points */
    assert_int_equal(score(seg, "fett <hi>x</hi>"), 98);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_score_worked_examples),
        cmocka_unit_test(test_score_long_segment_is_capped),
        cmocka_unit_test(test_lookup_equals_brute_force_sample),
        cmocka_unit_test(test_lookup_equals_brute_force_corpus),
        cmocka_unit_test(test_index_file_used_stale_damaged),
        cmocka_unit_test(test_missing_language_names_languages),
        cmocka_unit_test(test_empty_memory_is_an_error),
        cmocka_unit_test(test_concordance_inside_compounds),
        cmocka_unit_test(test_unit_meta_and_texts),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    if (tmpdir[0])
        rmdir(tmpdir);
    return rc;
}
