// Builds @descope/node-sdk clients pointed at the OutboundVault server under test.
// run.sh sets VAULT_BASE_URL, VAULT_PROJECT_ID and VAULT_MANAGEMENT_KEY.
import DescopeClient from '@descope/node-sdk';

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the suite through tests/sdk-compat/run.sh`);
  }
  return value;
}

/** The server under test, as run.sh started it. */
export const vault = Object.freeze({
  baseUrl: required('VAULT_BASE_URL'),
  projectId: required('VAULT_PROJECT_ID'),
  managementKey: required('VAULT_MANAGEMENT_KEY'),
});

/**
 * A node SDK client for the vault. Overrides replace the constructor arguments, e.g.
 * `createClient({ managementKey: 'wrong' })`.
 */
export function createClient(overrides = {}) {
  return DescopeClient({
    projectId: vault.projectId,
    managementKey: vault.managementKey,
    baseUrl: vault.baseUrl,
    ...overrides,
  });
}

/** `sdk.management.outboundApplication` of a fresh client. */
export function outboundApps(overrides = {}) {
  return createClient(overrides).management.outboundApplication;
}

/** A name that is unique within this run, for objects a test creates. */
export function uniqueName(prefix) {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
