package io.quire.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the harness in short mode with tiny sizes and checks only the shape of its output: one JSON
 * line per (workload, system) with a positive ops_per_s. Never a timing assertion.
 */
class BenchSmokeTest {
    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\":(\"(?:[^\"\\\\]|\\\\.)*\"|[^,}]+)");

    @Test
    void shortRunPrintsOneLinePerWorkloadAndSystem(@TempDir Path dir) {
        String[] args = {"--short", "--json-only", "--dir", dir.toString(), "--warmup-ms", "100", "--measure-ms", "300",
                "--writers", "8", "--batch", "2000", "--w3-entries", "10000", "--w6-entries", "10000", "--reopens", "2",
                "--w5-watch-warmup-ms", "100"};
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int rc = Harness.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), args);
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(rc).as("exit code; stderr:\n%s", err.toString(StandardCharsets.UTF_8)).isZero();

        List<String> lines = text.lines().filter(l -> l.startsWith("{\"workload\"")).toList();
        List<String[]> expected = Harness.expected(Config.parse(args));
        // W1-W4, W6, W7: 18 lines; W5: 2 watch + 3 client counts x 3 systems; W8: open + 3 x 3 + 2 scan
        assertThat(expected).hasSize(18 + 11 + 12);
        boolean nats = NatsServer.findBinary() != null;
        for (String[] ws : expected) {
            List<String> mine = lines.stream()
                    .filter(l -> l.contains("\"workload\":\"" + ws[0] + "\",\"system\":\"" + ws[1] + "\"")).toList();
            assertThat(mine).as("lines for %s %s in\n%s", ws[0], ws[1], text).hasSize(1);
            String line = mine.getFirst();
            if (!nats && ws[1].startsWith("jetstream")) {
                assertThat(field(line, "status")).as(line).isEqualTo("\"skipped\"");
                assertThat(field(line, "reason")).as(line).contains("nats-server is not on PATH");
                continue;
            }
            assertThat(field(line, "status")).as(line).isNull();
            assertThat(Double.parseDouble(field(line, "ops_per_s"))).as(line).isPositive();
            // W8 records per-operation means in whole nanoseconds: the long[] bound may round to 0
            if (ws[0].startsWith("W8")) assertThat(Double.parseDouble(field(line, "p50_us"))).as(line).isNotNegative();
            else assertThat(Double.parseDouble(field(line, "p50_us"))).as(line).isPositive();
            assertThat(Double.parseDouble(field(line, "p99_us"))).as(line).isGreaterThanOrEqualTo(Double.parseDouble(field(line, "p50_us")));
            if (ws[0].equals("W5-watch")) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("closed-loop warm-up 100 ms \\((\\d+) appends\\)").matcher(line);
                assertThat(m.find()).as("the watch warm-up ran: %s", line).isTrue();
                assertThat(Long.parseLong(m.group(1))).as(line).isPositive();
            }
        }
        assertThat(text).contains("{\"ratio\":\"W1 quire/raw-fsync ops_per_s\"", "{\"ratio\":\"W2 quire/sqlite ops_per_s\"",
                "{\"check\":\"W5-watch quire p99_us\"", "{\"ratio\":\"W5-append-64 quire/W2 quire ops_per_s\"",
                "{\"check\":\"W8-set quire ops_per_s\"", "{\"ratio\":\"W8-scan quire/mem-read ops_per_s\"",
                "{\"check\":\"W8-open quire p50_us\"");
        // W2 ran in the same run, so the W5-vs-W2 ratio has a value
        assertThat(text).doesNotContain("{\"ratio\":\"W5-append-64 quire/W2 quire ops_per_s\",\"value\":null");
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive).map(h -> h.info().command().orElse("?")).toList())
                .as("nats-server (or any other child) left running").isEmpty();
        assertThat(dir.toFile().list()).as("scratch data deleted").isEmpty();
    }

    @Test
    void onlyW5AndW8RunsJustThoseAndPrintsTheW2RatioAsNotAvailable() {
        Config cfg = Config.parse("--short", "--only", "w5,W8");
        assertThat(cfg.only()).containsExactly("W5", "W8");
        assertThat(Harness.expected(cfg)).extracting(ws -> ws[0]).allMatch(w -> w.startsWith("W5") || w.startsWith("W8"));
        assertThat(cfg.w5Clients()).containsExactly(1, 16, 64);
        assertThat(cfg.w8Symbols()).isEqualTo(2);
        assertThat(Config.parse("--w5-clients", "1,4", "--w8-symbols", "3").w5Clients()).containsExactly(1, 4);
        assertThat(cfg.w5WarmupMs()).as("short: no long warm-up").isZero();
        assertThat(Config.parse().w5WarmupMs()).isEqualTo(30_000);
        assertThat(Config.parse("--w5-warmup-ms", "0").w5WarmupMs()).isZero();
        assertThat(Config.parse("--short", "--w5-warmup-ms", "5000").w5WarmupMs()).isEqualTo(5_000);
        assertThat(cfg.w5WatchWarmupMs()).as("short: no watch warm-up").isZero();
        assertThat(Config.parse().w5WatchWarmupMs()).isEqualTo(20_000);
        assertThat(Config.parse("--short", "--w5-watch-warmup-ms", "1").w5WatchWarmupMs()).isEqualTo(1);
    }

    @Test
    void badW5AndW8FlagsAreRefusedWithTheFlagName() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Config.parse("--w5-rate", "0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--w5-rate must be >= 1, got 0");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Config.parse("--w8-symbols", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--w8-symbols must be a number, got 'x'");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Config.parse("--w5-warmup-ms", "-1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--w5-warmup-ms must be >= 0, got -1");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Config.parse("--w5-warmup-ms", "soon"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--w5-warmup-ms must be a number, got 'soon'");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Config.parse("--w5-watch-warmup-ms", "-1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--w5-watch-warmup-ms must be >= 0, got -1");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Config.parse("--w5-clients", ","))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--w5-clients needs at least one client count");
        assertThat(Config.parse("--w8-symbols", String.valueOf(Config.W8_SYMBOLS_MAX)).w8Symbols()).isEqualTo(Config.W8_SYMBOLS_MAX);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Config.parse("--w8-symbols", String.valueOf(Config.W8_SYMBOLS_MAX + 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--w8-symbols must be <= 64, got 65");
    }

    private static String field(String json, String name) {
        Matcher m = FIELD.matcher(json);
        while (m.find()) if (m.group(1).equals(name)) return m.group(2);
        return null;
    }
}
