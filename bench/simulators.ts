import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import OpenAI from 'openai'
import type { SimulatorParams } from '@chorus/inference-simulator'

export type HostRequest =
  { seq: number; type: 'start'; params: Partial<SimulatorParams> } | { seq: number; type: 'stop'; simulatorId: number }
export type HostReply = { seq: number; id: number; url: string } | { seq: number; error: string }

/** What a simulator received last: the exact prompt the platform sent, to replay it directly. */
export interface RecordedRequest {
  messages: Array<{ role: 'system' | 'user' | 'assistant'; content: string }>
  max_tokens?: number
}

/** One simulated inference server in the host process. */
export class BenchSimulator {
  /** An OpenAI client straight to this simulator (the baselines' path). */
  readonly client: OpenAI

  constructor(
    private readonly host: SimulatorHost,
    readonly id: number,
    readonly url: string,
  ) {
    this.client = new OpenAI({ baseURL: this.baseURL, apiKey: 'unused', maxRetries: 0, timeout: 60_000 })
  }

  get baseURL(): string {
    return `${this.url}/v1`
  }

  async lastRequest(): Promise<RecordedRequest> {
    const response = await fetch(`${this.url}/bench/last-request`)
    return (await response.json()) as RecordedRequest
  }

  async stats(): Promise<{ requests: number; cacheHits: number; completionTokens: number }> {
    const response = await fetch(`${this.url}/bench/stats`)
    return (await response.json()) as { requests: number; cacheHits: number; completionTokens: number }
  }

  close(): Promise<void> {
    return this.host.stop(this.id)
  }
}

/** A child process hosting the bench's inference simulators (see simulator-host.ts for why). */
export class SimulatorHost {
  private seq = 0
  private readonly pending = new Map<number, { resolve: (reply: HostReply) => void }>()

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (reply: HostReply) => {
      this.pending.get(reply.seq)?.resolve(reply)
      this.pending.delete(reply.seq)
    })
  }

  static async start(): Promise<SimulatorHost> {
    const child = fork(fileURLToPath(new URL('./simulator-host.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    })
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve())
      child.once('exit', (code) => reject(new Error(`the simulator host exited with ${code}`)))
    })
    return new SimulatorHost(child)
  }

  async simulator(params: Partial<SimulatorParams>): Promise<BenchSimulator> {
    const reply = await this.request({ seq: ++this.seq, type: 'start', params })
    return new BenchSimulator(this, reply.id, reply.url)
  }

  async stop(simulatorId: number): Promise<void> {
    await this.request({ seq: ++this.seq, type: 'stop', simulatorId })
  }

  async close(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()))
    this.child.disconnect()
    await exited
  }

  private async request(request: HostRequest): Promise<{ id: number; url: string }> {
    const reply = await new Promise<HostReply>((resolve) => {
      this.pending.set(request.seq, { resolve })
      this.child.send(request)
    })
    if ('error' in reply) throw new Error(`simulator host: ${reply.error}`)
    return reply
  }
}
