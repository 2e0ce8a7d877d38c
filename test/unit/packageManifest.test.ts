/**
 * The manifest against what it points at: package.nls.json, the README settings table, the media files and
 * `.vscodeignore`, and the ids and defaults the sources use (src/constants.ts, src/core/defaults.ts). Plain Node
 * (no `vscode`): reads the files of the repository root.
 *
 * When the README table drifts, the failure message prints the table as package.json says it should be.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Commands, ContextKeys, Settings, Views } from '../../src/constants';
import { Defaults, Limits } from '../../src/core/defaults';

const ROOT = path.resolve(__dirname, '..', '..', '..');

interface Setting {
  type?: string | string[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  markdownDescription?: string;
  description?: string;
  scope?: string;
}

interface Command {
  command: string;
  title?: string;
  category?: string;
}

interface Walkthrough {
  id: string;
  title: string;
  description: string;
  steps: { id: string; title: string; description: string; media: Record<string, unknown>; completionEvents?: string[] }[];
}

interface Manifest {
  name: string;
  publisher: string;
  license?: string;
  icon?: string;
  main?: string;
  galleryBanner?: { color?: string; theme?: string };
  categories?: string[];
  keywords?: string[];
  repository?: { type?: string; url?: string } | string;
  bugs?: { url?: string };
  homepage?: string;
  activationEvents?: string[];
  extensionKind?: string[];
  scripts: Record<string, string>;
  capabilities?: {
    untrustedWorkspaces?: { supported: boolean | 'limited'; description?: string; restrictedConfigurations?: string[] };
    virtualWorkspaces?: boolean | { supported: boolean | 'limited'; description?: string };
  };
  contributes: {
    commands: Command[];
    configuration: { title: string; properties: Record<string, Setting> };
    walkthroughs?: Walkthrough[];
    viewsContainers?: Record<string, { id?: string; icon?: string }[]>;
    views?: Record<string, { id?: string; icon?: string }[]>;
    viewsWelcome?: { view: string; when?: string }[];
    menus?: Record<string, { command?: string; when?: string }[]>;
    keybindings?: { command: string; key: string; mac?: string; when?: string }[];
  };
}

const readText = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const pkg = JSON.parse(readText('package.json')) as Manifest;
const nls = JSON.parse(readText('package.nls.json')) as Record<string, string>;
const settings = pkg.contributes.configuration.properties;

/** The key of a `%key%` placeholder, or undefined for a literal string. */
function nlsKey(value: string | undefined): string | undefined {
  return value?.match(/^%(.+)%$/)?.[1];
}

/** Every string value of the manifest, with its JSON path. */
function* strings(value: unknown, at = ''): Generator<[string, string]> {
  if (typeof value === 'string') yield [at, value];
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* strings(v, `${at}[${i}]`);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* strings(v, at ? `${at}.${k}` : k);
}

/** The marketplace's categories (vsce refuses others). */
const CATEGORIES = [
  'AI',
  'Azure',
  'Chat',
  'Data Science',
  'Debuggers',
  'Education',
  'Extension Packs',
  'Formatters',
  'Keymaps',
  'Language Packs',
  'Linters',
  'Machine Learning',
  'Notebooks',
  'Other',
  'Programming Languages',
  'SCM Providers',
  'Snippets',
  'Testing',
  'Themes',
  'Visualization',
];

describe('package.json', () => {
  describe('strings and package.nls.json', () => {
    it('gives every command a category and a title, both from package.nls.json', () => {
      for (const command of pkg.contributes.commands) {
        for (const field of ['title', 'category'] as const) {
          const key = nlsKey(command[field]);
          assert.ok(key, `${command.command}: ${field} ${JSON.stringify(command[field])} is not a %key%`);
          assert.ok(nls[key]?.trim(), `${command.command}: ${field} key "${key}" has no text in package.nls.json`);
        }
        assert.ok(
          !nls[nlsKey(command.title) as string].startsWith(nls[nlsKey(command.category) as string]),
          `${command.command}: the title repeats the category`,
        );
      }
    });

    it('resolves every %key% anywhere in the manifest', () => {
      for (const [at, value] of strings(pkg)) {
        const key = nlsKey(value);
        if (key) assert.ok(typeof nls[key] === 'string' && nls[key] !== '', `${at}: "${key}" is missing from package.nls.json`);
      }
    });

    it('leaves no unused key in package.nls.json', () => {
      const used = new Set<string>();
      for (const [, value] of strings(pkg)) {
        const key = nlsKey(value);
        if (key) used.add(key);
      }
      const unused = Object.keys(nls).filter((key) => !used.has(key));
      assert.deepEqual(unused, [], `package.nls.json keys no manifest string uses: ${unused.join(', ')}`);
    });

    it('points every menu and walkthrough command at a contributed command', () => {
      const ids = new Set(pkg.contributes.commands.map((c) => c.command));
      for (const [menu, items] of Object.entries(pkg.contributes.menus ?? {})) {
        for (const item of items) if (item.command) assert.ok(ids.has(item.command), `menus.${menu}: ${item.command} is not contributed`);
      }
      for (const walkthrough of pkg.contributes.walkthroughs ?? []) {
        for (const step of walkthrough.steps) {
          for (const event of step.completionEvents ?? []) {
            const command = event.match(/^onCommand:(.+)$/)?.[1];
            if (command) assert.ok(ids.has(command), `walkthrough step ${step.id}: ${event} names no contributed command`);
          }
          for (const [, text] of strings(step.description)) {
            for (const [, command] of (nls[nlsKey(text) ?? ''] ?? text).matchAll(/\(command:([\w.]+)\)/g)) {
              assert.ok(ids.has(command), `walkthrough step ${step.id}: the button runs ${command}, which is not contributed`);
            }
          }
        }
      }
    });
  });

  describe('settings', () => {
    it('gives every setting a type, a default and a markdownDescription from package.nls.json', () => {
      assert.ok(Object.keys(settings).length > 0, 'no settings contributed');
      for (const [name, setting] of Object.entries(settings)) {
        assert.ok(name.startsWith('d7otp.'), `${name} is outside the d7otp. namespace`);
        assert.ok(setting.type, `${name} has no type`);
        assert.ok('default' in setting, `${name} has no default`);
        const key = nlsKey(setting.markdownDescription);
        assert.ok(key && nls[key]?.trim(), `${name}: markdownDescription ${JSON.stringify(setting.markdownDescription)} is not a %key% with text`);
      }
    });

    it('lets only user settings decide where the token goes (scope application)', () => {
      assert.equal(settings['d7otp.baseUrl']?.scope, 'application', 'd7otp.baseUrl');
      assert.equal(settings['d7otp.profiles']?.scope, 'application', 'd7otp.profiles (each profile has a baseUrl)');
    });

    it('is listed exactly, with the same defaults, in the README settings table', () => {
      const table = readmeSettingsTable();
      const expected = expectedTable();
      const hint = `\nThe README table (between the settings-table markers) should read:\n\n${expected}\n`;
      assert.deepEqual(table.map((row) => row.name).sort(), Object.keys(settings).sort(), `README settings table names differ from package.json.${hint}`);
      for (const row of table) {
        assert.ok(
          sameDefault(row.defaultCell, settings[row.name].default),
          `README: ${row.name} default ${row.defaultCell} differs from package.json ${JSON.stringify(settings[row.name].default)}.${hint}`,
        );
        assert.ok(row.description.trim(), `README: ${row.name} has no description`);
      }
    });
  });

  describe('the ids and defaults of the sources (src/constants.ts, src/core/defaults.ts)', () => {
    /** VS Code makes `<view id>.focus` for every view; it is not contributed. */
    const generated = new Set([`${Views.history}.focus`]);

    it("contributes exactly the commands of Commands (beside the view's generated focus command)", () => {
      const contributed = pkg.contributes.commands.map((c) => c.command).sort();
      const declared = Object.values(Commands)
        .filter((id) => !generated.has(id))
        .sort();
      assert.deepEqual(contributed, declared);
      assert.ok(Object.values(Commands).includes(Commands.focusView) && generated.has(Commands.focusView));
    });

    it('contributes the view container and the view of Views', () => {
      assert.deepEqual(
        pkg.contributes.viewsContainers?.activitybar.map((c) => c.id),
        [Views.container],
      );
      assert.deepEqual(
        pkg.contributes.views?.[Views.container]?.map((v) => v.id),
        [Views.history],
      );
    });

    it('contributes exactly the settings of Settings', () => {
      assert.deepEqual(
        Object.keys(settings).sort(),
        Object.values(Settings)
          .filter((k) => k !== Settings.section)
          .map((k) => `${Settings.section}.${k}`)
          .sort(),
      );
    });

    it("states the defaults of Defaults, and Limits.maxRetries is the setting's own maximum", () => {
      const keyed = Settings as Record<string, string>;
      for (const [name, value] of Object.entries(Defaults)) {
        const setting = settings[`${Settings.section}.${keyed[name]}`];
        assert.ok(setting, `Defaults.${name}: no setting d7otp.${keyed[name]}`);
        assert.deepEqual(setting.default, value, `Defaults.${name} vs package.json d7otp.${keyed[name]}`);
      }
      assert.equal(settings[`${Settings.section}.${Settings.maxRetries}`].maximum, Limits.maxRetries);
    });

    it('uses only the context keys of ContextKeys in its when clauses, and each of them somewhere', () => {
      const clauses = [
        ...Object.values(pkg.contributes.menus ?? {})
          .flat()
          .map((m) => m.when ?? ''),
        ...(pkg.contributes.viewsWelcome ?? []).map((w) => w.when ?? ''),
        ...(pkg.contributes.keybindings ?? []).map((k) => k.when ?? ''),
      ];
      const used = new Set(
        clauses.flatMap((when) => [...when.matchAll(/\bd7otp\.[\w.]+/g)].map((m) => m[0])).filter((key) => !Object.values(Views).includes(key as never)),
      );
      assert.deepEqual([...used].sort(), Object.values(ContextKeys).slice().sort());
    });
  });

  describe('marketplace fields', () => {
    it('has a 128×128 PNG icon, a gallery banner, categories and keywords', () => {
      assert.equal(pkg.icon, 'media/icon.png');
      const png = fs.readFileSync(path.join(ROOT, pkg.icon));
      assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'icon is a PNG');
      assert.equal(png.toString('latin1', 12, 16), 'IHDR');
      assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128], 'icon is 128×128');
      assert.match(pkg.galleryBanner?.color ?? '', /^#[0-9a-f]{6}$/i, 'galleryBanner.color');
      assert.ok(pkg.galleryBanner?.theme === 'dark' || pkg.galleryBanner?.theme === 'light', 'galleryBanner.theme');
      assert.ok(pkg.categories?.length, 'categories');
      for (const category of pkg.categories ?? []) assert.ok(CATEGORIES.includes(category), `unknown category ${category}`);
      assert.ok(pkg.keywords?.length && pkg.keywords.length <= 30, 'between 1 and 30 keywords');
    });

    it('names its repository, issue tracker, home page and licence', () => {
      const repo = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
      assert.match(repo ?? '', /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+(\.git)?$/, 'repository');
      assert.match(pkg.bugs?.url ?? '', /^https:\/\//, 'bugs.url');
      assert.match(pkg.homepage ?? '', /^https:\/\//, 'homepage');
      assert.equal(pkg.license, 'MIT');
      assert.ok(fs.existsSync(path.join(ROOT, 'LICENSE')), 'LICENSE');
      assert.match(readText('CHANGELOG.md'), /^## \[\d+\.\d+\.\d+\]/m, 'CHANGELOG.md has a release heading');
    });

    it('declares untrusted and virtual workspace support', () => {
      const untrusted = pkg.capabilities?.untrustedWorkspaces;
      assert.ok(untrusted, 'capabilities.untrustedWorkspaces');
      // Supported in untrusted folders only because nothing a workspace can set reaches the network or the token.
      if (untrusted.supported === true) {
        for (const name of ['d7otp.baseUrl', 'd7otp.profiles']) assert.equal(settings[name].scope, 'application', name);
      }
      assert.ok(untrusted.supported === true || untrusted.description, 'a description when support is limited');
      assert.ok(pkg.capabilities?.virtualWorkspaces !== undefined, 'capabilities.virtualWorkspaces');
    });

    it('activates after startup (terminal links must be there before any command ran) and for links, and packages the production bundle', () => {
      // Commands, views and agent tools activate on demand (implicit events); terminal output with an otp_id can
      // appear in a window where none of them was used yet, and a link can arrive in a fresh window.
      assert.deepEqual(pkg.activationEvents, ['onStartupFinished', 'onUri']);
      assert.deepEqual(pkg.extensionKind, ['workspace'], 'runs where the workspace is (the README says so)');
      assert.equal(pkg.main, './dist/start.js', 'the entry that loads dist/extension.js with its code cache (src/start.ts)');
      assert.match(pkg.scripts['vscode:prepublish'] ?? '', /esbuild\.js --production/);
      assert.match(pkg.scripts.package ?? '', /vsce package --no-dependencies/);
    });

    it('binds Check Status and Watch on every platform, to contributed commands, each key with a macOS variant', () => {
      const bindings = pkg.contributes.keybindings ?? [];
      const commands = new Set(pkg.contributes.commands.map((c) => c.command));
      for (const b of bindings) {
        assert.ok(commands.has(b.command), `${b.command} is contributed`);
        assert.ok(b.mac, `${b.command} (${b.key}) has a macOS key`);
        assert.ok(b.when, `${b.command} (${b.key}) says when`);
      }
      const bound = (command: string) => bindings.filter((b) => b.command === command).map((b) => b.key);
      assert.deepEqual(bound(Commands.checkStatus), ['ctrl+shift+alt+d']);
      assert.deepEqual(bound(Commands.checkStatusAtCursor), ['ctrl+shift+alt+d']);
      assert.deepEqual(bound(Commands.historyCheckAgain), ['ctrl+shift+alt+d']);
      assert.deepEqual(bound(Commands.watchStatus), ['ctrl+shift+alt+w']);
      assert.deepEqual(bound(Commands.historyWatch), ['ctrl+shift+alt+w']);
      const readme = readText('README.md');
      for (const key of ['Ctrl+Shift+Alt+D', 'Ctrl+Shift+Alt+W', '⌃⇧⌘D', '⌃⇧⌘W']) assert.ok(readme.includes(key), `README shows ${key}`);
      const walkthrough = (pkg.contributes.walkthroughs ?? []).flatMap((w) => w.steps.map((s) => nls[nlsKey(s.description) ?? ''] ?? s.description)).join('\n');
      for (const key of ['Ctrl+Shift+Alt+D', 'Ctrl+Shift+Alt+W']) assert.ok(walkthrough.includes(key), `the walkthrough shows ${key}`);
    });

    it('has an onboarding walkthrough: set token, check a status, watch one', () => {
      const [walkthrough] = pkg.contributes.walkthroughs ?? [];
      assert.ok(walkthrough, 'contributes.walkthroughs');
      assert.deepEqual(
        walkthrough.steps.map((s) => s.id),
        ['setToken', 'checkStatus', 'watch'],
      );
      for (const step of walkthrough.steps) {
        assert.ok(step.completionEvents?.length, `step ${step.id} has completionEvents`);
        const media = (step.media.markdown ?? step.media.svg ?? step.media.image) as string | undefined;
        assert.ok(media && fs.existsSync(path.join(ROOT, media)), `step ${step.id}: media ${media} exists`);
        if (step.media.svg || step.media.image) assert.ok(step.media.altText, `step ${step.id}: altText`);
      }
      assert.ok(walkthrough.steps[0].completionEvents?.includes('onCommand:d7otp.setToken'));
    });

    it('ships every file it points at (.vscodeignore), and no sources', () => {
      const ignore = readText('.vscodeignore')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('#'));
      assert.equal(ignore[0], '**', '.vscodeignore starts by excluding everything');
      const shipped = ignore.filter((l) => l.startsWith('!')).map((l) => globToRegExp(l.slice(1)));
      const ships = (file: string) => shipped.some((re) => re.test(file));
      const referenced = new Set<string>([
        (pkg.main ?? '').replace(/^\.\//, ''),
        'dist/extension.js',
        'dist/demo.js',
        'package.json',
        'package.nls.json',
        'README.md',
        'CHANGELOG.md',
        'LICENSE',
      ]);
      if (pkg.icon) referenced.add(pkg.icon);
      for (const [at, value] of strings(pkg.contributes)) {
        if (/\.(icon|markdown|svg|image)$|\.(light|dark)$/.test(at) && /^media\//.test(value)) referenced.add(value);
      }
      for (const file of referenced) {
        assert.ok(fs.existsSync(path.join(ROOT, file)) || file.startsWith('dist/'), `${file} exists`);
        assert.ok(ships(file), `${file} is referenced but .vscodeignore leaves it out`);
      }
      for (const file of [
        'src/extension.ts',
        'dist/extension.js.map',
        'dist/start.js.map',
        'out/test/unit/core/history/model.test.js',
        'out/test/cases/otpIds.js',
        'node_modules/node-fetch/package.json',
        'media/icon.svg',
        'bench/run.js',
        'tsconfig.json',
      ]) {
        assert.ok(!ships(file), `${file} would be shipped`);
      }
    });
  });
});

interface TableRow {
  name: string;
  defaultCell: string;
  description: string;
}

/** The rows of the README table between `<!-- settings-table:start` and `<!-- settings-table:end -->`. */
function readmeSettingsTable(): TableRow[] {
  const readme = readText('README.md');
  const start = readme.indexOf('<!-- settings-table:start');
  const end = readme.indexOf('<!-- settings-table:end');
  assert.ok(start >= 0 && end > start, 'README.md has the settings-table:start / settings-table:end markers');
  const rows: TableRow[] = [];
  for (const line of readme.slice(start, end).split('\n')) {
    if (!line.trim().startsWith('|')) continue;
    const cells = splitRow(line);
    const name = cells[0]?.replace(/`/g, '').trim();
    if (!name || !name.startsWith('d7otp.')) continue; // header and separator rows
    rows.push({ name, defaultCell: cells[1] ?? '', description: cells.slice(2).join(' | ') });
  }
  return rows;
}

/** Cells of a Markdown table row (`\|` stays inside a cell). */
function splitRow(line: string): string[] {
  const cells = line
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/);
  return cells.map((c) => c.trim().replace(/\\\|/g, '|'));
}

/** A default cell such as `` `15` ``, `` `"https://…"` ``, `` `[]` ``, `` `true` `` or a bare string. */
function sameDefault(cell: string, value: unknown): boolean {
  const text = cell.replace(/^`+|`+$/g, '').trim();
  try {
    return JSON.stringify(JSON.parse(text)) === JSON.stringify(value);
  } catch {
    return typeof value === 'string' && text === value;
  }
}

function expectedTable(): string {
  const lines = ['| Setting | Default | Description |', '|---|---|---|'];
  for (const [name, setting] of Object.entries(settings)) {
    const description = (nls[nlsKey(setting.markdownDescription) ?? ''] ?? setting.markdownDescription ?? '').split('\n')[0].replace(/\|/g, '\\|');
    lines.push(`| \`${name}\` | \`${JSON.stringify(setting.default)}\` | ${description} |`);
  }
  return lines.join('\n');
}

/** A .vscodeignore glob (`**`, `*`, literal dots) as a RegExp over repository-relative paths. */
function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
      if (glob[i + 1] === '/') i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
