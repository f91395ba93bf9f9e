/* Unit tests: the document readers (DOCX, ODT through libzip + expat, HTML
 * through gumbo, the PDF paragraph rebuilder).  The zip files are written
 * here with libzip from the XML each test gives, so that each test shows
 * the markup it is about; the golden CLI cases use files LibreOffice wrote. */
#include <config.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>
#include "tmkit/tmkit.h"
#include "doc_int.h"

/* every paragraph as "kind|text" lines ('\n' in text as "\\n") */
static int log_para(void *ud, const tmk_doc_para *p)
{
    tmk_buf *b = ud;
    tmk_buf_adds(b, tmk_doc_kind_name(p->kind));
    if (p->level)
        tmk_buf_printf(b, "%d", p->level);
    if (p->lang)
        tmk_buf_printf(b, "[%s]", p->lang);
    tmk_buf_addch(b, '|');
    for (size_t i = 0; i < p->len; i++)
        if (p->text[i] == '\n')
            tmk_buf_adds(b, "\\n");
        else
            tmk_buf_addch(b, p->text[i]);
    tmk_buf_addch(b, '\n');
    return 0;
}

/* a zip in memory: pairs of (name, content), NULL-terminated */
static tmk_buf make_zip(const char *first, ...)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    assert_non_null(src);
    zip_source_keep(src);
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    assert_non_null(za);
    va_list ap;
    va_start(ap, first);
    for (const char *name = first; name; name = va_arg(ap, const char *)) {
        const char *body = va_arg(ap, const char *);
        zip_source_t *s = zip_source_buffer(za, body, strlen(body), 0);
        assert_non_null(s);
        zip_int64_t idx = zip_file_add(za, name, s, ZIP_FL_ENC_UTF_8);
        assert_true(idx >= 0);
        if (!strcmp(name, "mimetype"))
            zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
    }
    va_end(ap);
    assert_int_equal(zip_close(za), 0);
    tmk_buf out = TMK_BUF_INIT;
    assert_int_equal(zip_source_open(src), 0);
    char chunk[4096];
    zip_int64_t n;
    while ((n = zip_source_read(src, chunk, sizeof chunk)) > 0)
        tmk_buf_add(&out, chunk, (size_t)n);
    zip_source_close(src);
    zip_source_free(src);
    return out;
}

#define W_NS "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" " \
             "xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\""
#define CT "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"

static tmk_buf docx(const char *body, const char *footnotes, const char *styles)
{
    static char doc[8192], fn[4096], st[4096];
    snprintf(doc, sizeof doc, "<?xml version=\"1.0\"?><w:document " W_NS "><w:body>%s</w:body></w:document>", body);
    snprintf(fn, sizeof fn, "<?xml version=\"1.0\"?><w:footnotes " W_NS ">%s</w:footnotes>", footnotes ? footnotes : "");
    snprintf(st, sizeof st, "<?xml version=\"1.0\"?><w:styles " W_NS ">%s</w:styles>", styles ? styles : "");
    return make_zip("[Content_Types].xml", CT, "word/document.xml", doc, "word/footnotes.xml", fn,
                    "word/styles.xml", st, NULL);
}

static int read_doc(const tmk_buf *in, tmk_buf *log, tmk_error *err, size_t max_member)
{
    tmk_doc_options o = TMK_DOC_OPTIONS_INIT;
    o.name = "t";
    o.max_member = max_member;
    return tmk_doc_read(in->data, in->len, &o, log_para, log, NULL, err);
}

static void expect_docx(const char *body, const char *footnotes, const char *styles,
                        const char *expected)
{
    tmk_buf z = docx(body, footnotes, styles), log = TMK_BUF_INIT;
    tmk_error err = TMK_ERROR_INIT;
    assert_int_equal(tmk_decode_sniff(z.data, z.len, NULL), TMK_CONTENT_DOCX);
    int rc = read_doc(&z, &log, &err, 0);
    if (rc)
        fail_msg("rc %d: %s", rc, err.msg);
    assert_string_equal(log.data, expected);
    tmk_buf_release(&z);
    tmk_buf_release(&log);
}

#define P(x) "<w:p><w:r><w:t>" x "</w:t></w:r></w:p>"

static void docx_paragraphs_kinds(void **state)
{
    (void)state;
    expect_docx("<w:p><w:pPr><w:pStyle w:val=\"berschrift1\"/></w:pPr><w:r><w:t>Titel</w:t></w:r></w:p>"
                P("Ein  Satz.")
                "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/></w:numPr></w:pPr><w:r><w:t>Punkt</w:t></w:r></w:p>"
                "<w:tbl><w:tr><w:tc>" P("Zelle A") "</w:tc><w:tc>" P("Zelle B") "</w:tc></w:tr></w:tbl>"
                "<w:p><w:pPr><w:outlineLvl w:val=\"1\"/></w:pPr><w:r><w:t>Zwei</w:t></w:r></w:p>",
                NULL,
                "<w:style w:styleId=\"berschrift1\"><w:name w:val=\"heading 1\"/></w:style>",
                "heading1|Titel\nparagraph|Ein Satz.\nlist item|Punkt\ntable cell|Zelle A\n"
                "table cell|Zelle B\nheading2|Zwei\n");
}

static void docx_runs_tabs_breaks_hyphens(void **state)
{
    (void)state;
    expect_docx("<w:p><w:r><w:t xml:space=\"preserve\">Trenn</w:t></w:r><w:r><w:softHyphen/>"
                "<w:t>ung und E</w:t><w:noBreakHyphen/><w:t>Mail</w:t><w:tab/><w:t>nach Tab</w:t>"
                "<w:br/><w:t>neue Zeile, wei\xC2\xAD" "ches Trennzeichen</w:t></w:r></w:p>",
                NULL, NULL,
                "paragraph|Trennung und E-Mail nach Tab\\nneue Zeile, weiches Trennzeichen\n");
}

static void docx_tracked_hidden_fields(void **state)
{
    (void)state;
    expect_docx("<w:p><w:r><w:t>Alt</w:t></w:r><w:del><w:r><w:delText>gelöscht</w:delText></w:r></w:del>"
                "<w:ins><w:r><w:t xml:space=\"preserve\"> neu</w:t></w:r></w:ins>"
                "<w:r><w:rPr><w:vanish/></w:rPr><w:t>versteckt</w:t></w:r>"
                "<w:r><w:rPr><w:vanish w:val=\"0\"/></w:rPr><w:t xml:space=\"preserve\"> sichtbar</w:t></w:r>"
                "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>"
                "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t xml:space=\"preserve\"> 7</w:t></w:r>"
                "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>"
                "<w:moveFrom><w:r><w:t>weg</w:t></w:r></w:moveFrom>",
                NULL, NULL, "paragraph|Alt neu sichtbar 7\n");
}

/* A paragraph mark deleted with Track Changes on (w:del in the mark's
 * rPr): the two paragraphs are one once the change is accepted; a table
 * cell ends such a paragraph all the same. */
static void docx_deleted_paragraph_mark(void **state)
{
    (void)state;
    expect_docx("<w:p><w:pPr><w:rPr><w:del w:id=\"3\" w:author=\"a\"/></w:rPr></w:pPr>"
                "<w:r><w:t xml:space=\"preserve\">Bitte senden Sie </w:t></w:r></w:p>"
                P("Herrn Müller die Unterlagen bis Freitag.")
                "<w:p><w:pPr><w:rPr><w:moveFrom w:id=\"4\" w:author=\"a\"/></w:rPr></w:pPr>"
                "<w:r><w:t xml:space=\"preserve\">Eins </w:t></w:r></w:p>"
                "<w:p><w:pPr><w:rPr><w:del w:id=\"5\" w:author=\"a\"/></w:rPr></w:pPr>"
                "<w:r><w:t xml:space=\"preserve\">zwei </w:t></w:r></w:p>" P("drei.")
                "<w:tbl><w:tr><w:tc><w:p><w:pPr><w:rPr><w:del w:id=\"6\" w:author=\"a\"/></w:rPr>"
                "</w:pPr><w:r><w:t>Zelle</w:t></w:r></w:p></w:tc><w:tc>" P("Nachbar") "</w:tc>"
                "</w:tr></w:tbl>" P("Danach."),
                NULL, NULL,
                "paragraph|Bitte senden Sie Herrn Müller die Unterlagen bis Freitag.\n"
                "paragraph|Eins zwei drei.\ntable cell|Zelle\ntable cell|Nachbar\n"
                "paragraph|Danach.\n");
}

#define FLD(type) "<w:r><w:fldChar w:fldCharType=\"" type "\"/></w:r>"

/* Generated indexes (a table of contents in its w:sdt, TOC/INDEX/TOA
 * fields) are skipped, as ODT's are; other fields keep their result. */
static void docx_generated_indexes(void **state)
{
    (void)state;
    expect_docx("<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val=\"Table of Contents\"/>"
                "</w:docPartObj></w:sdtPr><w:sdtContent>" P("Inhaltsverzeichnis")
                "<w:p>" FLD("begin") "<w:r><w:instrText xml:space=\"preserve\"> TOC \\o \"1-3\" \\h"
                "</w:instrText></w:r>" FLD("separate") "<w:r><w:t>Einleitung 1</w:t></w:r></w:p>"
                "<w:p><w:r><w:t>Schluss 2</w:t></w:r>" FLD("end") "</w:p></w:sdtContent></w:sdt>"
                /* a TOC field outside an sdt, with a PAGEREF field nested in its result */
                "<w:p>" FLD("begin") "<w:r><w:instrText>TOC \\o</w:instrText></w:r>" FLD("separate")
                "<w:r><w:t>Einleitung</w:t></w:r>" FLD("begin")
                "<w:r><w:instrText> PAGEREF _Toc1 \\h </w:instrText></w:r>" FLD("separate")
                "<w:r><w:t>1</w:t></w:r>" FLD("end") "</w:p>"
                "<w:p><w:r><w:t>Schluss 2</w:t></w:r>" FLD("end") "</w:p>"
                "<w:p><w:fldSimple w:instr=\" INDEX \\e &quot;\t&quot; \"><w:r><w:t>Apfel, 3</w:t>"
                "</w:r></w:fldSimple></w:p>"
                "<w:p><w:r><w:t xml:space=\"preserve\">Einleitung, Seite </w:t></w:r>" FLD("begin")
                "<w:r><w:instrText> PAGE </w:instrText></w:r>" FLD("separate")
                "<w:r><w:t>7</w:t></w:r>" FLD("end") "</w:p>"
                "<w:p>" FLD("begin") "<w:r><w:instrText>TOA \\c 1</w:instrText></w:r>"
                FLD("separate") "<w:r><w:t>Fall A, 4</w:t></w:r>" FLD("end") "</w:p>"
                "<w:p><w:fldSimple w:instr=\"DATE\"><w:r><w:t>1.1.2024</w:t></w:r></w:fldSimple></w:p>",
                NULL, NULL, "paragraph|Einleitung, Seite 7\nparagraph|1.1.2024\n");
}

/* Ruby (furigana): the base text only, the reading above it skipped. */
static void docx_ruby_base_only(void **state)
{
    (void)state;
    expect_docx("<w:p><w:r><w:t xml:space=\"preserve\">Text </w:t></w:r><w:r><w:ruby><w:rubyPr/>"
                "<w:rt><w:r><w:t>\xE3\x81\x8B\xE3\x82\x93\xE3\x81\x98</w:t></w:r></w:rt><w:rubyBase>"
                "<w:r><w:t>\xE6\xBC\xA2\xE5\xAD\x97</w:t></w:r></w:rubyBase></w:ruby></w:r>"
                "<w:r><w:t xml:space=\"preserve\"> Ende.</w:t></w:r></w:p>",
                NULL, NULL, "paragraph|Text \xE6\xBC\xA2\xE5\xAD\x97 Ende.\n");
}

static void docx_notes_text_boxes(void **state)
{
    (void)state;
    expect_docx("<w:p><w:r><w:t>Haupt</w:t></w:r><w:r><w:footnoteReference w:id=\"2\"/></w:r>"
                "<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><w:txbxContent>"
                P("Im Kasten") "</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict>"
                "<w:txbxContent>" P("Im Kasten") "</w:txbxContent></w:pict></mc:Fallback>"
                "</mc:AlternateContent></w:r><w:r><w:t xml:space=\"preserve\"> weiter.</w:t></w:r></w:p>"
                P("Danach."),
                "<w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>"
                "<w:footnote w:id=\"2\">" P("Die Fußnote.") "</w:footnote>",
                NULL,
                "paragraph|Haupt weiter.\nfootnote|Die Fußnote.\ntext box|Im Kasten\n"
                "paragraph|Danach.\n");
}

static void docx_refused(void **state)
{
    (void)state;
    tmk_buf log = TMK_BUF_INIT;
    tmk_error err = TMK_ERROR_INIT;
    /* an entity declaration (billion laughs) */
    tmk_buf z = make_zip("word/document.xml",
                         "<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY a \"aaaa\">]><w:document "
                         W_NS "><w:body>" P("&a;") "</w:body></w:document>",
                         NULL);
    assert_int_equal(read_doc(&z, &log, &err, 0), TMK_ESYNTAX);
    assert_non_null(strstr(err.msg, "document type declaration"));
    tmk_buf_release(&z);
    /* not well-formed: the member, line and column */
    z = make_zip("word/document.xml", "<w:document " W_NS ">\n<w:body><w:p></w:body>", NULL);
    err = (tmk_error)TMK_ERROR_INIT;
    assert_int_equal(read_doc(&z, &log, &err, 0), TMK_ESYNTAX);
    assert_non_null(strstr(err.msg, "word/document.xml: mismatched tag"));
    assert_int_equal(err.line, 2);
    tmk_buf_release(&z);
    /* a zip bomb: more than max_member unpacked */
    char *big = malloc(200001);
    memset(big, ' ', 200000);
    big[200000] = '\0';
    memcpy(big, "<w:document " W_NS ">", strlen("<w:document " W_NS ">"));
    z = make_zip("word/document.xml", big, NULL);
    assert_true(z.len < 20000); /* it compresses well */
    err = (tmk_error)TMK_ERROR_INIT;
    assert_int_equal(read_doc(&z, &log, &err, 100000), TMK_ELIMIT);
    assert_non_null(strstr(err.msg, "zip bomb"));
    free(big);
    /* truncated */
    z.len /= 2;
    err = (tmk_error)TMK_ERROR_INIT;
    assert_int_equal(read_doc(&z, &log, &err, 0), TMK_ESYNTAX);
    assert_non_null(strstr(err.msg, "damaged or truncated"));
    tmk_buf_release(&z);
    /* a DOCX without word/document.xml */
    z = make_zip("[Content_Types].xml", CT, "word/vbaProject.bin", "x", NULL);
    err = (tmk_error)TMK_ERROR_INIT;
    assert_int_equal(read_doc(&z, &log, &err, 0), TMK_ESYNTAX);
    assert_non_null(strstr(err.msg, "no word/document.xml"));
    tmk_buf_release(&z);
    assert_int_equal(log.len, 0);
    tmk_buf_release(&log);
}

static void docx_callback_stops(void **state)
{
    (void)state;
    tmk_buf z = docx(P("a") P("b"), NULL, NULL);
    tmk_error err = TMK_ERROR_INIT;
    int n = 0;
    int rc = tmk_doc_read(z.data, z.len, NULL, (int (*)(void *, const tmk_doc_para *))(void *)NULL,
                          &n, NULL, &err);
    /* a NULL callback is allowed (tmkit.h rule 4): the document is read and
     * checked, its paragraphs dropped */
    assert_int_equal(rc, TMK_OK);
    tmk_buf_release(&z);
}

#define ODT_NS "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" " \
    "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" " \
    "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" " \
    "xmlns:draw=\"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0\" " \
    "xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\""

static void odt_all(void **state)
{
    (void)state;
    tmk_buf z = make_zip(
        "mimetype", "application/vnd.oasis.opendocument.text", "content.xml",
        "<?xml version=\"1.0\"?><office:document-content " ODT_NS ">"
        "<office:automatic-styles><style:style style:name=\"T1\" style:family=\"text\">"
        "<style:text-properties text:display=\"none\"/></style:style></office:automatic-styles>"
        "<office:body><office:text>"
        "<text:tracked-changes><text:changed-region><text:deletion><text:p>gelöscht</text:p>"
        "</text:deletion></text:changed-region></text:tracked-changes>"
        "<text:table-of-content><text:index-body><text:p>Titel 1</text:p></text:index-body></text:table-of-content>"
        "<text:h text:outline-level=\"2\">Titel</text:h>"
        "<text:p>Ein<text:s text:c=\"3\"/>Satz<text:tab/>mit<text:line-break/>Umbruch"
        "<text:span text:style-name=\"T1\">versteckt</text:span> und Fuß"
        "<text:note text:note-class=\"footnote\"><text:note-citation>1</text:note-citation>"
        "<text:note-body><text:p>Die Notiz.</text:p></text:note-body></text:note>note."
        "<draw:frame><draw:text-box><text:p>Kasten</text:p></draw:text-box></draw:frame>"
        "<office:annotation><text:p>Kommentar</text:p></office:annotation></text:p>"
        "<text:list><text:list-item><text:p>Punkt</text:p></text:list-item></text:list>"
        "<table:table><table:table-row><table:table-cell><text:p>Zelle</text:p></table:table-cell>"
        "</table:table-row></table:table>"
        "<text:section text:display=\"none\"><text:p>Abschnitt</text:p></text:section>"
        "<text:p>Text <text:ruby><text:ruby-base>\xE6\xBC\xA2\xE5\xAD\x97</text:ruby-base>"
        "<text:ruby-text>\xE3\x81\x8B\xE3\x82\x93\xE3\x81\x98</text:ruby-text></text:ruby> Ende.</text:p>"
        "</office:text></office:body></office:document-content>",
        NULL);
    tmk_buf log = TMK_BUF_INIT;
    tmk_error err = TMK_ERROR_INIT;
    assert_int_equal(tmk_decode_sniff(z.data, z.len, NULL), TMK_CONTENT_ODT);
    int rc = read_doc(&z, &log, &err, 0);
    if (rc)
        fail_msg("rc %d: %s", rc, err.msg);
    assert_string_equal(log.data, "heading2|Titel\nparagraph|Ein Satz mit\\nUmbruch und Fußnote.\n"
                                  "footnote|Die Notiz.\ntext box|Kasten\nlist item|Punkt\n"
                                  "table cell|Zelle\nparagraph|Text \xE6\xBC\xA2\xE5\xAD\x97 Ende.\n");
    tmk_buf_release(&z);
    tmk_buf_release(&log);
}

static void expect_html(const char *page, const char *enc, const char *expected,
                        const char *lang)
{
    tmk_buf log = TMK_BUF_INIT;
    tmk_error err = TMK_ERROR_INIT;
    tmk_doc_options o = TMK_DOC_OPTIONS_INIT;
    o.encoding = enc;
    char *l = NULL;
    assert_int_equal(tmk_decode_sniff(page, strlen(page), NULL), TMK_CONTENT_HTML);
    int rc = tmk_doc_read(page, strlen(page), &o, log_para, &log, &l, &err);
    if (rc)
        fail_msg("rc %d: %s", rc, err.msg);
    assert_string_equal(log.data, expected);
    if (lang)
        assert_string_equal(l, lang);
    else
        assert_null(l);
    tmk_free(l);
    tmk_buf_release(&log);
}

static void html_blocks(void **state)
{
    (void)state;
    expect_html("<!DOCTYPE html><html lang=de><head><title>Nicht</title><style>p{}</style></head>"
                "<body><header>Kopf</header><nav><a>Menü</a></nav>"
                "<h1>Über&shy;schrift &amp; mehr</h1><p>Ein <b>fetter</b>\n   Satz.<br>Zweite"
                " Zeile<p>Ohne Ende-Tag &euro; &#x263A;</p><ul><li>Eins<li><p>Zwei</p></ul>"
                "<table><tr><td>A<td>B</table><div>außen<div>innen</div>wieder</div>"
                "<p lang=en>English</p><script>var x = '<p>nein</p>';</script>"
                "<p hidden>versteckt</p><pre>a  b\nc</pre><footer>Fuß</footer>"
                "<aside>Rand</aside><noscript>ns</noscript><template><p>t</p></template>",
                NULL,
                "heading1[de]|Überschrift & mehr\nparagraph[de]|Ein fetter Satz.\\nZweite Zeile\n"
                "paragraph[de]|Ohne Ende-Tag € ☺\nlist item[de]|Eins\nlist item[de]|Zwei\n"
                "table cell[de]|A\ntable cell[de]|B\nparagraph[de]|außen\nparagraph[de]|innen\n"
                "paragraph[de]|wieder\nparagraph[en]|English\nparagraph[de]|a b\\nc\n",
                "de");
}

static void html_encodings(void **state)
{
    (void)state;
    /* not UTF-8, the meta names the charset */
    expect_html("<html><head><meta charset=\"iso-8859-15\"></head><body><p>\xA4 f\xFCr</p>", NULL,
                "paragraph|€ für\n", NULL);
    /* labels as browsers read them (WHATWG): ISO-8859-1 and US-ASCII are
     * windows-1252 (Word's quotes at 0x84 0x93), ISO-8859-9 windows-1254,
     * TIS-620 windows-874 */
    expect_html("<html><head><meta charset=\"iso-8859-1\"></head><body><p>\x84Neu\x93 Gr\xFC\xDF"
                "e \x96 \x85</p>", NULL, "paragraph|„Neu“ Grüße – …\n", NULL);
    expect_html("<html><head><META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; "
                "charset=ISO-8859-1\"></head><body><p>\x93Zitat\x94</p>", NULL,
                "paragraph|“Zitat”\n", NULL);
    expect_html("<html><head><meta charset=\"us-ascii\"></head><body><p>Gr\xFC\xDF"
                "e</p>", NULL, "paragraph|Grüße\n", NULL);
    expect_html("<html><head><meta charset=\"latin1\"></head><body><p>\x80 5</p>", NULL,
                "paragraph|€ 5\n", NULL);
    expect_html("<html><head><meta charset=\"iso-8859-9\"></head><body><p>\x93\xFE" "e\x94</p>",
                NULL, "paragraph|“şe”\n", NULL);
    expect_html("<html><head><meta charset=\"tis-620\"></head><body><p>\x85 \xA1</p>", NULL,
                "paragraph|… ก\n", NULL);
    /* not UTF-8, nothing said: windows-1252 */
    expect_html("<p>\x93Zitat\x94 f\xFCr</p>", NULL, "paragraph|“Zitat” für\n", NULL);
    /* given */
    expect_html("<p>f\xFCr</p>", "ISO-8859-1", "paragraph|für\n", NULL);
    /* XHTML */
    expect_html("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" "
                "xml:lang=\"fr\"><body><p>Bonjour&#160;!</p></body></html>",
                NULL, "paragraph[fr]|Bonjour\xC2\xA0!\n", "fr");
}

/* What pdftotext -tsv writes for a text laid out in a fixed-pitch font:
 * each character 5 points wide, lines 10 high and 12 apart; '\f' starts a
 * page, an empty line a new block (a gap of a line); leading spaces
 * indent; "|" at the start of a line puts it in a second column (x 300)
 * as a new block at the top of the page. */
static char *tsv_layout(const char *text)
{
    tmk_buf b = TMK_BUF_INIT;
    tmk_buf_adds(&b, "level\tpage_num\tpar_num\tblock_num\tline_num\tword_num\tleft\ttop\t"
                     "width\theight\tconf\ttext\n");
    int page = 1, block = 0, line = 0;
    double y = 50, x = 50;
    char row[512];
    snprintf(row, sizeof row, "1\t%d\t0\t0\t0\t0\t0\t0\t595\t842\t-1\t###PAGE###\n", page);
    tmk_buf_adds(&b, row);
    snprintf(row, sizeof row, "3\t%d\t0\t%d\t0\t0\t50\t%.2f\t400\t20\t-1\t###FLOW###\n", page,
             block, y);
    tmk_buf_adds(&b, row);
    for (const char *p = text; *p;) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == 1 && *p == '\f') {
            page++, block++, line = 0, y = 50, x = 50;
            snprintf(row, sizeof row, "1\t%d\t0\t0\t0\t0\t0\t0\t595\t842\t-1\t###PAGE###\n",
                     page);
            tmk_buf_adds(&b, row);
        } else if (n == 0 || *p == '|') {
            if (*p == '|')
                x = 300, y = 50, p++, n--;
            else
                y += 12;
            block++, line = 0;
            snprintf(row, sizeof row, "3\t%d\t0\t%d\t0\t0\t%.2f\t%.2f\t200\t20\t-1\t###FLOW###\n",
                     page, block, x, y);
            tmk_buf_adds(&b, row);
        }
        if (n && *p != '\f') {
            size_t i = 0;
            while (i < n && p[i] == ' ')
                i++;
            double x0 = x + 5.0 * (double)i;
            snprintf(row, sizeof row, "4\t%d\t0\t%d\t%d\t0\t%.2f\t%.2f\t%.2f\t10\t-1\t###LINE###\n",
                     page, block, line, x0, y, 5.0 * (double)tmk_utf8_count(p + i, n - i));
            tmk_buf_adds(&b, row);
            int word = 0;
            while (i < n) {
                size_t j = i;
                while (j < n && p[j] != ' ')
                    j++;
                if (j > i) {
                    snprintf(row, sizeof row, "5\t%d\t0\t%d\t%d\t%d\t%.2f\t%.2f\t%.2f\t10\t100\t",
                             page, block, line, word++, x + 5.0 * (double)tmk_utf8_count(p, i), y,
                             5.0 * (double)tmk_utf8_count(p + i, j - i));
                    tmk_buf_adds(&b, row);
                    tmk_buf_add(&b, p + i, j - i);
                    tmk_buf_adds(&b, "\n");
                }
                i = j + 1;
            }
            line++;
            y += 12;
        }
        p += n + (e != NULL);
    }
    return b.data;
}

static int pdf(const char *text, tmk_buf *log)
{
    struct doc_ctx c;
    memset(&c, 0, sizeof c);
    c.cb = log_para;
    c.ud = log;
    tmk_buf_init(&c.nfc);
    char *tsv = tsv_layout(text);
    int rc = tmk__doc_pdf_text(&c, tsv, strlen(tsv));
    free(tsv);
    tmk_buf_release(&c.nfc);
    return rc;
}

static void pdf_paragraphs(void **state)
{
    (void)state;
    tmk_buf log = TMK_BUF_INIT;
    assert_int_equal(pdf("Jahresbericht 2024\n"
                         "Kapitel\n"
                         "Dies ist ein langer Satz mit einer Trenn-\n"
                         "ung am Zeilenende und einer E-\n"
                         "Mail-Adresse, dazu Ein- \n"
                         "und Ausgang sowie ein Gedanken -\n"
                         "strich hier am Ende der Zeile.\n"
                         "Kurz.\n"
                         "\n"
                         "1\n\f\n"
                         "Jahresbericht 2024\n"
                         "Zweite Seite mit einem Absatz, der lang genug ist, um voll zu sein\n"
                         "und weiter geht.\n"
                         "\n"
                         "2\n\f\n"
                         "Jahresbericht 2024\n"
                         "Dritte Seite.\n"
                         "- 3 -\n",
                         &log),
                     0);
    assert_string_equal(log.data,
                        "paragraph|Kapitel\n"
                        "paragraph|Dies ist ein langer Satz mit einer Trennung am Zeilenende und "
                        "einer E-Mail-Adresse, dazu Ein- und Ausgang sowie ein Gedanken - strich "
                        "hier am Ende der Zeile.\n"
                        "paragraph|Kurz.\n"
                        "paragraph|Zweite Seite mit einem Absatz, der lang genug ist, um voll zu "
                        "sein und weiter geht.\n"
                        "paragraph|Dritte Seite.\n");
    tmk_buf_release(&log);
}

/* A hyphen at a line end that is part of the word stays: the document
 * writes the word with it elsewhere, or it is an address; a word the
 * document writes whole is joined. */
static void pdf_hyphens(void **state)
{
    (void)state;
    tmk_buf log = TMK_BUF_INIT;
    assert_int_equal(pdf("Fehler an bug-gettext@gnu.org oder an die Zeilen-ende-Liste bitte.\n"
                         "\n"
                         "Bitte die Troff-Schriftdatei per E-Mail an bug-\n"
                         "gettext@gnu.org senden, nicht an die Zeilen-\n"
                         "ende-Liste; siehe www.example.org/a-\n"
                         "b und die Trenn-\n"
                         "ung der Zeilen-\n"
                         "umbrüche.\n",
                         &log),
                     0);
    assert_string_equal(log.data,
                        "paragraph|Fehler an bug-gettext@gnu.org oder an die Zeilen-ende-Liste "
                        "bitte.\n"
                        "paragraph|Bitte die Troff-Schriftdatei per E-Mail an bug-gettext@gnu.org "
                        "senden, nicht an die Zeilen-ende-Liste; siehe www.example.org/a-b und die "
                        "Trennung der Zeilenumbrüche.\n");
    tmk_buf_release(&log);
}

/* Paragraphs from the layout: a ragged line whose end the next word would
 * not have fitted goes on, whatever its length against a long line; a line
 * the next word would have fitted on ends its paragraph; an indented first
 * line after a sentence starts one; a paragraph goes on in the next column
 * and on the next page. */
static void pdf_layout(void **state)
{
    (void)state;
    tmk_buf log = TMK_BUF_INIT;
    assert_int_equal(
        pdf("Einleitung\n"
            "Ein Absatz im Flattersatz mit Zeilen verschiedener Länge, deren Ende kein\n"
            "Donaudampfschifffahrtsgesellschaftskapitänsmützenhalter ist, sondern nur\n"
            "irgendein Wort, das nicht mehr in die Zeile davor gepasst hätte, wenn es auch\n"
            "kürzer ist als diese sehr lange Zeile hier, die den Rand bestimmt, wie man sieht.\n"
            "  Ein eingerückter Absatz nach einem Satzende, der weitergeht, bis die Spalte\n"
            "ausgefüllt ist und dann in die zweite Spalte weiterläuft, weil er wirklich so\n"
            "|lang ist, dass er nicht auf die erste passt, und dann auf die nächste Seite,\n"
            "wo er weitergeht und endlich mit einem Punkt und einer Zeile, die kurz ist,\n"
            "\f\n"
            "endet.\n"
            "Neuer Absatz.\n",
            &log),
        0);
    assert_string_equal(log.data,
                        "paragraph|Einleitung\n"
                        "paragraph|Ein Absatz im Flattersatz mit Zeilen verschiedener Länge, deren "
                        "Ende kein Donaudampfschifffahrtsgesellschaftskapitänsmützenhalter ist, "
                        "sondern nur irgendein Wort, das nicht mehr in die Zeile davor gepasst "
                        "hätte, wenn es auch kürzer ist als diese sehr lange Zeile hier, die den "
                        "Rand bestimmt, wie man sieht.\n"
                        "paragraph|Ein eingerückter Absatz nach einem Satzende, der weitergeht, bis "
                        "die Spalte ausgefüllt ist und dann in die zweite Spalte weiterläuft, weil "
                        "er wirklich so lang ist, dass er nicht auf die erste passt, und dann auf "
                        "die nächste Seite, wo er weitergeht und endlich mit einem Punkt und einer "
                        "Zeile, die kurz ist, endet.\n"
                        "paragraph|Neuer Absatz.\n");
    tmk_buf_release(&log);
}

/* Hostile layout rows: nothing read past the end, no crash. */
static void pdf_bad_rows(void **state)
{
    (void)state;
    tmk_buf log = TMK_BUF_INIT;
    static const char *const rows[] = {
        "",
        "level\tpage\n",
        "5\t1\t0\t0\t0\t0\t1\t1\t1\t1\t100\tWort\n",
        "5\t1\t0\t0\t0\t0\t1\t1\t1\t1\t100\tWort\twith\ttabs",
        "4\t99999999999999999999\t0\t0\t0\t0\t-1e308\tx\t\t\t\t\n5\t0\t",
        ("1\t3\t0\t0\t0\t0\t0\t0\t0\t0\t-1\t###PAGE###\n1\t1\t0\t0\t0\t0\t0\t0\t0\t0\t-1\t\n"
         "5\t1\t0\t0\t0\t0\t0\t0\t0\t0\t1\tx-\n"),
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        struct doc_ctx c;
        memset(&c, 0, sizeof c);
        c.cb = log_para;
        c.ud = &log;
        tmk_buf_init(&c.nfc);
        assert_int_equal(tmk__doc_pdf_text(&c, rows[i], strlen(rows[i])), 0);
        tmk_buf_release(&c.nfc);
    }
    assert_non_null(strstr(log.data, "Wort with tabs"));
    tmk_buf_release(&log);
}

static void pdf_without_pdftotext(void **state)
{
    (void)state;
    tmk_doc_options o = TMK_DOC_OPTIONS_INIT;
    tmk_error err = TMK_ERROR_INIT;
    tmk_buf log = TMK_BUF_INIT;
    assert_int_equal(tmk_doc_read("%PDF-1.4\n", 9, &o, log_para, &log, NULL, &err),
                     TMK_ENOTFOUND);
    assert_non_null(strstr(err.msg, "poppler-utils"));
    o.pdftotext = "/nonexistent/pdftotext";
    err = (tmk_error)TMK_ERROR_INIT;
    assert_int_equal(tmk_doc_read("%PDF-1.4\n", 9, &o, log_para, &log, NULL, &err),
                     TMK_ENOTFOUND);
    assert_non_null(strstr(err.msg, "poppler-utils"));
    /* not a document tmkit reads */
    err = (tmk_error)TMK_ERROR_INIT;
    assert_int_equal(tmk_doc_read("{\\rtf1 x}", 9, &o, log_para, &log, NULL, &err), TMK_EFORMAT);
    assert_int_equal(tmk_doc_reads(TMK_CONTENT_RTF), 0);
    assert_int_equal(tmk_doc_reads(TMK_CONTENT_DOCX), 1);
    tmk_buf_release(&log);
}

/* --- formatting spans and their TMX tags ------------------------------- */

/* "text" then each span as " kind:start-end" (">target" for links) */
static int log_spans(void *ud, const tmk_doc_para *p)
{
    tmk_buf *b = ud;
    tmk_buf_add(b, p->text, p->len);
    for (size_t k = 0; k < p->nspans; k++) {
        const tmk_doc_span *s = &p->spans[k];
        tmk_buf_printf(b, " %s:%zu-%zu", tmk_doc_span_kind_name(s->kind), s->start, s->end);
        if (s->target)
            tmk_buf_printf(b, ">%s", s->target);
    }
    tmk_buf_addch(b, '\n');
    return 0;
}

static void expect_spans_at(const char *file, int line, const void *data, size_t len,
                            const char *expected)
{
    tmk_buf log = TMK_BUF_INIT, plain = TMK_BUF_INIT;
    tmk_error err = TMK_ERROR_INIT;
    tmk_doc_options o = TMK_DOC_OPTIONS_INIT;
    o.spans = 1;
    int rc = tmk_doc_read(data, len, &o, log_spans, &log, NULL, &err);
    if (rc)
        fail_msg("%s:%d: rc %d: %s", file, line, rc, err.msg);
    if (strcmp(log.data, expected))
        fail_msg("%s:%d: got\n%s\nexpected\n%s", file, line, log.data, expected);
    /* without the option: the same text, no spans */
    o.spans = 0;
    assert_int_equal(tmk_doc_read(data, len, &o, log_spans, &plain, NULL, &err), 0);
    for (const char *e = expected; *e;) {
        const char *nl = strchr(e, '\n');
        size_t n = strcspn(e, "\n");
        const char *x;
        /* the text part ends before the first " kind:" */
        for (x = e; x < e + n; x++)
            if (*x == ' ' && (!strncmp(x, " bold:", 6) || !strncmp(x, " italic:", 8) ||
                              !strncmp(x, " underline:", 11) || !strncmp(x, " link:", 6) ||
                              !strncmp(x, " superscript:", 13) || !strncmp(x, " subscript:", 11)))
                break;
        if (!memmem(plain.data, plain.len, e, (size_t)(x - e)))
            fail_msg("%s:%d: text without spans differs: %s", file, line, plain.data);
        e = nl ? nl + 1 : e + n;
    }
    tmk_buf_release(&log);
    tmk_buf_release(&plain);
}
#define expect_spans(d, n, e) expect_spans_at(__FILE__, __LINE__, d, n, e)

static void spans_html(void **state)
{
    (void)state;
    static const char page[] =
        "<!DOCTYPE html><html><body>"
        "<p>Ein <b>fet</b><strong>tes</strong> Wort, <i>kursiv <b>und fett</b></i>.</p>"
        "<p><a href=\"https://x.org/a?b=1&amp;c=2\">Link</a> <a name=\"anker\">kein Link</a>"
        " H<sub>2</sub>O m<sup>2</sup> <u>unter</u><b> </b>x <b>a</b> <b>b</b></p>"
        /* decomposed ä (a + U+0308) in a span: NFC makes it 2 bytes, not 3 */
        "<p>Gro\xc3\x9f<b>e a\xcc\x88ndern</b> jetzt</p>"
        "</body></html>";
    expect_spans(page, strlen(page),
                 "Ein fettes Wort, kursiv und fett. bold:4-10 italic:17-32 bold:24-32\n"
                 "Link kein Link H2O m2 unter x a b link:0-4>https://x.org/a?b=1&c=2 "
                 "subscript:16-17 superscript:20-21 underline:22-27 bold:30-33\n"
                 "Gro\xc3\x9f" "e \xc3\xa4ndern jetzt bold:5-14\n");
}

#define DOCX_R_NS "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""

static void spans_docx(void **state)
{
    (void)state;
    char doc[4096];
    snprintf(doc, sizeof doc,
             "<?xml version=\"1.0\"?><w:document " W_NS " " DOCX_R_NS "><w:body>"
             "<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Hel</w:t></w:r>"
             "<w:r><w:rPr><w:b w:val=\"1\"/></w:rPr><w:t>lo</w:t></w:r>"
             "<w:r><w:rPr><w:b w:val=\"0\"/><w:i/></w:rPr><w:t xml:space=\"preserve\"> Welt </w:t></w:r>"
             "<w:r><w:rPr><w:rStyle w:val=\"Strong\"/></w:rPr><w:t>stark</w:t></w:r>"
             "<w:r><w:rPr><w:rStyle w:val=\"Strong\"/><w:b w:val=\"false\"/></w:rPr><w:t>X</w:t></w:r>"
             "<w:r><w:rPr><w:vertAlign w:val=\"superscript\"/></w:rPr><w:t>2</w:t></w:r>"
             "<w:r><w:rPr><w:u w:val=\"none\"/></w:rPr><w:t> nicht</w:t></w:r>"
             "<w:r><w:rPr><w:u w:val=\"single\"/></w:rPr><w:t> unter</w:t></w:r>"
             /* a tracked format change: bold and hidden before it, now neither */
             "<w:r><w:rPr><w:rPrChange w:id=\"1\"><w:rPr><w:b/><w:vanish/></w:rPr></w:rPrChange>"
             "</w:rPr><w:t>!</w:t></w:r>"
             " <w:hyperlink r:id=\"rId9\"><w:r><w:t xml:space=\"preserve\"> hier</w:t></w:r></w:hyperlink>"
             "<w:hyperlink w:anchor=\"k1\"><w:r><w:t>dort</w:t></w:r></w:hyperlink></w:p>"
             "</w:body></w:document>");
    tmk_buf z = make_zip(
        "[Content_Types].xml", CT, "word/document.xml", doc, "word/styles.xml",
        "<?xml version=\"1.0\"?><w:styles " W_NS "><w:style w:type=\"character\" "
        "w:styleId=\"Strong\"><w:name w:val=\"Strong\"/><w:rPr><w:b/></w:rPr></w:style>"
        "<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/>"
        "<w:rPr><w:i/></w:rPr></w:style></w:styles>",
        "word/_rels/document.xml.rels",
        "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/"
        "2006/relationships\"><Relationship Id=\"rId9\" Type=\"http://schemas.openxmlformats.org/"
        "officeDocument/2006/relationships/hyperlink\" Target=\"https://example.org/\" "
        "TargetMode=\"External\"/></Relationships>",
        NULL);
    expect_spans(z.data, z.len,
                 "Hello Welt starkX2 nicht unter! hierdort bold:0-5 italic:6-10 bold:11-16 "
                 "superscript:17-18 underline:25-30 link:32-36>https://example.org/ "
                 "link:36-40>#k1\n");
    tmk_buf_release(&z);
}

#define ODT_FMT_NS ODT_NS " xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0\" " \
    "xmlns:xlink=\"http://www.w3.org/1999/xlink\""

static void spans_odt(void **state)
{
    (void)state;
    tmk_buf z = make_zip(
        "mimetype", "application/vnd.oasis.opendocument.text", "styles.xml",
        "<?xml version=\"1.0\"?><office:document-styles " ODT_FMT_NS "><office:styles>"
        "<style:style style:name=\"Strong_20_Emphasis\" style:family=\"text\">"
        "<style:text-properties fo:font-weight=\"bold\"/></style:style>"
        "<style:style style:name=\"Heading_20_1\" style:family=\"paragraph\">"
        "<style:text-properties fo:font-weight=\"bold\"/></style:style></office:styles>"
        "<office:automatic-styles><style:style style:name=\"T1\" style:family=\"text\">"
        "<style:text-properties fo:font-style=\"italic\"/></style:style>"
        "</office:automatic-styles><office:master-styles><style:master-page>"
        "<style:header><text:p>Kopfzeile</text:p></style:header></style:master-page>"
        "</office:master-styles></office:document-styles>",
        "content.xml",
        "<?xml version=\"1.0\"?><office:document-content " ODT_FMT_NS ">"
        "<office:automatic-styles><style:style style:name=\"T1\" style:family=\"text\">"
        "<style:text-properties fo:font-weight=\"bold\"/></style:style>"
        "<style:style style:name=\"T2\" style:family=\"text\" "
        "style:parent-style-name=\"Strong_20_Emphasis\">"
        "<style:text-properties style:text-underline-style=\"solid\"/></style:style>"
        "<style:style style:name=\"T3\" style:family=\"text\">"
        "<style:text-properties style:text-position=\"super 58%\"/></style:style>"
        "<style:style style:name=\"P1\" style:family=\"paragraph\">"
        "<style:text-properties fo:font-style=\"italic\"/></style:style>"
        "</office:automatic-styles><office:body><office:text>"
        "<text:p>Ein <text:span text:style-name=\"T1\">fettes</text:span> und "
        "<text:span text:style-name=\"Strong_20_Emphasis\">starkes</text:span> "
        "<text:span text:style-name=\"T2\">beides</text:span> m<text:span "
        "text:style-name=\"T3\">2</text:span> <text:a xlink:href=\"https://e.org/\">"
        "Link <text:span text:style-name=\"T1\">fett</text:span></text:a></text:p>"
        "<text:p text:style-name=\"P1\">Ganz kursiv</text:p>"
        "<text:h text:style-name=\"Heading_20_1\">Titel fett</text:h>"
        "</office:text></office:body></office:document-content>",
        NULL);
    expect_spans(z.data, z.len,
                 "Ein fettes und starkes beides m2 Link fett bold:4-10 bold:15-29 "
                 "underline:23-29 superscript:31-32 link:33-42>https://e.org/ bold:38-42\n"
                 "Ganz kursiv italic:0-11\nTitel fett\n");
    tmk_buf_release(&z);
}

static void render_at(const char *file, int line, const char *text, size_t base,
                      const tmk_doc_span *sp, size_t n, unsigned first_i, const char *expected)
{
    tmk_buf out = TMK_BUF_INIT;
    unsigned next_i = first_i;
    assert_int_equal(tmk_doc_render_tmx(&out, text, strlen(text), base, sp, n, &next_i, NULL), 0);
    if (strcmp(out.data, expected))
        fail_msg("%s:%d: got\n%s\nexpected\n%s", file, line, out.data, expected);
    tmk_buf_release(&out);
}
#define render(t, b, sp, n, i, e) render_at(__FILE__, __LINE__, t, b, sp, n, i, e)
#define B(k) "<bpt i=\"" #k "\" type=\"bold\">&lt;b&gt;</bpt>"
#define EB(k) "<ept i=\"" #k "\">&lt;/b&gt;</ept>"
#define I(k) "<bpt i=\"" #k "\" type=\"italic\">&lt;i&gt;</bpt>"
#define EI(k) "<ept i=\"" #k "\">&lt;/i&gt;</ept>"

static void render_tmx_tags(void **state)
{
    (void)state;
    /* no spans: the text escaped */
    render("a < b & c", 0, NULL, 0, 1, "a &lt; b &amp; c");
    /* one span; spans of another place in the text left out */
    tmk_doc_span one[] = {{4, 8, TMK_DOC_BOLD, NULL}, {100, 120, TMK_DOC_ITALIC, NULL}};
    render("Ein fett Wort", 0, one, 2, 1, "Ein " B(1) "fett" EB(1) " Wort");
    /* nested: bold inside italic, given in any order */
    tmk_doc_span nest[] = {{2, 5, TMK_DOC_BOLD, NULL}, {0, 9, TMK_DOC_ITALIC, NULL}};
    render("abcdefghi", 0, nest, 2, 1, I(1) "ab" B(2) "cde" EB(2) "fghi" EI(1));
    /* overlapping, not nested: italic closed and reopened, well-formed */
    tmk_doc_span over[] = {{0, 6, TMK_DOC_BOLD, NULL}, {3, 10, TMK_DOC_ITALIC, NULL}};
    render("abcdefghij", 0, over, 2, 1,
           B(1) "abc" I(2) "def" EI(2) EB(1) I(3) "ghij" EI(3));
    /* a span crossing the segment boundary: closed at the end of the first
     * segment, reopened at the start of the second; i from 1 in each */
    tmk_doc_span cross[] = {{5, 15, TMK_DOC_BOLD, NULL}};
    render("Eins zwei.", 0, cross, 1, 1, "Eins " B(1) "zwei." EB(1));
    render("Drei vier.", 11, cross, 1, 1, B(1) "Drei" EB(1) " vier.");
    /* numbering goes on where a joined segment left it */
    render("Drei vier.", 11, cross, 1, 3, B(3) "Drei" EB(3) " vier.");
    /* clipped to white space only, empty, or reversed: dropped */
    tmk_doc_span ws[] = {{3, 5, TMK_DOC_BOLD, NULL}, {2, 2, TMK_DOC_ITALIC, NULL},
                         {6, 4, TMK_DOC_UNDERLINE, NULL}};
    render("abc  def", 0, ws, 3, 1, "abc  def");
    /* UTF-8: byte offsets around multi-byte characters; a boundary inside
     * a character moves to the character's end */
    tmk_doc_span u8[] = {{8, 15, TMK_DOC_ITALIC, NULL}, {3, 6, TMK_DOC_BOLD, NULL}};
    render("Gr\xc3\xb6\xc3\x9f" "e \xc3\xa4ndern", 0, u8, 2, 1,
           "Gr\xc3\xb6" B(1) "\xc3\x9f" EB(1) "e " I(2) "\xc3\xa4ndern" EI(2));
    /* a link's target quoted in the native code, which is escaped as text */
    tmk_doc_span link[] = {{0, 4, TMK_DOC_LINK, "a\"b&c"}, {5, 6, TMK_DOC_SUPERSCRIPT, NULL},
                           {7, 8, TMK_DOC_SUBSCRIPT, NULL}, {9, 10, TMK_DOC_UNDERLINE, NULL}};
    render("here 2 x u", 0, link, 4, 1,
           "<bpt i=\"1\" type=\"link\">&lt;a href=&quot;a&amp;quot;b&amp;amp;c&quot;&gt;</bpt>here"
           "<ept i=\"1\">&lt;/a&gt;</ept> <bpt i=\"2\" type=\"x-superscript\">&lt;sup&gt;</bpt>2"
           "<ept i=\"2\">&lt;/sup&gt;</ept> <bpt i=\"3\" type=\"x-subscript\">&lt;sub&gt;</bpt>x"
           "<ept i=\"3\">&lt;/sub&gt;</ept> <bpt i=\"4\" type=\"ulined\">&lt;u&gt;</bpt>u"
           "<ept i=\"4\">&lt;/u&gt;</ept>");
    /* the span covering the whole segment is kept */
    tmk_doc_span all[] = {{0, 5, TMK_DOC_BOLD, NULL}};
    render("Alles", 0, all, 1, 1, B(1) "Alles" EB(1));
}

/* whatever the spans, the result parses as TMX: bpt/ept paired by i */
static void render_tmx_always_balanced(void **state)
{
    (void)state;
    const char *text = "abcdefghijklmnopqrst";
    unsigned seed = 12345;
    for (int round = 0; round < 2000; round++) {
        tmk_doc_span sp[6];
        size_t n = (size_t)(round % 6) + 1;
        for (size_t k = 0; k < n; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t a = (seed >> 8) % 22, b = (seed >> 16) % 22;
            sp[k] = (tmk_doc_span){a, b, (enum tmk_doc_span_kind)((seed >> 4) % 6), NULL};
        }
        tmk_buf out = TMK_BUF_INIT;
        unsigned next_i = 1;
        assert_int_equal(tmk_doc_render_tmx(&out, text, 20, 0, sp, n, &next_i, NULL), 0);
        /* a stack of open i: every ept closes the innermost bpt */
        unsigned st[64], sp_n = 0;
        size_t letters = 0;
        for (const char *p = out.data; *p;) {
            unsigned i;
            if (sscanf(p, "<bpt i=\"%u\"", &i) == 1) {
                assert_true(sp_n < 64);
                st[sp_n++] = i;
                p = strstr(p, "</bpt>") + 6;
            } else if (sscanf(p, "<ept i=\"%u\"", &i) == 1) {
                assert_true(sp_n > 0);
                assert_int_equal(st[--sp_n], i);
                p = strstr(p, "</ept>") + 6;
            } else {
                letters++;
                p++;
            }
        }
        assert_int_equal(sp_n, 0);
        assert_int_equal(letters, 20);
        tmk_buf_release(&out);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(docx_paragraphs_kinds),   cmocka_unit_test(docx_runs_tabs_breaks_hyphens),
        cmocka_unit_test(docx_tracked_hidden_fields), cmocka_unit_test(docx_notes_text_boxes),
        cmocka_unit_test(docx_deleted_paragraph_mark), cmocka_unit_test(docx_generated_indexes),
        cmocka_unit_test(docx_ruby_base_only),
        cmocka_unit_test(docx_refused),            cmocka_unit_test(docx_callback_stops),
        cmocka_unit_test(odt_all),                 cmocka_unit_test(html_blocks),
        cmocka_unit_test(html_encodings),          cmocka_unit_test(pdf_paragraphs),
        cmocka_unit_test(pdf_hyphens),             cmocka_unit_test(pdf_layout),
        cmocka_unit_test(pdf_bad_rows),            cmocka_unit_test(pdf_without_pdftotext),
        cmocka_unit_test(spans_html),              cmocka_unit_test(spans_docx),
        cmocka_unit_test(spans_odt),               cmocka_unit_test(render_tmx_tags),
        cmocka_unit_test(render_tmx_always_balanced),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
