import type { Lane } from './keys.js'

/**
 * A replica's generation slots, shared by its two lanes: at most `size` prompts generate at once,
 * and a main-lane prompt starts only while more than `reserved` slots are free, so a prompt of a
 * quiet fairness key (the fresh lane) finds one even while a flood keeps the main lane full.
 * Waiting prompts go first come first served, the fresh lane's first.
 */
export class Slots {
  private inUse = 0
  private readonly waiting: Record<Lane, Array<() => void>> = { fresh: [], main: [] }

  constructor(
    private readonly size: number,
    private readonly reserved: number,
  ) {}

  /** Resolves, once a slot is free for `lane`, with the function that gives it back (once). */
  async take(lane: Lane): Promise<() => void> {
    if (this.fits(lane)) this.inUse++
    else await new Promise<void>((resolve) => this.waiting[lane].push(resolve))
    let given = false
    return () => {
      if (given) return
      given = true
      this.inUse--
      this.wakeNext()
    }
  }

  private fits(lane: Lane): boolean {
    return this.inUse < (lane === 'fresh' ? this.size : this.size - this.reserved)
  }

  private wakeNext(): void {
    for (const lane of ['fresh', 'main'] as const) {
      if (this.waiting[lane].length > 0 && this.fits(lane)) {
        this.inUse++
        this.waiting[lane].shift()!()
        return
      }
    }
  }
}

/**
 * How a replica's `capacity` is split: one slot in eight, at least one, is kept for the fresh
 * lane (none for a replica of one slot); the main lane's BullMQ worker takes no more than it may run.
 */
export function laneConcurrency(capacity: number): { main: number; fresh: number; reserved: number } {
  const reserved = capacity > 1 ? Math.max(1, Math.floor(capacity / 8)) : 0
  return { main: capacity - reserved, fresh: capacity, reserved }
}
