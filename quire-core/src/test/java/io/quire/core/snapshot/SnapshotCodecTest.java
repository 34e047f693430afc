package io.quire.core.snapshot;

import io.quire.core.Entry;
import io.quire.core.ErrorKind;
import io.quire.core.Hash;
import io.quire.core.Limits;
import io.quire.core.QuireException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.quire.core.snapshot.SnapshotFixtures.CREATED_AT_NS;
import static io.quire.core.snapshot.SnapshotFixtures.SEED;
import static io.quire.core.snapshot.SnapshotFixtures.seedNote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnapshotCodecTest {
    static final Path GOLDEN = Path.of("src/test/resources/golden/snapshot/two-entries.qsnap");

    @Test
    void shouldRoundTripRandomStreamsOfEverySmallLength() {
        // Invariants checked: read(write(x)) gives back every hashed field of every entry, the
        // header fields, the checkpoint text, position -1, and a root equal to an independent
        // RFC 6962 computation.
        Random rnd = new Random(SEED);
        for (int n = 0; n <= 33; n++) {
            String stream = "ctx/round-trip-" + n;
            List<Entry> entries = SnapshotFixtures.randomEntries(stream, n, rnd);
            byte[] checkpoint = ("checkpoint " + n).getBytes(StandardCharsets.UTF_8);

            Snapshot s = SnapshotCodec.read(new ByteArrayInputStream(SnapshotFixtures.write(stream, entries, checkpoint)));

            assertThat(s.formatVersion()).isEqualTo(SnapshotCodec.FORMAT_VERSION);
            assertThat(s.stream()).isEqualTo(stream);
            assertThat(s.createdAtNs()).isEqualTo(CREATED_AT_NS);
            assertThat(s.checkpointText()).isEqualTo(checkpoint);
            assertThat(s.entries()).as(seedNote() + " n=" + n).hasSize(n);
            for (int i = 0; i < n; i++) {
                Entry in = entries.get(i), out = s.entries().get(i);
                assertThat(out.sameContent(in)).as(seedNote() + " n=" + n + " entry " + i).isTrue();
                assertThat(out.hash()).isEqualTo(in.hash());
                assertThat(out.position()).isEqualTo(-1);
            }
            assertThat(s.streamRoot()).as(seedNote() + " n=" + n)
                    .isEqualTo(SnapshotFixtures.rfc6962Root(entries.stream().map(Entry::hash).toList()));
        }
    }

    @Test
    void shouldUseTheRfc6962EmptyAndSingleLeafRoots() {
        Snapshot empty = SnapshotCodec.read(new ByteArrayInputStream(SnapshotFixtures.write("s", List.of(), new byte[0])));
        // RFC 6962 §2.1: MTH({}) = SHA-256() of the empty string.
        assertThat(empty.streamRoot().hex()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

        List<Entry> one = SnapshotFixtures.randomEntries("s", 1, new Random(SEED));
        Snapshot single = SnapshotCodec.read(new ByteArrayInputStream(SnapshotFixtures.write("s", one, new byte[0])));
        byte[] leaf = new byte[33];
        one.getFirst().hash().copyTo(leaf, 1);
        assertThat(single.streamRoot()).isEqualTo(Hash.sha256(leaf));
    }

    @Test
    void shouldMatchTheIndependentEncoderOfTheDocumentedLayout() {
        List<Entry> entries = SnapshotFixtures.goldenEntries();
        String stream = entries.getFirst().stream();
        SnapshotFixtures.Raw raw = new SnapshotFixtures.Raw().header(stream, entries.size());
        entries.forEach(raw::entry);
        raw.hash(SnapshotFixtures.rfc6962Root(entries.stream().map(Entry::hash).toList())).str(SnapshotFixtures.GOLDEN_CHECKPOINT);

        assertThat(SnapshotFixtures.write(stream, entries, SnapshotFixtures.GOLDEN_CHECKPOINT)).isEqualTo(raw.sealed());
    }

    @Test
    void shouldDecodeTheGoldenFileAndReEncodeItByteForByte() throws IOException {
        // Regenerate only on purpose (a format change): -Dquire.golden.write=true
        if (Boolean.getBoolean("quire.golden.write")) {
            List<Entry> e = SnapshotFixtures.goldenEntries();
            Files.createDirectories(GOLDEN.getParent());
            Files.write(GOLDEN, SnapshotFixtures.write(e.getFirst().stream(), e, SnapshotFixtures.GOLDEN_CHECKPOINT));
        }
        byte[] golden = Files.readAllBytes(GOLDEN);

        Snapshot s = SnapshotCodec.read(new ByteArrayInputStream(golden));

        List<Entry> expected = SnapshotFixtures.goldenEntries();
        assertThat(s.stream()).isEqualTo("ctx/golden-é");
        assertThat(s.createdAtNs()).isEqualTo(CREATED_AT_NS);
        assertThat(s.checkpointText()).isEqualTo(SnapshotFixtures.GOLDEN_CHECKPOINT);
        assertThat(s.entries()).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat(s.entries().get(i).sameContent(expected.get(i))).isTrue();
            assertThat(s.entries().get(i).hash()).isEqualTo(expected.get(i).hash());
        }
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        SnapshotCodec.write(again, s.stream(), s.entries(), s.checkpointText(), s.createdAtNs());
        assertThat(again.toByteArray()).isEqualTo(golden);
    }

    @Test
    void shouldStampTheCurrentTimeWhenNoneIsGiven() {
        long before = System.currentTimeMillis() * 1_000_000L;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SnapshotCodec.write(out, "s", List.of(), new byte[0]);
        long created = SnapshotCodec.read(new ByteArrayInputStream(out.toByteArray())).createdAtNs();
        assertThat(created).isBetween(before, System.currentTimeMillis() * 1_000_000L + 1_000_000L);
    }

    @Test
    void shouldAcceptTheByteLimitAtTheExactSizeAndRefuseOneByteLess() {
        List<Entry> entries = SnapshotFixtures.randomEntries("s", 3, new Random(SEED));
        byte[] bytes = SnapshotFixtures.write("s", entries, new byte[0]);

        assertThat(SnapshotCodec.read(new ByteArrayInputStream(bytes), new SnapshotLimits(bytes.length, 3)).entries()).hasSize(3);
        assertCheck(() -> SnapshotCodec.read(new ByteArrayInputStream(bytes), new SnapshotLimits(bytes.length - 1, 3)), "limit");
        assertThat(SnapshotCodec.encodedBytes("s", entries, new byte[0])).isEqualTo(bytes.length);
    }

    @Test
    void shouldAcceptTheEntryLimitAtMaxAndRefuseMaxPlusOne() {
        List<Entry> entries = SnapshotFixtures.randomEntries("s", 5, new Random(SEED));
        byte[] bytes = SnapshotFixtures.write("s", entries, new byte[0]);

        assertThat(SnapshotCodec.read(new ByteArrayInputStream(bytes), new SnapshotLimits(bytes.length, 5)).entries()).hasSize(5);
        assertCheck(() -> SnapshotCodec.read(new ByteArrayInputStream(bytes), new SnapshotLimits(bytes.length, 4)), "limit");
    }

    @Test
    void shouldHaveTheDocumentedDefaultLimits() {
        assertThat(SnapshotLimits.SNAPSHOT_BYTES_MAX).isEqualTo(2L * 1024 * 1024 * 1024);
        assertThat(SnapshotLimits.DEFAULTS).isEqualTo(new SnapshotLimits(SnapshotLimits.SNAPSHOT_BYTES_MAX, SnapshotLimits.SNAPSHOT_ENTRIES_MAX));
        assertThatThrownBy(() -> new SnapshotLimits(SnapshotLimits.SNAPSHOT_BYTES_MAX + 1, 1)).isInstanceOf(QuireException.class);
        assertThatThrownBy(() -> new SnapshotLimits(1, SnapshotLimits.SNAPSHOT_ENTRIES_MAX + 1)).isInstanceOf(QuireException.class);
    }

    @Test
    void shouldRefuseAHugeClaimedCountWithoutAllocatingForIt() {
        byte[] claimsMax = new SnapshotFixtures.Raw().header("s", SnapshotLimits.SNAPSHOT_ENTRIES_MAX).withoutTrailer();
        assertCheck(() -> SnapshotCodec.read(new ByteArrayInputStream(claimsMax)), "truncated");
        byte[] claimsTooMany = new SnapshotFixtures.Raw().header("s", SnapshotLimits.SNAPSHOT_ENTRIES_MAX + 1).withoutTrailer();
        assertCheck(() -> SnapshotCodec.read(new ByteArrayInputStream(claimsTooMany)), "limit");
        byte[] claimsNegative = new SnapshotFixtures.Raw().header("s", -1L).withoutTrailer();
        assertCheck(() -> SnapshotCodec.read(new ByteArrayInputStream(claimsNegative)), "limit");
    }

    @Test
    void shouldCheckEveryFieldLengthAgainstItsLimitBeforeAllocating() {
        Entry e = SnapshotFixtures.randomEntries("s", 1, new Random(SEED)).getFirst();
        // A payload length of PAYLOAD_BYTES_MAX + 1 with nothing behind it: LIMIT, not truncated.
        SnapshotFixtures.Raw raw = new SnapshotFixtures.Raw().header("s", 1).u64(1).str("id").str("").u64(0).u32(0)
                .u32(Limits.PAYLOAD_BYTES_MAX + 1L);
        assertCheck(() -> SnapshotCodec.read(new ByteArrayInputStream(raw.withoutTrailer())), "limit");
        SnapshotFixtures.Raw hugeId = new SnapshotFixtures.Raw().header("s", 1).u64(1).u32(0xFFFF_FFFFL);
        assertCheck(() -> SnapshotCodec.read(new ByteArrayInputStream(hugeId.withoutTrailer())), "limit");
        SnapshotFixtures.Raw emptyId = new SnapshotFixtures.Raw().header("s", 1).u64(1).str("");
        assertCheck(() -> SnapshotCodec.read(new ByteArrayInputStream(emptyId.withoutTrailer())), "limit");
        SnapshotFixtures.Raw manyMetadata = new SnapshotFixtures.Raw().header("s", 1).u64(1).str("id").str("").u64(0)
                .u32(Limits.METADATA_ENTRIES_MAX + 1L);
        assertCheck(() -> SnapshotCodec.read(new ByteArrayInputStream(manyMetadata.withoutTrailer())), "limit");
        SnapshotFixtures.Raw longName = new SnapshotFixtures.Raw().header("x".repeat(Limits.STREAM_NAME_BYTES_MAX + 1), 0);
        assertCheck(() -> SnapshotCodec.read(new ByteArrayInputStream(longName.withoutTrailer())), "limit");
        assertThat(e).isNotNull();
    }

    @Test
    void shouldReportReadFailuresOfTheInputAsIo() {
        InputStream failing = new InputStream() {
            @Override public int read() throws IOException { throw new IOException("disk gone"); }
        };
        assertThatThrownBy(() -> SnapshotCodec.read(failing))
                .isInstanceOfSatisfying(QuireException.class, x -> assertThat(x.kind()).isEqualTo(ErrorKind.IO));
    }

    @Test
    void shouldRefuseToWriteWhatReadWouldRefuseAndWriteNothing() {
        List<Entry> good = SnapshotFixtures.randomEntries("s", 3, new Random(SEED));
        List<Entry> gap = new ArrayList<>(good);
        gap.remove(1);
        List<Entry> wrongStream = SnapshotFixtures.randomEntries("t", 3, new Random(SEED));
        List<Entry> fromSeqTwo = good.subList(1, 3);

        assertWriteRefused("s", gap, new byte[0], "sequence");
        assertWriteRefused("s", fromSeqTwo, new byte[0], "sequence");
        assertWriteRefused("s", wrongStream, new byte[0], "stream-name");
        assertWriteRefused("", List.of(), new byte[0], "stream-name");
        assertWriteRefused("a\0b", List.of(), new byte[0], "stream-name");
        assertWriteRefused("s", List.of(good.getFirst().withHash(Hash.ZERO)), new byte[0], "entry-hash");
        assertWriteRefused("s", good, new byte[SnapshotLimits.CHECKPOINT_TEXT_BYTES_MAX + 1], "limit");
        Entry bigPayload = SnapshotFixtures.chain(List.of(SnapshotFixtures.entry("s", 1, "id", "", 0, Map.of(),
                new byte[Limits.PAYLOAD_BYTES_MAX + 1]))).getFirst();
        assertWriteRefused("s", List.of(bigPayload), new byte[0], "limit");
        // And the limits themselves are accepted at max.
        assertThat(SnapshotFixtures.write("s", good, new byte[SnapshotLimits.CHECKPOINT_TEXT_BYTES_MAX])).isNotEmpty();
    }

    private static void assertWriteRefused(String stream, List<Entry> entries, byte[] checkpoint, String check) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertCheck(() -> SnapshotCodec.write(out, stream, entries, checkpoint, CREATED_AT_NS), check);
        assertThat(out.size()).as("bytes written before refusing").isZero();
    }

    static void assertCheck(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String check) {
        assertThatThrownBy(call).as(seedNote()).isInstanceOfSatisfying(QuireException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
            assertThat(e.getMessage()).startsWith(SnapshotCheck.PREFIX + check + ": ");
        });
    }
}
