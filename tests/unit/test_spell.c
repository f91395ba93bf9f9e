/* test_spell.c -- the spell module: tokeniser, dictionaries, word lists,
 * caches, suggestions and workers, with real libhunspell and the Debian
 * dictionaries de_DE and en_US (hunspell-de-de, hunspell-en-us). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "tmkit/tmkit.h"

/* ---- helpers ------------------------------------------------------------- */

static int join_cb(void *ud, const tmk_spell_hit *h)
{
    tmk_buf *b = ud;
    if (b->len)
        tmk_buf_addch(b, '|');
    tmk_buf_adds(b, h->word);
    return 0;
}

static char *tokens(const char *text, unsigned flags)
{
    tmk_buf b = TMK_BUF_INIT;
    assert_int_equal(tmk_spell_tokenize(text, strlen(text), flags, join_cb, &b, NULL), 0);
    tmk_buf_addch(&b, '\0');
    return tmk_buf_detach(&b, NULL);
}

static tmk_speller *speller(const char *const *dicts, size_t n, int no_lists,
                            const char *const *lists, size_t nlists)
{
    tmk_spell_options o = TMK_SPELL_OPTIONS_INIT;
    o.lang = "de-DE";
    o.dicts = dicts;
    o.ndicts = n;
    o.no_project_wordlists = no_lists;
    o.wordlists = lists;
    o.nwordlists = nlists;
    tmk_error err = TMK_ERROR_INIT;
    tmk_speller *sp = NULL;
    tmk_speller_new(&sp, &o, &err);
    if (!sp)
        fail_msg("tmk_speller_new: %s", err.msg);
    return sp;
}

static char *flagged(tmk_speller *sp, const char *text)
{
    tmk_buf b = TMK_BUF_INIT;
    tmk_error err = TMK_ERROR_INIT;
    assert_int_equal(tmk_spell_text(sp, text, strlen(text), 0, join_cb, &b, &err), 0);
    tmk_buf_addch(&b, '\0');
    return tmk_buf_detach(&b, NULL);
}

/* ---- tokeniser (table) --------------------------------------------------- */

static const struct {
    const char *text;
    unsigned flags;
    const char *want;
} tok_cases[] = {
    {"\xe2\x80\x9eliebsten Freund\xe2\x80\x9c", 0, "liebsten|Freund"},
    {"\xc2\xbbHallo\xc2\xab, sagte sie.", 0, "Hallo|sagte|sie"},
    {"Ukraine- und Russlandpolitik", 0, "Ukraine-|und|Russlandpolitik"},
    {"im Ukraine-Konflikt", 0, "im|Ukraine-Konflikt"},
    {"Ge\xc2\xadnos\xc2\xadsen", 0, "Genossen"},
    {"Nord\xe2\x80\x8bkorea", 0, "Nordkorea"},
    {"am 3. Oktober 2024", 0, "am|Oktober"},
    {"10.000 Soldaten, 1.1.2025, 12:30, 3,5 %", 0, "Soldaten"},
    {"siehe http://example.com/a-b und www.example.org", 0, "siehe|und"},
    {"Mail an info@example.com!", 0, "Mail|an"},
    {"in /usr/share/hunspell oder ~/.config und C:\\Temp", 0, "in|oder|und"},
    {"(Klammer) [eckig] {geschweift}", 0, "Klammer|eckig|geschweift"},
    {"geht\xe2\x80\x99s", 0, "geht's"},
    {"z.B. usw.", 0, "z.B|usw"},
    {"MP3 und 90er", 0, "und"},
    {"DVRK und KCNA", 0, "DVRK|und|KCNA"},
    {"DVRK und KCNA", TMK_SPELL_IGNORE_CAPS, "und"},
    {"die config.txt lesen", 0, "die|lesen"},
    {"und/oder", 0, "und|oder"},
    {"Nord\xe2\x80\x93S\xc3\xbc" "d", 0, "Nord|S\xc3\xbc" "d"},
    {"eine 3-j\xc3\xa4hrige", 0, "eine|3-j\xc3\xa4hrige"},
    {"'Hallo'", 0, "Hallo"},
    {"Ende...", 0, "Ende"},
    {"iPhone und WebSocket", 0, "und"},
    {"die Optionen -perm, --max-depth=0 und -ok", 0, "die|Optionen|und"},
    {"org.freedesktop.DBus u.s.w.", 0, "u.s.w"},
    {"\xe2\x80\x9e\xe2\x80\x9c -- ... 42", 0, ""},
};

static void test_tokeniser_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof tok_cases / sizeof *tok_cases; i++) {
        char *got = tokens(tok_cases[i].text, tok_cases[i].flags);
        if (strcmp(got, tok_cases[i].want))
            fail_msg("case %zu \"%s\": got \"%s\", want \"%s\"", i, tok_cases[i].text, got,
                     tok_cases[i].want);
        free(got);
    }
}

struct posrec {
    size_t off[8], len[8];
    unsigned long col[8];
    size_t n;
};

static int pos_cb(void *ud, const tmk_spell_hit *h)
{
    struct posrec *p = ud;
    if (p->n < 8) {
        p->off[p->n] = h->offset;
        p->len[p->n] = h->len;
        p->col[p->n] = h->col;
        p->n++;
    }
    return 0;
}

static void test_tokeniser_columns_count_characters(void **state)
{
    (void)state;
    /* Ä, space, „ then Öl: column 4, byte offset 6 */
    const char *t = "\xc3\x84 \xe2\x80\x9e\xc3\x96l\xe2\x80\x9c Ukraine- und";
    struct posrec p = {{0}, {0}, {0}, 0};
    assert_int_equal(tmk_spell_tokenize(t, strlen(t), 0, pos_cb, &p, NULL), 0);
    assert_int_equal(p.n, 4);
    assert_int_equal(p.col[1], 4);
    assert_int_equal(p.off[1], 6);
    assert_int_equal(p.len[1], 3);
    assert_int_equal(p.col[2], 8);  /* Ukraine- */
    assert_int_equal(p.len[2], 8);  /* with its dash */
}

/* Words longer than Hunspell checks are passed on marked too long (text
 * that lost its spaces must not go unseen); a long compound with hyphens
 * is checked part by part. */
struct longrec {
    size_t n, off, len, wchars;
    unsigned long col;
    int too_long, ellipsis;
};

static int long_cb(void *ud, const tmk_spell_hit *h)
{
    struct longrec *r = ud;
    if (r->n++ == 1) { /* the word after "Ein " */
        size_t wl = strlen(h->word);
        r->off = h->offset;
        r->len = h->len;
        r->col = h->col;
        r->too_long = h->too_long;
        r->ellipsis = wl >= 3 && !strcmp(h->word + wl - 3, "\xE2\x80\xA6");
        r->wchars = 0;
        for (size_t i = 0; i < wl; i++)
            r->wchars += ((unsigned char)h->word[i] & 0xC0) != 0x80;
    }
    return 0;
}

static void test_tokeniser_marks_long_words(void **state)
{
    (void)state;
    static const struct {
        const char *part;  /* repeated */
        size_t times;
        int too_long, ellipsis;
        size_t chars;      /* characters of the word given (ellipsis included) */
    } cases[] = {
        {"a", 100, 0, 0, 100},
        {"a", 101, 1, 0, 101},
        {"\xc3\xa4", 129, 1, 0, 129},       /* past the old 128-character buffer */
        {"Donaudampfschiff-", 8, 0, 0, 135}, /* parts of 16 letters: checked */
        {"a", 4096, 1, 0, 4096},
        {"a", 100000, 1, 1, 4097},           /* its start and an ellipsis */
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        tmk_buf t = TMK_BUF_INIT;
        tmk_buf_adds(&t, "Ein ");
        for (size_t i = 0; i < cases[k].times; i++)
            tmk_buf_adds(&t, cases[k].part);
        size_t wbytes = t.len - 4;
        if (t.data[t.len - 1] == '-') {
            t.data[--t.len] = '\0'; /* no final dash */
            wbytes--;
        }
        tmk_buf_adds(&t, " Haus");
        struct longrec r = {0, 0, 0, 0, 0, 0, 0};
        assert_int_equal(tmk_spell_tokenize(t.data, t.len, 0, long_cb, &r, NULL), 0);
        if (r.n != 3 || r.too_long != cases[k].too_long || r.ellipsis != cases[k].ellipsis ||
            r.wchars != cases[k].chars || r.off != 4 || r.len != wbytes || r.col != 5)
            fail_msg("case %zu: %zu words, too_long %d, ellipsis %d, %zu characters, at %zu+%zu "
                     "col %lu",
                     k, r.n, r.too_long, r.ellipsis, r.wchars, r.off, r.len, r.col);
        tmk_buf_release(&t);
    }
}

/* ---- checking ------------------------------------------------------------ */

static const char *const de[] = {"de_DE"};
static const char seed_like[] =
    "Der nordkoreanische F\xc3\xbchrer Kim Jong Un hat den russischen Pr\xc3\xa4sidenten "
    "als seinen \xe2\x80\x9eliebsten Freund\xe2\x80\x9c bezeichnet. Die Streitkr\xc3\xa4" "fte "
    "der DVRK, wie die Koreanische Zentralnachrichtenagentur (KCNA) berichtete. Xi Jinping "
    "versprach, \xe2\x80\x9eWeltfrieden\xe2\x80\x9c zu f\xc3\xb6rdern. Mehr als 10.000 "
    "Soldaten im Ukraine-Krieg, im Februar 2022.";

static void test_names_flagged_without_word_lists(void **state)
{
    (void)state;
    tmk_speller *sp = speller(de, 1, 1, NULL, 0);
    char *got = flagged(sp, seed_like);
    /* hunspell-de-de-frami knows Kim, hunspell-de-de (2016) does not */
    if (strcmp(got, "Jong|Un|DVRK|KCNA|Jinping"))
        assert_string_equal(got, "Kim|Jong|Un|DVRK|KCNA|Jinping");
    free(got);
    tmk_speller_free(sp);
}

static void test_project_word_list_accepts_the_names(void **state)
{
    (void)state;
    if (!getenv("TMKIT_DATADIR")) {
        print_message("TMKIT_DATADIR not set (make check sets it)\n");
        skip();
    }
    /* the library reads no environment: the program passes the folder */
    tmk_spell_options o = TMK_SPELL_OPTIONS_INIT;
    o.lang = "de-DE"; /* as build does */
    o.data_dir = getenv("TMKIT_DATADIR");
    tmk_error err = TMK_ERROR_INIT;
    tmk_speller *sp = NULL;
    if (tmk_speller_new(&sp, &o, &err) < 0)
        fail_msg("tmk_speller_new: %s", err.msg);
    char *got = flagged(sp, seed_like);
    assert_string_equal(got, "");
    free(got);
    tmk_speller_free(sp);
}

/* Two spellers with different data folders in one process (no
 * process-wide setting): each loads the project word list of its own
 * folder (DATA_DIR/words/de.txt), the other one does not. */
static void test_data_dir_is_per_speller(void **state)
{
    (void)state;
    char dir[2][32];
    for (int k = 0; k < 2; k++) {
        snprintf(dir[k], sizeof dir[k], "test_spell-data-XXXXXX");
        assert_non_null(mkdtemp(dir[k]));
        char p[96];
        snprintf(p, sizeof p, "%s/words", dir[k]);
        assert_int_equal(mkdir(p, 0700), 0);
        snprintf(p, sizeof p, "%s/words/de.txt", dir[k]);
        FILE *f = fopen(p, "w");
        assert_non_null(f);
        fputs(k ? "Quopplingerbrett\n" : "Zwirbelkrompe\n", f);
        assert_int_equal(fclose(f), 0);
    }
    tmk_speller *sp[2] = {NULL, NULL};
    for (int k = 0; k < 2; k++) {
        tmk_spell_options o = TMK_SPELL_OPTIONS_INIT;
        o.lang = "de-DE";
        o.dicts = de;
        o.ndicts = 1;
        o.data_dir = dir[k];
        tmk_error err = TMK_ERROR_INIT;
        if (tmk_speller_new(&sp[k], &o, &err) < 0)
            fail_msg("tmk_speller_new: %s", err.msg);
    }
    char *got0 = flagged(sp[0], "Zwirbelkrompe Quopplingerbrett");
    char *got1 = flagged(sp[1], "Zwirbelkrompe Quopplingerbrett");
    assert_string_equal(got0, "Quopplingerbrett");
    assert_string_equal(got1, "Zwirbelkrompe");
    free(got0);
    free(got1);
    for (int k = 0; k < 2; k++) {
        tmk_speller_free(sp[k]);
        char p[96];
        snprintf(p, sizeof p, "%s/words/de.txt", dir[k]);
        unlink(p);
        snprintf(p, sizeof p, "%s/words", dir[k]);
        rmdir(p);
        rmdir(dir[k]);
    }
}

static const struct {
    const char *word;
    int ok;
} check_cases[] = {
    {"Haus", 1}, {"Hauss", 0}, {"Ukraine-Konflikt", 1}, {"Ukraine-Kunflikt", 0},
    {"usw.", 1}, {"Pak", 0}, {"Stra\xc3\x9f" "e", 1}, {"Strasse", 0},
};

static void test_check_single_words(void **state)
{
    (void)state;
    tmk_speller *sp = speller(de, 1, 1, NULL, 0);
    for (int pass = 0; pass < 2; pass++) /* second pass: from the cache */
        for (size_t i = 0; i < sizeof check_cases / sizeof *check_cases; i++)
            if (tmk_speller_check(sp, check_cases[i].word, strlen(check_cases[i].word), NULL) !=
                check_cases[i].ok)
                fail_msg("pass %d: %s should be %s", pass, check_cases[i].word,
                         check_cases[i].ok ? "correct" : "flagged");
    size_t lookups, hits;
    tmk_speller_stats(sp, &lookups, &hits);
    assert_true(hits >= sizeof check_cases / sizeof *check_cases);
    tmk_speller_free(sp);
}

static void test_text_level_rules(void **state)
{
    (void)state;
    tmk_speller *sp = speller(de, 1, 1, NULL, 0);
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"Ukraine- und Russlandpolitikk", "Russlandpolitikk"},
        {"Arbeits- und Sozialminister", ""},
        {"Das ist z.B. so, usw.", ""},
        {"Wie geht's? Geht\xe2\x80\x99s gut?", ""},
        {"Ge\xc2\xadnos\xc2\xadsen", ""},
        {"Die Hauss steht.", "Hauss"},
        {"Am 3. Oktober 2025 um 10.000 Uhr", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *got = flagged(sp, cases[i].text);
        if (strcmp(got, cases[i].want))
            fail_msg("\"%s\": got \"%s\", want \"%s\"", cases[i].text, got, cases[i].want);
        free(got);
    }
    tmk_speller_free(sp);
}

static void test_several_dictionaries(void **state)
{
    (void)state;
    static const char *const both[] = {"de_DE", "en_US"};
    const char *text = "Das Haus and the garden";
    tmk_speller *sp = speller(de, 1, 1, NULL, 0);
    char *got = flagged(sp, text);
    assert_string_equal(got, "and|the|garden");
    free(got);
    tmk_speller_free(sp);
    sp = speller(both, 2, 1, NULL, 0);
    got = flagged(sp, text);
    assert_string_equal(got, "");
    free(got);
    tmk_speller_free(sp);
}

static char *write_temp(const char *content)
{
    char tmpl[] = "/tmp/tmkit-spell-XXXXXX";
    int fd = mkstemp(tmpl);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, content, strlen(content)), (ssize_t)strlen(content));
    close(fd);
    return strdup(tmpl);
}

static void test_personal_list_with_model(void **state)
{
    (void)state;
    char *path = write_temp("# names\nKim\nTmkitwort/Haus\n\n  Jong  \r\n");
    const char *lists[] = {path};
    tmk_speller *sp = speller(de, 1, 1, lists, 1);
    char *got = flagged(sp, "Kim Jong Un: das Tmkitwort, des Tmkitwortes, Tmkitworte");
    /* Un is not listed; Tmkitworte is not a form of Haus (Haeuser) */
    assert_string_equal(got, "Un|Tmkitworte");
    free(got);
    tmk_speller_free(sp);
    unlink(path);
    free(path);
}

static void test_missing_files_are_clear_errors(void **state)
{
    (void)state;
    tmk_spell_options o = TMK_SPELL_OPTIONS_INIT;
    tmk_error err = TMK_ERROR_INIT;
    static const char *const bad[] = {"xx_YY"};
    o.dicts = bad;
    o.ndicts = 1;
    tmk_speller *sp = (tmk_speller *)&o; /* set to NULL on failure */
    assert_int_equal(tmk_speller_new(&sp, &o, &err), TMK_ENOTFOUND);
    assert_null(sp);
    assert_int_equal(err.code, TMK_ENOTFOUND);
    assert_non_null(strstr(err.msg, "xx_YY"));
    assert_non_null(strstr(err.msg, "hunspell-xx-yy"));

    static const char *const badpath[] = {"/nonexistent/de_DE.dic"};
    o.dicts = badpath;
    tmk_error_clear(&err);
    assert_int_equal(tmk_speller_new(&sp, &o, &err), TMK_ENOTFOUND);
    assert_null(sp);
    assert_int_equal(err.code, TMK_ENOTFOUND);
    assert_non_null(strstr(err.msg, "/nonexistent/de_DE.dic"));

    static const char *const nolist[] = {"/nonexistent/words.txt"};
    o.dicts = de;
    o.wordlists = nolist;
    o.nwordlists = 1;
    tmk_error_clear(&err);
    assert_int_equal(tmk_speller_new(&sp, &o, &err), TMK_ENOTFOUND);
    assert_null(sp);
    assert_int_equal(err.code, TMK_ENOTFOUND);
    assert_non_null(strstr(err.msg, "/nonexistent/words.txt"));

    tmk_speller_free(NULL);
}

static void test_dictionary_found_by_lang_and_dicpath(void **state)
{
    (void)state;
    tmk_spell_options o = TMK_SPELL_OPTIONS_INIT;
    o.lang = "en";
    o.no_project_wordlists = 1;
    tmk_error err = TMK_ERROR_INIT;
    tmk_speller *sp = NULL;
    tmk_speller_new(&sp, &o, &err);
    assert_non_null(sp);
    assert_non_null(strstr(tmk_speller_dict_path(sp, 0), "en_US.dic"));
    tmk_speller_free(sp);

    const char *srcdir = getenv("top_srcdir");
    if (!srcdir)
        return;
    char dp[1024];
    snprintf(dp, sizeof dp, "/nonexistent:%s/tests/spell/dict", srcdir);
    static const char *const l1[] = {"latin1_XX"};
    o.dicts = l1;
    o.ndicts = 1;
    /* the library reads no environment: DICPATH alone does not count */
    setenv("DICPATH", dp, 1);
    tmk_speller_new(&sp, &o, &err);
    unsetenv("DICPATH");
    assert_null(sp);
    assert_int_equal(err.code, TMK_ENOTFOUND);
    tmk_error_clear(&err);
    /* the folders come through the options (the program fills them from
     * DICPATH) */
    o.dict_path = dp;
    tmk_speller_new(&sp, &o, &err);
    assert_non_null(sp);
    tmk_speller_free(sp);
}


static void test_latin1_dictionary_is_converted(void **state)
{
    (void)state;
    const char *srcdir = getenv("top_srcdir");
    if (!srcdir) {
        print_message("top_srcdir not set (make check sets it)\n");
        skip();
    }
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/spell/dict/latin1_XX.dic", srcdir);
    const char *d[] = {path};
    tmk_speller *sp = speller(d, 1, 1, NULL, 0);
    /* Omega cannot be written in ISO-8859-1: flagged, not an error */
    char *got = flagged(sp, "Gr\xc3\xbc\xc3\x9f" "e Stra\xc3\x9f" "es Strasse \xce\xa9mega");
    assert_string_equal(got, "Strasse|\xce\xa9mega");
    free(got);
    const char *const *s;
    int n = tmk_speller_suggest(sp, "Strasse", 7, &s, NULL);
    assert_true(n >= 1);
    assert_string_equal(s[0], "Stra\xc3\x9f" "e"); /* back in UTF-8 */
    tmk_speller_free(sp);
}

struct stems {
    char all[256];
    int n;
};

static int stem_cb(void *ud, const tmk_spell_stem *st_)
{
    const char *stem = st_->text;
    size_t len = st_->len;
    struct stems *st = ud;
    assert_int_equal(strlen(stem), len);
    size_t have = strlen(st->all);
    snprintf(st->all + have, sizeof st->all - have, "%s|", stem);
    st->n++;
    return 0;
}

static int stop_after_one(void *ud, const tmk_spell_stem *st_)
{
    (void)st_;
    ++*(int *)ud;
    return 1;
}

/* Hunspell's dictionary forms, for the aligner's dictionary lookup. */
static void test_stems(void **state)
{
    (void)state;
    static const struct {
        const char *word, *want; /* want: one of the stems given */
    } cases[] = {
        {"Seilen", "Seil|"},
        {"erreichten", "erreichen|"},
        {"H\xc3\xa4usern", "Haus|"},
        {"suchten", "suchen|"},
    };
    tmk_speller *sp = speller(NULL, 0, 1, NULL, 0);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct stems st = {{0}, 0};
        int n = tmk_speller_stem(sp, cases[i].word, strlen(cases[i].word), stem_cb, &st, NULL);
        assert_int_equal(n, st.n);
        if (!strstr(st.all, cases[i].want))
            fail_msg("%s: stems \"%s\", want %s among them", cases[i].word, st.all,
                     cases[i].want);
    }
    /* an unknown word has no stem; the callback can stop the list */
    struct stems none = {{0}, 0};
    assert_int_equal(tmk_speller_stem(sp, "Xqzvw", 5, stem_cb, &none, NULL), 0);
    int calls = 0;
    tmk_error err = TMK_ERROR_INIT;
    assert_int_equal(tmk_speller_stem(sp, "Seilen", 6, stop_after_one, &calls, &err),
                     TMK_ECANCELED);
    assert_int_equal(err.code, TMK_ECANCELED);
    assert_int_equal(calls, 1);
    tmk_speller_free(sp);
}

static void test_suggestions_computed_once(void **state)
{
    (void)state;
    tmk_speller *sp = speller(de, 1, 1, NULL, 0);
    const char *const *a, *const *b;
    /* an easy word: Hunspell's time limits (process CPU time) can change
     * the suggestions for long compounds, never the edit-distance-1 ones */
    int n = tmk_speller_suggest(sp, "Fehlerr", 7, &a, NULL);
    assert_true(n >= 1);
    assert_string_equal(a[0], "Fehler");
    assert_int_equal(tmk_speller_suggest(sp, "Fehlerr", 7, &b, NULL), n);
    assert_ptr_equal(a, b);
    tmk_speller_free(sp);
}

/* ---- many texts, threads ------------------------------------------------- */

struct collect {
    tmk_buf b;
};

static int texts_cb(void *ud, const tmk_spell_hit *h)
{
    size_t idx = h->text;
    struct collect *c = ud;
    tmk_buf_printf(&c->b, "%zu:%lu:%s:", idx, h->col, h->word);
    for (size_t i = 0; i < h->nsugg; i++)
        tmk_buf_printf(&c->b, "%s,", h->sugg[i]);
    tmk_buf_addch(&c->b, '\n');
    return 0;
}

static void test_threads_give_the_same_output(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "Die Bundesregierung hat am Dienstag beschlossen, das Gesetz zu \xc3\xa4ndern.",
        "Ein Fehlerr und noch ein Fehlerr im Textt.",
        "Kim Jong Un schrieb einen Brief an Putin.",
        ("\xe2\x80\x9e" "Das ist gut\xe2\x80\x9c, sagte die Ministerin im Ukraine-Krieg, Textt."),
    };
    size_t n = 4000;
    const char **texts = malloc(n * sizeof *texts);
    size_t *lens = malloc(n * sizeof *lens);
    for (size_t i = 0; i < n; i++) {
        texts[i] = pieces[i % 4];
        lens[i] = strlen(texts[i]);
    }
    char *out[3];
    for (int run = 0; run < 3; run++) {
        tmk_speller *sp = speller(de, 1, 1, NULL, 0);
        struct collect c = {TMK_BUF_INIT};
        tmk_error err = TMK_ERROR_INIT;
        unsigned threads = run == 0 ? 1 : 2;
        assert_int_equal(tmk_spell_texts(sp, texts, lens, n, run < 2, threads, texts_cb, &c,
                                         &err), 0);
        if (run == 2) {
            /* without suggestions: same words, no suggestion lists */
            assert_non_null(strstr(c.b.data, "1:5:Fehlerr:\n"));
        }
        out[run] = tmk_buf_detach(&c.b, NULL);
        tmk_speller_free(sp);
    }
    if (strcmp(out[0], out[1])) {
        size_t k = 0;
        while (out[0][k] == out[1][k])
            k++;
        while (k && out[0][k - 1] != '\n')
            k--;
        fail_msg("1 and 2 threads differ: \"%.80s\" vs \"%.80s\"", out[0] + k, out[1] + k);
    }
    const char *want = "3999:55:Textt:Text,";
    if (!strstr(out[0], want))
        fail_msg("no \"%s\" in the output, which ends: %s", want,
                 out[0] + (strlen(out[0]) > 200 ? strlen(out[0]) - 200 : 0));
    for (int run = 0; run < 3; run++)
        free(out[run]);
    free(texts);
    free(lens);
}

static void test_small_cache_stays_correct(void **state)
{
    (void)state;
    tmk_spell_options o = TMK_SPELL_OPTIONS_INIT;
    o.dicts = de;
    o.ndicts = 1;
    o.no_project_wordlists = 1;
    o.cache_entries = 4; /* cleared again and again */
    tmk_error err = TMK_ERROR_INIT;
    tmk_speller *sp = NULL;
    tmk_speller_new(&sp, &o, &err);
    assert_non_null(sp);
    for (int i = 0; i < 50; i++) {
        assert_int_equal(tmk_speller_check(sp, "Haus", 4, NULL), 1);
        assert_int_equal(tmk_speller_check(sp, "Hauss", 5, NULL), 0);
        assert_int_equal(tmk_speller_check(sp, "Garten", 6, NULL), 1);
        assert_int_equal(tmk_speller_check(sp, "Gartn", 5, NULL), 0);
        assert_int_equal(tmk_speller_check(sp, "Baum", 4, NULL), 1);
    }
    tmk_speller_free(sp);
}

static int stop_cb(void *ud, const tmk_spell_hit *h)
{
    (void)h;
    (*(int *)ud)++;
    return TMK_EINVAL;
}

static int stop_positive(void *ud, const tmk_spell_hit *h)
{
    (void)h;
    (*(int *)ud)++;
    return 1;
}

static int join_hit(void *ud, const tmk_spell_hit *h)
{
    tmk_buf_adds(ud, h->word);
    tmk_buf_adds(ud, "|");
    return 0;
}

static void test_callback_can_stop(void **state)
{
    (void)state;
    tmk_speller *sp = speller(de, 1, 1, NULL, 0);
    int calls = 0;
    tmk_error err = TMK_ERROR_INIT;
    assert_int_equal(tmk_spell_text(sp, "Fehlerr Fehlerr", 15, 0, stop_cb, &calls, &err),
                     TMK_EINVAL);
    assert_int_equal(calls, 1);
    assert_int_equal(err.code, TMK_EINVAL);
    /* a positive value stops too: TMK_ECANCELED (the tmkit.h rule) */
    calls = 0;
    tmk_error_clear(&err);
    assert_int_equal(tmk_spell_text(sp, "Fehlerr Fehlerr", 15, 0, stop_positive, &calls, &err),
                     TMK_ECANCELED);
    assert_int_equal(calls, 1);
    assert_int_equal(err.code, TMK_ECANCELED);
    calls = 0;
    const char *texts[] = {"gut", "Fehlerr Fehlerr"};
    size_t lens[] = {3, 15};
    assert_int_equal(tmk_spell_texts(sp, texts, lens, 2, 0, 1, stop_positive, &calls, &err),
                     TMK_ECANCELED);
    assert_int_equal(calls, 1);
    calls = 0;
    assert_int_equal(tmk_spell_tokenize("ein zwei", 8, 0, stop_positive, &calls, &err),
                     TMK_ECANCELED);
    assert_int_equal(calls, 1);
    tmk_speller_free(sp);
}

static int index_cb(void *ud, const tmk_spell_hit *h)
{
    tmk_buf *b = ud;
    tmk_buf_printf(b, "%zu:%s ", h->text, h->word);
    return 0;
}

/* tmk_spell_texts names the text of each hit in the hit itself */
static void test_texts_hit_carries_its_text(void **state)
{
    (void)state;
    tmk_speller *sp = speller(de, 1, 1, NULL, 0);
    const char *texts[] = {"Fehlerr", "gut", "Haus Gartn"};
    size_t lens[] = {7, 3, 10};
    tmk_buf b = TMK_BUF_INIT;
    tmk_error err = TMK_ERROR_INIT;
    assert_int_equal(tmk_spell_texts(sp, texts, lens, 3, 0, 2, index_cb, &b, &err), 0);
    assert_string_equal(b.data, "0:Fehlerr 2:Gartn ");
    tmk_buf_release(&b);
    tmk_speller_free(sp);
}

/* The options rule of tmkit.h: a caller built against an older, smaller
 * struct gets the defaults for the members it does not have. */
static void test_options_size_covers_members(void **state)
{
    (void)state;
    tmk_spell_options o = TMK_SPELL_OPTIONS_INIT;
    o.dicts = de;
    o.ndicts = 1;
    o.no_project_wordlists = 1;
    o.ignore_caps = 1;
    tmk_error err = TMK_ERROR_INIT;
    tmk_speller *sp = NULL;
    assert_int_equal(tmk_speller_new(&sp, &o, &err), TMK_OK);
    tmk_buf b = TMK_BUF_INIT;
    assert_int_equal(tmk_spell_text(sp, "DVRKX Fehlerr", 13, 0, join_hit, &b, &err), 0);
    assert_string_equal(b.data, "Fehlerr|");
    tmk_speller_free(sp);
    /* size ends before ignore_caps: it is not read (default: capitals checked) */
    o.size = offsetof(tmk_spell_options, ignore_caps);
    assert_int_equal(tmk_speller_new(&sp, &o, &err), TMK_OK);
    tmk_buf_reset(&b);
    assert_int_equal(tmk_spell_text(sp, "DVRKX Fehlerr", 13, 0, join_hit, &b, &err), 0);
    assert_string_equal(b.data, "DVRKX|Fehlerr|");
    tmk_speller_free(sp);
    tmk_buf_release(&b);
}

/* ---- suggestion modes, bounded cache, long lines ------------------------- */

static tmk_speller *speller_mode(const char *const *dicts, int mode, size_t sugg_cache)
{
    tmk_spell_options o = TMK_SPELL_OPTIONS_INIT;
    o.dicts = dicts;
    o.ndicts = 1;
    o.no_project_wordlists = 1;
    o.suggest_mode = mode;
    o.suggest_cache_entries = sugg_cache;
    tmk_error err = TMK_ERROR_INIT;
    tmk_speller *sp = NULL;
    tmk_speller_new(&sp, &o, &err);
    if (!sp)
        fail_msg("tmk_speller_new: %s", err.msg);
    return sp;
}

static const char *first_sugg(tmk_speller *sp, const char *w)
{
    const char *const *s;
    int n = tmk_speller_suggest(sp, w, strlen(w), &s, NULL);
    assert_true(n >= 0);
    return n ? s[0] : "";
}

static void test_suggest_modes(void **state)
{
    (void)state;
    const char *srcdir = getenv("top_srcdir");
    if (!srcdir) {
        print_message("top_srcdir not set (make check sets it)\n");
        skip();
    }
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/spell/dict/latin1_XX.dic", srcdir);
    const char *d[] = {path};
    static const struct {
        const char *word;
        const char *want[3]; /* fast, thorough, hunspell */
    } cases[] = {
        /* an edit or a REP rule: every mode */
        {"Gr\xc3\xbcsse", {"Gr\xc3\xbc\xc3\x9f" "e", "Gr\xc3\xbc\xc3\x9f" "e", "Gr\xc3\xbc\xc3\x9f" "e"}},
        {"Hau\xc3\x9f", {"Haus", "Haus", "Haus"}},
        /* only the n-gram stage finds it (the fast mode runs it on the
         * roots most like the word; this dictionary is ISO-8859-1) */
        {"Stase", {"Stra\xc3\x9f" "e", "Stra\xc3\x9f" "e", "Stra\xc3\x9f" "e"}},
    };
    for (int mode = 0; mode < 3; mode++) {
        tmk_speller *sp = speller_mode(d, mode, 0);
        for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
            const char *got = first_sugg(sp, cases[i].word);
            if (strcmp(got, cases[i].want[mode]))
                fail_msg("mode %d, %s: got \"%s\", want \"%s\"", mode, cases[i].word, got,
                         cases[i].want[mode]);
        }
        tmk_speller_free(sp);
    }
}

static void test_fast_mode_repairs_compounds(void **state)
{
    (void)state;
    tmk_speller *sp = speller_mode(de, TMK_SUGGEST_FAST, 0);
    /* a typo in the tail, then in the head of a closed compound */
    assert_string_equal(first_sugg(sp, "Tippfeler"), "Tippfehler");
    assert_true(first_sugg(sp, "Fahradreifen")[0] != '\0');
    assert_string_equal(first_sugg(sp, "Fehlerr"), "Fehler");
    tmk_speller_free(sp);
}

/* Words only Hunspell's n-gram stage has suggestions for: the fast mode
 * runs that stage on the roots most like the word and must give the first
 * suggestion of Hunspell's full search (issue 13, item 13). */
static void test_fast_mode_ngram_matches_hunspell(void **state)
{
    (void)state;
    static const char *const words[] = {"Debitoren", "Chrooten", "Fopnfsgesellschaft",
                                        "Annuit\xc3\xa4t", "Flageolett", "Deversham"};
    tmk_speller *fast = speller_mode(de, TMK_SUGGEST_FAST, 0);
    tmk_speller *full = speller_mode(de, TMK_SUGGEST_HUNSPELL, 0);
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        char want[256];
        snprintf(want, sizeof want, "%s", first_sugg(full, words[i]));
        const char *got = first_sugg(fast, words[i]);
        if (!want[0] || strcmp(got, want))
            fail_msg("%s: fast mode \"%s\", Hunspell \"%s\"", words[i], got, want);
    }
    tmk_speller_free(fast);
    tmk_speller_free(full);
}

/* The temporary .aff copies go to the folder of the options: where none
 * can be written, the fast mode cannot make its handles and falls back to
 * Hunspell's full search (whose first suggestion for "Bertrand", "Bartrend",
 * comes from its compound stage, which the fast mode skips: "Bettrand"). */
static void test_temp_dir_option_is_used(void **state)
{
    (void)state;
    tmk_speller *full = speller_mode(de, TMK_SUGGEST_HUNSPELL, 0);
    char want[256];
    snprintf(want, sizeof want, "%s", first_sugg(full, "Bertrand"));
    tmk_speller_free(full);
    tmk_spell_options o = TMK_SPELL_OPTIONS_INIT;
    o.dicts = de;
    o.ndicts = 1;
    o.no_project_wordlists = 1;
    for (int bad = 0; bad < 2; bad++) {
        o.temp_dir = bad ? "/nonexistent/tmkit-no-such-folder" : NULL;
        tmk_error err = TMK_ERROR_INIT;
        tmk_speller *sp = NULL;
        tmk_speller_new(&sp, &o, &err);
        assert_non_null(sp);
        const char *got = first_sugg(sp, "Bertrand");
        if (bad ? strcmp(got, want) != 0 : strcmp(got, want) == 0)
            fail_msg("temp_dir %s: got \"%s\" (full search: \"%s\")",
                     bad ? "unwritable" : "default", got, want);
        tmk_speller_free(sp);
    }
}

static void test_suggestion_cache_is_bounded(void **state)
{
    (void)state;
    tmk_speller *sp = speller_mode(de, TMK_SUGGEST_FAST, 2);
    for (int i = 0; i < 5; i++) {
        assert_string_equal(first_sugg(sp, "Fehlerr"), "Fehler");
        assert_string_equal(first_sugg(sp, "Textt"), "Text");
        assert_string_equal(first_sugg(sp, "Hauss"), "Haus");
    }
    tmk_speller_free(sp);
}

struct poscollect {
    tmk_buf b;
};

static int lpos_cb(void *ud, const tmk_spell_hit *h)
{
    struct poscollect *c = ud;
    tmk_buf_printf(&c->b, "%zu:%zu:%lu:%s\n", h->offset, h->len, h->col, h->word);
    return 0;
}

static int pos_texts_cb(void *ud, const tmk_spell_hit *h)
{
    size_t idx = h->text;
    (void)idx;
    return lpos_cb(ud, h);
}

static void test_long_line_is_shared_with_exact_positions(void **state)
{
    (void)state;
    /* one line of about 600 KB (cut into pieces for the workers) */
    static const char *const phr[] = {
        "Ein Haus mit einem Fehlerr und Gr\xc3\xbc\xc3\x9f" "en. ",
        "\xc3\x84rger\xc2\xa0\xc3\xbc" "ber   Textt\tund Ukraine- und Russlandpolitik. ",
        "Noch ein Satz ohne Fehler, aber mit \xe2\x80\x9eZitaat\xe2\x80\x9c. ",
    };
    tmk_buf text = TMK_BUF_INIT;
    for (size_t i = 0; text.len < 600 * 1024; i++)
        tmk_buf_adds(&text, phr[i % 3]);
    tmk_speller *sp = speller_mode(de, TMK_SUGGEST_FAST, 0);
    struct poscollect one = {TMK_BUF_INIT}, many = {TMK_BUF_INIT};
    tmk_error err = TMK_ERROR_INIT;
    assert_int_equal(tmk_spell_text(sp, text.data, text.len, 0, lpos_cb, &one, &err), 0);
    const char *texts[] = {text.data};
    size_t lens[] = {text.len};
    assert_int_equal(tmk_spell_texts(sp, texts, lens, 1, 0, 2, pos_texts_cb, &many, &err), 0);
    assert_true(one.b.len > 1000);
    assert_true(one.b.len == many.b.len && !memcmp(one.b.data, many.b.data, one.b.len));
    tmk_buf_release(&one.b);
    tmk_buf_release(&many.b);
    tmk_buf_release(&text);
    tmk_speller_free(sp);
}

/* A word too long to check is a hit (too_long, no suggestions) in both
 * paths (one text, many texts); a long compound of words is accepted. */
struct lhits {
    size_t n, nsugg;
    int too_long;
};

static int lh_cb(void *ud, const tmk_spell_hit *h)
{
    struct lhits *r = ud;
    r->n++;
    r->nsugg += h->nsugg;
    r->too_long += h->too_long;
    return 0;
}

static int lh_texts_cb(void *ud, const tmk_spell_hit *h)
{
    size_t idx = h->text;
    (void)idx;
    return lh_cb(ud, h);
}

static void test_long_words_reported_unchecked(void **state)
{
    (void)state;
    tmk_speller *sp = speller_mode(de, TMK_SUGGEST_FAST, 0);
    tmk_buf t = TMK_BUF_INIT;
    tmk_buf_adds(&t, "Ein ");
    for (int i = 0; i < 12; i++)
        tmk_buf_adds(&t, "hausundgarten"); /* 156 letters, no spaces */
    tmk_buf_adds(&t, " und ein Donaudampfschifffahrtsgesellschaft-Kapit\xc3\xa4nsm\xc3\xbctzen-"
                     "Hutschachtel-Aufbewahrungsraum-Schl\xc3\xbcsselverwaltung.");
    tmk_error err = TMK_ERROR_INIT;
    for (int path = 0; path < 2; path++) {
        struct lhits r = {0, 0, 0};
        const char *texts[] = {t.data};
        size_t lens[] = {t.len};
        if (path == 0)
            assert_int_equal(tmk_spell_text(sp, t.data, t.len, 1, lh_cb, &r, &err), 0);
        else
            assert_int_equal(tmk_spell_texts(sp, texts, lens, 1, 1, 1, lh_texts_cb, &r, &err), 0);
        if (r.n != 1 || r.too_long != 1 || r.nsugg != 0)
            fail_msg("path %d: %zu hits, %d too long, %zu suggestions", path, r.n, r.too_long,
                     r.nsugg);
    }
    tmk_buf_release(&t);
    tmk_speller_free(sp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tokeniser_table),
        cmocka_unit_test(test_tokeniser_columns_count_characters),
        cmocka_unit_test(test_tokeniser_marks_long_words),
        cmocka_unit_test(test_long_words_reported_unchecked),
        cmocka_unit_test(test_names_flagged_without_word_lists),
        cmocka_unit_test(test_project_word_list_accepts_the_names),
        cmocka_unit_test(test_data_dir_is_per_speller),
        cmocka_unit_test(test_check_single_words),
        cmocka_unit_test(test_text_level_rules),
        cmocka_unit_test(test_several_dictionaries),
        cmocka_unit_test(test_personal_list_with_model),
        cmocka_unit_test(test_missing_files_are_clear_errors),
        cmocka_unit_test(test_dictionary_found_by_lang_and_dicpath),
        cmocka_unit_test(test_latin1_dictionary_is_converted),
        cmocka_unit_test(test_stems),
        cmocka_unit_test(test_suggestions_computed_once),
        cmocka_unit_test(test_threads_give_the_same_output),
        cmocka_unit_test(test_small_cache_stays_correct),
        cmocka_unit_test(test_callback_can_stop),
        cmocka_unit_test(test_texts_hit_carries_its_text),
        cmocka_unit_test(test_options_size_covers_members),
        cmocka_unit_test(test_suggest_modes),
        cmocka_unit_test(test_fast_mode_repairs_compounds),
        cmocka_unit_test(test_fast_mode_ngram_matches_hunspell),
        cmocka_unit_test(test_temp_dir_option_is_used),
        cmocka_unit_test(test_suggestion_cache_is_bounded),
        cmocka_unit_test(test_long_line_is_shared_with_exact_positions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
