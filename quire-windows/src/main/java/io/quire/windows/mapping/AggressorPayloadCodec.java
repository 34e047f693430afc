package io.quire.windows.mapping;

import io.quire.windows.slots.PayloadType;

/**
 * Owner of the body bytes of {@link AggressorPayload}, schema version 1. Big-endian, 76 bytes.
 *
 * <pre>
 * offset  size  field
 *  0      8     buyer_count i64 (≥ 0)
 *  8      8     seller_count i64 (≥ 0)
 * 16      8     unknown_count i64 (≥ 0)
 * 24      8     buyer_volume i64 (≥ 0)
 * 32      8     seller_volume i64 (≥ 0)
 * 40      8     unknown_volume i64 (≥ 0)
 * 48      8     quote_rule_count i64 (≥ 0)
 * 56      8     tick_rule_count i64 (≥ 0)
 * 64      8     mean_confidence f64, [0, 1], or the canonical NaN when nothing was classified
 * 72      4     flags u32 bitset
 * </pre>
 */
public final class AggressorPayloadCodec implements PayloadCodec<AggressorPayload> {
    public static final AggressorPayloadCodec INSTANCE = new AggressorPayloadCodec();
    public static final int SCHEMA_VERSION = 1;
    public static final int BODY_BYTES = 76;

    private AggressorPayloadCodec() {}

    @Override public PayloadType type() { return PayloadType.AGGRESSOR; }
    @Override public Class<AggressorPayload> recordClass() { return AggressorPayload.class; }
    @Override public int schemaVersion() { return SCHEMA_VERSION; }

    @Override
    public byte[] encode(AggressorPayload p) {
        BodyWriter w = new BodyWriter(BODY_BYTES);
        w.i64(p.buyerCount()).i64(p.sellerCount()).i64(p.unknownCount()).i64(p.buyerVolume()).i64(p.sellerVolume())
                .i64(p.unknownVolume()).i64(p.quoteRuleCount()).i64(p.tickRuleCount()).f64(p.meanConfidence())
                .u32(Integer.toUnsignedLong(p.flags()));
        return w.toBytes();
    }

    @Override
    public AggressorPayload decode(int schemaVersion, byte[] body) {
        Codec.checkSchema(this, schemaVersion);
        BodyReader r = new BodyReader("aggressor payload v1", body);
        if (body.length != BODY_BYTES) throw r.bad("body is " + body.length + " bytes; schema 1 has exactly " + BODY_BYTES);
        long bc = r.count("buyer_count"), sc = r.count("seller_count"), uc = r.count("unknown_count");
        long bv = r.count("buyer_volume"), sv = r.count("seller_volume"), uv = r.count("unknown_volume");
        long qr = r.count("quote_rule_count"), tr = r.count("tick_rule_count");
        double conf = r.f64("mean_confidence", true);
        int flags = (int) r.u32("flags");
        r.end();
        return Codec.construct(r, () -> new AggressorPayload(bc, sc, uc, bv, sv, uv, qr, tr, conf, flags));
    }
}
