package io.quire.core.log;

import io.quire.core.Entry;
import io.quire.core.EntryHasher;
import io.quire.core.Hash;
import io.quire.core.QuireException;
import io.quire.core.RecoveryReport;
import io.quire.core.Where;
import io.quire.core.index.Catalog;
import io.quire.core.index.IdTable;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Opening a ledger (DESIGN §3.2): trust the derived files up to the seal recorded in the catalog,
 * re-derive everything after it from the log, and settle the tail of the last segment with
 * {@link SegmentScanner}'s decision table. Entries re-derived are re-hashed and their chain links
 * checked, so an unsealed region is fully verified before the ledger accepts appends.
 */
final class Recovery {
    private final LocalLedger l;
    private long reindexed;
    private String tornFile;
    private long tornOffset = -1;
    private long tornBytes;

    Recovery(LocalLedger l) { this.l = l; }

    RecoveryReport run(Catalog c, boolean catalogPresent) {
        boolean trusted = catalogPresent && loadCatalog(c);
        if (!trusted) resetDerived();
        long resumeSegment = trusted ? c.resumeSegment() : 0;
        long resumeOffset = trusted ? c.resumeOffset() : FrameLayout.SEGMENT_HEADER_BYTES;
        List<Segments.Seg> segs = l.segments.all();
        int start = -1;
        for (int i = 0; i < segs.size(); i++) if (segs.get(i).firstPosition() == resumeSegment) { start = i; break; }
        if (start < 0) {
            boolean nothingAfter = segs.isEmpty() || segs.get(segs.size() - 1).firstPosition() < resumeSegment;
            if (!trusted && !segs.isEmpty()) {
                throw QuireException.integrity("the first segment does not start at position 0", Where.file(segs.get(0).file(), 0));
            }
            if (!nothingAfter || resumeSegment != l.size) {
                throw QuireException.integrity("the seal record names segment " + Segments.name(resumeSegment) + ", which is missing",
                        Where.file(l.dir.resolve("index").resolve(Catalog.FILE).toString(), -1));
            }
        } else {
            for (int i = start; i < segs.size(); i++) {
                boolean last = i == segs.size() - 1;
                scanSegment(segs.get(i), i == start ? resumeOffset : FrameLayout.SEGMENT_HEADER_BYTES, last);
            }
        }
        l.tiles.flush();
        return new RecoveryReport(catalogPresent && c.clean(), tornFile, tornOffset, tornBytes, reindexed);
    }

    /** Loads streams from the catalog; false when a derived file is shorter than the seal (stale). */
    private boolean loadCatalog(Catalog c) {
        long p = c.sealedSize();
        if (l.tiles.size() < p || l.positions.physicalLongs() < p || l.idPrints.physicalLongs() < p) return false;
        for (Catalog.StreamRecord r : c.streams()) {
            var idx = l.openSeqIndex(r.id(), r.lastSeq());
            if (idx.physicalLongs() < r.lastSeq()) {
                idx.close();
                l.streams.clear();
                l.streamsById.clear();
                return false;
            }
            StreamState s = new StreamState(r.id(), r.name(), idx, r.lastSeq(), r.lastHash(), r.lastPosition(), true);
            l.streams.put(r.name(), s);
            l.streamsById.put(r.id(), s);
        }
        l.tiles.truncate(p);
        l.positions.truncate(p);
        l.idPrints.truncate(p);
        l.ids.reserve(p);
        for (long i = 0; i < p; i++) l.ids.insert(l.idPrints.get(i), i);
        l.size = p;
        return true;
    }

    private void resetDerived() {
        for (StreamState s : l.streamsById.values()) s.seqIndex.close();
        l.streams.clear();
        l.streamsById.clear();
        l.ids.clear();
        l.tiles.truncate(0);
        l.positions.truncate(0);
        l.idPrints.truncate(0);
        l.size = 0;
        Path dir = l.dir.resolve("index/streams");
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.idx")) {
            for (Path p : ds) Files.delete(p);
        } catch (IOException e) {
            throw QuireException.io("cannot reset stream indexes: " + e.getMessage(), Where.file(dir.toString(), -1), e);
        }
    }

    private void scanSegment(Segments.Seg seg, long from, boolean last) {
        long fileLen = Segments.size(seg);
        if (fileLen < FrameLayout.SEGMENT_HEADER_BYTES || !headerValid(seg)) {
            // A roll writes and fsyncs the header before any frame, so a bad header is only a torn
            // roll when nothing follows it in the last segment.
            if (last && fileLen <= FrameLayout.SEGMENT_HEADER_BYTES) {
                tornFile = seg.file();
                tornOffset = 0;
                tornBytes = fileLen;
                l.segments.delete(seg);
                return;
            }
        }
        ByteBuffer b = Segments.readAll(seg);
        long first = FrameLayout.checkSegmentHeader(b, seg.file());
        if (first != seg.firstPosition()) {
            throw QuireException.integrity("segment header says first position " + first + " but the file is named for " + seg.firstPosition(), Where.file(seg.file(), 0));
        }
        if (from == FrameLayout.SEGMENT_HEADER_BYTES && first != l.size) {
            throw QuireException.integrity("segment starts at position " + first + " but the log before it ends at " + l.size, Where.file(seg.file(), 0));
        }
        if (from > b.limit()) {
            throw QuireException.integrity("segment is shorter (" + b.limit() + " bytes) than the sealed point " + from, Where.file(seg.file(), b.limit()));
        }
        SegmentScanner.Result r = SegmentScanner.scan(b, (int) from, l.size, new Apply(seg));
        switch (r.outcome()) {
            case CLEAN -> { }
            case CORRUPT -> throw SegmentScanner.corruption(r, seg.file());
            case TORN, TORN_ZERO -> {
                if (!last) {
                    throw QuireException.integrity("sealed segment has " + r.tornBytes() + " bytes after its last commit frame ("
                            + r.reason() + ")", Where.file(seg.file(), r.lastCommitEnd()));
                }
                tornFile = seg.file();
                tornOffset = r.lastCommitEnd();
                tornBytes = r.tornBytes();
                Segments.truncate(seg, r.lastCommitEnd());
            }
        }
    }

    private static boolean headerValid(Segments.Seg seg) {
        try {
            ByteBuffer h = ByteBuffer.allocate(FrameLayout.SEGMENT_HEADER_BYTES);
            Segments.readFully(seg, 0, h);
            h.flip();
            FrameLayout.checkSegmentHeader(h, seg.file());
            return true;
        } catch (QuireException e) {
            return false;
        }
    }

    /** Re-derives indexes, stream heads and Merkle leaves from committed frames, checking each entry. */
    private final class Apply implements SegmentScanner.Visitor {
        private final Segments.Seg seg;

        Apply(Segments.Seg seg) { this.seg = seg; }

        @Override
        public void stream(ByteBuffer b, int off, int len) {
            int id = FrameLayout.streamFrameId(b, off);
            String name = FrameLayout.streamFrameName(b, off);
            StreamState known = l.streamsById.get(id);
            if (known != null) {
                if (!known.name.equals(name)) {
                    throw QuireException.integrity("stream id " + id + " is defined twice ('" + known.name + "' and '" + name + "')", Where.file(seg.file(), off));
                }
                return;
            }
            if (l.streams.containsKey(name)) {
                throw QuireException.integrity("stream '" + name + "' is defined twice", Where.file(seg.file(), off));
            }
            StreamState s = new StreamState(id, name, l.openSeqIndex(id, 0), 0, Hash.ZERO, -1, true);
            l.streams.put(name, s);
            l.streamsById.put(id, s);
        }

        @Override
        public void entry(ByteBuffer b, int off, int len) {
            int sid = FrameLayout.entryStreamId(b, off);
            StreamState s = l.streamsById.get(sid);
            if (s == null) throw QuireException.integrity("entry names stream id " + sid + ", which was never defined", Where.file(seg.file(), off));
            Entry e = FrameLayout.decodeEntry(b, off, s.name, seg.file());
            Where w = new Where(seg.file(), off, s.name, e.seq(), e.position());
            if (e.position() != l.size) throw QuireException.integrity("entry has position " + e.position() + ", expected " + l.size, w);
            if (e.seq() != s.lastSeq + 1) throw QuireException.integrity("sequence gap: expected seq " + (s.lastSeq + 1), w);
            if (!e.prevHash().equals(s.lastHash)) throw QuireException.integrity("chain link broken: prev_hash does not match the previous entry's hash", w);
            if (!EntryHasher.hash(e).equals(e.hash())) throw QuireException.integrity("entry hash does not match its content", w);
            long fp = IdTable.fingerprint(sid, e.id());
            l.positions.set(e.position(), off);
            l.idPrints.set(e.position(), fp);
            l.ids.insert(fp, e.position());
            s.seqIndex.set(e.seq() - 1, e.position());
            l.tiles.append(e.hash());
            s.lastSeq = e.seq();
            s.lastHash = e.hash();
            s.lastPosition = e.position();
            s.assignedSeq = e.seq();
            s.assignedHash = e.hash();
            l.size = e.position() + 1;
            reindexed++;
        }
    }
}
