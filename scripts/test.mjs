// `npm test`: type-check, lint, format check, the circular-import check, then every jest suite
// (unit and integration). Extra arguments go to jest, e.g. `npm test -- test/message-flow`.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const bin = (name) => `node_modules/.bin/${name}`
const results = join(mkdtempSync(join(tmpdir(), 'chorus-test-')), 'jest.json')
// apps/miniprogram is its own npm project (Taro needs React 18): it can be type-checked only once
// its dependencies are installed (`npm ci` there; its browser test runs that when they are missing).
const miniprogramReady = existsSync('apps/miniprogram/node_modules/@tarojs/taro')
const steps = [
  ['type-check', bin('tsc'), ['-p', '.']],
  ['type-check web', bin('tsc'), ['-p', 'apps/web']],
  ...(miniprogramReady ? [['type-check miniprogram', bin('tsc'), ['-p', 'apps/miniprogram']]] : []),
  ['lint', bin('eslint'), ['.']],
  ['format', bin('prettier'), ['--check', '--log-level', 'warn', '.']],
  ['circular imports', bin('madge'), ['--circular', '--extensions', 'ts,tsx', '--exclude', 'generated/', 'apps', 'packages', 'scripts']],
  [
    'jest',
    process.execPath,
    // On two cores jest runs every suite in this one process, one after the other (in band), and
    // ESM test modules (vm modules) are not all released between suites: the heap grows past
    // Node's default limit of about 4 GB before the last suite. The machines have 24 GB.
    [
      '--max-old-space-size=8192',
      '--experimental-vm-modules',
      'node_modules/jest/bin/jest.js',
      '--json',
      `--outputFile=${results}`,
      ...process.argv.slice(2),
    ],
  ],
]
for (const [name, command, args] of steps) {
  process.stdout.write(`\n== ${name}\n`)
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, NODE_NO_WARNINGS: '1' } })
  if (name === 'jest') summarize()
  if (result.status !== 0) {
    process.stdout.write(`\n${name} failed\n`)
    process.exit(result.status ?? 1)
  }
}

// One plain closing line for CI: "N passed, N failed".
function summarize() {
  try {
    const { numPassedTests, numFailedTests, numPendingTests } = JSON.parse(readFileSync(results, 'utf8'))
    process.stdout.write(`\n${numPassedTests} passed, ${numFailedTests} failed${numPendingTests ? `, ${numPendingTests} skipped` : ''}\n`)
  } catch {
    process.stdout.write('\njest wrote no results\n')
  }
}
