#include "replication/sync_payload.h"

#include <gtest/gtest.h>

#include <string>

namespace tandem {
namespace {

const std::string kMark(40, 'm');

TEST(SyncPayloadTest, SizedPayloadTakesExactlyItsLength) {
  auto payload = SyncPayload::parse_header("$10");
  ASSERT_TRUE(payload);
  EXPECT_FALSE(payload->diskless());
  EXPECT_EQ(payload->size(), 10);
  EXPECT_EQ(payload->take("0123"), 4u);
  EXPECT_FALSE(payload->done());
  // The stream that follows the payload is left to the caller.
  EXPECT_EQ(payload->take("456789*1\r\n"), 6u);
  EXPECT_TRUE(payload->done());
  EXPECT_EQ(payload->received(), 10);
  EXPECT_EQ(payload->trailer_length(), 0u);
}

TEST(SyncPayloadTest, EmptySizedPayloadIsDoneAtOnce) {
  auto payload = SyncPayload::parse_header("$0");
  ASSERT_TRUE(payload);
  EXPECT_TRUE(payload->done());
}

TEST(SyncPayloadTest, DisklessPayloadEndsAtTheMark) {
  auto payload = SyncPayload::parse_header("$EOF:" + kMark);
  ASSERT_TRUE(payload);
  EXPECT_TRUE(payload->diskless());
  EXPECT_EQ(payload->take("REDIS0010"), 9u);
  EXPECT_EQ(payload->take("data" + kMark + "*1\r\n"), 4 + 40u);
  EXPECT_TRUE(payload->done());
  EXPECT_EQ(payload->trailer_length(), 40u);
}

TEST(SyncPayloadTest, MarkSplitAcrossChunksIsFound) {
  auto payload = SyncPayload::parse_header("$EOF:" + kMark);
  ASSERT_TRUE(payload);
  EXPECT_EQ(payload->take("body" + kMark.substr(0, 15)), 19u);
  EXPECT_FALSE(payload->done());
  EXPECT_EQ(payload->take(kMark.substr(15, 20)), 20u);
  EXPECT_FALSE(payload->done());
  EXPECT_EQ(payload->take(kMark.substr(35) + "rest"), 5u);
  EXPECT_TRUE(payload->done());
  EXPECT_EQ(payload->received(), 44);
}

TEST(SyncPayloadTest, BadHeadersAreRedisErrors) {
  auto error = SyncPayload::parse_header("-ERR no");
  ASSERT_FALSE(error);
  EXPECT_EQ(error.error(), "MASTER aborted replication with an error: ERR no");
  auto garbage = SyncPayload::parse_header("+OK");
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error(),
            "Bad protocol from MASTER, the first byte is not '$' (we received '+OK'), are you "
            "sure the host and port are right?");
  EXPECT_FALSE(SyncPayload::parse_header("$abc"));
  EXPECT_FALSE(SyncPayload::parse_header("$-5"));
}

}  // namespace
}  // namespace tandem
