# Bad clients get error replies; the daemon keeps serving everyone else.
source "$(dirname "$0")/lib.sh"

client() { python3 "$FIXTURES/raw_client.py" "$CXPM_HOME/cxpm.sock" "$@"; }

"$CXPM" start sleep --name napper -- 1000 >/dev/null
daemon=$(cat "$CXPM_HOME/daemon.pid")

step "malformed JSON, non-requests and binary garbage: one error reply each"
out=$(client garbage)
[ "$(wc -l <<<"$out")" = 4 ] || fail "expected 4 replies, got: $out"
jq -se 'all(.error.code != null)' <<<"$out" >/dev/null || fail "not all errors: $out"
grep -q parse_error <<<"$out" || fail "no parse_error: $out"

step "a 2 MiB frame is refused and the connection closed"
client huge | jq -e '.error.code == "frame_too_large"' >/dev/null || fail "no frame_too_large"

step "an unknown method is named in the error"
client unknown | jq -e '.id == 5 and .error.code == "unknown_method" and
  (.error.message | contains("explode"))' >/dev/null || fail "unknown method not reported"

step "wrong argument types name the field; nothing is started"
out=$(client badargs)
jq -se '.[0].error.code == "invalid_args" and (.[0].error.message | contains("args.targets"))' \
  <<<"$out" >/dev/null || fail "targets type not reported: $out"
jq -se '.[1].error.code == "invalid_args" and (.[1].error.message | contains("instances"))' \
  <<<"$out" >/dev/null || fail "instances type not reported: $out"
jq -se '.[2].error.code == "invalid_args" and .[3].error.code == "unsupported_version"' \
  <<<"$out" >/dev/null || fail "args/version not reported: $out"
[ "$(jl 'length')" = 1 ] || fail "a bad request changed the process table"

step "a request split across writes is one request"
client split | jq -e '.id == 11 and .result.pid > 0' >/dev/null || fail "split request failed"

step "a client of another uid is refused even when the socket is reachable"
install -m 644 "$FIXTURES/raw_client.py" "$CXPM_HOME/raw_client.py"
chmod 711 "$CXPM_HOME"
chmod 666 "$CXPM_HOME/cxpm.sock"
out=$(setpriv --reuid=nobody --regid=nogroup --clear-groups \
  /usr/bin/python3 "$CXPM_HOME/raw_client.py" "$CXPM_HOME/cxpm.sock" unknown)
chmod 700 "$CXPM_HOME"
chmod 600 "$CXPM_HOME/cxpm.sock"
jq -e '.error.message | contains("permission denied")' <<<"$out" >/dev/null ||
  fail "another uid was not refused: $out"

step "after all that, the same daemon still serves"
[ "$(cat "$CXPM_HOME/daemon.pid")" = "$daemon" ] || fail "the daemon restarted"
alive "$daemon" || fail "the daemon died"
[ "$(status_of napper)" = online ] || fail "the app was disturbed"
"$CXPM" ping | grep_all pong || fail "ping failed"
echo "ok"
