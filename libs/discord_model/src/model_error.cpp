#include "vectobeat/discord/model_error.hpp"

namespace vb::discord {

namespace {

class category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "vb.discord.model"; }
  std::string message(int ev) const override {
    switch (static_cast<model_error>(ev)) {
      case model_error::invalid_json: return "payload is not valid JSON";
      case model_error::not_an_object: return "payload is not a JSON object";
      case model_error::missing_field: return "a required field is missing";
      case model_error::invalid_field: return "a field has an invalid type or value";
      case model_error::limit_exceeded: return "a Discord limit is exceeded";
    }
    return "unknown model error " + std::to_string(ev);
  }
};

}  // namespace

const std::error_category& model_category() noexcept {
  static const category c;
  return c;
}

std::error_code make_error_code(model_error e) noexcept { return {static_cast<int>(e), model_category()}; }

std::string_view to_string(model_error e) noexcept {
  switch (e) {
    case model_error::invalid_json: return "invalid_json";
    case model_error::not_an_object: return "not_an_object";
    case model_error::missing_field: return "missing_field";
    case model_error::invalid_field: return "invalid_field";
    case model_error::limit_exceeded: return "limit_exceeded";
  }
  return "unknown";
}

std::string model_failure::message() const {
  std::string m(to_string(code));
  if (!field.empty()) m += ": " + field;
  if (!detail.empty()) m += " (" + detail + ")";
  return m;
}

}  // namespace vb::discord
