// The idle app of the benchmarks: a Node process that stays alive and does nothing.
setInterval(() => {}, 1 << 30);
