package io.quire.core.merkle;

import io.quire.core.Hash;
import io.quire.core.QuireException;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * RFC 6962 §2.1.1 audit path for the entry at leaf {@code index} in the tree of the first
 * {@code size} entries. {@code path} is ordered from the leaf's sibling up to the root's child.
 * Verify with {@link MerkleMath#verifyInclusion(InclusionProof, Hash)}.
 *
 * <p>Text form (UTF-8, LF line ends, docs/FORMAT.md "Inclusion proof"):
 * <pre>
 * quire inclusion-proof v1
 * index &lt;decimal&gt;
 * size &lt;decimal&gt;
 * entry &lt;64 lowercase hex: the entry hash&gt;
 * path &lt;64 lowercase hex&gt;        (zero or more, leaf side first)
 * </pre>
 *
 * @throws QuireException INVALID_INPUT if index &lt; 0, index &ge; size or the path holds more than
 *     {@link MerkleMath#PROOF_HASHES_MAX} hashes; a path of a wrong length is not refused here but
 *     fails verification
 */
public record InclusionProof(long index, long size, Hash entryHash, List<Hash> path) {
    static final String MAGIC = "quire inclusion-proof";

    public InclusionProof {
        Objects.requireNonNull(entryHash, "entryHash");
        if (index < 0 || index >= size) throw QuireException.invalid("inclusion proof index " + index + " is not below size " + size);
        if (path.size() > MerkleMath.PROOF_HASHES_MAX) {
            throw QuireException.invalid("inclusion proof holds " + path.size() + " hashes, at most " + MerkleMath.PROOF_HASHES_MAX);
        }
        path = List.copyOf(path); // also refuses null elements
    }

    /** The RFC 6962 leaf hash of the entry: SHA-256(0x00 ‖ entryHash). */
    public Hash leafHash() { return MerkleMath.leafHash(entryHash); }

    public String encode() {
        StringBuilder b = new StringBuilder(128 + 70 * path.size());
        b.append(MAGIC).append(" v1\n");
        b.append("index ").append(index).append('\n');
        b.append("size ").append(size).append('\n');
        b.append("entry ").append(entryHash.hex()).append('\n');
        for (Hash h : path) b.append("path ").append(h.hex()).append('\n');
        return b.toString();
    }

    /** Parses {@link #encode()}'s form exactly; anything else is INVALID_INPUT naming the line. */
    public static InclusionProof parse(String text) {
        TextLines t = TextLines.split("inclusion proof", text);
        t.header(MAGIC, "inclusion proof");
        long index = t.decimal("index");
        long size = t.decimal("size");
        if (index >= size) throw t.error(t.lineNumber(), "index " + index + " is not below size " + size);
        Hash entry = t.hash("entry");
        List<Hash> path = new ArrayList<>();
        while (t.hasNext("path")) {
            if (path.size() == MerkleMath.PROOF_HASHES_MAX) throw t.error(t.lineNumber() + 1, "more than " + MerkleMath.PROOF_HASHES_MAX + " path hashes");
            path.add(t.hash("path"));
        }
        t.end();
        return new InclusionProof(index, size, entry, path);
    }
}
