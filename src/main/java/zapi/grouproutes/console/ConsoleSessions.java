package zapi.grouproutes.console;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's signed-in browsers, held in this process only (a restart signs everyone out). A session is
 * opened by an API key presented once at sign-in and remembers the key's name, never the key. It ends at
 * sign-out or after {@code idle} without a request; each request it makes pushes its end further. Its CSRF
 * token is sent back by the page with every request the cookie authenticates: a page of another origin can
 * make the browser send the cookie (where SameSite does not stop it) but cannot read the token.
 */
public final class ConsoleSessions {

    /** One signed-in browser. */
    public record Session(String id, String csrfToken, String keyName, Instant expiresAt) {
    }

    /** Most sessions held at once; the oldest make way, so sign-ins cannot fill the memory. */
    static final int MAX_SESSIONS = 1000;

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Duration idle;
    private final Clock clock;

    public ConsoleSessions(Duration idle, Clock clock) {
        this.idle = idle;
        this.clock = clock;
    }

    public Duration idle() {
        return idle;
    }

    /** A new session for the key named {@code keyName}. */
    public Session open(String keyName) {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> !s.expiresAt().isAfter(now));
        while (sessions.size() >= MAX_SESSIONS) {
            sessions.values().stream().min((a, b) -> a.expiresAt().compareTo(b.expiresAt())).ifPresent(s -> sessions.remove(s.id()));
        }
        Session session = new Session(token(), token(), keyName, now.plus(idle));
        sessions.put(session.id(), session);
        return session;
    }

    /** The live session with this id, its end pushed to {@code idle} from now; empty if none or expired. */
    public Optional<Session> find(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Session found = sessions.computeIfPresent(id, (key, s) -> s.expiresAt().isAfter(now) ? new Session(s.id(), s.csrfToken(), s.keyName(), now.plus(idle)) : null);
        return Optional.ofNullable(found);
    }

    /** The live session with this id whose CSRF token is {@code csrfToken} (compared in constant time). */
    public Optional<Session> find(String id, String csrfToken) {
        return find(id).filter(s -> csrfToken != null && MessageDigest.isEqual(s.csrfToken().getBytes(StandardCharsets.UTF_8),
                csrfToken.getBytes(StandardCharsets.UTF_8)));
    }

    public void end(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    /** 256 random bits, URL-safe. */
    private String token() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
