package zapi.grouproutes.secret;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * A logged exception whose text held a secret (a URI with the instance token in its message, say), copied
 * with every message masked: the original's class and message are this one's message, its stack trace is
 * the original's, and its causes and suppressed exceptions are masked copies too. Layouts print it as
 * {@code zapi.grouproutes.secret.MaskedThrowable: java.net.URISyntaxException: ... /token/**** ...}.
 */
final class MaskedThrowable extends Throwable {

    private static final long serialVersionUID = 1L;

    private MaskedThrowable(String message, Throwable cause, StackTraceElement[] stackTrace) {
        super(message, cause, true, true);
        setStackTrace(stackTrace);
    }

    /** A masked copy of the original, its cause copied first (a cause is given once, at construction). */
    private static MaskedThrowable copy(Throwable original, SecretMask mask, Set<Throwable> copied) {
        copied.add(original);
        Throwable cause = original.getCause();
        MaskedThrowable copy = new MaskedThrowable(mask.mask(original.toString()),
                cause == null || copied.contains(cause) ? null : copy(cause, mask, copied), original.getStackTrace());
        for (Throwable suppressed : original.getSuppressed()) {
            if (!copied.contains(suppressed)) {
                copy.addSuppressed(copy(suppressed, mask, copied));
            }
        }
        return copy;
    }

    /** The throwable itself when no text in its chain holds a secret, else a masked copy. */
    static Throwable of(Throwable thrown, SecretMask mask) {
        if (thrown == null || mask.isEmpty() || !holdsASecret(thrown, mask, Collections.newSetFromMap(new IdentityHashMap<>()))) {
            return thrown;
        }
        return copy(thrown, mask, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static boolean holdsASecret(Throwable thrown, SecretMask mask, Set<Throwable> seen) {
        if (thrown == null || !seen.add(thrown)) {
            return false;
        }
        if (mask.appearsIn(thrown.toString()) || holdsASecret(thrown.getCause(), mask, seen)) {
            return true;
        }
        for (Throwable suppressed : thrown.getSuppressed()) {
            if (holdsASecret(suppressed, mask, seen)) {
                return true;
            }
        }
        return false;
    }

    /** The original's class and message, so {@link Throwable#printStackTrace()} reads as the original's would. */
    @Override
    public String toString() {
        return getMessage();
    }
}
