package zapi.grouproutes.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

/** A problem answer: its status, media type and a detail that names what was wrong. */
final class HttpResponseAssert {

    private HttpResponseAssert() {
    }

    static void problem(HttpResponse<String> response, int status, String detailContains) throws Exception {
        HttpApiTest.assertProblem(response, status);
        assertThat(ApiClient.json(response).get("detail").asText()).contains(detailContains);
    }
}
