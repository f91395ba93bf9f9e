/* PLACEHOLDER: cmd_build is written next. */
#include <config.h>
#include "cli.h"
int cmd_build(int argc, char **argv) { (void)argc; (void)argv; return TMK_EXIT_IO; }
