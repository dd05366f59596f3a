import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Timeouts only catch a hang: the CLI tests spawn real `lab` processes (Node + tsx, about a second each
    // on a quiet machine) a dozen at a time, and long trainings may share the machine's two cores.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // expect.poll waits 1 s by default: a browser test's form message or chart point can take longer when
    // the cores are busy (a full suite under CI load, or a training beside it). 15 s still fails a broken UI.
    expect: { poll: { timeout: 15_000 } },
    pool: 'forks',
    // CI also writes a JSON report, from which .ci/run prints a plain "N passed, N failed" line.
    reporters: process.env.CI
      ? ['default', ['json', { outputFile: 'test-results/vitest.json' }]]
      : ['default']
  }
})
