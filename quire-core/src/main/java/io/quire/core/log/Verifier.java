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

    private final LogView l;
    private final List<VerifyReport.Failure> failures = new ArrayList<>();
    private boolean all;

    Verifier(LogView l) { this.l = l; }

    VerifyReport run(ProgressListener progress, boolean listAll) {
        l.ensureOpen();
        this.all = listAll;
        // The checkpoint is read before the cut: it only ever covers entries already in the log,
        // so the cut covers it too, whatever is appended or checkpointed meanwhile.
        Optional<Checkpoint> cp;
        QuireException cpError = null;
        try {
            cp = l.latestCheckpoint();
        } catch (QuireException e) {
            cp = Optional.empty();
            cpError = e;
        }
        LogView.Cut cut = l.cut();
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
        if (go()) checkStreamIndexes(seqs, cut);
        if (go()) checkTiles(cut.size());
        long blobCount = go() ? checkBlobs() : 0;
        if (go()) checkCheckpoint(cut.size(), cp, cpError);
        return new VerifyReport(position[0], names.size(), segmentsChecked, blobCount, (cut.size() + 255) / 256, List.copyOf(failures));
    }

    private boolean go() { return failures.size() < (all ? FAILURES_MAX : 1); }

    private void fail(String region, String msg, Where w) {
        if (failures.size() < FAILURES_MAX) failures.add(new VerifyReport.Failure(region, msg, w));
    }

    /** Best-effort description of a damaged frame: what its fields claim, for the operator. */
    private String describeFrameAt(ByteBuffer b, int off) {
        if (off + FrameLayout.ENTRY_FIXED_BYTES > b.limit() || FrameLayout.type(b, off) != FrameLayout.TYPE_ENTRY) return "";
        String stream = l.streamById(FrameLayout.entryStreamId(b, off)) != null ? l.streamName(FrameLayout.entryStreamId(b, off)) : "?";
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
        if (expectedPosition < l.size()) {
            // Index failures name the index file and the slot's byte offset in it; the message says
            // where the entry really is in the log.
            String at = " (the entry is at " + seg.file() + " offset " + off + ")";
            if (l.frameOffset(expectedPosition) != off) {
                fail("index", "positions.idx points elsewhere (" + l.frameOffset(expectedPosition) + ")" + at,
                        new Where(l.positionsPath().toString(), expectedPosition * 8, name, e.seq(), expectedPosition));
            }
            if (l.idPrint(expectedPosition) != IdTable.fingerprint(sid, e.id())) {
                fail("index", "ids.idx fingerprint mismatch" + at, new Where(l.idsPath().toString(), expectedPosition * 8, name, e.seq(), expectedPosition));
            }
            StreamState s = l.streamById(sid);
            if (s == null || e.seq() > l.seqIndexed(s) || l.seqPosition(s, e.seq()) != e.position()) {
                Where wi = s == null ? w : new Where(l.seqIndexPath(s).toString(), (e.seq() - 1) * 8, name, e.seq(), e.position());
                fail("index", "stream index does not map seq " + e.seq() + " to position " + e.position() + at, wi);
            }
        }
    }

    /** Stream heads as of the cut (appends after it would otherwise look like a head past the log). */
    private void checkStreamIndexes(Map<Integer, long[]> seqs, LogView.Cut cut) {
        for (Map.Entry<Integer, Long> h : cut.heads().entrySet()) {
            long[] n = seqs.get(h.getKey());
            long logSeq = n == null ? 0 : n[0];
            if (h.getValue() > logSeq) {
                StreamState s = l.streamById(h.getKey());
                String name = s == null ? "#" + h.getKey() : s.name;
                fail("index", "stream head says seq " + h.getValue() + " but the log has " + logSeq, Where.stream(name, h.getValue()));
            }
        }
    }

    private void checkTiles(long size) {
        FrameReader r = new FrameReader(l);
        List<VerifyReport.Failure> found;
        try {
            found = l.verifyTiles(i -> r.read(i, null).hash(), size);
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
        List<Hash> list = l.blobStore().list();
        for (Hash h : list) {
            Optional<String> bad = l.blobStore().check(h);
            if (bad.isPresent()) {
                fail("blob", bad.get(), Where.file(l.dir().resolve("blobs/sha256").resolve(h.hex().substring(0, 2)).resolve(h.hex().substring(2)).toString(), -1));
                if (!go()) break;
            }
        }
        return list.size();
    }

    private void checkCheckpoint(long size, Optional<Checkpoint> cp, QuireException readError) {
        String file = l.dir().resolve("checkpoints/latest.cp").toString();
        if (readError != null) {
            fail("checkpoint", readError.reason(), Where.file(file, -1));
            return;
        }
        if (cp.isEmpty()) return;
        Checkpoint c = cp.get();
        if (!c.verifySignature(l.publicKey())) fail("checkpoint", "signature does not verify with the ledger's key", Where.file(file, -1));
        else if (c.size() > size) fail("checkpoint", "checkpoint covers " + c.size() + " entries but the ledger has " + size + " (history was cut)", Where.file(file, -1));
        else if (!l.merkleRoot(c.size()).equals(c.root())) fail("checkpoint", "checkpoint root does not match the ledger's tree at size " + c.size(), Where.file(file, -1));
    }
}
