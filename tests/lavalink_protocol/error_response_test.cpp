#include "vectobeat/lavalink/error_response.hpp"

#include <gtest/gtest.h>

#include "lavalink_protocol/golden.hpp"
#include "vectobeat/common/api_error.hpp"

namespace vb::lavalink {
namespace {

TEST(ErrorResponseJson, DocumentedSample) {
  const auto e = test::golden<error_response>(R"({
    "timestamp": 1667857581613,
    "status": 404,
    "error": "Not Found",
    "trace": "...",
    "message": "Session not found",
    "path": "/v4/sessions/xtaug914v9k5032f/players/817327181659111454"
  })");
  EXPECT_EQ(e.timestamp, 1667857581613);
  EXPECT_EQ(e.status, 404);
  EXPECT_EQ(e.error, "Not Found");
  EXPECT_EQ(e.trace, "...");
  EXPECT_EQ(e.message, "Session not found");
  EXPECT_EQ(e.path, "/v4/sessions/xtaug914v9k5032f/players/817327181659111454");
}

TEST(ErrorResponseJson, WithoutTrace) {
  const auto e = test::golden<error_response>(R"({"timestamp":1,"status":400,"error":"Bad Request",
    "message":"Cannot specify both encodedTrack and identifier","path":"/v4/sessions/a/players/1"})");
  EXPECT_EQ(e.trace, std::nullopt);
}

TEST(ErrorResponseJson, ReadsWhatCommonWrites) {
  // The node serialises errors with vb::api_error; clients decode them with this type.
  const auto text = vb::to_json(vb::api_error{400, "End time must be greater than 0", "/v4/sessions/s/players/1",
                                              std::nullopt, 1700000000000});
  auto e = parse_json<error_response>(text);
  ASSERT_TRUE(e) << e.error();
  EXPECT_EQ(*e, (error_response{1700000000000, 400, "Bad Request", std::nullopt, "End time must be greater than 0",
                                "/v4/sessions/s/players/1"}));
}

}  // namespace
}  // namespace vb::lavalink
