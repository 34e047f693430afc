package io.quire.windows.rfrate;

import io.quire.windows.audit.WindowsAudit;
import io.quire.windows.mapping.Appended;
import io.quire.windows.mapping.MappingFiles;
import io.quire.windows.mapping.RfRatePayload;
import io.quire.windows.regions.MinuteSpans;
import io.quire.windows.slots.ConflictReason;
import io.quire.windows.slots.PayloadMeta;
import io.quire.windows.slots.PayloadType;
import io.quire.windows.slots.SetResult;
import io.quire.windows.slots.TradeLedger;
import io.quire.windows.treasury.Revision;
import io.quire.windows.treasury.RfRateSink;
import io.quire.windows.treasury.StoredCurve;
import io.quire.windows.treasury.TreasuryCurve;

import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * {@link RfRateSink} over the real files: appends each new or revised curve to {@code rf_rate.map}
 * as an {@link RfRatePayload} ({@code curve_id =} {@link TreasuryCurve#curveId}) and points {@code rf_rate_ref}
 * of every symbol that needs it at the payload, for every minute of the curve's span, with the
 * curve's version as the slot version (a revision bumps it, so Greeks see
 * {@code rf_rate_ref.version != greeks_ref.version}). Revisions (version above 1) are audited.
 *
 * <p>The newest stored version per date is rebuilt on construction from {@code rf_rate.map}, so
 * a restarted ingest keeps versions. Not thread-safe: one treasury engine owns it.
 */
public final class LedgerRfRateSink implements RfRateSink {
    /** Slot writes of one {@link #writeRange} call, for the engine's report. */
    public record WriteCounts(long written, long alreadyCurrent, long conflicts) {}

    private final MappingFiles mapping;
    private final TradeLedger trade;
    private final Supplier<int[]> symbols;
    private final WindowsAudit audit;
    private final LongSupplier clockNs;
    private final Map<LocalDate, StoredCurve> latest;
    private final Map<Long, Integer> checksums = new HashMap<>();
    private WriteCounts lastWrite = new WriteCounts(0, 0, 0);

    /**
     * @param symbols the symbol ids that need the curve, asked at every {@link #writeRange}
     *                (typically every option symbol plus index/ETF underlyings)
     * @param audit   where revisions are recorded, or null for none
     */
    public LedgerRfRateSink(MappingFiles mapping, TradeLedger trade, Supplier<int[]> symbols, WindowsAudit audit, LongSupplier clockNs) {
        this.mapping = Objects.requireNonNull(mapping);
        this.trade = Objects.requireNonNull(trade);
        this.symbols = Objects.requireNonNull(symbols);
        this.audit = audit;
        this.clockNs = Objects.requireNonNull(clockNs);
        this.latest = RfRateRecords.newestByDate(mapping.rfRate());
    }

    @Override
    public Optional<StoredCurve> latest(LocalDate date) { return Optional.ofNullable(latest.get(date)); }

    @Override
    public long append(TreasuryCurve curve, long version, Instant validFrom, Instant validTo) {
        RfRatePayload p = RfRateRecords.payload(curve, version);
        Appended a = mapping.rfRate().append(p);
        checksums.put(a.payloadId(), a.checksum());
        latest.put(curve.date(), new StoredCurve(curve.date(), version, a.payloadId(), RfRateRecords.tenors(p)));
        if (audit != null && version > 1) audit.treasuryRevision(curve.date().toString(), p.curveId(), version, a.payloadId(), validFrom, validTo);
        return a.payloadId();
    }

    @Override
    public void writeRange(long payloadId, long version, Revision.Kind kind, TreasuryCurve curve, MinuteSpans.Span span) {
        Integer c = checksums.get(payloadId);
        int checksum = c != null ? c : mapping.rfRate().raw(payloadId).checksum();
        checksums.put(payloadId, checksum);
        long written = 0, current = 0, conflicts = 0;
        for (int s : symbols.get()) {
            for (int m = span.fromMinuteIdx(); m < span.toMinuteIdx(); m++) {
                PayloadMeta meta = new PayloadMeta(PayloadType.RF_RATE, payloadId, version, checksum, clockNs.getAsLong());
                SetResult r = trade.setRfRateRef(s, m, meta);
                if (r instanceof SetResult.Ok) written++;
                else if (r instanceof SetResult.Conflict k && k.reason() == ConflictReason.VERSION_NOT_ADVANCED && k.slot().payloadId() == payloadId) current++;
                else conflicts++;
            }
        }
        lastWrite = new WriteCounts(written, current, conflicts);
    }

    /** What the last {@link #writeRange} did. */
    public WriteCounts lastWrite() { return lastWrite; }
}
