// Shared by the fuzz targets: a check that stays on in every build type (assert() vanishes under
// NDEBUG) and says which invariant broke, so that a crash report names the property, not just a line.
#pragma once

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(condition, what)                                                                   \
    do {                                                                                              \
        if (!(condition)) {                                                                           \
            std::fprintf(stderr, "fuzz invariant broken at %s:%d: %s [%s]\n", __FILE__, __LINE__, what, \
                         #condition);                                                                 \
            std::abort();                                                                             \
        }                                                                                             \
    } while (0)
