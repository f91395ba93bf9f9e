/* main.c -- the tmkit program: a table of subcommands. */
#include <config.h>
#include <signal.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

/* What each caught signal did before (the default action, or the handler a
 * sanitizer installed), to hand it back. */
static struct sigaction previous[NSIG];

static int is_fault(int sig)
{
    return sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL;
}

/* Interrupted (Ctrl-C, kill, a closed pipe, a file size limit, a timer,
 * an abort, a crash): remove the temporary files of unfinished outputs,
 * then die of the signal as if it had not been caught: the previous action
 * is put back and the signal raised again (it stays blocked until the
 * handler returns, then is taken).  A real fault (not sent by kill) is not
 * raised: the faulting instruction runs again and faults again, so that the
 * previous action (a core dump, or a sanitizer's report) sees the real one.
 * SIGKILL cannot be caught: after `kill -9` remove the ".NAME.tmp-XXXXXX"
 * files by hand. */
static void on_signal(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    int e = errno;
    cli_outfile_remove_temporaries();
    sigaction(sig, &previous[sig], NULL);
    if (!is_fault(sig) || !si || si->si_code <= 0) /* si_code <= 0: sent by a process */
        raise(sig);
    errno = e;
}

/* Every signal whose default action ends the program. */
static void catch_signals(void)
{
    static const int sigs[] = {SIGINT,  SIGTERM, SIGHUP,  SIGQUIT, SIGPIPE,   SIGXFSZ,
                               SIGXCPU, SIGALRM, SIGVTALRM, SIGPROF, SIGUSR1, SIGUSR2,
                               SIGABRT, SIGTRAP, SIGSYS,  SIGSEGV, SIGBUS,  SIGFPE,
                               SIGILL,
#ifdef SIGPOLL
                               SIGPOLL,
#endif
#ifdef SIGSTKFLT
                               SIGSTKFLT,
#endif
#ifdef SIGPWR
                               SIGPWR,
#endif
    };
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
        int sig = sigs[i];
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = on_signal;
        sa.sa_flags = SA_SIGINFO;
        sigemptyset(&sa.sa_mask);
        /* keep a signal ignored if it was (nohup, background jobs, a
         * SIGPIPE ignored by the caller: writes then fail with EPIPE) */
        if (sig < NSIG && sigaction(sig, NULL, &previous[sig]) == 0 &&
            previous[sig].sa_handler != SIG_IGN)
            sigaction(sig, &sa, NULL);
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
 * pipe, a closed descriptor) is an I/O error, not success: flush and close
 * standard output and check both, as gnulib's close_stdout does. */
static int finish_stdout(int rc)
{
    int bad = ferror(stdout) != 0;
    int e = errno; /* the last failure's reason, when a write failed before */
    if (fflush(stdout) != 0) {
        bad = 1;
        e = errno;
    }
    if (fclose(stdout) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    if (bad && (rc == TMK_EXIT_OK || rc == TMK_EXIT_FINDINGS)) { /* else already reported */
        if (e)
            cli_errorf("cannot write to standard output: %s", strerror(e));
        else
            cli_errorf("cannot write to standard output");
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
        return finish_stdout(TMK_EXIT_OK);
    }
    if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
        usage(stdout);
        return finish_stdout(TMK_EXIT_OK);
    }
    if (!strcmp(name, "help")) {
        if (argc < 3) {
            usage(stdout);
            return finish_stdout(TMK_EXIT_OK);
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
    /* temporary files that are not outputs (merge, stats) go to $TMPDIR,
     * data (rules, word lists) is looked for first in $TMKIT_DATADIR: read
     * once here, passed in the options of every library call that takes
     * them (cli_temp_dir, cli_data_dir); the creation date of new memories
     * comes from $SOURCE_DATE_EPOCH (reproducible builds) through
     * cli_creation_time() */
    (void)cli_temp_dir();
    (void)cli_data_dir();
    return finish_stdout(c->fn(argc - 1, argv + 1));
}
