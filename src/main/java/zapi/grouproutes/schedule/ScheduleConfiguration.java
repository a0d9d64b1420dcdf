package zapi.grouproutes.schedule;

import java.time.Clock;
import java.util.TimeZone;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.CamelContextStoppingEvent;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.service.ServiceSupport;
import org.quartz.CronTrigger;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.Settings;
import zapi.grouproutes.database.Database;
import zapi.grouproutes.database.EnrichmentRuns;
import zapi.grouproutes.zapi.ZapiClient;
import zapi.grouproutes.zapi.ZapiOutage;

/**
 * The schedule source's beans and switches, before any route starts; nothing when zapi.sources leaves
 * schedule out. In service mode with a cron it makes the Quartz scheduler (TickScheduler) and hands it
 * to camel-quartz; in batch mode the route fires one tick by hand and the run exits.
 */
public final class ScheduleConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduleConfiguration.class);
    /** The Quartz trigger group of the schedule source: routes/sources/schedule.camel.yaml's endpoint. */
    static final String TRIGGER_GROUP = "zapi-schedule";

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertiesComponent properties = context.getPropertiesComponent();
        Settings settings = new Settings(properties);
        boolean enabled = settings.flag("zapi.source.schedule.enabled");
        boolean batchMode = settings.flag("zapi.exit-when-idle");
        ScheduleSettings schedule = enabled ? ScheduleSettings.read(settings) : null;
        boolean timer = enabled && !batchMode && schedule.cron() != null;
        // routes/sources/schedule.camel.yaml: the Quartz route in service mode, the one-tick route in batch mode
        properties.addOverrideProperty("zapi.source.schedule.timer", String.valueOf(timer));
        properties.addOverrideProperty("zapi.source.schedule.once", String.valueOf(enabled && batchMode));
        if (!enabled) {
            return;
        }
        // the route's trigger.timeZone, in the form camel-quartz reads with the zone's own rules
        properties.addOverrideProperty("zapi.schedule.timezone", schedule.quartzTimeZoneId());
        Database database = context.getRegistry().lookupByNameAndType("database", Database.class);
        EnrichmentRuns runs = context.getRegistry().lookupByNameAndType("enrichmentRuns", EnrichmentRuns.class);
        ZapiClient zapi = context.getRegistry().lookupByNameAndType("zapiClient", ZapiClient.class);
        ZapiOutage outage = context.getRegistry().lookupByNameAndType("zapiOutage", ZapiOutage.class);
        int maxLineLength = (int) settings.number("zapi.inbox.max-line-length", 4096);
        context.getRegistry().bind("scheduleTicks", new ScheduleTicks(schedule, database, runs, zapi, outage, maxLineLength, Clock.systemUTC(),
                context.getRegistry().lookupByNameAndType("instanceGroups", zapi.grouproutes.instance.InstanceGroups.class)));
        String what = (schedule.rotate() ? (schedule.dryRun() ? "rotate (dry run)" : "rotate, at most " + schedule.maxGroups() + " groups per tick")
                : "check") + " of " + (schedule.instance() ? "the groups the instance is in (GET /groups)"
                        : schedule.listFile() == null ? "the database's groups" : schedule.listFile());
        if (batchMode) {
            LOG.info("Schedule {}: one tick now ({}), then exit", schedule.name(), what);
            return;
        }
        if (schedule.cron() == null) {
            LOG.warn("Schedule {}: zapi.sources contains schedule but zapi.schedule.cron is empty: nothing is scheduled", schedule.name());
            return;
        }
        Scheduler scheduler = TickScheduler.create(context.getName(), database, schedule);
        forgetStaleTriggers(scheduler, schedule);
        context.getComponent("quartz", QuartzComponent.class).setScheduler(scheduler);
        context.getManagementStrategy().addEventNotifier(new StandbyWhenStopping(scheduler));
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() throws Exception {
                // after the routes: a tick in flight has ended (INCOMPLETE on a shutdown) by now
                scheduler.shutdown(true);
            }
        });
        LOG.info("Schedule {}: cron '{}' in {}, {}; job store {} (Quartz instance name '{}' = camel.main.name: the same on every instance)",
                schedule.name(), schedule.cron(), schedule.timeZone().getId(), what,
                TickScheduler.isClustered(scheduler) ? "clustered in the database: each tick fires once across the instances sharing it"
                        : "in the embedded database: one instance", context.getName());
    }

    /**
     * camel-quartz keeps a trigger found in the job store unless its cron changed: a new time zone would
     * be ignored, and a renamed schedule would leave the old trigger firing into nothing. Both are
     * removed here, before the route schedules the trigger it wants; the kept one is resumed if paused.
     */
    private static void forgetStaleTriggers(Scheduler scheduler, ScheduleSettings schedule) throws SchedulerException {
        for (TriggerKey key : scheduler.getTriggerKeys(GroupMatcher.triggerGroupEquals(TRIGGER_GROUP))) {
            Trigger trigger = scheduler.getTrigger(key);
            boolean renamed = !key.getName().equals(schedule.name());
            boolean otherZone = trigger instanceof CronTrigger cron
                    && !cron.getTimeZone().hasSameRules(TimeZone.getTimeZone(schedule.quartzTimeZoneId()));
            if (renamed || otherZone) {
                scheduler.unscheduleJob(key);
                LOG.info("Schedule {}: removed its stored trigger ({}); the configured one replaces it", key.getName(),
                        renamed ? "no longer configured" : "its time zone changed");
            } else if (scheduler.getTriggerState(key) == Trigger.TriggerState.PAUSED) {
                // camel-quartz pauses an unclustered trigger when its route stops, and only resumes it in the
                // same process: after a restart it would stay paused for ever. Resumed, a missed tick fires once.
                scheduler.resumeTrigger(key);
            }
        }
    }

    /** A stopping instance fires no new tick: its routes are going, and a tick fired into a stopped route would be lost. */
    private static final class StandbyWhenStopping extends EventNotifierSupport {
        private final Scheduler scheduler;

        StandbyWhenStopping(Scheduler scheduler) {
            this.scheduler = scheduler;
        }

        @Override
        public boolean isEnabled(CamelEvent event) {
            return event instanceof CamelContextStoppingEvent;
        }

        @Override
        public void notify(CamelEvent event) throws SchedulerException {
            scheduler.standby();
        }
    }
}
