package io.quire.client;

import io.grpc.CallCredentials;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Executor;

/**
 * Builds channels to a Quire server: plaintext or TLS (trusting given PEM certificates, or the system's), and
 * the optional bearer token as {@link CallCredentials} for the clients.
 */
public final class QuireChannels {
    /** Largest message the client accepts (a Get answer or a snapshot): the server's default limit. */
    public static final int INBOUND_MESSAGE_BYTES_MAX = 65 * 1024 * 1024;

    private QuireChannels() {}

    /** A plaintext channel to host:port. */
    public static ManagedChannel plaintext(String host, int port) {
        return build(host, port, InsecureChannelCredentials.create());
    }

    /** A TLS channel to host:port that trusts the certificates in {@code trustPem} (null = the system's trust store). */
    public static ManagedChannel tls(String host, int port, Path trustPem) {
        try {
            TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder();
            if (trustPem != null) b.trustManager(trustPem.toFile());
            return build(host, port, b.build());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read trusted certificates " + trustPem, e);
        }
    }

    private static ManagedChannel build(String host, int port, ChannelCredentials creds) {
        return Grpc.newChannelBuilderForAddress(host, port, creds).maxInboundMessageSize(INBOUND_MESSAGE_BYTES_MAX).build();
    }

    /** {@code authorization: Bearer <token>} on every call. */
    public static CallCredentials bearer(String token) {
        if (token == null || token.isBlank()) throw new IllegalArgumentException("a bearer token must not be empty");
        Metadata.Key<String> auth = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo info, Executor ex, MetadataApplier applier) {
                try {
                    Metadata m = new Metadata();
                    m.put(auth, "Bearer " + token);
                    applier.apply(m);
                } catch (RuntimeException e) {
                    applier.fail(Status.UNAUTHENTICATED.withCause(e));
                }
            }
        };
    }
}
