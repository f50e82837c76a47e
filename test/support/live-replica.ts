import type { Dispatcher } from '@chorus/pool'

/** Registers one live, idle replica of the simulator's model, so that a question can be queued for it. */
export async function registerLiveReplica(dispatcher: Dispatcher): Promise<void> {
  await dispatcher.registry.heartbeat({
    id: 'r1',
    model: 'chorus-simulator',
    engine: 'test',
    capacity: 4,
    inFlight: 0,
    down: false,
    serviceMs: 0,
    load: 0,
  })
}
