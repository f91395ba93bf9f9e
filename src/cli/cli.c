#include <config.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
    if (err->file) {
        fputs(err->file, stderr);
        if (err->line) {
            fprintf(stderr, ":%lu", err->line);
            if (err->col)
                fprintf(stderr, ":%lu", err->col);
        }
        fputs(": ", stderr);
    }
    fputs(err->msg[0] ? err->msg : tmk_strerror(err->code), stderr);
    if (err->code == TMK_EENCODING && !strncmp(err->msg, "not valid UTF-8", 15))
        fputs("; if this is a Windows or older Unix file, try --encoding windows-1252"
              " (or ISO-8859-15)", stderr);
    else if (err->code == TMK_EENCODING && strstr(err->msg, "NUL byte in text: the file looks like UTF-16"))
        fprintf(stderr, "; try --encoding %s", strstr(err->msg, "UTF-16BE") ? "UTF-16BE" : "UTF-16LE");
    else if (err->code == TMK_EENCODING && strstr(err->msg, "NUL byte"))
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

int cli_paragraph_mode(const char *name, enum tmk_paragraph_mode *mode)
{
    static const struct {
        const char *name;
        enum tmk_paragraph_mode mode;
    } modes[] = {{"auto", TMK_PARA_AUTO},
                 {"line", TMK_PARA_LINE},
                 {"wrapped", TMK_PARA_WRAPPED},
                 {"blank", TMK_PARA_BLANK}};
    for (size_t i = 0; i < sizeof modes / sizeof *modes; i++)
        if (!strcmp(name, modes[i].name)) {
            *mode = modes[i].mode;
            return 0;
        }
    return -1;
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

int cli_read_text(const char *path, const char *encoding, tmk_buf *out)
{
    tmk_error err = TMK_ERROR_INIT;
    err.file = path;
    int rc = tmk_decode_file(path, encoding, out, &err);
    if (rc < 0)
        return cli_report(&err);
    return 0;
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
    char *canon = tmk_lang_canonical(value);
    int ok = canon && tmk_lang_valid(canon);
    free(canon);
    if (ok)
        return 0;
    return cli_usage_error(cmd, "'%s' is not a language code (BCP 47, e.g. de-DE)", value);
}

int cli_stderr_is_tty(void) { return isatty(2); }

int cli_bad_option(const char *cmd, int c, char *const *argv)
{
    if (c == ':')
        return cli_usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
    if (optopt > 0 && optopt < 128)
        return cli_usage_error(cmd, "unknown option '-%c'", optopt);
    return cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
}
