#pragma once
// Errors of the Discord model: parsing untrusted payloads and validating what we build.
#include <string>
#include <string_view>
#include <system_error>

namespace vb::discord {

enum class model_error {
  invalid_json = 1,   // not JSON, too large or too deep
  not_an_object,      // the payload (or `d`) is not a JSON object
  missing_field,      // a required field is absent or null
  invalid_field,      // a field has the wrong type or an impossible value
  limit_exceeded,     // a builder or command definition breaks one of Discord's limits
};

const std::error_category& model_category() noexcept;
std::error_code make_error_code(model_error e) noexcept;
std::string_view to_string(model_error e) noexcept;

// One failure with the field it concerns ("channels[3].id", "embeds[0].title").
struct model_failure {
  model_error code = model_error::invalid_field;
  std::string field;
  std::string detail;  // e.g. "longer than 256 characters"

  // "invalid_field: channels[3].id (not a snowflake)"
  std::string message() const;
};

}  // namespace vb::discord

template <>
struct std::is_error_code_enum<vb::discord::model_error> : std::true_type {};
