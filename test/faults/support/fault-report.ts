import { appendFileSync, mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { percentile } from '../../../bench/support.js'
import type { AuditResult } from './delivery-audit.js'
import type { Question, Traffic } from './traffic.js'

const resultsDir = fileURLToPath(new URL('../../../test-artifacts/faults', import.meta.url))

/**
 * Asks a fresh question in group `room` every `everyMs`, from now until one of them is answered,
 * and returns how long after `since` (the fault) that first answer came: the time the system
 * took to answer new questions again. The probes are ordinary questions, audited with the rest.
 */
export async function timeToRecovery(
  traffic: Traffic,
  room: string,
  since: number,
  options: { everyMs?: number; timeoutMs: number },
): Promise<number> {
  const probes: Question[] = []
  const deadline = Date.now() + options.timeoutMs
  const answeredAt = () =>
    probes
      .flatMap((q) => traffic.answersTo(q))
      .filter((a) => a.kind === 'reply')
      .reduce((first, a) => Math.min(first, a.at), Number.POSITIVE_INFINITY)
  while (!Number.isFinite(answeredAt())) {
    if (Date.now() > deadline) throw new Error(`no probe in ${room} was answered within ${options.timeoutMs} ms`)
    void traffic.group(room, options.timeoutMs).then((q) => probes.push(q))
    await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 500))
  }
  return answeredAt() - since
}

/** Prints one fault's figures and appends them to test-artifacts/faults/results.jsonl (figures are reported, not asserted on). */
export function report(fault: string, result: AuditResult, figures: Record<string, number | string> = {}): void {
  const line = {
    fault,
    accepted: result.accepted,
    answered: result.answered,
    failed: result.failed,
    lost: result.lost,
    duplicated: result.duplicated,
    notAccepted: result.notAccepted,
    p50Ms: Math.round(percentile(result.latenciesMs, 50)),
    p99Ms: Math.round(percentile(result.latenciesMs, 99)),
    maxMs: Math.round(percentile(result.latenciesMs, 100)),
    ...figures,
  }
  mkdirSync(resultsDir, { recursive: true })
  appendFileSync(`${resultsDir}/results.jsonl`, `${JSON.stringify({ at: new Date().toISOString(), ...line })}\n`)
  console.log(
    `[fault] ${fault}: ${Object.entries(line)
      .slice(1)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}${result.problems.length ? `\n  ${result.problems.slice(0, 20).join('\n  ')}` : ''}`,
  )
}
