-- A rotate tick's redefine whose answer was lost may have revoked the group's link. Such a link is no
-- longer the current one (zapi_group.invitation_link is then NULL) and is kept here instead, until Z-API
-- names the group's link again: the next tick re-checks every group that has one, whatever its filters,
-- and a different link is then announced as a change from this one (rotation report, link-changed event).
ALTER TABLE zapi_group ADD COLUMN possibly_revoked_link VARCHAR;
