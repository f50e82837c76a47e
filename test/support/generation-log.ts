import type { SimulatedReplica } from '@chorus/inference-simulator'

/** One generation an inference simulator ran. */
export interface ObservedGeneration {
  /** The prompt's user messages, oldest first; the last one is the question being answered. */
  userMessages: string[]
  startedAt: number
  /** Unset while it runs. */
  endedAt?: number
}

/**
 * Records every generation a simulated replica runs, as it runs, so a test can wait for "the
 * prompt for X has started" and check what ran side by side.
 */
export class GenerationLog {
  readonly generations: ObservedGeneration[] = []
  private waiters = new Set<() => void>()

  private constructor() {}

  /** Starts recording the generations `replica` runs from now on. */
  static attach(replica: SimulatedReplica): GenerationLog {
    const log = new GenerationLog()
    const generate = replica.generate.bind(replica)
    replica.generate = async (messages, ...rest) => {
      const generation: ObservedGeneration = {
        userMessages: messages
          .filter((m) => m.role === 'user')
          .map((m) => (typeof m.content === 'string' ? m.content : m.content.map((p) => p.text ?? '').join(''))),
        startedAt: Date.now(),
      }
      log.record(() => log.generations.push(generation))
      try {
        return await generate(messages, ...rest)
      } finally {
        log.record(() => (generation.endedAt = Date.now()))
      }
    }
    return log
  }

  /** Generations whose question (last user message) is `question`. */
  answering(question: string): ObservedGeneration[] {
    return this.generations.filter((g) => g.userMessages.at(-1) === question)
  }

  /** Resolves once `predicate` holds over the generations seen so far. */
  async until(predicate: (generations: ObservedGeneration[]) => boolean, timeoutMs: number, what: string): Promise<void> {
    if (predicate(this.generations)) return
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!predicate(this.generations)) return
        clearTimeout(timer)
        this.waiters.delete(check)
        resolve()
      }
      const timer = setTimeout(() => {
        this.waiters.delete(check)
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`))
      }, timeoutMs)
      this.waiters.add(check)
    })
  }

  /** The most of `generations` that ran at the same time. */
  static maxOverlap(generations: ObservedGeneration[]): number {
    const edges = generations.flatMap((g) => [
      { at: g.startedAt, delta: 1 },
      { at: g.endedAt ?? Number.POSITIVE_INFINITY, delta: -1 },
    ])
    // An end and a start at the same millisecond do not overlap.
    edges.sort((a, b) => a.at - b.at || a.delta - b.delta)
    let running = 0
    let max = 0
    for (const edge of edges) {
      running += edge.delta
      max = Math.max(max, running)
    }
    return max
  }

  private record(change: () => unknown): void {
    change()
    for (const waiter of [...this.waiters]) waiter()
  }
}
