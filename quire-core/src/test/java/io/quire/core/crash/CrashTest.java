package io.quire.core.crash;

import io.quire.core.Ledger;
import io.quire.core.LedgerOptions;
import io.quire.core.Limits;
import io.quire.core.crash.CrashSupport.Ack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real {@code kill -9} of a writer process ({@link CrashChild}) at random moments, over many
 * cycles on one directory. {@code -Dquire.crash.cycles=N} (default 20), {@code -Dquire.test.seed}.
 *
 * <p>Invariants checked after every kill (see {@link CrashSupport#checkLedger}): every entry the
 * child acknowledged is present at its stream/seq/position with its hash; every chain is valid;
 * size equals the entries readable; verify(all) reports nothing; the next cycle appends on top.
 */
class CrashTest {
    static final int CYCLES_DEFAULT = 20;
    /** A child that has not acknowledged anything after this long is stuck: fail, do not hang CI. */
    static final long FIRST_ACK_WAIT_SECONDS_MAX = 60;

    @TempDir Path dir;

    @Test
    void shouldKeepEveryAcknowledgedEntryAcrossKillNineWithSyncDurability() {
        CrashSupport.withSeed(seed -> run(seed, "sync", Integer.getInteger("quire.crash.cycles", CYCLES_DEFAULT)));
    }

    /** A process crash loses nothing even without fsync: the page cache survives kill -9. */
    @Test
    void shouldKeepEveryAcknowledgedEntryAcrossKillNineWithoutFsync() {
        CrashSupport.withSeed(seed -> run(seed, "none", Math.max(4, Integer.getInteger("quire.crash.cycles", CYCLES_DEFAULT) / 4)));
    }

    private void run(long seed, String durability, int cycles) throws Exception {
        Random rnd = new Random(seed);
        Ledger.init(dir);
        Map<Long, Ack> acked = new TreeMap<>();
        for (int cycle = 0; cycle < cycles; cycle++) {
            // Small segments in about half the cycles, so kills land near segment rolls.
            long segmentBytes = rnd.nextBoolean() ? Limits.SEGMENT_BYTES_MIN : Limits.SEGMENT_BYTES_DEFAULT;
            long killAfterMs = 50 + rnd.nextInt(351);
            List<Ack> acks = runChildAndKill(durability, segmentBytes, rnd.nextLong(), cycle, killAfterMs);
            for (Ack a : acks) {
                Ack before = acked.put(a.position(), a);
                assertThat(before == null || before.equals(a)).as("position %s acknowledged twice differently: %s, %s", a.position(), before, a).isTrue();
            }
            try (Ledger l = Ledger.open(dir, LedgerOptions.defaults().withSegmentBytes(segmentBytes))) {
                String ctx = "cycle " + cycle + " (" + durability + ", segment " + segmentBytes + ", kill after " + killAfterMs
                        + " ms, " + acks.size() + " acks this cycle, " + acked.size() + " in all, recovery: " + l.recovery() + ")";
                System.out.println(ctx + " size=" + l.size() + " segments=" + LogMap.segments(dir).size());
                try {
                    CrashSupport.checkLedger(l, acked);
                } catch (Throwable t) {
                    throw new AssertionError(ctx + ": " + t.getMessage() + "\nchild stderr:\n" + CrashSupport.readQuietly(stderrOf(cycle)), t);
                }
            }
        }
        assertThat(acked).as("the children acknowledged something").isNotEmpty();
    }

    private Path stderrOf(int cycle) { return dir.resolveSibling(dir.getFileName() + "-child-" + cycle + ".err"); }

    private List<Ack> runChildAndKill(String durability, long segmentBytes, long childSeed, int cycle, long killAfterMs) throws Exception {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ProcessBuilder pb = new ProcessBuilder(java, "-ea", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(),
                dir.toString(), durability, Long.toString(segmentBytes), Long.toString(childSeed), Integer.toString(cycle));
        pb.redirectError(stderrOf(cycle).toFile());
        Process p = pb.start();
        ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
        CountDownLatch first = new CountDownLatch(1);
        Thread reader = Thread.ofPlatform().name("child-stdout").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    Ack a = Ack.parse(line);
                    if (a != null) { acks.add(a); first.countDown(); }
                }
            } catch (Exception e) {
                // The pipe closes when the child dies; what was read is what was acknowledged.
            }
        });
        try {
            if (!first.await(FIRST_ACK_WAIT_SECONDS_MAX, TimeUnit.SECONDS) || !p.isAlive()) {
                throw new AssertionError("child of cycle " + cycle + " acknowledged nothing or died (alive=" + p.isAlive()
                        + "):\n" + CrashSupport.readQuietly(stderrOf(cycle)));
            }
            Thread.sleep(killAfterMs);
            assertThat(p.isAlive()).as("child still running at the kill; stderr:\n%s", CrashSupport.readQuietly(stderrOf(cycle))).isTrue();
        } finally {
            p.destroyForcibly(); // SIGKILL on Linux
            p.waitFor();
            reader.join();
        }
        return new ArrayList<>(acks);
    }
}
