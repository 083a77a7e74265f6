#ifndef DMDISSECT_CSUPPORT_H
#define DMDISSECT_CSUPPORT_H

#include <stddef.h>
#include <stdio.h>

/// Opens a read-only stdio stream over `fd` that decompresses gzip input and passes
/// any other input through unchanged (zlib's transparent mode), so that libpcap and the
/// pcapng reader can read a gzip'ed capture or a pipe as if it were a plain file.
/// The stream owns `fd`: fclose() closes both. `state` receives a handle for
/// dmd_gzip_error(), valid until the stream is closed. Returns NULL (errno set) on failure.
FILE *dmd_open_transparent_gzip(int fd, void **state);

/// Reports whether a read on the stream behind `state` failed because the gzip data were
/// corrupt or cut short; writes zlib's message (NUL-terminated, truncated to fit) into
/// `message`. Returns 0 when there was no such error. `state` must not outlive the stream.
int dmd_gzip_error(const void *state, char *message, size_t capacity);

/// Reads up to `capacity` bytes from the start of the stream behind `state` into `out` and
/// arranges for later reads of the FILE* to return those bytes again first, so the caller can
/// sniff a file's magic number on a pipe. Call it once, before any read of the FILE*.
/// Returns the number of bytes peeked (fewer at end of input), or -1 on a read error.
long dmd_peek(void *state, unsigned char *out, size_t capacity);

/// 1 when zlib found gzip data behind `state` (valid after dmd_peek), 0 when it passes bytes through.
int dmd_gzip_is_compressed(const void *state);

/// Installs handlers for SIGINT, SIGTERM and SIGALRM that only record that a stop was asked
/// for (async-signal-safe), without SA_RESTART, so a blocking capture read returns. Live capture
/// polls dmd_stop_requested() between reads. Returns 0, or -1 (errno set).
int dmd_install_stop_signals(void);

/// The libpcap handle (a pcap_t *) the stop handler breaks out of with pcap_breakloop(), or NULL.
void dmd_set_break_target(void *pcap);

/// 1 once SIGINT, SIGTERM or SIGALRM arrived after dmd_install_stop_signals(), else 0.
int dmd_stop_requested(void);

/// Drops root privileges to `user` (its primary group and supplementary groups first), as
/// tcpdump -Z does. Returns 0, -1 when the user is unknown, -2 when a set*id call failed.
int dmd_drop_privileges(const char *user);

#endif
