package io.quire.server;

import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a request that is not a valid protobuf message (bad bytes, invalid UTF-8 in a string)
 * fail with INVALID_ARGUMENT: it is the caller's input. Left alone, gRPC answers UNKNOWN
 * ("Application error processing RPC"), which reads as a server bug.
 *
 * <p>How: gRPC parses the request in its own listener, where an exception cannot be mapped, so
 * the wrapped marshaller returns a per-method sentinel instance instead of throwing, and the
 * wrapped handler closes the call when it sees that very instance (compared by identity: no
 * message a client sends can be it). The service's schema descriptor is kept for reflection.
 */
final class StrictParsing {
    private StrictParsing() {}

    /** A field number no Quire message uses: marks the sentinel so it is a distinct instance. */
    private static final int SENTINEL_FIELD = 536_870_911;

    static ServerServiceDefinition wrap(ServerServiceDefinition def) {
        ServiceDescriptor sd = def.getServiceDescriptor();
        ServiceDescriptor.Builder nsd = ServiceDescriptor.newBuilder(sd.getName()).setSchemaDescriptor(sd.getSchemaDescriptor());
        List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
        for (ServerMethodDefinition<?, ?> m : def.getMethods()) {
            ServerMethodDefinition<?, ?> w = wrap(m);
            methods.add(w);
            nsd.addMethod(w.getMethodDescriptor());
        }
        ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(nsd.build());
        for (ServerMethodDefinition<?, ?> m : methods) b.addMethod(m);
        return b.build();
    }

    @SuppressWarnings("unchecked")
    private static <Q, R> ServerMethodDefinition<Q, R> wrap(ServerMethodDefinition<Q, R> m) {
        MethodDescriptor<Q, R> md = m.getMethodDescriptor();
        MethodDescriptor.Marshaller<Q> inner = md.getRequestMarshaller();
        if (!(inner instanceof MethodDescriptor.PrototypeMarshaller<Q> p) || !(p.getMessagePrototype() instanceof Message proto)) {
            return m;
        }
        Q sentinel = (Q) proto.toBuilder().setUnknownFields(UnknownFieldSet.newBuilder()
                .addField(SENTINEL_FIELD, UnknownFieldSet.Field.newBuilder().addVarint(1).build()).build()).build();
        MethodDescriptor.Marshaller<Q> lenient = new MethodDescriptor.PrototypeMarshaller<>() {
            @Override public Q getMessagePrototype() { return p.getMessagePrototype(); }

            @Override public Class<Q> getMessageClass() { return p.getMessageClass(); }

            @Override public InputStream stream(Q value) { return inner.stream(value); }

            @Override
            public Q parse(InputStream in) {
                try {
                    return inner.parse(in);
                } catch (RuntimeException e) {
                    return sentinel;
                }
            }
        };
        ServerCallHandler<Q, R> handler = m.getServerCallHandler();
        ServerCallHandler<Q, R> checked = (call, headers) -> new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
                handler.startCall(call, headers)) {
            private boolean refused;

            @Override
            public void onMessage(Q message) {
                if (message == sentinel) {
                    refused = true;
                    call.close(Status.INVALID_ARGUMENT.withDescription("the request is not a valid "
                            + md.getFullMethodName() + " message (malformed bytes or invalid UTF-8)"), new Metadata());
                    return;
                }
                super.onMessage(message);
            }

            @Override
            public void onHalfClose() {
                if (!refused) super.onHalfClose();
            }
        };
        return ServerMethodDefinition.create(md.toBuilder().setRequestMarshaller(lenient).build(), checked);
    }
}
