/* tmx_int.h -- internals shared by the TMX reader's files (not installed).
 *
 * tmx_unpack.c: compressed memories (gzip, a zip holding one TMX).  It
 * knows nothing of the reader: the unpacked bytes go to a sink callback,
 * so the files depend one way only (tmx_read.c -> tmx_unpack.c).
 */
#ifndef TMKIT_TMX_INT_H
#define TMKIT_TMX_INT_H

#include <stddef.h>
#include "tmkit/error.h"

/* Where unpacked bytes go: TMK_OK to go on, a negative code to stop. */
typedef int (*tmk__unpack_sink)(void *ud, const char *data, size_t len, tmk_error *err);

/* Whether the first bytes are those of a gzip stream (1f 8b) or of a zip
 * file (PK 03 04, or PK 05 06 for an empty one).  n may be short. */
int tmk__is_gzip(const void *data, size_t n);
int tmk__is_zip(const void *data, size_t n);

/* A gzip stream (one or more members) unpacked in chunks.  name: for
 * messages (borrowed).  feed gives every unpacked chunk to sink; finish
 * says whether the stream was complete (a truncated file is TMK_ESYNTAX
 * with its own message).  Limit: see TMK_TMX_UNPACK_RATIO in tmx.h. */
typedef struct tmk__gunzip tmk__gunzip;
tmk__gunzip *tmk__gunzip_new(const char *name, tmk_error *err);
int tmk__gunzip_feed(tmk__gunzip *g, const char *data, size_t len, tmk__unpack_sink sink,
                     void *ud, tmk_error *err);
int tmk__gunzip_finish(tmk__gunzip *g, tmk_error *err);
void tmk__gunzip_free(tmk__gunzip *g);

/* The zip file at path must hold exactly one TMX memory (a member whose
 * start has a <tmx element): it is unpacked in chunks into sink.  Other
 * members (a readme, folders) are ignored.  No TMX, several, an encrypted
 * member or a member that unpacks beyond the limit: TMK_EFORMAT or
 * TMK_ELIMIT with a message naming path. */
int tmk__unzip_tmx(const char *path, tmk__unpack_sink sink, void *ud, tmk_error *err);

#endif
