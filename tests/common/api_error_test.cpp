#include "vectobeat/common/api_error.hpp"

#include <boost/json/parse.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace vb {
namespace {

using ::testing::HasSubstr;

TEST(ApiError, SerialisesLavalinksErrorShape) {
  api_error e;
  e.status = 404;
  e.message = "Session not found";
  e.path = "/v4/sessions/abc";
  e.timestamp_ms = 1700000000000;
  EXPECT_EQ(to_json(e),
            R"({"timestamp":1700000000000,"status":404,"error":"Not Found","message":"Session not found","path":"/v4/sessions/abc"})");
  e.trace = "stack";
  EXPECT_THAT(to_json(e), HasSubstr(R"("error":"Not Found","trace":"stack","message")"));
  api_error now;
  auto v = boost::json::parse(to_json(now)).as_object();
  EXPECT_GT(v.at("timestamp").as_int64(), 1700000000000);
  EXPECT_EQ(v.at("error").as_string(), "Internal Server Error");
  EXPECT_FALSE(v.contains("trace"));
}

TEST(ApiError, ReasonPhrases) {
  EXPECT_EQ(http_reason(413), "Payload Too Large");
  EXPECT_EQ(http_reason(431), "Request Header Fields Too Large");
  EXPECT_EQ(http_reason(418), "Bad Request");
  EXPECT_EQ(http_reason(599), "Internal Server Error");
}

}  // namespace
}  // namespace vb
