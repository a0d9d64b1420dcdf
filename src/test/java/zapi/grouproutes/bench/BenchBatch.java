package zapi.grouproutes.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import zapi.grouproutes.simulator.SimulatorOptions;
import zapi.grouproutes.simulator.ZapiSimulator;

/** One batch-mode run against the simulator, as the benchmarks set it up: its simulator, its input and its settings. */
final class BenchBatch {

    private static final String INSTANCE = "bench";
    private static final String TOKEN = "bench-token";
    private static final String CLIENT_TOKEN = "bench-client-token";
    /** Group IDs of the default input, by number: digits that never end in 404/500, so every group is OK. */
    private static final String ID_FORMAT = "120363%012d1-group";

    private BenchBatch() {
    }

    static ZapiSimulator simulator(SimulatorOptions options) throws IOException {
        return new ZapiSimulator(INSTANCE, TOKEN, CLIENT_TOKEN, options).start();
    }

    /**
     * Writes {@code groups} group IDs to {@code <dir>/inbox/bench.txt} and returns the settings of a batch run
     * that reads that inbox, reports under {@code dir} and calls {@code zapi}; everything else is the defaults.
     */
    static Map<String, String> settings(Path dir, ZapiSimulator zapi, int groups) throws IOException {
        return settings(dir, zapi, groups, ID_FORMAT + "%n");
    }

    /** The {@code i}th group ID of the default input. */
    static String groupId(int i) {
        return String.format(Locale.ROOT, ID_FORMAT, i);
    }

    /** The same, with group IDs from {@code idFormat} (a format of the entry's number): several runs with IDs of their own. */
    static Map<String, String> settings(Path dir, ZapiSimulator zapi, int groups, String idFormat) throws IOException {
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        try (BufferedWriter out = Files.newBufferedWriter(inbox.resolve("bench.txt"), StandardCharsets.UTF_8)) {
            for (int i = 0; i < groups; i++) {
                // digits never end in 404/500: every group is OK
                out.write(String.format(Locale.ROOT, idFormat, i));
            }
        }
        Map<String, String> settings = new HashMap<>();
        settings.put("zapi.mode", "batch");
        settings.put("zapi.inbox", inbox.toString());
        settings.put("zapi.report-dir", dir.resolve("reports").toString());
        settings.put("zapi.base-url", zapi.baseUrl().toString());
        settings.put("zapi.instance-id", INSTANCE);
        settings.put("zapi.token", TOKEN);
        settings.put("zapi.client-token", CLIENT_TOKEN);
        return settings;
    }
}
