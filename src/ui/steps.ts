/**
 * A pick followed by an input box, in one widget. With `showQuickPick` then `showInputBox`, the workbench hides
 * the pick and gives the keyboard focus back to where it was (the tree, say) a moment after the box opened: the
 * box stays, but what the user types goes to the tree. Here the box is shown while the pick is still up, so it
 * replaces the pick and keeps the focus (as VS Code's multi-step input sample does).
 */
import * as vscode from 'vscode';

export interface PickStep<T extends vscode.QuickPickItem> {
  title: string;
  placeHolder?: string;
  items: readonly T[];
  /** The input box to ask next for the picked item; none: the pick alone is the answer. */
  next: (picked: T) => vscode.InputBoxOptions | undefined;
}

/** The picked item and what was typed after it (`value` undefined when its step asks nothing); undefined when dismissed. */
export function pickThenInput<T extends vscode.QuickPickItem>(step: PickStep<T>): Promise<{ picked: T; value?: string } | undefined> {
  return new Promise((resolve) => {
    const pick = vscode.window.createQuickPick<T>();
    let moved = false;
    pick.title = step.title;
    pick.placeholder = step.placeHolder;
    pick.items = step.items;
    pick.ignoreFocusOut = true;
    pick.onDidHide(() => {
      pick.dispose();
      if (!moved) resolve(undefined);
    });
    pick.onDidAccept(() => {
      const picked = pick.selectedItems[0];
      if (!picked) return;
      moved = true;
      const options = step.next(picked);
      if (!options) {
        pick.hide();
        resolve({ picked });
        return;
      }
      inputBox(options).then(
        (value) => resolve(value === undefined ? undefined : { picked, value }),
        () => resolve(undefined),
      );
      pick.dispose(); // after the box is shown: it has replaced the pick
    });
    pick.show();
  });
}

/** `showInputBox` as an object, so it can take the place of a visible pick. */
function inputBox(options: vscode.InputBoxOptions): Promise<string | undefined> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    let accepted: string | undefined;
    box.title = options.title;
    box.prompt = options.prompt;
    box.placeholder = options.placeHolder;
    box.value = options.value ?? '';
    box.password = options.password ?? false;
    box.ignoreFocusOut = options.ignoreFocusOut ?? false;
    const validate = (value: string) => {
      const problem = options.validateInput?.(value);
      box.validationMessage = typeof problem === 'string' ? problem : undefined;
      return box.validationMessage === undefined;
    };
    box.onDidChangeValue(validate);
    box.onDidAccept(() => {
      if (!validate(box.value)) return;
      accepted = box.value;
      box.hide();
    });
    box.onDidHide(() => {
      box.dispose();
      resolve(accepted);
    });
    box.show();
  });
}
