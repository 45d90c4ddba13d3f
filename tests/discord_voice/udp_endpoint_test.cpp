#include "vectobeat/voice/udp_endpoint.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include <optional>
#include <vector>

namespace vb::voice {
namespace {

using bytes = std::vector<std::uint8_t>;

const asio::ip::udp::endpoint loopback{asio::ip::make_address("127.0.0.1"), 0};

template <class T>
std::optional<T> run_task(asio::io_context& ctx, task<T> t) {
  std::optional<T> out;
  spawn(ctx.get_executor(), [](task<T> t, std::optional<T>& out) -> task<void> { out = co_await std::move(t); }(std::move(t), out),
        "udp test");
  ctx.restart();  // a previous task may have left the context out of work (stopped)
  for (int i = 0; i < 1000 && !out; ++i) ctx.run_one_for(std::chrono::milliseconds(20));
  return out;
}

TEST(UdpEndpoint, ConnectedSendAndReceiveFrom) {
  asio::io_context ctx;
  udp_endpoint server(ctx.get_executor());
  udp_endpoint client(ctx.get_executor());
  ASSERT_FALSE(server.bind(loopback));
  const auto server_ep = server.local_endpoint();
  EXPECT_NE(server_ep.port(), 0);
  ASSERT_FALSE(client.connect(server_ep));
  EXPECT_TRUE(client.is_open());

  const bytes hello{1, 2, 3, 4, 5};
  ASSERT_FALSE(client.send(hello));
  bytes buf(64);
  asio::ip::udp::endpoint from;
  auto n = run_task(ctx, server.receive_from(buf, from));
  ASSERT_TRUE(n);
  ASSERT_TRUE(*n) << n->error().message();
  EXPECT_EQ(bytes(buf.begin(), buf.begin() + static_cast<long>(**n)), hello);
  EXPECT_EQ(from.port(), client.local_endpoint().port());

  ASSERT_FALSE(server.send_to(bytes{9, 9}, from));
  auto m = run_task(ctx, client.receive(buf));
  ASSERT_TRUE(m);
  ASSERT_TRUE(*m) << m->error().message();
  EXPECT_EQ(**m, 2u);
}

TEST(UdpEndpoint, DatagramThatFillsTheBufferIsReportedAsTooLarge) {
  asio::io_context ctx;
  udp_endpoint a(ctx.get_executor()), b(ctx.get_executor());
  ASSERT_FALSE(a.bind(loopback));
  ASSERT_FALSE(b.connect(a.local_endpoint()));
  ASSERT_FALSE(b.send(bytes(100, 7)));
  ASSERT_FALSE(b.send(bytes(10, 8)));
  bytes buf(16);
  auto first = run_task(ctx, a.receive(buf));
  ASSERT_TRUE(first);
  ASSERT_FALSE(*first);
  EXPECT_EQ(first->error(), std::errc::message_size);
  auto second = run_task(ctx, a.receive(buf));  // the next one is unaffected
  ASSERT_TRUE(second);
  ASSERT_TRUE(*second) << second->error().message();
  EXPECT_EQ(**second, 10u);
}

TEST(UdpEndpoint, CloseEndsAPendingReceive) {
  asio::io_context ctx;
  udp_endpoint a(ctx.get_executor());
  ASSERT_FALSE(a.bind(loopback));
  bytes buf(16);
  std::optional<expected<std::size_t, std::error_code>> result;
  spawn(ctx.get_executor(),
        [](udp_endpoint& a, bytes& buf, auto& result) -> task<void> { result = co_await a.receive(buf); }(a, buf, result),
        "udp test");
  ctx.poll();
  EXPECT_FALSE(result);
  a.close();
  for (int i = 0; i < 100 && !result; ++i) ctx.run_one_for(std::chrono::milliseconds(20));
  ASSERT_TRUE(result);
  ASSERT_FALSE(*result);
  EXPECT_EQ(result->error(), std::errc::operation_canceled);
  EXPECT_FALSE(a.is_open());
}

}  // namespace
}  // namespace vb::voice
