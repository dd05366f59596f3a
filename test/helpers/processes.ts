/**
 * Real child processes for the tests: a command started in its own process group, whose output is
 * awaited by pattern (never by sleeping), and the live members of that group read from /proc.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'

export interface Exit {
  code: number | null
  signal: NodeJS.Signals | null
}

export interface GroupMember {
  pid: number
  state: string
  cmd: string
}

/** The processes of group `pgid` that are still running (zombies excluded), from /proc. */
export function groupMembers(pgid: number): GroupMember[] {
  const members: GroupMember[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      // pid (comm) state ppid pgrp …: comm may hold spaces and parentheses, so split after the last ')'.
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (Number(pgrp) !== pgid || state === 'Z') continue
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ').trim()
      members.push({ pid: Number(entry), state, cmd })
    } catch {
      /* the process ended while we looked */
    }
  }
  return members
}

/** A command in its own process group (as a terminal's job is), its stdout and stderr collected. */
export class GroupProcess {
  readonly child: ChildProcess
  /** The process group id: the child's pid. */
  readonly pgid: number
  stdout = ''
  stderr = ''
  readonly exited: Promise<Exit>
  private exit: Exit | null = null
  private readonly waiters = new Set<() => void>()

  constructor(command: string, args: string[], opts: Omit<SpawnOptions, 'detached' | 'stdio'> = {}) {
    this.child = spawn(command, args, { ...opts, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
    if (this.child.pid === undefined) throw new Error(`could not start ${command}`)
    this.pgid = this.child.pid
    const take = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      this[stream] += chunk.toString('utf8')
      for (const w of this.waiters) w()
    }
    this.child.stdout!.on('data', take('stdout'))
    this.child.stderr!.on('data', take('stderr'))
    this.exited = new Promise((resolve) => {
      // 'close': the exit status and all of the output.
      this.child.on('close', (code, signal) => {
        this.exit = { code, signal }
        for (const w of this.waiters) w()
        resolve(this.exit)
      })
    })
  }

  /** Both streams, for failure messages. */
  output(): string {
    return `--- stdout ---\n${this.stdout}\n--- stderr ---\n${this.stderr}`
  }

  /** Resolves with the first match of `pattern` in the stream; rejects if the process ends first. */
  waitFor(stream: 'stdout' | 'stderr', pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const m = this[stream].match(pattern)
        if (m) finish(() => resolve(m))
        else if (this.exit)
          finish(() =>
            reject(new Error(`exited (${describe(this.exit!)}) before ${pattern}\n${this.output()}`))
          )
      }
      const timer = setTimeout(
        () => finish(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms\n${this.output()}`))),
        timeoutMs
      )
      const finish = (settle: () => void): void => {
        clearTimeout(timer)
        this.waiters.delete(check)
        settle()
      }
      this.waiters.add(check)
      check()
    })
  }

  /** Waits for the exit, at most `timeoutMs`. */
  async waitExit(timeoutMs: number): Promise<Exit> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`still running after ${timeoutMs} ms\n${this.output()}`)),
        timeoutMs
      )
    })
    try {
      return await Promise.race([this.exited, timeout])
    } finally {
      clearTimeout(timer)
    }
  }

  /** Signals the whole group, as a terminal's Ctrl-C does. */
  signalGroup(signal: NodeJS.Signals): void {
    process.kill(-this.pgid, signal)
  }

  /**
   * Test cleanup: SIGKILLs whatever is left of the group. Only while the group has members: their group
   * id cannot be handed to another process then.
   */
  killGroup(): void {
    if (groupMembers(this.pgid).length === 0) return
    try {
      process.kill(-this.pgid, 'SIGKILL')
    } catch {
      /* ended meanwhile */
    }
  }
}

function describe(exit: Exit): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`
}
