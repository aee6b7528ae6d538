#ifndef CENSUS_BYTES_H
#define CENSUS_BYTES_H

#include <stdint.h>

/// A bit for each of the 64 bytes at `p` that equals `byte` (bit k for p[k]); all 64 bytes
/// must be readable.
///
/// Swift cannot reach the vector compare-and-collect instructions this needs (SSE2's
/// pcmpeqb/pmovmskb, part of every x86-64), so the byte-parallel search lives in C; on other
/// processors a plain loop stands in. The pattern search walks line starts with it: one call
/// per 64 bytes instead of one `memchr` call per line.
uint64_t census_byte_mask64(const uint8_t *p, uint8_t byte);

#endif
