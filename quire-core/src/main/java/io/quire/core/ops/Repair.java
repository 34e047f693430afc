package io.quire.core.ops;

import io.quire.core.QuireException;
import io.quire.core.Where;
import io.quire.core.log.FileUtil;
import io.quire.core.log.FrameLayout;
import io.quire.core.log.Segments;
import io.quire.core.log.WriterLock;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code quire repair --truncate-after POSITION}: the only way to cut history (DESIGN §3.2). It
 * runs with the ledger closed (it takes LOCK), keeps positions 0..POSITION, which must all be
 * intact, cuts the log right after the frame of POSITION, closes the kept part of that batch with
 * a new commit frame, deletes later segments and every derived file (they are re-derived on the
 * next open), and writes a report naming everything it removed.
 */
public final class Repair {
    private Repair() {}

    public record RepairReport(long keptEntries, long removedEntries, long removedBytes, Path reportFile, List<String> removed) {}

    public static RepairReport truncateAfter(Path dir, long position) {
        if (position < 0) throw QuireException.invalid("--truncate-after needs a position ≥ 0, got " + position);
        if (!Files.isRegularFile(dir.resolve("QUIRE"))) throw QuireException.notFound("no ledger in " + dir);
        // The writer lock protocol of WriterLock: readers hold no lock, so a repair cannot see
        // them; a reader following the log detects the cut and stops with an INTEGRITY error.
        try (WriterLock lock = WriterLock.acquire(dir, "the ledger in " + dir + " is open elsewhere; stop it before repairing");
             Segments segs = Segments.open(dir.resolve("log"), true)) {
            return cut(dir, segs, position);
        } catch (IOException e) {
            throw QuireException.io("repair failed: " + e.getMessage(), Where.file(dir.toString(), -1), e);
        }
    }

    private static RepairReport cut(Path dir, Segments segs, long keep) throws IOException {
        List<String> removed = new ArrayList<>();
        List<Segments.Seg> all = segs.all();
        int at = -1;
        for (int i = 0; i < all.size(); i++) if (all.get(i).firstPosition() <= keep) at = i;
        if (at < 0) throw QuireException.notFound("no segment holds position " + keep);
        Segments.Seg seg = all.get(at);
        ByteBuffer b = Segments.readAll(seg);
        FrameLayout.checkSegmentHeader(b, seg.file());
        // Walk frames to the one holding `keep`; every frame up to it must be valid.
        int off = FrameLayout.SEGMENT_HEADER_BYTES;
        int batchStart = off;
        int cutAt = -1;
        int keptInBatch = 0;
        long batchFirst = -1;
        long lastSeen = -1;
        while (cutAt < 0) {
            if (off == b.limit()) {
                throw QuireException.notFound("position " + keep + " does not exist: the log ends at position " + lastSeen
                        + " (" + seg.file() + "); nothing was changed");
            }
            int len = FrameLayout.declaredLength(b, off, b.limit());
            if (len < 0 || !FrameLayout.frameValid(b, off, len, b.limit())) {
                throw QuireException.integrity("cannot keep position " + keep + ": the log is damaged before it", Where.file(seg.file(), off));
            }
            byte t = FrameLayout.type(b, off);
            if (t == FrameLayout.TYPE_COMMIT) {
                batchStart = off + len;
                keptInBatch = 0;
                batchFirst = -1;
            } else if (t == FrameLayout.TYPE_ENTRY) {
                long p = FrameLayout.entryPosition(b, off);
                lastSeen = p;
                if (batchFirst < 0) batchFirst = p;
                keptInBatch++;
                if (p == keep) cutAt = off + len;
            }
            off += len;
        }
        long removedBytes = b.limit() - cutAt;
        describeRemoved(b, cutAt, seg, removed);
        // Close the kept part of the batch with a fresh commit frame, then cut.
        ByteBuffer tail = ByteBuffer.allocate(cutAt - batchStart + FrameLayout.COMMIT_FRAME_BYTES);
        tail.put(b.slice(batchStart, cutAt - batchStart));
        FrameLayout.putCommit(tail, 0, batchStart, keptInBatch, batchFirst, System.currentTimeMillis() * 1_000_000L);
        tail.flip();
        tail.position(cutAt - batchStart);
        seg.channel().truncate(cutAt);
        long w = cutAt;
        while (tail.hasRemaining()) w += seg.channel().write(tail, w);
        seg.channel().force(true);
        long removedEntries = countEntries(removed);
        for (int i = at + 1; i < all.size(); i++) {
            Segments.Seg s = all.get(i);
            ByteBuffer sb = Segments.readAll(s);
            describeRemoved(sb, FrameLayout.SEGMENT_HEADER_BYTES, s, removed);
            removedBytes += sb.limit();
            segs.delete(s);
        }
        removedEntries = countEntries(removed);
        deleteDerived(dir);
        Path report = writeReport(dir, keep, removedEntries, removedBytes, removed);
        return new RepairReport(keep + 1, removedEntries, removedBytes, report, List.copyOf(removed));
    }

    private static long countEntries(List<String> removed) { return removed.stream().filter(s -> s.startsWith("entry")).count(); }

    private static void describeRemoved(ByteBuffer b, int from, Segments.Seg seg, List<String> out) {
        int off = from;
        while (off < b.limit()) {
            int len = FrameLayout.declaredLength(b, off, b.limit());
            if (len < 0 || !FrameLayout.frameValid(b, off, len, b.limit())) {
                out.add("damaged " + (b.limit() - off) + " bytes at " + seg.file() + " offset " + off);
                return;
            }
            if (FrameLayout.type(b, off) == FrameLayout.TYPE_ENTRY) {
                out.add("entry position=" + FrameLayout.entryPosition(b, off) + " stream_id=" + FrameLayout.entryStreamId(b, off)
                        + " seq=" + FrameLayout.entrySeq(b, off) + " id=" + FrameLayout.entryId(b, off) + " hash=" + FrameLayout.entryHash(b, off).hex());
            }
            off += len;
        }
    }

    private static void deleteDerived(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve("index/catalog.bin"));
        Files.deleteIfExists(dir.resolve("index/positions.idx"));
        Files.deleteIfExists(dir.resolve("index/ids.idx"));
        for (String sub : new String[] {"index/streams", "merkle"}) {
            Path d = dir.resolve(sub);
            if (!Files.isDirectory(d)) continue;
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
                for (Path p : ds) Files.delete(p);
            }
        }
        FileUtil.fsyncDir(dir.resolve("index"));
    }

    private static Path writeReport(Path dir, long keep, long removedEntries, long removedBytes, List<String> removed) throws IOException {
        Path reports = dir.resolve("repairs");
        Files.createDirectories(reports);
        Path f = reports.resolve("repair-" + Instant.now().toString().replace(':', '-') + ".txt");
        StringBuilder sb = new StringBuilder();
        sb.append("quire repair --truncate-after ").append(keep).append('\n');
        sb.append("time: ").append(Instant.now()).append('\n');
        sb.append("kept entries: positions 0..").append(keep).append('\n');
        sb.append("removed entries: ").append(removedEntries).append(", removed bytes: ").append(removedBytes).append('\n');
        sb.append("derived files (indexes, Merkle levels) were deleted and are rebuilt on the next open.\n");
        sb.append("checkpoints that cover removed entries no longer match this ledger.\n\n");
        for (String r : removed) sb.append(r).append('\n');
        FileUtil.writeAtomically(f, sb.toString().getBytes(StandardCharsets.UTF_8));
        return f;
    }
}
