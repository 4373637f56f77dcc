#ifndef ORIGINLENS_SHIM_H
#define ORIGINLENS_SHIM_H
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <string.h>
#include <zlib.h>

/* memmem is a GNU extension that Glibc's Swift overlay does not export. */
static inline void *ol_memmem(const void *haystack, size_t haystacklen, const void *needle, size_t needlelen) {
    return memmem(haystack, haystacklen, needle, needlelen);
}
#endif
