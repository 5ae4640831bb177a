// Config: defaults, parsing and error texts as Redis 7.0.15 has them (each expectation was checked
// against a real redis-server), CONFIG GET/SET semantics, hooks and CONFIG REWRITE.
#include "server/config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace tandem {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

std::string cwd() {
  char buf[PATH_MAX];
  return ::getcwd(buf, sizeof(buf)) ? buf : "";
}

// Every test runs in a fresh temporary directory and leaves the process where it found it, since
// `dir` chdir()s.
class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    original_dir_ = cwd();
    char pattern[] = "/tmp/tandem-config-test-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    temp_dir_ = pattern;
  }
  void TearDown() override {
    ASSERT_EQ(::chdir(original_dir_.c_str()), 0);
    std::filesystem::remove_all(temp_dir_);
  }

  std::string write_file(const std::string& name, const std::string& content) {
    std::string path = temp_dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  static std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  static std::string get1(const Config& config, const std::string& name) {
    auto result = config.get(name);
    return result.size() == 1 ? result[0].second : "<" + std::to_string(result.size()) + ">";
  }

  static tl::expected<void, std::string> set1(Config& config, const std::string& name,
                                              const std::string& value) {
    Pairs pairs{{name, value}};
    return config.set(pairs);
  }

  std::string original_dir_;
  std::string temp_dir_;
};

TEST_F(ConfigTest, DefaultsAreRedis70BuiltIns) {
  Config config;
  EXPECT_EQ(config.port, 6379);
  EXPECT_EQ(config.bind, (std::vector<std::string>{"127.0.0.1", "-::1"}));  // ours: loopback
  EXPECT_TRUE(config.protected_mode);
  EXPECT_EQ(config.tcp_backlog, 511);
  EXPECT_EQ(config.tcp_keepalive, 300);
  EXPECT_EQ(config.databases, 16);
  EXPECT_EQ(config.maxclients, 10000u);
  EXPECT_EQ(config.loglevel, "notice");
  EXPECT_EQ(config.dbfilename, "dump.rdb");
  EXPECT_EQ(config.save, (std::vector<SaveRule>{{3600, 1}, {300, 100}, {60, 10000}}));
  EXPECT_EQ(config.hz, 10);
  EXPECT_EQ(config.proto_max_bulk_len, 512 * 1024 * 1024);
  EXPECT_EQ(config.client_query_buffer_limit, 1024ull * 1024 * 1024);
  EXPECT_EQ(config.client_output_buffer_limit[kClientReplica],
            (OutputBufferLimit{268435456, 67108864, 60}));
  EXPECT_EQ(config.maxmemory, 0u);
  EXPECT_EQ(config.maxmemory_policy, "noeviction");
  EXPECT_EQ(config.repl_backlog_size, 1024 * 1024);
  EXPECT_EQ(config.list_max_listpack_size, -2);
  EXPECT_EQ(config.enable_debug_command, "no");
  EXPECT_TRUE(config.replicaof_host.empty());
  EXPECT_EQ(config.dir, cwd());
}

TEST_F(ConfigTest, GetFormatsValuesLikeRedis) {
  Config config;
  EXPECT_EQ(get1(config, "bind"), "127.0.0.1 -::1");
  EXPECT_EQ(get1(config, "save"), "3600 1 300 100 60 10000");
  EXPECT_EQ(get1(config, "client-output-buffer-limit"),
            "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
  EXPECT_EQ(get1(config, "client-query-buffer-limit"), "1073741824");
  EXPECT_EQ(get1(config, "appendonly"), "no");
  EXPECT_EQ(get1(config, "activerehashing"), "yes");
  EXPECT_EQ(get1(config, "replicaof"), "");
  EXPECT_EQ(get1(config, "notify-keyspace-events"), "");
  EXPECT_EQ(get1(config, "slowlog-log-slower-than"), "10000");
  EXPECT_EQ(get1(config, "dir"), cwd());
}

TEST_F(ConfigTest, MemoryValuesTakeRedisUnits) {
  Config config;
  const std::pair<const char*, uint64_t> cases[] = {
      {"1k", 1000},        {"1kb", 1024},
      {"1m", 1000000},     {"1mb", 1048576},
      {"1g", 1000000000},  {"1gb", 1073741824},
      {"2GB", 2147483648}, {"3Kb", 3072},
      {"100b", 100},       {"", 0},
      {"007", 7},          {"18446744073709551615", UINT64_MAX}};
  for (auto [text, bytes] : cases) {
    ASSERT_TRUE(set1(config, "maxmemory", text)) << text;
    EXPECT_EQ(config.maxmemory, bytes) << text;
  }
  for (const char* bad : {"1.5gb", "-1", "+1", " 1", "1 ", "1t", "0x10"}) {
    EXPECT_EQ(set1(config, "maxmemory", bad).error(),
              "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must "
              "be a memory value")
        << bad;
  }
  // GET shows plain bytes.
  ASSERT_TRUE(set1(config, "maxmemory", "1mb"));
  EXPECT_EQ(get1(config, "maxmemory"), "1048576");
}

TEST_F(ConfigTest, BoolsTakeYesOrNoInAnyCase) {
  Config config;
  ASSERT_TRUE(set1(config, "protected-mode", "NO"));
  EXPECT_FALSE(config.protected_mode);
  ASSERT_TRUE(set1(config, "protected-mode", "Yes"));
  EXPECT_TRUE(config.protected_mode);
  EXPECT_EQ(set1(config, "protected-mode", "true").error(),
            "ERR CONFIG SET failed (possibly related to argument 'protected-mode') - argument "
            "must be 'yes' or 'no'");
  EXPECT_EQ(set1(config, "protected-mode", "1").error(),
            "ERR CONFIG SET failed (possibly related to argument 'protected-mode') - argument "
            "must be 'yes' or 'no'");
}

TEST_F(ConfigTest, IntegersAreStrictAndBounded) {
  Config config;
  for (const char* bad : {"05", "+5", " 5", "1k", "", "abc", "99999999999999999999"}) {
    EXPECT_EQ(set1(config, "timeout", bad).error(),
              "ERR CONFIG SET failed (possibly related to argument 'timeout') - argument "
              "couldn't be parsed into an integer")
        << bad;
  }
  EXPECT_EQ(set1(config, "port", "70000").error(),
            "ERR CONFIG SET failed (possibly related to argument 'port') - argument must be "
            "between 0 and 65535 inclusive");
  EXPECT_EQ(set1(config, "maxclients", "-1").error(),
            "ERR CONFIG SET failed (possibly related to argument 'maxclients') - argument must be "
            "between 1 and 4294967295 inclusive");
  EXPECT_EQ(set1(config, "proto-max-bulk-len", "10").error(),
            "ERR CONFIG SET failed (possibly related to argument 'proto-max-bulk-len') - argument "
            "must be between 1048576 and 9223372036854775807 inclusive");
  EXPECT_EQ(set1(config, "slowlog-log-slower-than", "-2").error(),
            "ERR CONFIG SET failed (possibly related to argument 'slowlog-log-slower-than') - "
            "argument must be between -1 and 9223372036854775807 inclusive");
  ASSERT_TRUE(set1(config, "slowlog-log-slower-than", "-1"));
  EXPECT_EQ(config.slowlog_log_slower_than, -1);
  ASSERT_TRUE(set1(config, "list-max-listpack-size", "-5"));
  EXPECT_EQ(config.list_max_listpack_size, -5);
}

TEST_F(ConfigTest, HzIsClampedToOneThroughFiveHundred) {
  Config config;
  ASSERT_TRUE(set1(config, "hz", "0"));
  EXPECT_EQ(config.hz, 1);
  ASSERT_TRUE(set1(config, "hz", "600"));
  EXPECT_EQ(config.hz, 500);
  EXPECT_EQ(set1(config, "hz", "-1").error(),
            "ERR CONFIG SET failed (possibly related to argument 'hz') - argument must be between "
            "0 and 2147483647 inclusive");
  std::vector<std::string> args{"--hz", "1000"};
  ASSERT_TRUE(config.load_arguments(args));
  EXPECT_EQ(config.hz, 500);
}

TEST_F(ConfigTest, ReplBacklogSizeIsRaisedTo16kOnlyByConfigSet) {
  Config config;
  std::vector<std::string> args{"--repl-backlog-size", "1"};
  ASSERT_TRUE(config.load_arguments(args));
  EXPECT_EQ(config.repl_backlog_size, 1);
  ASSERT_TRUE(set1(config, "repl-backlog-size", "1"));
  EXPECT_EQ(config.repl_backlog_size, 16384);
}

TEST_F(ConfigTest, EnumsAreCaseInsensitiveAndStoredCanonical) {
  Config config;
  ASSERT_TRUE(set1(config, "maxmemory-policy", "ALLKEYS-LRU"));
  EXPECT_EQ(config.maxmemory_policy, "allkeys-lru");
  EXPECT_EQ(get1(config, "maxmemory-policy"), "allkeys-lru");
  EXPECT_EQ(set1(config, "loglevel", "loud").error(),
            "ERR CONFIG SET failed (possibly related to argument 'loglevel') - argument(s) must "
            "be one of the following: debug, verbose, notice, warning");
  EXPECT_EQ(set1(config, "repl-diskless-load", "x").error(),
            "ERR CONFIG SET failed (possibly related to argument 'repl-diskless-load') - "
            "argument(s) must be one of the following: disabled, on-empty-db, swapdb");
}

TEST_F(ConfigTest, UnknownDirectiveInFileIsFatalWithLineNumber) {
  std::string path = write_file("bad.conf", "port 7000\n# comment\n  foobar 1  \n");
  Config config;
  EXPECT_EQ(config.load_file(path).error(),
            "\n*** FATAL CONFIG FILE ERROR (tandem) ***\n"
            "Reading the configuration file, at line 3\n"
            ">>> 'foobar 1'\n"
            "Bad directive or wrong number of arguments");
}

TEST_F(ConfigTest, BadValuesInFileReportTheReason) {
  struct Case {
    const char* content;
    const char* line;
    const char* reason;
  };
  const Case cases[] = {
      {"hz abc\n", "hz abc", "argument couldn't be parsed into an integer"},
      {"maxmemory 1.5gb\n", "maxmemory 1.5gb", "argument must be a memory value"},
      {"port\n", "port", "wrong number of arguments"},
      {"port 1 2\n", "port 1 2", "wrong number of arguments"},
      {"port \"abc\n", "port \"abc", "Unbalanced quotes in configuration line"},
      {"save \"0 1\"\n", "save \"0 1\"", "Invalid save parameters"},
      {"replicaof a\n", "replicaof a", "wrong number of arguments"},
      {"notify-keyspace-events Q\n", "notify-keyspace-events Q",
       "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."},
      {"dbfilename a/b\n", "dbfilename a/b", "dbfilename can't be a path, just a filename"},
  };
  for (const Case& c : cases) {
    std::string path = write_file("bad.conf", c.content);
    Config config;
    EXPECT_EQ(config.load_file(path).error(),
              std::string("\n*** FATAL CONFIG FILE ERROR (tandem) ***\nReading the configuration "
                          "file, at line 1\n>>> '") +
                  c.line + "'\n" + c.reason)
        << c.content;
  }
}

TEST_F(ConfigTest, MissingFileIsReportedLikeRedis) {
  Config config;
  EXPECT_EQ(config.load_file(temp_dir_ + "/nope.conf").error(),
            "Fatal error, can't open config file '" + temp_dir_ +
                "/nope.conf': No such file or directory");
}

TEST_F(ConfigTest, CommandLineOptionsContinueTheFileLineNumbers) {
  // Redis parses the options as lines appended after the file's text and a newline.
  std::string path = write_file("a.conf", "port 7000\n# c\n");
  Config config;
  ASSERT_TRUE(config.load_file(path));
  std::vector<std::string> args{"--hz", "5", "--port", "abc"};
  EXPECT_EQ(config.load_arguments(args).error(),
            "\n*** FATAL CONFIG FILE ERROR (tandem) ***\nReading the configuration file, at line "
            "5\n>>> 'port \"abc\"'\nargument couldn't be parsed into an integer");

  Config no_file;
  std::vector<std::string> unknown{"--foo", "1"};
  EXPECT_EQ(no_file.load_arguments(unknown).error(),
            "\n*** FATAL CONFIG FILE ERROR (tandem) ***\nReading the configuration file, at line "
            "2\n>>> 'foo \"1\"'\nBad directive or wrong number of arguments");
}

TEST_F(ConfigTest, CommandLineOptionsParseLikeRedisServer) {
  Config config;
  std::vector<std::string> args{"--port",      "7000",      "--bind", "127.0.0.1",
                                "-::1",        "--hz 7",    "--save", "--maxmemory-policy",
                                "allkeys-lfu", "--timeout", "9"};
  ASSERT_TRUE(config.load_arguments(args));
  EXPECT_EQ(config.port, 7000);
  EXPECT_EQ(config.bind, (std::vector<std::string>{"127.0.0.1", "-::1"}));
  EXPECT_EQ(config.hz, 7);           // name and value in one word
  EXPECT_TRUE(config.save.empty());  // a bare --save is `save ""`
  EXPECT_EQ(config.maxmemory_policy, "allkeys-lfu");
  EXPECT_EQ(config.timeout, 9);

  Config multi;
  std::vector<std::string> one_word{"--save", "100 1 200 2", "--bind", "1.2.3.4 5.6.7.8"};
  ASSERT_TRUE(multi.load_arguments(one_word));
  EXPECT_EQ(multi.save, (std::vector<SaveRule>{{100, 1}, {200, 2}}));
  EXPECT_EQ(multi.bind, (std::vector<std::string>{"1.2.3.4", "5.6.7.8"}));

  Config last_save;
  std::vector<std::string> trailing{"--port", "7001", "--save"};
  ASSERT_TRUE(last_save.load_arguments(trailing));
  EXPECT_TRUE(last_save.save.empty());
}

TEST_F(ConfigTest, SaveLinesAccumulateWhileLoadingAndEmptyClears) {
  std::string path = write_file("s.conf", "save 100 1\nsave 200 2\nSAVE \"300 3 400 4\"\n");
  Config config;
  ASSERT_TRUE(config.load_file(path));
  EXPECT_EQ(get1(config, "save"), "100 1 200 2 300 3 400 4");
  std::vector<std::string> more{"--save", "9", "9"};
  ASSERT_TRUE(config.load_arguments(more));
  EXPECT_EQ(get1(config, "save"), "100 1 200 2 300 3 400 4 9 9");

  std::string cleared = write_file("c.conf", "save 100 1\nsave \"\"\nsave 200 2\n");
  Config other;
  ASSERT_TRUE(other.load_file(cleared));
  EXPECT_EQ(get1(other, "save"), "200 2");

  // CONFIG SET replaces rather than adds.
  ASSERT_TRUE(set1(other, "save", "5 5"));
  EXPECT_EQ(get1(other, "save"), "5 5");
  ASSERT_TRUE(set1(other, "save", ""));
  EXPECT_TRUE(other.save.empty());
  EXPECT_EQ(set1(other, "save", "10 0  ").error(),
            "ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save "
            "parameters");
}

TEST_F(ConfigTest, SaveAfterAnIncludeReplacesLikeRedis) {
  // Redis clears its "reading the config file" flag when an include ends, so later save lines
  // (command-line ones included) behave like CONFIG SET.
  std::string included = write_file("inc.conf", "tcp-keepalive 77\n");
  std::string path = write_file("m.conf", "save 100 1\ninclude " + included + "\nsave 200 2\n");
  Config config;
  ASSERT_TRUE(config.load_file(path));
  EXPECT_EQ(config.tcp_keepalive, 77);
  EXPECT_EQ(get1(config, "save"), "200 2");
}

TEST_F(ConfigTest, IncludeErrorsPointIntoTheIncludedFile) {
  std::string included = write_file("inc.conf", "\n\nhz x\n");
  std::string path = write_file("m.conf", "port 7000\ninclude " + included + "\n");
  Config config;
  EXPECT_EQ(config.load_file(path).error(),
            "\n*** FATAL CONFIG FILE ERROR (tandem) ***\nReading the configuration file, at line "
            "3\n>>> 'hz x'\nargument couldn't be parsed into an integer");
}

TEST_F(ConfigTest, AliasesSetTheSameFieldAndAreReportedUnderTheirName) {
  Config config;
  ASSERT_TRUE(set1(config, "slave-read-only", "no"));
  EXPECT_FALSE(config.replica_read_only);
  EXPECT_EQ(config.get("slave-read-only"), (Pairs{{"slave-read-only", "no"}}));
  EXPECT_EQ(config.get("*read-only*"),
            (Pairs{{"replica-read-only", "no"}, {"slave-read-only", "no"}}));
  ASSERT_TRUE(set1(config, "hash-max-ziplist-entries", "7"));
  EXPECT_EQ(config.hash_max_listpack_entries, 7u);
  // Errors name the alias that was used.
  EXPECT_EQ(set1(config, "slave-read-only", "maybe").error(),
            "ERR CONFIG SET failed (possibly related to argument 'slave-read-only') - argument "
            "must be 'yes' or 'no'");
  std::string path = write_file("a.conf", "slaveof 10.0.0.1 6380\nmin-slaves-to-write 2\n");
  Config loaded;
  ASSERT_TRUE(loaded.load_file(path));
  EXPECT_EQ(loaded.replicaof_host, "10.0.0.1");
  EXPECT_EQ(loaded.replicaof_port, 6380);
  EXPECT_EQ(get1(loaded, "replicaof"), "10.0.0.1 6380");
  EXPECT_EQ(loaded.min_replicas_to_write, 2);
}

TEST_F(ConfigTest, ExactGetEchoesTheNameAsGiven) {
  Config config;
  EXPECT_EQ(config.get("PORT"), (Pairs{{"PORT", "6379"}}));
  EXPECT_TRUE(config.get("no-such-thing").empty());
}

TEST_F(ConfigTest, GlobGetIsCaseInsensitiveAndDedupsAcrossPatterns) {
  Config config;
  auto matches = config.get("MAXMEMORY*");
  std::vector<std::string> names;
  for (auto& [name, value] : matches) names.push_back(name);
  EXPECT_EQ(names,
            (std::vector<std::string>{"maxmemory", "maxmemory-policy", "maxmemory-samples"}));
  std::vector<std::string> patterns{"port", "PORT", "p?rt", "hz"};
  EXPECT_EQ(config.get(patterns), (Pairs{{"port", "6379"}, {"hz", "10"}}));
  // Every parameter (and alias) shows up once under "*".
  EXPECT_EQ(config.get("*").size(), 85u);
}

TEST_F(ConfigTest, SetErrorsMatchRedis) {
  Config config;
  EXPECT_EQ(config.set(Pairs{{"foo", "bar"}}).error(),
            "ERR Unknown option or number of arguments for CONFIG SET - 'foo'");
  EXPECT_EQ(config.set(Pairs{{"daemonize", "yes"}}).error(),
            "ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set "
            "immutable config");
  EXPECT_EQ(config.set(Pairs{{"enable-debug-command", "yes"}}).error(),
            "ERR CONFIG SET failed (possibly related to argument 'enable-debug-command') - can't "
            "set immutable config");
  EXPECT_EQ(config.set(Pairs{{"dir", "/tmp"}}).error(),
            "ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected "
            "config");
  EXPECT_EQ(config.set(Pairs{{"hz", "10"}, {"HZ", "20"}}).error(),
            "ERR CONFIG SET failed (possibly related to argument 'HZ') - duplicate parameter");
  // The first problem wins.
  EXPECT_EQ(config.set(Pairs{{"hz", "abc"}, {"foo", "bar"}}).error(),
            "ERR Unknown option or number of arguments for CONFIG SET - 'foo'");
  EXPECT_EQ(config.set(Pairs{{"daemonize", "yes"}, {"foo", "bar"}}).error(),
            "ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set "
            "immutable config");
  // A name and its alias are not duplicates in Redis 7.0; the last one wins.
  ASSERT_TRUE(config.set(Pairs{{"replica-read-only", "yes"}, {"slave-read-only", "no"}}));
  EXPECT_FALSE(config.replica_read_only);
}

TEST_F(ConfigTest, MultiPairSetIsAllOrNothing) {
  Config config;
  auto result = config.set(Pairs{{"hz", "50"}, {"save", "1 1"}, {"maxmemory", "abc"}});
  EXPECT_EQ(result.error(),
            "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be "
            "a memory value");
  EXPECT_EQ(config.hz, 10);
  EXPECT_EQ(get1(config, "save"), "3600 1 300 100 60 10000");
  ASSERT_TRUE(config.set(Pairs{{"hz", "50"}, {"maxmemory", "2mb"}}));
  EXPECT_EQ(config.hz, 50);
  EXPECT_EQ(config.maxmemory, 2u * 1024 * 1024);
}

TEST_F(ConfigTest, HooksRunAfterARealChangeAndAFailingHookRollsBack) {
  Config config;
  int port_calls = 0, hz_calls = 0;
  config.on_change("port", [&]() -> tl::expected<void, std::string> {
    ++port_calls;
    if (config.port == 1) return tl::unexpected(std::string("Failed to bind"));
    return {};
  });
  config.on_change("hz", [&]() -> tl::expected<void, std::string> {
    ++hz_calls;
    return {};
  });
  ASSERT_TRUE(config.set(Pairs{{"port", "7000"}}));
  EXPECT_EQ(port_calls, 1);
  ASSERT_TRUE(config.set(Pairs{{"port", "7000"}}));  // unchanged: no hook
  EXPECT_EQ(port_calls, 1);

  auto result = config.set(Pairs{{"hz", "40"}, {"port", "1"}});
  EXPECT_EQ(result.error(),
            "ERR CONFIG SET failed (possibly related to argument 'port') - Failed to bind");
  EXPECT_EQ(config.port, 7000);
  EXPECT_EQ(config.hz, 10);
  // hz's hook ran for 40, then again to take back 10; port's hook re-ran with the old port.
  EXPECT_EQ(hz_calls, 2);
  EXPECT_EQ(port_calls, 3);
}

TEST_F(ConfigTest, DirChdirsWhenProtectedConfigsAreEnabled) {
  Config config;
  std::vector<std::string> args{"--enable-protected-configs", "yes"};
  ASSERT_TRUE(config.load_arguments(args));
  ASSERT_TRUE(set1(config, "dir", temp_dir_));
  EXPECT_EQ(cwd(), std::filesystem::canonical(temp_dir_).string());
  EXPECT_EQ(get1(config, "dir"), cwd());
  EXPECT_EQ(set1(config, "dir", temp_dir_ + "/missing").error(),
            "ERR CONFIG SET failed (possibly related to argument 'dir') - No such file or "
            "directory");
  std::string file = write_file("plain", "x");
  EXPECT_EQ(set1(config, "dir", file).error(),
            "ERR CONFIG SET failed (possibly related to argument 'dir') - Not a directory");
  EXPECT_EQ(cwd(), config.dir);

  // A failed multi-pair set moves back to the old directory.
  std::filesystem::create_directory(temp_dir_ + "/sub");
  EXPECT_FALSE(config.set(Pairs{{"dir", temp_dir_ + "/sub"}, {"hz", "x"}}));
  EXPECT_EQ(cwd(), std::filesystem::canonical(temp_dir_).string());
}

TEST_F(ConfigTest, LocalProtectedConfigsNeedALocalClient) {
  Config config;
  std::vector<std::string> args{"--enable-protected-configs", "local"};
  ASSERT_TRUE(config.load_arguments(args));
  EXPECT_FALSE(config.set(Pairs{{"dbfilename", "a.rdb"}}, /*client_is_local=*/false));
  ASSERT_TRUE(config.set(Pairs{{"dbfilename", "a.rdb"}}, /*client_is_local=*/true));
  EXPECT_EQ(config.dbfilename, "a.rdb");
}

TEST_F(ConfigTest, AppendonlyYesIsRefusedAsUnsupported) {
  Config config;
  EXPECT_EQ(set1(config, "appendonly", "yes").error(),
            "ERR CONFIG SET failed (possibly related to argument 'appendonly') - appendonly yes "
            "is not supported: tandem has no AOF persistence");
  ASSERT_TRUE(set1(config, "appendonly", "no"));
  std::string path = write_file("aof.conf", "appendonly yes\n");
  Config loaded;
  EXPECT_FALSE(loaded.load_file(path));
}

TEST_F(ConfigTest, ClientOutputBufferLimitParsesClassesAndUnits) {
  Config config;
  ASSERT_TRUE(set1(config, "client-output-buffer-limit", "replica 1k 2kb 3 NORMAL 1 2 3"));
  EXPECT_EQ(get1(config, "client-output-buffer-limit"),
            "normal 1 2 3 slave 1000 2048 3 pubsub 33554432 8388608 60");
  ASSERT_TRUE(set1(config, "client-output-buffer-limit", ""));  // a no-op, as in Redis
  EXPECT_EQ(set1(config, "client-output-buffer-limit", "normal 1 2").error(),
            "ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - "
            "Wrong number of arguments in buffer limit configuration.");
  EXPECT_EQ(set1(config, "client-output-buffer-limit", "master 1 2 3").error(),
            "ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - "
            "Invalid client class specified in buffer limit configuration.");
  EXPECT_EQ(set1(config, "client-output-buffer-limit", "pubsub 1 2 -1").error(),
            "ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - "
            "Error in hard, soft or soft_seconds setting in buffer limit configuration.");
}

TEST_F(ConfigTest, NotifyKeyspaceEventsIsValidatedAndCanonicalized) {
  Config config;
  const std::pair<const char*, const char*> cases[] = {
      {"KEA", "AKE"}, {"Ex", "xE"}, {"Kxeg$lshzt", "g$lshzxetK"},
      {"An", "A"},    {"Am", "Am"}, {"", ""}};
  for (auto [given, shown] : cases) {
    ASSERT_TRUE(set1(config, "notify-keyspace-events", given)) << given;
    EXPECT_EQ(get1(config, "notify-keyspace-events"), shown) << given;
  }
  ASSERT_TRUE(set1(config, "notify-keyspace-events", "Ex"));
  EXPECT_EQ(config.notify_keyspace_events, kNotifyExpired | kNotifyKeyevent);
  EXPECT_EQ(set1(config, "notify-keyspace-events", "KQ").error(),
            "ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - "
            "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
}

TEST_F(ConfigTest, BindTakesUpToSixteenAddresses) {
  Config config;
  ASSERT_TRUE(set1(config, "bind", "* -::*"));
  EXPECT_EQ(config.bind, (std::vector<std::string>{"*", "-::*"}));
  ASSERT_TRUE(set1(config, "bind", ""));
  EXPECT_TRUE(config.bind.empty());
  EXPECT_EQ(set1(config, "bind", "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17").error(),
            "ERR CONFIG SET failed (possibly related to argument 'bind') - Too many bind "
            "addresses specified.");
}

TEST_F(ConfigTest, RewriteWithoutAFileFails) {
  Config config;
  EXPECT_EQ(config.rewrite().error(), "ERR The server is running without a config file");
}

TEST_F(ConfigTest, RewriteKeepsCommentsUpdatesInPlaceAndReloadsEqual) {
  std::string path = write_file("redis.conf",
                                "# top comment\n"
                                "port 7000\n"
                                "   # indented comment\n"
                                "  hz 20\n"
                                "slave-read-only no\n"
                                "save 100 1\n"
                                "save 200 2\n"
                                "bind 127.0.0.1\n"
                                "requirepass foo\n"
                                "\n"
                                "\n"
                                "# end comment\n"
                                "maxmemory 1mb\n");
  Config config;
  ASSERT_TRUE(config.load_file(path));
  EXPECT_EQ(config.config_file(), path);
  ASSERT_TRUE(config.set(Pairs{{"hz", "10"},
                               {"save", "300 3"},
                               {"requirepass", ""},
                               {"bind", "127.0.0.1 -::1"},
                               {"maxmemory", "3gb"},
                               {"masteruser", "a b\"c"},
                               {"notify-keyspace-events", "KEA"},
                               {"client-output-buffer-limit", "pubsub 1mb 1000 10"},
                               {"hash-max-listpack-value", "1025"}}));
  ASSERT_TRUE(config.rewrite());
  EXPECT_EQ(read_file(path),
            "# top comment\n"
            "port 7000\n"
            "# indented comment\n"
            "hz 10\n"
            "replica-read-only no\n"
            "save 300 3\n"
            "\n"
            "# end comment\n"
            "maxmemory 3gb\n"
            "\n"
            "# Generated by CONFIG REWRITE\n"
            "dir \"" +
                config.dir +
                "\"\n"
                "masteruser \"a b\\\"c\"\n"
                "client-output-buffer-limit pubsub 1mb 1000 10\n"
                "latency-tracking-info-percentiles 50 99 99.9\n"
                "notify-keyspace-events \"AKE\"\n"
                "hash-max-listpack-value 1025\n");

  Config reloaded;
  ASSERT_TRUE(reloaded.load_file(path));
  EXPECT_EQ(reloaded.get("*"), config.get("*"));

  // A second rewrite with nothing changed leaves the file as it is.
  std::string first = read_file(path);
  ASSERT_TRUE(config.rewrite());
  EXPECT_EQ(read_file(path), first);
}

TEST_F(ConfigTest, RewriteCommentsOutUnknownLinesAndKeepsIncludes) {
  std::string included = write_file("inc.conf", "tcp-keepalive 100\n");
  std::string path =
      write_file("redis.conf", "include " + included + "\nlist-max-ziplist-entries 5\nport 7000\n");
  Config config;
  ASSERT_TRUE(config.load_file(path));
  ASSERT_TRUE(config.rewrite());
  std::string text = read_file(path);
  EXPECT_NE(text.find("include " + included + "\n"), std::string::npos);
  EXPECT_NE(text.find("# ??? list-max-ziplist-entries 5\n"), std::string::npos);
  // The included value differs from the default, so the main file now carries it too.
  EXPECT_NE(text.find("tcp-keepalive 100\n"), std::string::npos);
  Config reloaded;
  ASSERT_TRUE(reloaded.load_file(path));
  EXPECT_EQ(reloaded.get("*"), config.get("*"));
}

TEST_F(ConfigTest, RewriteKeepsEveryValueThroughAReload) {
  std::string path = write_file("redis.conf", "port 7000\n");
  Config config;
  ASSERT_TRUE(config.load_file(path));
  std::vector<std::string> args{"--replicaof", "10.1.2.3",     "6390",
                                "--loglevel",  "warning",      "--enable-protected-configs",
                                "yes",         "--unixsocket", "/tmp/s"};
  ASSERT_TRUE(config.load_arguments(args));
  ASSERT_TRUE(config.set(Pairs{{"save", ""},
                               {"bind", ""},
                               {"maxmemory", "1000"},
                               {"dbfilename", "we ird\t.rdb"},
                               {"replica-announce-ip", "1.2.3.4"},
                               {"list-max-listpack-size", "-5"},
                               {"slowlog-log-slower-than", "-1"},
                               {"client-output-buffer-limit", "normal 1 2 3 replica 1gb 0 0"},
                               {"maxmemory-policy", "volatile-ttl"}}));
  ASSERT_TRUE(config.rewrite());
  Config reloaded;
  ASSERT_TRUE(reloaded.load_file(path));
  EXPECT_EQ(reloaded.get("*"), config.get("*"));
}

}  // namespace
}  // namespace tandem
