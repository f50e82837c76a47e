// `npm run db:migrate`: applies committed migrations to DATABASE_URL.
import { chorusEnv, loadConfigOrExit } from '@chorus/config'
import { ensureDatabase } from '../database.js'
import { migrate } from '../migrate.js'

const config = loadConfigOrExit(chorusEnv.pick({ DATABASE_URL: true }), 'db:migrate')
if (await ensureDatabase(config.DATABASE_URL)) console.log('created the database')
const result = await migrate(config.DATABASE_URL)
for (const name of result.applied) console.log(`applied ${name}`)
console.log(`${result.applied.length} applied, ${result.alreadyApplied.length} already up to date`)
