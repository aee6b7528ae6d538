#include "census_gzip.h"

#include <limits.h>
#include <string.h>
#include <zlib.h>

size_t census_gzip_bound(size_t in_len) {
    /* zlib's compressBound, plus the gzip wrapper (18 bytes) instead of zlib's (6), plus room
       for the end of each 1 GiB piece fed below. */
    return in_len + (in_len >> 12) + (in_len >> 14) + (in_len >> 25) + 13 + 12 + 5 * (in_len >> 30) + 64;
}

size_t census_gzip(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap, int level) {
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    /* 16 + MAX_WBITS: a gzip header and trailer (CRC-32 and length) around the deflate data. */
    if (deflateInit2(&stream, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) return 0;
    const size_t piece = (size_t)1 << 30;
    size_t done_in = 0, done_out = 0;
    int status = Z_OK;
    do {
        size_t in_now = in_len - done_in < piece ? in_len - done_in : piece;
        size_t out_now = out_cap - done_out < piece ? out_cap - done_out : piece;
        stream.next_in = (Bytef *)(in + done_in);
        stream.avail_in = (uInt)in_now;
        stream.next_out = out + done_out;
        stream.avail_out = (uInt)out_now;
        int flush = done_in + in_now == in_len ? Z_FINISH : Z_NO_FLUSH;
        status = deflate(&stream, flush);
        done_in += in_now - stream.avail_in;
        done_out += out_now - stream.avail_out;
        if (status == Z_STREAM_ERROR || (status == Z_BUF_ERROR && done_out == out_cap)) break;
    } while (status != Z_STREAM_END);
    deflateEnd(&stream);
    return status == Z_STREAM_END ? done_out : 0;
}
