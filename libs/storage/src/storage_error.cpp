#include "vectobeat/storage/storage_error.hpp"

namespace vb::storage {

namespace {

class category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "vb.storage"; }
  std::string message(int ev) const override {
    switch (static_cast<storage_errc>(ev)) {
      case storage_errc::invalid_argument: return "invalid value";
      case storage_errc::unavailable: return "storage backend unavailable";
      case storage_errc::io: return "storage operation failed";
      case storage_errc::corrupt: return "stored data is damaged";
      case storage_errc::incompatible: return "database is not compatible";
    }
    return "unknown storage error " + std::to_string(ev);
  }
};

}  // namespace

const std::error_category& storage_category() noexcept {
  static const category c;
  return c;
}

std::error_code make_error_code(storage_errc e) noexcept { return {static_cast<int>(e), storage_category()}; }

std::string_view to_string(storage_errc e) noexcept {
  switch (e) {
    case storage_errc::invalid_argument: return "invalid_argument";
    case storage_errc::unavailable: return "unavailable";
    case storage_errc::io: return "io";
    case storage_errc::corrupt: return "corrupt";
    case storage_errc::incompatible: return "incompatible";
  }
  return "unknown";
}

}  // namespace vb::storage
