#include "vectobeat/discord/route.hpp"

#include <stdexcept>
#include <vector>

#include "vectobeat/common/net/http.hpp"

namespace vb::discord {

route make_route(std::string_view method, std::string_view tmpl, std::initializer_list<std::string_view> args) {
  route r;
  r.method = std::string(method);
  r.path_template = std::string(tmpl);
  std::vector<std::string_view> names;
  auto it = args.begin();
  for (std::size_t i = 0; i < tmpl.size();) {
    if (tmpl[i] != '{') {
      r.path += tmpl[i++];
      continue;
    }
    const auto close = tmpl.find('}', i);
    if (close == std::string_view::npos) throw std::invalid_argument("unterminated placeholder in " + r.path_template);
    if (it == args.end()) throw std::invalid_argument("too few arguments for " + r.path_template);
    names.push_back(tmpl.substr(i + 1, close - i - 1));
    r.path += net::url_encode(*it);
    ++it;
    i = close + 1;
  }
  if (it != args.end()) throw std::invalid_argument("too many arguments for " + r.path_template);

  // Major parameters (DDOCS rate-limits.mdx): the first placeholder when it names one.
  std::vector<std::string_view> values(args.begin(), args.end());
  if (!names.empty()) {
    const auto first = names[0];
    if (first == "channel_id" || first == "guild_id") {
      r.major = std::string(values[0]);
    } else if ((first == "webhook_id" || first == "application_id") && tmpl.starts_with("/webhooks/") &&
               names.size() >= 2) {
      r.major = std::string(values[0]) + "/" + std::string(values[1]);
    } else if (first == "interaction_id" && tmpl.starts_with("/interactions/")) {
      r.major = std::string(values[0]);
    }
  }
  r.global_exempt = tmpl.starts_with("/interactions/") || tmpl.starts_with("/webhooks/");
  return r;
}

}  // namespace vb::discord
