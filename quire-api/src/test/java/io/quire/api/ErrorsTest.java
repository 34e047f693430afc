package io.quire.api;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quire.core.ErrorKind;
import io.quire.core.QuireException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorsTest {

    private static Status.Code code(QuireException e) { return Errors.toStatus(e).getStatus().getCode(); }

    @Test
    void shouldMapEveryKindAndCodeAsDocumented() {
        assertThat(code(QuireException.invalid("payload is too big"))).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(code(QuireException.notFound("no"))).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(code(QuireException.conflict("x").withCode("already_exists"))).isEqualTo(Status.Code.ALREADY_EXISTS);
        assertThat(code(QuireException.conflict("x").withCode("id_reused"))).isEqualTo(Status.Code.ALREADY_EXISTS);
        assertThat(code(QuireException.conflict("x").withCode("divergent_history"))).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(code(QuireException.conflict("x").withCode("too_many_watchers"))).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(code(QuireException.conflict("x").withCode("read_only"))).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(code(QuireException.conflict("x"))).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(code(QuireException.integrity("bad", null))).isEqualTo(Status.Code.DATA_LOSS);
        assertThat(code(new QuireException(ErrorKind.IO, "disk full"))).isEqualTo(Status.Code.UNAVAILABLE);
    }

    @Test
    void shouldGiveServerSideFailuresAnIncidentIdAndHideTheirMessage() {
        StatusRuntimeException s = Errors.toStatus(new CompletionException(new IllegalStateException("bad math in X: secret")));
        assertThat(s.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        String id = s.getTrailers().get(Errors.INCIDENT_KEY);
        assertThat(id).isNotBlank();
        assertThat(s.getStatus().getDescription()).contains(id).doesNotContain("secret");
        StatusRuntimeException io = Errors.toStatus(new QuireException(ErrorKind.IO, "disk full"));
        assertThat(io.getStatus().getDescription()).contains(io.getTrailers().get(Errors.INCIDENT_KEY));
    }

    @Test
    void shouldCarryKindAndCodeInTrailers() {
        StatusRuntimeException s = Errors.toStatus(QuireException.conflict("x").withCode("divergent_history"));
        assertThat(s.getTrailers().get(Errors.ERROR_KIND_KEY)).isEqualTo("CONFLICT");
        assertThat(s.getTrailers().get(Errors.ERROR_CODE_KEY)).isEqualTo("divergent_history");
    }

    @Test
    void shouldCutLongDescriptions() {
        String d = Errors.toStatus(QuireException.invalid("x".repeat(5000))).getStatus().getDescription();
        assertThat(d.length()).isLessThanOrEqualTo(Errors.DESCRIPTION_CHARS_MAX + 1);
    }
}
