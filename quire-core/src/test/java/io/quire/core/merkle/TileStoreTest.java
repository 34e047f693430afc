package io.quire.core.merkle;

import io.quire.core.Hash;
import io.quire.core.ProgressListener;
import io.quire.core.QuireException;
import io.quire.core.VerifyReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tile and mapping boundaries, reopen, truncate, crash repair and verifyAgainst. */
class TileStoreTest {
    /** Sizes at tile (256) and mapping-chunk (65536) boundaries at level 0 and above. */
    static final long[] BOUNDARY_SIZES = {1, 2, 3, 255, 256, 257, 511, 512, 513, 65535, 65536, 65537, 131071, 131072, 131073};
    static final int BIG = 131073 + 1000;

    @TempDir Path tmp;

    /** Roots of every prefix, computed in memory in one pass (compact range of RFC 6962 §2.1). */
    static Hash[] referenceRoots(List<Hash> entries, long[] sizes) {
        Hash[] out = new Hash[sizes.length];
        for (int s = 0; s < sizes.length; s++) out[s] = MerkleMath.rootOf(entries.subList(0, (int) sizes[s]));
        return out;
    }

    @Test
    void shouldMatchInMemoryRootsAndProofsAtTileAndChunkBoundaries() {
        TestSeeds.withSeed(TestSeeds.seed(), seed -> {
            // Invariants checked: stored roots equal MTH at every boundary size, whatever the flush
            // points (random, seeded); proofs across boundaries verify; reopen sees the same tree.
            Random rnd = new Random(seed);
            List<Hash> entries = TestSeeds.entries(BIG);
            Hash[] want = referenceRoots(entries, BOUNDARY_SIZES);
            Path dir = tmp.resolve("merkle");
            try (TileStore store = TileStore.open(dir)) {
                for (int i = 0; i < BIG; i++) {
                    store.append(entries.get(i));
                    if (rnd.nextInt(1000) == 0) store.flush();
                }
                store.flush();
                checkBoundaries(store, entries, want);
                assertThat(store.tiles()).isEqualTo(expectedTiles(BIG));
            }
            try (TileStore store = TileStore.open(dir)) {
                assertThat(store.repairs()).isEmpty();
                assertThat(store.size()).isEqualTo(BIG);
                checkBoundaries(store, entries, want);
                assertThat(store.verifyAgainst(i -> entries.get((int) i), BIG, ProgressListener.NONE)).isEmpty();
            }
            for (int k = 0; k < TileStore.LEVELS_MAX; k++) {
                Path p = dir.resolve(String.format("level-%02d.hashes", k));
                long count = (long) BIG >>> k;
                if (count == 0) assertThat(p).doesNotExist();
                else assertThat(Files.size(p)).as("%s", p).isEqualTo(count * TileStore.HASH_BYTES);
            }
        });
    }

    private static long expectedTiles(long n) {
        long t = 0;
        for (int k = 0; (n >>> k) > 0; k++) t += ((n >>> k) + 255) / 256;
        return t;
    }

    private static void checkBoundaries(TileStore store, List<Hash> entries, Hash[] want) {
        for (int s = 0; s < BOUNDARY_SIZES.length; s++) {
            long n = BOUNDARY_SIZES[s];
            assertThat(store.root(n)).as("root at %d", n).isEqualTo(want[s]);
            for (long i : new long[] {0, n / 2, Math.max(0, n - 257), Math.max(0, n - 256), Math.max(0, n - 2), n - 1}) {
                assertThat(MerkleMath.verifyInclusion(store.proveInclusion(i, n, entries.get((int) i)), want[s])).as("leaf %d of %d", i, n).isTrue();
            }
            for (int o = 0; o <= s; o++) {
                long m = BOUNDARY_SIZES[o];
                assertThat(MerkleMath.verifyConsistency(store.proveConsistency(m, n), want[o], want[s])).as("%d -> %d", m, n).isTrue();
            }
        }
    }

    @Test
    void shouldGiveIdenticalRootsAfterTruncateAndReappend() {
        TestSeeds.withSeed(TestSeeds.seed(), seed -> {
            // Invariants checked: truncate(k) then re-appending entries k.. restores every root; the
            // files end up byte-identical in length; the roots below k never change.
            Random rnd = new Random(seed);
            int n = 70_000;
            List<Hash> entries = TestSeeds.entries(n);
            long[] probes = {0, 1, 255, 256, 257, 1000, 65535, 65536, 65537, n - 1, n};
            try (TileStore store = TileStore.open(tmp.resolve("merkle"))) {
                for (Hash e : entries) store.append(e);
                store.flush();
                Hash[] before = new Hash[probes.length];
                for (int i = 0; i < probes.length; i++) before[i] = store.root(probes[i]);
                List<Long> cuts = new ArrayList<>(List.of(0L, 1L, 256L, 257L, 65536L, 65537L, (long) n - 1, (long) n));
                for (int i = 0; i < 4; i++) cuts.add((long) rnd.nextInt(n + 1));
                for (long cut : cuts) {
                    store.truncate(cut);
                    assertThat(store.size()).isEqualTo(cut);
                    for (int i = 0; i < probes.length && probes[i] <= cut; i++) assertThat(store.root(probes[i])).isEqualTo(before[i]);
                    assertThatThrownBy(() -> store.root(cut + 1)).isInstanceOf(QuireException.class).hasMessageContaining("the tree holds " + cut);
                    for (long i = cut; i < n; i++) store.append(entries.get((int) i));
                    store.flush();
                    for (int i = 0; i < probes.length; i++) assertThat(store.root(probes[i])).as("root %d after cut %d", probes[i], cut).isEqualTo(before[i]);
                }
                assertThat(store.verifyAgainst(i -> entries.get((int) i), n, ProgressListener.NONE)).isEmpty();
            }
        });
    }

    @Test
    void shouldSeeOnlyFlushedSizes() {
        try (TileStore store = TileStore.open(tmp.resolve("merkle"))) {
            store.append(TestSeeds.entry(0));
            assertThat(store.size()).isZero();
            assertThat(store.appendedSize()).isEqualTo(1);
            assertThatThrownBy(() -> store.root(1)).isInstanceOf(QuireException.class);
            store.flush();
            assertThat(store.size()).isEqualTo(1);
            assertThat(store.root(1)).isEqualTo(MerkleMath.leafHash(TestSeeds.entry(0)));
            assertThat(store.leaf(0)).isEqualTo(MerkleMath.leafHash(TestSeeds.entry(0)));
        }
    }

    @Test
    void shouldSpillUnflushedHashesToDiskWithoutPublishingThem() throws IOException {
        int n = TileStore.PENDING_BYTES_MAX / (2 * TileStore.HASH_BYTES) + 1000; // about 2 hashes per leaf
        List<Hash> entries = TestSeeds.entries(n);
        Path dir = tmp.resolve("merkle");
        try (TileStore store = TileStore.open(dir)) {
            for (Hash e : entries) store.append(e);
            assertThat(store.size()).as("nothing flushed").isZero();
            assertThat(Files.size(dir.resolve("level-00.hashes"))).as("spilled").isPositive();
            assertThat(store.verifyAgainst(i -> entries.get((int) i), 0, ProgressListener.NONE)).isEmpty();
            store.flush();
            assertThat(store.size()).isEqualTo(n);
            assertThat(store.root(n)).isEqualTo(MerkleMath.rootOf(entries));
            assertThat(store.verifyAgainst(i -> entries.get((int) i), n, ProgressListener.NONE)).isEmpty();
        }
    }

    @Test
    void shouldRefuseBadArgumentsWithClearMessages() {
        try (TileStore store = grown(tmp.resolve("merkle"), 10)) {
            assertThatThrownBy(() -> store.proveInclusion(10, 10, TestSeeds.entry(10))).isInstanceOf(QuireException.class).hasMessageContaining("not in the tree of 10");
            assertThatThrownBy(() -> store.proveInclusion(0, 11, TestSeeds.entry(0))).isInstanceOf(QuireException.class).hasMessageContaining("holds 10 leaves");
            assertThatThrownBy(() -> store.proveConsistency(5, 4)).isInstanceOf(QuireException.class).hasMessageContaining("old size <= new size");
            assertThatThrownBy(() -> store.leaf(-1)).isInstanceOf(QuireException.class);
            assertThatThrownBy(() -> store.truncate(11)).isInstanceOf(QuireException.class);
            assertThatThrownBy(() -> store.proveInclusion(3, 10, TestSeeds.entry(4)))
                    .isInstanceOfSatisfying(QuireException.class, e -> {
                        assertThat(e.kind()).isEqualTo(io.quire.core.ErrorKind.INTEGRITY);
                        assertThat(e.where().file()).endsWith("level-00.hashes");
                        assertThat(e.where().offset()).isEqualTo(3 * 32);
                    });
        }
    }

    @Test
    void shouldReportAFlippedByteInEveryLevelNamingFileAndOffset() throws IOException {
        int n = 1000;
        List<Hash> entries = TestSeeds.entries(n);
        Path dir = tmp.resolve("merkle");
        grown(dir, n).close();
        for (int level = 0; level <= 9; level++) {
            long count = n >>> level;
            for (long index : new long[] {0, count / 2, count - 1}) {
                Path file = dir.resolve(String.format("level-%02d.hashes", level));
                long offset = index * 32 + (index % 32);
                flipByte(file, offset);
                try (TileStore store = TileStore.open(dir)) {
                    List<VerifyReport.Failure> f = store.verifyAgainst(i -> entries.get((int) i), n, ProgressListener.NONE);
                    assertThat(f).as("level %d index %d", level, index).hasSize(1);
                    assertThat(f.getFirst().region()).isEqualTo("tile");
                    assertThat(f.getFirst().where().file()).isEqualTo(file.toString());
                    assertThat(f.getFirst().where().offset()).isEqualTo(index * 32);
                    assertThat(f.getFirst().message()).contains("level " + level + " index " + index);
                }
                flipByte(file, offset);
            }
        }
        try (TileStore store = TileStore.open(dir)) {
            assertThat(store.verifyAgainst(i -> entries.get((int) i), n, ProgressListener.NONE)).isEmpty();
        }
    }

    @Test
    void shouldReportDamageMadeWhileOpenAndLengthsInconsistentWithSize() throws IOException {
        int n = 600;
        List<Hash> entries = TestSeeds.entries(n);
        Path dir = tmp.resolve("merkle");
        try (TileStore store = grown(dir, n)) {
            Path l0 = dir.resolve("level-00.hashes");
            flipByte(l0, 300 * 32 + 5); // in the heap-cached partial chunk: verify must read the disk
            Path l2 = dir.resolve("level-02.hashes");
            try (FileChannel ch = FileChannel.open(l2, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                ch.write(ByteBuffer.wrap(new byte[32]));
            }
            Files.delete(dir.resolve("level-05.hashes"));
            List<VerifyReport.Failure> f = store.verifyAgainst(i -> entries.get((int) i), n, ProgressListener.NONE);
            assertThat(f).extracting(VerifyReport.Failure::toString).anySatisfy(s -> assertThat(s).contains("level 0 index 300").contains("offset=9600"));
            assertThat(f).extracting(VerifyReport.Failure::toString).anySatisfy(s -> assertThat(s).contains("level-02.hashes").contains("4832 bytes; 4800 expected"));
            assertThat(f).extracting(VerifyReport.Failure::toString).anySatisfy(s -> assertThat(s).contains("level-05.hashes").contains("missing"));
            assertThat(f).hasSize(3);
            assertThat(store.verifyAgainst(i -> entries.get((int) i), n + 1, ProgressListener.NONE))
                    .extracting(VerifyReport.Failure::message).contains("the tree holds 600 leaves but the log holds 601");
        }
    }

    @Test
    void shouldRepairWhatACrashMidFlushLeavesOnOpen() throws IOException {
        int n = 1000;
        List<Hash> entries = TestSeeds.entries(n);
        Path dir = tmp.resolve("merkle");
        grown(dir, n).close();
        Hash root = MerkleMath.rootOf(entries);
        // Torn last leaf, a level that missed its last write, one that got ahead, and a stray level.
        try (FileChannel ch = FileChannel.open(dir.resolve("level-00.hashes"), StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(new byte[17]));
        }
        try (FileChannel ch = FileChannel.open(dir.resolve("level-01.hashes"), StandardOpenOption.WRITE)) {
            ch.truncate(400 * 32);
        }
        Files.delete(dir.resolve("level-03.hashes"));
        try (FileChannel ch = FileChannel.open(dir.resolve("level-04.hashes"), StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(new byte[64]));
        }
        Files.write(dir.resolve("level-20.hashes"), new byte[32]);
        try (TileStore store = TileStore.open(dir)) {
            assertThat(store.repairs()).hasSize(5).anySatisfy(r -> assertThat(r).contains("level-00.hashes was 32017 bytes"))
                    .anySatisfy(r -> assertThat(r).contains("level-01.hashes held 400 hashes, 500 expected"))
                    .anySatisfy(r -> assertThat(r).contains("level-03.hashes held 0 hashes, 125 expected"))
                    .anySatisfy(r -> assertThat(r).contains("level-04.hashes was 2048 bytes; cut to 1984"))
                    .anySatisfy(r -> assertThat(r).contains("level-20.hashes was 32 bytes; deleted"));
            assertThat(store.size()).isEqualTo(n);
            assertThat(store.root(n)).isEqualTo(root);
            assertThat(store.verifyAgainst(i -> entries.get((int) i), n, ProgressListener.NONE)).isEmpty();
        }
        try (TileStore store = TileStore.open(dir)) {
            assertThat(store.repairs()).isEmpty();
        }
    }

    @Test
    void shouldReopenEmptyAndCloseIdempotently() {
        Path dir = tmp.resolve("a").resolve("merkle");
        TileStore store = TileStore.open(dir);
        assertThat(store.size()).isZero();
        assertThat(store.root(0)).isEqualTo(MerkleMath.EMPTY_ROOT);
        assertThat(store.verifyAgainst(i -> { throw new AssertionError(); }, 0, ProgressListener.NONE)).isEmpty();
        store.close();
        store.close();
        assertThatThrownBy(() -> store.root(0)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(dir).isEmptyDirectory();
    }

    static TileStore grown(Path dir, int n) {
        TileStore s = TileStore.open(dir);
        for (int i = 0; i < n; i++) s.append(TestSeeds.entry(i));
        s.force();
        return s;
    }

    static void flipByte(Path file, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.flip();
            byte v = b.get(0);
            ch.write(ByteBuffer.wrap(new byte[] {(byte) (v ^ 0x40)}), offset);
        }
    }
}
