package zapi.grouproutes.enrichment;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import zapi.grouproutes.group.GroupId;
import zapi.grouproutes.zapi.ZapiCallFailedException;

/**
 * One rotate tick's last line of defence before a link is revoked: a group is rotated at most once per
 * tick, and the tick rotates at most {@code zapi.rotate.max-groups} groups. The tick already refuses a
 * list longer than the cap before it starts and lists each group once; this guard holds even if a list
 * repeats a group under two spellings or a bug hands one over twice. A retry of the same group's call
 * (the same result, redelivered after a 5xx) is the same rotation, not a second one. A group the database
 * holds as LEFT (the instance no longer lists it) is never rotated: that group fails, the tick goes on.
 */
public final class RotationGuard {

    private final int maxGroups;
    private final Predicate<String> left;
    private final Map<String, GroupResult> rotating = new ConcurrentHashMap<>();

    public RotationGuard(int maxGroups) {
        this(maxGroups, groupId -> false);
    }

    /** @param left whether the database holds a group as LEFT (InstanceMembership): such a group is never rotated */
    public RotationGuard(int maxGroups, Predicate<String> left) {
        this.maxGroups = maxGroups;
        this.left = left;
    }

    void allow(GroupResult result) {
        GroupId groupId = result.entry().groupId();
        if (left.test(groupId.value())) {
            // the instance is no longer in the group: its link is not ours to revoke; this group alone fails
            throw new ZapiCallFailedException("group " + groupId.value() + " is LEFT (the instance no longer lists it): its link is not"
                    + " rotated", "LEFT", null);
        }
        GroupResult earlier = rotating.putIfAbsent(groupId.value(), result);
        if (earlier != null && earlier != result) {
            throw new RotationRefusedException("group " + groupId.value() + " came twice in one rotate tick; it was rotated once"
                    + " and is not rotated again");
        }
        if (earlier == null && rotating.size() > maxGroups) {
            rotating.remove(groupId.value());
            throw new RotationRefusedException("this rotate tick reached zapi.rotate.max-groups (" + maxGroups
                    + ") groups; no more links are revoked in it");
        }
    }

    /** Groups this tick has rotated or is rotating. */
    public int rotations() {
        return rotating.size();
    }

    /** A rotation the guard refused: the tick stops, as on any systematic error. */
    public static final class RotationRefusedException extends RuntimeException {
        RotationRefusedException(String message) {
            super(message);
        }
    }
}
