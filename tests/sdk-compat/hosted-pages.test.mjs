// The vault's hosted pages in a real browser: Debian's Chromium (/usr/bin/chromium) driven by playwright-core.
// A user types an API key on the hosted page and the node SDK then fetches it; a user who denies access at an
// OAuth provider sees the hosted result page. Each page is screenshotted to a temporary directory.
//
// Every peer is on 127.0.0.1: the vault, the fake provider (fake-provider.mjs) and a redirect target. The
// browser is started without background networking, component updates or sync, so it contacts nothing else.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { createClient, outboundApps, uniqueName, vault } from './client.mjs';
import { startProvider } from './fake-provider.mjs';
import { listen } from './loopback.mjs';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A mgmt connect (contract row 21) for a user, with the management key; returns the URL to open. */
async function connectUser(appId, userId, options = {}) {
  const res = await fetch(`${vault.baseUrl}/v1/mgmt/outbound/app/connect`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${vault.projectId}:${vault.managementKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ appId, userId, options }),
  });
  const body = await res.json();
  assert.equal(res.status, 200, `connect: ${JSON.stringify(body)}`);
  return body.url;
}

describe('hosted pages in Chromium', () => {
  const apps = outboundApps();
  const sdk = createClient();
  const created = [];
  let profile;
  let shots;
  let context;
  let target;
  const landed = [];
  const consoleErrors = [];

  async function createApp(app) {
    const res = await apps.createApplication({ name: uniqueName('sdk-hosted'), ...app });
    assert.equal(res.ok, true, `create app: ${JSON.stringify(res.error)}`);
    created.push(res.data.id);
    return res.data.id;
  }

  /** Screenshots the page and checks the file is a non-empty PNG. */
  async function screenshot(page, name) {
    const path = join(shots, `${name}.png`);
    await page.screenshot({ path, fullPage: true });
    const png = await readFile(path);
    assert.ok(png.length > 1000, `${name}.png has ${png.length} bytes`);
    assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE, `${name}.png is a PNG`);
    return path;
  }

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} not found: ./scripts/test.sh installs it (apt-get install chromium)`);
    profile = await mkdtemp(join(tmpdir(), 'outboundvault-chromium-'));
    shots = process.env.HOSTED_PAGES_SCREENSHOTS ?? await mkdtemp(join(tmpdir(), 'outboundvault-screens-'));
    // The app the connect returns to: records where the browser landed.
    target = await listen((req, res) => {
      landed.push(new URL(req.url, 'http://127.0.0.1'));
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Back in the app</title><h1>Back in the app</h1>');
    });
    // A persistent context is how playwright takes a --user-data-dir: a fresh one per run.
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    // Chromium reports the error page's own HTTP 400 on the console; anything else (a refused stylesheet, say) is a fault.
    context.on('console', (message) => {
      if (message.type() === 'error' && !message.text().includes('status of 400')) consoleErrors.push(message.text());
    });
  });

  after(async () => {
    await context?.close();
    await target?.close();
    for (const id of created) await apps.deleteApplication(id);
    if (profile) await rm(profile, { recursive: true, force: true });
    if (shots && !process.env.HOSTED_PAGES_SCREENSHOTS) await rm(shots, { recursive: true, force: true });
  });

  it('a user types an API key on the hosted page, lands on the redirect URL, and fetchToken returns the key', async () => {
    const redirectUrl = `${target.url}/connected`;
    const appId = await createApp({ description: 'Weather forecasts <by the hour>', defaultRedirectUrl: redirectUrl });
    const userId = uniqueName('sdk-hosted-user');
    const apiKey = `wk_live_${Math.random().toString(36).slice(2)}`;
    const url = await connectUser(appId, userId, { redirectUrl: `${redirectUrl}?step=2` });
    assert.ok(url.startsWith(`${vault.baseUrl}/v1/outbound/apikey?state=`), url);

    const page = await context.newPage();
    const shown = await page.goto(url);
    assert.equal(shown.status(), 200);
    assert.match(shown.headers()['content-security-policy'], /^default-src 'none'/);
    assert.match(await page.locator('h1').innerText(), /^Connect sdk-hosted-/);
    assert.equal(await page.locator('.description').innerText(), 'Weather forecasts <by the hour>');
    assert.equal(await page.locator('#apiKey').getAttribute('type'), 'password');
    const font = await page.locator('body').evaluate((body) => getComputedStyle(body).fontFamily);
    assert.match(font, /system-ui/, 'the inline stylesheet is allowed by the page policy');
    await screenshot(page, 'apikey-form');

    await page.fill('#apiKey', apiKey);
    await Promise.all([page.waitForURL((u) => u.port === String(target.port) && u.pathname === '/connected'), page.click('button[type=submit]')]);

    // The URL the browser landed on, not the last request the target saw: Chromium may ask for
    // /favicon.ico after the navigation.
    const back = new URL(page.url());
    assert.equal(back.pathname, '/connected');
    assert.equal(landed.filter((u) => u.pathname === '/connected').length, 1, 'the target saw the landing once');
    assert.equal(back.searchParams.get('step'), '2');
    assert.equal(back.searchParams.get('outbound_status'), 'success');
    assert.equal(back.searchParams.get('outbound_app_id'), appId);
    assert.ok(!page.url().includes(apiKey), 'the key is not in the URL the browser landed on');
    await page.close();

    const fetched = await apps.fetchToken(appId, userId);
    assert.equal(fetched.ok, true, `fetchToken: HTTP ${fetched.code} ${JSON.stringify(fetched.error)}`);
    assert.equal(fetched.data.accessToken, apiKey);
    assert.equal(fetched.data.grantedBy, userId);
  });

  it('a tenant connected through outbound.connect without a redirect URL ends on the hosted result page', async () => {
    const appId = await createApp({ description: 'No redirect URL' });
    const tenantId = uniqueName('sdk-hosted-tenant');
    const apiKey = `tk_${Math.random().toString(36).slice(2)}`;
    const res = await sdk.outbound.connect(appId, { tenantId, tenantLevel: true }, vault.managementKey);
    assert.equal(res.ok, true, `connect: HTTP ${res.code} ${JSON.stringify(res.error)}`);

    const page = await context.newPage();
    await page.goto(res.data.url);
    await page.fill('#apiKey', apiKey);
    const [done] = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);

    assert.equal(done.status(), 200);
    assert.equal(await page.locator('h1').innerText(), 'Connected');
    assert.ok(!(await page.content()).includes(apiKey), 'the result page does not show the key');
    await screenshot(page, 'apikey-result');
    await page.close();

    const fetched = await apps.fetchTenantToken(appId, tenantId);
    assert.equal(fetched.ok, true, `fetchTenantToken: HTTP ${fetched.code} ${JSON.stringify(fetched.error)}`);
    assert.equal(fetched.data.accessToken, apiKey);
  });

  it('a user who denies access at the provider sees the hosted result page with the error', async () => {
    const provider = await startProvider();
    try {
      const appId = await createApp({
        clientId: provider.clientId, clientSecret: provider.clientSecret, pkce: true,
        authorizationUrl: `${provider.issuer}/authorize`, tokenUrl: `${provider.issuer}/token`,
      });
      const url = await connectUser(appId, uniqueName('sdk-hosted-deny'), { scopes: ['deny-me'] });

      const page = await context.newPage();
      const answer = await page.goto(url); // the provider redirects straight back to the vault's callback
      assert.ok(page.url().startsWith(`${vault.baseUrl}/v1/outbound/oauth/callback?`), page.url());
      assert.equal(answer.status(), 400);
      assert.equal(answer.headers()['x-frame-options'], 'DENY');
      assert.equal(await page.locator('h1').innerText(), 'Connection failed');
      const text = await page.locator('body').innerText();
      assert.match(text, /The user did not grant access/);
      assert.match(text, /access_denied/);
      await screenshot(page, 'oauth-result-error');
      await page.close();
      assert.equal(provider.tokenRequests, 0, 'no code was exchanged');
    } finally {
      await provider.close();
    }
  });

  it('no page broke its own content security policy', () => {
    assert.deepEqual(consoleErrors, []);
  });
});
