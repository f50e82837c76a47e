-- Mini-program users: our own sessions, and the subscription-message grants they gave.
CREATE TABLE "mp_sessions" (
    "id" TEXT NOT NULL,
    "end_user_id" TEXT NOT NULL,
    "bot_id" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "revoked_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "mp_sessions_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "mp_sessions_token_hash_key" ON "mp_sessions"("token_hash");
CREATE INDEX "mp_sessions_end_user_id_idx" ON "mp_sessions"("end_user_id");

CREATE TABLE "mp_subscriptions" (
    "end_user_id" TEXT NOT NULL,
    "template_id" TEXT NOT NULL,
    "remaining" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "mp_subscriptions_pkey" PRIMARY KEY ("end_user_id", "template_id")
);

ALTER TABLE "mp_sessions" ADD CONSTRAINT "mp_sessions_end_user_id_fkey" FOREIGN KEY ("end_user_id") REFERENCES "end_users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "mp_subscriptions" ADD CONSTRAINT "mp_subscriptions_end_user_id_fkey" FOREIGN KEY ("end_user_id") REFERENCES "end_users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
