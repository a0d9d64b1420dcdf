package zapi.grouproutes.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.TimeZone;

import org.apache.camel.component.quartz.QuartzComponent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.quartz.CronTrigger;
import org.quartz.TriggerKey;

import zapi.grouproutes.simulator.SimulatorOptions;
import zapi.grouproutes.simulator.ZapiSimulator;
import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.CapturedLogs;
import zapi.grouproutes.support.ServiceRun;
import zapi.grouproutes.support.TestDatabase;

/**
 * Every form of zapi.schedule.timezone that is accepted fires at the wall-clock time it names, and keeps its
 * stored trigger across a restart (so a tick missed while down still fires). camel-quartz reads the zone with
 * TimeZone.getTimeZone(String), which takes UTC-3, -03:00 and +05:30 for GMT.
 */
class ScheduleTimeZoneTest {

    static final String INSTANCE = "inst-tz";
    static final String TOKEN = "TkN-tz-71c3-secret";
    static final String CLIENT_TOKEN = "CtK-tz-2a9e-secret";

    @TempDir
    Path dir;

    private BatchRun service(ZapiSimulator zapi, TestDatabase db, String zone) throws Exception {
        Path list = dir.resolve("managed.txt");
        Files.writeString(list, "120363019502650001-group\n");
        return new BatchRun(dir).against(zapi, INSTANCE, TOKEN, CLIENT_TOKEN).with(db.settings()).with("zapi.sources", "schedule")
                .with("zapi.schedule.groups", list.toString()).with("zapi.schedule.cron", "0 0 6 * * ?").with("zapi.schedule.timezone", zone);
    }

    private static CronTrigger storedTrigger(ServiceRun service) throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> service.exit().isDone()
                || service.app().camelContext() != null && service.app().camelContext().isStarted());
        assertThat(service.exit()).as("the service runs").isNotDone();
        return (CronTrigger) service.app().camelContext().getComponent("quartz", QuartzComponent.class).getScheduler()
                .getTrigger(TriggerKey.triggerKey("managed-groups", "zapi-schedule"));
    }

    @ParameterizedTest
    @CsvSource({"America/Sao_Paulo, America/Sao_Paulo", "UTC-3, -03:00", "-03:00, -03:00", "+05:30, +05:30", "UTC, UTC"})
    void firesAtTheWallClockTimeItNamesAndKeepsItsTriggerOverARestart(String setting, String meant) throws Exception {
        ZoneId zone = ZoneId.of(meant);
        try (ZapiSimulator zapi = new ZapiSimulator(INSTANCE, TOKEN, CLIENT_TOKEN, SimulatorOptions.defaults()).start();
             TestDatabase db = TestDatabase.h2(dir.resolve("db"));
             CapturedLogs logs = new CapturedLogs()) {
            BatchRun settings = service(zapi, db, setting);
            ServiceRun first = settings.startAsService();
            Date firstFire;
            try {
                CronTrigger trigger = storedTrigger(first);
                assertThat(trigger.getTimeZone().hasSameRules(TimeZone.getTimeZone(zone))).as("the trigger's zone %s", trigger.getTimeZone().getID()).isTrue();
                ZonedDateTime next = trigger.getNextFireTime().toInstant().atZone(zone);
                // before: UTC-3, -03:00 and +05:30 fired at 06:00 GMT
                assertThat(next.getHour()).as("next fire %s", next).isEqualTo(6);
                assertThat(next.getMinute()).isZero();
                firstFire = trigger.getStartTime();
            } finally {
                assertThat(first.stop()).isZero();
            }
            ServiceRun second = settings.startAsService();
            try {
                CronTrigger trigger = storedTrigger(second);
                // before: a ±hh:mm zone looked "changed" at every start, and the stored trigger (and a tick missed while down) was dropped
                assertThat(trigger.getStartTime()).as("the trigger stored by the first start").isEqualTo(firstFire);
                assertThat(trigger.getNextFireTime().toInstant().atZone(zone).getHour()).isEqualTo(6);
            } finally {
                assertThat(second.stop()).isZero();
            }
            assertThat(logs.text()).doesNotContain("removed its stored trigger");
        }
    }

    @Test
    void aZoneQuartzCannotHonourIsRefusedAtStartupNamingTheSetting() throws Exception {
        try (ZapiSimulator zapi = new ZapiSimulator(INSTANCE, TOKEN, CLIENT_TOKEN, SimulatorOptions.defaults()).start();
             TestDatabase db = TestDatabase.h2(dir.resolve("db"));
             CapturedLogs logs = new CapturedLogs()) {
            // an offset in seconds: java.time takes it, a TimeZone cannot hold it
            BatchRun run = service(zapi, db, "+03:00:30").run();
            assertThat(run.exitCode()).isNotZero();
            assertThat(logs.text()).contains("zapi-group-routes cannot start: zapi.schedule.timezone");
        }
    }
}
