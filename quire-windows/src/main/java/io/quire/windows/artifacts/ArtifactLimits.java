package io.quire.windows.artifacts;

import io.quire.windows.ingest.IngestLimits;

/** Bounds of the artifact segments, named with their units; relations checked when the class loads. */
public final class ArtifactLimits {
    private ArtifactLimits() {}

    /** Bytes of one frame (one symbol-minute), header and CRC included. */
    public static final int FRAME_BYTES_MAX = 64 << 20;
    /** Rows in one frame: the ingest group limit. */
    public static final int ROWS_PER_FRAME_MAX = IngestLimits.GROUP_ROWS_MAX;
    /** Bytes of one append (one write + one fdatasync): the most a crash can tear at the tail. */
    public static final long APPEND_BYTES_MAX = 64L << 20;
    /** Frames in one append. */
    public static final int FRAMES_PER_APPEND_MAX = 65_536;
    /** Bytes of a symbol in a frame. */
    public static final int SYMBOL_BYTES_MAX = 64;
    /** Bytes of a segment file (offsets and lengths in refs are i64, but a segment is one day of one kind). */
    public static final long SEGMENT_BYTES_MAX = 1L << 40;
    /** Entries of a codes list in a row (the ingest limit). */
    public static final int CODES_PER_ROW_MAX = IngestLimits.LIST_ENTRIES_MAX;
    /** Bytes of a trade id (the ingest limit). */
    public static final int TEXT_BYTES_MAX = IngestLimits.TRADE_ID_BYTES_MAX;

    static {
        if (FRAME_BYTES_MAX > APPEND_BYTES_MAX) throw new ExceptionInInitializerError("a frame must fit one append");
        if (SYMBOL_BYTES_MAX > 0xFF) throw new ExceptionInInitializerError("the symbol length is a u8");
        if (ArtifactLayout.FRAME_FIXED_BYTES + SYMBOL_BYTES_MAX + 4 > FRAME_BYTES_MAX) throw new ExceptionInInitializerError("frame limits inconsistent");
    }
}
