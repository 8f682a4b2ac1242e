// The cluster benchmarks' load client (scenarios 3, 4, 5), after
// tests/integration/fixtures/load.js: closed loops, each sending one request after the
// other, until STOP_FILE exists or MAX_MS passes.
//   node load.js URL STOP_FILE MAX_MS KEEPALIVE_LOOPS CLOSE_LOOPS
// KEEPALIVE_LOOPS reuse their connections; CLOSE_LOOPS open a new one per request
// (`Connection: close`). Every failure counts: a connection error, a request without an
// answer after 5 s, a status other than 200. It creates STOP_FILE.started after its first
// answer, and appends "<pid> <epoch ms>" to STOP_FILE.workers the first time a worker (the
// pid in the body) answers. At the end it writes "<epoch ms sent> <ms to answer>" for each
// answered request on a new connection to STOP_FILE.latency, and prints JSON:
//   {seconds, keepalive: {ok, failed, errors: {code: n}}, close: {…}, workers: {pid: n}}
const http = require('http');
const fs = require('fs');

const [url, stopFile, maxMs, keepAliveLoops, closeLoops] = process.argv.slice(2);
const deadline = Date.now() + Number(maxMs);
const workers = {};

function done() {
  return Date.now() > deadline || fs.existsSync(stopFile);
}

function kind(keepAlive) {
  // keepAlive false with unlimited sockets: Node sends `Connection: close`.
  const agent = new http.Agent({ keepAlive, maxSockets: Infinity });
  const result = { ok: 0, failed: 0, errors: {} };
  const latencies = [];
  const failed = (code) => {
    result.failed++;
    result.errors[code] = (result.errors[code] || 0) + 1;
  };
  const once = () => new Promise((settle) => {
    let settled = false; // a dying response may report its error twice (response, request)
    const resolve = () => { settled = true; settle(); };
    const fail = (code) => { if (!settled) failed(code); };
    const sent = Date.now();
    const request = http.get(url, { agent }, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => {
        if (response.statusCode !== 200) {
          fail(`http_${response.statusCode}`);
          return resolve();
        }
        result.ok++;
        latencies.push(`${sent} ${Date.now() - sent}\n`);
        const pid = (/pid (\d+)/.exec(body) || [])[1] || body.trim();
        if (!(pid in workers)) {
          workers[pid] = 0;
          fs.appendFileSync(`${stopFile}.workers`, `${pid} ${Date.now()}\n`);
          if (!fs.existsSync(`${stopFile}.started`)) fs.writeFileSync(`${stopFile}.started`, '');
        }
        workers[pid]++;
        resolve();
      });
      response.on('error', (error) => { fail(error.code || error.message); resolve(); });
    });
    request.setTimeout(5000, () => request.destroy(new Error('timeout')));
    request.on('error', (error) => { fail(error.code || error.message); resolve(); });
  });
  const loop = async () => { while (!done()) await once(); };
  return { result, latencies, loop };
}

const keepalive = kind(true);
const close = kind(false);
const started = Date.now();
Promise.all([
  ...Array.from({ length: Number(keepAliveLoops) }, keepalive.loop),
  ...Array.from({ length: Number(closeLoops) }, close.loop),
]).then(() => {
  const seconds = (Date.now() - started) / 1000;
  fs.writeFileSync(`${stopFile}.latency`, close.latencies.join(''));
  console.log(JSON.stringify({ seconds, keepalive: keepalive.result, close: close.result, workers }));
  process.exit(0);
});
