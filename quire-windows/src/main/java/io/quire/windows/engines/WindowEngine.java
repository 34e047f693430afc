package io.quire.windows.engines;

import io.quire.windows.mapping.Appended;
import io.quire.windows.mapping.PayloadRecord;
import io.quire.windows.regions.WorkBatch;
import io.quire.windows.regions.WorkItem;
import io.quire.windows.slots.AggWindow;
import io.quire.windows.slots.EnrichmentLedger;
import io.quire.windows.slots.PayloadMeta;
import io.quire.windows.slots.SetResult;
import io.quire.windows.slots.SlotKind;
import io.quire.windows.slots.SlotStatus;
import io.quire.windows.slots.SlotView;
import io.quire.windows.slots.TradeLedger;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The worker API of the seed ("Worker Coordination") for engines whose unit of work is one
 * window {@code (symbol_id, minute_idx)}:
 *
 * <ol>
 *   <li><b>Backlog</b>: the engine's windows are its universe × the session's minutes, in minute
 *       order (the default queue). Each step scans them, asking {@link #plan} what each window
 *       needs: nothing (done), to wait (a prerequisite on the row is missing), or a list of the
 *       engine's own columns to write. The ledger is the truth: a restart simply scans again.</li>
 *   <li><b>Priority first</b>: before the default queue, the step asks the
 *       {@code PriorityRegionStore} for up to a batch of region minutes of
 *       {@link #regionColumn} and takes the ready ones first, in region order.</li>
 *   <li><b>Claim</b>: each column to write is marked Pending ({@code markPending}); a Filled
 *       slot being recomputed (Greeks after a treasury revision) is not claimed — its write is a
 *       CAS on the version read. A refused claim means someone else owns the slot: skipped.
 *       Pending slots left by a dead process are claimed again (Pending → Pending), so a crash
 *       only delays them.</li>
 *   <li><b>Compute</b>, then <b>publish</b>: payloads are appended to their mapping files in one
 *       {@code appendAll} per type (one fsync per batch), then each slot is written through its
 *       typed setter with the version seen at claim time as the expected version. A conflict is
 *       counted and the slot re-read on the next scan — never overwritten blindly.</li>
 *   <li><b>Release</b>: a claim that got no write (no output for the window, an exception) is
 *       given back with {@code clearSlot}, so no step leaves a Pending slot behind.</li>
 *   <li><b>Bounded</b>: at most {@link #batchMax} windows are claimed at once, by one thread.</li>
 * </ol>
 */
public abstract class WindowEngine implements Engine {
    /** Windows claimed per step by default. */
    public static final int BATCH_DEFAULT = 512;
    /** The most windows one step may claim (the regions store hands out at most 65,536). */
    public static final int BATCH_MAX = 65_536;

    protected final EngineContext ctx;
    private final String name;
    private final SlotKind regionColumn;
    private final int batchMax;
    private final EngineStats stats = new EngineStats();
    private volatile WriteListener listener = WriteListener.NONE;
    private volatile long claimHoldMs;

    /** A claimed slot: the version read at claim time is the expected version of the write. */
    public record Claim(int symbolId, int minuteIdx, SlotKind column, long expectedVersion, boolean pending) {}

    /** What to publish for a claim: a payload (appended once per distinct instance) and the slot's version. */
    public record Write(Claim claim, PayloadRecord record, long version, Appended existing) {
        public Write(Claim claim, PayloadRecord record, long version) { this(claim, record, version, null); }

        /** A write of a payload appended earlier (e.g. a bucket's aggregate shared by its minutes). */
        public static Write of(Claim claim, Appended existing, long version) { return new Write(claim, null, version, existing); }
    }

    /** Told of every slot an engine filled, in publish order (tests measure order with it). */
    @FunctionalInterface
    public interface WriteListener {
        WriteListener NONE = (e, s, m, c, fromRegion) -> {};

        void written(String engine, int symbolId, int minuteIdx, SlotKind column, boolean fromRegion);
    }

    protected WindowEngine(EngineContext ctx, String name, SlotKind regionColumn, int batchMax) {
        if (batchMax < 1 || batchMax > BATCH_MAX) throw io.quire.core.QuireException.invalid("batch " + batchMax + " is outside 1.." + BATCH_MAX + " (BATCH_MAX)");
        this.ctx = ctx;
        this.name = name;
        this.regionColumn = regionColumn;
        this.batchMax = batchMax;
    }

    @Override public String name() { return name; }

    @Override public EngineStats stats() { return stats; }

    public int batchMax() { return batchMax; }

    public void setWriteListener(WriteListener l) { this.listener = l == null ? WriteListener.NONE : l; }

    /**
     * Holds every batch's claims for {@code ms} before computing (0, the default, holds nothing):
     * a demo and test knob that makes Pending claims visible to an operator (and to the crash
     * tests, which kill the runner while claims are held).
     */
    public void setClaimHoldMs(long ms) {
        if (ms < 0 || ms > CLAIM_HOLD_MS_MAX) throw io.quire.core.QuireException.invalid("claim hold " + ms + " ms is outside 0.." + CLAIM_HOLD_MS_MAX + " (CLAIM_HOLD_MS_MAX)");
        this.claimHoldMs = ms;
    }

    /** The longest claim hold. */
    public static final long CLAIM_HOLD_MS_MAX = 60_000;

    /** Refreshes per-scan state (e.g. how far each symbol's inputs are complete). Called at the start of every step. */
    protected abstract void prepareScan();

    /**
     * What window {@code (s, m)} needs from this engine: an empty list when done, null when a
     * prerequisite is missing, otherwise the engine's columns to write.
     */
    protected abstract List<SlotKind> plan(int symbolId, int minuteIdx);

    /** Computes the payloads of a batch of claims (reading the rows' inputs); a claim with no write is released. */
    protected abstract List<Write> compute(List<Claim> claims);

    /** Hook: a payload was appended (engines that share a payload across windows cache it). */
    protected void appended(PayloadRecord record, Appended a) {}

    /** The windows this engine works on, in default-queue order: minute-major over its universe. */
    protected List<Universe.Member> members() { return ctx.universe().members(); }

    @Override
    public int step(BooleanSupplier stop) {
        prepareScan();
        Map<Long, List<SlotKind>> todo = new LinkedHashMap<>();
        Set<Long> fromRegion = new HashSet<>();
        WorkBatch wb = ctx.regions().nextWork(regionColumn, batchMax, (s, m) -> inRange(m) && isDone(s, m));
        for (WorkItem it : wb.items()) {
            if (!inRange(it.minuteIdx()) || ctx.universe().byId(it.symbolId()) == null) continue;
            List<SlotKind> p = plan(it.symbolId(), it.minuteIdx());
            if (p != null && !p.isEmpty() && todo.putIfAbsent(key(it.symbolId(), it.minuteIdx()), p) == null) fromRegion.add(key(it.symbolId(), it.minuteIdx()));
        }
        long backlog = 0;
        var session = ctx.session();
        for (int m = session.firstMinuteIdx(); m <= session.lastMinuteIdx(); m++) {
            for (Universe.Member u : members()) {
                List<SlotKind> p = plan(u.symbolId(), m);
                if (p != null && p.isEmpty()) continue;
                backlog++;
                if (p != null && todo.size() < batchMax) todo.putIfAbsent(key(u.symbolId(), m), p);
            }
        }
        stats.backlog.set(backlog);
        if (todo.isEmpty() || stop.getAsBoolean()) return 0;
        return run(todo, fromRegion);
    }

    private int run(Map<Long, List<SlotKind>> todo, Set<Long> fromRegion) {
        List<Claim> claims = new ArrayList<>(todo.size());
        Set<Claim> open = new HashSet<>();
        try {
            for (var e : todo.entrySet()) {
                int s = (int) (e.getKey() >>> 32), m = (int) (long) e.getKey();
                for (SlotKind col : e.getValue()) {
                    SlotView cur = ctx.ledger(col).read(col, s, m);
                    if (cur.status() == SlotStatus.FILLED) {
                        claims.add(new Claim(s, m, col, cur.version(), false));
                        continue;
                    }
                    SetResult r = ctx.ledger(col).markPending(col, s, m);
                    if (!r.ok()) {
                        stats.conflicts.incrementAndGet();
                        continue;
                    }
                    Claim c = new Claim(s, m, col, r.slot().version(), true);
                    claims.add(c);
                    open.add(c);
                }
            }
            if (claimHoldMs > 0 && !claims.isEmpty()) {
                try {
                    Thread.sleep(claimHoldMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            List<Write> writes = compute(claims);
            int done = publish(writes, open, fromRegion);
            return done;
        } finally {
            release(open, "released by engine " + name + ": no output for the window");
        }
    }

    private int publish(List<Write> writes, Set<Claim> open, Set<Long> fromRegion) {
        // Distinct payloads, one appendAll per mapping file.
        Map<PayloadRecord, Appended> ids = new IdentityHashMap<>();
        Map<io.quire.windows.slots.PayloadType, List<PayloadRecord>> byType = new LinkedHashMap<>();
        for (Write w : writes) {
            if (w.existing() != null || ids.containsKey(w.record())) continue;
            ids.put(w.record(), null);
            byType.computeIfAbsent(w.record().type(), t -> new ArrayList<>()).add(w.record());
        }
        for (var e : byType.entrySet()) {
            List<Appended> as = appendAll(e.getKey(), e.getValue());
            for (int i = 0; i < as.size(); i++) {
                ids.put(e.getValue().get(i), as.get(i));
                appended(e.getValue().get(i), as.get(i));
            }
        }
        int done = 0;
        long now = System.currentTimeMillis() * 1_000_000L;
        for (Write w : writes) {
            Claim c = w.claim();
            PayloadMeta meta = (w.existing() != null ? w.existing() : ids.get(w.record())).meta(w.version(), now);
            long t0 = System.nanoTime();
            SetResult r = set(c, meta);
            ctx.mutations().record(c.column(), r, System.nanoTime() - t0);
            if (r.ok()) {
                open.remove(c);
                done++;
                boolean region = fromRegion.contains(key(c.symbolId(), c.minuteIdx()));
                stats.windowsProcessed.incrementAndGet();
                if (region) stats.regionWindows.incrementAndGet();
                ctx.regions().markDone(c.column(), c.symbolId(), c.minuteIdx());
                listener.written(name, c.symbolId(), c.minuteIdx(), c.column(), region);
            } else {
                // Someone else changed the slot since we read it: count it, re-read on the next scan.
                stats.conflicts.incrementAndGet();
                open.remove(c);
                if (r.slot().status() == SlotStatus.PENDING && c.pending()) open.add(c);
            }
        }
        return done;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private List<Appended> appendAll(io.quire.windows.slots.PayloadType type, List<PayloadRecord> records) {
        List<Appended> out = new ArrayList<>(records.size());
        var file = (io.quire.windows.mapping.MappingFile) ctx.maps().file(type);
        for (int i = 0; i < records.size(); i += io.quire.windows.mapping.MappingLimits.RECORDS_PER_APPEND_MAX) {
            out.addAll(file.appendAll(records.subList(i, Math.min(records.size(), i + io.quire.windows.mapping.MappingLimits.RECORDS_PER_APPEND_MAX))));
        }
        return out;
    }

    private SetResult set(Claim c, PayloadMeta meta) {
        int s = c.symbolId(), m = c.minuteIdx();
        long ev = c.expectedVersion();
        TradeLedger t = ctx.trade();
        EnrichmentLedger en = ctx.enrichment();
        return switch (c.column()) {
            case RF_RATE_REF -> t.setRfRateRef(s, m, meta, ev);
            case TRADE_REF -> t.setTradeRef(s, m, meta, ev);
            case QUOTE_REF -> t.setQuoteRef(s, m, meta, ev);
            case AGGRESSOR_REF -> t.setAggressorRef(s, m, meta, ev);
            case GREEKS_REF -> en.setGreeksRef(s, m, meta, ev);
            case AGGS_1M -> en.setAggsRef(AggWindow.M1, s, m, meta, ev);
            case AGGS_5M -> en.setAggsRef(AggWindow.M5, s, m, meta, ev);
            case AGGS_10M -> en.setAggsRef(AggWindow.M10, s, m, meta, ev);
            case AGGS_30M -> en.setAggsRef(AggWindow.M30, s, m, meta, ev);
            case AGGS_1H -> en.setAggsRef(AggWindow.H1, s, m, meta, ev);
            case AGGS_4H -> en.setAggsRef(AggWindow.H4, s, m, meta, ev);
        };
    }

    /** Gives back Pending claims that got no write: Cleared with a cause (audited), never left Pending. */
    private void release(Set<Claim> open, String cause) {
        for (Claim c : open) {
            if (!c.pending()) continue;
            SlotView cur = ctx.ledger(c.column()).read(c.column(), c.symbolId(), c.minuteIdx());
            if (cur.status() != SlotStatus.PENDING) continue;
            ctx.ledger(c.column()).clearSlot(c.column(), c.symbolId(), c.minuteIdx(), cause, "engine:" + name);
            stats.released.incrementAndGet();
        }
        open.clear();
    }

    private boolean isDone(int s, int m) {
        if (ctx.universe().byId(s) == null) return true;
        List<SlotKind> p = plan(s, m);
        return p != null && p.isEmpty();
    }

    private boolean inRange(int m) { return ctx.session().containsMinute(m); }

    private static long key(int s, int m) { return ((long) s << 32) | (m & 0xFFFF_FFFFL); }
}
