/** The base of every feature module: a `Disposable` that registers its commands from one table. */
import * as vscode from 'vscode';
import { Disposable } from '../core/lifecycle';

/** A command handler: arguments are whatever the caller passed (untrusted; see src/core/args.ts). */
export type CommandHandler = (...args: never[]) => unknown;

export abstract class Feature extends Disposable {
  /** Registers each command of the table for this feature's lifetime. */
  protected registerCommands(table: Record<string, CommandHandler>): void {
    for (const [id, handler] of Object.entries(table)) this.register(vscode.commands.registerCommand(id, handler as (...args: unknown[]) => unknown));
  }
}
