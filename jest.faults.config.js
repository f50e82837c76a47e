// The fault suite (`npm run test:faults`, test/faults/): the apps as separate processes on a
// PostgreSQL and a Redis of each test file's own, which the tests kill and restart. Run serially
// (`--runInBand`) and apart from `npm test`: the faults hold many processes and take minutes.
import base from './jest.config.js'

/** @type {import('jest').Config} */
export default {
  ...base,
  testMatch: ['<rootDir>/test/faults/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  globalSetup: undefined,
  testTimeout: 180_000,
}
