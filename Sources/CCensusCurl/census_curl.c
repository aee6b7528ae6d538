#include "census_curl.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

// libcurl is loaded with dlopen on the first download, not linked: linking it made every census
// start load libcurl and the thirty libraries it needs (TLS, Kerberos, LDAP, compression...),
// about 7 ms of each run's start-up on the benchmark machine, for a library only `events fetch`
// uses. The names below are the functions that command calls.

typedef CURLcode (*census_global_init_fn)(long);
typedef CURL *(*census_easy_init_fn)(void);
typedef CURLcode (*census_easy_setopt_fn)(CURL *, CURLoption, ...);
typedef CURLcode (*census_easy_perform_fn)(CURL *);
typedef CURLcode (*census_easy_getinfo_fn)(CURL *, CURLINFO, ...);
typedef void (*census_easy_cleanup_fn)(CURL *);
typedef const char *(*census_easy_strerror_fn)(CURLcode);
typedef curl_version_info_data *(*census_version_info_fn)(CURLversion);

static struct {
    census_global_init_fn global_init;
    census_easy_init_fn easy_init;
    census_easy_setopt_fn easy_setopt;
    census_easy_perform_fn easy_perform;
    census_easy_getinfo_fn easy_getinfo;
    census_easy_cleanup_fn easy_cleanup;
    census_easy_strerror_fn easy_strerror;
    census_version_info_fn version_info;
} census_curl_api;

static pthread_once_t census_curl_once = PTHREAD_ONCE_INIT;
static int census_curl_loaded = -1;
static char census_curl_failure[512];

/// The library names tried, in order: the SONAME of Debian's libcurl4 (OpenSSL) and of
/// libcurl3-gnutls, then the development link.
static const char *const census_curl_names[] = {"libcurl.so.4", "libcurl-gnutls.so.4", "libcurl.so"};

static void *census_curl_symbol(void *library, const char *name, int *missing) {
    void *symbol = dlsym(library, name);
    if (symbol == NULL && *missing == 0) {
        *missing = 1;
        snprintf(census_curl_failure, sizeof census_curl_failure, "libcurl has no %s", name);
    }
    return symbol;
}

static void census_curl_load_once(void) {
    void *library = NULL;
    const char *first_error = NULL;
    char first_copy[384] = {0};
    for (size_t i = 0; i < sizeof census_curl_names / sizeof census_curl_names[0]; i++) {
        library = dlopen(census_curl_names[i], RTLD_NOW | RTLD_LOCAL);
        if (library != NULL) break;
        if (first_error == NULL) {
            const char *error = dlerror();
            strncpy(first_copy, error != NULL ? error : census_curl_names[i], sizeof first_copy - 1);
            first_error = first_copy;
        }
    }
    if (library == NULL) {
        snprintf(census_curl_failure, sizeof census_curl_failure,
                 "cannot load libcurl (%s); install the system's libcurl (Debian: libcurl4)", first_error);
        census_curl_loaded = 0;
        return;
    }
    int missing = 0;
    census_curl_api.global_init = (census_global_init_fn)census_curl_symbol(library, "curl_global_init", &missing);
    census_curl_api.easy_init = (census_easy_init_fn)census_curl_symbol(library, "curl_easy_init", &missing);
    census_curl_api.easy_setopt = (census_easy_setopt_fn)census_curl_symbol(library, "curl_easy_setopt", &missing);
    census_curl_api.easy_perform = (census_easy_perform_fn)census_curl_symbol(library, "curl_easy_perform", &missing);
    census_curl_api.easy_getinfo = (census_easy_getinfo_fn)census_curl_symbol(library, "curl_easy_getinfo", &missing);
    census_curl_api.easy_cleanup = (census_easy_cleanup_fn)census_curl_symbol(library, "curl_easy_cleanup", &missing);
    census_curl_api.easy_strerror = (census_easy_strerror_fn)census_curl_symbol(library, "curl_easy_strerror", &missing);
    census_curl_api.version_info = (census_version_info_fn)census_curl_symbol(library, "curl_version_info", &missing);
    if (missing) {
        census_curl_loaded = 0;
        return;
    }
    if (census_curl_api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(census_curl_failure, sizeof census_curl_failure, "libcurl's global initialisation failed");
        census_curl_loaded = 0;
        return;
    }
    census_curl_loaded = 1;
}

int census_curl_global_init(void) {
    pthread_once(&census_curl_once, census_curl_load_once);
    return census_curl_loaded == 1 ? 0 : -1;
}

const char *census_curl_load_failure(void) {
    pthread_once(&census_curl_once, census_curl_load_once);
    return census_curl_loaded == 1 ? "" : census_curl_failure;
}

/// The body's way through: the final status is checked before the first bytes are handed on.
typedef struct {
    CURL *handle;
    census_curl_body body;
    void *context;
    int refused;
} census_curl_sink;

static size_t census_curl_write(char *data, size_t size, size_t count, void *opaque) {
    census_curl_sink *sink = (census_curl_sink *)opaque;
    long status = 0;
    census_curl_api.easy_getinfo(sink->handle, CURLINFO_RESPONSE_CODE, &status);
    if (status != 200) {
        sink->refused = 1;
        return 0;
    }
    return sink->body(data, size, count, sink->context);
}

census_curl_result census_curl_get(
    const char *url, const char *user_agent, long stall_seconds, census_curl_body body, void *context) {
    census_curl_result result;
    memset(&result, 0, sizeof result);
    if (census_curl_global_init() != 0) {
        result.code = CURLE_FAILED_INIT;
        strncpy(result.message, census_curl_failure, sizeof result.message - 1);
        return result;
    }
    CURL *handle = census_curl_api.easy_init();
    if (handle == NULL) {
        result.code = CURLE_FAILED_INIT;
        strncpy(result.message, "cannot start libcurl", sizeof result.message - 1);
        return result;
    }
    census_easy_setopt_fn setopt = census_curl_api.easy_setopt;
    char error[CURL_ERROR_SIZE];
    error[0] = 0;
    setopt(handle, CURLOPT_URL, url);
    setopt(handle, CURLOPT_ERRORBUFFER, error);
    setopt(handle, CURLOPT_USERAGENT, user_agent);
    census_curl_sink sink = {handle, body, context, 0};
    setopt(handle, CURLOPT_WRITEFUNCTION, census_curl_write);
    setopt(handle, CURLOPT_WRITEDATA, &sink);
    // No signals from libcurl in a threaded process (name lookups time out without SIGALRM).
    setopt(handle, CURLOPT_NOSIGNAL, 1L);
    setopt(handle, CURLOPT_FOLLOWLOCATION, 1L);
    setopt(handle, CURLOPT_MAXREDIRS, 5L);
    // The library loaded may be older or newer than the headers built against: ask it.
    curl_version_info_data *version = census_curl_api.version_info(CURLVERSION_NOW);
    if (version != NULL && version->version_num >= 0x075500) {
        setopt(handle, (CURLoption)(CURLOPTTYPE_STRINGPOINT + 318), "http,https");  // CURLOPT_PROTOCOLS_STR
        setopt(handle, (CURLoption)(CURLOPTTYPE_STRINGPOINT + 319), "http,https");  // CURLOPT_REDIR_PROTOCOLS_STR
    } else {
        setopt(handle, (CURLoption)(CURLOPTTYPE_LONG + 181), (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));  // CURLOPT_PROTOCOLS
        setopt(handle, (CURLoption)(CURLOPTTYPE_LONG + 182), (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));  // CURLOPT_REDIR_PROTOCOLS
    }
    setopt(handle, CURLOPT_CONNECTTIMEOUT, stall_seconds);
    setopt(handle, CURLOPT_LOW_SPEED_LIMIT, 1L);
    setopt(handle, CURLOPT_LOW_SPEED_TIME, stall_seconds);
    CURLcode code = census_curl_api.easy_perform(handle);
    // A body refused for its status is no failure of the exchange.
    if (sink.refused && code == CURLE_WRITE_ERROR) {
        code = CURLE_OK;
        error[0] = 0;
    }
    result.code = (int)code;
    long status = 0;
    census_curl_api.easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
    result.status = status;
    const char *message =
        error[0] != 0 ? error : (code != CURLE_OK ? census_curl_api.easy_strerror(code) : "");
    strncpy(result.message, message, sizeof result.message - 1);
    census_curl_api.easy_cleanup(handle);
    return result;
}
