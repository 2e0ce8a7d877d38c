import * as assert from 'node:assert/strict';
import { isLoopbackHost, parseBaseUrl } from '../../src/core/baseUrl';

describe('d7otp.baseUrl rules', () => {
  it('accepts https origins and normalises them', () => {
    assert.deepEqual(parseBaseUrl('https://api.d7networks.com'), { ok: true, origin: 'https://api.d7networks.com' });
    assert.deepEqual(parseBaseUrl(' https://API.d7networks.com/ '), { ok: true, origin: 'https://api.d7networks.com' });
    assert.deepEqual(parseBaseUrl('https://proxy.example:8443'), { ok: true, origin: 'https://proxy.example:8443' });
  });

  it('accepts http only for loopback hosts', () => {
    for (const url of ['http://127.0.0.1:7077', 'http://127.1.2.3', 'http://localhost:1', 'http://[::1]:8080']) {
      assert.equal(parseBaseUrl(url).ok, true, url);
    }
    for (const url of ['http://api.d7networks.com', 'http://10.0.0.1', 'http://localhost.evil.com', 'http://127.0.0.1.evil.com', 'http://[::2]']) {
      const parsed = parseBaseUrl(url);
      assert.equal(parsed.ok, false, url);
      assert.match((parsed as { message: string }).message, /d7otp\.baseUrl.*http:\/\//);
    }
  });

  it('refuses credentials, paths, queries, fragments and other schemes, naming the setting', () => {
    for (const url of [
      'https://user:pw@api.d7networks.com',
      'https://user@api.d7networks.com',
      'https://api.d7networks.com/verify',
      'https://api.d7networks.com?x=1',
      'https://api.d7networks.com/#x',
      'ftp://api.d7networks.com',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'api.d7networks.com',
      '',
      '   ',
    ]) {
      const parsed = parseBaseUrl(url);
      assert.equal(parsed.ok, false, url);
      assert.match((parsed as { message: string }).message, /d7otp\.baseUrl/, url);
    }
  });

  it('knows loopback hosts', () => {
    assert.ok(isLoopbackHost('127.0.0.1'));
    assert.ok(isLoopbackHost('[::1]'));
    assert.ok(isLoopbackHost('LOCALHOST'));
    assert.ok(!isLoopbackHost('128.0.0.1'));
  });
});
