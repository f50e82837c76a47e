import type { Lane } from './keys.js'

interface Waiter {
  lane: Lane
  priority: number
  seq: number
  admit: () => void
}

/**
 * A replica's generation slots, shared by its two lanes: at most `size` prompts generate at once,
 * and a main-lane prompt starts only while more than `reserved` slots are free, so a prompt of a
 * quiet fairness key (the fresh lane) finds a slot at once even while a flood fills the main lane.
 * Prompts waiting for a slot go by BullMQ priority (lower first), then first come first served,
 * across both lanes: a slot that frees is kept for the best waiting prompt until it fits, never
 * given to a worse one (so the fresh lane's traffic cannot keep agent assist waiting).
 */
export class Slots {
  private inUse = 0
  private seq = 0
  private readonly waiting: Waiter[] = []

  constructor(
    private readonly size: number,
    private readonly reserved: number,
  ) {}

  /** Resolves, once a slot is free for a prompt of `lane` and `priority`, with the function that gives it back (once). */
  async take(lane: Lane, priority = 0): Promise<() => void> {
    const waiter: Omit<Waiter, 'admit'> = { lane, priority, seq: this.seq++ }
    if (this.fits(lane) && !this.waiting.some((other) => before(other, waiter))) this.inUse++
    else await new Promise<void>((admit) => this.enqueue({ ...waiter, admit }))
    let given = false
    return () => {
      if (given) return
      given = true
      this.inUse--
      this.admitWaiting()
    }
  }

  private fits(lane: Lane): boolean {
    return this.inUse < (lane === 'fresh' ? this.size : this.size - this.reserved)
  }

  private enqueue(waiter: Waiter): void {
    const at = this.waiting.findIndex((other) => before(waiter, other))
    this.waiting.splice(at === -1 ? this.waiting.length : at, 0, waiter)
  }

  /** Admits waiting prompts in order while the first one fits; a first one that does not fit holds the slot. */
  private admitWaiting(): void {
    while (this.waiting.length > 0 && this.fits(this.waiting[0]!.lane)) {
      this.inUse++
      this.waiting.shift()!.admit()
    }
  }
}

function before(a: Pick<Waiter, 'priority' | 'seq'>, b: Pick<Waiter, 'priority' | 'seq'>): boolean {
  return a.priority < b.priority || (a.priority === b.priority && a.seq < b.seq)
}

/**
 * How a replica's `capacity` is split: one slot in eight, at least one, is kept for the fresh
 * lane (none for a replica of one slot); the main lane's BullMQ worker takes no more than it may
 * run; the batch lane's takes one prompt at a time (a slot it waits for goes to any other first).
 */
export function laneConcurrency(capacity: number): Record<Lane, number> & { reserved: number } {
  const reserved = capacity > 1 ? Math.max(1, Math.floor(capacity / 8)) : 0
  return { main: capacity - reserved, fresh: capacity, batch: 1, reserved }
}
