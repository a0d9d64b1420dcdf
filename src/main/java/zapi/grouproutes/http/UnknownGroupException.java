package zapi.grouproutes.http;

/** A well-formed group ID that the database sink never stored (404). */
public final class UnknownGroupException extends Exception {

    public UnknownGroupException(String groupId) {
        super("The group " + groupId + " was never enriched here.");
    }
}
