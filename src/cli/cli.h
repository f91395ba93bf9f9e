/* cli.h -- what the subcommands of the tmkit program share. */
#ifndef TMK_CLI_H
#define TMK_CLI_H

#include <stdio.h>
#include "tmkit/tmkit.h"
#include "outfile.h"

/* Exit codes: the one list, documented in README.md and tmkit(1). */
enum tmk_exit {
    TMK_EXIT_OK = 0,       /* success */
    TMK_EXIT_FINDINGS = 1, /* findings, only where --strict asks for it */
    TMK_EXIT_USAGE = 2,    /* wrong options or arguments */
    TMK_EXIT_INPUT = 3,    /* bad input: encoding, syntax */
    TMK_EXIT_IO = 4        /* I/O or system error (including missing dictionaries) */
};

/* Subcommands: argv[0] is the command name. */
int cmd_build(int argc, char **argv);
int cmd_segment(int argc, char **argv);
int cmd_spell(int argc, char **argv);
int cmd_align(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_filter(int argc, char **argv);
int cmd_lookup(int argc, char **argv);
int cmd_concordance(int argc, char **argv);
int cmd_analyze(int argc, char **argv);

/* The exit code that fits a library error code. */
int cli_exit_for(int code);
/* Print "tmkit: FILE:LINE:COL: message" (the parts that are known) and
 * return cli_exit_for(err->code).  hint_encoding adds the --encoding hint
 * on UTF-8 errors. */
int cli_report(const tmk_error *err);
/* Print "tmkit: message" to stderr. */
void cli_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print "tmkit CMD: message" and the hint to run --help; returns TMK_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* --paragraphs=MODE: auto, line, wrapped or blank into *mode; -1 when
 * the name is none of them. */
int cli_paragraph_mode(const char *name, enum tmk_segment_paragraph_mode *mode);
/* The --paragraphs name of a mode (the inverse of cli_paragraph_mode). */
const char *cli_paragraph_mode_name(enum tmk_segment_paragraph_mode mode);
/* With --paragraphs=auto: when width is not 0, tell on standard error that
 * file was taken as hard-wrapped and how to choose otherwise. */
void cli_note_wrapped(const char *file, unsigned width);
/* The warning that two texts do not look like translations of each other
 * (st->unrelated), from the program prog ("tmkit", "tmkit align"). */
void cli_warn_unrelated(const char *prog, const char *src, const char *tgt,
                        const tmk_align_stats *st);

/* The program's "-": the library reads a path as named (a file called
 * "-" is a file), so these map "-" to standard input (named "-" in errors,
 * which cli_report prints as it is) and any other name to the file.  As
 * tmk_io_read_file and tmk_tmx_read_file. */
int cli_read_file(const char *path, tmk_buf *out, tmk_error *err);
int cli_tmx_read(tmk_tmx_reader *r, const char *path, tmk_error *err);
/* Read and decode a text file ("-" = stdin) into out; on failure print the
 * error and return the exit code, else 0. */
int cli_read_text(const char *path, const char *encoding, tmk_buf *out);
/* The same; a document (DOCX, ODT, HTML, PDF: recognised by content) is
 * read as its paragraphs, one a line (a line break in a paragraph is a
 * line too), and when it declares a language other than lang (when not
 * NULL) a warning says so. */
int cli_read_text_as(const char *path, const char *encoding, const char *lang, tmk_buf *out);
/* A warning when a file decoded with an 8-bit encoding looks like UTF-8
 * (tmk_decoder_looks_utf8). */
void cli_warn_looks_utf8(const tmk_decoder *d, const char *path, const char *encoding);
/* The same on the bytes of path, already read. */
int cli_text_from_raw(const char *path, const tmk_buf *raw, const char *encoding,
                      const char *lang, tmk_buf *out);
/* --keep-formatting: the formatting of a text read by cli_read_text_fmt,
 * spans in the text's byte offsets, ordered by start (fmt_cli.c). */
struct cli_fmt {
    tmk_doc_span *v;
    size_t n, cap;
    size_t maxlen; /* of the longest span */
};
/* As cli_read_text_as; with fmt not NULL a document's formatting is added
 * to fmt (a plain text has none). */
int cli_read_text_fmt(const char *path, const char *encoding, const char *lang, tmk_buf *out,
                      struct cli_fmt *fmt);
/* As cli_read_text_fmt; *is_doc (when not NULL) tells whether path was a
 * document: its lines are its paragraphs (segment them in line mode). */
int cli_read_text_doc(const char *path, const char *encoding, const char *lang, tmk_buf *out,
                      struct cli_fmt *fmt, int *is_doc);
int cli_text_from_raw_fmt(const char *path, const tmk_buf *raw, const char *encoding,
                          const char *lang, tmk_buf *out, struct cli_fmt *fmt);
/* Add n spans of a paragraph that starts at byte base (targets copied). */
int cli_fmt_add(struct cli_fmt *f, const tmk_doc_span *sp, size_t n, size_t base);
void cli_fmt_release(struct cli_fmt *f);
/* Append the text s[0..len), found at byte offset off of the text f is
 * about, with its formatting as TMX inline tags (tmk_doc_render_tmx);
 * *tags is set to 1 when a tag was written.  TMK_ENOMEM. */
int cli_fmt_render(const struct cli_fmt *f, const char *s, size_t len, size_t off,
                   tmk_buf *out, unsigned *next_i, int *tags);
/* A unit whose sides are rebuilt with their formatting: the segments of
 * side k of bead bd are got through seg() and joined with a space, as
 * tmk_build_units joins them.  *out is tu with the new tuvs (in tuvs[2]
 * and bufs[2], which the caller owns and releases). */
int cli_fmt_unit(const tmk_tmx_tu *tu, const tmk_align_bead *bd, const struct cli_fmt *const fmt[2],
                 int (*seg)(void *ud, int side, size_t i, const char **s, size_t *len,
                            size_t *off),
                 void *ud, tmk_tmx_tu *out, tmk_tmx_tuv tuvs[2], tmk_buf bufs[2]);
/* The text of the document raw[0..len) read from path, as above. */
int cli_document_text(const char *path, const void *raw, size_t len, const char *encoding,
                      const char *lang, tmk_buf *out);
/* Append one TSV field: TAB, LF, CR and backslash as \t \n \r \\.
 * sheet = 0: tmkit's plain TSV (format "tsv"), where a quote is always
 * text.  sheet = 1: the spreadsheet dialect (format "sheet"): a text that
 * starts with '"' goes in quotes with inner quotes doubled, as spreadsheets
 * read it.  Returns TMK_OK or TMK_ENOMEM. */
int cli_tsv_field(tmk_buf *o, const char *s, size_t n, int sheet);
/* Whether two file names name the same existing file (the same name, or
 * the same device and inode: links, "./x" and "x").  "-" (standard input or
 * output) is never the same as a file; two "-" are the same.  Commands call
 * it before writing so that an output never replaces one of their inputs
 * and two outputs never replace each other. */
int cli_same_file(const char *a, const char *b);
/* For getopt_long run with opterr = 0 and an option string starting with
 * ':': print "unknown option '-x'" or "option '--x' needs a value" (c is
 * what getopt_long returned) and return TMK_EXIT_USAGE. */
int cli_bad_option(const char *cmd, int c, char *const *argv);
/* Check the value of a language option (-l, -s, -t): 0 when it is a
 * BCP 47 tag (de, de-DE, zh-Hant-TW; "_" taken for "-", any case), else
 * print a usage error for cmd and return TMK_EXIT_USAGE.  A value such as
 * "../x" or "" never reaches a file name built from it.  The one check for
 * every command. */
int cli_check_lang(const char *cmd, const char *value);
/* Whether stderr is a terminal (for progress display). */
int cli_stderr_is_tty(void);
/* The creation date of new memories (tmk_tmx_write_options.creation_time):
 * $SOURCE_DATE_EPOCH when it is a number >= 0 (reproducible builds), else
 * the clock; read once per run. */
long long cli_creation_time(void);
/* The folders of tmkit's data (rules, word lists: $TMKIT_DATADIR) and of
 * its temporary files that are not outputs (merge, stats: $TMPDIR), read
 * once (main reads them before the command runs); NULL when unset or
 * empty.  The library keeps no such setting: every options struct that
 * has data_dir or temp_dir gets these. */
const char *cli_data_dir(void);
const char *cli_temp_dir(void);
/* tmk_segmenter_new with the data folder (cli_data_dir). */
struct tmk_segmenter;
int cli_segmenter_new(struct tmk_segmenter **out, const char *lang, const char *srx,
                      tmk_error *err);
/* The speller's folders from the environment (cmd_spell.c): dict_path
 * from DICPATH, home_dir from HOME, temp_dir cli_temp_dir() (TMPDIR),
 * data_dir cli_data_dir() (TMKIT_DATADIR).  Every command that makes a
 * speller calls it. */
struct tmk_spell_options;
void cli_spell_env(struct tmk_spell_options *o);

/* Below this alignment confidence a pair is weak: marked for review in
 * align's HTML and counted in build's summary (on the benchmark's
 * documents, pairs below it are wrong several times as often as those
 * above). */
#define CLI_WEAK_SCORE 0.7

#endif
