import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { defineConfig, type RendererViteConfig } from 'electron-vite'

// import.meta.url (not .dirname) is what electron-vite maps back to this file when it bundles the config.
const root = dirname(fileURLToPath(import.meta.url))

/**
 * The renderer build (output: out/renderer by electron-vite's default). Exported on its own so tests and
 * tools can build the renderer with plain Vite, without Electron; pass `build.outDir` then.
 */
export const rendererConfig = {
  root: resolve(root, 'src/renderer'),
  base: './',
  resolve: { alias: { '@renderer': resolve(root, 'src/renderer/src') } },
  plugins: [vue()],
  build: {
    target: 'chrome140', // Electron 38
    chunkSizeWarningLimit: 4096,
    rolldownOptions: { input: resolve(root, 'src/renderer/index.html') }
  }
} satisfies RendererViteConfig

export default defineConfig({
  // ESM main process (package.json "type": "module"); dependencies stay external (node_modules).
  main: {
    build: {
      // The pool's worker is a second entry: the pool forks out/main/worker.js next to index.js.
      lib: {
        entry: {
          index: resolve(root, 'src/main/index.ts'),
          worker: resolve(root, 'src/engine/pool/worker.ts')
        },
        formats: ['es']
      }
    }
  },
  preload: {
    build: {
      // A sandboxed preload runs as a classic script whose `require` only knows 'electron' (and a few
      // built-ins): it must be one self-contained CommonJS file, with every dependency bundled in.
      externalizeDeps: false,
      lib: { entry: resolve(root, 'src/preload/index.ts'), formats: ['cjs'] },
      rolldownOptions: { output: { entryFileNames: '[name].cjs' } }
    }
  },
  renderer: rendererConfig
})
