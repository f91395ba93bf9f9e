/* replay.c -- a main() for fuzz targets when libFuzzer is not used: runs
 * LLVMFuzzerTestOneInput on every file given, or, without arguments, on
 * every file in $top_srcdir/tests/fuzz/corpus/<target>/ (target = program
 * name without "fuzz_").  This is how `make check` replays the corpus and
 * the crash regressions everywhere. */
#include <config.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tmkit/tmkit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
    tmk_buf b = TMK_BUF_INIT;
    tmk_error err = TMK_ERROR_INIT;
    if (tmk_read_file(path, &b, &err) < 0) {
        fprintf(stderr, "replay: %s: %s\n", path, err.msg);
        return 1;
    }
    LLVMFuzzerTestOneInput((const uint8_t *)b.data, b.len);
    tmk_buf_release(&b);
    return 0;
}

int main(int argc, char **argv)
{
    int n = 0, bad = 0;
    if (argc > 1) {
        for (int i = 1; i < argc; i++, n++)
            bad |= run_file(argv[i]);
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
            fprintf(stderr, "replay: no corpus folder %s\n", dir);
            return 1;
        }
        struct dirent *e;
        while ((e = readdir(d))) {
            if (e->d_name[0] == '.')
                continue;
            char path[8192];
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            bad |= run_file(path);
            n++;
        }
        closedir(d);
    }
    printf("%d passed, %d failed\n", bad ? n - 1 : n, bad ? 1 : 0);
    return bad;
}
