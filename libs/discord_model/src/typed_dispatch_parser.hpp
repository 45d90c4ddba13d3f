#pragma once
// Internal: decodes the hot dispatches (VOICE_STATE_UPDATE, INTERACTION_CREATE,
// GUILD_CREATE) straight from the JSON tokens into their typed events, without building a
// document, skipping every field the typed parsers do not read.
//
// It only ever answers "decoded, and exactly what the document path would give" or "not
// decoded": anything else (another event, `d` before `t`, a duplicate key among the fields
// it reads, a modal submit or resolved data, any payload the document path would refuse,
// malformed JSON) returns false and the caller parses the document, which gives the result
// and the typed errors it always gave.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "vectobeat/discord/gateway_payload.hpp"

namespace vb::discord::detail {

class typed_dispatch_parser {
 public:
  explicit typed_dispatch_parser(std::size_t max_depth);
  ~typed_dispatch_parser();
  typed_dispatch_parser(const typed_dispatch_parser&) = delete;
  typed_dispatch_parser& operator=(const typed_dispatch_parser&) = delete;

  // True: `out` holds the event, `name` its dispatch name (static storage), `seq` the frame's s.
  bool parse(std::string_view text, typed_dispatch& out, std::string_view& name, std::optional<std::int64_t>& seq);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace vb::discord::detail
