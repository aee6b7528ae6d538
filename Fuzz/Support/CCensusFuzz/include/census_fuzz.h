#ifndef CENSUS_FUZZ_H
#define CENSUS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver, for a binary whose `main` is its own (SwiftPM gives every executable one).
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

/// Compresses `input` as one gzip member (zlib's deflate, level 1..9) into `output`.
/// Returns the compressed size, or -1 when `capacity` is too small or zlib fails.
long census_fuzz_gzip(const uint8_t *input, size_t count, int level, uint8_t *output, size_t capacity);

/// An upper bound of the gzip size of `count` bytes.
size_t census_fuzz_gzip_bound(size_t count);

/// An anonymous in-memory file (memfd_create, which Glibc's Swift overlay does not export), or -1.
int census_fuzz_memfd(const char *name);

#endif
