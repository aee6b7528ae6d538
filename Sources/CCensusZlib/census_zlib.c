#include "census_zlib.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

struct census_gunzip {
    z_stream stream;
    int initialized;
    /// 1 between members: the next input byte starts a new gzip header.
    int at_boundary;
    char message[160];
};

census_gunzip *census_gunzip_new(void) {
    census_gunzip *z = calloc(1, sizeof *z);
    if (!z) return NULL;
    /* 16 + MAX_WBITS: gzip wrapper only, so a zlib or raw stream is rejected as not gzip. */
    if (inflateInit2(&z->stream, 16 + MAX_WBITS) != Z_OK) {
        free(z);
        return NULL;
    }
    z->initialized = 1;
    z->at_boundary = 1;
    return z;
}

void census_gunzip_free(census_gunzip *z) {
    if (!z) return;
    if (z->initialized) inflateEnd(&z->stream);
    free(z);
}

int census_gunzip_reset(census_gunzip *z) {
    z->message[0] = 0;
    z->at_boundary = 1;
    return inflateReset(&z->stream) == Z_OK ? CENSUS_GUNZIP_OK : CENSUS_GUNZIP_CORRUPT;
}

int census_gunzip_at_member_boundary(const census_gunzip *z) { return z->at_boundary; }

const char *census_gunzip_message(const census_gunzip *z) { return z->message; }

static void set_message(census_gunzip *z, const char *fallback) {
    const char *text = z->stream.msg ? z->stream.msg : fallback;
    strncpy(z->message, text, sizeof z->message - 1);
    z->message[sizeof z->message - 1] = 0;
}

int census_gunzip_step(census_gunzip *z, const uint8_t *in, size_t in_len, size_t *in_used,
                       uint8_t *out, size_t out_cap, size_t *out_len) {
    *in_used = 0;
    *out_len = 0;
    if (in_len == 0 && out_cap == 0) return CENSUS_GUNZIP_OK;
    if (z->at_boundary && in_len > 0) {
        /* A member starts with 1f 8b; check the first byte we see of it (the second is checked by
           zlib). This tells "not gzip" apart from corrupt data. */
        if (in[0] != 0x1f) {
            strcpy(z->message, "not in gzip format");
            return CENSUS_GUNZIP_NOT_GZIP;
        }
    }
    /* zlib counts in uInt; feed at most 1 GiB a step. */
    uInt in_chunk = in_len > (1u << 30) ? (1u << 30) : (uInt)in_len;
    uInt out_chunk = out_cap > (1u << 30) ? (1u << 30) : (uInt)out_cap;
    z->stream.next_in = (Bytef *)in;
    z->stream.avail_in = in_chunk;
    z->stream.next_out = out;
    z->stream.avail_out = out_chunk;
    if (in_chunk > 0) z->at_boundary = 0;
    int rc = inflate(&z->stream, Z_NO_FLUSH);
    *in_used = in_chunk - z->stream.avail_in;
    *out_len = out_chunk - z->stream.avail_out;
    switch (rc) {
    case Z_OK:
        return CENSUS_GUNZIP_OK;
    case Z_BUF_ERROR:
        /* No progress possible: needs more input or more room; not an error by itself. */
        return CENSUS_GUNZIP_OK;
    case Z_STREAM_END:
        z->at_boundary = 1;
        if (inflateReset(&z->stream) != Z_OK) {
            set_message(z, "cannot reset the decoder");
            return CENSUS_GUNZIP_CORRUPT;
        }
        return CENSUS_GUNZIP_MEMBER_END;
    case Z_MEM_ERROR:
        set_message(z, "out of memory");
        return CENSUS_GUNZIP_NO_MEMORY;
    case Z_DATA_ERROR:
        set_message(z, "invalid compressed data");
        /* A bad header means this is not gzip at all. */
        if (z->stream.msg && strstr(z->stream.msg, "header")) return CENSUS_GUNZIP_NOT_GZIP;
        return CENSUS_GUNZIP_CORRUPT;
    default:
        set_message(z, "invalid compressed data");
        return CENSUS_GUNZIP_CORRUPT;
    }
}
