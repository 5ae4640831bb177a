// MEMORY: USAGE (one key's bytes, server/object_size.h), STATS and DOCTOR (where the server's
// memory goes, server/memory_overhead.h), MALLOC-STATS and PURGE (the allocator), HELP, with
// Redis 7.0's reply shapes and errors.
//
// tandem allocates through glibc's malloc, so the allocator answers are glibc's: MALLOC-STATS is
// malloc_info()'s report and PURGE is malloc_trim(), where Redis built with jemalloc prints and
// purges jemalloc's arenas.
#include <malloc.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "fmt/format.h"
#include "server/args.h"
#include "server/command_context.h"
#include "server/errors.h"
#include "server/help_reply.h"
#include "server/memory_overhead.h"
#include "server/object_size.h"

namespace tandem {
namespace {

// MEMORY USAGE key [SAMPLES count]: like Redis, any key still in the table counts (also one past
// its TTL that nothing reclaimed yet), without touching it.
void memory_usage_command(CommandContext& ctx) {
  int64_t samples = kDefaultMemorySamples;
  for (size_t j = 3; j < ctx.argc(); ++j) {
    if (!iequals(ctx.args[j], "samples") || j + 1 >= ctx.argc()) {
      return ctx.reply.error(kSyntaxError);
    }
    if (!parse_int64(ctx.args[j + 1], samples)) return ctx.reply.error(kNotIntegerError);
    if (samples < 0) return ctx.reply.error(kSyntaxError);
    if (samples == 0) samples = INT64_MAX;  // 0 samples everything
    ++j;
  }
  Database::Entry* entry = ctx.db().peek(ctx.args[2], 0);
  if (!entry) return ctx.reply.null();
  ctx.reply.integer(static_cast<int64_t>(key_memory_usage(*entry, static_cast<size_t>(samples))));
}

void memory_stats_command(CommandContext& ctx) {
  MemoryOverhead mh = memory_overhead(ctx.server);
  Reply& reply = ctx.reply;
  auto integer = [&](std::string_view name, uint64_t value) {
    reply.bulk(name);
    reply.integer(static_cast<int64_t>(value));
  };
  auto real = [&](std::string_view name, float value) {
    reply.bulk(name);
    reply.double_value(value);
  };
  reply.map(27 + static_cast<int64_t>(mh.dbs.size()));
  integer("peak.allocated", mh.peak_allocated);
  integer("total.allocated", mh.total_allocated);
  integer("startup.allocated", mh.startup_allocated);
  integer("replication.backlog", 0);
  integer("clients.slaves", 0);
  integer("clients.normal", mh.clients_normal);
  integer("cluster.links", 0);
  integer("aof.buffer", 0);
  integer("lua.caches", 0);
  integer("functions.caches", 0);
  for (const MemoryOverhead::Db& db : mh.dbs) {
    reply.bulk(fmt::format("db.{}", db.index));
    reply.map(3);
    integer("overhead.hashtable.main", db.main_table);
    integer("overhead.hashtable.expires", db.expires_table);
    integer("overhead.hashtable.slot-to-keys", 0);
  }
  integer("overhead.total", mh.overhead_total);
  integer("keys.count", mh.total_keys);
  integer("keys.bytes-per-key", mh.bytes_per_key);
  integer("dataset.bytes", mh.dataset);
  real("dataset.percentage", mh.dataset_perc);
  real("peak.percentage", mh.peak_perc);
  integer("allocator.allocated", mh.allocator_allocated);
  integer("allocator.active", mh.allocator_active);
  integer("allocator.resident", mh.allocator_resident);
  real("allocator-fragmentation.ratio", mh.allocator_frag());
  integer("allocator-fragmentation.bytes", static_cast<uint64_t>(mh.allocator_frag_bytes()));
  real("allocator-rss.ratio", mh.allocator_rss());
  integer("allocator-rss.bytes", static_cast<uint64_t>(mh.allocator_rss_bytes()));
  real("rss-overhead.ratio", mh.rss_extra());
  integer("rss-overhead.bytes", static_cast<uint64_t>(mh.rss_extra_bytes()));
  real("fragmentation", mh.total_frag());
  integer("fragmentation.bytes", static_cast<uint64_t>(mh.total_frag_bytes()));
}

// Redis's getMemoryDoctorReport, its thresholds and its texts.
std::string doctor_report(Server& server) {
  MemoryOverhead mh = memory_overhead(server);
  constexpr int64_t kTenMegabytes = 10 << 20;
  if (mh.total_allocated < 5 * 1024 * 1024) {
    return "Hi Sam, this instance is empty or is using very little memory, my issues detector "
           "can't be used in these conditions. Please, leave for your mission on Earth and fill "
           "it with some data. The new Sam and I will be back to our programming as soon as I "
           "finished rebooting.\n";
  }
  std::string issues;
  if (static_cast<float>(mh.peak_allocated) / static_cast<float>(mh.total_allocated) > 1.5) {
    issues +=
        " * Peak memory: In the past this instance used more than 150% the memory that is "
        "currently using. The allocator is normally not able to release memory after a peak, so "
        "you can expect to see a big fragmentation ratio, however this is actually harmless and "
        "is only due to the memory peak, and if the Redis instance Resident Set Size (RSS) is "
        "currently bigger than expected, the memory will be used as soon as you fill the Redis "
        "instance with more data. If the memory peak was only occasional and you want to try to "
        "reclaim memory, please try the MEMORY PURGE command, otherwise the only other option is "
        "to shutdown and restart the instance.\n\n";
  }
  if (mh.total_frag() > 1.4 && mh.total_frag_bytes() > kTenMegabytes) {
    issues +=
        " * High total RSS: This instance has a memory fragmentation and RSS overhead greater "
        "than 1.4 (this means that the Resident Set Size of the Redis process is much larger "
        "than the sum of the logical allocations Redis performed). This problem is usually due "
        "either to a large peak memory (check if there is a peak memory entry above in the "
        "report) or may result from a workload that causes the allocator to fragment memory a "
        "lot. If the problem is a large peak memory, then there is no issue. Otherwise, make "
        "sure you are using the Jemalloc allocator and not the default libc malloc. Note: The "
        "currently used allocator is \"libc\".\n\n";
  }
  if (mh.allocator_frag() > 1.1 && mh.allocator_frag_bytes() > kTenMegabytes) {
    issues +=
        " * High allocator fragmentation: This instance has an allocator external "
        "fragmentation greater than 1.1. This problem is usually due either to a large peak "
        "memory (check if there is a peak memory entry above in the report) or may result from "
        "a workload that causes the allocator to fragment memory a lot. You can try enabling "
        "'activedefrag' config option.\n\n";
  }
  if (mh.allocator_rss() > 1.1 && mh.allocator_rss_bytes() > kTenMegabytes) {
    issues +=
        " * High allocator RSS overhead: This instance has an RSS memory overhead is greater "
        "than 1.1 (this means that the Resident Set Size of the allocator is much larger than "
        "the sum what the allocator actually holds). This problem is usually due to a large "
        "peak memory (check if there is a peak memory entry above in the report), you can try "
        "the MEMORY PURGE command to reclaim it.\n\n";
  }
  if (mh.rss_extra() > 1.1 && mh.rss_extra_bytes() > kTenMegabytes) {
    issues +=
        " * High process RSS overhead: This instance has non-allocator RSS memory overhead is "
        "greater than 1.1 (this means that the Resident Set Size of the Redis process is much "
        "larger than the RSS the allocator holds). This problem may be due to Lua scripts or "
        "Modules.\n\n";
  }
  size_t clients = std::max<size_t>(server.clients().size(), 1);
  if (mh.clients_normal / clients > 1024 * 200) {
    issues +=
        " * Big client buffers: The clients output buffers in this instance are greater than "
        "200K per client (on average). This may result from different causes, like Pub/Sub "
        "clients subscribed to channels bot not receiving data fast enough, so that data piles "
        "on the Redis instance output buffer, or clients sending commands with large replies or "
        "very large sequences of commands in the same pipeline. Please use the CLIENT LIST "
        "command in order to investigate the issue if it causes problems in your instance, or "
        "to understand better why certain clients are using a big amount of memory.\n\n";
  }
  if (issues.empty()) {
    return "Hi Sam, I can't find any memory issue in your instance. I can only account for what "
           "occurs on this base.\n";
  }
  return "Sam, I detected a few issues in this Redis instance memory implants:\n\n" + issues +
         "I'm here to keep you safe, Sam. I want to help you.\n";
}

void memory_doctor_command(CommandContext& ctx) { ctx.reply.verbatim(doctor_report(ctx.server)); }

// glibc's own report (XML), the counterpart of Redis's jemalloc statistics.
void memory_malloc_stats_command(CommandContext& ctx) {
  char* text = nullptr;
  size_t length = 0;
  FILE* stream = open_memstream(&text, &length);
  if (stream) {
    malloc_info(0, stream);
    std::fclose(stream);
  }
  ctx.reply.verbatim(text ? std::string_view(text, length) : std::string_view());
  std::free(text);
}

void memory_purge_command(CommandContext& ctx) {
  malloc_trim(0);  // returns free heap pages to the system, as jemalloc's purge does
  ctx.reply.ok();
}

constexpr std::string_view kMemoryHelp[] = {
    "DOCTOR",
    "    Return memory problems reports.",
    "MALLOC-STATS",
    "    Return internal statistics report from the memory allocator.",
    "PURGE",
    "    Attempt to purge dirty pages for reclamation by the allocator.",
    "STATS",
    "    Return information about the memory usage of the server.",
    "USAGE <key> [SAMPLES <count>]",
    "    Return memory in bytes used by <key> and its value. Nested values are",
    "    sampled up to <count> times (default: 5, 0 means sample all).",
};

void memory_help_command(CommandContext& ctx) { reply_help(ctx.reply, "MEMORY", kMemoryHelp); }

}  // namespace

void register_memory_commands(CommandTable& table) {
  constexpr std::string_view kShardTips =
      "nondeterministic_output request_policy:all_shards response_policy:special";
  constexpr std::string_view kSlow = "Depends on how much memory is allocated, could be slow";
  table.add({.name = "memory",
             .arity = -2,
             .flags = 0,
             .handler = memory_help_command,
             .group = "server",
             .summary = "A container for memory diagnostics commands",
             .since = "4.0.0",
             .complexity = "Depends on subcommand.",
             .acl_categories = "@slow",
             .subcommands = {
                 {.name = "memory|usage",
                  .arity = -3,
                  .flags = kCmdReadonly,
                  .first_key = 2,
                  .last_key = 2,
                  .key_step = 1,
                  .handler = memory_usage_command,
                  .group = "server",
                  .summary = "Estimate the memory usage of a key",
                  .since = "4.0.0",
                  .complexity = "O(N) where N is the number of samples.",
                  .acl_categories = "@read @slow",
                  .key_specs = {{.flags = "RO", .begin_index = 2}},
                  .args = "key [SAMPLES count]"},
                 {.name = "memory|help",
                  .arity = 2,
                  .flags = kCmdLoading | kCmdStale,
                  .handler = memory_help_command,
                  .group = "server",
                  .summary = "Show helpful text about the different subcommands",
                  .since = "4.0.0",
                  .acl_categories = "@slow"},
                 {.name = "memory|malloc-stats",
                  .arity = 2,
                  .flags = 0,
                  .handler = memory_malloc_stats_command,
                  .group = "server",
                  .summary = "Show allocator internal stats",
                  .since = "4.0.0",
                  .complexity = kSlow,
                  .acl_categories = "@slow",
                  .tips = kShardTips},
                 {.name = "memory|stats",
                  .arity = 2,
                  .flags = 0,
                  .handler = memory_stats_command,
                  .group = "server",
                  .summary = "Show memory usage details",
                  .since = "4.0.0",
                  .acl_categories = "@slow",
                  .tips = kShardTips},
                 {.name = "memory|purge",
                  .arity = 2,
                  .flags = 0,
                  .handler = memory_purge_command,
                  .group = "server",
                  .summary = "Ask the allocator to release memory",
                  .since = "4.0.0",
                  .complexity = kSlow,
                  .acl_categories = "@slow",
                  .tips = "request_policy:all_shards response_policy:all_succeeded"},
                 {.name = "memory|doctor",
                  .arity = 2,
                  .flags = 0,
                  .handler = memory_doctor_command,
                  .group = "server",
                  .summary = "Outputs memory problems report",
                  .since = "4.0.0",
                  .acl_categories = "@slow",
                  .tips = kShardTips},
             }});
}

}  // namespace tandem
