-- Human handoff: teams, sessions, canned responses, private notes, handoff facts per conversation.
ALTER TYPE "MessageRole" ADD VALUE 'note';

ALTER TABLE "staff" ADD COLUMN "capacity" INTEGER NOT NULL DEFAULT 5,
    ADD COLUMN "last_assigned_at" TIMESTAMP(3);

ALTER TABLE "conversations" ADD COLUMN "team_id" TEXT,
    ADD COLUMN "handoff_at" TIMESTAMP(3),
    ADD COLUMN "handoff_reason" TEXT,
    ADD COLUMN "assigned_at" TIMESTAMP(3),
    ADD COLUMN "first_response_at" TIMESTAMP(3),
    ADD COLUMN "summary" TEXT,
    ADD COLUMN "rating" INTEGER,
    ADD COLUMN "rating_asked_at" TIMESTAMP(3);
CREATE INDEX "conversations_assignee_id_state_idx" ON "conversations"("assignee_id", "state");

CREATE TABLE "staff_sessions" (
    "id" TEXT NOT NULL,
    "staff_id" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "revoked_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "staff_sessions_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "staff_sessions_token_hash_key" ON "staff_sessions"("token_hash");
CREATE INDEX "staff_sessions_staff_id_idx" ON "staff_sessions"("staff_id");

CREATE TABLE "teams" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "teams_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "teams_name_key" ON "teams"("name");

CREATE TABLE "team_members" (
    "team_id" TEXT NOT NULL,
    "staff_id" TEXT NOT NULL,
    CONSTRAINT "team_members_pkey" PRIMARY KEY ("team_id", "staff_id")
);
CREATE INDEX "team_members_staff_id_idx" ON "team_members"("staff_id");

CREATE TABLE "team_bots" (
    "team_id" TEXT NOT NULL,
    "bot_id" TEXT NOT NULL,
    CONSTRAINT "team_bots_pkey" PRIMARY KEY ("team_id", "bot_id")
);
CREATE INDEX "team_bots_bot_id_idx" ON "team_bots"("bot_id");

CREATE TABLE "canned_responses" (
    "id" TEXT NOT NULL,
    "shortcut" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "created_by_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "canned_responses_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "canned_responses_shortcut_key" ON "canned_responses"("shortcut");

ALTER TABLE "conversations" ADD CONSTRAINT "conversations_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "staff_sessions" ADD CONSTRAINT "staff_sessions_staff_id_fkey" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "team_members" ADD CONSTRAINT "team_members_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "team_members" ADD CONSTRAINT "team_members_staff_id_fkey" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "team_bots" ADD CONSTRAINT "team_bots_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "team_bots" ADD CONSTRAINT "team_bots_bot_id_fkey" FOREIGN KEY ("bot_id") REFERENCES "bots"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "canned_responses" ADD CONSTRAINT "canned_responses_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;
