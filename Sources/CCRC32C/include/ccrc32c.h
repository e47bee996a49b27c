#ifndef CCRC32C_H
#define CCRC32C_H
#include <stddef.h>
#include <stdint.h>
/* 1 when the CPU has SSE4.2's crc32 instruction. */
int ccrc32c_hw_available(void);
/* CRC-32C (Castagnoli) of p[0..n) continuing from crc (0 to start). */
uint32_t ccrc32c_hw(uint32_t crc, const uint8_t *p, size_t n);
#endif
