-- Which input a run read and which process ran it.
-- input_key (file name, size and modification time) makes a published input one that is never
-- enriched again (a COMPLETED run has it) and lets an interrupted input resume (its INCOMPLETE runs
-- name the groups already fetched). owner (host/pid/start id) tells a dead process's RUNNING run,
-- which startup closes as INCOMPLETE, from a live one of another instance.
ALTER TABLE zapi_enrichment_run ADD COLUMN input_key VARCHAR;
ALTER TABLE zapi_enrichment_run ADD COLUMN owner VARCHAR;
CREATE INDEX zapi_enrichment_run_input ON zapi_enrichment_run (input_key, status);
