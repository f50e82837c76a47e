// The inference simulators of the bench, in a process of their own: a real inference server is
// another machine, so the simulated one must not share an event loop with the platform it
// measures (the platform's CPU work would otherwise stretch the simulated token timings).
// Driven over IPC by bench/simulators.ts; exits when its parent goes away.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import express from 'express'
import { createSimulatorRouter, defaultSimulatorParams, SimulatedReplica, type SimulatorParams } from '@chorus/inference-simulator'
import type { HostReply, HostRequest } from './simulators.js'

const servers = new Map<number, Server>()

async function start(params: Partial<SimulatorParams>): Promise<{ id: number; url: string }> {
  const replica = new SimulatedReplica({ ...defaultSimulatorParams, ...params })
  let last: unknown = null
  const app = express()
  app.use(express.json({ limit: '4mb' }))
  app.post('/v1/chat/completions', (req, _res, next) => {
    last = req.body
    next()
  })
  app.get('/bench/last-request', (_req, res) => res.json(last))
  app.get('/bench/stats', (_req, res) => res.json(replica.stats))
  app.use(createSimulatorRouter(replica))
  const server = createServer(app)
  server.keepAliveTimeout = 60_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const id = servers.size + 1
  servers.set(id, server)
  return { id, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

async function stop(id: number): Promise<void> {
  const server = servers.get(id)
  if (!server) return
  servers.delete(id)
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
}

process.on('message', (request: HostRequest) => {
  const handle =
    request.type === 'start' ? start(request.params) : stop(request.simulatorId).then(() => ({ id: request.simulatorId, url: '' }))
  handle.then(
    (result) => process.send?.({ seq: request.seq, ...result } satisfies HostReply),
    (error: unknown) => process.send?.({ seq: request.seq, error: String(error) } satisfies HostReply),
  )
})
process.on('disconnect', () => {
  void Promise.all([...servers.keys()].map(stop)).then(() => process.exit(0))
})
process.send?.({ seq: 0, id: 0, url: 'ready' } satisfies HostReply)
