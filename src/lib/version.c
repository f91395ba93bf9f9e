#include <config.h>
#include "tmkit/tmkit.h"

const char *tmk_version(void) { return PACKAGE_VERSION; }
