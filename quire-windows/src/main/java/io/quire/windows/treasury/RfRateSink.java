package io.quire.windows.treasury;

import io.quire.windows.regions.MinuteSpans;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/**
 * The caller's side of treasury ingest: the rf_rate mapping file and the slot matrix. Treasury
 * ingest decides versions and minute ranges; the sink turns a curve into an {@code RfRatePayload}
 * ({@code effective_ts}, {@code curve_id}, tenors, version), appends it, and writes payload ids
 * into the {@code rf_rate_ref} slots of the symbols that need the curve.
 */
public interface RfRateSink {
    /** The newest stored version of the curve dated {@code date}, if any. */
    Optional<StoredCurve> latest(LocalDate date);

    /**
     * Appends a new or revised curve (durably) and returns its payload id (≥ 1).
     *
     * @param validTo the exclusive end of its validity as computed now (informational: a newer
     *                curve may shorten it, a later {@code coverThrough} lengthen it)
     */
    long append(TreasuryCurve curve, long version, Instant validFrom, Instant validTo);

    /**
     * Points {@code rf_rate_ref} of every symbol that needs the curve at {@code payloadId} for
     * every minute of {@code span}. {@code kind} is {@link Revision.Kind#UNCHANGED} when the
     * payload was already stored and only its range may have grown (carry-forward): the sink may
     * skip slots that already hold {@code payloadId} at {@code version} (the slot matrix refuses
     * a same-version refill with {@code VERSION_NOT_ADVANCED}, which here means "already done").
     */
    void writeRange(long payloadId, long version, Revision.Kind kind, TreasuryCurve curve, MinuteSpans.Span span);
}
