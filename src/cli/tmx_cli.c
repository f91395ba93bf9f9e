/* tmx_cli.c -- helpers shared by the TMX subcommands. */
#include <config.h>
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "tmx_cli.h"

int tmxcli_lang_match(const char *lang, const char *want) { return tmk_lang_match(lang, want); }

long tmxcli_find(const tmk_tmx_tu *tu, const char *want) { return tmk_tmx_find_tuv(tu, want); }

long tmxcli_source(const tmk_tmx_tu *tu, const char *header_srclang)
{
    return tmk_tmx_source_tuv(tu, header_srclang);
}

long tmxcli_other(const tmk_tmx_tu *tu, long src)
{
    for (size_t i = 0; i < tu->ntuvs; i++)
        if ((long)i != src)
            return (long)i;
    return -1;
}

int tmxcli_parse_pair(const char *arg, char **s, char **t)
{
    const char *comma = strchr(arg, ',');
    if (!comma || comma == arg || !comma[1] || strchr(comma + 1, ','))
        return -1;
    *s = strndup(arg, (size_t)(comma - arg));
    *t = strdup(comma + 1);
    if (!*s || !*t || !tmk_lang_valid(*s) || !tmk_lang_valid(*t)) {
        free(*s);
        free(*t);
        *s = *t = NULL;
        return -1;
    }
    return 0;
}

int tmxcli_text(const tmk_tmx_tuv *v, int keep_markup, tmk_buf *out)
{
    if (keep_markup || !v->markup)
        return tmk_buf_add(out, v->seg, v->seg_len);
    return tmk_tmx_seg_plain(v->seg, v->seg_len, 1, out);
}

int tmxcli_attrs_with_srclang(const tmk_tmx_tu *tu, const char *lang, tmk_tmx_attr **out)
{
    *out = malloc((tu->nattrs + 1) * sizeof **out);
    if (!*out)
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < tu->nattrs; i++)
        if (strcmp(tu->attrs[i].name, "srclang"))
            (*out)[n++] = tu->attrs[i];
    if (lang) {
        (*out)[n].name = "srclang";
        (*out)[n].value = lang;
        n++;
    }
    return (int)n;
}
