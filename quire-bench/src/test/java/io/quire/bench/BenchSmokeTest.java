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
                "--writers", "8", "--batch", "2000", "--w3-entries", "10000", "--w6-entries", "10000", "--reopens", "2"};
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int rc = Harness.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), args);
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(rc).as("exit code; stderr:\n%s", err.toString(StandardCharsets.UTF_8)).isZero();

        List<String> lines = text.lines().filter(l -> l.startsWith("{\"workload\"")).toList();
        List<String[]> expected = Harness.expected(Config.parse(args));
        assertThat(expected).hasSize(18);
        for (String[] ws : expected) {
            List<String> mine = lines.stream()
                    .filter(l -> l.contains("\"workload\":\"" + ws[0] + "\",\"system\":\"" + ws[1] + "\"")).toList();
            assertThat(mine).as("lines for %s %s in\n%s", ws[0], ws[1], text).hasSize(1);
            String line = mine.getFirst();
            assertThat(field(line, "status")).as(line).isNull();
            assertThat(Double.parseDouble(field(line, "ops_per_s"))).as(line).isPositive();
            assertThat(Double.parseDouble(field(line, "p50_us"))).as(line).isPositive();
            assertThat(Double.parseDouble(field(line, "p99_us"))).as(line).isGreaterThanOrEqualTo(Double.parseDouble(field(line, "p50_us")));
        }
        assertThat(text).contains("{\"ratio\":\"W1 quire/raw-fsync ops_per_s\"", "{\"ratio\":\"W2 quire/sqlite ops_per_s\"");
        assertThat(dir.toFile().list()).as("scratch data deleted").isEmpty();
    }

    private static String field(String json, String name) {
        Matcher m = FIELD.matcher(json);
        while (m.find()) if (m.group(1).equals(name)) return m.group(2);
        return null;
    }
}
