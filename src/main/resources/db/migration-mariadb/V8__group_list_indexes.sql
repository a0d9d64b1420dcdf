-- The console's group list (GET /api/groups) pages in group ID order, narrowed by the last fetch's status
-- or to the groups the instance has left: these indexes answer a filtered page from the index, in key
-- order, without reading the other groups.
CREATE INDEX zapi_group_status_id ON zapi_group (last_status, group_id);
CREATE INDEX zapi_group_left_id ON zapi_group (left_at, group_id);
