/* replay.c -- a main() for fuzz targets when libFuzzer is not used: runs
 * LLVMFuzzerTestOneInput on every file given, or, without arguments, on
 * every file in $top_srcdir/tests/fuzz/corpus/<target>/ (target = program
 * name without "fuzz_").  This is how `make check` replays the corpus and
 * the crash regressions everywhere.  Prints TAP: one result per input (a
 * crash leaves the plan unmet, which the summary reports as an error). */
#include <config.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tmkit/tmkit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One TAP result per input (the automake summary counts each). */
static int run_file(const char *path, const char *name, int n)
{
    tmk_buf b = TMK_BUF_INIT;
    tmk_error err = TMK_ERROR_INIT;
    if (tmk_io_read_file(path, &b, &err) < 0) {
        printf("not ok %d - %s: cannot read: %s\n", n, name, err.msg);
        return 1;
    }
    fflush(stdout);
    LLVMFuzzerTestOneInput((const uint8_t *)b.data, b.len);
    tmk_buf_release(&b);
    printf("ok %d - %s\n", n, name);
    return 0;
}

int main(int argc, char **argv)
{
    int n = 0, bad = 0;
    if (argc > 1) {
        for (int i = 1; i < argc; i++)
            bad |= run_file(argv[i], argv[i], ++n);
    } else {
        const char *top = getenv("top_srcdir");
        const char *prog = strrchr(argv[0], '/');
        prog = prog ? prog + 1 : argv[0];
        if (!strncmp(prog, "lt-", 3))
            prog += 3;
        if (!strncmp(prog, "fuzz_", 5))
            prog += 5;
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/%s", top ? top : ".", prog);
        DIR *d = opendir(dir);
        if (!d) {
            printf("not ok 1 - no corpus folder %s\n1..1\n", dir);
            return 1;
        }
        struct dirent *e;
        while ((e = readdir(d))) {
            if (e->d_name[0] == '.')
                continue;
            char path[8192], name[4096];
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            snprintf(name, sizeof name, "corpus/%s/%s", prog, e->d_name);
            bad |= run_file(path, name, ++n);
        }
        closedir(d);
    }
    printf("1..%d\n", n);
    return bad;
}
