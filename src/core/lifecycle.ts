/**
 * Lifetimes without hand-rolled subscription fields: a `Disposable` base that disposes what it registered, in
 * reverse order, once. Structurally a `vscode.Disposable`, so VS Code objects register here too. No `vscode` import.
 */

export interface IDisposable {
  dispose(): void;
}

export function toDisposable(dispose: () => void): IDisposable {
  return { dispose };
}

/**
 * Runs `fn` on a later turn of the event loop (a `setTimeout` of 0): what a constructor starts without holding up
 * activation. Disposing it before then cancels it.
 */
export function onNextTurn(fn: () => void): IDisposable {
  const timer = setTimeout(fn, 0);
  return toDisposable(() => clearTimeout(timer));
}

/** Disposes each (last first); one failing does not stop the others. */
export function disposeAll(disposables: IDisposable[]): void {
  for (const d of disposables.splice(0).reverse()) {
    try {
      d.dispose();
    } catch {
      // the rest still get disposed
    }
  }
}

export abstract class Disposable implements IDisposable {
  private readonly owned: IDisposable[] = [];
  private disposed = false;

  /** Ties `disposable` to this object's lifetime; disposes it at once when this object is already disposed. */
  protected register<T extends IDisposable>(disposable: T): T {
    if (this.disposed) disposable.dispose();
    else this.owned.push(disposable);
    return disposable;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    disposeAll(this.owned);
  }
}
