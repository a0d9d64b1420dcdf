package zapi.grouproutes.zapi;

/**
 * What Z-API answered one HTTP request: the status, the body as text (empty when there was none) and the
 * only response headers the rules read ({@link ZapiHeaders} lets no other in).
 *
 * @param retryAfter  {@code Retry-After}, for a 429's pause, or null
 * @param location    {@code Location}, to name where a redirect points (it is never followed), or null
 */
record ZapiAnswer(int status, String body, String retryAfter, String location) {

    ZapiAnswer {
        body = body == null ? "" : body;
    }
}
