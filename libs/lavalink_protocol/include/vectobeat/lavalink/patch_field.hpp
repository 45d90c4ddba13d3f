#pragma once
// A PATCH field that is either omitted or present with a value (LL `omissible.kt`).
// Where JSON `null` means something, T is itself std::optional: patch_field<std::optional<T>>
// distinguishes "absent" (omitted), "null" (present(nullopt)) and "value" (present(v)).
#include <cassert>
#include <optional>
#include <utility>

namespace vb::lavalink {

template <class T>
class patch_field {
 public:
  using value_type = T;

  patch_field() = default;  // omitted
  patch_field(T value) : value_(std::move(value)) {}  // NOLINT: implicit on purpose, `u.volume = 50;`

  bool present() const noexcept { return value_.has_value(); }
  bool omitted() const noexcept { return !value_.has_value(); }
  explicit operator bool() const noexcept { return present(); }

  // Precondition: present().
  const T& value() const& { assert(present()); return *value_; }
  T& value() & { assert(present()); return *value_; }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  // nullptr when omitted.
  const T* get() const noexcept { return value_ ? &*value_ : nullptr; }

  template <class U>
  T value_or(U&& fallback) const {
    return value_ ? *value_ : static_cast<T>(std::forward<U>(fallback));
  }

  void reset() noexcept { value_.reset(); }
  template <class... Args>
  T& emplace(Args&&... args) { return value_.emplace(std::forward<Args>(args)...); }

  friend bool operator==(const patch_field&, const patch_field&) = default;

 private:
  std::optional<T> value_;
};

}  // namespace vb::lavalink
