package io.quire.windows.engines;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

/**
 * A runner in a child JVM, as {@code quire windows run} runs it: a shutdown hook closes it
 * (SIGTERM → clean shutdown). Args: ledger flat treasury date holdMs batch exitWhenIdle.
 * Prints {@code started}, then {@code progress N} lines, and {@code idle} before exiting when asked.
 */
public final class RunnerChild {
    public static void main(String[] a) throws Exception {
        Runner.Config c = Runner.Config.of(Path.of(a[0]), LocalDate.parse(a[3]), List.of(), Path.of(a[1]), List.of(Path.of(a[2])))
                .withClaimHoldMs(Long.parseLong(a[4])).withBatch(Integer.parseInt(a[5]));
        Runner r = Runner.open(c);
        Runtime.getRuntime().addShutdownHook(new Thread(r::close, "runner-shutdown"));
        r.start();
        System.out.println("started");
        System.out.flush();
        boolean exitWhenIdle = Boolean.parseBoolean(a[6]);
        while (true) {
            if (exitWhenIdle && r.awaitIdle(Duration.ofMillis(200))) {
                System.out.println("idle " + r.progress());
                System.out.flush();
                System.exit(0); // the hook closes the runner
            }
            System.out.println("progress " + r.progress());
            System.out.flush();
            Thread.sleep(100);
        }
    }
}
