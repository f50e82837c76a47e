-- Training data from real conversations (docs/datasets.md): candidate question/answer pairs that
-- agents make and admins review, datasets built from them, FAQ entries and conversations, and a
-- record of every export. Each keeps the ids of the messages it holds (GIN-indexed), so an
-- erasure request finds them.
CREATE TABLE "training_pairs" (
    "id" TEXT NOT NULL,
    "bot_id" TEXT NOT NULL,
    "question" TEXT NOT NULL,
    "answer" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'candidate',
    "conversation_id" TEXT,
    "answer_message_id" BIGINT,
    "source_message_ids" BIGINT[],
    "created_by_id" TEXT,
    "reviewed_by_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reviewed_at" TIMESTAMP(3),
    CONSTRAINT "training_pairs_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "training_pairs_answer_message_id_key" ON "training_pairs"("answer_message_id");
CREATE INDEX "training_pairs_bot_id_status_created_at_idx" ON "training_pairs"("bot_id", "status", "created_at");
CREATE INDEX "training_pairs_source_message_ids_idx" ON "training_pairs" USING GIN ("source_message_ids");
ALTER TABLE "training_pairs" ADD CONSTRAINT "training_pairs_bot_id_fkey" FOREIGN KEY ("bot_id") REFERENCES "bots"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "training_pairs" ADD CONSTRAINT "training_pairs_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE SET NULL ON UPDATE CASCADE;

CREATE TABLE "datasets" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "bot_id" TEXT,
    "recipe" JSONB NOT NULL,
    "test_share" DOUBLE PRECISION NOT NULL,
    "created_by_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "datasets_pkey" PRIMARY KEY ("id")
);
ALTER TABLE "datasets" ADD CONSTRAINT "datasets_bot_id_fkey" FOREIGN KEY ("bot_id") REFERENCES "bots"("id") ON DELETE SET NULL ON UPDATE CASCADE;

CREATE TABLE "dataset_items" (
    "id" BIGSERIAL NOT NULL,
    "dataset_id" TEXT NOT NULL,
    "split" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "system" TEXT NOT NULL,
    "turns" JSONB NOT NULL,
    "source_message_ids" BIGINT[],
    CONSTRAINT "dataset_items_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "dataset_items_dataset_id_split_id_idx" ON "dataset_items"("dataset_id", "split", "id");
CREATE INDEX "dataset_items_source_message_ids_idx" ON "dataset_items" USING GIN ("source_message_ids");
ALTER TABLE "dataset_items" ADD CONSTRAINT "dataset_items_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "dataset_exports" (
    "id" TEXT NOT NULL,
    "dataset_id" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "split" TEXT NOT NULL,
    "items" INTEGER NOT NULL,
    "source_message_ids" BIGINT[],
    "created_by_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "dataset_exports_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "dataset_exports_source_message_ids_idx" ON "dataset_exports" USING GIN ("source_message_ids");
ALTER TABLE "dataset_exports" ADD CONSTRAINT "dataset_exports_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE;
