// ---- runtime: Extism kernel calls, JSON helpers (nlohmann/json without exceptions) ----
#include <cstddef>
#include <cstdint>
#include <cmath>
#include <expected>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// Exceptions are off (-fno-exceptions): nlohmann/json would abort (a trap) where it would
// throw, so this file only calls its non-throwing API: parse without exceptions, type
// checks before every get, dump that replaces invalid UTF-8.
#define JSON_NOEXCEPTION 1
#include <nlohmann/json.hpp>
static_assert(NLOHMANN_JSON_VERSION_MAJOR == 3 && NLOHMANN_JSON_VERSION_MINOR >= 11,
              "these bindings need nlohmann/json 3.11 or newer (Debian 12: nlohmann-json3-dev)");

#define PDK_KERNEL(name) __attribute__((import_module("extism:host/env"), import_name(#name)))
extern "C" {
PDK_KERNEL(input_length) uint64_t pdk_kernel_input_length(void);
PDK_KERNEL(input_load_u8) uint32_t pdk_kernel_input_load_u8(uint64_t at);
PDK_KERNEL(input_load_u64) uint64_t pdk_kernel_input_load_u64(uint64_t at);
PDK_KERNEL(alloc) uint64_t pdk_kernel_alloc(uint64_t length);
PDK_KERNEL(free) void pdk_kernel_free(uint64_t block);
PDK_KERNEL(length) uint64_t pdk_kernel_length(uint64_t block);
PDK_KERNEL(load_u8) uint32_t pdk_kernel_load_u8(uint64_t at);
PDK_KERNEL(load_u64) uint64_t pdk_kernel_load_u64(uint64_t at);
PDK_KERNEL(store_u8) void pdk_kernel_store_u8(uint64_t at, uint32_t value);
PDK_KERNEL(store_u64) void pdk_kernel_store_u64(uint64_t at, uint64_t value);
PDK_KERNEL(output_set) void pdk_kernel_output_set(uint64_t block, uint64_t length);
PDK_KERNEL(error_set) void pdk_kernel_error_set(uint64_t block);
PDK_KERNEL(log_info) void pdk_kernel_log_info(uint64_t block);
PDK_KERNEL(log_warn) void pdk_kernel_log_warn(uint64_t block);
PDK_KERNEL(log_error) void pdk_kernel_log_error(uint64_t block);
}
#undef PDK_KERNEL

namespace pdk {

/** What an export returns: its output, or an error message (pdk::fail). */
template <class T> using Result = std::expected<T, std::string>;

/** Fails the export: the host sees the message as the call's error. */
inline std::unexpected<std::string> fail(std::string message) { return std::unexpected(std::move(message)); }

/**
 * A value that may be absent, for a property whose type contains itself (a recursive
 * type, where std::optional cannot be used). Copies deep, like std::optional.
 */
template <class T> class Box {
  public:
    Box() = default;
    Box(T value) : ptr_(new T(std::move(value))) {}
    Box(const Box &other) : ptr_(other.ptr_ ? new T(*other.ptr_) : nullptr) {}
    Box(Box &&other) noexcept : ptr_(other.ptr_) { other.ptr_ = nullptr; }
    Box &operator=(Box other) noexcept {
        std::swap(ptr_, other.ptr_);
        return *this;
    }
    ~Box() { delete ptr_; }
    explicit operator bool() const { return ptr_ != nullptr; }
    bool has_value() const { return ptr_ != nullptr; }
    T &operator*() { return *ptr_; }
    const T &operator*() const { return *ptr_; }
    T *operator->() { return ptr_; }
    const T *operator->() const { return ptr_; }
    void reset() { Box().swap(*this); }
    void swap(Box &other) noexcept { std::swap(ptr_, other.ptr_); }

  private:
    T *ptr_ = nullptr;
};

/** Raw bytes (application/x-binary, or a buffer: base64 inside JSON). */
using Bytes = std::vector<uint8_t>;

namespace detail {

using json = nlohmann::json;

inline uint64_t store(std::string_view bytes) {
    uint64_t block = pdk_kernel_alloc(bytes.size());
    if (block == 0 && !bytes.empty()) return 0;
    size_t i = 0;
    for (; i + 8 <= bytes.size(); i += 8) {
        uint64_t word;
        __builtin_memcpy(&word, bytes.data() + i, 8);
        pdk_kernel_store_u64(block + i, word);
    }
    for (; i < bytes.size(); i++) pdk_kernel_store_u8(block + i, static_cast<uint8_t>(bytes[i]));
    return block;
}

inline std::string load(uint64_t block) {
    std::string bytes(pdk_kernel_length(block), '\0');
    size_t i = 0;
    for (; i + 8 <= bytes.size(); i += 8) {
        uint64_t word = pdk_kernel_load_u64(block + i);
        __builtin_memcpy(bytes.data() + i, &word, 8);
    }
    for (; i < bytes.size(); i++) bytes[i] = static_cast<char>(pdk_kernel_load_u8(block + i));
    return bytes;
}

inline std::string input() {
    std::string bytes(pdk_kernel_input_length(), '\0');
    size_t i = 0;
    for (; i + 8 <= bytes.size(); i += 8) {
        uint64_t word = pdk_kernel_input_load_u64(i);
        __builtin_memcpy(bytes.data() + i, &word, 8);
    }
    for (; i < bytes.size(); i++) bytes[i] = static_cast<char>(pdk_kernel_input_load_u8(i));
    return bytes;
}

inline void output(std::string_view bytes) {
    uint64_t block = store(bytes);
    pdk_kernel_output_set(block, bytes.size());
}

/** Sets the call's error and returns the export's failure code. */
inline int32_t report(std::string_view message) {
    pdk_kernel_error_set(store(message));
    return 1;
}

/** The first host answer that did not decode during this export call, if any. */
inline std::optional<std::string> &host_error() {
    static std::optional<std::string> error;
    return error;
}

inline void host_failed(std::string message) {
    if (!host_error()) host_error() = std::move(message);
}

inline bool valid_utf8(std::string_view s) {
    size_t i = 0, n = s.size();
    while (i < n) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        size_t extra;
        uint32_t cp;
        if (c < 0x80) { i++; continue; }
        if (c >= 0xC2 && c <= 0xDF) { extra = 1; cp = c & 0x1F; }
        else if (c >= 0xE0 && c <= 0xEF) { extra = 2; cp = c & 0x0F; }
        else if (c >= 0xF0 && c <= 0xF4) { extra = 3; cp = c & 0x07; }
        else return false;
        if (i + extra >= n) return false;
        for (size_t k = 1; k <= extra; k++) {
            unsigned char d = static_cast<unsigned char>(s[i + k]);
            if ((d & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (d & 0x3F);
        }
        if ((extra == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
            (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
            return false;
        i += extra + 1;
    }
    return true;
}

/** Records the parser's message (and the last key it read) instead of throwing. */
class Parser : public nlohmann::detail::json_sax_dom_parser<json> {
  public:
    static constexpr int max_depth = 128;
    std::string error;
    std::string last_key;
    int depth = 0;
    bool deeper() {
        if (++depth <= max_depth) return true;
        error = "nested more than " + std::to_string(max_depth) + " levels deep";
        return false;
    }
    explicit Parser(json &root) : json_sax_dom_parser(root, false) {}
    bool key(std::string &k) {
        last_key = k;
        return json_sax_dom_parser::key(k);
    }
    // decoding recurses once per level: bound the nesting so that hostile input cannot
    // exhaust the stack (64 KiB by default; a level of decoding takes a few hundred bytes)
    bool start_object(std::size_t n) { return deeper() && json_sax_dom_parser::start_object(n); }
    bool start_array(std::size_t n) { return deeper() && json_sax_dom_parser::start_array(n); }
    bool end_object() { depth--; return json_sax_dom_parser::end_object(); }
    bool end_array() { depth--; return json_sax_dom_parser::end_array(); }
    template <class Exception> bool parse_error(std::size_t, const std::string &, const Exception &e) {
        std::string_view what = e.what();
        if (auto p = what.find("] "); p != std::string_view::npos) what.remove_prefix(p + 2);
        error = std::string(what);
        return false;
    }
};

/** Parses JSON text; on failure, says why in err (never traps). */
inline bool parse(std::string_view text, json &out, std::string_view where, std::string &err) {
    Parser sax(out);
    bool ok = json::sax_parse(text.begin(), text.end(), &sax, nlohmann::detail::input_format_t::json, true);
    if (!ok || !sax.error.empty()) {
        err = std::string(where) + " is not valid JSON: " + sax.error;
        if (!sax.last_key.empty()) err += " (after the key \"" + sax.last_key + "\")";
        return false;
    }
    return true;
}

inline std::string dump(const json &j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

inline bool wrong(std::string &err, const std::string &at, std::string_view what) {
    err = at + ": " + std::string(what);
    return false;
}

inline const char *type_name(const json &j) {
    switch (j.type()) {
        case json::value_t::null: return "null";
        case json::value_t::object: return "an object";
        case json::value_t::array: return "an array";
        case json::value_t::string: return "a string";
        case json::value_t::boolean: return "a boolean";
        case json::value_t::binary: return "binary";
        case json::value_t::discarded: return "nothing";
        default: return "a number";
    }
}

inline bool expected(std::string &err, const std::string &at, std::string_view want, const json &j) {
    return wrong(err, at, "expected " + std::string(want) + ", got " + type_name(j));
}

inline bool decode(const json &j, std::string &out, const std::string &at, std::string &err) {
    if (!j.is_string()) return expected(err, at, "a string", j);
    out = j.get_ref<const std::string &>();
    return true;
}

inline bool decode(const json &j, bool &out, const std::string &at, std::string &err) {
    if (!j.is_boolean()) return expected(err, at, "a boolean", j);
    out = j.get<bool>();
    return true;
}

inline bool decode(const json &j, int64_t &out, const std::string &at, std::string &err) {
    if (j.is_number_unsigned()) {
        if (j.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
            return wrong(err, at, "integer out of range for int64");
        out = static_cast<int64_t>(j.get<uint64_t>());
        return true;
    }
    if (!j.is_number_integer()) return expected(err, at, "an integer", j);
    out = j.get<int64_t>();
    return true;
}

inline bool decode(const json &j, int32_t &out, const std::string &at, std::string &err) {
    int64_t wide;
    if (!decode(j, wide, at, err)) return false;
    if (wide < std::numeric_limits<int32_t>::min() || wide > std::numeric_limits<int32_t>::max())
        return wrong(err, at, "integer out of range for int32");
    out = static_cast<int32_t>(wide);
    return true;
}

inline bool decode(const json &j, double &out, const std::string &at, std::string &err) {
    if (!j.is_number()) return expected(err, at, "a number", j);
    out = j.get<double>();
    return true;
}

inline bool decode(const json &j, float &out, const std::string &at, std::string &err) {
    double wide;
    if (!decode(j, wide, at, err)) return false;
    if (std::isfinite(wide) && std::fabs(wide) > static_cast<double>(std::numeric_limits<float>::max()) * (1 + 1e-7))
        return wrong(err, at, "number out of range for a float");
    out = static_cast<float>(wide);
    return true;
}

inline bool decode(const json &j, Bytes &out, const std::string &at, std::string &err) {
    if (!j.is_string()) return expected(err, at, "a base64 string", j);
    const std::string &text = j.get_ref<const std::string &>();
    if (text.size() % 4 != 0) return wrong(err, at, "not base64 (length is not a multiple of 4)");
    out.clear();
    out.reserve(text.size() / 4 * 3);
    uint32_t bits = 0;
    int count = 0;
    size_t padding = 0;
    for (size_t i = 0; i < text.size(); i++) {
        char c = text[i];
        int v;
        if (c >= 'A' && c <= 'Z') v = c - 'A';
        else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
        else if (c >= '0' && c <= '9') v = c - '0' + 52;
        else if (c == '+') v = 62;
        else if (c == '/') v = 63;
        else if (c == '=' && i + 2 >= text.size()) { padding++; v = 0; }
        else return wrong(err, at, "not base64 (character " + std::to_string(i) + ")");
        if (padding && c != '=') return wrong(err, at, "not base64 (data after padding)");
        bits = (bits << 6) | static_cast<uint32_t>(v);
        if (++count == 4) {
            out.push_back(static_cast<uint8_t>(bits >> 16));
            out.push_back(static_cast<uint8_t>(bits >> 8));
            out.push_back(static_cast<uint8_t>(bits));
            bits = 0;
            count = 0;
        }
    }
    out.resize(out.size() - padding);
    return true;
}

inline bool decode(const json &j, json &out, const std::string &at, std::string &err) {
    if (!j.is_object()) return expected(err, at, "an object", j);
    out = j;
    return true;
}

// containers nest in any order: declare them all before defining any
template <class T> bool decode(const json &j, std::optional<T> &out, const std::string &at, std::string &err);
template <class T> bool decode(const json &j, Box<T> &out, const std::string &at, std::string &err);
template <class T> bool decode(const json &j, std::vector<T> &out, const std::string &at, std::string &err);
template <class T> bool decode(const json &j, std::map<std::string, T> &out, const std::string &at, std::string &err);
template <class T> json encode(const std::optional<T> &v);
template <class T> json encode(const Box<T> &v);
template <class T> json encode(const std::vector<T> &v);
template <class T> json encode(const std::map<std::string, T> &v);

template <class T> bool decode(const json &j, std::optional<T> &out, const std::string &at, std::string &err) {
    if (j.is_null()) {
        out.reset();
        return true;
    }
    T value{};
    if (!decode(j, value, at, err)) return false;
    out = std::move(value);
    return true;
}

template <class T> bool decode(const json &j, Box<T> &out, const std::string &at, std::string &err) {
    if (j.is_null()) {
        out.reset();
        return true;
    }
    T value{};
    if (!decode(j, value, at, err)) return false;
    out = Box<T>(std::move(value));
    return true;
}

template <class T> bool decode(const json &j, std::vector<T> &out, const std::string &at, std::string &err) {
    if (!j.is_array()) return expected(err, at, "an array", j);
    out.clear();
    out.reserve(j.size());
    for (size_t i = 0; i < j.size(); i++) {
        T item{};
        if (!decode(j[i], item, at + "[" + std::to_string(i) + "]", err)) return false;
        out.push_back(std::move(item));
    }
    return true;
}

template <class T> bool decode(const json &j, std::map<std::string, T> &out, const std::string &at, std::string &err) {
    if (!j.is_object()) return expected(err, at, "an object", j);
    out.clear();
    for (auto it = j.begin(); it != j.end(); ++it) {
        T value{};
        if (!decode(it.value(), value, at + "[\"" + it.key() + "\"]", err)) return false;
        out.emplace(it.key(), std::move(value));
    }
    return true;
}

/** Finds a property of an object; err says what is wrong when a required one is missing. */
inline const json *member(const json &object, const char *name, bool required, const std::string &at, std::string &err) {
    auto it = object.find(name);
    if (it == object.end()) {
        if (required) wrong(err, at + "." + name, "required property missing");
        return nullptr;
    }
    return &*it;
}

inline json encode(const std::string &v) { return v; }
inline json encode(bool v) { return v; }
inline json encode(int32_t v) { return v; }
inline json encode(int64_t v) { return v; }
inline json encode(double v) { return std::isfinite(v) ? json(v) : json(); }
inline json encode(float v) { return encode(static_cast<double>(v)); }
inline json encode(const json &v) { return v; }

inline json encode(const Bytes &v) {
    static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string text;
    text.reserve((v.size() + 2) / 3 * 4);
    size_t i = 0;
    for (; i + 3 <= v.size(); i += 3) {
        uint32_t bits = (v[i] << 16) | (v[i + 1] << 8) | v[i + 2];
        text += digits[bits >> 18];
        text += digits[(bits >> 12) & 63];
        text += digits[(bits >> 6) & 63];
        text += digits[bits & 63];
    }
    if (i < v.size()) {
        uint32_t bits = v[i] << 16 | (i + 1 < v.size() ? v[i + 1] << 8 : 0);
        text += digits[bits >> 18];
        text += digits[(bits >> 12) & 63];
        text += i + 1 < v.size() ? digits[(bits >> 6) & 63] : '=';
        text += '=';
    }
    return text;
}

template <class T> json encode(const std::optional<T> &v) { return v ? encode(*v) : json(); }

template <class T> json encode(const Box<T> &v) { return v ? encode(*v) : json(); }

template <class T> json encode(const std::vector<T> &v) {
    json array = json::array();
    for (const auto &item : v) array.push_back(encode(item));
    return array;
}

template <class T> json encode(const std::map<std::string, T> &v) {
    json object = json::object();
    for (const auto &[key, value] : v) object[key] = encode(value);
    return object;
}

/** Decodes a host function's JSON answer; a bad answer fails the export that called it. */
template <class T> T answer(uint64_t block, const char *function) {
    T value{};
    std::string err;
    if (block == 0) {
        host_failed(std::string(function) + " returned no output");
        return value;
    }
    std::string text = load(block);
    pdk_kernel_free(block);
    json j;
    if (!parse(text, j, std::string(function) + "'s output", err) ||
        !decode(j, value, std::string(function) + "'s output", err))
        host_failed(err);
    return value;
}

/** Parses and decodes JSON text into out; on failure err names the problem. */
template <class T> bool decode_json(std::string_view text, T &out, const std::string &at, std::string &err) {
    json j;
    if (!parse(text, j, at, err)) return false;
    return decode(j, out, at, err);
}

}  // namespace detail

/** Writes a line to the host's log (shown with --log-level info). */
inline void log(std::string_view message) {
    uint64_t block = detail::store(message);
    pdk_kernel_log_info(block);
    pdk_kernel_free(block);
}

}  // namespace pdk
