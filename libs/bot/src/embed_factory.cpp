#include "vectobeat/bot/embed_factory.hpp"

#include <algorithm>

#include "vectobeat/bot/time_format.hpp"

namespace vb::bot {

std::string clip(std::string_view s, std::size_t max) {
  if (s.size() <= max) return std::string(s);
  std::size_t cut = max >= 3 ? max - 3 : 0;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return std::string(s.substr(0, cut)) + "\xE2\x80\xA6";
}

discord::embed embed_factory::card(tone t, std::string title, std::string description) const {
  discord::embed e;
  e.title = clip(title, discord::limits::embed_title);
  e.description = clip(description, discord::limits::embed_description);
  switch (t) {
    case tone::info: e.color = theme_.color_primary; break;
    case tone::success: e.color = theme_.color_success; break;
    case tone::warning: e.color = theme_.color_warning; break;
    case tone::error: e.color = theme_.color_error; break;
  }
  if (!theme_.footer_text.empty()) e.footer = discord::embed_footer{clip(theme_.footer_text, 200), theme_.footer_icon_url};
  if (!theme_.author_name.empty()) e.author = discord::embed_author{clip(theme_.author_name, 200), std::nullopt, theme_.author_icon_url};
  return e;
}

std::string embed_factory::loop_name(storage::loop_mode m) {
  switch (m) {
    case storage::loop_mode::off: return "Off";
    case storage::loop_mode::track: return "Track";
    case storage::loop_mode::queue: return "Queue";
  }
  return "Off";
}

std::string embed_factory::progress_bar(std::int64_t position, std::int64_t length, int width) {
  if (width < 2) width = 2;
  int at = 0;
  if (length > 0 && length < (std::int64_t{1} << 50))
    at = static_cast<int>(std::clamp<std::int64_t>(position * (width - 1) / length, 0, width - 1));
  std::string bar;
  for (int i = 0; i < width; ++i) bar += i == at ? "\xF0\x9F\x94\x98" : "\xE2\x96\xAC";
  return bar;
}

std::string embed_factory::track_line(const storage::queue_entry& e) {
  const auto& i = e.track.info;
  return "**" + clip(i.title.empty() ? i.identifier : i.title, 120) + "** \xE2\x80\x94 `" + clip(i.author, 60) + "` (`" +
         (i.is_stream ? std::string("live") : format_duration(i.length)) + "`)";
}

std::string embed_factory::minimal_now_playing(const storage::queue_entry& e) {
  const auto& i = e.track.info;
  return "\xF0\x9F\x8E\xB6 **Now playing:** " + clip(i.title.empty() ? i.identifier : i.title, 200) + " \xE2\x80\x94 `" +
         clip(i.author, 100) + "`";
}

discord::embed embed_factory::now_playing(const now_playing_view& v) const {
  const auto& i = v.entry.track.info;
  auto e = card(tone::info, i.title.empty() ? i.identifier : i.title, "");
  e.url = i.uri;
  if (i.artwork_url) e.thumbnail_url = i.artwork_url;
  std::string d = "by `" + clip(i.author, 100) + "`\n";
  if (i.is_stream)
    d += "\xF0\x9F\x94\xB4 live";
  else
    d += progress_bar(v.position, i.length) + "\n`" + format_duration(v.position) + " / " + format_duration(i.length) + "`";
  e.description = clip(d, discord::limits::embed_description);
  auto field = [&](std::string n, std::string val) { e.fields.push_back({std::move(n), clip(val, 1024), true}); };
  field("Status", v.paused ? "Paused" : "Playing");
  field("Volume", std::to_string(v.volume) + "%");
  field("Loop", loop_name(v.loop));
  field("Queue", std::to_string(v.queued) + (v.queued == 1 ? " track" : " tracks"));
  if (v.entry.requester) field("Requested by", "<@" + std::to_string(*v.entry.requester) + ">");
  field("Source", i.source_name.empty() ? std::string("unknown") : i.source_name);
  if (!v.up_next.empty()) {
    std::string next;
    for (std::size_t k = 0; k < v.up_next.size() && k < 5; ++k)
      next += std::to_string(k + 1) + ". " + track_line(v.up_next[k]) + "\n";
    e.fields.push_back({"Up Next", clip(next, 1024), false});
  }
  return e;
}

discord::embed embed_factory::queue_page(const std::optional<storage::queue_entry>& current,
                                         const std::vector<storage::queue_entry>& upcoming, std::size_t page,
                                         std::size_t per_page, std::int64_t remaining_ms) const {
  const std::size_t pages = std::max<std::size_t>(1, (upcoming.size() + per_page - 1) / per_page);
  page = std::min(page, pages - 1);
  std::string d;
  if (current) d += "**Now:** " + track_line(*current) + "\n\n";
  if (upcoming.empty()) d += "Nothing queued. Add tracks with `/play`.";
  for (std::size_t k = page * per_page; k < upcoming.size() && k < (page + 1) * per_page; ++k)
    d += "`" + std::to_string(k + 1) + ".` " + track_line(upcoming[k]) + "\n";
  auto e = card(tone::info, "Queue \xC2\xB7 page " + std::to_string(page + 1) + "/" + std::to_string(pages), d);
  e.footer = discord::embed_footer{std::to_string(upcoming.size()) + (upcoming.size() == 1 ? " track" : " tracks") +
                                       " \xE2\x80\xA2 " + format_duration(remaining_ms) + " remaining",
                                   theme_.footer_icon_url};
  return e;
}

}  // namespace vb::bot
