-- zapi.rate.scope=cluster (zapi/ClusterBudget): what instances sharing this database share about Z-API.
-- H2 runs this script too (it shares the PostgreSQL folder) and keeps the tables empty: cluster scope
-- refuses to start on H2, whose embedded file one process holds.

-- The request budget's token bucket, one row per Z-API instance (id: its instance ID), in Bucket4j's
-- serialized form; Bucket4j's PostgreSQL select-for-update proxy manager reads and writes it under a row lock.
CREATE TABLE zapi_rate_bucket (
  id    VARCHAR(128) PRIMARY KEY,
  state BYTEA
);

-- Beside the bucket, per Z-API instance: the end of the latest Retry-After pause and the send time of the
-- latest request answered 429 (epoch milliseconds) with the ceiling and rate its cut decided, which every
-- instance reads a few times a second, so that one instance's 429 pauses them all and puts them all on the
-- same curve back.
CREATE TABLE zapi_rate_control (
  zapi_instance       VARCHAR(128) PRIMARY KEY,
  paused_until_ms     BIGINT NOT NULL,
  last_limited_ms     BIGINT NOT NULL,
  cut_ceiling         DOUBLE PRECISION NOT NULL,
  cut_rate            DOUBLE PRECISION NOT NULL
);

-- The invitation-link method that a 405 fallback found to work for a Z-API instance (zapi/LinkMethod), so
-- that an instance started later does not pay for its own fallback.
CREATE TABLE zapi_link_method (
  zapi_instance VARCHAR(128) PRIMARY KEY,
  method        VARCHAR(8) NOT NULL,
  learned_at_ms BIGINT NOT NULL
);
