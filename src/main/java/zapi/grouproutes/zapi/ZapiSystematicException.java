package zapi.grouproutes.zapi;

/**
 * A failure every further call would repeat (credentials refused, both methods refused, a Content-Type
 * the API keeps refusing, an unreachable API): the batch stops and its input is kept for a re-run.
 * The message is the one line an operator reads first, so it names the cause and the fix.
 */
public final class ZapiSystematicException extends ZapiException {

    public ZapiSystematicException(String message, String errorCode, String zapiError) {
        super(message, errorCode, zapiError);
    }
}
