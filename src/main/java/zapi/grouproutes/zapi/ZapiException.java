package zapi.grouproutes.zapi;

/**
 * A Z-API call that did not give a usable answer. Messages are composed here from the operation, the
 * HTTP status and Z-API's (redacted) error text: never from a URL, which carries the instance token.
 */
public abstract sealed class ZapiException extends RuntimeException
        permits ZapiTransientException, ZapiCallFailedException, ZapiSystematicException, ZapiUnreachableException {

    private final String errorCode;
    private final String zapiError;

    protected ZapiException(String message, String errorCode, String zapiError) {
        super(message, null, false, false);
        this.errorCode = errorCode;
        this.zapiError = zapiError;
    }

    /** What the report's {@code error_code} column shows: an HTTP status, or TIMEOUT, CONNECTION... */
    public String errorCode() {
        return errorCode;
    }

    /** Z-API's own error text when it gave one, else our description; already redacted. */
    public String zapiError() {
        return zapiError;
    }
}
