import * as assert from 'node:assert/strict';
import { Disposable, disposeAll, onNextTurn, toDisposable, type IDisposable } from '../../../src/core/lifecycle';

class Owner extends Disposable {
  own<T extends IDisposable>(d: T): T {
    return this.register(d);
  }
}

describe('core/lifecycle', () => {
  describe('disposeAll', () => {
    it('disposes last first, empties the list, and goes on past a failure', () => {
      const order: string[] = [];
      const list = [
        toDisposable(() => order.push('a')),
        toDisposable(() => {
          throw new Error('b fails');
        }),
        toDisposable(() => order.push('c')),
      ];
      assert.doesNotThrow(() => disposeAll(list));
      assert.deepEqual(order, ['c', 'a']);
      assert.equal(list.length, 0);
    });
  });

  describe('onNextTurn', () => {
    it('runs on a later turn, not at once; disposed before then, never', async () => {
      const ran: string[] = [];
      onNextTurn(() => ran.push('a'));
      onNextTurn(() => ran.push('b')).dispose();
      assert.deepEqual(ran, [], 'not during the call');
      await new Promise((resolve) => setTimeout(resolve, 0));
      assert.deepEqual(ran, ['a']);
    });
  });

  describe('Disposable', () => {
    it('disposes what it registered, in reverse order, once', () => {
      const order: string[] = [];
      const owner = new Owner();
      owner.own(toDisposable(() => order.push('first')));
      owner.own(toDisposable(() => order.push('second')));
      owner.dispose();
      owner.dispose();
      assert.deepEqual(order, ['second', 'first']);
    });

    it('disposes at once what is registered after it was disposed', () => {
      const owner = new Owner();
      owner.dispose();
      let disposed = 0;
      const d = owner.own(toDisposable(() => disposed++));
      assert.equal(disposed, 1);
      assert.equal(typeof d.dispose, 'function');
    });
  });
});
