package zapi.grouproutes;

/**
 * The innermost cause of a failure: what a log line names when none of our own exceptions explains it
 * (a driver's or the JDK's message is more telling than the wrappers Camel and the pool put around it).
 */
public final class RootCause {

    private RootCause() {
    }

    public static Throwable of(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    /** The innermost cause as {@code Type: message}, or the type alone when it has no message. */
    public static String describe(Throwable failure) {
        Throwable root = of(failure);
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
