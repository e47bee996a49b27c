/* CZlib: zlib for the Protocol room's gzip codec (RecordBatch compression type 1).
 * inflateInit2/deflateInit2 are macros, which Swift cannot call; these wrappers are. */
#ifndef CZLIB_SHIM_H
#define CZLIB_SHIM_H
#include <zlib.h>

/* Inflate gzip or zlib framing, detected from the header (windowBits 15 + 32). */
static inline int czlib_inflate_init_auto(z_streamp stream) {
    return inflateInit2(stream, 15 + 32);
}

/* Deflate with gzip framing (windowBits 15 + 16), as Java's GZIPOutputStream writes. */
static inline int czlib_deflate_init_gzip(z_streamp stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}
#endif
