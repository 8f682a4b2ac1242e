#!/usr/bin/env python3
"""Control-plane figures under hostile local clients (issue 11, problem 3).

usage: bench/control_plane.py [--cxpm PATH] [--only apps,idle,followers,pipeline,notify]

Each part runs against a fresh daemon in its own temporary CXPM_HOME and prints one line:
  apps       daemon RSS per idle app: 200 fork-mode `sleep` apps started from one file,
             against the same daemon empty (VmRSS, and Rss/Anonymous of smaps_rollup)
  idle       daemon RSS empty, and holding 1,000 connections that never send anything
  followers  daemon RSS with 250 `logs` followers of a chatty app that never read
  pipeline   `ping` latency (median, max of 20) while 10 clients pipeline 300 `list` each
             and never read a reply
  notify     the daemon's CPU while a process of another uid (nobody, when run as root)
             floods the notify socket for 5 s
Run it for two binaries to compare (e.g. a build of main and of this branch).
"""
import argparse, json, os, shutil, socket, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def smaps_kib(pid, field):
    with open(f"/proc/{pid}/smaps_rollup") as rollup:
        for line in rollup:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def settled_rss_kib(pid):
    """VmRSS once the daemon is quiet: it gives freed memory back within a second."""
    time.sleep(2)
    return rss_kib(pid)


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


class Daemon:
    def __init__(self, cxpm):
        self.cxpm = cxpm
        self.home = tempfile.mkdtemp(prefix="cxpm-bench-cp.")
        self.env = dict(os.environ, CXPM_HOME=self.home)
        self.run("ping")
        with open(os.path.join(self.home, "daemon.pid")) as f:
            self.pid = int(f.read())
        self.socket = os.path.join(self.home, "cxpm.sock")

    def run(self, *args):
        return subprocess.run([self.cxpm, *args], env=self.env, check=True,
                              capture_output=True, text=True, timeout=60).stdout

    def connect(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(self.socket)
        return s

    def ping_ms(self):
        s = self.connect()
        s.settimeout(60)
        start = time.monotonic()
        s.sendall(b'{"v":1,"id":1,"method":"ping"}\n')
        buffer = b""
        while b"\n" not in buffer:
            chunk = s.recv(65536)
            if not chunk:
                break
            buffer += chunk
        s.close()
        return (time.monotonic() - start) * 1000

    def close(self):
        subprocess.run([self.cxpm, "kill"], env=self.env, capture_output=True, timeout=30)
        shutil.rmtree(self.home, ignore_errors=True)


def apps(daemon, count=200):
    empty, empty_anon = settled_rss_kib(daemon.pid), smaps_kib(daemon.pid, "Anonymous")
    ecosystem = os.path.join(daemon.home, "idle-apps.json")
    with open(ecosystem, "w") as f:
        json.dump({"apps": [{"name": f"idle{i}", "script": "sleep", "args": ["100000"],
                             "exec_mode": "fork"} for i in range(count)]}, f)
    daemon.run("start", ecosystem)
    full, full_anon = settled_rss_kib(daemon.pid), smaps_kib(daemon.pid, "Anonymous")
    print(f"apps: RSS empty {empty / 1024:.1f} MiB, with {count} idle apps {full / 1024:.1f} MiB: "
          f"{(full - empty) / count:.1f} KiB per app (anonymous memory "
          f"{(full_anon - empty_anon) / count:.1f} KiB per app)")


def idle(daemon):
    empty = rss_kib(daemon.pid)
    held, refused = [], 0
    for _ in range(1000):
        try:
            held.append(daemon.connect())
        except OSError:
            refused += 1
    time.sleep(1)
    full = rss_kib(daemon.pid)
    ping = daemon.ping_ms()
    for s in held:
        s.close()
    print(f"idle: RSS empty {empty / 1024:.1f} MiB, with {len(held)} idle connections "
          f"{full / 1024:.1f} MiB ({(full - empty) * 1024 / max(len(held), 1):.0f} B each); "
          f"ping then {ping:.1f} ms; connect refused {refused}")


def followers(daemon):
    daemon.run("start", os.path.join(HERE, "..", "tests", "integration", "fixtures",
                                    "logs_burst.sh"), "--name", "chatty", "--", "1000000000")
    time.sleep(1)
    empty = rss_kib(daemon.pid)
    readers = []
    for i in range(250):
        s = daemon.connect()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.sendall(json.dumps({"v": 1, "id": i, "method": "logs",
                              "args": {"targets": ["chatty"], "lines": 15}}).encode() + b"\n")
        readers.append(s)
    peak = 0
    for _ in range(10):
        time.sleep(0.5)
        peak = max(peak, rss_kib(daemon.pid))
    ping = daemon.ping_ms()
    for s in readers:
        s.close()
    print(f"followers: RSS with the chatty app {empty / 1024:.1f} MiB, with 250 non-reading "
          f"followers peak {peak / 1024:.1f} MiB over 5 s; ping then {ping:.1f} ms")


def pipeline(daemon):
    for i in range(5):
        daemon.run("start", "sleep", "--name", f"napper{i}", "--", "1000")
    request = b'{"v":1,"id":1,"method":"list"}\n' * 300
    clients = []
    for _ in range(10):
        s = daemon.connect()
        s.setblocking(False)
        try:
            s.send(request)
        except BlockingIOError:
            pass
        clients.append(s)
    pings = sorted(daemon.ping_ms() for _ in range(20))
    for s in clients:
        s.close()
    print(f"pipeline: ping while 10 clients pipeline 300 list each without reading: median "
          f"{pings[len(pings) // 2]:.1f} ms, max {pings[-1]:.1f} ms")


FLOOD = r"""
import os, socket, sys, time
address, seconds = "\0" + sys.argv[1][1:], float(sys.argv[2])
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.setblocking(False)
end, sent = time.monotonic() + seconds, 0
while time.monotonic() < end:
    try:
        s.sendto(b"READY=1\nSTATUS=flood\n", address)
        sent += 1
    except BlockingIOError:
        pass
    except OSError:
        time.sleep(0.001)
print(sent)
"""


def notify(daemon):
    address = f"@cxpm-notify-{daemon.pid}"
    daemon.run("start", "sleep", "--name", "napper", "--", "1000")
    as_other = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"] \
        if os.getuid() == 0 else []
    before = cpu_ticks(daemon.pid)
    start = time.monotonic()
    sent = subprocess.run([*as_other, sys.executable, "-c", FLOOD, address, "5"],
                          capture_output=True, text=True, timeout=30).stdout.strip()
    elapsed = time.monotonic() - start
    used = (cpu_ticks(daemon.pid) - before) / os.sysconf("SC_CLK_TCK")
    who = "uid nobody" if as_other else "the same uid"
    print(f"notify: a flood from {who} for {elapsed:.1f} s ({sent} datagrams sent): daemon CPU "
          f"{100 * used / elapsed:.0f}% of one CPU")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cxpm", default=os.path.join(HERE, "..", "build", "cxpm"))
    parser.add_argument("--only", default="apps,idle,followers,pipeline,notify")
    args = parser.parse_args()
    for name in args.only.split(","):
        daemon = Daemon(os.path.abspath(args.cxpm))
        try:
            globals()[name](daemon)
        finally:
            daemon.close()


if __name__ == "__main__":
    main()
