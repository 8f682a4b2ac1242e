// Many Socket.IO clients of examples/chat in one room, for the end-to-end test (clients.js)
// and the load benchmark (bench/scenarios/chat/load.js). Each member remembers which worker
// it is on, joins the room again after every reconnection, and hands messages to a callback.
const { io } = require('socket.io-client');

// WebSocket only: behind a balancer that is not sticky (nginx round-robin across servers,
// the kernel's reuseport hashing across the workers of one), the successive HTTP requests
// of long-polling could reach different workers.
const socketOptions = {
  transports: ['websocket'],
  forceNew: true, // a connection per member, not one multiplexed Manager per URL
  reconnectionDelay: 200,
  reconnectionDelayMax: 2000,
  timeout: 10000,
};

class Member {
  constructor(index, url, room, onMessage) {
    this.index = index;
    this.name = `c${index}`;
    this.room = room;
    this.worker = null; // the welcome of the current connection: {server, instance, pid}
    this.joined = false;
    this.connections = 0; // welcomes received: 1 + reconnections
    this.disconnects = 0;
    this.socket = io(url, socketOptions);
    this.socket.on('welcome', (worker) => {
      this.worker = worker;
      this.connections++;
      this.joined = false;
      this.socket.emit('join', { room, name: this.name }, (answer) => {
        if (answer && answer.ok) this.joined = true;
      });
    });
    this.socket.on('disconnect', () => {
      this.joined = false;
      this.disconnects++;
    });
    this.socket.on('message', (message) => onMessage(this, message));
  }

  get ready() {
    return this.socket.connected && this.joined;
  }

  // send resolves with the server's acknowledgement, or rejects after timeoutMs.
  send(text, id, timeoutMs = 5000) {
    return this.socket
      .timeout(timeoutMs)
      .emitWithAck('message', { room: this.room, text, id })
      .then((answer) => {
        if (!answer.ok) throw new Error(answer.error);
      });
  }

  close() {
    this.socket.disconnect();
  }
}

// waitUntil resolves once predicate() holds; rejects naming `what` after timeoutMs.
function waitUntil(predicate, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (predicate()) return resolve();
      if (Date.now() > deadline) return reject(new Error(`timed out after ${timeoutMs} ms: ${what}`));
      setTimeout(poll, 20);
    };
    poll();
  });
}

// swarm connects `count` members, at most `concurrency` joining at once (so that thousands
// do not all knock at the listen backlog together), and resolves once all have joined.
async function swarm({ url, room, count, concurrency = 50, timeoutMs = 60000, onMessage }) {
  const members = [];
  const deadline = Date.now() + timeoutMs;
  for (let first = 0; first < count; first += concurrency) {
    const batch = [];
    for (let i = first; i < Math.min(count, first + concurrency); i++) {
      batch.push(new Member(i, url, room, onMessage));
    }
    members.push(...batch);
    await waitUntil(() => batch.every((m) => m.ready), Math.max(0, deadline - Date.now()),
      `${count} clients joined (${members.filter((m) => m.ready).length} of ${members.length} so far)`);
  }
  return members;
}

// where: "server#instance pid" of a worker, the key tests and reports count by.
const where = (worker) => `${worker.server}#${worker.instance} pid ${worker.pid}`;

module.exports = { Member, swarm, waitUntil, where };
