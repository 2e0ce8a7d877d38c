import * as assert from 'node:assert/strict';
import { otpLink, parseOtpLink } from '../../../src/core/links';
import { english } from '../../../src/core/messages';
import { uuid } from '../helpers';

const ID = uuid(7);

describe('core/links', () => {
  it('reads /check and /watch with one otp_id (case of the path ignored, the id kept as given)', () => {
    assert.deepEqual(parseOtpLink('/check', `otp_id=${ID}`), { ok: true, action: 'check', otpId: ID });
    assert.deepEqual(parseOtpLink('/Watch/', `otp_id=${ID.toUpperCase()}`), { ok: true, action: 'watch', otpId: ID.toUpperCase() });
  });

  it('the path is the action alone: any number of slashes around it is ignored, a slash inside it is not', () => {
    for (const path of ['check', '//check', '/check//', '///check///']) assert.equal(parseOtpLink(path, `otp_id=${ID}`).ok, true, path);
    for (const path of ['/ch/eck', '/check/x', '/x/check', '/che//ck/']) {
      const link = parseOtpLink(path, `otp_id=${ID}`);
      assert.equal(link.ok, false, path);
      if (!link.ok) assert.equal(link.message.id, 'linkUnknownAction', path);
    }
  });

  it('refuses anything else with a message that says nothing was looked up', () => {
    const cases: [string, string, RegExp][] = [
      ['/check', 'otp_id=not-a-uuid', /does not carry an otp_id.*"not-a-uu…"/],
      ['/check', 'otp_id=', /does not carry an otp_id/],
      ['/check', '', /no single otp_id parameter/],
      ['/check', `otp_id=${ID}&otp_id=${uuid(8)}`, /no single otp_id parameter/],
      ['/check', `otpId=${ID}`, /no single otp_id parameter/],
      ['/send', `otp_id=${ID}`, /asks for "\/send", which is not one of: check, watch/],
      ['/check', `otp_id=${ID}%0A%5Bx%5D(command:y)`, /does not carry an otp_id/],
    ];
    for (const [path, query, expected] of cases) {
      const link = parseOtpLink(path, query);
      assert.equal(link.ok, false, `${path}?${query}`);
      if (!link.ok) {
        assert.match(english(link.message), expected);
        assert.match(english(link.message), /[Nn]othing was looked up/);
        assert.doesNotMatch(english(link.message), /\n|\]\(/);
      }
    }
  });

  it('builds the link the handler reads back', () => {
    const link = new URL(otpLink('vscode', 'D7-OTP-Inspector.d7-otp-inspector', 'check', ID));
    assert.equal(link.protocol, 'vscode:');
    assert.equal(link.host, 'd7-otp-inspector.d7-otp-inspector');
    assert.deepEqual(parseOtpLink(link.pathname, link.search.slice(1)), { ok: true, action: 'check', otpId: ID });
  });
});
