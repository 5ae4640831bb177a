#include "server/keyspace_events.h"

#include <string>

#include "fmt/format.h"
#include "server/config.h"
#include "server/pubsub.h"
#include "server/server.h"

namespace tandem {

void notify_keyspace_event(Server& server, int type, std::string_view event,
                           std::string_view key, int db) {
  const int flags = server.config().notify_keyspace_events;
  if (!(flags & type)) return;
  if (flags & kNotifyKeyspace) {
    publish(server, PubSubKind::kChannel, fmt::format("__keyspace@{}__:{}", db, key), event);
  }
  if (flags & kNotifyKeyevent) {
    publish(server, PubSubKind::kChannel, fmt::format("__keyevent@{}__:{}", db, event), key);
  }
}

}  // namespace tandem
