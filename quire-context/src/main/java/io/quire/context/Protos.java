package io.quire.context;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.quire.core.Entry;

/** Core entries to wire entries. */
final class Protos {
    private Protos() {}

    static io.quire.api.context.v1.Entry entry(Entry e) {
        return io.quire.api.context.v1.Entry.newBuilder()
                .setId(e.id())
                .setKey(e.key())
                // The core never mutates a stored payload, so it can be wrapped without a copy.
                .setPayload(UnsafeByteOperations.unsafeWrap(e.payload()))
                .setSequence(e.seq())
                .setAppendedAtNs(Math.max(0, e.timestampNs()))
                .putAllMetadata(Contexts.visibleMetadata(e.metadata()))
                .setHash(ByteString.copyFrom(e.hash().toBytes()))
                .setPrevHash(ByteString.copyFrom(e.prevHash().toBytes()))
                .setPosition(Math.max(0, e.position()))
                .setLamport(Contexts.lamport(e))
                .build();
    }
}
