package zapi.grouproutes.schedule;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Iterator;

import org.apache.camel.Exchange;
import org.quartz.JobDataMap;
import org.quartz.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.database.Database;
import zapi.grouproutes.database.EnrichmentRuns;
import zapi.grouproutes.database.ManagedGroups;
import zapi.grouproutes.enrichment.RotationGuard;
import zapi.grouproutes.group.ListedGroup;
import zapi.grouproutes.database.InstanceMembership;
import zapi.grouproutes.instance.InstanceGroups;
import zapi.grouproutes.instance.InstanceListing;
import zapi.grouproutes.source.GroupListFile;
import zapi.grouproutes.source.InputCheck;
import zapi.grouproutes.zapi.ZapiClient;
import zapi.grouproutes.zapi.ZapiOutage;
import zapi.grouproutes.zapi.ZapiSystematicException;
import zapi.grouproutes.zapi.ZapiUnreachableException;

/**
 * The {@code scheduleTicks} bean of routes/sources/schedule.camel.yaml: what one tick is. A tick is a
 * batch like an input file: its key, its list of managed groups (the database, a list file that is
 * read and never moved, or the instance's own listing, InstanceGroups), and the checks made before it begins.
 */
public final class ScheduleTicks {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduleTicks.class);

    private final ScheduleSettings settings;
    private final Database database;
    private final EnrichmentRuns runs;
    private final ZapiClient zapi;
    private final ZapiOutage outage;
    private final int maxLineLength;
    private final Clock clock;
    private final InstanceGroups instance;
    private final InstanceMembership membership;

    public ScheduleTicks(ScheduleSettings settings, Database database, EnrichmentRuns runs, ZapiClient zapi, ZapiOutage outage,
            int maxLineLength, Clock clock, InstanceGroups instance) {
        this.instance = instance;
        this.membership = database == null ? null : new InstanceMembership(database);
        this.settings = settings;
        this.database = database;
        this.runs = runs;
        this.zapi = zapi;
        this.outage = outage;
        this.maxLineLength = maxLineLength;
        this.clock = clock;
    }

    public String source() {
        return settings.source();
    }

    /**
     * The tick's input key: {@code schedule:<name>@<scheduled fire time>}. A tick recovered after its
     * instance died keeps the time it was scheduled for, so it resumes the dead run and is never run
     * again once a run of it COMPLETED (the publishedInputs ledger, as for files). A tick fired by hand
     * (batch mode) is keyed by the moment it started, one fired through the API by the moment it was asked for.
     */
    public String inputKey(Exchange exchange) {
        TickRequest request = TickRequest.of(exchange);
        if (request != null) {
            return request.inputKey(settings.source());
        }
        Date scheduled = exchange.getIn().getHeader("scheduledFireTime", Date.class);
        JobDataMap data = exchange.getIn().getHeader("mergedJobDataMap", JobDataMap.class);
        if (data != null && data.containsKey(Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_SCHEDULED_FIRETIME_IN_MILLISECONDS)) {
            scheduled = new Date(Long.parseLong(data.getString(Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_SCHEDULED_FIRETIME_IN_MILLISECONDS)));
        }
        return scheduled == null ? settings.source() + "@manual-" + clock.instant() : settings.source() + "@" + scheduled.toInstant();
    }

    /**
     * False when a run of this tick already COMPLETED, on this instance or another (Quartz fired it again
     * after a failover that came too late, say): it is skipped, saying so. A database that cannot tell
     * stops the tick rather than run it twice or skip it silently.
     */
    public boolean notRunYet(String inputKey) throws Exception {
        if (runs.isPublished(inputKey)) {
            LOG.info("Tick {} already completed; not run again", inputKey);
            return false;
        }
        return true;
    }

    /** A tick Quartz fires again because the instance that had it died: close that instance's run of it. */
    public void recovering(Exchange exchange, String inputKey) throws Exception {
        JobDataMap data = exchange.getIn().getHeader("mergedJobDataMap", JobDataMap.class);
        if (data != null && data.containsKey(Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_SCHEDULED_FIRETIME_IN_MILLISECONDS)) {
            LOG.warn("Tick {} is recovered: the instance that fired it stopped checking in with the scheduler cluster", inputKey);
            runs.closeRunsOfRecoveredTick(inputKey, clock);
        }
    }

    /**
     * Before the tick begins: Z-API answers (one status request; an earlier outage's count is then
     * forgotten, as no intake probe runs for a schedule), and a rotate tick's list is within
     * {@code zapi.rotate.max-groups}, or nothing of it is rotated. A rotate tick over the instance's listing
     * reads it here, once, and keeps its groups (at most the cap) for the tick.
     */
    public TickList ready(Exchange exchange) throws Exception {
        boolean rotate = rotates(exchange);
        boolean dryRun = dryRun(exchange);
        String problem = zapi.problemReachingInstance();
        if (problem != null) {
            throw new ZapiUnreachableException("Z-API failed the tick's status check (" + problem + "); the next tick tries again", "STATUS", problem);
        }
        outage.reset();
        if (settings.instance() && !rotate) {
            return new TickList(null, null);
        }
        InstanceListing read = null;
        long listed;
        if (settings.instance()) {
            read = instance.open();
            if (!read.readAhead(settings.maxGroups())) {
                read.close();
                throw overTheCap(read.groups() + " or more");
            }
            listed = read.groups();
        } else {
            listed = listed();
        }
        if (rotate && listed > settings.maxGroups()) {
            throw overTheCap(String.valueOf(listed));
        }
        if (rotate) {
            LOG.info("Rotate tick{}: {} groups {}", dryRun ? " (dry run)" : "", listed,
                    dryRun ? "would have their invitation link revoked and reissued; nothing is revoked"
                            : "get a new invitation link; their current one is revoked");
        }
        return new TickList(listed, read);
    }

    private ZapiSystematicException overTheCap(String listed) {
        return new ZapiSystematicException("the rotate tick lists " + listed + " groups, more than zapi.rotate.max-groups ("
                + settings.maxGroups() + "); nothing was rotated. Raise ZAPI_ROTATE_MAX_GROUPS or narrow the list", "ROTATE_CAP", null);
    }

    private long listed() throws Exception {
        if (settings.listFile() == null) {
            return managedGroups().count();
        }
        if (!Files.isRegularFile(settings.listFile())) {
            throw new ZapiSystematicException("the schedule's list file " + settings.listFile() + " is missing (zapi.schedule.groups)", "LIST", null);
        }
        InputCheck check = InputCheck.of(settings.listFile(), maxLineLength);
        if (check.isRejected()) {
            throw new ZapiSystematicException("the schedule's list file " + settings.listFile() + " is not a readable list: "
                    + check.rejection().problem() + " (" + check.rejection().where() + ")", "LIST", null);
        }
        return check.entries();
    }

    /**
     * The tick's entries, streamed: database pages, the list file's distinct entries, or the instance's
     * listing's pages (or, for a rotate tick, the listing {@link #ready} read).
     */
    public Iterator<ListedGroup> open(TickList list) throws IOException {
        if (list != null && list.read() != null) {
            return list.read();
        }
        if (settings.instance()) {
            return instance.open();
        }
        if (settings.listFile() == null) {
            return managedGroups().open();
        }
        return GroupListFile.open(settings.listFile(), maxLineLength);
    }

    /**
     * What {@link #ready} found out about the tick's list: its size when known (null for the instance's
     * listing of a check tick, which gives no total), and the listing already read whole (a rotate tick
     * over the instance's listing), or null when the list is opened as the tick goes.
     */
    public record TickList(Long expected, InstanceListing read) {
    }

    /** A rotate tick's guard (null for a check tick): never one group twice, never more than the cap. */
    public RotationGuard rotationGuard(Exchange exchange) {
        return rotates(exchange) ? new RotationGuard(settings.maxGroups(), this::isLeft) : null;
    }

    /** What enrich-group does first for each group: {@code check}, {@code rotate} or {@code plan} (a dry run). */
    public String action(Exchange exchange) {
        return !rotates(exchange) ? "check" : dryRun(exchange) ? "plan" : "rotate";
    }

    /** Whether a rotate tick is only a dry run: zapi.rotate.dry-run, or asked for through the API (action=plan). */
    private boolean dryRun(Exchange exchange) {
        TickRequest request = TickRequest.of(exchange);
        return settings.dryRun() || request != null && request.dryRun();
    }

    /** Whether this tick rotates: as asked through the API, else as zapi.schedule.action says. */
    private boolean rotates(Exchange exchange) {
        TickRequest request = TickRequest.of(exchange);
        return request == null ? settings.rotate() : request.rotate();
    }

    /** The schedule's name, as {@code POST /api/schedules/{name}/ticks} names it. */
    public String name() {
        return settings.name();
    }

    /** Whether a rotate tick may be fired now (the opt-in or a dry run); see ScheduleSettings.rotationAllowed. */
    public boolean rotationAllowed() {
        return settings.rotationAllowed();
    }

    /**
     * Before a rotate tick is fired through the API: how many groups it would list, when that is known without
     * asking Z-API (the database's groups, a list file); null for the instance's listing, which the tick counts
     * itself (ready) before anything is revoked, or for a list file the tick will refuse with its own reason.
     */
    public Long rotateListSize() throws Exception {
        if (settings.instance()) {
            return null;
        }
        if (settings.listFile() == null) {
            return managedGroups().count();
        }
        if (!Files.isRegularFile(settings.listFile())) {
            return null;
        }
        InputCheck check = InputCheck.of(settings.listFile(), maxLineLength);
        return check.isRejected() ? null : check.entries();
    }

    /** zapi.rotate.enabled: the opt-in that lets a rotate tick revoke links (not only plan). */
    public boolean rotateEnabled() {
        return settings.rotateEnabled();
    }

    /** zapi.rotate.dry-run: every rotate tick is only a dry run. */
    public boolean dryRunOnly() {
        return settings.dryRun();
    }

    /** zapi.rotate.max-groups: most groups one rotate tick may rotate. */
    public int rotateCap() {
        return settings.maxGroups();
    }

    private boolean isLeft(String groupId) {
        try {
            return membership != null && membership.isLeft(groupId);
        } catch (Exception e) {
            // unknown is not "managed": the group is not rotated, and says why
            throw new IllegalStateException("could not read whether group " + groupId + " is LEFT: " + e.getMessage(), e);
        }
    }

    private ManagedGroups managedGroups() {
        return new ManagedGroups(database, settings.notFetchedFor(), settings.statuses(), clock.instant());
    }
}
