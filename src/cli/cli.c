#include <config.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"

int cli_exit_for(int code)
{
    switch (code) {
    case TMK_OK: return TMK_EXIT_OK;
    case TMK_EENCODING:
    case TMK_ESYNTAX:
    case TMK_ELIMIT: return TMK_EXIT_INPUT;
    case TMK_EFORMAT: return TMK_EXIT_INPUT;
    case TMK_EINVAL: return TMK_EXIT_USAGE;
    default: return TMK_EXIT_IO;
    }
}

int cli_report(const tmk_error *err)
{
    fputs("tmkit: ", stderr);
    if (err->file[0]) {
        fputs(err->file, stderr);
        if (err->line) {
            fprintf(stderr, ":%lu", err->line);
            if (err->col)
                fprintf(stderr, ":%lu", err->col);
        }
        fputs(": ", stderr);
    }
    fputs(err->msg[0] ? err->msg : tmk_error_string(err->code), stderr);
    /* the hint is chosen on the detail code, never on the message text */
    if (err->code == TMK_EENCODING && err->detail == TMK_D_NOT_UTF8)
        fputs("; if this is a Windows or older Unix file, try --encoding windows-1252"
              " (or ISO-8859-15)", stderr);
    else if (err->code == TMK_EENCODING && (err->detail == TMK_D_LOOKS_UTF16LE ||
                                            err->detail == TMK_D_LOOKS_UTF16BE))
        fprintf(stderr, "; try --encoding %s",
                err->detail == TMK_D_LOOKS_UTF16BE ? "UTF-16BE" : "UTF-16LE");
    /* tmkit's own ways to give what the library looked for */
    else if (err->detail == TMK_D_NO_DICTIONARY)
        fputs(", set DICPATH to its folder, or give the path of its .dic file with -d", stderr);
    else if (err->detail == TMK_D_NO_DATA)
        fputs(" or set TMKIT_DATADIR to its dictionaries folder", stderr);
    else if (err->detail == TMK_D_DICT_DAMAGED)
        fputs(" (--no-dict)", stderr);
    else if (err->detail == TMK_D_TEMP_DIR)
        fputs("; set TMPDIR to a folder you can write to that has room", stderr);
    else if (err->code == TMK_EENCODING && err->detail == TMK_D_NUL_BYTE)
        fputs("; if it is a text in UTF-16 without a byte-order mark, give its encoding with"
              " --encoding (UTF-16LE or UTF-16BE)", stderr);
    fputc('\n', stderr);
    return cli_exit_for(err->code);
}

void cli_errorf(const char *fmt, ...)
{
    va_list ap;
    fputs("tmkit: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "tmkit %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nRun 'tmkit %s --help' for the options.\n", cmd);
    return TMK_EXIT_USAGE;
}

static const struct {
    const char *name;
    enum tmk_segment_paragraph_mode mode;
} para_modes[] = {{"auto", TMK_PARA_AUTO},
                  {"line", TMK_PARA_LINES},
                  {"wrapped", TMK_PARA_WRAPPED},
                  {"blank", TMK_PARA_BLANK}};

int cli_paragraph_mode(const char *name, enum tmk_segment_paragraph_mode *mode)
{
    for (size_t i = 0; i < sizeof para_modes / sizeof *para_modes; i++)
        if (!strcmp(name, para_modes[i].name)) {
            *mode = para_modes[i].mode;
            return 0;
        }
    return -1;
}

const char *cli_paragraph_mode_name(enum tmk_segment_paragraph_mode mode)
{
    for (size_t i = 0; i < sizeof para_modes / sizeof *para_modes; i++)
        if (para_modes[i].mode == mode)
            return para_modes[i].name;
    return "line"; /* TMK_PARA_LINE: every line, as --paragraphs=line */
}

void cli_note_wrapped(const char *file, unsigned width)
{
    if (width)
        fprintf(stderr,
                "tmkit: note: %s: the lines look hard-wrapped (at about %u characters); lines "
                "cut at that width are joined into paragraphs and short lines end them. If "
                "every line is a paragraph, give --paragraphs=line; if blank lines separate "
                "the paragraphs, --paragraphs=blank\n",
                file, width);
}

void cli_warn_unrelated(const char *prog, const char *src, const char *tgt,
                        const tmk_align_stats *st)
{
    if (st->unrelated)
        fprintf(stderr,
                "%s: warning: %s and %s do not look like translations of each other: %zu of "
                "%zu pairs share (almost) no %s; check the file pair\n",
                prog, src, tgt, st->unrelated_pairs, st->known_pairs,
                st->dict ? "word the dictionary knows" : "name, number or like word");
}

/* pdftotext on PATH, or NULL (the library never reads the environment) */
static char *find_pdftotext(void)
{
    const char *path = getenv("PATH");
    if (!path || !*path)
        path = "/usr/local/bin:/usr/bin:/bin";
    while (*path) {
        const char *e = strchr(path, ':');
        size_t n = e ? (size_t)(e - path) : strlen(path);
        char *cand = NULL;
        if (asprintf(&cand, "%.*s/pdftotext", (int)(n ? n : 1), n ? path : ".") >= 0) {
            if (access(cand, X_OK) == 0)
                return cand;
            free(cand);
        }
        path += n + (e ? 1 : 0);
    }
    return NULL;
}

/* The text of a document, one paragraph per line, within the limits of
 * every text tmkit reads (README, Safety): a paragraph is a line. */
struct doc_sink {
    tmk_buf *out;
    int over; /* 1: a paragraph too long, 2: the text too long */
    struct cli_fmt *fmt; /* --keep-formatting: the spans, in out's offsets */
};

static int add_para(void *ud, const tmk_doc_para *p)
{
    struct doc_sink *k = ud;
    if (p->len > TMK_DECODE_MAX_LINE) {
        k->over = 1;
        return TMK_ELIMIT;
    }
    if (p->len + 1 > TMK_READ_FILE_MAX - k->out->len) {
        k->over = 2;
        return TMK_ELIMIT;
    }
    if (k->fmt && p->nspans && cli_fmt_add(k->fmt, p->spans, p->nspans, k->out->len) < 0)
        return TMK_ENOMEM;
    if (tmk_buf_add(k->out, p->text, p->len) < 0 || tmk_buf_addch(k->out, '\n') < 0)
        return TMK_ENOMEM;
    return 0;
}

static int document_text(const char *path, const void *raw, size_t len, const char *encoding,
                         const char *lang, tmk_buf *out, struct cli_fmt *fmt)
{
    tmk_error err = TMK_ERROR_INIT;
    tmk_error_set_file(&err, path);
    tmk_doc_options o = TMK_DOC_OPTIONS_INIT;
    o.name = path;
    o.encoding = encoding;
    o.path = strcmp(path, "-") ? path : NULL;
    o.spans = fmt != NULL;
    char *pdftotext = NULL;
    if (tmk_decode_sniff(raw, len, NULL) == TMK_CONTENT_PDF)
        o.pdftotext = pdftotext = find_pdftotext();
    char *doclang = NULL;
    struct doc_sink k = {out, 0, fmt};
    int rc = tmk_doc_read(raw, len, &o, add_para, &k, &doclang, &err);
    free(pdftotext);
    if (rc < 0) {
        tmk_free(doclang);
        if (k.over)
            tmk_error_set(&err, TMK_ELIMIT, 0, 0,
                          k.over == 1 ? "a paragraph of this document is longer than %zu MiB, "
                                        "the longest tmkit reads"
                                      : "the text of this document is longer than %zu MiB, the "
                                        "most tmkit reads at once",
                          (k.over == 1 ? TMK_DECODE_MAX_LINE : TMK_READ_FILE_MAX) >> 20);
        else if (rc == TMK_ENOMEM && !err.msg[0])
            tmk_error_set(&err, TMK_ENOMEM, 0, 0, "out of memory");
        return cli_report(&err);
    }
    /* a page that says it is in another language than the one given */
    if (doclang && lang) {
        size_t a = strcspn(doclang, "-_"), b = strcspn(lang, "-_");
        if (a != b || strncasecmp(doclang, lang, a))
            fprintf(stderr,
                    "tmkit: warning: %s: the page says its language is '%s', not '%s' as "
                    "given; check that the files and the languages are in the right order\n",
                    path, doclang, lang);
    }
    tmk_free(doclang);
    return 0;
}

/* decode raw with the decoder; sniff: refuse what is not text */
void cli_warn_looks_utf8(const tmk_decoder *d, const char *path, const char *encoding)
{
    if (tmk_decoder_looks_utf8(d))
        fprintf(stderr, "tmkit: warning: %s: the file looks like UTF-8 (its non-ASCII bytes all "
                        "form UTF-8 characters), not %s: read as %s, every such character is "
                        "garbled (\303\274 becomes \303\203\302\274); leave out the "
                        "encoding option if the file is UTF-8\n",
                path, encoding, encoding);
}

static int decode_raw(const char *path, const char *encoding, const tmk_buf *raw, int sniff,
                      tmk_buf *out, tmk_error *err)
{
    tmk_decoder *d;
    int made = tmk_decoder_new(&d, encoding, path, err);
    if (made < 0)
        return made;
    tmk_decoder_set_sniff(d, sniff, NULL);
    int rc = tmk_decoder_feed(d, raw->data, raw->len, out, err);
    if (rc == TMK_OK)
        rc = tmk_decoder_finish(d, out, err);
    if (rc == TMK_OK)
        cli_warn_looks_utf8(d, path, encoding);
    tmk_decoder_free(d);
    return rc;
}

int cli_document_text(const char *path, const void *raw, size_t len, const char *encoding,
                      const char *lang, tmk_buf *out)
{
    return document_text(path, raw, len, encoding, lang, out, NULL);
}

static int text_from_raw(const char *path, const tmk_buf *raw, const char *encoding,
                         const char *lang, tmk_buf *out, struct cli_fmt *fmt, int *is_doc)
{
    if (is_doc)
        *is_doc = 0;
    if (tmk_doc_reads(tmk_decode_sniff(raw->data, raw->len, NULL))) {
        if (is_doc)
            *is_doc = 1;
        return document_text(path, raw->data, raw->len, encoding, lang, out, fmt);
    }
    tmk_error err = TMK_ERROR_INIT;
    tmk_error_set_file(&err, path);
    size_t at = out->len;
    int rc = decode_raw(path, encoding, raw, 1, out, &err);
    if (rc == TMK_EFORMAT) {
        /* a page in UTF-16 or another encoding: recognised once decoded */
        tmk_buf u8 = TMK_BUF_INIT;
        tmk_error e2 = TMK_ERROR_INIT;
        tmk_buf_setlen(out, at);
        if (decode_raw(path, encoding, raw, 0, &u8, &e2) == TMK_OK &&
            tmk_decode_sniff(u8.data, u8.len, NULL) == TMK_CONTENT_HTML) {
            if (is_doc)
                *is_doc = 1;
            int x = document_text(path, u8.data, u8.len, "UTF-8", lang, out, fmt);
            tmk_buf_release(&u8);
            return x;
        }
        tmk_buf_release(&u8);
    }
    if (rc < 0)
        return cli_report(&err);
    return 0;
}

int cli_text_from_raw_fmt(const char *path, const tmk_buf *raw, const char *encoding,
                          const char *lang, tmk_buf *out, struct cli_fmt *fmt)
{
    return text_from_raw(path, raw, encoding, lang, out, fmt, NULL);
}

int cli_text_from_raw(const char *path, const tmk_buf *raw, const char *encoding,
                      const char *lang, tmk_buf *out)
{
    return cli_text_from_raw_fmt(path, raw, encoding, lang, out, NULL);
}

int cli_read_file(const char *path, tmk_buf *out, tmk_error *err)
{
    return strcmp(path, "-") ? tmk_io_read_file(path, out, err)
                             : tmk_io_read_stream(stdin, "-", out, 0, err);
}

int cli_tmx_read(tmk_tmx_reader *r, const char *path, tmk_error *err)
{
    return strcmp(path, "-") ? tmk_tmx_read_file(r, path, err)
                             : tmk_tmx_read_stream(r, stdin, "-", err);
}

int cli_read_text_as(const char *path, const char *encoding, const char *lang, tmk_buf *out)
{
    return cli_read_text_fmt(path, encoding, lang, out, NULL);
}

int cli_read_text_fmt(const char *path, const char *encoding, const char *lang, tmk_buf *out,
                      struct cli_fmt *fmt)
{
    return cli_read_text_doc(path, encoding, lang, out, fmt, NULL);
}

int cli_read_text_doc(const char *path, const char *encoding, const char *lang, tmk_buf *out,
                      struct cli_fmt *fmt, int *is_doc)
{
    tmk_error err = TMK_ERROR_INIT;
    tmk_error_set_file(&err, path);
    tmk_buf raw = TMK_BUF_INIT;
    int rc = cli_read_file(path, &raw, &err);
    int x = rc < 0 ? cli_report(&err)
                   : text_from_raw(path, &raw, encoding, lang, out, fmt, is_doc);
    tmk_buf_release(&raw);
    return x;
}

int cli_read_text(const char *path, const char *encoding, tmk_buf *out)
{
    return cli_read_text_as(path, encoding, NULL, out);
}

/* dir part resolved + last component: the same for "x" and "./x" even
 * when the file does not exist yet */
static char *canon_path(const char *p)
{
    const char *slash = strrchr(p, '/');
    char *dir = slash ? strndup(p, slash == p ? 1 : (size_t)(slash - p)) : strdup(".");
    char *rd = dir ? realpath(dir, NULL) : NULL, *out = NULL;
    free(dir);
    if (rd && asprintf(&out, "%s/%s", rd, slash ? slash + 1 : p) < 0)
        out = NULL;
    free(rd);
    return out;
}

int cli_tsv_field(tmk_buf *o, const char *s, size_t n, int sheet)
{
    return tmk_tsv_field_add(o, s, n, sheet ? TMK_TSV_SHEET : TMK_TSV);
}

int cli_same_file(const char *a, const char *b)
{
    int da = !strcmp(a, "-"), db = !strcmp(b, "-");
    if (da || db)
        return da && db;
    if (!strcmp(a, b))
        return 1;
    struct stat sa, sb;
    if (stat(a, &sa) == 0 && stat(b, &sb) == 0)
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino && !S_ISCHR(sa.st_mode);
    char *ca = canon_path(a), *cb = canon_path(b);
    int same = ca && cb && !strcmp(ca, cb);
    free(ca);
    free(cb);
    return same;
}

int cli_check_lang(const char *cmd, const char *value)
{
    char *canon;
    tmk_error err = TMK_ERROR_INIT;
    if (tmk_lang_canonical(&canon, value, &err))
        return cli_report(&err);
    int ok = tmk_lang_valid(canon);
    tmk_free(canon);
    if (ok)
        return 0;
    return cli_usage_error(cmd, "'%s' is not a language code (BCP 47, e.g. de-DE)", value);
}

int cli_stderr_is_tty(void) { return isatty(2); }

static const char *env_folder(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

const char *cli_data_dir(void)
{
    static int read;
    static const char *dir;
    if (!read) {
        dir = env_folder("TMKIT_DATADIR");
        read = 1;
    }
    return dir;
}

const char *cli_temp_dir(void)
{
    static int read;
    static const char *dir;
    if (!read) {
        dir = env_folder("TMPDIR");
        read = 1;
    }
    return dir;
}

int cli_segmenter_new(tmk_segmenter **out, const char *lang, const char *srx, tmk_error *err)
{
    tmk_segment_options o = TMK_SEGMENT_OPTIONS_INIT;
    o.data_dir = cli_data_dir();
    return tmk_segmenter_new_opt(out, lang, srx, &o, err);
}

long long cli_creation_time(void)
{
    static long long t = -1;
    if (t < 0) {
        const char *sde = getenv("SOURCE_DATE_EPOCH");
        char *end = NULL;
        long long v = sde && *sde ? strtoll(sde, &end, 10) : -1;
        t = sde && end && !*end && v >= 0 ? v : (long long)time(NULL);
    }
    return t;
}

int cli_bad_option(const char *cmd, int c, char *const *argv)
{
    if (c == ':')
        return cli_usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
    if (optopt > 0 && optopt < 128)
        return cli_usage_error(cmd, "unknown option '-%c'", optopt);
    return cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
}
