package io.quire.windows.mapping;

import io.quire.core.ErrorKind;
import io.quire.core.QuireException;
import io.quire.windows.slots.PayloadType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** Readers racing one appender in this JVM, and a child appender killed with SIGKILL. */
class MappingConcurrencyTest {
    static final int YEAR = 2025;

    @TempDir Path tmp;

    static TradePayload trade(long i) { return (TradePayload) Samples.forIndex(PayloadType.TRADE, i); }

    static int checksum(long i) { return MappingLayout.bodyChecksum(TradePayloadCodec.INSTANCE.encode(trade(i))); }

    /**
     * Invariants checked: while one thread appends batches, two reader threads on the same handle
     * and one on a read-only handle (refreshing) never see a partial record: every id at or below
     * the published count reads back whole with its checksum, and every id above it is NOT_FOUND
     * (never a torn or wrong record). Replay with -Dquire.test.seed.
     */
    @Test
    void shouldNeverShowAPartialRecordToConcurrentReaders() throws Exception {
        long seed = Samples.seed();
        Path file = MappingFile.fileIn(tmp, YEAR, PayloadType.TRADE);
        int total = 3000;
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicBoolean done = new AtomicBoolean();
        try (MappingFile<TradePayload> m = MappingFile.open(file, YEAR, TradePayloadCodec.INSTANCE);
             MappingFile<TradePayload> ro = MappingFile.openReadOnly(file, YEAR, TradePayloadCodec.INSTANCE)) {
            CyclicBarrier start = new CyclicBarrier(4);
            List<Thread> threads = new ArrayList<>();
            threads.add(Thread.ofPlatform().start(() -> {
                SplittableRandom rnd = new SplittableRandom(seed);
                try {
                    start.await();
                    long next = 1;
                    while (next <= total) {
                        int n = (int) Math.min(1 + rnd.nextInt(8), total - next + 1);
                        List<TradePayload> batch = new ArrayList<>();
                        for (int i = 0; i < n; i++) batch.add(trade(next + i));
                        List<Appended> acks = m.appendAll(batch);
                        if (acks.getFirst().payloadId() != next) throw new AssertionError("id " + acks.getFirst().payloadId() + " expected " + next);
                        next += n;
                    }
                } catch (Throwable t) {
                    failures.add(t);
                } finally {
                    done.set(true);
                }
            }));
            for (int r = 0; r < 3; r++) {
                MappingFile<TradePayload> h = r < 2 ? m : ro;
                long rseed = seed + r + 1;
                threads.add(Thread.ofPlatform().start(() -> {
                    SplittableRandom rnd = new SplittableRandom(rseed);
                    try {
                        start.await();
                        long reads = 0;
                        while (!done.get() || reads < 1000) {
                            if (h == ro) h.refresh();
                            long n = h.count();
                            if (n > 0) {
                                long id = rnd.nextBoolean() ? n : 1 + rnd.nextLong(n);
                                if (!h.read(id, checksum(id)).equals(trade(id))) throw new AssertionError("payload_id " + id + " read back different");
                            }
                            try {
                                TradePayload beyond = h.read(n + 1);
                                // Published between the count read and this read: must then be whole.
                                if (!beyond.equals(trade(n + 1))) throw new AssertionError("payload_id " + (n + 1) + " read back different");
                            } catch (QuireException e) {
                                if (e.kind() != ErrorKind.NOT_FOUND) throw e;
                            }
                            reads++;
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            for (Thread t : threads) t.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(failures).as("seed %d", seed).isEmpty();
            assertThat(m.count()).isEqualTo(total);
            ro.refresh();
            assertThat(ro.count()).isEqualTo(total);
        }
    }

    static Process child(Path stderr, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "-ea", "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), MappingChild.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
    }

    /**
     * Invariants checked: a child appending in a loop and printing each acknowledged batch is
     * killed with SIGKILL at a random moment, three times on the same file; while it runs, a
     * second appender is refused (CONFLICT, another process) and a read-only open reads what was
     * acknowledged; after each kill a reopen finds every acknowledged id with its exact content
     * and checksum, and ids stay dense across restarts. Replay with -Dquire.test.seed.
     */
    @Test
    void shouldKeepEveryAcknowledgedIdAcrossKillNine() throws Exception {
        long seed = Samples.seed();
        SplittableRandom rnd = new SplittableRandom(seed);
        Path file = MappingFile.fileIn(tmp, YEAR, PayloadType.TRADE);
        long acked = 0;
        for (int round = 0; round < 3; round++) {
            Path err = tmp.resolve("child" + round + ".err");
            Process p = child(err, "append", file.toString(), Long.toString(seed + round));
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
            try {
                String open = out.readLine();
                assertThat(open).as("seed %d: %s", seed, err).startsWith("open ");
                assertThat(Long.parseLong(open.substring(5))).as("seed %d: records after restart", seed).isGreaterThanOrEqualTo(acked);
                int want = 20 + rnd.nextInt(100);
                long lastAck = 0;
                for (int i = 0; i < want; i++) lastAck = parseAck(out.readLine(), seed, err);
                if (round == 0) {
                    QuireException e = null;
                    try {
                        MappingFile.open(file, YEAR, TradePayloadCodec.INSTANCE).close();
                    } catch (QuireException x) {
                        e = x;
                    }
                    assertThat(e).as("a second appender while the child holds the file").isNotNull();
                    assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT);
                    try (MappingFile<TradePayload> ro = MappingFile.openReadOnly(file, YEAR, TradePayloadCodec.INSTANCE)) {
                        assertThat(ro.count()).isGreaterThanOrEqualTo(lastAck);
                        for (long id = 1; id <= lastAck; id++) assertThat(ro.read(id, checksum(id))).isEqualTo(trade(id));
                    }
                }
                Thread.sleep(rnd.nextInt(30));
            } finally {
                // SIGKILL by pid: Process.destroyForcibly would also close our end of its stdout.
                Process kill = new ProcessBuilder("kill", "-9", Long.toString(p.pid())).inheritIO().start();
                assertThat(kill.waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
            }
            // Acks printed before the kill are still in the pipe: all of them are acknowledged.
            for (String line; (line = out.readLine()) != null; ) acked = Math.max(acked, parseAck(line, seed, err));
            try (MappingFile<TradePayload> m = MappingFile.open(file, YEAR, TradePayloadCodec.INSTANCE)) {
                assertThat(m.count()).as("seed %d round %d", seed, round).isGreaterThanOrEqualTo(acked);
                for (long id = 1; id <= m.count(); id++) {
                    assertThat(m.read(id, checksum(id))).as("seed %d payload_id %d", seed, id).isEqualTo(trade(id));
                }
                acked = m.count(); // records beyond the last ack were durable too; the next child continues after them
            }
        }
        assertThat(acked).isGreaterThanOrEqualTo(60);
    }

    private static long parseAck(String line, long seed, Path err) {
        if (line == null || !line.startsWith("ack ")) throw new AssertionError("seed " + seed + ": unexpected child output " + line + " (see " + err + ")");
        String[] f = line.split(" ");
        return Long.parseLong(f[2]);
    }
}
