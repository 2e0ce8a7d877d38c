import * as assert from 'node:assert/strict';
import { isRecord, typeOf } from '../../../src/core/json';
import { english } from '../../../src/core/messages';

describe('core/json', () => {
  describe('isRecord', () => {
    it('is true for a JSON object only', () => {
      assert.equal(isRecord({}), true);
      assert.equal(isRecord(Object.create(null)), true);
      for (const value of [null, undefined, [], 'x', 1, true]) assert.equal(isRecord(value), false, JSON.stringify(value));
    });
  });

  describe('typeOf', () => {
    it("names a value's JSON type for messages", () => {
      const cases: [unknown, string][] = [
        [null, 'null'],
        [[1], 'an array'],
        ['x', 'a string'],
        [3, 'a number'],
        [false, 'a boolean'],
        [{}, 'an object'],
      ];
      for (const [value, words] of cases) assert.equal(english(typeOf(value)), words, JSON.stringify(value));
    });
  });
});
