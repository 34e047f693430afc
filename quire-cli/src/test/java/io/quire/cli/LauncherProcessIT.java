package io.quire.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code bin/quire} and {@code scripts/backup.sh} as real child processes, the way operators and
 * scripts run them. Needs the packaged jars ({@code ./mvnw install -DskipTests} or
 * {@code package} first); skipped with that advice when they are missing.
 */
class LauncherProcessIT {

    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final Path QUIRE = ROOT.resolve("bin/quire");
    /** Long enough for a cold JVM on a loaded 2-core machine; a hung command fails the test. */
    static final long PROCESS_TIMEOUT_SECONDS = 60;

    @TempDir Path tmp;

    @BeforeAll
    static void needsPackagedJars() throws IOException {
        Path target = ROOT.resolve("quire-cli/target");
        boolean jar;
        try (Stream<Path> s = Files.exists(target) ? Files.list(target) : Stream.empty()) {
            jar = s.anyMatch(p -> p.getFileName().toString().matches("quire-cli-.*\\.jar"));
        }
        assumeTrue(jar && Files.isDirectory(target.resolve("lib")),
                "bin/quire needs the packaged jars: run ./mvnw -q install -DskipTests first");
    }

    record Proc(int code, String out, String err) {}

    /** Runs a command with PATH's java being whatever the machine has and JAVA_HOME unset. */
    Proc exec(String stdin, Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
        pb.environment().remove("JAVA_HOME");
        pb.environment().remove("QUIRE_DIR");
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        var out = p.getInputStream().readAllBytes();
        var err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        return new Proc(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    Proc quire(String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(QUIRE.toString()));
        cmd.addAll(List.of(args));
        return exec(stdin, Map.of(), cmd.toArray(String[]::new));
    }

    @Test
    void shouldRunTheCliWithTheExitCodesOfTheContract() throws Exception {
        Proc version = quire("", "--version");
        assertThat(version.code()).as(version.toString()).isZero();
        assertThat(version.out()).startsWith("quire ").contains("Java 2");

        Proc usage = quire("", "append");
        assertThat(usage.code()).isEqualTo(1);
        assertThat(usage.err()).startsWith("quire: ").contains("STREAM");

        Proc missing = quire("", "read", "s");
        assertThat(missing.code()).as("no ./ledger.state in the working directory").isEqualTo(3);

        assertThat(quire("", "init").code()).isZero();
        assertThat(tmp.resolve("ledger.state")).isDirectory();
        Proc appended = quire("one\ntwo\n", "append", "s", "--lines");
        assertThat(appended.code()).as(appended.toString()).isZero();
        assertThat(appended.out().lines().toList()).hasSize(2).allMatch(l -> l.matches("\\d+ \\d+ [0-9a-f]{64}"));
        Proc read = quire("", "read", "s", "--json");
        assertThat(read.code()).isZero();
        assertThat(read.out().lines().count()).isEqualTo(2);
        assertThat(quire("", "verify").code()).isZero();
        assertThat(quire("", "init").code()).isEqualTo(4);
    }

    @Test
    void shouldExitZeroWhenAWatchIsTerminated() throws Exception {
        assertThat(quire("", "init").code()).isZero();
        assertThat(quire("first\n", "append", "s", "--lines").code()).isZero();
        Path errFile = tmp.resolve("watch.err");
        Process p = new ProcessBuilder(QUIRE.toString(), "watch", "s").directory(tmp.toFile())
                .redirectError(errFile.toFile()).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line = r.readLine();
            assertThat(line).startsWith("1 ").endsWith("first");
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(p.exitValue()).as(Files.readString(errFile)).isZero();
    }

    /**
     * Two shells: {@code quire append --lines} keeps the ledger open for writing, fed from a pipe,
     * while {@code quire read} and {@code quire watch} in other processes see its entries live.
     */
    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS) // a watch that never sees the live lines would block forever
    void shouldReadAndWatchWhileAnotherProcessAppends() throws Exception {
        assertThat(quire("", "init").code()).isZero();
        Path writerErr = tmp.resolve("append.err");
        Path watchErr = tmp.resolve("watch.err");
        Process writer = new ProcessBuilder(QUIRE.toString(), "append", "s", "--lines").directory(tmp.toFile())
                .redirectError(writerErr.toFile()).start();
        Process watch = null;
        try (var in = writer.getOutputStream();
             BufferedReader acks = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            in.write("one\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            assertThat(acks.readLine()).as("the writer acknowledges line 1").startsWith("1 ");

            Proc read = quire("", "read", "s");
            assertThat(read.code()).as(read.toString()).isZero();
            assertThat(read.out().lines().toList()).singleElement().asString().startsWith("1 ").endsWith(" one");

            watch = new ProcessBuilder(QUIRE.toString(), "watch", "s", "--count", "3").directory(tmp.toFile())
                    .redirectError(watchErr.toFile()).start();
            try (BufferedReader seen = new BufferedReader(new InputStreamReader(watch.getInputStream(), StandardCharsets.UTF_8))) {
                assertThat(seen.readLine()).as("backlog").startsWith("1 ").endsWith(" one");
                // The watch is now following; the writer appends while it runs.
                in.write("two\nthree\n".getBytes(StandardCharsets.UTF_8));
                in.flush();
                assertThat(acks.readLine()).startsWith("2 ");
                assertThat(acks.readLine()).startsWith("3 ");
                assertThat(seen.readLine()).as("live").startsWith("2 ").endsWith(" two");
                assertThat(seen.readLine()).as("live").startsWith("3 ").endsWith(" three");
                assertThat(watch.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
                assertThat(watch.exitValue()).as(Files.readString(watchErr)).isZero();
            }
        } finally {
            if (watch != null) watch.destroyForcibly();
        }
        assertThat(writer.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("the writer ends with its stdin").isTrue();
        assertThat(writer.exitValue()).as(Files.readString(writerErr)).isZero();
    }

    @Test
    void shouldKeepTheNewestBackupsWithTheBackupScript() throws Exception {
        assertThat(quire("", "init").code()).isZero();
        assertThat(quire("x\n", "append", "s", "--lines").code()).isZero();
        Path root = tmp.resolve("backups");
        String script = ROOT.resolve("scripts/backup.sh").toString();
        for (int i = 0; i < 3; i++) {
            if (i > 0) Thread.sleep(1100); // backup names have one-second resolution
            Proc b = exec("", Map.of("QUIRE_BIN", QUIRE.toString()), script, root.toString(), "--keep", "2", "--dir", "ledger.state");
            assertThat(b.code()).as(b.toString()).isZero();
            assertThat(b.out().lines().toList()).singleElement().asString().contains("quire-backup ok");
        }
        try (Stream<Path> s = Files.list(root)) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("quire-")).toList()).hasSize(2);
        }
        Proc failed = exec("", Map.of("QUIRE_BIN", QUIRE.toString()), script, root.toString(), "--dir", "no-such-ledger");
        assertThat(failed.code()).isEqualTo(3);
        assertThat(failed.out()).contains("FAILED step=backup");
    }
}
