#include "vectobeat/discord/rate_limiter.hpp"

#include <gtest/gtest.h>

#include "vectobeat/common/clock.hpp"

namespace vb::discord {
namespace {

using namespace std::chrono_literals;

net::header_map bucket_headers(std::string_view bucket, int limit, int remaining, std::string_view reset_after) {
  net::header_map h;
  h.set("X-RateLimit-Bucket", std::string(bucket));
  h.set("X-RateLimit-Limit", std::to_string(limit));
  h.set("X-RateLimit-Remaining", std::to_string(remaining));
  h.set("X-RateLimit-Reset-After", std::string(reset_after));
  return h;
}

TEST(Route, TemplatesMajorParametersAndExemptions) {
  auto r = make_route("POST", "/channels/{channel_id}/messages", {"123"});
  EXPECT_EQ(r.path, "/channels/123/messages");
  EXPECT_EQ(r.major, "123");
  EXPECT_EQ(r.key(), "POST /channels/{channel_id}/messages");
  EXPECT_FALSE(r.global_exempt);
  auto g = make_route("PUT", "/applications/{application_id}/guilds/{guild_id}/commands", {"1", "2"});
  EXPECT_EQ(g.major, "");  // application routes have no major parameter
  auto cb = make_route("POST", "/interactions/{interaction_id}/{interaction_token}/callback", {"9", "tok/en"});
  EXPECT_EQ(cb.path, "/interactions/9/tok%2Fen/callback");
  EXPECT_TRUE(cb.global_exempt);
  auto wh = make_route("PATCH", "/webhooks/{application_id}/{interaction_token}/messages/@original", {"1", "tok"});
  EXPECT_EQ(wh.major, "1/tok");
  EXPECT_TRUE(wh.global_exempt);
  EXPECT_THROW(make_route("GET", "/channels/{channel_id}", {}), std::invalid_argument);
  EXPECT_THROW(make_route("GET", "/users/@me", {"x"}), std::invalid_argument);
}

TEST(RateLimiter, LearnsBucketsFromHeadersAndWaitsForTheReset) {
  manual_clock clk;
  rate_limiter rl(clk, {});
  const auto a = make_route("POST", "/channels/{channel_id}/messages", {"1"});
  const auto a2 = make_route("POST", "/channels/{channel_id}/messages", {"2"});
  EXPECT_EQ(rl.acquire(a), 0ms);  // unknown bucket: one goes
  rl.on_response(a, 200, bucket_headers("abcd", 5, 0, "2.5"), "{}");
  EXPECT_EQ(rl.queue_key(a), "abcd|1");
  EXPECT_EQ(rl.acquire(a), 2500ms);
  EXPECT_EQ(rl.acquire(a2), 0ms);  // another major parameter has its own limit
  clk.advance(2500ms);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(rl.acquire(a), 0ms) << i;  // limit 5 after the reset
  EXPECT_GT(rl.acquire(a), 0ms);
  EXPECT_EQ(rl.stats().bucket_waits, 2u);
}

TEST(RateLimiter, RoutesSharingABucketShareItsLimit) {
  manual_clock clk;
  rate_limiter rl(clk, {});
  const auto edit = make_route("PATCH", "/channels/{channel_id}/messages/{message_id}", {"1", "10"});
  const auto del = make_route("DELETE", "/channels/{channel_id}/messages/{message_id}", {"1", "11"});
  rl.acquire(edit);
  rl.on_response(edit, 200, bucket_headers("shared", 5, 0, "1"), "{}");
  rl.acquire(del);
  rl.on_response(del, 200, bucket_headers("shared", 5, 0, "1"), "{}");
  EXPECT_EQ(rl.queue_key(edit), rl.queue_key(del));
  EXPECT_EQ(rl.acquire(del), 1000ms);
}

TEST(RateLimiter, GlobalFiftyPerSecondWithInteractionsExempt) {
  manual_clock clk;
  rate_limiter rl(clk, {});
  for (int i = 0; i < 50; ++i)
    EXPECT_EQ(rl.acquire(make_route("GET", "/channels/{channel_id}", {std::to_string(i + 1)})), 0ms);
  const auto next = make_route("GET", "/channels/{channel_id}", {"999"});
  EXPECT_EQ(rl.acquire(next), 1050ms);  // 1 s plus the arrival margin
  // Interaction callbacks still go.
  EXPECT_EQ(rl.acquire(make_route("POST", "/interactions/{interaction_id}/{interaction_token}/callback", {"1", "t"})), 0ms);
  clk.advance(400ms);
  EXPECT_EQ(rl.acquire(next), 650ms);
  clk.advance(650ms);
  EXPECT_EQ(rl.acquire(next), 0ms);
}

TEST(RateLimiter, Obeys429BucketGlobalAndShared) {
  manual_clock clk;
  rate_limiter rl(clk, {});
  const auto r = make_route("POST", "/channels/{channel_id}/messages", {"1"});
  rl.acquire(r);
  net::header_map h;
  h.set("Retry-After", "3");
  auto hint = rl.on_response(r, 429, h, R"({"message":"You are being rate limited.","retry_after":1.25,"global":false})");
  ASSERT_TRUE(hint);
  EXPECT_EQ(hint->after, 1250ms);  // the body's float wins over the header's integer
  EXPECT_FALSE(hint->global);
  EXPECT_EQ(rl.acquire(r), 1250ms);
  EXPECT_EQ(rl.acquire(make_route("GET", "/guilds/{guild_id}", {"5"})), 0ms);  // other routes unaffected

  net::header_map g;
  g.set("X-RateLimit-Global", "true");
  g.set("X-RateLimit-Scope", "global");
  auto gh = rl.on_response(r, 429, g, R"({"retry_after":2,"global":true})");
  ASSERT_TRUE(gh && gh->global);
  EXPECT_EQ(rl.acquire(make_route("GET", "/guilds/{guild_id}", {"5"})), 2000ms);  // every route waits
  EXPECT_EQ(rl.acquire(make_route("POST", "/interactions/{interaction_id}/{interaction_token}/callback", {"1", "t"})), 2000ms);
  EXPECT_EQ(rl.stats().responses_429, 2u);
  EXPECT_EQ(rl.stats().invalid_requests_in_window, 2);

  net::header_map s;
  s.set("X-RateLimit-Scope", "shared");
  auto sh = rl.on_response(r, 429, s, R"({"retry_after":0.5})");
  ASSERT_TRUE(sh && sh->shared);
  EXPECT_EQ(rl.stats().invalid_requests_in_window, 2);  // shared 429s do not count
}

TEST(RateLimiter, InvalidRequestBudgetSlidesOverItsWindow) {
  manual_clock clk;
  rate_limit_options o;
  o.invalid_request_budget = 10;
  o.invalid_window = 10min;
  rate_limiter rl(clk, o);
  const auto r = make_route("GET", "/channels/{channel_id}", {"1"});
  for (int i = 0; i < 9; ++i) rl.on_response(r, i % 2 ? 403 : 401, {}, "{}");
  rl.on_response(r, 404, {}, "{}");  // 404 does not count
  EXPECT_FALSE(rl.budget_exhausted());
  clk.advance(5min);
  rl.on_response(r, 403, {}, "{}");
  EXPECT_TRUE(rl.budget_exhausted());
  clk.advance(5min);  // the first nine leave the window
  EXPECT_FALSE(rl.budget_exhausted());
}

}  // namespace
}  // namespace vb::discord
