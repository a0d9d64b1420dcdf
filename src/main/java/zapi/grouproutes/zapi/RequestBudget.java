package zapi.grouproutes.zapi;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.bucket4j.Bucket;

/**
 * The one request budget every HTTP request to Z-API draws from, once per request: first tries, the
 * routes' retries, the 405 fallback's second method and the 415 retry alike. {@link ZapiClient} takes a
 * permit right before each {@code HttpClient.send}, because only there is every request seen; a limit
 * in a route before the call let the client's second requests through uncounted.
 * <ul>
 * <li>A Bucket4j token bucket, refilled greedily at the rate (one token every 1/rate s, so fractional
 * rates work) and holding at most {@link #burst(double)} tokens. Any 1-second window then holds at
 * most rate + burst requests: what was saved up plus what one second refills. The burst is small on
 * purpose (a tenth of a second's requests, at least 1): it absorbs a late worker without letting
 * saved-up permits leave together.</li>
 * <li>A {@code Retry-After} moves the next free slot past the pause for every worker at once: a
 * "not before" instant checked before a permit is taken. A worker whose slot, reserved before the 429,
 * falls inside the pause gives it up and queues again after the pause, so the pause's end is paced by
 * the same bucket (at most burst at once, then one per 1/rate s) instead of releasing every waiting
 * worker in the same millisecond.</li>
 * </ul>
 */
public final class RequestBudget {

    private final RequestRate rate;
    private final Bucket bucket;
    private final AtomicLong notBeforeNanos = new AtomicLong(System.nanoTime());

    public RequestBudget(double requestsPerSecond) {
        this.rate = new RequestRate(requestsPerSecond);
        long burst = burst(requestsPerSecond);
        // rounded up: a slot a nanosecond late never lets a window exceed the rate
        long nanosPerRequest = Math.max(1, (long) Math.ceil(TimeUnit.SECONDS.toNanos(1) / requestsPerSecond));
        this.bucket = Bucket.builder()
                .withNanosecondPrecision()
                .addLimit(limit -> limit.capacity(burst).refillGreedy(1, Duration.ofNanos(nanosPerRequest)).initialTokens(burst))
                .build();
    }

    /** Requests that may leave together on top of the rate: a tenth of a second's worth, at least one. */
    public static long burst(double requestsPerSecond) {
        return Math.max(1, (long) Math.ceil(requestsPerSecond / 10));
    }

    /** The rate in force, for whatever reports it (the {@code zapi_rate_limit_requests_per_second} gauge). */
    public RequestRate rate() {
        return rate;
    }

    /** Blocks until one more request may start now; call it once per HTTP request, right before sending. */
    public void take() throws InterruptedException {
        while (true) {
            long notBefore = notBeforeNanos.get();
            long pause = notBefore - System.nanoTime();
            if (pause > 0) {
                TimeUnit.NANOSECONDS.sleep(pause);
            }
            bucket.asBlocking().consume(1);
            if (System.nanoTime() - notBeforeNanos.get() >= 0) {
                return;
            }
            // a Retry-After came while this worker waited for its slot: the slot fell inside the pause,
            // so it is given up (spent, which only makes the budget stricter) and a new one is taken after it
        }
    }

    /** Z-API asked to wait: no request starts before {@code wait} from now, for every worker. Never shortens a pause. */
    public void pauseFor(Duration wait) {
        long until = System.nanoTime() + wait.toNanos();
        notBeforeNanos.accumulateAndGet(until, (current, proposed) -> proposed - current > 0 ? proposed : current);
    }
}
