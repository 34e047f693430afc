package io.quire.windows.mapping;

import io.quire.windows.slots.PayloadType;

import java.util.Objects;

/**
 * The quotes of one symbol × minute as a reference into an artifact (seed: "quote_ref … usually an
 * immutable partition ID"); the rows themselves stay in the artifact. Owner of the bytes:
 * {@link QuotePayloadCodec}.
 */
public record QuotePayload(ArtifactRef ref) implements PayloadRecord {
    public QuotePayload { Objects.requireNonNull(ref, "ref"); }

    public QuotePayload(String artifact, long offset, long length, long recordCount, long firstTsNs, long lastTsNs) {
        this(new ArtifactRef(artifact, offset, length, recordCount, firstTsNs, lastTsNs));
    }

    @Override public PayloadType type() { return PayloadType.QUOTE; }
}
