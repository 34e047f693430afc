package io.quire.core;

import java.util.Map;
import java.util.SortedMap;

/**
 * One entry of a stream, as stored. {@code hash} covers every field except {@code position} and
 * {@code hash} itself (see {@link EntryHasher}); {@code prevHash} is the previous entry's hash in
 * the same stream, or {@link Hash#ZERO} for seq 1.
 *
 * <p>The payload array is shared, not copied: callers must not modify it.
 */
public record Entry(
        String stream,
        long seq,
        long position,
        String id,
        String key,
        long timestampNs,
        SortedMap<String, String> metadata,
        byte[] payload,
        Hash prevHash,
        Hash hash) {

    /** Recomputes the hash from the fields and compares it with {@link #hash()}. */
    public boolean hashMatches() { return EntryHasher.hash(this).equals(hash); }

    /** The same entry re-chained under another stream name (see DESIGN §3.3, moving a context). */
    public Entry rechain(String newStream, Hash newPrev) {
        Entry e = new Entry(newStream, seq, position, id, key, timestampNs, metadata, payload, newPrev, Hash.ZERO);
        return e.withHash(EntryHasher.hash(e));
    }

    public Entry withHash(Hash h) {
        return new Entry(stream, seq, position, id, key, timestampNs, metadata, payload, prevHash, h);
    }

    public Entry withPosition(long p) {
        return new Entry(stream, seq, p, id, key, timestampNs, metadata, payload, prevHash, hash);
    }

    /** True when both entries carry the same content (everything that is hashed). */
    public boolean sameContent(Entry o) {
        return stream.equals(o.stream) && seq == o.seq && id.equals(o.id) && key.equals(o.key)
                && timestampNs == o.timestampNs && metadata.equals(o.metadata)
                && java.util.Arrays.equals(payload, o.payload) && prevHash.equals(o.prevHash);
    }

    public static SortedMap<String, String> sortedCopy(Map<String, String> m) {
        return java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(m));
    }
}
