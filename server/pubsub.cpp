#include "server/pubsub.h"

#include <algorithm>
#include <iterator>

#include "server/client.h"
#include "server/reply.h"
#include "server/server.h"

namespace tandem {

bool allowed_while_subscribed(std::string_view command_name) {
  static constexpr std::string_view kAllowed[] = {"subscribe",    "ssubscribe", "unsubscribe",
                                                  "sunsubscribe", "psubscribe", "punsubscribe",
                                                  "ping",         "quit",       "reset"};
  return std::find(std::begin(kAllowed), std::end(kAllowed), command_name) != std::end(kAllowed);
}

bool PubSub::subscribe(Client& client, PubSubKind kind, std::string_view name) {
  bool inserted = false;
  clients_[&client][index(kind)].get_or_insert(name, inserted);
  if (!inserted) return false;
  subscribers_[index(kind)].get_or_insert(name, inserted).push_back(&client);
  return true;
}

bool PubSub::unsubscribe(Client& client, PubSubKind kind, std::string_view name) {
  auto it = clients_.find(&client);
  if (it == clients_.end() || !it->second[index(kind)].erase(name)) return false;
  if (std::all_of(it->second.begin(), it->second.end(),
                  [](const auto& names) { return names.empty(); })) {
    clients_.erase(it);
  }
  InsertionOrderedMap<Subscribers>& by_name = subscribers_[index(kind)];
  Subscribers& subscribers = *by_name.find(name);
  std::erase(subscribers, &client);
  if (subscribers.empty()) by_name.erase(name);
  return true;
}

void PubSub::unsubscribe_all(Client& client) {
  auto it = clients_.find(&client);
  if (it == clients_.end()) return;
  for (size_t kind = 0; kind < subscribers_.size(); ++kind) {
    InsertionOrderedMap<Subscribers>& by_name = subscribers_[kind];
    for (const auto& [name, unused] : it->second[kind]) {
      Subscribers& subscribers = *by_name.find(name);
      std::erase(subscribers, &client);
      if (subscribers.empty()) by_name.erase(name);
    }
  }
  clients_.erase(it);
}

std::vector<std::string> PubSub::subscriptions(const Client& client, PubSubKind kind) const {
  std::vector<std::string> out;
  auto it = clients_.find(&client);
  if (it == clients_.end()) return out;
  for (const auto& [name, unused] : it->second[index(kind)]) out.push_back(name);
  return out;
}

size_t PubSub::count(const Client& client, PubSubKind kind) const {
  auto it = clients_.find(&client);
  return it == clients_.end() ? 0 : it->second[index(kind)].size();
}

size_t PubSub::subscribers(PubSubKind kind, std::string_view name) const {
  const Subscribers* subscribers = subscribers_[index(kind)].find(name);
  return subscribers ? subscribers->size() : 0;
}

std::vector<std::string_view> PubSub::names(PubSubKind kind) const {
  std::vector<std::string_view> out;
  for (const auto& [name, unused] : subscribers_[index(kind)]) out.push_back(name);
  return out;
}

std::string& push_buffer(Client& client) {
  return client.holding_pushes ? client.held_pushes : client.conn.output();
}

size_t publish(Server& server, PubSubKind kind, std::string_view channel, std::string_view message,
               const Client* publisher, Reply* publisher_reply) {
  // Encoded once per pattern in RESP2; a RESP3 client gets the same bytes with '>' for '*'.
  std::string encoded;
  const std::string* encoded_pattern = nullptr;
  auto encode = [&](const std::string* pattern) {
    encoded.clear();
    Reply reply(encoded);
    if (pattern) {
      reply.array(4);
      reply.bulk("pmessage");
      reply.bulk(*pattern);
    } else {
      reply.array(3);
      reply.bulk(kind == PubSubKind::kShardChannel ? "smessage" : "message");
    }
    reply.bulk(channel);
    reply.bulk(message);
    encoded_pattern = pattern;
  };
  encode(nullptr);
  return server.pubsub().for_each_receiver(
      kind, channel, [&](Client& client, const std::string* pattern) {
        if (pattern != encoded_pattern) encode(pattern);
        bool own = &client == publisher && publisher_reply && !client.holding_pushes;
        std::string& out = own ? publisher_reply->buffer() : push_buffer(client);
        size_t start = out.size();
        out.append(encoded);
        if (client.resp == 3) out[start] = '>';
        server.queue_write(&client);
      });
}

}  // namespace tandem
