-- Z-API group webhooks (routes/sources/zapi-webhooks): one row per group with a re-check to do, written
-- before the callback is answered 200, so a kill -9 after the answer loses nothing. A notification for a
-- group that has a row already only counts itself (notes) into it: that is the coalescing. An instance
-- claims a due row (claimed_until, a lease: a claim of an instance that died expires) and deletes it once
-- the re-check's result went through every sink, unless notes grew meanwhile: then it is due again one
-- window later. Times are epoch milliseconds of the instances' clocks.
CREATE TABLE zapi_webhook_recheck (
  group_id         VARCHAR(64) PRIMARY KEY,
  due_at_ms        BIGINT NOT NULL,
  first_noted_ms   BIGINT NOT NULL,
  notes            BIGINT NOT NULL,
  last_notification VARCHAR(64) NOT NULL,
  claimed_until_ms BIGINT,
  claimed_notes    BIGINT
);
CREATE INDEX zapi_webhook_recheck_due ON zapi_webhook_recheck (due_at_ms);
