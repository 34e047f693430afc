package io.quire.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Everything about the command line that needs no ledger: help on every command, version,
 * completion, usage errors (exit 1 naming the bad argument) and errors on a missing ledger.
 */
class CliUsageTest {

    @TempDir Path tmp;

    /** Every command path: "init", "blob put", ... */
    static Stream<List<String>> commands() {
        List<List<String>> paths = new ArrayList<>();
        collect(QuireCli.commandLine(new QuireCli(quietIo())), new ArrayList<>(), paths);
        return paths.stream();
    }

    private static void collect(CommandLine cl, List<String> prefix, List<List<String>> acc) {
        for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
            List<String> p = new ArrayList<>(prefix);
            p.add(e.getKey());
            acc.add(p);
            collect(e.getValue(), p, acc);
        }
    }

    private static Io quietIo() {
        java.io.PrintStream sink = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
        return new Io(java.io.InputStream.nullInputStream(), sink, sink, Map.of(), false);
    }

    @ParameterizedTest(name = "quire {0} --help")
    @MethodSource("commands")
    void shouldExplainEveryOptionAndGiveExamplesInHelp(List<String> path) {
        List<String> args = new ArrayList<>(path);
        args.add("--help");
        Run r = Run.in(null, args.toArray(String[]::new));
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).isEmpty();
        CommandSpec spec = specOf(path);
        for (OptionSpec o : spec.options()) {
            assertThat(r.out()).as("help of %s mentions %s", path, o.longestName()).contains(o.longestName());
            boolean standard = o.usageHelp() || o.versionHelp();
            if (!standard && o.arity().max() > 0 && !o.required()) {
                // A valued option says what it defaults to (and in which unit).
                assertThat(String.join(" ", o.description())).as("%s %s states its default", path, o.longestName())
                        .containsIgnoringCase("default");
            }
        }
        assertThat(r.out()).as("%s has examples", path).contains("Examples:");
        assertThat(r.out()).as("%s help fits %d columns", path, QuireCli.USAGE_WIDTH_CHARS)
                .satisfies(s -> s.lines().forEach(l -> assertThat(l.length()).isLessThanOrEqualTo(QuireCli.USAGE_WIDTH_CHARS)));
    }

    private static CommandSpec specOf(List<String> path) {
        CommandLine cl = QuireCli.commandLine(new QuireCli(quietIo()));
        for (String p : path) cl = cl.getSubcommands().get(p);
        return cl.getCommandSpec();
    }

    @Test
    void shouldPrintVersionAndExitZero() {
        Run r = Run.in(null, "--version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("quire ").contains("Java 25");
    }

    @Test
    void shouldPrintUsageAndExitOneWithoutACommand() {
        Run r = Run.in(null);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("Usage: quire");
    }

    @Test
    void shouldSuggestTheClosestCommandWhenMistyped() {
        Run r = Run.in(null, "reed");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("quire: ").contains("'reed'").contains("read").contains("Try 'quire --help'");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void shouldPrintABashCompletionScript() {
        Run r = Run.in(null, "completion");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("complete -F").contains("quire").contains("verify-proof").contains("--id-from-line");
    }

    @Test
    void shouldExitThreeWhenThereIsNoLedger() {
        Path missing = tmp.resolve("nothing-here");
        for (String[] args : List.of(new String[] {"read", "s"}, new String[] {"streams"}, new String[] {"verify"},
                new String[] {"checkpoint"}, new String[] {"status"}, new String[] {"snapshot", "s", "-o", "x"})) {
            Run r = Run.in(missing, args);
            assertThat(r.code()).as(r.toString()).isEqualTo(3);
            assertThat(r.err()).startsWith("quire: no ledger at " + missing).contains("quire init");
            assertThat(r.err().lines().count()).as("one line, no stack trace").isEqualTo(1);
        }
        assertThat(missing).doesNotExist();
    }

    @Test
    void shouldReportErrorsAsJsonOnStderrWithJson() throws IOException {
        Run r = Run.in(tmp.resolve("nothing-here"), "read", "s", "--json");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.out()).isEmpty();
        var node = Json.mapper().readTree(r.err());
        assertThat(node.get("kind").asText()).isEqualTo("NOT_FOUND");
        assertThat(node.get("error").asText()).contains("no ledger at");
        assertThat(node.get("where").isObject()).isTrue();
    }

    @Test
    void shouldUseQuireDirFromTheEnvironment() {
        Path fromEnv = tmp.resolve("env-ledger");
        Run r = Run.raw(Map.of("QUIRE_DIR", fromEnv.toString()), new byte[0], "streams");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains(fromEnv.toString());
        Run flag = Run.raw(Map.of("QUIRE_DIR", fromEnv.toString()), new byte[0], "--dir", tmp.resolve("flag").toString(), "streams");
        assertThat(flag.err()).contains(tmp.resolve("flag").toString());
        Run after = Run.raw(Map.of(), new byte[0], "streams", "--dir", tmp.resolve("after").toString());
        assertThat(after.err()).as("--dir is accepted after the command too").contains(tmp.resolve("after").toString());
    }

    /** Bad arguments are refused before any ledger is opened: exit 1, the argument named. */
    static Stream<Object[]> badArguments() {
        return Stream.of(
                new Object[] {new String[] {"append", "s", "--meta", "novalue"}, "novalue"},
                new Object[] {new String[] {"append", "s", "--meta", "=v"}, "=v"},
                new Object[] {new String[] {"append", "s", "--durability", "sometimes"}, "sometimes"},
                new Object[] {new String[] {"append", "s", "--durability", "interval=0"}, "interval"},
                new Object[] {new String[] {"append", "s", "--id-from-line"}, "--lines"},
                new Object[] {new String[] {"append", "s", "--lines", "--id", "x"}, "--id"},
                new Object[] {new String[] {"append", "s", "--id", ""}, "id"},
                new Object[] {new String[] {"append", "s", "--id", "x".repeat(129)}, "ID_BYTES_MAX"},
                new Object[] {new String[] {"append", "s", "--key", "k".repeat(256)}, "KEY_BYTES_MAX"},
                new Object[] {new String[] {"append", ""}, "stream name"},
                new Object[] {new String[] {"append", "s".repeat(256)}, "STREAM_NAME_BYTES_MAX"},
                new Object[] {new String[] {"append"}, "STREAM"},
                new Object[] {new String[] {"read", "s", "--after", "-1"}, "--after"},
                new Object[] {new String[] {"read", "s", "--limit", "ten"}, "--limit"},
                new Object[] {new String[] {"read", ""}, "stream name"},
                new Object[] {new String[] {"watch", "s", "--after", "x"}, "--after"},
                new Object[] {new String[] {"prove"}, "POSITION"},
                new Object[] {new String[] {"prove", "1", "--consistency", "1", "2"}, "--consistency"},
                new Object[] {new String[] {"prove", "-5"}, "-5"},
                new Object[] {new String[] {"prove", "--consistency", "1", "2", "--size", "3"}, "--size"},
                new Object[] {new String[] {"verify-proof", "p.txt"}, "--checkpoint"},
                new Object[] {new String[] {"snapshot", "s"}, "--output"},
                new Object[] {new String[] {"load", "s"}, "FILE"},
                new Object[] {new String[] {"blob", "get", "abc", "-o", "f"}, "64 hex"},
                new Object[] {new String[] {"blob", "get", "z".repeat(64), "-o", "f"}, "hex"},
                new Object[] {new String[] {"blob", "put"}, "FILE"},
                new Object[] {new String[] {"repair"}, "--truncate-after"},
                new Object[] {new String[] {"repair", "--truncate-after", "-1", "--yes"}, "--truncate-after"},
                new Object[] {new String[] {"init", "extra"}, "extra"},
                new Object[] {new String[] {"verify", "--bogus"}, "--bogus"},
                new Object[] {new String[] {"backup"}, "TARGET"},
                new Object[] {new String[] {"restore"}, "SOURCE"});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badArguments")
    void shouldRefuseBadArgumentsNamingThem(String[] args, String named) throws IOException {
        Path dir = tmp.resolve("ledger");
        Run r = Run.in(dir, args);
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).as(r.toString()).startsWith("quire: ").contains(named).contains("--help");
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
        assertThat(dir).as("nothing was created").doesNotExist();
        try (var s = Files.list(tmp)) {
            assertThat(s.toList()).as("no stray files").isEmpty();
        }
    }

    @Test
    void shouldRefuseRepairWithoutYes() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("ledger"));
        Run r = Run.in(dir, "repair", "--truncate-after", "10");
        assertThat(r.code()).isEqualTo(4);
        assertThat(r.err()).contains("--yes").contains("position 10");
    }

    @Test
    void shouldMapUnexpectedExceptionsToSeventyWithAnIdAndNoStackTrace() {
        Io io = new Io(new java.io.ByteArrayInputStream(new byte[0]), System.out, System.err, Map.of(), false);
        QuireCli app = new QuireCli(io);
        java.io.StringWriter sw = new java.io.StringWriter();
        CommandLine cl = QuireCli.commandLine(app);
        cl.setErr(new java.io.PrintWriter(sw));
        int code = app.onFailure(new IllegalStateException("bad math in test"), cl);
        assertThat(code).isEqualTo(70);
        assertThat(sw.toString()).matches("(?s)quire: internal error [0-9a-f]{8}: .*bad math in test.*--debug.*\\R")
                .doesNotContain("\tat ");
    }

    @Test
    void shouldPrintTheStackTraceWithDebug() {
        Io io = new Io(new java.io.ByteArrayInputStream(new byte[0]), System.out, System.err, Map.of(), false);
        QuireCli app = new QuireCli(io);
        CommandLine cl = QuireCli.commandLine(app);
        cl.parseArgs("--debug", "streams");
        java.io.StringWriter sw = new java.io.StringWriter();
        cl.setErr(new java.io.PrintWriter(sw));
        app.onFailure(new IllegalStateException("boom"), cl);
        assertThat(sw.toString()).contains("\tat ");
    }
}
