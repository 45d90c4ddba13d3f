// RESP2 encoding and a bounded, incremental reply parser.
#include <charconv>

#include "vectobeat/storage/redis_connection.hpp"

namespace vb::storage {

std::string encode_command(const std::vector<std::string>& argv) {
  std::string out = "*" + std::to_string(argv.size()) + "\r\n";
  for (const auto& a : argv) {
    out += "$" + std::to_string(a.size()) + "\r\n";
    out += a;
    out += "\r\n";
  }
  return out;
}

namespace {

struct parser {
  std::string_view buf;
  const resp_limits& limits;
  std::size_t pos = 0;
  std::size_t elements = 0;
  std::string error;

  // The line starting at pos (without CRLF); nullopt when incomplete.
  std::optional<std::string_view> line() {
    auto end = buf.find("\r\n", pos);
    if (end == std::string_view::npos) {
      if (buf.size() - pos > 64 * 1024) error = "header line too long";
      return std::nullopt;
    }
    auto l = buf.substr(pos, end - pos);
    pos = end + 2;
    return l;
  }

  bool number(std::string_view s, std::int64_t& v) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || p != s.data() + s.size()) {
      error = "bad number in reply";
      return false;
    }
    return true;
  }

  // complete / incomplete / invalid (error set)
  parse_status parse(redis_reply& out, int depth) {
    if (depth > limits.max_depth) {
      error = "reply nested too deeply";
      return parse_status::invalid;
    }
    if (pos >= buf.size()) return parse_status::incomplete;
    const char t = buf[pos++];
    auto l = line();
    if (!l) return error.empty() ? parse_status::incomplete : parse_status::invalid;
    switch (t) {
      case '+':
        out.type = redis_reply::kind::simple;
        out.str = std::string(*l);
        return parse_status::complete;
      case '-':
        out.type = redis_reply::kind::error;
        out.str = std::string(*l);
        return parse_status::complete;
      case ':':
        out.type = redis_reply::kind::integer;
        return number(*l, out.integer) ? parse_status::complete : parse_status::invalid;
      case '$': {
        std::int64_t n = 0;
        if (!number(*l, n)) return parse_status::invalid;
        if (n == -1) {
          out.type = redis_reply::kind::nil;
          return parse_status::complete;
        }
        if (n < 0 || static_cast<std::size_t>(n) > limits.max_reply_bytes) {
          error = "bulk string too large";
          return parse_status::invalid;
        }
        const auto len = static_cast<std::size_t>(n);
        if (buf.size() - pos < len + 2) return parse_status::incomplete;
        if (buf.substr(pos + len, 2) != "\r\n") {
          error = "bulk string not terminated";
          return parse_status::invalid;
        }
        out.type = redis_reply::kind::bulk;
        out.str = std::string(buf.substr(pos, len));
        pos += len + 2;
        return parse_status::complete;
      }
      case '*': {
        std::int64_t n = 0;
        if (!number(*l, n)) return parse_status::invalid;
        if (n == -1) {
          out.type = redis_reply::kind::nil;
          return parse_status::complete;
        }
        if (n < 0 || static_cast<std::size_t>(n) > limits.max_elements ||
            (elements += static_cast<std::size_t>(n)) > limits.max_elements) {
          error = "array too large";
          return parse_status::invalid;
        }
        out.type = redis_reply::kind::array;
        out.elements.clear();
        // Never reserve from the announced count: it is not proven by data yet.
        for (std::int64_t i = 0; i < n; ++i) {
          redis_reply item;
          auto st = parse(item, depth + 1);
          if (st != parse_status::complete) return st;
          out.elements.push_back(std::move(item));
        }
        return parse_status::complete;
      }
      default:
        error = "unknown reply type";
        return parse_status::invalid;
    }
  }
};

}  // namespace

parse_outcome parse_reply(std::string_view buf, redis_reply& out, const resp_limits& limits) {
  parser p{buf, limits};
  auto st = p.parse(out, 0);
  if (st == parse_status::complete) return {st, p.pos, {}};
  if (st == parse_status::invalid) return {st, 0, p.error};
  return {st, 0, {}};
}

}  // namespace vb::storage
