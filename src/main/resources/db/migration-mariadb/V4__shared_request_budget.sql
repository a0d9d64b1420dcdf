-- zapi.rate.scope=cluster (zapi/ClusterBudget): what instances sharing this database share about Z-API.
-- The same tables as db/migration's V4, in MariaDB's types.

-- The request budget's token bucket, one row per Z-API instance (id: its instance ID), in Bucket4j's
-- serialized form; database/MariaDbRateBuckets reads and writes it under a row lock (SELECT ... FOR UPDATE).
CREATE TABLE zapi_rate_bucket (
  id    VARCHAR(128) NOT NULL PRIMARY KEY,
  state BLOB
) ENGINE=InnoDB;

-- Beside the bucket, per Z-API instance: the end of the latest Retry-After pause and the send time of the
-- latest request answered 429 (epoch milliseconds) with the ceiling and rate its cut decided, which every
-- instance reads a few times a second.
CREATE TABLE zapi_rate_control (
  zapi_instance   VARCHAR(128) NOT NULL PRIMARY KEY,
  paused_until_ms BIGINT NOT NULL,
  last_limited_ms BIGINT NOT NULL,
  cut_ceiling     DOUBLE NOT NULL,
  cut_rate        DOUBLE NOT NULL
) ENGINE=InnoDB;

-- The invitation-link method that a 405 fallback found to work for a Z-API instance (zapi/LinkMethod).
CREATE TABLE zapi_link_method (
  zapi_instance VARCHAR(128) NOT NULL PRIMARY KEY,
  method        VARCHAR(8) NOT NULL,
  learned_at_ms BIGINT NOT NULL
) ENGINE=InnoDB;
