import { spawn, type ChildProcess } from 'node:child_process'
import { appendFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { cpuMsOf } from './cpu.js'

const root = fileURLToPath(new URL('../../..', import.meta.url))

export type AppName = 'api' | 'worker' | 'bot'

/** One pino log line of an app. */
export interface LogLine {
  level: number
  msg: string
  time: number
  [field: string]: unknown
}

// The line each app logs once it is ready for work.
const readyMessage: Record<AppName, string> = { api: 'API listening', worker: 'worker started', bot: 'bot started' }
const startTimeoutMs = 30_000

/**
 * One Chorus app in a process of its own, started as `npm start` starts it
 * (`node --import tsx apps/<app>/src/main.ts`), so a test can kill it (SIGKILL) and start it
 * again. Its log lines are kept (parsed) for the test and appended to `logFile`.
 */
export class AppProcess {
  readonly lines: LogLine[] = []
  /** Exits the test did not cause (a crash), with how the process ended. */
  readonly crashes: string[] = []
  private child: ChildProcess | undefined
  private stopping = false
  private waiters = new Set<() => void>()

  constructor(
    readonly app: AppName,
    private readonly env: Record<string, string>,
    private readonly logFile: string,
  ) {
    mkdirSync(join(logFile, '..'), { recursive: true })
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null
  }

  get pid(): number | undefined {
    return this.child?.pid
  }

  /** CPU time (user + system) the running process has used so far, from /proc (Linux). */
  cpuMs(): number {
    if (!this.running) throw new Error(`${this.app} is not running`)
    return cpuMsOf(this.pid!)
  }

  /** Starts the process and resolves once it says it is ready. */
  async start(): Promise<void> {
    if (this.running) throw new Error(`${this.app} is already running`)
    const since = this.lines.length
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, `apps/${this.app}/src/main.ts`)], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    this.child = child
    this.stopping = false
    let exited = false
    child.once('exit', (code, signal) => {
      exited = true
      if (!this.stopping) this.crashes.push(`${this.app} exited by itself (${signal ?? code}); see ${this.logFile}`)
      this.notify()
    })
    for (const stream of [child.stdout!, child.stderr!]) createInterface({ input: stream }).on('line', (line) => this.record(line))
    await this.until(
      () => {
        if (exited) throw new Error(`${this.app} exited while starting; see ${this.logFile}`)
        return this.lines.slice(since).some((l) => l.msg === readyMessage[this.app])
      },
      startTimeoutMs,
      `${this.app} to start`,
    )
  }

  /** Kills the process with `signal` and waits until it is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child
    if (!child || !this.running) return
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    this.stopping = true
    this.note(`killed with ${signal}`)
    child.kill(signal)
    await exited
  }

  /** Stops the process as Ctrl-C does (SIGTERM), killing it if it takes more than 15 s. */
  async stop(): Promise<void> {
    const child = this.child
    if (!child || !this.running) return
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
    await this.kill('SIGTERM')
    clearTimeout(timer)
  }

  /** Resolves once the process has logged a line matching `match` (after line `since`). */
  waitForLog(match: (line: LogLine) => boolean, timeoutMs: number, what: string, since = 0): Promise<LogLine> {
    let found: LogLine | undefined
    return this.until(
      () => {
        found = this.lines.slice(since).find(match)
        return found !== undefined
      },
      timeoutMs,
      what,
    ).then(() => found!)
  }

  /** Log lines at warn level or above, for a failing test's message. */
  problems(): string[] {
    return this.lines.filter((l) => l.level >= 40).map((l) => `${this.app}: ${l.msg}${l.err ? ` (${JSON.stringify(l.err)})` : ''}`)
  }

  private record(raw: string): void {
    appendFileSync(this.logFile, `${raw}\n`)
    if (!raw.startsWith('{')) return
    try {
      this.lines.push(JSON.parse(raw) as LogLine)
    } catch {
      return
    }
    this.notify()
  }

  private note(text: string): void {
    appendFileSync(this.logFile, `--- ${new Date().toISOString()} ${text}\n`)
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter()
  }

  private until(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const check = () => {
        try {
          if (!predicate()) return
        } catch (error) {
          done()
          reject(error as Error)
          return
        }
        done()
        resolve()
      }
      const timer = setTimeout(() => {
        done()
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`))
      }, timeoutMs)
      const done = () => {
        clearTimeout(timer)
        this.waiters.delete(check)
      }
      this.waiters.add(check)
      check()
    })
  }
}
