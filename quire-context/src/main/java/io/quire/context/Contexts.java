package io.quire.context;

import io.quire.core.Draft;
import io.quire.core.Entry;
import io.quire.core.Limits;
import io.quire.core.QuireException;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Context ids, their streams, and the ledger's reserved metadata (validation happens here, before anything is written). */
final class Contexts {
    private Contexts() {}

    /** The stream of a context, after checking the id: non-empty, at most CONTEXT_ID_BYTES_MAX bytes, no NUL. */
    static String stream(String contextId) {
        if (contextId == null || contextId.isEmpty()) throw QuireException.invalid("context_id must not be empty");
        int n = Draft.utf8Length(contextId);
        if (n > ContextLimits.CONTEXT_ID_BYTES_MAX) {
            throw QuireException.invalid("context_id is " + n + " bytes; the limit is " + ContextLimits.CONTEXT_ID_BYTES_MAX
                    + " bytes (CONTEXT_ID_BYTES_MAX)");
        }
        if (contextId.indexOf('\0') >= 0) throw QuireException.invalid("context_id must not contain NUL");
        String stream = ContextLimits.STREAM_PREFIX + contextId;
        Draft.validateStreamName(stream); // UTF-8 (lone surrogates)
        return stream;
    }

    /** Checks the client's metadata: no reserved keys, and room left for the ledger's own. */
    static SortedMap<String, String> clientMetadata(Map<String, String> m) {
        if (m.size() > ContextLimits.CLIENT_METADATA_ENTRIES_MAX) {
            throw QuireException.invalid("metadata has " + m.size() + " entries; the limit is " + ContextLimits.CLIENT_METADATA_ENTRIES_MAX
                    + " (CLIENT_METADATA_ENTRIES_MAX)");
        }
        long bytes = 0;
        for (Map.Entry<String, String> e : m.entrySet()) {
            if (e.getKey().startsWith(ContextLimits.RESERVED_METADATA_PREFIX)) {
                throw QuireException.invalid("metadata key '" + e.getKey() + "' is reserved (keys starting '"
                        + ContextLimits.RESERVED_METADATA_PREFIX + "' belong to the ledger)");
            }
            bytes += Draft.utf8Length(e.getKey()) + Draft.utf8Length(e.getValue());
        }
        if (bytes > ContextLimits.CLIENT_METADATA_BYTES_MAX) {
            throw QuireException.invalid("metadata is " + bytes + " bytes; the limit is " + ContextLimits.CLIENT_METADATA_BYTES_MAX
                    + " bytes (CLIENT_METADATA_BYTES_MAX)");
        }
        return new TreeMap<>(m);
    }

    /** The metadata a client sees: the entry's without the reserved keys. */
    static Map<String, String> visibleMetadata(SortedMap<String, String> m) {
        if (m.isEmpty()) return m;
        boolean any = false;
        for (String k : m.keySet()) if (k.startsWith(ContextLimits.RESERVED_METADATA_PREFIX)) { any = true; break; }
        if (!any) return m;
        Map<String, String> out = new TreeMap<>(m);
        out.keySet().removeIf(k -> k.startsWith(ContextLimits.RESERVED_METADATA_PREFIX));
        return out;
    }

    /** The entry's Lamport clock, 0 when it has none (e.g. loaded from a ledger that kept none). */
    static long lamport(Entry e) {
        String v = e.metadata().get(ContextLimits.LAMPORT_METADATA_KEY);
        if (v == null) return 0;
        try {
            return Long.parseUnsignedLong(v);
        } catch (NumberFormatException x) {
            return 0;
        }
    }

    static {
        if (Limits.STREAM_NAME_BYTES_MAX - ContextLimits.STREAM_PREFIX.length() != ContextLimits.CONTEXT_ID_BYTES_MAX) {
            throw new ExceptionInInitializerError("bad limits: CONTEXT_ID_BYTES_MAX");
        }
    }
}
