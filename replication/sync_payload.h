// The framing of the RDB a master sends after +FULLRESYNC, as Redis's readSyncBulkPayload reads
// it: "$<length>\r\n" then exactly that many bytes (a disk-based master sends its dump file), or
// "$EOF:<40 random chars>\r\n" then the RDB followed by the same 40 chars (a diskless master
// streams a snapshot whose size it does not know in advance).
//
// take() is fed what arrives and says how much of it is payload, so bytes that follow the
// payload (the command stream) stay for the caller. The EOF mark is searched across chunk
// boundaries; the bytes of the mark itself are payload here and cut from the file afterwards
// (mark_length()).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "tl/expected.hpp"

namespace tandem {

class SyncPayload {
 public:
  static constexpr size_t kMarkLength = 40;

  // Parses the header line (without its CRLF). Errors are Redis's log texts.
  static tl::expected<SyncPayload, std::string> parse_header(std::string_view line);

  bool diskless() const { return !mark_.empty(); }
  // The announced size; -1 for a diskless transfer.
  int64_t size() const { return size_; }
  int64_t received() const { return received_; }
  bool done() const { return done_; }
  // How many leading bytes of `data` belong to the payload (all of them until it is complete).
  size_t take(std::string_view data);
  // Bytes to cut from the end of what take() accepted: the EOF mark.
  size_t trailer_length() const { return diskless() ? kMarkLength : 0; }

 private:
  int64_t size_ = -1;
  int64_t received_ = 0;
  bool done_ = false;
  std::string mark_;
  std::string tail_;  // the last bytes taken, up to kMarkLength - 1, for a mark split in two
};

}  // namespace tandem
