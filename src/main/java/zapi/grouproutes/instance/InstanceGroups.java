package zapi.grouproutes.instance;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.batch.Batch;
import zapi.grouproutes.database.DatabaseUnavailableException;
import zapi.grouproutes.database.InstanceMembership;
import zapi.grouproutes.database.LeftGroup;
import zapi.grouproutes.report.ReportColumns;
import zapi.grouproutes.zapi.InstanceChat;
import zapi.grouproutes.zapi.ZapiClient;
import zapi.grouproutes.zapi.ZapiOutage;
import zapi.grouproutes.zapi.ZapiUnreachableException;

/**
 * The {@code instanceGroups} bean: the instance's own list of groups as a source of groups
 * ({@code zapi.schedule.groups=instance}), and what a complete listing says about the groups the instance
 * left. Pages are read through {@code direct:instance-groups-page} (routes/sources/instance-groups.camel.yaml),
 * whose route retries a page like any Z-API call, each request under the one request budget.
 */
public final class InstanceGroups {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceGroups.class);
    static final String PAGE_ROUTE = "direct:instance-groups-page";
    public static final String PAGE_HEADER = "zapiPage";
    public static final String PAGE_SIZE_HEADER = "zapiPageSize";
    /** zapi.instance.page-size's default: see docs/performance.md (the instance listing's bench). */
    public static final int DEFAULT_PAGE_SIZE = 500;

    private final CamelContext context;
    private final ZapiClient zapi;
    private final ZapiOutage outage;
    private final int pageSize;
    private final InstanceMembership membership;
    private final Clock clock;
    private final int maxLeftPercent;
    private final Map<Hold, AtomicLong> held = new EnumMap<>(Map.of(Hold.EMPTY_LISTING, new AtomicLong(), Hold.TOO_MANY_MISSING, new AtomicLong()));
    private volatile ProducerTemplate template;

    /**
     * @param membership     the database's record of membership, or null without the database (nothing is marked LEFT)
     * @param maxLeftPercent most of the managed groups, in percent, one listing may mark LEFT (100: no limit)
     */
    public InstanceGroups(CamelContext context, ZapiClient zapi, ZapiOutage outage, int pageSize, InstanceMembership membership, Clock clock,
            int maxLeftPercent) {
        this.maxLeftPercent = maxLeftPercent;
        this.context = context;
        this.zapi = zapi;
        this.outage = outage;
        this.pageSize = pageSize;
        this.membership = membership;
        this.clock = clock;
    }

    public int pageSize() {
        return pageSize;
    }

    /** The instance source's batch key: {@code instance@<start time>} (each run lists the instance anew). */
    public String inputKey() {
        return "instance@" + clock.instant();
    }

    /** Before the instance source's batch begins: Z-API answers (one status request), as before a tick. */
    public void ready() {
        String problem = zapi.problemReachingInstance();
        if (problem != null) {
            throw new ZapiUnreachableException("Z-API failed the status check before listing the instance's groups (" + problem + ")",
                    "STATUS", problem);
        }
        outage.reset();
    }

    /** A listing from its first page, read as it is used. */
    public InstanceListing open() {
        return new InstanceListing(this::page, pageSize, membership, clock.instant());
    }

    @SuppressWarnings("unchecked")
    private List<InstanceChat> page(int page, int size) {
        ProducerTemplate producer = template;
        if (producer == null) {
            producer = template = context.createProducerTemplate();
        }
        try {
            return producer.requestBodyAndHeaders(PAGE_ROUTE, null, Map.of(PAGE_HEADER, page, PAGE_SIZE_HEADER, size), List.class);
        } catch (CamelExecutionException e) {
            // the page's own failure, as its last retry left it: the split stops with it and the unit of work decides
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * The groups the instance left, once the listing is complete: stored before it began and not named by it.
     * Nothing for an incomplete listing or without the database. When there are candidates (and only then),
     * the listing is read once more (its pages only, nothing enriched) first, so a group that a chat removed
     * mid-listing pulled onto a page already read is found; a failure of that pass stops the tick like the
     * first one's, and nothing is marked.
     * <p>
     * A listing that would mark implausibly many is held ({@link Hold}): an instance that was logged out or
     * reset lists no group, or a few, while it is still in all of them, and marking them LEFT would stop
     * every later tick from checking them. Held, nothing is marked; the reason is logged and counted.
     */
    public Iterator<LeftGroup> left(Object listing) throws DatabaseUnavailableException, SQLException {
        if (!(listing instanceof InstanceListing first) || membership == null) {
            return Collections.emptyIterator();
        }
        String skipped = first.skipped().entrySet().stream().map(e -> e.getValue() + " " + e.getKey().skipReason() + "(s)")
                .collect(Collectors.joining(", "));
        LOG.info("The instance lists {} groups in {} pages of {}{}{}{}", first.groups(), first.pagesRead(), pageSize,
                skipped.isEmpty() ? "" : "; skipped " + skipped,
                first.repeated() == 0 ? "" : "; " + first.repeated() + " listed again on a later page (the listing moved), taken once",
                first.managedAgain() == 0 ? "" : "; " + first.managedAgain() + " LEFT groups are listed again and managed again");
        if (!first.complete()) {
            LOG.warn("The instance's listing did not complete: no group is marked LEFT");
            return Collections.emptyIterator();
        }
        InstanceMembership.Missing missing = membership.missing(first.start());
        if (missing.missed() == 0) {
            return Collections.emptyIterator();
        }
        if (first.groups() == 0) {
            hold(Hold.EMPTY_LISTING, "the instance's listing is complete but names no group, while the database manages "
                    + missing.managed() + ": taken for an instance that was logged out or reset, not one that left every group");
            return Collections.emptyIterator();
        }
        InstanceListing again = new InstanceListing(this::page, pageSize, membership, first.start());
        again.drain();
        if (!again.complete()) {
            return Collections.emptyIterator();
        }
        missing = membership.missing(first.start());
        if (missing.missed() * 100 > (long) maxLeftPercent * missing.managed()) {
            hold(Hold.TOO_MANY_MISSING, missing.missed() + " of the " + missing.managed() + " managed groups (" + missing.percent()
                    + "%) are missing from the instance's listing, more than zapi.instance.max-left-percent (" + maxLeftPercent
                    + "%): taken for a listing that lost groups, not an instance that left them. If it did leave them, raise"
                    + " ZAPI_INSTANCE_MAX_LEFT_PERCENT for one tick");
            return Collections.emptyIterator();
        }
        return membership.missed(first.start());
    }

    private void hold(Hold reason, String why) {
        held.get(reason).incrementAndGet();
        LOG.warn("No group is marked LEFT: {}", why);
    }

    /** Why a complete listing marked nothing LEFT although managed groups were missing from it. */
    public enum Hold {
        /** The listing named no group at all. */
        EMPTY_LISTING,
        /** More of the managed groups were missing than zapi.instance.max-left-percent allows. */
        TOO_MANY_MISSING;

        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** Complete listings held since startup for this reason (zapi_instance_left_held_total). */
    public long held(Hold reason) {
        return held.get(reason).get();
    }

    /** Marks the group LEFT (unless a listing named it since); false when it was not marked now. */
    public boolean markLeft(LeftReport report, LeftGroup group) throws DatabaseUnavailableException, SQLException, IOException {
        boolean marked = membership.markLeft(group);
        if (marked) {
            report.add(group);
            LOG.info("Group {} is LEFT: the instance no longer lists it (first missed {})", group.groupId(), group.leftAt());
        }
        return marked;
    }

    /** The tick's left report (a csv sink's batch), or one that only counts. */
    public LeftReport leftReport(Batch batch) {
        return new LeftReport(batch);
    }

    public void publish(LeftReport report) throws IOException {
        report.publish();
    }

    /**
     * The tick's left report, {@code <report>-left.csv} beside its report: every group this tick marked LEFT,
     * when there is one (none without the csv sink). Written whole (a part file renamed) once the listing's
     * LEFT groups are all marked, before the tick's report is published.
     */
    public static final class LeftReport {
        private final Path part;
        private final Path target;
        private Writer out;
        private int rows;

        public LeftReport(Batch batch) {
            Path report = batch == null ? null : batch.reportPath();
            if (report == null) {
                part = target = null;
                return;
            }
            String name = report.getFileName().toString();
            target = report.resolveSibling(name.substring(0, name.length() - ".csv".length()) + "-left.csv");
            part = target.resolveSibling("." + target.getFileName() + ".part");
        }

        public void add(LeftGroup group) throws IOException {
            if (target != null && out == null) {
                out = Files.newBufferedWriter(part, StandardCharsets.UTF_8);
                out.write(String.join(",", ReportColumns.LEFT) + "\r\n");
            }
            if (out != null) {
                out.write(group.groupId() + "," + ReportColumns.iso(group.leftAt()) + ","
                        + (group.lastListedAt() == null ? "" : ReportColumns.iso(group.lastListedAt())) + "\r\n");
            }
            rows++;
        }

        public int rows() {
            return rows;
        }

        public void publish() throws IOException {
            if (out != null) {
                out.close();
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            if (rows > 0) {
                LOG.info("{} groups the instance no longer lists are LEFT{}", rows, target == null ? "" : "; listed in " + target);
            }
        }
    }
}
