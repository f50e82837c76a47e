import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { cpuMsOf } from '../faults/support/cpu.js'
import { freePort } from '../faults/support/private-services.js'
import { testServerUrl } from './test-env.js'
import { waitFor } from './wait-for.js'

const binary = '/usr/sbin/pgbouncer'

export interface PgBouncerOptions {
  /** The PostgreSQL server behind it: the tests' server (TEST_DATABASE_URL's) unless given. */
  postgresHost?: string
  postgresPort?: number
  /** How long a client holds a server connection: one transaction (the default) or its whole session. */
  poolMode?: 'transaction' | 'session'
  /** Server connections per database at most (PgBouncer's 20 unless given). */
  defaultPoolSize?: number
  /** Client connections at most (200 unless given). */
  maxClientConn?: number
}

/**
 * PgBouncer (Debian's package, 1.18 on bookworm) between the tests and PostgreSQL, as an operator
 * puts it between the apps and PostgreSQL: its own folder and a free loopback port, every
 * database of the server behind it (`*`), `postgres` trusted and its admin. Before 1.21 it keeps
 * no prepared statements in transaction mode: clients use `createDb(url, { preparedStatements: false })`.
 * It is killed if the test process exits without `stop()`.
 */
export class PgBouncer {
  private readonly killNow = () => this.child.kill('SIGKILL')
  private failure: Error | undefined

  private constructor(
    private readonly dir: string,
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    process.once('exit', this.killNow)
    child.once('error', (error) => (this.failure = error))
  }

  /** Starts PgBouncer and resolves once it accepts connections. */
  static async start(options: PgBouncerOptions = {}): Promise<PgBouncer> {
    if (!existsSync(binary)) throw new Error(`PgBouncer is not installed (no ${binary}): apt-get install pgbouncer`)
    const dir = mkdtempSync(join(tmpdir(), 'chorus-pgbouncer-'))
    const port = await freePort()
    const ini = join(dir, 'pgbouncer.ini')
    writeFileSync(join(dir, 'users.txt'), '"postgres" ""\n')
    writeFileSync(ini, configuration(dir, port, options))
    // PgBouncer refuses to run as root: as root, it switches to the `postgres` system user (`user`
    // in its configuration), which then writes its log in this folder.
    if (process.getuid?.() === 0) chownSync(dir, idOf('-u'), idOf('-g'))
    const bouncer = new PgBouncer(dir, spawn(binary, [ini], { stdio: 'ignore' }), port)
    try {
      await bouncer.ready()
    } catch (error) {
      await bouncer.stop()
      throw error
    }
    return bouncer
  }

  /** postgresql://postgres@127.0.0.1:<port>/<database> through this PgBouncer. */
  url(database: string): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/${encodeURIComponent(database)}`
  }

  /** Server connections PgBouncer holds now to `database` (in use or idle), from SHOW SERVERS on its admin console. */
  async serverConnections(database: string): Promise<number> {
    const servers = await this.admin<{ database: string }>('SHOW SERVERS')
    return servers.filter((server) => server.database === database).length
  }

  /** CPU time it has used so far, ms. */
  cpuMs(): number {
    return cpuMsOf(this.child.pid!)
  }

  /** Kills PgBouncer (its clients are disconnected) and deletes its folder. */
  async stop(): Promise<void> {
    process.removeListener('exit', this.killNow)
    if (this.running()) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve))
      this.child.kill('SIGTERM')
      await exited
    }
    rmSync(this.dir, { recursive: true, force: true })
  }

  private async admin<Row extends pg.QueryResultRow>(command: string): Promise<Row[]> {
    const client = new pg.Client({ connectionString: this.url('pgbouncer') })
    await client.connect()
    try {
      return (await client.query<Row>(command)).rows
    } finally {
      await client.end()
    }
  }

  private async ready(): Promise<void> {
    await waitFor(async () => !this.running() || (await this.admin('SHOW VERSION')).length > 0, 10_000, `PgBouncer on port ${this.port}`)
    if (this.failure) throw new Error(`${binary} did not start: ${this.failure.message}`)
    if (!this.running()) throw new Error(`${binary} exited with ${this.child.exitCode}: ${this.log()}`)
  }

  private running(): boolean {
    return !this.failure && this.child.exitCode === null && this.child.signalCode === null
  }

  private log(): string {
    const file = join(this.dir, 'pgbouncer.log')
    return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').slice(-5).join('\n') : '(no log)'
  }
}

function configuration(dir: string, port: number, options: PgBouncerOptions): string {
  const server = new URL(testServerUrl)
  const lines = [
    '[databases]',
    `* = host=${options.postgresHost ?? server.hostname} port=${options.postgresPort ?? Number(server.port || 5432)}`,
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${port}`,
    'unix_socket_dir =',
    'auth_type = trust',
    `auth_file = ${join(dir, 'users.txt')}`,
    'admin_users = postgres',
    `pool_mode = ${options.poolMode ?? 'transaction'}`,
    `default_pool_size = ${options.defaultPoolSize ?? 20}`,
    `max_client_conn = ${options.maxClientConn ?? 200}`,
    // Startup parameters some clients send that PgBouncer would otherwise refuse the connection for.
    'ignore_startup_parameters = extra_float_digits,options',
    `logfile = ${join(dir, 'pgbouncer.log')}`,
    `pidfile = ${join(dir, 'pgbouncer.pid')}`,
    ...(process.getuid?.() === 0 ? ['user = postgres'] : []),
  ]
  return `${lines.join('\n')}\n`
}

/** The `postgres` system user's uid (`-u`) or gid (`-g`). */
function idOf(flag: '-u' | '-g'): number {
  return Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim())
}
