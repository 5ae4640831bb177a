"""Connection commands against Redis 7.0: PING, ECHO, QUIT, SELECT, AUTH, HELLO, RESET.

Stateful sequences (AUTH then a command, HELLO then a reply in RESP3) are sent on one raw
connection to both servers and compared byte for byte; HELLO replies differ only in the client
id, which is masked.
"""

import pytest

from conftest import (
    RespError,
    assert_same,
    assert_same_error,
    compare_raw,
    encode_command,
    mask_hello_id,
    parse_all,
    redis_cli,
)

# --- PING / ECHO ----------------------------------------------------------------------------


def test_ping(both):
    assert assert_same(both, "PING") == b"PONG"


def test_ping_with_message(both):
    assert assert_same(both, "PING", "hello world") == b"hello world"
    assert assert_same(both, "PING", b"\x00\xff\r\n") == b"\x00\xff\r\n"
    assert assert_same(both, "PING", "") == b""


def test_ping_too_many_args(both):
    err = assert_same_error(both, "PING", "a", "b")
    assert err.text == b"ERR wrong number of arguments for 'ping' command"


def test_ping_reply_types_on_the_wire(assert_same_raw):
    assert assert_same_raw(b"PING\r\nPING x\r\n") == b"+PONG\r\n$1\r\nx\r\n"


def test_echo(both):
    assert assert_same(both, "ECHO", "hello") == b"hello"
    assert assert_same(both, "ECHO", b"bin\x00ary\r\n") == b"bin\x00ary\r\n"
    assert assert_same(both, "ECHO", "") == b""
    assert assert_same(both, "ECHO", "x" * 100_000) == b"x" * 100_000


@pytest.mark.parametrize("args", [("ECHO",), ("ECHO", "a", "b")], ids=["no-arg", "two-args"])
def test_echo_arity(both, args):
    err = assert_same_error(both, *args)
    assert err.text == b"ERR wrong number of arguments for 'echo' command"


def test_command_names_are_case_insensitive(both):
    assert assert_same(both, "pInG") == b"PONG"
    assert assert_same(both, "echo", "x") == b"x"


def test_redis_cli_talks_to_tandem(tandem_server):
    assert redis_cli(tandem_server.port, "PING").strip() == "PONG"
    assert redis_cli(tandem_server.port, "ECHO", "a b").strip() == "a b"


# --- QUIT -----------------------------------------------------------------------------------


def test_quit_replies_ok_and_closes(assert_same_raw):
    assert assert_same_raw(b"QUIT\r\nPING\r\n") == b"+OK\r\n"


def test_quit_with_arguments_still_quits(assert_same_raw):
    assert assert_same_raw(b"QUIT a b\r\nPING\r\n") == b"+OK\r\n"


def test_quit_after_pipelined_commands(assert_same_raw):
    reply = assert_same_raw(b"PING\r\nECHO\r\n" + encode_command("QUIT") + b"PING\r\n")
    assert reply == b"+PONG\r\n-ERR wrong number of arguments for 'echo' command\r\n+OK\r\n"


# --- SELECT ---------------------------------------------------------------------------------


@pytest.mark.parametrize("index", ["0", "1", "15"])
def test_select_valid(both, index):
    assert assert_same(both, "SELECT", index) == b"OK"


@pytest.mark.parametrize("index", ["16", "-1", "2147483647", "-2147483648"])
def test_select_out_of_range(both, index):
    err = assert_same_error(both, "SELECT", index)
    assert err.text == b"ERR DB index is out of range"


@pytest.mark.parametrize("index", ["abc", "1.5", "", " 1", "1 ", "0x1", "99999999999",
                                   "-99999999999", "99999999999999999999"])
def test_select_not_an_integer(both, index):
    assert_same_error(both, "SELECT", index)


def test_select_arity(both):
    assert_same_error(both, "SELECT")
    assert_same_error(both, "SELECT", "1", "2")


def test_select_isolates_databases(both):
    for client in both:
        client.execute_command("SELECT", "0")
    assert_same(both, "SET", "k", "db0")
    assert_same(both, "SELECT", "1")
    assert assert_same(both, "GET", "k") is None
    assert_same(both, "SET", "k", "db1")
    assert assert_same(both, "GET", "k") == b"db1"
    assert_same(both, "SELECT", "0")
    assert assert_same(both, "GET", "k") == b"db0"
    assert_same(both, "SELECT", "1")
    assert_same(both, "FLUSHDB")
    assert_same(both, "SELECT", "0")
    assert assert_same(both, "GET", "k") == b"db0"


def test_select_is_per_connection(assert_same_raw, both):
    for client in both:
        client.execute_command("SET", "shared", "zero")
    # A new connection starts in db 0 whatever another connection selected.
    reply = assert_same_raw(b"SELECT 3\r\nGET shared\r\n")
    assert reply == b"+OK\r\n$-1\r\n"
    assert assert_same_raw(b"GET shared\r\n") == b"$4\r\nzero\r\n"


# --- AUTH -----------------------------------------------------------------------------------


@pytest.fixture
def password_pair(start_pair):
    return start_pair("--requirepass", "secret")


def compare_pair(pair, payload, **kw):
    tandem, reference = pair
    return compare_raw(tandem.port, reference.port, payload, **kw)


def test_commands_need_auth_when_requirepass_is_set(password_pair):
    reply = compare_pair(password_pair, b"PING\r\nGET k\r\nSELECT 1\r\nECHO x\r\n")
    assert reply == b"-NOAUTH Authentication required.\r\n" * 4


def test_unknown_and_arity_errors_come_before_noauth(password_pair):
    reply = compare_pair(password_pair, b"FOO\r\nECHO\r\nAUTH\r\nQUIT\r\n")
    assert reply == (
        b"-ERR unknown command 'FOO', with args beginning with: \r\n"
        b"-ERR wrong number of arguments for 'echo' command\r\n"
        b"-ERR wrong number of arguments for 'auth' command\r\n"
        b"+OK\r\n"
    )


def test_auth_wrong_password(password_pair):
    reply = compare_pair(password_pair, b"AUTH wrong\r\nPING\r\n")
    assert reply == (
        b"-WRONGPASS invalid username-password pair or user is disabled.\r\n"
        b"-NOAUTH Authentication required.\r\n"
    )


def test_auth_with_password(password_pair):
    reply = compare_pair(password_pair, b"AUTH secret\r\nPING\r\nSET k v\r\nGET k\r\n")
    assert reply == b"+OK\r\n+PONG\r\n+OK\r\n$1\r\nv\r\n"


def test_auth_default_user(password_pair):
    reply = compare_pair(password_pair, b"AUTH default secret\r\nPING\r\n")
    assert reply == b"+OK\r\n+PONG\r\n"


@pytest.mark.parametrize(
    "payload",
    [
        b"AUTH default wrong\r\nPING\r\n",
        b"AUTH nosuchuser secret\r\nPING\r\n",
        b"AUTH a b c\r\nPING\r\n",
        b"AUTH secret\r\nAUTH wrong\r\nPING\r\n",  # a failed AUTH keeps the earlier login
        b"AUTH secret\r\nAUTH\r\n",
        encode_command("AUTH", "secret\x00"),
        encode_command("AUTH", ""),
    ],
    ids=repr,
)
def test_auth_edge_cases_with_password(password_pair, payload):
    compare_pair(password_pair, payload)


def test_auth_without_configured_password(both):
    err = assert_same_error(both, "AUTH", "foo")
    assert err.text == (
        b"ERR AUTH <password> called without any password configured for the default user. "
        b"Are you sure your configuration is correct?"
    )


def test_auth_default_user_without_configured_password(both):
    # The default user has nopass: any password is accepted for it.
    assert assert_same(both, "AUTH", "default", "anything") == b"OK"
    err = assert_same_error(both, "AUTH", "someone", "anything")
    assert err.text == b"WRONGPASS invalid username-password pair or user is disabled."
    assert_same_error(both, "AUTH", "a", "b", "c")


def test_redis_cli_auth(password_pair):
    tandem, _ = password_pair
    assert redis_cli(tandem.port, "--no-auth-warning", "-a", "secret", "PING").strip() == "PONG"
    assert "NOAUTH" in redis_cli(tandem.port, "PING")


# --- HELLO ----------------------------------------------------------------------------------


def test_hello_without_version_keeps_resp2(assert_same_raw):
    reply = assert_same_raw(b"HELLO\r\n", mask=mask_hello_id)
    assert reply.startswith(b"*14\r\n$6\r\nserver\r\n$5\r\nredis\r\n")


def test_hello_2_fields(assert_same_raw):
    reply = assert_same_raw(b"HELLO 2\r\n", mask=mask_hello_id)
    [(fields, _)] = parse_all(reply)
    as_dict = dict(zip(fields[::2], fields[1::2]))
    assert list(as_dict) == [b"server", b"version", b"proto", b"id", b"mode", b"role",
                             b"modules"]
    assert as_dict[b"proto"] == 2
    assert as_dict[b"server"] == b"redis"
    assert as_dict[b"version"] == b"7.0.15"
    assert as_dict[b"mode"] == b"standalone"
    assert as_dict[b"role"] == b"master"
    assert as_dict[b"modules"] == []


def test_hello_3_switches_protocol(assert_same_raw):
    reply = assert_same_raw(b"HELLO 3\r\nHELLO\r\nGET missing\r\n", mask=mask_hello_id)
    assert reply.startswith(b"%7\r\n")
    assert reply.endswith(b"*0\r\n_\r\n")


def test_hello_back_to_2(assert_same_raw):
    reply = assert_same_raw(b"HELLO 3\r\nHELLO 2\r\nGET missing\r\n", skip=2)
    assert reply == b"$-1\r\n"


def test_hello_id_is_the_client_id(tandem_server):
    conn = tandem_server.connect()
    with conn:
        conn.send(b"HELLO 3\r\nCLIENT ID\r\n")
        data = conn.read(quiet=0.3)
    replies = parse_all(data)
    assert len(replies) == 2, data
    fields = dict(replies[0][0])
    assert fields[b"id"] == replies[1][0]


@pytest.mark.parametrize(
    "payload",
    [b"HELLO 1\r\n", b"HELLO 4\r\n", b"HELLO 0\r\n", b"HELLO -3\r\n", b"HELLO 3.0\r\n",
     b"HELLO abc\r\n", b"HELLO 99999999999999999999\r\n", b"HELLO 4 AUTH default x\r\n"],
    ids=repr,
)
def test_hello_bad_version(assert_same_raw, payload):
    reply = assert_same_raw(payload)
    assert reply.startswith(b"-NOPROTO") or reply.startswith(b"-ERR Protocol version")


@pytest.mark.parametrize(
    "payload",
    [
        b"HELLO 3 FOO\r\n",
        b"HELLO 3 AUTH default\r\n",
        b"HELLO 2 AUTH\r\n",
        b"HELLO 3 SETNAME\r\n",
        b'HELLO 3 SETNAME "a b"\r\n',
        b'HELLO 3 SETNAME "a\\nb"\r\n',
        b"HELLO 3 AUTH nosuchuser x\r\n",
        b"HELLO 3 SETNAME ok FOO\r\n",
    ],
    ids=repr,
)
def test_hello_option_errors(assert_same_raw, payload):
    reply = assert_same_raw(payload + b"GET missing\r\n")
    # A failed HELLO leaves the protocol unchanged: still RESP2.
    assert reply.startswith(b"-") and reply.endswith(b"$-1\r\n")


@pytest.mark.parametrize(
    "payload",
    [
        b"HELLO 3 SETNAME myname\r\nCLIENT GETNAME\r\n",
        b"HELLO 2 setname myname\r\nCLIENT GETNAME\r\n",
        b'HELLO 3 SETNAME ""\r\nCLIENT GETNAME\r\n',
        b"HELLO 3 SETNAME a SETNAME b\r\nCLIENT GETNAME\r\n",
        b"HELLO 3 AUTH default anything\r\n",
        b"HELLO 3 auth default x setname foo\r\nCLIENT GETNAME\r\n",
    ],
    ids=repr,
)
def test_hello_options(assert_same_raw, payload):
    assert_same_raw(payload, mask=mask_hello_id)


@pytest.mark.parametrize(
    "payload",
    [
        b"HELLO 3\r\n",
        b"HELLO\r\n",
        b"HELLO 2 SETNAME foo\r\n",
        b"HELLO 3 AUTH default wrong\r\nPING\r\n",
        b"HELLO 3 AUTH default secret\r\nPING\r\nGET missing\r\n",
        b"HELLO 3 AUTH default secret SETNAME x\r\nCLIENT GETNAME\r\n",
        b"HELLO 2 AUTH default secret\r\nPING\r\n",
        b"AUTH secret\r\nHELLO 3\r\nGET missing\r\n",
    ],
    ids=repr,
)
def test_hello_with_requirepass(password_pair, payload):
    compare_pair(password_pair, payload, mask=mask_hello_id)


def test_hello_noauth_text(password_pair):
    reply = compare_pair(password_pair, b"HELLO 3\r\n")
    assert reply.startswith(b"-NOAUTH HELLO must be called with the client already authenticated")


# --- RESET ----------------------------------------------------------------------------------


def test_reset_reply(both):
    assert assert_same(both, "RESET") == b"RESET"


def test_reset_arity(both):
    err = assert_same_error(both, "RESET", "x")
    assert err.text == b"ERR wrong number of arguments for 'reset' command"


def test_reset_restores_db_and_protocol(assert_same_raw, both):
    for client in both:
        client.execute_command("SET", "k", "in-db0")
    reply = assert_same_raw(b"SELECT 5\r\nHELLO 3\r\nRESET\r\nGET k\r\nGET missing\r\n",
                            mask=mask_hello_id)
    assert reply.endswith(b"+RESET\r\n$6\r\nin-db0\r\n$-1\r\n")


def test_reset_clears_name(assert_same_raw):
    reply = assert_same_raw(b"CLIENT SETNAME x\r\nRESET\r\nCLIENT GETNAME\r\n")
    assert reply == b"+OK\r\n+RESET\r\n$-1\r\n"


def test_reset_deauthenticates(password_pair):
    reply = compare_pair(password_pair, b"AUTH secret\r\nPING\r\nRESET\r\nPING\r\n")
    assert reply == b"+OK\r\n+PONG\r\n+RESET\r\n-NOAUTH Authentication required.\r\n"


def test_reset_in_resp3_replies_simple_string(assert_same_raw):
    reply = assert_same_raw(b"HELLO 3\r\nRESET\r\n", skip=1)
    assert reply == b"+RESET\r\n"


def test_assert_same_reports_errors_as_values(both):
    err = assert_same(both, "NOSUCHCOMMAND")
    assert isinstance(err, RespError)
