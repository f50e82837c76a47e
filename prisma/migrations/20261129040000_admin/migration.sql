-- Admin panel: model endpoints managed in the panel, and /v1 API keys created there.
CREATE TYPE "ModelEndpointKind" AS ENUM ('openai', 'gguf');

CREATE TABLE "model_endpoints" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "ModelEndpointKind" NOT NULL,
    "base_url" TEXT,
    "model" TEXT,
    "api_key_variable" TEXT,
    "gguf_path" TEXT,
    "replicas" INTEGER NOT NULL DEFAULT 1,
    "concurrency" INTEGER NOT NULL DEFAULT 8,
    "leaves_network" BOOLEAN NOT NULL DEFAULT false,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "model_endpoints_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "model_endpoints_name_key" ON "model_endpoints"("name");

ALTER TABLE "bots" ADD COLUMN "model_endpoint_id" TEXT;
ALTER TABLE "bots" ADD CONSTRAINT "bots_model_endpoint_id_fkey" FOREIGN KEY ("model_endpoint_id") REFERENCES "model_endpoints"("id") ON DELETE SET NULL ON UPDATE CASCADE;

CREATE TABLE "api_keys" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "created_by_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMP(3),
    "revoked_at" TIMESTAMP(3),
    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "api_keys_hash_key" ON "api_keys"("hash");
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;
