#include "server/reply.h"

#include <cmath>

#include "fmt/format.h"
#include "server/command_stats.h"
#include "server/resp_writer.h"

namespace tandem {

std::string format_double(double value) {
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  if (std::isnan(value)) return "nan";
  return fmt::format("{:.17g}", value);
}

void Reply::header(char type, int64_t value) { append_resp_header(*out_, type, value); }

void Reply::simple(std::string_view s) {
  out_->push_back('+');
  out_->append(s);
  out_->append("\r\n");
}

void Reply::error(std::string_view message) {
  if (error_stats_) error_stats_->record(message);
  out_->push_back('-');
  // An error must stay on one line whatever the message carries (Redis does the same).
  for (char c : message) out_->push_back(c == '\r' || c == '\n' ? ' ' : c);
  out_->append("\r\n");
}

void Reply::integer(int64_t value) { header(':', value); }

void Reply::bulk(std::string_view s) {
  header('$', static_cast<int64_t>(s.size()));
  out_->append(s);
  out_->append("\r\n");
}

void Reply::null() { out_->append(resp3_ ? "_\r\n" : "$-1\r\n"); }
void Reply::null_array() { out_->append(resp3_ ? "_\r\n" : "*-1\r\n"); }
void Reply::array(int64_t count) { header('*', count); }
void Reply::map(int64_t pairs) { resp3_ ? header('%', pairs) : header('*', pairs * 2); }
void Reply::set(int64_t count) { header(resp3_ ? '~' : '*', count); }
void Reply::push(int64_t count) { header(resp3_ ? '>' : '*', count); }

void Reply::boolean(bool value) {
  if (resp3_) {
    out_->append(value ? "#t\r\n" : "#f\r\n");
  } else {
    integer(value ? 1 : 0);
  }
}

void Reply::double_value(double value) {
  std::string text = format_double(value);
  if (!resp3_) return bulk(text);
  out_->push_back(',');
  out_->append(text);
  out_->append("\r\n");
}

void Reply::verbatim(std::string_view text, std::string_view format) {
  if (!resp3_) return bulk(text);
  header('=', static_cast<int64_t>(text.size() + format.size() + 1));
  out_->append(format);
  out_->push_back(':');
  out_->append(text);
  out_->append("\r\n");
}

void Reply::insert_header(size_t mark, char type, int64_t value) {
  std::string header;
  append_resp_header(header, type, value);
  out_->insert(mark, header);
}

void Reply::end_deferred_array(size_t mark, int64_t count) { insert_header(mark, '*', count); }

void Reply::end_deferred_map(size_t mark, int64_t pairs) {
  resp3_ ? insert_header(mark, '%', pairs) : insert_header(mark, '*', pairs * 2);
}

}  // namespace tandem
