-- Invitation links are no longer capped at 512 characters (MariaDB only: H2 and PostgreSQL store
-- them as unbounded VARCHAR already). A link is whatever Z-API sends; a longer one failed its write.
-- The unique key (group_id, invitation_link) needed a bounded VARCHAR (an index entry is at most
-- 3072 bytes), so the key now holds a SHA-256 of the link instead: a stored generated column, which
-- the database computes itself, so no writer can get it wrong, and which keeps one row per distinct
-- link of a group (utf8mb4_bin bytes, so links that differ only in case stay two). It is INVISIBLE:
-- SELECT * and the tables' documented columns stay as they were. Works on MySQL 8.0.23+ too.
-- Versioned 2.1 so that it runs after any V2 of the other migration set's numbering.

-- the new key first: the foreign key on group_id needs an index that starts with it at every moment
ALTER TABLE zapi_invitation_link
    ADD COLUMN invitation_link_hash BINARY(32) AS (UNHEX(SHA2(invitation_link, 256))) STORED INVISIBLE,
    ADD CONSTRAINT zapi_invitation_link_hash_uk UNIQUE (group_id, invitation_link_hash);

ALTER TABLE zapi_invitation_link DROP INDEX zapi_invitation_link_uk;

ALTER TABLE zapi_invitation_link MODIFY invitation_link MEDIUMTEXT NOT NULL;

ALTER TABLE zapi_group MODIFY invitation_link MEDIUMTEXT;
