-- Who wrote a conversation's handoff summary: 'model', or 'extractive' when the pool had no model
-- and the summary lists the user's questions and the bot's answers instead (docs/handoff.md).
-- Null for summaries written before: those came from the model.
ALTER TABLE "conversations" ADD COLUMN "summary_source" TEXT;
