package io.quire.bench;

import io.quire.core.Hash;
import io.quire.core.merkle.InclusionProof;
import io.quire.core.merkle.MerkleMath;

/** The one place W7 calls the pure verifier {@link MerkleMath#verifyInclusion(InclusionProof, Hash)}. */
final class MerkleVerify {
    private MerkleVerify() {}

    /** Null when the verifier is there (it is, since the merkle branch was merged). */
    static String missing() { return null; }

    /** Verifies; throws when the proof does not verify. */
    static void verify(InclusionProof proof, Hash root) {
        if (!MerkleMath.verifyInclusion(proof, root)) {
            throw new IllegalStateException("inclusion proof of position " + proof.index() + " in size " + proof.size() + " did not verify");
        }
    }
}
