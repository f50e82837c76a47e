-- A reply its channel refused for good (WeChat's 48-hour window passed, too many replies since the
-- user last wrote, not a follower…) or that failed every capped retry: kept, never sent, shown to
-- agents with its reason (messages.meta.delivery).
ALTER TYPE "MessageStatus" ADD VALUE 'undeliverable';

-- A channel's messages in order: the customer-service reply window counts what was sent since the
-- user's latest message.
CREATE INDEX "messages_channel_id_id_idx" ON "messages"("channel_id", "id");
