#!/usr/bin/env bash
# A batch worker: works through batches until stopped, or exits 0 after --batches N.
# On SIGTERM or SIGINT it finishes the batch in hand before exiting: what kill_signal and
# kill_timeout are for. Used by ecosystem.example.yaml.
set -u

batches=0
while [ $# -gt 0 ]; do
  case $1 in
    --batches) batches=$2; shift 2 ;;
    *) echo "worker: unknown argument '$1' (expected --batches N)" >&2; exit 2 ;;
  esac
done

stopping=0
trap 'stopping=1' TERM INT

echo "worker $$ starting on the ${WORKER_QUEUE:-default} queue"
batch=0
while [ "$stopping" = 0 ]; do
  batch=$((batch + 1))
  echo "batch $batch: working"
  sleep 1 &
  wait $! || true  # a trapped signal ends the wait; the batch still completes
  echo "batch $batch: done"
  if [ "$batches" -gt 0 ] && [ "$batch" -ge "$batches" ]; then
    echo "all $batches batches done"
    exit 0
  fi
done
echo "worker $$ stopping after batch $batch"
