# One image for every Chorus process; docker-compose.yml picks the app with `command`.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
COPY apps/api/package.json apps/api/
COPY apps/bot/package.json apps/bot/
COPY apps/worker/package.json apps/worker/
COPY apps/web/package.json apps/web/
COPY packages packages
COPY prisma prisma
COPY prisma.config.ts ./
COPY scripts scripts
RUN npm ci --no-audit --no-fund
COPY . .
RUN cd apps/web && npx vite build
USER node
EXPOSE 3000
CMD ["node", "--import", "tsx", "apps/api/src/main.ts"]
