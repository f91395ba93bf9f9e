/* test_segment.c -- the segmenter and the SRX engine: built-in rules,
 * streaming in chunks, positions, paragraph modes, SRX loading, errors. */
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
#include <sys/stat.h>
#include "tmkit/tmkit.h"

/* Segments joined with '|', plus positions "line:col:offset" joined with ' '. */
typedef struct {
    tmk_buf text, pos;
    int count;
} collect;

static int on_seg(void *ud, const tmk_segment *seg)
{
    collect *c = ud;
    if (c->count++) {
        tmk_buf_addch(&c->text, '|');
        tmk_buf_addch(&c->pos, ' ');
    }
    tmk_buf_add(&c->text, seg->text, seg->len);
    tmk_buf_printf(&c->pos, "%lu:%lu:%zu", seg->line, seg->col, seg->offset);
    return 0;
}

/* Segment text fed in chunks of `chunk` bytes (0 = whole). */
static void run(tmk_segmenter *s, const char *text, size_t chunk, collect *c)
{
    tmk_buf_init(&c->text);
    tmk_buf_init(&c->pos);
    c->count = 0;
    tmk_error err = TMK_ERROR_INIT;
    size_t len = strlen(text);
    if (chunk == 0)
        chunk = len ? len : 1;
    for (size_t i = 0; i < len; i += chunk)
        assert_int_equal(tmk_segmenter_feed(s, text + i, len - i < chunk ? len - i : chunk, on_seg, c,
                                      &err),
                         0);
    assert_int_equal(tmk_segmenter_finish(s, on_seg, c, &err), 0);
}

static void release(collect *c)
{
    tmk_buf_release(&c->text);
    tmk_buf_release(&c->pos);
}

static tmk_segmenter *seg_new(const char *lang)
{
    tmk_error err = TMK_ERROR_INIT;
    tmk_segmenter *s = NULL;
    tmk_segmenter_new(&s, lang, NULL, &err);
    if (!s)
        fail_msg("tmk_segmenter_new(%s): %s", lang, err.msg);
    return s;
}

typedef struct {
    const char *lang, *in, *out;
} seg_case;

static const seg_case cases[] = {
    /* German: abbreviations, ordinals, dates, numbers, quotations */
    {"de", "Wir trafen Dr. med. Meyer in der Stadt. Er kam spät.",
     "Wir trafen Dr. med. Meyer in der Stadt.|Er kam spät."},
    {"de", "Am 3. Oktober feiern wir. Dann ist Ruhe.", "Am 3. Oktober feiern wir.|Dann ist Ruhe."},
    {"de", "Die Frist endet am 1.1.2025. Bitte beachten.",
     "Die Frist endet am 1.1.2025.|Bitte beachten."},
    {"de", "Wir haben 10.000 Euro. Das reicht.", "Wir haben 10.000 Euro.|Das reicht."},
    {"de", "Er fährt ab Gleis 7. Er ist pünktlich.", "Er fährt ab Gleis 7.|Er ist pünktlich."},
    {"de", "Im 19. Jahrhundert wuchs die Stadt.", "Im 19. Jahrhundert wuchs die Stadt."},
    {"de", "Der 2. Weltkrieg endete 1945.", "Der 2. Weltkrieg endete 1945."},
    {"de", "Friedrich II. war König von Preußen.", "Friedrich II. war König von Preußen."},
    {"de", "Sie sagte: „Ich komme.“ Dann ging sie.", "Sie sagte: „Ich komme.“|Dann ging sie."},
    {"de", "„Ich komme morgen.“, sagte sie.", "„Ich komme morgen.“, sagte sie."},
    {"de", "Er rief: »Halt!« Niemand hörte ihn.", "Er rief: »Halt!«|Niemand hörte ihn."},
    {"de", "Das ist z. B. ein Beispiel, vgl. S. 12.", "Das ist z. B. ein Beispiel, vgl. S. 12."},
    {"de", "Überschrift\nDer Text beginnt hier. Er endet hier.",
     "Überschrift|Der Text beginnt hier.|Er endet hier."},
    /* English */
    {"en", "Mr. Smith went to Washington. He arrived at noon.",
     "Mr. Smith went to Washington.|He arrived at noon."},
    {"en", "I live in the U.S. How about you?", "I live in the U.S.|How about you?"},
    {"en", "She said, \"Stop.\" Then she left.", "She said, \"Stop.\"|Then she left."},
    {"en", "Please see p. 55 for details.", "Please see p. 55 for details."},
    /* other built-in languages */
    {"fr", "M. Dupont est arrivé. Il est content.", "M. Dupont est arrivé.|Il est content."},
    {"es", "¿Dónde está el Sr. García? No lo sé.", "¿Dónde está el Sr. García?|No lo sé."},
    {"ru", "Это т. е. пример. Второе предложение.", "Это т. е. пример.|Второе предложение."},
    {"zh", "今天天气很好。我们去公园吧！好的。", "今天天气很好。|我们去公园吧！|好的。"},
    {"ja", "これはペンです。「そうですか。」はい。", "これはペンです。|「そうですか。」|はい。"},
    {"pl", "To jest np. przykład. Drugie zdanie.", "To jest np. przykład.|Drugie zdanie."},
    {"xx", "One. Two.", "One.|Two."},
};

static void test_segment_builtin_cases_in_any_chunking(void **state)
{
    (void)state;
    static const size_t chunks[] = {0, 1, 7};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tmk_segmenter *s = seg_new(cases[i].lang);
        for (size_t k = 0; k < 3; k++) {
            collect c;
            run(s, cases[i].in, chunks[k], &c);
            if (strcmp(c.text.data, cases[i].out))
                fail_msg("case %zu (%s, chunk %zu):\n  input    %s\n  expected %s\n  got      %s",
                         i, cases[i].lang, chunks[k], cases[i].in, cases[i].out, c.text.data);
            release(&c);
        }
        tmk_segmenter_free(s);
    }
}

static void test_segment_positions_are_line_col_offset(void **state)
{
    (void)state;
    tmk_segmenter *s = seg_new("de");
    collect c;
    /* "Ä" is 2 bytes: columns count characters, offsets bytes */
    run(s, "Äpfel sind rot. Birnen nicht.\n\n  Zweiter Absatz.", 7, &c);
    assert_string_equal(c.text.data, "Äpfel sind rot.|Birnen nicht.|Zweiter Absatz.");
    assert_string_equal(c.pos.data, "1:1:0 1:17:17 3:3:34");
    release(&c);
    tmk_segmenter_free(s);
}

static void test_segment_soft_wrapped_lines_are_joined(void **state)
{
    (void)state;
    tmk_segmenter *s = seg_new("de");
    collect c;
    /* a line ending in a space continues; a bullet or list number does not */
    run(s, "Schwangere Frauen sollten während der \nersten Monate Folsäure nehmen.\n"
           "• eins  \n• zwei\nkurz\nzeilen\n",
        1, &c);
    assert_string_equal(c.text.data, "Schwangere Frauen sollten während der ersten Monate "
                                     "Folsäure nehmen.|• eins|• zwei|kurz|zeilen");
    assert_string_equal(c.pos.data, "1:1:0 3:1:72 4:1:83 5:1:92 6:1:97");
    release(&c);
    tmk_segmenter_free(s);
}

static void test_segment_soft_wrap_after_abbreviation_is_joined(void **state)
{
    (void)state;
    tmk_segmenter *s = seg_new("de");
    /* a line that ends in a space continues after "Dr." "3." "z.", which
     * do not end a sentence; after a real sentence end it does not */
    static const size_t chunks[] = {0, 1, 7};
    for (size_t k = 0; k < 3; k++) {
        collect c;
        run(s, "Sie traf Dr. \nAnna Berger am 3. \nOktober, z. \nB. in Berlin. \nDanach ging sie.\n",
            chunks[k], &c);
        assert_string_equal(c.text.data, "Sie traf Dr. Anna Berger am 3. Oktober, z. B. in Berlin.|"
                                         "Danach ging sie.");
        assert_string_equal(c.pos.data, "1:1:0 5:1:61");
        release(&c);
        /* where no break rule applies at all, the line end stays a break */
        run(s, "(i) Erster Punkt. \n(ii) Zweiter Punkt.\n", chunks[k], &c);
        assert_string_equal(c.text.data, "(i) Erster Punkt.|(ii) Zweiter Punkt.");
        release(&c);
    }
    tmk_segmenter_free(s);
}

/* A German text wrapped at 40 characters without trailing spaces (as fmt
 * writes it): a heading, two paragraphs separated by nothing but their
 * short last lines, and a list. */
static const char wrapped_text[] =
    "Besuch in Moskau\n"
    "Die Delegation wurde in Moskau von\n"
    "Botschafterin Dr. Anna Berger empfangen,\n"
    "die am 3. Oktober ihr Amt angetreten\n"
    "hatte. Man sprach über viele Themen,\n"
    "z. B. über die Zusammenarbeit in der\n"
    "Forschung und in der Lehre.\n"
    "Die wichtigsten Punkte der Gespräche\n"
    "waren diese:\n"
    "- Zusammenarbeit in der Forschung und\n"
    "  bei der Entwicklung neuer Technik\n"
    "- Austausch von Studierenden\n";

static void test_segment_wrapped_text_is_detected_and_joined(void **state)
{
    (void)state;
    assert_in_range(tmk_segmenter_text_wrap_width(wrapped_text, strlen(wrapped_text)), 35, 40);
    static const size_t chunks[] = {0, 1, 7};
    for (size_t k = 0; k < 3; k++) {
        tmk_segmenter *s = seg_new("de");
        tmk_segmenter_set_paragraph_mode(s, TMK_PARA_AUTO, NULL);
        collect c;
        run(s, wrapped_text, chunks[k], &c);
        assert_in_range(tmk_segmenter_wrap_width(s), 35, 40);
        assert_string_equal(c.text.data,
                            "Besuch in Moskau|"
                            "Die Delegation wurde in Moskau von Botschafterin Dr. Anna Berger "
                            "empfangen, die am 3. Oktober ihr Amt angetreten hatte.|"
                            "Man sprach über viele Themen, z. B. über die Zusammenarbeit in der "
                            "Forschung und in der Lehre.|"
                            "Die wichtigsten Punkte der Gespräche waren diese:|"
                            "- Zusammenarbeit in der Forschung und bei der Entwicklung neuer Technik|"
                            "- Austausch von Studierenden");
        release(&c);
        /* the next text is decided on its own: one paragraph per line */
        run(s, "Erste Zeile.\nZweite Zeile.\n", chunks[k], &c);
        assert_int_equal(tmk_segmenter_wrap_width(s), 0);
        assert_string_equal(c.text.data, "Erste Zeile.|Zweite Zeile.");
        release(&c);
        tmk_segmenter_free(s);
    }
}

/* fmt and fold count bytes: wrapped at 70 bytes, a line rich in umlauts,
 * quotes and dashes is full at fewer characters (56 to 66).  Measured in
 * characters alone, the text did not look wrapped and its sentences were
 * cut at every line end. */
static const char wrapped_bytes_text[] =
    "Über die Größe der Dateien müssen Sie sich keine Sorgen machen:\n"
    "»tmkit« liest auch sehr große Übersetzungsspeicher, ohne\n"
    "dass der Arbeitsspeicher knapp wird. Für jede Datei gibt es eine\n"
    "Prüfsumme, die später verglichen wird.  Die Übersetzerin öffnet\n"
    "die Datei „Anleitung für Prüfgeräte“ und prüft zunächst\n"
    "die Maßeinheiten – Millimeter, Grad und Öffnungszeiten –\n"
    "auf Übereinstimmung. Größere Abweichungen meldet sie dem Büro.\n"
    "Änderungen an der Terminologie werden im Glossar gepflegt; übliche\n"
    "Begriffe wie »Schließmuskel« oder »Türöffner« stehen dort\n"
    "mit ihrer Übersetzung. Grüße aus München übermittelt das Team\n"
    "für Qualitätsprüfung.  Während der Prüfung fällt auf, dass\n"
    "die Überschriften häufig zu lang für die Bildschirmmaße sind;\n"
    "die Übersetzerin kürzt sie behutsam. Später prüft ein Kollege\n"
    "die Änderungen und gibt sie frei.\n";

static void test_segment_wrapped_in_bytes_is_detected(void **state)
{
    (void)state;
    assert_int_not_equal(tmk_segmenter_text_wrap_width(wrapped_bytes_text, strlen(wrapped_bytes_text)), 0);
    static const size_t chunks[] = {0, 1, 7};
    for (size_t k = 0; k < 3; k++) {
        tmk_segmenter *s = seg_new("de");
        tmk_segmenter_set_paragraph_mode(s, TMK_PARA_AUTO, NULL);
        collect c;
        run(s, wrapped_bytes_text, chunks[k], &c);
        assert_string_equal(
            c.text.data,
            "Über die Größe der Dateien müssen Sie sich keine Sorgen machen: »tmkit« liest auch "
            "sehr große Übersetzungsspeicher, ohne dass der Arbeitsspeicher knapp wird.|"
            "Für jede Datei gibt es eine Prüfsumme, die später verglichen wird.|"
            "Die Übersetzerin öffnet die Datei „Anleitung für Prüfgeräte“ und prüft zunächst die "
            "Maßeinheiten – Millimeter, Grad und Öffnungszeiten – auf Übereinstimmung.|"
            "Größere Abweichungen meldet sie dem Büro.|"
            "Änderungen an der Terminologie werden im Glossar gepflegt; übliche Begriffe wie "
            "»Schließmuskel« oder »Türöffner« stehen dort mit ihrer Übersetzung.|"
            "Grüße aus München übermittelt das Team für Qualitätsprüfung.|"
            "Während der Prüfung fällt auf, dass die Überschriften häufig zu lang für die "
            "Bildschirmmaße sind; die Übersetzerin kürzt sie behutsam.|"
            "Später prüft ein Kollege die Änderungen und gibt sie frei.");
        release(&c);
        tmk_segmenter_free(s);
    }
}

/* In wrapped text a dash is a bullet only with a space after it: a line
 * that starts "-korrektur" (the second part of "Fehlersuche und
 * -korrektur") or "--device" (an option) goes on with the sentence. */
static void test_segment_wrapped_dash_without_space_is_not_a_bullet(void **state)
{
    (void)state;
    static const char text[] =
        "Zur Qualitätssicherung gehören die Fehlersuche und\n"
        "-korrektur in jedem Text, und das Programm wird mit\n"
        "--device gestartet, wenn ein Gerät gewählt ist. Die\n"
        "Liste der Geräte, die tmkit kennt, steht hier unten:\n"
        "- Ein Drucker für die Ausgabe\n"
        "\xE2\x80\x93 Ein Bildschirm\n"
        "* Eine Tastatur\n"
        "\xE2\x80\xA2" "Ein Lautsprecher\n";
    static const size_t chunks[] = {0, 1, 7};
    for (size_t k = 0; k < 3; k++) {
        tmk_segmenter *s = seg_new("de");
        tmk_segmenter_set_paragraph_mode(s, TMK_PARA_WRAPPED, NULL);
        collect c;
        run(s, text, chunks[k], &c);
        assert_string_equal(c.text.data,
                            "Zur Qualitätssicherung gehören die Fehlersuche und -korrektur in "
                            "jedem Text, und das Programm wird mit --device gestartet, wenn ein "
                            "Gerät gewählt ist.|"
                            "Die Liste der Geräte, die tmkit kennt, steht hier unten:|"
                            "- Ein Drucker für die Ausgabe|"
                            "\xE2\x80\x93 Ein Bildschirm|"
                            "* Eine Tastatur|"
                            "\xE2\x80\xA2" "Ein Lautsprecher");
        release(&c);
        tmk_segmenter_free(s);
    }
}

static void test_segment_text_with_a_paragraph_per_line_is_not_wrapped(void **state)
{
    (void)state;
    /* long lines, and short lines that end sentences, are not wrapped text */
    static const char lines[] =
        "Überschrift\n"
        "Ein langer Absatz, der in einer einzigen Zeile steht, wie es Textverarbeitungen "
        "schreiben, und der weit über jede Zeilenbreite hinausgeht, die ein Programm wählt.\n"
        "Noch eine Überschrift\n"
        "Und noch ein Absatz, ebenso lang, ebenso in einer Zeile, ohne jeden Umbruch "
        "in der Mitte eines Satzes, wie ihn fmt oder fold einfügen würden.\n";
    assert_int_equal(tmk_segmenter_text_wrap_width(lines, strlen(lines)), 0);
    static const char sentences[] =
        "Das ist ein Satz.\nDas ist noch ein Satz.\nUnd hier ist ein dritter.\n"
        "Der vierte Satz folgt.\nDer fünfte auch.\nSechs.\nSieben Sätze sind es.\n"
        "Acht Sätze, einer je Zeile.\nNeun.\n";
    assert_int_equal(tmk_segmenter_text_wrap_width(sentences, strlen(sentences)), 0);
    /* lines of about one length without final punctuation, but each one
     * with room for the next line's first word: a poem, not wrapped prose */
    static const char poem[] =
        "Der Mond ist aufgegangen\nDie goldnen Sternlein prangen\nAm Himmel hell und klar\n"
        "Der Wald steht schwarz und schweiget\nUnd aus den Wiesen steiget\n"
        "Der weiße Nebel wunderbar\nWie ist die Welt so stille\nUnd in der Dämmrung Hülle\n"
        "So traulich und so hold\nAls eine stille Kammer\nWo ihr des Tages Jammer\n"
        "Verschlafen und vergessen sollt\n";
    assert_int_equal(tmk_segmenter_text_wrap_width(poem, strlen(poem)), 0);
}

/* A paragraph mode outside the enum is refused (rule 2: a setter that can
 * fail says so) and the mode in use stays. */
static void test_segment_unknown_paragraph_mode_is_refused(void **state)
{
    (void)state;
    tmk_segmenter *s = seg_new("en");
    tmk_error err = TMK_ERROR_INIT;
    assert_int_equal(tmk_segmenter_set_paragraph_mode(s, TMK_PARA_BLANK, &err), TMK_OK);
    assert_int_equal(tmk_segmenter_set_paragraph_mode(s, (enum tmk_segment_paragraph_mode)77, &err),
                     TMK_EINVAL);
    assert_int_equal(err.code, TMK_EINVAL);
    collect c;
    run(s, "One\nline.\n\nTwo", 5, &c);
    assert_string_equal(c.text.data, "One line.|Two");
    release(&c);
    tmk_segmenter_free(s);
}

static void test_segment_blank_mode_joins_lines(void **state)
{
    (void)state;
    tmk_segmenter *s = seg_new("en");
    tmk_segmenter_set_paragraph_mode(s, TMK_PARA_BLANK, NULL);
    collect c;
    run(s, "A heading\nwrapped over. Two\nlines.\n\nNext para", 7, &c);
    assert_string_equal(c.text.data, "A heading wrapped over.|Two lines.|Next para");
    assert_string_equal(c.pos.data, "1:1:0 2:15:24 5:1:36");
    release(&c);
    tmk_segmenter_free(s);
}

static void test_segment_rejects_invalid_utf8(void **state)
{
    (void)state;
    tmk_segmenter *s = seg_new("en");
    tmk_error err = TMK_ERROR_INIT;
    collect c = {TMK_BUF_INIT, TMK_BUF_INIT, 0};
    assert_int_equal(tmk_segmenter_feed(s, "ok\nab\xff", 6, on_seg, &c, &err), 0);
    assert_int_equal(tmk_segmenter_finish(s, on_seg, &c, &err), TMK_EENCODING);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 3);
    release(&c);
    /* the segmenter starts afresh after the error */
    run(s, "New text. Fine.", 0, &c);
    assert_string_equal(c.text.data, "New text.|Fine.");
    assert_string_equal(c.pos.data, "1:1:0 1:11:10");
    release(&c);
    tmk_segmenter_free(s);
}

static int stop_at_two(void *ud, const tmk_segment *seg)
{
    (void)seg;
    return ++*(int *)ud == 2 ? 42 : 0;
}

static void test_segment_nul_byte_is_reported_where_it_is(void **state)
{
    (void)state;
    tmk_segmenter *s = seg_new("en");
    tmk_error err = TMK_ERROR_INIT;
    collect c = {TMK_BUF_INIT, TMK_BUF_INIT, 0};
    assert_int_equal(tmk_segmenter_feed(s, "ok\nab\0cd.\n", 10, on_seg, &c, &err), TMK_EENCODING);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 3);
    assert_non_null(strstr(err.msg, "NUL byte in the text"));
    tmk_segmenter_finish(s, on_seg, &c, NULL);
    release(&c);
    tmk_segmenter_free(s);
}

static void test_segment_callback_can_stop(void **state)
{
    (void)state;
    tmk_segmenter *s = seg_new("en");
    tmk_error err = TMK_ERROR_INIT;
    int n = 0;
    assert_int_equal(tmk_segmenter_feed(s, "A b. C d. E f.\n", 15, stop_at_two, &n, &err), 0);
    /* the tmkit.h rule: a positive value stops with TMK_ECANCELED, and err says so */
    assert_int_equal(tmk_segmenter_finish(s, stop_at_two, &n, &err), TMK_ECANCELED);
    assert_int_equal(err.code, TMK_ECANCELED);
    assert_int_equal(n, 2);
    tmk_segmenter_free(s);
}

static int fail_io(void *ud, const tmk_segment *seg)
{
    (void)ud;
    (void)seg;
    return TMK_EIO;
}

static void test_segment_callback_code_is_passed_back(void **state)
{
    (void)state;
    tmk_segmenter *s = seg_new("en");
    tmk_error err = TMK_ERROR_INIT;
    assert_int_equal(tmk_segmenter_feed(s, "A b.\nC d.\n", 10, fail_io, NULL, &err), TMK_EIO);
    assert_int_equal(err.code, TMK_EIO);
    assert_true(err.msg[0] != '\0');
    tmk_segmenter_free(s);
}

static void test_segment_new_reports_its_error(void **state)
{
    (void)state;
    tmk_segmenter *s = (tmk_segmenter *)&s; /* overwritten with NULL on failure */
    tmk_error err = TMK_ERROR_INIT;
    assert_int_equal(tmk_segmenter_new_srx_mem(&s, "en", "<srx", 4, &err), TMK_ESYNTAX);
    assert_null(s);
    assert_int_equal(err.code, TMK_ESYNTAX);
    /* without an error struct the code still comes back */
    s = (tmk_segmenter *)&s;
    assert_int_equal(tmk_segmenter_new_srx_mem(&s, "en", "<srx", 4, NULL), TMK_ESYNTAX);
    assert_null(s);
    char *path = NULL;
    assert_int_equal(tmk_segmenter_builtin_path(&path, "de-DE", NULL, &err), TMK_OK);
    assert_non_null(strstr(path, "de.srx"));
    tmk_free(path);
}

/* ---- SRX ------------------------------------------------------------ */

static const char srx_head[] = "<?xml version=\"1.0\"?>\n"
                               "<srx xmlns=\"http://www.lisa.org/srx20\" version=\"2.0\">\n"
                               "<header cascade=\"%s\"/><body><languagerules>\n";

static tmk_segmenter *srx_new(const char *lang, const char *cascade, const char *body,
                              tmk_error *err)
{
    char doc[8192];
    int n = snprintf(doc, sizeof doc, srx_head, cascade);
    n += snprintf(doc + n, sizeof doc - (size_t)n, "%s", body);
    tmk_segmenter *s = NULL;
    tmk_segmenter_new_srx_mem(&s, lang, doc, (size_t)n, err);
    return s;
}

static const char two_langs[] =
    "<languagerule languagerulename=\"X\">\n"
    "<rule break=\"no\"><beforebreak>\\bAbc\\.</beforebreak><afterbreak>\\s</afterbreak></rule>\n"
    "</languagerule>\n"
    "<languagerule languagerulename=\"Base\">\n"
    "<rule break=\"yes\"><beforebreak>\\.</beforebreak><afterbreak>\\s\\p{Lu}</afterbreak></rule>\n"
    "</languagerule>\n"
    "</languagerules><maprules>\n"
    "<languagemap languagepattern=\"xx.*\" languagerulename=\"X\"/>\n"
    "<languagemap languagepattern=\".*\" languagerulename=\"Base\"/>\n"
    "</maprules></body></srx>\n";

static void test_srx_cascade_uses_all_matching_maps(void **state)
{
    (void)state;
    tmk_error err = TMK_ERROR_INIT;
    tmk_segmenter *s = srx_new("xx-YY", "yes", two_langs, &err);
    assert_non_null(s);
    collect c;
    run(s, "See Abc. Def. Ghi.", 0, &c);
    assert_string_equal(c.text.data, "See Abc. Def.|Ghi.");
    release(&c);
    tmk_segmenter_free(s);
}

static void test_srx_without_cascade_uses_first_map_only(void **state)
{
    (void)state;
    tmk_error err = TMK_ERROR_INIT;
    tmk_segmenter *s = srx_new("xx", "no", two_langs, &err);
    assert_non_null(s);
    collect c;
    run(s, "See Abc. Def. Ghi.", 0, &c); /* only X: no break rule at all */
    assert_string_equal(c.text.data, "See Abc. Def. Ghi.");
    release(&c);
    tmk_segmenter_free(s);
    s = srx_new("de", "no", two_langs, &err); /* first match is Base */
    assert_non_null(s);
    run(s, "See Abc. Def. Ghi.", 0, &c);
    assert_string_equal(c.text.data, "See Abc.|Def.|Ghi.");
    release(&c);
    tmk_segmenter_free(s);
}

static void test_srx_java_syntax_is_translated(void **state)
{
    (void)state;
    /* \uXXXX, \p{javaLowerCase}, (?iu), a variable lookbehind, [\d-x] */
    static const char body[] =
        "<languagerule languagerulename=\"J\">\n"
        "<rule break=\"no\"><beforebreak>(?iu)\\bu\\u002Ea\\.</beforebreak><afterbreak></afterbreak></rule>\n"
        "<rule break=\"no\"><beforebreak>(?&lt;=[XVI]+)\\.</beforebreak><afterbreak>\\s\\p{javaLowerCase}</afterbreak></rule>\n"
        "<rule break=\"no\"><beforebreak>[\\d-x]+\\.</beforebreak><afterbreak>\\s+Z</afterbreak></rule>\n"
        "<rule break=\"yes\"><beforebreak>[.?!]+</beforebreak><afterbreak>\\s</afterbreak></rule>\n"
        "</languagerule></languagerules><maprules>\n"
        "<languagemap languagepattern=\".*\" languagerulename=\"J\"/></maprules></body></srx>";
    tmk_error err = TMK_ERROR_INIT;
    tmk_segmenter *s = srx_new("en", "yes", body, &err);
    if (!s)
        fail_msg("%s", err.msg);
    collect c;
    run(s, "One U.A. Two XVI. three 3-x. Zed. End.", 0, &c);
    assert_string_equal(c.text.data, "One U.A. Two XVI. three 3-x. Zed.|End.");
    release(&c);
    tmk_segmenter_free(s);
}

static void test_srx_runs_of_no_break_rules_act_like_each_rule(void **state)
{
    (void)state;
    /* four no-break rules in a row (merged inside the engine), one with a
     * back-reference (kept apart), one anchored at the paragraph start */
    static const char body[] =
        "<languagerule languagerulename=\"R\">\n"
        "<rule break=\"no\"><beforebreak>\\bAbc\\.\\s</beforebreak><afterbreak/></rule>\n"
        "<rule break=\"no\"><beforebreak>\\b[A-Z][a-z]+nr\\.\\s</beforebreak><afterbreak/></rule>\n"
        "<rule break=\"no\"><beforebreak>\\b(\\w)\\1\\.\\s</beforebreak><afterbreak/></rule>\n"
        "<rule break=\"no\"><beforebreak>(?i)\\bxyz\\.\\s</beforebreak><afterbreak/></rule>\n"
        "<rule break=\"no\"><beforebreak>^Head\\.\\s</beforebreak><afterbreak/></rule>\n"
        "<rule break=\"yes\"><beforebreak>\\.\\s</beforebreak><afterbreak/></rule>\n"
        "</languagerule></languagerules><maprules>\n"
        "<languagemap languagepattern=\".*\" languagerulename=\"R\"/></maprules></body></srx>";
    tmk_error err = TMK_ERROR_INIT;
    tmk_segmenter *s = srx_new("en", "yes", body, &err);
    if (!s)
        fail_msg("%s", err.msg);
    collect c;
    run(s, "Head. One Abc. Two Hausnr. 5 aa. Three XYZ. Four. Five Head. Six.", 0, &c);
    assert_string_equal(c.text.data,
                        "Head. One Abc. Two Hausnr. 5 aa. Three XYZ. Four.|Five Head.|Six.");
    release(&c);
    tmk_segmenter_free(s);
}

typedef struct {
    const char *doc;
    unsigned long line, col;
    const char *msg_part;
} srx_error_case;

static void test_srx_errors_say_where(void **state)
{
    (void)state;
    static const srx_error_case bad[] = {
        {"<srx><body>\n  <languagerules>\n</srx>", 3, 3, "not a valid SRX file"},
        {"<other/>", 1, 1, "root element must be <srx>"},
        {"<srx>\n<body><languagerules><languagerule languagerulename=\"A\">\n"
         "  <rule><beforebreak>(abc</beforebreak><afterbreak/></rule>\n"
         "</languagerule></languagerules><maprules><languagemap languagepattern=\".*\" "
         "languagerulename=\"A\"/></maprules></body></srx>",
         3, 3, "not a usable regular expression"},
        {"<srx><body><languagerules/><maprules><languagemap languagepattern=\".*\" "
         "languagerulename=\"Nope\"/></maprules></body></srx>",
         1, 38, "does not define"},
        {"<srx><body><languagerules><languagerule languagerulename=\"A\"/></languagerules>\n"
         "<maprules>\n  <languagemap languagepattern=\"(de\" languagerulename=\"A\"/>"
         "</maprules></body></srx>",
         3, 3, "language pattern \"(de\" is not a usable"},
        {"<srx>\n<body><languagerules><languagerule languagerulename=\"A\">\n"
         "  <rule><beforebreak>[\\p{L}&amp;&amp;\\p{Lu}]</beforebreak><afterbreak/></rule>\n"
         "</languagerule></languagerules><maprules><languagemap languagepattern=\".*\" "
         "languagerulename=\"A\"/></maprules></body></srx>",
         3, 3, "Java class intersection that tmkit cannot translate"},
        {"<srx><body><languagerules/></body></srx>", 1, 1, "no <languagemap>"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        tmk_error err = TMK_ERROR_INIT;
        tmk_segmenter *s = NULL;
        tmk_segmenter_new_srx_mem(&s, "en", bad[i].doc, strlen(bad[i].doc), &err);
        assert_null(s);
        assert_int_equal(err.code, TMK_ESYNTAX);
        if (err.line != bad[i].line || err.col != bad[i].col || !strstr(err.msg, bad[i].msg_part))
            fail_msg("case %zu: got %lu:%lu: %s", i, err.line, err.col, err.msg);
    }
}

static void test_srx_unknown_language_is_an_error(void **state)
{
    (void)state;
    static const char body[] = "<languagerule languagerulename=\"A\"/></languagerules><maprules>"
                               "<languagemap languagepattern=\"de\" languagerulename=\"A\"/>"
                               "</maprules></body></srx>";
    tmk_error err = TMK_ERROR_INIT;
    assert_null(srx_new("fr", "yes", body, &err));
    assert_int_equal(err.code, TMK_EINVAL);
    assert_non_null(strstr(err.msg, "\"fr\""));
}

static void test_srx_dump_loads_again_with_same_result(void **state)
{
    (void)state;
    static const char *const langs[] = {"de", "en", "fr", "zh"};
    static const char text[] = "Dr. Meyer kam am 3. Oktober. Er sagte: „Gut.“ Mr. Smith "
                               "lives in the U.S. now. 今天很好。好的。";
    for (size_t i = 0; i < 4; i++) {
        tmk_segmenter *a = seg_new(langs[i]);
        tmk_buf dump = TMK_BUF_INIT;
        tmk_error err = TMK_ERROR_INIT;
        assert_int_equal(tmk_segmenter_dump_srx(a, &dump, &err), 0);
        tmk_segmenter *b = NULL;
        tmk_segmenter_new_srx_mem(&b, langs[i], dump.data, dump.len, &err);
        if (!b)
            fail_msg("%s: dump does not load: %lu:%lu: %s", langs[i], err.line, err.col, err.msg);
        collect ca, cb;
        run(a, text, 0, &ca);
        run(b, text, 3, &cb);
        assert_string_equal(ca.text.data, cb.text.data);
        release(&ca);
        release(&cb);
        tmk_buf_release(&dump);
        tmk_segmenter_free(a);
        tmk_segmenter_free(b);
    }
}

static void test_srx_dump_is_well_formed_for_any_language_code(void **state)
{
    (void)state;
    /* the code goes into an XML comment, where "--" is not allowed */
    static const char *const langs[] = {"x--y", "de---", "a\x01b", "-", "--"};
    for (size_t i = 0; i < sizeof langs / sizeof langs[0]; i++) {
        tmk_segmenter *a = seg_new(langs[i]);
        tmk_buf dump = TMK_BUF_INIT;
        tmk_error err = TMK_ERROR_INIT;
        assert_int_equal(tmk_segmenter_dump_srx(a, &dump, &err), 0);
        tmk_segmenter *b = NULL;
        tmk_segmenter_new_srx_mem(&b, langs[i], dump.data, dump.len, &err);
        if (!b)
            fail_msg("lang %zu: dump does not load: %lu:%lu: %s", i, err.line, err.col, err.msg);
        tmk_buf_release(&dump);
        tmk_segmenter_free(a);
        tmk_segmenter_free(b);
    }
}

/* internal (seg_int.h): the after-pattern as matched */
char *tmk__srx_after_for_matching(const char *after_src);

static void test_srx_trailing_dot_star_of_after_is_dropped_only_when_harmless(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } t[] = {
        {"[A-ZÄÖÜ].*", "[A-ZÄÖÜ]"}, {"\\s.*?", "\\s"},       {"x.*+", "x"},
        {".*", ""},                 {"\\p{Ll}.+", "\\p{Ll}."}, {"a.+?", "a."},
        {"\\.*", "\\.*"},           /* escaped dot: literal dots */
        {"\\\\.*", "\\\\"},         /* a backslash, then any characters */
        {"[.*]", "[.*]"},           {"[a.]*", "[a.]*"},     {"[[a].]*", "[[a].]*"},
        {"\\Q.*", "\\Q.*"},         {"\\Qa\\E.*", "\\Qa\\E"},  {"a|.*", "a|"},
        {"(a.*)", "(a.*)"},         {".*x", ".*x"},         {"a(?R)?.*", "a(?R)?.*"},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char *got = tmk__srx_after_for_matching(t[i].in);
        assert_non_null(got);
        if (strcmp(got, t[i].out))
            fail_msg("%s: got %s, want %s", t[i].in, got, t[i].out);
        free(got);
    }
}

static void test_segment_builtin_path_falls_back_to_default(void **state)
{
    (void)state;
    char *p = NULL;
    assert_int_equal(tmk_segmenter_builtin_path(&p, "de-CH", NULL, NULL), TMK_OK);
    assert_non_null(p);
    assert_non_null(strstr(p, "srx/de.srx"));
    free(p);
    assert_int_equal(tmk_segmenter_builtin_path(&p, "tlh", NULL, NULL), TMK_OK);
    assert_non_null(p);
    assert_non_null(strstr(p, "srx/default.srx"));
    free(p);
    assert_int_equal(tmk_segmenter_builtin_path(&p, "../../etc", NULL, NULL), TMK_OK);
    assert_non_null(p);
    assert_non_null(strstr(p, "srx/default.srx"));
    free(p);
}

/* Two segmenters with different data folders in one process (no
 * process-wide setting): each finds the built-in rules of its own folder
 * (DATA_DIR/srx/qx.srx: one breaks after "|", the other after "#"). */
static void test_segment_data_dir_is_per_segmenter(void **state)
{
    (void)state;
    static const char srx_fmt[] =
        "<?xml version=\"1.0\"?>\n"
        "<srx xmlns=\"http://www.lisa.org/srx20\" version=\"2.0\">\n"
        "<header cascade=\"no\"/><body><languagerules>\n"
        "<languagerule languagerulename=\"Q\">\n"
        "<rule break=\"yes\"><beforebreak>%s</beforebreak><afterbreak>\\s</afterbreak></rule>\n"
        "</languagerule></languagerules><maprules>\n"
        "<languagemap languagepattern=\".*\" languagerulename=\"Q\"/>\n"
        "</maprules></body></srx>\n";
    const char *mark[2] = {"\\|", "#"};
    /* the segments joined with "|" */
    const char *want[2] = {"eins||zwei# drei", "eins| zwei#|drei"};
    char dir[2][32], path[2][96];
    tmk_segmenter *sg[2] = {NULL, NULL};
    for (int k = 0; k < 2; k++) {
        snprintf(dir[k], sizeof dir[k], "test_segment-data-XXXXXX");
        assert_non_null(mkdtemp(dir[k]));
        snprintf(path[k], sizeof path[k], "%s/srx", dir[k]);
        assert_int_equal(mkdir(path[k], 0700), 0);
        snprintf(path[k], sizeof path[k], "%s/srx/qx.srx", dir[k]);
        FILE *f = fopen(path[k], "w");
        assert_non_null(f);
        fprintf(f, srx_fmt, mark[k]);
        assert_int_equal(fclose(f), 0);
    }
    for (int k = 0; k < 2; k++) {
        tmk_segment_options o = TMK_SEGMENT_OPTIONS_INIT;
        o.data_dir = dir[k];
        tmk_error err = TMK_ERROR_INIT;
        if (tmk_segmenter_new_opt(&sg[k], "qx-QX", NULL, &o, &err) < 0)
            fail_msg("tmk_segmenter_new_opt: %s", err.msg);
        char *p = NULL;
        assert_int_equal(tmk_segmenter_builtin_path(&p, "qx", dir[k], &err), TMK_OK);
        assert_string_equal(p, path[k]);
        tmk_free(p);
    }
    for (int k = 0; k < 2; k++) {
        collect c;
        run(sg[k], "eins| zwei# drei", 0, &c);
        assert_string_equal(c.text.data, want[k]);
        release(&c);
        tmk_segmenter_free(sg[k]);
    }
    /* without a data folder: not there (the installed default rules) */
    char *p = NULL;
    assert_int_equal(tmk_segmenter_builtin_path(&p, "qx", NULL, NULL), TMK_OK);
    assert_non_null(strstr(p, "srx/default.srx"));
    tmk_free(p);
    for (int k = 0; k < 2; k++) {
        unlink(path[k]);
        snprintf(path[k], sizeof path[k], "%s/srx", dir[k]);
        rmdir(path[k]);
        rmdir(dir[k]);
    }
}

static void test_segment_long_paragraph_is_linear(void **state)
{
    (void)state;
    /* 20000 sentences on one line: must finish quickly and find them all */
    tmk_buf big = TMK_BUF_INIT;
    for (int i = 0; i < 20000; i++)
        tmk_buf_adds(&big, "Das ist am 3. Mai ein Satz mit Dr. Meyer. ");
    tmk_segmenter *s = seg_new("de");
    collect c;
    run(s, big.data, 4096, &c);
    assert_int_equal(c.count, 20000);
    release(&c);
    tmk_buf_release(&big);
    tmk_segmenter_free(s);
}

unsigned long long tmk__seg_work_bound(const tmk_segmenter *s);

/* SRX matching work of a text is bounded linearly in its size in every
 * paragraph mode: the rule "(a|aa)+" before "\." tries every way to split a
 * run of a's at every start position, under PCRE2's per-call limit at each.
 * The budget stops the text (TMK_ELIMIT) and the steps its matches may have
 * taken, (positions a call may try) x (its limit) summed over the calls,
 * stay within the documented model: 100 million + 100 per byte charged, plus
 * 10,000 uncharged per start position tried (each at most twice per scan). */
static void test_srx_backtracking_is_bounded_per_text_in_every_mode(void **state)
{
    (void)state;
    static const char body[] =
        "<languagerule languagerulename=\"x\">\n"
        "<rule break=\"yes\"><beforebreak>(a|aa)+</beforebreak><afterbreak>\\.</afterbreak>"
        "</rule>\n</languagerule></languagerules><maprules>\n"
        "<languagemap languagepattern=\".*\" languagerulename=\"x\"/>\n"
        "</maprules></body></srx>\n";
    tmk_buf text = TMK_BUF_INIT;
    for (int i = 0; i < 400; i++)
        tmk_buf_adds(&text, i % 100 == 99 ? "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n\n"
                                          : "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n");
    const unsigned long long n = text.len;
    const unsigned long long most = 100000000ull + 100ull * n + 2ull * 10000ull * (n + 1);
    static const enum tmk_segment_paragraph_mode modes[] = {TMK_PARA_AUTO, TMK_PARA_WRAPPED,
                                                    TMK_PARA_BLANK, TMK_PARA_LINE};
    for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
        tmk_error err = TMK_ERROR_INIT;
        tmk_segmenter *s = srx_new("de", "yes", body, &err);
        assert_non_null(s);
        tmk_segmenter_set_paragraph_mode(s, modes[m], NULL);
        collect c = {TMK_BUF_INIT, TMK_BUF_INIT, 0};
        int rc = tmk_segmenter_feed(s, text.data, text.len, on_seg, &c, &err);
        if (rc == 0)
            rc = tmk_segmenter_finish(s, on_seg, &c, &err);
        assert_int_equal(rc, TMK_ELIMIT);
        assert_non_null(strstr(err.msg, "backtracks too much"));
        unsigned long long bound = tmk__seg_work_bound(s);
        if (bound > most)
            fail_msg("mode %d: up to %llu regex steps for %llu bytes (most %llu)", (int)modes[m],
                     bound, n, most);
        release(&c);
        tmk_segmenter_free(s);
    }
    tmk_buf_release(&text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_segment_builtin_cases_in_any_chunking),
        cmocka_unit_test(test_segment_positions_are_line_col_offset),
        cmocka_unit_test(test_segment_soft_wrapped_lines_are_joined),
        cmocka_unit_test(test_segment_unknown_paragraph_mode_is_refused),
        cmocka_unit_test(test_segment_soft_wrap_after_abbreviation_is_joined),
        cmocka_unit_test(test_segment_wrapped_text_is_detected_and_joined),
        cmocka_unit_test(test_segment_text_with_a_paragraph_per_line_is_not_wrapped),
        cmocka_unit_test(test_segment_wrapped_in_bytes_is_detected),
        cmocka_unit_test(test_segment_wrapped_dash_without_space_is_not_a_bullet),
        cmocka_unit_test(test_segment_blank_mode_joins_lines),
        cmocka_unit_test(test_segment_rejects_invalid_utf8),
        cmocka_unit_test(test_segment_nul_byte_is_reported_where_it_is),
        cmocka_unit_test(test_segment_callback_can_stop),
        cmocka_unit_test(test_segment_callback_code_is_passed_back),
        cmocka_unit_test(test_segment_new_reports_its_error),
        cmocka_unit_test(test_srx_cascade_uses_all_matching_maps),
        cmocka_unit_test(test_srx_without_cascade_uses_first_map_only),
        cmocka_unit_test(test_srx_java_syntax_is_translated),
        cmocka_unit_test(test_srx_runs_of_no_break_rules_act_like_each_rule),
        cmocka_unit_test(test_srx_errors_say_where),
        cmocka_unit_test(test_srx_unknown_language_is_an_error),
        cmocka_unit_test(test_srx_dump_loads_again_with_same_result),
        cmocka_unit_test(test_srx_dump_is_well_formed_for_any_language_code),
        cmocka_unit_test(test_srx_trailing_dot_star_of_after_is_dropped_only_when_harmless),
        cmocka_unit_test(test_segment_builtin_path_falls_back_to_default),
        cmocka_unit_test(test_segment_data_dir_is_per_segmenter),
        cmocka_unit_test(test_segment_long_paragraph_is_linear),
        cmocka_unit_test(test_srx_backtracking_is_bounded_per_text_in_every_mode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
