package io.quire.core.snapshot;

import io.quire.core.Draft;
import io.quire.core.Entry;
import io.quire.core.EntryHasher;
import io.quire.core.Hash;
import io.quire.core.QuireException;
import io.quire.core.Where;

import java.util.List;

/**
 * The semantic checks on a snapshot's entries, shared by reading (after the trailer matched)
 * and writing (before the first byte goes out), so {@code write} never produces a snapshot that
 * {@code read} would refuse.
 */
final class SnapshotVerifier {
    private SnapshotVerifier() {}

    /** The header's stream name must be a legal stream name (DESIGN §3.1). */
    static void verifyStreamName(String stream) {
        try {
            Draft.validateStreamName(stream);
        } catch (QuireException e) {
            throw SnapshotCheck.STREAM_NAME.fail(e.reason(), Where.NOWHERE);
        }
    }

    /**
     * Per entry, in order, with the cheapest and most specific checks first: it belongs to the
     * stream; its seq is its 1-based index (no gap, no duplicate, no reorder); its hash is the hash
     * of its fields; its prev_hash is the previous entry's hash ({@link Hash#ZERO} for seq 1).
     */
    static void verifyEntries(String stream, List<Entry> entries) {
        Hash prev = Hash.ZERO;
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            long expectedSeq = i + 1L;
            if (!e.stream().equals(stream)) {
                throw SnapshotCheck.STREAM_NAME.failAtSeq("entry " + expectedSeq + " belongs to stream \"" + e.stream()
                        + "\", not to the snapshot's stream \"" + stream + "\"", stream, e.seq());
            }
            if (e.seq() != expectedSeq) {
                throw SnapshotCheck.SEQUENCE.failAtSeq("entry " + expectedSeq + " has seq " + e.seq()
                        + "; a snapshot holds seq 1, 2, 3, … with no gap", stream, e.seq());
            }
            if (!e.hashMatches()) {
                throw SnapshotCheck.ENTRY_HASH.failAtSeq("stored hash " + e.hash() + " is not the hash of the entry's fields ("
                        + EntryHasher.hash(e) + ")", stream, e.seq());
            }
            if (!e.prevHash().equals(prev)) {
                throw SnapshotCheck.CHAIN.failAtSeq("prev_hash " + e.prevHash() + " is not the hash of the previous entry ("
                        + prev + ")", stream, e.seq());
            }
            prev = e.hash();
        }
    }

    /** The field limits an appended entry obeys (Limits), so a snapshot never carries an entry no ledger could hold. */
    static void verifyFieldLimits(Entry e) {
        try {
            new Draft(e.id(), e.key(), e.metadata(), e.payload()).validate();
        } catch (QuireException x) {
            throw SnapshotCheck.LIMIT.failAtSeq(x.reason(), e.stream(), e.seq());
        }
    }
}
