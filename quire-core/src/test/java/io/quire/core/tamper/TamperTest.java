package io.quire.core.tamper;

import io.quire.core.Draft;
import io.quire.core.Entry;
import io.quire.core.ErrorKind;
import io.quire.core.Hash;
import io.quire.core.Ledger;
import io.quire.core.ProgressListener;
import io.quire.core.QuireException;
import io.quire.core.VerifyReport;
import io.quire.core.crash.LogMap;
import io.quire.core.crash.LogMap.Frame;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flips bytes in every region of a closed ledger and expects the damage to be named: by open
 * (INTEGRITY naming the file, for log damage in the region open re-scans) or by
 * {@code verify(all)} (a failure whose region names the kind and whose Where names the file and,
 * where it applies, the offset, stream and seq). A clean close seals the whole log, so open trusts
 * it and verify is the detector unless the catalog is deleted.
 *
 * <p>Invariants checked: no single flipped byte in the log, the indexes, the Merkle levels, a
 * blob or the checkpoint goes unnoticed; a forged payload or prev hash with every CRC recomputed
 * is still caught by the entry hash / chain check.
 */
class TamperTest {
    /** The entry every log tamper hits: stream "a", seq > 1, in the middle of the log. */
    static final long TARGET = 7;

    @TempDir Path dir;
    private final List<Entry> entries = new ArrayList<>();
    private Hash blob;
    private Path seg;

    @BeforeEach
    void build() {
        Ledger.init(dir);
        Random rnd = new Random(42);
        try (Ledger l = Ledger.open(dir)) {
            for (int b = 0; b < 5; b++) {
                List<Draft> ds = new ArrayList<>();
                for (int i = 0; i < 3; i++) ds.add(Draft.of(bytes(rnd, 50 + rnd.nextInt(200))).withKey(i == 0 ? "facts" : ""));
                entries.addAll(l.appendBatch(b % 2 == 0 ? "a" : "b", ds));
            }
            entries.add(l.append("a", Draft.of("last")));
            blob = l.blobs().put(bytes(rnd, 100_000));
            l.checkpoint();
        }
        seg = LogMap.lastSegment(dir);
        assertThat(entries.get((int) TARGET).stream()).isEqualTo("a");
        assertThat(entries.get((int) TARGET).seq()).isGreaterThan(1);
    }

    private static byte[] bytes(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    enum Region {
        FRAME_HEADER, FRAME_LENGTH, PAYLOAD, STORED_HASH, PREV_HASH, COMMIT_FRAME, SEGMENT_HEADER,
        POSITIONS_IDX, IDS_IDX, STREAM_IDX, MERKLE_LEVEL_0, MERKLE_LEVEL_1, BLOB, CHECKPOINT
    }

    @ParameterizedTest
    @EnumSource(Region.class)
    void shouldNameEveryTamperedRegion(Region region) throws IOException {
        LogMap map = LogMap.of(seg);
        Frame f = map.entryAt(TARGET);
        Entry target = entries.get((int) TARGET);
        switch (region) {
            case FRAME_HEADER -> expectLog(flip(seg, f.offset() + LogMap.E_OFF_SEQ_64 + 7), f.offset());
            case FRAME_LENGTH -> expectLog(flip(seg, f.offset() + 2), f.offset());
            case PAYLOAD -> expectLog(flip(seg, map.payloadOffset(f) + 11), f.offset());
            case STORED_HASH -> expectLog(flip(seg, f.offset() + LogMap.E_OFF_HASH_256 + 31), f.offset());
            case PREV_HASH -> expectLog(flip(seg, f.offset() + LogMap.E_OFF_PREV_HASH_256), f.offset());
            case COMMIT_FRAME -> {
                LogMap.Batch b = map.batchOf(f);
                expectLog(flip(seg, b.commit().offset() + 30), b.commit().offset());
            }
            case SEGMENT_HEADER -> expectLog(flip(seg, 3), 0);
            case POSITIONS_IDX -> expect("index", flip(dir.resolve("index/positions.idx"), TARGET * 8 + 7), TARGET * 8, target);
            case IDS_IDX -> expect("index", flip(dir.resolve("index/ids.idx"), TARGET * 8 + 2), TARGET * 8, target);
            case STREAM_IDX -> expect("index", flip(dir.resolve("index/streams/0.idx"), (target.seq() - 1) * 8 + 7), (target.seq() - 1) * 8, target);
            case MERKLE_LEVEL_0 -> expect("tile", flip(dir.resolve("merkle/level-00.hashes"), TARGET * 32 + 9), TARGET * 32, null);
            case MERKLE_LEVEL_1 -> expect("tile", flip(dir.resolve("merkle/level-01.hashes"), 32 + 31), 32, null);
            case BLOB -> expect("blob", flip(dir.resolve("blobs/sha256/" + blob.hex().substring(0, 2) + "/" + blob.hex().substring(2)), 5000), -1, null);
            case CHECKPOINT -> expect("checkpoint", flip(dir.resolve("checkpoints/latest.cp"), 40), -1, null);
        }
    }

    /** Payload changed and both CRCs (frame, batch) recomputed: only the entry hash can tell. */
    @Test
    void shouldCatchForgedPayloadWithRecomputedCrcsByEntryHash() throws IOException {
        LogMap map = LogMap.of(seg);
        Frame f = map.entryAt(TARGET);
        int p = map.payloadOffset(f) + 3;
        map.bytes.put(p, (byte) (map.bytes.get(p) ^ 0x5a));
        map.fixFrameCrc(f);
        map.fixCommitCrc(map.batchOf(f));
        map.write();
        VerifyReport.Failure hit = expect("hash", seg, f.offset(), entries.get((int) TARGET));
        assertThat(hit.message()).contains("hash");
    }

    /** prev_hash rewritten (and CRCs recomputed): the chain check names it (the hash check too). */
    @Test
    void shouldCatchForgedPrevHashWithRecomputedCrcsByChain() throws IOException {
        LogMap map = LogMap.of(seg);
        Frame f = map.entryAt(TARGET);
        for (int i = 0; i < 32; i++) map.bytes.put(f.offset() + LogMap.E_OFF_PREV_HASH_256 + i, (byte) i);
        map.fixFrameCrc(f);
        map.fixCommitCrc(map.batchOf(f));
        map.write();
        expect("chain", seg, f.offset(), entries.get((int) TARGET));
    }

    /**
     * The "perfect" forgery: the entry's payload, its hash and the next entry's prev hash all
     * rewritten consistently, every CRC fixed. The log alone is self-consistent now; the Merkle
     * tree (and the signed checkpoint over it) still commit to the old hash.
     */
    @Test
    void shouldCatchRehashedForgeryByMerkleTiles() throws IOException {
        LogMap map = LogMap.of(seg);
        Entry old = entries.get((int) TARGET);
        byte[] payload = old.payload().clone();
        payload[0] ^= 1;
        Entry forged = new Entry(old.stream(), old.seq(), old.position(), old.id(), old.key(), old.timestampNs(),
                old.metadata(), payload, old.prevHash(), Hash.ZERO);
        forged = forged.withHash(io.quire.core.EntryHasher.hash(forged));
        Frame f = map.entryAt(TARGET);
        map.bytes.put(map.payloadOffset(f), payload[0]);
        map.bytes.put(f.offset() + LogMap.E_OFF_HASH_256, forged.hash().toBytes());
        map.fixFrameCrc(f);
        map.fixCommitCrc(map.batchOf(f));
        // Re-chain every later entry of the stream, so the chain check passes too.
        Hash prev = forged.hash();
        for (Entry e : entries) {
            if (!e.stream().equals(old.stream()) || e.seq() <= old.seq()) continue;
            Entry re = e.rechain(e.stream(), prev);
            Frame g = map.entryAt(e.position());
            map.bytes.put(g.offset() + LogMap.E_OFF_PREV_HASH_256, prev.toBytes());
            map.bytes.put(g.offset() + LogMap.E_OFF_HASH_256, re.hash().toBytes());
            map.fixFrameCrc(g);
            map.fixCommitCrc(map.batchOf(g));
            prev = re.hash();
        }
        map.write();
        expect("tile", dir.resolve("merkle/level-00.hashes"), TARGET * 32, null);
    }

    /** With the catalog deleted open re-scans the whole log: its refusal is the detection. */
    @Test
    void shouldRefuseToOpenTamperedLogWhenItIsRescanned() throws IOException {
        Frame f = LogMap.of(seg).entryAt(TARGET);
        Files.delete(dir.resolve("index/catalog.bin"));
        flip(seg, f.offset() + 50);
        try (Ledger l = Ledger.open(dir)) {
            throw new AssertionError("open must refuse a damaged log it re-scans; it opened with " + l.recovery());
        } catch (QuireException e) {
            assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY);
            assertThat(e.where().file()).isEqualTo(seg.toString());
            assertThat(e.where().offset()).isEqualTo(f.offset());
        }
    }

    /** Every byte of the checkpoint file, one at a time, with the ledger open. */
    @Test
    void shouldNameEveryFlippedCheckpointByte() throws IOException {
        Path cp = dir.resolve("checkpoints/latest.cp");
        byte[] orig = Files.readAllBytes(cp);
        try (Ledger l = Ledger.open(dir)) {
            for (int i = 0; i < orig.length; i++) {
                byte[] b = orig.clone();
                b[i] ^= 0x01;
                Files.write(cp, b);
                VerifyReport r = l.verify(ProgressListener.NONE, true);
                int at = i;
                assertThat(r.failures()).as("checkpoint byte %s flipped", at).anySatisfy(x -> {
                    assertThat(x.region()).isEqualTo("checkpoint");
                    assertThat(x.where().file()).isEqualTo(cp.toString());
                });
            }
            Files.write(cp, orig);
            assertThat(l.verify(ProgressListener.NONE, true).failures()).isEmpty();
        }
    }

    // ---------------------------------------------------------------- helpers

    private static Path flip(Path file, long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x10);
        }
        return file;
    }

    /** Log damage: open refusing with INTEGRITY naming the segment, or verify naming region frame. */
    private void expectLog(Path file, long frameOffset) {
        expect("frame", file, frameOffset, null);
    }

    /**
     * Opens and verifies; returns the failure that names {@code region}, {@code file} and (when
     * ≥ 0) {@code offset}, and the target's stream and seq when {@code target} is given. An open
     * that refuses with INTEGRITY naming the file and offset is accepted as the detection.
     */
    private VerifyReport.Failure expect(String region, Path file, long offset, Entry target) {
        VerifyReport r;
        try (Ledger l = Ledger.open(dir)) {
            r = l.verify(ProgressListener.NONE, true);
        } catch (QuireException e) {
            assertThat(e.kind()).as(e.getMessage()).isEqualTo(ErrorKind.INTEGRITY);
            assertThat(e.where().file()).as(e.getMessage()).isEqualTo(file.toString());
            if (offset >= 0) assertThat(e.where().offset()).as(e.getMessage()).isEqualTo(offset);
            return new VerifyReport.Failure("open", e.reason(), e.where());
        }
        List<VerifyReport.Failure> hits = r.failures().stream()
                .filter(x -> x.region().equals(region) && file.toString().equals(x.where().file())
                        && (offset < 0 || x.where().offset() == offset)
                        && (target == null || (target.stream().equals(x.where().stream()) && target.seq() == x.where().seq())))
                .toList();
        assertThat(hits).as("a '%s' failure naming %s offset %s%s; verify reported:\n%s", region, file, offset,
                target == null ? "" : " stream " + target.stream() + " seq " + target.seq(), String.join("\n", r.failures().stream().map(Object::toString).toList()))
                .isNotEmpty();
        return hits.get(0);
    }
}
