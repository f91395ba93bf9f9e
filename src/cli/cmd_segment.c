/* cmd_segment.c -- `tmkit segment`: split text into sentences, one per line
 * (or JSON Lines with positions).  Reads each file in chunks through the
 * decoder and the segmenter, so memory follows the longest paragraph. */
#include <config.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static const char usage[] =
    "Usage: tmkit segment [OPTIONS] [FILE...]\n"
    "Split text into sentences: one segment per line on standard output.\n"
    "With no FILE, or FILE '-', read standard input.\n"
    "\n"
    "  -l, --lang LANG        language of the text (de, en, fr, de-CH, ...); picks the\n"
    "                         built-in rules (default: generic rules)\n"
    "      --srx FILE         use the rules of an SRX 2.0 file (from OmegaT, Trados,\n"
    "                         memoQ, Okapi...) instead of the built-in ones; -l then\n"
    "                         picks the language map inside the file\n"
    "      --dump-srx         print the rules in use as an SRX file and exit\n"
    "  -e, --encoding ENC     input encoding (default: UTF-8, or what a BOM says)\n"
    "      --paragraphs=MODE  auto (default): wrapped if the text looks hard-wrapped\n"
    "                         (a note says so), else line; line: every line is a\n"
    "                         paragraph, except soft-wrapped lines; wrapped: lines\n"
    "                         wrapped at a fixed width are joined, short lines end\n"
    "                         paragraphs; blank: blank lines separate paragraphs\n"
    "                         and single line breaks are spaces\n"
    "      --format FMT       text (default) or jsonl: one JSON object per segment\n"
    "                         with text, file, line, col (characters), offset (bytes\n"
    "                         in the decoded text: UTF-8, LF line ends, no BOM) and\n"
    "                         para (paragraph number)\n"
    "      --paragraph-breaks text: an empty line between paragraphs (and between\n"
    "                         files), so that the paragraphs travel with the\n"
    "                         segments ('tmkit align --segmented' reads them)\n"
    "      --keep-formatting  documents: show bold, italic, underline, links, super-\n"
    "                         and subscript as the TMX tags build writes (<bpt>/<ept>)\n"
    "  -h, --help             show this help\n"
    "\n"
    "Exit status: 0 ok, 2 usage, 3 bad input (encoding, SRX syntax), 4 I/O error.\n";

typedef struct {
    const char *file;
    int jsonl;
    int auto_para; /* --paragraphs=auto: say when a text was taken as wrapped */
    tmk_buf line;
    FILE *out;
    int keep_fmt;         /* --keep-formatting */
    struct cli_fmt fmt;   /* the document's formatting, in the text's offsets */
    tmk_buf tagged;
    enum tmk_segment_paragraph_mode mode; /* --paragraphs (documents: line) */
    int breaks;           /* --paragraph-breaks: an empty line between paragraphs */
    int file_start;       /* no segment of this file written yet */
    int written;          /* a segment written (of any file) */
    unsigned long para;   /* paragraph of the last segment written */
} out_ctx;

static int print_segment(void *ud, const tmk_segment *seg)
{
    out_ctx *o = ud;
    tmk_buf_reset(&o->line);
    int rc;
    const char *text = seg->text;
    size_t len = seg->len;
    if (o->fmt.n) {
        unsigned next_i = 1;
        int tags = 0;
        tmk_buf_reset(&o->tagged);
        if (cli_fmt_render(&o->fmt, seg->text, seg->len, seg->offset, &o->tagged, &next_i,
                           &tags) < 0)
            return TMK_ENOMEM;
        text = o->tagged.data;
        len = o->tagged.len;
    }
    if (o->jsonl) {
        rc = tmk_buf_adds(&o->line, "{\"text\":\"");
        if (rc >= 0)
            rc = tmk_buf_add_json(&o->line, text, len);
        if (rc >= 0)
            rc = tmk_buf_adds(&o->line, "\",\"file\":\"");
        if (rc >= 0)
            rc = tmk_buf_add_json(&o->line, o->file, strlen(o->file));
        if (rc >= 0)
            rc = tmk_buf_printf(&o->line, "\",\"line\":%lu,\"col\":%lu,\"offset\":%zu,\"para\":%lu}\n",
                                seg->line, seg->col, seg->offset, seg->para);
    } else {
        rc = 0;
        /* a new paragraph, or the first of the next file: an empty line */
        if (o->breaks && o->written && (o->file_start || seg->para != o->para))
            rc = tmk_buf_addch(&o->line, '\n');
        if (rc >= 0)
            rc = tmk_buf_add(&o->line, text, len);
        if (rc >= 0)
            rc = tmk_buf_addch(&o->line, '\n');
    }
    if (rc < 0)
        return TMK_ENOMEM;
    if (fwrite(o->line.data, 1, o->line.len, o->out) != o->line.len)
        return TMK_EIO;
    o->written = 1;
    o->file_start = 0;
    o->para = seg->para;
    return 0;
}

static int drop_segment(void *ud, const tmk_segment *seg)
{
    (void)seg;
    (void)ud;
    return 0;
}

/* Segment one input; returns an exit code. */
/* lang: the -l language (NULL: none), checked against a page's lang */
static int segment_file(tmk_segmenter *seg, const char *path, const char *enc, const char *lang,
                        out_ctx *o)
{
    tmk_error err = TMK_ERROR_INIT;
    const char *name = strcmp(path, "-") ? path : "-";
    FILE *in = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!in) {
        cli_errorf("%s: cannot open: %s", path, strerror(errno));
        return TMK_EXIT_IO;
    }
    tmk_error_set_file(&err, name);
    tmk_decoder *d = NULL;
    tmk_decoder_new(&d, enc, name, &err);
    if (!d) {
        if (in != stdin)
            fclose(in);
        if (err.code == TMK_EINVAL)
            return cli_usage_error("segment", "%s", err.msg);
        return cli_report(&err);
    }
    o->file = name;
    o->file_start = 1;
    tmk_buf text = TMK_BUF_INIT;
    static char chunk[1 << 16];
    int rc = TMK_OK;
    size_t n;
    int first = 1, doc = 0;
    enum tmk_segment_paragraph_mode mode = o->mode;
    while (rc == TMK_OK && (n = fread(chunk, 1, sizeof chunk, in)) > 0) {
        if (first && (tmk_doc_reads(tmk_decode_sniff(chunk, n, NULL)) ||
                      (n >= 2 && ((chunk[0] == '\xFF' && chunk[1] == '\xFE') ||
                                  (chunk[0] == '\xFE' && chunk[1] == '\xFF'))))) {
            /* a document, or UTF-16 (maybe a page): read whole */
            tmk_buf raw = TMK_BUF_INIT;
            int ok = tmk_buf_add(&raw, chunk, n) == 0;
            while (ok && (n = fread(chunk, 1, sizeof chunk, in)) > 0)
                ok = tmk_buf_add(&raw, chunk, n) == 0;
            int x = ok && !ferror(in) ? cli_text_from_raw_fmt(name, &raw, enc, lang, &text,
                                                              o->keep_fmt ? &o->fmt : NULL)
                                      : -1;
            tmk_buf_release(&raw);
            if (x) {
                if (x < 0)
                    cli_errorf("%s: cannot read: %s", path, ok ? strerror(errno) : "out of memory");
                tmk_buf_release(&text);
                tmk_decoder_free(d);
                if (in != stdin)
                    fclose(in);
                return x < 0 ? TMK_EXIT_IO : x;
            }
            /* a document's lines are its paragraphs: never glued */
            tmk_segmenter_set_paragraph_mode(seg, TMK_PARA_LINES, NULL);
            doc = 1;
            rc = tmk_segmenter_feed(seg, text.data, text.len, print_segment, o, &err);
            tmk_buf_reset(&text);
            break;
        }
        first = 0;
        rc = tmk_decoder_feed(d, chunk, n, &text, &err);
        if (rc == TMK_OK && text.len) {
            rc = tmk_segmenter_feed(seg, text.data, text.len, print_segment, o, &err);
            tmk_buf_reset(&text);
        }
    }
    int exitc = TMK_EXIT_OK;
    if (rc == TMK_OK && ferror(in)) {
        cli_errorf("%s: cannot read: %s", path, strerror(errno));
        exitc = TMK_EXIT_IO;
    }
    if (rc == TMK_OK && exitc == TMK_EXIT_OK) {
        rc = tmk_decoder_finish(d, &text, &err);
        if (rc == TMK_OK)
            rc = tmk_segmenter_feed(seg, text.data, text.len, print_segment, o, &err);
        if (rc == TMK_OK)
            rc = tmk_segmenter_finish(seg, print_segment, o, &err);
        if (rc == TMK_OK && o->auto_para && !doc)
            cli_note_wrapped(name, tmk_segmenter_wrap_width(seg));
        if (rc == TMK_OK)
            cli_warn_looks_utf8(d, name, enc);
    }
    if (rc != TMK_OK) {
        if (rc == TMK_EIO) {
            cli_errorf("cannot write the output: %s", strerror(errno));
            exitc = TMK_EXIT_IO;
        } else {
            tmk_error_set_file(&err, name);
            if (rc == TMK_ENOMEM && !err.msg[0])
                tmk_error_set(&err, TMK_ENOMEM, 0, 0, "out of memory");
            exitc = cli_report(&err);
        }
        tmk_segmenter_finish(seg, drop_segment, NULL, NULL); /* reset, rest dropped */
    }
    if (doc)
        tmk_segmenter_set_paragraph_mode(seg, mode, NULL);
    tmk_buf_release(&text);
    cli_fmt_release(&o->fmt);
    tmk_decoder_free(d);
    if (in != stdin)
        fclose(in);
    return exitc;
}

int cmd_segment(int argc, char **argv)
{
    static const struct option opts[] = {
        {"lang", required_argument, NULL, 'l'},
        {"srx", required_argument, NULL, 'S'},
        {"dump-srx", no_argument, NULL, 'D'},
        {"encoding", required_argument, NULL, 'e'},
        {"paragraphs", required_argument, NULL, 'P'},
        {"format", required_argument, NULL, 'F'},
        {"keep-formatting", no_argument, NULL, 'K'},
        {"paragraph-breaks", no_argument, NULL, 'B'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *lang = NULL, *srx = NULL, *enc = NULL;
    int dump = 0, jsonl = 0, keep_fmt = 0, breaks = 0;
    enum tmk_segment_paragraph_mode mode = TMK_PARA_AUTO;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":l:e:h", opts, NULL)) != -1) {
        switch (c) {
        case 'l': lang = optarg; break;
        case 'S': srx = optarg; break;
        case 'D': dump = 1; break;
        case 'K': keep_fmt = 1; break;
        case 'B': breaks = 1; break;
        case 'e': enc = optarg; break;
        case 'P':
            if (cli_paragraph_mode(optarg, &mode) < 0)
                return cli_usage_error("segment", "--paragraphs must be auto, line, wrapped or "
                                       "blank, not '%s'", optarg);
            break;
        case 'F':
            if (!strcmp(optarg, "text"))
                jsonl = 0;
            else if (!strcmp(optarg, "jsonl"))
                jsonl = 1;
            else
                return cli_usage_error("segment", "--format must be 'text' or 'jsonl', not '%s'",
                                       optarg);
            break;
        case 'h': fputs(usage, stdout); return TMK_EXIT_OK;
        case ':': return cli_usage_error("segment", "option '%s' needs a value", argv[optind - 1]);
        default:
            if (optopt > 0 && optopt < 128)
                return cli_usage_error("segment", "unknown option '-%c'", optopt);
            return cli_usage_error("segment", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (breaks && jsonl)
        return cli_usage_error("segment", "--paragraph-breaks is for text output; with "
                               "--format jsonl each segment gives its paragraph in \"para\"");
    int bad_lang = lang ? cli_check_lang("segment", lang) : 0;
    if (bad_lang)
        return bad_lang;
    tmk_error err = TMK_ERROR_INIT;
    tmk_segmenter *seg;
    if (cli_segmenter_new(&seg, lang, srx, &err) < 0) {
        if (err.code == TMK_EIO && srx && !err.file[0])
            tmk_error_set_file(&err, srx);
        return cli_report(&err);
    }
    tmk_segmenter_set_paragraph_mode(seg, mode, NULL);
    int exitc = TMK_EXIT_OK;
    if (dump) {
        tmk_buf b = TMK_BUF_INIT;
        if (tmk_segmenter_dump_srx(seg, &b, &err) < 0) {
            exitc = cli_report(&err);
        } else if (fwrite(b.data, 1, b.len, stdout) != b.len) {
            cli_errorf("cannot write the output: %s", strerror(errno));
            exitc = TMK_EXIT_IO;
        }
        tmk_buf_release(&b);
        tmk_segmenter_free(seg);
        return exitc;
    }
    out_ctx o = {"-", jsonl, mode == TMK_PARA_AUTO, TMK_BUF_INIT, stdout, keep_fmt,
                 {NULL, 0, 0, 0}, TMK_BUF_INIT, mode, breaks, 1, 0, 0};
    if (optind >= argc) {
        exitc = segment_file(seg, "-", enc, lang, &o);
    } else {
        for (int i = optind; i < argc; i++) {
            int r = segment_file(seg, argv[i], enc, lang, &o);
            if (r > exitc)
                exitc = r;
        }
    }
    if (fflush(stdout) != 0 && exitc == TMK_EXIT_OK) {
        cli_errorf("cannot write the output: %s", strerror(errno));
        exitc = TMK_EXIT_IO;
    }
    tmk_buf_release(&o.line);
    tmk_buf_release(&o.tagged);
    tmk_segmenter_free(seg);
    return exitc;
}
