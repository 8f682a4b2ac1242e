// The end-to-end test's chat users: COUNT clients join ROOM through URL; in each round every
// client sends one message and every client must receive all COUNT of them. Round 1 starts
// once all have joined; round N > 1 waits for the file DIR/go-N, which the test creates after
// disturbing the servers, and then for every client to be connected and in the room again.
// After each round it writes DIR/round-N.json (what the test checks); exits 1 on a timeout.
//
// usage: node clients.js URL ROOM COUNT ROUNDS DIR
const fs = require('fs');
const path = require('path');
const { swarm, waitUntil, where } = require('./swarm');

const [url, room, countText, roundsText, dir] = process.argv.slice(2);
const count = Number(countText);
const rounds = Number(roundsText);
if (!url || !room || !(count > 0) || !(rounds > 0) || !dir) {
  console.error('usage: node clients.js URL ROOM COUNT ROUNDS DIR');
  process.exit(2);
}

// received[round][client] = ids of that round's messages the client got (a Set, so a
// duplicate delivery is noticed).
const received = new Map();
let duplicates = 0;
function onMessage(member, message) {
  const match = /^r(\d+)-c(\d+)$/.exec(message.id || '');
  if (!match) return;
  const round = Number(match[1]);
  if (!received.has(round)) received.set(round, Array.from({ length: count }, () => new Set()));
  const ids = received.get(round)[member.index];
  if (ids.has(message.id)) duplicates++;
  ids.add(message.id);
}

function write(round, report) {
  const file = path.join(dir, `round-${round}.json`);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(report, null, 1));
  fs.renameSync(`${file}.tmp`, file); // the test never sees half a file
}

async function main() {
  let members = [];
  let round = 0;
  let before = []; // each member's connection count at the previous round
  const started = Date.now();
  try {
    members = await swarm({ url, room, count, timeoutMs: 30000, onMessage });
    console.log(`clients: ${count} joined in ${Date.now() - started} ms`);
    for (round = 1; round <= rounds; round++) {
      if (round > 1) {
        const go = path.join(dir, `go-${round}`);
        await waitUntil(() => fs.existsSync(go), 90000, `the test's ${go}`);
      }
      await waitUntil(() => members.every((m) => m.ready), 30000,
        `all clients connected and joined (${members.filter((m) => m.ready).length}/${count})`);
      const workers = {};
      for (const m of members) workers[where(m.worker)] = (workers[where(m.worker)] || 0) + 1;
      const roundStart = Date.now();
      await Promise.all(members.map((m) => m.send(`round ${round} from ${m.name}`, `r${round}-c${m.index}`)));
      const got = () => (received.get(round) || []).reduce((sum, ids) => sum + ids.size, 0);
      try {
        await waitUntil(() => got() === count * count, 20000, `${count * count} deliveries`);
      } finally {
        write(round, {
          round,
          clients: count,
          expected: count * count,
          delivered: got(),
          duplicates,
          ms: Date.now() - roundStart,
          short: members // clients that missed messages, with how many they got
            .map((m) => ({ client: m.name, got: (received.get(round) || [])[m.index]?.size || 0 }))
            .filter((c) => c.got !== count),
          workers,
          reconnected: members.filter((m, i) => round > 1 && m.connections > before[i]).length,
        });
      }
      before = members.map((m) => m.connections);
      console.log(`clients: round ${round}: ${count * count} deliveries in ${Date.now() - roundStart} ms`);
    }
  } catch (error) {
    console.error(`clients: round ${round}: ${error.message}`);
    process.exitCode = 1;
  } finally {
    for (const m of members) m.close();
  }
}

main().then(() => process.exit());
