package io.quire.core.log;

import io.quire.core.Entry;
import io.quire.core.EntryHasher;
import io.quire.core.Hash;
import io.quire.core.ProgressListener;
import io.quire.core.QuireException;
import io.quire.core.VerifyReport;
import io.quire.core.Where;
import io.quire.core.index.IdTable;
import io.quire.core.merkle.Checkpoint;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code quire verify}: checks every frame (CRC, commit frames), every entry hash and chain link,
 * every index entry, every Merkle level, every blob and the latest checkpoint, against a cut of the
 * ledger taken at a commit boundary (appends may continue meanwhile). Each failure names its
 * region and where: file, offset, stream, seq, position.
 */
final class Verifier {
    /** Failures collected before giving up even with {@code all}. */
    static final int FAILURES_MAX = 1000;

    private final LocalLedger l;
    private final List<VerifyReport.Failure> failures = new ArrayList<>();
    private boolean all;

    Verifier(LocalLedger l) { this.l = l; }

    private record Cut(List<Segments.Seg> segs, long lastLength, long size) {}

    VerifyReport run(ProgressListener progress, boolean listAll) {
        l.ensureOpen();
        this.all = listAll;
        Cut cut = l.writer.call(() -> new Cut(new ArrayList<>(l.segments.all()), l.writer.committedEnd(), l.size));
        Map<Integer, String> names = new HashMap<>();
        Map<Integer, long[]> seqs = new HashMap<>();
        Map<Integer, Hash> heads = new HashMap<>();
        long[] position = {0};
        long segmentsChecked = 0;
        for (int i = 0; i < cut.segs().size() && go(); i++) {
            Segments.Seg seg = cut.segs().get(i);
            segmentsChecked++;
            long len = i == cut.segs().size() - 1 ? cut.lastLength() : Segments.size(seg);
            ByteBuffer b = ByteBuffer.allocate((int) len);
            Segments.readFully(seg, 0, b);
            b.flip();
            long first;
            try {
                first = FrameLayout.checkSegmentHeader(b, seg.file());
            } catch (QuireException e) {
                fail("frame", e.reason(), e.where());
                continue;
            }
            if (first != seg.firstPosition() || first != position[0]) {
                fail("frame", "segment header first position " + first + " does not continue the log at " + position[0], Where.file(seg.file(), 0));
                position[0] = seg.firstPosition();
            }
            SegmentScanner.Result r = SegmentScanner.scan(b, FrameLayout.SEGMENT_HEADER_BYTES, position[0], new SegmentScanner.Visitor() {
                @Override public void stream(ByteBuffer bb, int off, int len) {
                    names.put(FrameLayout.streamFrameId(bb, off), FrameLayout.streamFrameName(bb, off));
                }

                @Override public void entry(ByteBuffer bb, int off, int flen) {
                    checkEntry(bb, off, seg, names, seqs, heads, position[0]);
                    position[0]++;
                    if ((position[0] & 0xFFF) == 0) progress.progress(position[0], cut.size(), "entries");
                }
            });
            if (r.outcome() != SegmentScanner.Outcome.CLEAN) {
                // Verify reads only up to the committed end, so anything but CLEAN is damage here,
                // never a torn write (open already truncated those).
                String what = r.outcome() == SegmentScanner.Outcome.CORRUPT ? r.reason()
                        : "damaged frame inside committed data: no valid commit frame closes the bytes from here on";
                fail("frame", what + describeFrameAt(b, (int) Math.max(r.badOffset(), 0)), Where.file(seg.file(), r.badOffset()).withPosition(position[0]));
            }
        }
        progress.progress(position[0], cut.size(), "entries");
        if (go()) checkStreamIndexes(seqs, names);
        if (go()) checkTiles(cut.size());
        long blobCount = go() ? checkBlobs() : 0;
        if (go()) checkCheckpoint(cut.size());
        return new VerifyReport(position[0], names.size(), segmentsChecked, blobCount, (cut.size() + 255) / 256, List.copyOf(failures));
    }

    private boolean go() { return failures.size() < (all ? FAILURES_MAX : 1); }

    private void fail(String region, String msg, Where w) {
        if (failures.size() < FAILURES_MAX) failures.add(new VerifyReport.Failure(region, msg, w));
    }

    /** Best-effort description of a damaged frame: what its fields claim, for the operator. */
    private String describeFrameAt(ByteBuffer b, int off) {
        if (off + FrameLayout.ENTRY_FIXED_BYTES > b.limit() || FrameLayout.type(b, off) != FrameLayout.TYPE_ENTRY) return "";
        String stream = l.streamsById.containsKey(FrameLayout.entryStreamId(b, off)) ? l.streamName(FrameLayout.entryStreamId(b, off)) : "?";
        return "; the frame claims stream '" + stream + "' seq " + FrameLayout.entrySeq(b, off) + " position " + FrameLayout.entryPosition(b, off);
    }

    private void checkEntry(ByteBuffer b, int off, Segments.Seg seg, Map<Integer, String> names, Map<Integer, long[]> seqs,
                            Map<Integer, Hash> heads, long expectedPosition) {
        int sid = FrameLayout.entryStreamId(b, off);
        String name = names.get(sid);
        if (name == null) {
            fail("frame", "entry names stream id " + sid + ", never defined", Where.file(seg.file(), off));
            return;
        }
        Entry e = FrameLayout.decodeEntry(b, off, name, seg.file());
        Where w = new Where(seg.file(), off, name, e.seq(), e.position());
        long[] last = seqs.computeIfAbsent(sid, k -> new long[1]);
        Hash head = heads.getOrDefault(sid, Hash.ZERO);
        if (!EntryHasher.hash(e).equals(e.hash())) fail("hash", "entry hash does not match its content", w);
        if (e.seq() != last[0] + 1) fail("chain", "sequence gap: expected seq " + (last[0] + 1), w);
        if (!e.prevHash().equals(head)) fail("chain", "prev_hash does not match the previous entry's hash", w);
        last[0] = e.seq();
        heads.put(sid, e.hash());
        if (expectedPosition < l.size) {
            // Index failures name the index file and the slot's byte offset in it; the message says
            // where the entry really is in the log.
            String at = " (the entry is at " + seg.file() + " offset " + off + ")";
            if (l.positions.get(expectedPosition) != off) {
                fail("index", "positions.idx points elsewhere (" + l.positions.get(expectedPosition) + ")" + at,
                        new Where(l.positions.path().toString(), expectedPosition * 8, name, e.seq(), expectedPosition));
            }
            if (l.idPrints.get(expectedPosition) != IdTable.fingerprint(sid, e.id())) {
                fail("index", "ids.idx fingerprint mismatch" + at, new Where(l.idPrints.path().toString(), expectedPosition * 8, name, e.seq(), expectedPosition));
            }
            StreamState s = l.streamsById.get(sid);
            if (s == null || e.seq() > s.seqIndex.length() || s.seqIndex.get(e.seq() - 1) != e.position()) {
                Where wi = s == null ? w : new Where(s.seqIndex.path().toString(), (e.seq() - 1) * 8, name, e.seq(), e.position());
                fail("index", "stream index does not map seq " + e.seq() + " to position " + e.position() + at, wi);
            }
        }
    }

    private void checkStreamIndexes(Map<Integer, long[]> seqs, Map<Integer, String> names) {
        for (StreamState s : l.streamsById.values()) {
            if (!s.defined) continue;
            long[] n = seqs.get(s.id);
            long logSeq = n == null ? 0 : n[0];
            if (s.lastSeq > logSeq) fail("index", "stream head says seq " + s.lastSeq + " but the log has " + logSeq, Where.stream(s.name, s.lastSeq));
        }
    }

    private void checkTiles(long size) {
        FrameReader r = new FrameReader(l);
        List<VerifyReport.Failure> found;
        try {
            found = l.tiles.verifyAgainst(i -> r.read(i, null).hash(), size, ProgressListener.NONE);
        } catch (QuireException e) {
            fail("index", "cannot read entry hashes for the Merkle check: " + e.reason(), e.where());
            return;
        }
        for (VerifyReport.Failure f : found) {
            fail(f.region(), f.message(), f.where());
            if (!go()) return;
        }
    }

    private long checkBlobs() {
        List<Hash> list = l.blobs.list();
        for (Hash h : list) {
            Optional<String> bad = l.blobs.check(h);
            if (bad.isPresent()) {
                fail("blob", bad.get(), Where.file(l.dir.resolve("blobs/sha256").resolve(h.hex().substring(0, 2)).resolve(h.hex().substring(2)).toString(), -1));
                if (!go()) break;
            }
        }
        return list.size();
    }

    private void checkCheckpoint(long size) {
        String file = l.dir.resolve("checkpoints/latest.cp").toString();
        Optional<Checkpoint> cp;
        try {
            cp = l.latestCheckpoint();
        } catch (QuireException e) {
            fail("checkpoint", e.reason(), Where.file(file, -1));
            return;
        }
        if (cp.isEmpty()) return;
        Checkpoint c = cp.get();
        if (!c.verifySignature(l.keys.getPublic())) fail("checkpoint", "signature does not verify with the ledger's key", Where.file(file, -1));
        else if (c.size() > size) fail("checkpoint", "checkpoint covers " + c.size() + " entries but the ledger has " + size + " (history was cut)", Where.file(file, -1));
        else if (!l.tiles.root(c.size()).equals(c.root())) fail("checkpoint", "checkpoint root does not match the ledger's tree at size " + c.size(), Where.file(file, -1));
    }
}
