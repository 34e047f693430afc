package io.quire.core.log;

import io.quire.core.Entry;
import io.quire.core.QuireException;
import io.quire.core.Where;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads entry frames by position for one read call. It reads the log in windows of
 * {@code WINDOW_BYTES} and serves following frames from the same window, so a page of entries
 * that sit together in the log costs a few syscalls, not one per entry. Every frame's CRC is
 * checked on read (the other half of the writer's pair assertion). A window only serves frames
 * that lie wholly inside the bytes it read, and frames are only asked for once published, so
 * it never serves bytes from before they were written.
 *
 * <p>The window is allocated on first use and starts small ({@code WINDOW_BYTES_FIRST}), doubling
 * on each refill up to {@code WINDOW_BYTES}: most readers are short-lived (an id lookup that finds
 * no candidate reads nothing at all; a live watcher reads the one or two entries just published),
 * and a 64 KiB array allocated and zeroed per call was most of the allocation of a server under
 * load (W5: ~130 KiB per gRPC append, a young GC every few hundred ms). A long sequential read
 * still reaches full-size windows after a few refills.
 */
final class FrameReader {
    static final int WINDOW_BYTES = 64 * 1024;
    /** The first window's size (unless the first frame is larger). */
    static final int WINDOW_BYTES_FIRST = 4 * 1024;

    private final LogView ledger;
    /** Null until the first read. */
    private ByteBuffer window;
    /** The size of the next refill (before a frame larger than it is taken into account). */
    private int nextWindowBytes = WINDOW_BYTES_FIRST;
    private Segments.Seg windowSeg;
    private long windowStart = -1;
    private int windowLen;

    FrameReader(LogView ledger) { this.ledger = ledger; }

    /** Reads the entry at {@code position}; {@code streamName} when known saves a lookup. */
    Entry read(long position, String streamName) {
        Segments.Seg seg = ledger.segments().forPosition(position);
        long offset = ledger.frameOffset(position);
        Where where = new Where(seg.file(), offset, streamName, -1, position);
        int off = ensure(seg, offset, FrameLayout.FRAME_HEADER_BYTES, where);
        int len = FrameLayout.declaredLength(window, off, windowLen);
        if (len < 0) throw QuireException.integrity("frame header is damaged", where);
        off = ensure(seg, offset, len, where);
        if (!FrameLayout.frameValid(window, off, len, windowLen) || FrameLayout.type(window, off) != FrameLayout.TYPE_ENTRY) {
            throw QuireException.integrity("entry frame checksum mismatch", where);
        }
        if (FrameLayout.entryPosition(window, off) != position) {
            throw QuireException.integrity("index points position " + position + " at the frame of position "
                    + FrameLayout.entryPosition(window, off), where);
        }
        String name = streamName != null ? streamName : ledger.streamName(FrameLayout.entryStreamId(window, off));
        return FrameLayout.decodeEntry(window, off, name, seg.file());
    }

    /** Makes [offset, offset+len) of seg available in the window; returns its index there. */
    private int ensure(Segments.Seg seg, long offset, int len, Where where) {
        if (seg == windowSeg && offset >= windowStart && offset + len <= windowStart + windowLen) {
            return (int) (offset - windowStart);
        }
        int want = Math.max(len, nextWindowBytes);
        nextWindowBytes = Math.min(WINDOW_BYTES, nextWindowBytes * 2);
        if (window == null || window.capacity() < want) window = ByteBuffer.allocate(want).order(ByteOrder.BIG_ENDIAN);
        window.clear().limit(want);
        Segments.readFully(seg, offset, window);
        windowLen = window.position();
        window.clear();
        windowSeg = seg;
        windowStart = offset;
        if (windowLen < len) throw QuireException.integrity("frame runs past the end of its segment", where);
        return 0;
    }
}
