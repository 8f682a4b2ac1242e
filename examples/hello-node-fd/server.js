// A Node server that takes its socket from the supervisor: fd 3, as systemd's socket
// activation passes it (LISTEN_FDS). Node has no SO_REUSEPORT, but it can listen on an fd.
//   cxpm start server.js -i 2 --port 8080
const http = require('http');

if (Number(process.env.LISTEN_FDS || 0) < 1) {
  console.error('no socket from the supervisor: start with `cxpm start server.js -i 2 --port 8080`');
  process.exit(1);
}
const instance = process.env.NODE_APP_INSTANCE;

http
  .createServer((req, res) => {
    res.end(`hello from pid ${process.pid} instance ${instance}\n`);
  })
  .listen({ fd: 3 }, () => console.log(`serving fd 3 (pid ${process.pid})`));
