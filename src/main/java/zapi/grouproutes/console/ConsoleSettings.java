package zapi.grouproutes.console;

import java.time.Clock;
import java.time.Duration;

import zapi.grouproutes.Settings;
import zapi.grouproutes.http.HttpDoor;

/**
 * Whether the web console is served, and how long a session lasts unused. It lives on the http source's
 * server and signs in with the API's keys, so it needs the http source; with authentication off
 * ({@code zapi.api.auth=none}) there is no key to sign in with, and it is not served.
 */
public final class ConsoleSettings {

    private ConsoleSettings() {
    }

    /** The console for the http source's {@code door}, or null when it is not served. */
    public static ConsoleServer console(Settings settings, HttpDoor door) {
        if (!Boolean.parseBoolean(settings.text("zapi.console.enabled", "true")) || door.authenticationOff()) {
            return null;
        }
        long minutes = settings.number("zapi.console.session-idle-minutes", 30);
        if (minutes < 1 || minutes > 24 * 60) {
            throw new IllegalArgumentException("zapi.console.session-idle-minutes (ZAPI_CONSOLE_SESSION_IDLE_MINUTES) must be 1 to 1440, not " + minutes);
        }
        return new ConsoleServer(door.keys(), new ConsoleSessions(Duration.ofMinutes(minutes), Clock.systemUTC()), door.tls());
    }
}
