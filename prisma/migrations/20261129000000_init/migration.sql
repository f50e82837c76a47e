-- Chorus initial schema (hand-written; mirrors prisma/schema.prisma).

CREATE TYPE "ChannelKind" AS ENUM ('wechat_group', 'wechat_private', 'miniprogram', 'api');
CREATE TYPE "ConversationState" AS ENUM ('bot', 'waiting', 'agent', 'resolved');
CREATE TYPE "MessageRole" AS ENUM ('user', 'assistant', 'agent', 'system');
CREATE TYPE "MessageStatus" AS ENUM ('received', 'queued', 'ignored', 'answered', 'refused', 'failed', 'stored', 'delivered');
CREATE TYPE "StaffRole" AS ENUM ('admin', 'agent');

CREATE TABLE "bots" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "persona" TEXT NOT NULL DEFAULT '',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "bots_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "bots_name_key" ON "bots"("name");

CREATE TABLE "channels" (
    "id" TEXT NOT NULL,
    "bot_id" TEXT NOT NULL,
    "kind" "ChannelKind" NOT NULL,
    "external_id" TEXT NOT NULL,
    "title" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "channels_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "channels_bot_id_kind_external_id_key" ON "channels"("bot_id", "kind", "external_id");

CREATE TABLE "end_users" (
    "id" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "platform_id" TEXT NOT NULL,
    "display_name" TEXT NOT NULL DEFAULT '',
    "unionid" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "end_users_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "end_users_platform_platform_id_key" ON "end_users"("platform", "platform_id");

CREATE TABLE "conversations" (
    "id" TEXT NOT NULL,
    "bot_id" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "scope_key" TEXT NOT NULL,
    "end_user_id" TEXT,
    "state" "ConversationState" NOT NULL DEFAULT 'bot',
    "assignee_id" TEXT,
    "context_reset_at" TIMESTAMP(3),
    "last_message_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "resolved_at" TIMESTAMP(3),
    CONSTRAINT "conversations_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "conversations_state_updated_at_idx" ON "conversations"("state", "updated_at");
CREATE INDEX "conversations_channel_id_scope_key_idx" ON "conversations"("channel_id", "scope_key");
-- One open conversation per channel and scope (not expressible in the Prisma schema).
CREATE UNIQUE INDEX "conversations_open_scope_key" ON "conversations"("channel_id", "scope_key") WHERE "state" <> 'resolved';

CREATE TABLE "messages" (
    "id" BIGSERIAL NOT NULL,
    "conversation_id" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "role" "MessageRole" NOT NULL,
    "text" TEXT NOT NULL,
    "author_user_id" TEXT,
    "author_staff_id" TEXT,
    "platform_message_id" TEXT,
    "reply_to_id" BIGINT,
    "status" "MessageStatus" NOT NULL,
    "prompt_tokens" INTEGER,
    "completion_tokens" INTEGER,
    "meta" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMP(3),
    CONSTRAINT "messages_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "messages_reply_to_id_key" ON "messages"("reply_to_id");
CREATE UNIQUE INDEX "messages_channel_id_platform_message_id_key" ON "messages"("channel_id", "platform_message_id");
CREATE INDEX "messages_conversation_id_id_idx" ON "messages"("conversation_id", "id");

CREATE TABLE "conversation_events" (
    "id" BIGSERIAL NOT NULL,
    "conversation_id" TEXT NOT NULL,
    "from_state" "ConversationState" NOT NULL,
    "to_state" "ConversationState" NOT NULL,
    "actor_type" TEXT NOT NULL,
    "actor_id" TEXT,
    "reason" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "conversation_events_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "conversation_events_conversation_id_id_idx" ON "conversation_events"("conversation_id", "id");

CREATE TABLE "staff" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "display_name" TEXT NOT NULL DEFAULT '',
    "role" "StaffRole" NOT NULL,
    "password_hash" TEXT NOT NULL,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "staff_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "staff_email_key" ON "staff"("email");

CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "actor_type" TEXT NOT NULL,
    "actor_id" TEXT,
    "action" TEXT NOT NULL,
    "target_type" TEXT NOT NULL,
    "target_id" TEXT,
    "data" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "audit_log_created_at_idx" ON "audit_log"("created_at");

ALTER TABLE "channels" ADD CONSTRAINT "channels_bot_id_fkey" FOREIGN KEY ("bot_id") REFERENCES "bots"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_bot_id_fkey" FOREIGN KEY ("bot_id") REFERENCES "bots"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_channel_id_fkey" FOREIGN KEY ("channel_id") REFERENCES "channels"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_end_user_id_fkey" FOREIGN KEY ("end_user_id") REFERENCES "end_users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_assignee_id_fkey" FOREIGN KEY ("assignee_id") REFERENCES "staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "messages" ADD CONSTRAINT "messages_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "messages" ADD CONSTRAINT "messages_channel_id_fkey" FOREIGN KEY ("channel_id") REFERENCES "channels"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "messages" ADD CONSTRAINT "messages_author_user_id_fkey" FOREIGN KEY ("author_user_id") REFERENCES "end_users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "messages" ADD CONSTRAINT "messages_author_staff_id_fkey" FOREIGN KEY ("author_staff_id") REFERENCES "staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "messages" ADD CONSTRAINT "messages_reply_to_id_fkey" FOREIGN KEY ("reply_to_id") REFERENCES "messages"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "conversation_events" ADD CONSTRAINT "conversation_events_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
