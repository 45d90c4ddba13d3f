#include "bot/bot_fixture.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <cmath>
#include <random>

#include "vectobeat/common/clock.hpp"
#include "vectobeat/common/net/http_client.hpp"

namespace vb::bot::test {

io_pool::io_pool(int threads) : work_(ioc_.get_executor()) {
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { ioc_.run(); });
}

io_pool::~io_pool() {
  work_.reset();
  ioc_.stop();
  for (auto& t : threads_) t.join();
}

media_server::media_server(asio::any_io_executor ex) {
  net::server_options o;
  o.name = "test-media";
  auto fn = [this](net::http_request& r) { return handle(r); };
  server_ = std::make_unique<net::http_server>(ex, o, fn);
  port_ = server_->listen("127.0.0.1", 0);
}

media_server::~media_server() { stop(); }

void media_server::stop() {
  if (server_) server_->stop();
}

void media_server::add(std::string path, std::string content_type, std::string body) {
  routes_[std::move(path)] = {std::move(content_type), std::move(body)};
}

std::string media_server::url(std::string_view path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
}

task<net::http_response> media_server::handle(net::http_request& req) {
  auto it = routes_.find(req.path());
  if (it == routes_.end()) co_return net::http_response::text(404, "not found");
  const auto& body = it->second.second;
  net::http_response r;
  r.headers.set("Content-Type", it->second.first);
  r.headers.set("Accept-Ranges", "bytes");
  std::size_t from = 0, to = body.size() - 1;
  bool partial = false;
  if (auto range = req.headers.get("range"); range && range->rfind("bytes=", 0) == 0) {
    auto spec = range->substr(6);
    const auto dash = spec.find('-');
    from = std::strtoull(std::string(spec.substr(0, dash)).c_str(), nullptr, 10);
    if (dash != std::string_view::npos && dash + 1 < spec.size())
      to = std::min<std::size_t>(to, std::strtoull(std::string(spec.substr(dash + 1)).c_str(), nullptr, 10));
    if (from >= body.size() || from > to) co_return net::http_response::text(416, "bad range");
    partial = true;
  }
  r.status = partial ? 206 : 200;
  if (partial)
    r.headers.set("Content-Range", "bytes " + std::to_string(from) + "-" + std::to_string(to) + "/" + std::to_string(body.size()));
  r.body = body.substr(from, to - from + 1);
  co_return r;
}

std::string tone_wav(double hz, double seconds) {
  const auto frames = static_cast<std::size_t>(seconds * 48000);
  std::vector<std::int16_t> s(frames * 2);
  for (std::size_t i = 0; i < frames; ++i) {
    const auto v = static_cast<std::int16_t>(std::lround(0.5 * 32767 * std::sin(2 * M_PI * hz * static_cast<double>(i) / 48000.0)));
    s[2 * i] = v;
    s[2 * i + 1] = v;
  }
  return fake::encode_wav(s, 48000, 2);
}

tone_result analyse(const fake::wav_audio& w, int threshold) {
  const std::size_t frames = w.frames();
  auto left = [&](std::size_t i) { return w.samples[i * static_cast<std::size_t>(w.channels)]; };
  std::ptrdiff_t first = -1, last = -1;
  for (std::size_t i = 0; i < frames; ++i)
    if (std::abs(left(i)) > threshold) {
      if (first < 0) first = static_cast<std::ptrdiff_t>(i);
      last = static_cast<std::ptrdiff_t>(i);
    }
  if (first < 0) return {};
  std::ptrdiff_t first_cross = -1, last_cross = -1, crossings = 0;
  for (auto i = first + 1; i <= last; ++i)
    if (left(static_cast<std::size_t>(i - 1)) < 0 && left(static_cast<std::size_t>(i)) >= 0) {
      if (first_cross < 0) first_cross = i;
      last_cross = i;
      ++crossings;
    }
  tone_result t;
  t.seconds = static_cast<double>(last - first + 1) / w.sample_rate;
  if (crossings > 1)
    t.frequency = static_cast<double>(crossings - 1) * w.sample_rate / static_cast<double>(last_cross - first_cross);
  return t;
}

bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

void BotE2E::SetUp() {
  io_ = std::make_unique<io_pool>(3);
  fake::server_options fo;
  fo.voice_tls = false;
  fo.heartbeat_interval = 5000ms;
  fake_ = std::make_unique<fake::server>(io_->executor(), clock::system(), fo);
  fake_->start();
  demo_ = *fake_->demo();
  media_ = std::make_unique<media_server>(io_->executor());
  media_->add("/a440.wav", "audio/wav", tone_wav(440.0, 30.0));
  media_->add("/e660.wav", "audio/wav", tone_wav(660.0, 30.0));
  // Short tracks, for tests that need a queue to end.
  media_->add("/a440short.wav", "audio/wav", tone_wav(440.0, 2.5));
  media_->add("/e660short.wav", "audio/wav", tone_wav(660.0, 2.5));
  // What the fake resolver's search results play (ids vid0..vid2).
  for (int i = 0; i < 3; ++i) media_->add("/yt/vid" + std::to_string(i), "audio/wav", tone_wav(550.0, 30.0));
  std::random_device rd;
  dir_ = std::filesystem::temp_directory_path() / ("vb-bot-e2e-" + std::to_string(rd()));
  std::filesystem::create_directories(dir_);
}

void BotE2E::TearDown() {
  // Everything that runs on the io_context is destroyed while it still runs. The nodes stop
  // first, while the bot is still connected: node_server::stop() can deadlock in
  // session::shutdown() when a session is waiting for its client to resume (observed; see
  // the lavalink_node report), which is what a stopped bot leaves behind.
  for (auto& n : nodes_)
    if (n.server) n.server->stop();
  stop_bot();
  nodes_.clear();
  if (media_) media_->stop();
  media_.reset();
  if (fake_) fake_->stop();
  fake_.reset();
  io_.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::size_t BotE2E::start_node(const std::string& name, const std::string& region, bool search) {
  node::node_config c;
  c.password = "test-node-password";
  c.sources = {"http"};
  if (search) {
    c.sources.insert("youtube");
    c.resolver_command = {VB_FAKE_RESOLVER, "--base", media_->url("")};
  }
  c.allow_private_addresses = true;  // the media server is on loopback
  c.voice_tls = false;
  c.worker_threads = 1;
  c.loader_threads = 1;
  c.player_update_interval = std::chrono::seconds(1);
  node_entry e;
  e.name = name;
  e.region = region;
  e.config = c;
  e.server = std::make_unique<node::node_server>(io_->executor(), clock::system(), c);
  e.port = e.server->listen("127.0.0.1", 0);
  nodes_.push_back(std::move(e));
  return nodes_.size() - 1;
}

void BotE2E::restart_node(std::size_t index) {
  auto& e = nodes_.at(index);
  if (e.server) e.server->stop();
  e.server = std::make_unique<node::node_server>(io_->executor(), clock::system(), e.config);
  e.server->listen("127.0.0.1", e.port);
}

settings BotE2E::bot_settings() const {
  settings s;
  s.bot.token = fake_->options().token;
  s.bot.api_base_url = fake_->rest_base();
  s.bot.gateway_url = fake_->gateway_url();
  s.bot.data_dir = dir_.string();
  s.bot.idle_disconnect_seconds = 600;
  s.limits.queue_max_length = queue_limit_;
  s.storage.sqlite_path = (dir_ / "vectobeat.db").string();
  s.lavalink_nodes.clear();
  for (auto& n : nodes_) {
    if (!n.server) continue;
    lavalink_node_settings ln;
    ln.name = n.name;
    ln.host = "127.0.0.1";
    ln.port = n.port;
    ln.password = "test-node-password";
    ln.region = n.region;
    s.lavalink_nodes.push_back(ln);
  }
  s.lavalink_client.failover_rewind_ms = 1000;
  s.status_api.host = "127.0.0.1";
  s.status_api.port = 0;
  s.status_api.api_key = "test-status-key";
  s.metrics.host = "127.0.0.1";
  s.metrics.port = 0;
  return s;
}

void BotE2E::start_bot() {
  bot_options o = bot_options_;
  o.now_playing_refresh = 1000ms;
  bot_ = std::make_unique<vb::bot::bot>(io_->executor(), clock::system(), bot_settings(), o);
  auto r = bot_->start();
  ASSERT_TRUE(r) << r.error();
  ASSERT_TRUE(bot_->wait_ready(15s));
}

void BotE2E::stop_bot() {
  if (!bot_) return;
  bot_->stop();
  bot_.reset();
}

fake::interaction BotE2E::run(std::uint64_t user, const std::string& name, std::vector<fake::command_option> options) {
  fake::command_invocation c;
  c.guild_id = demo_.guild;
  c.channel_id = demo_.general;
  c.user_id = user;
  c.name = name;
  c.options = std::move(options);
  return run_invocation(std::move(c));
}

fake::interaction BotE2E::run_sub(std::uint64_t user, const std::string& group, const std::string& sub,
                                  boost::json::array options) {
  fake::command_invocation c;
  c.guild_id = demo_.guild;
  c.channel_id = demo_.general;
  c.user_id = user;
  c.name = group;
  boost::json::object o{{"type", 1}, {"name", sub}};
  if (!options.empty()) o["options"] = std::move(options);
  c.raw_options = boost::json::array{std::move(o)};
  return run_invocation(std::move(c));
}

fake::interaction BotE2E::run_invocation(fake::command_invocation c) {
  const auto name = c.name;
  auto r = fake_->invoke_command(c);
  EXPECT_TRUE(r) << "/" << name << ": " << (r ? "" : r.error().message());
  if (!r) return {};
  EXPECT_FALSE(r->expired) << "/" << name << " was not acknowledged in time";
  EXPECT_TRUE(r->callback_type.has_value()) << "/" << name;
  // A deferred reply is complete once the bot edited @original (or sent a follow-up).
  if (r->callback_type && *r->callback_type == 5) {
    const auto id = r->id;
    eventually([&] {
      auto in = fake_->find_interaction(id);
      if (!in) return false;
      if (!in->followups.empty()) return true;  // a private answer to a public deferral
      auto m = in->message_id ? fake_->find_message(in->message_id) : std::nullopt;
      return m && m->edits > 0 && !m->deleted;
    });
    if (auto in = fake_->find_interaction(id)) return *in;
  }
  return *r;
}

namespace {
void append_embeds(std::string& out, const boost::json::array& embeds) {
  for (auto& e : embeds) {
    if (!e.is_object()) continue;
    auto& o = e.as_object();
    for (auto key : {"title", "description"})
      if (auto* v = o.if_contains(key); v && v->is_string()) out += std::string(v->as_string()) + "\n";
    if (auto* f = o.if_contains("footer"); f && f->is_object())
      if (auto* t = f->as_object().if_contains("text"); t && t->is_string()) out += std::string(t->as_string()) + "\n";
    if (auto* f = o.if_contains("fields"); f && f->is_array())
      for (auto& x : f->as_array())
        if (x.is_object())
          for (auto key : {"name", "value"})
            if (auto* v = x.as_object().if_contains(key); v && v->is_string()) out += std::string(v->as_string()) + "\n";
  }
}
}  // namespace

std::string BotE2E::reply_text(const fake::interaction& in) {
  std::string out;
  auto add_message = [&](std::uint64_t id) {
    auto m = fake_->find_message(id);
    if (!m || m->deleted) return;
    out += m->content + "\n";
    append_embeds(out, m->embeds);
  };
  if (in.message_id) add_message(in.message_id);
  for (auto f : in.followups) add_message(f);
  if (out.empty() && in.callback_data.is_object()) {
    auto& d = in.callback_data.as_object();
    if (auto* c = d.if_contains("content"); c && c->is_string()) out += std::string(c->as_string()) + "\n";
    if (auto* e = d.if_contains("embeds"); e && e->is_array()) append_embeds(out, e->as_array());
  }
  return out;
}

bool BotE2E::reply_ephemeral(const fake::interaction& in) {
  if (!in.followups.empty()) {
    auto m = fake_->find_message(in.followups.back());
    return m && m->ephemeral();
  }
  if (in.message_id)
    if (auto m = fake_->find_message(in.message_id)) return m->ephemeral();
  if (in.callback_data.is_object())
    if (auto* f = in.callback_data.as_object().if_contains("flags"); f && f->is_int64())
      return (f->as_int64() & 64) != 0;
  return false;
}

fake::interaction BotE2E::click(std::uint64_t message, std::uint64_t user, const std::string& custom_id,
                                std::vector<std::string> values) {
  fake::component_invocation c;
  c.message_id = message;
  c.user_id = user;
  c.custom_id = custom_id;
  c.values = std::move(values);
  auto started = fake_->start_component(c);
  EXPECT_TRUE(started) << custom_id << ": " << (started ? "" : started.error().message());
  if (!started) return {};
  auto r = fake_->wait_for_response(started->id, 5s);
  EXPECT_TRUE(r && r->callback_type) << custom_id << " was not answered";
  return r ? *r : *started;
}

fake::interaction BotE2E::autocomplete(std::uint64_t user, const std::string& name, const std::string& option,
                                       const std::string& typed) {
  fake::command_invocation c;
  c.guild_id = demo_.guild;
  c.channel_id = demo_.general;
  c.user_id = user;
  c.name = name;
  c.options = {{option, boost::json::value(typed), 0, true}};
  auto started = fake_->start_autocomplete(c);
  EXPECT_TRUE(started) << (started ? "" : started.error().message());
  if (!started) return {};
  auto r = fake_->wait_for_response(started->id, 5s);
  EXPECT_TRUE(r && r->callback_type) << "autocomplete was not answered";
  return r ? *r : *started;
}

namespace {
template <class T>
T block_on(asio::any_io_executor ex, task<T> t) {
  return asio::co_spawn(ex, std::move(t), asio::use_future).get();
}

task<std::pair<int, std::string>> run_request(asio::any_io_executor ex, std::string method, std::string url,
                                              net::header_map headers, std::string body) {
  net::http_client client(ex);
  auto r = co_await client.request(std::move(method), std::move(url), std::move(headers), std::move(body));
  if (!r) co_return std::pair<int, std::string>{0, r.error().message};
  co_return std::pair<int, std::string>{r->status, r->body};
}
}  // namespace

std::pair<int, std::string> BotE2E::status_api(const std::string& method, const std::string& path, const std::string& body) {
  net::header_map h;
  h.set("Authorization", "Bearer test-status-key");
  if (!body.empty()) h.set("Content-Type", "application/json");
  const auto url = "http://127.0.0.1:" + std::to_string(bot_->status_api_port()) + path;
  return block_on(io_->executor(), run_request(io_->executor(), method, url, std::move(h), body));
}

std::pair<int, std::string> BotE2E::metrics_scrape() {
  const auto url = "http://127.0.0.1:" + std::to_string(bot_->metrics_port()) + "/metrics";
  return block_on(io_->executor(), run_request(io_->executor(), "GET", url, net::header_map{}, std::string()));
}

int BotE2E::discord_post(const std::string& path, const std::string& json) {
  net::header_map h;
  h.set("Authorization", "Bot " + fake_->options().token);
  h.set("User-Agent", "DiscordBot (https://example.invalid, 1.0)");
  h.set("Content-Type", "application/json");
  return block_on(io_->executor(), run_request(io_->executor(), "POST", fake_->rest_base() + path, std::move(h), json)).first;
}

std::optional<fake::voice_connection_info> BotE2E::wait_audio(std::uint64_t packets, std::chrono::milliseconds timeout,
                                                              std::uint64_t not_id) {
  return fake_->wait_for_voice_connection(demo_.guild, timeout, [&](const fake::voice_connection_info& v) {
    return v.id != not_id && v.open && v.stats.packets >= packets;
  });
}

fake::command_option str_opt(std::string name, std::string value) { return {std::move(name), boost::json::value(value), 0, false}; }
fake::command_option int_opt(std::string name, std::int64_t value) { return {std::move(name), boost::json::value(value), 0, false}; }

fake::wav_audio tail(const fake::wav_audio& w, double seconds) {
  fake::wav_audio t = w;
  const auto keep = static_cast<std::size_t>(seconds * w.sample_rate) * static_cast<std::size_t>(w.channels);
  if (t.samples.size() > keep) t.samples.erase(t.samples.begin(), t.samples.end() - static_cast<std::ptrdiff_t>(keep));
  return t;
}

double recorded_frequency(fake::server& f, std::uint64_t connection, double last_seconds) {
  auto bytes = f.recording_wav(connection);
  if (!bytes) return 0;
  auto wav = fake::decode_wav(*bytes);
  if (!wav) return 0;
  return analyse(tail(*wav, last_seconds)).frequency;
}

}  // namespace vb::bot::test
