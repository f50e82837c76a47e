import { defineConfig, env } from 'prisma/config'

// Used by the Prisma CLI (generate; migrate deploy where Prisma's schema engine can be
// downloaded). Our own runner (`npm run db:migrate`) applies the same migrations offline.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: env('DATABASE_URL') },
})
