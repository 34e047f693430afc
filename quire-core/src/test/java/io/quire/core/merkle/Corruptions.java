package io.quire.core.merkle;

import io.quire.core.Hash;

import java.util.ArrayList;
import java.util.List;

/** The mutations of tlog / transparency-dev's verify tests: every one must make a verifier say no. */
final class Corruptions {
    private Corruptions() {}

    record InclusionProbe(long index, long size, Hash leaf, List<Hash> path, Hash root, String desc) {}

    record ConsistencyProbe(long oldSize, long newSize, List<Hash> path, Hash oldRoot, Hash newRoot, String desc) {}

    static Hash flipBit(Hash h, int bit) {
        byte[] b = h.toBytes();
        b[bit / 8] ^= (byte) (1 << (bit % 8));
        return Hash.of(b);
    }

    static List<Hash> with(List<Hash> path, int i, Hash h) {
        List<Hash> p = new ArrayList<>(path);
        p.set(i, h);
        return p;
    }

    static List<Hash> plus(List<Hash> head, List<Hash> path, List<Hash> tail) {
        List<Hash> p = new ArrayList<>(head);
        p.addAll(path);
        p.addAll(tail);
        return p;
    }

    /** Every single-bit flip of every path hash, plus wrong index, size, leaf, root and path length. */
    static List<InclusionProbe> inclusion(long index, long size, Hash leaf, List<Hash> path, Hash root, Hash other) {
        List<InclusionProbe> out = new ArrayList<>();
        out.add(new InclusionProbe(index - 1, size, leaf, path, root, "index - 1"));
        out.add(new InclusionProbe(index + 1, size, leaf, path, root, "index + 1"));
        out.add(new InclusionProbe(index ^ 2, size, leaf, path, root, "index ^ 2"));
        out.add(new InclusionProbe(index, size * 2, leaf, path, root, "size * 2"));
        out.add(new InclusionProbe(index, size / 2, leaf, path, root, "size / 2"));
        out.add(new InclusionProbe(index, size, other, path, root, "wrong leaf"));
        out.add(new InclusionProbe(index, size, leaf, path, MerkleMath.EMPTY_ROOT, "empty root"));
        out.add(new InclusionProbe(index, size, leaf, path, other, "other root"));
        out.add(new InclusionProbe(index, size, leaf, plus(List.of(), path, List.of(root)), root, "trailing root"));
        out.add(new InclusionProbe(index, size, leaf, plus(List.of(root), path, List.of()), root, "preceding root"));
        for (int i = 0; i < path.size(); i++) {
            for (int bit : new int[] {0, 3, 255}) {
                out.add(new InclusionProbe(index, size, leaf, with(path, i, flipBit(path.get(i), bit)), root, "path[" + i + "] bit " + bit));
            }
        }
        if (!path.isEmpty()) out.add(new InclusionProbe(index, size, leaf, path.subList(0, path.size() - 1), root, "removed last"));
        if (path.size() > 1) {
            out.add(new InclusionProbe(index, size, leaf, plus(List.of(path.get(0), other), path.subList(1, path.size()), List.of()), root, "inserted"));
        }
        // Swapped neighbours change the order of the hashing, except when they are equal.
        if (path.size() > 1 && !path.get(0).equals(path.get(1))) {
            List<Hash> p = new ArrayList<>(path);
            p.set(0, path.get(1));
            p.set(1, path.get(0));
            out.add(new InclusionProbe(index, size, leaf, p, root, "swapped 0 and 1"));
        }
        return out;
    }

    /** For non-trivial proofs (0 &lt; old &lt; new). */
    static List<ConsistencyProbe> consistency(long oldSize, long newSize, List<Hash> path, Hash r1, Hash r2, Hash other) {
        List<ConsistencyProbe> out = new ArrayList<>();
        out.add(new ConsistencyProbe(oldSize - 1, newSize, path, r1, r2, "old - 1"));
        out.add(new ConsistencyProbe(oldSize + 1, newSize, path, r1, r2, "old + 1"));
        out.add(new ConsistencyProbe(oldSize ^ 2, newSize, path, r1, r2, "old ^ 2"));
        out.add(new ConsistencyProbe(oldSize, newSize * 2, path, r1, r2, "new * 2"));
        out.add(new ConsistencyProbe(oldSize, newSize / 2, path, r1, r2, "new / 2"));
        out.add(new ConsistencyProbe(oldSize, newSize, path, other, r2, "wrong old root"));
        out.add(new ConsistencyProbe(oldSize, newSize, path, r1, other, "wrong new root"));
        out.add(new ConsistencyProbe(oldSize, newSize, path, r2, r1, "swapped roots"));
        out.add(new ConsistencyProbe(oldSize, newSize, List.of(), r1, r2, "empty proof"));
        out.add(new ConsistencyProbe(oldSize, newSize, plus(List.of(), path, List.of(r1)), r1, r2, "trailing old root"));
        out.add(new ConsistencyProbe(oldSize, newSize, plus(List.of(), path, List.of(r2)), r1, r2, "trailing new root"));
        out.add(new ConsistencyProbe(oldSize, newSize, plus(List.of(r1), path, List.of()), r1, r2, "preceding old root"));
        out.add(new ConsistencyProbe(oldSize, newSize, plus(List.of(r2), path, List.of()), r1, r2, "preceding new root"));
        out.add(new ConsistencyProbe(oldSize, newSize, plus(List.of(path.get(0)), path, List.of()), r1, r2, "preceding path[0]"));
        out.add(new ConsistencyProbe(oldSize, newSize, path.subList(0, path.size() - 1), r1, r2, "truncated"));
        for (int i = 0; i < path.size(); i++) {
            for (int bit : new int[] {0, 4, 255}) {
                out.add(new ConsistencyProbe(oldSize, newSize, with(path, i, flipBit(path.get(i), bit)), r1, r2, "path[" + i + "] bit " + bit));
            }
        }
        return out;
    }
}
