#include "cxpm/core/drain_rules.hpp"

#include <doctest/doctest.h>

using namespace cxpm;
using namespace std::chrono_literals;

namespace {

TimePoint at(int ms) {
  return TimePoint{Milliseconds{ms}};
}

ConnectionActivity answered() {
  // A keep-alive connection between requests: its last data went out after the last came in.
  return {.unread = 0,
          .unsent = 0,
          .ms_since_received = 50,
          .ms_since_sent = 40,
          .bytes_received = 120,
          .bytes_acked = 300};
}

}  // namespace

TEST_CASE("drain rules: what counts as a connection mid-request") {
  const DrainSettings settings;
  CHECK_FALSE(is_mid_request(answered(), settings));
  auto unread = answered();
  unread.unread = 80;  // a request the worker has not read
  CHECK(is_mid_request(unread, settings));
  auto unsent = answered();
  unsent.unsent = 4096;  // a response still going out
  CHECK(is_mid_request(unsent, settings));
  auto waiting = answered();
  waiting.ms_since_received = 5;  // read, not answered yet
  CHECK(is_mid_request(waiting, settings));
  auto unanswered = answered();
  unanswered.ms_since_received = unanswered.ms_since_sent = 3;  // opened and asked in one tick
  unanswered.bytes_acked = 0;
  CHECK(is_mid_request(unanswered, settings));
  auto tie = answered();
  tie.ms_since_received = tie.ms_since_sent;  // the same tick: taken as answered
  CHECK_FALSE(is_mid_request(tie, settings));
  ConnectionActivity fresh{.ms_since_received = 30, .ms_since_sent = 30};  // nothing came yet
  CHECK(is_mid_request(fresh, settings));
  fresh.ms_since_received = fresh.ms_since_sent = 1500;  // connected and never spoke
  CHECK_FALSE(is_mid_request(fresh, settings));
}

TEST_CASE("drain: done once nothing was queued for the quiet period and nothing is mid-request") {
  DrainProgress progress({.timeout = 10s, .quiet = 100ms}, at(0));
  auto busy = answered();
  busy.unread = 10;
  CHECK(progress.observe(at(0), {.queued = 2, .connections = {}}) ==
        DrainProgress::Verdict::kDraining);
  CHECK(progress.state() == "0 connections mid-request, 2 queued");
  CHECK(progress.observe(at(20), {.queued = 0, .connections = {busy, answered()}}) ==
        DrainProgress::Verdict::kDraining);
  CHECK(progress.state() == "1 connection mid-request, 0 queued");
  CHECK(progress.observe(at(40), {.queued = 0, .connections = {answered()}}) ==
        DrainProgress::Verdict::kDraining);
  CHECK(progress.observe(at(100), {.queued = 0, .connections = {busy}}) ==
        DrainProgress::Verdict::kDraining);  // not quiet for 100 ms yet, and still answering
  CHECK(progress.observe(at(120), {}) == DrainProgress::Verdict::kDrained);
  progress = DrainProgress({.timeout = 10s, .quiet = 100ms}, at(0));
  CHECK(progress.observe(at(120), {.queued = 1, .connections = {}}) ==
        DrainProgress::Verdict::kDraining);
  // A late connection (its handshake chose the worker just before it was left out) starts
  // the quiet period again.
  CHECK(progress.observe(at(130), {.queued = 1, .connections = {}}) ==
        DrainProgress::Verdict::kDraining);
  CHECK(progress.observe(at(150), {.queued = 0, .connections = {busy}}) ==
        DrainProgress::Verdict::kDraining);
  CHECK(progress.observe(at(249), {}) == DrainProgress::Verdict::kDraining);
  CHECK(progress.observe(at(250), {}) == DrainProgress::Verdict::kDrained);
}

TEST_CASE("drain: drain_timeout ends a drain that never quiets") {
  DrainProgress progress({.timeout = 500ms, .quiet = 100ms}, at(1000));
  auto busy = answered();
  busy.unsent = 1;
  CHECK(progress.observe(at(1400), {.queued = 0, .connections = {busy}}) ==
        DrainProgress::Verdict::kDraining);
  CHECK(progress.observe(at(1500), {.queued = 0, .connections = {busy}}) ==
        DrainProgress::Verdict::kTimedOut);
  CHECK(progress.elapsed(at(1500)) == 500ms);
}

TEST_CASE("drain: a kept-alive connection answered during the drain is not waited for") {
  DrainProgress drain({}, at(0));
  // Requests back to back: mid-request at every look, but the worker answers between looks.
  auto busy = answered();
  busy.id = 7;
  busy.ms_since_received = 1;
  busy.ms_since_sent = 2;
  CHECK(drain.observe(at(0), {0, {busy}}) == DrainProgress::Verdict::kDraining);
  CHECK(drain.observe(at(150), {0, {busy}}) == DrainProgress::Verdict::kDraining);
  busy.bytes_acked += 300;
  CHECK(drain.observe(at(170), {0, {busy}}) == DrainProgress::Verdict::kDrained);
}
