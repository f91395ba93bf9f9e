/* scratch_files.h -- the unit tests' scratch folders and files (test_io.c,
 * test_outfile.c): included by each, static, so each test program has its
 * own copy.  SCRATCH_PREFIX names the folder ("test_io" ...). */
#ifndef TMK_TEST_SCRATCH_FILES_H
#define TMK_TEST_SCRATCH_FILES_H
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A fresh folder under the build's current folder; the caller removes it. */
static char *scratch(void)
{
    char *d = strdup(SCRATCH_PREFIX "-XXXXXX");
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

#endif
