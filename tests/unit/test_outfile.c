/* Unit tests: the tmkit program's atomic output files (src/cli/outfile.c,
 * program policy that left the library: issue 12). */
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
#include "outfile.h"

#define SCRATCH_PREFIX "test_outfile"
#include "scratch_files.h"

static void test_outfile_is_atomic(void **state)
{
    (void)state;
    char dir[] = "/tmp/tmk-io-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/out.txt", dir);
    FILE *fp = fopen(path, "w");
    fputs("old", fp);
    fclose(fp);
    tmk_error err = TMK_ERROR_INIT;
    cli_outfile *f = cli_outfile_open(path, &err);
    assert_non_null(f);
    fputs("new", cli_outfile_stream(f));
    cli_outfile_abort(f); /* a failure: the old file stays */
    tmk_buf b = TMK_BUF_INIT;
    assert_int_equal(tmk_io_read_file(path, &b, &err), TMK_OK);
    assert_string_equal(b.data, "old");
    f = cli_outfile_open(path, &err);
    fputs("new", cli_outfile_stream(f));
    assert_int_equal(cli_outfile_commit(f, &err), TMK_OK);
    tmk_buf_reset(&b);
    assert_int_equal(tmk_io_read_file(path, &b, &err), TMK_OK);
    assert_string_equal(b.data, "new");
    tmk_buf_release(&b);
    /* nothing else left in the folder */
    char cmd[300];
    snprintf(cmd, sizeof cmd, "test $(ls -A %s | wc -l) -eq 1", dir);
    assert_int_equal(system(cmd), 0);
    unlink(path);
    rmdir(dir);
    assert_null(cli_outfile_open("/nonexistent-dir/x.tmx", &err));
    assert_int_equal(err.code, TMK_EIO);
}

/* Outputs that are not plain files: a FIFO (or /dev/stdout, /dev/null) is
 * written directly, not replaced by a file; through a symbolic link the
 * file it points to is replaced and the link stays. */
static void test_outfile_fifo_and_symlink(void **state)
{
    (void)state;
    char dir[] = "/tmp/tmk-io-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char fifo[256], target[256], link[256];
    snprintf(fifo, sizeof fifo, "%s/pipe", dir);
    snprintf(target, sizeof target, "%s/target.txt", dir);
    snprintf(link, sizeof link, "%s/link.txt", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    int rfd = open(fifo, O_RDONLY | O_NONBLOCK); /* a reader, so that opening for writing works */
    assert_true(rfd >= 0);
    tmk_error err = TMK_ERROR_INIT;
    cli_outfile *f = cli_outfile_open(fifo, &err);
    assert_non_null(f);
    fputs("through the pipe", cli_outfile_stream(f));
    assert_int_equal(cli_outfile_commit(f, &err), TMK_OK);
    char got[64] = {0};
    assert_int_equal(read(rfd, got, sizeof got - 1), 16);
    assert_string_equal(got, "through the pipe");
    close(rfd);
    struct stat st;
    assert_int_equal(lstat(fifo, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));

    FILE *fp = fopen(target, "w");
    fputs("old", fp);
    fclose(fp);
    assert_int_equal(symlink("target.txt", link), 0);
    f = cli_outfile_open(link, &err);
    assert_non_null(f);
    fputs("new", cli_outfile_stream(f));
    assert_int_equal(cli_outfile_commit(f, &err), TMK_OK);
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    tmk_buf b = TMK_BUF_INIT;
    assert_int_equal(tmk_io_read_file(target, &b, &err), TMK_OK);
    assert_string_equal(b.data, "new");
    tmk_buf_release(&b);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "test $(ls -A %s | wc -l) -eq 3", dir); /* no temporary file left */
    assert_int_equal(system(cmd), 0);
    unlink(link);
    unlink(target);
    unlink(fifo);
    rmdir(dir);
}

/* What a signal handler calls: the temporaries of open outputs go away. */
static void test_outfile_remove_temporaries(void **state)
{
    (void)state;
    char dir[] = "/tmp/tmk-io-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char a[256], b[256], cmd[300];
    snprintf(a, sizeof a, "%s/a.tmx", dir);
    snprintf(b, sizeof b, "%s/b.txt", dir);
    tmk_error err = TMK_ERROR_INIT;
    cli_outfile *fa = cli_outfile_open(a, &err), *fb = cli_outfile_open(b, &err);
    assert_non_null(fa);
    assert_non_null(fb);
    snprintf(cmd, sizeof cmd, "test $(ls -A %s | wc -l) -eq 2", dir);
    assert_int_equal(system(cmd), 0);
    cli_outfile_remove_temporaries();
    snprintf(cmd, sizeof cmd, "test $(ls -A %s | wc -l) -eq 0", dir);
    assert_int_equal(system(cmd), 0);
    cli_outfile_abort(fa);
    cli_outfile_abort(fb);
    /* a committed output is no longer tracked */
    fa = cli_outfile_open(a, &err);
    assert_int_equal(cli_outfile_commit(fa, &err), TMK_OK);
    cli_outfile_remove_temporaries();
    assert_int_equal(access(a, F_OK), 0);
    unlink(a);
    rmdir(dir);
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
    cli_outfile *f = cli_outfile_open(p, &err);
    assert_non_null(f);
    assert_int_equal(entries(dir), 1); /* the temporary file */
    fputs("new\n", cli_outfile_stream(f));
    assert_int_equal(cli_outfile_commit(f, &err), TMK_OK);
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
    cli_outfile *f = cli_outfile_open(p, &err);
    assert_non_null(f);
    fputs("new\n", cli_outfile_stream(f));
    assert_int_equal(cli_outfile_commit(f, &err), TMK_OK);
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
    assert_null(cli_outfile_open(name, &err));
    assert_int_equal(err.code, TMK_EIO);
    assert_non_null(strstr(err.msg, "closed"));
    close(fd);
    /* open for writing: written directly */
    fd = open("/dev/null", O_WRONLY);
    assert_true(fd >= 0);
    snprintf(name, sizeof name, "/dev/fd/%d", fd);
    cli_outfile *f = cli_outfile_open(name, &err);
    assert_non_null(f);
    fputs("x", cli_outfile_stream(f));
    assert_int_equal(cli_outfile_commit(f, &err), TMK_OK);
    close(fd);
}

static void test_outfile_many_open_and_removed(void **state)
{
    (void)state;
    char *dir = scratch();
    enum { N = 32 };
    cli_outfile *f[N + 1];
    char *names[N + 1];
    tmk_error err = TMK_ERROR_INIT;
    for (int i = 0; i <= N; i++) {
        char n[16];
        snprintf(n, sizeof n, "o%d", i);
        names[i] = join(dir, n);
        f[i] = cli_outfile_open(names[i], &err);
    }
    /* as many as can be removed on a signal, and not one more */
    for (int i = 0; i < N; i++)
        assert_non_null(f[i]);
    assert_null(f[N]);
    assert_int_equal(err.code, TMK_ELIMIT);
    assert_int_equal(entries(dir), N);
    cli_outfile_remove_temporaries();
    assert_int_equal(entries(dir), 0);
    for (int i = 0; i < N; i++) {
        cli_outfile_abort(f[i]); /* the one call a handle still takes */
        free(names[i]);
    }
    free(names[N]);
    /* the slots are free again */
    char *p = join(dir, "again");
    cli_outfile *g = cli_outfile_open(p, &err);
    assert_non_null(g);
    cli_outfile_abort(g);
    assert_int_equal(entries(dir), 0);
    free(p);
    rmdir(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_outfile_is_atomic),
        cmocka_unit_test(test_outfile_fifo_and_symlink),
        cmocka_unit_test(test_outfile_remove_temporaries),
        cmocka_unit_test(test_outfile_long_name_gets_a_short_temporary_name),
        cmocka_unit_test(test_outfile_keeps_mode_of_replaced_file),
        cmocka_unit_test(test_outfile_refuses_a_closed_descriptor_name),
        cmocka_unit_test(test_outfile_many_open_and_removed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
