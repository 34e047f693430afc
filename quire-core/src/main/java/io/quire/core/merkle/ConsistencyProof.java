package io.quire.core.merkle;

import io.quire.core.Hash;
import io.quire.core.QuireException;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 6962 §2.1.2 consistency proof that the tree of the first {@code oldSize} entries is a prefix
 * of the tree of the first {@code newSize}. The path is empty when oldSize is 0 or equals newSize.
 * Verify with {@link MerkleMath#verifyConsistency(ConsistencyProof, Hash, Hash)}.
 *
 * <p>Text form (UTF-8, LF line ends, docs/FORMAT.md "Consistency proof"):
 * <pre>
 * quire consistency-proof v1
 * old_size &lt;decimal&gt;
 * new_size &lt;decimal&gt;
 * path &lt;64 lowercase hex&gt;        (zero or more, in RFC 6962 §2.1.2 order)
 * </pre>
 *
 * @throws QuireException INVALID_INPUT if oldSize &lt; 0, newSize &lt; oldSize or the path holds more
 *     than {@link MerkleMath#PROOF_HASHES_MAX} hashes
 */
public record ConsistencyProof(long oldSize, long newSize, List<Hash> path) {
    static final String MAGIC = "quire consistency-proof";

    public ConsistencyProof {
        if (oldSize < 0 || newSize < oldSize) {
            throw QuireException.invalid("consistency proof sizes must satisfy 0 <= old <= new, got old " + oldSize + " new " + newSize);
        }
        if (path.size() > MerkleMath.PROOF_HASHES_MAX) {
            throw QuireException.invalid("consistency proof holds " + path.size() + " hashes, at most " + MerkleMath.PROOF_HASHES_MAX);
        }
        path = List.copyOf(path);
    }

    public String encode() {
        StringBuilder b = new StringBuilder(96 + 70 * path.size());
        b.append(MAGIC).append(" v1\n");
        b.append("old_size ").append(oldSize).append('\n');
        b.append("new_size ").append(newSize).append('\n');
        for (Hash h : path) b.append("path ").append(h.hex()).append('\n');
        return b.toString();
    }

    /** Parses {@link #encode()}'s form exactly; anything else is INVALID_INPUT naming the line. */
    public static ConsistencyProof parse(String text) {
        TextLines t = TextLines.split("consistency proof", text);
        t.header(MAGIC, "consistency proof");
        long oldSize = t.decimal("old_size");
        long newSize = t.decimal("new_size");
        if (newSize < oldSize) throw t.error(t.lineNumber(), "new_size " + newSize + " is below old_size " + oldSize);
        List<Hash> path = new ArrayList<>();
        while (t.hasNext("path")) {
            if (path.size() == MerkleMath.PROOF_HASHES_MAX) throw t.error(t.lineNumber() + 1, "more than " + MerkleMath.PROOF_HASHES_MAX + " path hashes");
            path.add(t.hash("path"));
        }
        t.end();
        return new ConsistencyProof(oldSize, newSize, path);
    }
}
