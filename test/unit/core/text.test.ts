import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { codeFence, cut, escapeHtml, inert, oneLine, scalarText, UNSAFE_TEXT } from '../../../src/core/text';
import { HOSTILE_TEXTS, TEXT_PROPERTY_RUNS, UNSAFE_CHARACTERS } from '../../cases/text';
import { UNSAFE_CHARS } from '../helpers';

/** Any UTF-16 string with the unsafe characters mixed in. */
const textWithUnsafe = fc.string({
  unit: fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), fc.constantFrom(...UNSAFE_CHARACTERS)),
  maxLength: 300,
});

describe('core/text', () => {
  describe('cut', () => {
    it('leaves short text alone and marks a cut with "…"', () => {
      assert.equal(cut('abc', 3), 'abc');
      assert.equal(cut('abcd', 3), 'abc…');
      assert.equal(cut('x'.repeat(100), 10), `${'x'.repeat(10)}…`);
    });

    it('never cuts inside a surrogate pair', () => {
      assert.equal(cut('ab😀cd', 3), 'ab…');
      assert.equal(cut('ab😀cd', 4), 'ab😀…');
    });
  });

  describe('oneLine', () => {
    it('turns line breaks into one space and other unsafe characters into U+FFFD', () => {
      assert.equal(oneLine('a\u202Eb\nc'), 'a\uFFFDb c');
      assert.equal(oneLine('a\r\n\t\u2028b'), 'a b');
      assert.equal(oneLine('a\u0000\u001bb'), 'a\uFFFD\uFFFDb');
    });

    it('bounds the line: 200 characters by default', () => {
      assert.equal(oneLine('x'.repeat(300)), `${'x'.repeat(200)}…`);
      assert.equal(oneLine('x'.repeat(100), 10), `${'x'.repeat(10)}…`);
    });

    it('removes every unsafe character of the list, each hostile text one bounded line', () => {
      for (const ch of UNSAFE_CHARACTERS) assert.doesNotMatch(oneLine(`a${ch}b`), UNSAFE_CHARS, JSON.stringify(ch));
      for (const value of HOSTILE_TEXTS) {
        const line = oneLine(value, 80);
        assert.doesNotMatch(line, UNSAFE_CHARS, JSON.stringify(line));
        assert.ok(line.length <= 81);
      }
    });

    it(`property (${TEXT_PROPERTY_RUNS.oneLine} runs, any UTF-16 with unsafe characters mixed in): never an unsafe one, never longer than max + 1`, () => {
      fc.assert(
        fc.property(textWithUnsafe, fc.integer({ min: 1, max: 200 }), (value, max) => {
          const line = oneLine(value, max);
          return !UNSAFE_CHARS.test(line) && line.length <= max + 1;
        }),
        { numRuns: TEXT_PROPERTY_RUNS.oneLine },
      );
    });
  });

  describe('inert', () => {
    it('breaks "](" and "$(" apart, so no renderer makes a link or an icon', () => {
      assert.equal(inert('[x](command:workbench.action.quit) $(alert)'), '[x] (command:workbench.action.quit) $ (alert)');
      assert.equal(inert('a\nb'), 'a b');
    });

    it(`property (${TEXT_PROPERTY_RUNS.inert} runs): no "](", no "$(" and no unsafe character survives`, () => {
      const piece = fc.oneof(fc.constantFrom('](', ']', '(', '$', '$(', '[x](command:y)', '\u2028', '\n'), fc.string({ maxLength: 4 }));
      fc.assert(
        fc.property(fc.array(piece, { maxLength: 12 }), fc.integer({ min: 1, max: 60 }), (pieces, max) => {
          const line = inert(pieces.join(''), max);
          return !line.includes('](') && !line.includes('$(') && !UNSAFE_CHARS.test(line);
        }),
        { numRuns: TEXT_PROPERTY_RUNS.inert },
      );
    });
  });

  describe('escapeHtml', () => {
    it('escapes & and < (what MarkdownString.appendText leaves alone)', () => {
      assert.equal(escapeHtml('<img src=x onerror=alert(1)> & &lt;'), '&lt;img src=x onerror=alert(1)> &amp; &amp;lt;');
    });
  });

  describe('codeFence', () => {
    it('11.12: uses a fence longer than any run of backticks in the value (an indented fence in it cannot close the block)', () => {
      assert.equal(codeFence('a'), '\n```\na\n```\n');
      assert.equal(codeFence('x ``` y', 'json'), '\n````json\nx ``` y\n````\n');
      assert.equal(codeFence('`````'), '\n``````\n`````\n``````\n');
      // D7 text with an indented fence (VS Code's appendCodeblock escapes only fences at a line's start): the block's
      // own fence is longer, so the indented one is text and the link after it stays inside the code block.
      const block = codeFence('ok\n   ```\n[x](command:d7otp.clearToken)', 'json');
      assert.match(block, /^\n````json\n/);
      assert.ok(block.endsWith('\n````\n'));
      assert.equal(block.match(/^ {0,3}`{4,}/gm)?.length, 2, 'only the opening and closing lines are fences of the block');
    });
  });

  describe('scalarText', () => {
    it('shows strings as they are and anything else as JSON', () => {
      assert.equal(scalarText('a "b"'), 'a "b"');
      assert.equal(scalarText(600), '600');
      assert.equal(scalarText(false), 'false');
      assert.equal(scalarText(null), 'null');
      assert.equal(scalarText(undefined), '');
      assert.equal(scalarText([1, 'x']), '[1,"x"]');
    });
  });

  describe('UNSAFE_TEXT', () => {
    it('matches each unsafe character, and ordinary text not', () => {
      for (const ch of UNSAFE_CHARACTERS) assert.match(`a${ch}`, UNSAFE_TEXT, JSON.stringify(ch));
      assert.doesNotMatch('APPROVED · 2 min ago 🔐 é', UNSAFE_TEXT);
    });
  });
});
