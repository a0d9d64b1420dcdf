package zapi.grouproutes.webhook;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

import zapi.grouproutes.Settings;

/**
 * The webhook source's settings, read and checked once: it is on when {@code zapi.webhook.secret} is set.
 * Z-API signs nothing it posts, so the secret in the path is the only authentication: shorter than
 * {@value #MIN_SECRET_LENGTH} characters is refused. A public URL registers the endpoint with Z-API at
 * startup; Z-API posts only to HTTPS, so anything else is refused.
 *
 * @param secret    never logged, never part of a route URI or an exception
 * @param coalesce  notifications for one group within this window become one re-check
 * @param publicUrl null: nothing is registered
 * @param claimLease how long an instance's claim on a due re-check holds before another may take it
 */
public record WebhookSettings(String secret, Duration coalesce, URI publicUrl, Duration claimLease, long pollDelayMs, int claimBatch) {

    public static final int MIN_SECRET_LENGTH = 32;
    /** The biggest callback body taken; Z-API's group notifications are a few hundred bytes. */
    public static final int MAX_BODY_BYTES = 65_536;
    /** Where Z-API posts; the secret is the last segment. */
    public static final String PATH_PREFIX = "/webhooks/zapi/";

    /** Whether the webhook source is on: a secret is set. */
    public static boolean enabled(Settings settings) {
        String secret = settings.text("zapi.webhook.secret", "");
        return secret != null && !secret.isBlank();
    }

    /**
     * {@code zapi.sources} with the webhook source added when a secret turns it on; naming it there without a
     * secret is refused, as the door could not be authenticated.
     */
    public static String withWebhook(String sources, Settings settings) {
        boolean listed = java.util.Arrays.stream(sources.split(",")).map(s -> s.strip().toLowerCase(Locale.ROOT)).anyMatch("webhook"::equals);
        if (!enabled(settings)) {
            if (listed) {
                throw new IllegalArgumentException("zapi.sources contains webhook, but zapi.webhook.secret (ZAPI_WEBHOOK_SECRET) is empty: the"
                        + " webhook's secret path is its only authentication; set it (at least " + MIN_SECRET_LENGTH + " characters)");
            }
            return sources;
        }
        return listed ? sources : sources + ",webhook";
    }

    public static WebhookSettings read(Settings settings) {
        String secret = settings.text("zapi.webhook.secret", "").strip();
        if (secret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("zapi.webhook.secret (ZAPI_WEBHOOK_SECRET) has " + secret.length() + " characters: the webhook's"
                    + " secret path is its only authentication (Z-API signs nothing) and needs at least " + MIN_SECRET_LENGTH
                    + " (e.g. openssl rand -hex 24)");
        }
        if (!secret.matches("[A-Za-z0-9_~.-]+")) {
            throw new IllegalArgumentException("zapi.webhook.secret (ZAPI_WEBHOOK_SECRET) must be one URL path segment: letters, digits and - _ . ~ only");
        }
        long coalesce = settings.number("zapi.webhook.coalesce", 30);
        if (coalesce < 0) {
            throw new IllegalArgumentException("zapi.webhook.coalesce (ZAPI_WEBHOOK_COALESCE, seconds) must be 0 or more, not " + coalesce);
        }
        long lease = settings.number("zapi.webhook.claim-lease-seconds", 300);
        if (lease < 1) {
            throw new IllegalArgumentException("zapi.webhook.claim-lease-seconds (ZAPI_WEBHOOK_CLAIM_LEASE_SECONDS) must be at least 1, not " + lease);
        }
        String url = settings.text("zapi.webhook.public-url", "");
        URI publicUrl = null;
        if (url != null && !url.isBlank()) {
            try {
                publicUrl = URI.create(url.strip().replaceAll("/+$", ""));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("zapi.webhook.public-url (ZAPI_WEBHOOK_PUBLIC_URL) is not a URL");
            }
            if (publicUrl.getScheme() == null || !publicUrl.getScheme().toLowerCase(Locale.ROOT).equals("https") || publicUrl.getHost() == null) {
                throw new IllegalArgumentException("zapi.webhook.public-url (ZAPI_WEBHOOK_PUBLIC_URL) must be an https:// URL: Z-API posts webhooks"
                        + " to HTTPS only (TLS here with ZAPI_HTTP_TLS_KEYSTORE, or terminated by a proxy in front)");
            }
            if (publicUrl.getRawQuery() != null || publicUrl.getRawFragment() != null) {
                throw new IllegalArgumentException("zapi.webhook.public-url (ZAPI_WEBHOOK_PUBLIC_URL) is the service's public base URL, without a query");
            }
        }
        long delay = settings.number("zapi.webhook.poll-delay-ms", 1000);
        long batch = settings.number("zapi.webhook.claim-batch", 50);
        if (delay < 1 || batch < 1) {
            throw new IllegalArgumentException("zapi.webhook.poll-delay-ms and zapi.webhook.claim-batch must be at least 1");
        }
        return new WebhookSettings(secret, Duration.ofSeconds(coalesce), publicUrl, Duration.ofSeconds(lease), delay, (int) batch);
    }

    /** What Z-API is given: the public base URL and the secret path. Never logged. */
    public String callbackUrl() {
        return publicUrl + PATH_PREFIX + secret;
    }

    /** What the startup line says: no secret. */
    public String describe() {
        return PATH_PREFIX + "<secret>, re-checks coalesced over " + coalesce.toSeconds() + " s, "
                + (publicUrl == null ? "not registered with Z-API (zapi.webhook.public-url unset)" : "registered with Z-API as " + publicUrl + PATH_PREFIX + "<secret>");
    }

    @Override
    public String toString() {
        return "WebhookSettings[" + describe() + "]";
    }
}
