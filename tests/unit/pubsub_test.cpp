// Tests for the subscription registry of server/pubsub.h: subscription order, counts per kind,
// the receivers of a message (channel subscribers first, then each matching pattern's), and the
// clean-up that leaves no name without subscribers behind.
#include "server/pubsub.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "server/client.h"
#include "server/reactor.h"

namespace tandem {
namespace {

class PubSubTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto created = Reactor::create();
    ASSERT_TRUE(created) << created.error();
    reactor_ = std::move(*created);
    for (uint64_t id = 1; id <= 3; ++id) {
      clients_.push_back(std::make_unique<Client>(*reactor_, -1, id));
    }
  }

  Client& client(size_t i) { return *clients_[i]; }

  // (client id, pattern or "") per receiver of a message, in delivery order.
  std::vector<std::pair<uint64_t, std::string>> receivers(PubSubKind kind,
                                                          std::string_view channel) {
    std::vector<std::pair<uint64_t, std::string>> out;
    size_t count = pubsub_.for_each_receiver(kind, channel, [&](Client& c, const std::string* p) {
      out.emplace_back(c.id, p ? *p : "");
    });
    EXPECT_EQ(count, out.size());
    return out;
  }

  std::unique_ptr<Reactor> reactor_;
  std::vector<std::unique_ptr<Client>> clients_;
  PubSub pubsub_;
};

using Receivers = std::vector<std::pair<uint64_t, std::string>>;

TEST_F(PubSubTest, SubscriptionsKeepTheOrderTheyWereMade) {
  for (const char* name : {"zeta", "alpha", "mid", "alpha"}) {
    pubsub_.subscribe(client(0), PubSubKind::kChannel, name);
  }
  EXPECT_EQ(pubsub_.subscriptions(client(0), PubSubKind::kChannel),
            (std::vector<std::string>{"zeta", "alpha", "mid"}));
  pubsub_.unsubscribe(client(0), PubSubKind::kChannel, "alpha");
  pubsub_.subscribe(client(0), PubSubKind::kChannel, "alpha");
  EXPECT_EQ(pubsub_.subscriptions(client(0), PubSubKind::kChannel),
            (std::vector<std::string>{"zeta", "mid", "alpha"}));
}

TEST_F(PubSubTest, SubscribeAndUnsubscribeReportWhetherAnythingChanged) {
  EXPECT_TRUE(pubsub_.subscribe(client(0), PubSubKind::kPattern, "a*"));
  EXPECT_FALSE(pubsub_.subscribe(client(0), PubSubKind::kPattern, "a*"));
  EXPECT_FALSE(pubsub_.unsubscribe(client(0), PubSubKind::kPattern, "b*"));
  EXPECT_FALSE(pubsub_.unsubscribe(client(1), PubSubKind::kPattern, "a*"));
  EXPECT_FALSE(pubsub_.unsubscribe(client(0), PubSubKind::kChannel, "a*"));
  EXPECT_TRUE(pubsub_.unsubscribe(client(0), PubSubKind::kPattern, "a*"));
  EXPECT_FALSE(pubsub_.subscribed(client(0)));
}

TEST_F(PubSubTest, KindsAreSeparateNamespaces) {
  pubsub_.subscribe(client(0), PubSubKind::kChannel, "news");
  pubsub_.subscribe(client(0), PubSubKind::kShardChannel, "news");
  pubsub_.subscribe(client(0), PubSubKind::kPattern, "news");
  EXPECT_EQ(pubsub_.count(client(0), PubSubKind::kChannel), 1u);
  EXPECT_EQ(pubsub_.count(client(0), PubSubKind::kPattern), 1u);
  EXPECT_EQ(pubsub_.count(client(0), PubSubKind::kShardChannel), 1u);
  EXPECT_EQ(pubsub_.size(PubSubKind::kChannel), 1u);
  EXPECT_EQ(pubsub_.size(PubSubKind::kShardChannel), 1u);
  // A shard message reaches shard subscribers only, never patterns.
  EXPECT_EQ(receivers(PubSubKind::kShardChannel, "news"), (Receivers{{1, ""}}));
  EXPECT_EQ(receivers(PubSubKind::kChannel, "news"), (Receivers{{1, ""}, {1, "news"}}));
}

TEST_F(PubSubTest, ChannelSubscribersFirstThenEachMatchingPattern) {
  pubsub_.subscribe(client(1), PubSubKind::kChannel, "h.1");
  pubsub_.subscribe(client(0), PubSubKind::kChannel, "h.1");
  pubsub_.subscribe(client(2), PubSubKind::kPattern, "h.*");
  pubsub_.subscribe(client(0), PubSubKind::kPattern, "x*");
  pubsub_.subscribe(client(0), PubSubKind::kPattern, "h.[0-9]");
  pubsub_.subscribe(client(1), PubSubKind::kPattern, "h.*");
  EXPECT_EQ(receivers(PubSubKind::kChannel, "h.1"),
            (Receivers{{2, ""}, {1, ""}, {3, "h.*"}, {2, "h.*"}, {1, "h.[0-9]"}}));
  EXPECT_EQ(receivers(PubSubKind::kChannel, "h.x"), (Receivers{{3, "h.*"}, {2, "h.*"}}));
  EXPECT_EQ(receivers(PubSubKind::kChannel, "nobody"), Receivers{});
}

TEST_F(PubSubTest, ServerWideCountsFollowTheLastSubscriber) {
  pubsub_.subscribe(client(0), PubSubKind::kChannel, "a");
  pubsub_.subscribe(client(1), PubSubKind::kChannel, "a");
  pubsub_.subscribe(client(1), PubSubKind::kChannel, "b");
  pubsub_.subscribe(client(0), PubSubKind::kPattern, "p*");
  pubsub_.subscribe(client(1), PubSubKind::kPattern, "p*");
  EXPECT_EQ(pubsub_.subscribers(PubSubKind::kChannel, "a"), 2u);
  EXPECT_EQ(pubsub_.subscribers(PubSubKind::kChannel, "c"), 0u);
  EXPECT_EQ(pubsub_.size(PubSubKind::kPattern), 1u);  // distinct patterns, as PUBSUB NUMPAT
  EXPECT_EQ(pubsub_.names(PubSubKind::kChannel), (std::vector<std::string_view>{"a", "b"}));

  pubsub_.unsubscribe(client(0), PubSubKind::kChannel, "a");
  EXPECT_EQ(pubsub_.subscribers(PubSubKind::kChannel, "a"), 1u);
  pubsub_.unsubscribe_all(client(1));
  EXPECT_EQ(pubsub_.names(PubSubKind::kChannel), std::vector<std::string_view>{});
  EXPECT_EQ(pubsub_.size(PubSubKind::kPattern), 1u);
  EXPECT_FALSE(pubsub_.subscribed(client(1)));
  EXPECT_TRUE(pubsub_.subscribed(client(0)));
  pubsub_.unsubscribe_all(client(0));
  EXPECT_EQ(pubsub_.size(PubSubKind::kPattern), 0u);
  EXPECT_FALSE(pubsub_.subscribed(client(0)));
  EXPECT_EQ(pubsub_.subscriptions(client(0), PubSubKind::kPattern), std::vector<std::string>{});
}

TEST_F(PubSubTest, NamesAreBinarySafe) {
  std::string name("a\0b", 3);
  pubsub_.subscribe(client(0), PubSubKind::kChannel, name);
  EXPECT_EQ(pubsub_.subscribers(PubSubKind::kChannel, "a"), 0u);
  EXPECT_EQ(pubsub_.subscribers(PubSubKind::kChannel, name), 1u);
  EXPECT_EQ(receivers(PubSubKind::kChannel, name).size(), 1u);
}

TEST(PubSubCommandsTest, OnlySubscriptionCommandsPingQuitAndResetWhileSubscribed) {
  for (const char* name : {"subscribe", "ssubscribe", "unsubscribe", "sunsubscribe", "psubscribe",
                           "punsubscribe", "ping", "quit", "reset"}) {
    EXPECT_TRUE(allowed_while_subscribed(name)) << name;
  }
  for (const char* name : {"publish", "get", "client|list", "hello", "multi", "pubsub|numsub"}) {
    EXPECT_FALSE(allowed_while_subscribed(name)) << name;
  }
}

}  // namespace
}  // namespace tandem
