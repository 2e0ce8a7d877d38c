/** Reading one setting out of the tree VS Code gives for a whole section. No `vscode` import. */

/**
 * The value at a dotted key in a settings tree (`history.maxEntries` in `{ history: { maxEntries: 5 } }`; a key
 * written whole, `{ "history.maxEntries": 5 }`, is found too). Only own properties: a settings file's `__proto__`
 * or `constructor` is never read through.
 */
export function valueAt(tree: unknown, key: string): unknown {
  if (tree === null || typeof tree !== 'object' || Array.isArray(tree)) return undefined;
  const own = (name: string) => (Object.prototype.hasOwnProperty.call(tree, name) ? (tree as Record<string, unknown>)[name] : undefined);
  const whole = own(key);
  if (whole !== undefined) return whole;
  const dot = key.indexOf('.');
  return dot < 0 ? undefined : valueAt(own(key.slice(0, dot)), key.slice(dot + 1));
}
