package io.quire.server;

import com.google.protobuf.ByteString;
import io.grpc.Status.Code;
import io.quire.api.context.v1.Entry;
import io.quire.api.ledger.v1.CheckpointRequest;
import io.quire.api.ledger.v1.CheckpointResponse;
import io.quire.api.ledger.v1.ProveConsistencyRequest;
import io.quire.api.ledger.v1.ProveConsistencyResponse;
import io.quire.api.ledger.v1.ProveInclusionRequest;
import io.quire.api.ledger.v1.ProveInclusionResponse;
import io.quire.core.Hash;
import io.quire.core.merkle.Checkpoint;
import io.quire.core.merkle.MerkleMath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.quire.server.Fixture.code;
import static org.assertj.core.api.Assertions.assertThat;

/** Proofs served by LedgerService, verified client-side with MerkleMath and the checkpoint's signature. */
class LedgerServiceTest {
    @TempDir Path tmp;
    Fixture f;

    @BeforeEach void start() { f = new Fixture(tmp); }

    @AfterEach void stop() throws Exception { f.close(); }

    private static List<Hash> hashes(List<ByteString> path) {
        return path.stream().map(b -> Hash.of(b.toByteArray())).toList();
    }

    @Test
    void shouldProveEveryEntryAgainstASignedCheckpoint() {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 13; i++) entries.add(f.append(i % 3 == 0 ? "a" : "b", "k", "p" + i));
        CheckpointResponse cpr = f.proofs().checkpoint(CheckpointRequest.getDefaultInstance());
        Checkpoint cp = Checkpoint.parse(cpr.getCheckpoint());
        assertThat(cp.verifySignature()).isTrue();
        assertThat(cp.size()).isEqualTo(13).isEqualTo(cpr.getSize());
        for (Entry e : entries) {
            String ctx = e.getPosition() % 3 == 0 ? "a" : "b";
            ProveInclusionResponse p = f.proofs().proveInclusion(ProveInclusionRequest.newBuilder()
                    .setContextId(ctx).setSequence(e.getSequence()).build());
            assertThat(p.getEntryHash()).isEqualTo(e.getHash());
            assertThat(p.getLeafIndex()).isEqualTo(e.getPosition());
            Checkpoint against = Checkpoint.parse(p.getCheckpoint());
            assertThat(against.verifySignature()).isTrue();
            Hash leaf = MerkleMath.leafHash(Hash.of(e.getHash().toByteArray()));
            assertThat(MerkleMath.verifyInclusion(p.getLeafIndex(), p.getTreeSize(), leaf, hashes(p.getPathList()), against.root())).isTrue();
            // A flipped path hash must fail.
            if (p.getPathCount() > 0) {
                List<Hash> bad = new ArrayList<>(hashes(p.getPathList()));
                byte[] b0 = bad.getFirst().toBytes();
                b0[0] ^= 1;
                bad.set(0, Hash.of(b0));
                assertThat(MerkleMath.verifyInclusion(p.getLeafIndex(), p.getTreeSize(), leaf, bad, against.root())).isFalse();
            }
        }
    }

    @Test
    void shouldProveConsistencyBetweenEverySizePair() {
        List<Hash> roots = new ArrayList<>();
        roots.add(MerkleMath.EMPTY_ROOT);
        for (int i = 0; i < 9; i++) {
            f.append("c", "k", "p" + i);
            roots.add(Hash.of(f.proofs().checkpoint(CheckpointRequest.getDefaultInstance()).getRoot().toByteArray()));
        }
        for (int n = 1; n <= 9; n++) {
            for (int m = 0; m <= n; m++) {
                ProveConsistencyResponse p = f.proofs().proveConsistency(ProveConsistencyRequest.newBuilder().setOldSize(m).setNewSize(n).build());
                assertThat(MerkleMath.verifyConsistency(m, n, hashes(p.getPathList()), roots.get(m), roots.get(n)))
                        .as("consistency %d -> %d", m, n).isTrue();
            }
        }
        assertThat(f.proofs().proveConsistency(ProveConsistencyRequest.newBuilder().setOldSize(3).build()).getNewSize()).isEqualTo(9);
    }

    @Test
    void shouldRefuseBadProofRequests() {
        f.append("c", "k", "p");
        assertThat(code(() -> f.proofs().proveInclusion(ProveInclusionRequest.newBuilder().setContextId("c").setSequence(2).build())))
                .isEqualTo(Code.NOT_FOUND);
        assertThat(code(() -> f.proofs().proveInclusion(ProveInclusionRequest.newBuilder().setContextId("c").setSequence(0).build())))
                .isEqualTo(Code.INVALID_ARGUMENT);
        assertThat(code(() -> f.proofs().proveInclusion(ProveInclusionRequest.newBuilder().setContextId("c").setSequence(1).setTreeSize(5).build())))
                .isEqualTo(Code.INVALID_ARGUMENT);
        assertThat(code(() -> f.proofs().proveConsistency(ProveConsistencyRequest.newBuilder().setOldSize(2).setNewSize(1).build())))
                .isEqualTo(Code.INVALID_ARGUMENT);
    }
}
