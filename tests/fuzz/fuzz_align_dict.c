/* fuzz_align_dict.c -- the bilingual dictionary readers on any bytes.
 *
 * The first byte picks the format: even = a line file (Ding "de :: en",
 * hunalign "en @ de", "de<TAB>en"), odd = DICT: the rest is split at the
 * first NUL into the .index and the .dict data.  The dictionary is written
 * to a temporary folder and read for a fixed German-English pair of texts,
 * with Hunspell stems when a de_DE dictionary is installed (the speller is
 * made once), so the stem candidates are read too.  An error is a fine
 * outcome; a crash, a leak or a bead that breaks the invariants is not. */
#include <config.h>
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tmkit/tmkit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const de[] = {
    "Die Kinder suchten lange nach den B\xc3\xbc" "chern.",
    "Am Abend erreichten wir endlich die Br\xc3\xbc" "cken.",
    "Dort wuchsen B\xc3\xa4ume vor allen H\xc3\xa4usern, 10.000 Meter hoch.",
    "Das Haus ist alt.",
};
static const char *const en[] = {
    "The children searched for the books for a long time.",
    "In the evening we finally reached the bridges.",
    "Trees grew there in front of all the houses, 10,000 metres high.",
    "The house is old.",
};

static int write_file(const char *path, const uint8_t *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    int ok = fwrite(p, 1, n, f) == n;
    return fclose(f) == 0 && ok ? 0 : -1;
}

static tmk_speller *stemmer(void)
{
    static int tried;
    static tmk_speller *sp;
    if (!tried) {
        tried = 1;
        tmk_spell_options so = TMK_SPELL_OPTIONS_INIT;
        so.lang = "de-DE";
        so.no_project_wordlists = 1;
        tmk_error err = TMK_ERROR_INIT;
        tmk_speller_new(&sp, &so, &err); /* NULL without de_DE: no stems */
        tmk_error_clear(&err);
    }
    return sp;
}

static char dir[64];

static void cleanup(void)
{
    if (dir[0])
        rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size)
        return 0;
    if (!dir[0]) {
        const char *t = getenv("TMPDIR");
        snprintf(dir, sizeof dir, "%s/tmkit-fuzz-XXXXXX", t && strlen(t) < 40 ? t : "/tmp");
        if (!mkdtemp(dir)) {
            dir[0] = 0;
            return 0;
        }
        atexit(cleanup);
    }
    char a[96], b[96];
    int dict = data[0] & 1;
    data++;
    size--;
    if (dict) {
        const uint8_t *nul = memchr(data, 0, size);
        size_t ni = nul ? (size_t)(nul - data) : size;
        snprintf(a, sizeof a, "%s/d.index", dir);
        snprintf(b, sizeof b, "%s/d.dict", dir);
        if (write_file(a, data, ni) ||
            write_file(b, nul ? nul + 1 : data, nul ? size - ni - 1 : 0))
            return 0;
    } else {
        snprintf(a, sizeof a, "%s/d.txt", dir);
        b[0] = 0;
        if (write_file(a, data, size))
            return 0;
    }
    tmk_align_text src[4], tgt[4];
    for (size_t i = 0; i < 4; i++) {
        src[i].s = de[i];
        src[i].len = strlen(de[i]);
        tgt[i].s = en[i];
        tgt[i].len = strlen(en[i]);
    }
    const char *dicts[] = {a};
    tmk_align_options opt = TMK_ALIGN_OPTIONS_INIT;
    opt.src_lang = "de";
    opt.tgt_lang = "en";
    opt.dicts = dicts;
    opt.ndicts = 1;
    opt.src_stemmer = stemmer();
    tmk_align_bead *bd = NULL;
    size_t nb = 0;
    tmk_error err = TMK_ERROR_INIT;
    if (tmk_align_run(src, 4, tgt, 4, &opt, &bd, &nb, &err) == TMK_OK) {
        size_t i = 0, j = 0;
        for (size_t k = 0; k < nb; k++) {
            if (bd[k].src != i || bd[k].tgt != j || bd[k].nsrc + bd[k].ntgt == 0 ||
                !(bd[k].score >= 0.0 && bd[k].score <= 1.0))
                __builtin_trap();
            i += bd[k].nsrc;
            j += bd[k].ntgt;
        }
        if (i != 4 || j != 4)
            __builtin_trap();
    }
    free(bd);
    tmk_error_clear(&err);
    unlink(a);
    if (b[0])
        unlink(b);
    return 0;
}
