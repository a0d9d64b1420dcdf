package zapi.grouproutes.http;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An RFC 9457 problem detail, the body of every error the http source answers
 * ({@code application/problem+json}). {@code type} is a URI reference naming the kind of problem (relative,
 * resolved against the API's own document: {@code /api/problems/<kind>}); {@code detail} is for a person,
 * and names the bad field or group ID when there is one. Never a secret: a detail is built from the
 * request's own values (group IDs, field names) or fixed texts.
 */
public record Problem(String type, String title, int status, String detail) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    public static Problem badRequest(String detail) {
        return new Problem("/api/problems/bad-request", "Bad request", 400, detail);
    }

    /** 401: no detail, so an answer never tells a missing key from a wrong or revoked one. */
    public static Problem unauthorized() {
        return new Problem("/api/problems/unauthorized", "Unauthorized", 401, "A valid API key is required (Authorization: Bearer <key>).");
    }

    public static Problem notFound(String detail) {
        return new Problem("/api/problems/not-found", "Not found", 404, detail);
    }

    public static Problem methodNotAllowed(String detail) {
        return new Problem("/api/problems/method-not-allowed", "Method not allowed", 405, detail);
    }

    public static Problem notAcceptable(String detail) {
        return new Problem("/api/problems/not-acceptable", "Not acceptable", 406, detail);
    }

    /** 409: the request is sound but the batch or schedule is not in a state (or configured) to take it; the detail says which. */
    public static Problem conflict(String detail) {
        return new Problem("/api/problems/conflict", "Conflict", 409, detail);
    }

    /** 422: an Idempotency-Key already used for another body. */
    public static Problem idempotencyKeyReused(String detail) {
        return new Problem("/api/problems/idempotency-key-reused", "Idempotency-Key reused", 422, detail);
    }

    public static Problem tooLarge(long maxBytes) {
        return new Problem("/api/problems/body-too-large", "Body too large", 413, "The body is larger than " + maxBytes + " bytes (zapi.api.max-body-bytes).");
    }

    public static Problem unsupportedMediaType(String detail) {
        return new Problem("/api/problems/unsupported-media-type", "Unsupported media type", 415, detail);
    }

    public static Problem tooManyRequests(long retryAfterSeconds) {
        return new Problem("/api/problems/too-many-requests", "Too many requests", 429,
                "This key's request rate is used up; try again in " + retryAfterSeconds + " s (Retry-After).");
    }

    public static Problem unavailable(String detail) {
        return new Problem("/api/problems/unavailable", "Service unavailable", 503, detail);
    }

    public static Problem internal() {
        return new Problem("/api/problems/internal", "Internal error", 500, "The request failed on the server; its log says why.");
    }

    /** The JSON body, fields in the RFC's order. */
    public String json() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("type", type);
        fields.put("title", title);
        fields.put("status", status);
        fields.put("detail", detail);
        try {
            return JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings and a number is always JSON", e);
        }
    }
}
