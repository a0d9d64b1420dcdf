package zapi.grouproutes.bench;

/**
 * A benchmark's run was not what it measures (every group FAILED, the run ended before its measurement, no
 * request was ever sent, a goal it checks was missed): its figures must not be read as a result. BenchmarkRun
 * prints the reason and exits 1.
 */
public final class NotMeasured extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NotMeasured(String reason) {
        super(reason);
    }
}
