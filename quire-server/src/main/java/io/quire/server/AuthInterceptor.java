package io.quire.server;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quire.api.context.v1.ContextServiceGrpc;
import io.quire.api.ledger.v1.LedgerServiceGrpc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * Bearer tokens by role (DESIGN §8). With no tokens configured every call passes. Otherwise a call
 * without a valid {@code authorization: Bearer <token>} header is refused with UNAUTHENTICATED, and
 * a valid token whose role does not include the method's is refused with PERMISSION_DENIED. The
 * health and reflection services stay open (load balancers and grpcurl need them, and they reveal
 * no data). Tokens are compared in constant time.
 */
final class AuthInterceptor implements ServerInterceptor {
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    /** The role each method needs; methods of other services not listed here need ADMIN. */
    private static final Map<String, Role> NEEDS = Map.of(
            ContextServiceGrpc.getAppendMethod().getFullMethodName(), Role.WRITER,
            ContextServiceGrpc.getLoadMethod().getFullMethodName(), Role.WRITER,
            ContextServiceGrpc.getGetMethod().getFullMethodName(), Role.READER,
            ContextServiceGrpc.getSnapshotMethod().getFullMethodName(), Role.READER,
            ContextServiceGrpc.getWatchMethod().getFullMethodName(), Role.READER,
            LedgerServiceGrpc.getCheckpointMethod().getFullMethodName(), Role.READER,
            LedgerServiceGrpc.getProveInclusionMethod().getFullMethodName(), Role.READER,
            LedgerServiceGrpc.getProveConsistencyMethod().getFullMethodName(), Role.READER);

    private final Map<String, Role> tokens;

    AuthInterceptor(Map<String, Role> tokens) { this.tokens = tokens; }

    static boolean isOpen(String fullMethod) {
        return fullMethod.startsWith("grpc.health.v1.") || fullMethod.startsWith("grpc.reflection.");
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        if (tokens.isEmpty() || isOpen(method)) return next.startCall(call, headers);
        Role needed = NEEDS.getOrDefault(method, Role.ADMIN);
        String h = headers.get(AUTHORIZATION);
        Role role = h != null && h.regionMatches(true, 0, "Bearer ", 0, 7) ? roleOf(h.substring(7).trim()) : null;
        if (role == null) {
            call.close(Status.UNAUTHENTICATED.withDescription("a valid bearer token is needed (authorization: Bearer <token>)"), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        if (!role.includes(needed)) {
            call.close(Status.PERMISSION_DENIED.withDescription(call.getMethodDescriptor().getBareMethodName() + " needs the "
                    + needed.name().toLowerCase(java.util.Locale.ROOT) + " role; this token is "
                    + role.name().toLowerCase(java.util.Locale.ROOT)), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        return next.startCall(call, headers);
    }

    /** The role of a presented token; every configured token is compared, in constant time each. */
    private Role roleOf(String presented) {
        byte[] p = presented.getBytes(StandardCharsets.UTF_8);
        Role found = null;
        for (Map.Entry<String, Role> e : tokens.entrySet()) {
            if (MessageDigest.isEqual(p, e.getKey().getBytes(StandardCharsets.UTF_8))) found = e.getValue();
        }
        return found;
    }
}
