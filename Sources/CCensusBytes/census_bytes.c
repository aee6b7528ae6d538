#include "census_bytes.h"
#if defined(__SSE2__)
#include <emmintrin.h>
uint64_t census_byte_mask64(const uint8_t *p, uint8_t byte) {
    const __m128i needle = _mm_set1_epi8((char)byte);
    uint64_t mask = 0;
    for (int k = 0; k < 4; k++) {
        __m128i block = _mm_loadu_si128((const __m128i *)(p + 16 * k));
        mask |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(block, needle)) << (16 * k);
    }
    return mask;
}
#else
uint64_t census_byte_mask64(const uint8_t *p, uint8_t byte) {
    uint64_t mask = 0;
    for (int k = 0; k < 64; k++) mask |= (uint64_t)(p[k] == byte) << k;
    return mask;
}
#endif
