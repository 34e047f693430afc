package io.quire.core.log;

import io.quire.core.Entry;
import io.quire.core.EntryHasher;
import io.quire.core.ErrorKind;
import io.quire.core.Hash;
import io.quire.core.QuireException;
import io.quire.core.Where;
import io.quire.core.index.IdTable;
import io.quire.core.index.ReadOnlyIndex;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link ReadOnlyLedger}'s view of the log past its seal: scans committed batches as the writer
 * appends them, checks them exactly as recovery does (CRC, commit frame, position, seq, chain link,
 * entry hash) and applies them to the reader's in-memory overlay, publishing each batch in the
 * writer's order (index slots and Merkle leaves, then stream heads, then size, then wake-ups).
 *
 * <p>The follow loop, one pass every {@link #FOLLOW_POLL_MS} on a daemon virtual thread:
 * <ol>
 *   <li>Check the current segment still is what was read: same file (inode), not shorter than the
 *       scanned offset, the last applied commit frame byte-identical. Otherwise history was cut
 *       under the reader ({@code quire repair}): fail with INTEGRITY rather than serve stale data.</li>
 *   <li>Scan the bytes appended since the scanned offset, in windows of {@link #WINDOW_BYTES}
 *       (doubled while a window holds no whole batch), and apply every committed batch. An
 *       incomplete batch at the end reads as a torn tail (SegmentScanner) and stays invisible
 *       until its commit frame is there; nothing is ever truncated.</li>
 *   <li>If the segment named for the current size exists, the writer rolled: the current segment
 *       is final (the writer seals before it creates the next one), so it is scanned to its end,
 *       which must be a commit frame (otherwise INTEGRITY, as recovery), and the next one is
 *       attached once its header is complete.</li>
 * </ol>
 * The file length is read before the bytes, and a segment is only ever appended at its end, so a
 * scan sees a prefix of what the writer wrote: an incomplete batch, never a damaged one.
 */
final class Follower {
    /** Pause between two passes of the follow loop. */
    static final long FOLLOW_POLL_MS = 20;
    /** First window read per scan; doubled (up to the unread length) while it holds no whole batch. */
    static final int WINDOW_BYTES = 8 << 20;
    /** {@link #awaitPass} gives up after this and the caller proceeds with what was read. */
    static final long PASS_WAIT_MS = 10_000;

    private final ReadOnlyLedger l;
    private final Path logDir;
    private Segments.Seg current;   // null until the segment named currentFirst is attached
    private long currentFirst;
    private long scanned;           // offset in current after the last applied commit frame (or the header)
    private byte[] lastCommit;      // that commit frame, to notice a rewrite; null at the header
    private Object fileKey;         // the current segment's inode, to notice a replacement
    private final Apply apply = new Apply();
    private volatile long passes;
    long entriesApplied;
    private Thread thread;
    private volatile boolean stopping;

    Follower(ReadOnlyLedger l, long resumeSegment, long resumeOffset) {
        this.l = l;
        this.logDir = l.dir.resolve("log");
        this.currentFirst = resumeSegment;
        this.scanned = resumeOffset;
    }

    // ------------------------------------------------------------------------------ thread

    void start() {
        thread = Thread.ofVirtual().name("quire-follow-" + l.dir.getFileName()).start(this::loop);
    }

    private void loop() {
        while (!stopping) {
            try {
                catchUp();
                passes++;
            } catch (QuireException e) {
                l.fail(e);
                return;
            } catch (Throwable t) {
                l.fail(new QuireException(ErrorKind.IO, "following the log failed: " + t, Where.NOWHERE, t));
                return;
            }
            try {
                Thread.sleep(FOLLOW_POLL_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops the loop after its current pass (no interrupt: that would close the shared channels). */
    void stop() {
        stopping = true;
        Thread t = thread;
        if (t == null) return;
        try {
            t.join(PASS_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits (bounded) for a whole pass that starts after this call, so what was committed before it is applied. */
    void awaitPass() {
        long target = passes + 2;
        long deadline = System.nanoTime() + PASS_WAIT_MS * 1_000_000L;
        while (passes < target && !stopping && l.failure == null && thread != null && thread.isAlive() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    // ------------------------------------------------------------------------------ one pass

    /** Applies every batch committed so far. Follower thread (or the opening thread, before start). */
    void catchUp() {
        while (true) {
            if (current == null && !attach()) return;
            checkNotCut();
            scanAvailable(false);
            // No entry in this segment yet: the writer cannot have rolled past it.
            if (l.size == currentFirst) return;
            if (!Files.exists(logDir.resolve(Segments.name(l.size)))) return;
            // The next segment exists, so this one is final: the writer sealed it before the roll.
            scanAvailable(true);
            current = null;
            currentFirst = l.size;
            scanned = FrameLayout.SEGMENT_HEADER_BYTES;
            lastCommit = null;
        }
    }

    /** Attaches the segment named currentFirst once its header is complete; false while it is not there yet. */
    private boolean attach() {
        Optional<Segments.Seg> found = l.segments.attach(currentFirst);
        if (found.isEmpty()) {
            checkMissing();
            return false;
        }
        Segments.Seg seg = found.get();
        long len = Segments.size(seg);
        if (len < FrameLayout.SEGMENT_HEADER_BYTES) return false; // created, header not written yet
        ByteBuffer h = ByteBuffer.allocate(FrameLayout.SEGMENT_HEADER_BYTES);
        Segments.readFully(seg, 0, h);
        h.flip();
        long first = FrameLayout.checkSegmentHeader(h, seg.file());
        if (first != seg.firstPosition()) {
            throw QuireException.integrity("segment header says first position " + first + " but the file is named for " + seg.firstPosition(), Where.file(seg.file(), 0));
        }
        if (scanned == FrameLayout.SEGMENT_HEADER_BYTES && first != l.size) {
            throw QuireException.integrity("segment starts at position " + first + " but the log before it ends at " + l.size, Where.file(seg.file(), 0));
        }
        if (len < scanned) {
            throw QuireException.integrity("segment is shorter (" + len + " bytes) than the sealed point " + scanned, Where.file(seg.file(), len));
        }
        if (scanned > FrameLayout.SEGMENT_HEADER_BYTES) lastCommit = readCommitBefore(seg, scanned);
        fileKey = fileKey(seg.path());
        current = seg;
        synchronized (l.publishLock) {
            l.mark = new ReadOnlyLedger.Mark(seg, scanned);
        }
        return true;
    }

    /** The awaited segment does not exist: fine while nothing follows it, otherwise the log has a hole. */
    private void checkMissing() {
        for (Segments.Seg s : l.segments.all()) {
            if (s.firstPosition() > currentFirst) {
                throw QuireException.integrity("segment " + Segments.name(currentFirst) + " is missing but " + s.path().getFileName() + " exists",
                        Where.file(logDir.resolve(Segments.name(currentFirst)).toString(), -1));
            }
        }
        if (currentFirst != l.size) {
            throw QuireException.integrity("the seal record names segment " + Segments.name(currentFirst) + ", which is missing",
                    Where.file(l.dir.resolve("index").resolve(io.quire.core.index.Catalog.FILE).toString(), -1));
        }
    }

    /** The resume offset of a seal must end a commit frame; it is also what later passes compare. */
    private static byte[] readCommitBefore(Segments.Seg seg, long end) {
        ByteBuffer b = ByteBuffer.allocate(FrameLayout.COMMIT_FRAME_BYTES);
        Segments.readFully(seg, end - FrameLayout.COMMIT_FRAME_BYTES, b);
        b.flip();
        if (b.limit() != FrameLayout.COMMIT_FRAME_BYTES || FrameLayout.declaredLength(b, 0, b.limit()) != FrameLayout.COMMIT_FRAME_BYTES
                || !FrameLayout.frameValid(b, 0, FrameLayout.COMMIT_FRAME_BYTES, b.limit()) || FrameLayout.type(b, 0) != FrameLayout.TYPE_COMMIT) {
            throw QuireException.integrity("no commit frame ends at the sealed point " + end + " (log cut or damaged)", Where.file(seg.file(), end - FrameLayout.COMMIT_FRAME_BYTES));
        }
        return b.array();
    }

    private Object fileKey(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            throw cut("is gone");
        } catch (IOException e) {
            throw QuireException.io("cannot stat segment: " + e.getMessage(), Where.file(p.toString(), -1), e);
        }
    }

    /** Refuses to go on when the log under the reader is no longer the one it read (repair). */
    private void checkNotCut() {
        Object key = fileKey(current.path());
        if (key != null && !key.equals(fileKey)) throw cut("was replaced by another file");
        long len = Segments.size(current);
        if (len < scanned) throw cut("is now " + len + " bytes, shorter than the " + scanned + " bytes already read");
        if (lastCommit != null) {
            ByteBuffer b = ByteBuffer.allocate(FrameLayout.COMMIT_FRAME_BYTES);
            Segments.readFully(current, scanned - FrameLayout.COMMIT_FRAME_BYTES, b);
            if (!Arrays.equals(b.array(), lastCommit)) throw cut("no longer holds the commit frame read at offset " + (scanned - FrameLayout.COMMIT_FRAME_BYTES));
        }
    }

    private QuireException cut(String what) {
        return QuireException.integrity("the log changed under this read-only ledger: segment " + current.path().getFileName() + " " + what
                + " (history cut by quire repair?); it stopped following rather than serve stale entries: open it again", Where.file(current.file(), scanned));
    }

    /**
     * Applies every whole batch in [scanned, length). {@code isFinal}: a newer segment exists, so
     * bytes after the last commit frame are damage, not a write in progress.
     */
    private void scanAvailable(boolean isFinal) {
        long len = Segments.size(current);
        long window = WINDOW_BYTES;
        long suspect = -1;
        while (scanned < len) {
            long before = scanned;
            int n = (int) Math.min(Math.min(window, len - before), Integer.MAX_VALUE - 16);
            ByteBuffer b = ByteBuffer.allocate(n);
            Segments.readFully(current, before, b);
            b.flip();
            if (b.limit() < n) throw cut("shrank while being read");
            apply.windowBase = before;
            SegmentScanner.Result r = SegmentScanner.scan(b, before, 0, l.size, apply);
            switch (r.outcome()) {
                case CLEAN -> { }
                case CORRUPT -> {
                    // A prefix of a valid log never reads as CORRUPT, but a window this reader cut,
                    // or a write in progress, ends at a point where payload bytes could happen to
                    // look like a commit frame: rescan to the end, and at the live end look again
                    // after a pause. Damage reads the same twice; a write in progress does not.
                    if (before + n < len) {
                        window = len - before;
                        continue;
                    }
                    if (!isFinal && r.badOffset() != suspect) {
                        suspect = r.badOffset();
                        pause();
                        len = Segments.size(current);
                        window = Math.max(window, len - before);
                        continue;
                    }
                    throw SegmentScanner.corruption(r, current.file());
                }
                case TORN, TORN_ZERO -> {
                    if (before + n < len) {
                        // The window ended inside a batch: read on, with a larger window if no batch fit.
                        if (scanned == before) window = Math.min(window * 2, len - before);
                        continue;
                    }
                    if (isFinal) {
                        throw QuireException.integrity("sealed segment has " + r.tornBytes() + " bytes after its last commit frame ("
                                + r.reason() + ")", Where.file(current.file(), r.lastCommitEnd()));
                    }
                    return; // an incomplete batch: invisible until its commit frame is written
                }
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(FOLLOW_POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------------------ apply

    /** One staged entry of the batch being applied. */
    private record Staged(StreamState s, long position, long seq, Hash hash) {}

    /** Checks and stages the frames of a committed batch; publishes it at its commit frame. */
    private final class Apply implements SegmentScanner.Visitor {
        long windowBase;
        private final List<Staged> staged = new ArrayList<>();
        private final Set<StreamState> touched = new LinkedHashSet<>();

        @Override
        public void stream(ByteBuffer b, int off, int len) {
            int id = FrameLayout.streamFrameId(b, off);
            String name = FrameLayout.streamFrameName(b, off);
            Where w = Where.file(current.file(), windowBase + off);
            StreamState known = l.streamsById.get(id);
            if (known != null) {
                if (!known.name.equals(name)) throw QuireException.integrity("stream id " + id + " is defined twice ('" + known.name + "' and '" + name + "')", w);
                return;
            }
            // A watcher may have created the state of a stream not yet written: adopt it.
            StreamState s = l.streams.computeIfAbsent(name, k -> new StreamState(id, k, null, 0, Hash.ZERO, -1, false));
            if (s.id == StreamState.UNKNOWN_ID) s.id = id;
            else if (s.id != id) throw QuireException.integrity("stream '" + name + "' is defined twice", w);
            l.seqIndexes.put(name, ReadOnlyIndex.open(l.dir.resolve("index/streams/" + id + ".idx"), 0));
            l.streamsById.put(id, s);
        }

        @Override
        public void entry(ByteBuffer b, int off, int len) {
            int sid = FrameLayout.entryStreamId(b, off);
            long fileOff = windowBase + off;
            StreamState s = l.streamsById.get(sid);
            if (s == null) throw QuireException.integrity("entry names stream id " + sid + ", which was never defined", Where.file(current.file(), fileOff));
            Entry e = FrameLayout.decodeEntry(b, off, s.name, current.file());
            Where w = new Where(current.file(), fileOff, s.name, e.seq(), e.position());
            long expected = l.positions.length();
            if (e.position() != expected) throw QuireException.integrity("entry has position " + e.position() + ", expected " + expected, w);
            if (e.seq() != s.assignedSeq + 1) throw QuireException.integrity("sequence gap: expected seq " + (s.assignedSeq + 1), w);
            if (!e.prevHash().equals(s.assignedHash)) throw QuireException.integrity("chain link broken: prev_hash does not match the previous entry's hash", w);
            if (!EntryHasher.hash(e).equals(e.hash())) throw QuireException.integrity("entry hash does not match its content", w);
            ReadOnlyIndex seqs = l.seqIndexes.get(s.name);
            if (seqs.length() != e.seq() - 1) throw new IllegalStateException("bad math in entry: stream index of '" + s.name + "' holds " + seqs.length() + " at seq " + e.seq());
            long fp = IdTable.fingerprint(sid, e.id());
            l.positions.append(fileOff);
            l.idPrints.append(fp);
            l.ids.insert(fp, e.position());
            seqs.append(e.position());
            l.tree.append(e.hash());
            s.assignedSeq = e.seq();
            s.assignedHash = e.hash();
            staged.add(new Staged(s, e.position(), e.seq(), e.hash()));
            touched.add(s);
        }

        @Override
        public void commit(ByteBuffer b, int off) {
            long end = windowBase + off + FrameLayout.COMMIT_FRAME_BYTES;
            byte[] frame = new byte[FrameLayout.COMMIT_FRAME_BYTES];
            b.get(off, frame);
            l.tree.publish();
            // The writer's order: leaves, then stream heads, then size (see GroupCommitWriter.publish).
            synchronized (l.publishLock) {
                for (Staged p : staged) {
                    StreamState s = p.s();
                    s.lastHash = p.hash();
                    s.lastPosition = p.position();
                    s.defined = true;
                    s.lastSeq = p.seq();
                }
                l.size = l.positions.length();
                l.mark = new ReadOnlyLedger.Mark(current, end);
            }
            scanned = end;
            lastCommit = frame;
            entriesApplied += staged.size();
            for (StreamState s : touched) s.signal();
            staged.clear();
            touched.clear();
        }
    }
}
