-- One row per check of a group that brought its metadata (an OK fetch): the participants count then, so
-- the console can chart it over time. The key is the group and the check's time, which a redelivered
-- result repeats exactly (to the millisecond), so it is not counted twice. It grows by one row per check
-- of each group; zapi.db.readings-keep-days bounds it (the sink deletes a group's older rows as it writes).
CREATE TABLE zapi_group_reading (
    group_id            VARCHAR NOT NULL,
    checked_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    participants_count  INTEGER,
    status              VARCHAR(16) NOT NULL,
    CONSTRAINT zapi_group_reading_pk PRIMARY KEY (group_id, checked_at),
    CONSTRAINT zapi_group_reading_group_fk FOREIGN KEY (group_id) REFERENCES zapi_group (group_id) ON DELETE CASCADE
);
