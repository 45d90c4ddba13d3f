#pragma once
// Internal: the local source (files under the configured roots).
#include <filesystem>
#include <memory>
#include <string>

#include "source_util.hpp"
#include "vectobeat/node/track_media.hpp"

namespace vb::node::detail {

// Absolute paths and file:// URLs.
bool is_local_identifier(std::string_view identifier);
// The canonical path when `identifier` names an existing regular file inside one of `roots`
// (symbolic links resolved first, so a link cannot lead outside).
expected<std::filesystem::path, source_error> local_path(std::string_view identifier,
                                                         const std::vector<std::filesystem::path>& roots);

task<lavalink::load_result> load_local(std::shared_ptr<source_context> ctx, std::string identifier);
task<expected<std::unique_ptr<track_media>, source_error>> open_local(std::shared_ptr<source_context> ctx,
                                                                       std::string identifier, std::int64_t start_ms,
                                                                       std::shared_ptr<open_cancel> cancel);

}  // namespace vb::node::detail
