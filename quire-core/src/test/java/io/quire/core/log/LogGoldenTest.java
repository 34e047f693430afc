package io.quire.core.log;

import io.quire.core.Entry;
import io.quire.core.EntryHasher;
import io.quire.core.Hash;
import io.quire.core.index.Catalog;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden files for the log segment and the seal record (docs/FORMAT.md): fixed entries encoded
 * with FrameLayout must equal the checked-in bytes, and decoding those bytes must give the same
 * entries back, so a change to any byte of the format fails here. Regenerate only on purpose with
 * {@code -Dquire.golden.write=true} (and bump the format version).
 */
class LogGoldenTest {
    static final Path DIR = Path.of("src/test/resources/golden/log");

    static List<Entry> entries() {
        List<Entry> l = new ArrayList<>();
        Hash prev = Hash.ZERO;
        for (int i = 1; i <= 2; i++) {
            Map<String, String> meta = new TreeMap<>();
            if (i == 2) { meta.put("b", "2"); meta.put("a", "ü"); }
            Entry e = new Entry("orders", i, i - 1, "id-" + i, i == 1 ? "facts" : "", 1_700_000_000_000_000_000L + i,
                    Entry.sortedCopy(meta), ("payload " + i).getBytes(StandardCharsets.UTF_8), prev, Hash.ZERO);
            e = e.withHash(EntryHasher.hash(e));
            l.add(e);
            prev = e.hash();
        }
        return l;
    }

    static byte[] encodeSegment(List<Entry> es) {
        ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.BIG_ENDIAN);
        b.put(FrameLayout.segmentHeader(0));
        int batchStart = b.position();
        byte[] name = "orders".getBytes(StandardCharsets.UTF_8);
        FrameLayout.putStream(b, 0, name);
        for (Entry e : es) {
            FrameLayout.putEntry(b, 0, e, e.id().getBytes(StandardCharsets.UTF_8), e.key().getBytes(StandardCharsets.UTF_8),
                    FrameLayout.metadataBlock(e.metadata()));
        }
        FrameLayout.putCommit(b, batchStart, batchStart, es.size(), 0, 1_700_000_000_123_456_789L);
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    @Test
    void shouldEncodeAndDecodeTheGoldenSegmentByteForByte() throws IOException {
        byte[] encoded = encodeSegment(entries());
        Path golden = DIR.resolve("segment-v1.seg");
        if (Boolean.getBoolean("quire.golden.write")) Files.write(golden, encoded);
        byte[] expected = Files.readAllBytes(golden);
        assertThat(encoded).as("FrameLayout output vs golden segment").isEqualTo(expected);

        ByteBuffer b = ByteBuffer.wrap(expected).order(ByteOrder.BIG_ENDIAN);
        assertThat(FrameLayout.checkSegmentHeader(b, "golden")).isZero();
        List<Entry> decoded = new ArrayList<>();
        List<String> streams = new ArrayList<>();
        SegmentScanner.Result r = SegmentScanner.scan(b, FrameLayout.SEGMENT_HEADER_BYTES, 0, new SegmentScanner.Visitor() {
            @Override public void stream(ByteBuffer bb, int off, int len) { streams.add(FrameLayout.streamFrameName(bb, off)); }

            @Override public void entry(ByteBuffer bb, int off, int len) { decoded.add(FrameLayout.decodeEntry(bb, off, "orders", "golden")); }
        });
        assertThat(r.outcome()).isEqualTo(SegmentScanner.Outcome.CLEAN);
        assertThat(streams).containsExactly("orders");
        assertThat(decoded).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat(decoded.get(i).sameContent(entries().get(i))).isTrue();
            assertThat(decoded.get(i).hash()).isEqualTo(entries().get(i).hash());
            assertThat(decoded.get(i).hashMatches()).isTrue();
        }
        assertThat(encodeSegment(decoded)).isEqualTo(expected);
        // The entry hash itself is pinned too: the canonical encoding must never drift.
        if (Boolean.getBoolean("quire.golden.write")) Files.writeString(DIR.resolve("entry1.hash"), entries().get(0).hash().hex() + "\n");
        assertThat(entries().get(0).hash().hex()).isEqualTo(Files.readString(DIR.resolve("entry1.hash")).strip());
        // Two independent encoders of the canonical form (the hot-path one and the byte-by-byte
        // one used for docs) must agree.
        for (Entry e : entries()) assertThat(Hash.sha256(EntryHasher.canonicalBytes(e))).isEqualTo(e.hash());
    }

    @Test
    void shouldEncodeAndDecodeTheGoldenCatalogByteForByte() throws IOException {
        Catalog c = new Catalog(true, 2, 0, 321, List.of(new Catalog.StreamRecord(0, "orders", 2, 1, entries().get(1).hash())));
        Path golden = DIR.resolve("catalog-v1.bin");
        if (Boolean.getBoolean("quire.golden.write")) Files.write(golden, c.encode());
        assertThat(c.encode()).isEqualTo(Files.readAllBytes(golden));
        Catalog back = Catalog.read(golden).orElseThrow();
        assertThat(back).isEqualTo(c);
        assertThat(back.encode()).isEqualTo(Files.readAllBytes(golden));
    }
}
