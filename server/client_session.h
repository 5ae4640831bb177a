// The coroutine that serves one client from accept to close: receive, parse every complete
// request in the buffer, execute each in order, queue the replies, repeat.
#pragma once

#include "server/task.h"

namespace tandem {

class Server;

// Takes ownership of `fd`.
Task serve_client(Server& server, int fd);

}  // namespace tandem
