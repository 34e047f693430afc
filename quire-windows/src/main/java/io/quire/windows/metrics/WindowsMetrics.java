package io.quire.windows.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.quire.windows.calendar.TradingCalendar;
import io.quire.windows.mapping.MappingFiles;
import io.quire.windows.regions.PriorityRegionStore;
import io.quire.windows.slots.ClearRecord;
import io.quire.windows.slots.EnrichmentLedger;
import io.quire.windows.slots.RepairRecord;
import io.quire.windows.slots.SetResult;
import io.quire.windows.slots.SlotAudit;
import io.quire.windows.slots.SlotKind;
import io.quire.windows.slots.SlotLedger;
import io.quire.windows.slots.SlotStatus;
import io.quire.windows.slots.TradeLedger;
import io.quire.windows.slots.PayloadType;
import io.quire.windows.symbols.SymbolLimits;
import io.quire.windows.symbols.SymbolMap;

import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The windows ledger's Micrometer meters (table in docs/WINDOWS.md "Metrics"), self-contained:
 * bind it to any {@link MeterRegistry} (the runner's Prometheus registry serves it on
 * {@code /metrics}). Any of the stores may be null; its meters are then not registered.
 *
 * <ul>
 *   <li>Scan-based gauges ({@code window_lag}, {@code window_slot_status_ratio}) read the last
 *       {@link WindowsStatus}: call {@link #refresh()} on a timer (a scan is O(written symbols ×
 *       ended minutes); a scrape never scans).</li>
 *   <li>Mutation throughput and latency: the setters have no hooks (the hot path stays free of
 *       any shared counter it does not need), so a worker records its own writes with
 *       {@link #record(SlotKind, SetResult, long)} — one pre-bound counter and
 *       timer per column, no lookup or allocation per call.</li>
 *   <li>Cleared refs and repairs: wrap the slot files' audit with {@link #counting(SlotAudit)};
 *       {@code window_repairs_total} also reads the files' own {@code repairs_total} (every
 *       process's repairs).</li>
 * </ul>
 */
public final class WindowsMetrics implements MeterBinder {
    private final TradingCalendar calendar;
    private final TradeLedger trade;
    private final EnrichmentLedger enrichment;
    private final SymbolMap symbols;
    private final PriorityRegionStore regions;
    private final MappingFiles mapping;
    private final Clock clock;
    private volatile WindowsStatus status;
    /** Filled once by {@link #bindTo} before {@link #bound} is set; read only after (the volatile publishes it). */
    private final Map<SlotKind, Mutations> mutations = new EnumMap<>(SlotKind.class);
    private final Map<SlotKind, Counter> cleared = new EnumMap<>(SlotKind.class);
    private Counter repairsSeen;
    private volatile boolean bound;
    private volatile int scanFrom;
    private volatile int scanTo;

    public WindowsMetrics(TradingCalendar calendar, TradeLedger trade, EnrichmentLedger enrichment, SymbolMap symbols,
                          PriorityRegionStore regions, MappingFiles mapping, Clock clock) {
        this.calendar = Objects.requireNonNull(calendar);
        this.trade = trade;
        this.enrichment = enrichment;
        this.symbols = symbols;
        this.regions = regions;
        this.mapping = mapping;
        this.clock = Objects.requireNonNull(clock);
        this.scanTo = calendar.totalMinutes();
    }

    /**
     * Bounds the scans of {@link #refresh} to the minutes {@code [from, to)} (default: the whole
     * year); the runner passes its session, so a refresh reads only the day it works on.
     */
    public WindowsMetrics scanRange(int from, int to) {
        if (from < 0 || to > calendar.totalMinutes() || from > to)
            throw new IllegalArgumentException("scan range [" + from + ", " + to + ") is outside 0.." + calendar.totalMinutes());
        scanFrom = from;
        scanTo = to;
        return this;
    }

    /** Records the writes of one column: {@code window_mutations_total{column,result}} and {@code window_mutation_latency{column}}. */
    private static final class Mutations {
        private final Counter ok;
        private final Counter conflict;
        private final Timer latency;

        Mutations(Counter ok, Counter conflict, Timer latency) {
            this.ok = ok;
            this.conflict = conflict;
            this.latency = latency;
        }

        void record(SetResult result, long nanos) {
            (result instanceof SetResult.Ok ? ok : conflict).increment();
            latency.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (SlotKind k : SlotKind.values()) {
            String col = k.column();
            mutations.put(k, new Mutations(
                    Counter.builder("window_mutations_total").tag("column", col).tag("result", "ok").description("Slot writes by workers").register(registry),
                    Counter.builder("window_mutations_total").tag("column", col).tag("result", "conflict").description("Slot writes by workers").register(registry),
                    Timer.builder("window_mutation_latency").tag("column", col).description("Latency of one slot write").register(registry)));
            cleared.put(k, Counter.builder("window_cleared_refs_total").tag("column", col).description("Slots cleared by operators (clearSlot)").register(registry));
            Gauge.builder("window_lag", this, m -> m.lag(k)).tag("column", col)
                    .description("Minutes since end_ts of the oldest ended active window whose column is not Filled (last refresh)").register(registry);
            for (SlotStatus s : SlotStatus.values()) {
                Gauge.builder("window_slot_status_ratio", this, m -> m.ratio(k, s)).tag("column", col).tag("status", s.name().toLowerCase(java.util.Locale.ROOT))
                        .description("Share of active ended windows' slots in each status (last refresh)").register(registry);
            }
            if (regions != null) {
                Gauge.builder("window_region_backlog", regions, r -> r.backlog(k)).tag("column", col)
                        .description("Minutes of open priority regions still to check for this column").register(registry);
            }
        }
        repairsSeen = Counter.builder("window_repairs_seen_total").description("Slot repairs reported to this process's audit").register(registry);
        for (SlotLedger l : new SlotLedger[] {trade, enrichment}) {
            if (l == null) continue;
            FunctionCounter.builder("window_repairs_total", l, x -> x.matrix().repairsTotal()).tag("ledger", l.matrix().kind().fileName())
                    .description("Slots ever repaired in this slot file, by any process").register(registry);
        }
        if (symbols != null) {
            Gauge.builder("window_symbols", symbols, SymbolMap::size).description("Symbols with an id this year").register(registry);
            Gauge.builder("window_symbols_max", () -> SymbolLimits.SYMBOLS_PER_YEAR_MAX).description("Symbol cap per year").register(registry);
        }
        if (mapping != null) {
            for (PayloadType t : PayloadType.values()) {
                if (t == PayloadType.NONE) continue;
                String tag = t.mapFile();
                Gauge.builder("window_mapping_file_bytes", mapping, m -> m.file(t).fileBytes()).tag("file", tag).baseUnit("bytes")
                        .description("Size of a mapping file").register(registry);
                Gauge.builder("window_mapping_records", mapping, m -> m.file(t).count()).tag("file", tag)
                        .description("Records (payload ids) in a mapping file").register(registry);
            }
        }
        bound = true;
        Gauge.builder("window_status_scan_age_seconds", this, m -> m.scanAgeSeconds())
                .description("Seconds since the last refresh() scan (-1 before the first)").register(registry);
    }

    /** Rescans the slot files (call on a timer, not per scrape); returns the new status. */
    public WindowsStatus refresh() {
        int n = symbols != null ? symbols.size() : 0;
        WindowsStatus s = WindowsStatus.scan(calendar, trade, enrichment, n, hasGreeks(symbols), scanFrom, scanTo, clock.instant());
        status = s;
        return s;
    }

    public WindowsStatus status() { return status; }

    /** {@code greeks_ref} applies to option tickers only (none when there is no symbol map). */
    public static java.util.function.IntPredicate hasGreeks(SymbolMap symbols) {
        if (symbols == null) return id -> false;
        return id -> symbols.symbolOf(id).map(WindowsStatus::isOptionTicker).orElse(false);
    }

    /** Records one write of {@code column}; nothing before {@link #bindTo} (no registry to count in yet). */
    public void record(SlotKind column, SetResult result, long nanos) {
        Mutations m = bound ? mutations.get(column) : null;
        if (m != null) m.record(result, nanos);
    }


    /** An audit that counts clears ({@code window_cleared_refs_total}) and repairs, then forwards. */
    public SlotAudit counting(SlotAudit delegate) {
        Objects.requireNonNull(delegate);
        return new SlotAudit() {
            @Override public void onClear(ClearRecord r) {
                Counter c = cleared.get(r.before().slot());
                if (c != null) c.increment();
                delegate.onClear(r);
            }

            @Override public void onRepair(RepairRecord r) {
                if (repairsSeen != null) repairsSeen.increment();
                delegate.onRepair(r);
            }
        };
    }

    private double lag(SlotKind k) {
        WindowsStatus s = status;
        if (s == null || !s.lagMinutes().containsKey(k)) return Double.NaN;
        return s.lagMinutes().get(k);
    }

    private double ratio(SlotKind k, SlotStatus st) {
        WindowsStatus s = status;
        if (s == null || !s.counts().containsKey(k)) return Double.NaN;
        return s.ratio(k, st);
    }

    private double scanAgeSeconds() {
        WindowsStatus s = status;
        return s == null ? -1 : java.time.Duration.between(s.now(), clock.instant()).toMillis() / 1000.0;
    }
}
