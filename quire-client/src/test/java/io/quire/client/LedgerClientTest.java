package io.quire.client;

import com.google.protobuf.ByteString;
import io.quire.api.context.v1.Entry;
import io.quire.api.ledger.v1.CheckpointResponse;
import io.quire.api.ledger.v1.ProveConsistencyResponse;
import io.quire.api.ledger.v1.ProveInclusionResponse;
import io.quire.core.merkle.Checkpoint;
import io.quire.core.merkle.LedgerKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** LedgerClient and the client-side verifier against a real server's proofs and checkpoints. */
class LedgerClientTest {
    @TempDir Path tmp;
    Server s;
    ContextClient ctx;
    LedgerClient ledger;
    PublicKey trusted;

    @BeforeEach void start() {
        s = new Server(tmp);
        ctx = new ContextClient(s.channel);
        ledger = new LedgerClient(s.channel);
        // The key a client trusts comes out of band: here, the ledger's own public key file.
        trusted = LedgerKeys.loadPublic(s.dir.resolve("keys").resolve(LedgerKeys.PUBLIC_KEY_FILE));
    }

    @AfterEach void stop() throws Exception {
        ctx.close();
        s.close();
    }

    static byte[] b(String x) { return x.getBytes(StandardCharsets.UTF_8); }

    List<Entry> appendSome(int n) {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String c = i % 3 == 0 ? "a" : "b";
            out.add(ctx.append(c, "k" + (i % 2), b("payload " + i), i % 4 == 0 ? Map.of("m", "v" + i) : Map.of(), null));
        }
        return out;
    }

    static String ctxOf(Entry e) { return e.getPosition() % 3 == 0 ? "a" : "b"; }

    @Test
    void shouldAcceptEveryRealEntryAgainstASignedCheckpoint() {
        List<Entry> entries = appendSome(11);
        CheckpointResponse cpr = ledger.checkpoint();
        assertThat(cpr.getSize()).isEqualTo(11);
        for (Entry e : entries) {
            Checkpoint cp = ledger.verifyEntry(ctxOf(e), e, cpr.getCheckpoint(), trusted);
            assertThat(cp.size()).isEqualTo(11);
            assertThat(LedgerClient.entryHash(ctxOf(e), e).toBytes()).isEqualTo(e.getHash().toByteArray());
        }
    }

    @Test
    void shouldRejectATamperedEntryProofOrCheckpoint() {
        List<Entry> entries = appendSome(9);
        String cpText = ledger.checkpoint().getCheckpoint();
        Entry e = entries.get(4);
        String c = ctxOf(e);
        ledger.verifyEntry(c, e, cpText, trusted);

        // The entry's payload, key, metadata or hash changed.
        assertRejected(() -> ledger.verifyEntry(c, e.toBuilder().setPayload(ByteString.copyFrom(b("forged"))).build(), cpText, trusted), "entry:");
        assertRejected(() -> ledger.verifyEntry(c, e.toBuilder().setKey("other").build(), cpText, trusted), "entry:");
        assertRejected(() -> ledger.verifyEntry(c, e.toBuilder().putMetadata("x", "y").build(), cpText, trusted), "entry:");
        assertRejected(() -> ledger.verifyEntry("a-different-context", e, cpText, trusted), "entry:");
        // A consistent forgery (hash recomputed over forged fields) is not in the tree: the server's proof is for another hash.
        Entry forged = e.toBuilder().setPayload(ByteString.copyFrom(b("forged"))).build();
        Entry rehashed = forged.toBuilder().setHash(ByteString.copyFrom(LedgerClient.entryHash(c, forged).toBytes())).build();
        assertRejected(() -> ledger.verifyEntry(c, rehashed, cpText, trusted), "inclusion:");

        // The proof changed: a flipped path hash, another leaf index.
        Checkpoint cp = LedgerClient.verifyCheckpoint(cpText, trusted);
        ProveInclusionResponse p = ledger.proveInclusion(c, e.getSequence(), cp.size());
        LedgerClient.verifyInclusion(c, e, p, cp);
        assertThat(p.getPathCount()).isPositive();
        byte[] h = p.getPath(0).toByteArray();
        h[0] ^= 1;
        ProveInclusionResponse flipped = p.toBuilder().setPath(0, ByteString.copyFrom(h)).build();
        assertRejected(() -> LedgerClient.verifyInclusion(c, e, flipped, cp), "inclusion: the audit path");
        ProveInclusionResponse shortened = p.toBuilder().clearPath().addAllPath(p.getPathList().subList(1, p.getPathCount())).build();
        assertRejected(() -> LedgerClient.verifyInclusion(c, e, shortened, cp), "inclusion: the audit path");
        Entry moved = e.toBuilder().setPosition(e.getPosition() + 1).build();
        assertRejected(() -> LedgerClient.verifyInclusion(c, moved, p, cp), "inclusion:");

        // The checkpoint changed or was signed by another key.
        String tamperedCp = cpText.replace("size " + cp.size() + "\n", "size " + (cp.size() + 1) + "\n");
        assertThat(tamperedCp).isNotEqualTo(cpText);
        assertThatThrownBy(() -> ledger.verifyEntry(c, e, tamperedCp, trusted)).isInstanceOf(VerificationException.class).hasMessageStartingWith("checkpoint:");
        PublicKey stranger = otherKey();
        assertRejected(() -> ledger.verifyEntry(c, e, cpText, stranger), "checkpoint: signature");
    }

    @Test
    void shouldVerifyConsistencyBetweenTwoCheckpointsAndRejectAForgedOne() {
        appendSome(5);
        String old = ledger.checkpoint().getCheckpoint();
        appendSome(8);
        String now = ledger.checkpoint().getCheckpoint();
        ledger.verifyConsistency(old, now, trusted);
        ledger.verifyConsistency(old, old, trusted);
        Checkpoint o = LedgerClient.verifyCheckpoint(old, trusted);
        Checkpoint n = LedgerClient.verifyCheckpoint(now, trusted);
        assertThat(n.size()).isEqualTo(13);
        assertRejected(() -> ledger.verifyConsistency(n, o), "consistency: the new checkpoint");

        ProveConsistencyResponse p = ledger.proveConsistency(o.size(), n.size());
        LedgerClient.verifyConsistency(o, n, p);
        byte[] h = p.getPath(0).toByteArray();
        h[h.length - 1] ^= 0x40;
        ProveConsistencyResponse bad = p.toBuilder().setPath(0, ByteString.copyFrom(h)).build();
        assertRejected(() -> LedgerClient.verifyConsistency(o, n, bad), "consistency: the proof does not link");
        // A proof for other sizes is refused before any hashing.
        ProveConsistencyResponse other = ledger.proveConsistency(o.size() + 1, n.size());
        assertRejected(() -> LedgerClient.verifyConsistency(o, n, other), "consistency: the proof is for sizes");
    }

    static void assertRejected(Runnable r, String messageStart) {
        assertThatThrownBy(r::run).isInstanceOf(VerificationException.class).hasMessageStartingWith(messageStart);
    }

    static PublicKey otherKey() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
