import { defineConfig, env } from 'prisma/config'

// Used by the Prisma CLI (generate; migrate deploy where Prisma's schema engine can be
// downloaded). Our own runner (`npm run db:migrate`) applies the same migrations offline.
// Prisma 7 has no separate `directUrl`: the CLI's one URL is the direct one when there is one,
// as for our runner (its `migrate deploy` takes a session's advisory lock, which PgBouncer in
// transaction mode would not keep).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DIRECT_DATABASE_URL?.trim() || env('DATABASE_URL') },
})
