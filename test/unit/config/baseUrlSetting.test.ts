/**
 * `d7otp.baseUrl` as the client reads it at each call (src/config.ts hands the user value to the client; moved from
 * test/integration/config.test.ts, issue 16): the token goes wherever it points, so anything but an https origin or a
 * loopback http origin is refused before any request, with a message that names the setting and the rule and never
 * repeats a password. The host keeps what VS Code decides: the user value is read, a workspace value is not.
 */
import * as assert from 'node:assert/strict';
import { OtpCalls } from '../../../src/core/calls';
import { Recorder } from '../../../src/core/history/recorder';
import { english } from '../../../src/core/messages';
import { SCENARIOS } from '../../mock/server';
import { useMock } from '../helpers';
import { testStore } from '../historyFixtures';

describe('config: d7otp.baseUrl refused before any request (plain Node; moved from the host suite)', () => {
  const mock = useMock();

  function callsWith(baseUrl: string) {
    const store = testStore();
    const calls = new OtpCalls({
      client: mock.client({ baseUrl: () => baseUrl }),
      recorder: new Recorder(store),
      history: store,
      profiles: { active: () => 'default', exists: () => true },
      word: english,
      onInternalError: (op, error) => assert.fail(`internal error in ${op}: ${String(error)}`),
    });
    return { calls, store };
  }

  it('http:// to a non-loopback host: kind config, no HTTP status, the message names the setting and http://, recorded', async () => {
    const { calls, store } = callsWith('http://example.com');
    const result = await calls.status(SCENARIOS.open);
    assert.deepEqual([result.ok, result.httpStatus, result.error?.kind], [false, undefined, 'config']);
    assert.match(result.error?.message ?? '', /d7otp\.baseUrl/);
    assert.match(result.error?.message ?? '', /http:\/\//);
    assert.equal(mock.mock.requests.length, 0, 'nothing sent');
    await store.flush();
    assert.deepStrictEqual(store.entries[0]?.checks[0], result, 'recorded as returned');
  });

  const refused: [string, RegExp][] = [
    ['ftp://127.0.0.1', /https:\/\//],
    ['http://10.0.0.1:8080', /plain http/],
    ['not a url', /not a valid URL/],
    ['https://user:secret@api.d7networks.com', /user name or password/],
    ['https://api.d7networks.com/verify/v1', /origin only/],
    ['', /empty/],
  ];
  for (const [value, message] of refused) {
    it(`refuses ${JSON.stringify(value)} with a clear message, before any request`, async () => {
      const { calls } = callsWith(value);
      const result = await calls.status(SCENARIOS.open);
      assert.equal(result.error?.kind, 'config');
      assert.match(result.error?.message ?? '', /d7otp\.baseUrl/);
      assert.match(result.error?.message ?? '', message);
      assert.ok(!(result.error?.message ?? '').includes('secret'), 'a password in the URL is not repeated');
      assert.equal(mock.mock.requests.length, 0);
    });
  }
});
