package io.quire.core.merkle;

import io.quire.core.Hash;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The Merkle tree hash of RFC 6962 §2.1 with SHA-256, proof generation (§2.1.1, §2.1.2) and the
 * proof verifiers of RFC 9162 §2.1.3.2 and §2.1.4.2. Everything here is pure: a client verifies a
 * proof with no ledger at hand.
 *
 * <pre>
 *   leaf hash   = SHA-256( 0x00 ‖ entry hash (32 bytes) )        RFC 6962 §2.1, MTH({d0})
 *   node hash   = SHA-256( 0x01 ‖ left (32 bytes) ‖ right (32) )  RFC 6962 §2.1, MTH(D[n])
 *   empty tree  = SHA-256( "" ) = e3b0c442…b855                   RFC 6962 §2.1, MTH({})
 *
 *   MTH(D[n]) = node( MTH(D[0:k]), MTH(D[k:n]) ), k = the largest power of two &lt; n
 *
 *   size 7:              root
 *                    /          \
 *               n(0..4)        n(4..7)
 *              /      \        /      \
 *          n(0..2) n(2..4)  n(4..6)   leaf 6      (leaf 6 is promoted, not re-hashed)
 *          /   \    /   \    /   \
 *        l0   l1  l2   l3  l4   l5
 * </pre>
 *
 * <p><b>Bad input.</b> The proof records refuse structurally impossible proofs when built or parsed
 * ({@link io.quire.core.QuireException} INVALID_INPUT: negative sizes, index &ge; size, sizes
 * inverted, too many hashes). The verifiers never throw for bad input: any proof that does not
 * prove what it claims — wrong index, wrong size, wrong path length, wrong hash — makes them
 * return {@code false}. Broken internal arithmetic is an {@link IllegalStateException}
 * ("bad math in …").
 */
public final class MerkleMath {
    /** Bytes in one SHA-256 hash, leaf or node. */
    public static final int HASH_BYTES = Hash.BYTES;
    /** Domain separation byte prefixed to a leaf before hashing (RFC 6962 §2.1). */
    public static final byte LEAF_PREFIX = 0x00;
    /** Domain separation byte prefixed to two children before hashing (RFC 6962 §2.1). */
    public static final byte NODE_PREFIX = 0x01;
    /** MTH({}) = SHA-256 of the empty string (RFC 6962 §2.1). */
    public static final Hash EMPTY_ROOT = Hash.sha256(new byte[0]);
    /**
     * Most hashes a proof may hold. An inclusion path has at most ceil(log2 size) hashes and a
     * consistency path at most ceil(log2 size) + 1, so 64 covers every tree a long can count.
     */
    public static final int PROOF_HASHES_MAX = 64;

    private MerkleMath() {}

    /** RFC 6962 §2.1 leaf hash of a ledger entry: SHA-256(0x00 ‖ entryHash). */
    public static Hash leafHash(Hash entryHash) { return leafHash(Hash.sha256(), entryHash); }

    static Hash leafHash(MessageDigest md, Hash entryHash) {
        md.reset();
        md.update(LEAF_PREFIX);
        entryHash.update(md);
        return Hash.finish(md);
    }

    /** RFC 6962 §2.1 leaf hash of arbitrary data: SHA-256(0x00 ‖ data). Used for the RFC vectors. */
    public static Hash leafHashOfData(byte[] data) {
        MessageDigest md = Hash.sha256();
        md.update(LEAF_PREFIX);
        md.update(data);
        return Hash.finish(md);
    }

    /** RFC 6962 §2.1 interior node hash: SHA-256(0x01 ‖ left ‖ right). */
    public static Hash nodeHash(Hash left, Hash right) { return nodeHash(Hash.sha256(), left, right); }

    static Hash nodeHash(MessageDigest md, Hash left, Hash right) {
        md.reset();
        md.update(NODE_PREFIX);
        left.update(md);
        right.update(md);
        return Hash.finish(md);
    }

    /** MTH over the leaf hashes of {@code entryHashes} (RFC 6962 §2.1). Empty list: {@link #EMPTY_ROOT}. */
    public static Hash rootOf(List<Hash> entryHashes) {
        MessageDigest md = Hash.sha256();
        List<Hash> leaves = new ArrayList<>(entryHashes.size());
        for (Hash e : entryHashes) leaves.add(leafHash(md, e));
        return rootOfLeafHashes(leaves);
    }

    /**
     * MTH over already computed leaf hashes. Computed bottom-up: pair neighbours level by level and
     * promote an unpaired last node unchanged, which equals RFC 6962's top-down split at the largest
     * power of two below n.
     */
    public static Hash rootOfLeafHashes(List<Hash> leafHashes) {
        if (leafHashes.isEmpty()) return EMPTY_ROOT;
        MessageDigest md = Hash.sha256();
        List<Hash> level = new ArrayList<>(leafHashes);
        while (level.size() > 1) {
            List<Hash> up = new ArrayList<>((level.size() + 1) / 2);
            for (int i = 0; i + 1 < level.size(); i += 2) up.add(nodeHash(md, level.get(i), level.get(i + 1)));
            if (level.size() % 2 == 1) up.add(level.getLast());
            level = up;
        }
        return level.getFirst();
    }

    /** True iff {@code p} proves that its entry is leaf {@code p.index()} of the tree of {@code p.size()} leaves with this root. */
    public static boolean verifyInclusion(InclusionProof p, Hash root) {
        return verifyInclusion(p.index(), p.size(), p.leafHash(), p.path(), root);
    }

    /**
     * RFC 9162 §2.1.3.2: recompute the root from a leaf hash and its inclusion path. Returns
     * {@code false} (never throws) for an index outside the tree or a path of the wrong length.
     */
    public static boolean verifyInclusion(long index, long size, Hash leafHash, List<Hash> path, Hash root) {
        Objects.requireNonNull(leafHash, "leafHash");
        Objects.requireNonNull(root, "root");
        if (index < 0 || index >= size || path.size() > PROOF_HASHES_MAX) return false;
        MessageDigest md = Hash.sha256();
        long fn = index;
        long sn = size - 1;
        Hash r = leafHash;
        for (Hash p : path) {
            if (sn == 0) return false; // The path is longer than the tree is deep.
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(md, p, r);
                // A right-edge node with no right sibling at this level: climb until fn is a right child.
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>>= 1;
                    sn >>>= 1;
                }
            } else {
                r = nodeHash(md, r, p);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        return sn == 0 && r.equals(root);
    }

    /** True iff {@code p} proves that the tree with {@code oldRoot} is a prefix of the tree with {@code newRoot}. */
    public static boolean verifyConsistency(ConsistencyProof p, Hash oldRoot, Hash newRoot) {
        return verifyConsistency(p.oldSize(), p.newSize(), p.path(), oldRoot, newRoot);
    }

    /**
     * RFC 9162 §2.1.4.2, plus the two trivial cases it leaves to the caller: equal sizes need an
     * empty path and equal roots; an old size of 0 needs an empty path and the empty-tree root as
     * {@code oldRoot}. Returns {@code false} (never throws) for inverted sizes or a wrong path.
     */
    public static boolean verifyConsistency(long oldSize, long newSize, List<Hash> path, Hash oldRoot, Hash newRoot) {
        Objects.requireNonNull(oldRoot, "oldRoot");
        Objects.requireNonNull(newRoot, "newRoot");
        if (oldSize < 0 || newSize < oldSize || path.size() > PROOF_HASHES_MAX) return false;
        if (oldSize == newSize) return path.isEmpty() && oldRoot.equals(newRoot);
        if (oldSize == 0) return path.isEmpty() && oldRoot.equals(EMPTY_ROOT);
        if (path.isEmpty()) return false;
        List<Hash> c = path;
        if (isPowerOfTwo(oldSize)) {
            // The old tree is a complete left subtree; RFC 6962 §2.1.2 leaves its hash out of the proof.
            c = new ArrayList<>(path.size() + 1);
            c.add(oldRoot);
            c.addAll(path);
        }
        long fn = oldSize - 1;
        long sn = newSize - 1;
        while ((fn & 1) == 1) {
            fn >>>= 1;
            sn >>>= 1;
        }
        MessageDigest md = Hash.sha256();
        Hash fr = c.getFirst();
        Hash sr = c.getFirst();
        for (int i = 1; i < c.size(); i++) {
            if (sn == 0) return false;
            Hash h = c.get(i);
            if ((fn & 1) == 1 || fn == sn) {
                fr = nodeHash(md, h, fr);
                sr = nodeHash(md, h, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>>= 1;
                    sn >>>= 1;
                }
            } else {
                sr = nodeHash(md, sr, h);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        return sn == 0 && fr.equals(oldRoot) && sr.equals(newRoot);
    }

    // ---- proof generation over any source of subtree hashes ---------------------------------

    /** MTH(D[lo:hi]) for 0 &le; lo &lt; hi &le; the tree's size; how it is found is the source's business. */
    @FunctionalInterface
    interface Subtrees {
        Hash hash(long lo, long hi);
    }

    /** An in-memory source that rehashes from the leaves; for tests and small trees only. */
    static Subtrees ofLeafHashes(List<Hash> leafHashes) {
        return (lo, hi) -> rootOfLeafHashes(leafHashes.subList(Math.toIntExact(lo), Math.toIntExact(hi)));
    }

    /** The largest power of two strictly less than {@code n} (RFC 6962's k), for n &ge; 2. */
    static long splitPoint(long n) {
        if (n < 2) throw new IllegalStateException("bad math in splitPoint: n=" + n);
        return Long.highestOneBit(n - 1);
    }

    static boolean isPowerOfTwo(long n) { return n > 0 && (n & (n - 1)) == 0; }

    /** RFC 6962 §2.1.1 PATH(index, D[0:size]), leaf-side sibling first. */
    static List<Hash> inclusionPath(long index, long size, Subtrees s) {
        if (index < 0 || index >= size) throw new IllegalStateException("bad math in inclusionPath: index=" + index + " size=" + size);
        List<Hash> out = new ArrayList<>(64);
        path(index, 0, size, s, out);
        return out;
    }

    private static void path(long m, long lo, long hi, Subtrees s, List<Hash> out) {
        long n = hi - lo;
        if (n == 1) return;
        long k = splitPoint(n);
        if (m < k) {
            path(m, lo, lo + k, s, out);
            out.add(s.hash(lo + k, hi));
        } else {
            path(m - k, lo + k, hi, s, out);
            out.add(s.hash(lo, lo + k));
        }
    }

    /** RFC 6962 §2.1.2 PROOF(oldSize, D[0:newSize]); empty when oldSize is 0 or equals newSize. */
    static List<Hash> consistencyPath(long oldSize, long newSize, Subtrees s) {
        if (oldSize < 0 || newSize < oldSize) {
            throw new IllegalStateException("bad math in consistencyPath: oldSize=" + oldSize + " newSize=" + newSize);
        }
        List<Hash> out = new ArrayList<>(64);
        if (oldSize > 0 && oldSize < newSize) subproof(oldSize, 0, newSize, true, s, out);
        return out;
    }

    /** RFC 6962 §2.1.2 SUBPROOF(m, D[lo:hi], b), m relative to lo. */
    private static void subproof(long m, long lo, long hi, boolean b, Subtrees s, List<Hash> out) {
        long n = hi - lo;
        if (m == n) {
            if (!b) out.add(s.hash(lo, hi));
            return;
        }
        long k = splitPoint(n);
        if (m <= k) {
            subproof(m, lo, lo + k, b, s, out);
            out.add(s.hash(lo + k, hi));
        } else {
            subproof(m - k, lo + k, hi, false, s, out);
            out.add(s.hash(lo, lo + k));
        }
    }
}
