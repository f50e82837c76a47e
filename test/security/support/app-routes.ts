import type { RunningApi } from '@chorus/api'

// Express 5's router (the `router` package) keeps each layer's mount path and route.
interface Layer {
  route?: { path: string | RegExp; methods: Record<string, boolean> }
  handle?: { stack?: Layer[] }
  rawPath?: string | RegExp
  slash?: boolean
}

function walk(stack: Layer[], prefix: string): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      const { path, methods } = layer.route
      return Object.keys(methods)
        .filter((method) => method !== '_all')
        .map((method) => `${method.toUpperCase()} ${prefix}${String(path)}`)
    }
    if (!layer.handle?.stack) return []
    const mount = layer.slash || layer.rawPath === undefined ? '' : String(layer.rawPath)
    return walk(layer.handle.stack, `${prefix}${mount}`)
  })
}

/** Every route the running API serves, as `METHOD /path/:param`, read from its Express router. */
export function appRoutes(api: RunningApi): string[] {
  const app = api.server.listeners('request')[0] as unknown as { router: { stack: Layer[] } }
  return [...new Set(walk(app.router.stack, ''))].sort()
}
