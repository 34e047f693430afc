package io.quire.windows.engines;

import io.quire.windows.mapping.AggregatePayload;
import io.quire.windows.mapping.Appended;
import io.quire.windows.mapping.PayloadRecord;
import io.quire.windows.mapping.TradePayload;
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
 * shared by the bucket's minutes. A bucket without trades has no aggregate (the payload needs a
 * trade): its slots stay Empty and count as done.
 */
public final class AggregatesEngine extends WindowEngine {
    private static final AggWindow[] WINDOWS = AggWindow.values();

    private int[] tradeWm;
    /** Trade counts per (symbol, minute), keyed with the trade payload id they were read from. */
    private final Map<Long, long[]> counts = new HashMap<>();
    /** The appended payload of a bucket, shared by its minutes across batches. */
    private final Map<String, Appended> bucketPayloads = new HashMap<>();
    private final Map<PayloadRecord, String> pendingKeys = new java.util.IdentityHashMap<>();

    public AggregatesEngine(EngineContext ctx, int batch) {
        super(ctx, "aggregates", SlotKind.AGGS_1M, batch);
    }

    @Override
    protected void prepareScan() { tradeWm = Inputs.filledThrough(ctx, SlotKind.TRADE_REF); }

    @Override
    protected List<SlotKind> plan(int s, int m) {
        List<SlotKind> cols = null;
        boolean waiting = false;
        for (AggWindow w : WINDOWS) {
            if (ctx.enrichment().read(w.slot(), s, m).status() == SlotStatus.FILLED) continue;
            Aggregates.Bucket b = Aggregates.bucket(w, ctx.session(), m);
            if (tradeWm[s] <= b.lastMinuteIdx()) {
                waiting = true;
                continue;
            }
            if (tradesIn(s, b) == 0) continue;
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
            String key = c.symbolId() + "/" + w + "/" + b.firstMinuteIdx();
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
                if (bar == null) continue;
                p = bar.toPayload();
                batch.put(key, p);
                pendingKeys.put(p, key);
            }
            out.add(known != null ? Write.of(c, known, 1) : new Write(c, p, 1));
        }
        return out;
    }

    @Override
    protected void appended(PayloadRecord record, Appended a) {
        String key = pendingKeys.remove(record);
        if (key != null) bucketPayloads.put(key, a);
    }

    private long tradesIn(int s, Aggregates.Bucket b) {
        long n = 0;
        for (int k = b.firstMinuteIdx(); k <= b.lastMinuteIdx(); k++) {
            SlotView t = ctx.trade().read(SlotKind.TRADE_REF, s, k);
            long key = ((long) s << 32) | k;
            long[] c = counts.get(key);
            if (c == null || c[0] != t.payloadId()) {
                c = new long[] {t.payloadId(), ((TradePayload) ctx.maps().dereference(t.meta())).ref().recordCount()};
                counts.put(key, c);
            }
            n += c[1];
        }
        return n;
    }

    private static AggWindow window(SlotKind k) {
        for (AggWindow w : WINDOWS) if (w.slot() == k) return w;
        throw new IllegalStateException("bad math in AggregatesEngine: " + k + " is not an aggregate column");
    }
}
