package io.quire.core.merkle;

import io.quire.core.Hash;
import io.quire.core.QuireException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Certificate Transparency reference tree of 8 leaves (RFC 6962), with the roots and proofs
 * published in transparency-dev/merkle proof/verify_test.go (formerly certificate-transparency-go
 * merkle/merkle_verifier_test.go). Leaf numbers there are 1-based; here indices are 0-based.
 */
class MerkleMathRfcTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final String[] LEAF_DATA = {"", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"};
    /** Published MTH of the first 1..8 leaves. */
    private static final String[] ROOTS = {
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    };
    private static final Hash SOME_HASH = Hash.parse("abacaba000000000000000000000000000000000000000000060061e00123456");

    record InclusionVector(long index, long size, List<String> path) {}

    record ConsistencyVector(long oldSize, long newSize, List<String> path) {}

    private static final List<InclusionVector> INCLUSION = List.of(
        new InclusionVector(0, 1, List.of()),
        new InclusionVector(0, 8, List.of(
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")),
        new InclusionVector(5, 8, List.of(
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")),
        new InclusionVector(2, 3, List.of(
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")),
        new InclusionVector(1, 5, List.of(
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")));

    private static final List<ConsistencyVector> CONSISTENCY = List.of(
        new ConsistencyVector(1, 1, List.of()),
        new ConsistencyVector(1, 8, List.of(
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")),
        new ConsistencyVector(6, 8, List.of(
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")),
        new ConsistencyVector(2, 5, List.of(
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")),
        new ConsistencyVector(6, 7, List.of(
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")));

    private static List<Hash> leafHashes() {
        List<Hash> out = new ArrayList<>();
        for (String d : LEAF_DATA) out.add(MerkleMath.leafHashOfData(HEX.parseHex(d)));
        return out;
    }

    private static Hash root(long size) { return Hash.parse(ROOTS[(int) size - 1]); }

    private static List<Hash> hashes(List<String> hex) { return hex.stream().map(Hash::parse).toList(); }

    @Test
    void shouldMatchPublishedRootsAtEverySize() {
        List<Hash> leaves = leafHashes();
        for (int n = 1; n <= 8; n++) {
            assertThat(MerkleMath.rootOfLeafHashes(leaves.subList(0, n))).as("root of size %d", n).isEqualTo(root(n));
        }
    }

    @Test
    void shouldHashTheEmptyTreeAsSha256OfNothing() {
        assertThat(MerkleMath.EMPTY_ROOT.hex()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(MerkleMath.rootOf(List.of())).isEqualTo(MerkleMath.EMPTY_ROOT);
        assertThat(MerkleMath.rootOfLeafHashes(List.of())).isEqualTo(MerkleMath.EMPTY_ROOT);
    }

    @Test
    void shouldDefineLeafHashOfAnEntryAsLeafHashOfItsBytes() {
        Hash e = TestSeeds.entry(7);
        assertThat(MerkleMath.leafHash(e)).isEqualTo(MerkleMath.leafHashOfData(e.toBytes()));
        assertThat(MerkleMath.leafHash(e)).isNotEqualTo(Hash.sha256(e.toBytes())); // the 0x00 prefix matters
        assertThat(MerkleMath.rootOf(List.of(e))).isEqualTo(MerkleMath.leafHash(e));
    }

    @Test
    void shouldGenerateThePublishedInclusionPaths() {
        List<Hash> leaves = leafHashes();
        for (InclusionVector v : INCLUSION) {
            List<Hash> got = MerkleMath.inclusionPath(v.index(), v.size(), MerkleMath.ofLeafHashes(leaves.subList(0, (int) v.size())));
            assertThat(got).as("path of %s", v).isEqualTo(hashes(v.path()));
        }
    }

    @Test
    void shouldGenerateThePublishedConsistencyPaths() {
        List<Hash> leaves = leafHashes();
        for (ConsistencyVector v : CONSISTENCY) {
            List<Hash> got = MerkleMath.consistencyPath(v.oldSize(), v.newSize(), MerkleMath.ofLeafHashes(leaves.subList(0, (int) v.newSize())));
            assertThat(got).as("path of %s", v).isEqualTo(hashes(v.path()));
        }
    }

    @Test
    void shouldVerifyPublishedInclusionProofsAndRejectEveryCorruption() {
        List<Hash> leaves = leafHashes();
        for (InclusionVector v : INCLUSION) {
            Hash leaf = leaves.get((int) v.index());
            List<Hash> path = hashes(v.path());
            Hash root = root(v.size());
            assertThat(MerkleMath.verifyInclusion(v.index(), v.size(), leaf, path, root)).as("%s", v).isTrue();
            for (var probe : Corruptions.inclusion(v.index(), v.size(), leaf, path, root, SOME_HASH)) {
                assertThat(MerkleMath.verifyInclusion(probe.index(), probe.size(), probe.leaf(), probe.path(), probe.root()))
                        .as("%s must reject: %s", v, probe.desc()).isFalse();
            }
        }
    }

    @Test
    void shouldVerifyPublishedConsistencyProofsAndRejectEveryCorruption() {
        for (ConsistencyVector v : CONSISTENCY) {
            List<Hash> path = hashes(v.path());
            Hash r1 = root(v.oldSize());
            Hash r2 = root(v.newSize());
            assertThat(MerkleMath.verifyConsistency(v.oldSize(), v.newSize(), path, r1, r2)).as("%s", v).isTrue();
            if (path.isEmpty()) continue; // trivial proofs: covered by shouldHandleTheTrivialConsistencyCases
            for (var probe : Corruptions.consistency(v.oldSize(), v.newSize(), path, r1, r2, SOME_HASH)) {
                assertThat(MerkleMath.verifyConsistency(probe.oldSize(), probe.newSize(), probe.path(), probe.oldRoot(), probe.newRoot()))
                        .as("%s must reject: %s", v, probe.desc()).isFalse();
            }
        }
    }

    @Test
    void shouldHandleTheTrivialConsistencyCases() {
        Hash a = Hash.sha256(new byte[] {1});
        Hash b = Hash.sha256(new byte[] {2});
        Hash empty = MerkleMath.EMPTY_ROOT;
        assertThat(MerkleMath.verifyConsistency(0, 0, List.of(), empty, empty)).isTrue();
        assertThat(MerkleMath.verifyConsistency(1, 1, List.of(), a, a)).isTrue();
        assertThat(MerkleMath.verifyConsistency(0, 1, List.of(), empty, b)).isTrue();
        assertThat(MerkleMath.verifyConsistency(1, 1, List.of(), a, b)).as("same size, other root").isFalse();
        assertThat(MerkleMath.verifyConsistency(0, 1, List.of(), a, b)).as("size 0 needs the empty root").isFalse();
        assertThat(MerkleMath.verifyConsistency(1, 0, List.of(), a, b)).as("time travel").isFalse();
        assertThat(MerkleMath.verifyConsistency(2, 1, List.of(), a, b)).as("time travel").isFalse();
        assertThat(MerkleMath.verifyConsistency(1, 2, List.of(), a, b)).as("empty proof").isFalse();
        assertThat(MerkleMath.verifyConsistency(0, 0, List.of(empty), empty, empty)).as("non-empty proof").isFalse();
        assertThat(MerkleMath.verifyConsistency(1, 1, List.of(empty), empty, empty)).as("non-empty proof").isFalse();
        assertThat(MerkleMath.verifyConsistency(0, 1, List.of(empty), empty, empty)).as("non-empty proof").isFalse();
    }

    @Test
    void shouldRejectInclusionWithImpossibleIndexWithoutThrowing() {
        Hash h = SOME_HASH;
        for (long[] p : new long[][] {{0, 0}, {1, 0}, {2, 1}, {-1, 5}, {5, 5}}) {
            assertThat(MerkleMath.verifyInclusion(p[0], p[1], h, List.of(), h)).as("index %d size %d", p[0], p[1]).isFalse();
        }
        assertThat(MerkleMath.verifyInclusion(0, 1, h, List.of(), h)).as("one leaf: root is the leaf").isTrue();
    }

    @Test
    void shouldRefuseStructurallyImpossibleProofRecords() {
        Hash h = SOME_HASH;
        assertThatThrownBy(() -> new InclusionProof(3, 3, h, List.of())).isInstanceOf(QuireException.class).hasMessageContaining("not below size");
        assertThatThrownBy(() -> new InclusionProof(-1, 3, h, List.of())).isInstanceOf(QuireException.class);
        assertThatThrownBy(() -> new ConsistencyProof(4, 3, List.of())).isInstanceOf(QuireException.class).hasMessageContaining("0 <= old <= new");
        assertThatThrownBy(() -> new ConsistencyProof(-1, 3, List.of())).isInstanceOf(QuireException.class);
    }

    @Test
    void shouldAcceptProofsAtTheHashLimitAndRefuseOneMore() {
        List<Hash> max = java.util.Collections.nCopies(MerkleMath.PROOF_HASHES_MAX, SOME_HASH);
        List<Hash> over = java.util.Collections.nCopies(MerkleMath.PROOF_HASHES_MAX + 1, SOME_HASH);
        assertThat(new InclusionProof(0, Long.MAX_VALUE, SOME_HASH, max).path()).hasSize(MerkleMath.PROOF_HASHES_MAX);
        assertThat(new ConsistencyProof(1, Long.MAX_VALUE, max).path()).hasSize(MerkleMath.PROOF_HASHES_MAX);
        assertThatThrownBy(() -> new InclusionProof(0, Long.MAX_VALUE, SOME_HASH, over)).isInstanceOf(QuireException.class).hasMessageContaining("at most 64");
        assertThatThrownBy(() -> new ConsistencyProof(1, Long.MAX_VALUE, over)).isInstanceOf(QuireException.class).hasMessageContaining("at most 64");
        assertThat(MerkleMath.verifyInclusion(0, 2, SOME_HASH, over, SOME_HASH)).isFalse();
    }
}
