package zapi.grouproutes.database;

import static org.assertj.core.api.Assertions.assertThat;
import static zapi.grouproutes.enrichment.Results.member;
import static zapi.grouproutes.enrichment.Results.metadata;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.enrichment.GroupResult;
import zapi.grouproutes.enrichment.Outcome;
import zapi.grouproutes.enrichment.Results;
import zapi.grouproutes.support.TestDatabase;
import zapi.grouproutes.zapi.Participant;

/**
 * What {@link GroupStore} promises, on each supported database: idempotent upserts, a failed fetch that
 * keeps the last good data, exact text, and concurrent writers of one group that neither deadlock nor
 * lose the newest fetch. Subclasses say which database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class GroupStoreContract {

    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00.123Z");

    private TestDatabase testDatabase;
    private Database database;
    private GroupStore store;

    abstract TestDatabase createDatabase(Path dir);

    GroupStore store() {
        return store;
    }

    TestDatabase testDatabase() {
        return testDatabase;
    }

    @BeforeAll
    void open(@TempDir Path dir) {
        testDatabase = createDatabase(dir);
        database = Database.open(new DatabaseSettings(testDatabase.url(), testDatabase.user(), null, 16, Duration.ofSeconds(5)));
        store = new GroupStore(database, Clock.systemUTC());
    }

    @AfterAll
    void close() throws Exception {
        if (database != null) {
            database.close();
        }
        if (testDatabase != null) {
            testDatabase.close();
        }
    }

    @BeforeEach
    void empty() throws Exception {
        try (var c = testDatabase.connect(); var s = c.createStatement()) {
            s.execute("DELETE FROM zapi_group_reading");
            s.execute("DELETE FROM zapi_group_participant");
            s.execute("DELETE FROM zapi_invitation_link");
            s.execute("DELETE FROM zapi_group");
        }
    }

    private static GroupResult okResult(String groupId, String link, Instant at) {
        return Results.ok(groupId, link, metadata("Subject", "Description", List.of(member("5511900000001", false, true),
                member("5511900000002", true, false), member("5511900000003", false, false))), at);
    }

    @Test
    void aReplayedResultLeavesTheSameRows() throws Exception {
        GroupResult result = okResult("120363019502650977-group", "https://chat.whatsapp.com/AAA", T0);
        store.write(result, null);
        List<Map<String, Object>> before = snapshot();
        store.write(result, null);
        store.write(result, null);
        assertThat(snapshot()).isEqualTo(before);
        assertThat(testDatabase.count("SELECT COUNT(*) FROM zapi_group_participant")).isEqualTo(3);
        assertThat(testDatabase.count("SELECT COUNT(*) FROM zapi_invitation_link")).isEqualTo(1);
    }

    @Test
    void anOkFetchFillsEveryColumn() throws Exception {
        store.write(okResult("120363019502650977-group", "https://chat.whatsapp.com/AAA", T0), null);
        Map<String, Object> row = testDatabase.row("SELECT * FROM zapi_group");
        assertThat(row).containsEntry("group_id", "120363019502650977-group").containsEntry("invitation_link", "https://chat.whatsapp.com/AAA")
                .containsEntry("subject", "Subject").containsEntry("description", "Description").containsEntry("owner", "5511999990000")
                .containsEntry("participants_count", 3).containsEntry("contacts_count", 2).containsEntry("admins_count", 2)
                .containsEntry("subject_owner", "5511999990000").containsEntry("last_status", "OK")
                .containsEntry("last_error_code", null).containsEntry("last_error_message", null);
        assertThat(instant(row, "created_at")).isEqualTo(Instant.parse("2020-05-05T23:31:31Z"));
        assertThat(instant(row, "subject_time")).isEqualTo(Instant.parse("2020-05-06T23:31:31Z"));
        assertThat(instant(row, "first_seen_at")).isEqualTo(T0);
        assertThat(instant(row, "last_fetched_at")).isEqualTo(T0);
        assertThat(instant(row, "last_ok_at")).isEqualTo(T0);
        assertThat(testDatabase.rows("SELECT phone, is_admin, is_super_admin FROM zapi_group_participant ORDER BY phone")).containsExactly(
                Map.of("phone", "5511900000001", "is_admin", false, "is_super_admin", true),
                Map.of("phone", "5511900000002", "is_admin", true, "is_super_admin", false),
                Map.of("phone", "5511900000003", "is_admin", false, "is_super_admin", false));
    }

    @Test
    void aFailedFetchKeepsTheLastGoodData() throws Exception {
        String group = "5511999999999-1623281429";
        store.write(okResult(group, "https://chat.whatsapp.com/AAA", T0), null);
        store.write(Results.failed(group, "HTTP_404", "Group not found", T0.plusSeconds(60)), null);

        Map<String, Object> row = testDatabase.row("SELECT * FROM zapi_group");
        assertThat(row).containsEntry("last_status", "FAILED").containsEntry("last_error_code", "HTTP_404")
                .containsEntry("last_error_message", "Group not found").containsEntry("invitation_link", "https://chat.whatsapp.com/AAA")
                .containsEntry("subject", "Subject").containsEntry("participants_count", 3);
        assertThat(instant(row, "last_fetched_at")).isEqualTo(T0.plusSeconds(60));
        assertThat(instant(row, "last_ok_at")).isEqualTo(T0);
        assertThat(testDatabase.count("SELECT COUNT(*) FROM zapi_group_participant")).isEqualTo(3);

        // PARTIAL: a new link is news, the metadata stays
        store.write(Results.partial(group, "https://chat.whatsapp.com/BBB", "HTTP_500", "metadata down", T0.plusSeconds(120)), null);
        row = testDatabase.row("SELECT * FROM zapi_group");
        assertThat(row).containsEntry("last_status", "PARTIAL").containsEntry("invitation_link", "https://chat.whatsapp.com/BBB")
                .containsEntry("subject", "Subject").containsEntry("last_error_code", "HTTP_500");
        assertThat(testDatabase.count("SELECT COUNT(*) FROM zapi_group_participant")).isEqualTo(3);
        assertThat(testDatabase.count("SELECT COUNT(*) FROM zapi_invitation_link")).isEqualTo(2);

        // and an OK fetch afterwards clears the error
        store.write(okResult(group, "https://chat.whatsapp.com/BBB", T0.plusSeconds(180)), null);
        assertThat(testDatabase.row("SELECT last_status, last_error_code, last_error_message FROM zapi_group"))
                .containsEntry("last_status", "OK").containsEntry("last_error_code", null).containsEntry("last_error_message", null);
    }

    @Test
    void aFailureOfANewGroupStillGivesItARow() throws Exception {
        store.write(Results.failed("120363000000000404-group", "HTTP_404", "Group not found", T0), null);
        assertThat(testDatabase.row("SELECT group_id, last_status, invitation_link, subject, last_ok_at FROM zapi_group"))
                .containsEntry("last_status", "FAILED").containsEntry("invitation_link", null).containsEntry("subject", null)
                .containsEntry("last_ok_at", null);
    }

    @Test
    void aRotatedLinkAddsAHistoryRowAndAReplayWidensItsInterval() throws Exception {
        String group = "120363019502650977-group";
        store.write(okResult(group, "https://chat.whatsapp.com/AAA", T0), null);
        store.write(okResult(group, "https://chat.whatsapp.com/AAA", T0.plusSeconds(10)), null);
        store.write(okResult(group, "https://chat.whatsapp.com/BBB", T0.plusSeconds(20)), null);

        List<Map<String, Object>> links = testDatabase.rows(
                "SELECT invitation_link, first_seen_at, last_seen_at FROM zapi_invitation_link WHERE group_id = ? ORDER BY first_seen_at", group);
        assertThat(links).hasSize(2);
        assertThat(links.get(0)).containsEntry("invitation_link", "https://chat.whatsapp.com/AAA");
        assertThat(instant(links.get(0), "first_seen_at")).isEqualTo(T0);
        assertThat(instant(links.get(0), "last_seen_at")).isEqualTo(T0.plusSeconds(10));
        assertThat(links.get(1)).containsEntry("invitation_link", "https://chat.whatsapp.com/BBB");
        assertThat(testDatabase.row("SELECT invitation_link FROM zapi_group")).containsEntry("invitation_link", "https://chat.whatsapp.com/BBB");
    }

    @Test
    void eachCheckWithMetadataIsOneReadingAndARedeliveryAddsNone() throws Exception {
        String group = "120363019502650977-group";
        GroupResult first = okResult(group, "https://chat.whatsapp.com/AAA", T0);
        GroupResult later = Results.ok(group, "https://chat.whatsapp.com/AAA", metadata("Subject", "Description",
                List.of(member("5511900000001", false, true), member("5511900000002", true, false))), T0.plusSeconds(60));
        store.write(first, null);
        store.write(Results.failed(group, "HTTP_500", "down", T0.plusSeconds(30)), null);
        store.write(later, null);
        // redelivered: the newest again, and the first one late
        store.write(later, null);
        store.write(first, null);

        GroupReadings.ReadingList readings = new GroupReadings(database).readings(group, 10).orElseThrow();
        assertThat(readings.readings()).containsExactly(
                new GroupReadings.Reading(T0.plusSeconds(60).toString(), "OK", 2),
                new GroupReadings.Reading(T0.toString(), "OK", 3));
        assertThat(new GroupReadings(database).readings(group, 1).orElseThrow().readings()).hasSize(1);
        assertThat(new GroupReadings(database).readings("120363019502650978-group", 10)).isEmpty();
    }

    @Test
    void readingsOlderThanTheKeptPeriodGoAsTheGroupIsWritten() throws Exception {
        String group = "120363019502650977-group";
        GroupStore keeping = new GroupStore(database, Clock.fixed(T0.plus(Duration.ofDays(10)), java.time.ZoneOffset.UTC), Duration.ofDays(7));
        keeping.write(okResult(group, "https://chat.whatsapp.com/AAA", T0), null);
        keeping.write(okResult(group, "https://chat.whatsapp.com/AAA", T0.plus(Duration.ofDays(5))), null);

        assertThat(new GroupReadings(database).readings(group, 10).orElseThrow().readings())
                .extracting(GroupReadings.Reading::checkedAt).containsExactly(T0.plus(Duration.ofDays(5)).toString());
    }

    @Test
    void aLinkThatARedefineMayHaveRevokedIsKeptApartUntilZapiNamesTheGroupsLinkAgain() throws Exception {
        String group = "120363019502650977-group";
        StoredLinks links = new StoredLinks(database);
        store.write(okResult(group, "https://chat.whatsapp.com/AAA", T0), null);
        GroupResult lost = Results.rotationLost(group, "CONNECTION", "SocketException: Connection reset", T0.plusSeconds(60));
        links.compare(lost);
        assertThat(lost.linkBefore()).isEqualTo("https://chat.whatsapp.com/AAA");
        store.write(lost, null);
        assertThat(testDatabase.row("SELECT invitation_link, possibly_revoked_link, last_status FROM zapi_group"))
                .containsEntry("invitation_link", null).containsEntry("possibly_revoked_link", "https://chat.whatsapp.com/AAA")
                .containsEntry("last_status", "FAILED");
        // every tick re-checks it, whatever its filters
        assertThat(new ManagedGroups(database, Duration.ofHours(1), java.util.Set.of(Outcome.OK), T0.plusSeconds(61)).count()).isEqualTo(1);

        // Z-API names another link: a change from the possibly revoked one, which is then history only
        GroupResult next = okResult(group, "https://chat.whatsapp.com/BBB", T0.plusSeconds(120));
        links.compare(next);
        assertThat(next.previousLink()).isEqualTo("https://chat.whatsapp.com/AAA");
        store.write(next, null);
        assertThat(testDatabase.row("SELECT invitation_link, possibly_revoked_link FROM zapi_group"))
                .containsEntry("invitation_link", "https://chat.whatsapp.com/BBB").containsEntry("possibly_revoked_link", null);
        assertThat(new ManagedGroups(database, Duration.ofHours(1), java.util.Set.of(Outcome.OK), T0.plusSeconds(121)).count()).isZero();
    }

    @Test
    void aResumedResultNamesTheLinkItsEarlierRunReplacedAndOnlyThat() throws Exception {
        String group = "120363019502650977-group";
        StoredLinks links = new StoredLinks(database);
        store.write(okResult(group, "https://chat.whatsapp.com/AAA", T0), null);
        // the earlier run of the input rotated the link and stored the result, then died
        store.write(okResult(group, "https://chat.whatsapp.com/BBB", T0.plusSeconds(60)), null);
        GroupResult resumed = GroupResult.of(zapi.grouproutes.group.ListedGroup.of(group, 1));
        resumed.restored("https://chat.whatsapp.com/BBB", metadata("Subject", null, List.of()), T0.plusSeconds(60));
        links.compare(resumed);
        assertThat(resumed.previousLink()).isEqualTo("https://chat.whatsapp.com/AAA");
        assertThat(resumed.previousSeenAt()).isEqualTo(T0);

        // a run that found the link the group already had changed nothing
        store.write(okResult(group, "https://chat.whatsapp.com/BBB", T0.plusSeconds(120)), null);
        GroupResult unchanged = GroupResult.of(zapi.grouproutes.group.ListedGroup.of(group, 1));
        unchanged.restored("https://chat.whatsapp.com/BBB", metadata("Subject", null, List.of()), T0.plusSeconds(120));
        links.compare(unchanged);
        assertThat(unchanged.previousLink()).isNull();
    }

    @Test
    void aLateOlderResultDoesNotOverwriteANewerOne() throws Exception {
        String group = "120363019502650977-group";
        store.write(okResult(group, "https://chat.whatsapp.com/NEW", T0.plusSeconds(60)), null);
        store.write(Results.failed(group, "HTTP_500", "old failure", T0), null);
        store.write(okResult(group, "https://chat.whatsapp.com/OLD", T0.minusSeconds(60)), null);

        assertThat(testDatabase.row("SELECT invitation_link, last_status FROM zapi_group"))
                .containsEntry("invitation_link", "https://chat.whatsapp.com/NEW").containsEntry("last_status", "OK");
        // the older link was seen, so it is history all the same
        assertThat(testDatabase.count("SELECT COUNT(*) FROM zapi_invitation_link")).isEqualTo(2);
    }

    @Test
    void aLateOkResultStillBringsMetadataThatNewerFailuresCouldNot() throws Exception {
        String group = "120363019502650977-group";
        store.write(Results.failed(group, "HTTP_500", "newer failure", T0.plusSeconds(60)), null);
        store.write(okResult(group, "https://chat.whatsapp.com/AAA", T0), null);

        Map<String, Object> row = testDatabase.row("SELECT * FROM zapi_group");
        // the outcome stays the newest fetch's; the data is the newest there is
        assertThat(row).containsEntry("last_status", "FAILED").containsEntry("last_error_message", "newer failure")
                .containsEntry("invitation_link", "https://chat.whatsapp.com/AAA").containsEntry("subject", "Subject")
                .containsEntry("participants_count", 3);
        assertThat(instant(row, "last_fetched_at")).isEqualTo(T0.plusSeconds(60));
        assertThat(instant(row, "last_ok_at")).isEqualTo(T0);
        assertThat(testDatabase.count("SELECT COUNT(*) FROM zapi_group_participant")).isEqualTo(3);

        // an even older OK result does not replace it, and a newer PARTIAL's link is kept
        store.write(Results.partial(group, "https://chat.whatsapp.com/BBB", "HTTP_500", "meta", T0.plusSeconds(90)), null);
        store.write(okResult(group, "https://chat.whatsapp.com/ZZZ", T0.minusSeconds(60)), null);
        store.write(okResult(group, "https://chat.whatsapp.com/AAA", T0.plusSeconds(30)), null);
        row = testDatabase.row("SELECT * FROM zapi_group");
        assertThat(row).containsEntry("last_status", "PARTIAL").containsEntry("invitation_link", "https://chat.whatsapp.com/BBB");
        assertThat(instant(row, "last_ok_at")).isEqualTo(T0.plusSeconds(30));
        assertThat(testDatabase.count("SELECT COUNT(*) FROM zapi_invitation_link")).isEqualTo(3);
    }

    @Test
    void textRoundTripsExactly() throws Exception {
        String quotes = "Grupo \"oficial\" d'O'Brien; DROP TABLE zapi_group; --";
        String lines = "linha 1\nlinha 2\r\nlinha 3\ttab";
        String emoji = "Família 👨‍👩‍👧‍👦 🎉 𝄞 ação";
        String longText = "x".repeat(50_000) + "é" + "🎉".repeat(10_000);
        String formula = "=HYPERLINK(\"http://evil\")";
        store.write(Results.ok("120363019502650977-group", "https://chat.whatsapp.com/AAA",
                metadata(quotes + emoji, lines + longText, List.of(member("5511900000001", false, true))), T0), null);
        store.write(Results.ok("120363019502650978-group", "https://chat.whatsapp.com/BBB",
                metadata(formula, "com NUL\0aqui", List.of(member("5511900000001", false, true))), T0), null);

        assertThat(testDatabase.row("SELECT subject, description FROM zapi_group WHERE group_id = ?", "120363019502650977-group"))
                .containsEntry("subject", quotes + emoji).containsEntry("description", lines + longText);
        // the database keeps raw text: the formula guard is the CSV report's business
        assertThat(testDatabase.row("SELECT subject, description FROM zapi_group WHERE group_id = ?", "120363019502650978-group"))
                .containsEntry("subject", formula).containsEntry("description", "com NUL\uFFFDaqui");
        assertThat(testDatabase.count("SELECT COUNT(*) FROM zapi_group")).isEqualTo(2);
    }

    /** Z-API's @lid identifiers (owner, subjectOwner, participants[].phone) are stored as sent, 15 digits and all. */
    @Test
    void lidIdentifiersAreStoredUnchanged() throws Exception {
        List<Participant> members = List.of(member("81896604192873@lid", false, true), member("999999999999999@lid", true, false),
                member("65998849469@lid", false, false), member("554499999999", false, false));
        store.write(Results.ok("120363019502650977-group", "https://chat.whatsapp.com/AAA",
                new zapi.grouproutes.zapi.GroupMetadata(null, "81896604192873@lid", "S", null, 1_588_721_491_000L, null, 3, 4, members,
                        1_588_807_891_000L, "999999999999999@lid", null, null), T0), null);

        assertThat(testDatabase.row("SELECT owner, subject_owner FROM zapi_group"))
                .containsEntry("owner", "81896604192873@lid").containsEntry("subject_owner", "999999999999999@lid");
        assertThat(testDatabase.rows("SELECT phone FROM zapi_group_participant ORDER BY phone")).extracting(r -> r.get("phone"))
                .containsExactly("554499999999", "65998849469@lid", "81896604192873@lid", "999999999999999@lid");
    }

    @Test
    void aMemberListedTwiceOrWithoutPhoneIsStoredOnceOrNot() throws Exception {
        store.write(Results.ok("120363019502650977-group", "https://chat.whatsapp.com/AAA", metadata("S", null,
                List.of(member("5511900000001", false, false), member("5511900000001", true, false), member(null, true, true))), T0), null);
        assertThat(testDatabase.rows("SELECT phone, is_admin FROM zapi_group_participant"))
                .containsExactly(Map.of("phone", "5511900000001", "is_admin", true));
    }

    /** Only a unique violation is a race two first-time writers can run into; other constraints would fail again. */
    @Test
    void onlyAUniqueViolationIsAWriteRace() throws Exception {
        String group = "120363019502650977-group";
        store.write(okResult(group, "https://chat.whatsapp.com/AAA", T0), null);
        SQLException duplicate = violation("INSERT INTO zapi_invitation_link (group_id, invitation_link, first_seen_at, last_seen_at)"
                + " VALUES ('" + group + "', 'https://chat.whatsapp.com/AAA', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
        assertThat(GroupStore.isConflict(duplicate)).as("unique violation %s", duplicate.getSQLState()).isTrue();

        SQLException noParent = violation("INSERT INTO zapi_invitation_link (group_id, invitation_link, first_seen_at, last_seen_at)"
                + " VALUES ('120363000000000000-group', 'https://chat.whatsapp.com/BBB', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
        assertThat(noParent.getSQLState()).startsWith("23");
        assertThat(GroupStore.isConflict(noParent)).as("foreign key violation %s", noParent.getSQLState()).isFalse();

        SQLException notNull = violation("INSERT INTO zapi_group (group_id, last_status, first_seen_at, last_fetched_at)"
                + " VALUES ('120363000000000001-group', NULL, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
        assertThat(notNull.getSQLState()).startsWith("23");
        assertThat(GroupStore.isConflict(notNull)).as("not-null violation %s", notNull.getSQLState()).isFalse();
    }

    private SQLException violation(String sql) throws SQLException {
        try (var c = testDatabase.connect(); var s = c.createStatement()) {
            s.executeUpdate(sql);
        } catch (SQLException e) {
            return e;
        }
        throw new AssertionError("no constraint violation: " + sql);
    }

    /** MariaDB capped links at 512 characters (VARCHAR for the unique key); a link is whatever Z-API sends. */
    @Test
    void aLongInvitationLinkIsStoredWholeAndStaysUnique() throws Exception {
        String group = "120363019502650977-group";
        String longLink = "https://chat.whatsapp.com/" + "L".repeat(2_000);
        String otherLongLink = longLink.substring(0, longLink.length() - 1) + "M";
        store.write(okResult(group, longLink, T0), null);
        store.write(okResult(group, longLink, T0.plusSeconds(10)), null);
        store.write(okResult(group, otherLongLink, T0.plusSeconds(20)), null);
        assertThat(testDatabase.rows("SELECT invitation_link FROM zapi_invitation_link ORDER BY first_seen_at"))
                .containsExactly(Map.of("invitation_link", longLink), Map.of("invitation_link", otherLongLink));
        assertThat(testDatabase.row("SELECT invitation_link FROM zapi_group")).containsEntry("invitation_link", otherLongLink);
        SQLException duplicate = violation("INSERT INTO zapi_invitation_link (group_id, invitation_link, first_seen_at, last_seen_at)"
                + " VALUES ('" + group + "', '" + longLink + "', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
        assertThat(GroupStore.isConflict(duplicate)).isTrue();
    }

    @Test
    void concurrentWritersOfOneGroupNeitherDeadlockNorLoseTheNewestFetch() throws Exception {
        // few groups, many writers: every group is written by several threads at once most of the time
        List<String> groups = List.of("120363000000000001-group", "120363000000000002-group");
        List<GroupResult> results = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            String group = groups.get(i % groups.size());
            Instant at = T0.plusMillis(i * 7L);
            results.add(switch (i % 5) {
                case 3 -> Results.failed(group, "HTTP_500", "down " + i, at);
                case 4 -> Results.partial(group, "https://chat.whatsapp.com/L" + (i % 7), "HTTP_500", "meta " + i, at);
                // big member lists make transactions long enough to overlap
                default -> Results.ok(group, "https://chat.whatsapp.com/L" + (i % 7), metadata("S" + i, "D" + i, members(i)), at);
            });
        }
        // the newest result per group, by fetch time, is what must remain
        Map<String, GroupResult> newest = newestByGroup(results.stream());
        Collections.shuffle(results, new Random(7));
        // the newest fetches go in with the first wave, so older ones are in flight with them and after them
        for (GroupResult last : newest.values()) {
            results.remove(last);
            results.add(8, last);
        }
        ExecutorService writers = Executors.newFixedThreadPool(16);
        try {
            List<Callable<Void>> tasks = new ArrayList<>();
            for (GroupResult r : results) {
                tasks.add(() -> {
                    store.write(r, null);
                    return null;
                });
            }
            for (Future<Void> done : writers.invokeAll(tasks, 60, TimeUnit.SECONDS)) {
                done.get();
            }
        } finally {
            writers.shutdownNow();
        }
        // and the newest OK result per group is the metadata that remains
        Map<String, GroupResult> newestOk = newestByGroup(results.stream().filter(r -> r.outcome() == Outcome.OK));
        for (String group : groups) {
            assertThat(testDatabase.row("SELECT subject FROM zapi_group WHERE group_id = ?", group))
                    .containsEntry("subject", newestOk.get(group).metadata().subject());
            assertThat(testDatabase.count("SELECT COUNT(*) FROM zapi_group_participant WHERE group_id = ?", group)).isEqualTo(200);
        }
        for (String group : groups) {
            GroupResult last = newest.get(group);
            Map<String, Object> row = testDatabase.row("SELECT last_status, last_fetched_at, last_error_message FROM zapi_group WHERE group_id = ?", group);
            assertThat(row).as(group).containsEntry("last_status", last.outcome().name())
                    .containsEntry("last_error_message", last.errorMessage());
            assertThat(instant(row, "last_fetched_at")).isEqualTo(last.fetchedAt());
        }
        // every link ever seen is history, once
        long distinctLinks = results.stream().filter(r -> r.invitationLink() != null).map(r -> r.groupId() + " " + r.invitationLink())
                .distinct().count();
        assertThat(testDatabase.count("SELECT COUNT(*) FROM zapi_invitation_link")).isEqualTo(distinctLinks);
    }

    private static Map<String, GroupResult> newestByGroup(Stream<GroupResult> results) {
        return results.collect(Collectors.toMap(GroupResult::groupId, r -> r,
                (a, b) -> a.fetchedAt().isAfter(b.fetchedAt()) ? a : b));
    }

    private static List<Participant> members(int seed) {
        List<Participant> members = new ArrayList<>();
        for (int m = 0; m < 200; m++) {
            members.add(member("5511" + (seed * 1000 + m), m == 0, m == 1));
        }
        return members;
    }

    private List<Map<String, Object>> snapshot() throws Exception {
        List<Map<String, Object>> all = new ArrayList<>(testDatabase.rows("SELECT * FROM zapi_group ORDER BY group_id"));
        all.addAll(testDatabase.rows("SELECT * FROM zapi_group_participant ORDER BY group_id, phone"));
        all.addAll(testDatabase.rows("SELECT * FROM zapi_invitation_link ORDER BY group_id, invitation_link"));
        return all;
    }

    static Instant instant(Map<String, Object> row, String column) {
        Object value = row.get(column);
        return value == null ? null : ((OffsetDateTime) value).toInstant();
    }
}
