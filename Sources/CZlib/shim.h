#ifndef ORIGINLENS_SHIM_H
#define ORIGINLENS_SHIM_H
#include <stddef.h>
#include <string.h>
#include <zlib.h>

/* memmem is a GNU extension that Glibc's Swift overlay does not export. It is declared here
   rather than through _GNU_SOURCE, which would change the system headers' definitions (fd_set)
   against the ones other modules (Dispatch, SQLite) see. */
extern void *memmem(const void *haystack, size_t haystacklen, const void *needle, size_t needlelen);

static inline void *ol_memmem(const void *haystack, size_t haystacklen, const void *needle, size_t needlelen) {
    return memmem(haystack, haystacklen, needle, needlelen);
}
#endif
