/* PLACEHOLDER until the tmx work lands: replaced, not extended. */
#include <config.h>
#include "cli.h"
int cmd_merge(int argc, char **argv)
{
    (void)argc;
    cli_errorf("%s: not available in this build yet", argv[0]);
    return TMK_EXIT_IO;
}
