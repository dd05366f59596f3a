/**
 * A child process for the workspace race tests: for every stdin line `OPEN PATH AT` it waits until the
 * wall-clock time AT (ms; every child gets the same one, so they open at the same moment), opens
 * `Store.open(PATH, { create: true })` (a new workspace is migrated), closes it, and answers one line:
 * `ok PATH` or `error PATH MESSAGE`. It prints `ready` once it has loaded the store.
 */
import { createInterface } from 'node:readline'
import { Store } from '../../src/engine/store/store'

const lines = createInterface({ input: process.stdin })
lines.on('line', (line) => {
  const [cmd, path, at] = line.split(' ')
  if (cmd !== 'OPEN') return
  while (Date.now() < Number(at)) {
    /* spin: a timer would add its own jitter */
  }
  try {
    Store.open(path, { create: true }).close()
    process.stdout.write(`ok ${path}\n`)
  } catch (e) {
    process.stdout.write(`error ${path} ${(e as Error).message.replaceAll('\n', ' ')}\n`)
  }
})
process.stdout.write('ready\n')
