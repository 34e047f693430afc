package io.quire.client;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quire.server.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Bearer tokens and TLS trust from the client side. */
class ChannelSecurityTest {
    static final String WRITER = "writer-token-0123456789";
    static final String READER = "reader-token-0123456789";

    @TempDir Path tmp;
    Server s;

    @AfterEach void stop() throws Exception { if (s != null) s.close(); }

    static byte[] b(String x) { return x.getBytes(StandardCharsets.UTF_8); }

    static Status.Code code(Runnable r) {
        try {
            r.run();
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    @Test
    void shouldSendTheBearerTokenOnEveryCall() {
        s = new Server(tmp, c -> c.withTokens(Map.of(WRITER, Role.WRITER, READER, Role.READER)));
        try (ContextClient none = new ContextClient(s.channel);
             ContextClient reader = new ContextClient(s.channel, READER);
             ContextClient writer = new ContextClient(s.channel, WRITER)) {
            assertThat(code(() -> none.get("c", "", 0, 0))).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(code(() -> reader.append("c", "k", b("p")))).isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(writer.append("c", "k", b("p")).getSequence()).isEqualTo(1);
            assertThat(reader.get("c", "", 0, 0).getLatestSequence()).isEqualTo(1);
            assertThat(new LedgerClient(s.channel, READER).checkpoint().getSize()).isEqualTo(1);
        }
    }

    @Test
    void shouldTrustTheGivenCertificate() throws Exception {
        Path cert = tmp.resolve("cert.pem");
        Path key = tmp.resolve("key.pem");
        Process p;
        try {
            p = new ProcessBuilder(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(),
                    "-out", cert.toString(), "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"))
                    .redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            Assumptions.abort("openssl is not installed: " + e.getMessage());
            return;
        }
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        Assumptions.assumeTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "openssl could not make a certificate");
        s = new Server(tmp, c -> c.withTls(cert, key));
        ManagedChannel tls = QuireChannels.tls("127.0.0.1", s.port, cert);
        ManagedChannel untrusting = QuireChannels.tls("127.0.0.1", s.port, null);
        try (ContextClient c = new ContextClient(tls);
             ContextClient u0 = new ContextClient(untrusting);
             ContextClient plain = new ContextClient(s.channel)) {
            ContextClient u = u0.withCallBackoff(Backoff.none());
            assertThat(c.append("c", "k", b("p")).getSequence()).isEqualTo(1);
            // The system trust store does not know a self-signed certificate.
            assertThat(code(() -> u.get("c", "", 0, 0))).isEqualTo(Status.Code.UNAVAILABLE);
            // Nor does a plaintext client get through.
            assertThat(code(() -> plain.withCallBackoff(Backoff.none()).get("c", "", 0, 0))).isNotEqualTo(Status.Code.OK);
        } finally {
            tls.shutdownNow();
            untrusting.shutdownNow();
        }
    }
}
