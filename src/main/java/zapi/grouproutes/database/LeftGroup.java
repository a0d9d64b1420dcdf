package zapi.grouproutes.database;

import java.time.Instant;

/**
 * A managed group a complete listing of the instance's groups did not name: the instance was removed from
 * it or left it.
 *
 * @param groupId      the group
 * @param leftAt       when it was first missed: the start of the listing that missed it
 * @param lastListedAt the last listing that named it, or null when none ever did (a group known from a file)
 */
public record LeftGroup(String groupId, Instant leftAt, Instant lastListedAt) {
}
