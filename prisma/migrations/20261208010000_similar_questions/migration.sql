-- Similar questions (相似问法): more wordings of a bot's FAQ entry, added by an admin from the
-- questions the bot could not answer. Keyed by the FAQ question's text, not a chunk id, so they
-- survive uploading the document again.
CREATE TABLE "knowledge_similar_questions" (
    "id" TEXT NOT NULL,
    "bot_id" TEXT NOT NULL,
    "faq_question" TEXT NOT NULL,
    "similar" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "knowledge_similar_questions_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "knowledge_similar_questions_bot_id_faq_question_similar_key" ON "knowledge_similar_questions"("bot_id", "faq_question", "similar");

ALTER TABLE "knowledge_similar_questions" ADD CONSTRAINT "knowledge_similar_questions_bot_id_fkey" FOREIGN KEY ("bot_id") REFERENCES "bots"("id") ON DELETE CASCADE ON UPDATE CASCADE;
