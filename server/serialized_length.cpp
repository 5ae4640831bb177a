#include "server/serialized_length.h"

#include <string>
#include <string_view>

#include "rdb/encoder.h"
#include "rdb/sink.h"

namespace tandem {
namespace {

class CountingSink final : public rdb::Sink {
 public:
  tl::expected<void, std::string> write(std::string_view data) override {
    bytes_ += data.size();
    return {};
  }
  size_t bytes() const { return bytes_; }

 private:
  size_t bytes_ = 0;
};

}  // namespace

size_t serialized_length(const Value& value, bool compression) {
  CountingSink sink;
  rdb::Encoder encoder(sink, {.compression = compression});
  encoder.typed_value(value);
  (void)encoder.finish();   // counting cannot fail
  return sink.bytes() - 1;  // the type byte is not part of the value
}

}  // namespace tandem
