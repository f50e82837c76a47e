-- WeCom customer service (微信客服): a channel of its own, one per customer per account.
ALTER TYPE "ChannelKind" ADD VALUE 'wecom_kf';

-- Its accounts (open_kfid): the bot that answers each, the sync_msg cursor (saved only after the
-- batch it ends is stored) and the last pull's outcome for the panel.
CREATE TABLE "wecom_kf_accounts" (
    "open_kfid" TEXT NOT NULL,
    "bot_id" TEXT,
    "cursor" TEXT,
    "last_sync_at" TIMESTAMP(3),
    "last_error" TEXT,
    "last_error_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "wecom_kf_accounts_pkey" PRIMARY KEY ("open_kfid")
);

ALTER TABLE "wecom_kf_accounts" ADD CONSTRAINT "wecom_kf_accounts_bot_id_fkey" FOREIGN KEY ("bot_id") REFERENCES "bots"("id") ON DELETE SET NULL ON UPDATE CASCADE;
