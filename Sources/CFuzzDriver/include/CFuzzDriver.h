/* Fuzz harness: the one libFuzzer entry point Swift needs. Header only; the symbol comes
   from libFuzzer's runtime, linked by `-sanitize=fuzzer` (scripts/fuzz.sh). */
#ifndef CFUZZDRIVER_H
#define CFUZZDRIVER_H
#include <stddef.h>
#include <stdint.h>
/* Runs libFuzzer's driver with argv and calls `cb` once per input. SwiftPM replaces the
   executable's `main` with the target's own, so libFuzzer's `main` never runs: main.swift
   calls this instead (see TOOLCHAIN.md section 6). */
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*cb)(const uint8_t *data, size_t size));
#endif
