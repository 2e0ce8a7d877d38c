import * as assert from 'node:assert/strict';
import { decodeJwtPayload, parseToken, redactToken } from '../../src/core/token';

describe('token rules', () => {
  it('trims whitespace and strips a pasted Bearer prefix', () => {
    assert.deepEqual(parseToken('  abc.def.ghi \n'), { ok: true, token: 'abc.def.ghi' });
    assert.deepEqual(parseToken('Bearer abc.def.ghi'), { ok: true, token: 'abc.def.ghi' });
    assert.deepEqual(parseToken('bearer   Bearer abc'), { ok: true, token: 'abc' });
  });

  it('refuses empty tokens', () => {
    for (const input of ['', '   ', 'Bearer ', undefined, null]) assert.equal(parseToken(input).ok, false);
  });

  it('refuses header injection: newlines, control characters, inner spaces, non-ASCII', () => {
    for (const input of ['abc\r\nX-Evil: 1', 'ab\u0000c', 'ab c', 'ab\tc', 'tökén', 'ab\u007fc', 'a\u2028b']) {
      const parsed = parseToken(input);
      assert.equal(parsed.ok, false, JSON.stringify(input));
      assert.ok(!(parsed as { message: string }).message.includes(input.trim()), 'message never echoes the token');
    }
  });

  it('redacts the token and its encoded forms', () => {
    const token = 'secret-token/with+chars=';
    const text = `a ${token} b ${encodeURIComponent(token)} c ${Buffer.from(token).toString('base64')} d`;
    const out = redactToken(text, token);
    assert.equal(out, 'a *** b *** c *** d');
    assert.equal(redactToken('unchanged', undefined), 'unchanged');
  });

  it('decodes a JWT payload without a request, and nothing else', () => {
    const payload = { aud: 'auth-backend:app', sub: '6b0c9d64-4c7e-4a34-9a8a-2f1f3c1d5e77' };
    const jwt = `e30.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;
    assert.deepEqual(decodeJwtPayload(jwt), payload);
    assert.equal(decodeJwtPayload('not-a-jwt'), undefined);
    assert.equal(decodeJwtPayload('a.!!!.c'), undefined);
    assert.equal(decodeJwtPayload(`a.${Buffer.from('[1]').toString('base64url')}.c`), undefined);
  });
});
