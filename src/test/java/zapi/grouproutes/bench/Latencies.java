package zapi.grouproutes.bench;

import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;

/** Latencies of one series of requests, in microseconds, and their percentiles (nearest rank). */
record Latencies(long[] sortedMicros) {

    static Latencies of(Collection<Long> micros) {
        return new Latencies(micros.stream().mapToLong(Long::longValue).sorted().toArray());
    }

    int count() {
        return sortedMicros.length;
    }

    /** The {@code percent} percentile in milliseconds. */
    double millis(double percent) {
        if (sortedMicros.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(percent / 100 * sortedMicros.length);
        return sortedMicros[Math.max(0, Math.min(sortedMicros.length - 1, rank - 1))] / 1000.0;
    }

    double maxMillis() {
        return millis(100);
    }

    double meanMillis() {
        return Arrays.stream(sortedMicros).average().orElse(Double.NaN) / 1000.0;
    }

    /** The machine's load average (1, 5, 15 minutes) as /proc/loadavg has it: the benchmarks share 2 cores. */
    static String load() {
        try {
            String[] fields = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
            return String.format(Locale.ROOT, "%s %s %s", fields[0], fields[1], fields[2]);
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
