/* report.h -- the format of a spell-check report, chosen from its file name
 * (.html, .csv, .json/.jsonl, else text) unless given, and the report
 * `tmkit build --report` writes in each format. */
#ifndef TMK_CLI_REPORT_H
#define TMK_CLI_REPORT_H

#include <stdio.h>
#include "tmkit/tmkit.h"

enum report_fmt { REPORT_TEXT, REPORT_CSV, REPORT_JSON, REPORT_HTML };

/* The format for a report written to path: given (text, csv, json, html)
 * when not NULL, else by the extension of path ("-" and others: text).
 * Returns 0, or -1 when given is no format name. */
int report_format(const char *path, const char *given, enum report_fmt *out);

/* build's report: begin, one call per flagged word, end (HTML needs the
 * frame; CSV its header line). */
void report_begin(FILE *f, enum report_fmt fmt);
void report_hit(FILE *f, enum report_fmt fmt, const char *file, unsigned long line,
                unsigned long col, const tmk_spell_hit *h);
void report_end(FILE *f, enum report_fmt fmt, size_t nhits);

#endif
