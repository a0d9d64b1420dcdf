package zapi.grouproutes.zapi;

/**
 * The outage guard's stop ({@link ZapiOutage}): group after group used up its retries on transient
 * errors. Unlike a {@link ZapiSystematicException} (credentials refused, a wrong base URL), this cause
 * can heal by itself, so it has a type of its own: the routes stop the batch on it all the same (the
 * {@code java.lang.Exception} clause of routes/error-handling/group-failures.camel.yaml), and whatever
 * resumes intake can tell the two apart.
 */
public final class ZapiUnreachableException extends ZapiException {

    public ZapiUnreachableException(String message, String errorCode, String zapiError) {
        super(message, errorCode, zapiError);
    }
}
