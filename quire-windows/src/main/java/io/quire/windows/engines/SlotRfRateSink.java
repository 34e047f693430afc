package io.quire.windows.engines;

import io.quire.windows.mapping.Appended;
import io.quire.windows.mapping.RfRatePayload;
import io.quire.windows.regions.MinuteSpans;
import io.quire.windows.rfrate.RfRateRecords;
import io.quire.windows.slots.PayloadMeta;
import io.quire.windows.slots.SetResult;
import io.quire.windows.slots.SlotKind;
import io.quire.windows.slots.SlotStatus;
import io.quire.windows.slots.SlotView;
import io.quire.windows.treasury.Revision;
import io.quire.windows.treasury.RfRateSink;
import io.quire.windows.treasury.StoredCurve;
import io.quire.windows.treasury.TreasuryCurve;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link RfRateSink} over the real {@code rf_rate.map} and the trade ledger's
 * {@code rf_rate_ref} column. A curve is stored as {@code RfRatePayload{effective_ts, curve_id =
 * "UST-PAR-<date>" (TreasuryCurve.curveId), tenors (names as Treasury prints them, percent), version}}; what is stored is
 * indexed by date at construction by reading the file once, so a restart (or another run) sees
 * earlier versions and a revision becomes version + 1.
 *
 * <p>Fan-out: every universe symbol gets the curve in {@code rf_rate_ref} for the minutes of its
 * span that fall in the session being worked. The slot's version is the curve's revision — or,
 * when the slot already holds another payload at that version or higher (a newer curve taking
 * over minutes a carried-forward one held), one more than the slot's, so that any change of the
 * rate a window uses changes {@code rf_rate_ref.version} and Greeks rerun.
 */
public final class SlotRfRateSink implements RfRateSink {
    private final EngineContext ctx;
    private final EngineStats stats;
    private final Map<LocalDate, StoredCurve> latest;
    /** Where revisions (version ≥ 2) are recorded as {@code treasury_revision}; null = nowhere. */
    private final io.quire.windows.audit.WindowsAudit audit;

    public SlotRfRateSink(EngineContext ctx, EngineStats stats) { this(ctx, stats, null); }

    public SlotRfRateSink(EngineContext ctx, EngineStats stats, io.quire.windows.audit.WindowsAudit audit) {
        this.ctx = ctx;
        this.stats = stats;
        this.audit = audit;
        this.latest = RfRateRecords.newestByDate(ctx.maps().rfRate());
    }

    @Override
    public Optional<StoredCurve> latest(LocalDate date) { return Optional.ofNullable(latest.get(date)); }

    @Override
    public long append(TreasuryCurve curve, long version, Instant validFrom, Instant validTo) {
        Appended a = ctx.maps().rfRate().append(RfRateRecords.payload(curve, version));
        latest.put(curve.date(), new StoredCurve(curve.date(), version, a.payloadId(), curve.tenors()));
        if (audit != null && version > 1)
            audit.treasuryRevision(curve.date().toString(), curve.curveId(), version, a.payloadId(), validFrom, validTo);
        return a.payloadId();
    }

    @Override
    public void writeRange(long payloadId, long version, Revision.Kind kind, TreasuryCurve curve, MinuteSpans.Span span) {
        int from = Math.max(span.fromMinuteIdx(), ctx.session().firstMinuteIdx());
        int to = Math.min(span.toMinuteIdx(), ctx.session().lastMinuteIdx() + 1);
        if (from >= to) return;
        RfRatePayload p = ctx.maps().rfRate().read(payloadId);
        int checksum = ctx.maps().rfRate().raw(payloadId).checksum();
        long now = System.currentTimeMillis() * 1_000_000L;
        for (Universe.Member u : ctx.universe().members()) {
            for (int m = from; m < to; m++) {
                for (int attempt = 0; attempt < 3; attempt++) {
                    SlotView cur = ctx.trade().read(SlotKind.RF_RATE_REF, u.symbolId(), m);
                    long v;
                    if (cur.status() == SlotStatus.FILLED) {
                        if (cur.payloadId() == payloadId && cur.version() >= p.version()) break; // already there
                        v = Math.max(version, cur.version() + 1);
                    } else {
                        v = Math.max(version, cur.version());
                    }
                    long t0 = System.nanoTime();
                    SetResult r = ctx.trade().setRfRateRef(u.symbolId(), m, new PayloadMeta(io.quire.windows.slots.PayloadType.RF_RATE, payloadId, v, checksum, now), cur.version());
                    ctx.mutations().record(SlotKind.RF_RATE_REF, r, System.nanoTime() - t0);
                    if (r.ok()) {
                        stats.windowsProcessed.incrementAndGet();
                        ctx.regions().markDone(SlotKind.RF_RATE_REF, u.symbolId(), m);
                        break;
                    }
                    stats.conflicts.incrementAndGet(); // changed under us: re-read and decide again
                }
            }
        }
    }
}
