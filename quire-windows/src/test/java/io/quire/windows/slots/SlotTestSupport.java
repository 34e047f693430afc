package io.quire.windows.slots;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Shared helpers: metas whose checksum is a function of (id, version), seeds, child JVMs. */
final class SlotTestSupport {
    private SlotTestSupport() {}

    static final int YEAR = 2025;

    /** The "payload checksum" writers store, so a reader can tell a torn slot from a whole one. */
    static int f(long id, long version) {
        long x = id * 0x9E37_79B9_7F4A_7C15L ^ version * 0xC2B2_AE3D_27D4_EB4FL;
        return (int) (x ^ (x >>> 29));
    }

    /** The last_updated_ns writers store: another function of (id, version). */
    static long g(long id, long version) { return (id << 32) ^ version ^ 0x1234_5678L; }

    static PayloadMeta meta(PayloadType t, long id, long version) { return new PayloadMeta(t, id, version, f(id, version), g(id, version)); }

    static long seed() {
        String s = System.getProperty("quire.test.seed");
        return s != null ? Long.parseLong(s) : System.nanoTime();
    }

    static SlotMatrix open(Path file, LedgerKind kind, int symbols, int minutes) {
        return SlotMatrix.open(file, kind, YEAR, symbols, minutes, SlotMatrix.Options.defaults());
    }

    /** Starts this JVM's test classpath with {@code SlotChild} and the given arguments. */
    static Process child(Path stderr, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "-ea", "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), SlotChild.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
    }

    static void awaitExit(Process p, long seconds) throws InterruptedException {
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child did not finish within " + seconds + " s");
        }
    }
}
