#ifndef DMDISSECT_FUZZ_SUPPORT_H
#define DMDISSECT_FUZZ_SUPPORT_H

/// libFuzzer's driver for the harness linked into this executable; used as the process entry point.
int dmdissect_fuzz_main(int argc, char **argv);

#endif
