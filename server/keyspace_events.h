// Keyspace notifications (Redis 7.0's notify.c): with `notify-keyspace-events` naming an event's
// class, every change to a key is published to the pub/sub channels
//   __keyspace@<db>__:<key>    with the event name as message (the K flag), and
//   __keyevent@<db>__:<event>  with the key as message (the E flag).
// Commands call this after they changed a key, with Redis's event names ("set", "lpush",
// "expire", "del", ...); the keyspace's own deletions (expired, evicted) and lookups that miss
// notify from their hooks. The messages are not replicated: a replica notifies what it applies.
#pragma once

#include <string_view>

namespace tandem {

class Server;

void notify_keyspace_event(Server& server, int type, std::string_view event,
                           std::string_view key, int db);

}  // namespace tandem
