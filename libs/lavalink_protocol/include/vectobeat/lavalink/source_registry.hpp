#pragma once
// Layouts of the source-specific "details" section of encoded tracks (lavalink-v4.md §8.2).
// Each source manager appends its own fields after sourceName; a decoder must know them to
// reach `position`, so unknown sources fail with unknown_source. The node registers layouts
// for the sources it adds (e.g. a LavaSrc-compatible "spotify": five nullable UTFs, a bool).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace vb::lavalink {

// Field encodings, in the order of the source_detail alternatives.
enum class detail_kind : std::uint8_t {
  utf,           // writeUTF
  nullable_utf,  // writeBoolean(present) + writeUTF
  boolean,       // writeBoolean
  int64,         // writeLong
};

// One decoded field; index() == static_cast<size_t>(detail_kind).
using source_detail = std::variant<std::string, std::optional<std::string>, bool, std::int64_t>;

constexpr detail_kind kind_of(const source_detail& d) noexcept { return static_cast<detail_kind>(d.index()); }

struct source_layout {
  std::string name;  // the sourceName written in the blob
  std::vector<detail_kind> details;
};

// A name -> layout table. Not synchronised: fill it at start-up, then share it read-only.
class source_registry {
 public:
  source_registry() = default;

  // http and local (one UTF "probe info": container[|parameters]); youtube, soundcloud,
  // bandcamp, twitch, vimeo, niconico, yandex-music (no details).
  static source_registry with_builtin_sources();

  // Adds a layout, replacing any with the same name.
  void add(source_layout layout);
  // nullptr when the name is not registered.
  const source_layout* find(std::string_view name) const noexcept;
  const std::vector<source_layout>& layouts() const noexcept { return layouts_; }

 private:
  std::vector<source_layout> layouts_;
};

// The immutable registry of built-in sources, used when no registry is passed.
const source_registry& builtin_sources();

}  // namespace vb::lavalink
