/* Unit tests: error, buf, utf8, decode, io. */
#include <config.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/stat.h>
#include "tmkit/tmkit.h"

static void test_buf_grows_and_stays_terminated(void **state)
{
    (void)state;
    tmk_buf b = TMK_BUF_INIT;
    assert_int_equal(b.len, 0);
    assert_string_equal(b.data, "");
    for (int i = 0; i < 1000; i++)
        assert_int_equal(tmk_buf_addch(&b, 'a' + i % 26), TMK_OK);
    assert_int_equal(b.len, 1000);
    assert_int_equal(b.data[1000], '\0');
    tmk_buf_reset(&b);
    assert_int_equal(tmk_buf_printf(&b, "%d-%s", 42, "x"), TMK_OK);
    assert_string_equal(b.data, "42-x");
    tmk_buf_reset(&b);
    tmk_buf_add_xml(&b, "a<b>&\"'", 7);
    assert_string_equal(b.data, "a&lt;b&gt;&amp;&quot;&apos;");
    tmk_buf_reset(&b);
    tmk_buf_add_xml_ex(&b, "a\"'\r\t\n<", 7, TMK_XML_CR);
    assert_string_equal(b.data, "a\"'&#13;\t\n&lt;");
    tmk_buf_reset(&b);
    tmk_buf_add_xml_ex(&b, "a\"'\r\t\n<", 7, TMK_XML_CR | TMK_XML_DQUOTE | TMK_XML_WS);
    assert_string_equal(b.data, "a&quot;'&#13;&#9;&#10;&lt;");
    tmk_buf_reset(&b);
    tmk_buf_add_json(&b, "\"\\\n\x01", 4);
    assert_string_equal(b.data, "\\\"\\\\\\n\\u0001");
    tmk_buf_release(&b);
}

static void test_utf8_decode_rejects_overlong_and_surrogates(void **state)
{
    (void)state;
    size_t adv;
    assert_int_equal(tmk_utf8_decode("\xC3\xA4", 2, &adv), 0xE4);
    assert_int_equal(adv, 2);
    assert_int_equal(tmk_utf8_decode("\xC0\xAF", 2, &adv), -1);
    assert_int_equal(tmk_utf8_decode("\xED\xA0\x80", 3, &adv), -1);
    assert_int_equal(tmk_utf8_decode("\xF0\x9F\x98\x80", 4, &adv), 0x1F600);
    assert_int_equal(tmk_utf8_decode("\xE2\x80", 2, &adv), -1);
    assert_int_equal(tmk_utf8_valid_prefix("ab\xC3\xA4\xFF", 5), 4);
    assert_int_equal(tmk_utf8_count("\xC3\xA4x", 3), 2);
}

static void test_nfc_composes_decomposed_umlauts(void **state)
{
    (void)state;
    tmk_buf b = TMK_BUF_INIT;
    /* "Gru" + U+0308 -> "Grü" (U+00FC) */
    assert_int_equal(tmk_utf8_nfc("Gru\xCC\x88\xC3\x9F", 7, &b), TMK_OK);
    assert_string_equal(b.data, "Gr\xC3\xBC\xC3\x9F");
    tmk_buf_reset(&b);
    assert_int_equal(tmk_utf8_nfc("\xE2\x80\x9EGr\xC3\xBC\xC3\x9F\xE2\x80\x9C", 12, &b), TMK_OK);
    assert_string_equal(b.data, "\xE2\x80\x9EGr\xC3\xBC\xC3\x9F\xE2\x80\x9C");
    tmk_buf_release(&b);
}

static void test_char_classes(void **state)
{
    (void)state;
    assert_true(tmk_utf8_is_upper(0xC4));  /* Ä */
    assert_true(tmk_utf8_is_lower(0xDF));  /* ß */
    assert_true(tmk_utf8_is_letter(0x416)); /* Ж */
    assert_false(tmk_utf8_is_letter('1'));
    assert_true(tmk_utf8_is_space(0xA0));
    assert_true(tmk_utf8_is_punct(0x201E));
    assert_int_equal(tmk_utf8_tolower(0xC4), 0xE4);
}

/* Decode `in` fed in chunks of `chunk` bytes (0 = whole). */
static int decode_chunks(const char *enc, const char *in, size_t len, size_t chunk, tmk_buf *out,
                         tmk_error *err)
{
    tmk_decoder *d = NULL;
    tmk_decoder_new(&d, enc, "t.txt", err);
    if (!d)
        return err->code;
    int rc = TMK_OK;
    if (!chunk)
        chunk = len ? len : 1;
    for (size_t i = 0; i < len && rc == TMK_OK; i += chunk)
        rc = tmk_decoder_feed(d, in + i, len - i < chunk ? len - i : chunk, out, err);
    if (rc == TMK_OK)
        rc = tmk_decoder_finish(d, out, err);
    tmk_decoder_free(d);
    return rc;
}

struct decode_case {
    const char *name, *enc, *in;
    size_t len;
    int rc;
    const char *out;        /* expected output when rc == TMK_OK */
    unsigned long line, col; /* expected position when rc != TMK_OK */
    const char *msg;         /* expected start of the message, if given */
};

static const struct decode_case decode_cases[] = {
    {"plain utf-8", NULL, "Gr\xC3\xBC\xC3\x9F" "e\nzwei", 12, TMK_OK, "Gr\xC3\xBC\xC3\x9F" "e\nzwei", 0, 0, NULL},
    {"utf-8 bom dropped", NULL, "\xEF\xBB\xBFhi", 5, TMK_OK, "hi", 0, 0, NULL},
    {"crlf and cr become lf", NULL, "a\r\nb\rc\r\n", 8, TMK_OK, "a\nb\nc\n", 0, 0, NULL},
    {"utf-16le bom", NULL, "\xFF\xFE" "a\0\xE4\0\n\0", 8, TMK_OK, "a\xC3\xA4\n", 0, 0, NULL},
    {"utf-16be bom", NULL, "\xFE\xFF\0a\0\xE4", 6, TMK_OK, "a\xC3\xA4", 0, 0, NULL},
    {"utf-32le bom", NULL, "\xFF\xFE\0\0" "a\0\0\0", 8, TMK_OK, "a", 0, 0, NULL},
    {"windows-1252 by name", "windows-1252", "\x84" "Gr\xFC\xDF" "e\x93", 7, TMK_OK,
     "\xE2\x80\x9EGr\xC3\xBC\xC3\x9F" "e\xE2\x80\x9C", 0, 0, NULL},
    {"decomposed becomes nfc", NULL, "u\xCC\x88", 3, TMK_OK, "\xC3\xBC", 0, 0, NULL},
    {"latin-1 read as utf-8", NULL, "ok\nGr\xFC\xDF" "e", 8, TMK_EENCODING, NULL, 2, 3, NULL},
    {"invalid byte after umlaut", NULL, "\xC3\xA4\xC3\xA4x\xFF", 6, TMK_EENCODING, NULL, 1, 4, NULL},
    {"truncated at end", NULL, "ab\xE2\x80", 4, TMK_EENCODING, NULL, 1, 3, NULL},
    {"nul byte", NULL, "ab\ncd\0e", 7, TMK_EENCODING, NULL, 2, 3, NULL},
    {"bad byte in cp", "UTF-16LE", "a\0\0\xD8" "b\0", 6, TMK_EENCODING, NULL, 1, 2, NULL},
    {"empty", NULL, "", 0, TMK_OK, "", 0, 0, NULL},
    /* a byte that never starts a character is invalid, also at the very end */
    {"0xff at the end", NULL, "a\xFF", 2, TMK_EENCODING, NULL, 1, 2, "not valid UTF-8 (byte 0xFF)"},
    {"0xc0 at the end", NULL, "ab\xC0", 3, TMK_EENCODING, NULL, 1, 3, "not valid UTF-8 (byte 0xC0)"},
    {"0xf8 at the end", NULL, "\xF8", 1, TMK_EENCODING, NULL, 1, 1, "not valid UTF-8 (byte 0xF8)"},
    {"overlong start at the end", NULL, "a\xE0\x80", 3, TMK_EENCODING, NULL, 1, 2,
     "not valid UTF-8 (byte 0xE0)"},
    {"surrogate start at the end", NULL, "a\xED\xA0", 3, TMK_EENCODING, NULL, 1, 2,
     "not valid UTF-8 (byte 0xED)"},
    {"beyond U+10FFFF at the end", NULL, "a\xF4\x90", 3, TMK_EENCODING, NULL, 1, 2,
     "not valid UTF-8 (byte 0xF4)"},
    {"truncated 4-byte at the end", NULL, "a\xF0\x9F\x98", 4, TMK_EENCODING, NULL, 1, 2,
     "the text ends in the middle of a UTF-8 character"},
    /* UTF-16 without a BOM: the message names the likely byte order */
    {"utf-16le without bom", NULL, "H\0a\0l\0", 6, TMK_EENCODING, NULL, 1, 2,
     "NUL byte in text: the file looks like UTF-16LE without a byte-order mark"},
    {"utf-16be without bom", NULL, "\0H\0a\0l", 6, TMK_EENCODING, NULL, 1, 1,
     "NUL byte in text: the file looks like UTF-16BE without a byte-order mark"},
    {"binary nul", NULL, "abc\0def", 7, TMK_EENCODING, NULL, 1, 4, "NUL byte in text (the file may be binary)"},
    /* an encoding option that contradicts the byte-order mark is an error, not garbage */
    {"utf-8 bom read as windows-1252", "windows-1252", "\xEF\xBB\xBFGr\xC3\xBC\xC3\x9F" "e", 10,
     TMK_EENCODING, NULL, 1, 1, "the file starts with a UTF-8 byte-order mark, but it was to be read as windows-1252"},
    {"utf-16le bom read as ISO-8859-15", "ISO-8859-15", "\xFF\xFE" "a\0", 4, TMK_EENCODING, NULL, 1, 1,
     "the file starts with a UTF-16LE byte-order mark"},
    {"utf-16le bom read as UTF-16", "UTF-16", "\xFF\xFE" "a\0\xE4\0", 6, TMK_OK, "a\xC3\xA4", 0, 0, NULL},
    {"utf-16le bom read as UTF-16BE", "UTF-16BE", "\xFF\xFE" "a\0", 4, TMK_EENCODING, NULL, 1, 1,
     "the file starts with a UTF-16LE byte-order mark, but it was to be read as UTF-16BE"},
    {"utf-16le bom read as UTF-16LE", "UTF-16LE", "\xFF\xFE" "a\0", 4, TMK_OK, "a", 0, 0, NULL},
    {"utf-8 bom read as utf8", "utf8", "\xEF\xBB\xBF" "a", 4, TMK_OK, "a", 0, 0, NULL},
    /* a BOM that agrees with the encoding family asked for gives the byte
     * order (iconv's UCS-4 and UCS-2 ignore a BOM and assume one order) */
    {"utf-32le bom read as UCS-4", "UCS-4", "\xFF\xFE\0\0" "a\0\0\0\xE4\0\0\0", 12, TMK_OK,
     "a\xC3\xA4", 0, 0, NULL},
    {"utf-32le bom read as UTF-32", "UTF-32", "\xFF\xFE\0\0" "a\0\0\0\xE4\0\0\0", 12, TMK_OK,
     "a\xC3\xA4", 0, 0, NULL},
    {"utf-32le bom read as ucs-4le", "ucs-4le", "\xFF\xFE\0\0" "a\0\0\0", 8, TMK_OK, "a", 0, 0,
     NULL},
    {"utf-32le bom read as UTF-32LE", "UTF-32LE", "\xFF\xFE\0\0" "a\0\0\0", 8, TMK_OK, "a", 0, 0,
     NULL},
    {"utf-32be bom read as UCS-4", "UCS-4", "\0\0\xFE\xFF" "\0\0\0a\0\0\0\xE4", 12, TMK_OK,
     "a\xC3\xA4", 0, 0, NULL},
    {"utf-32be bom read as UTF-32BE", "UTF-32BE", "\0\0\xFE\xFF" "\0\0\0a", 8, TMK_OK, "a", 0, 0,
     NULL},
    {"utf-32le bom read as UCS-4BE", "UCS-4BE", "\xFF\xFE\0\0" "a\0\0\0", 8, TMK_EENCODING, NULL,
     1, 1, "the file starts with a UTF-32LE byte-order mark, but it was to be read as UCS-4BE"},
    {"utf-16le bom read as UCS-2", "UCS-2", "\xFF\xFE" "a\0\xE4\0", 6, TMK_OK, "a\xC3\xA4", 0, 0,
     NULL},
    {"utf-16be bom read as UCS-2", "UCS-2", "\xFE\xFF" "\0a\0\xE4", 6, TMK_OK, "a\xC3\xA4", 0, 0,
     NULL},
    /* files that are not text are recognised by their content and refused */
    {"html page", NULL, "<!DOCTYPE html>\n<p>Gr&uuml;&szlig;e</p>", 39, TMK_EFORMAT, NULL, 0, 0,
     "this is a web page (HTML), not plain text"},
    {"html fragment after a comment", NULL, "\xEF\xBB\xBF <!-- x -->\n<body>", 21, TMK_EFORMAT, NULL,
     0, 0, "this is a web page (HTML)"},
    {"xhtml", NULL, "<?xml version=\"1.0\"?>\n<html xmlns=\"x\">", 38, TMK_EFORMAT, NULL, 0, 0,
     "this is a web page (XHTML)"},
    {"tmx", NULL, "<?xml version=\"1.0\"?><tmx version=\"1.4\">", 40, TMK_EFORMAT, NULL, 0, 0,
     "this is a translation memory (TMX)"},
    {"utf-16le html", NULL, "\xFF\xFE<\0h\0t\0m\0l\0>\0", 14, TMK_EFORMAT, NULL, 0, 0,
     "this is a web page (HTML)"},
    {"utf-16le html asked for", "UTF-16LE", "<\0b\0o\0d\0y\0>\0", 12, TMK_EFORMAT, NULL, 0, 0,
     "this is a web page (HTML)"},
    {"pdf", NULL, "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n", 15, TMK_EFORMAT, NULL, 0, 0,
     "this is a PDF document"},
    {"docx", NULL, "PK\3\4\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x13\0\0\0"
     "[Content_Types].xml\x9c\x01word/document.xml", 68, TMK_EFORMAT, NULL, 0, 0,
     "this is a Word document (DOCX)"},
    {"odt", NULL, "PK\3\4\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x08\0\0\0"
     "mimetypeapplication/vnd.oasis.opendocument.text", 77, TMK_EFORMAT, NULL, 0, 0,
     "this is an OpenDocument text (ODT)"},
    /* a Word file cut short before word/ shows: truncated, not "save it as DOCX" */
    {"ooxml cut short", NULL, "PK\3\4\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x13\0\0\0"
     "[Content_Types].xml\x9c\x01", 51, TMK_EFORMAT, NULL, 0, 0,
     "this is a zip container (such as a DOCX or ODT document) that is truncated or damaged"},
    /* with its end record it is a whole zip file */
    {"ooxml with its end", NULL, "PK\3\4\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x13\0\0\0"
     "[Content_Types].xml\x9c\x01PK\5\6", 55, TMK_EFORMAT, NULL, 0, 0,
     "this is an Office document (DOCX, XLSX or PPTX), not plain text"},
    {"old word", NULL, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0", 10, TMK_EFORMAT, NULL, 0, 0,
     "this is a Microsoft Office document in the old binary format"},
    {"rtf", NULL, "{\\rtf1\\ansi x}", 14, TMK_EFORMAT, NULL, 0, 0, "this is an RTF document"},
    {"po", NULL, "# comment\n\nmsgid \"a\"\nmsgstr \"b\"\n", 32, TMK_EFORMAT, NULL, 0, 0,
     "this is a gettext translation catalogue (PO)"},
    {"png", NULL, "\x89PNG\r\n\x1A\n\0\0\0\x0DIHDR", 16, TMK_EFORMAT, NULL, 0, 0,
     "this is an image (PNG)"},
    /* text that only looks a little like those stays text */
    {"text with a tag inside", NULL, "Ein <html>-Tag", 14, TMK_OK, "Ein <html>-Tag", 0, 0, NULL},
    {"text starting with <", NULL, "<3 Jahre\nmsgid x", 16, TMK_OK, "<3 Jahre\nmsgid x", 0, 0, NULL},
    {"text starting with PK", NULL, "PKW-Steuer", 10, TMK_OK, "PKW-Steuer", 0, 0, NULL},
    {"text starting with inline markup", NULL, "<b>Wichtig:</b> lesen", 21, TMK_OK,
     "<b>Wichtig:</b> lesen", 0, 0, NULL},
    {"utf-16le bom read as UCS-2LE", "UCS-2LE", "\xFF\xFE" "a\0", 4, TMK_OK, "a", 0, 0, NULL},
    {"utf-16be bom read as UTF-16", "UTF-16", "\xFE\xFF" "\0a\0\xE4", 6, TMK_OK, "a\xC3\xA4", 0, 0,
     NULL},
    {"utf-16be bom read as UTF-16BE", "UTF-16BE", "\xFE\xFF" "\0a", 4, TMK_OK, "a", 0, 0, NULL},
    {"utf-16le bom and U+0000 read as UTF-16", "UTF-16", "\xFF\xFE\0\0", 4, TMK_EENCODING, NULL, 1,
     1, "NUL byte in text"},
    {"utf-16le bom read as UTF-32", "UTF-32", "\xFF\xFE" "a\0", 4, TMK_EENCODING, NULL, 1, 1,
     "the file starts with a UTF-16LE byte-order mark, but it was to be read as UTF-32"},
    {"4-byte across chunks", NULL, "a\xF0\x9F\x98\x80" "b", 6, TMK_OK, "a\xF0\x9F\x98\x80" "b", 0, 0, NULL},
    /* a bad byte after valid multi-byte UTF-8: a damaged character, not
     * another encoding (no advice to read the file as windows-1252) */
    {"damaged utf-8 character", NULL, "Stra\xC3\x9F" "e\nPre\xC3\nx", 14, TMK_EENCODING, NULL, 2, 4,
     "a damaged UTF-8 character (byte 0xC3 starts a character that is cut off)"},
    {"utf-8 continuation byte alone", NULL, "f\xC3\xBCr \xBC", 7, TMK_EENCODING, NULL, 1, 5,
     "a damaged UTF-8 character (byte 0xBC continues a character whose start is missing)"},
    {"windows-1252 read as utf-8", NULL, "f\xFCr", 3, TMK_EENCODING, NULL, 1, 2,
     "not valid UTF-8 (byte 0xFC)"},
};

static void test_decode_table_in_all_chunk_sizes(void **state)
{
    (void)state;
    static const size_t chunks[] = {0, 1, 2, 3, 7};
    for (size_t i = 0; i < sizeof decode_cases / sizeof *decode_cases; i++) {
        const struct decode_case *c = &decode_cases[i];
        for (size_t k = 0; k < sizeof chunks / sizeof *chunks; k++) {
            tmk_buf out = TMK_BUF_INIT;
            tmk_error err = TMK_ERROR_INIT;
            int rc = decode_chunks(c->enc, c->in, c->len, chunks[k], &out, &err);
            if (rc != c->rc)
                fail_msg("%s (chunk %zu): rc %d, expected %d (%s)", c->name, chunks[k], rc, c->rc,
                         err.msg);
            if (rc == TMK_OK && strcmp(out.data, c->out))
                fail_msg("%s (chunk %zu): got '%s'", c->name, chunks[k], out.data);
            if (rc != TMK_OK && (err.line != c->line || err.col != c->col))
                fail_msg("%s (chunk %zu): at %lu:%lu, expected %lu:%lu (%s)", c->name, chunks[k],
                         err.line, err.col, c->line, c->col, err.msg);
            if (rc != TMK_OK && c->msg && strncmp(err.msg, c->msg, strlen(c->msg)))
                fail_msg("%s (chunk %zu): message '%s', expected '%s'", c->name, chunks[k],
                         err.msg, c->msg);
            tmk_buf_release(&out);
        }
    }
}

/* The damaged character before the first valid one: found in the same chunk. */
static void test_decode_damaged_utf8_before_valid_ones(void **state)
{
    (void)state;
    tmk_buf out = TMK_BUF_INIT;
    tmk_error err = TMK_ERROR_INIT;
    static const char in[] = "Pre\xC3\nDie Stra\xC3\x9F" "e";
    assert_int_equal(decode_chunks(NULL, in, sizeof in - 1, 0, &out, &err), TMK_EENCODING);
    assert_int_equal(err.detail, TMK_D_DAMAGED_UTF8);
    assert_int_equal(err.col, 4);
    tmk_buf_release(&out);
}

/* Whether a file given as windows-1252 (or latin1) is UTF-8 in fact. */
static void test_decoder_looks_utf8(void **state)
{
    (void)state;
    static const struct {
        const char *enc, *in;
        int looks;
    } cases[] = {
        {"windows-1252", "Die Stra\xC3\x9F" "e, f\xC3\xBCr alle\n", 1},
        {"latin1", "\xC3\xBC", 1},
        {"windows-1252", "Die Stra\xDF" "e, f\xFCr alle\n", 0}, /* really windows-1252 */
        {"windows-1252", "plain ASCII\n", 0},
        {"windows-1252", "f\xC3\xBCr Gr\xFC\xDF" "e", 0}, /* mixed: not UTF-8 */
        {"windows-1252", "cut \xC3", 0},
        {NULL, "f\xC3\xBCr", 0},
        {"UTF-8", "f\xC3\xBCr", 0},
    };
    static const size_t chunks[] = {0, 1, 3};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        for (size_t k = 0; k < sizeof chunks / sizeof *chunks; k++) {
            tmk_error err = TMK_ERROR_INIT;
            tmk_buf out = TMK_BUF_INIT;
            tmk_decoder *d;
            assert_int_equal(tmk_decoder_new(&d, cases[i].enc, "t.txt", &err), TMK_OK);
            size_t len = strlen(cases[i].in), ch = chunks[k] ? chunks[k] : len;
            int rc = TMK_OK;
            for (size_t at = 0; at < len && rc == TMK_OK; at += ch)
                rc = tmk_decoder_feed(d, cases[i].in + at, len - at < ch ? len - at : ch, &out,
                                      &err);
            if (rc == TMK_OK)
                tmk_decoder_finish(d, &out, &err);
            if (tmk_decoder_looks_utf8(d) != cases[i].looks)
                fail_msg("case %zu (chunk %zu): looks_utf8 %d", i, chunks[k],
                         tmk_decoder_looks_utf8(d));
            tmk_decoder_free(d);
            tmk_buf_release(&out);
        }
}

static void test_decoder_rejects_unknown_encoding(void **state)
{
    (void)state;
    tmk_error err = TMK_ERROR_INIT;
    tmk_decoder *d = (tmk_decoder *)&d; /* set to NULL on failure */
    assert_int_equal(tmk_decoder_new(&d, "no-such-encoding", "x", &err), TMK_EINVAL);
    assert_null(d);
    assert_int_equal(err.code, TMK_EINVAL);
    assert_non_null(strstr(err.msg, "no-such-encoding"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_grows_and_stays_terminated),
        cmocka_unit_test(test_utf8_decode_rejects_overlong_and_surrogates),
        cmocka_unit_test(test_nfc_composes_decomposed_umlauts),
        cmocka_unit_test(test_char_classes),
        cmocka_unit_test(test_decode_table_in_all_chunk_sizes),
        cmocka_unit_test(test_decoder_rejects_unknown_encoding),
        cmocka_unit_test(test_decode_damaged_utf8_before_valid_ones),
        cmocka_unit_test(test_decoder_looks_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
