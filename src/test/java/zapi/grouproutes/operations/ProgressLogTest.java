package zapi.grouproutes.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import zapi.grouproutes.batch.Batch;
import zapi.grouproutes.batch.Batches;
import zapi.grouproutes.enrichment.GroupResult;
import zapi.grouproutes.enrichment.Outcome;
import zapi.grouproutes.enrichment.Results;
import zapi.grouproutes.group.ListedGroup;
import zapi.grouproutes.support.CapturedLogs;

class ProgressLogTest {

    @Test
    void aBatchOfUnknownSizeShowsAQuestionMarkForTheTotalAndTheEta() {
        Batch batch = batchWith(30, 10, 0, 0);

        assertThat(ProgressLog.line(batch, Duration.ofSeconds(10)))
                .isEqualTo("Batch groups.txt progress: 40 / ? groups, 4.0 groups/s, OK 30, PARTIAL 10, FAILED 0, REJECTED 0, ETA ?");
    }

    @Test
    void aBatchOfKnownSizeShowsItsShareAndAnEtaAtTheRateSoFar() {
        Batch batch = batchWith(100, 5, 3, 2);
        batch.expect(1110);

        // 110 groups in 20 s: 5.5 groups/s, 1000 left: 182 s
        assertThat(ProgressLog.line(batch, Duration.ofSeconds(20)))
                .isEqualTo("Batch groups.txt progress: 110 / 1110 groups (9%), 5.5 groups/s, OK 100, PARTIAL 5, FAILED 3, REJECTED 2, ETA 3m02s");
    }

    @Test
    void noGroupDoneYetMeansNoEta() {
        Batch batch = batchWith(0, 0, 0, 0);
        batch.expect(50);

        assertThat(ProgressLog.line(batch, Duration.ofSeconds(3))).endsWith("0 / 50 groups (0%), 0.0 groups/s, OK 0, PARTIAL 0, FAILED 0, REJECTED 0, ETA ?");
    }

    @Test
    void eachRunningBatchGetsALineOncePerIntervalFromItsStart() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        Batches batches = new Batches(List.of(), null, clock);
        ProgressLog progress = new ProgressLog(batches, clock, Duration.ofSeconds(30));
        try (CapturedLogs logs = new CapturedLogs()) {
            Batch batch = begin(batches, "groups.txt");
            clock.advance(Duration.ofSeconds(29));
            progress.report();
            assertThat(logs.text()).as("a batch younger than the interval").doesNotContain("progress:");

            clock.advance(Duration.ofSeconds(1));
            progress.report();
            progress.report();
            assertThat(logs.text().lines().filter(l -> l.contains("Batch groups.txt progress:"))).hasSize(1);

            clock.advance(Duration.ofSeconds(30));
            progress.report();
            assertThat(logs.text().lines().filter(l -> l.contains("Batch groups.txt progress:"))).hasSize(2);

            batches.abandon(batch);
            clock.advance(Duration.ofSeconds(60));
            progress.report();
            assertThat(logs.text().lines().filter(l -> l.contains("Batch groups.txt progress:"))).as("an ended batch").hasSize(2);
        }
    }

    @Test
    void theTimerTicksEverySecondOrEveryIntervalWhenShorter() {
        assertThat(ProgressLog.tick(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(1));
        assertThat(ProgressLog.tick(Duration.ofMillis(200))).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void durationsReadAtAGlance() {
        assertThat(ProgressLog.duration(Duration.ofSeconds(35))).isEqualTo("35s");
        assertThat(ProgressLog.duration(Duration.ofSeconds(245))).isEqualTo("4m05s");
        assertThat(ProgressLog.duration(Duration.ofMinutes(123))).isEqualTo("2h03m");
    }

    private static Batch begin(Batches batches, String source) {
        try {
            return batches.begin(source, source, null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A clock the test moves. */
    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** A batch begun through Batches, with results delivered as the routes would. */
    private static Batch batchWith(int ok, int partial, int failed, int rejected) {
        Batches batches = new Batches(List.of(), null, Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
        try {
            Batch batch = batches.begin("groups.txt", "groups.txt", null);
            deliver(batches, batch, Outcome.OK, ok);
            deliver(batches, batch, Outcome.PARTIAL, partial);
            deliver(batches, batch, Outcome.FAILED, failed);
            deliver(batches, batch, Outcome.REJECTED, rejected);
            return batch;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static GroupResult settled(Outcome outcome) {
        Instant at = Instant.parse("2026-01-01T00:00:01Z");
        return switch (outcome) {
            case OK -> Results.ok("120363019502650977-group", "https://chat.whatsapp.com/AAAAAAAAAAAAAAAAAAAAAA",
                    Results.metadata("Group", null, List.of()), at);
            case PARTIAL -> Results.partial("120363019502650977-group", "https://chat.whatsapp.com/AAAAAAAAAAAAAAAAAAAAAA", "500", "down", at);
            case FAILED -> Results.failed("120363019502650977-group", "404", "Group not found", at);
            case REJECTED -> GroupResult.of(ListedGroup.of("5511988887777", 1));
        };
    }

    private static void deliver(Batches batches, Batch batch, Outcome outcome, int times) {
        for (int i = 0; i < times; i++) {
            batches.delivered(settled(outcome), batch);
        }
    }
}
