#include "vectobeat/lavalink/source_registry.hpp"

#include <algorithm>
#include <utility>

namespace vb::lavalink {

source_registry source_registry::with_builtin_sources() {
  source_registry r;
  for (const char* name : {"http", "local"}) r.add({name, {detail_kind::utf}});
  for (const char* name : {"youtube", "soundcloud", "bandcamp", "twitch", "vimeo", "niconico", "yandex-music"})
    r.add({name, {}});
  return r;
}

void source_registry::add(source_layout layout) {
  auto it = std::find_if(layouts_.begin(), layouts_.end(), [&](const source_layout& l) { return l.name == layout.name; });
  if (it != layouts_.end()) *it = std::move(layout);
  else layouts_.push_back(std::move(layout));
}

const source_layout* source_registry::find(std::string_view name) const noexcept {
  for (const auto& l : layouts_)
    if (l.name == name) return &l;
  return nullptr;
}

const source_registry& builtin_sources() {
  static const source_registry registry = source_registry::with_builtin_sources();
  return registry;
}

}  // namespace vb::lavalink
