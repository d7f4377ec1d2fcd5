// Token methods of the official node SDK (sdk.management.outboundApplication), routes 7-19 of the wire
// contract: uploads, fetches, deletes and the apps-with-user-token list, each result asserted.
// Test apps point their token URL at the discard port on loopback, so nothing here can reach a provider.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { outboundApps, uniqueName } from './client.mjs';

const TOKEN_URL = 'http://127.0.0.1:9/token';
const EXPIRY = 1900000000;
const secret = (what) => `${what}-sdk-compat-${Math.random().toString(36).slice(2)}`;

function assertOk(res, what) {
  assert.equal(res.ok, true, `${what}: expected success, got HTTP ${res.code} ${JSON.stringify(res.error)}`);
  assert.equal(res.code, 200, `${what}: status`);
}

function assertError(res, status, errorCode, what) {
  assert.equal(res.ok, false, `${what}: expected a failure, got HTTP ${res.code} ${JSON.stringify(res.data)}`);
  assert.equal(res.code, status, `${what}: status ${JSON.stringify(res.error)}`);
  assert.equal(res.error?.errorCode, errorCode, `${what}: errorCode in ${JSON.stringify(res.error)}`);
  assert.equal(typeof res.error.errorMessage, 'string', `${what}: errorMessage`);
}

/** The token shape of contract §4 as the node SDK hands it over (data is the unwrapped `token`). */
function assertToken(token, expected, what) {
  assert.equal(typeof token.id, 'string', `${what}: id`);
  assert.notEqual(token.id, '', `${what}: id is not empty`);
  for (const [key, value] of Object.entries(expected)) {
    assert.deepEqual(token[key], value, `${what}: ${key} in ${JSON.stringify({ ...token, accessToken: '…', refreshToken: '…' })}`);
  }
  assert.equal(typeof token.accessTokenExpiry, 'string', `${what}: accessTokenExpiry is a string of epoch seconds`);
  assert.match(token.accessTokenExpiry, /^\d+$/, `${what}: accessTokenExpiry`);
  assert.equal(typeof token.hasRefreshToken, 'boolean', `${what}: hasRefreshToken`);
  assert.ok(Array.isArray(token.scopes), `${what}: scopes is an array`);
}

describe('tokens through @descope/node-sdk', () => {
  const apps = outboundApps();
  const userId = uniqueName('sdk-user');
  const tenantId = uniqueName('sdk-tenant');
  const secrets = { access: secret('access'), refresh: secret('refresh'), apiKey: secret('apikey'), tenantKey: secret('tenant-key') };
  let oauthApp;
  let keyApp;

  before(async () => {
    const oauth = await apps.createApplication({ name: uniqueName('sdk-tokens-oauth'), tokenUrl: TOKEN_URL, authorizationUrl: 'http://127.0.0.1:9/authorize' });
    assertOk(oauth, 'create OAuth app');
    oauthApp = oauth.data.id;
    const keys = await apps.createApplication({ name: uniqueName('sdk-tokens-keys') });
    assertOk(keys, 'create API-key app');
    keyApp = keys.data.id;
  });

  after(async () => {
    for (const id of [oauthApp, keyApp].filter(Boolean)) await apps.deleteApplication(id);
  });

  it('uploadUserToken stores a user token and fetchToken returns it with times as strings', async () => {
    const up = await apps.uploadUserToken({
      appId: oauthApp, userId, accessToken: secrets.access, refreshToken: secrets.refresh, accessTokenExpiry: EXPIRY,
      scopes: ['read', 'write'], grantedBy: 'sdk-compat', externalIdentifier: 'ext-1',
    });
    assertOk(up, 'uploadUserToken');
    assert.deepEqual(up.data, {}, 'upload answers {}');

    const res = await apps.fetchToken(oauthApp, userId);
    assertOk(res, 'fetchToken');
    assertToken(res.data, {
      appId: oauthApp, userId, accessToken: secrets.access, accessTokenExpiry: String(EXPIRY), hasRefreshToken: true,
      scopes: ['read', 'write'], grantedBy: 'sdk-compat', externalIdentifier: 'ext-1', accessTokenType: 'Bearer',
    }, 'fetchToken');
    assert.equal(res.data.refreshToken, undefined, 'no refresh token unless asked for');
    assert.equal(res.data.tenantId, undefined, 'no tenantId on a user token of no tenant');
    assert.ok(!(await res.response.text()).includes(secrets.refresh), 'the refresh token is not in the body');
  });

  it('fetchToken with withRefreshToken returns the refresh token', async () => {
    const res = await apps.fetchToken(oauthApp, userId, undefined, { withRefreshToken: true });
    assertOk(res, 'fetchToken withRefreshToken');
    assert.equal(res.data.refreshToken, secrets.refresh);
  });

  it('fetchTokenByScopes returns the most recent token covering every scope, in a tenant too', async () => {
    assertOk(await apps.uploadUserToken({ appId: oauthApp, userId, tenantId, accessToken: 'in-tenant', scopes: ['read'] }), 'upload tenant-scoped');
    const res = await apps.fetchTokenByScopes(oauthApp, userId, ['write', 'read']);
    assertOk(res, 'fetchTokenByScopes');
    assertToken(res.data, { accessToken: secrets.access, scopes: ['read', 'write'] }, 'fetchTokenByScopes');

    const scoped = await apps.fetchTokenByScopes(oauthApp, userId, ['read'], { withRefreshToken: false }, tenantId);
    assertOk(scoped, 'fetchTokenByScopes in a tenant');
    assertToken(scoped.data, { accessToken: 'in-tenant', tenantId, userId, hasRefreshToken: false, accessTokenExpiry: '0' }, 'tenant-scoped user token');

    const latest = await apps.fetchToken(oauthApp, userId, tenantId);
    assertOk(latest, 'fetchToken in a tenant');
    assert.equal(latest.data.accessToken, 'in-tenant');

    assertError(await apps.fetchTokenByScopes(oauthApp, userId, ['admin']), 404, 'E081404', 'no token with that scope');
  });

  it('uploadTenantToken, fetchTenantToken and fetchTenantTokenByScopes serve tenant tokens', async () => {
    const up = await apps.uploadTenantToken({ appId: oauthApp, tenantId, accessToken: 'tenant-read', refreshToken: 'tenant-r', accessTokenExpiry: EXPIRY, scopes: ['read'] });
    assertOk(up, 'uploadTenantToken');
    assert.deepEqual(up.data, {});

    const latest = await apps.fetchTenantToken(oauthApp, tenantId, { withRefreshToken: true });
    assertOk(latest, 'fetchTenantToken');
    assertToken(latest.data, { appId: oauthApp, tenantId, accessToken: 'tenant-read', refreshToken: 'tenant-r', hasRefreshToken: true }, 'fetchTenantToken');
    assert.equal(latest.data.userId, undefined, 'a tenant token has no userId');

    const scoped = await apps.fetchTenantTokenByScopes(oauthApp, tenantId, ['read']);
    assertOk(scoped, 'fetchTenantTokenByScopes');
    assert.equal(scoped.data.id, latest.data.id);
    assertError(await apps.fetchTenantTokenByScopes(oauthApp, tenantId, ['write']), 404, 'E081404', 'tenant token without the scope');
  });

  it('uploadUserApiKey and uploadTenantApiKey store keys that fetch as access tokens', async () => {
    const user = await apps.uploadUserApiKey(keyApp, userId, secrets.apiKey);
    assertOk(user, 'uploadUserApiKey');
    assert.deepEqual(user.data, {});
    const tenant = await apps.uploadTenantApiKey(keyApp, tenantId, secrets.tenantKey);
    assertOk(tenant, 'uploadTenantApiKey');
    assert.deepEqual(tenant.data, {});

    const userKey = await apps.fetchToken(keyApp, userId);
    assertOk(userKey, 'fetch user key');
    assertToken(userKey.data, { accessToken: secrets.apiKey, hasRefreshToken: false, accessTokenExpiry: '0' }, 'user API key');
    const tenantKey = await apps.fetchTenantToken(keyApp, tenantId);
    assertOk(tenantKey, 'fetch tenant key');
    assert.equal(tenantKey.data.accessToken, secrets.tenantKey);

    assertError(await apps.uploadUserApiKey(oauthApp, userId, 'k'), 400, 'E011003', 'API key to an OAuth app');
    assertError(await apps.uploadUserToken({ appId: keyApp, userId, accessToken: 'a' }), 400, 'E011003', 'OAuth token to an API-key app');
    assertError(await apps.uploadTenantApiKey('no-such-app', tenantId, 'k'), 404, 'E081404', 'unknown app');
  });

  it('listAppsWithUserToken lists the apps the user is connected to', async () => {
    const res = await apps.listAppsWithUserToken(userId);
    assertOk(res, 'listAppsWithUserToken');
    assert.deepEqual([...res.data].sort(), [oauthApp, keyApp].sort());
    const inTenant = await apps.listAppsWithUserToken(userId, tenantId);
    assertOk(inTenant, 'listAppsWithUserToken in a tenant');
    assert.deepEqual(inTenant.data, [oauthApp]);
  });

  it('batchUploadUserTokens and batchUploadTenantTokens are all or nothing', async () => {
    const users = [1, 2, 3].map((i) => ({ appId: oauthApp, userId: `${userId}-batch-${i}`, accessToken: `batch-${i}`, accessTokenExpiry: EXPIRY }));
    const ok = await apps.batchUploadUserTokens(users);
    assertOk(ok, 'batchUploadUserTokens');
    assert.deepEqual(ok.data, { failures: [] });
    const fetched = await apps.fetchToken(oauthApp, `${userId}-batch-2`);
    assertOk(fetched, 'fetch a batch-uploaded token');
    assert.equal(fetched.data.accessToken, 'batch-2');

    const failing = await apps.batchUploadTenantTokens([
      { appId: oauthApp, tenantId: `${tenantId}-batch`, accessToken: 'would-be-stored' },
      { appId: oauthApp, tenantId: `${tenantId}-broken` },
      { appId: 'no-such-app', tenantId: `${tenantId}-elsewhere`, accessToken: 'x' },
    ]);
    assertOk(failing, 'batchUploadTenantTokens with failures');
    assert.deepEqual(failing.data.failures.map((f) => [f.appId, f.tenantId, f.errorCode, 'userId' in f]), [
      [oauthApp, `${tenantId}-broken`, 'E011002', false],
      ['no-such-app', `${tenantId}-elsewhere`, 'E081404', false],
    ]);
    for (const failure of failing.data.failures) assert.equal(typeof failure.reason, 'string');
    assertError(await apps.fetchTenantToken(oauthApp, `${tenantId}-batch`), 404, 'E081404', 'nothing of a failed batch is stored');

    const tenants = await apps.batchUploadTenantTokens([{ appId: oauthApp, tenantId: `${tenantId}-batch`, accessToken: 'stored-now' }]);
    assertOk(tenants, 'batchUploadTenantTokens');
    assert.deepEqual(tenants.data, { failures: [] });
    const tenantToken = await apps.fetchTenantToken(oauthApp, `${tenantId}-batch`);
    assertOk(tenantToken, 'fetch a batch-uploaded tenant token');
    assert.equal(tenantToken.data.accessToken, 'stored-now');
  });

  it('deleteTokenById deletes one token', async () => {
    const token = await apps.fetchToken(oauthApp, `${userId}-batch-1`);
    assertOk(token, 'fetch before delete');
    const res = await apps.deleteTokenById(token.data.id);
    assertOk(res, 'deleteTokenById');
    assert.deepEqual(res.data, {});
    assertError(await apps.fetchToken(oauthApp, `${userId}-batch-1`), 404, 'E081404', 'fetch after delete');
    assertError(await apps.deleteTokenById(token.data.id), 404, 'E081404', 'deleting it again');
  });

  it('deleteUserTokens by app, by user (node sends the literal undefined) and by both', async () => {
    const byBoth = await apps.deleteUserTokens(oauthApp, `${userId}-batch-2`);
    assertOk(byBoth, 'deleteUserTokens(app, user)');
    assert.deepEqual(byBoth.data, {});
    assertError(await apps.fetchToken(oauthApp, `${userId}-batch-2`), 404, 'E081404', 'after delete by app and user');

    const byUser = await apps.deleteUserTokens(undefined, userId);
    assertOk(byUser, 'deleteUserTokens(undefined, user)');
    const left = await apps.listAppsWithUserToken(userId);
    assertOk(left, 'list after delete by user');
    assert.deepEqual(left.data, []);
    assertError(await apps.fetchToken(oauthApp, userId, tenantId), 404, 'E081404', 'tenant-scoped user tokens go too');
    const tenantToken = await apps.fetchTenantToken(oauthApp, tenantId);
    assertOk(tenantToken, 'tenant-level tokens stay');

    const byApp = await apps.deleteUserTokens(oauthApp);
    assertOk(byApp, 'deleteUserTokens(app)');
    assertError(await apps.fetchToken(oauthApp, `${userId}-batch-3`), 404, 'E081404', 'after delete by app');

    assertOk(await apps.deleteUserTokens(oauthApp, 'nobody'), 'nothing to delete still answers {}');
    assertError(await apps.deleteUserTokens(), 400, 'E011002', 'deleteUserTokens() with neither');
  });

  it('fetch errors carry Descope error bodies', async () => {
    assertError(await apps.fetchToken('no-such-app', userId), 404, 'E081404', 'unknown app');
    assertError(await apps.fetchToken(oauthApp, ''), 400, 'E011002', 'empty userId');
    assertError(await apps.fetchTenantToken(oauthApp, ''), 400, 'E011002', 'empty tenantId');
  });
});
