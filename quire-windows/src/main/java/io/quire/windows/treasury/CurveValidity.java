package io.quire.windows.treasury;

import io.quire.windows.regions.MinuteSpans;

import java.time.Instant;
import java.util.List;

/**
 * Where one curve applies within one calendar year.
 *
 * @param curve     the curve
 * @param validFrom {@code floor_to_minute(effective_ts)}
 * @param validTo   the next curve's {@code valid_from}, or for the newest curve the close of its
 *                  last covered session; exclusive
 * @param span      the market minutes of the year starting in {@code [validFrom, validTo)}
 *                  (empty when superseded, e.g. Thursday's curve when Friday is Good Friday and
 *                  both become effective Monday; or when the interval is outside the year)
 * @param sessions  {@code span} cut at session boundaries
 */
public record CurveValidity(TreasuryCurve curve, Instant validFrom, Instant validTo, MinuteSpans.Span span,
                            List<MinuteSpans.SessionSpan> sessions) {
    public CurveValidity {
        sessions = List.copyOf(sessions);
    }
}
