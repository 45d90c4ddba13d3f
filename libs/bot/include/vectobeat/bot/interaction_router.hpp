#pragma once
// Turns INTERACTION_CREATE into handler calls and answers every interaction within
// Discord's 3 s: a fast handler's reply goes out directly (type 4, or 7 for a component
// that updates its message); a command declared `defer` is acknowledged at once (type 5);
// any other handler still running after `defer_after` is deferred then, and its reply
// edits @original. Errors (unknown commands, gates, handler failures) are ephemeral
// messages, never "The application did not respond".
//
// Component custom_ids are namespaced and versioned: "vb1:<namespace>:<arg>:<arg>...".
//
// Threading: handle() runs on the executor given to the constructor (a strand); the
// handlers run there too.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "vectobeat/bot/command_registry.hpp"
#include "vectobeat/common/async.hpp"
#include "vectobeat/discord/discord_api.hpp"

namespace vb {
class clock;
}

namespace vb::bot {

inline constexpr std::string_view custom_id_prefix = "vb1";
// "vb1:np:pause" from {"np", "pause"}.
std::string make_custom_id(std::initializer_list<std::string_view> parts);

struct router_options {
  std::chrono::milliseconds defer_after{1500};
};

class interaction_router {
 public:
  // Returns an error message when a gate refuses, nullopt to go on.
  using gate_checker = std::function<task<std::optional<std::string>>(const command_spec&, command_context&)>;
  using component_handler = std::function<task<reply>(command_context&)>;
  // Every finished interaction: command (or component namespace) and whether it succeeded.
  using result_observer = std::function<void(const std::string& command, bool ok)>;

  interaction_router(asio::any_io_executor ex, clock& clk, discord::discord_api& api, const command_registry& registry,
                     router_options opts);
  ~interaction_router();
  interaction_router(const interaction_router&) = delete;
  interaction_router& operator=(const interaction_router&) = delete;

  void set_gate_checker(gate_checker fn) { gates_ = std::move(fn); }
  void on_component(std::string ns, component_handler fn) { components_[std::move(ns)] = std::move(fn); }
  void set_result_observer(result_observer fn) { observer_ = std::move(fn); }

  // Handles one interaction to the end (reply sent or failed).
  task<void> handle(discord::interaction in);

  std::uint64_t handled() const noexcept { return handled_; }
  std::uint64_t deferred() const noexcept { return deferred_; }
  std::uint64_t failed_responses() const noexcept { return failed_; }

  struct ack_state;

 private:
  task<reply> run_command(command_context& ctx, const command_spec* spec);
  task<void> run_autocomplete(const discord::interaction& in);
  task<void> deliver(std::shared_ptr<ack_state> st, reply r);
  task<void> watch_deadline(std::shared_ptr<ack_state> st);
  task<void> send_defer(std::shared_ptr<ack_state> st);
  task<void> edit_deferred(std::shared_ptr<ack_state> st, reply r);

  asio::any_io_executor ex_;
  clock& clk_;
  discord::discord_api& api_;
  const command_registry& registry_;
  router_options opts_;
  gate_checker gates_;
  std::map<std::string, component_handler, std::less<>> components_;
  result_observer observer_;
  std::uint64_t handled_ = 0, deferred_ = 0, failed_ = 0;
};

}  // namespace vb::bot
