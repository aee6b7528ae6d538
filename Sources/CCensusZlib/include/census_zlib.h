#ifndef CENSUS_ZLIB_H
#define CENSUS_ZLIB_H

#include <stddef.h>
#include <stdint.h>

/// A streaming gzip decoder over the system's zlib.
///
/// Swift cannot use zlib's `z_stream` comfortably (its macros such as `inflateInit2` are not
/// imported), so this shim keeps the stream behind an opaque handle. Input is fed in pieces of
/// any size; output is produced into the caller's buffer. Concatenated gzip members (RFC 1952
/// allows them; `cat a.gz b.gz` makes one) are decoded as one stream.
typedef struct census_gunzip census_gunzip;

/// Status of one step.
enum {
    /// Progress was made; call again with more input or more output room.
    CENSUS_GUNZIP_OK = 0,
    /// A gzip member ended exactly at the end of the input given so far. If no more input
    /// follows, the stream is complete.
    CENSUS_GUNZIP_MEMBER_END = 1,
    /// The input is not gzip (bad magic number or header).
    CENSUS_GUNZIP_NOT_GZIP = -1,
    /// The compressed data is corrupt (zlib's message says how).
    CENSUS_GUNZIP_CORRUPT = -2,
    /// zlib could not allocate memory.
    CENSUS_GUNZIP_NO_MEMORY = -3
};

/// A new decoder, or NULL when memory is short.
census_gunzip *census_gunzip_new(void);

/// Frees the decoder (NULL is fine).
void census_gunzip_free(census_gunzip *z);

/// Starts over, for a new file.
int census_gunzip_reset(census_gunzip *z);

/// Decodes from `in` (`in_len` bytes) into `out` (`out_cap` bytes of room). Sets `*in_used` and
/// `*out_len` to what was consumed and produced. Returns one of the statuses above.
///
/// After `CENSUS_GUNZIP_MEMBER_END`, further input is taken as the next member (bytes that are
/// not a gzip header give `CENSUS_GUNZIP_NOT_GZIP`, as `gzip -d` reports trailing garbage).
int census_gunzip_step(census_gunzip *z, const uint8_t *in, size_t in_len, size_t *in_used,
                       uint8_t *out, size_t out_cap, size_t *out_len);

/// Whether the decoder is between members (no member started, or the last one ended): a stream
/// that ends here is complete; one that ends elsewhere is truncated.
int census_gunzip_at_member_boundary(const census_gunzip *z);

/// zlib's message for the last error, or an empty string.
const char *census_gunzip_message(const census_gunzip *z);

#endif
