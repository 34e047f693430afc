package io.quire.core.merkle;

import io.quire.core.Hash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Go tlog's TestTree, for Quire's tiles: grow the stored tree leaf by leaf to {@link #LEAVES}
 * leaves and, at every size, prove and verify every leaf and every earlier size, then flip each
 * proof hash and expect the verifier to refuse.
 */
class TileStoreSweepTest {
    static final int LEAVES = 300;
    /** Up to this size the stored proofs are also compared with proofs rehashed from the leaves. */
    static final int REFERENCE_SIZE_MAX = 64;

    @TempDir Path tmp;

    @Test
    void shouldProveAndVerifyEveryLeafAndEveryEarlierSizeAtEverySize() {
        List<Hash> entries = TestSeeds.entries(LEAVES);
        List<Hash> leafHashes = new ArrayList<>();
        List<Hash> roots = new ArrayList<>(); // roots.get(n) = MTH of the first n entries
        roots.add(MerkleMath.EMPTY_ROOT);
        try (TileStore store = TileStore.open(tmp.resolve("merkle"))) {
            assertThat(store.root(0)).isEqualTo(MerkleMath.EMPTY_ROOT);
            for (int n = 1; n <= LEAVES; n++) {
                store.append(entries.get(n - 1));
                store.flush();
                leafHashes.add(MerkleMath.leafHash(entries.get(n - 1)));
                roots.add(MerkleMath.rootOfLeafHashes(leafHashes));
                assertThat(store.size()).isEqualTo(n);
                assertThat(store.root(n)).as("root at size %d", n).isEqualTo(roots.get(n));
                for (int i = 0; i < n; i++) checkInclusion(store, entries, leafHashes, roots, i, n);
                for (int m = 0; m <= n; m++) checkConsistency(store, leafHashes, roots, m, n);
            }
            for (int n = 0; n <= LEAVES; n++) assertThat(store.root(n)).as("past root %d", n).isEqualTo(roots.get(n));
        }
    }

    private static void checkInclusion(TileStore store, List<Hash> entries, List<Hash> leafHashes, List<Hash> roots, int i, int n) {
        InclusionProof p = store.proveInclusion(i, n, entries.get(i));
        Hash root = roots.get(n);
        assertThat(MerkleMath.verifyInclusion(p, root)).as("inclusion of %d in %d", i, n).isTrue();
        assertThat(p.path().size()).isLessThanOrEqualTo(64 - Long.numberOfLeadingZeros(n - 1L));
        if (n <= REFERENCE_SIZE_MAX) {
            assertThat(p.path()).isEqualTo(MerkleMath.inclusionPath(i, n, MerkleMath.ofLeafHashes(leafHashes.subList(0, n))));
        }
        for (int j = 0; j < p.path().size(); j++) {
            List<Hash> bad = Corruptions.with(p.path(), j, Corruptions.flipBit(p.path().get(j), 0));
            assertThat(MerkleMath.verifyInclusion(i, n, p.leafHash(), bad, root)).as("flipped hash %d of inclusion %d in %d", j, i, n).isFalse();
        }
        if (n > 1) assertThat(MerkleMath.verifyInclusion(p, roots.get(n - 1))).as("older root").isFalse();
    }

    private static void checkConsistency(TileStore store, List<Hash> leafHashes, List<Hash> roots, int m, int n) {
        ConsistencyProof p = store.proveConsistency(m, n);
        assertThat(MerkleMath.verifyConsistency(p, roots.get(m), roots.get(n))).as("consistency %d -> %d", m, n).isTrue();
        if (n <= REFERENCE_SIZE_MAX) {
            assertThat(p.path()).isEqualTo(MerkleMath.consistencyPath(m, n, MerkleMath.ofLeafHashes(leafHashes.subList(0, n))));
        }
        for (int j = 0; j < p.path().size(); j++) {
            List<Hash> bad = Corruptions.with(p.path(), j, Corruptions.flipBit(p.path().get(j), 0));
            assertThat(MerkleMath.verifyConsistency(m, n, bad, roots.get(m), roots.get(n))).as("flipped hash %d of %d -> %d", j, m, n).isFalse();
        }
        if (m > 0 && m < n) {
            assertThat(MerkleMath.verifyConsistency(p, roots.get(m - 1), roots.get(n))).as("wrong old root").isFalse();
            assertThat(MerkleMath.verifyConsistency(p, roots.get(m), roots.get(n - 1))).as("wrong new root").isFalse();
        }
    }
}
