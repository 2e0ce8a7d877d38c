/**
 * D7 OTP: Set API Token's rules that need no extension host (moved from test/integration/features/token.test.ts,
 * issue 16): what `parseToken` (src/core/token.ts, which `TokenStore.set` runs before it stores anything) accepts,
 * strips and refuses, and that an accepted spelling reaches D7 as exactly `Bearer <token>`. The host keeps the
 * SecretStorage round trip (set, replace, clear, a refused value keeping the token stored before).
 */
import * as assert from 'node:assert/strict';
import { english } from '../../../../src/core/messages';
import { parseOtpId } from '../../../../src/core/otpId';
import { parseToken } from '../../../../src/core/token';
import { MOCK_TOKEN, SCENARIOS } from '../../../mock/server';
import { assertInertLine, useMock } from '../../helpers';

describe('features/token: Set API Token rules (plain Node; moved from the host suite)', () => {
  const mock = useMock();

  /** The token a value stores, and the check made with it. */
  async function checkWith(input: string) {
    const parsed = parseToken(input);
    assert.ok(parsed.ok, `${JSON.stringify(input)} is accepted`);
    const id = parseOtpId(SCENARIOS.open);
    assert.ok(id.ok);
    const result = await mock.client({ token: async () => parsed.token }).getStatus(id.otpId);
    return { parsed, result };
  }

  it('a pasted "Bearer <token>" is stored without the prefix: the header is not "Bearer Bearer …"', async () => {
    const { parsed, result } = await checkWith(`Bearer ${MOCK_TOKEN}`);
    assert.equal(parsed.token, MOCK_TOKEN);
    assert.equal(result.ok, true, result.error?.message);
    assert.deepEqual(
      mock.mock.requests.map((r) => r.headers.authorization),
      [`Bearer ${MOCK_TOKEN}`],
    );
  });

  it('surrounding whitespace and a lower-case "bearer" prefix are stripped too', async () => {
    const { parsed, result } = await checkWith(`  bearer   ${MOCK_TOKEN}\n`);
    assert.equal(parsed.token, MOCK_TOKEN);
    assert.equal(result.ok, true, result.error?.message);
    assert.equal(mock.mock.requests[0].headers.authorization, `Bearer ${MOCK_TOKEN}`);
  });

  for (const invalid of ['Bearer ', 'a\nb', '', '   ', 'with space', 'tab\there', 'tök€n']) {
    it(`refuses ${JSON.stringify(invalid)} before anything is stored, with one inert line that does not echo it`, () => {
      const parsed = parseToken(invalid);
      assert.equal(parsed.ok, false, 'refused');
      assert.ok(!parsed.ok);
      assert.match(parsed.message.id, /^token(Empty|Unsafe)$/);
      const text = english(parsed.message);
      assertInertLine(text, 'the refusal');
      if (invalid.trim().length > 1) assert.ok(!text.includes(invalid.trim()), `the refusal does not quote ${JSON.stringify(invalid)}`);
    });
  }
});
