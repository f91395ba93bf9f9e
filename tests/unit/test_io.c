/* Unit tests: the limits of the readers, temporary files, output files
 * (issue 16: nothing lost, nothing hung, nothing left behind). */
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

/* A fresh folder under the build's current folder; the caller removes it. */
static char *scratch(void)
{
    char *d = strdup("test_io-XXXXXX");
    assert_non_null(d);
    assert_non_null(mkdtemp(d));
    return d;
}

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

static void write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* Number of entries in dir (without . and ..). */
static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            char *p = join(dir, e->d_name);
            unlink(p);
            free(p);
        }
    closedir(d);
    rmdir(dir);
}

static void test_read_file_max_stops_past_the_limit(void **state)
{
    (void)state;
    char *dir = scratch(), *p = join(dir, "f");
    write_file(p, "0123456789", 10);
    tmk_buf b = TMK_BUF_INIT;
    tmk_error err = TMK_ERROR_INIT;
    /* exactly the limit: read whole */
    assert_int_equal(tmk_read_file_max(p, &b, 10, &err), TMK_OK);
    assert_int_equal(b.len, 10);
    tmk_buf_reset(&b);
    /* one byte more than the limit: refused, named */
    assert_int_equal(tmk_read_file_max(p, &b, 9, &err), TMK_ELIMIT);
    assert_int_equal(err.code, TMK_ELIMIT);
    assert_string_equal(err.file, p);
    assert_non_null(strstr(err.msg, "larger than 9 bytes"));
    tmk_buf_release(&b);
    /* an endless stream stops at the default limit, not at memory's end */
    tmk_error_clear(&err);
    if (access("/dev/zero", R_OK) == 0) {
        assert_int_equal(tmk_read_file_max("/dev/zero", &b, 1 << 20, &err), TMK_ELIMIT);
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

static void test_decoder_line_limit(void **state)
{
    (void)state;
    tmk_error err = TMK_ERROR_INIT;
    tmk_decoder *d = NULL;
    tmk_decoder_new(&d, NULL, "t", &err);
    assert_non_null(d);
    tmk_decoder_set_max_line(d, 8);
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
    assert_int_equal(tmk_temp_dir_set(dir, &err), TMK_OK);
    assert_string_equal(tmk_temp_dir(), dir);
    FILE *f = tmk_temp_file(&err);
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
    assert_int_equal(tmk_temp_dir_set(missing, &err), TMK_OK);
    tmk_error_set_file(&err, "input.tmx");
    assert_null(tmk_temp_file(&err));
    assert_int_equal(err.code, TMK_EIO);
    assert_null(err.file); /* not about the input */
    assert_non_null(strstr(err.msg, missing));
    assert_non_null(strstr(err.msg, "TMPDIR"));
    /* NULL: the default */
    assert_int_equal(tmk_temp_dir_set(NULL, &err), TMK_OK);
    assert_string_equal(tmk_temp_dir(), "/tmp");
    rmdir(dir);
    free(missing);
    free(dir);
}

static void test_sorter_runs_go_to_the_temp_dir(void **state)
{
    (void)state;
    char *dir = scratch(), *missing = join(dir, "missing");
    tmk_error err = TMK_ERROR_INIT;
    /* a folder that cannot be used: the first spill fails, naming it */
    assert_int_equal(tmk_temp_dir_set(missing, &err), TMK_OK);
    tmk_sorter *s = NULL;
    assert_int_equal(tmk_sorter_new(&s, 8, tmk_sorter_cmp_u64, 64, &err), TMK_OK);
    assert_non_null(s);
    int rc = TMK_OK;
    for (uint64_t i = 0; i < 100 && rc == TMK_OK; i++)
        rc = tmk_sorter_add(s, &i, &err);
    assert_int_equal(rc, TMK_EIO);
    assert_non_null(strstr(err.msg, missing));
    tmk_sorter_free(s);
    /* a good one: runs are written there (same device), sorted back, and
     * nothing is left */
    assert_int_equal(tmk_temp_dir_set(dir, &err), TMK_OK);
    assert_int_equal(tmk_sorter_new(&s, 8, tmk_sorter_cmp_u64, 64, &err), TMK_OK);
    assert_non_null(s);
    for (uint64_t i = 0; i < 100; i++) {
        uint64_t v = 99 - i;
        assert_int_equal(tmk_sorter_add(s, &v, &err), TMK_OK);
    }
    assert_true(tmk_sorter_runs(s) > 1);
    assert_int_equal(entries(dir), 0);
    assert_int_equal(tmk_sorter_sort(s, &err), TMK_OK);
    uint64_t v, want = 0;
    while ((rc = tmk_sorter_next(s, &v, &err)) == 1)
        assert_true(v == want++);
    assert_int_equal(rc, 0);
    assert_true(want == 100);
    tmk_sorter_free(s);
    assert_int_equal(tmk_temp_dir_set(NULL, &err), TMK_OK);
    rmdir(dir);
    free(missing);
    free(dir);
}

static void test_outfile_long_name_gets_a_short_temporary_name(void **state)
{
    (void)state;
    char *dir = scratch();
    /* 255 bytes: the most a name may have; ".NAME.tmp-XXXXXX" would be 267 */
    char name[256];
    memset(name, 'x', 255);
    name[255] = '\0';
    char *p = join(dir, name);
    tmk_error err = TMK_ERROR_INIT;
    tmk_outfile *f = tmk_outfile_open(p, &err);
    assert_non_null(f);
    assert_int_equal(entries(dir), 1); /* the temporary file */
    fputs("new\n", tmk_outfile_stream(f));
    assert_int_equal(tmk_outfile_commit(f, &err), TMK_OK);
    assert_int_equal(entries(dir), 1);
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_size, 4);
    unlink(p);
    rmdir(dir);
    free(p);
    free(dir);
}

static void test_outfile_keeps_mode_of_replaced_file(void **state)
{
    (void)state;
    char *dir = scratch(), *p = join(dir, "out");
    write_file(p, "old\n", 4);
    assert_int_equal(chmod(p, 0640), 0);
    tmk_error err = TMK_ERROR_INIT;
    tmk_outfile *f = tmk_outfile_open(p, &err);
    assert_non_null(f);
    fputs("new\n", tmk_outfile_stream(f));
    assert_int_equal(tmk_outfile_commit(f, &err), TMK_OK);
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0640);
    assert_int_equal(st.st_uid, geteuid());
    remove_tree(dir);
    free(p);
    free(dir);
}

static void test_outfile_refuses_a_closed_descriptor_name(void **state)
{
    (void)state;
    /* a descriptor open only for reading stands for a closed output: tmkit
     * holds a closed standard output so; reopening it by name would write
     * elsewhere and report success */
    int fd = open("/dev/null", O_RDONLY);
    assert_true(fd >= 0);
    char name[64];
    snprintf(name, sizeof name, "/dev/fd/%d", fd);
    tmk_error err = TMK_ERROR_INIT;
    assert_null(tmk_outfile_open(name, &err));
    assert_int_equal(err.code, TMK_EIO);
    assert_non_null(strstr(err.msg, "closed"));
    close(fd);
    /* open for writing: written directly */
    fd = open("/dev/null", O_WRONLY);
    assert_true(fd >= 0);
    snprintf(name, sizeof name, "/dev/fd/%d", fd);
    tmk_outfile *f = tmk_outfile_open(name, &err);
    assert_non_null(f);
    fputs("x", tmk_outfile_stream(f));
    assert_int_equal(tmk_outfile_commit(f, &err), TMK_OK);
    close(fd);
}

static void test_outfile_many_open_and_removed(void **state)
{
    (void)state;
    char *dir = scratch();
    enum { N = 32 };
    tmk_outfile *f[N + 1];
    char *names[N + 1];
    tmk_error err = TMK_ERROR_INIT;
    for (int i = 0; i <= N; i++) {
        char n[16];
        snprintf(n, sizeof n, "o%d", i);
        names[i] = join(dir, n);
        f[i] = tmk_outfile_open(names[i], &err);
    }
    /* as many as can be removed on a signal, and not one more */
    for (int i = 0; i < N; i++)
        assert_non_null(f[i]);
    assert_null(f[N]);
    assert_int_equal(err.code, TMK_ELIMIT);
    assert_int_equal(entries(dir), N);
    tmk_outfile_remove_temporaries();
    assert_int_equal(entries(dir), 0);
    for (int i = 0; i < N; i++) {
        tmk_outfile_abort(f[i]); /* the one call a handle still takes */
        free(names[i]);
    }
    free(names[N]);
    /* the slots are free again */
    char *p = join(dir, "again");
    tmk_outfile *g = tmk_outfile_open(p, &err);
    assert_non_null(g);
    tmk_outfile_abort(g);
    assert_int_equal(entries(dir), 0);
    free(p);
    rmdir(dir);
    free(dir);
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
    assert_ptr_equal(b.file, copy.file);
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
    assert_null(a.file);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_file_max_stops_past_the_limit),
        cmocka_unit_test(test_decode_file_stops_at_the_first_bad_byte_of_an_endless_stream),
        cmocka_unit_test(test_decoder_line_limit),
        cmocka_unit_test(test_temp_file_goes_to_the_folder_given_and_leaves_nothing),
        cmocka_unit_test(test_sorter_runs_go_to_the_temp_dir),
        cmocka_unit_test(test_outfile_long_name_gets_a_short_temporary_name),
        cmocka_unit_test(test_outfile_keeps_mode_of_replaced_file),
        cmocka_unit_test(test_outfile_refuses_a_closed_descriptor_name),
        cmocka_unit_test(test_outfile_many_open_and_removed),
        cmocka_unit_test(test_error_owns_its_file_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
