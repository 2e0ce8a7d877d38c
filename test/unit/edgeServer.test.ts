import * as assert from 'node:assert/strict';
import { edgeId, json, redirect, REPORT_PATH, startEdgeServer } from '../mock/edgeServer';
import { MOCK_TOKEN } from '../mock/server';
import { waitFor } from './helpers';

const AUTH = { authorization: `Bearer ${MOCK_TOKEN}` };

describe('edge server (test/mock/edgeServer.ts)', () => {
  it('answers the routes it was given, 404 otherwise, and records each request (host, authorization)', async () => {
    const edge = await startEdgeServer();
    try {
      assert.match(edge.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(edge.url, `http://127.0.0.1:${edge.port}`);
      edge.route(REPORT_PATH + edgeId(1), (_req, res) => json(res, 503, { detail: 'down' }, { 'retry-after': '7' }, '[Fix](command:x)'));
      const routed = await fetch(`${edge.url}${REPORT_PATH}${edgeId(1)}`, { headers: AUTH });
      assert.deepEqual(
        [routed.status, routed.statusText, routed.headers.get('retry-after'), await routed.json()],
        [503, '[Fix](command:x)', '7', { detail: 'down' }],
      );
      const other = await fetch(`${edge.url}/elsewhere`);
      assert.deepEqual([other.status, await other.json()], [404, { detail: 'Not Found' }]);
      assert.deepEqual(edge.requests, [
        { method: 'GET', path: REPORT_PATH + edgeId(1), host: `127.0.0.1:${edge.port}`, authorization: `Bearer ${MOCK_TOKEN}` },
        { method: 'GET', path: '/elsewhere', host: `127.0.0.1:${edge.port}`, authorization: undefined },
      ]);
      edge.reset();
      assert.equal(edge.requests.length, 0);
      assert.equal((await fetch(`${edge.url}${REPORT_PATH}${edgeId(1)}`)).status, 404, 'reset forgets the routes');
    } finally {
      await edge.close();
    }
  });

  it('redirects without a body, and close() ends open connections', async () => {
    const edge = await startEdgeServer();
    edge.route('/r', (_req, res) => redirect(res, 307, '/target'));
    edge.route('/hang', () => undefined);
    const answer = await fetch(`${edge.url}/r`, { redirect: 'manual' });
    assert.deepEqual([answer.status, answer.headers.get('location'), await answer.text()], [307, '/target', '']);
    const hang = fetch(`${edge.url}/hang`);
    hang.catch(() => undefined);
    await waitFor(() => edge.requests.length === 2, 'both requests to reach the edge server');
    const started = Date.now();
    await edge.close();
    assert.ok(Date.now() - started < 1000);
    await assert.rejects(hang);
  });

  it('edgeId(n) gives distinct UUIDs', () => {
    assert.match(edgeId(42), /^edfe0000-0000-4000-8000-000000000042$/);
    assert.notEqual(edgeId(1), edgeId(2));
  });
});
