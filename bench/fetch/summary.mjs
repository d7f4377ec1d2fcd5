// Prints the fetch benchmark's results (the JSON lines run.sh collected) as Markdown tables, with the
// targets: service >= 0.5x the raw-read baseline, p99 < 10 ms at about half of peak, RSS < 300 MB.
import { readFileSync } from 'node:fs';

const rows = readFileSync(process.argv[2], 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const ms = (us) => (us / 1000).toFixed(2);
const of = (phase) => rows.filter((r) => r.phase === phase);

const load = of('load')[0];
console.log(`Loaded ${load.upload.tokens} tokens in ${load.upload.seconds} s (${load.upload.per_second} tokens/s through the batch upload API, load avg ${load.load}).\n`);

const service = of('service').map((r) => ({ ...r, rps: r.wrk.requests / (r.wrk.duration_us / 1e6) }));
console.log('| connections | requests/s | p50 ms | p90 ms | p99 ms | errors | server CPU µs/req | PostgreSQL CPU µs/req | machine busy | server RSS MB | load avg |');
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of service) {
  const w = r.wrk;
  console.log(`| ${r.connections} | ${r.rps.toFixed(0)} | ${ms(w.p50_us)} | ${ms(w.p90_us)} | ${ms(w.p99_us)} | ${w.non2xx + w.socket_errors} | ${w.server_cpu_us} | ${w.db_cpu_us} | ${w.machine_busy_pct}% | ${r.rss_mb} | ${r.load} |`);
}

for (const r of of('reference')) {
  const w = r.wrk;
  console.log(`\nReference, ${r.route} at ${r.connections} connections: ${(w.requests / (w.duration_us / 1e6)).toFixed(0)} req/s, p50 ${ms(w.p50_us)} ms, p99 ${ms(w.p99_us)} ms, server CPU ${w.server_cpu_us} µs/req, PostgreSQL CPU ${w.db_cpu_us} µs/req.`);
}

const baseline = of('baseline');
console.log('\n| baseline (pgbench, same cluster) | clients | transactions/s | p50 ms | p99 ms | PostgreSQL CPU µs/tx | load avg |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const r of baseline) console.log(`| ${r.name} | ${r.clients} | ${r.tps.toFixed(0)} | ${ms(r.p50_us)} | ${ms(r.p99_us)} | ${r.db_cpu_us} | ${r.load} |`);

const peak = service.reduce((a, b) => (b.rps > a.rps ? b : a));
const half = service.reduce((a, b) => (Math.abs(b.rps - peak.rps / 2) < Math.abs(a.rps - peak.rps / 2) ? b : a));
const bestOf = (name) => baseline.filter((r) => r.name === name).reduce((a, b) => (b.tps > a.tps ? b : a));
const byId = bestOf('token row by id');
const after = of('after')[0];
const loaded = of('loaded')[0];

console.log('\n| measure | value | target |');
console.log('|---|---|---|');
console.log(`| service peak | ${peak.rps.toFixed(0)} req/s at ${peak.connections} connections | |`);
for (const name of [...new Set(baseline.map((r) => r.name))]) {
  const best = bestOf(name);
  console.log(`| baseline peak: ${name} | ${best.tps.toFixed(0)} tx/s at ${best.clients} clients (service/baseline ${(peak.rps / best.tps).toFixed(2)}) | ${name === byId.name ? '>= 0.5' : ''} |`);
}
console.log(`| p99 at about half of peak | ${ms(half.wrk.p99_us)} ms (${half.rps.toFixed(0)} req/s, ${half.connections} connections) | < 10 ms |`);
console.log(`| server RSS | ${loaded.rss_mb} MB after loading, ${after.rss_mb} MB after the sweep, peak ${after.hwm_mb} MB | < 300 MB |`);
const met = [peak.rps / byId.tps >= 0.5, half.wrk.p99_us < 10000, after.hwm_mb < 300];
console.log(`\nTargets: throughput ratio ${met[0] ? 'met' : 'MISSED'}, p99 at half of peak ${met[1] ? 'met' : 'MISSED'}, memory ${met[2] ? 'met' : 'MISSED'}.`);
