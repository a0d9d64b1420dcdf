package zapi.grouproutes.schedule;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.TimeZone;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.quartz.CronExpression;

import zapi.grouproutes.Settings;
import zapi.grouproutes.enrichment.Outcome;

/**
 * The {@code zapi.schedule.*} and {@code zapi.rotate.*} settings, checked before anything starts: a
 * cron Quartz cannot parse, an unknown time zone, or a rotate action nobody opted in to stop the start
 * with one line that names the key.
 *
 * @param name            the schedule's name: the run rows' source ({@code schedule:<name>}), the reports'
 *                        names and the Quartz job's
 * @param cron            a Quartz cron expression, or null: nothing is scheduled
 * @param listFile        the list of managed groups, or null: every group of the database, or the instance's
 * @param instance        the managed groups are the ones the instance is in now (GET /groups), not the database's
 * @param notFetchedFor   only groups whose last fetch is at least this old (zero: all)
 * @param statuses        only groups whose last fetch ended so
 * @param rotate          the action: rotate (revoke and reissue each link) rather than check
 * @param rotateEnabled   zapi.rotate.enabled: the opt-in to revoke links (a tick fired through the API may rotate
 *                        under it, or under a dry run)
 */
public record ScheduleSettings(String name, String cron, ZoneId timeZone, Path listFile, boolean instance, Duration notFetchedFor, Set<Outcome> statuses,
        boolean rotate, boolean dryRun, int maxGroups, Duration clusterCheckin, Duration misfireThreshold, boolean rotateEnabled) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public static ScheduleSettings read(Settings settings) {
        String name = settings.text("zapi.schedule.name", "managed-groups");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("zapi.schedule.name must be letters, digits, '.', '_' or '-' (at most 64), not '" + name
                    + "': it names report files");
        }
        String cron = settings.text("zapi.schedule.cron", null);
        if (cron != null && !CronExpression.isValidExpression(cron)) {
            throw new IllegalArgumentException("zapi.schedule.cron is not a Quartz cron expression: '" + cron
                    + "' (seconds minutes hours day-of-month month day-of-week, e.g. '0 0 6 * * ?' for 06:00 every day)");
        }
        ZoneId zone;
        String zoneName = settings.text("zapi.schedule.timezone", "UTC");
        try {
            zone = ZoneId.of(zoneName);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("zapi.schedule.timezone is not a time zone: '" + zoneName + "' (e.g. UTC, America/Sao_Paulo)", e);
        }
        if (quartzTimeZone(zone) == null) {
            throw new IllegalArgumentException("zapi.schedule.timezone '" + zoneName + "' cannot be given to Quartz with the same rules"
                    + " (a TimeZone holds offsets in whole minutes and the zones of its own database): use a region such as"
                    + " America/Sao_Paulo, or an offset such as -03:00");
        }
        String groups = settings.text("zapi.schedule.groups", "database");
        boolean instance = groups.equalsIgnoreCase("instance");
        Path listFile = groups.equalsIgnoreCase("database") || instance ? null : Path.of(groups);
        long hours = settings.number("zapi.schedule.not-fetched-for-hours", 0);
        if (hours < 0) {
            throw new IllegalArgumentException("zapi.schedule.not-fetched-for-hours must be 0 or more, not " + hours);
        }
        String action = settings.text("zapi.schedule.action", "check").toLowerCase(Locale.ROOT);
        if (!action.equals("check") && !action.equals("rotate")) {
            throw new IllegalArgumentException("zapi.schedule.action must be check or rotate, not '" + action + "'");
        }
        boolean rotate = action.equals("rotate");
        boolean dryRun = settings.flag("zapi.rotate.dry-run");
        if (rotate && !dryRun && !settings.flag("zapi.rotate.enabled")) {
            throw new IllegalArgumentException("zapi.schedule.action is rotate, which revokes the invitation link of every listed group:"
                    + " set ZAPI_ROTATE_ENABLED=true to allow it, or ZAPI_ROTATE_DRY_RUN=true to see first what would rotate");
        }
        long maxGroups = settings.number("zapi.rotate.max-groups", 100);
        if (maxGroups < 1 || maxGroups > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("zapi.rotate.max-groups must be at least 1, not " + maxGroups);
        }
        return new ScheduleSettings(name, cron, zone, listFile, instance, Duration.ofHours(hours), statuses(settings.text("zapi.schedule.statuses",
                "OK,PARTIAL,FAILED")), rotate, dryRun, (int) maxGroups,
                Duration.ofMillis(settings.number("zapi.schedule.cluster-checkin-ms", 7500)),
                Duration.ofMillis(settings.number("zapi.schedule.misfire-threshold-ms", 5000)), settings.flag("zapi.rotate.enabled"));
    }

    private static Set<Outcome> statuses(String value) {
        Set<Outcome> statuses = EnumSet.noneOf(Outcome.class);
        for (String status : Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList()) {
            Outcome outcome;
            try {
                outcome = Outcome.valueOf(status.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                outcome = Outcome.REJECTED;
            }
            if (outcome == Outcome.REJECTED) {
                // a REJECTED entry is not a group: it has no row to list
                throw new IllegalArgumentException("zapi.schedule.statuses lists OK, PARTIAL and FAILED (a group's last fetch), not '" + status + "'");
            }
            statuses.add(outcome);
        }
        if (statuses.isEmpty()) {
            throw new IllegalArgumentException("zapi.schedule.statuses is empty: no stored group would be listed");
        }
        return statuses;
    }

    /** Whether a rotate tick may run: the opt-in (zapi.rotate.enabled) or a dry run, which revokes nothing. */
    public boolean rotationAllowed() {
        return rotateEnabled || dryRun;
    }

    /** The source of its ticks' runs: {@code schedule:<name>}. */
    public String source() {
        return zapi.grouproutes.batch.Batch.SCHEDULE_PREFIX + name;
    }

    /**
     * The zone's ID as camel-quartz's {@code trigger.timeZone} reads it: that option goes through
     * {@code TimeZone.getTimeZone(String)}, which knows region IDs and {@code GMT±hh:mm} but takes
     * {@code UTC-3}, {@code -03:00} or {@code +05:30} for GMT, without a word.
     */
    public String quartzTimeZoneId() {
        return quartzTimeZone(timeZone).getID();
    }

    /** The TimeZone with the zone's rules, or null when none has them (an offset with seconds, say). */
    static TimeZone quartzTimeZone(ZoneId zone) {
        ZoneId normal = zone.normalized();
        String id = normal instanceof ZoneOffset offset
                ? (offset.getTotalSeconds() == 0 ? "UTC" : "GMT" + offset.getId())
                : normal.getId();
        TimeZone timeZone = TimeZone.getTimeZone(id);
        return timeZone.toZoneId().getRules().equals(normal.getRules()) ? timeZone : null;
    }
}
