// Hash: listpack and hashtable encodings and the conversion between them (see storage/hash.h).
#include "storage/hash.h"

namespace tandem {

namespace {

// Redis's LISTPACK_MAX_SAFETY_SIZE: a listpack is never grown past 1 GB.
constexpr size_t kListpackMaxSafetySize = size_t{1} << 30;

}  // namespace

const char* Hash::encoding_name() const { return dict_ ? "hashtable" : "listpack"; }

size_t Hash::size() const { return dict_ ? dict_->size() : listpack_.size() / 2; }

size_t Hash::memory_usage() const {
  if (!dict_) return sizeof(Hash) + listpack_.bytes_size();
  // Entries (node, key, value and their heap buffers) plus the bucket arrays.
  size_t total = sizeof(Hash) + sizeof(Dict<std::string>) + dict_->bucket_count() * sizeof(void*);
  dict_->for_each([&](const Dict<std::string>::Entry& e) {
    total += Dict<std::string>::entry_bytes(e);
    if (e.value.capacity() > 15) total += e.value.capacity() + 1;
  });
  return total;
}

std::shared_ptr<Collection> Hash::clone() const {
  auto copy = std::make_shared<Hash>();
  if (!dict_) {
    copy->listpack_ = listpack_;
    return copy;
  }
  copy->dict_ = std::make_unique<Dict<std::string>>(dict_->shared_copy());
  return copy;
}

Listpack::Pos Hash::find_field(std::string_view field) const {
  const Listpack::Pos first = listpack_.first();
  return first == Listpack::kEnd ? Listpack::kEnd : listpack_.find(first, field, 1);
}

std::optional<std::string_view> Hash::get(std::string_view field, std::string& scratch) const {
  if (dict_) {
    const auto* e = std::as_const(*dict_).find(field);
    if (!e) return std::nullopt;
    return std::string_view(e->value);
  }
  const Listpack::Pos p = find_field(field);
  if (p == Listpack::kEnd) return std::nullopt;
  return view(listpack_.get(listpack_.next(p)), scratch);
}

bool Hash::contains(std::string_view field) const {
  if (dict_) return std::as_const(*dict_).find(field) != nullptr;
  return find_field(field) != Listpack::kEnd;
}

bool Hash::set(std::string_view field, std::string_view value, const Limits& limits) {
  if (!dict_ &&
      (field.size() > limits.max_listpack_value || value.size() > limits.max_listpack_value ||
       listpack_.bytes_size() + field.size() + value.size() > kListpackMaxSafetySize)) {
    convert_to_hashtable();
  }
  if (dict_) {
    auto [entry, inserted] = dict_->try_emplace(field, value);
    if (!inserted) entry->value.assign(value);
    return inserted;
  }
  const Listpack::Pos p = find_field(field);
  if (p != Listpack::kEnd) {
    listpack_.replace(listpack_.next(p), value);
    return false;
  }
  listpack_.push_back(field);
  listpack_.push_back(value);
  if (size() > limits.max_listpack_entries) convert_to_hashtable();
  return true;
}

bool Hash::erase(std::string_view field) {
  if (dict_) return dict_->erase(field);
  const Listpack::Pos p = find_field(field);
  if (p == Listpack::kEnd) return false;
  // The field and its value: erase() returns the value's new position, which is p.
  listpack_.erase(listpack_.erase(p));
  return true;
}

void Hash::convert_to_hashtable() {
  if (dict_) return;
  auto dict = std::make_unique<Dict<std::string>>();
  // The dict may share its nodes with a clone for ever (COPY), so its rehash must not wait for
  // them (see "Shared copies" in storage/dict.h).
  dict->set_rehash_copies_shared(true);
  dict->expand(size());
  for_each([&](std::string_view f, std::string_view v) { dict->try_emplace(f, v); });
  dict_ = std::move(dict);
  listpack_.clear();
}

std::pair<std::string, std::string> Hash::random_pair(std::mt19937_64& rng) const {
  if (!dict_) {
    const size_t n = size();
    const int64_t i = static_cast<int64_t>(std::uniform_int_distribution<size_t>(0, n - 1)(rng));
    const Listpack::Pos p = listpack_.seek(2 * i);
    return {listpack_.get(p).to_string(), listpack_.get(listpack_.next(p)).to_string()};
  }
  // A SCAN step from a random bucket of the main table visits exactly that bucket (and, while
  // rehashing, the matching buckets of the other table); pick one of its entries. Dict's own
  // random_entry would advance a rehash, which a const read must not do.
  std::vector<const Dict<std::string>::Entry*> found;
  const size_t buckets = dict_->bucket_count();
  for (;;) {
    found.clear();
    const uint64_t cursor = std::uniform_int_distribution<uint64_t>(0, buckets - 1)(rng);
    dict_->scan(cursor, [&](const Dict<std::string>::Entry& e) { found.push_back(&e); });
    if (found.empty()) continue;
    const auto* e = found[std::uniform_int_distribution<size_t>(0, found.size() - 1)(rng)];
    return {std::string(e->key), e->value};
  }
}

std::vector<std::pair<std::string, std::string>> Hash::pairs() const {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(size());
  for_each([&](std::string_view f, std::string_view v) { out.emplace_back(f, v); });
  return out;
}

}  // namespace tandem
