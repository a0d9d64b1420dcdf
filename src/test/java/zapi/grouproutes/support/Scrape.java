package zapi.grouproutes.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a running service's {@code /observe/metrics} says, and one series' value in it. */
public final class Scrape {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Scrape() {
    }

    /** The Prometheus text served under {@code observe} (a service's {@link ServiceRun#observeUrl()}). */
    public static String of(URI observe) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(observe.resolve("/observe/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The value of {@code series} (name and labels, exactly as printed), or -1 when it is not there. */
    public static double value(String metrics, String series) {
        Matcher line = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        return line.find() ? Double.parseDouble(line.group(1)) : -1;
    }
}
