package io.quire.core.log;

import io.quire.core.QuireException;
import io.quire.core.Where;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Walks the frames of one segment from a start offset, hands every frame of every committed batch
 * to a {@link Visitor}, and classifies what follows the last valid commit frame.
 *
 * <p>The recovery decision table (exactly one row matches; {@code tail} = bytes after the last
 * valid commit frame; {@code stop} = offset where the forward walk found the first invalid frame):
 *
 * <pre>
 * | outcome        | condition                                                               | open does   |
 * |----------------|-------------------------------------------------------------------------|-------------|
 * | CLEAN          | tail is empty                                                           | nothing     |
 * | TORN_ZERO      | tail is all zero bytes (space never written: power loss, preallocation) | truncate    |
 * | CORRUPT        | a commit frame is valid but disagrees with the frames it closes         | refuse      |
 * | CORRUPT        | the segment ends with a valid commit frame that starts at or after stop: | refuse      |
 * |                | a whole write happened after the invalid frame, so it was damaged (in   |             |
 * |                | the last batch or in any acknowledged batch before it)                  |             |
 * | CORRUPT        | every frame in [last commit, stop) is valid, exactly COMMIT_FRAME_BYTES | refuse      |
 * |                | remain at stop, they are not zero and carry a commit frame's length or  |             |
 * |                | type: the commit frame itself is damaged                                |             |
 * | TORN           | anything else: an incomplete write that was never acknowledged          | truncate    |
 * </pre>
 *
 * Why this separates the two: a batch is acknowledged only after its frames and its commit frame
 * are durable, and a crash leaves a prefix of the last write (plus, on power loss, zeroed sectors).
 * A prefix can never end in a complete commit frame that fails its checksum, nor contain a valid
 * commit frame after a damaged one. So truncation only ever removes bytes never acknowledged.
 * In a segment that is not the last, any non-empty tail is CORRUPT (it was sealed).
 */
public final class SegmentScanner {

    public enum Outcome { CLEAN, TORN_ZERO, TORN, CORRUPT }

    /** Receives the frames of committed batches in log order. */
    public interface Visitor {
        void stream(ByteBuffer b, int off, int len);

        void entry(ByteBuffer b, int off, int len);

        default void commit(ByteBuffer b, int off) {}
    }

    /** What a scan found. {@code lastCommitEnd} is where the next batch would start. */
    public record Result(Outcome outcome, long lastCommitEnd, long fileLength, long entries, String reason, long badOffset) {
        public long tornBytes() { return outcome == Outcome.TORN || outcome == Outcome.TORN_ZERO ? fileLength - lastCommitEnd : 0; }
    }

    private SegmentScanner() {}

    /**
     * Scans {@code b} (the whole segment, index 0 = file offset 0) from {@code start}, which must
     * be the end of a commit frame or of the header. Frames are only visited once their batch's
     * commit frame has been checked.
     */
    public static Result scan(ByteBuffer b, int start, long expectedNextPosition, Visitor v) {
        return scan(b, 0, start, expectedNextPosition, v);
    }

    /**
     * Scans a window of a segment: index i of {@code b} is file offset {@code base + i}, so a
     * read-only follower can scan only the bytes appended since its last commit without reading
     * the segment from its start. {@code start} is a buffer index; the visitor receives buffer
     * indexes; the result's offsets ({@code lastCommitEnd}, {@code fileLength}, {@code badOffset})
     * are file offsets. A window that ends inside a batch reads as a torn tail, exactly as a crash
     * would leave it, so it can never be taken for corruption.
     */
    public static Result scan(ByteBuffer b, long base, int start, long expectedNextPosition, Visitor v) {
        Result r = scanWindow(b, base, start, expectedNextPosition, v);
        if (base == 0) return r;
        return new Result(r.outcome(), base + r.lastCommitEnd(), base + r.fileLength(), r.entries(), r.reason(),
                r.badOffset() < 0 ? r.badOffset() : base + r.badOffset());
    }

    private static Result scanWindow(ByteBuffer b, long base, int start, long expectedNextPosition, Visitor v) {
        final int limit = b.limit();
        int lastCommitEnd = start;
        int off = start;
        int pendingCount = 0;
        long entries = 0;
        long nextPosition = expectedNextPosition;
        int[] pending = new int[64];
        int stop;
        while (true) {
            int len = FrameLayout.declaredLength(b, off, limit);
            if (len < 0 || !FrameLayout.frameValid(b, off, len, limit)) { stop = off; break; }
            byte type = FrameLayout.type(b, off);
            if (type == FrameLayout.TYPE_COMMIT) {
                String bad = checkCommit(b, base, off, lastCommitEnd, pendingCount, pending, nextPosition);
                if (bad != null) return new Result(Outcome.CORRUPT, lastCommitEnd, limit, entries, bad, off);
                for (int i = 0; i < pendingCount; i++) {
                    int f = pending[i];
                    int flen = b.getInt(f);
                    if (FrameLayout.type(b, f) == FrameLayout.TYPE_ENTRY) {
                        v.entry(b, f, flen);
                        entries++;
                        nextPosition++;
                    } else {
                        v.stream(b, f, flen);
                    }
                }
                v.commit(b, off);
                pendingCount = 0;
                off += len;
                lastCommitEnd = off;
            } else {
                if (pendingCount == pending.length) pending = java.util.Arrays.copyOf(pending, pending.length * 2);
                pending[pendingCount++] = off;
                off += len;
            }
        }
        return classifyTail(b, base, lastCommitEnd, stop, pendingCount > 0, limit, entries);
    }

    /** Checks a commit frame against the frames since the last one; null when it agrees. */
    private static String checkCommit(ByteBuffer b, long base, int off, int batchStart, int pendingCount, int[] pending, long nextPosition) {
        if (FrameLayout.commitBatchStart(b, off) != base + batchStart) return "commit frame names batch start " + FrameLayout.commitBatchStart(b, off) + " but the batch starts at " + (base + batchStart);
        if (FrameLayout.commitBatchBytes(b, off) != off - batchStart) return "commit frame length of batch disagrees with the frames before it";
        int count = 0;
        long pos = nextPosition;
        for (int i = 0; i < pendingCount; i++) {
            int f = pending[i];
            if (FrameLayout.type(b, f) == FrameLayout.TYPE_ENTRY) {
                if (FrameLayout.entryPosition(b, f) != pos) return "entry frame at offset " + (base + f) + " has position " + FrameLayout.entryPosition(b, f) + ", expected " + pos;
                pos++;
                count++;
            }
        }
        if (FrameLayout.commitCount(b, off) != count) return "commit frame counts " + FrameLayout.commitCount(b, off) + " entries, the batch has " + count;
        if (count > 0 && FrameLayout.commitFirstPosition(b, off) != nextPosition) return "commit frame names first position " + FrameLayout.commitFirstPosition(b, off) + ", expected " + nextPosition;
        CRC32C c = new CRC32C();
        c.update(b.slice(batchStart, off - batchStart));
        if ((int) c.getValue() != FrameLayout.commitBatchCrc(b, off)) return "batch checksum in commit frame does not match the batch bytes";
        return null;
    }

    private static Result classifyTail(ByteBuffer b, long base, int lastCommitEnd, int stop, boolean pendingValidFrames, int limit, long entries) {
        if (lastCommitEnd == limit) return new Result(Outcome.CLEAN, lastCommitEnd, limit, entries, null, -1);
        if (allZero(b, lastCommitEnd, limit)) return new Result(Outcome.TORN_ZERO, lastCommitEnd, limit, entries, "unwritten (zero) tail", lastCommitEnd);
        int c = limit - FrameLayout.COMMIT_FRAME_BYTES;
        if (c >= stop && c >= lastCommitEnd && FrameLayout.declaredLength(b, c, limit) == FrameLayout.COMMIT_FRAME_BYTES
                && FrameLayout.frameValid(b, c, FrameLayout.COMMIT_FRAME_BYTES, limit)
                && FrameLayout.type(b, c) == FrameLayout.TYPE_COMMIT
                && FrameLayout.commitBatchStart(b, c) >= base + lastCommitEnd) {
            return new Result(Outcome.CORRUPT, lastCommitEnd, limit, entries,
                    "frame is damaged inside a batch whose commit frame is intact (acknowledged data)", stop);
        }
        // The 48 bytes must look like a commit frame (one bit flip spoils its length or its type,
        // never both): the first 48 bytes of a torn, longer entry frame are not a damaged commit.
        if (pendingValidFrames && limit - stop == FrameLayout.COMMIT_FRAME_BYTES && !allZero(b, limit - 8, limit)
                && (b.getInt(stop + FrameLayout.FRAME_OFF_LENGTH_32) == FrameLayout.COMMIT_FRAME_BYTES
                    || FrameLayout.type(b, stop) == FrameLayout.TYPE_COMMIT)) {
            return new Result(Outcome.CORRUPT, lastCommitEnd, limit, entries,
                    "commit frame is complete but damaged (acknowledged data)", stop);
        }
        return new Result(Outcome.TORN, lastCommitEnd, limit, entries, "incomplete write after the last commit", stop);
    }

    private static boolean allZero(ByteBuffer b, int from, int to) {
        for (int i = from; i < to; i++) if (b.get(i) != 0) return false;
        return true;
    }

    /** Throws the INTEGRITY error for a CORRUPT result. */
    public static QuireException corruption(Result r, String file) {
        return QuireException.integrity("log corrupt: " + r.reason(), Where.file(file, r.badOffset()));
    }
}
