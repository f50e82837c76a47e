# One image for every Chorus process; docker-compose.yml picks the app with `command`. It runs
# the apps as bundled JavaScript (`npm run build:apps`) with plain node: no TypeScript inside.

# The workspaces' package.json files alone, so the install layers below are redone when the
# dependencies change, not at every source edit.
FROM node:22-bookworm-slim AS manifests
WORKDIR /app
COPY apps apps
COPY packages packages
RUN find apps packages -mindepth 2 -maxdepth 2 ! -name package.json -exec rm -rf {} +

FROM node:22-bookworm-slim AS build
WORKDIR /app
ENV TURBO_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
COPY --from=manifests /app ./
COPY prisma prisma
COPY prisma.config.ts ./
COPY scripts/prisma-generate.mjs scripts/
# Dependency install scripts are denied (docs/decisions/install-scripts.md) and this npm does not
# read `allowScripts`: skip every script and run the root postinstall's one job, generating the
# Prisma client, by hand.
RUN npm ci --ignore-scripts --no-audit --no-fund && npm run db:generate
COPY . .
# The web panel (vite) and the bundles of the API, worker, bot and migration runner (esbuild).
RUN npm run build

FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production NODE_OPTIONS=--enable-source-maps
COPY package.json package-lock.json ./
COPY --from=manifests /app ./
# The npm dependencies of the bundled apps and nothing else: the workspace packages and the
# generated Prisma client are inside the bundles, so no script (postinstall included) is needed.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund -w apps/api -w apps/worker -w apps/bot -w packages/db \
  && npm cache clean --force
COPY --from=build /app/apps/api/dist apps/api/dist
COPY --from=build /app/apps/worker/dist apps/worker/dist
COPY --from=build /app/apps/bot/dist apps/bot/dist
COPY --from=build /app/packages/db/dist packages/db/dist
COPY --from=build /app/apps/web/dist apps/web/dist
# Files the bundles read at run time: the migrations and the demo knowledge.
COPY prisma/migrations prisma/migrations
COPY packages/knowledge/data packages/knowledge/data
# CHORUS_MODEL's downloads (compose mounts a volume here, which takes this folder's owner).
RUN mkdir -p .chorus/models && chown node:node .chorus/models
USER node
EXPOSE 3000
CMD ["node", "apps/api/dist/main.js"]
