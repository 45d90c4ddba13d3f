#include "vectobeat/discord/shard_manager.hpp"

#include <boost/asio/this_coro.hpp>

#include <algorithm>
#include <charconv>
#include <mutex>
#include <set>

#include "vectobeat/common/clock.hpp"
#include "vectobeat/common/log.hpp"
#include "vectobeat/common/settings.hpp"

namespace vb::discord {

// ------------------------------------------------------------------ configuration

gateway_options gateway_options_from(const settings& s) {
  gateway_options o;
  o.shard_count = s.bot.shard_count;
  o.shard_ids = s.bot.shard_ids;
  o.gateway_url = s.bot.gateway_url;
  auto& so = o.session;
  so.token = s.bot.token;
  so.intents = intents::music_bot | (s.bot.intents_members ? intents::guild_members : 0u);
  so.compression = parse_compression(s.bot.gateway_compression).value_or(gateway_compression::zlib_stream);
  so.large_threshold = s.bot.large_threshold;
  presence p;
  p.status = valid_presence_status(s.bot.presence_status) ? s.bot.presence_status : "online";
  if (!s.bot.presence_activity_name.empty())
    p.act = activity{s.bot.presence_activity_name, activity_type_from_name(s.bot.presence_activity_type).value_or(2), {}, {}};
  so.initial_presence = p;
  return o;
}

expected<std::vector<int>, std::string> parse_shard_range(std::string_view spec, int total) {
  std::vector<int> out;
  if (total < 1) return unexpected(std::string("the total shard count must be at least 1"));
  auto trim = [](std::string_view v) {
    while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
    while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
    return v;
  };
  spec = trim(spec);
  if (spec.empty() || spec == "all") {
    for (int i = 0; i < total; ++i) out.push_back(i);
    return out;
  }
  auto number = [&](std::string_view v) -> std::optional<int> {
    v = trim(v);
    int n = -1;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (v.empty() || ec != std::errc() || p != v.data() + v.size() || n < 0) return std::nullopt;
    return n;
  };
  std::set<int> seen;
  while (!spec.empty()) {
    const auto comma = spec.find(',');
    const auto part = spec.substr(0, comma);
    spec = comma == std::string_view::npos ? std::string_view() : spec.substr(comma + 1);
    int lo = 0, hi = 0;
    if (auto dash = part.find('-'); dash != std::string_view::npos) {
      auto a = number(part.substr(0, dash));
      auto b = number(part.substr(dash + 1));
      if (!a || !b || *a > *b) return unexpected("invalid shard range '" + std::string(part) + "'");
      lo = *a;
      hi = *b;
    } else {
      auto a = number(part);
      if (!a) return unexpected("invalid shard id '" + std::string(part) + "'");
      lo = hi = *a;
    }
    if (hi >= total)
      return unexpected("shard " + std::to_string(hi) + " is outside 0-" + std::to_string(total - 1));
    for (int i = lo; i <= hi; ++i)
      if (!seen.insert(i).second) return unexpected("shard " + std::to_string(i) + " is listed twice");
  }
  out.assign(seen.begin(), seen.end());
  return out;
}

// ------------------------------------------------------------------ identify scheduler

struct identify_scheduler::impl {
  impl(clock& c, int mc, std::chrono::milliseconds i, session_start_limit l)
      : clk(c), max_concurrency(std::max(1, mc)), interval(i), next_allowed(static_cast<std::size_t>(max_concurrency)),
        total(std::max(1, l.total)), remaining(l.remaining),
        reset_at(c.now() + std::chrono::milliseconds(l.reset_after_ms)) {}
  clock& clk;
  const int max_concurrency;
  const std::chrono::milliseconds interval;
  std::mutex mu;
  std::vector<steady_time> next_allowed;
  std::multiset<int> waiting;
  const int total;
  int remaining;
  steady_time reset_at;
  log::logger log{"gateway"};
  bool warned = false;
};

identify_scheduler::identify_scheduler(clock& clk, int max_concurrency, std::chrono::milliseconds interval,
                                       session_start_limit limit)
    : impl_(std::make_shared<impl>(clk, max_concurrency, interval, limit)) {}
identify_scheduler::~identify_scheduler() = default;

int identify_scheduler::remaining_starts() const {
  std::lock_guard lk(impl_->mu);
  return impl_->remaining;
}

task<void> identify_scheduler::acquire(int shard_id) {
  auto self = impl_;
  auto ex = co_await asio::this_coro::executor;
  auto t = self->clk.make_timer(ex);
  const std::size_t key = static_cast<std::size_t>(shard_id % self->max_concurrency);
  std::multiset<int>::iterator mine;
  {
    std::lock_guard lk(self->mu);
    mine = self->waiting.insert(shard_id);
  }
  struct leave {
    impl& s;
    std::multiset<int>::iterator it;
    ~leave() {
      std::lock_guard lk(s.mu);
      s.waiting.erase(it);
    }
  } guard{*self, mine};
  for (;;) {
    steady_time until;
    {
      std::lock_guard lk(self->mu);
      const auto now = self->clk.now();
      if (self->remaining <= 0 && now >= self->reset_at) {
        self->remaining = self->total;  // the daily window reset
        self->warned = false;
      }
      bool lower_waiting = false;
      for (int w : self->waiting) {
        if (w >= shard_id) break;
        if (w % self->max_concurrency == static_cast<int>(key)) lower_waiting = true;
      }
      auto& next = self->next_allowed[key];
      if (self->remaining <= 0) {
        if (!self->warned)
          self->log.error("session start limit used up: shards wait {} s for the reset",
                          std::chrono::duration_cast<std::chrono::seconds>(self->reset_at - now).count());
        self->warned = true;
        until = self->reset_at;
      } else if (!lower_waiting && now >= next) {
        next = now + self->interval;
        --self->remaining;
        co_return;
      } else {
        until = lower_waiting ? std::max(now, next) + self->interval : next;
      }
    }
    co_await t->wait_until(until);
  }
}

// ------------------------------------------------------------------ manager

struct shard_manager::impl {
  impl(asio::any_io_executor e, clock& c, gateway_options o) : ex(std::move(e)), clk(c), opts(std::move(o)), dispatcher(cache, bus) {
    log::add_secret(opts.session.token);
  }
  asio::any_io_executor ex;
  clock& clk;
  gateway_options opts;
  gateway_cache cache;
  event_bus bus;
  event_dispatcher dispatcher;
  log::logger log{"gateway"};
  mutable std::mutex mu;
  int total = 0;
  std::vector<int> ids;
  std::vector<std::unique_ptr<shard_session>> sessions;  // same order as ids
  std::shared_ptr<identify_scheduler> scheduler;
  bool stopped = false;

  shard_session* session_for(snowflake guild) const {
    if (total == 0) return nullptr;
    const int shard = guild.shard_for(total);
    auto it = std::lower_bound(ids.begin(), ids.end(), shard);
    if (it == ids.end() || *it != shard) return nullptr;
    return sessions[static_cast<std::size_t>(it - ids.begin())].get();
  }
};

shard_manager::shard_manager(asio::any_io_executor ex, clock& clk, gateway_options opts)
    : impl_(std::make_unique<impl>(std::move(ex), clk, std::move(opts))) {}

shard_manager::~shard_manager() { stop(); }

std::error_code shard_manager::start(const gateway_bot& info) {
  std::lock_guard lk(impl_->mu);
  if (impl_->stopped) return gateway_error::stopped;
  if (!impl_->sessions.empty()) return {};
  const int total = impl_->opts.shard_count.value_or(std::max(1, info.shards));
  std::vector<int> ids = impl_->opts.shard_ids;
  if (ids.empty())
    for (int i = 0; i < total; ++i) ids.push_back(i);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  for (int id : ids)
    if (id < 0 || id >= total) {
      impl_->log.error("shard {} is outside the total of {} shards", id, total);
      return gateway_error::invalid_shard;
    }
  impl_->total = total;
  impl_->ids = ids;
  impl_->scheduler = std::make_shared<identify_scheduler>(impl_->clk, info.limit.max_concurrency,
                                                          impl_->opts.identify_interval, info.limit);
  const std::string url = impl_->opts.gateway_url.empty() ? info.url : impl_->opts.gateway_url;
  impl_->log.info("starting shards {}-{} of {} (max_concurrency {}, {} session starts left)", ids.front(), ids.back(),
                  total, info.limit.max_concurrency, info.limit.remaining);
  for (int id : ids) {
    shard_session_options so = impl_->opts.session;
    so.shard_id = id;
    so.shard_count = total;
    so.gateway_url = url;
    shard_callbacks cb;
    auto sched = impl_->scheduler;
    cb.identify_gate = [sched](int shard) { return sched->acquire(shard); };
    auto* self = impl_.get();
    cb.on_dispatch = [self, id](std::string_view name, const boost::json::value& d, std::int64_t seq) {
      const event_context ctx{id, seq};
      self->dispatcher.dispatch(name, d, ctx);
      if (name == "READY" || name == "RESUMED") self->bus.publish(shard_ready_event{id, name == "RESUMED"}, ctx);
    };
    cb.on_fatal = [self, id](std::error_code ec) { self->log.critical("shard {} stopped: {}", id, ec.message()); };
    impl_->sessions.push_back(std::make_unique<shard_session>(impl_->ex, impl_->clk, std::move(so), std::move(cb)));
  }
  // Started in shard order, so lower shards ask for IDENTIFY first in every bucket.
  for (auto& s : impl_->sessions) s->start();
  return {};
}

void shard_manager::stop() {
  {
    std::lock_guard lk(impl_->mu);
    impl_->stopped = true;
    for (auto& s : impl_->sessions) s->stop();
  }
}

event_bus& shard_manager::events() noexcept { return impl_->bus; }
gateway_cache& shard_manager::cache() noexcept { return impl_->cache; }
dispatch_stats shard_manager::dispatch_counters() const noexcept { return impl_->dispatcher.stats(); }

std::error_code shard_manager::update_voice_state(snowflake guild_id, snowflake channel_id, bool self_mute, bool self_deaf) {
  std::lock_guard lk(impl_->mu);
  if (impl_->stopped) return gateway_error::stopped;
  if (impl_->total == 0) return gateway_error::not_connected;
  auto* s = impl_->session_for(guild_id);
  if (!s) return gateway_error::shard_not_owned;
  return s->send(encode_voice_state_update(guild_id, channel_id, self_mute, self_deaf));
}

void shard_manager::update_presence(const presence& p) {
  std::lock_guard lk(impl_->mu);
  const std::string payload = encode_presence_update(p);
  for (auto& s : impl_->sessions) (void)s->send(payload);
}

int shard_manager::total_shards() const noexcept {
  std::lock_guard lk(impl_->mu);
  return impl_->total;
}

std::vector<int> shard_manager::shard_ids() const {
  std::lock_guard lk(impl_->mu);
  return impl_->ids;
}

bool shard_manager::owns(snowflake guild_id) const noexcept {
  std::lock_guard lk(impl_->mu);
  return impl_->session_for(guild_id) != nullptr;
}

std::vector<shard_status> shard_manager::status() const {
  std::lock_guard lk(impl_->mu);
  std::vector<shard_status> out;
  for (auto& s : impl_->sessions) out.push_back(s->status());
  return out;
}

int shard_manager::average_latency_ms() const {
  long sum = 0;
  int n = 0;
  for (const auto& s : status())
    if (s.state == shard_state::ready && s.latency_ms >= 0) {
      sum += s.latency_ms;
      ++n;
    }
  return n ? static_cast<int>(sum / n) : -1;
}

}  // namespace vb::discord
