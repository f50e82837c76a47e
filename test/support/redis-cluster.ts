import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { promisify } from 'node:util'
import { Redis } from 'ioredis'
import { freePort } from '../faults/support/private-services.js'
import { waitFor } from './wait-for.js'

const CLUSTER_SLOTS = 16384
const MASTERS = 3

/** A Redis Cluster of the test's own: three masters, no replicas, on free loopback ports. */
export interface RedisClusterHarness {
  /** `host:port,host:port,host:port`, as `REDIS_CLUSTER_NODES` takes it. */
  nodes: string
  ports: number[]
  /** Kills the servers and deletes their folder. */
  stop(): Promise<void>
}

/**
 * Starts three `redis-server --cluster-enabled yes` (without persistence), joins them with
 * `redis-cli --cluster create`, and resolves once every node reports `cluster_state:ok` with all
 * 16384 slots assigned. The servers are killed if the test process exits without `stop()`.
 */
export async function startRedisCluster(): Promise<RedisClusterHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'chorus-redis-cluster-'))
  const children: ChildProcess[] = []
  const running = () => children.filter((child) => child.pid !== undefined && child.exitCode === null && child.signalCode === null)
  const killNow = () => {
    for (const child of running()) child.kill('SIGKILL')
  }
  const onExit = () => {
    killNow()
    rmSync(dir, { recursive: true, force: true })
  }
  process.once('exit', onExit)
  const stop = async () => {
    process.removeListener('exit', onExit)
    const exited = running().map((child) => new Promise((resolve) => child.once('exit', resolve)))
    killNow()
    await Promise.all(exited)
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    const nodePorts = await freeNodePorts(MASTERS)
    await Promise.all(nodePorts.map(({ port, busPort }) => startNode(dir, port, busPort, children)))
    const ports = nodePorts.map(({ port }) => port)
    const addresses = ports.map((port) => `127.0.0.1:${port}`)
    await createCluster(addresses)
    await Promise.all(ports.map((port) => waitForClusterOk(port)))
    return { nodes: addresses.join(','), ports, stop }
  } catch (error) {
    await stop()
    throw error
  }
}

/** A client port and a cluster bus port per node, all distinct (the default bus port, port + 10000, may be taken or past 65535). */
async function freeNodePorts(count: number): Promise<{ port: number; busPort: number }[]> {
  const taken = new Set<number>()
  const next = async (): Promise<number> => {
    let port = await freePort()
    while (taken.has(port)) port = await freePort()
    taken.add(port)
    return port
  }
  const nodes: { port: number; busPort: number }[] = []
  for (let i = 0; i < count; i++) nodes.push({ port: await next(), busPort: await next() })
  return nodes
}

/** Starts one cluster-enabled node (added to `children` at once, so it is killed even if it hangs) and resolves once it is ready. */
async function startNode(dir: string, port: number, busPort: number, children: ChildProcess[]): Promise<void> {
  const args = [
    ...['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-port', String(busPort)],
    ...['--cluster-config-file', join(dir, `nodes-${port}.conf`), '--dir', dir],
    ...['--save', '', '--appendonly', 'no', '--daemonize', 'no'],
  ]
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'ignore'] })
  children.push(child)
  await new Promise<void>((resolve, reject) => {
    const fail = (error: Error) => {
      clearTimeout(timer)
      reject(error)
    }
    const timer = setTimeout(() => fail(new Error(`cluster node on port ${port} did not start`)), 10_000)
    child.once('exit', (code) => fail(new Error(`cluster node on port ${port} exited with ${code}`)))
    child.once('error', fail)
    // Keep reading after "ready": a full stdout pipe would block the server's logging.
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.includes('Ready to accept connections')) return
      clearTimeout(timer)
      resolve()
    })
  })
}

async function createCluster(addresses: string[]): Promise<void> {
  const args = ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes']
  try {
    await promisify(execFile)('redis-cli', args, { timeout: 30_000 })
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string }
    throw new Error(`redis-cli ${args.join(' ')} failed: ${stderr || stdout || String(error)}`)
  }
}

async function waitForClusterOk(port: number): Promise<void> {
  const redis = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1 })
  try {
    await waitFor(
      async () => {
        const info = await redis.cluster('INFO')
        const field = (name: string) => new RegExp(`^${name}:(\\S+)`, 'm').exec(info)?.[1]
        return (
          field('cluster_state') === 'ok' &&
          Number(field('cluster_slots_assigned')) === CLUSTER_SLOTS &&
          Number(field('cluster_slots_ok')) === CLUSTER_SLOTS &&
          Number(field('cluster_known_nodes')) === MASTERS
        )
      },
      20_000,
      `cluster_state:ok with ${CLUSTER_SLOTS} slots on port ${port}`,
    )
  } finally {
    redis.disconnect()
  }
}
