// Creates the benchmark app and uploads N user tokens through the batch upload API (1000 per request,
// BENCH_UPLOAD_CONCURRENCY requests at a time, default 4, as a migration script would).
// Usage: node load-tokens.mjs <baseUrl> <bearer> <count>
const [baseUrl, bearer, countArg] = process.argv.slice(2);
const count = Number(countArg);
const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${bearer}` };
const post = async (path, body) => {
  const res = await fetch(`${baseUrl}/v1/mgmt/outbound${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  const json = await res.json();
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${JSON.stringify(json)}`);
  return json;
};

// The token URL is the discard port on loopback: nothing in the benchmark can reach a provider.
await post('/app/create', { id: 'bench-app', name: 'Fetch benchmark', clientId: 'bench', tokenUrl: 'http://127.0.0.1:9/token' });
const expiry = Math.floor(Date.now() / 1000) + 365 * 24 * 3600; // far from any refresh margin
const concurrency = Number(process.env.BENCH_UPLOAD_CONCURRENCY ?? 4);
const batch = (offset) => {
  const tokens = [];
  for (let i = offset; i < Math.min(offset + 1000, count); i++) {
    tokens.push({
      appId: 'bench-app', userId: `u${i}`, accessToken: `bench-access-${i}-${'x'.repeat(120)}`, refreshToken: `bench-refresh-${i}`,
      accessTokenExpiry: expiry, scopes: ['read', 'write'],
    });
  }
  return tokens;
};
const started = Date.now();
let next = 0;
const worker = async () => {
  for (let offset = next; offset < count; offset = next) {
    next += 1000;
    const { failures } = await post('/app/user/oauthtoken/batch/upload', { tokens: batch(offset) });
    if (failures.length > 0) throw new Error(`batch at ${offset}: ${JSON.stringify(failures[0])}`);
  }
};
await Promise.all(Array.from({ length: concurrency }, worker));
const seconds = (Date.now() - started) / 1000;
console.log(`JSON {"tokens":${count},"concurrency":${concurrency},"seconds":${seconds.toFixed(1)},"per_second":${Math.round(count / seconds)}}`);
