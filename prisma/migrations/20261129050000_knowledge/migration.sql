-- Knowledge bases: documents and their chunks, searchable by full text (over words segmented
-- in the application, since PostgreSQL's parsers do not split Chinese) and by trigrams.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE "knowledge_documents" (
    "id" TEXT NOT NULL,
    "bot_id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "content_hash" TEXT NOT NULL,
    "chunk_count" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "knowledge_documents_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "knowledge_documents_bot_id_title_key" ON "knowledge_documents"("bot_id", "title");

CREATE TABLE "knowledge_chunks" (
    "id" BIGSERIAL NOT NULL,
    "document_id" TEXT NOT NULL,
    "bot_id" TEXT NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "heading" TEXT NOT NULL DEFAULT '',
    "text" TEXT NOT NULL,
    "question" TEXT,
    "answer" TEXT,
    "search_text" TEXT NOT NULL,
    "embedding" BYTEA,
    "tsv" tsvector GENERATED ALWAYS AS (to_tsvector('simple', "search_text")) STORED,
    CONSTRAINT "knowledge_chunks_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "knowledge_chunks_bot_id_idx" ON "knowledge_chunks"("bot_id");
CREATE INDEX "knowledge_chunks_tsv_idx" ON "knowledge_chunks" USING GIN ("tsv");
CREATE INDEX "knowledge_chunks_search_text_trgm_idx" ON "knowledge_chunks" USING GIN ("search_text" gin_trgm_ops);

ALTER TABLE "knowledge_documents" ADD CONSTRAINT "knowledge_documents_bot_id_fkey" FOREIGN KEY ("bot_id") REFERENCES "bots"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "knowledge_chunks" ADD CONSTRAINT "knowledge_chunks_document_id_fkey" FOREIGN KEY ("document_id") REFERENCES "knowledge_documents"("id") ON DELETE CASCADE ON UPDATE CASCADE;
