// `npm run build:apps`: bundles the API, the worker, the bot and the migration runner into plain
// JavaScript for Node, which the Docker image runs (no tsx there). The workspace packages
// (@chorus/*, the generated Prisma client among them) go into each bundle; npm dependencies stay
// external and load from node_modules at run time.
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, join, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))

// Each bundle sits as many folders deep as the sources that build paths from import.meta.url, so
// those paths land on the same files: apps/api/src/app.ts's `../../web/dist`, and
// packages/db/src/migrate.ts's `../../../prisma/migrations` (hence packages/db/dist/migrate.js,
// not dist/cli/ as the entry's folder would suggest).
const bundles = [
  { entry: 'apps/api/src/main.ts', out: 'apps/api/dist/main.js' },
  { entry: 'apps/worker/src/main.ts', out: 'apps/worker/dist/main.js' },
  { entry: 'apps/bot/src/main.ts', out: 'apps/bot/dist/main.js' },
  { entry: 'packages/db/src/cli/migrate.ts', out: 'packages/db/dist/migrate.js' },
]

const readJson = (path) => JSON.parse(readFileSync(join(root, path), 'utf8'))

/** The folders of the root package.json's workspaces (`packages/*` expanded). */
function workspaceFolders() {
  return readJson('package.json').workspaces.flatMap((pattern) =>
    pattern.endsWith('/*')
      ? readdirSync(join(root, pattern.slice(0, -2)), { withFileTypes: true })
          .filter((entry) => entry.isDirectory() && existsSync(join(root, pattern.slice(0, -2), entry.name, 'package.json')))
          .map((entry) => `${pattern.slice(0, -2)}/${entry.name}`)
      : [pattern],
  )
}

/** Every npm package the root or a workspace depends on at run time (not @chorus/*, which is bundled). */
function npmDependencies() {
  const names = new Set()
  for (const folder of ['.', ...workspaceFolders()]) {
    for (const name of Object.keys(readJson(join(folder, 'package.json')).dependencies ?? {})) {
      if (!name.startsWith('@chorus/')) names.add(name)
    }
  }
  return names
}

const packageName = (specifier) => specifier.split('/', specifier.startsWith('@') ? 2 : 1).join('/')

/** The copy of package `name` Node loads for a module in `folder` (the nearest node_modules up the tree). */
function installedCopy(name, folder) {
  for (let dir = folder; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name)
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate)
    if (dirname(dir) === dir) return undefined
  }
}

/**
 * Keeps npm dependencies out of the bundle, except where the bundle's folder would load another
 * copy than the source does: a workspace's own node_modules holds a version that differs from the
 * hoisted one (packages/wechat-api's fast-xml-parser 5 beside wechaty's 3). That copy is bundled.
 */
function externalDependencies(outFolder, declared, inlined) {
  return {
    name: 'external-dependencies',
    setup(esbuild) {
      esbuild.onResolve({ filter: /^[^./]/ }, (args) => {
        const name = packageName(args.path)
        if (args.kind === 'entry-point' || name.startsWith('@chorus/') || args.path.startsWith('node:') || builtinModules.includes(name)) {
          return undefined
        }
        const fromWorkspace = !args.importer.includes(`${sep}node_modules${sep}`)
        if (fromWorkspace && !declared.has(name)) {
          return { errors: [{ text: `${args.path} is imported but no workspace lists ${name} in its dependencies` }] }
        }
        const copy = installedCopy(name, args.resolveDir)
        if (copy !== undefined && copy === installedCopy(name, outFolder)) return { path: args.path, external: true }
        inlined.add(name)
        return undefined
      })
    },
  }
}

const declared = npmDependencies()
for (const { entry, out } of bundles) {
  const inlined = new Set()
  const result = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile: out,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
    metafile: true,
    plugins: [externalDependencies(join(root, dirname(out)), declared, inlined)],
  })
  const bytes = result.metafile.outputs[out]?.bytes ?? 0
  const note = inlined.size ? `; bundled from a workspace's own node_modules: ${[...inlined].sort().join(', ')}` : ''
  console.log(`${out}  ${(bytes / 1e6).toFixed(1)} MB${note}`)
}
