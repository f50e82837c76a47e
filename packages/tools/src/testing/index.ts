export * from './test-mcp-server.js'
