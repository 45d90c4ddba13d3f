#pragma once
// Every embed the bot sends, built in one place from the theme and branding settings
// (colours, footer, author): status cards, the now-playing card, queue pages and help.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vectobeat/common/settings.hpp"
#include "vectobeat/discord/message.hpp"
#include "vectobeat/storage/models.hpp"

namespace vb::bot {

enum class tone { info, success, warning, error };

struct now_playing_view {
  storage::queue_entry entry;
  std::int64_t position = 0;  // ms
  bool paused = false;
  int volume = 100;
  storage::loop_mode loop = storage::loop_mode::off;
  std::size_t queued = 0;
  std::vector<storage::queue_entry> up_next;  // at most 5 are shown
  std::string node;
};

class embed_factory {
 public:
  explicit embed_factory(theme_settings theme) : theme_(std::move(theme)) {}

  discord::embed card(tone t, std::string title, std::string description) const;
  discord::embed error(std::string description) const { return card(tone::error, "Something is not right", std::move(description)); }
  discord::embed now_playing(const now_playing_view& v) const;
  // One line: "🎶 **Now playing:** title — `author`".
  static std::string minimal_now_playing(const storage::queue_entry& e);
  // Page `page` (0-based) of `per_page` entries; the footer counts tracks and remaining time.
  discord::embed queue_page(const std::optional<storage::queue_entry>& current,
                            const std::vector<storage::queue_entry>& upcoming, std::size_t page, std::size_t per_page,
                            std::int64_t remaining_ms) const;

  // "▬▬▬🔘▬▬…" of `width` cells.
  static std::string progress_bar(std::int64_t position, std::int64_t length, int width = 24);
  // "**title** — `author` (`m:ss`)", cut to fit embed limits.
  static std::string track_line(const storage::queue_entry& e);
  static std::string loop_name(storage::loop_mode m);

  const theme_settings& theme() const noexcept { return theme_; }

 private:
  theme_settings theme_;
};

// Text cut to `max` bytes on a UTF-8 boundary, with "…" when cut.
std::string clip(std::string_view s, std::size_t max);

}  // namespace vb::bot
