#define _GNU_SOURCE
#include "census_fuzz.h"

#include <sys/mman.h>

#include <string.h>
#include <zlib.h>

size_t census_fuzz_gzip_bound(size_t count) {
    // deflateBound for the default parameters, plus the gzip header and trailer.
    return compressBound((uLong)count) + 32;
}

long census_fuzz_gzip(const uint8_t *input, size_t count, int level, uint8_t *output, size_t capacity) {
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    // 15 + 16: a gzip wrapper around a 32 KiB window.
    if (deflateInit2(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return -1;
    stream.next_in = (Bytef *)input;
    stream.avail_in = (uInt)count;
    stream.next_out = output;
    stream.avail_out = (uInt)capacity;
    int status = deflate(&stream, Z_FINISH);
    long produced = (long)stream.total_out;
    deflateEnd(&stream);
    return status == Z_STREAM_END ? produced : -1;
}

int census_fuzz_memfd(const char *name) {
    return memfd_create(name, MFD_CLOEXEC);
}
