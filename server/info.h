// The INFO report: Redis 7.0's sections, field names, field order and formatting, built from
// the server's live state.
//
// Format (as genRedisInfoString): each section is "# Name\r\n" followed by "field:value\r\n"
// lines; sections are separated by one empty line ("\r\n"); there is no trailing empty line.
// Sections always come in Redis's fixed order whatever order they were asked in. Section
// arguments are case-insensitive; "default" (also no argument) is server, clients, memory,
// persistence, stats, replication, cpu, modules, errorstats, cluster and keyspace; "all" and
// "everything" add commandstats and latencystats; an unknown name adds nothing.
//
// Fields tandem does not track yet are still reported (with Redis's idle value) so that clients
// and tools that parse INFO find every field they expect; see docs in info.cpp for which ones.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace tandem {

class Server;

// `sections` are INFO's arguments (without the command name).
std::string build_info(Server& server, std::span<const std::string_view> sections);

// INFO's total_error_replies.
uint64_t total_error_replies(Server& server);

// CONFIG RESETSTAT: zeroes the counters Redis's resetServerStats zeroes (connections, commands,
// hits/misses, expired keys, rejected connections, network bytes, error replies, and the
// instantaneous rates). rdb_changes_since_last_save is not a statistic and is kept.
void reset_info_stats(Server& server);

// Redis's bytesToHuman: "1023B", "1.00K", "1.50M", ... with two decimals.
std::string bytes_to_human(uint64_t bytes);

}  // namespace tandem
