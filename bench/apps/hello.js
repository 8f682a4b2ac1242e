// The cluster benchmarks' Node hello server (scenarios 3, 4, 5), the same file for cxpm, pm2
// and the ceiling. It answers every request with its pid and instance, so a client can tell
// the workers apart.
//  - Its socket: fd 3 when a launcher passes one (LISTEN_FDS, the ceiling); otherwise it
//    listens on PORT itself, unmodified style (cxpm's preload library and pm2's cluster
//    master each give it their socket for that port).
//  - Ready: process.send('ready') once it listens (both managers run it with --wait-ready).
//  - Stop: on SIGINT (both managers' default kill signal) or pm2's 'shutdown' message, it
//    stops accepting, answers what is in flight with `Connection: close`, and exits once its
//    connections are gone — as tests/integration/fixtures/graceful_server.js does.
//  - With BENCH_ORDINARY=1 it is the server people usually write instead (scenario 4): no
//    signal handler, so SIGINT ends it at once with whatever it had accepted, and it listens
//    after a 700 ms warm-up.
//  - With BENCH_COUNT_DIR set, it writes how many requests it has answered to
//    BENCH_COUNT_DIR/<pid> every 100 ms (when it changed), for the spread across workers.
const http = require('http');
const net = require('net');
const fs = require('fs');

const body = `hello from pid ${process.pid} instance ${process.env.NODE_APP_INSTANCE}\n`;
let closing = false;
let served = 0;
const sockets = new Set();
const server = http.createServer((req, res) => {
  served++;
  if (closing) res.setHeader('Connection', 'close');
  res.end(body);
});
server.keepAliveTimeout = 60000;
server.on('connection', (socket) => {
  sockets.add(socket);
  socket.on('close', () => {
    sockets.delete(socket);
    if (closing && sockets.size === 0) process.exit(0);
  });
});

const countDir = process.env.BENCH_COUNT_DIR;
if (countDir) {
  let written = -1;
  setInterval(() => {
    if (served === written) return;
    written = served;
    const file = `${countDir}/${process.pid}`;
    fs.writeFileSync(`${file}.tmp`, `${served}\n`);
    fs.renameSync(`${file}.tmp`, file); // readers never see a half-written count
  }, 100).unref();
}

function shutdown() {
  if (closing) return;
  closing = true;
  // net.Server's close, not http.Server's: since Node 19 the latter also drops idle
  // keep-alive connections at once, racing requests clients are sending on them.
  net.Server.prototype.close.call(server, () => process.exit(0));
  // Idle keep-alive connections get no request to answer with "close": give clients a
  // moment to use them, then end them. Both managers SIGKILL after 1.6 s.
  setTimeout(() => { for (const socket of sockets) socket.end(); }, 500).unref();
  if (sockets.size === 0) process.exit(0);
}
const ordinary = process.env.BENCH_ORDINARY === '1';
if (!ordinary) {
  process.on('SIGINT', shutdown);
  process.on('message', (message) => { if (message === 'shutdown') shutdown(); });
}

const ready = () => { if (process.send) process.send('ready'); };
const listen = () => {
  if (Number(process.env.LISTEN_FDS || 0) >= 1) server.listen({ fd: 3 }, ready);
  else server.listen(Number(process.env.PORT), ready);
};
if (ordinary) setTimeout(listen, 700);
else listen();
