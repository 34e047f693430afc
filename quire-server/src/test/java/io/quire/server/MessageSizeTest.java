package io.quire.server;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.quire.api.context.v1.AppendRequest;
import io.quire.api.context.v1.LoadRequest;
import io.quire.core.Limits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Invariants checked: with --max-message-bytes at its minimum (MESSAGE_BYTES_MIN), a maximal Append (4 MiB
 * payload) still goes through, and a message over the limit is RESOURCE_EXHAUSTED (gRPC's own check) and writes
 * nothing.
 */
class MessageSizeTest {
    @TempDir Path tmp;

    @Test
    void shouldRefuseAMessageOverMaxMessageBytesWithResourceExhausted() throws Exception {
        try (Fixture f = new Fixture(tmp, c -> new Config(c.dir(), c.bind(), c.grpcPort(), c.httpPort(), c.tokens(), c.tlsCert(),
                c.tlsKey(), ServerLimits.MESSAGE_BYTES_MIN, c.durability(), c.context(), c.drainMs(), c.eventLoops()))) {
            AppendRequest max = AppendRequest.newBuilder().setContextId("c").setId("max")
                    .setPayload(ByteString.copyFrom(new byte[Limits.PAYLOAD_BYTES_MAX])).build();
            assertThat(f.ctx().append(max).getEntry().getSequence()).isEqualTo(1);
            LoadRequest over = LoadRequest.newBuilder().setContextId("d")
                    .setSnapshot(ByteString.copyFrom(new byte[ServerLimits.MESSAGE_BYTES_MIN + 1])).build();
            assertThat(Fixture.code(() -> f.ctx().load(over))).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            AppendRequest big = AppendRequest.newBuilder().setContextId("c").setId("big")
                    .setPayload(ByteString.copyFrom(new byte[ServerLimits.MESSAGE_BYTES_MIN + 1])).build();
            assertThat(Fixture.code(() -> f.ctx().append(big))).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(f.get("c", "", 0, 0).getLatestSequence()).isEqualTo(1);
            assertThat(f.get("d", "", 0, 0).getLatestSequence()).isZero();
        }
    }
}
