// The chat load generator for bench/scenarios/8-chat.sh: CLIENTS Socket.IO clients join ROOM
// through URL, spread over THREADS worker threads (one event loop cannot parse thousands of
// WebSocket frames per message alone). Then two phases, each message going to every client:
//   paced  RATE messages per second for SECONDS seconds: the delivery latency at a load the
//          system should keep up with (p50, p99);
//   burst  BURST messages sent at once: how many deliveries per second the system manages
//          when pushed, from the first send to the last delivery.
// Latency is the receiver's clock minus the sender's, both performance.timeOrigin + now(),
// which all threads of the process share. Prints one JSON object; exits 1 on a timeout.
//
// usage: node load.js URL ROOM CLIENTS THREADS RATE SECONDS BURST
const { Worker, isMainThread, parentPort, workerData } = require('worker_threads');
const { performance } = require('perf_hooks');
const path = require('path');
const { swarm } = require(path.join(__dirname, '../../../tests/integration/chat/swarm'));

const now = () => performance.timeOrigin + performance.now(); // ms, comparable across threads
const stallMs = 15000; // a phase ends in failure when no delivery arrives for this long

if (isMainThread) {
  main().then(
    (report) => {
      console.log(JSON.stringify(report));
      process.exit(report.ok ? 0 : 1);
    },
    (error) => {
      console.error(`load: ${error.message}`);
      process.exit(1);
    },
  );
} else {
  thread();
}

// --- the main thread: drives the phases, measures ---------------------------------------------

async function main() {
  const [url, room, clientsText, threadsText, rateText, secondsText, burstText] =
    process.argv.slice(2);
  const clients = Number(clientsText);
  const threads = Number(threadsText);
  const [rate, seconds, burst] = [Number(rateText), Number(secondsText), Number(burstText)];
  if (!url || !room || !(clients > 0) || !(threads > 0) || !(rate > 0) || !(burst > 0)) {
    throw new Error('usage: node load.js URL ROOM CLIENTS THREADS RATE SECONDS BURST');
  }

  const workers = [];
  const connectStart = now();
  for (let t = 0; t < threads; t++) {
    const count = Math.floor(clients / threads) + (t < clients % threads ? 1 : 0);
    workers.push(new Worker(__filename, { workerData: { url, room, count } }));
  }
  let closing = false;
  for (const worker of workers) {
    worker.on('error', (error) => console.error(`load: thread: ${error.message}`));
    worker.on('exit', (code) => {
      if (closing && code === 0) return;
      console.error(`load: a client thread exited (code ${code})`);
      process.exit(1);
    });
  }
  // ask: one request to a thread, its one reply (requests to a thread never overlap).
  const ask = (worker, message) =>
    new Promise((resolve) => {
      worker.once('message', resolve);
      worker.postMessage(message);
    });
  await Promise.all(workers.map((w) => ask(w, { cmd: 'wait-joined' })));
  const connectMs = now() - connectStart;

  // run sends `messages` messages of `phase` (at `interval` ms apart, or all at once when 0)
  // and waits for every client to have every one; then gathers the receivers' latencies.
  async function run(phase, messages, interval) {
    const start = now();
    for (let i = 0; i < messages; i++) {
      if (interval > 0) {
        const due = start + i * interval;
        while (now() < due) await new Promise((r) => setTimeout(r, Math.max(0, due - now())));
      }
      workers[i % threads].postMessage({ cmd: 'send', id: `${phase}-${i}` });
    }
    const expected = messages * clients;
    let delivered = 0;
    let lastProgress = now();
    while (delivered < expected && now() - lastProgress < stallMs) {
      await new Promise((r) => setTimeout(r, 50));
      const counts = await Promise.all(workers.map((w) => ask(w, { cmd: 'count', phase })));
      const total = counts.reduce((a, b) => a + b, 0);
      if (total > delivered) lastProgress = now();
      delivered = total;
    }
    const results = await Promise.all(workers.map((w) => ask(w, { cmd: 'collect', phase })));
    const latencies = Float64Array.from(results.flatMap((r) => Array.from(r.latencies)));
    latencies.sort();
    const last = Math.max(...results.map((r) => r.lastAt));
    const pick = (q) => (latencies.length ? latencies[Math.min(latencies.length - 1,
      Math.floor(q * latencies.length))] : NaN);
    return {
      messages,
      expected,
      delivered,
      seconds: (last - start) / 1000,
      deliveries_per_s: delivered / ((last - start) / 1000),
      p50_ms: pick(0.5),
      p99_ms: pick(0.99),
      max_ms: latencies.length ? latencies[latencies.length - 1] : NaN,
    };
  }

  await run('warmup', Math.min(5, burst), 100);
  const paced = await run('paced', Math.round(rate * seconds), 1000 / rate);
  const burstResult = await run('burst', burst, 0);
  closing = true;
  await Promise.all(workers.map((w) => ask(w, { cmd: 'close' })));
  return {
    ok: paced.delivered === paced.expected && burstResult.delivered === burstResult.expected,
    clients,
    threads,
    connect_ms: connectMs,
    paced: { rate, ...paced },
    burst: burstResult,
  };
}

// --- a worker thread: its share of the clients --------------------------------------------------

async function thread() {
  const { url, room, count } = workerData;
  const phases = new Map(); // phase → {count, latencies: [], lastAt}
  const phaseOf = (name) => {
    if (!phases.has(name)) phases.set(name, { count: 0, latencies: [], lastAt: 0 });
    return phases.get(name);
  };
  const onMessage = (member, message) => {
    const at = now();
    const match = /^(\w+)-\d+@([\d.]+)$/.exec(message.id || '');
    if (!match) return;
    const phase = phaseOf(match[1]);
    phase.count++;
    phase.latencies.push(at - Number(match[2]));
    phase.lastAt = at;
  };
  const joined = swarm({ url, room, count, concurrency: 50, timeoutMs: 180000, onMessage });
  joined.catch((error) => {
    console.error(`load: ${error.message}`);
    process.exit(1);
  });
  const members = await joined;

  parentPort.on('message', (message) => {
    switch (message.cmd) {
      case 'wait-joined':
        parentPort.postMessage('joined');
        break;
      case 'send': {
        // A random member speaks; the stamp goes in the id, which the server echoes.
        const member = members[Math.floor(Math.random() * members.length)];
        member.socket.emit('message', { room, text: 'load', id: `${message.id}@${now().toFixed(3)}` });
        break;
      }
      case 'count':
        parentPort.postMessage(phaseOf(message.phase).count);
        break;
      case 'collect': {
        const phase = phaseOf(message.phase);
        const latencies = Float64Array.from(phase.latencies);
        parentPort.postMessage({ latencies, lastAt: phase.lastAt }, [latencies.buffer]);
        break;
      }
      case 'close':
        for (const m of members) m.close();
        parentPort.postMessage('closed');
        setTimeout(() => process.exit(0), 100);
        break;
    }
  });
}
