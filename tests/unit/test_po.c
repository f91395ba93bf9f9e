/* Unit tests: the PO reader (tmkit/po.h).  Every input is fed whole, in
 * 1-byte and in 7-byte chunks: the same entries, the same error. */
#include <config.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tmkit/tmkit.h"

static void add_str(tmk_buf *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n')
            tmk_buf_adds(o, "\\n");
        else if (c == '\t')
            tmk_buf_adds(o, "\\t");
        else if (c < 0x20)
            tmk_buf_printf(o, "\\%03o", c);
        else
            tmk_buf_addch(o, c);
    }
}

/* entries as "LINE:[ctxt]id|plural=str0|str1 (fuzzy);" */
static int collect(void *ud, const tmk_po_entry *e)
{
    tmk_buf *o = ud;
    tmk_buf_printf(o, "%lu:", e->line);
    if (e->msgctxt) {
        tmk_buf_addch(o, '[');
        add_str(o, e->msgctxt, e->msgctxt_len);
        tmk_buf_addch(o, ']');
    }
    add_str(o, e->msgid, e->msgid_len);
    if (e->msgid_plural) {
        tmk_buf_addch(o, '|');
        add_str(o, e->msgid_plural, e->msgid_plural_len);
    }
    for (size_t i = 0; i < e->nmsgstr; i++) {
        tmk_buf_addch(o, i ? '|' : '=');
        add_str(o, e->msgstr[i], e->msgstr_len[i]);
        assert_int_equal(e->msgstr[i][e->msgstr_len[i]], '\0');
    }
    if (e->flags & TMK_PO_FUZZY)
        tmk_buf_adds(o, " (fuzzy)");
    tmk_buf_addch(o, ';');
    return 0;
}

typedef struct {
    int rc;
    tmk_error err;
    tmk_buf out;
    char hdr[200];
    unsigned long obsolete;
} result;

static void read_po(const char *in, size_t chunk, result *res)
{
    size_t n = strlen(in);
    tmk_po_reader *r = NULL;
    tmk_error_clear(&res->err);
    tmk_buf_init(&res->out);
    tmk_po_options o = TMK_PO_OPTIONS_INIT;
    o.name = "t.po";
    assert_int_equal(tmk_po_reader_new(&r, &o, collect, &res->out, &res->err), TMK_OK);
    int rc = TMK_OK;
    if (!chunk)
        chunk = n ? n : 1;
    for (size_t i = 0; i < n && rc == TMK_OK; i += chunk)
        rc = tmk_po_reader_feed(r, in + i, n - i < chunk ? n - i : chunk, &res->err);
    if (rc == TMK_OK)
        rc = tmk_po_reader_finish(r, &res->err);
    res->rc = rc;
    const tmk_po_header *h = tmk_po_reader_header(r);
    if (h)
        snprintf(res->hdr, sizeof res->hdr, "%s|%s|%d", h->language ? h->language : "-",
                 h->charset, h->nplurals);
    else
        strcpy(res->hdr, "none");
    res->obsolete = tmk_po_reader_obsolete(r);
    tmk_po_reader_free(r);
}

/* The same result whole, in 1-byte and in 7-byte chunks; returns the whole
 * one (the caller releases res->out). */
static void read_po_all(const char *in, result *res)
{
    read_po(in, 0, res);
    static const size_t chunks[] = {1, 7};
    for (size_t k = 0; k < 2; k++) {
        result o;
        read_po(in, chunks[k], &o);
        assert_int_equal(o.rc, res->rc);
        assert_string_equal(o.out.data, res->out.data);
        assert_string_equal(o.hdr, res->hdr);
        assert_string_equal(o.err.msg, res->err.msg);
        assert_int_equal(o.err.line, res->err.line);
        assert_int_equal(o.err.col, res->err.col);
        tmk_buf_release(&o.out);
    }
}

#define HEADER                                                                                 \
    "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n"             \
    "\"Language: de\\n\"\n\"Plural-Forms: nplurals=2; plural=(n != 1);\\n\"\n\n"

static void test_po_reads_entries_in_order(void **state)
{
    (void)state;
    result r;
    read_po_all("# translator comment\n" HEADER
                "#: src/a.c:10\n#, c-format, fuzzy\nmsgid \"%d apple\"\nmsgstr \"%d Apfel\"\n\n"
                "msgctxt \"menu\"\nmsgid \"\"\n\"File\"\nmsgstr \"Da\" \n\"tei\"\n\n"
                "msgid \"One\"\nmsgid_plural \"Many\"\nmsgstr[0] \"Eins\"\nmsgstr[1] \"Viele\"\n"
                "#~ msgid \"Old\"\n#~ msgstr \"Alt\"\n"
                "msgid \"esc \\t\\\\\\\"\\101\\x42\\a\"\nmsgstr \"\"",
                &r);
    assert_int_equal(r.rc, TMK_OK);
    assert_string_equal(r.out.data, "10:%d apple=%d Apfel (fuzzy);"
                                    "13:[menu]File=Datei;"
                                    "19:One|Many=Eins|Viele;"
                                    "25:esc \\t\\\"AB\\007=;");
    assert_string_equal(r.hdr, "de|UTF-8|2");
    assert_int_equal(r.obsolete, 1);
    tmk_buf_release(&r.out);
}

/* "#, fuzzy" before an obsolete (#~) entry is that entry's flag: the next
 * real entry is not fuzzy; a flag after the obsolete lines is the next one's */
static void test_po_flags_of_an_obsolete_entry_stay_there(void **state)
{
    (void)state;
    result r;
    read_po_all(HEADER "#, fuzzy\n#~ msgid \"Old\"\n#~ msgstr \"Alt\"\n\n"
                       "msgid \"Tail\"\nmsgstr \"Ende\"\n\n"
                       "#, fuzzy, c-format\n#~ msgid \"Old2\"\n#~ msgstr \"Alt2\"\n"
                       "msgid \"Next\"\nmsgstr \"Weiter\"\n\n"
                       "#~ msgid \"Old3\"\n#~ msgstr \"Alt3\"\n#, fuzzy\n"
                       "msgid \"Last\"\nmsgstr \"Zuletzt\"\n",
                &r);
    assert_int_equal(r.rc, TMK_OK);
    assert_string_equal(r.out.data, "11:Tail=Ende;17:Next=Weiter;23:Last=Zuletzt (fuzzy);");
    assert_int_equal(r.obsolete, 3);
    tmk_buf_release(&r.out);
}

static void test_po_converts_the_header_charset(void **state)
{
    (void)state;
    result r;
    read_po_all("msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=ISO-8859-1\\n\"\n\n"
                "msgid \"size\"\nmsgstr \"Gr\xF6\xDF" "e\"\n",
                &r);
    assert_int_equal(r.rc, TMK_OK);
    assert_string_equal(r.out.data, "4:size=Gr\xC3\xB6\xC3\x9F" "e;");
    assert_string_equal(r.hdr, "-|ISO-8859-1|0");
    tmk_buf_release(&r.out);
}

static void test_po_errors_name_line_and_column(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        int code;
        unsigned long line, col;
        const char *msg_part;
    } cases[] = {
        {"msgid \"a\"\nmsgstr \"b\"\n", TMK_ESYNTAX, 1, 1, "does not start with a header"},
        {"", TMK_ESYNTAX, 1, 1, "does not start with a header"},
        {"msgid \"\"\nmsgstr \"Language: de\\n\"\n", TMK_ESYNTAX, 1, 1, "no Content-Type"},
        {"msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=NO-SUCH-8\\n\"\n",
         TMK_ESYNTAX, 1, 1, "NO-SUCH-8"},
        {"msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n"
         "\"Plural-Forms: nplurals=2; plural=n+;(\\n\"\n",
         TMK_ESYNTAX, 1, 1, "Plural-Forms"},
        {HEADER "msgid \"a\"\nmsgstr \"b\n", TMK_ESYNTAX, 8, 8, "unterminated string"},
        {HEADER "msgid \"a\"\nmsgstr[0] \"b\"\n", TMK_ESYNTAX, 8, 1, "without msgid_plural"},
        {HEADER "msgid \"a\"\nmsgsrt \"b\"\n", TMK_ESYNTAX, 8, 1, "unexpected \"msgsrt\""},
        {HEADER "msgid \"a\" x\nmsgstr \"b\"\n", TMK_ESYNTAX, 7, 11, "after the closing"},
        {HEADER "msgid \"a\\q\"\nmsgstr \"b\"\n", TMK_ESYNTAX, 7, 9, "unknown escape \"\\q\""},
        {HEADER "msgid \"a\"\n", TMK_ESYNTAX, 7, 1, "msgid without msgstr"},
        {HEADER "msgid \"\xC3\xA4\xFF\"\nmsgstr \"b\"\n", TMK_EENCODING, 7, 9, ""},
        {HEADER "msgid \"a\"\nmsgid_plural \"b\"\nmsgstr[1] \"x\"\n", TMK_ESYNTAX, 9, 1,
         "msgstr[1] where msgstr[0]"},
        {HEADER "\"stray\"\n", TMK_ESYNTAX, 7, 1, "without a keyword"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        result r;
        read_po_all(cases[i].in, &r);
        if (r.rc != cases[i].code || r.err.line != cases[i].line || r.err.col != cases[i].col ||
            !strstr(r.err.msg, cases[i].msg_part))
            fail_msg("case %zu: rc %d line %lu col %lu msg \"%s\"", i, r.rc, r.err.line,
                     r.err.col, r.err.msg);
        assert_string_equal(r.err.file, "t.po");
        tmk_buf_release(&r.out);
    }
}

static int stop_at_first(void *ud, const tmk_po_entry *e)
{
    (void)e;
    ++*(int *)ud;
    return 1;
}

static void test_po_callback_stops_the_reader(void **state)
{
    (void)state;
    const char *in = HEADER "msgid \"a\"\nmsgstr \"b\"\n\nmsgid \"c\"\nmsgstr \"d\"\n";
    tmk_po_reader *r = NULL;
    tmk_error err = TMK_ERROR_INIT;
    int calls = 0;
    assert_int_equal(tmk_po_reader_new(&r, NULL, stop_at_first, &calls, &err), TMK_OK);
    int rc = tmk_po_reader_feed(r, in, strlen(in), &err);
    int finished = rc == TMK_OK;
    if (rc == TMK_OK)
        rc = tmk_po_reader_finish(r, &err);
    assert_int_equal(rc, TMK_ECANCELED);
    assert_int_equal(calls, 1);
    /* nothing more is taken: the stop again, or after finish TMK_EINVAL
     * with TMK_D_AFTER_FINISH (tmkit.h rule 6) */
    if (finished) {
        assert_int_equal(tmk_po_reader_finish(r, &err), TMK_EINVAL);
        assert_int_equal(err.detail, TMK_D_AFTER_FINISH);
    } else {
        assert_int_equal(tmk_po_reader_finish(r, &err), TMK_ECANCELED);
    }
    assert_int_equal(calls, 1);
    tmk_po_reader_free(r);
    tmk_po_reader_free(NULL);
}

static void test_po_language_codes_become_tmx_codes(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"de", "de"},         {"pt_BR", "pt-BR"},   {"de_DE.UTF-8", "de-DE"},
        {"sr@latin", "sr-Latn"}, {"sr_RS@latin", "sr-Latn-RS"}, {"ca@valencia", "ca"},
        {"zh_Hant_TW", "zh-Hant-TW"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *out = NULL;
        assert_int_equal(tmk_po_lang_to_tmx(cases[i][0], &out, NULL), TMK_OK);
        assert_string_equal(out, cases[i][1]);
        tmk_free(out);
    }
    char *out = NULL;
    assert_int_equal(tmk_po_lang_to_tmx("Deutsch (Schweiz)", &out, NULL), TMK_EINVAL);
    assert_null(out);
    assert_int_equal(tmk_po_lang_to_tmx("Deutsch", &out, NULL), TMK_EINVAL);
    assert_null(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_po_reads_entries_in_order),
        cmocka_unit_test(test_po_flags_of_an_obsolete_entry_stay_there),
        cmocka_unit_test(test_po_converts_the_header_charset),
        cmocka_unit_test(test_po_errors_name_line_and_column),
        cmocka_unit_test(test_po_callback_stops_the_reader),
        cmocka_unit_test(test_po_language_codes_become_tmx_codes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
