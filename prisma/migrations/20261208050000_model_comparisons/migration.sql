-- Models compared side by side on a dataset's test split or a knowledge evaluation set: each
-- question's answers and scores, and one summary line per model (docs/datasets.md).
CREATE TABLE "model_comparisons" (
    "id" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "bot_id" TEXT,
    "models" TEXT[],
    "judge" TEXT,
    "status" TEXT NOT NULL DEFAULT 'running',
    "questions" INTEGER NOT NULL,
    "rows" JSONB NOT NULL DEFAULT '[]',
    "summary" JSONB,
    "error" TEXT,
    "created_by_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "finished_at" TIMESTAMP(3),
    CONSTRAINT "model_comparisons_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "model_comparisons_created_at_idx" ON "model_comparisons"("created_at");
