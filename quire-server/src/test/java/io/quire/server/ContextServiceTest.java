package io.quire.server;

import com.google.protobuf.ByteString;
import io.grpc.Status.Code;
import io.quire.api.context.v1.AppendRequest;
import io.quire.api.context.v1.Entry;
import io.quire.api.context.v1.GetResponse;
import io.quire.api.context.v1.LoadRequest;
import io.quire.api.context.v1.LoadResponse;
import io.quire.api.context.v1.SnapshotRequest;
import io.quire.api.context.v1.SnapshotResponse;
import io.quire.context.ContextLimits;
import io.quire.core.Limits;
import io.quire.core.merkle.MerkleMath;
import io.quire.core.Hash;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static io.quire.server.Fixture.code;
import static io.quire.server.Fixture.req;
import static org.assertj.core.api.Assertions.assertThat;

/** Every operation of ContextService and its semantics (DESIGN §4), through a real server on loopback. */
class ContextServiceTest {
    @TempDir Path tmp;
    Fixture f;

    @BeforeEach void start() { f = new Fixture(tmp); }

    @AfterEach void stop() throws Exception { f.close(); }

    @Test
    void shouldAppendWithGapFreeSequencesAndHashChain() {
        Entry a = f.append("c1", "facts", "one");
        Entry b = f.ctx().append(req("c1", "proposals", "two", Map.of("agent_id", "x"))).getEntry();
        assertThat(a.getSequence()).isEqualTo(1);
        assertThat(b.getSequence()).isEqualTo(2);
        assertThat(a.getId()).isNotEmpty();
        assertThat(b.getMetadataMap()).containsExactly(Map.entry("agent_id", "x"));
        assertThat(a.getAppendedAtNs()).isPositive();
        assertThat(a.getHash().size()).isEqualTo(32);
        assertThat(a.getPrevHash()).isEqualTo(ByteString.copyFrom(new byte[32]));
        assertThat(b.getPrevHash()).isEqualTo(a.getHash());
        assertThat(b.getPosition()).isEqualTo(a.getPosition() + 1);
    }

    @Test
    void shouldFilterAndPageGetAndReportLatestWhateverTheFilter() {
        for (int i = 1; i <= 10; i++) f.append("c", i % 2 == 0 ? "even" : "odd", "p" + i);
        GetResponse all = f.get("c", "", 0, 0);
        assertThat(all.getEntriesList()).extracting(Entry::getSequence).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(all.getLatestSequence()).isEqualTo(10);
        GetResponse even = f.get("c", "even", 3, 2);
        assertThat(even.getEntriesList()).extracting(Entry::getSequence).containsExactly(4L, 6L);
        assertThat(even.getLatestSequence()).isEqualTo(10);
        assertThat(f.get("c", "", 10, 0).getEntriesCount()).isZero();
        assertThat(f.get("c", "", 7, 0).getEntriesList()).extracting(Entry::getSequence).containsExactly(8L, 9L, 10L);
        assertThat(f.get("c", "none", 0, 0).getLatestSequence()).isEqualTo(10);
        // limit as uint32 above 2^31 is "very many", not negative.
        assertThat(f.get("c", "", 0, -1).getEntriesCount()).isEqualTo(10);
    }

    @Test
    void shouldReadANeverWrittenContextAsEmpty() {
        GetResponse r = f.get("never", "", 0, 0);
        assertThat(r.getEntriesCount()).isZero();
        assertThat(r.getLatestSequence()).isZero();
        SnapshotResponse s = f.ctx().snapshot(SnapshotRequest.newBuilder().setContextId("never").build());
        assertThat(s.getSequence()).isZero();
        assertThat(s.getMetadata().getEntryCount()).isZero();
        assertThat(s.getMerkleRoot().toByteArray()).isEqualTo(MerkleMath.EMPTY_ROOT.toBytes());
    }

    @Test
    void shouldPageInternallyPastTheCoreReadLimit() {
        int n = Limits.READ_LIMIT_MAX + 5;
        // The bulk path (in-process) to keep the test quick; the server reads what the core holds.
        f.server.ledger().appendBatch("ctx/big", IntStream.range(0, 5).mapToObj(i -> io.quire.core.Draft.of("x")).toList());
        f.server.ledger().appendBatch("ctx/big", IntStream.range(0, Limits.READ_LIMIT_MAX).mapToObj(i -> io.quire.core.Draft.of("x")).toList());
        GetResponse r = f.get("big", "", 0, 0);
        assertThat(r.getEntriesCount()).isEqualTo(n);
        assertThat(r.getEntries(n - 1).getSequence()).isEqualTo(n);
        assertThat(f.get("big", "", 0, Limits.READ_LIMIT_MAX + 1).getEntriesCount()).isEqualTo(Limits.READ_LIMIT_MAX + 1);
    }

    @Test
    void shouldBeIdempotentWithAnId() {
        AppendRequest r = req("c", "k", "p").toBuilder().setId("op-1").build();
        Entry a = f.ctx().append(r).getEntry();
        Entry b = f.ctx().append(r).getEntry();
        assertThat(b).isEqualTo(a);
        assertThat(f.get("c", "", 0, 0).getLatestSequence()).isEqualTo(1);
        assertThat(code(() -> f.ctx().append(r.toBuilder().setPayload(ByteString.copyFromUtf8("other")).build())))
                .isEqualTo(Code.ALREADY_EXISTS);
        assertThat(f.get("c", "", 0, 0).getLatestSequence()).isEqualTo(1);
    }

    @Test
    void shouldTickTheLamportClockAndFollowAClientClock() {
        Entry a = f.append("c", "k", "1");
        Entry b = f.append("c", "k", "2");
        assertThat(a.getLamport()).isEqualTo(1);
        assertThat(b.getLamport()).isEqualTo(2);
        Entry c = f.ctx().append(req("c", "k", "3").toBuilder().setLamport(40).build()).getEntry();
        assertThat(c.getLamport()).isEqualTo(41);
        Entry d = f.ctx().append(req("c", "k", "4").toBuilder().setLamport(5).build()).getEntry();
        assertThat(d.getLamport()).isEqualTo(42);
        assertThat(d.getMetadataMap()).doesNotContainKey(ContextLimits.LAMPORT_METADATA_KEY);
        assertThat(f.append("other", "k", "x").getLamport()).isEqualTo(1); // per context
        assertThat(code(() -> f.ctx().append(req("c", "k", "x").toBuilder().setLamport(ContextLimits.LAMPORT_MAX + 1).build())))
                .isEqualTo(Code.INVALID_ARGUMENT);
        assertThat(f.ctx().append(req("c", "k", "x").toBuilder().setLamport(ContextLimits.LAMPORT_MAX).build()).getEntry().getLamport())
                .isEqualTo(ContextLimits.LAMPORT_MAX + 1);
    }

    @Test
    void shouldRecoverTheLamportClockAfterRestart() throws Exception {
        f.ctx().append(req("c", "k", "1").toBuilder().setLamport(99).build());
        f.close();
        f = new Fixture(f.dir, false, c -> c);
        Entry e = f.append("c", "k", "2");
        assertThat(e.getLamport()).isEqualTo(101);
        assertThat(e.getSequence()).isEqualTo(2);
    }

    @Test
    void shouldRefuseReservedMetadataAndBadContextIds() {
        assertThat(code(() -> f.ctx().append(req("c", "k", "p", Map.of("quire.lamport", "7"))))).isEqualTo(Code.INVALID_ARGUMENT);
        assertThat(code(() -> f.append("", "k", "p"))).isEqualTo(Code.INVALID_ARGUMENT);
        assertThat(code(() -> f.append("a\0b", "k", "p"))).isEqualTo(Code.INVALID_ARGUMENT);
        assertThat(code(() -> f.get("", "", 0, 0))).isEqualTo(Code.INVALID_ARGUMENT);
        String max = "x".repeat(ContextLimits.CONTEXT_ID_BYTES_MAX);
        assertThat(f.append(max, "k", "p").getSequence()).isEqualTo(1);
        assertThat(code(() -> f.append(max + "x", "k", "p"))).isEqualTo(Code.INVALID_ARGUMENT);
        assertThat(f.server.ledger().streams()).hasSize(1);
    }

    @Test
    void shouldBoundEveryFieldAtItsLimit() {
        byte[] big = new byte[Limits.PAYLOAD_BYTES_MAX];
        AppendRequest r = AppendRequest.newBuilder().setContextId("c").setPayload(ByteString.copyFrom(big)).build();
        assertThat(f.ctx().append(r).getEntry().getPayload().size()).isEqualTo(Limits.PAYLOAD_BYTES_MAX);
        assertThat(code(() -> f.ctx().append(r.toBuilder().setPayload(ByteString.copyFrom(new byte[Limits.PAYLOAD_BYTES_MAX + 1])).build())))
                .isEqualTo(Code.INVALID_ARGUMENT);
        assertThat(code(() -> f.append("c", "k".repeat(Limits.KEY_BYTES_MAX + 1), "p"))).isEqualTo(Code.INVALID_ARGUMENT);
        assertThat(f.append("c", "k".repeat(Limits.KEY_BYTES_MAX), "p").getSequence()).isEqualTo(2);
        assertThat(code(() -> f.ctx().append(req("c", "k", "p").toBuilder().setId("i".repeat(Limits.ID_BYTES_MAX + 1)).build())))
                .isEqualTo(Code.INVALID_ARGUMENT);
        var meta = new java.util.HashMap<String, String>();
        for (int i = 0; i < ContextLimits.CLIENT_METADATA_ENTRIES_MAX; i++) meta.put("m" + i, "v");
        assertThat(f.ctx().append(req("c", "k", "p", meta)).getEntry().getMetadataCount()).isEqualTo(ContextLimits.CLIENT_METADATA_ENTRIES_MAX);
        meta.put("one-more", "v");
        assertThat(code(() -> f.ctx().append(req("c", "k", "p", meta)))).isEqualTo(Code.INVALID_ARGUMENT);
        String v = "v".repeat(ContextLimits.CLIENT_METADATA_BYTES_MAX - 1);
        assertThat(f.ctx().append(req("c", "k", "p", Map.of("a", v))).getEntry().getSequence()).isEqualTo(4);
        assertThat(code(() -> f.ctx().append(req("c", "k", "p", Map.of("a", v + "v"))))).isEqualTo(Code.INVALID_ARGUMENT);
        assertThat(f.get("c", "", 0, 0).getLatestSequence()).isEqualTo(4);
    }

    private SnapshotResponse snapshot(String ctx) { return f.ctx().snapshot(SnapshotRequest.newBuilder().setContextId(ctx).build()); }

    private LoadResponse load(String ctx, ByteString blob, boolean failIfExists) {
        return f.ctx().load(LoadRequest.newBuilder().setContextId(ctx).setSnapshot(blob).setFailIfExists(failIfExists).build());
    }

    @Test
    void shouldSnapshotAndRestoreExactlyIntoAnotherContext() {
        for (int i = 1; i <= 5; i++) f.append("src", "k" + (i % 2), "p" + i);
        SnapshotResponse s = snapshot("src");
        assertThat(s.getSequence()).isEqualTo(5);
        assertThat(s.getMetadata().getEntryCount()).isEqualTo(5);
        assertThat(s.getMetadata().getVersion()).isEqualTo(1);
        assertThat(s.getMetadata().getCreatedAtNs()).isPositive();
        List<Hash> hashes = f.get("src", "", 0, 0).getEntriesList().stream().map(e -> Hash.of(e.getHash().toByteArray())).toList();
        assertThat(s.getMerkleRoot().toByteArray()).isEqualTo(MerkleMath.rootOf(hashes).toBytes());
        LoadResponse r = load("dst", s.getSnapshot(), true);
        assertThat(r.getEntriesRestored()).isEqualTo(5);
        assertThat(r.getLatestSequence()).isEqualTo(5);
        List<Entry> a = f.get("src", "", 0, 0).getEntriesList();
        List<Entry> b = f.get("dst", "", 0, 0).getEntriesList();
        for (int i = 0; i < 5; i++) {
            assertThat(b.get(i).getPayload()).isEqualTo(a.get(i).getPayload());
            assertThat(b.get(i).getId()).isEqualTo(a.get(i).getId());
            assertThat(b.get(i).getSequence()).isEqualTo(a.get(i).getSequence());
            assertThat(b.get(i).getLamport()).isEqualTo(a.get(i).getLamport());
        }
        // The restored context's clock continues from the loaded entries.
        assertThat(f.append("dst", "k", "after").getLamport()).isEqualTo(6);
    }

    @Test
    void shouldApplyTheCoreLoadRules() {
        for (int i = 1; i <= 3; i++) f.append("a", "k", "p" + i);
        ByteString three = snapshot("a").getSnapshot();
        f.append("a", "k", "p4");
        ByteString four = snapshot("a").getSnapshot();
        // fail_if_exists on a non-empty context
        assertThat(code(() -> load("a", three, true))).isEqualTo(Code.ALREADY_EXISTS);
        // the same history again: nothing to add
        assertThat(load("a", four, false).getEntriesRestored()).isZero();
        // prefix extension
        load("b", three, false);
        LoadResponse ext = load("b", four, false);
        assertThat(ext.getEntriesRestored()).isEqualTo(1);
        assertThat(ext.getLatestSequence()).isEqualTo(4);
        // divergent history
        f.append("c", "k", "different");
        var div = Fixture.failure(() -> load("c", four, false));
        assertThat(div.getStatus().getCode()).isEqualTo(Code.FAILED_PRECONDITION);
        assertThat(div.getStatus().getDescription()).contains("divergent");
        assertThat(f.get("c", "", 0, 0).getLatestSequence()).isEqualTo(1);
    }

    @Test
    void shouldRefuseCorruptAndNewerSnapshotsNamingTheCheck() {
        f.append("a", "k", "p1");
        byte[] good = snapshot("a").getSnapshot().toByteArray();
        byte[] flipped = good.clone();
        flipped[flipped.length / 2] ^= 1;
        var bad = Fixture.failure(() -> load("x", ByteString.copyFrom(flipped), false));
        assertThat(bad.getStatus().getCode()).isEqualTo(Code.INVALID_ARGUMENT);
        assertThat(bad.getStatus().getDescription()).contains("snapshot check failed");
        byte[] newer = good.clone();
        ByteBuffer.wrap(newer).putShort(8, (short) 2);
        var nv = Fixture.failure(() -> load("x", ByteString.copyFrom(newer), false));
        assertThat(nv.getStatus().getCode()).isEqualTo(Code.INVALID_ARGUMENT);
        assertThat(nv.getStatus().getDescription()).contains("version");
        assertThat(code(() -> load("x", ByteString.copyFromUtf8("not a snapshot"), false))).isEqualTo(Code.INVALID_ARGUMENT);
        assertThat(code(() -> load("x", ByteString.EMPTY, false))).isEqualTo(Code.INVALID_ARGUMENT);
        assertThat(f.get("x", "", 0, 0).getLatestSequence()).isZero();
    }
}
