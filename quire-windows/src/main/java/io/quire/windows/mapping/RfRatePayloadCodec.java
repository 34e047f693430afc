package io.quire.windows.mapping;

import io.quire.windows.slots.PayloadType;

import java.util.ArrayList;
import java.util.List;

/**
 * Owner of the body bytes of {@link RfRatePayload}, schema version 1. Big-endian.
 *
 * <pre>
 * offset      size  field
 *  0          8     effective_ts_ns i64
 *  8          4     version u32
 * 12          1     c = curve_id length u8 (1..64)
 * 13          c     curve_id, printable ASCII
 * 13+c        1     t = tenor count u8 (1..32)
 * then t times:
 *  +0         1     m = name length u8 (1..32)
 *  +1         m     name, printable ASCII
 *  +1+m       8     rate f64 (IEEE 754 binary64, finite)
 * </pre>
 * Tenors keep their order; names are distinct; an unpublished tenor is simply not listed.
 */
public final class RfRatePayloadCodec implements PayloadCodec<RfRatePayload> {
    public static final RfRatePayloadCodec INSTANCE = new RfRatePayloadCodec();
    public static final int SCHEMA_VERSION = 1;
    /** The largest body this schema can produce. */
    public static final int BODY_BYTES_MAX = 8 + 4 + 1 + MappingLimits.CURVE_ID_BYTES_MAX + 1
            + MappingLimits.TENORS_MAX * (1 + MappingLimits.TENOR_NAME_BYTES_MAX + 8);

    private RfRatePayloadCodec() {}

    @Override public PayloadType type() { return PayloadType.RF_RATE; }
    @Override public Class<RfRatePayload> recordClass() { return RfRatePayload.class; }
    @Override public int schemaVersion() { return SCHEMA_VERSION; }

    @Override
    public byte[] encode(RfRatePayload p) {
        BodyWriter w = new BodyWriter(64 + 24 * p.tenors().size());
        byte[] curve = BodyWriter.ascii(p.curveId());
        w.i64(p.effectiveTsNs()).u32(p.version()).u8(curve.length).bytes(curve).u8(p.tenors().size());
        for (RfRatePayload.Tenor t : p.tenors()) {
            byte[] name = BodyWriter.ascii(t.name());
            w.u8(name.length).bytes(name).f64(t.rate());
        }
        return w.toBytes();
    }

    @Override
    public RfRatePayload decode(int schemaVersion, byte[] body) {
        Codec.checkSchema(this, schemaVersion);
        BodyReader r = new BodyReader("rf_rate payload v1", body);
        long ts = r.i64("effective_ts_ns");
        long version = r.u32("version");
        String curve = r.text(r.u8("curve_id length"), MappingLimits.CURVE_ID_BYTES_MAX, false, "curve_id");
        int n = r.u8("tenor count");
        if (n > MappingLimits.TENORS_MAX) throw r.bad("tenor count " + n + " is over its limit " + MappingLimits.TENORS_MAX);
        List<RfRatePayload.Tenor> tenors = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String name = r.text(r.u8("tenor name length"), MappingLimits.TENOR_NAME_BYTES_MAX, false, "tenor name");
            double rate = r.f64("rate of tenor '" + name + "'", false);
            tenors.add(Codec.construct(r, () -> new RfRatePayload.Tenor(name, rate)));
        }
        r.end();
        return Codec.construct(r, () -> new RfRatePayload(ts, curve, tenors, version));
    }
}
