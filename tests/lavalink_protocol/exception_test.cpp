#include "vectobeat/lavalink/exception.hpp"

#include <gtest/gtest.h>

#include "lavalink_protocol/golden.hpp"

namespace vb::lavalink {
namespace {

TEST(ExceptionJson, Golden) {
  const auto e = test::golden<exception_info>(R"({"message":"This video is unavailable","severity":"common",
    "cause":"com.sedmelluq.discord.lavaplayer.tools.FriendlyException: This video is unavailable",
    "causeStackTrace":"FriendlyException: This video is unavailable\n\tat Foo.bar(Foo.java:1)\n"})");
  EXPECT_EQ(e.message, "This video is unavailable");
  EXPECT_EQ(e.severity, exception_severity::common);
  EXPECT_NE(e.cause.find("FriendlyException"), std::string::npos);
  EXPECT_NE(e.cause_stack_trace.find("Foo.java"), std::string::npos);
}

TEST(ExceptionJson, NullMessageAndEverySeverity) {
  for (const char* s : {"common", "suspicious", "fault"}) {
    const auto e = test::golden<exception_info>(std::string(R"({"message":null,"severity":")") + s +
                                                R"(","cause":"java.lang.RuntimeException","causeStackTrace":""})");
    EXPECT_EQ(e.message, std::nullopt);
    EXPECT_EQ(to_string(e.severity), s);
  }
}

TEST(ExceptionJson, LenientOnOldPeers) {
  // Before 4.1.0 there was no causeStackTrace; v3 spelled severities in upper case.
  auto e = from_json<exception_info>(test::must_parse(R"({"message":"x","severity":"SUSPICIOUS","cause":"y"})"));
  ASSERT_TRUE(e) << e.error();
  EXPECT_EQ(e->severity, exception_severity::suspicious);
  EXPECT_EQ(e->cause_stack_trace, "");
}

TEST(ExceptionJson, Errors) {
  EXPECT_EQ(test::decode_error<exception_info>(R"({"message":"x","severity":"fatal","cause":"y"})"),
            "severity must be one of common, suspicious, fault");
  EXPECT_EQ(test::decode_error<exception_info>(R"({"message":"x","cause":"y"})"), "severity is missing");
  EXPECT_EQ(test::decode_error<exception_info>(R"({"message":1,"severity":"fault","cause":"y"})"),
            "message must be a string or null");
}

}  // namespace
}  // namespace vb::lavalink
