package io.quire.core.crash;

import io.quire.core.Hash;
import io.quire.core.blob.FileBlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Invariants checked: every blob whose put() returned in a child JVM killed with SIGKILL at a random
 * moment is readable after the kill with exactly its digest and size; reopening the store removes
 * every temp file the kill left behind; the blobs the store lists all verify.
 */
class BlobCrashTest {
    static final int CYCLES = Math.max(3, Integer.getInteger("quire.crash.cycles", 20) / 4);

    @TempDir Path dir;

    @Test
    void shouldKeepEveryAcknowledgedBlobAcrossKill9() throws Exception {
        long seed = Long.getLong("quire.test.seed", System.nanoTime());
        SplittableRandom rnd = new SplittableRandom(seed);
        Path blobs = dir.resolve("blobs");
        Map<String, Integer> acked = new ConcurrentHashMap<>();
        try {
            for (int cycle = 0; cycle < CYCLES; cycle++) {
                runAndKill(blobs, rnd.nextLong(), 50 + rnd.nextInt(350), acked);
                FileBlobStore store = new FileBlobStore(blobs);
                try (Stream<Path> tmp = Files.exists(blobs.resolve("tmp")) ? Files.list(blobs.resolve("tmp")) : Stream.empty()) {
                    assertThat(tmp.toList()).as("temp files after reopen").isEmpty();
                }
                for (var e : acked.entrySet()) {
                    Hash h = Hash.parse(e.getKey());
                    byte[] b = store.getBytes(h);
                    assertThat(b.length).isEqualTo(e.getValue());
                    assertThat(Hash.sha256(b)).isEqualTo(h);
                }
                for (Hash h : store.list()) assertThat(store.check(h)).as("blob %s", h).isEmpty();
            }
            assertThat(acked).isNotEmpty();
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("replay with -Dquire.test.seed=" + seed, e);
        }
    }

    private static void runAndKill(Path blobs, long childSeed, long killAfterMs, Map<String, Integer> acked) throws Exception {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process p = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                BlobCrashChild.class.getName(), blobs.toString(), Long.toString(childSeed))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        CountDownLatch first = new CountDownLatch(1);
        Thread reader = Thread.ofPlatform().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    String[] f = line.split(" ");
                    if (f.length == 2 && f[0].length() == 64) {
                        acked.put(f[0], Integer.parseInt(f[1]));
                        first.countDown();
                    }
                }
            } catch (Exception ignored) {
                // the pipe breaks when the child is killed
            }
        });
        assertThat(first.await(60, TimeUnit.SECONDS)).as("child acknowledged a blob").isTrue();
        Thread.sleep(killAfterMs);
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        reader.join(10_000);
    }
}
