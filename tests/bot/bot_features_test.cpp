// Features beyond play/skip, end to end through the fake Discord: autoplay when the queue
// ends, /help pages, /play autocomplete with node searches, regional routing, and the
// Status API's 24-hour counters.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "bot/bot_fixture.hpp"

namespace vb::bot::test {
namespace {

bool has_embed_title(const fake::message& m, std::string_view title) {
  for (auto& e : m.embeds)
    if (e.is_object())
      if (auto* t = e.as_object().if_contains("title"); t && t->is_string() && t->as_string() == title) return true;
  return false;
}

// The "data" of an interaction's initial response as an object (empty when absent).
boost::json::object callback_object(const fake::interaction& in) {
  return in.callback_data.is_object() ? in.callback_data.as_object() : boost::json::object{};
}

std::string first_embed(const boost::json::object& data, const char* key) {
  auto* e = data.if_contains("embeds");
  if (!e || !e->is_array() || e->as_array().empty() || !e->as_array()[0].is_object()) return {};
  auto* v = e->as_array()[0].as_object().if_contains(key);
  if (v && v->is_string()) return std::string(v->as_string());
  if (v && v->is_object())
    if (auto* t = v->as_object().if_contains("text"); t && t->is_string()) return std::string(t->as_string());
  return {};
}

std::vector<std::pair<std::string, std::string>> choices_of(const fake::interaction& in) {
  std::vector<std::pair<std::string, std::string>> out;
  auto d = callback_object(in);
  if (auto* c = d.if_contains("choices"); c && c->is_array())
    for (auto& x : c->as_array())
      if (x.is_object() && x.as_object().contains("name") && x.as_object().at("value").is_string())
        out.emplace_back(std::string(x.as_object().at("name").as_string()), std::string(x.as_object().at("value").as_string()));
  return out;
}

class BotFeatures : public BotE2E {
 protected:
  void enable_autoplay() {
    auto on = run_sub(demo_.alice, "profile", "set-autoplay", {boost::json::object{{"name", "enabled"}, {"type", 5}, {"value", true}}});
    ASSERT_NE(reply_text(on).find("Autoplay enabled"), std::string::npos) << reply_text(on);
  }
  std::optional<fake::message> wait_autoplay_message() {
    auto m = fake_->wait_for_message(demo_.general, [](const fake::message& m) { return has_embed_title(m, "Autoplay Continuing"); },
                                     30s);
    if (!m)
      for (auto& x : fake_->messages(demo_.general))
        std::printf("message in #general: %s %s\n", x.content.c_str(), boost::json::serialize(x.embeds).c_str());
    return m;
  }
};

TEST_F(BotFeatures, AutoplayContinuesWithATrackFromTheGuildsHistory) {
  start_node("main");
  start_bot();
  ASSERT_FALSE(fake_->set_user_voice(demo_.guild, demo_.alice, demo_.music));
  enable_autoplay();
  // A long 440 Hz track, then a short 660 Hz one; the long one is cut short by a seek.
  auto play = run(demo_.alice, "play", {str_opt("query", media_->url("/a440.wav"))});
  ASSERT_NE(reply_text(play).find("Now Playing"), std::string::npos) << reply_text(play);
  auto second = run(demo_.alice, "play", {str_opt("query", media_->url("/e660short.wav"))});
  ASSERT_NE(reply_text(second).find("Added to Queue"), std::string::npos) << reply_text(second);
  ASSERT_TRUE(wait_audio(50));
  auto seek = run(demo_.alice, "seek", {str_opt("position", "0:28")});
  ASSERT_NE(reply_text(seek).find("0:28"), std::string::npos) << reply_text(seek);

  // The queue ends after the 660 Hz track: autoplay picks the other track of the history
  // (the one that just ended is excluded) and the channel is told.
  auto note = wait_autoplay_message();
  ASSERT_TRUE(note) << "no \"Autoplay Continuing\" message";
  std::string all;
  for (auto& e : note->embeds)
    if (e.is_object())
      if (auto* d = e.as_object().if_contains("description"); d && d->is_string()) all += d->as_string();
  EXPECT_NE(all.find("`0:30`"), std::string::npos) << "the note names the 30 s track: " << all;
  auto p = player();
  ASSERT_TRUE(p && p->current);
  EXPECT_EQ(p->current->track.info.uri.value_or(""), media_->url("/a440.wav"));

  // ... and the recorder hears it: 440 Hz again after the 660 Hz track.
  auto conn = fake_->wait_for_voice_connection(demo_.guild, 5s);
  ASSERT_TRUE(conn);
  ASSERT_TRUE(wait_audio(conn->stats.packets + 100, 20s));
  const double f = recorded_frequency(*fake_, conn->id, 1.5);
  std::printf("autoplay: recorded %.2f Hz (expected 440)\n", f);
  EXPECT_NEAR(f, 440.0, 4.4);
}

TEST_F(BotFeatures, AutoplayFallsBackToASearchWhenTheHistoryHasNothingElse) {
  start_node("main", "us", true);
  start_bot();
  ASSERT_FALSE(fake_->set_user_voice(demo_.guild, demo_.alice, demo_.music));
  enable_autoplay();
  auto play = run(demo_.alice, "play", {str_opt("query", media_->url("/e660short.wav"))});
  ASSERT_NE(reply_text(play).find("Now Playing"), std::string::npos) << reply_text(play);
  // Only this track is in the history: autoplay searches for its artist and title.
  ASSERT_TRUE(wait_autoplay_message()) << "no \"Autoplay Continuing\" message";
  auto p = player();
  ASSERT_TRUE(p && p->current);
  EXPECT_EQ(p->current->track.info.uri.value_or(""), "https://www.youtube.com/watch?v=vid0");
  auto conn = fake_->wait_for_voice_connection(demo_.guild, 5s);
  ASSERT_TRUE(conn);
  ASSERT_TRUE(wait_audio(conn->stats.packets + 100, 20s));
  const double f = recorded_frequency(*fake_, conn->id, 1.5);
  std::printf("autoplay search: recorded %.2f Hz (expected 550)\n", f);
  EXPECT_NEAR(f, 550.0, 5.5);
}

TEST_F(BotFeatures, AutoplayOffEndsWithQueueFinished) {
  start_node("main");
  start_bot();
  ASSERT_FALSE(fake_->set_user_voice(demo_.guild, demo_.alice, demo_.music));
  auto play = run(demo_.alice, "play", {str_opt("query", media_->url("/e660short.wav"))});
  ASSERT_NE(reply_text(play).find("Now Playing"), std::string::npos) << reply_text(play);
  auto done = fake_->wait_for_message(demo_.general, [](const fake::message& m) { return has_embed_title(m, "Queue Finished"); },
                                      30s);
  ASSERT_TRUE(done);
  EXPECT_FALSE(player()->current);
  const auto messages = fake_->messages(demo_.general);
  EXPECT_TRUE(std::none_of(messages.begin(), messages.end(),
                           [](const fake::message& m) { return has_embed_title(m, "Autoplay Continuing"); }));
}

TEST_F(BotFeatures, HelpPagesThroughCategoriesWithTheMenuAndButtons) {
  start_node("main");
  start_bot();
  const auto cats = bot_->commands().by_category();
  ASSERT_GE(cats.size(), 3u);
  std::vector<std::string> names;
  for (auto& [c, list] : cats) names.push_back(c);

  auto help = run(demo_.alice, "help");
  EXPECT_TRUE(reply_ephemeral(help));
  const auto first = callback_object(help);
  EXPECT_EQ(first_embed(first, "title"), "VectoBeat commands \xE2\x80\x94 " + names[0]);
  EXPECT_NE(first_embed(first, "footer").find("Page 1/" + std::to_string(cats.size())), std::string::npos);
  ASSERT_NE(help.message_id, 0u);

  // The select menu jumps to a category; the message is edited in place (type 7).
  auto picked = click(help.message_id, demo_.alice, "vb1:help:cat", {"2"});
  EXPECT_EQ(picked.callback_type.value_or(0), 7);
  const auto page3 = callback_object(picked);
  EXPECT_EQ(first_embed(page3, "title"), "VectoBeat commands \xE2\x80\x94 " + names[2]);
  EXPECT_NE(first_embed(page3, "description").find("`/" + cats.at(names[2]).front()->name + "`"), std::string::npos)
      << first_embed(page3, "description");
  EXPECT_NE(first_embed(page3, "footer").find("Page 3/"), std::string::npos);

  // Previous and next buttons.
  auto back = click(help.message_id, demo_.alice, "vb1:help:1:p");
  EXPECT_EQ(callback_object(back).contains("embeds") ? first_embed(callback_object(back), "title") : "",
            "VectoBeat commands \xE2\x80\x94 " + names[1]);
  auto next = click(help.message_id, demo_.alice, "vb1:help:2:n");
  EXPECT_EQ(first_embed(callback_object(next), "title"), "VectoBeat commands \xE2\x80\x94 " + names[2]);
  // Every category is reachable and names its commands.
  for (std::size_t i = 0; i < names.size(); ++i) {
    auto page = click(help.message_id, demo_.alice, "vb1:help:cat", {std::to_string(i)});
    EXPECT_EQ(first_embed(callback_object(page), "title"), "VectoBeat commands \xE2\x80\x94 " + names[i]);
  }
  // /help's command option completes command names.
  auto names_for = choices_of(autocomplete(demo_.alice, "help", "command", "pla"));
  ASSERT_FALSE(names_for.empty());
  for (auto& [label, value] : names_for) EXPECT_NE(value.find("pla"), std::string::npos) << value;
  EXPECT_TRUE(std::any_of(names_for.begin(), names_for.end(), [](auto& c) { return c.second == "play"; }));
  // A crafted value is refused clearly.
  auto bad = click(help.message_id, demo_.alice, "vb1:help:cat", {"x"});
  EXPECT_EQ(bad.callback_type.value_or(0), 4);
  EXPECT_NE(boost::json::serialize(bad.callback_data).find("does not exist"), std::string::npos);
}

TEST_F(BotFeatures, PlayAutocompleteOffersNodeSearchResults) {
  start_node("main", "us", true);
  start_bot();
  auto typed = autocomplete(demo_.alice, "play", "query", "lofi");
  ASSERT_EQ(typed.callback_type.value_or(0), 8);
  ASSERT_TRUE(typed.response_time);
  EXPECT_LT(typed.response_time->count(), 2500) << "autocomplete must answer well within Discord's 3 s";
  std::printf("autocomplete with a node search answered in %lld ms\n", static_cast<long long>(typed.response_time->count()));
  auto c = choices_of(typed);
  ASSERT_GE(c.size(), 2u);
  EXPECT_EQ(c[0].second, "lofi");  // what the user typed comes first
  EXPECT_EQ(c[1].first.rfind("lofi 0", 0), 0u) << c[1].first;
  EXPECT_EQ(c[1].second, "https://www.youtube.com/watch?v=vid0");
  // A URL and a single character are not searched.
  EXPECT_EQ(choices_of(autocomplete(demo_.alice, "play", "query", media_->url("/a440.wav"))).size(), 1u);
  EXPECT_EQ(choices_of(autocomplete(demo_.alice, "play", "query", "l")).size(), 1u);
}

TEST_F(BotFeatures, PlayAutocompleteAnswersWithinTheBudgetAndCachesLateResults) {
  start_node("main", "us", true);
  bot_options_.autocomplete_budget = 0ms;  // never wait: a search is never ready at once
  start_bot();
  auto first = autocomplete(demo_.alice, "play", "query", "chill beats");
  ASSERT_EQ(first.callback_type.value_or(0), 8);
  EXPECT_EQ(choices_of(first).size(), 1u) << "the search cannot have finished yet";
  // The search finished in the background: the next keystroke for the same text gets it.
  std::vector<std::pair<std::string, std::string>> later;
  EXPECT_TRUE(eventually([&] {
    later = choices_of(autocomplete(demo_.alice, "play", "query", "Chill Beats"));
    return later.size() > 1;
  }, 15s));
  ASSERT_GT(later.size(), 1u);
  EXPECT_EQ(later[1].second, "https://www.youtube.com/watch?v=vid0");
}

TEST_F(BotFeatures, RegionRoutingMovesThePlayerToANodeOfTheRegion) {
  start_node("alpha", "us");
  start_node("beta", "eu");
  start_bot();
  ASSERT_FALSE(fake_->set_user_voice(demo_.guild, demo_.alice, demo_.music));
  auto play = run(demo_.alice, "play", {str_opt("query", media_->url("/a440.wav"))});
  ASSERT_NE(reply_text(play).find("Now Playing"), std::string::npos) << reply_text(play);
  ASSERT_TRUE(wait_audio(50));
  ASSERT_TRUE(eventually([&] { return player()->position >= 2000; }, 15s));
  const auto from = player()->node;
  ASSERT_FALSE(from.empty());
  const bool on_alpha = from == "alpha";
  const std::string to = on_alpha ? "beta" : "alpha";
  const std::string region = on_alpha ? "eu" : "us";
  const auto old_conn = fake_->wait_for_voice_connection(demo_.guild, 1s);
  ASSERT_TRUE(old_conn);
  const auto before = player()->position;

  const auto asked = std::chrono::steady_clock::now();
  auto set = run_sub(demo_.alice, "settings", "region", {boost::json::object{{"name", "region"}, {"type", 3}, {"value", region}}});
  EXPECT_TRUE(reply_ephemeral(set));
  EXPECT_NE(reply_text(set).find("Moved playback from **" + from + "** to **" + to + "**"), std::string::npos)
      << reply_text(set);
  EXPECT_TRUE(eventually([&] { return player()->node == to; }, 5s)) << player()->node;
  // Audio flows from the new node, near the same position.
  auto resumed = fake_->wait_for_voice_connection(demo_.guild, 10s, [&](const fake::voice_connection_info& v) {
    return v.id != old_conn->id && v.open && v.stats.packets >= 5;
  });
  ASSERT_TRUE(resumed) << "no audio from " << to;
  std::printf("routing: audio from %s %lld ms after /settings region\n", to.c_str(),
              static_cast<long long>(
                  std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - asked).count()));
  EXPECT_GE(player()->position, before - 1500);
  EXPECT_EQ(player()->current->track.info.uri.value_or(""), media_->url("/a440.wav"));

  // The panel's POST /reconcile-routing: already where it belongs, nothing moves.
  auto [status, body] = status_api("POST", "/reconcile-routing", R"({"guildId":")" + std::to_string(demo_.guild) + "\"}");
  EXPECT_EQ(status, 200) << body;
  auto v = boost::json::parse(body);
  EXPECT_EQ(v.at("ok"), true);
  EXPECT_EQ(v.at("moved"), false);
  EXPECT_EQ(v.at("to").as_string(), to);
  EXPECT_EQ(v.at("region").as_string(), region);
  EXPECT_EQ(status_api("POST", "/reconcile-routing", "{}").first, 400);

  // Back to "auto": a live node is kept (no hopping for a small load difference).
  auto back = run_sub(demo_.alice, "settings", "region", {boost::json::object{{"name", "region"}, {"type", 3}, {"value", "auto"}}});
  EXPECT_NE(reply_text(back).find("Playback stays on **" + to + "**"), std::string::npos) << reply_text(back);
  EXPECT_EQ(player()->node, to);
}

TEST_F(BotFeatures, PeriodicRoutingReturnsThePlayerToItsRegionWhenANodeThereIsBack) {
  start_node("alpha", "us");
  start_node("beta", "eu");
  bot_options_.routing_interval = 500ms;
  start_bot();
  ASSERT_FALSE(fake_->set_user_voice(demo_.guild, demo_.alice, demo_.music));
  auto set = run_sub(demo_.alice, "settings", "region", {boost::json::object{{"name", "region"}, {"type", 3}, {"value", "eu"}}});
  EXPECT_NE(reply_text(set).find("Region set to **eu**"), std::string::npos) << reply_text(set);
  // The eu node is down: the track starts on the us node.
  nodes_[1].server->stop();
  auto beta_down = [&] {
    auto v = boost::json::parse(status_api("GET", "/status").second);
    for (auto& n : v.at("nodes").as_array())
      if (n.at("name").as_string() == "beta") return !n.at("available").as_bool();
    return false;
  };
  ASSERT_TRUE(eventually(beta_down, 10s));
  auto play = run(demo_.alice, "play", {str_opt("query", media_->url("/a440.wav"))});
  ASSERT_NE(reply_text(play).find("Now Playing"), std::string::npos) << reply_text(play);
  ASSERT_TRUE(wait_audio(20));
  EXPECT_EQ(player()->node, "alpha");
  const auto old_conn = fake_->wait_for_voice_connection(demo_.guild, 1s);
  ASSERT_TRUE(old_conn);

  // The eu node comes back: the periodic pass moves the player there, and audio follows.
  restart_node(1);
  EXPECT_TRUE(eventually([&] { return player()->node == "beta"; }, 30s)) << player()->node;
  auto moved = fake_->wait_for_voice_connection(demo_.guild, 10s, [&](const fake::voice_connection_info& v) {
    return v.id != old_conn->id && v.open && v.stats.packets >= 5;
  });
  EXPECT_TRUE(moved) << "no audio from the eu node";
  EXPECT_EQ(player()->current->track.info.uri.value_or(""), media_->url("/a440.wav"));
}

TEST_F(BotFeatures, StatusApiCountsTheLastDaysCommandsAndListeners) {
  start_node("main");
  start_bot();
  ASSERT_FALSE(fake_->set_user_voice(demo_.guild, demo_.alice, demo_.music));
  auto play = run(demo_.alice, "play", {str_opt("query", media_->url("/a440.wav"))});
  ASSERT_NE(reply_text(play).find("Now Playing"), std::string::npos) << reply_text(play);
  ASSERT_TRUE(wait_audio(20));
  run(demo_.bob, "uptime");
  auto status = [&] { return boost::json::parse(status_api("GET", "/status").second).as_object(); };
  ASSERT_TRUE(eventually([&] { return status().at("listeners").to_number<int>() == 1; }, 10s));
  ASSERT_TRUE(eventually([&] { return status().at("commands24h").to_number<int>() == 2; }, 10s))
      << boost::json::serialize(status());
  // Alice leaves: nobody listens now, but she listened within the last 24 hours.
  ASSERT_FALSE(fake_->set_user_voice(demo_.guild, demo_.alice, 0));
  ASSERT_TRUE(eventually([&] { return status().at("listeners").to_number<int>() == 0; }, 10s));
  auto s = status();
  EXPECT_EQ(s.at("listeners24h").to_number<int>(), 1);
  EXPECT_EQ(s.at("listenerPeak24h").to_number<int>(), 1);
  EXPECT_EQ(s.at("commands24h").to_number<int>(), 2);
  EXPECT_EQ(s.at("commandsTotal").to_number<int>(), 2);
}

TEST_F(BotFeatures, PrometheusCanBeScrapedAgainAndAgain) {
  start_node("main");
  start_bot();
  // Every scrape answers (the gauges were registered at each scrape, so only the first did).
  for (int i = 0; i < 3; ++i) {
    std::string text;
    EXPECT_NO_THROW(text = bot_->metrics_text());
    EXPECT_NE(text.find("vectobeat_lavalink_node_up{node=\"main\"} 1"), std::string::npos) << text;
  }
  for (int i = 0; i < 2; ++i) {
    auto [status, body] = metrics_scrape();
    EXPECT_EQ(status, 200) << body;
    EXPECT_NE(body.find("vectobeat_uptime_seconds"), std::string::npos) << body;
  }
}

}  // namespace
}  // namespace vb::bot::test
