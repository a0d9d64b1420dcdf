package zapi.grouproutes.bench;

import java.net.URI;
import java.util.List;

import zapi.grouproutes.database.Database;

/** A bare server a benchmark compares the product with, in the same run: it answers {@link BaselineAnswers}. */
interface Baseline extends AutoCloseable {

    String name();

    URI base();

    /**
     * Both baselines over the product's pool, {@link BareJdkServer} and {@link BareVertxServer}: a database request
     * holds one of the pool's connections while it runs, so each has as many threads as the pool has connections.
     */
    static List<Baseline> both(Database database, long webhookWindowMs) throws Exception {
        BaselineAnswers answers = new BaselineAnswers(database, webhookWindowMs);
        int threads = database.settings().poolSize();
        return List.of(new BareJdkServer(answers, threads), new BareVertxServer(answers, threads));
    }

    @Override
    void close() throws Exception;
}
