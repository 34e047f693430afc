package io.quire.windows.rfrate;

import io.quire.windows.mapping.MappingFile;
import io.quire.windows.mapping.RfRatePayload;
import io.quire.windows.treasury.StoredCurve;
import io.quire.windows.treasury.Tenor;
import io.quire.windows.treasury.TreasuryCurve;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a Treasury par curve is stored in {@code rf_rate.map} and read back, for every
 * {@link io.quire.windows.treasury.RfRateSink} over that file: one encoding, one history rebuild,
 * so a version written by one sink is the version every other sink continues from.
 */
public final class RfRateRecords {
    private RfRateRecords() {}

    /** The record of {@code curve} at {@code version}: id {@link TreasuryCurve#curveId}, tenors as Treasury labels them. */
    public static RfRatePayload payload(TreasuryCurve curve, long version) {
        List<RfRatePayload.Tenor> ts = new ArrayList<>();
        for (var e : curve.tenors().entrySet()) ts.add(new RfRatePayload.Tenor(e.getKey().label(), e.getValue().doubleValue()));
        long effNs = curve.effectiveTs().getEpochSecond() * 1_000_000_000L + curve.effectiveTs().getNano();
        return new RfRatePayload(effNs, curve.curveId(), ts, version);
    }

    /** A stored record's tenors by {@link Tenor}; a name this build does not know is left out. */
    public static Map<Tenor, BigDecimal> tenors(RfRatePayload p) {
        Map<Tenor, BigDecimal> m = new EnumMap<>(Tenor.class);
        for (RfRatePayload.Tenor t : p.tenors()) {
            Tenor k = Tenor.ofHeader(t.name());
            if (k != null) m.put(k, BigDecimal.valueOf(t.rate()));
        }
        return m;
    }

    /** The newest stored version of every curve date in {@code f} (one read of the file; other curve ids are skipped). */
    public static Map<LocalDate, StoredCurve> newestByDate(MappingFile<RfRatePayload> f) {
        Map<LocalDate, StoredCurve> latest = new HashMap<>();
        for (long id = 1; id <= f.count(); id++) {
            RfRatePayload p = f.read(id);
            Optional<LocalDate> date = TreasuryCurve.dateOfCurveId(p.curveId());
            if (date.isEmpty()) continue;
            StoredCurve prior = latest.get(date.get());
            if (prior == null || p.version() >= prior.version()) latest.put(date.get(), new StoredCurve(date.get(), p.version(), id, tenors(p)));
        }
        return latest;
    }
}
