package io.quire.windows.mapping;

import io.quire.windows.slots.PayloadType;

/**
 * Owner of the body bytes of {@link GreeksPayload}, schema version 1. Big-endian, 64 bytes.
 * NaN is stored as the canonical NaN {@code 0x7FF8000000000000} only.
 *
 * <pre>
 * offset  size  field
 *  0      8     delta f64 (finite or NaN)
 *  8      8     gamma f64 (finite or NaN)
 * 16      8     vega f64 (finite or NaN)
 * 24      8     theta f64 (finite or NaN)
 * 32      8     iv f64 (finite ≥ 0 or NaN)
 * 40      8     spot f64 (finite > 0)
 * 48      8     rate f64 (finite, percent)
 * 56      4     rf_rate_version u32
 * 60      4     flags u32 bitset
 * </pre>
 */
public final class GreeksPayloadCodec implements PayloadCodec<GreeksPayload> {
    public static final GreeksPayloadCodec INSTANCE = new GreeksPayloadCodec();
    public static final int SCHEMA_VERSION = 1;
    public static final int BODY_BYTES = 64;

    private GreeksPayloadCodec() {}

    @Override public PayloadType type() { return PayloadType.GREEKS; }
    @Override public Class<GreeksPayload> recordClass() { return GreeksPayload.class; }
    @Override public int schemaVersion() { return SCHEMA_VERSION; }

    @Override
    public byte[] encode(GreeksPayload p) {
        BodyWriter w = new BodyWriter(BODY_BYTES);
        w.f64(p.delta()).f64(p.gamma()).f64(p.vega()).f64(p.theta()).f64(p.iv()).f64(p.spot()).f64(p.rate())
                .u32(p.rfRateVersion()).u32(Integer.toUnsignedLong(p.flags()));
        return w.toBytes();
    }

    @Override
    public GreeksPayload decode(int schemaVersion, byte[] body) {
        Codec.checkSchema(this, schemaVersion);
        BodyReader r = new BodyReader("greeks payload v1", body);
        if (body.length != BODY_BYTES) throw r.bad("body is " + body.length + " bytes; schema 1 has exactly " + BODY_BYTES);
        double delta = r.f64("delta", true), gamma = r.f64("gamma", true), vega = r.f64("vega", true), theta = r.f64("theta", true);
        double iv = r.f64("iv", true), spot = r.f64("spot", false), rate = r.f64("rate", false);
        long rfv = r.u32("rf_rate_version");
        int flags = (int) r.u32("flags");
        r.end();
        return Codec.construct(r, () -> new GreeksPayload(delta, gamma, vega, theta, iv, flags, spot, rate, rfv));
    }
}
