import * as assert from 'node:assert/strict';
import { Emitter } from '../../../src/core/events';
import type { IDisposable } from '../../../src/core/lifecycle';

describe('core/events', () => {
  describe('Emitter', () => {
    it('calls each listener with the value, until its subscription is disposed', () => {
      const emitter = new Emitter<number>();
      const seen: number[] = [];
      const subscription = emitter.event((n) => seen.push(n));
      emitter.fire(1);
      subscription.dispose();
      emitter.fire(2);
      assert.deepEqual(seen, [1]);
    });

    it('binds thisArgs and adds the subscription to the given list', () => {
      const emitter = new Emitter<string>();
      const owner = { seen: [] as string[] };
      const disposables: IDisposable[] = [];
      emitter.event(
        function (this: typeof owner, value) {
          this.seen.push(value);
        },
        owner,
        disposables,
      );
      emitter.fire('a');
      assert.deepEqual(owner.seen, ['a']);
      assert.equal(disposables.length, 1);
      disposables[0].dispose();
      emitter.fire('b');
      assert.deepEqual(owner.seen, ['a']);
    });

    it('one failing listener does not stop the others or the caller', () => {
      const emitter = new Emitter<void>();
      let called = 0;
      emitter.event(() => {
        throw new Error('listener bug');
      });
      emitter.event(() => called++);
      assert.doesNotThrow(() => emitter.fire());
      assert.equal(called, 1);
    });

    it('a listener added while firing is not called for that value; dispose removes every listener', () => {
      const emitter = new Emitter<number>();
      const seen: string[] = [];
      emitter.event((n) => {
        seen.push(`first ${n}`);
        emitter.event((m) => seen.push(`late ${m}`));
      });
      emitter.fire(1);
      assert.deepEqual(seen, ['first 1']);
      emitter.dispose();
      emitter.fire(2);
      assert.deepEqual(seen, ['first 1']);
    });
  });
});
