package zapi.grouproutes.http;

/** A request the API refuses as it is (400): the message names the bad field or group ID and why. */
public final class BadRequestException extends Exception {

    public BadRequestException(String detail) {
        super(detail);
    }
}
