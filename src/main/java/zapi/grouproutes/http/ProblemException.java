package zapi.grouproutes.http;

/** A request the API answers with this problem as it stands (404 unknown batch, 409, 415, 422): the detail is for the caller. */
public final class ProblemException extends Exception {

    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
