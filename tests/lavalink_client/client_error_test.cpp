#include "vectobeat/lavalink_client/client_error.hpp"

#include <gtest/gtest.h>

namespace vb::llc {
namespace {

TEST(ClientError, CategoryAndNames) {
  std::error_code ec = client_errc::http_status;
  EXPECT_EQ(ec.category().name(), std::string("vb.lavalink_client"));
  EXPECT_EQ(to_string(client_errc::no_node), "no_node");
  EXPECT_FALSE(ec.message().empty());
}

TEST(ClientError, WhatAnotherNodeMightFix) {
  EXPECT_TRUE((rest_error{client_errc::transport, 0, ""}.retryable_elsewhere()));
  EXPECT_TRUE((rest_error{client_errc::http_status, 503, ""}.retryable_elsewhere()));
  EXPECT_FALSE((rest_error{client_errc::http_status, 400, ""}.retryable_elsewhere()));
  EXPECT_FALSE((rest_error{client_errc::invalid_response, 200, ""}.retryable_elsewhere()));
  EXPECT_EQ((rest_error{client_errc::http_status, 404, "Player not found"}.describe()), "http_status 404: Player not found");
}

}  // namespace
}  // namespace vb::llc
