package io.quire.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.quire.core.Ledger;
import io.quire.core.Limits;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The commands against a real ledger directory, run in-process with captured streams. */
class CliLedgerTest {

    static final Pattern APPENDED = Pattern.compile("^(\\d+) (\\d+) ([0-9a-f]{64})$");
    static final List<String> READ_JSON_FIELDS = List.of("stream", "seq", "position", "id", "key", "timestamp_ns",
            "metadata", "payload_base64", "prev_hash", "hash");

    @TempDir Path tmp;
    Path dir;

    @BeforeEach
    void init() {
        dir = tmp.resolve("ledger.state");
        Run r = Run.in(dir, "init");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains(dir.toAbsolutePath().normalize().toString()).contains("public key");
    }

    private long size() {
        try (Ledger l = Ledger.open(dir)) {
            return l.size();
        }
    }

    private static Run ok(Run r) {
        assertThat(r.code()).as(r.toString()).isZero();
        return r;
    }

    private List<JsonNode> json(Run r) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : r.lines()) nodes.add(Json.mapper().readTree(line));
        return nodes;
    }

    @Test
    void shouldRefuseInitWhenTheLedgerExists() {
        long before = size();
        Run r = Run.in(dir, "init");
        assertThat(r.code()).as(r.toString()).isEqualTo(4);
        assertThat(r.err()).startsWith("quire: ");
        assertThat(size()).isEqualTo(before);
    }

    @Test
    void shouldPrintSeqPositionHashThatMatchesReadJson() throws IOException {
        Run a1 = ok(Run.withStdin(dir, "hello", "append", "orders", "--key", "new", "--meta", "source=web", "--meta", "n=1"));
        Run a2 = ok(Run.withStdin(dir, "world", "append", "orders", "--id", "order-2"));
        Matcher m1 = APPENDED.matcher(a1.out().strip());
        Matcher m2 = APPENDED.matcher(a2.out().strip());
        assertThat(m1.matches()).as(a1.out()).isTrue();
        assertThat(m2.matches()).as(a2.out()).isTrue();
        assertThat(m1.group(1)).isEqualTo("1");
        assertThat(m2.group(1)).isEqualTo("2");

        List<JsonNode> read = json(ok(Run.in(dir, "read", "orders", "--json")));
        assertThat(read).hasSize(2);
        for (JsonNode n : read) {
            List<String> names = new ArrayList<>();
            n.fieldNames().forEachRemaining(names::add);
            assertThat(names).containsExactlyElementsOf(READ_JSON_FIELDS);
        }
        JsonNode e1 = read.get(0);
        assertThat(e1.get("stream").asText()).isEqualTo("orders");
        assertThat(e1.get("seq").asLong()).isEqualTo(1);
        assertThat(e1.get("position").asText()).isEqualTo(m1.group(2));
        assertThat(e1.get("hash").asText()).isEqualTo(m1.group(3));
        assertThat(e1.get("key").asText()).isEqualTo("new");
        assertThat(e1.get("metadata").get("source").asText()).isEqualTo("web");
        assertThat(e1.get("metadata").get("n").asText()).isEqualTo("1");
        assertThat(Base64.getDecoder().decode(e1.get("payload_base64").asText())).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
        assertThat(e1.get("prev_hash").asText()).isEqualTo("0".repeat(64));
        assertThat(e1.get("timestamp_ns").asLong()).isPositive();
        JsonNode e2 = read.get(1);
        assertThat(e2.get("id").asText()).isEqualTo("order-2");
        assertThat(e2.get("hash").asText()).isEqualTo(m2.group(3));
        assertThat(e2.get("prev_hash").asText()).isEqualTo(m1.group(3));
    }

    @Test
    void shouldPrintJsonPerEntryOnAppendWithJson() throws IOException {
        Run r = ok(Run.withStdin(dir, "a\nb\n", "append", "s", "--lines", "--json"));
        List<JsonNode> nodes = json(r);
        assertThat(nodes).hasSize(2);
        assertThat(nodes.get(1).get("seq").asLong()).isEqualTo(2);
        assertThat(nodes.get(1).get("hash").asText()).matches("[0-9a-f]{64}");
        assertThat(nodes.get(1).has("payload_base64")).isFalse();
    }

    @Test
    void shouldReadOneLinePerEntryWithTextOrBase64Payloads() {
        ok(Run.withStdin(dir, "plain text", "append", "s", "--id", "t1"));
        ok(Run.withStdin(dir, new byte[] {0, 1, 2, (byte) 0xff}, "append", "s", "--id", "b1", "--key", "bin"));
        ok(Run.withStdin(dir, "two\nlines", "append", "s", "--id", "n1"));
        List<String> lines = ok(Run.in(dir, "read", "s")).lines();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).matches("1 \\d+ t1 - plain text");
        assertThat(lines.get(1)).matches("2 \\d+ b1 bin base64:AAEC/w==");
        assertThat(lines.get(2)).isEqualTo(lines.get(2).strip()).contains("base64:");
        assertThat(ok(Run.in(dir, "read", "s", "--key", "bin")).lines()).hasSize(1);
        assertThat(ok(Run.in(dir, "read", "s", "--after", "1", "--limit", "1")).lines())
                .singleElement().asString().startsWith("2 ");
    }

    @Test
    void shouldPrintNothingForAStreamNeverWritten() {
        Run r = ok(Run.in(dir, "read", "never-written", "--json"));
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEmpty();
    }

    @Test
    void shouldReadPastOnePageWhenLimitExceedsTheReadLimit() {
        StringBuilder in = new StringBuilder();
        int n = 1500;
        for (int i = 0; i < n; i++) in.append(i).append('\n');
        ok(Run.withStdin(dir, in.toString(), "append", "many", "--lines", "--durability", "none"));
        assertThat(ok(Run.in(dir, "read", "many")).lines()).hasSize(n);
        assertThat(ok(Run.in(dir, "read", "many", "--limit", String.valueOf(Limits.READ_LIMIT_MAX + 1))).lines()).hasSize(n);
    }

    @Test
    void shouldAppendLinesWithIdsFromLinesIdempotently() {
        String input = "a1 first line\na2 second line\r\na3 third\n";
        Run first = ok(Run.withStdin(dir, input, "append", "log", "--lines", "--id-from-line"));
        assertThat(first.lines()).hasSize(3);
        assertThat(first.lines()).allMatch(l -> APPENDED.matcher(l).matches());
        assertThat(first.lines().stream().map(l -> l.split(" ")[0]).toList()).containsExactly("1", "2", "3");
        long size = size();

        Run again = ok(Run.withStdin(dir, input, "append", "log", "--lines", "--id-from-line"));
        assertThat(again.lines()).as("same seqs, positions and hashes").isEqualTo(first.lines());
        assertThat(size()).as("nothing new written").isEqualTo(size);

        Run read = ok(Run.in(dir, "read", "log"));
        assertThat(read.lines().get(1)).endsWith(" a2 - a2 second line");

        Run conflict = Run.withStdin(dir, "a1 another payload\n", "append", "log", "--lines", "--id-from-line");
        assertThat(conflict.code()).as(conflict.toString()).isEqualTo(4);
        assertThat(conflict.err()).contains("line 1");
        assertThat(size()).isEqualTo(size);
    }

    @Test
    void shouldStopAtAnInvalidLineNamingItAndKeepEarlierLines() {
        Run r = Run.withStdin(dir, "x1 ok\n   \nx3 never\n", "append", "s", "--lines", "--id-from-line");
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).startsWith("quire: line 2: ");
        assertThat(r.lines()).singleElement().asString().startsWith("1 ");
        assertThat(size()).isEqualTo(1);
        assertThat(ok(Run.in(dir, "read", "s")).lines()).singleElement().asString().contains("x1 ok");
    }

    @Test
    void shouldWriteNothingForBadInput() throws IOException {
        ok(Run.withStdin(dir, "seed", "append", "s", "--id", "seed"));
        long before = size();
        Path snap = tmp.resolve("bogus.snap");
        Files.writeString(snap, "this is not a snapshot");
        Path out = tmp.resolve("out.bin");
        byte[] tooBig = new byte[Limits.PAYLOAD_BYTES_MAX + 1];
        List<Object[]> cases = List.of(
                new Object[] {tooBig, new String[] {"append", "s"}, 1, "PAYLOAD_BYTES_MAX"},
                new Object[] {"x".getBytes(), new String[] {"append", "s", "--meta", "novalue"}, 1, "novalue"},
                new Object[] {"x".getBytes(), new String[] {"append", "s", "--id", "i".repeat(129)}, 1, "--id"},
                new Object[] {"x".getBytes(), new String[] {"append", "s", "--id", "seed"}, 4, "seed"},
                new Object[] {"x".getBytes(), new String[] {"append", "", "--lines"}, 1, "STREAM"},
                new Object[] {new byte[0], new String[] {"load", "s", snap.toString()}, -1, "snap"},
                new Object[] {new byte[0], new String[] {"load", "s", tmp.resolve("missing.snap").toString()}, 3, "missing.snap"},
                new Object[] {new byte[0], new String[] {"blob", "get", "ab".repeat(32), "-o", out.toString()}, 3, "ab".repeat(32)},
                new Object[] {new byte[0], new String[] {"blob", "put", tmp.resolve("missing.txt").toString()}, 3, "missing.txt"},
                new Object[] {new byte[0], new String[] {"snapshot", "empty-stream", "-o", out.toString()}, 3, "empty-stream"},
                new Object[] {new byte[0], new String[] {"prove", "999"}, -1, "999"},
                new Object[] {new byte[0], new String[] {"prove", "--consistency", "5", "2"}, -1, ""},
                new Object[] {new byte[0], new String[] {"restore", tmp.resolve("no-backup").toString()}, 3, "no-backup"});
        for (Object[] c : cases) {
            String[] args = (String[]) c[1];
            Run r = Run.withStdin(dir, (byte[]) c[0], args);
            int expected = (int) c[2];
            if (expected > 0) assertThat(r.code()).as(String.join(" ", args) + "\n" + r).isEqualTo(expected);
            else assertThat(r.code()).as(String.join(" ", args) + "\n" + r).isNotZero().isNotEqualTo(70);
            assertThat(r.err()).as(String.join(" ", args)).startsWith("quire: ").contains((String) c[3]).doesNotContain("\tat ");
            assertThat(size()).as("ledger size after " + String.join(" ", args)).isEqualTo(before);
            assertThat(out).as("no partial output after " + String.join(" ", args)).doesNotExist();
        }
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList()).isEmpty();
        }
    }

    @Test
    void shouldExitFiveOnAnOperatingSystemError() throws IOException {
        Path notADirectory = Files.writeString(tmp.resolve("plain-file"), "x");
        Run r = Run.in(dir, "checkpoint", "-o", notADirectory.resolve("cp.txt").toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(5);
        assertThat(r.err()).startsWith("quire: ").contains("plain-file").doesNotContain("\tat ");
    }

    @Test
    void shouldListStreams() throws IOException {
        Run a = ok(Run.withStdin(dir, "1", "append", "alpha"));
        ok(Run.withStdin(dir, "2", "append", "beta"));
        ok(Run.withStdin(dir, "3", "append", "beta"));
        List<String> lines = ok(Run.in(dir, "streams")).lines();
        assertThat(lines).hasSize(2);
        assertThat(lines).anySatisfy(l -> assertThat(l).isEqualTo("alpha 1 0 " + a.out().strip().split(" ")[2]));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("beta 2 2 [0-9a-f]{64}"));
        List<JsonNode> nodes = json(ok(Run.in(dir, "streams", "--json")));
        List<String> names = new ArrayList<>();
        nodes.getFirst().fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("name", "last_seq", "last_position", "last_hash");
    }

    @Test
    void shouldRoundTripASnapshotThroughLoad() throws IOException {
        ok(Run.withStdin(dir, "a1 one\na2 two\na3 three\n", "append", "ctx/run", "--lines", "--id-from-line", "--key", "facts"));
        Path snap = tmp.resolve("run.snap");
        ok(Run.in(dir, "snapshot", "ctx/run", "-o", snap.toString()));
        assertThat(snap).isNotEmptyFile();

        Path other = tmp.resolve("other.state");
        ok(Run.in(other, "init"));
        Run loaded = ok(Run.in(other, "load", "ctx/run", snap.toString(), "--json"));
        JsonNode n = Json.mapper().readTree(loaded.out());
        assertThat(n.get("entries_restored").asLong()).isEqualTo(3);
        assertThat(n.get("latest_seq").asLong()).isEqualTo(3);
        List<String> src = readWithoutPositions(dir, "ctx/run");
        assertThat(readWithoutPositions(other, "ctx/run")).isEqualTo(src);

        Run again = ok(Run.in(other, "load", "ctx/run", snap.toString()));
        assertThat(again.out()).contains("loaded 0 entries");
        Run refused = Run.in(other, "load", "ctx/run", snap.toString(), "--fail-if-exists");
        assertThat(refused.code()).as(refused.toString()).isEqualTo(4);
    }

    /** read --json with positions removed: the same entries in two ledgers differ only there. */
    private List<String> readWithoutPositions(Path d, String stream) throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonNode node : json(ok(Run.in(d, "read", stream, "--json")))) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) node).remove("position");
            out.add(node.toString());
        }
        return out;
    }

    @Test
    void shouldPutAndGetBlobs() throws IOException {
        Path file = tmp.resolve("schema.json");
        byte[] content = "{\"type\":\"object\"}".repeat(10_000).getBytes(StandardCharsets.UTF_8);
        Files.write(file, content);
        String digest = ok(Run.in(dir, "blob", "put", file.toString())).out().strip();
        assertThat(digest).isEqualTo(io.quire.core.Hash.sha256(content).hex());
        assertThat(ok(Run.in(dir, "blob", "put", file.toString())).out().strip()).isEqualTo(digest);
        assertThat(ok(Run.withStdin(dir, content, "blob", "put", "-")).out().strip()).isEqualTo(digest);
        Path copy = tmp.resolve("copy.json");
        ok(Run.in(dir, "blob", "get", digest, "-o", copy.toString()));
        assertThat(copy).hasBinaryContent(content);
    }

    @Test
    void shouldLeaveNoFileWhenABlobDoesNotVerify() throws IOException {
        Path file = tmp.resolve("b.txt");
        Files.writeString(file, "blob content that will be damaged");
        String digest = ok(Run.in(dir, "blob", "put", file.toString())).out().strip();
        Path stored;
        try (Stream<Path> s = Files.walk(dir.resolve("blobs"))) {
            stored = s.filter(Files::isRegularFile).filter(p -> p.toString().contains(digest.substring(2))).findFirst().orElseThrow();
        }
        byte[] b = Files.readAllBytes(stored);
        b[b.length / 2] ^= 1;
        Files.write(stored, b);
        Path copy = tmp.resolve("copy.txt");
        Run r = Run.in(dir, "blob", "get", digest, "-o", copy.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(copy).doesNotExist();
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".copy.txt")).toList()).isEmpty();
        }
    }

    @Test
    void shouldProveInclusionAndConsistencyThatVerifyOffline() throws IOException {
        ok(Run.withStdin(dir, "a\nb\nc\n", "append", "s", "--lines"));
        Path cp1 = tmp.resolve("cp1.txt");
        ok(Run.in(dir, "checkpoint", "-o", cp1.toString()));
        Path proof = tmp.resolve("proof.txt");
        ok(Run.in(dir, "prove", "1", "-o", proof.toString()));

        // Offline: a directory with no ledger at all.
        Path nowhere = tmp.resolve("no-ledger-here");
        Run v = ok(Run.in(nowhere, "verify-proof", proof.toString(), "--checkpoint", cp1.toString()));
        assertThat(v.out()).contains("valid").contains("embedded");
        assertThat(nowhere).doesNotExist();

        // Against the ledger's own public key, and refused against another ledger's key.
        Path pub = dir.resolve("keys/ledger.pub");
        Run keyed = ok(Run.in(nowhere, "verify-proof", proof.toString(), "--checkpoint", cp1.toString(), "--key", pub.toString()));
        assertThat(keyed.out()).contains("the key in " + pub).doesNotContain("embedded");
        Path stranger = tmp.resolve("stranger.state");
        ok(Run.in(stranger, "init"));
        Run wrongKey = Run.in(nowhere, "verify-proof", proof.toString(), "--checkpoint", cp1.toString(),
                "--key", stranger.resolve("keys/ledger.pub").toString());
        assertThat(wrongKey.code()).as(wrongKey.toString()).isEqualTo(2);
        assertThat(wrongKey.err()).contains("another key");

        // A proof changed in one hash digit no longer verifies.
        String text = Files.readString(proof);
        Matcher hex = Pattern.compile("[0-9a-f]{64}").matcher(text);
        assertThat(hex.find()).isTrue();
        int at = hex.start() + 10;
        String tampered = text.substring(0, at) + (text.charAt(at) == '0' ? '1' : '0') + text.substring(at + 1);
        Path bad = tmp.resolve("bad-proof.txt");
        Files.writeString(bad, tampered);
        Run invalid = Run.in(nowhere, "verify-proof", bad.toString(), "--checkpoint", cp1.toString());
        assertThat(invalid.code()).as(invalid.toString()).isEqualTo(2);
        assertThat(invalid.err()).startsWith("quire: ");

        ok(Run.withStdin(dir, "d\ne\n", "append", "s", "--lines"));
        Path cp2 = tmp.resolve("cp2.txt");
        ok(Run.in(dir, "checkpoint", "-o", cp2.toString()));
        Path cons = tmp.resolve("cons.txt");
        ok(Run.in(dir, "prove", "--consistency", "3", "5", "-o", cons.toString()));
        ok(Run.in(nowhere, "verify-proof", cons.toString(), "--old-checkpoint", cp1.toString(), "--checkpoint", cp2.toString()));
        Run swapped = Run.in(nowhere, "verify-proof", cons.toString(), "--old-checkpoint", cp2.toString(), "--checkpoint", cp1.toString());
        assertThat(swapped.code()).as(swapped.toString()).isEqualTo(2);

        // The inclusion proof for size 3 does not match the size-5 checkpoint, and says how to fix it.
        Run mismatch = Run.in(nowhere, "verify-proof", proof.toString(), "--checkpoint", cp2.toString());
        assertThat(mismatch.code()).isEqualTo(2);
        assertThat(mismatch.err()).contains("--size 5");

        JsonNode cpJson = Json.mapper().readTree(ok(Run.in(dir, "checkpoint", "--json")).out());
        assertThat(cpJson.get("size").asLong()).isEqualTo(5);
        assertThat(cpJson.get("root").asText()).matches("[0-9a-f]{64}");
        JsonNode proofJson = Json.mapper().readTree(ok(Run.in(dir, "prove", "4", "--json")).out());
        assertThat(proofJson.get("type").asText()).isEqualTo("inclusion");
        assertThat(proofJson.get("size").asLong()).isEqualTo(5);
    }

    @Test
    void shouldExitTwoNamingTheFileWhenASegmentByteIsFlipped() throws IOException {
        for (int i = 0; i < 5; i++) ok(Run.withStdin(dir, "MARKER-payload-" + i, "append", "s", "--id", "e" + i));
        Run clean = ok(Run.in(dir, "verify"));
        assertThat(clean.out()).startsWith("ok: verified 5 entries");

        Path seg;
        try (Stream<Path> s = Files.list(dir.resolve("log"))) {
            seg = s.filter(p -> p.toString().endsWith(".seg")).sorted().findFirst().orElseThrow();
        }
        byte[] b = Files.readAllBytes(seg);
        int at = indexOf(b, "MARKER-payload-1".getBytes(StandardCharsets.UTF_8));
        assertThat(at).as("payload found in " + seg).isPositive();
        b[at + 3] ^= 0x01;
        Files.write(seg, b);

        Run r = Run.in(dir, "verify");
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).startsWith("quire: ").contains(seg.getFileName().toString()).contains("offset=");
        assertThat(r.err()).doesNotContain("\tat ");
        Run asJson = Run.in(dir, "verify", "--json", "--all");
        assertThat(asJson.code()).isEqualTo(2);
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    @Test
    void shouldWatchTheBacklogAndStopAfterCount() throws IOException {
        ok(Run.withStdin(dir, "a\nb\nc\n", "append", "s", "--lines"));
        Run r = ok(Run.in(dir, "watch", "s", "--count", "2"));
        assertThat(r.lines()).hasSize(2);
        assertThat(r.lines().get(0)).startsWith("1 ");
        List<JsonNode> nodes = json(ok(Run.in(dir, "watch", "s", "--after", "1", "--count", "2", "--json")));
        assertThat(nodes.stream().map(n -> n.get("seq").asLong()).toList()).containsExactly(2L, 3L);
    }

    @Test
    void shouldRunTheDemoTwice() {
        Path fresh = tmp.resolve("demo.state");
        Run first = ok(Run.in(fresh, "demo"));
        assertThat(first.out()).contains("created a ledger").contains("verified").contains("checkpoint");
        Run second = ok(Run.in(fresh, "demo"));
        assertThat(second.out()).contains("already there");
    }

    @Test
    void shouldReportStatus() throws IOException {
        ok(Run.withStdin(dir, "x", "append", "s"));
        assertThat(ok(Run.in(dir, "status")).out()).contains("entries:    1").contains("segments:");
        JsonNode n = Json.mapper().readTree(ok(Run.in(dir, "status", "--json")).out());
        assertThat(n.get("entries").asLong()).isEqualTo(1);
        assertThat(n.get("recovery").has("torn_bytes")).isTrue();
    }

    @Test
    void shouldBackUpAndRestoreAVerifiedCopy() throws IOException {
        ok(Run.withStdin(dir, "a\nb\n", "append", "s", "--lines"));
        Path backup = tmp.resolve("backup-1");
        ok(Run.in(dir, "backup", backup.toString()));
        Path restored = tmp.resolve("restored.state");
        Run r = ok(Run.in(restored, "restore", backup.toString()));
        assertThat(r.out()).contains("verified 2 entries");
        assertThat(readWithoutPositions(restored, "s")).isEqualTo(readWithoutPositions(dir, "s"));
        Run notEmpty = Run.in(dir, "restore", backup.toString());
        assertThat(notEmpty.code()).as(notEmpty.toString()).isEqualTo(4);
    }
}
