/* report.c -- spell-check report formats shared by build and spell. */
#include <config.h>
#include <string.h>
#include <strings.h>
#include "report.h"

static int has_ext(const char *path, const char *ext)
{
    const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    return dot && dot != base && !strcasecmp(dot + 1, ext);
}

int report_format(const char *path, const char *given, enum report_fmt *out)
{
    static const struct {
        const char *name;
        enum report_fmt fmt;
    } names[] = {{"text", REPORT_TEXT}, {"txt", REPORT_TEXT}, {"csv", REPORT_CSV},
                 {"json", REPORT_JSON}, {"jsonl", REPORT_JSON}, {"html", REPORT_HTML},
                 {"htm", REPORT_HTML}};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        if (given ? !strcmp(given, names[i].name) : (path && has_ext(path, names[i].name))) {
            *out = names[i].fmt;
            return 0;
        }
    }
    *out = REPORT_TEXT;
    return given ? -1 : 0;
}

static void put_csv(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void put_esc(FILE *f, const char *s, int json)
{
    tmk_buf b = TMK_BUF_INIT;
    if ((json ? tmk_buf_add_json(&b, s, strlen(s)) : tmk_buf_add_xml(&b, s, strlen(s))) == 0)
        fwrite(b.data, 1, b.len, f);
    tmk_buf_release(&b);
}

#define TOO_LONG "not checked: longer than %d characters"

void report_begin(FILE *f, enum report_fmt fmt)
{
    if (fmt == REPORT_CSV)
        fputs("file,line,column,word,suggestions\r\n", f);
    else if (fmt == REPORT_HTML)
        fputs("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n"
              "<title>Spell-check report</title>\n<style>\n"
              "body{font-family:system-ui,sans-serif;margin:2em auto;max-width:60em;"
              "padding:0 1em;color:#222}\ntable{border-collapse:collapse;width:100%}"
              "th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left}"
              "th{background:#f3f3f3}\n</style>\n</head>\n<body>\n"
              "<h1>Spell-check report</h1>\n<table>\n<thead><tr><th>Position</th>"
              "<th>Word</th><th>Suggestions</th></tr></thead>\n<tbody>\n",
              f);
}

void report_hit(FILE *f, enum report_fmt fmt, const char *file, unsigned long line,
                unsigned long col, const tmk_spell_hit *h)
{
    switch (fmt) {
    case REPORT_TEXT:
        fprintf(f, "%s:%lu:%lu: %s", file, line, col, h->word);
        if (h->too_long)
            fprintf(f, ": (" TOO_LONG ")", TMK_SPELL_MAX_WORD);
        for (size_t k = 0; k < h->nsugg; k++)
            fprintf(f, "%s%s", k ? ", " : ": ", h->sugg[k]);
        fputc('\n', f);
        break;
    case REPORT_CSV: {
        put_csv(f, file);
        fprintf(f, ",%lu,%lu,", line, col);
        put_csv(f, h->word);
        fputc(',', f);
        tmk_buf s = TMK_BUF_INIT;
        for (size_t k = 0; k < h->nsugg; k++)
            tmk_buf_adds(&s, k ? ", " : ""), tmk_buf_adds(&s, h->sugg[k]);
        put_csv(f, s.data ? s.data : "");
        tmk_buf_release(&s);
        fputs("\r\n", f);
        break;
    }
    case REPORT_JSON:
        fputs("{\"file\":\"", f);
        put_esc(f, file, 1);
        fprintf(f, "\",\"line\":%lu,\"column\":%lu,\"word\":\"", line, col);
        put_esc(f, h->word, 1);
        fputs("\",\"suggestions\":[", f);
        for (size_t k = 0; k < h->nsugg; k++) {
            fputs(k ? ",\"" : "\"", f);
            put_esc(f, h->sugg[k], 1);
            fputc('"', f);
        }
        fputs(h->too_long ? "],\"too_long\":true}\n" : "]}\n", f);
        break;
    case REPORT_HTML:
        fputs("<tr><td>", f);
        put_esc(f, file, 0);
        fprintf(f, ":%lu:%lu</td><td>", line, col);
        put_esc(f, h->word, 0);
        fputs("</td><td>", f);
        if (h->too_long)
            fprintf(f, TOO_LONG, TMK_SPELL_MAX_WORD);
        for (size_t k = 0; k < h->nsugg; k++) {
            if (k)
                fputs(", ", f);
            put_esc(f, h->sugg[k], 0);
        }
        fputs("</td></tr>\n", f);
        break;
    }
}

void report_end(FILE *f, enum report_fmt fmt, size_t nhits)
{
    if (fmt == REPORT_HTML)
        fprintf(f, "</tbody>\n</table>\n<p>%zu flagged word%s.</p>\n</body>\n</html>\n", nhits,
                nhits == 1 ? "" : "s");
}
