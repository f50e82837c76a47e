-- Messages still on their way (a question waiting for the model, a reply not yet delivered), by
-- age: the workers' recovery sweep looks for old ones every few seconds. Partial, so it stays as
-- small as the work in flight.
CREATE INDEX "messages_unsettled_idx" ON "messages"("created_at") WHERE "status" IN ('queued', 'stored');
