import * as assert from 'node:assert/strict';
import { valueAt } from '../../../src/core/settingTree';

describe('core/settingTree: a setting out of the section tree VS Code gives', () => {
  it('walks the dots of a key through nested objects', () => {
    const tree = { baseUrl: 'https://x.test', history: { maxEntries: 5, sync: false }, retry: { maxRetries: 0 } };
    assert.equal(valueAt(tree, 'baseUrl'), 'https://x.test');
    assert.equal(valueAt(tree, 'history.maxEntries'), 5);
    assert.equal(valueAt(tree, 'history.sync'), false, 'false is a value, not "unset"');
    assert.equal(valueAt(tree, 'retry.maxRetries'), 0, '0 is a value, not "unset"');
  });

  it('finds a key written whole, and prefers it to the nested one', () => {
    assert.equal(valueAt({ 'history.maxEntries': 7 }, 'history.maxEntries'), 7);
    assert.equal(valueAt({ 'history.maxEntries': 7, history: { maxEntries: 5 } }, 'history.maxEntries'), 7);
    assert.equal(valueAt({ history: { 'watch.x': 1 } }, 'history.watch.x'), 1);
  });

  it('gives arrays and objects as they are (d7otp.profiles, d7otp.hover.languages)', () => {
    const profiles = [{ name: 'staging', baseUrl: 'http://127.0.0.1:1' }];
    assert.equal(valueAt({ profiles }, 'profiles'), profiles);
    const hover = { languages: ['json'] };
    assert.equal(valueAt({ hover }, 'hover'), hover);
  });

  it('is undefined for what is not set, or not a tree where a key goes on', () => {
    assert.equal(valueAt(undefined, 'baseUrl'), undefined);
    assert.equal(valueAt(null, 'baseUrl'), undefined);
    assert.equal(valueAt('text', 'length'), undefined, 'a string is not a tree');
    assert.equal(valueAt({ history: 5 }, 'history.maxEntries'), undefined);
    assert.equal(valueAt({ history: [1, 2] }, 'history.length'), undefined, 'an array is not walked');
    assert.equal(valueAt({ history: { maxEntries: 5 } }, 'history.maxChecksPerEntry'), undefined);
    assert.equal(valueAt({ history: { maxEntries: 5 } }, 'watch.intervalSeconds'), undefined);
    assert.equal(valueAt({}, ''), undefined);
    assert.equal(valueAt({ baseUr: { baseUrl: 'x' } }, 'baseUrl'), undefined, 'a key without a dot is read whole, never split');
  });

  it('reads own properties only: nothing through __proto__, constructor or toString', () => {
    const tree = JSON.parse('{"__proto__": {"baseUrl": "http://attacker.invalid"}, "history": {}}') as unknown;
    assert.equal(valueAt(tree, 'baseUrl'), undefined);
    assert.equal(valueAt({}, 'toString'), undefined);
    assert.equal(valueAt({}, 'constructor.name'), undefined);
    assert.equal(valueAt({ history: {} }, 'history.hasOwnProperty'), undefined);
    assert.equal(valueAt(Object.create({ baseUrl: 'inherited' }) as unknown, 'baseUrl'), undefined);
  });
});
