package zapi.grouproutes.schedule;

import java.time.Instant;

import org.apache.camel.Exchange;

/**
 * A tick fired through the API ({@code POST /api/schedules/{name}/ticks}) rather than by its cron: when it
 * was asked for (its key: {@code schedule:<name>@manual-<at>}), whether it rotates or checks, whatever
 * zapi.schedule.action says for the cron's ticks, and whether a rotate is only a dry run ({@code action=plan}:
 * each group's current link is read, none is revoked), whatever zapi.rotate.dry-run says. Carried on the tick's
 * exchange as {@link #PROPERTY}.
 */
public record TickRequest(Instant at, boolean rotate, boolean dryRun) {

    public static final String PROPERTY = "zapiTickRequest";

    /** The request of a tick fired through the API, or null for one of the cron's (or batch mode's). */
    static TickRequest of(Exchange exchange) {
        return exchange.getProperty(PROPERTY, TickRequest.class);
    }

    /** The tick's input key, for a schedule whose ticks' source is {@code source}. */
    public String inputKey(String source) {
        return source + "@manual-" + at;
    }
}
