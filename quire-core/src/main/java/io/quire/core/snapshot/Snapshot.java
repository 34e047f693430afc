package io.quire.core.snapshot;

import io.quire.core.Entry;
import io.quire.core.Hash;

import java.util.List;

/**
 * A decoded and fully verified stream snapshot (see {@link SnapshotCodec} for the layout and the
 * checks). Entries carry position -1: positions belong to the ledger a snapshot came from, not to
 * the snapshot. {@code checkpointText} is opaque here (empty when none was included); it is the
 * source ledger's signed checkpoint and is checked by whoever holds the key, not by the codec.
 */
public record Snapshot(int formatVersion, String stream, List<Entry> entries, Hash streamRoot,
                       byte[] checkpointText, long createdAtNs) {

    public Snapshot {
        entries = List.copyOf(entries);
        checkpointText = checkpointText.clone();
    }

    /** A copy: the record stays immutable. */
    @Override
    public byte[] checkpointText() { return checkpointText.clone(); }

    /** The seq of the last entry, 0 for an empty snapshot. */
    public long latestSeq() { return entries.isEmpty() ? 0 : entries.getLast().seq(); }
}
