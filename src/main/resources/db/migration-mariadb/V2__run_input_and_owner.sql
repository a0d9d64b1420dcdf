-- The same as db/migration V2 in this dialect: bounded VARCHARs, so the index fits in 3072 bytes.
ALTER TABLE zapi_enrichment_run ADD COLUMN input_key VARCHAR(700);
ALTER TABLE zapi_enrichment_run ADD COLUMN owner VARCHAR(255);
CREATE INDEX zapi_enrichment_run_input ON zapi_enrichment_run (input_key, status);
