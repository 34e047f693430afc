package io.quire.windows.mapping;

import io.quire.windows.slots.PayloadType;

import java.util.Objects;

/**
 * The trades of one symbol × minute as a reference into an artifact (seed: "trade_ref … usually an
 * immutable partition ID"); the rows themselves stay in the artifact. Owner of the bytes:
 * {@link TradePayloadCodec}.
 */
public record TradePayload(ArtifactRef ref) implements PayloadRecord {
    public TradePayload { Objects.requireNonNull(ref, "ref"); }

    public TradePayload(String artifact, long offset, long length, long recordCount, long firstTsNs, long lastTsNs) {
        this(new ArtifactRef(artifact, offset, length, recordCount, firstTsNs, lastTsNs));
    }

    @Override public PayloadType type() { return PayloadType.TRADE; }
}
