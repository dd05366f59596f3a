// @ts-check
import { defineConfig } from 'eslint/config'
import pluginVue from 'eslint-plugin-vue'
import tseslint from 'typescript-eslint'
import vueParser from 'vue-eslint-parser'

const NODE = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'os',
  'child_process',
  'crypto',
  'worker_threads',
  'v8',
  'http',
  'net'
]

/** What no renderer file may import (views and components have one rule more). */
const RENDERER = [
  ...NODE,
  '**/engine/**',
  '**/cli/**',
  '**/main/**',
  '**/preload/**',
  'electron',
  'better-sqlite3'
]

/** A folder's forbidden imports, with the reason shown in the lint error. */
function layer(files, message, group) {
  return [
    {
      files: [files.endsWith('**') ? `${files}/*.{ts,vue}` : files],
      rules: { 'no-restricted-imports': ['error', { patterns: [{ group, message }] }] }
    }
  ]
}

export default defineConfig(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'resources/**',
      'coverage/**',
      '.bench/**',
      'test-results/**',
      '**/*.tsbuildinfo'
    ]
  },
  tseslint.configs.recommended,
  pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: {
      parser: vueParser,
      parserOptions: {
        parser: tseslint.parser,
        extraFileExtensions: ['.vue'],
        ecmaVersion: 'latest',
        sourceType: 'module'
      }
    }
  },
  // Formatting is Prettier's job: drop the template layout rules that disagree with it.
  pluginVue.configs['no-layout-rules'],
  // Layers, with one-way imports (README "Layout"): core ← engine ← shells (cli, main); shared is the
  // contract (core types only); the renderer reaches the backend only through its typed API module.
  ...layer('src/core/**', 'core is pure TypeScript: no Node, no I/O, nothing of the engine, shells or UI', [
    ...NODE,
    '**/engine/**',
    '**/cli/**',
    '**/main/**',
    '**/preload/**',
    '**/renderer/**',
    '**/shared/**',
    'electron',
    'better-sqlite3'
  ]),
  ...layer('src/shared/**', 'shared is the API contract: core types and zod only', [
    ...NODE,
    '**/engine/**',
    '**/cli/**',
    '**/main/**',
    '**/preload/**',
    '**/renderer/**',
    'electron',
    'better-sqlite3'
  ]),
  ...layer('src/engine/**', 'the engine knows nothing of the CLI, Electron main or the renderer', [
    '**/cli/**',
    '**/main/**',
    '**/preload/**',
    '**/renderer/**',
    'electron'
  ]),
  ...layer('src/cli/**', 'the CLI is a shell over the engine', [
    '**/main/**',
    '**/preload/**',
    '**/renderer/**',
    'electron'
  ]),
  ...layer('src/main/**', 'Electron main is a shell over the engine', ['**/cli/**', '**/renderer/**']),
  ...layer(
    'src/preload/**',
    'the sandboxed preload may only use electron and the dependency-free contract tables',
    [...NODE, '**/engine/**', '**/core/**', '**/cli/**', '**/main/**', '**/renderer/**']
  ),
  ...layer(
    'src/renderer/**',
    'the renderer reaches the backend only through src/renderer/src/api.ts',
    RENDERER
  ),
  ...layer(
    'src/renderer/src/{components,views}/**',
    'views and components reach the backend through the Pinia stores, not the API module',
    // (this entry replaces the renderer's, so it carries the renderer's rules too)
    ['../api', '../api.ts', '@renderer/api', ...RENDERER]
  ),
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }]
    }
  }
)
