#include "vectobeat/fake_discord/fake_error.hpp"

#include <string>

namespace vb::fake {

std::string_view to_string(fake_error e) noexcept {
  switch (e) {
    case fake_error::unknown_guild: return "unknown_guild";
    case fake_error::unknown_channel: return "unknown_channel";
    case fake_error::unknown_user: return "unknown_user";
    case fake_error::unknown_role: return "unknown_role";
    case fake_error::unknown_message: return "unknown_message";
    case fake_error::unknown_command: return "unknown_command";
    case fake_error::unknown_interaction: return "unknown_interaction";
    case fake_error::unknown_connection: return "unknown_connection";
    case fake_error::not_a_member: return "not_a_member";
    case fake_error::wrong_channel_type: return "wrong_channel_type";
    case fake_error::invalid_argument: return "invalid_argument";
    case fake_error::channel_full: return "channel_full";
    case fake_error::no_session: return "no_session";
    case fake_error::timeout: return "timeout";
  }
  return "unknown";
}

namespace {
class category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "fake_discord"; }
  std::string message(int ev) const override { return std::string(to_string(static_cast<fake_error>(ev))); }
};
}  // namespace

const std::error_category& fake_category() noexcept {
  static const category c;
  return c;
}

std::error_code make_error_code(fake_error e) noexcept { return {static_cast<int>(e), fake_category()}; }

}  // namespace vb::fake
