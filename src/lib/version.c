#include <config.h>
#include "tmkit/tmkit.h"

const char *tmk_version(void) { return PACKAGE_VERSION; }

int tmk_version_number(void) { return TMK_VERSION_NUMBER; }
