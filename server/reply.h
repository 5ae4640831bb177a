// Encodes replies in RESP2 or RESP3 into a client's output buffer.
//
// Commands describe what they answer (a map, a set, a double, a null) and this class picks the
// wire form for the client's protocol version, as Redis's addReply* family does: in RESP2 a map
// is a flat array, a double a bulk string, a boolean an integer; in RESP3 each has its own type.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tandem {

class ErrorStats;

class Reply {
 public:
  explicit Reply(std::string& out) : out_(&out) {}

  void set_protocol(int version) { resp3_ = version == 3; }
  bool resp3() const { return resp3_; }
  std::string& buffer() { return *out_; }

  void simple(std::string_view s);
  // `message` is the full error text without the leading '-', e.g. "ERR syntax error".
  void error(std::string_view message);
  void ok() { out_->append("+OK\r\n"); }
  void integer(int64_t value);
  void bulk(std::string_view s);
  void null();        // missing value: $-1 / _
  void null_array();  // missing aggregate: *-1 / _
  void array(int64_t count);
  void map(int64_t pairs);
  void set(int64_t count);
  void push(int64_t count);
  void boolean(bool value);
  void double_value(double value);
  void verbatim(std::string_view text, std::string_view format = "txt");

  // For aggregates whose length is known only after writing their elements.
  size_t begin_deferred() const { return out_->size(); }
  void end_deferred_array(size_t mark, int64_t count);
  void end_deferred_map(size_t mark, int64_t pairs);

  // Every error this reply writes is counted there (INFO errorstats); may be null.
  void set_error_stats(ErrorStats* stats) { error_stats_ = stats; }

 private:
  void header(char type, int64_t value);
  void insert_header(size_t mark, char type, int64_t value);

  std::string* out_;
  bool resp3_ = false;
  ErrorStats* error_stats_ = nullptr;
};

// Redis's human-friendly double formatting (%.17g, with inf/-inf/nan spelled as Redis does).
std::string format_double(double value);

}  // namespace tandem
