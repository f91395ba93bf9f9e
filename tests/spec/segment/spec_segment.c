/* spec_segment.c -- run the segmentation spec cases.
 *
 *  1. tests/spec/segment/<lang>.txt: examples written for linguists:
 *         ## what the case shows
 *         input line(s)
 *         =>
 *         expected segment, one per line
 *     (lines starting with "#" before the first case are comments).
 *  2. the shared golden files in $SHARED_DIR/bench/segmentation (JSON Lines
 *     with "text" and "expected"), skipped with a message when
 *     $SHARED_DIR/bench is absent.  The set of golden cases that pass is
 *     pinned in tests/spec/segment/golden-passing.txt (one id a line): a
 *     pinned case that fails is a failure, so one case breaking while another
 *     is fixed does not go unnoticed; a case that passes but is not pinned is
 *     reported ("add it to golden-passing.txt"); a case that fails and is not
 *     pinned is a known failure (TAP TODO: XFAIL in the summary).  Each file
 *     also keeps a minimum count.  pySBD's sets of 21 languages in
 *     multi/golden_XX.jsonl are pinned the same way in multi-passing.txt.
 * A case passes when the segments, trimmed, equal the expected list exactly
 * (the rule of the shared scorer).  Every input is also fed in 7-byte
 * chunks and must give the same segments.
 * Prints TAP, one result per case.  With TMKIT_NO_SKIP=1 (see tests/lib.sh)
 * missing golden files are a failure. */
#include <config.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tmkit/tmkit.h"

typedef struct {
    char **v;
    size_t n, cap;
} strvec;

static void sv_push(strvec *s, const char *p, size_t len)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 16;
        s->v = realloc(s->v, s->cap * sizeof *s->v);
        if (!s->v)
            abort();
    }
    char *c = malloc(len + 1);
    if (!c)
        abort();
    memcpy(c, p, len);
    c[len] = '\0';
    s->v[s->n++] = c;
}

static void sv_clear(strvec *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    s->n = 0;
}

/* Trim Unicode whitespace like Python's str.strip(); push when not empty. */
static void push_trimmed(strvec *s, const char *p, size_t len)
{
    size_t adv;
    while (len) {
        int32_t cp = tmk_utf8_decode(p, len, &adv);
        if (!tmk_utf8_is_space(cp) && cp != 0xFEFF && cp != 0x200B && cp != 0xA0)
            break;
        p += adv;
        len -= adv;
    }
    while (len) {
        size_t st = len - 1;
        while (st > 0 && ((unsigned char)p[st] & 0xC0) == 0x80)
            st--;
        int32_t cp = tmk_utf8_decode(p + st, len - st, &adv);
        if (!tmk_utf8_is_space(cp) && cp != 0xFEFF && cp != 0x200B && cp != 0xA0)
            break;
        len = st;
    }
    if (len)
        sv_push(s, p, len);
}

static int on_seg(void *ud, const tmk_segment *seg)
{
    push_trimmed(ud, seg->text, seg->len);
    return 0;
}

static int segment(tmk_segmenter *s, const char *text, size_t len, size_t chunk, strvec *out)
{
    tmk_error err = TMK_ERROR_INIT;
    if (!chunk)
        chunk = len ? len : 1;
    for (size_t i = 0; i < len; i += chunk)
        if (tmk_segmenter_feed(s, text + i, len - i < chunk ? len - i : chunk, on_seg, out, &err))
            goto bad;
    if (tmk_segmenter_finish(s, on_seg, out, &err))
        goto bad;
    return 0;
bad:
    fprintf(stderr, "segmenter error: %s\n", err.msg);
    tmk_segmenter_finish(s, on_seg, out, NULL);
    return -1;
}

/* TAP: one numbered result per check */
static int tap_n;

static void print_list(const char *label, const strvec *v)
{
    printf("#   %s:", label);
    for (size_t i = 0; i < v->n; i++) {
        printf(" [");
        for (const char *c = v->v[i]; *c; c++)
            if (*c == '\n')
                printf("\\n");
            else
                putchar(*c);
        printf("]");
    }
    printf("\n");
}

/* Returns 1 if the case passes. */
static int check_case(tmk_segmenter *s, const char *id, const char *text, size_t len,
                      const strvec *want, int verbose)
{
    strvec got = {0}, got7 = {0};
    int ok = segment(s, text, len, 0, &got) == 0 && segment(s, text, len, 7, &got7) == 0;
    if (ok && got.n != want->n)
        ok = 0;
    for (size_t i = 0; ok && i < got.n; i++)
        ok = !strcmp(got.v[i], want->v[i]);
    int same = got.n == got7.n;
    for (size_t i = 0; same && i < got.n; i++)
        same = !strcmp(got.v[i], got7.v[i]);
    if (!same) {
        printf("# %s: 7-byte chunks give other segments\n", id);
        print_list("whole   ", &got);
        print_list("7 bytes ", &got7);
        ok = 0;
    } else if (!ok && verbose) {
        printf("# %s\n", id);
        print_list("expected", want);
        print_list("got     ", &got);
    }
    sv_clear(&got);
    sv_clear(&got7);
    free(got.v);
    free(got7.v);
    return ok;
}

/* ---- own spec files ------------------------------------------------ */

static int run_spec_file(const char *path, const char *lang, int *npass, int *nfail)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("not ok %d - cannot open %s\n", ++tap_n, path);
        (*nfail)++;
        return -1;
    }
    tmk_error err = TMK_ERROR_INIT;
    tmk_segmenter *s = NULL;
    tmk_segmenter_new(&s, lang, NULL, &err);
    if (!s) {
        printf("not ok %d - %s: %s\n", ++tap_n, lang, err.msg);
        fclose(f);
        (*nfail)++;
        return -1;
    }
    char line[8192], title[512] = "";
    tmk_buf input = TMK_BUF_INIT;
    strvec want = {0};
    int state = 0; /* 0 = before a case, 1 = input, 2 = expected */
    for (;;) {
        char *l = fgets(line, sizeof line, f);
        if (l) {
            size_t n = strlen(l);
            if (n && l[n - 1] == '\n')
                l[--n] = '\0';
        }
        if (!l || !strncmp(line, "## ", 3)) {
            if (state == 2) {
                char id[700];
                snprintf(id, sizeof id, "%s: %s", lang, title);
                if (check_case(s, id, input.data, input.len, &want, 1)) {
                    printf("ok %d - %s\n", ++tap_n, id);
                    (*npass)++;
                } else {
                    printf("not ok %d - %s\n", ++tap_n, id);
                    (*nfail)++;
                }
            } else if (state == 1) {
                printf("not ok %d - %s: %s: no \"=>\" line\n", ++tap_n, path, title);
                (*nfail)++;
            }
            if (!l)
                break;
            snprintf(title, sizeof title, "%.500s", line + 3);
            tmk_buf_reset(&input);
            sv_clear(&want);
            state = 1;
            continue;
        }
        if (state == 1) {
            if (!strcmp(line, "=>")) {
                state = 2;
                continue;
            }
            if (input.len)
                tmk_buf_addch(&input, '\n');
            tmk_buf_adds(&input, line);
        } else if (state == 2 && line[0]) {
            push_trimmed(&want, line, strlen(line));
        }
    }
    fclose(f);
    tmk_buf_release(&input);
    sv_clear(&want);
    free(want.v);
    tmk_segmenter_free(s);
    return 0;
}

/* ---- a small JSON reader for the golden files ---------------------- */

static const char *ws(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        p++;
    return p;
}

/* Parse a JSON string at p (at the quote) into out; returns the end. */
static const char *jstring(const char *p, tmk_buf *out)
{
    if (*p != '"')
        return NULL;
    p++;
    while (*p && *p != '"') {
        if (*p != '\\') {
            tmk_buf_addch(out, *p++);
            continue;
        }
        p++;
        char e = *p++;
        switch (e) {
        case 'n': tmk_buf_addch(out, '\n'); break;
        case 't': tmk_buf_addch(out, '\t'); break;
        case 'r': tmk_buf_addch(out, '\r'); break;
        case 'b': tmk_buf_addch(out, '\b'); break;
        case 'f': tmk_buf_addch(out, '\f'); break;
        case 'u': {
            unsigned long cp = strtoul((char[]){p[0], p[1], p[2], p[3], 0}, NULL, 16);
            p += 4;
            if (cp >= 0xD800 && cp < 0xDC00 && p[0] == '\\' && p[1] == 'u') {
                unsigned long lo = strtoul((char[]){p[2], p[3], p[4], p[5], 0}, NULL, 16);
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                p += 6;
            }
            char enc[4];
            int n = tmk_utf8_encode((int32_t)cp, enc);
            tmk_buf_add(out, enc, (size_t)n);
            break;
        }
        default: tmk_buf_addch(out, e); break;
        }
    }
    return *p == '"' ? p + 1 : NULL;
}

static const char *jskip(const char *p)
{
    p = ws(p);
    if (*p == '"') {
        tmk_buf t = TMK_BUF_INIT;
        p = jstring(p, &t);
        tmk_buf_release(&t);
        return p;
    }
    if (*p == '{' || *p == '[') {
        char close = *p == '{' ? '}' : ']';
        p = ws(p + 1);
        while (p && *p && *p != close) {
            p = jskip(p);
            if (!p)
                return NULL;
            p = ws(p);
            if (*p == ':' || *p == ',')
                p++;
            p = ws(p);
        }
        return p && *p == close ? p + 1 : NULL;
    }
    while (*p && !strchr(",}] \t\r\n", *p))
        p++;
    return p;
}

/* Parse one object: id, text (NULL when null), expected. */
static int jcase(const char *p, tmk_buf *id, tmk_buf *text, int *has_text, strvec *want)
{
    p = ws(p);
    if (*p++ != '{')
        return -1;
    *has_text = 0;
    for (;;) {
        p = ws(p);
        if (*p == '}')
            return 0;
        tmk_buf key = TMK_BUF_INIT;
        p = jstring(p, &key);
        if (!p) {
            tmk_buf_release(&key);
            return -1;
        }
        p = ws(p);
        if (*p++ != ':') {
            tmk_buf_release(&key);
            return -1;
        }
        p = ws(p);
        if (!strcmp(key.data, "id") && *p == '"') {
            p = jstring(p, id);
        } else if (!strcmp(key.data, "text") && *p == '"') {
            p = jstring(p, text);
            *has_text = 1;
        } else if (!strcmp(key.data, "expected") && *p == '[') {
            p = ws(p + 1);
            while (p && *p == '"') {
                tmk_buf item = TMK_BUF_INIT;
                p = jstring(p, &item);
                push_trimmed(want, item.data, item.len);
                tmk_buf_release(&item);
                if (!p)
                    break;
                p = ws(p);
                if (*p == ',')
                    p = ws(p + 1);
            }
            if (p && *p == ']')
                p++;
        } else {
            p = jskip(p);
        }
        tmk_buf_release(&key);
        if (!p)
            return -1;
        p = ws(p);
        if (*p == ',')
            p++;
    }
}

/* The pinned set: ids of the golden cases that pass (golden-passing.txt). */
typedef struct {
    strvec ids;
    char *seen; /* per id: met in a golden file */
} pinset;

static int pin_load(const char *path, pinset *p)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        size_t n = strcspn(line, "#\r\n");
        while (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
            n--;
        if (n)
            sv_push(&p->ids, line, n);
    }
    fclose(f);
    p->seen = calloc(p->ids.n + 1, 1);
    if (!p->seen)
        abort();
    return 0;
}

static int pin_find(pinset *p, const char *id)
{
    for (size_t i = 0; i < p->ids.n; i++)
        if (!strcmp(p->ids.v[i], id)) {
            p->seen[i] = 1;
            return 1;
        }
    return 0;
}

static int run_golden(const char *dir, const char *file, const char *lang, int min, pinset *pins,
                      const char *pinfile, int *nfail, int *nnew)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    tmk_buf all = TMK_BUF_INIT;
    tmk_error err = TMK_ERROR_INIT;
    if (tmk_io_read_file(path, &all, &err) < 0) {
        printf("not ok %d - cannot read %s: %s\n", ++tap_n, path, err.msg);
        (*nfail)++;
        return -1;
    }
    tmk_segmenter *s = NULL;
    tmk_segmenter_new(&s, lang, NULL, &err);
    if (!s) {
        printf("not ok %d - %s: %s\n", ++tap_n, lang, err.msg);
        (*nfail)++;
        tmk_buf_release(&all);
        return -1;
    }
    int pass = 0, total = 0;
    char *save = NULL;
    for (char *line = strtok_r(all.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        tmk_buf id = TMK_BUF_INIT, text = TMK_BUF_INIT;
        strvec want = {0};
        int has_text = 0;
        if (jcase(line, &id, &text, &has_text, &want) < 0 || !id.len) {
            printf("not ok %d - %s: cannot parse line %d\n", ++tap_n, file, total + 1);
            (*nfail)++;
        } else {
            total++;
            int pinned = pin_find(pins, id.data);
            /* "text": null (the nil case) means no input: no segments */
            int ok = check_case(s, id.data, text.data, has_text ? text.len : 0, &want, 1);
            pass += ok;
            if (ok && pinned) {
                printf("ok %d - %s: %s\n", ++tap_n, file, id.data);
            } else if (ok) {
                printf("ok %d - %s: %s passes now but is not pinned: add it to "
                       "tests/spec/segment/%s\n",
                       ++tap_n, file, id.data, pinfile);
                (*nnew)++;
            } else if (pinned) {
                printf("not ok %d - %s: %s is pinned as passing "
                       "(tests/spec/segment/%s) and fails\n",
                       ++tap_n, file, id.data, pinfile);
                (*nfail)++;
            } else {
                printf("not ok %d - %s: %s # TODO known failure (not pinned)\n", ++tap_n, file,
                       id.data);
            }
        }
        tmk_buf_release(&id);
        tmk_buf_release(&text);
        sv_clear(&want);
        free(want.v);
    }
    int ok = pass >= min;
    printf("%s %d - %s: %d/%d passed (minimum %d)\n", ok ? "ok" : "not ok", ++tap_n, file, pass,
           total, min);
    if (!ok)
        (*nfail)++;
    tmk_segmenter_free(s);
    tmk_buf_release(&all);
    return 0;
}

int main(void)
{
    const char *top = getenv("top_srcdir");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/tests/spec/segment", top ? top : ".");
    int npass = 0, nfail = 0;
    DIR *d = opendir(dir);
    if (!d) {
        printf("not ok 1 - no spec folder %s\n1..1\n", dir);
        return 1;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".txt"))
            continue;
        char path[8192], lang[64];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        snprintf(lang, sizeof lang, "%.*s", (int)(n - 4), e->d_name);
        run_spec_file(path, lang, &npass, &nfail);
    }
    closedir(d);

    const char *shared = getenv("SHARED_DIR");
    const char *noskip = getenv("TMKIT_NO_SKIP");
    char bench[4096];
    snprintf(bench, sizeof bench, "%s/bench/segmentation", shared ? shared : "../shared");
    DIR *b = opendir(bench);
    if (!b) {
        if (noskip && !strcmp(noskip, "1")) {
            printf("not ok %d - skipped, and TMKIT_NO_SKIP=1 makes a skip a failure: "
                   "shared golden files (%s absent)\n",
                   ++tap_n, bench);
            nfail++;
        } else {
            printf("ok %d # SKIP shared golden files (%s absent)\n", ++tap_n, bench);
        }
    } else {
        closedir(b);
        pinset pins = {0};
        char pinpath[8192];
        snprintf(pinpath, sizeof pinpath, "%s/golden-passing.txt", dir);
        if (pin_load(pinpath, &pins) < 0) {
            printf("not ok %d - cannot read %s\n", ++tap_n, pinpath);
            nfail++;
        }
        int nnew = 0;
        run_golden(bench, "golden_de.jsonl", "de", 35, &pins, "golden-passing.txt", &nfail, &nnew);
        run_golden(bench, "golden_en.jsonl", "en", 51, &pins, "golden-passing.txt", &nfail, &nnew);
        run_golden(bench, "extra_en.jsonl", "en", 0, &pins, "golden-passing.txt", &nfail, &nnew); /* pinned set only */
        /* pySBD's language sets (multi/golden_XX.jsonl), pinned in multi-passing.txt */
        static const char *const multi[] = {"am", "ar", "bg", "da", "el", "es", "fa",
                                            "fr", "hi", "hy", "it", "ja", "kk", "mr",
                                            "my", "nl", "pl", "ru", "sk", "ur", "zh"};
        pinset mpins = {0};
        snprintf(pinpath, sizeof pinpath, "%s/multi-passing.txt", dir);
        if (pin_load(pinpath, &mpins) < 0) {
            printf("not ok %d - cannot read %s\n", ++tap_n, pinpath);
            nfail++;
        }
        char mdir[8192];
        snprintf(mdir, sizeof mdir, "%s/multi", bench);
        for (size_t i = 0; i < sizeof multi / sizeof *multi; i++) {
            char file[64];
            snprintf(file, sizeof file, "golden_%s.jsonl", multi[i]);
            run_golden(mdir, file, multi[i], 0, &mpins, "multi-passing.txt", &nfail, &nnew);
        }
        for (size_t i = 0; i < mpins.ids.n; i++)
            if (!mpins.seen[i]) {
                printf("not ok %d - %s is pinned in multi-passing.txt but is in no golden file\n",
                       ++tap_n, mpins.ids.v[i]);
                nfail++;
            }
        sv_clear(&mpins.ids);
        free(mpins.ids.v);
        free(mpins.seen);
        for (size_t i = 0; i < pins.ids.n; i++)
            if (!pins.seen[i]) {
                printf("not ok %d - %s is pinned in golden-passing.txt but is in no golden file\n",
                       ++tap_n, pins.ids.v[i]);
                nfail++;
            }
        if (nnew)
            printf("# %d golden case(s) pass but are not pinned: add them to "
                   "tests/spec/segment/golden-passing.txt (multi-passing.txt for multi/)\n",
                   nnew);
        sv_clear(&pins.ids);
        free(pins.ids.v);
        free(pins.seen);
    }
    printf("# %d own cases passed, %d failures\n", npass, nfail);
    printf("1..%d\n", tap_n);
    return nfail ? 1 : 0;
}
