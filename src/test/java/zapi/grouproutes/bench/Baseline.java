package zapi.grouproutes.bench;

import java.net.URI;

/** A bare server a benchmark compares the product with, in the same run: it answers {@link BaselineAnswers}. */
interface Baseline extends AutoCloseable {

    String name();

    URI base();

    /** Both baselines over the product's pool: a database request holds one of its connections, so as many threads. */
    static java.util.List<Baseline> both(zapi.grouproutes.database.Database database, long webhookWindowMs) throws Exception {
        BaselineAnswers answers = new BaselineAnswers(database, webhookWindowMs);
        int threads = database.settings().poolSize();
        return java.util.List.of(new BareJdkServer(answers, threads), new BareVertxServer(answers, threads));
    }

    @Override
    void close() throws Exception;
}
