package zapi.grouproutes.http;

/** A well-formed request for something the database does not hold, other than a group (404). */
public final class NoSuchRecordException extends Exception {

    public NoSuchRecordException(String detail) {
        super(detail);
    }
}
