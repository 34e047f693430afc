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
    /**
     * Per symbol id, the trade count of each session minute and the trade payload id it was read
     * from (0 = not read yet): a refilled {@code trade_ref} has a new id, so its count is re-read.
     */
    private long[][] minuteCounts;
    private long[][] minutePayloadIds;
    /**
     * Per symbol id, prefix sums of the trade counts over the session's minutes that are complete
     * ({@code prefix[s][k]} = trades in the first k minutes), rebuilt at every scan so that
     * {@link #plan} asks "how many trades in this bucket" in O(1) instead of re-reading every
     * minute of up to 240-minute buckets for every window of every scan (which made a
     * 500-symbol day quadratic).
     */
    private long[][] prefix;
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
        int first = session.firstMinuteIdx(), minutes = session.lastMinuteIdx() - first + 1;
        int bound = ctx.universe().idBound();
        if (prefix == null || prefix.length < bound) {
            prefix = java.util.Arrays.copyOf(prefix == null ? new long[0][] : prefix, bound);
            minuteCounts = java.util.Arrays.copyOf(minuteCounts == null ? new long[0][] : minuteCounts, bound);
            minutePayloadIds = java.util.Arrays.copyOf(minutePayloadIds == null ? new long[0][] : minutePayloadIds, bound);
        }
        for (var u : ctx.universe().members()) {
            int s = u.symbolId();
            if (prefix[s] == null) {
                prefix[s] = new long[minutes + 1];
                minuteCounts[s] = new long[minutes];
                minutePayloadIds[s] = new long[minutes];
            }
            long[] pre = prefix[s], cnt = minuteCounts[s], ids = minutePayloadIds[s];
            int complete = tradeWm[s] - first; // minutes [0, complete) have trade_ref Filled
            for (int k = 0; k < complete; k++) {
                SlotView t = ctx.trade().read(SlotKind.TRADE_REF, s, first + k);
                if (ids[k] != t.payloadId()) {
                    cnt[k] = ((TradePayload) ctx.maps().dereference(t.meta())).ref().recordCount();
                    ids[k] = t.payloadId();
                }
                pre[k + 1] = pre[k] + cnt[k];
            }
        }
    }

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

    /** Trades in bucket {@code b} of symbol {@code s}; only asked once every minute of it is complete. */
    private long tradesIn(int s, Aggregates.Bucket b) {
        int first = ctx.session().firstMinuteIdx();
        assert tradeWm[s] > b.lastMinuteIdx() : "bad math in AggregatesEngine.tradesIn: bucket past the complete minutes";
        return prefix[s][b.lastMinuteIdx() - first + 1] - prefix[s][b.firstMinuteIdx() - first];
    }

    private static AggWindow window(SlotKind k) {
        for (AggWindow w : WINDOWS) if (w.slot() == k) return w;
        throw new IllegalStateException("bad math in AggregatesEngine: " + k + " is not an aggregate column");
    }
}
