import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))

describe('the production dependencies', () => {
  // `npm run audit:prod` (scripts/audit-prod.mjs): passes, or says plainly that the registry's
  // audit endpoint could not be reached and the check was skipped.
  it('have no high or critical advisory (npm audit --omit=dev --audit-level=high)', () => {
    const run = spawnSync(process.execPath, ['scripts/audit-prod.mjs'], { cwd: root, encoding: 'utf8', timeout: 150_000 })
    if (run.stdout.includes('skipped')) console.warn(run.stdout.trim())
    expect(run.status).toBe(0)
    expect(run.stdout).toMatch(/^audit:prod (passed|skipped)/m)
  }, 160_000)
})
