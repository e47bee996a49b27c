#include "ccrc32c.h"
#include <string.h>
#if defined(__x86_64__)
#include <cpuid.h>
#include <nmmintrin.h>

/*
 * The crc32 instruction takes 3 cycles but can start one every cycle, so one dependent chain
 * uses a third of it. Long inputs are therefore cut into three equal blocks checksummed side by
 * side (the second and third from 0), then joined: appending n bytes to a CRC register c gives
 * c * x^(8n) mod P xor the CRC of those bytes from 0, so the whole is
 *   shift(c_a, 2n) ^ shift(c_b, n) ^ c_c.
 * A shift by a fixed n is multiplication by the constant x^(8n) mod P, linear in c, so it is
 * four lookups in byte tables built once at load time.
 */

#define POLY 0x82F63B78u /* Castagnoli, bit-reflected: bit 31 is x^0, bit 0 is x^31 */

/* a * b mod P, both bit-reflected. */
static uint32_t multiply_mod_p(uint32_t a, uint32_t b) {
    uint32_t product = 0;
    for (int power = 0; power < 32; power++) {       /* b holds (original b) * x^power */
        if (a & (0x80000000u >> power)) product ^= b;
        b = (b & 1) ? (b >> 1) ^ POLY : b >> 1;
    }
    return product;
}

/* x^(8 * bytes) mod P, bit-reflected. */
static uint32_t x_to_the_bytes(size_t bytes) {
    uint32_t r = 0x80000000u;                         /* x^0 */
    for (size_t bit = 0; bit < 8 * bytes; bit++) r = (r & 1) ? (r >> 1) ^ POLY : r >> 1;
    return r;
}

/* Per-stream block sizes, longest first: each tier takes what the one before left over. */
#define TIERS 3
static const size_t tier_block[TIERS] = {4096, 512, 64};

/* shift_table[tier][k][j][v]: (v << 8j) * x^(8 * block * (k + 1)) mod P, for k = 0, 1. */
static uint32_t shift_table[TIERS][2][4][256];

__attribute__((constructor))
static void ccrc32c_build_shift_tables(void) {
    for (int tier = 0; tier < TIERS; tier++) {
        for (int k = 0; k < 2; k++) {
            uint32_t constant = x_to_the_bytes(tier_block[tier] * (size_t)(k + 1));
            for (int j = 0; j < 4; j++) {
                for (uint32_t v = 0; v < 256; v++) {
                    shift_table[tier][k][j][v] = multiply_mod_p(v << (8 * j), constant);
                }
            }
        }
    }
}

static inline uint32_t shift(uint32_t c, const uint32_t table[4][256]) {
    return table[0][c & 0xFF] ^ table[1][(c >> 8) & 0xFF] ^ table[2][(c >> 16) & 0xFF]
        ^ table[3][c >> 24];
}

int ccrc32c_hw_available(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    return (c & bit_SSE4_2) != 0;
}

/* Three blocks of `block` bytes (a multiple of 8) at p, side by side, joined into c. */
__attribute__((target("sse4.2")))
static inline uint64_t three_blocks(uint64_t c, const uint8_t *p, size_t block,
                                    const uint32_t tables[2][4][256]) {
    uint64_t a = c, b = 0, d = 0;
    const uint8_t *pb = p + block, *pd = p + 2 * block;
    for (size_t i = 0; i < block; i += 8) {
        uint64_t va, vb, vd;
        memcpy(&va, p + i, 8);
        memcpy(&vb, pb + i, 8);
        memcpy(&vd, pd + i, 8);
        a = _mm_crc32_u64(a, va);
        b = _mm_crc32_u64(b, vb);
        d = _mm_crc32_u64(d, vd);
    }
    return shift((uint32_t)a, tables[1]) ^ shift((uint32_t)b, tables[0]) ^ (uint32_t)d;
}

/* The target attribute, not -msse4.2: SwiftPM forbids unsafeFlags in packages others use. */
__attribute__((target("sse4.2")))
uint32_t ccrc32c_hw(uint32_t crc, const uint8_t *p, size_t n) {
    uint64_t c = (uint32_t)~crc;
    while (n > 0 && ((uintptr_t)p & 7) != 0) { c = _mm_crc32_u8((uint32_t)c, *p++); n--; }
    for (int tier = 0; tier < TIERS; tier++) {
        const size_t block = tier_block[tier];
        while (n >= 3 * block) {
            c = three_blocks(c, p, block, shift_table[tier]);
            p += 3 * block;
            n -= 3 * block;
        }
    }
    while (n >= 8) { uint64_t v; memcpy(&v, p, 8); c = _mm_crc32_u64(c, v); p += 8; n -= 8; }
    while (n > 0) { c = _mm_crc32_u8((uint32_t)c, *p++); n--; }
    return ~(uint32_t)c;
}
#else
int ccrc32c_hw_available(void) { return 0; }
uint32_t ccrc32c_hw(uint32_t crc, const uint8_t *p, size_t n) { (void)p; (void)n; return crc; }
#endif
