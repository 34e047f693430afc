package io.quire.core.snapshot;

import io.quire.core.Hash;
import io.quire.core.Limits;
import io.quire.core.QuireException;

/**
 * Limits on one snapshot, checked while reading before anything is allocated and before writing.
 * The defaults are named constants (units last); {@link SnapshotCodec#read(java.io.InputStream,
 * SnapshotLimits)} takes other values so a server can accept less, and a test can probe the
 * edges at {@code max} and {@code max + 1}. (To be merged into {@link Limits}.)
 */
public record SnapshotLimits(long bytesMax, long entriesMax) {
    /** Largest snapshot, trailer included: 2 GiB. */
    public static final long SNAPSHOT_BYTES_MAX = 2L << 30;
    /**
     * Most entries in one snapshot. {@link SnapshotCodec#read} materialises every entry as an
     * {@link io.quire.core.Entry} (a few hundred bytes of heap each beyond its payload), so this
     * bounds the heap a snapshot can demand independently of its byte size.
     */
    public static final long SNAPSHOT_ENTRIES_MAX = 1L << 20;
    /** Largest checkpoint text: a signed note of a few hundred bytes, with generous room. */
    public static final int CHECKPOINT_TEXT_BYTES_MAX = 64 * 1024;

    public static final SnapshotLimits DEFAULTS = new SnapshotLimits(SNAPSHOT_BYTES_MAX, SNAPSHOT_ENTRIES_MAX);

    /** Bytes of a snapshot with no entries and an empty stream name and checkpoint (see the layout). */
    static final int FIXED_BYTES = 8 + 2 + 2 + 8 + 4 + 8 + Hash.BYTES + 4 + Hash.BYTES;
    /** Bytes of one entry with every variable field empty (see the layout). */
    static final int ENTRY_FIXED_BYTES = 8 + 4 + 4 + 8 + 4 + 4 + Hash.BYTES + Hash.BYTES;

    static {
        // A stream holding one entry of the largest size Limits allows must be snapshottable,
        // or a legal append could make its stream impossible to move.
        long worstEntry = ENTRY_FIXED_BYTES + (long) Limits.ID_BYTES_MAX + Limits.KEY_BYTES_MAX
                + 8L * Limits.METADATA_ENTRIES_MAX + Limits.METADATA_BYTES_MAX + Limits.PAYLOAD_BYTES_MAX;
        long worstSnapshotOfOne = FIXED_BYTES + Limits.STREAM_NAME_BYTES_MAX + CHECKPOINT_TEXT_BYTES_MAX + worstEntry;
        if (worstSnapshotOfOne > SNAPSHOT_BYTES_MAX) {
            throw new ExceptionInInitializerError("bad limits: SNAPSHOT_BYTES_MAX below one worst-case entry " + worstSnapshotOfOne);
        }
        // The entries are returned in one List, whose size is an int.
        if (SNAPSHOT_ENTRIES_MAX > Integer.MAX_VALUE - 8) {
            throw new ExceptionInInitializerError("bad limits: SNAPSHOT_ENTRIES_MAX does not fit a List");
        }
    }

    public SnapshotLimits {
        if (bytesMax < 0 || bytesMax > SNAPSHOT_BYTES_MAX) {
            throw QuireException.invalid("snapshot bytes limit must be 0.." + SNAPSHOT_BYTES_MAX + ", got " + bytesMax);
        }
        if (entriesMax < 0 || entriesMax > SNAPSHOT_ENTRIES_MAX) {
            throw QuireException.invalid("snapshot entries limit must be 0.." + SNAPSHOT_ENTRIES_MAX + ", got " + entriesMax);
        }
    }
}
