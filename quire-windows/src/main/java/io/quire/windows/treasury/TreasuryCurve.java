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
    public TreasuryCurve {
        Objects.requireNonNull(date);
        Objects.requireNonNull(effectiveTs);
        EnumMap<Tenor, BigDecimal> m = new EnumMap<>(Tenor.class);
        m.putAll(tenors); // EnumMap iterates in maturity order; null values are refused below.
        for (var e : m.entrySet()) Objects.requireNonNull(e.getValue(), "yield of " + e.getKey());
        if (m.isEmpty()) throw new IllegalArgumentException("a curve needs at least one tenor");
        tenors = Collections.unmodifiableMap(m);
    }

    /** The yield of {@code t} in percent, if published. */
    public Optional<BigDecimal> yield(Tenor t) { return Optional.ofNullable(tenors.get(t)); }

    /** Same tenors with numerically equal yields ({@code 4.3} equals {@code 4.30}). */
    public boolean sameValues(Map<Tenor, BigDecimal> other) {
        if (!tenors.keySet().equals(other.keySet())) return false;
        for (var e : tenors.entrySet()) if (e.getValue().compareTo(other.get(e.getKey())) != 0) return false;
        return true;
    }
}
