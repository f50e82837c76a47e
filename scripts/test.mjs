// `npm test`: type-check, lint, format check, the circular-import check, then every jest suite
// (unit and integration). Extra arguments go to jest, e.g. `npm test -- test/message-flow`.
import { spawnSync } from 'node:child_process'

const bin = (name) => `node_modules/.bin/${name}`
const steps = [
  ['type-check', bin('tsc'), ['-p', '.']],
  ['type-check web', bin('tsc'), ['-p', 'apps/web']],
  ['lint', bin('eslint'), ['.']],
  ['format', bin('prettier'), ['--check', '--log-level', 'warn', '.']],
  ['circular imports', bin('madge'), ['--circular', '--extensions', 'ts,tsx', '--exclude', 'generated/', 'apps', 'packages', 'scripts']],
  ['jest', process.execPath, ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js', ...process.argv.slice(2)]],
]
for (const [name, command, args] of steps) {
  process.stdout.write(`\n== ${name}\n`)
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, NODE_NO_WARNINGS: '1' } })
  if (result.status !== 0) {
    process.stdout.write(`\n${name} failed\n`)
    process.exit(result.status ?? 1)
  }
}
