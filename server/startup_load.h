// Loads the dump at start-up on a loading thread while the reactor already serves clients, as
// Redis answers clients between chunks of its load: INFO shows loading:1 and the loading_*
// progress, commands without the `loading` flag get -LOADING (server/dispatch.cpp), nothing
// saves meanwhile (save_rdb refuses, SHUTDOWN and signals exit without saving), and the link to
// a master starts only once the dataset, and the replication history in its AUX fields, is in.
#pragma once

#include "server/task.h"

namespace tandem {

class Server;

// Loads `dir`/`dbfilename` (a missing file is an empty dataset), then starts replication and
// logs "Ready to accept connections". A dump that fails to load stops the server with
// `exit_code` 1, as Redis exits on it.
Task load_dump_then_serve(Server& server, int& exit_code);

}  // namespace tandem
