/* test_analyze.c -- the analysis bands on small memories: context match
 * (both neighbours, document and file edges), repetitions within and
 * across files, the precedence (context > repetition > memory band), fuzzy
 * bands by lookup's score, internal fuzzy matches, counts per file and in
 * total, rates. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tmkit/tmkit.h"

static char tmpdir[256];

static void make_tmpdir(void)
{
    if (tmpdir[0])
        return;
    const char *t = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/tmk-analyze-XXXXXX", t && *t ? t : "/tmp");
    assert_non_null(mkdtemp(tmpdir));
}

/* A memory de-DE -> en-US of the sources given (targets "T1", "T2", ...). */
static void write_tmx(const char *path, const char *const *src, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\"><header "
          "creationtool=\"t\" creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"t\" "
          "adminlang=\"en\" srclang=\"de-DE\" datatype=\"plaintext\"/><body>\n",
          f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "<tu><tuv xml:lang=\"de-DE\"><seg>%s</seg></tuv><tuv xml:lang=\"en-US\">"
                   "<seg>T%zu</seg></tuv></tu>\n",
                src[i], i + 1);
    fputs("</body></tmx>\n", f);
    fclose(f);
}

static tmk_tm *open_tm(const char *const *files, size_t n)
{
    tmk_tm *tm = NULL;
    tmk_tm_options o = TMK_TM_OPTIONS_INIT;
    o.flags = 0; /* no index file (the default) */
    tmk_error err = TMK_ERROR_INIT;
    int rc = tmk_tm_open(&tm, files, n, &o, NULL, NULL, &err);
    if (rc != TMK_OK)
        fprintf(stderr, "open: %s\n", err.msg);
    assert_int_equal(rc, TMK_OK);
    return tm;
}

struct got {
    int band[64];
    int score[64];
    int internal[64];
    size_t first_file[64], first_index[64];
    size_t n;
};

static int on_seg(void *ud, const tmk_analysis_segment *s)
{
    struct got *g = ud;
    g->band[g->n] = s->band;
    g->score[g->n] = s->score;
    g->internal[g->n] = s->internal_score;
    g->first_file[g->n] = s->first_file;
    g->first_index[g->n] = s->first_index;
    g->n++;
    return 0;
}

static void add_doc(tmk_analysis *an, const char *name, const char *const *segs, size_t n, struct got *g)
{
    size_t lens[64];
    for (size_t i = 0; i < n; i++)
        lens[i] = strlen(segs[i]);
    memset(g, 0, sizeof *g);
    tmk_error err = TMK_ERROR_INIT;
    assert_int_equal(tmk_analysis_add_document(an, name, segs, lens, n, on_seg, g, &err), TMK_OK);
    assert_int_equal(g->n, n);
}

#define A "Der Hund bellt laut."
#define B "Die Katze schläft."
#define C "Der Vogel singt."
#define D "Das Wetter ist heute schön und warm."
#define E "Am Abend regnet es."

static const char *const mem1[] = {A, B, C, D};
static const char *const mem2[] = {E};

static tmk_tm *sample_tm(void)
{
    make_tmpdir();
    char p1[300], p2[300];
    snprintf(p1, sizeof p1, "%s/m1.tmx", tmpdir);
    snprintf(p2, sizeof p2, "%s/m2.tmx", tmpdir);
    write_tmx(p1, mem1, 4);
    write_tmx(p2, mem2, 1);
    const char *files[] = {p1, p2};
    return open_tm(files, 2);
}

/* context: both neighbours as in the memory file; the document's first
 * segment needs the file's first unit, the last the file's last unit */
static void test_context(void **state)
{
    (void)state;
    tmk_tm *tm = sample_tm();
    tmk_analysis *an = NULL;
    assert_int_equal(tmk_analysis_new(&an, tm, NULL, NULL), TMK_OK);
    struct got g;
    const char *d1[] = {A, B, C};
    add_doc(an, "d1", d1, 3, &g);
    assert_int_equal(g.band[0], TMK_ANALYSIS_CONTEXT); /* first of doc, first of file, next B */
    assert_int_equal(g.score[0], 101);
    assert_int_equal(g.band[1], TMK_ANALYSIS_CONTEXT); /* A before, C after */
    assert_int_equal(g.band[2], TMK_ANALYSIS_100);     /* last of doc, but D follows in the file */
    assert_int_equal(g.score[2], 100);
    tmk_analysis_free(an);

    /* a single-segment document E against m2's only unit: both edges hold */
    assert_int_equal(tmk_analysis_new(&an, tm, NULL, NULL), TMK_OK);
    const char *d2[] = {E};
    add_doc(an, "d2", d2, 1, &g);
    assert_int_equal(g.band[0], TMK_ANALYSIS_CONTEXT);
    /* the neighbour must be in the same memory file: D is the last unit of
     * m1 and E the first of m2, so [D, E] gives D no context after it */
    const char *d3[] = {C, D, E};
    add_doc(an, "d3", d3, 3, &g);
    assert_int_equal(g.band[0], TMK_ANALYSIS_100); /* C is not m1's first unit */
    assert_int_equal(g.band[1], TMK_ANALYSIS_100); /* D: next is E, but D is m1's last */
    assert_int_equal(g.band[2], TMK_ANALYSIS_XREP); /* E: not first of doc -> no context; seen in d2 */
    tmk_analysis_free(an);
    tmk_tm_free(tm);
}

/* repetitions and the precedence */
static void test_repetitions_and_precedence(void **state)
{
    (void)state;
    tmk_tm *tm = sample_tm();
    tmk_analysis *an = NULL;
    assert_int_equal(tmk_analysis_new(&an, tm, NULL, NULL), TMK_OK);
    struct got g;
    const char *n1 = "Völlig neuer Satz hier.";
    const char *d1[] = {C, n1, n1, C, "Das Wetter ist heute schön und kalt."};
    add_doc(an, "d1", d1, 5, &g);
    assert_int_equal(g.band[0], TMK_ANALYSIS_100); /* first occurrence keeps its band */
    assert_int_equal(g.band[1], TMK_ANALYSIS_NEW);
    assert_int_equal(g.band[2], TMK_ANALYSIS_REP);
    assert_int_equal(g.first_index[2], 1);
    assert_int_equal(g.band[3], TMK_ANALYSIS_REP); /* a 100 % seen before: repetition */
    /* 7 words, one replaced: floor(100 * 6 / 7) = 85 */
    assert_int_equal(g.score[4], 85);
    assert_int_equal(g.band[4], TMK_ANALYSIS_85);
    const char *d2[] = {A, B, C, n1};
    add_doc(an, "d2", d2, 4, &g);
    assert_int_equal(g.band[0], TMK_ANALYSIS_CONTEXT);
    assert_int_equal(g.band[1], TMK_ANALYSIS_CONTEXT);
    assert_int_equal(g.band[2], TMK_ANALYSIS_XREP); /* seen in d1 (not context: D follows C) */
    assert_int_equal(g.first_file[2], 0);
    assert_int_equal(g.band[3], TMK_ANALYSIS_XREP);
    /* context wins over repetition: the same document again */
    add_doc(an, "d3", d2, 4, &g);
    assert_int_equal(g.band[0], TMK_ANALYSIS_CONTEXT);
    assert_int_equal(g.band[1], TMK_ANALYSIS_CONTEXT);
    assert_int_equal(g.band[2], TMK_ANALYSIS_XREP);

    /* counts per file and in total: every segment once */
    tmk_analysis_counts c, t;
    assert_int_equal(tmk_analysis_nfiles(an), 3);
    assert_string_equal(tmk_analysis_file_name(an, 1), "d2");
    assert_int_equal(tmk_analysis_file_counts(an, 0, &c), TMK_OK);
    assert_int_equal(c.band[TMK_ANALYSIS_100].segments, 1);
    assert_int_equal(c.band[TMK_ANALYSIS_REP].segments, 2);
    assert_int_equal(tmk_wc_words(&c.band[TMK_ANALYSIS_REP].wc), 4 + 3); /* n1 and C */
    assert_int_equal(tmk_analysis_file_counts(an, 3, &c), TMK_EINVAL);
    tmk_analysis_total(an, &t);
    unsigned long long segs = 0;
    for (int b = 0; b < TMK_ANALYSIS_NBANDS; b++)
        segs += t.band[b].segments;
    assert_int_equal(segs, 5 + 4 + 4);
    assert_int_equal(t.band[TMK_ANALYSIS_CONTEXT].segments, 4);
    assert_int_equal(tmk_wc_words(&t.band[TMK_ANALYSIS_CONTEXT].wc), 2 * (4 + 3));
    tmk_analysis_free(an);
    tmk_tm_free(tm);
}

/* fuzzy bands by the lookup score, and internal fuzzy (opt-in) */
static void test_fuzzy_and_internal(void **state)
{
    (void)state;
    tmk_tm *tm = sample_tm();
    const char *d[] = {"Der Hund bellt leise.",                    /* 75 vs A */
                       "Ein völlig neuer Satz über kleine Katzen.", /* new */
                       "Ein völlig neuer Satz über kleine Hunde.",  /* internal 85 */
                       "Der Hund bellt sehr laut."};                 /* 80 vs A */
    tmk_analysis *an = NULL;
    struct got g;
    assert_int_equal(tmk_analysis_new(&an, tm, NULL, NULL), TMK_OK);
    add_doc(an, "d", d, 4, &g);
    assert_int_equal(g.score[0], 75);
    assert_int_equal(g.band[0], TMK_ANALYSIS_75);
    assert_int_equal(g.band[1], TMK_ANALYSIS_NEW);
    assert_int_equal(g.band[2], TMK_ANALYSIS_NEW); /* no internal fuzzy unless asked */
    assert_int_equal(g.internal[2], 0);
    assert_int_equal(g.score[3], 80);
    assert_int_equal(g.band[3], TMK_ANALYSIS_75);
    tmk_analysis_free(an);

    tmk_analysis_options o = TMK_ANALYSIS_OPTIONS_INIT;
    o.flags = TMK_ANALYSIS_INTERNAL_FUZZY;
    assert_int_equal(tmk_analysis_new(&an, tm, &o, NULL), TMK_OK);
    add_doc(an, "d", d, 4, &g);
    assert_int_equal(g.band[0], TMK_ANALYSIS_75);
    assert_int_equal(g.band[1], TMK_ANALYSIS_NEW);
    /* 7 words, one replaced: 85, better than the memory's nothing */
    assert_int_equal(g.internal[2], 85);
    assert_int_equal(g.band[2], TMK_ANALYSIS_IF85);
    /* 80 from the memory; against segment 0: 5 words vs 4, d 2 -> 60: the
     * memory's band stays */
    assert_int_equal(g.band[3], TMK_ANALYSIS_75);
    assert_true(g.internal[3] < 80);
    tmk_analysis_free(an);
    tmk_tm_free(tm);
}

static void test_rates(void **state)
{
    (void)state;
    tmk_analysis_rates r;
    const char *spec = "context=0,rep=0.1,100=0.1,95=0.3,85=0.6,75=0.8,50=1,new=1";
    assert_int_equal(tmk_analysis_rates_parse(spec, strlen(spec), &r, NULL), TMK_OK);
    assert_true(r.weight[TMK_ANALYSIS_CONTEXT] == 0);
    assert_true(r.weight[TMK_ANALYSIS_XREP] == 0.1); /* rep's */
    assert_true(r.weight[TMK_ANALYSIS_IF85] == 0.6); /* the 85 band's */
    assert_true(r.weight[TMK_ANALYSIS_95] == 0.3);
    const char *file = "# my grid\n101 = 0\nrepetitions=0.25\n  xrep=0.5 ; 0=1.5\n";
    /* " = " with spaces is not KEY=WEIGHT */
    tmk_error err = TMK_ERROR_INIT;
    assert_int_equal(tmk_analysis_rates_parse(file, strlen(file), &r, &err), TMK_EINVAL);
    assert_int_equal(err.line, 2);
    file = "# my grid\n101=0\nrepetitions=0.25\n  xrep=0.5 ; 0=1.5\n";
    assert_int_equal(tmk_analysis_rates_parse(file, strlen(file), &r, NULL), TMK_OK);
    assert_true(r.weight[TMK_ANALYSIS_CONTEXT] == 0);
    assert_true(r.weight[TMK_ANALYSIS_REP] == 0.25);
    assert_true(r.weight[TMK_ANALYSIS_XREP] == 0.5);
    assert_true(r.weight[TMK_ANALYSIS_NEW] == 1.5);
    assert_true(r.weight[TMK_ANALYSIS_100] == 1); /* not given: full price */
    const char *bad[] = {"99=1",    "new=-1",  "new=x",          "new=",
                         "new",     "new=nan", "new=0x10",       "95=0X1p3",
                         "new=1e3", "new=.",   "new=inf",        "95=0.3,95=0.5",
                         "new=1,0=1", "101=0\ncontext=0"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(tmk_analysis_rates_parse(bad[i], strlen(bad[i]), &r, NULL), TMK_EINVAL);

    /* a key given twice is named, with where it was first given */
    const char *twice = "95=0.3\n85=0.6, 95=0.5";
    assert_int_equal(tmk_analysis_rates_parse(twice, strlen(twice), &r, &err), TMK_EINVAL);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 9);
    assert_non_null(strstr(err.msg, "'95' is given twice"));
    assert_non_null(strstr(err.msg, "line 1, column 1"));
    const char *dec = "new=.5,95=2.";
    assert_int_equal(tmk_analysis_rates_parse(dec, strlen(dec), &r, NULL), TMK_OK);
    assert_true(r.weight[TMK_ANALYSIS_NEW] == 0.5);

    tmk_analysis_counts c;
    memset(&c, 0, sizeof c);
    c.band[TMK_ANALYSIS_NEW].wc.words = 100;
    c.band[TMK_ANALYSIS_REP].wc.words = 40;
    c.band[TMK_ANALYSIS_CONTEXT].wc.words = 1000;
    assert_int_equal(tmk_analysis_rates_parse(spec, strlen(spec), &r, NULL), TMK_OK);
    assert_true(tmk_analysis_weighted_words(&c, &r) == 104.0);
}

/* a BOM, a decimal comma, an absurd weight; the one number rule */
static void test_rates_bom_comma_and_limits(void **state)
{
    (void)state;
    tmk_analysis_rates r;
    tmk_error err = TMK_ERROR_INIT;
    const char *bom = "\xEF\xBB\xBF" "100=0.1\nnew=0.5 95=10\n";
    assert_int_equal(tmk_analysis_rates_parse(bom, strlen(bom), &r, &err), TMK_OK);
    assert_true(r.weight[TMK_ANALYSIS_100] == 0.1);
    assert_true(r.weight[TMK_ANALYSIS_95] == 10);
    const char *u16 = "\xFF\xFE" "1\0";
    assert_int_equal(tmk_analysis_rates_parse(u16, 4, &r, &err), TMK_EINVAL);
    assert_non_null(strstr(err.msg, "UTF-16"));
    const char *comma = "95=0.3,100=0,3";
    assert_int_equal(tmk_analysis_rates_parse(comma, strlen(comma), &r, &err), TMK_EINVAL);
    assert_int_equal(err.col, 14);
    assert_non_null(strstr(err.msg, "decimal point"));
    const char *huge = "new=99999999999999999999999999";
    assert_int_equal(tmk_analysis_rates_parse(huge, strlen(huge), &r, &err), TMK_EINVAL);
    assert_non_null(strstr(err.msg, "more than 10"));
    const char *over = "95=10.01";
    assert_int_equal(tmk_analysis_rates_parse(over, strlen(over), &r, &err), TMK_EINVAL);

    double v = -1;
    static const char *const good[] = {"0", "0.12", "12.", ".5", "100"};
    static const double want[] = {0, 0.12, 12, 0.5, 100};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        assert_int_equal(tmk_analysis_decimal_parse(good[i], strlen(good[i]), &v), TMK_OK);
        assert_true(v == want[i]);
    }
    static const char *const badnum[] = {"", ".", "1e2", "0x10", "-1", "+1", " 1", "1 ",
                                         "inf", "nan", "1,5", "1.2.3"};
    for (size_t i = 0; i < sizeof badnum / sizeof *badnum; i++)
        assert_int_equal(tmk_analysis_decimal_parse(badnum[i], strlen(badnum[i]), &v), TMK_EINVAL);
    /* n bytes only: what follows is not read */
    assert_int_equal(tmk_analysis_decimal_parse("2.5e9", 3, &v), TMK_OK);
    assert_true(v == 2.5);
}

static void test_bad_segment(void **state)
{
    (void)state;
    tmk_tm *tm = sample_tm();
    tmk_analysis *an = NULL;
    assert_int_equal(tmk_analysis_new(&an, tm, NULL, NULL), TMK_OK);
    const char *segs[] = {A, "bad \xff byte"};
    size_t lens[] = {strlen(A), strlen(segs[1])};
    tmk_error err = TMK_ERROR_INIT;
    assert_int_equal(tmk_analysis_add_document(an, "x", segs, lens, 2, NULL, NULL, &err), TMK_EINVAL);
    assert_int_equal(err.line, 2);
    /* an empty document is fine */
    assert_int_equal(tmk_analysis_add_document(an, "empty", NULL, NULL, 0, NULL, NULL, &err), TMK_OK);
    assert_string_equal(tmk_analysis_band_key(TMK_ANALYSIS_IF50), "if50");
    assert_null(tmk_analysis_band_key(TMK_ANALYSIS_NBANDS));
    tmk_analysis_free(an);
    tmk_analysis_free(NULL);
    tmk_tm_free(tm);
}

static int cleanup(void **state)
{
    (void)state;
    if (tmpdir[0]) {
        char cmd[320];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
        if (system(cmd) != 0)
            return -1;
    }
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_context),
        cmocka_unit_test(test_repetitions_and_precedence),
        cmocka_unit_test(test_fuzzy_and_internal),
        cmocka_unit_test(test_rates),
        cmocka_unit_test(test_rates_bom_comma_and_limits),
        cmocka_unit_test(test_bad_segment),
    };
    return cmocka_run_group_tests(tests, NULL, cleanup);
}
