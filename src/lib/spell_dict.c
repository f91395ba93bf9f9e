/* spell_dict.c -- dictionaries and word lists.
 *
 * Finding a dictionary by name (the folders of the options, the system
 * folders, the project's) or language, opening it by path, the texts of
 * the .aff copies for the suggestion handles, the BREAK rules, and the
 * word lists whose entries go into every Hunspell handle.
 */
#include <config.h>
#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "internal.h"
#include "spell_int.h"


static int readable(const char *p) { return p && access(p, R_OK) == 0; }

char *tmk__spell_concat3(const char *a, const char *b, const char *c)
{
    size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
    char *p = malloc(la + lb + lc + 1);
    if (p) {
        memcpy(p, a, la);
        memcpy(p + la, b, lb);
        memcpy(p + la + lb, c, lc + 1);
    }
    return p;
}

static const char *const system_dirs[] = {
    "/usr/share/hunspell", "/usr/share/myspell", "/usr/share/myspell/dicts",
    "/usr/local/share/hunspell", "/usr/local/share/myspell", "/opt/homebrew/share/hunspell",
    "/Library/Spelling",
};

/* Try dir/name.{aff,dic}; on success fills d. */
static int try_dir(const char *dir, size_t dlen, const char *name, struct dict *d)
{
    char *base = malloc(dlen + strlen(name) + 2);
    if (!base)
        return TMK_ENOMEM;
    memcpy(base, dir, dlen);
    base[dlen] = '/';
    strcpy(base + dlen + 1, name);
    char *aff = tmk__spell_concat3(base, ".aff", ""), *dic = tmk__spell_concat3(base, ".dic", "");
    free(base);
    if (aff && dic && readable(aff) && readable(dic)) {
        d->aff = aff;
        d->dic = dic;
        return 1;
    }
    free(aff);
    free(dic);
    return (aff && dic) ? 0 : TMK_ENOMEM;
}


/* Look a dictionary name up in the folders of dirs->path, the system
 * folders, dirs->home/Library/Spelling and the project's
 * dictionaries/hunspell folder.  1 found, 0 not, < 0 error. */
static int find_by_name(const struct tmk__dirs *dirs, const char *name, struct dict *d)
{
    int rc;
    const char *dp = dirs->path;
    while (dp && *dp) {
        const char *e = strchr(dp, ':');
        size_t l = e ? (size_t)(e - dp) : strlen(dp);
        if (l && (rc = try_dir(dp, l, name, d)) != 0)
            return rc;
        dp = e ? e + 1 : NULL;
    }
    for (size_t i = 0; i < sizeof system_dirs / sizeof *system_dirs; i++)
        if ((rc = try_dir(system_dirs[i], strlen(system_dirs[i]), name, d)) != 0)
            return rc;
    const char *home = dirs->home;
    if (home && *home) {
        char *p = tmk__spell_concat3(home, "/Library/Spelling", "");
        if (!p)
            return TMK_ENOMEM;
        rc = try_dir(p, strlen(p), name, d);
        free(p);
        if (rc)
            return rc;
    }
    char *rel = tmk__spell_concat3("hunspell/", name, ".dic");
    if (!rel)
        return TMK_ENOMEM;
    char *p = tmk__data_path(dirs->data, rel);
    free(rel);
    if (p) {
        char *slash = strrchr(p, '/');
        rc = try_dir(p, (size_t)(slash - p), name, d);
        free(p);
        if (rc)
            return rc;
    }
    return 0;
}

static int has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcmp(s + a - b, suf);
}

static int not_found(tmk_error *err, const char *name)
{
    /* Debian names the packages hunspell-de-de, hunspell-en-us */
    char pkg[64];
    size_t k = 0;
    for (const char *p = name; *p && k < sizeof pkg - 1; p++)
        pkg[k++] = (*p == '_') ? '-' : (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
    pkg[k] = '\0';
    /* what the library did; the program adds how its user gives a folder or
     * a file (tmkit: DICPATH, -d) on the detail code */
    return tmk_error_set_detail(err, TMK_ENOTFOUND, TMK_D_NO_DICTIONARY, 0, 0,
                                "no Hunspell dictionary \"%s\" (looked in the dictionary "
                                "folders given, /usr/share/hunspell and the other usual "
                                "folders); install it (on Debian: apt-get install hunspell-%s)",
                                name, pkg);
}

int tmk__dict_resolve(const struct tmk__dirs *dirs, const char *spec, struct dict *d,
                        tmk_error *err)
{
    int by_path = strchr(spec, '/') || has_suffix(spec, ".dic") || has_suffix(spec, ".aff");
    if (!by_path) {
        int rc = find_by_name(dirs, spec, d);
        if (rc < 0)
            return tmk_error_set(err, rc, 0, 0, "out of memory");
        if (rc == 0)
            return not_found(err, spec);
        d->name = tmk__strdup(spec);
    } else {
        size_t l = strlen(spec);
        if (has_suffix(spec, ".dic") || has_suffix(spec, ".aff"))
            l -= 4;
        char *base = tmk__strndup(spec, l);
        if (!base)
            return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        d->aff = tmk__spell_concat3(base, ".aff", "");
        d->dic = tmk__spell_concat3(base, ".dic", "");
        const char *slash = strrchr(base, '/');
        d->name = tmk__strdup(slash ? slash + 1 : base);
        free(base);
        if (!d->aff || !d->dic || !d->name)
            return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        const char *missing = !readable(d->dic) ? d->dic : !readable(d->aff) ? d->aff : NULL;
        if (missing)
            return tmk_error_set(err, TMK_ENOTFOUND, 0, 0,
                                 "cannot read the dictionary file %s (%s); a Hunspell "
                                 "dictionary is a .dic file with its .aff file beside it",
                                 missing, strerror(errno));
    }
    /* (no name: out of memory, and nothing to concatenate) */
    d->label = d->name && d->dic ? tmk__spell_concat3(d->name, " ", d->dic) : NULL;
    if (!d->name || !d->label)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    return TMK_OK;
}

/* A TRY line of a UTF-8 .aff without the capitals whose small letter is
 * in it too: Hunspell inserts and replaces every TRY character at every
 * position, and capitals inside a word are rarely the fix (its case
 * handling still tries the word's capitalised forms), so the fast stages
 * do about half the work.  Appends the line to out. */
static int add_try_line(tmk_buf *out, const char *p, size_t l)
{
    size_t a = 4, e = l;
    while (a < e && (p[a] == ' ' || p[a] == '\t'))
        a++;
    while (e > a && (p[e - 1] == '\n' || p[e - 1] == '\r' || p[e - 1] == ' '))
        e--;
    if (tmk_utf8_valid_prefix(p + a, e - a) != e - a)
        return tmk_buf_add(out, p, l);
    TMK_TRY(tmk_buf_adds(out, "TRY "));
    for (size_t i = a; i < e;) {
        size_t adv;
        int32_t c = tmk_utf8_decode(p + i, e - i, &adv);
        int keep = 1;
        if (c >= 0 && tmk_utf8_is_upper(c) && tmk_utf8_tolower(c) != c) {
            /* dropped only when the small letter is there */
            char low[4];
            int k = tmk_utf8_encode(tmk_utf8_tolower(c), low);
            for (size_t j = a; k > 0 && j + (size_t)k <= e && keep; j++)
                keep = memcmp(p + j, low, (size_t)k) != 0;
        }
        if (keep)
            TMK_TRY(tmk_buf_add(out, p + i, adv));
        i += adv;
    }
    return tmk_buf_addch(out, '\n');
}

/* d->fast_aff: the .aff text without its MAXNGRAMSUGS and MAXCPDSUGS
 * lines, with both set to 0, and in a UTF-8 .aff a shorter TRY line (see
 * add_try_line).  Left NULL when the file cannot be read. */
void tmk__dict_aff_texts(struct dict *d)
{
    tmk_buf in = TMK_BUF_INIT, out = TMK_BUF_INIT;
    tmk_error e = TMK_ERROR_INIT;
    if (tmk_io_read_file(d->aff, &in, &e) < 0) {
        tmk_buf_release(&in);
        return;
    }
    int ok = 1, utf8 = 0;
    for (size_t i = 0; i < in.len;) {
        const char *p = in.data + i, *nl = memchr(p, '\n', in.len - i);
        size_t l = nl ? (size_t)(nl - p) + 1 : in.len - i;
        if (l > 4 && !strncmp(p, "SET", 3) && (p[3] == ' ' || p[3] == '\t')) {
            const char *q = p + 4;
            while (*q == ' ' || *q == '\t')
                q++;
            utf8 = !strncasecmp(q, "UTF-8", 5);
        }
        i += l;
    }
    for (size_t i = 0; i < in.len && ok;) {
        const char *p = in.data + i, *nl = memchr(p, '\n', in.len - i);
        size_t l = nl ? (size_t)(nl - p) + 1 : in.len - i;
        int drop = (l > 12 && !strncmp(p, "MAXNGRAMSUGS", 12) && (p[12] == ' ' || p[12] == '\t')) ||
                   (l > 10 && !strncmp(p, "MAXCPDSUGS", 10) && (p[10] == ' ' || p[10] == '\t'));
        if (utf8 && l > 4 && !strncmp(p, "TRY", 3) && (p[3] == ' ' || p[3] == '\t'))
            ok = add_try_line(&out, p, l) == 0;
        else if (!drop)
            ok = tmk_buf_add(&out, p, l) == 0;
        i += l;
    }
    if (ok && out.len && out.data[out.len - 1] != '\n')
        ok = tmk_buf_addch(&out, '\n') == 0;
    /* the n-gram handles: only the n-gram stage finds anything (the
     * stages before it found nothing with the full dictionary), so the
     * tables of the other stages go */
    tmk_buf ng = TMK_BUF_INIT;
    static const char *const edit_tables[] = {"MAXNGRAMSUGS", "MAXCPDSUGS", "TRY", "REP", "MAP",
                                              "KEY", "NOSPLITSUGS"};
    for (size_t i = 0; i < out.len && ok;) {
        const char *p = out.data + i, *nl = memchr(p, '\n', out.len - i);
        size_t l = nl ? (size_t)(nl - p) + 1 : out.len - i;
        int drop = 0;
        for (size_t k = 0; k < sizeof edit_tables / sizeof *edit_tables && !drop; k++) {
            size_t kl = strlen(edit_tables[k]);
            drop = l > kl && !strncmp(p, edit_tables[k], kl) &&
                   (p[kl] == ' ' || p[kl] == '\t' || p[kl] == '\n' || p[kl] == '\r');
        }
        if (!drop)
            ok = tmk_buf_add(&ng, p, l) == 0;
        i += l;
    }
    if (ok)
        ok = tmk_buf_adds(&ng, "MAXCPDSUGS 0\nNOSPLITSUGS\n") == 0 &&
             tmk_buf_adds(&out, "MAXNGRAMSUGS 0\nMAXCPDSUGS 0\n") == 0;
    tmk_buf_release(&in);
    if (!ok) {
        tmk_buf_release(&out);
        tmk_buf_release(&ng);
        return;
    }
    d->fast_aff = tmk_buf_detach(&out, &d->fast_len);
    d->ngram_aff = tmk_buf_detach(&ng, &d->ngram_len);
}

/* The BREAK patterns of an .aff file: Hunspell's default (no BREAK line)
 * is "-", "^-", "-$". */
void tmk__dict_read_breaks(const char *aff, int *hyphen, int *dot)
{
    FILE *f = fopen(aff, "r");
    char line[256];
    int any = 0, hy = 0, dt = 0;
    while (f && fgets(line, sizeof line, f)) {
        if (strncmp(line, "BREAK", 5) || (line[5] != ' ' && line[5] != '\t'))
            continue;
        char *p = line + 5;
        while (*p == ' ' || *p == '\t')
            p++;
        size_t l = strcspn(p, " \t\r\n");
        any = 1;
        if (l == 1 && *p == '-')
            hy = 1;
        else if (l == 1 && *p == '.')
            dt = 1;
    }
    if (f)
        fclose(f);
    if (!any)
        hy = 1;
    *hyphen &= hy;
    *dot &= dt;
}

/* "de-DE" -> "de_DE"; "de" -> "de_DE", else the first de_* found. */
int tmk__dict_for_lang(const struct tmk__dirs *dirs, const char *lang, struct dict *d,
                         tmk_error *err)
{
    char l[16], r[16];
    size_t i = 0, j = 0;
    const char *p = lang;
    while (*p && *p != '-' && *p != '_' && i < sizeof l - 1)
        l[i++] = (char)((*p >= 'A' && *p <= 'Z') ? *p++ + 32 : *p++);
    l[i] = '\0';
    if (*p == '-' || *p == '_')
        p++;
    while (*p && *p != '-' && *p != '_' && j < sizeof r - 1)
        r[j++] = (char)((*p >= 'a' && *p <= 'z') ? *p++ - 32 : *p++);
    r[j] = '\0';
    if (!i)
        return tmk_error_set(err, TMK_EINVAL, 0, 0, "\"%s\" is not a language code; use a "
                             "code such as de-DE or en-US", lang);
    char name[40];
    if (j == 2) {
        /* LibreOffice's German dictionary (Debian: hunspell-de-de-frami,
         * de_DE_frami) knows current words the older de_DE lacks: it is
         * preferred where both are installed */
        snprintf(name, sizeof name, "%s_%s_frami", l, r);
        int rc = find_by_name(dirs, name, d);
        snprintf(name, sizeof name, "%s_%s", l, r);
        if (rc == 0)
            rc = find_by_name(dirs, name, d);
        if (rc < 0)
            return tmk_error_set(err, rc, 0, 0, "out of memory");
        if (rc == 0)
            return not_found(err, name);
    } else {
        /* the main country of the language first (de_DE, fr_FR), then the
         * bare name (de), then the first region found in the usual folder */
        snprintf(name, sizeof name, "%s_%c%c_frami", l, l[0] - 32, l[1] ? l[1] - 32 : 0);
        int rc = i == 2 ? find_by_name(dirs, name, d) : 0;
        snprintf(name, sizeof name, "%s_%c%c", l, l[0] - 32, l[1] ? l[1] - 32 : 0);
        if (rc == 0 && i == 2)
            rc = find_by_name(dirs, name, d);
        if (rc == 0)
            rc = find_by_name(dirs, l, d), snprintf(name, sizeof name, "%s", l);
        static const char *const regions[] = {"US", "GB", "AT", "CH", "BR", "PT", "BE", "CA"};
        for (size_t k = 0; rc == 0 && k < sizeof regions / sizeof *regions; k++) {
            snprintf(name, sizeof name, "%s_%s", l, regions[k]);
            rc = find_by_name(dirs, name, d);
        }
        if (rc < 0)
            return tmk_error_set(err, rc, 0, 0, "out of memory");
        if (rc == 0)
            return not_found(err, l);
    }
    d->name = tmk__strdup(name);
    d->label = tmk__spell_concat3(name, " ", d->dic);
    if (!d->name || !d->label)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    return TMK_OK;
}

/* ---- word lists ---------------------------------------------------------- */

static int add_entry(tmk_speller *sp, const char *s, size_t n)
{
    struct entry *e = realloc(sp->entries, (sp->nentries + 1) * sizeof *e);
    if (!e)
        return TMK_ENOMEM;
    sp->entries = e;
    e = &sp->entries[sp->nentries];
    const char *slash = memchr(s, '/', n);
    if (slash && slash > s && slash + 1 < s + n) {
        e->word = tmk__strndup(s, (size_t)(slash - s));
        e->model = tmk__strndup(slash + 1, n - (size_t)(slash - s) - 1);
        if (!e->word || !e->model) {
            free(e->word);
            free(e->model);
            return TMK_ENOMEM;
        }
    } else {
        e->word = tmk__strndup(s, n);
        e->model = NULL;
        if (!e->word)
            return TMK_ENOMEM;
    }
    sp->nentries++;
    return TMK_OK;
}

int tmk__spell_load_wordlist(tmk_speller *sp, const char *path, tmk_error *err)
{
    tmk_buf b = TMK_BUF_INIT;
    tmk_error e2 = TMK_ERROR_INIT;
    int rrc = tmk_io_read_file_max(path, &b, TMK_WORDLIST_MAX, &e2);
    if (rrc == TMK_ELIMIT) {
        tmk_buf_release(&b);
        if (err)
            tmk_error_set_file(err, path);
        return tmk_error_set(err, TMK_ELIMIT, 0, 0,
                             "the word list is larger than %zu MiB, the most tmkit reads; give "
                             "a text file with one word per line",
                             TMK_WORDLIST_MAX >> 20);
    }
    if (rrc < 0) {
        tmk_buf_release(&b);
        return tmk_error_set(err, TMK_ENOTFOUND, 0, 0,
                             "cannot read the word list %s (%s); give a text file with one "
                             "word per line",
                             path, e2.msg[0] ? e2.msg : "missing");
    }
    size_t valid = tmk_utf8_valid_prefix(b.data, b.len);
    const char *nul = memchr(b.data, '\0', valid);
    if (valid < b.len || nul) {
        size_t at = nul ? (size_t)(nul - b.data) : valid;
        unsigned long line = 1;
        for (size_t i = 0; i < at; i++)
            line += b.data[i] == '\n';
        tmk_buf_release(&b);
        if (err)
            tmk_error_set_file(err, path);
        if (nul)
            return tmk_error_set_detail(err, TMK_EENCODING, TMK_D_NUL_BYTE, line, 0,
                                 "NUL byte in the word list (a binary file?); give a text "
                                 "file with one word per line, in UTF-8");
        return tmk_error_set(err, TMK_EENCODING, line, 0,
                             "the word list is not valid UTF-8; save it as UTF-8");
    }
    const char *p = b.data, *end = b.data + b.len;
    if (end - p >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
        p += 3;
    int rc = TMK_OK;
    while (p < end && rc == TMK_OK) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *a = p, *z = le;
        while (a < z && (*a == ' ' || *a == '\t'))
            a++;
        for (const char *h = a + 1; h < z; h++)
            if (*h == '#' && (h[-1] == ' ' || h[-1] == '\t')) {
                z = h; /* "word  # comment" */
                break;
            }
        while (z > a && (z[-1] == ' ' || z[-1] == '\t' || z[-1] == '\r'))
            z--;
        if (a < z && *a != '#') {
            tmk_buf nfc = TMK_BUF_INIT;
            rc = tmk_utf8_nfc(a, (size_t)(z - a), &nfc);
            if (rc == TMK_OK)
                rc = add_entry(sp, nfc.data, nfc.len);
            tmk_buf_release(&nfc);
        }
        p = nl ? nl + 1 : end;
    }
    tmk_buf_release(&b);
    if (rc < 0)
        return tmk_error_set(err, rc, 0, 0, "out of memory");
    return TMK_OK;
}

/* Project word lists: words/<name>.txt and words/<lang>.txt for every
 * dictionary name ("de_DE" -> de_DE.txt, de.txt) and the language option. */
int tmk__spell_load_project_lists(tmk_speller *sp, const char *data_dir, const char *lang,
                                  tmk_error *err)
{
    char *seen[2 * MAX_WORKERS + 8];
    size_t nseen = 0;
    int rc = TMK_OK;
    for (size_t i = 0; i <= sp->ndicts && rc == TMK_OK; i++) {
        const char *name = i < sp->ndicts ? sp->dicts[i].name : lang;
        if (!name)
            continue;
        char full[64], base[16];
        size_t k = 0;
        for (; name[k] && k < sizeof full - 1; k++)
            full[k] = name[k] == '-' ? '_' : name[k];
        full[k] = '\0';
        for (k = 0; full[k] && full[k] != '_' && k < sizeof base - 1; k++)
            base[k] = full[k];
        base[k] = '\0';
        const char *cands[2] = {full, base};
        for (size_t c = 0; c < 2 && rc == TMK_OK; c++) {
            char rel[96];
            snprintf(rel, sizeof rel, "words/%s.txt", cands[c]);
            char *p = tmk__data_path(data_dir, rel);
            if (!p) {
                /* installed with nobase under pkgdatadir/dictionaries */
                char rel2[112];
                snprintf(rel2, sizeof rel2, "dictionaries/%s", rel);
                p = tmk__data_path(data_dir, rel2);
            }
            if (!p)
                continue;
            int dup = 0;
            for (size_t s = 0; s < nseen && !dup; s++)
                dup = !strcmp(seen[s], p);
            if (dup || nseen == sizeof seen / sizeof *seen) {
                free(p);
                continue;
            }
            seen[nseen++] = p;
            rc = tmk__spell_load_wordlist(sp, p, err);
        }
    }
    for (size_t s = 0; s < nseen; s++)
        free(seen[s]);
    return rc;
}
