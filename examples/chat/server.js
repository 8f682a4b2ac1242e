// A Socket.IO chat with rooms, written the ordinary way: it listens on PORT (and HOST, if
// set) and knows nothing of cxpm. Run it clustered on each server with
// `cxpm start ecosystem.config.yaml` (or `cxpm start server.js -i max`); the Redis adapter
// carries every room's messages to the workers of every server, so a room spans them all.
//
// Environment: PORT (3000), HOST (all addresses), REDIS_URL (redis://127.0.0.1:6379;
// "none" runs without Redis: one process only), SERVER_NAME (the host name), shown to
// clients so you can see where they landed.
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const { Server } = require('socket.io');
const { createAdapter } = require('@socket.io/redis-adapter');
const { createClient } = require('redis');

const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || undefined; // undefined: every address, like listen(port)
const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
// Who answered, for the page's status line and for tests that check the spread.
const worker = {
  server: process.env.SERVER_NAME || os.hostname(),
  instance: Number(process.env.NODE_APP_INSTANCE ?? 0),
  pid: process.pid,
};

const roomPattern = /^[\w-]{1,32}$/;
const maxTextLength = 1000;

// --- the page: a few static files, read once ---------------------------------------------

const pages = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/app.js': ['app.js', 'text/javascript; charset=utf-8'],
  '/style.css': ['style.css', 'text/css; charset=utf-8'],
};
const files = Object.fromEntries(
  Object.entries(pages).map(([url, [file, type]]) => [
    url,
    { type, body: fs.readFileSync(path.join(__dirname, 'public', file)) },
  ]),
);

const httpServer = http.createServer((req, res) => {
  const url = req.url.split('?')[0];
  if (url === '/healthz') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true, ...worker }));
    return;
  }
  const file = files[url];
  if (!file || (req.method !== 'GET' && req.method !== 'HEAD')) {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found\n');
    return;
  }
  res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-cache' });
  res.end(req.method === 'HEAD' ? undefined : file.body);
});

// --- the chat ------------------------------------------------------------------------------

// Both transports stay enabled for clients that can keep to one worker; the page and the
// tests connect with WebSocket only, because consecutive long-polling requests may reach
// different workers (see packaging/nginx/cxpm-chat.conf).
const io = new Server(httpServer, { maxHttpBufferSize: 16 * 1024 });

io.on('connection', (socket) => {
  socket.data.name = 'anonymous';
  socket.emit('welcome', { id: socket.id, ...worker });

  socket.on('join', (request, ack) => {
    const { room, name } = request || {};
    if (!roomPattern.test(room)) return reply(ack, { ok: false, error: 'bad room name' });
    if (typeof name === 'string' && name.trim()) socket.data.name = name.trim().slice(0, 32);
    socket.join(room);
    reply(ack, { ok: true, room, ...worker });
  });

  socket.on('leave', (request, ack) => {
    const { room } = request || {};
    socket.leave(room);
    reply(ack, { ok: true, room });
  });

  // Messages go to everyone in the room, the sender included, on every worker of every
  // server: io.to(room) publishes through Redis when the adapter is on.
  socket.on('message', (request, ack) => {
    const { room, text, id } = request || {};
    if (!socket.rooms.has(room)) return reply(ack, { ok: false, error: 'join the room first' });
    if (typeof text !== 'string' || !text || text.length > maxTextLength) {
      return reply(ack, { ok: false, error: 'bad message' });
    }
    io.to(room).emit('message', {
      room,
      text,
      from: socket.data.name,
      id: typeof id === 'string' ? id.slice(0, 100) : undefined, // the client's, echoed
      at: Date.now(),
      via: worker,
    });
    reply(ack, { ok: true });
  });
});

function reply(ack, value) {
  if (typeof ack === 'function') ack(value);
}

// --- start and stop ------------------------------------------------------------------------

async function start() {
  let redis = [];
  if (redisUrl !== 'none') {
    const pub = createClient({ url: redisUrl });
    const sub = pub.duplicate();
    for (const client of [pub, sub]) {
      // node-redis retries by itself and reports every failed try: say it once per outage.
      let down = false;
      client.on('error', (error) => {
        if (!down) console.error(`redis: ${error.message}; retrying`);
        down = true;
      });
      client.on('ready', () => {
        if (down) console.log('redis: connected again');
        down = false;
      });
    }
    await Promise.all([pub.connect(), sub.connect()]);
    io.adapter(createAdapter(pub, sub));
    redis = [pub, sub];
  } else {
    console.warn('REDIS_URL=none: rooms do not span processes; run one instance only');
  }

  httpServer.listen(port, host, () => {
    console.log(`chat: listening on ${host || '*'}:${port} (pid ${process.pid}, ` +
      `instance ${worker.instance}, redis ${redisUrl.replace(/\/\/[^@/]*@/, '//')})`);
    // pm2's wait_ready convention (cxpm follows it): the reload replaces this worker's
    // predecessor only once Redis is connected and the socket listens.
    if (process.send) process.send('ready');
  });

  let stopping = false;
  const stop = (why) => {
    if (stopping) return;
    stopping = true;
    console.log(`chat: ${why}, closing`);
    // Closing drops every client's connection; Socket.IO clients reconnect on their own,
    // through the balancer, to a worker that is still serving.
    io.close(() => {
      // quit() waits for Redis to answer; a client that lost Redis just lets go.
      const bye = redis.map((client) => (client.isReady ? client.quit() : client.disconnect()));
      Promise.allSettled(bye).then(() => process.exit(0));
    });
    setTimeout(() => process.exit(0), 3000).unref(); // never outlive the manager's patience
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('message', (message) => message === 'shutdown' && stop('shutdown message'));
}

start().catch((error) => {
  console.error(`chat: cannot start: ${error.message}`);
  process.exit(1);
});
