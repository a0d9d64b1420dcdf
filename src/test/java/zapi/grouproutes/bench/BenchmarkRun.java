package zapi.grouproutes.bench;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * How bench/run starts a benchmark: {@code BenchmarkRun <class> [args]} runs the class's main and ends the JVM
 * with its verdict. A benchmark that throws, or whose run is not what it measures ({@link NotMeasured}), prints
 * {@code BENCHMARK FAILED} and why, and exits 1, even when a broker, a simulator or a Camel context it started
 * still has threads running (they would otherwise keep the JVM, and bench/run, waiting with no word). One that
 * ends normally exits 0 the same way.
 */
public final class BenchmarkRun {

    public static void main(String[] args) {
        if (args.length == 0) {
            System.err.println("usage: BenchmarkRun <benchmark class, e.g. EnrichmentBenchmark> [arguments]");
            System.exit(64);
        }
        String name = args[0].contains(".") ? args[0] : BenchmarkRun.class.getPackageName() + "." + args[0];
        int exit;
        try {
            Method main = Class.forName(name).getMethod("main", String[].class);
            main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
            exit = 0;
        } catch (InvocationTargetException e) {
            exit = failed(name, e.getCause());
        } catch (ReflectiveOperationException | RuntimeException | Error e) {
            exit = failed(name, e);
        }
        System.out.flush();
        System.exit(exit);
    }

    private static int failed(String name, Throwable cause) {
        System.out.flush();
        if (cause instanceof NotMeasured) {
            System.err.printf("%nBENCHMARK FAILED: %s: the run is not what it measures: %s%n", name, cause.getMessage());
        } else {
            System.err.printf("%nBENCHMARK FAILED: %s threw %s%n", name, cause);
            cause.printStackTrace();
        }
        System.err.flush();
        return 1;
    }

    private BenchmarkRun() {
    }
}
