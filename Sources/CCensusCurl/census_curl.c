#include "census_curl.h"

#include <curl/curl.h>
#include <string.h>

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
    curl_easy_getinfo(sink->handle, CURLINFO_RESPONSE_CODE, &status);
    if (status != 200) {
        sink->refused = 1;
        return 0;
    }
    return sink->body(data, size, count, sink->context);
}

int census_curl_global_init(void) {
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

census_curl_result census_curl_get(
    const char *url, const char *user_agent, long stall_seconds, census_curl_body body, void *context) {
    census_curl_result result;
    memset(&result, 0, sizeof result);
    CURL *handle = curl_easy_init();
    if (handle == NULL) {
        result.code = CURLE_FAILED_INIT;
        strncpy(result.message, "cannot start libcurl", sizeof result.message - 1);
        return result;
    }
    char error[CURL_ERROR_SIZE];
    error[0] = 0;
    curl_easy_setopt(handle, CURLOPT_URL, url);
    curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(handle, CURLOPT_USERAGENT, user_agent);
    census_curl_sink sink = {handle, body, context, 0};
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, census_curl_write);
    curl_easy_setopt(handle, CURLOPT_WRITEDATA, &sink);
    // No signals from libcurl in a threaded process (name lookups time out without SIGALRM).
    curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(handle, CURLOPT_MAXREDIRS, 5L);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(handle, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
    curl_easy_setopt(handle, CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT, stall_seconds);
    curl_easy_setopt(handle, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(handle, CURLOPT_LOW_SPEED_TIME, stall_seconds);
    CURLcode code = curl_easy_perform(handle);
    // A body refused for its status is no failure of the exchange.
    if (sink.refused && code == CURLE_WRITE_ERROR) {
        code = CURLE_OK;
        error[0] = 0;
    }
    result.code = (int)code;
    long status = 0;
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
    result.status = status;
    const char *message = error[0] != 0 ? error : (code != CURLE_OK ? curl_easy_strerror(code) : "");
    strncpy(result.message, message, sizeof result.message - 1);
    curl_easy_cleanup(handle);
    return result;
}
