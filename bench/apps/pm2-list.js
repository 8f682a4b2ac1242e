// node pm2-list.js PM2_PACKAGE_DIR RUNS: what a pm2 Prometheus exporter does at each scrape,
// timed: one long-lived client connected to the daemon of $PM2_HOME through pm2's API, then
// `list()` and the list serialised, RUNS times after a warm-up. Prints the median in ms and
// the serialised size in bytes ("12.3 45678"). The connection is made once, outside the timing,
// as an exporter keeps it open between scrapes.
'use strict';
const [packageDir, runsArg] = process.argv.slice(2);
const pm2 = require(packageDir);
const runs = Number(runsArg);
if (!packageDir || !(runs > 0)) {
  console.error('usage: node pm2-list.js PM2_PACKAGE_DIR RUNS');
  process.exit(2);
}

const list = () => new Promise((resolve, reject) => {
  pm2.list((err, processes) => (err ? reject(err) : resolve(processes)));
});

async function main() {
  await new Promise((resolve, reject) => pm2.connect((err) => (err ? reject(err) : resolve())));
  let bytes = 0;
  const times = [];
  for (let i = 0; i < runs + Math.floor(runs / 5) + 1; i++) {
    const t0 = process.hrtime.bigint();
    bytes = JSON.stringify(await list()).length;
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (i > runs / 5) times.push(ms); // the first runs warm up
  }
  times.sort((a, b) => a - b);
  const n = times.length;
  const median = n % 2 ? times[(n - 1) / 2] : (times[n / 2 - 1] + times[n / 2]) / 2;
  console.log(`${median.toFixed(3)} ${bytes}`);
  pm2.disconnect();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
