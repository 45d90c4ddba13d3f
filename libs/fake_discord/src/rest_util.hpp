#pragma once
// Internal: Discord-shaped REST answers and message body validation, shared by the
// channel, interaction and webhook routes.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "vectobeat/common/expected.hpp"
#include "vectobeat/common/net/http.hpp"
#include "vectobeat/fake_discord/model.hpp"

namespace vb::fake::detail {

// Discord JSON error codes we answer with.
namespace discord_code {
inline constexpr int general = 0;
inline constexpr int unknown_channel = 10003;
inline constexpr int unknown_guild = 10004;
inline constexpr int unknown_member = 10007;
inline constexpr int unknown_message = 10008;
inline constexpr int unknown_role = 10011;
inline constexpr int unknown_user = 10013;
inline constexpr int unknown_webhook = 10015;
inline constexpr int unknown_interaction = 10062;
inline constexpr int unknown_command = 10063;
inline constexpr int missing_access = 50001;
inline constexpr int cannot_edit_other_user = 50005;
inline constexpr int empty_message = 50006;
inline constexpr int non_text_channel = 50008;
inline constexpr int missing_permissions = 50013;
inline constexpr int invalid_webhook_token = 50027;
inline constexpr int invalid_form_body = 50035;
inline constexpr int already_acknowledged = 40060;
inline constexpr int invalid_json = 50109;
}  // namespace discord_code

net::http_response discord_error(int status, int code, std::string_view message,
                                 const boost::json::value* errors = nullptr);
// 400 50035 "Invalid Form Body" with errors {path: {_errors: [{code, message}]}}.
net::http_response form_error(std::string_view path, std::string_view code, std::string_view message);
net::http_response json_response(int status, const boost::json::value& v);

// Message fields a create/edit body may carry (absent: leave unchanged on edit).
struct message_fields {
  std::optional<std::string> content;
  std::optional<boost::json::array> embeds;
  std::optional<boost::json::array> components;
  std::optional<std::uint64_t> flags;
};

inline constexpr std::size_t max_content_chars = 2000;
inline constexpr std::size_t max_embeds = 10;
inline constexpr std::size_t max_embed_total_chars = 6000;
inline constexpr std::size_t max_action_rows = 5;
inline constexpr std::uint64_t flag_suppress_embeds = 4;
inline constexpr std::uint64_t flag_suppress_notifications = 4096;
inline constexpr std::uint64_t flag_components_v2 = 32768;

// Validates `body` (an object). `creating`: at least one of content/embeds/components.
expected<message_fields, net::http_response> parse_message_body(const boost::json::value& body, bool creating,
                                                               std::uint64_t allowed_flags);
void apply_message_fields(message& m, const message_fields& f);
// Number of Unicode code points in UTF-8 text.
std::size_t utf8_length(std::string_view s);

}  // namespace vb::fake::detail
