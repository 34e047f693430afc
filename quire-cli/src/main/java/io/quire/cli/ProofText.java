package io.quire.cli;

import io.quire.core.Hash;
import io.quire.core.merkle.Checkpoint;
import io.quire.core.merkle.ConsistencyProof;
import io.quire.core.merkle.InclusionProof;

import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Optional;

/**
 * The one place the CLI calls the text encodings and pure verifiers of the Merkle code
 * ({@code Checkpoint.encode/parse/verifySignature}, {@code InclusionProof.encode/parse},
 * {@code ConsistencyProof.encode/parse}, {@code MerkleMath.verifyInclusion/verifyConsistency},
 * {@code LedgerKeys.loadPublic}). Verifiers are normalised to "empty when valid, otherwise the
 * reason", whatever style (boolean or exception) the core uses.
 *
 * <p>TODO(merge main): the bodies below are placeholders until the merkle branch is merged.
 */
final class ProofText {
    private ProofText() {}

    private static UnsupportedOperationException pending(String what) {
        return new UnsupportedOperationException(what + " is not in this build yet (merkle code not merged)");
    }

    static String encode(Checkpoint c) { throw pending("Checkpoint.encode"); }

    static Checkpoint parseCheckpoint(String text) { throw pending("Checkpoint.parse"); }

    /** Empty when the signature verifies against {@code key}, or the embedded key when null. */
    static Optional<String> verifySignature(Checkpoint c, PublicKey key) { throw pending("Checkpoint.verifySignature"); }

    static String encode(InclusionProof p) { throw pending("InclusionProof.encode"); }

    static InclusionProof parseInclusion(String text) { throw pending("InclusionProof.parse"); }

    static String encode(ConsistencyProof p) { throw pending("ConsistencyProof.encode"); }

    static ConsistencyProof parseConsistency(String text) { throw pending("ConsistencyProof.parse"); }

    static Optional<String> verifyInclusion(InclusionProof p, Hash root) { throw pending("MerkleMath.verifyInclusion"); }

    static Optional<String> verifyConsistency(ConsistencyProof p, Hash oldRoot, Hash newRoot) {
        throw pending("MerkleMath.verifyConsistency");
    }

    static PublicKey loadPublic(Path file) { throw pending("LedgerKeys.loadPublic"); }

    /** Where {@code init} put the ledger's public key (printed by {@code quire init}). */
    static Path publicKeyPath(Path dir) { return dir.resolve("keys"); }
}
