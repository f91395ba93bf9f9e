/* main.c -- the tmkit program: a table of subcommands. */
#include <config.h>
#include <signal.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"

/* Interrupted (Ctrl-C, kill): remove the temporary files of unfinished
 * outputs, then die of the signal as if unhandled. */
static void on_signal(int sig)
{
    tmk_outfile_remove_temporaries();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void catch_signals(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
        struct sigaction sa, old;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        /* keep a signal ignored if it was (nohup, background jobs) */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            sigaction(sigs[i], &sa, NULL);
    }
}

struct command {
    const char *name;
    int (*fn)(int, char **);
    const char *summary;
};

static const struct command commands[] = {
    {"build", cmd_build, "build a translation memory from a text and its translation"},
    {"segment", cmd_segment, "split text into sentences"},
    {"spell", cmd_spell, "spell-check text and report misspelled words"},
    {"align", cmd_align, "align the sentences of a text with its translation"},
    {"validate", cmd_validate, "check a TMX file against the TMX 1.4b rules"},
    {"stats", cmd_stats, "count units, languages and words in TMX files"},
    {"merge", cmd_merge, "merge TMX memories into one"},
    {"convert", cmd_convert, "convert between TMX, TSV and CSV"},
    {"filter", cmd_filter, "keep the units of a TMX file that match conditions"},
    {"lookup", cmd_lookup, "find the best matches for segments in translation memories"},
    {"concordance", cmd_concordance, "find the units of a memory that contain a word or phrase"},
    {"analyze", cmd_analyze, "report how much of new documents a memory covers, and the price"},
};

static void usage(FILE *out)
{
    fputs("Usage: tmkit COMMAND [OPTIONS] [FILE...]\n"
          "       tmkit --version | --help | help COMMAND\n\n"
          "tmkit turns a text and its translation into a TMX translation memory,\n"
          "and reads, checks and transforms TMX memories.\n\nCommands:\n",
          out);
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fputs("\nRun 'tmkit COMMAND --help' for the options of a command.\n"
          "Exit codes: 0 success, 1 findings (with --strict), 2 usage error,\n"
          "3 bad input, 4 I/O or system error.\n",
          out);
}

/* Data written to standard output that never arrived (a full disk, a closed
 * pipe) is an I/O error, not success. */
static int finish_stdout(int rc)
{
    if ((fflush(stdout) != 0 || ferror(stdout)) &&
        (rc == TMK_EXIT_OK || rc == TMK_EXIT_FINDINGS)) { /* else already reported */
        cli_errorf("cannot write to standard output: %s", strerror(errno));
        rc = TMK_EXIT_IO;
    }
    return rc;
}

static const struct command *find(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (!strcmp(commands[i].name, name))
            return &commands[i];
    return NULL;
}

/* A closed standard descriptor would be taken by the first file opened (an
 * output's temporary file, then read as standard input or filled with
 * messages): hold it with /dev/null, opened so that using it still fails. */
static void hold_std_fds(void)
{
    for (int fd = 0; fd <= 2; fd++)
        if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
            int n = open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY);
            if (n >= 0 && n != fd) {
                dup2(n, fd);
                close(n);
            }
        }
}

int main(int argc, char **argv)
{
    hold_std_fds();
    if (argc < 2) {
        usage(stderr);
        return TMK_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (!strcmp(name, "--version") || !strcmp(name, "-V")) {
        printf("tmkit %s\n", tmk_version());
        return TMK_EXIT_OK;
    }
    if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
        usage(stdout);
        return TMK_EXIT_OK;
    }
    if (!strcmp(name, "help")) {
        if (argc < 3) {
            usage(stdout);
            return TMK_EXIT_OK;
        }
        const struct command *c = find(argv[2]);
        if (!c) {
            cli_errorf("'%s' is not a tmkit command; run 'tmkit --help' for the list", argv[2]);
            return TMK_EXIT_USAGE;
        }
        char *hargv[] = {argv[2], "--help", NULL};
        return finish_stdout(c->fn(2, hargv));
    }
    const struct command *c = find(name);
    if (!c) {
        cli_errorf("'%s' is not a tmkit command; run 'tmkit --help' for the list", name);
        return TMK_EXIT_USAGE;
    }
    catch_signals();
    return finish_stdout(c->fn(argc - 1, argv + 1));
}
