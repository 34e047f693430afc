package io.quire.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.quire.core.Durability;
import io.quire.core.Ledger;
import io.quire.core.LedgerOptions;
import io.quire.core.Limits;
import io.quire.core.QuireException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Ledger settings: flag > $QUIRE_* > quire.yaml > default, and every bad source refused. */
class CliConfigTest {

    @TempDir Path tmp;
    Path dir;
    Path yaml;

    @BeforeEach
    void init() {
        dir = tmp.resolve("ledger.state");
        assertThat(Run.in(dir, "init").code()).isZero();
        yaml = dir.resolve("quire.yaml").toAbsolutePath().normalize();
    }

    private void writeYaml(String text) throws IOException {
        Files.writeString(yaml, text, StandardCharsets.UTF_8);
    }

    /** {@code quire --dir DIR args...} with this environment and stdin. */
    private Run run(Map<String, String> env, String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of("--dir", dir.toString()));
        all.addAll(List.of(args));
        return Run.raw(env, stdin.getBytes(StandardCharsets.UTF_8), all.toArray(String[]::new));
    }

    private JsonNode config(Map<String, String> env, String... flags) throws IOException {
        List<String> args = new ArrayList<>(List.of("config", "--json"));
        args.addAll(List.of(flags));
        Run r = run(env, "", args.toArray(String[]::new));
        assertThat(r.code()).as(r.toString()).isZero();
        return Json.mapper().readTree(r.out());
    }

    private long size() {
        try (Ledger l = Ledger.open(dir)) {
            return l.size();
        }
    }

    /** For each key: a YAML value, an env value and a flag value, all different from the default. */
    static Stream<Arguments> keys() {
        return Stream.of(
                Arguments.of("durability", "--durability", "QUIRE_DURABILITY",
                        "interval=50", "none", "interval=7", "sync"),
                Arguments.of("segment_bytes", "--segment-bytes", "QUIRE_SEGMENT_BYTES",
                        "8388608", "16777216", "33554432", String.valueOf(Limits.SEGMENT_BYTES_DEFAULT)),
                Arguments.of("watchers_per_stream", "--watchers-per-stream", "QUIRE_WATCHERS_PER_STREAM",
                        "3", "5", "9", String.valueOf(Limits.WATCHERS_PER_STREAM_DEFAULT)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keys")
    void shouldTakeFlagOverEnvOverFileOverDefault(String key, String flag, String env,
                                                  String fileValue, String envValue, String flagValue,
                                                  String defaultValue) throws IOException {
        // Only the default.
        JsonNode s = config(Map.of()).get("settings").get(key);
        assertThat(s.get("source").asText()).isEqualTo("default");
        assertThat(s.get("value").asText()).isEqualTo(defaultValue);

        // The file beats the default, and says which line.
        writeYaml("# comment\n\n" + key + ": " + fileValue + "\n");
        s = config(Map.of()).get("settings").get(key);
        assertThat(s.get("source").asText()).isEqualTo("file");
        assertThat(s.get("value").asText()).isEqualTo(fileValue);
        assertThat(s.get("from").asText()).isEqualTo(yaml + " line 3");

        // The environment beats the file.
        s = config(Map.of(env, envValue)).get("settings").get(key);
        assertThat(s.get("source").asText()).isEqualTo("env");
        assertThat(s.get("value").asText()).isEqualTo(envValue);
        assertThat(s.get("from").asText()).isEqualTo(env);

        // The flag beats the environment.
        s = config(Map.of(env, envValue), flag, flagValue).get("settings").get(key);
        assertThat(s.get("source").asText()).isEqualTo("flag");
        assertThat(s.get("value").asText()).isEqualTo(flagValue);
        assertThat(s.get("from").asText()).isEqualTo(flag);

        // The flag beats the file without the environment too; an empty variable counts as unset.
        s = config(Map.of(env, ""), flag, flagValue).get("settings").get(key);
        assertThat(s.get("source").asText()).isEqualTo("flag");
        s = config(Map.of(env, "")).get("settings").get(key);
        assertThat(s.get("source").asText()).isEqualTo("file");

        // Every value is a valid number where the key is numeric, in JSON too.
        if (!key.equals("durability")) assertThat(s.get("value").isNumber()).isTrue();
    }

    @Test
    void shouldResolveEachKeyFromItsOwnSourceAndPrintThemAsText() throws IOException {
        writeYaml("segment_bytes: 16777216\nwatchers_per_stream: 4\n");
        Run r = run(Map.of("QUIRE_WATCHERS_PER_STREAM", "8"), "", "config", "--durability", "none");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.lines()).startsWith(
                "file: " + yaml,
                String.format("%-20s %-12s %-8s %s", "durability", "none", "flag", "--durability"),
                String.format("%-20s %-12s %-8s %s", "segment_bytes", "16777216", "file", yaml + " line 1"),
                String.format("%-20s %-12s %-8s %s", "watchers_per_stream", "8", "env", "QUIRE_WATCHERS_PER_STREAM"),
                "serve (flags given to 'quire serve' come first):");
    }

    @Test
    void shouldShowWhatServeWouldUseWithItsSourcesAndTokenRolesOnly() throws IOException {
        String writer = "0123456789abcdef0123", reader = "fedcba9876543210fedc";
        writeYaml("grpc_port: 6000\nhttp_port: 9000\ntokens: \"writer:" + writer + ",reader:" + reader + "\"\nevent_loops: 1\n");
        Map<String, String> env = Map.of("QUIRE_HTTP_PORT", "-1", "QUIRE_BIND", "0.0.0.0");
        JsonNode serve = config(env).get("serve");
        List<String> keys = new ArrayList<>();
        serve.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("bind", "grpc_port", "http_port", "tokens", "tls_cert", "tls_key",
                "max_message_bytes", "watch_lag_entries", "watch_stall_ms", "watchers_max", "drain_ms", "event_loops");
        assertThat(serve.get("bind").get("value").asText()).isEqualTo("0.0.0.0");
        assertThat(serve.get("bind").get("source").asText()).isEqualTo("env");
        assertThat(serve.get("bind").get("from").asText()).isEqualTo("environment variable QUIRE_BIND");
        assertThat(serve.get("grpc_port").get("value").asInt()).isEqualTo(6000);
        assertThat(serve.get("grpc_port").get("source").asText()).isEqualTo("file");
        assertThat(serve.get("grpc_port").get("from").asText()).contains(yaml.toString(), "line 1", "grpc_port");
        assertThat(serve.get("http_port").get("value").asInt()).as("env over file").isEqualTo(-1);
        assertThat(serve.get("tokens").get("value")).extracting(JsonNode::asText).containsExactly("reader", "writer");
        assertThat(serve.get("tokens").get("source").asText()).isEqualTo("file");
        assertThat(serve.get("tls_cert").get("value").isNull()).isTrue();
        assertThat(serve.get("drain_ms").get("source").asText()).isEqualTo("default");
        assertThat(serve.get("drain_ms").get("value").asLong()).isEqualTo(io.quire.server.ServerLimits.DRAIN_MS_DEFAULT);
        assertThat(serve.get("event_loops").get("value").asInt()).isEqualTo(1);
        assertThat(serve.get("event_loops").get("from").asText()).contains(yaml.toString(), "line 4", "event_loops");

        Run text = run(env, "", "config");
        assertThat(text.code()).as(text.toString()).isZero();
        assertThat(text.out()).as("roles, never the tokens").doesNotContain(writer).doesNotContain(reader);
        assertThat(text.lines()).contains(String.format("%-20s %-12s %-8s %s", "http_port", "-1", "env", "environment variable QUIRE_HTTP_PORT"),
                String.format("%-20s %-12s %-8s %s", "tokens", "reader,writer", "file", serve.get("tokens").get("from").asText()));
        Run json = run(env, "", "config", "--json");
        assertThat(json.out()).doesNotContain(writer).doesNotContain(reader);
    }

    @Test
    void shouldRefuseABadServeVariableNamingIt() throws IOException {
        Run r = run(Map.of("GRPC_PORT", "70000"), "", "config");
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).startsWith("quire: environment variable GRPC_PORT: ").contains("70000");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void shouldShowDefaultsWithoutALedgerOrFile() throws IOException {
        dir = tmp.resolve("absent");
        JsonNode j = config(Map.of());
        assertThat(j.get("file_present").asBoolean()).isFalse();
        assertThat(j.get("file").asText()).isEqualTo(dir.resolve("quire.yaml").toAbsolutePath().normalize().toString());
        j.get("settings").forEach(s -> assertThat(s.get("source").asText()).isEqualTo("default"));
        assertThat(dir).as("config creates nothing").doesNotExist();
    }

    @Test
    void shouldAcceptTheFileInitWrites() throws IOException {
        assertThat(Files.readString(yaml)).contains("durability").contains("segment_bytes");
        JsonNode j = config(Map.of());
        assertThat(j.get("file_present").asBoolean()).isTrue();
        j.get("settings").forEach(s -> assertThat(s.get("source").asText()).isEqualTo("default"));
    }

    /** The settings reach the ledger: segment_bytes from the file makes segments roll sooner. */
    @Test
    void shouldOpenTheLedgerWithTheResolvedSettings() throws IOException {
        writeYaml("segment_bytes: " + Limits.SEGMENT_BYTES_MIN + "\n");
        String big = "x".repeat(Limits.PAYLOAD_BYTES_MAX - 1) + "\n";
        Run a = run(Map.of(), big.repeat(3), "append", "big", "--lines", "--durability", "none");
        assertThat(a.code()).as(a.toString()).isZero();
        Run st = run(Map.of(), "", "status", "--json");
        assertThat(Json.mapper().readTree(st.out()).get("segments").asLong()).isGreaterThanOrEqualTo(2);
    }

    /** A bad quire.yaml: exit 1 naming file, line and key; the append writes nothing. */
    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of("durability: sync\nbogus: 1\n", "line 2", "'bogus'", "unknown key"),
                Arguments.of("# x\nsegment_bytes: 5\n", "line 2", "'segment_bytes'", "8388608..2147483648"),
                Arguments.of("segment_bytes: \"16777216\"\n", "line 1", "'segment_bytes'", "string"),
                Arguments.of("segment_bytes: 1.5e7\n", "line 1", "'segment_bytes'", "fractional"),
                Arguments.of("watchers_per_stream: 0\n", "line 1", "'watchers_per_stream'", "1..2147483647"),
                Arguments.of("watchers_per_stream: 99999999999999999999\n", "line 1", "'watchers_per_stream'", "1..2147483647"),
                Arguments.of("watchers_per_stream:\n", "line 1", "'watchers_per_stream'", "no value"),
                Arguments.of("durability: sometimes\n", "line 1", "'durability'", "sometimes"),
                Arguments.of("durability: interval=0\n", "line 1", "'durability'", "1..60000"),
                Arguments.of("durability: 5\n", "line 1", "'durability'", "number"),
                Arguments.of("durability: [sync]\n", "line 1", "'durability'", "list"),
                Arguments.of("durability: sync\ndurability: none\n", "line 2", "'durability'", "twice"),
                Arguments.of("durability: sync\n\tsegment_bytes: 1\n", "line 2", "", "not valid YAML"),
                Arguments.of("durability: \"sync\n", "line 2", "", "not valid YAML"),
                Arguments.of("- durability\n", "line 1", "", "mapping"),
                Arguments.of("durability: sync\n---\nsegment_bytes: 16777216\n", "line 3", "", "more than one"));
    }

    @ParameterizedTest(name = "{3}: {0}")
    @MethodSource("badFiles")
    void shouldRefuseABadFileNamingFileLineAndKeyAndWriteNothing(String text, String line, String key, String why)
            throws IOException {
        writeYaml(text);
        long before = size();
        for (String[] args : List.of(new String[] {"append", "s"}, new String[] {"read", "s"},
                new String[] {"config", "--durability", "sync"}, new String[] {"append", "s", "--lines"})) {
            Run r = run(Map.of(), "payload\n", args);
            assertThat(r.code()).as(r.toString()).isEqualTo(1);
            assertThat(r.err()).as(r.toString()).startsWith("quire: config file " + yaml + ", " + line)
                    .contains(key).contains(why).doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(r.err().lines().count()).as(r.toString()).isEqualTo(1);
            assertThat(r.out()).isEmpty();
        }
        assertThat(size()).as("nothing written").isEqualTo(before);
    }

    @Test
    void shouldReportABadFileAsJsonWithJson() throws IOException {
        writeYaml("bogus: 1\n");
        Run r = run(Map.of(), "", "config", "--json");
        assertThat(r.code()).isEqualTo(1);
        JsonNode e = Json.mapper().readTree(r.err());
        assertThat(e.get("kind").asText()).isEqualTo("INVALID_INPUT");
        assertThat(e.get("error").asText()).contains(yaml.toString()).contains("line 1").contains("'bogus'");
    }

    static Stream<Arguments> badEnv() {
        return Stream.of(
                Arguments.of("QUIRE_DURABILITY", "sometimes"),
                Arguments.of("QUIRE_DURABILITY", "interval=x"),
                Arguments.of("QUIRE_SEGMENT_BYTES", "64MiB"),
                Arguments.of("QUIRE_SEGMENT_BYTES", "1024"),
                Arguments.of("QUIRE_WATCHERS_PER_STREAM", "0"),
                Arguments.of("QUIRE_WATCHERS_PER_STREAM", "3000000000"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("badEnv")
    void shouldRefuseABadEnvironmentVariableNamingItAndWriteNothing(String var, String value) throws IOException {
        long before = size();
        Map<String, String> env = new HashMap<>(Map.of(var, value));
        for (String[] args : List.of(new String[] {"append", "s"}, new String[] {"streams"},
                new String[] {"config"}, new String[] {"append", "s", "--lines"})) {
            Run r = run(env, "payload\n", args);
            assertThat(r.code()).as(r.toString()).isEqualTo(1);
            assertThat(r.err()).as(r.toString()).startsWith("quire: environment variable " + var + ": ")
                    .contains(value);
            assertThat(r.out()).isEmpty();
        }
        // Even when a flag overrides it: a bad variable is never silently ignored.
        String flag = "--" + var.substring("QUIRE_".length()).toLowerCase().replace('_', '-');
        String good = var.equals("QUIRE_DURABILITY") ? "sync" : "9000000";
        Run r = run(env, "", "config", flag, good);
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains(var);
        assertThat(size()).as("nothing written").isEqualTo(before);
    }

    static Stream<Arguments> badFlags() {
        return Stream.of(
                Arguments.of("--segment-bytes", "1000"),
                Arguments.of("--segment-bytes", "lots"),
                Arguments.of("--watchers-per-stream", "-1"),
                Arguments.of("--durability", "later"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("badFlags")
    void shouldRefuseABadFlagNamingIt(String flag, String value) {
        long before = size();
        for (String cmd : List.of("append", "config")) {
            Run r = cmd.equals("append") ? run(Map.of(), "x", "append", "s", flag, value) : run(Map.of(), "", "config", flag, value);
            assertThat(r.code()).as(r.toString()).isEqualTo(1);
            assertThat(r.err()).as(r.toString()).contains(flag).contains(value).contains("--help");
        }
        assertThat(size()).isEqualTo(before);
    }

    @Test
    void shouldResolveWithAnInjectedEnvironmentLookup() throws IOException {
        writeYaml("durability: none\nsegment_bytes: 16777216\n");
        Map<String, String> env = Map.of("QUIRE_SEGMENT_BYTES", "33554432");
        LedgerSettings s = LedgerSettings.resolve(dir, Map.of(LedgerSettings.Key.WATCHERS_PER_STREAM, 2), env::get);
        LedgerOptions o = s.options();
        assertThat(o.durability()).isEqualTo(Durability.NONE);
        assertThat(o.segmentBytes()).isEqualTo(33554432L);
        assertThat(o.watchersPerStream()).isEqualTo(2);
        assertThat(o.readOnly()).isFalse();
        assertThat(s.get(LedgerSettings.Key.DURABILITY).source()).isEqualTo(LedgerSettings.Source.FILE);

        assertThatThrownBy(() -> LedgerSettings.resolve(dir, Map.of(), name -> name.equals("QUIRE_DURABILITY") ? "x" : null))
                .isInstanceOfSatisfying(QuireException.class, e -> assertThat(e.getMessage()).contains("QUIRE_DURABILITY"));
    }

    @Test
    void shouldRefuseAnOversizedFile() throws IOException {
        writeYaml("# " + "x".repeat(LedgerSettings.FILE_BYTES_MAX) + "\n");
        Run r = run(Map.of(), "", "config");
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains(yaml.toString()).contains("over " + LedgerSettings.FILE_BYTES_MAX);
    }
}
