/* tmx_cli.h -- what the TMX subcommands (validate, stats, convert, filter,
 * merge) share: choosing the source and target tuv of a unit, language
 * matching, reading a file through a reader with error reporting. */
#ifndef TMK_TMX_CLI_H
#define TMK_TMX_CLI_H

#include <stdint.h>
#include "tmkit/tmkit.h"

#define TMXCLI_TRY(x)                                                          \
    do {                                                                       \
        int tmxcli_rc_ = (x);                                                  \
        if (tmxcli_rc_ < 0)                                                    \
            return tmxcli_rc_;                                                 \
    } while (0)

/* Whether the tuv language lang matches the wanted code: equal ignoring
 * case and '_' vs '-', or want has no region and lang's primary subtag
 * equals it ("de" matches "de-DE"). */
int tmxcli_lang_match(const char *lang, const char *want);

/* The source tuv of a unit: the tuv in tu@srclang, else in the header's
 * srclang (when not *all*), else the first.  Returns an index or -1. */
long tmxcli_source(const tmk_tmx_tu *tu, const char *header_srclang);
/* The first tuv that matches want, or -1. */
long tmxcli_find(const tmk_tmx_tu *tu, const char *want);
/* The first tuv other than src, or -1. */
long tmxcli_other(const tmk_tmx_tu *tu, long src);

/* Parse "de-DE,en-US" into two malloc'ed codes; returns 0 or -1. */
/* The unit's attributes with srclang set to lang (NULL: removed), in a new
 * array (*out, freed by the caller with free()).  A unit written with other
 * tuvs or other language spellings than it was read with says its source
 * language this way.  Returns the number of attributes, -1 on no memory. */
int tmxcli_attrs_with_srclang(const tmk_tmx_tu *tu, const char *lang, tmk_tmx_attr **out);
int tmxcli_parse_pair(const char *arg, char **s, char **t);

/* Append the text of a tuv: plain (markup stripped) or as stored. */
int tmxcli_text(const tmk_tmx_tuv *v, int keep_markup, tmk_buf *out);

#endif
