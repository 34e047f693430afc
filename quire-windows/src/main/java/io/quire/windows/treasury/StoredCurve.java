package io.quire.windows.treasury;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;

/**
 * What the caller's rf_rate store already holds for a curve date: its newest version.
 *
 * @param payloadId the {@code rf_rate.map} id of that version
 */
public record StoredCurve(LocalDate date, long version, long payloadId, Map<Tenor, BigDecimal> tenors) {
    public StoredCurve {
        if (version < 1) throw new IllegalArgumentException("version " + version + " < 1");
        tenors = Map.copyOf(tenors);
    }
}
