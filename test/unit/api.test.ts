import * as assert from 'node:assert/strict';
import { createApi, type ApiParts } from '../../src/api';

/** Parts the API is built from; only their presence matters here (no member is called). */
function parts(): ApiParts {
  const services = {
    history: { entries: [], onDidChange: () => undefined },
    recorder: { onDidChangeStatus: () => undefined },
    context: { globalState: {} },
    log: { recent: () => [] },
  };
  return { services, lookups: {}, watches: {}, verify: {}, tree: {} } as unknown as ApiParts;
}

describe('api', () => {
  describe('createApi', () => {
    it('11.19: an installed extension (Production mode) hands out no internals: no globalState, store or tree for other extensions', () => {
      const api = createApi(parts(), false, 1);
      assert.equal(api.internals, undefined);
      assert.ok(!('internals' in api));
      assert.deepEqual(Object.keys(api).sort(), [
        'checkStatus',
        'getHistory',
        'onDidChangeHistory',
        'onDidChangeStatus',
        'resendOtp',
        'sendOtp',
        'verifyOtp',
        'watch',
      ]);
    });

    it("in Development and Test mode the project's own tests and benchmark get the internals", () => {
      const api = createApi(parts(), true, 1);
      assert.ok(api.internals);
      assert.equal(api.internals.activationMs, 1);
    });
  });
});
