// The logging app of the survival scenario: writes "<pid> line <n>" to stdout, 2 lines a
// millisecond, until $BENCH_COUNT_DIR/numbered.stop appears. Every 100 lines, and at the
// end, it records in numbered.<pid>.count how many lines its writes got into the pipe (a write
// to a pipe is synchronous in Node on Linux, so a line counted there was accepted by the
// kernel). An app whose reader died gets EPIPE and exits: the count says how far it got.
const fs = require("fs");
const dir = process.env.BENCH_COUNT_DIR;
const countFile = `${dir}/numbered.${process.pid}.count`;
let written = 0;
const record = () => fs.writeFileSync(countFile, `${written}\n`);
process.stdout.on("error", () => {
  record();
  process.exit(3);
});
const timer = setInterval(() => {
  if (fs.existsSync(`${dir}/numbered.stop`)) {
    clearInterval(timer);
    record();
    fs.writeFileSync(`${dir}/numbered.${process.pid}.done`, "");
    return;
  }
  for (let i = 0; i < 2; i++) {
    process.stdout.write(`${process.pid} line ${written + 1}\n`);
    written++;
    if (written % 100 === 0) record();
  }
}, 1);
process.on("SIGINT", () => {}); // stays until told through the file, as a real app would
