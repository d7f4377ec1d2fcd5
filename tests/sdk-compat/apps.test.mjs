// Outbound app CRUD through the official node SDK (sdk.management.outboundApplication), routes 1 and
// 3-6 of the wire contract. SDK results are { ok, code, data?, error?, response }: data is the
// unwrapped `app` / `apps`; error is the parsed JSON error body.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { outboundApps, uniqueName } from './client.mjs';

const ID_PATTERN = /^[A-Za-z0-9._-]{1,100}$/;
const CLIENT_SECRET = `sdk-compat-secret-${Math.random().toString(36).slice(2)}`;

/** Fails with the status and error body when an SDK call did not succeed. */
function assertOk(res, what) {
  assert.equal(
    res.ok,
    true,
    `${what}: expected success, got HTTP ${res.code} ${JSON.stringify(res.error)}`,
  );
  assert.equal(res.code, 200, `${what}: status`);
}

/** Checks a failed SDK call: its status and a Descope error body with a non-empty errorCode. */
function assertError(res, statuses, what) {
  const expected = Array.isArray(statuses) ? statuses : [statuses];
  assert.equal(res.ok, false, `${what}: expected a failure, got HTTP ${res.code} ${JSON.stringify(res.data)}`);
  assert.ok(expected.includes(res.code), `${what}: expected HTTP ${expected.join(' or ')}, got ${res.code} ${JSON.stringify(res.error)}`);
  assert.equal(typeof res.error, 'object', `${what}: error body is JSON`);
  assert.notEqual(res.error, null, `${what}: error body is JSON`);
  assert.equal(typeof res.error.errorCode, 'string', `${what}: errorCode is a string: ${JSON.stringify(res.error)}`);
  assert.notEqual(res.error.errorCode, '', `${what}: errorCode is not empty`);
}

/** The app fields a test sent must come back as sent. */
function assertAppFields(app, expected, what) {
  for (const [key, value] of Object.entries(expected)) {
    if (key === 'clientSecret') continue;
    assert.deepEqual(app[key], value, `${what}: field ${key}`);
  }
}

/** Responses never carry the client secret. */
async function assertNoSecret(res, app, what) {
  assert.equal(Object.hasOwn(app, 'clientSecret'), false, `${what}: app has no clientSecret field`);
  const raw = await res.response.text();
  assert.ok(!raw.includes(CLIENT_SECRET), `${what}: the secret does not appear in the response body`);
}

describe('outbound applications through @descope/node-sdk', () => {
  const apps = outboundApps();
  const input = {
    name: uniqueName('sdk-compat-app'),
    description: 'created by the node SDK compatibility suite',
    clientId: 'sdk-compat-client-id',
    clientSecret: CLIENT_SECRET,
    defaultScopes: ['openid', 'email', 'https://www.googleapis.com/auth/calendar.readonly'],
    authorizationUrl: 'https://provider.example.com/oauth/authorize',
    tokenUrl: 'https://provider.example.com/oauth/token',
    pkce: true,
  };
  let id;

  it('createApplication returns the app with a server-generated id and no secret', async () => {
    const res = await apps.createApplication(input);
    assertOk(res, 'create');
    const app = res.data;
    assert.equal(typeof app.id, 'string');
    assert.notEqual(app.id, '', 'id is not empty');
    assert.match(app.id, ID_PATTERN, 'generated id uses letters, digits, ".", "_", "-" only');
    assertAppFields(app, input, 'create');
    await assertNoSecret(res, app, 'create');
    id = app.id;
  });

  it('loadApplication returns the same fields', async () => {
    assert.ok(id, 'create succeeded');
    const res = await apps.loadApplication(id);
    assertOk(res, 'load');
    assert.equal(res.data.id, id);
    assertAppFields(res.data, input, 'load');
    await assertNoSecret(res, res.data, 'load');
  });

  it('loadAllApplications lists it', async () => {
    assert.ok(id, 'create succeeded');
    const res = await apps.loadAllApplications();
    assertOk(res, 'load all');
    assert.ok(Array.isArray(res.data), `data is an array: ${JSON.stringify(res.data)}`);
    const found = res.data.find((a) => a.id === id);
    assert.ok(found, `app ${id} is listed`);
    assertAppFields(found, input, 'load all');
    for (const app of res.data) {
      assert.equal(Object.hasOwn(app, 'clientSecret'), false, `listed app ${app.id} has no clientSecret`);
    }
    const raw = await res.response.text();
    assert.ok(!raw.includes(CLIENT_SECRET), 'the secret does not appear in the list');
  });

  it('updateApplication replaces the fields it is given', async () => {
    assert.ok(id, 'create succeeded');
    const { clientSecret, ...withoutSecret } = input;
    const update = {
      ...withoutSecret,
      id,
      name: 'renamed',
      description: 'updated by the node SDK compatibility suite',
      defaultScopes: ['openid'],
      pkce: false,
    };
    const res = await apps.updateApplication(update);
    assertOk(res, 'update');
    assert.equal(res.data.id, id);
    assert.equal(res.data.name, 'renamed');
    assertAppFields(res.data, update, 'update');
    await assertNoSecret(res, res.data, 'update');

    const loaded = await apps.loadApplication(id);
    assertOk(loaded, 'load after update');
    assertAppFields(loaded.data, update, 'load after update');
  });

  it('updateApplication clears a field the update leaves out', async () => {
    assert.ok(id, 'create succeeded');
    const { clientSecret, description, ...withoutDescription } = input;
    const res = await apps.updateApplication({ ...withoutDescription, id, name: 'renamed' });
    assertOk(res, 'update without description');
    assert.ok(!res.data.description, `description cleared, got ${JSON.stringify(res.data.description)}`);
    const loaded = await apps.loadApplication(id);
    assertOk(loaded, 'load after update without description');
    assert.ok(!loaded.data.description, `description stays cleared, got ${JSON.stringify(loaded.data.description)}`);
    assert.equal(loaded.data.name, 'renamed');
  });

  it('deleteApplication deletes it', async () => {
    assert.ok(id, 'create succeeded');
    const res = await apps.deleteApplication(id);
    assertOk(res, 'delete');
  });

  it('loadApplication after delete answers 404 with an error code', async () => {
    assert.ok(id, 'create succeeded');
    const res = await apps.loadApplication(id);
    assertError(res, 404, 'load after delete');

    const all = await apps.loadAllApplications();
    assertOk(all, 'load all after delete');
    assert.ok(!all.data.some((a) => a.id === id), 'deleted app is no longer listed');
  });
});

describe('outbound application errors through @descope/node-sdk', () => {
  it('createApplication with an empty name answers 400 with an error code', async () => {
    const res = await outboundApps().createApplication({ name: '' });
    assertError(res, 400, 'create with empty name');
  });

  it('createApplication keeps an id the caller chose', async () => {
    const apps = outboundApps();
    const chosen = uniqueName('sdk-compat.chosen_id');
    const res = await apps.createApplication({ id: chosen, name: uniqueName('sdk-compat-chosen') });
    assertOk(res, 'create with id');
    assert.equal(res.data.id, chosen);
    assertOk(await apps.deleteApplication(chosen), 'delete chosen id');
  });

  it('a wrong management key is refused', async () => {
    const res = await outboundApps({ managementKey: 'not-the-key' }).loadAllApplications();
    assertError(res, [401, 403], 'wrong management key');
  });
});
