// A small OAuth provider and OIDC identity provider on 127.0.0.1, for the connect tests.
//
// It checks client credentials, redirect_uri and the PKCE verifier like a strict provider, answers
// `access_denied` when the requested scopes include `deny-me`, and signs RS256 user JWTs with the key its
// JWKS publishes (for a vault whose Connect:Jwt:Authority is this provider's issuer).
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { json, listen, redirect } from './loopback.mjs';

const b64url = (data) => Buffer.from(data).toString('base64url');
const KID = 'sdk-compat-idp';

/**
 * Starts the provider at `port` (0 = any free port). Returns its issuer URL, client credentials, the
 * tokens it issued and the number of token requests (both updated as it runs), `userJwt` and `close`.
 */
export async function startProvider({ port = 0, audience } = {}) {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const codes = new Map();
  const provider = {
    clientId: 'sdk-compat-client',
    clientSecret: `sdk-compat-client-secret-${randomBytes(8).toString('hex')}`,
    issued: [],
    tokenRequests: 0,
  };
  let issuer;

  async function handle(req, res) {
    const url = new URL(req.url, issuer);
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(res, 200, { issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks` });
    }
    if (url.pathname === '/jwks') {
      return json(res, 200, { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: KID, use: 'sig', alg: 'RS256' }] });
    }
    if (url.pathname === '/authorize') {
      const q = url.searchParams;
      const back = new URL(q.get('redirect_uri'));
      back.searchParams.set('state', q.get('state'));
      if (q.get('client_id') !== provider.clientId || q.get('response_type') !== 'code') return json(res, 400, { error: 'invalid_request' });
      if ((q.get('scope') ?? '').split(' ').includes('deny-me')) {
        back.searchParams.set('error', 'access_denied');
        return redirect(res, back.href);
      }
      const code = `code-${randomBytes(16).toString('hex')}`;
      codes.set(code, { redirectUri: q.get('redirect_uri'), challenge: q.get('code_challenge'), method: q.get('code_challenge_method'), scope: q.get('scope') });
      back.searchParams.set('code', code);
      return redirect(res, back.href);
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      provider.tokenRequests++;
      let body = '';
      for await (const chunk of req) body += chunk;
      const form = new URLSearchParams(body);
      const pending = codes.get(form.get('code'));
      codes.delete(form.get('code'));
      if (form.get('client_id') !== provider.clientId || form.get('client_secret') !== provider.clientSecret) return json(res, 401, { error: 'invalid_client' });
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

  const server = await listen(handle, port);
  issuer = server.url;
  return Object.assign(provider, {
    issuer,
    close: server.close,
    /** An RS256 user JWT from this identity provider. */
    userJwt(sub, { expiresIn = 3600, audience: aud = audience } = {}) {
      const now = Math.floor(Date.now() / 1000);
      const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: KID }));
      const payload = b64url(JSON.stringify({ iss: issuer, aud, sub, iat: now - 60, exp: now + expiresIn }));
      return `${header}.${payload}.${sign('sha256', Buffer.from(`${header}.${payload}`), privateKey).toString('base64url')}`;
    },
  });
}
