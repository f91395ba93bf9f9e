/* tmx_cli.c -- helpers shared by the TMX subcommands. */
#include <config.h>
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "tmx_cli.h"

int tmxcli_lang_match(const char *lang, const char *want) { return tmk_lang_match(lang, want); }

long tmxcli_find(const tmk_tu *tu, const char *want) { return tmk_tmx_find_tuv(tu, want); }

long tmxcli_source(const tmk_tu *tu, const char *header_srclang)
{
    return tmk_tmx_source_tuv(tu, header_srclang);
}

long tmxcli_other(const tmk_tu *tu, long src)
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

int tmxcli_text(const tmk_tuv *v, int keep_markup, tmk_buf *out)
{
    if (keep_markup || !v->markup)
        return tmk_buf_add(out, v->seg, v->seg_len);
    return tmk_tmx_seg_plain(v->seg, v->seg_len, 1, out);
}

uint64_t tmxcli_hash(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
        h ^= h >> 31;
    }
    for (; i < len; i++)
        h = (h ^ p[i]) * 0x100000001b3ULL;
    return (h ^ len) * 0xbf58476d1ce4e5b9ULL;
}

int tmxcli_attrs_with_srclang(const tmk_tu *tu, const char *lang, tmk_tmx_attr **out)
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
