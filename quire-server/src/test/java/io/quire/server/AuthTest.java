package io.quire.server;

import io.grpc.Status.Code;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.quire.api.context.v1.GetRequest;
import io.quire.api.context.v1.LoadRequest;
import io.quire.api.ledger.v1.CheckpointRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static io.quire.server.Fixture.bearer;
import static io.quire.server.Fixture.code;
import static io.quire.server.Fixture.req;
import static org.assertj.core.api.Assertions.assertThat;

/** Bearer tokens by role: UNAUTHENTICATED without a valid token, PERMISSION_DENIED below the method's role. */
class AuthTest {
    static final String READER = "reader-token-0123456789";
    static final String WRITER = "writer-token-0123456789";
    static final String ADMIN = "admin-token-01234567890";

    @TempDir Path tmp;
    Fixture f;

    @BeforeEach void start() {
        f = new Fixture(tmp, c -> c.withTokens(Map.of(READER, Role.READER, WRITER, Role.WRITER, ADMIN, Role.ADMIN)));
    }

    @AfterEach void stop() throws Exception { f.close(); }

    @Test
    void shouldRefuseCallsWithoutAValidToken() {
        assertThat(code(() -> f.ctx().append(req("c", "k", "p")))).isEqualTo(Code.UNAUTHENTICATED);
        assertThat(code(() -> f.ctx().get(GetRequest.newBuilder().setContextId("c").build()))).isEqualTo(Code.UNAUTHENTICATED);
        assertThat(code(() -> f.ctx().withCallCredentials(bearer("wrong-token-0123456789")).append(req("c", "k", "p"))))
                .isEqualTo(Code.UNAUTHENTICATED);
        assertThat(code(() -> f.proofs().checkpoint(CheckpointRequest.getDefaultInstance()))).isEqualTo(Code.UNAUTHENTICATED);
        assertThat(f.server.ledger().streams()).isEmpty();
    }

    @Test
    void shouldAllowEachRoleItsMethods() {
        var reader = f.ctx().withCallCredentials(bearer(READER));
        var writer = f.ctx().withCallCredentials(bearer(WRITER));
        var admin = f.ctx().withCallCredentials(bearer(ADMIN));
        assertThat(code(() -> reader.append(req("c", "k", "p")))).isEqualTo(Code.PERMISSION_DENIED);
        assertThat(code(() -> reader.load(LoadRequest.newBuilder().setContextId("c").build()))).isEqualTo(Code.PERMISSION_DENIED);
        assertThat(writer.append(req("c", "k", "p")).getEntry().getSequence()).isEqualTo(1);
        assertThat(admin.append(req("c", "k", "p")).getEntry().getSequence()).isEqualTo(2);
        assertThat(reader.get(GetRequest.newBuilder().setContextId("c").build()).getLatestSequence()).isEqualTo(2);
        assertThat(f.proofs().withCallCredentials(bearer(READER)).checkpoint(CheckpointRequest.getDefaultInstance()).getSize()).isEqualTo(2);
    }

    @Test
    void shouldKeepHealthOpen() {
        var h = HealthGrpc.newBlockingStub(f.channel).check(HealthCheckRequest.newBuilder().setService("").build());
        assertThat(h.getStatus().name()).isEqualTo("SERVING");
    }
}
