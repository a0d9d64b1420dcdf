-- The instance's own list of groups (GET /groups, zapi.schedule.groups=instance) says which managed groups
-- the instance is still in. last_listed_at: the last complete or partial listing that named the group (null:
-- never listed). left_at: the time a complete listing first missed it, the group then being LEFT (the instance
-- was removed or left); null while the instance is in it. A LEFT group is not fetched by database ticks nor
-- rotated; a listing that names it again sets left_at back to null.
ALTER TABLE zapi_group ADD COLUMN last_listed_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE zapi_group ADD COLUMN left_at TIMESTAMP WITH TIME ZONE;
