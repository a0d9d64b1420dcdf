package zapi.grouproutes.zapi;

/** A failure particular to this group (404, other 4xx, an error inside a 200): its row says FAILED or PARTIAL. */
public final class ZapiCallFailedException extends ZapiException {

    public ZapiCallFailedException(String message, String errorCode, String zapiError) {
        super(message, errorCode, zapiError);
    }
}
