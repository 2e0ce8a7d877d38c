import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { english } from '../../../src/core/messages';
import { decodeJwtPayload, parseToken, redactToken } from '../../../src/core/token';
import { ACCEPTED_TOKENS, HOSTILE_TOKENS, TOKEN_PROPERTY_RUNS } from '../../cases/tokens';
import { MOCK_TOKEN } from '../../mock/server';
import { UNSAFE_CHARS } from '../helpers';

describe('core/token', () => {
  describe('parseToken', () => {
    it('trims whitespace and strips a pasted Bearer prefix', () => {
      assert.deepEqual(parseToken('  abc.def.ghi \n'), { ok: true, token: 'abc.def.ghi' });
      assert.deepEqual(parseToken('Bearer abc.def.ghi'), { ok: true, token: 'abc.def.ghi' });
      assert.deepEqual(parseToken('bearer   Bearer abc'), { ok: true, token: 'abc' });
    });

    it('refuses empty tokens: tokenEmpty', () => {
      for (const input of ['', '   ', 'Bearer ', 'Bearer', undefined, null, 42]) {
        const parsed = parseToken(input);
        assert.equal(parsed.ok ? '' : parsed.message.id, 'tokenEmpty', JSON.stringify(input));
      }
    });

    it('refuses header injection: newlines, control characters, inner spaces, non-ASCII (tokenUnsafe)', () => {
      for (const input of ['abc\r\nX-Evil: 1', 'ab\u0000c', 'ab c', 'ab\tc', 'tökén', 'ab\u007fc', 'a\u2028b']) {
        const parsed = parseToken(input);
        assert.equal(parsed.ok ? '' : parsed.message.id, 'tokenUnsafe', JSON.stringify(input));
      }
    });

    it(`${HOSTILE_TOKENS.length} hostile tokens refused, the message one line that never echoes them`, () => {
      for (const [what, input] of HOSTILE_TOKENS) {
        const parsed = parseToken(input);
        assert.equal(parsed.ok, false, what);
        if (parsed.ok) continue;
        const text = english(parsed.message);
        assert.doesNotMatch(text, UNSAFE_CHARS, what);
        if (typeof input === 'string' && input.trim().length > 3) assert.ok(!text.includes(input.trim()), `${what}: not echoed`);
      }
    });

    it(`${ACCEPTED_TOKENS.length} accepted spellings: trimmed, a pasted "Bearer " stripped`, () => {
      for (const [what, input, expected] of ACCEPTED_TOKENS) assert.deepEqual(parseToken(input), { ok: true, token: expected }, what);
    });

    it(`property (${TOKEN_PROPERTY_RUNS.accepted} runs): an accepted token is printable ASCII without spaces and never starts with "Bearer "`, () => {
      fc.assert(
        fc.property(
          fc.oneof(
            fc.string({ unit: 'binary', maxLength: 40 }),
            fc.string().map((s) => `Bearer ${s}`),
            fc.string().map((s) => ` \n${s}\t`),
          ),
          (input) => {
            const parsed = parseToken(input);
            return !parsed.ok || (/^[\x21-\x7e]+$/.test(parsed.token) && !/^bearer\s/i.test(parsed.token));
          },
        ),
        { numRuns: TOKEN_PROPERTY_RUNS.accepted },
      );
    });
  });

  describe('redactToken', () => {
    it('redacts the token and its URL-encoded, base64 and Bearer-base64 forms', () => {
      const token = 'secret-token/with+chars=';
      const forms = [token, encodeURIComponent(token), Buffer.from(token).toString('base64'), Buffer.from(`Bearer ${token}`).toString('base64')];
      assert.equal(redactToken(`a ${forms.join(' b ')} c`, token), 'a *** b *** b *** b *** c');
      assert.equal(redactToken('unchanged', undefined), 'unchanged');
    });

    it('redacts a real D7 token (a JWT of about 170 characters) in each of its forms, however long it is', () => {
      assert.ok(MOCK_TOKEN.length > 160, `the mock JWT is ${MOCK_TOKEN.length} characters, as D7's are`);
      for (const token of [MOCK_TOKEN, `${MOCK_TOKEN}.${'x'.repeat(2000)}`]) {
        const forms = [token, encodeURIComponent(token), Buffer.from(token).toString('base64'), Buffer.from(`Bearer ${token}`).toString('base64')];
        const text = `{"detail":"invalid token ${forms.join('", "')}"}`;
        const out = redactToken(text, token);
        assert.equal(out, '{"detail":"invalid token ***", "***", "***", "***"}');
      }
    });

    it('redacts several tokens, and leaves 1 to 3 character "tokens" alone', () => {
      assert.equal(redactToken('one two three', 'one', 'three'), 'one two ***');
      assert.equal(redactToken('abcd xyz', 'abcd', 'xyz'), '*** xyz');
    });

    it(`property (${TOKEN_PROPERTY_RUNS.redaction} runs): no form of the token survives in any text`, () => {
      const token = fc.string({
        unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-~+/='.split('')),
        minLength: 4,
        maxLength: 400,
      });
      fc.assert(
        fc.property(token, fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), (t, before, after) => {
          const forms = [t, encodeURIComponent(t), Buffer.from(t).toString('base64'), Buffer.from(`Bearer ${t}`).toString('base64')];
          const out = redactToken(forms.map((f) => `${before}${f}${after}`).join(' | '), t);
          return forms.every((f) => !out.includes(f));
        }),
        { numRuns: TOKEN_PROPERTY_RUNS.redaction },
      );
    });
  });

  describe('decodeJwtPayload', () => {
    it('decodes a JWT payload without a request, and nothing else', () => {
      const payload = { aud: 'auth-backend:app', sub: '6b0c9d64-4c7e-4a34-9a8a-2f1f3c1d5e77' };
      const jwt = `e30.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;
      assert.deepEqual(decodeJwtPayload(jwt), payload);
      assert.equal(decodeJwtPayload('not-a-jwt'), undefined);
      assert.equal(decodeJwtPayload('a.!!!.c'), undefined);
      assert.equal(decodeJwtPayload(`a.${Buffer.from('[1]').toString('base64url')}.c`), undefined);
      assert.equal(decodeJwtPayload(`a.${Buffer.from('null').toString('base64url')}.c`), undefined);
    });
  });
});
