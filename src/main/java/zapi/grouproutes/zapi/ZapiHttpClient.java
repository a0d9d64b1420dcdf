package zapi.grouproutes.zapi;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;

/**
 * What the Z-API endpoint's Apache HttpClient must not do on its own ({@code httpClientConfigurer} of the
 * {@code zapi-request} route's endpoint; the endpoint's own options set the pool, the timeouts and redirects):
 * <ul>
 * <li>no automatic retries: HttpClient 5 resends a GET after some I/O errors and after a 429 or 503 with
 * {@code Retry-After}, sleeping inside the call. Such a request takes no permit from the request budget, and
 * the sleep holds a worker the budget's own pause would have freed. Retries are the routes', each with a
 * permit.</li>
 * <li>no redirects, whatever the endpoint says: one would carry the Client-Token to wherever it points.</li>
 * <li>no cookies: Z-API's calls carry no session, and a cookie store is shared state across workers.</li>
 * <li>no {@code Accept-Encoding}: the answers are small JSON, as the earlier client sent them too.</li>
 * </ul>
 */
public final class ZapiHttpClient implements HttpClientConfigurer {

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.disableAutomaticRetries().disableRedirectHandling().disableCookieManagement().disableContentCompression();
    }
}
