// What a person can read in the "OTP Status" tree, measured from the DOM of the real workbench: for each row, the
// status word's box against the box its label is clipped to (an ellipsis covers the end of a clipped label), the
// contrast of the label and of the status icon against what is behind them. Used by test/ui/ui.test.js.
'use strict';

/**
 * Runs in the page. For every visible row of the side bar's tree: its level, label, the status word (the label's
 * first part: "APPROVED", the raw status of "unknown: X", the kind of a failure "not found: CODE"), and whether that
 * word is drawn whole inside its row and not under the ellipsis.
 */
function measureRows() {
  const side = document.querySelector('.part.sidebar');
  const sideBox = side.getBoundingClientRect();
  const ctx = document.createElement('canvas').getContext('2d');
  const rgb = (css) => (css.match(/[\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => {
    const lin = (c) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const contrast = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length >= 3 && (c.length < 4 || c[3] > 0.5)) return c;
    }
    return [255, 255, 255];
  };
  const rows = [];
  for (const row of side.querySelectorAll('.monaco-list-row')) {
    const clip = row.querySelector('.monaco-icon-label-container');
    const name = row.querySelector('.label-name');
    if (!clip || !name) continue;
    const label = name.textContent || '';
    const first = label.split(' · ')[0];
    const word = first.startsWith('unknown: ') ? first.slice('unknown: '.length) : first.split(': ')[0];
    // A range over the word, across the text nodes the label is rendered in (highlights split it).
    const range = document.createRange();
    let at = label.indexOf(word);
    const end = at + word.length;
    const walker = document.createTreeWalker(name, NodeFilter.SHOW_TEXT);
    let seen = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const len = node.textContent.length;
      if (at >= seen && at <= seen + len) {
        range.setStart(node, at - seen);
        at = Infinity;
      }
      if (end >= seen && end <= seen + len) {
        range.setEnd(node, end - seen);
        break;
      }
      seen += len;
    }
    const w = range.getBoundingClientRect();
    const c = clip.getBoundingClientRect();
    const r = row.getBoundingClientRect();
    const style = getComputedStyle(clip);
    ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const clipped = clip.scrollWidth > clip.clientWidth + 1;
    const visibleRight = Math.min(c.right, sideBox.right) - (clipped ? ctx.measureText('…').width : 0);
    const icon = row.querySelector('.custom-view-tree-node-item-icon');
    const behind = background(row);
    rows.push({
      index: Number(row.getAttribute('data-index')),
      level: Number(row.getAttribute('aria-level')),
      label,
      word,
      aria: row.getAttribute('aria-label') || '',
      inside: w.width > 0 && w.left >= c.left - 0.5 && w.right <= visibleRight + 0.5 && w.top >= r.top - 0.5 && w.bottom <= r.bottom + 0.5,
      word_px: [Math.round(w.left), Math.round(w.right)],
      visible_px: [Math.round(c.left), Math.round(visibleRight)],
      clipped,
      textContrast: contrast(rgb(getComputedStyle(name).color), behind),
      iconContrast: icon ? contrast(rgb(getComputedStyle(icon).color), behind) : undefined,
    });
  }
  return rows;
}

/** The rows of the tree as measured in `page`. */
function readRows(page) {
  return page.evaluate(measureRows);
}

module.exports = { readRows };
