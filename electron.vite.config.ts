import { resolve } from 'node:path'
import vue from '@vitejs/plugin-vue'
import { defineConfig, type RendererViteConfig } from 'electron-vite'

const root = import.meta.dirname

/**
 * The renderer build, exported on its own so the UI tests (and `lab serve`) can build it with plain
 * Vite, without Electron.
 */
export const rendererConfig = {
  root: resolve(root, 'src/renderer'),
  base: './',
  resolve: { alias: { '@renderer': resolve(root, 'src/renderer/src') } },
  plugins: [vue()],
  build: {
    outDir: resolve(root, 'out/renderer'),
    emptyOutDir: true,
    target: 'chrome140', // Electron 38
    rolldownOptions: { input: resolve(root, 'src/renderer/index.html') }
  }
} satisfies RendererViteConfig

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      lib: { entry: resolve(root, 'src/main/index.ts'), formats: ['es'] }
    }
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      // A sandboxed preload runs as a classic script whose `require` only knows 'electron' (and a few
      // built-ins): it must be one self-contained CommonJS file.
      externalizeDeps: false,
      lib: { entry: resolve(root, 'src/preload/index.ts'), formats: ['cjs'] },
      rolldownOptions: { output: { entryFileNames: '[name].cjs', inlineDynamicImports: true } }
    }
  },
  renderer: rendererConfig
})
