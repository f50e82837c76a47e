import type { SimulatorMessage } from '@chorus/protocol'
import { startTestStack, type TestStack } from './support/test-stack.js'
import { waitFor } from './support/wait-for.js'

// A 1×1 PNG.
const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='

let stack: TestStack

beforeAll(async () => {
  stack = await startTestStack({
    botSettings: {
      media: { images: 'vision' },
      outgoing: { jitterMs: 0, perGroupPerMinute: 6000, perAccountPerMinute: 6000 },
      reply: { partDelayMs: 0 },
    },
  })
})

afterAll(async () => {
  await stack?.stop()
})

async function botLines(from: string): Promise<SimulatorMessage[]> {
  const res = await fetch(`${stack.api.url}/api/simulator/messages?from=${from}`)
  return ((await res.json()) as SimulatorMessage[]).filter((l) => l.self)
}

describe('images for a vision-capable model', () => {
  it('passes the picture to the model and answers about it', async () => {
    const seen: unknown[] = []
    const generate = stack.simulator.replica.generate.bind(stack.simulator.replica)
    stack.simulator.replica.generate = (messages, ...rest) => {
      seen.push(messages.at(-1)?.content)
      return generate(messages, ...rest)
    }
    const res = await fetch(`${stack.api.url}/api/simulator/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: 'Viewer', kind: 'image', image: png }),
    })
    expect(res.status).toBe(202)
    const lines = await waitFor(async () => ((await botLines('Viewer')).length > 0 ? botLines('Viewer') : undefined), 10_000, 'the answer')
    expect(lines[0]!.text).toContain('(1 image seen)')
    expect(seen[0]).toEqual([
      { type: 'text', text: '[图片]' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } },
    ])
  })

  it('rejects a picture that is not base64', async () => {
    const res = await fetch(`${stack.api.url}/api/simulator/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: 'Viewer', kind: 'image', image: 'not base64!' }),
    })
    expect(res.status).toBe(400)
  })
})
