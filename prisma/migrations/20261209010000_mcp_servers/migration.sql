-- MCP servers whose tools a bot may call (docs/tools.md).
CREATE TABLE "mcp_servers" (
    "id" TEXT NOT NULL,
    "bot_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "transport" TEXT NOT NULL DEFAULT 'streamable_http',
    "headers" JSONB NOT NULL DEFAULT '{}',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "tools" JSONB NOT NULL DEFAULT '[]',
    "allowed" JSONB NOT NULL DEFAULT '{}',
    "last_error" TEXT,
    "refreshed_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "mcp_servers_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "mcp_servers_bot_id_name_key" ON "mcp_servers"("bot_id", "name");
ALTER TABLE "mcp_servers" ADD CONSTRAINT "mcp_servers_bot_id_fkey" FOREIGN KEY ("bot_id") REFERENCES "bots"("id") ON DELETE CASCADE ON UPDATE CASCADE;
