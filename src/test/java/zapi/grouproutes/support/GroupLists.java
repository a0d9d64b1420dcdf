package zapi.grouproutes.support;

/** Input lists shared by route tests. */
public final class GroupLists {

    /**
     * Every outcome against the simulator: OK three times (a JID and its Z-API form count once), FAILED
     * (digits end in 404), PARTIAL (500), REJECTED twice (a phone number, a path traversal), and a comment.
     */
    public static final String EVERY_OUTCOME = """
            # rotation list
            120363019502650977-group
            5511999999999-1623281429
            120363019502650979@g.us
            120363019502650979-group
            120363019502650404-group
            120363019502650500-group
            5511988887777
            120363019502650977-group/../../status
            """;

    private GroupLists() {
    }
}
