// census_curl: the few libcurl calls `census events fetch` needs, as plain C functions (libcurl's
// option setters are variadic, which Swift cannot call). One easy handle per download, performed
// on the calling thread: no multi handle, no event loop, no descriptor census does not own.
// libcurl is not linked: it is loaded (dlopen) on the first call, so only `events fetch` pays for
// loading it and the libraries it needs.
#ifndef CENSUS_CURL_H
#define CENSUS_CURL_H

#include <stddef.h>

/// Receives the body: returns `size * count` to go on, anything else to stop the transfer.
typedef size_t (*census_curl_body)(char *data, size_t size, size_t count, void *context);

/// What one GET ended with: libcurl's result code (0: the exchange completed), the HTTP status
/// (0 when none arrived), and libcurl's message (empty when it gave none).
typedef struct {
    int code;
    long status;
    char message[256];
} census_curl_result;

/// Loads libcurl and initialises it, once for the process (thread-safe; later calls return the
/// first's answer). Returns 0 on success, -1 when libcurl cannot be loaded or initialised.
int census_curl_global_init(void);

/// Why `census_curl_global_init` failed, in words naming the library (empty after a success).
const char *census_curl_load_failure(void);

/// GETs `url` (http or https only; redirects followed, at most 5), handing the body of a 200 to
/// `body`; the body of any other status is not read (the transfer stops at its first bytes, and
/// `status` says which it was). `stall_seconds`: the transfer fails when fewer than 1 byte arrives
/// in that many seconds, or connecting takes longer. Blocks until the transfer ends.
census_curl_result census_curl_get(
    const char *url, const char *user_agent, long stall_seconds, census_curl_body body, void *context);

#endif
