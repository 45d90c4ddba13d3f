#include "vectobeat/node/stream_buffer.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>

namespace vb::node {
namespace {

using namespace std::chrono_literals;

std::string read_all(stream_buffer& b, std::size_t n) {
  std::string out(n, '\0');
  auto r = b.read(std::as_writable_bytes(std::span<char>(out)), 1s);
  if (!r) return "<error>";
  out.resize(*r);
  return out;
}

TEST(StreamBuffer, WritesWhatFitsAndReadsInOrderAcrossTheWrap) {
  stream_buffer b(8);
  EXPECT_EQ(b.write(std::string_view("abcdef")), 6u);
  EXPECT_EQ(read_all(b, 4), "abcd");
  EXPECT_EQ(b.write(std::string_view("ghijklmn")), 6u);  // 2 + 6 = full
  EXPECT_EQ(b.free_space(), 0u);
  EXPECT_EQ(read_all(b, 100), "efghijkl");
}

TEST(StreamBuffer, ReadTimesOutThenSeesTheEnd) {
  stream_buffer b(16);
  std::byte tmp[4];
  auto r = b.read(tmp, 10ms);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), stream_buffer::read_error::timeout);
  b.write(std::string_view("xy"));
  b.finish();
  EXPECT_EQ(read_all(b, 4), "xy");
  EXPECT_EQ(read_all(b, 4), "");  // end of data
  EXPECT_EQ(b.write(std::string_view("late")), 0u);
}

TEST(StreamBuffer, AFailureIsReportedAfterTheBufferedBytes) {
  stream_buffer b(16);
  b.write(std::string_view("ok"));
  b.finish(std::make_error_code(std::errc::connection_reset));
  EXPECT_EQ(read_all(b, 4), "ok");
  std::byte tmp[4];
  auto r = b.read(tmp, 10ms);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), stream_buffer::read_error::failed);
}

TEST(StreamBuffer, ReadyGatesOnBufferedBytesOrTheEnd) {
  stream_buffer b(100);
  EXPECT_FALSE(b.ready(10));
  b.write(std::string(9, 'a'));
  EXPECT_FALSE(b.ready(10));
  b.write(std::string_view("b"));
  EXPECT_TRUE(b.ready(10));
  EXPECT_FALSE(b.ready(1000));
  b.write(std::string(90, 'c'));
  EXPECT_TRUE(b.ready(1000));  // a gate above the capacity means "full"
  stream_buffer c(100);
  c.write(std::string_view("z"));
  EXPECT_FALSE(c.ready(50));
  c.finish();
  EXPECT_TRUE(c.ready(50));
}

TEST(StreamBuffer, ABlockedReaderWakesOnDataAndOnClose) {
  stream_buffer b(16);
  std::string got;
  std::thread reader([&] { got = read_all(b, 16); });
  std::this_thread::yield();
  b.write(std::string_view("hello"));
  reader.join();
  EXPECT_EQ(got, "hello");

  std::atomic<int> err{-1};
  std::thread waiter([&] {
    std::byte tmp[4];
    auto r = b.read(tmp, 10s);
    err = r ? 0 : static_cast<int>(r.error());
  });
  b.close();
  waiter.join();
  EXPECT_EQ(err.load(), static_cast<int>(stream_buffer::read_error::closed));
}

TEST(StreamBuffer, SpaceListenerFiresOnceAfterTheProducerAsked) {
  stream_buffer b(4);
  int calls = 0;
  b.set_space_listener([&] { ++calls; });
  b.write(std::string_view("abcd"));
  EXPECT_TRUE(b.want_space());
  EXPECT_EQ(read_all(b, 1), "a");
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(read_all(b, 1), "b");
  EXPECT_EQ(calls, 1);  // not asked again
  EXPECT_FALSE(b.want_space());  // space is free: nothing to wait for
  EXPECT_EQ(b.skip(10), 2u);
  EXPECT_EQ(b.available(), 0u);
}

}  // namespace
}  // namespace vb::node
