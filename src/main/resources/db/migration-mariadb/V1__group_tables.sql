-- The database sink's tables for MariaDB (and MySQL 8): the same tables, columns and keys as
-- db/migration (H2 and PostgreSQL), in this dialect. A change to one set needs the same version in
-- the other. Differences, and why:
-- - utf8mb4 with a binary collation: 4-byte emoji fit, and group IDs and links compare exactly
--   (invitation codes are case-sensitive; a _ci collation would make two links one);
-- - keys need bounded VARCHARs (an index entry is at most 3072 bytes); other text is MEDIUMTEXT;
-- - DATETIME(3) holds UTC wall-clock time (SqlTimes binds and reads it so, whatever the JVM's zone).

CREATE TABLE zapi_group (
    group_id            VARCHAR(255) NOT NULL,
    invitation_link     VARCHAR(512),
    subject             MEDIUMTEXT,
    description         MEDIUMTEXT,
    owner               MEDIUMTEXT,
    created_at          DATETIME(3),
    participants_count  INTEGER,
    contacts_count      INTEGER,
    admins_count        INTEGER,
    subject_owner       MEDIUMTEXT,
    subject_time        DATETIME(3),
    last_status         VARCHAR(16)  NOT NULL,
    last_error_code     MEDIUMTEXT,
    last_error_message  MEDIUMTEXT,
    first_seen_at       DATETIME(3)  NOT NULL,
    last_fetched_at     DATETIME(3)  NOT NULL,
    last_ok_at          DATETIME(3),
    last_run_id         VARCHAR(36),
    CONSTRAINT zapi_group_pk PRIMARY KEY (group_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE zapi_group_participant (
    group_id        VARCHAR(255) NOT NULL,
    phone           VARCHAR(255) NOT NULL,
    is_admin        BOOLEAN      NOT NULL,
    is_super_admin  BOOLEAN      NOT NULL,
    CONSTRAINT zapi_group_participant_pk PRIMARY KEY (group_id, phone),
    CONSTRAINT zapi_group_participant_group_fk FOREIGN KEY (group_id) REFERENCES zapi_group (group_id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE zapi_invitation_link (
    group_id         VARCHAR(255) NOT NULL,
    invitation_link  VARCHAR(512) NOT NULL,
    first_seen_at    DATETIME(3)  NOT NULL,
    last_seen_at     DATETIME(3)  NOT NULL,
    CONSTRAINT zapi_invitation_link_uk UNIQUE (group_id, invitation_link),
    CONSTRAINT zapi_invitation_link_group_fk FOREIGN KEY (group_id) REFERENCES zapi_group (group_id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE INDEX zapi_invitation_link_first_seen ON zapi_invitation_link (first_seen_at);

CREATE TABLE zapi_enrichment_run (
    run_id          VARCHAR(36)  NOT NULL,
    source          VARCHAR(1024) NOT NULL,
    status          VARCHAR(16)  NOT NULL,
    started_at      DATETIME(3)  NOT NULL,
    finished_at     DATETIME(3),
    ok_count        BIGINT       NOT NULL,
    partial_count   BIGINT       NOT NULL,
    failed_count    BIGINT       NOT NULL,
    rejected_count  BIGINT       NOT NULL,
    report_path     VARCHAR(4096),
    stop_reason     MEDIUMTEXT,
    CONSTRAINT zapi_enrichment_run_pk PRIMARY KEY (run_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE INDEX zapi_enrichment_run_started ON zapi_enrichment_run (started_at);
