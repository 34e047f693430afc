package io.quire.windows.treasury;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One day's par yield curve as published, before it becomes an {@code RfRatePayload}.
 *
 * @param date        the curve's date (the trading day whose close it describes)
 * @param effectiveTs when it may first be used ({@link EffectiveRule}); {@code valid_from = floor_to_minute(effectiveTs)}
 * @param tenors      yields in percent, exactly as published, in maturity order; a tenor that
 *                    was blank is absent (never 0)
 * @param line        the CSV line it came from (1-based, header is line 1), or 0 when not from a file
 */
public record TreasuryCurve(LocalDate date, Instant effectiveTs, Map<Tenor, BigDecimal> tenors, long line) {
    /**
     * Prefix of the {@code curve_id} under which a US Treasury par yield curve is stored in
     * {@code rf_rate.map}: {@code UST-PAR-<ISO date>}. Every writer and reader of that file uses
     * {@link #curveId} and {@link #dateOfCurveId}, so a version history written by one is seen by
     * the others (a revision of a date is always the stored version + 1).
     */
    public static final String CURVE_ID_PREFIX = "UST-PAR-";

    /** The stored {@code curve_id} of the curve of {@code date}. */
    public static String curveId(LocalDate date) { return CURVE_ID_PREFIX + date; }

    /**
     * The date of a stored Treasury par curve id, or empty for any other curve id. The prefix is
     * matched without regard to case: files written before the id had one spelling hold
     * {@code ust-par-<date>}.
     */
    public static Optional<LocalDate> dateOfCurveId(String curveId) {
        if (curveId == null || !curveId.regionMatches(true, 0, CURVE_ID_PREFIX, 0, CURVE_ID_PREFIX.length())) return Optional.empty();
        try {
            return Optional.of(LocalDate.parse(curveId.substring(CURVE_ID_PREFIX.length())));
        } catch (java.time.DateTimeException e) {
            return Optional.empty();
        }
    }

    public TreasuryCurve {
        Objects.requireNonNull(date);
        Objects.requireNonNull(effectiveTs);
        EnumMap<Tenor, BigDecimal> m = new EnumMap<>(Tenor.class);
        m.putAll(tenors); // EnumMap iterates in maturity order; null values are refused below.
        for (var e : m.entrySet()) Objects.requireNonNull(e.getValue(), "yield of " + e.getKey());
        if (m.isEmpty()) throw new IllegalArgumentException("a curve needs at least one tenor");
        tenors = Collections.unmodifiableMap(m);
    }

    /** This curve's stored {@code curve_id}. */
    public String curveId() { return curveId(date); }

    /** The yield of {@code t} in percent, if published. */
    public Optional<BigDecimal> yield(Tenor t) { return Optional.ofNullable(tenors.get(t)); }

    /** Same tenors with numerically equal yields ({@code 4.3} equals {@code 4.30}). */
    public boolean sameValues(Map<Tenor, BigDecimal> other) {
        if (!tenors.keySet().equals(other.keySet())) return false;
        for (var e : tenors.entrySet()) if (e.getValue().compareTo(other.get(e.getKey())) != 0) return false;
        return true;
    }
}
