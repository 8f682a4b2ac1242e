#!/usr/bin/env python3
"""The smallest long-running app: prints a line every --interval seconds until stopped.

It shows what cxpm hands an app: its instance number (instance_var), its environment (env,
env_<profile>, increment_var), readiness for wait_ready (sd_notify READY=1 when NOTIFY_SOCKET
is set) and a clean exit on kill_signal. Used by ecosystem.example.yaml.
"""

import argparse
import os
import signal
import socket
import sys
import time


def notify_ready():
    path = os.environ.get("NOTIFY_SOCKET")
    if not path:
        return
    if path.startswith("@"):  # an abstract socket
        path = "\0" + path[1:]
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as notify:
        notify.sendto(b"READY=1", path)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between ticks")
    args = parser.parse_args()

    def stop(signal_number, _frame):
        print(f"got {signal.Signals(signal_number).name}: stopping cleanly", flush=True)
        sys.exit(0)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)

    instance = os.environ.get("TICKER_INSTANCE", os.environ.get("CXPM_INSTANCE", "0"))
    greeting = os.environ.get("GREETING", "hello")
    port = os.environ.get("TICKER_PORT", "-")
    print(f"ticker {instance} (pid {os.getpid()}): {greeting}; my port would be {port}", flush=True)
    notify_ready()
    tick = 0
    while True:
        tick += 1
        print(f"ticker {instance}: tick {tick}", flush=True)
        time.sleep(args.interval)


if __name__ == "__main__":
    main()
