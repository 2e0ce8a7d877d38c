/**
 * The language-model tools API, typed here and detected at run time.
 *
 * Why not raise `engines.vscode` to 1.95 (where `lm.registerTool`, `LanguageModelToolResult` and `prepareInvocation`
 * became stable) and `@types/vscode` with it: every other feature works on 1.90, and editors that lag behind VS Code's
 * API level (older corporate installs, forks) would lose the whole extension for a feature they cannot use anyway.
 * So the types below mirror the stable 1.95 API, `toolsApi()` returns it only when the running editor has it, and on
 * 1.90–1.94 the tools are simply not registered (the `languageModelTools` contribution is ignored there).
 */
import * as vscode from 'vscode';

interface ToolInvocationOptions<T> {
  readonly input: T;
  /** Present when a chat request called the tool; undefined when another extension did. */
  readonly toolInvocationToken: unknown;
}

interface ToolPrepareOptions<T> {
  readonly input: T;
}

export interface PreparedToolInvocation {
  invocationMessage?: string;
  /** When set, VS Code asks the user (title, message) before `invoke` runs, and does not run it on "Cancel". */
  confirmationMessages?: { title: string; message: string | vscode.MarkdownString };
}

/** The result object VS Code expects (its own `LanguageModelToolResult`). */
type ToolResult = object;

export interface LanguageModelTool<T> {
  invoke(options: ToolInvocationOptions<T>, token: vscode.CancellationToken): Promise<ToolResult>;
  prepareInvocation?(options: ToolPrepareOptions<T>, token: vscode.CancellationToken): PreparedToolInvocation | undefined;
}

export interface ToolsApi {
  registerTool<T>(name: string, tool: LanguageModelTool<T>): vscode.Disposable;
  /** A result of text parts, built with the editor's own classes. */
  textResult(text: string): ToolResult;
}

type TextPartClass = new (value: string) => object;
type ResultClass = new (content: object[]) => object;

/** The tools API of the running editor, or undefined before VS Code 1.95. */
export function toolsApi(): ToolsApi | undefined {
  const lm = vscode.lm as unknown as { registerTool?: ToolsApi['registerTool'] };
  const runtime = vscode as unknown as { LanguageModelTextPart?: TextPartClass; LanguageModelToolResult?: ResultClass };
  const { LanguageModelTextPart: TextPart, LanguageModelToolResult: Result } = runtime;
  if (typeof lm?.registerTool !== 'function' || !TextPart || !Result) return undefined;
  return {
    registerTool: (name, tool) => lm.registerTool!(name, tool),
    textResult: (text) => new Result([new TextPart(text)]),
  };
}
