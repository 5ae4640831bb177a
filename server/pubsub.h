// Pub/sub (Redis 7.0's pubsub.c): which clients listen to which channels, patterns and shard
// channels, and the delivery of published messages to them.
//
// A client is "subscribed" (Redis's CLIENT_PUBSUB flag) while it holds at least one subscription
// of any kind. Then a RESP2 client may only run the commands allowed_while_subscribed() names
// (server/dispatch.cpp), PING answers it with a ["pong", arg] array, it is a "pubsub" client to
// CLIENT LIST TYPE and client-output-buffer-limit, and `timeout` never closes it.
//
// Order: a client's subscriptions are kept in the order it made them, which is the order
// UNSUBSCRIBE & co. without arguments answer in (Redis does so for patterns; for channels and
// shard channels it answers in its dict's hash order, which has a per-process random seed, so no
// client can rely on it). A message reaches the channel's subscribers in the order they
// subscribed, then the subscribers of each matching pattern, patterns in the order they were
// first subscribed (Redis: its dict's order).
//
// Pushes: messages and (un)subscribe confirmations are RESP3 pushes ('>'), plain arrays in RESP2.
// Like Redis 7.0.15 (CLIENT_PUSHING), they reach the client even while CLIENT REPLY OFF/SKIP
// drops its replies; see push_buffer().
//
// Invariants: a client is in clients_ iff it holds a subscription; a name is in
// subscribers_[kind] iff some client holds that subscription; each subscription is listed once
// under its client and once under its name.
// Lifetime: Server::remove_client() calls unsubscribe_all() before a client is destroyed, so no
// pointer held here outlives its client.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/glob.h"
#include "server/insertion_ordered_map.h"

namespace tandem {

class Reply;
class Server;
struct Client;

enum class PubSubKind { kChannel = 0, kPattern = 1, kShardChannel = 2 };

// The commands a RESP2 client may run while subscribed (Redis's processCommand list).
bool allowed_while_subscribed(std::string_view command_name);

class PubSub {
 public:
  // False (and nothing changes) when the client already holds / does not hold the subscription.
  bool subscribe(Client& client, PubSubKind kind, std::string_view name);
  bool unsubscribe(Client& client, PubSubKind kind, std::string_view name);
  // Drops every subscription of the client, without confirmations (RESET, disconnection).
  void unsubscribe_all(Client& client);

  // The client's subscriptions of one kind, in the order it made them.
  std::vector<std::string> subscriptions(const Client& client, PubSubKind kind) const;
  size_t count(const Client& client, PubSubKind kind) const;
  bool subscribed(const Client& client) const { return clients_.contains(&client); }

  // Distinct channels (patterns, shard channels) with at least one subscriber: INFO's
  // pubsub_channels, PUBSUB NUMPAT...
  size_t size(PubSubKind kind) const { return subscribers_[index(kind)].size(); }
  // Subscribers of one channel (pattern, shard channel): PUBSUB NUMSUB.
  size_t subscribers(PubSubKind kind, std::string_view name) const;
  // Every channel (pattern, shard channel) with subscribers, first subscribed first.
  std::vector<std::string_view> names(PubSubKind kind) const;

  // Calls fn(Client&, const std::string* pattern) once per receiver of a message published to
  // `channel`: its subscribers (pattern null), then for a plain channel those of each pattern
  // matching it. Returns how many calls were made (PUBLISH's reply).
  template <typename Fn>
  size_t for_each_receiver(PubSubKind kind, std::string_view channel, Fn&& fn) const {
    size_t receivers = 0;
    if (const Subscribers* direct = subscribers_[index(kind)].find(channel)) {
      for (Client* client : *direct) fn(*client, static_cast<const std::string*>(nullptr));
      receivers += direct->size();
    }
    if (kind != PubSubKind::kChannel) return receivers;
    for (const auto& [pattern, clients] : subscribers_[index(PubSubKind::kPattern)]) {
      if (!glob_match(pattern, channel)) continue;
      for (Client* client : clients) fn(*client, &pattern);
      receivers += clients.size();
    }
    return receivers;
  }

 private:
  using Subscribers = std::vector<Client*>;  // in subscription order
  struct Empty {};
  using ClientSubscriptions = std::array<InsertionOrderedMap<Empty>, 3>;

  static size_t index(PubSubKind kind) { return static_cast<size_t>(kind); }

  std::array<InsertionOrderedMap<Subscribers>, 3> subscribers_;
  std::unordered_map<const Client*, ClientSubscriptions> clients_;
};

// Where pushes to `client` are written: its output buffer, or Client::held_pushes while the
// reply of the command it runs is being dropped (dispatch appends them once it dropped it).
std::string& push_buffer(Client& client);

// PUBLISH / SPUBLISH: delivers the message to every receiver (queued for this loop turn's send)
// and returns how many there were. `publisher`, when given, is the client running the command:
// its own copy goes with its replies through `publisher_reply` (inside EXEC's array too).
size_t publish(Server& server, PubSubKind kind, std::string_view channel, std::string_view message,
               const Client* publisher = nullptr, Reply* publisher_reply = nullptr);

}  // namespace tandem
