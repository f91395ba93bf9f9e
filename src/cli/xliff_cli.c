/* xliff_cli.c -- XLIFF in `tmkit convert` and `tmkit build`.
 *
 * The file is bilingual and segmented already: every segment pair the
 * library's XLIFF reader gives becomes one unit, with no alignment.  Pairs
 * that are untranslated, rejected, below the --status asked for, or locked
 * (translate="no") are counted and left out; the summary says how many,
 * per <file> of the XLIFF when it has several. */
#include <config.h>
#include <errno.h>
#include <getopt.h>
#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include "cli.h"
#include "tmx_cli.h"
#include "build_cli.h"
#include "xliff_cli.h"

static const char convert_usage[] =
    "Usage: tmkit convert [OPTIONS] JOB.xlf [--to tmx] [-o OUTPUT]\n"
    "Convert a bilingual XLIFF file (1.2, 2.0; Trados .sdlxliff, memoQ .mqxliff,\n"
    "OmegaT) to TMX: one unit per translated segment, inline codes as TMX\n"
    "inline markup.  The file (or standard input, -) is recognised by its\n"
    "content (or --from xliff).\n\n"
    "  --to tmx            the only output format for XLIFF input (an OUTPUT\n"
    "                      named .tsv, .txt or .csv is refused without it)\n"
    "  -o, --output FILE   output file, written atomically (default: stdout)\n"
    "  --status LEVEL      lowest status kept: draft, translated (default) or\n"
    "                      approved (README: how each tool's states map)\n"
    "  -s, --source LANG   source language when the file names none; else it\n"
    "                      must match the file's (and gives its spelling)\n"
    "  -t, --target LANG   the same for the target language\n"
    "  --strip             plain text: placeholders as their code, tags left out\n"
    "  -q, --quiet         no summary on stderr\n"
    "  -h, --help          this help\n";

static const char build_usage[] =
    "Usage: tmkit build [--from xliff] [OPTIONS] JOB.xlf [-o OUTPUT]\n"
    "Build a translation memory from a bilingual XLIFF file (1.2, 2.0; Trados\n"
    ".sdlxliff, memoQ .mqxliff, OmegaT): it is segmented and aligned already, so\n"
    "each translated segment pair becomes a unit.  A summary goes to stderr.\n\n"
    "  --from xliff             read JOB as XLIFF (a file is recognised by its\n"
    "                           content without it; needed for standard input -)\n"
    "  -o, --output FILE        the memory to write (default: JOB's name with .tmx,\n"
    "                           in the current folder; - for standard output)\n"
    "  --status LEVEL           lowest status kept: draft, translated (default)\n"
    "                           or approved\n"
    "  -s, --source-lang LANG   source language when the file names none; else it\n"
    "                           must match the file's (and gives its spelling)\n"
    "  -t, --target-lang LANG   the same for the target language\n"
    "  -q, --quiet              no summary\n"
    "  -h, --help               this help\n";

/* Options whose value is the next argument, in convert and build. */
static int takes_value(const char *o)
{
    static const char *const v[] = {
        "-o", "--output", "-s", "-t", "--source", "--target", "--source-lang", "--target-lang",
        "--from", "--to", "--pair", "--status", "--report", "--report-format", "-e",
        "--encoding", "--ref-encoding", "-d", "--dictionary", "--personal", "--dict",
        "--min-score", "--srx", "--paragraphs"};
    for (size_t i = 0; i < sizeof v / sizeof *v; i++)
        if (!strcmp(o, v[i]))
            return 1;
    return 0;
}

/* What the first bytes of a file are (tmk_decode_sniff); buf is changed. */
static enum tmk_decode_content sniff_head(char *buf, size_t n)
{
    /* UTF-16 with a byte-order mark (expat reads it): its ASCII for the sniffer */
    int le = n >= 2 && (unsigned char)buf[0] == 0xFF && (unsigned char)buf[1] == 0xFE;
    int be = n >= 2 && (unsigned char)buf[0] == 0xFE && (unsigned char)buf[1] == 0xFF;
    if (le || be) {
        size_t k = 0;
        for (size_t i = 2; i + 1 < n; i += 2)
            buf[k++] = buf[i + (be ? 1 : 0)];
        n = k;
    }
    return tmk_decode_sniff(buf, n, NULL);
}

static int is_xliff_file(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) < 0 || !S_ISREG(sb.st_mode))
        return 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    char buf[TMK_SNIFF_LEN];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    return sniff_head(buf, n) == TMK_CONTENT_XLIFF;
}

/* The first bytes of standard input, read by xliffcli_sniff_stdin. */
static char stdin_head[TMK_SNIFF_LEN];
static size_t stdin_nhead;

int xliffcli_sniff_stdin(int argc, char **argv)
{
    int dash = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--from") || !strncmp(argv[i], "--from=", 7))
            return -1;
        if (!strcmp(argv[i], "-") && !takes_value(argv[i - 1]))
            dash = 1;
    }
    if (!dash)
        return -1;
    while (stdin_nhead < sizeof stdin_head) {
        size_t got = fread(stdin_head + stdin_nhead, 1, sizeof stdin_head - stdin_nhead, stdin);
        if (!got)
            break; /* the end, or an error the reader meets again */
        stdin_nhead += got;
    }
    char copy[TMK_SNIFF_LEN];
    memcpy(copy, stdin_head, stdin_nhead);
    return (int)sniff_head(copy, stdin_nhead);
}

void xliffcli_stdin_head(const char **data, size_t *len)
{
    *data = stdin_head;
    *len = stdin_nhead;
}

int xliffcli_wants(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--"))
            break;
        if (!strcasecmp(argv[i], "--from=xliff") ||
            (!strcmp(argv[i], "--from") && i + 1 < argc && !strcasecmp(argv[i + 1], "xliff")))
            return 1;
    }
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-' || takes_value(argv[i - 1]))
            continue;
        if (is_xliff_file(argv[i]))
            return 1;
    }
    return 0;
}

/* ---- the job ------------------------------------------------------------- */

typedef struct {
    char *name;
    unsigned long written, untranslated, rejected, below, locked;
} fcount;

typedef struct {
    const char *cmd, *in, *out;
    int build, strip, quiet;
    int min_status;
    const char *opt_src, *opt_tgt;
    cli_outfile *of;
    tmk_tmx_writer *w;
    char *hdr_src;
    fcount *files;
    size_t nfiles;
    fcount total;
    unsigned long dup_ids, dropped;
    void *ids;            /* the tuids written: a tsearch tree of owned strings */
    tmk_buf tuid, sa, ta;
    tmk_error err;
    int usage;            /* err is a usage error (exit 2) */
} job;

static int nomem(job *j)
{
    return tmk_error_set(&j->err, TMK_ENOMEM, 0, 0, "out of memory");
}

/* Add s to the set of ids; 1 when it was new, 0 when it was there, <0 on
 * no memory. */
static int id_cmp(const void *a, const void *b) { return strcmp(a, b); }

static int id_add(job *j, const char *s)
{
    if (tfind(s, &j->ids, id_cmp))
        return 0;
    char *c = strdup(s);
    if (!c || !tsearch(c, &j->ids, id_cmp)) {
        free(c);
        return TMK_ENOMEM;
    }
    return 1;
}

static fcount *file_of(job *j, const tmk_xliff_pair *p)
{
    size_t k = p->file_index ? p->file_index - 1 : 0;
    if (k >= j->nfiles) {
        fcount *na = realloc(j->files, (k + 1) * sizeof *na);
        if (!na)
            return NULL;
        memset(na + j->nfiles, 0, (k + 1 - j->nfiles) * sizeof *na);
        j->files = na;
        j->nfiles = k + 1;
        if (p->file && !(j->files[k].name = strdup(p->file)))
            return NULL;
    }
    return &j->files[k];
}

/* The language of one side: the file's, checked against the option. */
static int side_lang(job *j, const tmk_xliff_pair *p, const char *file_lang, const char *opt,
                     const char *which, const char *attr12, const char *optname,
                     const char **out)
{
    if (!file_lang && !opt) {
        j->usage = 1;
        tmk_error_set(&j->err, TMK_EINVAL, p->line, p->col,
                      "the file names no %s language (%s): give it with %s", which, attr12,
                      optname);
        return TMK_EINVAL;
    }
    if (file_lang && opt && !tmxcli_lang_match(file_lang, opt) &&
        !tmxcli_lang_match(opt, file_lang)) {
        j->usage = 1;
        tmk_error_set(&j->err, TMK_EINVAL, p->line, p->col,
                      "the file's %s language is %s (%s), not %s as %s says: leave %s out, "
                      "or give the file of that language pair",
                      which, file_lang, attr12, opt, optname, optname);
        return TMK_EINVAL;
    }
    /* the more precise spelling of the two (-s de-DE for a file's "de") */
    *out = opt && (!file_lang || strlen(opt) >= strlen(file_lang)) ? opt : file_lang;
    return TMK_OK;
}

static int on_warning(void *ud, const tmk_tmx_warning *wn)
{
    size_t tu_index = wn->tu_index;
    const char *msg = wn->msg;
    job *j = ud;
    j->dropped++;
    fprintf(stderr, "tmkit: %s: unit %zu: %s\n", j->in, tu_index + 1, msg);
    return 0;
}

static int open_writer(job *j, const char *srclang)
{
    tmk_tmx_header h;
    memset(&h, 0, sizeof h);
    h.creationdate = -1;
    h.srclang = srclang ? srclang : "*all*";
    h.datatype = j->strip ? "plaintext" : "xml"; /* --strip: no markup left */
    h.o_tmf = "XLIFF";
    unsigned flags = j->build ? 0 : TMK_TMX_VERBATIM;
    tmk_tmx_write_options wo = TMK_TMX_WRITE_OPTIONS_INIT;
    wo.creation_time = cli_creation_time();
    wo.flags = flags;
    wo.file = cli_outfile_stream(j->of);
    int rc = tmk_tmx_writer_new(&j->w, &wo, &h, NULL, on_warning, j, &j->err);
    if (rc == TMK_EIO)
        tmk_error_set_file(&j->err, j->out);
    return rc;
}

static int on_pair(void *ud, const tmk_xliff_pair *p)
{
    job *j = ud;
    fcount *fc = file_of(j, p);
    if (!fc)
        return nomem(j);
    if (!p->translate) {
        fc->locked++;
        j->total.locked++;
        return 0;
    }
    if (p->status == TMK_XLIFF_UNTRANSLATED) {
        fc->untranslated++;
        j->total.untranslated++;
        return 0;
    }
    if (p->status == TMK_XLIFF_REJECTED) {
        fc->rejected++;
        j->total.rejected++;
        return 0;
    }
    if ((int)p->status < j->min_status) {
        fc->below++;
        j->total.below++;
        return 0;
    }
    const char *sl, *tl;
    TMXCLI_TRY(side_lang(j, p, p->source_lang, j->opt_src, "source",
                         "<file source-language> or srcLang", "-s", &sl));
    TMXCLI_TRY(side_lang(j, p, p->target_lang, j->opt_tgt, "target",
                         "<file target-language> or trgLang", "-t", &tl));
    if (!j->w) {
        if (!(j->hdr_src = strdup(sl)))
            return nomem(j);
        TMXCLI_TRY(open_writer(j, j->hdr_src));
    }
    tmk_tmx_tuv v[2] = {{.lang = sl, .seg = p->source, .seg_len = p->source_len,
                     .markup = p->source_markup},
                    {.lang = tl, .seg = p->target, .seg_len = p->target_len,
                     .markup = p->target_markup}};
    if (j->strip) {
        tmk_buf_reset(&j->sa);
        tmk_buf_reset(&j->ta);
        if (tmk_tmx_seg_text(p->source, p->source_len, p->source_markup, &j->sa) < 0 ||
            tmk_tmx_seg_text(p->target, p->target_len, p->target_markup, &j->ta) < 0)
            return nomem(j);
        v[0] = (tmk_tmx_tuv){.lang = sl, .seg = j->sa.data, .seg_len = j->sa.len};
        v[1] = (tmk_tmx_tuv){.lang = tl, .seg = j->ta.data, .seg_len = j->ta.len};
    }
    /* tuid: the unit id (with the segment's when the unit has several),
     * when it is unique in the output */
    const char *tuid = NULL;
    if (p->unit_id && *p->unit_id) {
        tmk_buf_reset(&j->tuid);
        int rc = tmk_buf_adds(&j->tuid, p->unit_id);
        if (p->nsegments > 1) {
            if (p->segment_id && *p->segment_id)
                rc |= tmk_buf_printf(&j->tuid, "/%s", p->segment_id);
            else
                rc |= tmk_buf_printf(&j->tuid, "/%lu", p->index);
        }
        int added = rc < 0 ? TMK_ENOMEM : id_add(j, j->tuid.data);
        if (added < 0)
            return nomem(j);
        if (added)
            tuid = j->tuid.data;
        else
            j->dup_ids++;
    }
    tmk_tmx_prop prop = {.type = "x-xliff-status", .value = tmk_xliff_status_name(p->status)};
    tmk_tmx_tu tu = {.tuid = tuid, .props = &prop, .nprops = 1, .tuvs = v, .ntuvs = 2};
    int rc = tmk_tmx_writer_add(j->w, &tu, &j->err);
    if (rc < 0) {
        if (rc == TMK_EIO)
            tmk_error_set_file(&j->err, j->out);
        return rc;
    }
    fc->written++;
    j->total.written++;
    return 0;
}

static void summary_counts(const fcount *c, int min_status)
{
    const char *sep = "; left out: ";
    if (c->untranslated) {
        fprintf(stderr, "%s%lu untranslated", sep, c->untranslated);
        sep = ", ";
    }
    if (c->rejected) {
        fprintf(stderr, "%s%lu rejected", sep, c->rejected);
        sep = ", ";
    }
    if (c->below) {
        fprintf(stderr, "%s%lu below --status %s", sep, c->below,
                tmk_xliff_status_name((enum tmk_xliff_status)min_status));
        sep = ", ";
    }
    if (c->locked)
        fprintf(stderr, "%s%lu locked (translate=\"no\")", sep, c->locked);
    fputc('\n', stderr);
}

static int read_input(job *j, tmk_xliff_reader *r)
{
    FILE *f = strcmp(j->in, "-") ? fopen(j->in, "rb") : stdin;
    if (!f) {
        tmk_error_set(&j->err, TMK_EIO, 0, 0, "cannot open the file: %s", strerror(errno));
        tmk_error_set_file(&j->err, j->in);
        return TMK_EIO;
    }
    static char buf[1 << 16];
    int rc = TMK_OK;
    tmk_error e = TMK_ERROR_INIT;
    if (f == stdin && stdin_nhead) /* what recognising it read */
        rc = tmk_xliff_reader_feed(r, stdin_head, stdin_nhead, on_pair, j, &e);
    for (; rc == TMK_OK;) {
        size_t got = fread(buf, 1, sizeof buf, f);
        if (got && (rc = tmk_xliff_reader_feed(r, buf, got, on_pair, j, &e)) < 0)
            break;
        if (got < sizeof buf) {
            if (ferror(f)) {
                tmk_error_set(&e, TMK_EIO, 0, 0, "cannot read the file: %s", strerror(errno));
                rc = TMK_EIO;
            } else {
                rc = tmk_xliff_reader_finish(r, on_pair, j, &e);
            }
            break;
        }
    }
    if (f != stdin)
        fclose(f);
    if (rc < 0 && !j->err.code) {
        j->err = e;
        tmk_error_set_file(&j->err, j->in);
    }
    if (rc < 0 && !j->err.file[0])
        tmk_error_set_file(&j->err, j->in);
    return rc;
}

/* The table format an output name's extension says (as convert reads it:
 * .tsv/.txt TSV, .csv CSV), or NULL. */
static const char *table_ext(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot || strchr(dot, '/'))
        return NULL;
    if (!strcasecmp(dot, ".tsv") || !strcasecmp(dot, ".txt"))
        return "TSV";
    if (!strcasecmp(dot, ".csv"))
        return "CSV";
    return NULL;
}


static int run(int argc, char **argv, int build)
{
    static const struct option opts[] = {
        {"from", required_argument, NULL, 'F'}, {"to", required_argument, NULL, 'T'},
        {"output", required_argument, NULL, 'o'}, {"source", required_argument, NULL, 's'},
        {"target", required_argument, NULL, 't'}, {"source-lang", required_argument, NULL, 's'},
        {"target-lang", required_argument, NULL, 't'}, {"status", required_argument, NULL, 'S'},
        {"strip", no_argument, NULL, 'X'}, {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    job j;
    memset(&j, 0, sizeof j);
    j.cmd = argv[0];
    j.build = build;
    j.min_status = TMK_XLIFF_TRANSLATED;
    tmk_buf_init(&j.tuid);
    tmk_buf_init(&j.sa);
    tmk_buf_init(&j.ta);
    const char *out = NULL;
    int ch, to_given = 0;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":o:s:t:qh", opts, NULL)) != -1) {
        switch (ch) {
        case 'F':
            if (strcasecmp(optarg, "xliff"))
                return cli_usage_error(argv[0], "--from %s does not fit an XLIFF input file; "
                                       "leave --from out (the content says what it is)",
                                       optarg);
            break;
        case 'T':
            if (build || strcasecmp(optarg, "tmx"))
                return cli_usage_error(argv[0], "XLIFF input converts to TMX only (--to tmx), "
                                       "not to %s", optarg);
            to_given = 1;
            break;
        case 'o': out = optarg; break;
        case 's': j.opt_src = optarg; break;
        case 't': j.opt_tgt = optarg; break;
        case 'S':
            j.min_status = tmk_xliff_status_parse(optarg);
            if (j.min_status < TMK_XLIFF_DRAFT)
                return cli_usage_error(argv[0], "--status must be draft, translated or "
                                       "approved, not '%s'", optarg);
            break;
        case 'X':
            if (build)
                return cli_usage_error(argv[0], "unknown option '--strip'");
            j.strip = 1;
            break;
        case 'q': j.quiet = 1; break;
        case 'h': fputs(build ? build_usage : convert_usage, stdout); return TMK_EXIT_OK;
        case ':': return cli_bad_option(argv[0], ch, argv);
        default:
            if (optind > 0 && optind <= argc && argv[optind - 1][0] == '-' &&
                argv[optind - 1][1] == '-')
                return cli_usage_error(argv[0], "option '%s' does not apply to an XLIFF file "
                                       "(it is segmented and aligned already); see tmkit %s "
                                       "--help", argv[optind - 1], argv[0]);
            return cli_bad_option(argv[0], ch, argv);
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error(argv[0], "give one XLIFF file (or - for stdin%s)%s",
                               build ? " with --from xliff" : "",
                               build ? "; several jobs: one build each, then tmkit merge" : "");
    if (j.opt_src && cli_check_lang(argv[0], j.opt_src))
        return TMK_EXIT_USAGE;
    if (j.opt_tgt && cli_check_lang(argv[0], j.opt_tgt))
        return TMK_EXIT_USAGE;
    j.in = argv[optind];
    const char *table = out && !build && !to_given ? table_ext(out) : NULL;
    if (table)
        return cli_usage_error(argv[0], "XLIFF input converts to TMX only, and the output "
                               "'%s' is named as %s: name it .tmx (or give --to tmx to write "
                               "TMX under that name)", out, table);
    char *def_out = NULL;
    if (!out)
        out = build ? (def_out = build_default_output(j.in)) : "-";
    if (!out) {
        cli_errorf("out of memory");
        return TMK_EXIT_IO;
    }
    j.out = out;
    int ex = TMK_EXIT_OK;
    if (strcmp(j.in, "-") && cli_same_file(j.in, out)) {
        ex = cli_usage_error(argv[0], "the output '%s' would replace the input; write it to "
                             "another file", out);
        free(def_out);
        return ex;
    }
    tmk_error oerr = TMK_ERROR_INIT;
    tmk_error_set_file(&oerr, out);
    j.of = cli_outfile_open(out, &oerr);
    if (!j.of) {
        free(def_out);
        return cli_report(&oerr);
    }
    tmk_xliff_reader *r = NULL;
    int rc = tmk_xliff_reader_new(&r, NULL, &j.err);
    if (rc == TMK_OK)
        rc = read_input(&j, r);
    if (rc == TMK_OK && !j.w)
        rc = open_writer(&j, j.opt_src);
    if (rc == TMK_OK && (rc = tmk_tmx_writer_finish(j.w, &j.err)) < 0)
        tmk_error_set_file(&j.err, out);
    if (rc < 0) {
        if (j.usage) {
            tmk_error_set_file(&j.err, j.in);
            ex = cli_report(&j.err);
            ex = TMK_EXIT_USAGE;
        } else {
            if (!j.err.code)
                tmk_error_set(&j.err, rc, 0, 0, "%s", tmk_error_string(rc));
            ex = cli_report(&j.err);
        }
    }
    tmk_tmx_writer_free(j.w);
    tmk_xliff_reader_free(r);
    if (ex == TMK_EXIT_OK) {
        if (cli_outfile_commit(j.of, &oerr) < 0)
            ex = cli_report(&oerr);
    } else {
        cli_outfile_abort(j.of);
    }
    if (ex == TMK_EXIT_OK && !j.quiet) {
        fprintf(stderr, "tmkit: %s: %lu unit(s) written to %s", j.in, j.total.written,
                strcmp(out, "-") ? out : "standard output");
        summary_counts(&j.total, j.min_status);
        for (size_t k = 0; j.nfiles > 1 && k < j.nfiles; k++) {
            fprintf(stderr, "tmkit: %s: file %zu%s%s%s: %lu written", j.in, k + 1,
                    j.files[k].name ? " (" : "", j.files[k].name ? j.files[k].name : "",
                    j.files[k].name ? ")" : "", j.files[k].written);
            summary_counts(&j.files[k], j.min_status);
        }
        if (j.dup_ids)
            fprintf(stderr, "tmkit: %s: %lu unit id(s) came more than once: those units "
                            "have no tuid\n", j.in, j.dup_ids);
    }
    tdestroy(j.ids, free);
    for (size_t k = 0; k < j.nfiles; k++)
        free(j.files[k].name);
    free(j.files);
    free(j.hdr_src);
    tmk_buf_release(&j.tuid);
    tmk_buf_release(&j.sa);
    tmk_buf_release(&j.ta);
    free(def_out);
    return ex;
}

int xliffcli_convert(int argc, char **argv)
{
    return run(argc, argv, 0);
}

int xliffcli_build(int argc, char **argv)
{
    return run(argc, argv, 1);
}
