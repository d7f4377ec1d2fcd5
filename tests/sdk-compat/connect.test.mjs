// The connect flow (contract rows 20-21) through the official node SDK: `sdk.outbound.connect` with a
// user JWT and with the management key, the provider's redirect brought to the vault's callback, and the
// connected token fetched with `sdk.management.outboundApplication`.
//
// The OAuth provider and OIDC identity provider (fake-provider.mjs) listen on 127.0.0.1 at the port run.sh
// reserved (VAULT_IDP_PORT), configured as the vault's Connect:Jwt:Authority. Browser redirects are read,
// never followed past the vault, so no request leaves the machine.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createClient, outboundApps, uniqueName, vault } from './client.mjs';
import { startProvider } from './fake-provider.mjs';

const IDP_PORT = Number(process.env.VAULT_IDP_PORT);
const AUDIENCE = process.env.VAULT_JWT_AUDIENCE;
if (!IDP_PORT || !AUDIENCE) throw new Error('VAULT_IDP_PORT / VAULT_JWT_AUDIENCE are not set: run the suite through tests/sdk-compat/run.sh');
const REDIRECT_URL = 'https://app.example.test/connected';

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
  let provider;
  let userJwt;
  let appId;

  before(async () => {
    provider = await startProvider({ port: IDP_PORT, audience: AUDIENCE });
    userJwt = provider.userJwt;
    const created = await apps.createApplication({
      name: uniqueName('sdk-connect'), clientId: provider.clientId, clientSecret: provider.clientSecret, pkce: true,
      authorizationUrl: `${provider.issuer}/authorize`, tokenUrl: `${provider.issuer}/token`, defaultRedirectUrl: REDIRECT_URL, defaultScopes: ['openid'],
    });
    assert.equal(created.ok, true, `create app: ${JSON.stringify(created.error)}`);
    appId = created.data.id;
  });

  after(async () => {
    if (appId) await apps.deleteApplication(appId);
    await provider?.close();
  });

  it('outbound.connect with a user JWT returns the authorization URL, and the token arrives for its sub', async () => {
    const userId = uniqueName('sdk-connect-user');
    const res = await sdk.outbound.connect(appId, { redirectUrl: `${REDIRECT_URL}?step=2`, scopes: ['repo', 'read:org'] }, userJwt(userId));
    assert.equal(res.ok, true, `connect: HTTP ${res.code} ${JSON.stringify(res.error)}`);
    const authorization = new URL(res.data.url);
    assert.equal(authorization.searchParams.get('client_id'), provider.clientId);
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
