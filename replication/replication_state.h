// The replication identity every role shares: INFO replication, ROLE, PSYNC and the RDB's
// repl-id/repl-offset AUX fields read it; the master side advances the offset as it feeds the
// stream, the replica side adopts its master's ID and offset.
//
// PSYNC2: after a promotion (REPLICAOF NO ONE) the old ID becomes `replid2`, valid for partial
// resyncs up to `second_repl_offset`, so the former master's other replicas can continue
// against the promoted server instead of syncing fully.
#pragma once

#include <cstdint>
#include <string>

namespace tandem {

// 40 random hex characters, as Redis's getRandomHexChars (replication IDs, run_id).
std::string random_hex_id();

struct ReplicationState {
  std::string replid = random_hex_id();
  std::string replid2 = std::string(40, '0');  // all zeros: no previous ID
  int64_t master_repl_offset = 0;              // bytes of stream produced (or applied) so far
  int64_t second_repl_offset = -1;             // -1: replid2 is not valid

  // Redis's shiftReplicationId: the current ID becomes the secondary one, valid up to the
  // current offset (+1, the first byte it did not produce), and a new ID starts.
  void shift_id() {
    replid2 = replid;
    second_repl_offset = master_repl_offset + 1;
    replid = random_hex_id();
  }
  // Redis's clearReplicationId2.
  void clear_id2() {
    replid2 = std::string(40, '0');
    second_repl_offset = -1;
  }
};

}  // namespace tandem
