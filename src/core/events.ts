/** A minimal event emitter shaped like `vscode.Event`, so vscode-free modules can expose events. */
import type { IDisposable } from './lifecycle';

export type Event<T> = (listener: (value: T) => unknown, thisArgs?: unknown, disposables?: IDisposable[]) => IDisposable;

export class Emitter<T> implements IDisposable {
  private listeners = new Set<(value: T) => unknown>();

  readonly event: Event<T> = (listener, thisArgs, disposables) => {
    const bound = thisArgs ? listener.bind(thisArgs) : listener;
    this.listeners.add(bound);
    const subscription = { dispose: () => void this.listeners.delete(bound) };
    disposables?.push(subscription);
    return subscription;
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch {
        // one listener's failure must not stop the others
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
