import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { ensureDatabase, migrate } from '@chorus/db'
import { cpuMsOf, cpuMsOfTree } from './cpu.js'

/** A free TCP port on loopback (the OS picks one; it is free again once this returns). */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** Where PostgreSQL's server programs are: PG_BIN, else the newest Debian install, else the PATH. */
function postgresBin(program: string): string {
  if (process.env.PG_BIN) return join(process.env.PG_BIN, program)
  const root = '/usr/lib/postgresql'
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : []
  return versions[0] ? join(root, versions[0], 'bin', program) : program
}

// PostgreSQL refuses to run as root: as root, its programs run as the `postgres` system user.
const asRoot = process.getuid?.() === 0

function runPostgresProgram(program: string, args: string[]): void {
  const command = asRoot ? 'runuser' : postgresBin(program)
  const argv = asRoot ? ['-u', 'postgres', '--', postgresBin(program), ...args] : args
  const result = spawnSync(command, argv, { encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`${program} ${args.join(' ')} failed: ${result.stderr || result.stdout || result.error}`)
}

/**
 * A PostgreSQL server of the fault suite's own (a fresh cluster in a temporary folder, on a free
 * port, trust auth), so a test can stop and restart it without disturbing anything else on the
 * machine. The same server programs as the machine's PostgreSQL.
 */
export class PrivatePostgres {
  private constructor(
    private readonly dir: string,
    readonly port: number,
  ) {}

  static async start(): Promise<PrivatePostgres> {
    const dir = mkdtempSync(join(tmpdir(), 'chorus-faults-pg-'))
    if (asRoot) {
      const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim())
      chownSync(dir, id('-u'), id('-g'))
    }
    runPostgresProgram('initdb', ['-D', join(dir, 'data'), '--auth=trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync'])
    const server = new PrivatePostgres(dir, await freePort())
    await server.up()
    process.once('exit', () => server.stopNow())
    return server
  }

  /** The server's `postgres` database (for administration). */
  get serverUrl(): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/postgres`
  }

  /** A new database on this server, migrated; returns its URL. */
  async createDatabase(name: string): Promise<string> {
    const url = `postgresql://postgres@127.0.0.1:${this.port}/${name}`
    await ensureDatabase(url)
    await migrate(url)
    return url
  }

  /** Starts the server (again) and waits until it accepts connections. */
  async up(): Promise<void> {
    const options = `-p ${this.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${this.dir} -c fsync=off -c max_connections=300`
    runPostgresProgram('pg_ctl', ['-D', join(this.dir, 'data'), '-l', join(this.dir, 'server.log'), '-o', options, '-w', 'start'])
  }

  /** CPU time the server has used so far (all its processes), ms. */
  cpuMs(): number {
    const postmaster = Number(readFileSync(join(this.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0])
    return cpuMsOfTree(postmaster)
  }

  /** Stops the server as `pg_ctlcluster … stop` does (fast: sessions are disconnected). */
  async down(): Promise<void> {
    runPostgresProgram('pg_ctl', ['-D', join(this.dir, 'data'), '-m', 'fast', '-w', 'stop'])
  }

  async destroy(): Promise<void> {
    this.stopNow()
    rmSync(this.dir, { recursive: true, force: true })
  }

  private stopNow(): void {
    if (!existsSync(join(this.dir, 'data', 'postmaster.pid'))) return
    try {
      runPostgresProgram('pg_ctl', ['-D', join(this.dir, 'data'), '-m', 'immediate', '-w', 'stop'])
    } catch {
      // Already stopped.
    }
  }
}

/** A Redis server of the fault suite's own, without persistence (like the machine's): restarting it loses everything. */
export class PrivateRedis {
  private child: ChildProcess | undefined

  private constructor(
    private readonly dir: string,
    readonly port: number,
  ) {}

  static async start(): Promise<PrivateRedis> {
    const server = new PrivateRedis(mkdtempSync(join(tmpdir(), 'chorus-faults-redis-')), await freePort())
    await server.up()
    process.once('exit', () => server.child?.kill('SIGKILL'))
    return server
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`
  }

  /** CPU time the server has used so far, ms. */
  cpuMs(): number {
    if (!this.child?.pid || this.child.exitCode !== null) throw new Error('redis-server is not running')
    return cpuMsOf(this.child.pid)
  }

  /** Starts the server (again) and resolves once it says it is ready. */
  async up(): Promise<void> {
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir],
      {
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    )
    this.child = child
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server on port ${this.port} did not start`)), 10_000)
      child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)))
      createInterface({ input: child.stdout! }).on('line', (line) => {
        if (!line.includes('Ready to accept connections')) return
        clearTimeout(timer)
        resolve()
      })
    })
  }

  /** Stops the server at once (SIGKILL): every key is gone. */
  async down(): Promise<void> {
    const child = this.child
    if (!child || child.exitCode !== null) return
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    child.kill('SIGKILL')
    await exited
  }

  async destroy(): Promise<void> {
    await this.down()
    rmSync(this.dir, { recursive: true, force: true })
  }
}
