/* Unit tests: the limits of the readers, the stream variants, temporary
 * files (issue 16: nothing lost, nothing hung, nothing left behind).  The
 * program's output files: test_outfile.c. */
#include <config.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "tmkit/tmkit.h"

#define SCRATCH_PREFIX "test_io"
#include "scratch_files.h"

static void test_read_file_max_stops_past_the_limit(void **state)
{
    (void)state;
    char *dir = scratch(), *p = join(dir, "f");
    write_file(p, "0123456789", 10);
    tmk_buf b = TMK_BUF_INIT;
    tmk_error err = TMK_ERROR_INIT;
    /* exactly the limit: read whole */
    assert_int_equal(tmk_io_read_file_max(p, &b, 10, &err), TMK_OK);
    assert_int_equal(b.len, 10);
    tmk_buf_reset(&b);
    /* one byte more than the limit: refused, named */
    assert_int_equal(tmk_io_read_file_max(p, &b, 9, &err), TMK_ELIMIT);
    assert_int_equal(err.code, TMK_ELIMIT);
    assert_string_equal(err.file, p);
    assert_non_null(strstr(err.msg, "larger than 9 bytes"));
    tmk_buf_release(&b);
    /* an endless stream stops at the default limit, not at memory's end */
    tmk_error_clear(&err);
    if (access("/dev/zero", R_OK) == 0) {
        assert_int_equal(tmk_io_read_file_max("/dev/zero", &b, 1 << 20, &err), TMK_ELIMIT);
        assert_true(b.len <= (size_t)1 << 20);
        tmk_buf_release(&b);
    }
    unlink(p);
    rmdir(dir);
    free(p);
    free(dir);
}

static void test_decode_file_stops_at_the_first_bad_byte_of_an_endless_stream(void **state)
{
    (void)state;
    if (access("/dev/zero", R_OK) != 0)
        skip();
    tmk_buf b = TMK_BUF_INIT;
    tmk_error err = TMK_ERROR_INIT;
    /* before: the whole stream was read first, so this never returned */
    assert_int_equal(tmk_decode_file("/dev/zero", NULL, &b, &err), TMK_EENCODING);
    assert_int_equal(err.line, 1);
    assert_int_equal(err.col, 1);
    assert_non_null(strstr(err.msg, "NUL byte"));
    tmk_buf_release(&b);
}

/* The decoder's settings can say that they failed (rule 2 of tmkit.h): a
 * setting made after the first feed would hold for part of the text only,
 * so it is refused with TMK_EINVAL and changes nothing. */
static void test_decoder_settings_after_the_first_feed_are_refused(void **state)
{
    (void)state;
    tmk_error err = TMK_ERROR_INIT;
    tmk_decoder *d = NULL;
    assert_int_equal(tmk_decoder_new(&d, NULL, "t.txt", &err), TMK_OK);
    assert_int_equal(tmk_decoder_set_max_line(d, 4, &err), TMK_OK);
    assert_int_equal(tmk_decoder_set_sniff(d, 0, &err), TMK_OK);
    tmk_buf out = TMK_BUF_INIT;
    assert_int_equal(tmk_decoder_feed(d, "abc\n", 4, &out, &err), TMK_OK);
    assert_int_equal(tmk_decoder_set_max_line(d, 100, &err), TMK_EINVAL);
    assert_int_equal(err.code, TMK_EINVAL);
    tmk_error_clear(&err);
    assert_int_equal(tmk_decoder_set_sniff(d, 1, &err), TMK_EINVAL);
    assert_int_equal(err.code, TMK_EINVAL);
    tmk_error_clear(&err);
    /* the longest line is still 4 bytes */
    int rc = tmk_decoder_feed(d, "abcdefgh\n", 9, &out, &err);
    if (rc == TMK_OK)
        rc = tmk_decoder_finish(d, &out, &err);
    assert_int_equal(rc, TMK_ELIMIT);
    tmk_decoder_free(d);
    tmk_buf_release(&out);
}

static void test_decoder_line_limit(void **state)
{
    (void)state;
    tmk_error err = TMK_ERROR_INIT;
    tmk_decoder *d = NULL;
    tmk_decoder_new(&d, NULL, "t", &err);
    assert_non_null(d);
    tmk_decoder_set_max_line(d, 8, NULL);
    tmk_buf out = TMK_BUF_INIT;
    /* lines of 8 bytes pass, fed in pieces; the third line has 9 */
    assert_int_equal(tmk_decoder_feed(d, "12345678\n1234", 13, &out, &err), TMK_OK);
    assert_int_equal(tmk_decoder_feed(d, "5678\n1234", 9, &out, &err), TMK_OK);
    /* the decoder holds its first bytes back to recognise the content (an
     * HTML page, a DOCX, ...), so the limit may show at finish */
    int lrc = tmk_decoder_feed(d, "56789", 5, &out, &err);
    if (lrc == TMK_OK)
        lrc = tmk_decoder_finish(d, &out, &err);
    assert_int_equal(lrc, TMK_ELIMIT);
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.msg, "longer than 8 bytes"));
    assert_string_equal(out.data, "12345678\n12345678\n");
    tmk_decoder_free(d);
    tmk_buf_release(&out);
    /* the default is TMK_DECODE_MAX_LINE */
    tmk_decoder_new(&d, NULL, "t", &err);
    assert_non_null(d);
    size_t n = 1 << 20;
    char *a = malloc(n);
    assert_non_null(a);
    memset(a, 'a', n);
    int rc = TMK_OK;
    size_t fed = 0;
    while (rc == TMK_OK && fed <= TMK_DECODE_MAX_LINE) {
        rc = tmk_decoder_feed(d, a, n, &out, &err);
        fed += n;
    }
    assert_int_equal(rc, TMK_ELIMIT);
    assert_int_equal(fed, TMK_DECODE_MAX_LINE + n);
    assert_int_equal(out.len, 0);
    free(a);
    tmk_decoder_free(d);
    tmk_buf_release(&out);
}

static void test_temp_file_goes_to_the_folder_given_and_leaves_nothing(void **state)
{
    (void)state;
    char *dir = scratch();
    tmk_error err = TMK_ERROR_INIT;
    FILE *f = NULL;
    assert_int_equal(tmk_io_temp_file(&f, dir, &err), TMK_OK);
    assert_non_null(f);
    assert_int_equal(fputs("x", f) >= 0, 1);
    /* in that folder (same device), with no name left in it */
    struct stat fs, ds;
    assert_int_equal(fstat(fileno(f), &fs), 0);
    assert_int_equal(stat(dir, &ds), 0);
    assert_true(fs.st_dev == ds.st_dev);
    assert_int_equal(fs.st_nlink, 0);
    assert_int_equal(entries(dir), 0);
    fclose(f);
    /* a folder that does not exist: an I/O error naming it */
    char *missing = join(dir, "missing");
    tmk_error_set_file(&err, "input.tmx");
    /* the code is the call's result, also without err (not NULL for both
     * "no memory" and "no folder") */
    assert_int_equal(tmk_io_temp_file(&f, missing, NULL), TMK_EIO);
    assert_null(f);
    assert_int_equal(tmk_io_temp_file(&f, missing, &err), TMK_EIO);
    assert_null(f);
    assert_int_equal(err.code, TMK_EIO);
    assert_int_equal(err.detail, TMK_D_TEMP_DIR);
    assert_string_equal(err.file, ""); /* not about the input */
    assert_non_null(strstr(err.msg, missing));
    assert_non_null(strstr(err.msg, strerror(ENOENT)));
    /* the library gives no advice about the program's environment */
    assert_null(strstr(err.msg, "TMPDIR"));
    /* NULL and "": /tmp */
    assert_int_equal(stat("/tmp", &ds), 0);
    for (int k = 0; k < 2; k++) {
        assert_int_equal(tmk_io_temp_file(&f, k ? "" : NULL, &err), TMK_OK);
        assert_int_equal(fstat(fileno(f), &fs), 0);
        assert_true(fs.st_dev == ds.st_dev);
        fclose(f);
    }
    rmdir(dir);
    free(missing);
    free(dir);
}

/* How many of this process's open files were made in dir (their names,
 * from /proc/self/fd, start "DIR/tmkit-"; the runs are nameless, so the
 * link reads "... (deleted)").  -1 when /proc cannot tell. */
static int open_files_in(const char *dir)
{
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        return -1;
    char real[4096], want[4200];
    if (!realpath(dir, real)) {
        closedir(d);
        return -1;
    }
    snprintf(want, sizeof want, "%s/tmkit-", real);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        char link[300], target[4200];
        snprintf(link, sizeof link, "/proc/self/fd/%s", e->d_name);
        ssize_t k = readlink(link, target, sizeof target - 1);
        if (k <= 0)
            continue;
        target[k] = '\0';
        n += !strncmp(target, want, strlen(want));
    }
    closedir(d);
    return n;
}

/* Two sorters with different temp_dir in one process (no process-wide
 * setting): each writes its runs in its own folder; a third one, given a
 * folder that does not exist, fails naming it while the others go on. */
static void test_sorter_runs_go_to_the_temp_dir(void **state)
{
    (void)state;
    char *dir[2] = {scratch(), scratch()};
    char *missing = join(dir[0], "missing");
    tmk_error err = TMK_ERROR_INIT;
    tmk_sorter *s[2] = {NULL, NULL}, *bad = NULL;
    for (int k = 0; k < 2; k++) {
        assert_int_equal(tmk_sorter_new(&s[k], 8, tmk_sorter_cmp_u64, 64, dir[k], &err), TMK_OK);
        assert_non_null(s[k]);
    }
    assert_int_equal(tmk_sorter_new(&bad, 8, tmk_sorter_cmp_u64, 64, missing, &err), TMK_OK);
    /* records go to the three in turn: the good ones spill, the bad one
     * fails at its first spill, naming its folder */
    int rc = TMK_OK;
    for (uint64_t i = 0; i < 100; i++) {
        for (int k = 0; k < 2; k++) {
            uint64_t v = k ? i : 99 - i;
            assert_int_equal(tmk_sorter_add(s[k], &v, &err), TMK_OK);
        }
        if (rc == TMK_OK)
            rc = tmk_sorter_add(bad, &i, &err);
    }
    assert_int_equal(rc, TMK_EIO);
    assert_int_equal(err.detail, TMK_D_TEMP_DIR);
    assert_non_null(strstr(err.msg, missing));
    assert_null(strstr(err.msg, "TMPDIR"));
    tmk_sorter_free(bad);
    for (int k = 0; k < 2; k++) {
        assert_true(tmk_sorter_runs(s[k]) > 1);
        assert_int_equal(entries(dir[k]), 0); /* nameless */
    }
    int in0 = open_files_in(dir[0]), in1 = open_files_in(dir[1]);
    if (in0 >= 0) { /* Linux: the runs are open files of those folders */
        assert_int_equal(in0, (int)tmk_sorter_runs(s[0]));
        assert_int_equal(in1, (int)tmk_sorter_runs(s[1]));
    }
    /* sorted back, and nothing is left */
    for (int k = 0; k < 2; k++) {
        assert_int_equal(tmk_sorter_sort(s[k], &err), TMK_OK);
        uint64_t v, want = 0;
        while ((rc = tmk_sorter_next(s[k], &v, &err)) == 1)
            assert_true(v == want++);
        assert_int_equal(rc, 0);
        assert_true(want == 100);
        tmk_sorter_free(s[k]);
        assert_int_equal(open_files_in(dir[k]) <= 0, 1);
        rmdir(dir[k]);
        free(dir[k]);
    }
    free(missing);
}

/* Two units, de and en: what the TMX readers below are given. */
static const char tmx2[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<tmx version=\"1.4\"><header srclang=\"de\" segtype=\"sentence\" datatype=\"plaintext\" "
    "adminlang=\"en\" creationtool=\"t\" creationtoolversion=\"1\" o-tmf=\"t\"/><body>\n"
    "<tu><tuv xml:lang=\"de\"><seg>Haus</seg></tuv><tuv xml:lang=\"en\"><seg>house</seg></tuv></tu>\n"
    "<tu><tuv xml:lang=\"de\"><seg>Baum</seg></tuv><tuv xml:lang=\"en\"><seg>tree</seg></tuv></tu>\n"
    "</body></tmx>\n";

static int add_para_text(void *ud, const tmk_doc_para *p)
{
    return tmk_buf_add(ud, p->text, p->len) < 0 || tmk_buf_addch(ud, '\n') < 0 ? TMK_ENOMEM : 0;
}

static int count_tu(void *ud, const tmk_tmx_tu *tu)
{
    (void)tu;
    ++*(int *)ud;
    return 0;
}

/* "-" means standard input only in the program: through the library a
 * file named "-" is read as that file.  Standard input is /dev/null here,
 * so reading it instead would find nothing. */
static void test_a_file_named_dash_is_a_file_to_the_library(void **state)
{
    (void)state;
    char *dir = scratch();
    int saved_in = dup(0), null = open("/dev/null", O_RDONLY), cwd = open(".", O_RDONLY);
    assert_true(saved_in >= 0 && null >= 0 && cwd >= 0);
    assert_int_equal(dup2(null, 0), 0);
    assert_int_equal(chdir(dir), 0);
    write_file("-", "Haus\nBaum\n", 10);
    tmk_error err = TMK_ERROR_INIT;
    tmk_buf b = TMK_BUF_INIT;
    assert_int_equal(tmk_io_read_file("-", &b, &err), TMK_OK);
    assert_string_equal(b.data, "Haus\nBaum\n");
    tmk_buf_reset(&b);
    assert_int_equal(tmk_decode_file("-", NULL, &b, &err), TMK_OK);
    assert_string_equal(b.data, "Haus\nBaum\n");
    tmk_buf_release(&b);
    write_file("-", tmx2, sizeof tmx2 - 1);
    int n = 0;
    tmk_tmx_read_options ro = TMK_TMX_READ_OPTIONS_INIT;
    ro.name = "-";
    tmk_tmx_reader *r;
    assert_int_equal(tmk_tmx_reader_new(&r, &ro, NULL, count_tu, NULL, &n, &err), TMK_OK);
    assert_int_equal(tmk_tmx_read_file(r, "-", &err), TMK_OK);
    tmk_tmx_reader_free(r);
    assert_int_equal(n, 2);
    tmk_stats *st;
    const tmk_stats_result *res;
    assert_int_equal(tmk_stats_new(&st, NULL, &err), TMK_OK);
    assert_int_equal(tmk_stats_add_file(st, "-", &err), TMK_OK);
    assert_int_equal(tmk_stats_finish(st, &res, &err), TMK_OK);
    assert_true(res->units == 2);
    tmk_stats_free(st);
    /* a memory named "-" is a file: its languages are guessed (it can be
     * read twice) and it gets an index file */
    const char *mems[] = {"-"};
    tmk_tm *tm = NULL;
    tmk_tm_options io = TMK_TM_OPTIONS_INIT;
    io.flags = TMK_TM_INDEX_FILE;
    assert_int_equal(tmk_tm_open(&tm, mems, 1, &io, NULL, NULL, &err), TMK_OK);
    assert_int_equal(tmk_tm_size(tm), 2);
    assert_non_null(tmk_tm_index_path(tm));
    assert_int_equal(access(tmk_tm_index_path(tm), F_OK), 0);
    tmk_tm_free(tm);
    assert_int_equal(fchdir(cwd), 0);
    assert_int_equal(dup2(saved_in, 0), 0);
    close(saved_in);
    close(null);
    close(cwd);
    remove_tree(dir);
    free(dir);
}

/* A pipe holding data, its write end closed: a stream as standard input
 * would be. */
static FILE *pipe_of(const char *data, size_t len)
{
    int fd[2];
    assert_int_equal(pipe(fd), 0);
    assert_true(len < 65536); /* fits in the pipe's buffer */
    assert_int_equal(write(fd[1], data, len), (ssize_t)len);
    close(fd[1]);
    FILE *f = fdopen(fd[0], "rb");
    assert_non_null(f);
    return f;
}

static FILE *tmpfile_of(const char *data, size_t len)
{
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    rewind(f);
    return f;
}

/* The _stream variants read an open stream (a pipe, a tmpfile) to its end,
 * leave it open, and name it as told in errors. */
static void test_stream_variants_read_pipes_and_tmpfiles(void **state)
{
    (void)state;
    tmk_error err = TMK_ERROR_INIT;
    tmk_buf b = TMK_BUF_INIT;
    FILE *f = pipe_of("0123456789", 10);
    assert_int_equal(tmk_io_read_stream(f, "-", &b, 0, &err), TMK_OK);
    assert_string_equal(b.data, "0123456789");
    assert_int_equal(fgetc(f), EOF); /* left open, at its end */
    fclose(f);
    tmk_buf_reset(&b);
    f = pipe_of("0123456789", 10);
    assert_int_equal(tmk_io_read_stream(f, "the pipe", &b, 9, &err), TMK_ELIMIT);
    assert_string_equal(err.file, "the pipe");
    fclose(f);
    tmk_buf_reset(&b);
    tmk_error_clear(&err);
    f = tmpfile_of("Gr\xfc\xdf" "e\n", 6);
    assert_int_equal(tmk_decode_stream(f, "-", "ISO-8859-1", &b, &err), TMK_OK);
    assert_string_equal(b.data, "Gr\xc3\xbc\xc3\x9f" "e\n");
    fclose(f);
    tmk_buf_reset(&b);
    f = tmpfile_of("ok\n\xff\n", 5);
    assert_int_equal(tmk_decode_stream(f, "-", NULL, &b, &err), TMK_EENCODING);
    assert_string_equal(err.file, "-");
    assert_int_equal(err.line, 2);
    fclose(f);
    tmk_buf_release(&b);
    tmk_error_clear(&err);

    int n = 0;
    tmk_tmx_read_options ro = TMK_TMX_READ_OPTIONS_INIT;
    ro.name = "mem";
    tmk_tmx_reader *r;
    assert_int_equal(tmk_tmx_reader_new(&r, &ro, NULL, count_tu, NULL, &n, &err), TMK_OK);
    f = pipe_of(tmx2, sizeof tmx2 - 1);
    assert_int_equal(tmk_tmx_read_stream(r, f, "-", &err), TMK_OK);
    fclose(f);
    tmk_tmx_reader_free(r);
    assert_int_equal(n, 2);
    ro.name = "in.tmx";
    assert_int_equal(tmk_tmx_reader_new(&r, &ro, NULL, NULL, NULL, NULL, &err), TMK_OK);
    f = tmpfile_of("<tmx version=\"1.4\"><body><tu>", 29);
    assert_int_equal(tmk_tmx_read_stream(r, f, NULL, &err), TMK_ESYNTAX);
    assert_string_equal(err.file, "in.tmx");
    assert_int_equal(err.line, 1);
    fclose(f);
    tmk_tmx_reader_free(r);
    tmk_error_clear(&err);

    tmk_stats *st;
    const tmk_stats_result *res;
    assert_int_equal(tmk_stats_new(&st, NULL, &err), TMK_OK);
    f = pipe_of(tmx2, sizeof tmx2 - 1);
    assert_int_equal(tmk_stats_add_stream(st, f, "-", &err), TMK_OK);
    fclose(f);
    f = tmpfile_of(tmx2, sizeof tmx2 - 1);
    assert_int_equal(tmk_stats_add_stream(st, f, "copy", &err), TMK_OK);
    fclose(f);
    assert_int_equal(tmk_stats_finish(st, &res, &err), TMK_OK);
    assert_true(res->files == 2 && res->units == 4 && res->duplicates == 2);
    tmk_stats_free(st);
}

/* The memory opener takes open streams beside paths: read once, so no
 * index file and the languages must be given. */
static void test_tm_open_reads_a_memory_from_a_stream(void **state)
{
    (void)state;
    tmk_error err = TMK_ERROR_INIT;
    const char *mems[] = {"-"};
    FILE *f = pipe_of(tmx2, sizeof tmx2 - 1);
    FILE *streams[] = {f};
    tmk_tm_options o = TMK_TM_OPTIONS_INIT;
    o.streams = (FILE *const *)streams;
    tmk_tm *tm = NULL;
    assert_int_equal(tmk_tm_open(&tm, mems, 1, &o, NULL, NULL, &err), TMK_EINVAL);
    assert_non_null(strstr(err.msg, "source and target languages"));
    o.srclang = "de";
    o.tgtlang = "en";
    assert_int_equal(tmk_tm_open(&tm, mems, 1, &o, NULL, NULL, &err), TMK_OK);
    fclose(f);
    assert_int_equal(tmk_tm_size(tm), 2);
    assert_null(tmk_tm_index_path(tm));
    tmk_tm_unit u;
    assert_int_equal(tmk_tm_get(tm, 1, &u, &err), TMK_OK);
    assert_string_equal(u.file_name, "-");
    assert_int_equal(u.target_len, 4);
    assert_memory_equal(u.target, "tree", 4);
    tmk_tm_free(tm);
}

/* A PDF whose file is named "-" goes to pdftotext as that file ("./-"),
 * not as "-", which pdftotext reads as its standard input. */
static void test_a_pdf_named_dash_is_read_from_its_file(void **state)
{
    (void)state;
    const char *top = getenv("top_srcdir");
    if (!top || access("/usr/bin/pdftotext", X_OK) != 0) {
        print_message("skipped: needs top_srcdir and /usr/bin/pdftotext (poppler-utils)\n");
        skip();
    }
    char *pdf = join(top, "tests/cli/build-documents/files/de.pdf");
    tmk_buf raw = TMK_BUF_INIT, paras = TMK_BUF_INIT;
    tmk_error err = TMK_ERROR_INIT;
    assert_int_equal(tmk_io_read_file(pdf, &raw, &err), TMK_OK);
    free(pdf);
    char *dir = scratch();
    int cwd = open(".", O_RDONLY);
    assert_true(cwd >= 0);
    assert_int_equal(chdir(dir), 0);
    write_file("-", raw.data, raw.len);
    tmk_doc_options o = TMK_DOC_OPTIONS_INIT;
    o.name = o.path = "-";
    o.pdftotext = "/usr/bin/pdftotext";
    int rc = tmk_doc_read(raw.data, raw.len, &o, add_para_text, &paras, NULL, &err);
    assert_int_equal(fchdir(cwd), 0);
    close(cwd);
    remove_tree(dir);
    free(dir);
    if (rc != TMK_OK)
        fail_msg("tmk_doc_read: %s", err.msg);
    assert_true(paras.len > 20);
    tmk_buf_release(&raw);
    tmk_buf_release(&paras);
}

/* tmk_error keeps its own copy of the file name: the caller's buffer may
 * change or go away; copies by assignment stay valid; the same name is one
 * copy; many distinct names (a large batch) all stay readable. */
static void test_error_owns_its_file_name(void **state)
{
    (void)state;
    char buf[64];
    tmk_error a = TMK_ERROR_INIT, b = TMK_ERROR_INIT;
    snprintf(buf, sizeof buf, "jobs/de/vertrag.docx");
    tmk_error_set_file(&a, buf);
    memset(buf, 'x', sizeof buf - 1);
    assert_string_equal(a.file, "jobs/de/vertrag.docx");
    tmk_error copy = a;
    snprintf(buf, sizeof buf, "jobs/de/vertrag.docx");
    tmk_error_set_file(&b, buf);
    assert_string_equal(b.file, copy.file); /* copies, no shared table */
    const char *first = a.file;
    for (int i = 0; i < 20000; i++) {
        snprintf(buf, sizeof buf, "batch/%d.txt", i);
        tmk_error_set_file(&b, buf);
        assert_string_equal(b.file, buf);
    }
    assert_string_equal(first, "jobs/de/vertrag.docx");
    snprintf(buf, sizeof buf, "batch/%d.txt", 7);
    tmk_error_set_file(&a, buf);
    assert_string_equal(a.file, "batch/7.txt");
    tmk_error_set_file(&a, NULL);
    assert_string_equal(a.file, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_file_max_stops_past_the_limit),
        cmocka_unit_test(test_decode_file_stops_at_the_first_bad_byte_of_an_endless_stream),
        cmocka_unit_test(test_decoder_line_limit),
        cmocka_unit_test(test_decoder_settings_after_the_first_feed_are_refused),
        cmocka_unit_test(test_temp_file_goes_to_the_folder_given_and_leaves_nothing),
        cmocka_unit_test(test_sorter_runs_go_to_the_temp_dir),
        cmocka_unit_test(test_error_owns_its_file_name),
        cmocka_unit_test(test_a_file_named_dash_is_a_file_to_the_library),
        cmocka_unit_test(test_stream_variants_read_pipes_and_tmpfiles),
        cmocka_unit_test(test_tm_open_reads_a_memory_from_a_stream),
        cmocka_unit_test(test_a_pdf_named_dash_is_read_from_its_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
