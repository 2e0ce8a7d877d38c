import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** What the vscode-free modules may not import: the VS Code API, and (for the core) anything outside the core. */
const noVscode = { name: 'vscode', message: 'This module runs in plain Node (unit-tested without VS Code): no vscode import.' };

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { project: ['./tsconfig.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
      curly: ['error', 'multi-line'],
    },
  },
  {
    // The core: the D7 client, call records, error model, otp_id parsing, history model, recorder.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noVscode],
          patterns: [
            {
              group: ['**/features/**', '**/services/**', '**/ui/**', '**/config', '**/constants', '**/l10n', '**/log', '**/api', '**/extension'],
              message: 'The core imports only the core (src/core); the VS Code layer imports the core, never the other way round.',
            },
          ],
        },
      ],
    },
  },
  {
    // The VS Code layer's view model and input rules: vscode-free, so they are unit-tested in plain Node.
    files: ['src/features/history/rows.ts', 'src/features/verify/sendOptions.ts', 'test/unit/**/*.ts', 'test/mock/**/*.ts', 'test/cases/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode] }] },
  },
);
