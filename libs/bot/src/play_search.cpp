// /play autocomplete search: search results from the node pool for what the user typed,
// answered within a time budget and cached per query, so autocomplete never misses
// Discord's 3 s and the next keystrokes find the results of a slow search.
#include <algorithm>

#include "bot_impl.hpp"
#include "vectobeat/bot/time_format.hpp"

namespace vb::bot {

namespace {

// Discord's limit for a string choice's value; longer URIs cannot be offered.
constexpr std::size_t max_choice_value = 100;

std::string search_key(std::string_view q) {
  std::string out(q);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::chrono::seconds bot::impl::search_ttl() const {
  // With the search cache disabled, results are still kept briefly so that the keystroke
  // after a slow search finds them.
  return std::chrono::seconds(cfg.cache.search_enabled ? std::max(1, cfg.cache.search_ttl_seconds) : 5);
}

const std::vector<discord::command_option_choice>* bot::impl::cached_search(const std::string& key) const {
  auto it = search_cache.find(key);
  if (it == search_cache.end() || clk.now() - it->second.at >= search_ttl()) return nullptr;
  return &it->second.choices;
}

task<std::vector<discord::command_option_choice>> bot::impl::search_choices(ptr self, std::string query) {
  const auto key = search_key(query);
  if (auto* hit = cached_search(key)) co_return *hit;
  auto t = make_timer();
  const bool start = search_waiters.find(key) == search_waiters.end();
  search_waiters[key].push_back(t);
  if (start) spawn(strand, run_search(self, key, std::string(play_search_prefix) + query), "bot play search");
  if (!cached_search(key) && opts.autocomplete_budget.count() > 0) {
    const bool expired = co_await t->wait_for(opts.autocomplete_budget);
    (void)expired;  // either way: answer with what is there now
  }
  if (auto it = search_waiters.find(key); it != search_waiters.end()) std::erase(it->second, t);
  if (auto* hit = cached_search(key)) co_return *hit;
  co_return std::vector<discord::command_option_choice>{};
}

task<std::vector<discord::command_option_choice>> bot::impl::history_choices(std::uint64_t guild_id, std::string needle) {
  std::vector<discord::command_option_choice> out;
  if (!db) co_return out;
  auto fn = [guild_id, needle](storage::stores& s) {
    std::vector<storage::stored_track> found;
    auto h = s.autoplay->history(guild_id, 50);
    if (!h) return found;
    for (auto& ident : *h) {
      auto t = s.autoplay->track(ident);
      if (!t || !*t) continue;
      if (search_key((*t)->title).find(needle) == std::string::npos &&
          search_key((*t)->author).find(needle) == std::string::npos)
        continue;
      found.push_back(**t);
      if (found.size() >= 10) break;
    }
    return found;
  };
  auto found = co_await db->run(fn);
  for (auto& t : found) {
    if (!t.uri || t.uri->empty() || t.uri->size() > max_choice_value) continue;
    out.push_back({clip(t.title + " \xE2\x80\x94 " + t.author, 100), *t.uri});
  }
  co_return out;
}

task<void> bot::impl::run_search(ptr, std::string key, std::string identifier) {
  std::vector<discord::command_option_choice> found;
  bool answered = false;
  if (pool) {
    auto r = co_await pool->load_tracks(identifier, std::string());
    if (r) {
      answered = true;
      const auto limit = static_cast<std::size_t>(std::clamp(cfg.search_limits.base_results, 1, 25));
      if (auto* s = std::get_if<lavalink::search_result>(&r->data))
        for (auto& tr : s->tracks) {
          if (!tr.info.uri || tr.info.uri->empty() || tr.info.uri->size() > max_choice_value) continue;
          std::string name = tr.info.title;
          if (!tr.info.author.empty()) name += " \xE2\x80\x94 " + tr.info.author;
          name += " (" + (tr.info.is_stream ? std::string("live") : format_duration(tr.info.length)) + ")";
          found.push_back({clip(name, 100), *tr.info.uri});
          if (found.size() >= limit) break;
        }
    } else {
      lg.debug("autocomplete search failed: {}", r.error().describe());
    }
  }
  if (answered) {
    const auto max_entries = static_cast<std::size_t>(std::max(1, cfg.cache.search_max_entries));
    if (search_cache.size() >= max_entries) {
      const auto now = clk.now();
      const auto ttl = search_ttl();
      std::erase_if(search_cache, [&](const auto& e) { return now - e.second.at >= ttl; });
      while (search_cache.size() >= max_entries) {
        auto oldest = std::min_element(search_cache.begin(), search_cache.end(),
                                       [](const auto& a, const auto& b) { return a.second.at < b.second.at; });
        search_cache.erase(oldest);
      }
    }
    search_cache[key] = search_entry{clk.now(), std::move(found)};
  }
  // Wake whoever waits for this query (after the cache holds the answer).
  std::vector<std::shared_ptr<timer>> waiting;
  if (auto it = search_waiters.find(key); it != search_waiters.end()) {
    waiting = std::move(it->second);
    search_waiters.erase(it);
  }
  for (auto& w : waiting) w->cancel();
}

}  // namespace vb::bot
