package io.quire.client;

import com.google.protobuf.ByteString;
import io.grpc.CallCredentials;
import io.grpc.Channel;
import io.quire.api.context.v1.Entry;
import io.quire.api.ledger.v1.CheckpointRequest;
import io.quire.api.ledger.v1.CheckpointResponse;
import io.quire.api.ledger.v1.LedgerServiceGrpc;
import io.quire.api.ledger.v1.ProveConsistencyRequest;
import io.quire.api.ledger.v1.ProveConsistencyResponse;
import io.quire.api.ledger.v1.ProveInclusionRequest;
import io.quire.api.ledger.v1.ProveInclusionResponse;
import io.quire.core.EntryHasher;
import io.quire.core.Hash;
import io.quire.core.merkle.Checkpoint;
import io.quire.core.merkle.MerkleMath;

import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A client of {@code quire.ledger.v1.LedgerService} and a client-side verifier: the server computes proofs, this
 * class checks them with {@link MerkleMath} against checkpoints whose signature it checked with a key the caller
 * trusts. Calls are reads: they are retried like {@link ContextClient}'s, with the same deadline.
 */
public final class LedgerClient {
    /** The stream name of a context is this prefix plus its id (docs/API.md "Verifying an entry"). */
    public static final String CONTEXT_STREAM_PREFIX = "ctx/";
    /** The stored metadata key of an entry's Lamport clock, hidden from the returned metadata. */
    public static final String LAMPORT_METADATA_KEY = "quire.lamport";

    private final Channel channel;
    private final CallCredentials credentials;
    private final Duration deadline;
    private final Backoff backoff;

    public LedgerClient(Channel channel) { this(channel, null); }

    public LedgerClient(Channel channel, String bearerToken) {
        this(channel, bearerToken == null ? null : QuireChannels.bearer(bearerToken), ContextClient.DEADLINE_DEFAULT, Backoff.calls());
    }

    private LedgerClient(Channel channel, CallCredentials credentials, Duration deadline, Backoff backoff) {
        if (channel == null) throw new IllegalArgumentException("a channel is needed");
        this.channel = channel;
        this.credentials = credentials;
        this.deadline = deadline;
        this.backoff = backoff;
    }

    public LedgerClient withDeadline(Duration d) { return new LedgerClient(channel, credentials, d, backoff); }

    public LedgerClient withBackoff(Backoff b) { return new LedgerClient(channel, credentials, deadline, b); }

    private LedgerServiceGrpc.LedgerServiceBlockingStub stub() {
        var s = LedgerServiceGrpc.newBlockingStub(channel).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
        return credentials == null ? s : s.withCallCredentials(credentials);
    }

    /** The server's checkpoint over the ledger as it is now (not verified: see {@link #verifyCheckpoint}). */
    public CheckpointResponse checkpoint() {
        return Retries.run(backoff, () -> stub().checkpoint(CheckpointRequest.getDefaultInstance()));
    }

    /** An inclusion proof of the entry at {@code sequence} of {@code contextId} in the first {@code treeSize} entries (0 = now). */
    public ProveInclusionResponse proveInclusion(String contextId, long sequence, long treeSize) {
        ProveInclusionRequest req = ProveInclusionRequest.newBuilder().setContextId(contextId).setSequence(sequence).setTreeSize(treeSize).build();
        return Retries.run(backoff, () -> stub().proveInclusion(req));
    }

    /** A consistency proof between the trees of {@code oldSize} and {@code newSize} entries (newSize 0 = now). */
    public ProveConsistencyResponse proveConsistency(long oldSize, long newSize) {
        ProveConsistencyRequest req = ProveConsistencyRequest.newBuilder().setOldSize(oldSize).setNewSize(newSize).build();
        return Retries.run(backoff, () -> stub().proveConsistency(req));
    }

    // ---- verification ----

    /** Parses a checkpoint and checks that {@code trustedKey} signed it; returns it. */
    public static Checkpoint verifyCheckpoint(String checkpointText, PublicKey trustedKey) {
        if (trustedKey == null) throw new IllegalArgumentException("a trusted key is needed");
        Checkpoint cp;
        try {
            cp = Checkpoint.parse(checkpointText);
        } catch (RuntimeException e) {
            throw new VerificationException("checkpoint: cannot parse: " + e.getMessage(), e);
        }
        if (!cp.verifySignature(trustedKey)) throw new VerificationException("checkpoint: signature is not valid for the trusted key");
        return cp;
    }

    /**
     * The entry hash recomputed from the entry's fields (docs/API.md "Verifying an entry"): stream
     * {@code ctx/<contextId>}, sequence, id, key, appended_at_ns, the metadata plus {@code quire.lamport} when the
     * Lamport clock is non-zero, payload and prev_hash.
     */
    public static Hash entryHash(String contextId, Entry e) {
        Map<String, String> meta = new TreeMap<>(e.getMetadataMap());
        if (e.getLamport() != 0) meta.put(LAMPORT_METADATA_KEY, Long.toUnsignedString(e.getLamport()));
        if (e.getPrevHash().size() != Hash.BYTES) throw new VerificationException("entry: prev_hash is " + e.getPrevHash().size() + " bytes, expected " + Hash.BYTES);
        return EntryHasher.hash(CONTEXT_STREAM_PREFIX + contextId, e.getSequence(), e.getId(), e.getKey(), e.getAppendedAtNs(), meta,
                e.getPayload().toByteArray(), Hash.of(e.getPrevHash().toByteArray()));
    }

    /**
     * Checks that {@code entry} of {@code contextId} is in the ledger that {@code checkpointText} commits to:
     * the checkpoint is signed by {@code trustedKey}; the entry's hash is the hash of its own fields; and an
     * inclusion proof fetched from the server for the checkpoint's size leads from that hash at the entry's
     * position to the checkpoint's root. Throws {@link VerificationException} naming the failed check.
     *
     * @return the verified checkpoint
     */
    public Checkpoint verifyEntry(String contextId, Entry entry, String checkpointText, PublicKey trustedKey) {
        Checkpoint cp = verifyCheckpoint(checkpointText, trustedKey);
        verifyEntryHash(contextId, entry); // locally, before asking the server anything
        if (entry.getPosition() >= cp.size()) {
            throw new VerificationException("inclusion: entry position " + entry.getPosition() + " is not covered by a checkpoint of size " + cp.size());
        }
        ProveInclusionResponse p = proveInclusion(contextId, entry.getSequence(), cp.size());
        verifyInclusion(contextId, entry, p, cp);
        return cp;
    }

    /** Checks that the entry's stated hash is the hash of its fields; returns it. */
    public static Hash verifyEntryHash(String contextId, Entry entry) {
        Hash computed = entryHash(contextId, entry);
        if (!computed.equals(hashOf(entry.getHash(), "entry hash"))) {
            throw new VerificationException("entry: its fields hash to " + computed.hex() + ", not to its stated hash");
        }
        return computed;
    }

    /**
     * Checks a proof the caller already holds against a checkpoint it already verified (see {@link #verifyCheckpoint}):
     * entry hash recomputed, proof for that hash, position and the checkpoint's size, path leading to its root.
     */
    public static void verifyInclusion(String contextId, Entry entry, ProveInclusionResponse proof, Checkpoint checkpoint) {
        Hash computed = verifyEntryHash(contextId, entry);
        if (!computed.equals(hashOf(proof.getEntryHash(), "proof entry_hash"))) {
            throw new VerificationException("inclusion: the proof is for another entry hash");
        }
        if (proof.getLeafIndex() != entry.getPosition()) {
            throw new VerificationException("inclusion: the proof is for leaf " + proof.getLeafIndex() + ", the entry is at " + entry.getPosition());
        }
        if (proof.getTreeSize() != checkpoint.size()) {
            throw new VerificationException("inclusion: the proof is for tree size " + proof.getTreeSize() + ", the checkpoint has " + checkpoint.size());
        }
        List<Hash> path = hashes(proof.getPathList(), "inclusion path");
        if (!MerkleMath.verifyInclusion(proof.getLeafIndex(), proof.getTreeSize(), MerkleMath.leafHash(computed), path, checkpoint.root())) {
            throw new VerificationException("inclusion: the audit path does not lead to the checkpoint's root");
        }
    }

    /**
     * Checks that {@code newCheckpoint} extends {@code oldCheckpoint} (history was not rewritten): both signed by
     * {@code trustedKey}, the new one no smaller, and a consistency proof fetched from the server between their
     * sizes that links their roots. Throws {@link VerificationException} naming the failed check.
     */
    public void verifyConsistency(String oldCheckpoint, String newCheckpoint, PublicKey trustedKey) {
        Checkpoint o = verifyCheckpoint(oldCheckpoint, trustedKey);
        Checkpoint n = verifyCheckpoint(newCheckpoint, trustedKey);
        verifyConsistency(o, n);
    }

    /** As {@link #verifyConsistency(String, String, PublicKey)} for checkpoints whose signatures the caller already checked. */
    public void verifyConsistency(Checkpoint oldCheckpoint, Checkpoint newCheckpoint) {
        if (newCheckpoint.size() < oldCheckpoint.size()) {
            throw new VerificationException("consistency: the new checkpoint (" + newCheckpoint.size() + ") is smaller than the old (" + oldCheckpoint.size() + ")");
        }
        if (oldCheckpoint.size() == newCheckpoint.size()) {
            if (!oldCheckpoint.root().equals(newCheckpoint.root())) throw new VerificationException("consistency: same size, different roots");
            return;
        }
        ProveConsistencyResponse p = proveConsistency(oldCheckpoint.size(), newCheckpoint.size());
        verifyConsistency(oldCheckpoint, newCheckpoint, p);
    }

    /** Checks a consistency proof the caller already holds between two verified checkpoints. */
    public static void verifyConsistency(Checkpoint oldCheckpoint, Checkpoint newCheckpoint, ProveConsistencyResponse proof) {
        if (proof.getOldSize() != oldCheckpoint.size() || proof.getNewSize() != newCheckpoint.size()) {
            throw new VerificationException("consistency: the proof is for sizes " + proof.getOldSize() + " → " + proof.getNewSize()
                    + ", the checkpoints have " + oldCheckpoint.size() + " → " + newCheckpoint.size());
        }
        List<Hash> path = hashes(proof.getPathList(), "consistency path");
        if (!MerkleMath.verifyConsistency(oldCheckpoint.size(), newCheckpoint.size(), path, oldCheckpoint.root(), newCheckpoint.root())) {
            throw new VerificationException("consistency: the proof does not link the old root to the new root");
        }
    }

    private static Hash hashOf(ByteString b, String what) {
        if (b.size() != Hash.BYTES) throw new VerificationException(what + " is " + b.size() + " bytes, expected " + Hash.BYTES);
        return Hash.of(b.toByteArray());
    }

    private static List<Hash> hashes(List<ByteString> path, String what) {
        if (path.size() > MerkleMath.PROOF_HASHES_MAX) throw new VerificationException(what + " has " + path.size() + " hashes, at most " + MerkleMath.PROOF_HASHES_MAX);
        return path.stream().map(b -> hashOf(b, what + " hash")).toList();
    }

}
