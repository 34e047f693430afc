package io.quire.windows.mapping;

import io.quire.windows.slots.PayloadType;

/**
 * Owner of the body bytes of {@link TradePayload}, schema version 1. Big-endian.
 *
 * <pre>
 * offset  size  field
 *  0      8     first_ts_ns i64
 *  8      8     last_ts_ns i64 (≥ first_ts_ns)
 * 16      8     offset i64 (≥ 0), byte offset of the first row in the artifact
 * 24      8     length i64 (≥ 0), bytes of the rows
 * 32      8     record_count i64 (≥ 0)
 * 40      2     n = artifact length u16 (1..1024)
 * 42      n     artifact (file or partition id), UTF-8, no control characters
 * </pre>
 */
public final class TradePayloadCodec implements PayloadCodec<TradePayload> {
    public static final TradePayloadCodec INSTANCE = new TradePayloadCodec();
    public static final int SCHEMA_VERSION = 1;
    /** The largest body this schema can produce. */
    public static final int BODY_BYTES_MAX = ArtifactRef.FIXED_BYTES + MappingLimits.ARTIFACT_BYTES_MAX;

    private TradePayloadCodec() {}

    @Override public PayloadType type() { return PayloadType.TRADE; }
    @Override public Class<TradePayload> recordClass() { return TradePayload.class; }
    @Override public int schemaVersion() { return SCHEMA_VERSION; }

    @Override
    public byte[] encode(TradePayload p) {
        BodyWriter w = new BodyWriter(ArtifactRef.FIXED_BYTES + p.ref().artifact().length());
        p.ref().encode(w);
        return w.toBytes();
    }

    @Override
    public TradePayload decode(int schemaVersion, byte[] body) {
        Codec.checkSchema(this, schemaVersion);
        BodyReader r = new BodyReader("trade payload v1", body);
        ArtifactRef ref = ArtifactRef.decode(r);
        r.end();
        return new TradePayload(ref);
    }
}
