// push_metrics (declared in metrics.hpp): the Pushgateway client, kept apart from the text formatting.
#include <curl/curl.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "ledger/metrics.hpp"

namespace ledger {
namespace {

constexpr long kConnectTimeoutMs = 3'000;
constexpr long kTotalTimeoutMs = 10'000;
constexpr size_t kMaxResponseBytes = 512;  // enough for the gateway's error text, bounded for a hostile one

// The gateway's own encoding for label values that a path segment cannot carry (a '/' or nothing).
std::string base64url(std::string_view bytes) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        const uint32_t n = uint32_t(uint8_t(bytes[i])) << 16 | uint32_t(uint8_t(bytes[i + 1])) << 8 |
                           uint8_t(bytes[i + 2]);
        for (int shift : {18, 12, 6, 0}) out += kAlphabet[(n >> shift) & 63];
    }
    const size_t rest = bytes.size() - i;
    if (rest > 0) {
        uint32_t n = uint32_t(uint8_t(bytes[i])) << 16;
        if (rest == 2) n |= uint32_t(uint8_t(bytes[i + 1])) << 8;
        out += kAlphabet[(n >> 18) & 63];
        out += kAlphabet[(n >> 12) & 63];
        out += rest == 2 ? kAlphabet[(n >> 6) & 63] : '=';
        out += '=';
    }
    return out.empty() ? "=" : out;  // the gateway's spelling of an empty value
}

std::string escape_path_segment(CURL* curl, std::string_view text) {
    std::unique_ptr<char, decltype(&curl_free)> escaped(curl_easy_escape(curl, text.data(), int(text.size())),
                                                       &curl_free);
    return escaped ? std::string(escaped.get()) : std::string();
}

std::string push_url(CURL* curl, std::string_view base_url, std::string_view instance) {
    while (!base_url.empty() && base_url.back() == '/') base_url.remove_suffix(1);
    std::string url(base_url);
    url += "/metrics/job/ledger";
    // Go's router decodes %2F before matching, so a '/' in the instance would split the path; an empty
    // segment would not match at all. The gateway reads the @base64 form for both.
    if (instance.empty() || instance.find('/') != std::string_view::npos) {
        url += "/instance@base64/" + base64url(instance);
    } else {
        url += "/instance/" + escape_path_segment(curl, instance);
    }
    return url;
}

// Messages end up in logs: never repeat user:password from the URL there.
std::string redacted(std::string_view url) {
    const size_t scheme = url.find("://");
    if (scheme == std::string_view::npos) return std::string(url);
    const size_t host = scheme + 3;
    const size_t at = url.find('@', host);
    const size_t path = url.find('/', host);
    if (at == std::string_view::npos || (path != std::string_view::npos && at > path)) return std::string(url);
    return std::string(url.substr(0, host)) + "***@" + std::string(url.substr(at + 1));
}

size_t keep_response(char* data, size_t size, size_t count, void* user) {
    auto* response = static_cast<std::string*>(user);
    const size_t bytes = size * count;
    if (response->size() < kMaxResponseBytes)
        response->append(data, std::min(bytes, kMaxResponseBytes - response->size()));
    return bytes;
}

void init_curl_once() {
    static std::once_flag once;
    // curl_global_init is not thread-safe; doing it once here keeps curl_easy_init from doing it lazily.
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

bool push_metrics(const std::string& base_url, const std::string& instance, const std::string& body,
                  std::string* error) {
    init_curl_once();
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
    if (!curl) {
        *error = "cannot initialise libcurl";
        return false;
    }
    const std::string url = push_url(curl.get(), base_url, instance);

    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: text/plain; version=0.0.4");
    // Without this, curl waits up to a second for a "100 Continue" that some proxies never send.
    headers = curl_slist_append(headers, "Expect:");
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_list(headers, &curl_slist_free_all);

    std::string response;
    char curl_error[CURL_ERROR_SIZE] = {};
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    // POST, not PUT: PUT replaces the whole group, which would delete the last success timestamp that
    // a failed run deliberately leaves out (see metrics.cpp). POST replaces only the families it sends.
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.size()));
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, header_list.get());
    curl_easy_setopt(c, CURLOPT_USERAGENT, "ledger");
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, kConnectTimeoutMs);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, kTotalTimeoutMs);
    // Timeouts by signal would interrupt MPI's own system calls.
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, keep_response);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &response);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curl_error);

    const CURLcode code = curl_easy_perform(c);
    if (code != CURLE_OK) {
        *error = "push to " + redacted(url) + " failed: " + (curl_error[0] ? curl_error : curl_easy_strerror(code));
        return false;
    }
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    if (status < 200 || status > 299) {
        while (!response.empty() && (response.back() == '\n' || response.back() == '\r')) response.pop_back();
        *error = "push to " + redacted(url) + " failed: HTTP " + std::to_string(status) +
                 (response.empty() ? "" : ": " + response);
        return false;
    }
    return true;
}

}  // namespace ledger
