import { defaultSimulatorParams, SimulatedReplica, type SimulatedMessage, type SimulatorParams } from './replica.js'

/** A replica that answers at once unless the test asks for latency. */
function replicaWith(params: Partial<SimulatorParams> = {}): SimulatedReplica {
  return new SimulatedReplica({ ...defaultSimulatorParams, ttftMs: 0, itlMs: 0, prefillMsPerToken: 0, ...params })
}

function ask(content: string): SimulatedMessage[] {
  return [{ role: 'user', content }]
}

async function generateText(replica: SimulatedReplica, messages: SimulatedMessage[], maxTokens: number) {
  const tokens: string[] = []
  const result = await replica.generate(messages, maxTokens, (t) => tokens.push(t))
  return { ...result, tokens }
}

describe('SimulatedReplica', () => {
  describe('reply length', () => {
    it('replies with replyTokens tokens and finishes with stop when maxTokens allows it', async () => {
      const { tokens, completionTokens, finishReason } = await generateText(replicaWith({ replyTokens: 5 }), ask('hi'), 100)

      expect(tokens).toHaveLength(5)
      expect(completionTokens).toBe(5)
      expect(finishReason).toBe('stop')
    })

    it('stops at maxTokens and finishes with length when maxTokens is below replyTokens', async () => {
      const { tokens, completionTokens, finishReason } = await generateText(replicaWith({ replyTokens: 5 }), ask('hi'), 3)

      expect(tokens).toHaveLength(3)
      expect(completionTokens).toBe(3)
      expect(finishReason).toBe('length')
    })

    it('finishes with stop when maxTokens equals replyTokens', async () => {
      const { tokens, finishReason } = await generateText(replicaWith({ replyTokens: 5 }), ask('hi'), 5)

      expect(tokens).toHaveLength(5)
      expect(finishReason).toBe('stop')
    })

    it('marks its reply as simulated from the first token', async () => {
      const { tokens } = await generateText(replicaWith({ replyTokens: 3 }), ask('hi'), 100)

      expect(tokens[0]).toBe('[simulated] ')
      expect(tokens.join('')).toMatch(/^\[simulated\] \S/)
    })

    it('counts every generated token in its stats', async () => {
      const replica = replicaWith({ replyTokens: 4 })

      await generateText(replica, ask('one'), 100)
      await generateText(replica, ask('two'), 2)

      expect(replica.stats.requests).toBe(2)
      expect(replica.stats.completionTokens).toBe(6)
    })
  })

  describe('batching', () => {
    it('queues the requests beyond maxBatch', async () => {
      const replica = replicaWith({ maxBatch: 2, replyTokens: 2 })

      const running = [1, 2, 3, 4, 5].map((i) => replica.generate(ask(`question ${i}`), 100, () => undefined))

      expect(replica.inFlight).toBe(2)
      expect(replica.queued).toBe(3)
      await Promise.all(running)
      expect(replica.inFlight).toBe(0)
      expect(replica.queued).toBe(0)
    })

    it('never runs more than maxBatch sequences at once, yet fills the batch', async () => {
      const replica = replicaWith({ maxBatch: 3, replyTokens: 4, itlMs: 1 })
      const seen: number[] = []

      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => replica.generate(ask(`question ${i}`), 100, () => seen.push(replica.inFlight))),
      )

      expect(results.every((r) => r.completionTokens === 4)).toBe(true)
      expect(seen).toHaveLength(40)
      expect(Math.max(...seen)).toBe(3)
      expect(replica.inFlight).toBe(0)
    })
  })

  describe('prefix cache', () => {
    const system: SimulatedMessage = { role: 'system', content: 'You are a helpful assistant chatting in WeChat.' }
    const firstTurn: SimulatedMessage[] = [system, { role: 'user', content: 'What is the capital of France?' }]

    it('reports no cached tokens for a prompt it has not seen', async () => {
      const result = await replicaWith().generate(firstTurn, 10, () => undefined)

      expect(result.promptTokens).toBeGreaterThan(0)
      expect(result.cachedTokens).toBe(0)
    })

    it('reuses the earlier prompt when a follow-up extends it', async () => {
      const replica = replicaWith()
      const first = await replica.generate(firstTurn, 10, () => undefined)

      const followUp = await replica.generate(
        [...firstTurn, { role: 'assistant', content: 'Paris.' }, { role: 'user', content: 'And of Italy?' }],
        10,
        () => undefined,
      )

      expect(followUp.cachedTokens).toBe(first.promptTokens)
      expect(followUp.promptTokens).toBeGreaterThan(followUp.cachedTokens)
      expect(replica.stats.cacheHits).toBe(1)
    })

    it('reports no cached tokens for an unrelated prompt', async () => {
      const replica = replicaWith()
      await replica.generate(firstTurn, 10, () => undefined)

      const unrelated = await replica.generate(
        [
          { role: 'system', content: 'You are a terse translator.' },
          { role: 'user', content: 'Translate: good morning' },
        ],
        10,
        () => undefined,
      )

      expect(unrelated.cachedTokens).toBe(0)
      expect(replica.stats.cacheHits).toBe(0)
    })

    it('caches only the shared leading messages, not a later message with the same text', async () => {
      const replica = replicaWith()
      await replica.generate(firstTurn, 10, () => undefined)

      const sameSystemOtherQuestion = await replica.generate(
        [system, { role: 'user', content: 'Something else entirely' }],
        10,
        () => undefined,
      )
      const sameQuestionOtherSystem = await replica.generate(
        [{ role: 'system', content: 'Another persona.' }, firstTurn[1]!],
        10,
        () => undefined,
      )

      expect(sameSystemOtherQuestion.cachedTokens).toBe(Math.ceil(system.content.length / 4))
      expect(sameQuestionOtherSystem.cachedTokens).toBe(0)
    })

    it('treats the same text under another role as a different prompt', async () => {
      const replica = replicaWith()
      await replica.generate([{ role: 'user', content: 'hello' }], 10, () => undefined)

      const result = await replica.generate([{ role: 'assistant', content: 'hello' }], 10, () => undefined)

      expect(result.cachedTokens).toBe(0)
    })

    it('forgets the least recently used prefixes beyond prefixCacheEntries', async () => {
      const replica = replicaWith({ prefixCacheEntries: 2 })
      const cachedFor = async (content: string) => (await replica.generate(ask(content), 10, () => undefined)).cachedTokens
      await cachedFor('alpha')
      await cachedFor('bravo')
      expect(await cachedFor('alpha')).toBeGreaterThan(0)

      await cachedFor('charlie')

      expect(await cachedFor('alpha')).toBeGreaterThan(0)
      expect(await cachedFor('bravo')).toBe(0)
    })

    it('counts a prompt of several messages as several cache entries', async () => {
      const replica = replicaWith({ prefixCacheEntries: 2 })
      await replica.generate(ask('first'), 10, () => undefined)
      await replica.generate(
        [
          { role: 'user', content: 'second' },
          { role: 'user', content: 'third' },
        ],
        10,
        () => undefined,
      )

      const again = await replica.generate(ask('first'), 10, () => undefined)

      expect(again.cachedTokens).toBe(0)
    })
  })

  describe('cancellation', () => {
    it('rejects a queued request when its signal aborts and takes it out of the queue', async () => {
      // A long time to first token keeps the first request running until the test aborts it.
      const replica = replicaWith({ maxBatch: 1, ttftMs: 60_000 })
      const holder = new AbortController()
      const waiter = new AbortController()
      const holding = replica.generate(ask('holds the only slot'), 10, () => undefined, holder.signal)
      const waiting = replica.generate(ask('waits'), 10, () => undefined, waiter.signal)
      expect(replica.queued).toBe(1)

      const reason = new Error('client went away')
      waiter.abort(reason)

      await expect(waiting).rejects.toBe(reason)
      expect(replica.queued).toBe(0)
      expect(replica.inFlight).toBe(1)

      holder.abort(new Error('test done'))
      await expect(holding).rejects.toThrow('test done')
      // The aborted request must not have been granted the slot the first one freed.
      expect(replica.inFlight).toBe(0)
    })

    it('gives the freed slot to the next request still waiting', async () => {
      const replica = replicaWith({ maxBatch: 1, ttftMs: 60_000 })
      const holder = new AbortController()
      const leaver = new AbortController()
      const stayer = new AbortController()
      const holding = replica.generate(ask('holds'), 10, () => undefined, holder.signal)
      const leaving = replica.generate(ask('leaves'), 10, () => undefined, leaver.signal)
      const staying = replica.generate(ask('stays'), 10, () => undefined, stayer.signal)

      leaver.abort(new Error('left'))
      await expect(leaving).rejects.toThrow('left')
      holder.abort(new Error('done'))
      await expect(holding).rejects.toThrow('done')

      expect(replica.inFlight).toBe(1)
      expect(replica.queued).toBe(0)
      stayer.abort(new Error('done'))
      await expect(staying).rejects.toThrow('done')
      expect(replica.inFlight).toBe(0)
    })

    it('frees its slot when a running request is aborted', async () => {
      const replica = replicaWith({ maxBatch: 1, ttftMs: 60_000 })
      const controller = new AbortController()
      const running = replica.generate(ask('runs'), 10, () => undefined, controller.signal)
      expect(replica.inFlight).toBe(1)

      controller.abort(new Error('stop'))

      await expect(running).rejects.toThrow('stop')
      expect(replica.inFlight).toBe(0)
    })
  })
})
