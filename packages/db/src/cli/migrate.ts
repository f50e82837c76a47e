// `npm run db:migrate`: applies committed migrations to DIRECT_DATABASE_URL, else DATABASE_URL.
import { chorusEnv, loadConfigOrExit } from '@chorus/config'
import { ensureDatabase } from '../database.js'
import { migrate } from '../migrate.js'

const config = loadConfigOrExit(chorusEnv.pick({ DATABASE_URL: true, DIRECT_DATABASE_URL: true }), 'db:migrate')
const databaseUrl = config.DIRECT_DATABASE_URL ?? config.DATABASE_URL
if (await ensureDatabase(databaseUrl)) console.log('created the database')
const result = await migrate(databaseUrl)
for (const name of result.applied) console.log(`applied ${name}`)
console.log(`${result.applied.length} applied, ${result.alreadyApplied.length} already up to date`)
