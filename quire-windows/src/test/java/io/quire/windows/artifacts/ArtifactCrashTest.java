package io.quire.windows.artifacts;

import io.quire.core.ErrorKind;
import io.quire.core.QuireException;
import io.quire.windows.mapping.ArtifactRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A child JVM appending artifact frames is killed with SIGKILL; every ref it printed reads back intact. */
class ArtifactCrashTest {
    @TempDir Path tmp;

    record Ack(long seed, String symbol, int minute, ArtifactRef ref) {}

    static Process child(Path stderr, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "-ea", "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), ArtifactChild.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
    }

    static Ack parse(String line, long seed, Path err) {
        if (line == null || !line.startsWith("ack ")) throw new AssertionError("seed " + seed + ": unexpected child output " + line + " (see " + err + ")");
        String[] f = line.split(" ");
        return new Ack(Long.parseLong(f[1]), f[2], Integer.parseInt(f[3]),
                new ArtifactRef(f[4], Long.parseLong(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7]), Long.parseLong(f[8]), Long.parseLong(f[9])));
    }

    /**
     * Invariants checked: three rounds of a child appending batches of frames and printing each ref
     * once durable, killed with {@code kill -9} at a random moment; while it runs a second appender
     * (this JVM) is refused with CONFLICT and a reader reads what was acknowledged; after each kill
     * a reopen truncates at most a torn tail, and every ref printed before the kill (in every round)
     * reads back with exactly its rows. Replay with -Dquire.test.seed.
     */
    @Test
    void shouldReadBackEveryPrintedRefAfterKillNine() throws Exception {
        long seed = Long.getLong("quire.test.seed", System.nanoTime());
        System.out.println("ArtifactCrashTest seed " + seed);
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Ack> acked = new ArrayList<>();
        LocalDate day = LocalDate.of(2025, 11, 12);
        for (int round = 0; round < 3; round++) {
            Path err = tmp.resolve("child" + round + ".err");
            Process p = child(err, "append", tmp.toString(), Long.toString(seed + round));
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
            try {
                String open = out.readLine();
                assertThat(open).as("seed %d: %s", seed, err).startsWith("open ");
                assertThat(Long.parseLong(open.substring(5))).as("seed %d: frames after restart", seed).isGreaterThanOrEqualTo(acked.size());
                int want = 30 + rnd.nextInt(200);
                for (int i = 0; i < want; i++) acked.add(parse(out.readLine(), seed, err));
                if (round == 0) {
                    try (ArtifactStore other = ArtifactStore.open(tmp, 2025)) {
                        QuireException e = null;
                        try {
                            other.appender(ArtifactKind.TRADES, day);
                        } catch (QuireException x) {
                            e = x;
                        }
                        assertThat(e).as("a second appender while the child holds the segment").isNotNull();
                        assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT);
                        for (Ack a : acked) assertThat(other.readTrades(a.ref()).rows()).isEqualTo(ArtifactSamples.trades(a.seed(), a.symbol(), a.minute()));
                    }
                }
                Thread.sleep(rnd.nextInt(40));
            } finally {
                // SIGKILL by pid: Process.destroyForcibly would also close our end of its stdout.
                Process kill = new ProcessBuilder("kill", "-9", Long.toString(p.pid())).inheritIO().start();
                assertThat(kill.waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
            }
            // Acks printed before the kill are still in the pipe: all of them were durable.
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("ack ") && line.split(" ").length == 10) acked.add(parse(line, seed, err));
            }
            try (ArtifactStore store = ArtifactStore.open(tmp, 2025)) {
                ArtifactFile f = store.appender(ArtifactKind.TRADES, day);
                f.recovery().ifPresent(r -> System.out.println("round recovery: " + r));
                assertThat(f.frames()).as("seed %d round %d", seed, round).isGreaterThanOrEqualTo(acked.size());
                for (Ack a : acked) {
                    assertThat(store.readTrades(a.ref()).rows()).as("seed %d ref %s", seed, a.ref()).isEqualTo(ArtifactSamples.trades(a.seed(), a.symbol(), a.minute()));
                }
            }
        }
        assertThat(acked.size()).isGreaterThanOrEqualTo(90);
    }
}
