package io.quire.windows.engines;

import io.quire.windows.mapping.AggregatePayload;
import io.quire.windows.mapping.Appended;
import io.quire.windows.mapping.PayloadRecord;
import io.quire.windows.pricing.Aggregates;
import io.quire.windows.pricing.Bar;
import io.quire.windows.pricing.TradeTick;
import io.quire.windows.slots.AggWindow;
import io.quire.windows.slots.SlotKind;
import io.quire.windows.slots.SlotStatus;
import io.quire.windows.slots.SlotView;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Aggregates: OHLCV + trade count + VWAP over the session-aligned buckets of 1m, 5m, 10m, 30m,
 * 1h and 4h ({@link Aggregates#bucket}). Each source minute's {@code aggs_*} slot points at the
 * payload of the bucket covering it, written only once {@code trade_ref} is Filled for every
 * minute of that bucket (its covering data is complete). One payload per bucket is appended and
 * shared by the bucket's minutes; its version is the sum of the bucket minutes' {@code trade_ref}
 * versions, so a refilled (repaired) trade minute makes every bucket covering it be recomputed
 * (a CAS on the slot's version). A bucket without trades gets the aggregate of no trades
 * ({@link AggregatePayload#noTrades}): count 0, prices NaN, so every minute of a complete session
 * ends Filled and "no trades" differs from "not aggregated yet".
 */
public final class AggregatesEngine extends WindowEngine {
    private static final AggWindow[] WINDOWS = AggWindow.values();

    private int[] tradeWm;
    /**
     * Per symbol id, prefix sums of {@code trade_ref.version} over the session's complete minutes
     * ({@code versionPrefix[s][k]} = sum over the first k minutes), rebuilt at every scan: the
     * version of a bucket's aggregate is the sum of its minutes' trade versions, asked in O(1).
     */
    private long[][] versionPrefix;
    /** The appended payload of a bucket, shared by its minutes across batches. */
    private final Map<String, Appended> bucketPayloads = new HashMap<>();
    private final Map<PayloadRecord, String> pendingKeys = new java.util.IdentityHashMap<>();

    public AggregatesEngine(EngineContext ctx, int batch) {
        super(ctx, "aggregates", SlotKind.AGGS_1M, batch);
    }

    @Override
    protected void prepareScan() {
        tradeWm = Inputs.filledThrough(ctx, SlotKind.TRADE_REF);
        var session = ctx.session();
        int first = session.firstMinuteIdx();
        int bound = ctx.universe().idBound();
        if (versionPrefix == null || versionPrefix.length < bound)
            versionPrefix = java.util.Arrays.copyOf(versionPrefix == null ? new long[0][] : versionPrefix, bound);
        for (var u : ctx.universe().members()) {
            int s = u.symbolId();
            if (versionPrefix[s] == null) versionPrefix[s] = new long[session.minutes() + 1];
            long[] pre = versionPrefix[s];
            int complete = tradeWm[s] - first; // minutes [0, complete) have trade_ref Filled
            for (int k = 0; k < complete; k++) pre[k + 1] = pre[k] + ctx.trade().read(SlotKind.TRADE_REF, s, first + k).version();
        }
    }

    /** The version of bucket {@code b}'s aggregate: the sum of its minutes' trade_ref versions (all complete). */
    private long bucketVersion(int s, Aggregates.Bucket b) {
        int first = ctx.session().firstMinuteIdx();
        assert tradeWm[s] > b.lastMinuteIdx() : "bad math in AggregatesEngine.bucketVersion: bucket past the complete minutes";
        return versionPrefix[s][b.lastMinuteIdx() - first + 1] - versionPrefix[s][b.firstMinuteIdx() - first];
    }

    @Override
    protected List<SlotKind> plan(int s, int m) {
        List<SlotKind> cols = null;
        boolean waiting = false;
        for (AggWindow w : WINDOWS) {
            SlotView v = ctx.enrichment().read(w.slot(), s, m);
            Aggregates.Bucket b = Aggregates.bucket(w, ctx.session(), m);
            if (tradeWm[s] <= b.lastMinuteIdx()) {
                if (v.status() != SlotStatus.FILLED) waiting = true;
                continue;
            }
            if (v.status() == SlotStatus.FILLED && v.version() >= bucketVersion(s, b)) continue;
            if (cols == null) cols = new ArrayList<>(WINDOWS.length);
            cols.add(w.slot());
        }
        if (cols != null) return cols;
        return waiting ? null : List.of();
    }

    @Override
    protected List<Write> compute(List<Claim> claims) {
        List<Write> out = new ArrayList<>(claims.size());
        Map<String, AggregatePayload> batch = new HashMap<>();
        Map<Long, List<TradeTick>> tradeCache = new HashMap<>();
        for (Claim c : claims) {
            AggWindow w = window(c.column());
            Aggregates.Bucket b = Aggregates.bucket(w, ctx.session(), c.minuteIdx());
            long version = bucketVersion(c.symbolId(), b);
            String key = c.symbolId() + "/" + w + "/" + b.firstMinuteIdx() + "/" + version;
            Appended known = bucketPayloads.get(key);
            AggregatePayload p = batch.get(key);
            if (known == null && p == null) {
                List<TradeTick> all = new ArrayList<>();
                for (int k = b.firstMinuteIdx(); k <= b.lastMinuteIdx(); k++) {
                    int kk = k;
                    all.addAll(tradeCache.computeIfAbsent(((long) c.symbolId() << 32) | k,
                            x -> Inputs.trades(ctx, ctx.trade().read(SlotKind.TRADE_REF, c.symbolId(), kk))));
                }
                Bar bar = Aggregates.bar(b, all);
                p = bar == null ? AggregatePayload.noTrades(w, b.startTsNs()) : bar.toPayload();
                batch.put(key, p);
                pendingKeys.put(p, key);
            }
            if (!c.pending()) stats().recomputed.incrementAndGet();
            long v = Math.max(version, c.expectedVersion());
            out.add(known != null ? Write.of(c, known, v) : new Write(c, p, v));
        }
        return out;
    }

    @Override
    protected void appended(PayloadRecord record, Appended a) {
        String key = pendingKeys.remove(record);
        if (key != null) bucketPayloads.put(key, a);
    }

    private static AggWindow window(SlotKind k) {
        for (AggWindow w : WINDOWS) if (w.slot() == k) return w;
        throw new IllegalStateException("bad math in AggregatesEngine: " + k + " is not an aggregate column");
    }
}
