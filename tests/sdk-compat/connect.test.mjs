// The connect flow (contract rows 20-21) through the official node SDK: `sdk.outbound.connect` with a
// user JWT and with the management key, the provider's redirect brought to the vault's callback, and the
// connected token fetched with `sdk.management.outboundApplication`.
//
// This file serves a small OAuth provider and OIDC identity provider on 127.0.0.1 at the port run.sh
// reserved (VAULT_IDP_PORT) and configured as the vault's Connect:Jwt:Authority. It checks client
// credentials, redirect_uri and the PKCE verifier like a strict provider. Browser redirects are read,
// never followed past the vault, so no request leaves the machine.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { createClient, outboundApps, uniqueName, vault } from './client.mjs';

const IDP_PORT = Number(process.env.VAULT_IDP_PORT);
const AUDIENCE = process.env.VAULT_JWT_AUDIENCE;
if (!IDP_PORT || !AUDIENCE) throw new Error('VAULT_IDP_PORT / VAULT_JWT_AUDIENCE are not set: run the suite through tests/sdk-compat/run.sh');
const ISSUER = `http://127.0.0.1:${IDP_PORT}`;
const REDIRECT_URL = 'https://app.example.test/connected';
const CLIENT_ID = 'sdk-compat-client';
const CLIENT_SECRET = `sdk-compat-client-secret-${randomBytes(8).toString('hex')}`;

const b64url = (data) => Buffer.from(data).toString('base64url');
const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const KID = 'sdk-compat-idp';

/** An RS256 user JWT from the identity provider the vault trusts. */
function userJwt(sub, { expiresIn = 3600, audience = AUDIENCE } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: KID }));
  const payload = b64url(JSON.stringify({ iss: ISSUER, aud: audience, sub, iat: now - 60, exp: now + expiresIn }));
  return `${header}.${payload}.${sign('sha256', Buffer.from(`${header}.${payload}`), privateKey).toString('base64url')}`;
}

/** The fake provider: codes it issued, and what it answered, for assertions. */
const provider = { codes: new Map(), issued: [], tokenRequests: 0 };

function redirect(res, location) {
  res.writeHead(302, { Location: location }).end();
}

function json(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

async function handle(req, res) {
  const url = new URL(req.url, ISSUER);
  if (url.pathname === '/.well-known/openid-configuration') {
    return json(res, 200, { issuer: ISSUER, authorization_endpoint: `${ISSUER}/authorize`, token_endpoint: `${ISSUER}/token`, jwks_uri: `${ISSUER}/jwks` });
  }
  if (url.pathname === '/jwks') {
    return json(res, 200, { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: KID, use: 'sig', alg: 'RS256' }] });
  }
  if (url.pathname === '/authorize') {
    const q = url.searchParams;
    const back = new URL(q.get('redirect_uri'));
    back.searchParams.set('state', q.get('state'));
    if (q.get('client_id') !== CLIENT_ID || q.get('response_type') !== 'code') return json(res, 400, { error: 'invalid_request' });
    if ((q.get('scope') ?? '').split(' ').includes('deny-me')) {
      back.searchParams.set('error', 'access_denied');
      return redirect(res, back.href);
    }
    const code = `code-${randomBytes(16).toString('hex')}`;
    provider.codes.set(code, { redirectUri: q.get('redirect_uri'), challenge: q.get('code_challenge'), method: q.get('code_challenge_method'), scope: q.get('scope') });
    back.searchParams.set('code', code);
    return redirect(res, back.href);
  }
  if (url.pathname === '/token' && req.method === 'POST') {
    provider.tokenRequests++;
    let body = '';
    for await (const chunk of req) body += chunk;
    const form = new URLSearchParams(body);
    const pending = provider.codes.get(form.get('code'));
    provider.codes.delete(form.get('code'));
    if (form.get('client_id') !== CLIENT_ID || form.get('client_secret') !== CLIENT_SECRET) return json(res, 401, { error: 'invalid_client' });
    if (form.get('grant_type') !== 'authorization_code' || !pending || pending.redirectUri !== form.get('redirect_uri')) return json(res, 400, { error: 'invalid_grant' });
    const verifier = form.get('code_verifier') ?? '';
    if (pending.method !== 'S256' || b64url(createHash('sha256').update(verifier).digest()) !== pending.challenge) {
      return json(res, 400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
    }
    const answer = { access_token: `at-${randomBytes(16).toString('hex')}`, refresh_token: `rt-${randomBytes(16).toString('hex')}`, token_type: 'Bearer', expires_in: 3600, scope: pending.scope };
    provider.issued.push(answer);
    return json(res, 200, answer);
  }
  return json(res, 404, { error: 'not_found' });
}

/** Follows the authorization URL to the provider, then brings its redirect to the vault; returns the vault's redirect. */
async function completeInBrowser(authorizationUrl) {
  assert.equal(new URL(authorizationUrl).hostname, '127.0.0.1', 'the provider is on loopback');
  const atProvider = await fetch(authorizationUrl, { redirect: 'manual' });
  assert.equal(atProvider.status, 302, 'the provider redirects back');
  const callback = atProvider.headers.get('location');
  assert.ok(callback.startsWith(`${vault.baseUrl}/v1/outbound/oauth/callback?`), `redirect_uri is the vault callback: ${callback}`);
  const atVault = await fetch(callback, { redirect: 'manual' });
  assert.equal(atVault.status, 302, `the callback redirects (HTTP ${atVault.status})`);
  assert.equal(atVault.headers.get('referrer-policy'), 'no-referrer');
  return new URL(atVault.headers.get('location'));
}

describe('connect through @descope/node-sdk', () => {
  const apps = outboundApps();
  const sdk = createClient();
  let server;
  let appId;

  before(async () => {
    server = createServer((req, res) => handle(req, res).catch((e) => json(res, 500, { error: 'server_error', error_description: String(e) })));
    await new Promise((resolve, reject) => server.once('error', reject).listen(IDP_PORT, '127.0.0.1', resolve));
    const created = await apps.createApplication({
      name: uniqueName('sdk-connect'), clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, pkce: true,
      authorizationUrl: `${ISSUER}/authorize`, tokenUrl: `${ISSUER}/token`, defaultRedirectUrl: REDIRECT_URL, defaultScopes: ['openid'],
    });
    assert.equal(created.ok, true, `create app: ${JSON.stringify(created.error)}`);
    appId = created.data.id;
  });

  after(async () => {
    if (appId) await apps.deleteApplication(appId);
    await new Promise((resolve) => server?.close(resolve) ?? resolve());
  });

  it('outbound.connect with a user JWT returns the authorization URL, and the token arrives for its sub', async () => {
    const userId = uniqueName('sdk-connect-user');
    const res = await sdk.outbound.connect(appId, { redirectUrl: `${REDIRECT_URL}?step=2`, scopes: ['repo', 'read:org'] }, userJwt(userId));
    assert.equal(res.ok, true, `connect: HTTP ${res.code} ${JSON.stringify(res.error)}`);
    const authorization = new URL(res.data.url);
    assert.equal(authorization.searchParams.get('client_id'), CLIENT_ID);
    assert.equal(authorization.searchParams.get('scope'), 'repo read:org');
    assert.equal(authorization.searchParams.get('code_challenge_method'), 'S256');

    const back = await completeInBrowser(res.data.url);
    assert.equal(`${back.origin}${back.pathname}`, REDIRECT_URL);
    assert.equal(back.searchParams.get('step'), '2');
    assert.equal(back.searchParams.get('outbound_status'), 'success');
    assert.equal(back.searchParams.get('outbound_app_id'), appId);

    const fetched = await apps.fetchToken(appId, userId, undefined, { withRefreshToken: true });
    assert.equal(fetched.ok, true, `fetchToken: HTTP ${fetched.code} ${JSON.stringify(fetched.error)}`);
    const issued = provider.issued.at(-1);
    assert.equal(fetched.data.accessToken, issued.access_token);
    assert.equal(fetched.data.refreshToken, issued.refresh_token);
    assert.deepEqual(fetched.data.scopes, ['repo', 'read:org']);
    assert.equal(fetched.data.grantedBy, userId);
  });

  it('outbound.connect with the management key connects a whole tenant', async () => {
    const tenantId = uniqueName('sdk-connect-tenant');
    const res = await sdk.outbound.connect(appId, { tenantId, tenantLevel: true }, vault.managementKey);
    assert.equal(res.ok, true, `connect: HTTP ${res.code} ${JSON.stringify(res.error)}`);

    const back = await completeInBrowser(res.data.url);
    assert.equal(back.searchParams.get('outbound_status'), 'success');
    const fetched = await apps.fetchTenantToken(appId, tenantId);
    assert.equal(fetched.ok, true, `fetchTenantToken: HTTP ${fetched.code} ${JSON.stringify(fetched.error)}`);
    assert.equal(fetched.data.accessToken, provider.issued.at(-1).access_token);
    assert.equal(fetched.data.tenantId, tenantId);
  });

  it('a user who denies access comes back with an error marker and no token is stored', async () => {
    const userId = uniqueName('sdk-connect-deny');
    const before = provider.tokenRequests;
    const res = await sdk.outbound.connect(appId, { scopes: ['deny-me'] }, userJwt(userId));
    assert.equal(res.ok, true, `connect: HTTP ${res.code} ${JSON.stringify(res.error)}`);

    const back = await completeInBrowser(res.data.url);
    assert.equal(back.searchParams.get('outbound_status'), 'error');
    assert.equal(back.searchParams.get('outbound_error'), 'access_denied');
    assert.equal(provider.tokenRequests, before, 'no code was exchanged');
    const fetched = await apps.fetchToken(appId, userId);
    assert.equal(fetched.ok, false);
    assert.equal(fetched.code, 404);
  });

  it('an expired or foreign user JWT is refused with a Descope error body', async () => {
    for (const [jwt, what] of [[userJwt('u', { expiresIn: -600 }), 'expired'], [userJwt('u', { audience: 'someone-else' }), 'audience']]) {
      const res = await sdk.outbound.connect(appId, {}, jwt);
      assert.equal(res.ok, false, `${what}: refused`);
      assert.equal(res.code, 401, `${what}: status`);
      assert.equal(res.error?.errorCode, 'E081401', `${what}: ${JSON.stringify(res.error)}`);
    }
  });

  it('a redirectUrl on a host the app does not own is refused (no open redirects)', async () => {
    const res = await sdk.outbound.connect(appId, { redirectUrl: 'https://evil.example/steal' }, userJwt(uniqueName('sdk-connect-evil')));
    assert.equal(res.ok, false);
    assert.equal(res.code, 400);
    assert.equal(res.error?.errorCode, 'E011003');
    assert.match(res.error.errorMessage, /options\.redirectUrl/);
  });
});
