#!/usr/bin/env bash
# ctest-timeout: 120
# `cxpm web`'s Basic credentials and cross-site rule (issue 16, docs/web.md): a browser cannot
# add a bearer token to the page it opens or to an EventSource, so a --public address also
# takes `Authorization: Basic` with the token as the password and its 401 offers Basic; the
# loopback 401 offers Bearer only (the page's own dialog asks there). Since a browser sends
# Basic credentials by itself, an action whose Origin is not the server's is refused 403,
# whatever it carries. The public mode is tried on a loopback address (--public is accepted
# there, and then every request needs the token as it would beyond loopback).
source "$(dirname "$0")/lib.sh"
streams=""
trap 'rc=$?; set +e; for p in $streams; do kill "$p" 2>/dev/null; done; (exit $rc); cleanup; exit $rc' EXIT

# 23 characters: "cxpm:<token>" is 28 bytes, so its base64 ends in "==" (the malformed
# variants below take that padding off).
token=auth-test-$(printf '%06d%07d' "$RANDOM" "$RANDOM")
code_of() { curl -s -m 5 -o /dev/null -w '%{http_code}' "$@"; }
basic_of() { printf '%s' "$1" | base64 -w0; }
# head_of URL [curl options]: the response's head, CRs dropped.
head_of() { curl -s -m 5 -o /dev/null -D - "$@" | tr -d '\r'; }

"$CXPM" start sleep --name quiet -- 1000 >/dev/null
wait_for 10 has_status quiet online

step "loopback: a POST's 401 offers Bearer only; Basic is taken; a foreign Origin is 403"
port=$(free_port)
base="http://127.0.0.1:$port"
"$CXPM" web --address "127.0.0.1:$port" --token "$token" >/dev/null
wait_for 10 answers "$base/metrics"
head_of -X POST "$base/api/processes/quiet/restart" >"$WORK/loopback.head"
grep_all '^HTTP/1.1 401' "$WORK/loopback.head" || fail "a POST without a token: $(cat "$WORK/loopback.head")"
grep_all -x 'WWW-Authenticate: Bearer' "$WORK/loopback.head" || fail "no Bearer challenge on loopback"
! grep_all -i '^www-authenticate: basic' "$WORK/loopback.head" ||
  fail "loopback's 401 offers Basic (a browser would prompt instead of the page's dialog)"
[ "$(code_of -H "Origin: http://evil.example" -H "Authorization: Bearer $token" -X POST \
  "$base/api/processes/quiet/restart")" = 403 ] || fail "a cross-site POST with the token is not 403"
[ "$(restarts_of quiet)" = 0 ] || fail "a cross-site POST restarted quiet"
# The dashboard's own POST: its Origin is the server's.
[ "$(code_of -H "Origin: $base" -u "cxpm:$token" -X POST "$base/api/processes/quiet/restart")" = 200 ] ||
  fail "a same-origin POST with Basic credentials is refused on loopback"
[ "$(restarts_of quiet)" = 1 ] || fail "quiet was not restarted: $(restarts_of quiet)"

step "--public: every request needs the token; the 401 offers Basic and Bearer"
other=$(free_port)
public="http://127.0.0.1:$other"
"$CXPM" web --address "127.0.0.1:$other" --public --token "$token" | grep_all 'public' ||
  fail "web --public on loopback: $("$CXPM" web)"
public_refuses() { [ "$(code_of "$public/metrics")" = 401 ]; }
wait_for 10 public_refuses
for path in / /metrics /api/events/stream; do
  head_of "$public$path" >"$WORK/public.head"
  grep_all '^HTTP/1.1 401' "$WORK/public.head" || fail "GET $path without a token: $(cat "$WORK/public.head")"
  grep_all -x 'WWW-Authenticate: Basic realm="cxpm", charset="UTF-8"' "$WORK/public.head" ||
    fail "GET $path: no Basic challenge: $(cat "$WORK/public.head")"
  grep_all -x 'WWW-Authenticate: Bearer' "$WORK/public.head" || fail "GET $path: no Bearer challenge"
done

step "Basic with the token as the password: GET /metrics, a stream, POST restart"
curl -sf -m 5 -u "cxpm:$token" "$public/metrics" >"$WORK/metrics" || fail "GET /metrics with Basic failed"
grep_all '^cxpm_process_up{app="quiet",instance="0",namespace="default"} 1$' "$WORK/metrics" ||
  fail "/metrics with Basic: $(head -5 "$WORK/metrics")"
[ "$(code_of -u "any-name:$token" "$public/api/processes")" = 200 ] || fail "another user name is refused"
[ "$(code_of -H "Authorization: basic $(basic_of "cxpm:$token")" "$public/")" = 200 ] ||
  fail "the scheme's case matters"
[ "$(code_of -H "Authorization: Bearer $token" "$public/metrics")" = 200 ] || fail "Bearer no longer works"
curl -sN -m 60 -u "cxpm:$token" "$public/api/events/stream" >"$WORK/events.sse" &
streams="$streams $!"
wait_for 10 grep_all '^data: {' "$WORK/events.sse"
curl -sf -m 30 -u "cxpm:$token" -X POST "$public/api/processes/quiet/restart" >"$WORK/restart.json" ||
  fail "POST restart with Basic failed"
jq -e '.processes[0].name == "quiet"' "$WORK/restart.json" >/dev/null || fail "restart answer: $(cat "$WORK/restart.json")"
[ "$(restarts_of quiet)" = 2 ] || fail "quiet was not restarted: $(restarts_of quiet)"

step "Basic with a wrong password, bad base64, or no user part is 401"
[ "$(code_of -u "cxpm:$token-wrong" "$public/metrics")" = 401 ] || fail "a wrong password is not 401"
[ "$(code_of -u "cxpm:" "$public/metrics")" = 401 ] || fail "an empty password is not 401"
[ "$(code_of -u "$token:" "$public/metrics")" = 401 ] || fail "the token as the user name is not 401"
[ "$(code_of -H "Authorization: Basic $(basic_of "$token")" "$public/metrics")" = 401 ] ||
  fail "credentials without ':' are not 401"
[[ $(basic_of "cxpm:$token") == *[^=]== ]] || fail "the token's encoding does not end in ==: $(basic_of "cxpm:$token")"
[ "$(code_of -H "Authorization: Basic $(basic_of "cxpm:$token" | tr -d =)" "$public/metrics")" = 401 ] ||
  fail "unpadded base64 is not 401"
[ "$(code_of -H "Authorization: Basic $(basic_of "cxpm:$token" | sed 's/^./*/')" "$public/metrics")" = 401 ] ||
  fail "base64 with a bad character is not 401"
[ "$(code_of -H "Authorization: Basic $(basic_of "cxpm:$token" | base64 -w0)" "$public/metrics")" = 401 ] ||
  fail "twice-encoded credentials are not 401"
[ "$(code_of -u "cxpm:$token-wrong" -X POST "$public/api/processes/quiet/restart")" = 401 ] ||
  fail "a POST with a wrong password is not 401"
[ "$(restarts_of quiet)" = 2 ] || fail "a refused POST restarted quiet"

step "cross-site: a POST with a foreign Origin is 403 whatever it carries, and restarts nothing"
curl -s -m 5 -D "$WORK/csrf.head" -u "cxpm:$token" -H "Origin: http://evil.example" -X POST \
  "$public/api/processes/quiet/restart" >"$WORK/csrf.json"
grep_all '^HTTP/1.1 403' "$WORK/csrf.head" || fail "a foreign Origin: $(cat "$WORK/csrf.head")"
jq -e '.error.code == "cross_origin"' "$WORK/csrf.json" >/dev/null || fail "403's body: $(cat "$WORK/csrf.json")"
for origin in "http://127.0.0.1:$port" null "http://127.0.0.1:$other.evil.example"; do
  [ "$(code_of -u "cxpm:$token" -H "Origin: $origin" -X POST "$public/api/processes/quiet/stop")" = 403 ] ||
    fail "a POST from Origin $origin is not 403"
done
[ "$(code_of -H "Origin: http://evil.example" -X POST "$public/api/processes/quiet/stop")" = 403 ] ||
  fail "a cross-site POST without credentials is not 403"
if [ "$(restarts_of quiet)" != 2 ] || [ "$(status_of quiet)" != online ]; then
  fail "a cross-site POST acted: $(restarts_of quiet) restarts, $(status_of quiet)"
fi
# Reads are not actions; the page's own Origin (http:// or, behind a TLS proxy, https://) is fine.
[ "$(code_of -u "cxpm:$token" -H "Origin: http://evil.example" "$public/api/processes")" = 200 ] ||
  fail "a GET with a foreign Origin is refused"
[ "$(code_of -u "cxpm:$token" -H "Origin: https://127.0.0.1:$other" -X POST \
  "$public/api/processes/quiet/restart")" = 200 ] || fail "a POST from the https origin is refused"
[ "$(restarts_of quiet)" = 3 ] || fail "the same-origin POST did not restart quiet"

step "the headers read are bounded and sent once"
[ "$(code_of -u "cxpm:$token" -H "Origin: http://$(head -c 3000 /dev/zero | tr '\0' a)" \
  -X POST "$public/api/processes/quiet/restart")" = 431 ] || fail "a 3 KB Origin is not 431"
[ "$(code_of -H "Authorization: Bearer $token" -H "Authorization: Bearer wrong-wrong-wrong" \
  "$public/metrics")" = 400 ] || fail "two Authorization headers are not 400"
[ "$(code_of -u "cxpm:$token" -H "Origin: $public" -H "Origin: http://evil.example" \
  -X POST "$public/api/processes/quiet/restart")" = 400 ] || fail "two Origin headers are not 400"
[ "$(restarts_of quiet)" = 3 ] || fail "a refused request restarted quiet"

"$CXPM" web --stop >/dev/null
echo PASS
