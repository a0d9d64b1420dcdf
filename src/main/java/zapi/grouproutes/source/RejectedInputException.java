package zapi.grouproutes.source;

import java.io.IOException;

/**
 * The whole input file cannot be taken as a list of group IDs: it is binary, not UTF-8, a CSV whose
 * quotes do not balance, and so on. Nothing of it may be enriched; it goes to {@code <inbox>/.rejected/}.
 * An {@link IOException} so that it can travel through {@link java.io.Reader} and the CSV parser.
 */
public final class RejectedInputException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient InputRejection rejection;

    public RejectedInputException(InputRejection rejection) {
        super(rejection.problem() + " (" + rejection.where() + ")");
        this.rejection = rejection;
    }

    public InputRejection rejection() {
        return rejection;
    }

    /** The rejection somewhere in a cause chain (the CSV parser wraps what its reader throws), or null. */
    static InputRejection findIn(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof RejectedInputException rejected) {
                return rejected.rejection();
            }
        }
        return null;
    }
}
