#ifndef CENSUS_GZIP_H
#define CENSUS_GZIP_H

#include <stddef.h>
#include <stdint.h>

/// The most bytes `census_gzip` can produce for `in_len` bytes of input.
size_t census_gzip_bound(size_t in_len);

/// Compresses `in` into one gzip member (RFC 1952) in `out`, at zlib `level` (1 fastest, 9
/// smallest). Returns the member's length, or 0 when `out_cap` is too small or zlib could not
/// allocate its state.
size_t census_gzip(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap, int level);

#endif
