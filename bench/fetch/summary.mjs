// Prints the fetch benchmark's results (the JSON lines run.sh collected) as Markdown tables, with the targets
// (bench/README.md): vault >= 0.8x the floor app, PostgreSQL work per fetch <= 1.3x pgbench's for the same query,
// SQLite fetches >= 0.5x the license floor, p99 < 10 ms at about half of peak, RSS < 300 MB.
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

const rate = (r) => r.wrk.requests / (r.wrk.duration_us / 1e6);
const floor = of('floor').map((r) => ({ ...r, rps: rate(r) }));
if (floor.length > 0) {
  console.log('\n| floor app, connections | requests/s | p50 ms | p99 ms | server CPU µs/req | PostgreSQL CPU µs/req | vault / floor | load avg |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of floor) {
    const vault = service.find((v) => v.connections === r.connections);
    console.log(`| ${r.connections} | ${r.rps.toFixed(0)} | ${ms(r.wrk.p50_us)} | ${ms(r.wrk.p99_us)} | ${r.wrk.server_cpu_us} | ${r.wrk.db_cpu_us} | ${vault ? (vault.rps / r.rps).toFixed(2) : ''} | ${r.load} |`);
  }
}
for (const r of of('statements')) {
  console.log(`\nStatements PostgreSQL ran during the ${r.fetches} fetches of the sweep (pg_stat_statements):\n`);
  console.log('| calls per fetch | mean µs | rows | statement |');
  console.log('|---:|---:|---:|---|');
  for (const q of r.statements) console.log(`| ${q.per_fetch} | ${q.mean_us} | ${q.rows} | \`${q.query.replaceAll('|', '\\|')}\` |`);
}

for (const r of of('sweep-plan')) {
  console.log(`\nThe worker's sweep query with ${r.due} of ${r.tokens} tokens due (EXPLAIN ANALYZE):\n`);
  console.log('```\n' + r.plan.join('\n') + '\n```');
}

const baseline = of('baseline');
if (baseline.length > 0) {
console.log('\n| baseline (pgbench, same cluster) | clients | transactions/s | p50 ms | p99 ms | PostgreSQL CPU µs/tx | load avg |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const r of baseline) console.log(`| ${r.name} | ${r.clients} | ${r.tps.toFixed(0)} | ${ms(r.p50_us)} | ${ms(r.p99_us)} | ${r.db_cpu_us} | ${r.load} |`);
}

const peak = service.reduce((a, b) => (b.rps > a.rps ? b : a));
const half = service.reduce((a, b) => (Math.abs(b.rps - peak.rps / 2) < Math.abs(a.rps - peak.rps / 2) ? b : a));
const after = of('after')[0];
const loaded = of('loaded')[0];
const targets = [];

console.log('\n| measure | value | target |');
console.log('|---|---|---|');
console.log(`| service peak | ${peak.rps.toFixed(0)} req/s at ${peak.connections} connections | |`);
if (floor.length > 0) {
  const floorAtPeak = floor.find((r) => r.connections === peak.connections);
  const ratio = peak.rps / floorAtPeak.rps;
  console.log(`| floor app at ${peak.connections} connections | ${floorAtPeak.rps.toFixed(0)} req/s (vault/floor ${ratio.toFixed(2)}) | >= 0.8 |`);
  targets.push(['vault/floor', ratio >= 0.8]);
}
if (baseline.length > 0) {
  const owner = baseline.filter((r) => r.name === 'fetch query (owner index)').reduce((a, b) => (b.tps > a.tps ? b : a));
  const work = peak.wrk.db_cpu_us / owner.db_cpu_us;
  console.log(`| PostgreSQL CPU per fetch at peak / per pgbench owner query | ${peak.wrk.db_cpu_us} µs / ${owner.db_cpu_us} µs = ${work.toFixed(2)} | <= 1.3 |`);
  targets.push(['PostgreSQL work', work <= 1.3]);
  for (const name of [...new Set(baseline.map((r) => r.name))]) {
    const best = baseline.filter((r) => r.name === name).reduce((a, b) => (b.tps > a.tps ? b : a));
    console.log(`| baseline peak: ${name} | ${best.tps.toFixed(0)} tx/s at ${best.clients} clients (service/baseline ${(peak.rps / best.tps).toFixed(2)}) | |`);
  }
}
const license = of('reference')[0];
if (of('started')[0]?.database === 'sqlite' && license) {
  const ratio = peak.rps / rate(license);
  console.log(`| SQLite fetch peak / license floor | ${peak.rps.toFixed(0)} / ${rate(license).toFixed(0)} req/s = ${ratio.toFixed(2)} | >= 0.5 |`);
  targets.push(['SQLite/license', ratio >= 0.5]);
}
console.log(`| p99 at about half of peak | ${ms(half.wrk.p99_us)} ms (${half.rps.toFixed(0)} req/s, ${half.connections} connections) | < 10 ms |`);
console.log(`| server RSS | ${loaded.rss_mb} MB after loading, ${after.rss_mb} MB after the sweep, peak ${after.hwm_mb} MB | < 300 MB |`);
targets.push(['p99 at half of peak', half.wrk.p99_us < 10000], ['memory', after.hwm_mb < 300]);
console.log(`\nTargets: ${targets.map(([name, met]) => `${name} ${met ? 'met' : 'MISSED'}`).join(', ')}.`);
