#!/usr/bin/env python3
"""The ceiling of the cluster benchmarks: workers on a listening socket, no manager.

    launch.py MODE PORT WORKERS COMMAND...

Opens the port as cxpm's daemon does (a dual-stack wildcard TCP socket, SO_REUSEPORT) and
starts WORKERS copies of COMMAND, each with its socket as fd 3 and the socket-activation
variables (LISTEN_FDS=1, NODE_APP_INSTANCE=i). MODE `shared`: one socket that every worker
accepts from; `reuseport`: one socket per worker, the kernel spreading connections across
them. Then it only waits: no connection or byte passes through it. It prints the workers'
pids, one a line, once they are started; SIGTERM or SIGINT stops them (SIGKILL after 2 s).
"""
import os
import signal
import socket
import subprocess
import sys
import time

mode, port, workers, command = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
if mode not in ("shared", "reuseport") or workers < 1 or not command:
    sys.exit(__doc__)


def listening_socket():
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    s.bind(("::", port))
    s.listen(socket.SOMAXCONN)
    return s


sockets = [listening_socket()] * workers if mode == "shared" else \
    [listening_socket() for _ in range(workers)]


def spawn(index, sock):
    fd = sock.fileno()

    def as_fd3():  # in the child, before exec: its socket becomes fd 3, inheritable
        if fd != 3:
            os.dup2(fd, 3, inheritable=True)

    env = dict(os.environ, LISTEN_FDS="1", NODE_APP_INSTANCE=str(index),
               CXPM_INSTANCE=str(index))
    return subprocess.Popen(command, env=env, preexec_fn=as_fd3,
                            # fd 3 too: Popen closes the others after as_fd3 ran
                            pass_fds=(fd, 3))


children = [spawn(i, s) for i, s in enumerate(sockets)]
print("\n".join(str(c.pid) for c in children), flush=True)


def stop(*_):
    for c in children:
        if c.poll() is None:
            c.send_signal(signal.SIGINT)
    deadline = time.monotonic() + 2
    for c in children:
        try:
            c.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            c.kill()
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)
while True:
    signal.pause()
