#pragma once
// A small std::expected stand-in (C++23's is not available with g++ 12 in C++20 mode).
// Parsing at the edges returns expected<T, E>; inner code takes the typed value.
#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

namespace vb {

template <class E>
class unexpected {
 public:
  explicit unexpected(E e) : error_(std::move(e)) {}
  const E& error() const& { return error_; }
  E& error() & { return error_; }
  E&& error() && { return std::move(error_); }

 private:
  E error_;
};

template <class E>
unexpected(E) -> unexpected<E>;

template <class T, class E>
class [[nodiscard]] expected {
 public:
  using value_type = T;
  using error_type = E;

  expected() requires std::is_default_constructible_v<T> : v_(std::in_place_index<0>) {}
  expected(const T& v) : v_(std::in_place_index<0>, v) {}
  expected(T&& v) : v_(std::in_place_index<0>, std::move(v)) {}
  template <class U>
    requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::decay_t<U>, expected> &&
             !std::is_same_v<std::decay_t<U>, unexpected<E>>)
  expected(U&& v) : v_(std::in_place_index<0>, std::forward<U>(v)) {}
  template <class G>
  expected(unexpected<G> e) : v_(std::in_place_index<1>, std::move(e).error()) {}

  bool has_value() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& value() & { assert(has_value()); return std::get<0>(v_); }
  const T& value() const& { assert(has_value()); return std::get<0>(v_); }
  T&& value() && { assert(has_value()); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  E& error() & { assert(!has_value()); return std::get<1>(v_); }
  const E& error() const& { assert(!has_value()); return std::get<1>(v_); }
  E&& error() && { assert(!has_value()); return std::get<1>(std::move(v_)); }

  template <class U>
  T value_or(U&& fallback) const& {
    return has_value() ? value() : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  std::variant<T, E> v_;
};

template <class E>
class [[nodiscard]] expected<void, E> {
 public:
  expected() = default;
  template <class G>
  expected(unexpected<G> e) : error_(std::move(e).error()), has_error_(true) {}
  bool has_value() const noexcept { return !has_error_; }
  explicit operator bool() const noexcept { return has_value(); }
  const E& error() const& { assert(has_error_); return error_; }

 private:
  E error_{};
  bool has_error_ = false;
};

}  // namespace vb
