#!/usr/bin/env bash
# title: Cluster throughput
# about: a Node hello server with 2 workers behind the manager, with and without keep-alive (wrk), against the same workers on a socket shared by a minimal launcher (the ceiling).
# pending: cluster mode (shared listening sockets) is not built yet
# run.sh skips a scenario with a pending line and the report says why; the issue that
# builds the feature replaces this file with the measurement (see 1-idle-rss.sh).
echo "3-cluster-throughput: pending: cluster mode (shared listening sockets) is not built yet" >&2
exit 0
