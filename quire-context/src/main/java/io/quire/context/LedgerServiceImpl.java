package io.quire.context;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import io.quire.api.Errors;
import io.quire.api.ledger.v1.CheckpointRequest;
import io.quire.api.ledger.v1.CheckpointResponse;
import io.quire.api.ledger.v1.LedgerServiceGrpc;
import io.quire.api.ledger.v1.ProveConsistencyRequest;
import io.quire.api.ledger.v1.ProveConsistencyResponse;
import io.quire.api.ledger.v1.ProveInclusionRequest;
import io.quire.api.ledger.v1.ProveInclusionResponse;
import io.quire.core.Entry;
import io.quire.core.Hash;
import io.quire.core.Ledger;
import io.quire.core.QuireException;
import io.quire.core.merkle.Checkpoint;
import io.quire.core.merkle.ConsistencyProof;
import io.quire.core.merkle.InclusionProof;

import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * {@code quire.ledger.v1.LedgerService}: checkpoints and RFC 6962 proofs over the whole ledger,
 * so a client can check that an entry it received is in the ledger and that history was never
 * rewritten. The server computes; the client verifies (docs/API.md "LedgerService").
 */
public final class LedgerServiceImpl extends LedgerServiceGrpc.LedgerServiceImplBase {
    private final Ledger ledger;
    private final ContextEvents events;
    /** One signer at a time: concurrent callers then share the checkpoint the first one made. */
    private final ReentrantLock signing = new ReentrantLock();

    public LedgerServiceImpl(Ledger ledger, ContextEvents events) {
        this.ledger = ledger;
        this.events = events == null ? ContextEvents.NONE : events;
    }

    public LedgerServiceImpl(Ledger ledger) { this(ledger, ContextEvents.NONE); }

    private static <T> void answer(StreamObserver<T> out, Supplier<T> f) {
        try {
            out.onNext(f.get());
            out.onCompleted();
        } catch (Throwable t) {
            out.onError(Errors.toStatus(t));
        }
    }

    @Override
    public void checkpoint(CheckpointRequest req, StreamObserver<CheckpointResponse> out) {
        answer(out, () -> toProto(current()));
    }

    /** A checkpoint covering the ledger now: the stored one when it does, else a fresh one. */
    private Checkpoint current() {
        long size = ledger.size();
        var latest = ledger.latestCheckpoint();
        if (latest.isPresent() && latest.get().size() >= size) return latest.get();
        signing.lock();
        try {
            latest = ledger.latestCheckpoint();
            if (latest.isPresent() && latest.get().size() >= size) return latest.get();
            Checkpoint cp = ledger.checkpoint();
            events.checkpoint(cp.size());
            return cp;
        } finally {
            signing.unlock();
        }
    }

    private static CheckpointResponse toProto(Checkpoint c) {
        return CheckpointResponse.newBuilder()
                .setCheckpoint(c.encode())
                .setSize(c.size())
                .setRoot(bytes(c.root()))
                .setTimestampNs(c.timestampNs())
                .setOrigin(c.origin())
                .setPublicKey(ByteString.copyFrom(c.publicKey()))
                .build();
    }

    @Override
    public void proveInclusion(ProveInclusionRequest req, StreamObserver<ProveInclusionResponse> out) {
        answer(out, () -> {
            String stream = Contexts.stream(req.getContextId());
            long seq = req.getSequence();
            if (seq < 1) throw QuireException.invalid("sequence must be >= 1, got " + Long.toUnsignedString(seq));
            List<Entry> es = ledger.read(stream, seq - 1, 1, null);
            if (es.isEmpty() || es.getFirst().seq() != seq) {
                throw QuireException.notFound("context '" + req.getContextId() + "' has no entry with sequence " + seq);
            }
            Entry e = es.getFirst();
            long size = req.getTreeSize();
            Checkpoint cp = null;
            if (size == 0) {
                cp = current();
                size = cp.size();
            }
            if (size < 0 || size > ledger.size()) {
                throw QuireException.invalid("tree_size " + Long.toUnsignedString(size) + " is beyond the ledger's size " + ledger.size());
            }
            if (e.position() >= size) {
                throw QuireException.invalid("the entry is at position " + e.position() + ", not inside a tree of " + size + " entries");
            }
            InclusionProof p = ledger.proveInclusion(e.position(), size);
            ProveInclusionResponse.Builder b = ProveInclusionResponse.newBuilder()
                    .setEntryHash(bytes(p.entryHash()))
                    .setLeafIndex(p.index())
                    .setTreeSize(p.size())
                    .setRoot(bytes(cp != null ? cp.root() : ledger.rootAt(size)));
            for (Hash h : p.path()) b.addPath(bytes(h));
            if (cp != null) b.setCheckpoint(cp.encode());
            return b.build();
        });
    }

    @Override
    public void proveConsistency(ProveConsistencyRequest req, StreamObserver<ProveConsistencyResponse> out) {
        answer(out, () -> {
            long size = ledger.size();
            long oldSize = req.getOldSize();
            long newSize = req.getNewSize() == 0 ? size : req.getNewSize();
            if (newSize < 0 || newSize > size) {
                throw QuireException.invalid("new_size " + Long.toUnsignedString(newSize) + " is beyond the ledger's size " + size);
            }
            if (oldSize < 0 || oldSize > newSize) {
                throw QuireException.invalid("old_size " + Long.toUnsignedString(oldSize) + " must be <= new_size " + newSize);
            }
            // RFC 6962 §2.1.2: the empty tree is a prefix of every tree, with an empty proof.
            ConsistencyProof p = oldSize == 0 ? new ConsistencyProof(0, newSize, List.of()) : ledger.proveConsistency(oldSize, newSize);
            ProveConsistencyResponse.Builder b = ProveConsistencyResponse.newBuilder()
                    .setOldSize(oldSize).setNewSize(newSize)
                    .setOldRoot(bytes(ledger.rootAt(oldSize)))
                    .setNewRoot(bytes(ledger.rootAt(newSize)));
            for (Hash h : p.path()) b.addPath(bytes(h));
            return b.build();
        });
    }

    private static ByteString bytes(Hash h) { return ByteString.copyFrom(h.toBytes()); }
}
