// A stdio stream over zlib's gzread, built with glibc's fopencookie, so libpcap's
// pcap_fopen_offline() reads gzip-compressed captures and pipes without a temp file.
#define _GNU_SOURCE
#include "CSupport.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

struct dmd_gz_cookie {
    gzFile file;
    int error;          // zlib error of the last failed read, 0 if none
    char message[160];  // zlib's message for it
    unsigned char pending[64];  // bytes peeked by dmd_peek, served before gzread
    size_t pendingStart, pendingEnd;
};

static ssize_t gz_cookie_read(void *raw, char *buffer, size_t size) {
    struct dmd_gz_cookie *cookie = raw;
    size_t total = 0;
    while (total < size && cookie->pendingStart < cookie->pendingEnd) {
        buffer[total++] = (char)cookie->pending[cookie->pendingStart++];
    }
    while (total < size) {
        // gzread takes an unsigned count; read at most 1 GiB per call.
        size_t want = size - total;
        if (want > (1u << 30)) want = 1u << 30;
        int got = gzread(cookie->file, buffer + total, (unsigned)want);
        if (got < 0) {
            int code = 0;
            const char *text = gzerror(cookie->file, &code);
            cookie->error = code ? code : Z_DATA_ERROR;
            snprintf(cookie->message, sizeof cookie->message, "%s", text ? text : "gzip read error");
            if (total > 0) return (ssize_t)total;
            errno = EIO;
            return -1;
        }
        if (got == 0) {
            // End of input. A gzip member cut short ends with Z_BUF_ERROR in gzerror.
            int code = 0;
            const char *text = gzerror(cookie->file, &code);
            if (code == Z_BUF_ERROR || code == Z_DATA_ERROR) {
                cookie->error = code;
                snprintf(cookie->message, sizeof cookie->message, "%s", text ? text : "gzip data cut short");
            }
            break;
        }
        total += (size_t)got;
    }
    return (ssize_t)total;
}

static int gz_cookie_close(void *raw) {
    struct dmd_gz_cookie *cookie = raw;
    int result = gzclose_r(cookie->file) == Z_OK ? 0 : EOF;
    free(cookie);
    return result;
}

FILE *dmd_open_transparent_gzip(int fd, void **state) {
    struct dmd_gz_cookie *cookie = calloc(1, sizeof *cookie);
    if (!cookie) { errno = ENOMEM; return NULL; }
    cookie->file = gzdopen(fd, "rb");
    if (!cookie->file) { free(cookie); errno = errno ? errno : ENOMEM; return NULL; }
    gzbuffer(cookie->file, 256 * 1024);
    cookie_io_functions_t functions = { .read = gz_cookie_read, .write = NULL, .seek = NULL, .close = gz_cookie_close };
    FILE *stream = fopencookie(cookie, "rb", functions);
    if (!stream) { gzclose_r(cookie->file); free(cookie); return NULL; }
    setvbuf(stream, NULL, _IOFBF, 256 * 1024);
    if (state) *state = cookie;
    return stream;
}

long dmd_peek(void *state, unsigned char *out, size_t capacity) {
    struct dmd_gz_cookie *cookie = state;
    if (!cookie) return -1;
    if (capacity > sizeof cookie->pending) capacity = sizeof cookie->pending;
    size_t total = 0;
    while (total < capacity) {
        int got = gzread(cookie->file, cookie->pending + total, (unsigned)(capacity - total));
        if (got < 0) return -1;
        if (got == 0) break;
        total += (size_t)got;
    }
    cookie->pendingStart = 0;
    cookie->pendingEnd = total;
    memcpy(out, cookie->pending, total);
    return (long)total;
}

int dmd_gzip_error(const void *state, char *message, size_t capacity) {
    const struct dmd_gz_cookie *cookie = state;
    if (!cookie || !cookie->error) return 0;
    if (message && capacity > 0) snprintf(message, capacity, "%s", cookie->message);
    return cookie->error;
}

int dmd_gzip_is_compressed(const void *state) {
    const struct dmd_gz_cookie *cookie = state;
    if (!cookie) return 0;
    return gzdirect(cookie->file) ? 0 : 1;
}
