/** Setting any d7otp.* user setting for a test, and putting it back afterwards. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from './helpers';

const touched = new Map<string, unknown>();

/** Writes a user (global) setting, remembering the original for `restoreSettings`. */
export async function setUserSetting(key: string, value: unknown): Promise<void> {
  const section = vscode.workspace.getConfiguration('d7otp');
  if (!touched.has(key)) touched.set(key, section.inspect(key)?.globalValue);
  await section.update(key, value, vscode.ConfigurationTarget.Global);
  await waitFor(() => {
    try {
      assert.deepStrictEqual(vscode.workspace.getConfiguration('d7otp').inspect(key)?.globalValue, value);
      return true;
    } catch {
      return false;
    }
  }, `d7otp.${key} to read back`);
}

/** Puts back every setting written through `setUserSetting`. */
export async function restoreSettings(): Promise<void> {
  for (const [key, value] of touched) {
    await vscode.workspace.getConfiguration('d7otp').update(key, value, vscode.ConfigurationTarget.Global);
  }
  touched.clear();
}
