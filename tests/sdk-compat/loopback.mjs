// Small HTTP servers on 127.0.0.1 for the suite's own peers (a fake provider, a redirect target).
// Nothing here listens on or talks to any other address.
import { createServer } from 'node:http';

/** Sends a JSON body. */
export function json(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

/** Sends a 302 to `location`. */
export function redirect(res, location) {
  res.writeHead(302, { Location: location }).end();
}

/**
 * Serves `handle(req, res)` on 127.0.0.1 at `port` (0 = any free port). A handler that throws answers 500.
 * Resolves to `{ url, port, close }`.
 */
export async function listen(handle, port = 0) {
  const server = createServer((req, res) => {
    Promise.resolve(handle(req, res)).catch((e) => json(res, 500, { error: 'server_error', error_description: String(e) }));
  });
  await new Promise((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  const bound = server.address().port;
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
