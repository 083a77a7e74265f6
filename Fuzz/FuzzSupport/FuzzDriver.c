// The `main` of every dmdissect libFuzzer harness (see the fuzz block at the bottom of Package.swift).
//
// SwiftPM renames an executable's entry point to `<Module>_main` and links with `--defsym main=…`; a
// harness built with -parse-as-library has no such function, so the manifest points both symbols here,
// and this hands control to libFuzzer's driver with the harness's LLVMFuzzerTestOneInput.
#include "FuzzSupport.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

int dmdissect_fuzz_main(int argc, char **argv) {
    return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput);
}
