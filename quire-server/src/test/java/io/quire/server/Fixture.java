package io.quire.server;

import com.google.protobuf.ByteString;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.quire.api.context.v1.AppendRequest;
import io.quire.api.context.v1.ContextServiceGrpc;
import io.quire.api.context.v1.Entry;
import io.quire.api.context.v1.GetRequest;
import io.quire.api.context.v1.GetResponse;
import io.quire.api.ledger.v1.LedgerServiceGrpc;
import io.quire.core.Durability;
import io.quire.core.Ledger;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/** A real server on loopback over a fresh ledger, and plaintext Netty channels to it. */
final class Fixture implements AutoCloseable {
    final Path dir;
    final QuireServer server;
    final ManagedChannel channel;

    Fixture(Path tmp) { this(tmp, c -> c); }

    Fixture(Path tmp, java.util.function.UnaryOperator<Config> tweak) { this(tmp.resolve("ledger"), true, tweak); }

    /** Serves the ledger at {@code dir}, creating it first when {@code init}. */
    Fixture(Path dir, boolean init, java.util.function.UnaryOperator<Config> tweak) {
        this.dir = dir;
        if (init) Ledger.init(dir);
        Config c = Config.defaults(dir).withPorts(0, 0).withDurability(Durability.NONE);
        server = QuireServer.start(tweak.apply(c));
        channel = channel();
    }

    ManagedChannel channel() {
        return NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext()
                .maxInboundMessageSize(128 * 1024 * 1024).build();
    }

    ContextServiceGrpc.ContextServiceBlockingStub ctx() {
        return ContextServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    ContextServiceGrpc.ContextServiceStub ctxAsync() { return ContextServiceGrpc.newStub(channel); }

    LedgerServiceGrpc.LedgerServiceBlockingStub proofs() {
        return LedgerServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    static CallCredentials bearer(String token) {
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo info, Executor ex, MetadataApplier applier) {
                Metadata m = new Metadata();
                m.put(AuthInterceptor.AUTHORIZATION, "Bearer " + token);
                applier.apply(m);
            }
        };
    }

    static AppendRequest req(String ctx, String key, String payload) {
        return AppendRequest.newBuilder().setContextId(ctx).setKey(key).setPayload(ByteString.copyFrom(payload, StandardCharsets.UTF_8)).build();
    }

    static AppendRequest req(String ctx, String key, String payload, Map<String, String> meta) {
        return req(ctx, key, payload).toBuilder().putAllMetadata(meta).build();
    }

    Entry append(String ctx, String key, String payload) { return ctx().append(req(ctx, key, payload)).getEntry(); }

    GetResponse get(String ctx, String key, long after, int limit) {
        return ctx().get(GetRequest.newBuilder().setContextId(ctx).setKey(key).setAfterSequence(after).setLimit(limit).build());
    }

    static io.grpc.Status.Code code(Runnable r) {
        try {
            r.run();
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
        return io.grpc.Status.Code.OK;
    }

    static StatusRuntimeException failure(Runnable r) {
        try {
            r.run();
        } catch (StatusRuntimeException e) {
            return e;
        }
        throw new AssertionError("expected a failure");
    }

    @Override
    public void close() throws Exception {
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
        server.close();
    }
}
