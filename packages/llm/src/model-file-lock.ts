import { readFile, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'

// The holder touches its lock this often; a lock untouched for `staleAfterMs` has lost its holder
// (a process on another host sharing the folder, which cannot be asked whether it lives).
const refreshMs = 10_000
const staleAfterMs = 60_000
const pollMs = 500

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

async function isStale(lockPath: string): Promise<boolean> {
  try {
    const [host, pid] = (await readFile(lockPath, 'utf8')).trim().split(' ')
    if (host === hostname() && pid !== undefined) return !isAlive(Number(pid))
    return Date.now() - (await stat(lockPath)).mtimeMs > staleAfterMs
  } catch {
    return false // gone or half-written: the next try sees
  }
}

async function tryLock(lockPath: string): Promise<boolean> {
  try {
    await writeFile(lockPath, `${hostname()} ${process.pid}\n`, { flag: 'wx' })
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    if (await isStale(lockPath)) await rm(lockPath, { force: true })
    return false
  }
}

/**
 * Runs `work` while holding `lockPath`, so that processes sharing a models folder (workers
 * scaled on one volume) download a file once: the others wait (`onWait`, once) until it is free.
 */
export async function withFileLock<T>(lockPath: string, onWait: () => void, work: () => Promise<T>): Promise<T> {
  let waiting = false
  while (!(await tryLock(lockPath))) {
    if (!waiting) onWait()
    waiting = true
    await sleep(pollMs)
  }
  const refresh = setInterval(() => {
    const now = new Date()
    // A missed touch costs nothing unless a minute of them pass: then another host may take over.
    utimes(lockPath, now, now).catch(() => undefined)
  }, refreshMs).unref()
  try {
    return await work()
  } finally {
    clearInterval(refresh)
    await rm(lockPath, { force: true })
  }
}
