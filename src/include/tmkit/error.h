/* tmkit/error.h -- error codes and the one error struct of libtmkit.
 *
 * Every library function that can fail returns an int (TMK_OK = 0, or a
 * negative TMK_E* code; objects come through out-parameters) and takes an
 * optional `tmk_error *err` as its last argument (tmkit.h, rule 2).  When
 * err is not NULL it is filled with the code, the position (1-based line
 * and column, column counted in characters, 0 = unknown) and a message
 * written for the person reading it (lowercase, no final full stop).  The library never prints and
 * never exits.
 */
#ifndef TMKIT_ERROR_H
#define TMKIT_ERROR_H

#include <stdarg.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum tmk_error_code {
    TMK_OK = 0,
    TMK_ENOMEM = -1,   /* out of memory */
    TMK_EIO = -2,      /* reading or writing a file failed */
    TMK_EENCODING = -3,/* input is not in the expected character encoding */
    TMK_ESYNTAX = -4,  /* input is malformed (XML, SRX, TSV, ...) */
    TMK_EINVAL = -5,   /* bad argument or option value */
    TMK_ENOTFOUND = -6,/* a dictionary, rule file or language is missing */
    TMK_ELIMIT = -7,   /* input exceeds a safety limit (depth, size) */
    TMK_ECANCELED = -8,/* a callback returned non-zero: the caller asked to stop */
    TMK_EFORMAT = -9   /* input is another kind of file (HTML, DOCX, PDF, ...), not text */
};

/* What exactly went wrong, for programs: err->detail refines err->code so
 * that no caller ever has to read err->msg (the wording may change between
 * releases; the detail codes do not).  New details are only ever added. */
enum tmk_error_detail {
    TMK_D_NONE = 0,
    TMK_D_NOT_UTF8,          /* bytes that are not UTF-8 (try another encoding) */
    TMK_D_LOOKS_UTF16LE,     /* NUL bytes: the file looks like UTF-16LE */
    TMK_D_LOOKS_UTF16BE,     /* NUL bytes: the file looks like UTF-16BE */
    TMK_D_NUL_BYTE,          /* a NUL byte in text */
    TMK_D_NO_SUCH_LANGUAGE,  /* the memory has no unit in the requested language */
    TMK_D_EMPTY_MEMORY,      /* the memory holds no usable unit */
    TMK_D_INDEX_STALE,       /* an index file does not match its memory (rebuilt) */
    TMK_D_INDEX_CORRUPT,     /* an index file is truncated or not an index */
    TMK_D_CHANGED_WHILE_READ,/* an input changed while it was being read */
    TMK_D_TRUNCATED,         /* a compressed input ends before its end (a partial copy) */
    TMK_D_UNPACK_LIMIT,      /* a compressed input unpacks beyond the limit (a bomb) */
    TMK_D_DAMAGED_UTF8,      /* a bad byte in a file that is otherwise UTF-8 (a character
                              * cut off): keep the encoding, correct the character */
    TMK_D_AFTER_FINISH,      /* TMK_EINVAL: a feed, add or finish after finish (tmkit.h
                              * rule 6): the caller's mistake, not the input's */
    TMK_D_BAD_MARKUP,        /* TMK_EINVAL: a seg given as TMX markup (markup = 1) is not
                              * well-formed TMX inline markup (tmk_tmx_writer_add) */
    TMK_D_NO_DICTIONARY,     /* TMK_ENOTFOUND: no Hunspell dictionary for the language in
                              * the folders searched (a program says how its user gives
                              * another folder or file) */
    TMK_D_NO_DATA,           /* TMK_ENOTFOUND: a data file of the library (built-in rules)
                              * is not in its data folders (the options' data_dir, the
                              * installed one) */
    TMK_D_DICT_DAMAGED,      /* a bilingual dictionary is damaged: align without it */
    TMK_D_TEMP_DIR           /* TMK_EIO: a temporary file cannot be made, written or read
                              * in the temporary folder (the options' temp_dir, named in
                              * the message): a program says how its user gives another */
};

/* The longest file name err->file holds whole (bytes, with its NUL); a
 * longer one keeps "..." and its last bytes (the file's own name). */
#define TMK_ERROR_FILE_MAX 1024

typedef struct tmk_error {
    int code;                /* one of enum tmk_error_code */
    char file[TMK_ERROR_FILE_MAX]; /* the file the error is about ("-" for stdin), or ""
                                when none: the error's own copy (set it with
                                tmk_error_set_file), so a tmk_error holds nothing to free
                                and can be copied by assignment */
    unsigned long line, col; /* 1-based; 0 = unknown; col counts characters */
    char msg[512];           /* lowercase, no final full stop */
    int detail;              /* one of enum tmk_error_detail, TMK_D_NONE when not refined */
} tmk_error;

#define TMK_ERROR_INIT {0, {0}, 0, 0, {0}, 0}

/* Fill err (if not NULL) and return code.  fmt is printf-style. */
int tmk_error_set(tmk_error *err, int code, unsigned long line,
                  unsigned long col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* As tmk_error_set, with a detail code (enum tmk_error_detail). */
int tmk_error_set_detail(tmk_error *err, int code, int detail, unsigned long line,
                         unsigned long col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/* Name the file the error is about (NULL or "": none).  err->file becomes
 * a copy of the name held in err itself (truncated at the front with "..."
 * past TMK_ERROR_FILE_MAX - 1 bytes), so the caller's string may go away
 * and nothing is kept anywhere else.  A call that succeeds leaves err as
 * the caller passed it (tmkit.h rule 2): the name of its input, or of a
 * file it read on the way, is not left in err->file (tmk_decode_file,
 * tmk_io_read_file, a reader's feed and finish, tmk_segmenter_new,
 * tmk_builder_run, ...). */
void tmk_error_set_file(tmk_error *err, const char *file);

/* Reset err to "no error". */
void tmk_error_clear(tmk_error *err);

/* A short English name for a code ("out of memory", "I/O error", ...). */
const char *tmk_error_string(int code);
/* A short English name for a detail code; "" for TMK_D_NONE. */
const char *tmk_error_detail_string(int detail);

#ifdef __cplusplus
}
#endif
#endif
