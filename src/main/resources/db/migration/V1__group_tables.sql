-- The database sink's tables. One script for H2 and PostgreSQL: only types and syntax both accept.
-- Free text from Z-API (subject, description, error text) is TEXT; identifiers and links are VARCHAR
-- without a length (unbounded on both) so that they can be indexed and never truncate what the API sent.
-- Times are TIMESTAMP WITH TIME ZONE and written as UTC.

-- Current state: one row per group, written by every fetch that is not older than the last one.
CREATE TABLE zapi_group (
    group_id            VARCHAR      NOT NULL,
    invitation_link     VARCHAR,
    subject             TEXT,
    description         TEXT,
    owner               VARCHAR,
    created_at          TIMESTAMP WITH TIME ZONE,
    participants_count  INTEGER,
    contacts_count      INTEGER,
    admins_count        INTEGER,
    subject_owner       VARCHAR,
    subject_time        TIMESTAMP WITH TIME ZONE,
    -- outcome of the last fetch: OK, PARTIAL or FAILED (REJECTED inputs are not groups: no row)
    last_status         VARCHAR(16)  NOT NULL,
    last_error_code     VARCHAR,
    last_error_message  TEXT,
    first_seen_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    last_fetched_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    -- when the metadata columns were last filled by an OK fetch (null: never)
    last_ok_at          TIMESTAMP WITH TIME ZONE,
    -- the zapi_enrichment_run that wrote the last fetch
    last_run_id         VARCHAR(36),
    CONSTRAINT zapi_group_pk PRIMARY KEY (group_id)
);

-- Members as of the last OK fetch; replaced as a whole in that fetch's transaction.
CREATE TABLE zapi_group_participant (
    group_id        VARCHAR NOT NULL,
    phone           VARCHAR NOT NULL,
    is_admin        BOOLEAN NOT NULL,
    is_super_admin  BOOLEAN NOT NULL,
    CONSTRAINT zapi_group_participant_pk PRIMARY KEY (group_id, phone),
    CONSTRAINT zapi_group_participant_group_fk FOREIGN KEY (group_id) REFERENCES zapi_group (group_id) ON DELETE CASCADE
);

-- Every distinct link a group has had: a rotated link is a new row.
CREATE TABLE zapi_invitation_link (
    group_id         VARCHAR NOT NULL,
    invitation_link  VARCHAR NOT NULL,
    first_seen_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT zapi_invitation_link_uk UNIQUE (group_id, invitation_link),
    CONSTRAINT zapi_invitation_link_group_fk FOREIGN KEY (group_id) REFERENCES zapi_group (group_id) ON DELETE CASCADE
);

-- "Which links changed since ..." reads by time.
CREATE INDEX zapi_invitation_link_first_seen ON zapi_invitation_link (first_seen_at);

-- One row per batch (input file): RUNNING while it runs, then COMPLETED or INCOMPLETE.
CREATE TABLE zapi_enrichment_run (
    run_id          VARCHAR(36)  NOT NULL,
    source          VARCHAR      NOT NULL,
    status          VARCHAR(16)  NOT NULL,
    started_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at     TIMESTAMP WITH TIME ZONE,
    ok_count        BIGINT       NOT NULL,
    partial_count   BIGINT       NOT NULL,
    failed_count    BIGINT       NOT NULL,
    rejected_count  BIGINT       NOT NULL,
    report_path     VARCHAR,
    -- why an INCOMPLETE run stopped
    stop_reason     TEXT,
    CONSTRAINT zapi_enrichment_run_pk PRIMARY KEY (run_id)
);

CREATE INDEX zapi_enrichment_run_started ON zapi_enrichment_run (started_at);
