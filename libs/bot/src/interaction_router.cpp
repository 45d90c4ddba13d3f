#include "vectobeat/bot/interaction_router.hpp"

#include <exception>

#include "vectobeat/common/clock.hpp"
#include "vectobeat/common/log.hpp"

namespace vb::bot {

namespace {
log::logger& router_log() {
  static log::logger l("bot.interactions");
  return l;
}

std::vector<std::string> split_custom_id(std::string_view id) {
  std::vector<std::string> parts;
  while (true) {
    const auto c = id.find(':');
    parts.emplace_back(id.substr(0, c));
    if (c == std::string_view::npos) break;
    id.remove_prefix(c + 1);
  }
  return parts;
}

discord::message_payload with_flags(discord::message_payload m, bool ephemeral) {
  if (ephemeral) m.flags = m.flags.value_or(0) | discord::message_flags::ephemeral;
  return m;
}
}  // namespace

std::string make_custom_id(std::initializer_list<std::string_view> parts) {
  std::string id(custom_id_prefix);
  for (auto p : parts) {
    id += ':';
    id += p;
  }
  return id;
}

enum class ack_phase { none, deferring, deferred, answered };

struct interaction_router::ack_state {
  discord::interaction in;
  bool ephemeral_defer = false;
  bool component = false;
  ack_phase phase = ack_phase::none;
  bool done = false;
  std::optional<reply> pending;  // a reply that arrived while the deferral was in flight
  std::unique_ptr<timer> deadline;
};

interaction_router::interaction_router(asio::any_io_executor ex, clock& clk, discord::discord_api& api,
                                       const command_registry& registry, router_options opts)
    : ex_(std::move(ex)), clk_(clk), api_(api), registry_(registry), opts_(opts) {}

interaction_router::~interaction_router() = default;

task<void> interaction_router::handle(discord::interaction in) {
  ++handled_;
  if (in.type == discord::interaction_type::ping) {
    auto r = co_await api_.create_interaction_response(in.id, in.token, discord::interaction_response::pong());
    (void)r;
    co_return;
  }
  if (in.type == discord::interaction_type::autocomplete) {
    co_await run_autocomplete(in);
    co_return;
  }
  auto st = std::make_shared<ack_state>();
  st->in = std::move(in);
  command_context ctx{st->in, {}, st->in.guild_id.value(), st->in.channel_id.value(), st->in.user_id().value(), {}};
  const command_spec* spec = nullptr;
  component_handler* comp = nullptr;
  std::optional<reply> early;
  if (auto* c = st->in.command()) {
    ctx.command = c->full_name();
    spec = registry_.find(ctx.command);
    if (!spec) early = reply::failure("I do not know the command `/" + ctx.command + "`.");
    else st->ephemeral_defer = spec->ephemeral;
  } else if (auto* c2 = st->in.component()) {
    st->component = true;
    auto parts = split_custom_id(c2->custom_id);
    if (parts.size() < 2 || parts[0] != custom_id_prefix) {
      early = reply::failure("This button belongs to an older version of the bot. Run the command again.");
    } else {
      ctx.command = parts[1];
      ctx.args.assign(parts.begin() + 2, parts.end());
      auto it = components_.find(parts[1]);
      if (it == components_.end()) early = reply::failure("This button is no longer supported.");
      else comp = &it->second;
    }
  } else {
    early = reply::failure("This kind of interaction is not supported.");
  }
  if (!early && ctx.guild_id == 0) early = reply::failure("VectoBeat commands work in servers only.");
  if (early) {
    co_await deliver(st, std::move(*early));
    if (observer_) observer_(ctx.command.empty() ? std::string("unknown") : ctx.command, false);
    co_return;
  }
  if (spec && spec->defer) {
    co_await send_defer(st);
  } else {
    st->deadline = clk_.make_timer(ex_);
    spawn(ex_, watch_deadline(st), "interaction deadline");
  }
  reply r;
  try {
    if (spec) {
      r = co_await run_command(ctx, spec);
    } else {
      r = co_await (*comp)(ctx);
    }
  } catch (const std::exception& e) {
    router_log().error("/{} failed: {}", ctx.command, e.what());
    r = reply::failure("Something went wrong while running this command. Please try again.");
  }
  const bool ok = !r.error;
  st->done = true;
  if (st->deadline) st->deadline->cancel();
  co_await deliver(st, std::move(r));
  if (observer_) observer_(ctx.command, ok);
}

task<reply> interaction_router::run_command(command_context& ctx, const command_spec* spec) {
  if (gates_) {
    auto refused = co_await gates_(*spec, ctx);
    if (refused) co_return reply::failure(std::move(*refused));
  }
  co_return co_await spec->handler(ctx);
}

task<void> interaction_router::run_autocomplete(const discord::interaction& in) {
  std::vector<discord::command_option_choice> choices;
  auto* c = in.command();
  const command_spec* spec = c ? registry_.find(c->full_name()) : nullptr;
  if (spec && spec->autocomplete) {
    command_context ctx{in, c->full_name(), in.guild_id.value(), in.channel_id.value(), in.user_id().value(), {}};
    std::string partial;
    if (auto* f = c->focused())
      if (auto s = f->as_string()) partial = std::string(*s);
    try {
      choices = co_await spec->autocomplete(ctx, std::move(partial));
    } catch (const std::exception& e) {
      router_log().warn("autocomplete for /{} failed: {}", spec->name, e.what());
    }
  }
  if (choices.size() > discord::limits::autocomplete_choices) choices.resize(discord::limits::autocomplete_choices);
  auto r = co_await api_.create_interaction_response(in.id, in.token, discord::interaction_response::autocomplete(std::move(choices)));
  if (!r) router_log().debug("autocomplete answer refused: {}", r.error().describe());
}

task<void> interaction_router::watch_deadline(std::shared_ptr<ack_state> st) {
  timer* t = st->deadline.get();
  const steady_time when = clk_.now() + opts_.defer_after;
  const bool fired = co_await t->wait_until(when);
  if (!fired || st->done || st->phase != ack_phase::none) co_return;
  co_await send_defer(st);
}

task<void> interaction_router::send_defer(std::shared_ptr<ack_state> st) {
  st->phase = ack_phase::deferring;
  ++deferred_;
  auto resp = st->component ? discord::interaction_response::defer_update()
                            : discord::interaction_response::defer(st->ephemeral_defer);
  auto r = co_await api_.create_interaction_response(st->in.id, st->in.token, std::move(resp));
  if (!r) {
    ++failed_;
    router_log().warn("cannot defer interaction {}: {}", st->in.id.value(), r.error().describe());
  }
  st->phase = ack_phase::deferred;
  if (st->pending) {
    auto p = std::move(*st->pending);
    st->pending.reset();
    co_await edit_deferred(st, std::move(p));
  }
}

task<void> interaction_router::deliver(std::shared_ptr<ack_state> st, reply r) {
  if (r.error) r.ephemeral = true;
  switch (st->phase) {
    case ack_phase::none: {
      st->phase = ack_phase::answered;
      discord::interaction_response resp;
      if (st->component && r.update_message)
        resp = discord::interaction_response::update(std::move(r.message));
      else
        resp = discord::interaction_response::reply(with_flags(std::move(r.message), r.ephemeral));
      auto res = co_await api_.create_interaction_response(st->in.id, st->in.token, std::move(resp));
      if (!res) {
        ++failed_;
        router_log().warn("cannot answer interaction {}: {}", st->in.id.value(), res.error().describe());
      }
      break;
    }
    case ack_phase::deferring:
      st->pending = std::move(r);  // send_defer edits once the deferral is acknowledged
      break;
    case ack_phase::deferred:
      co_await edit_deferred(st, std::move(r));
      break;
    case ack_phase::answered:
      break;
  }
}

task<void> interaction_router::edit_deferred(std::shared_ptr<ack_state> st, reply r) {
  st->phase = ack_phase::answered;
  const auto app = st->in.application_id;
  if (st->component && !r.update_message) {
    // A deferred component update keeps its message; the reply is a follow-up.
    auto res = co_await api_.create_followup(app, st->in.token, with_flags(std::move(r.message), r.ephemeral || r.error));
    if (!res) ++failed_;
    co_return;
  }
  if (r.ephemeral && !st->ephemeral_defer && !st->component) {
    // The deferral was public but the answer is private: replace the "thinking" message
    // with an ephemeral follow-up.
    auto del = co_await api_.delete_original_response(app, st->in.token);
    (void)del;
    auto res = co_await api_.create_followup(app, st->in.token, with_flags(std::move(r.message), true));
    if (!res) ++failed_;
    co_return;
  }
  r.message.flags.reset();
  auto res = co_await api_.edit_original_response(app, st->in.token, std::move(r.message));
  if (!res) {
    ++failed_;
    router_log().warn("cannot edit the deferred answer of interaction {}: {}", st->in.id.value(), res.error().describe());
  }
}

}  // namespace vb::bot
