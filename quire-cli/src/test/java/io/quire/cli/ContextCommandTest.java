package io.quire.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quire.context.ContextLimits;
import io.quire.core.Durability;
import io.quire.core.Ledger;
import io.quire.core.Limits;
import io.quire.server.Config;
import io.quire.server.QuireServer;
import io.quire.server.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code quire context ...} end to end: the CLI in-process against a real {@link QuireServer} on a free loopback
 * port, over real gRPC. Every failure case also checks that nothing was written.
 */
class ContextCommandTest {
    static final String WRITER = "writer-token-0123456789";
    static final String READER = "reader-token-0123456789";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;
    Path dir;
    QuireServer server;
    int port;

    @AfterEach void stop() { if (server != null) server.close(); }

    void start(UnaryOperator<Config> tweak) {
        dir = tmp.resolve("ledger");
        if (!Files.exists(dir)) Ledger.init(dir);
        server = QuireServer.start(tweak.apply(Config.defaults(dir).withPorts(port, -1).withDurability(Durability.NONE)));
        port = server.grpcPort();
    }

    void start() { start(c -> c); }

    String addr() { return "127.0.0.1:" + port; }

    /** {@code quire context SUB ARGS --server addr} with this environment and stdin. */
    Run ctx(Map<String, String> env, byte[] stdin, String sub, String... args) {
        List<String> all = new ArrayList<>(List.of("context", sub));
        all.addAll(List.of(args));
        if (!all.contains("--server")) {
            all.add("--server");
            all.add(addr());
        }
        return Run.raw(env, stdin, all.toArray(String[]::new));
    }

    Run ctx(String sub, String... args) { return ctx(Map.of(), new byte[0], sub, args); }

    Run append(String context, String data, String... more) {
        List<String> a = new ArrayList<>(List.of(context, "--data", data));
        a.addAll(List.of(more));
        return ctx("append", a.toArray(String[]::new));
    }

    static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + s, e);
        }
    }

    /** The ledger's total entries, read through the CLI so tokens do not matter here. */
    long latest(String context, String... tokenArgs) {
        List<String> a = new ArrayList<>(List.of(context, "--json"));
        a.addAll(List.of(tokenArgs));
        Run r = ctx("get", a.toArray(String[]::new));
        assertThat(r.code()).as(r.toString()).isZero();
        return json(r.out()).get("latest_sequence").asLong();
    }

    @Test
    void shouldAppendGetSnapshotAndLoadThroughTheServer() {
        start();
        Run a1 = ctx(Map.of(), "{\"n\":1}\n".getBytes(StandardCharsets.UTF_8), "append", "run-1", "--key", "facts");
        assertThat(a1.code()).as(a1.toString()).isZero();
        assertThat(a1.out()).matches("1 0 [0-9a-f]{64}\n");
        Run a2 = append("run-1", "hi", "--id", "step-2", "--meta", "src=cli", "--json");
        assertThat(a2.code()).as(a2.toString()).isZero();
        JsonNode e2 = json(a2.out());
        assertThat(e2.get("context_id").asText()).isEqualTo("run-1");
        assertThat(e2.get("sequence").asLong()).isEqualTo(2);
        assertThat(e2.get("id").asText()).isEqualTo("step-2");
        assertThat(e2.get("metadata").get("src").asText()).isEqualTo("cli");
        assertThat(e2.get("prev_hash").asText()).isEqualTo(a1.out().trim().split(" ")[2]);
        assertThat(e2.has("payload_base64")).isFalse();

        Run text = ctx("get", "run-1");
        assertThat(text.code()).as(text.toString()).isZero();
        assertThat(text.lines()).hasSize(2);
        assertThat(text.lines().get(1)).isEqualTo("2 1 step-2 - hi");
        assertThat(text.err()).contains("latest_sequence 2");
        JsonNode got = json(ctx("get", "run-1", "--key", "facts", "--json").out());
        assertThat(got.get("latest_sequence").asLong()).isEqualTo(2); // whatever the filter
        assertThat(got.get("entries")).hasSize(1);
        assertThat(got.get("entries").get(0).get("payload_base64").asText()).isEqualTo("eyJuIjoxfQo=");
        JsonNode page = json(ctx("get", "run-1", "--after", "1", "--limit", "1", "--json").out());
        assertThat(page.get("entries").get(0).get("sequence").asLong()).isEqualTo(2);
        JsonNode never = json(ctx("get", "never-written", "--json").out());
        assertThat(never.get("latest_sequence").asLong()).isZero();
        assertThat(never.get("entries")).isEmpty();

        Path snap = tmp.resolve("run-1.snap");
        Run s = ctx("snapshot", "run-1", "-o", snap.toString(), "--json");
        assertThat(s.code()).as(s.toString()).isZero();
        JsonNode sj = json(s.out());
        assertThat(sj.get("sequence").asLong()).isEqualTo(2);
        assertThat(sj.get("entry_count").asLong()).isEqualTo(2);
        assertThat(sj.get("merkle_root").asText()).hasSize(64);
        assertThat(Files.exists(snap)).isTrue();
        assertThat((long) sj.get("bytes").asInt()).isEqualTo(fileSize(snap));

        Run l = ctx("load", "run-copy", snap.toString(), "--json");
        assertThat(l.code()).as(l.toString()).isZero();
        assertThat(json(l.out()).get("entries_restored").asLong()).isEqualTo(2);
        assertThat(json(l.out()).get("latest_sequence").asLong()).isEqualTo(2);
        Run again = ctx("load", "run-copy", snap.toString());
        assertThat(again.code()).as(again.toString()).isZero();
        assertThat(again.out()).isEqualTo("loaded 0 entries into run-copy; it is now at sequence 2\n");
        Run exists = ctx("load", "run-copy", snap.toString(), "--fail-if-exists");
        assertThat(exists.code()).as(exists.toString()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(exists.err()).contains("ALREADY_EXISTS");
        // stdout snapshot equals the file
        Run toStdout = ctx("snapshot", "run-1", "-o", "-");
        assertThat(toStdout.code()).isZero();
        assertThat(toStdout.outBytes().length).isEqualTo((int) fileSize(snap));
    }

    static long fileSize(Path p) {
        try {
            return Files.size(p);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void shouldReturnTheStoredEntryForARepeatedIdAndRefuseOtherContent() {
        start();
        Run first = append("c", "one", "--id", "x");
        Run same = append("c", "one", "--id", "x");
        assertThat(same.code()).isZero();
        assertThat(same.out()).isEqualTo(first.out());
        Run other = append("c", "two", "--id", "x");
        assertThat(other.code()).as(other.toString()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(other.err()).contains("ALREADY_EXISTS");
        assertThat(latest("c")).isEqualTo(1);
    }

    /** A captured CLI run on its own thread whose stdout can be read while it runs. */
    record Live(CompletableFuture<Integer> code, ByteArrayOutputStream out, ByteArrayOutputStream err) {
        String outText() { synchronized (out) { return out.toString(StandardCharsets.UTF_8); } }
        String errText() { synchronized (err) { return err.toString(StandardCharsets.UTF_8); } }
    }

    Live live(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new ByteArrayInputStream(new byte[0]), new PrintStream(new Locked(out), true, StandardCharsets.UTF_8),
                new PrintStream(new Locked(err), true, StandardCharsets.UTF_8), Map.of(), false);
        CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> QuireCli.run(io, args));
        return new Live(code, out, err);
    }

    /** Writes under the buffer's own lock, so a test may read it meanwhile. */
    static final class Locked extends java.io.OutputStream {
        final ByteArrayOutputStream b;
        Locked(ByteArrayOutputStream b) { this.b = b; }
        @Override public void write(int x) { synchronized (b) { b.write(x); } }
        @Override public void write(byte[] a, int o, int n) { synchronized (b) { b.write(a, o, n); } }
    }

    static void until(BooleanSupplier cond, Live l) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not reached; stdout:\n" + l.outText() + "\nstderr:\n" + l.errText());
            try { Thread.sleep(20); } catch (InterruptedException e) { throw new AssertionError(e); }
        }
    }

    @Test
    void shouldWatchBacklogAndLiveAppendsAndStopAfterCount() throws Exception {
        start();
        append("w", "a");
        append("w", "skip", "--key", "other");
        Live l = live("context", "watch", "w", "--key", "", "--count", "4", "--json", "--server", addr());
        until(() -> l.outText().lines().count() >= 2, l);
        append("w", "b");
        append("w", "c");
        assertThat(l.code().get(60, TimeUnit.SECONDS)).as(l.errText()).isZero();
        List<JsonNode> lines = l.outText().lines().map(ContextCommandTest::json).toList();
        assertThat(lines.stream().map(j -> j.get("sequence").asLong())).containsExactly(1L, 2L, 3L, 4L);
        // --from and --key filter, and --count stops a bounded read
        Run keyed = ctx("watch", "w", "--from", "1", "--key", "other", "--count", "1");
        assertThat(keyed.code()).as(keyed.toString()).isZero();
        assertThat(keyed.out()).isEqualTo("2 1 " + json(ctx("get", "w", "--json").out()).get("entries").get(1).get("id").asText()
                + " other skip\n");
    }

    @Test
    void shouldResumeTheWatchAcrossAServerRestartWithoutGapOrDuplicate() throws Exception {
        start();
        append("r", "1");
        Live l = live("context", "watch", "r", "--count", "3", "--server", addr());
        until(() -> l.outText().lines().count() >= 1, l);
        server.close();
        for (int i = 0; ; i++) { // the same port, once the old socket lets go of it
            try {
                start();
                break;
            } catch (RuntimeException e) {
                if (i > 100) throw e;
                Thread.sleep(100);
            }
        }
        append("r", "2");
        append("r", "3");
        assertThat(l.code().get(60, TimeUnit.SECONDS)).as(l.errText()).isZero();
        assertThat(l.outText().lines().map(s -> s.split(" ")[0]).toList()).containsExactly("1", "2", "3");
        assertThat(l.errText()).contains("resuming after sequence 1");
    }

    @Test
    void shouldRequireAValidTokenWhenTheServerHasTokens() {
        start(c -> c.withTokens(Map.of(WRITER, Role.WRITER, READER, Role.READER)));
        Run none = append("t", "x");
        assertThat(none.code()).as(none.toString()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(none.err()).contains("UNAUTHENTICATED").contains("--token");
        Run wrong = append("t", "x", "--token", "not-a-known-token-at-all");
        assertThat(wrong.code()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(wrong.err()).contains("UNAUTHENTICATED");
        Run reader = append("t", "x", "--token", READER);
        assertThat(reader.code()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(reader.err()).contains("PERMISSION_DENIED");
        Run json = append("t", "x", "--token", READER, "--json");
        assertThat(json(json.err()).get("kind").asText()).isEqualTo("CONFLICT");
        assertThat(json(json.err()).get("code").asText()).isEqualTo("permission_denied");
        assertThat(latest("t", "--token", READER)).isZero();
        Run viaEnv = ctx(Map.of("QUIRE_TOKEN", WRITER), "x".getBytes(StandardCharsets.UTF_8), "append", "t");
        assertThat(viaEnv.code()).as(viaEnv.toString()).isZero();
        assertThat(latest("t", "--token", READER)).isEqualTo(1);
        Run watch = ctx("watch", "t", "--count", "1");
        assertThat(watch.code()).as(watch.toString()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(watch.err()).contains("watch of t ended").contains("UNAUTHENTICATED").contains("resume with --from 0");
    }

    @Test
    void shouldSayClearlyWhenNoServerListens() throws Exception {
        int free;
        try (ServerSocket s = new ServerSocket(0)) { free = s.getLocalPort(); }
        for (String[] cmd : List.of(new String[] {"append", "c", "--data", "x"}, new String[] {"get", "c"},
                new String[] {"snapshot", "c", "-o", tmp.resolve("s").toString()})) {
            List<String> a = new ArrayList<>(List.of(cmd));
            a.addAll(List.of("--server", "127.0.0.1:" + free, "--timeout", "2000"));
            Run r = ctx(a.get(0), a.subList(1, a.size()).toArray(String[]::new));
            assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.IO);
            assertThat(r.err()).contains("server 127.0.0.1:" + free + ": UNAVAILABLE").contains("is 'quire serve' running");
        }
        assertThat(Files.exists(tmp.resolve("s"))).isFalse();
        Run env = Run.raw(Map.of("QUIRE_SERVER", "127.0.0.1:" + free), new byte[0], "context", "get", "c");
        assertThat(env.code()).isEqualTo(ExitCodes.IO);
        assertThat(env.err()).contains("127.0.0.1:" + free);
    }

    @Test
    void shouldRefuseBadInputOnEverySubcommandAndWriteNothing() throws Exception {
        start();
        append("b", "one");
        Path snap = tmp.resolve("b.snap");
        assertThat(ctx("snapshot", "b", "-o", snap.toString()).code()).isZero();
        String[][] badServers = {{"--server", "nonsense"}, {"--server", "host:70000"}, {"--server", ":50051"},
                {"--server", "::1:50051"}, {"--server", "h:"}, {"--server", "h:x"}};
        String[][] subs = {{"append", "b", "--data", "x"}, {"get", "b"}, {"watch", "b", "--count", "1"},
                {"snapshot", "b", "-o", tmp.resolve("never.snap").toString()}, {"load", "b2", snap.toString()}};
        for (String[] sub : subs) {
            for (String[] bad : badServers) {
                List<String> a = new ArrayList<>(List.of(sub).subList(1, sub.length));
                a.addAll(List.of(bad));
                Run r = ctx(sub[0], a.toArray(String[]::new));
                assertThat(r.code()).as(String.join(" ", sub) + " " + String.join(" ", bad) + "\n" + r).isEqualTo(ExitCodes.USAGE);
                assertThat(r.err()).contains("--server");
            }
            List<String> a = new ArrayList<>(List.of(sub).subList(1, sub.length));
            a.addAll(List.of("--timeout", "0"));
            assertThat(ctx(sub[0], a.toArray(String[]::new)).code()).isEqualTo(ExitCodes.USAGE);
            a.set(a.size() - 2, "--ca");
            a.set(a.size() - 1, tmp.resolve("no-such-ca.pem").toString());
            Run noCa = ctx(sub[0], a.toArray(String[]::new));
            assertThat(noCa.code()).as(noCa.toString()).isEqualTo(ExitCodes.NOT_FOUND);
            assertThat(noCa.err()).contains("--ca").contains("no-such-ca.pem");
            Run env = ctx(Map.of("QUIRE_TOKEN", "has space"), new byte[0], sub[0], List.of(sub).subList(1, sub.length).toArray(String[]::new));
            assertThat(env.code()).as(env.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(env.err()).contains("QUIRE_TOKEN");
        }
        assertThat(Files.exists(tmp.resolve("never.snap"))).isFalse();

        // append: oversize stdin and --data at max+1 (max itself goes through), empty --id, bad --meta, bad context id
        byte[] max = new byte[Limits.PAYLOAD_BYTES_MAX];
        Run atMax = ctx(Map.of(), max, "append", "big");
        assertThat(atMax.code()).as(atMax.toString()).isZero();
        Run over = ctx(Map.of(), new byte[Limits.PAYLOAD_BYTES_MAX + 1], "append", "b");
        assertThat(over.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(over.err()).contains("PAYLOAD_BYTES_MAX");
        assertThat(append("b", "x", "--id", "").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(append("b", "x", "--meta", "nokey").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(append("b", "x", "--lamport", "-1").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(append("b", "x", "--id", "i".repeat(Limits.ID_BYTES_MAX + 1)).code()).isEqualTo(ExitCodes.USAGE);
        Run badCtx = append("", "x");
        assertThat(badCtx.code()).as(badCtx.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(badCtx.err()).contains("INVALID_ARGUMENT");
        assertThat(append("x".repeat(ContextLimits.CONTEXT_ID_BYTES_MAX + 1), "x").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(append("b", "x", "--meta", "quire.lamport=1").code()).isEqualTo(ExitCodes.USAGE);

        // get / watch: negative numbers
        assertThat(ctx("get", "b", "--limit", "-1").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(ctx("get", "b", "--after", "-1").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(ctx("watch", "b", "--from", "-1").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(ctx("watch", "b", "--count", "x").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(ctx("snapshot", "b", "-o", "-", "--json").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(ctx("snapshot", "b", "-o", tmp.resolve("no-dir/s.snap").toString()).code()).isEqualTo(ExitCodes.NOT_FOUND);

        // load: missing file, oversize file, corrupt, divergent
        Run missing = ctx("load", "b2", tmp.resolve("missing.snap").toString());
        assertThat(missing.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(missing.err()).contains("missing.snap");
        Path huge = tmp.resolve("huge.snap");
        try (var ch = java.nio.channels.FileChannel.open(huge, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[1]), ContextLimits.SNAPSHOT_BYTES_MAX); // sparse, max + 1 bytes
        }
        Run tooBig = ctx("load", "b2", huge.toString());
        assertThat(tooBig.code()).as(tooBig.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(tooBig.err()).contains("SNAPSHOT_BYTES_MAX");
        byte[] bytes = Files.readAllBytes(snap);
        bytes[bytes.length / 2] ^= 1;
        Path bad = tmp.resolve("bad.snap");
        Files.write(bad, bytes);
        Run corrupt = ctx("load", "b2", bad.toString());
        assertThat(corrupt.code()).as(corrupt.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(corrupt.err()).contains("INVALID_ARGUMENT").contains("snapshot check failed");
        append("div", "other");
        Run divergent = ctx("load", "div", snap.toString());
        assertThat(divergent.code()).as(divergent.toString()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(divergent.err()).contains("FAILED_PRECONDITION");

        assertThat(latest("b")).isEqualTo(1);
        assertThat(latest("b2")).isZero();
        assertThat(latest("div")).isEqualTo(1);
        assertThat(latest("big")).isEqualTo(1);
    }

    @Test
    void shouldTalkTlsWithTheGivenCaAndFailClearlyWithoutIt() throws Exception {
        Path cert = tmp.resolve("cert.pem");
        Path key = tmp.resolve("key.pem");
        Process p;
        try {
            p = new ProcessBuilder(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(),
                    "-out", cert.toString(), "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"))
                    .redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            Assumptions.abort("openssl is not installed: " + e.getMessage());
            return;
        }
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        Assumptions.assumeTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "openssl could not make a certificate");
        start(c -> c.withTls(cert, key));
        Run ok = append("tls", "x", "--ca", cert.toString());
        assertThat(ok.code()).as(ok.toString()).isZero();
        Run plain = append("tls", "y", "--timeout", "3000");
        assertThat(plain.code()).as(plain.toString()).isEqualTo(ExitCodes.IO);
        assertThat(plain.err()).contains("UNAVAILABLE").contains("--tls/--ca");
        Run untrusted = append("tls", "z", "--tls", "--timeout", "3000");
        assertThat(untrusted.code()).as(untrusted.toString()).isEqualTo(ExitCodes.IO);
        Map<String, String> env = new HashMap<>();
        Run get = ctx(env, new byte[0], "get", "tls", "--ca", cert.toString(), "--json");
        assertThat(json(get.out()).get("latest_sequence").asLong()).isEqualTo(1);
    }

    @Test
    void shouldPrintUsageForContextAlone() {
        Run r = Run.raw(Map.of(), new byte[0], "context");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("append").contains("watch");
        Run help = Run.raw(Map.of(), new byte[0], "context", "append", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("--server").contains("QUIRE_SERVER").contains("--timeout").contains("Examples");
    }
}
