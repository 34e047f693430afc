package io.quire.windows.engines;

import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.quire.core.ErrorKind;
import io.quire.core.Ledger;
import io.quire.core.QuireException;
import io.quire.windows.audit.AuditDrain;
import io.quire.windows.audit.AuditSpool;
import io.quire.windows.audit.WindowsAudit;
import io.quire.windows.metrics.WindowsMetrics;
import io.quire.windows.slots.ClearRecord;
import io.quire.windows.slots.RepairRecord;
import io.quire.windows.slots.SlotAudit;
import io.quire.windows.artifacts.ArtifactStore;
import io.quire.windows.calendar.Session;
import io.quire.windows.calendar.TradingCalendar;
import io.quire.windows.ingest.FlatFileKind;
import io.quire.windows.ingest.FlatFileReader;
import io.quire.windows.ingest.FlatFilePartitioner;
import io.quire.windows.ingest.FlatRow;
import io.quire.windows.mapping.MappingFiles;
import io.quire.windows.market.FlatFilePaths;
import io.quire.windows.regions.PriorityRegionStore;
import io.quire.windows.slots.EnrichmentLedger;
import io.quire.windows.slots.SlotMatrix;
import io.quire.windows.slots.TradeLedger;
import io.quire.windows.symbols.SymbolLimits;
import io.quire.windows.symbols.SymbolMap;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The single binary of the seed ("Ingestion Engines & Orchestrator Integration"): builds or
 * opens the symbol map, both ledgers, every mapping file, the artifact store and the
 * priority-region store of a year under the ledger directory; hands those handles to the
 * engines; runs each engine on its own thread, restarting one that throws with exponential
 * backoff (counted in {@link #restarts}); pauses and resumes engines; and shuts down cleanly:
 * {@link #close} stops the loops between steps, waits for the steps in flight (each leaves no
 * Pending slot: it fills or releases its claims), then closes every file (a clean close of the
 * slot files, so the next open needs no repair scan).
 *
 * <p>A slot left Pending by a runner that died ({@code kill -9}) is claimed again by the next
 * run's scans; a slot half-written at the crash is repaired to Cleared by the slot layer on
 * open and refilled. One runner per ledger year: the symbol map's exclusive lock refuses a
 * second one (CONFLICT).
 *
 * <p>Audit and metrics: the slot files report clears and repairs to this process's
 * {@link WindowsAudit} (through {@link WindowsMetrics#counting}); a maintenance thread moves every
 * spooled audit record (this runner's and any CLI command's) into the core stream
 * {@code windows/audit} every {@link #AUDIT_DRAIN_INTERVAL_MS} when it can open the core ledger
 * (a {@code quire serve} holding it drains them itself), and rescans the session for
 * {@code window_lag} every {@link #STATUS_REFRESH_MS}. The core ledger of the directory is created
 * when missing, so the trail always has somewhere to go. Every engine write is counted in
 * {@code window_mutations_total} / {@code window_mutation_latency} ({@link #meters}).
 */
public final class Runner implements AutoCloseable {
    /** The engines, in dependency order (the order they are started and listed). */
    public static final List<String> ENGINES = List.of("treasury", "ingest", "aggressor", "greeks", "aggregates");
    /** First backoff after an engine throws; doubled per consecutive failure up to {@link #BACKOFF_MAX_MS}. */
    public static final long BACKOFF_BASE_MS = 50;
    public static final long BACKOFF_MAX_MS = 5_000;
    /** Sleep of an idle engine before it scans again. */
    public static final long IDLE_SLEEP_MS = 20;
    /** How long {@link #close} waits for a step in flight. */
    public static final long STOP_WAIT_MS = 120_000;
    /** How often spooled audit records are moved into {@code windows/audit}. */
    public static final long AUDIT_DRAIN_INTERVAL_MS = 1_000;
    /** How often the session is rescanned for {@code window_lag} and the status ratios. */
    public static final long STATUS_REFRESH_MS = 5_000;

    /**
     * @param symbols       the tickers to work on; empty = every ticker of the flat files
     * @param flatDir       root of the flat files ({@link FlatFilePaths} layout), or null
     * @param treasuryFiles Treasury par yield CSVs
     * @param engines       which of {@link #ENGINES} to run
     * @param batch         windows claimed per step by each window engine
     * @param claimHoldMs   see {@link WindowEngine#setClaimHoldMs} (0 in production)
     */
    public record Config(Path ledgerDir, LocalDate date, List<String> symbols, Path flatDir, List<Path> treasuryFiles, Set<String> engines,
                         int batch, double dividendYield, long claimHoldMs) {
        public Config {
            symbols = List.copyOf(symbols);
            treasuryFiles = List.copyOf(treasuryFiles);
            engines = Set.copyOf(engines);
            for (String e : engines) if (!ENGINES.contains(e)) throw QuireException.invalid("unknown engine '" + e + "'; engines are " + String.join(", ", ENGINES));
        }

        public Config withEngines(Set<String> e) { return new Config(ledgerDir, date, symbols, flatDir, treasuryFiles, e, batch, dividendYield, claimHoldMs); }

        public Config withBatch(int b) { return new Config(ledgerDir, date, symbols, flatDir, treasuryFiles, engines, b, dividendYield, claimHoldMs); }

        public Config withClaimHoldMs(long ms) { return new Config(ledgerDir, date, symbols, flatDir, treasuryFiles, engines, batch, dividendYield, ms); }

        public static Config of(Path ledgerDir, LocalDate date, List<String> symbols, Path flatDir, List<Path> treasury) {
            return new Config(ledgerDir, date, symbols, flatDir, treasury, Set.copyOf(ENGINES), WindowEngine.BATCH_DEFAULT, 0.0, 0);
        }
    }

    private final EngineContext ctx;
    private final List<AutoCloseable> handles;
    private final Path ledgerDir;
    private final WindowsAudit audit;
    private final WindowsMetrics metrics;
    private final CompositeMeterRegistry meters;
    private final AtomicLong drained = new AtomicLong();
    private Thread maintenance;
    private final List<Engine> engines = new CopyOnWriteArrayList<>();
    private final Map<String, Supervised> supervised = new ConcurrentHashMap<>();
    private volatile boolean stopping;
    private boolean closed;

    private Runner(EngineContext ctx, List<AutoCloseable> handles, Path ledgerDir, WindowsAudit audit, WindowsMetrics metrics, CompositeMeterRegistry meters) {
        this.ctx = ctx;
        this.handles = handles;
        this.ledgerDir = ledgerDir;
        this.audit = audit;
        this.metrics = metrics;
        this.meters = meters;
    }

    /** The slot files' audit: forwards to a delegate set once the metrics exist (repairs on open go straight to the trail). */
    private static final class ForwardingAudit implements SlotAudit {
        volatile SlotAudit delegate;

        ForwardingAudit(SlotAudit first) { delegate = first; }

        @Override public void onClear(ClearRecord r) { delegate.onClear(r); }

        @Override public void onRepair(RepairRecord r) { delegate.onRepair(r); }
    }

    /** Creates the directory's core ledger when there is none (the audit trail's home). */
    static void ensureCoreLedger(Path dir) {
        try {
            Ledger.init(dir);
        } catch (QuireException e) {
            if (e.kind() != ErrorKind.CONFLICT) throw e; // CONFLICT: it exists
        }
    }

    /** Opens (creating when missing) every file of the date's year and builds the configured engines. */
    public static Runner open(Config c) {
        int year = c.date().getYear();
        TradingCalendar cal = TradingCalendar.nyse(year);
        Session session = cal.sessionOn(c.date()).orElseThrow(() -> QuireException.invalid(c.date() + " has no NYSE session").withCode("no_session"));
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            SymbolMap symbols = add(opened, SymbolMap.open(SymbolMap.fileIn(c.ledgerDir(), year), year));
            ensureCoreLedger(c.ledgerDir());
            WindowsAudit audit = add(opened, new WindowsAudit(AuditSpool.create(c.ledgerDir()), WindowsAudit.operatorFrom(System.getenv()),
                    symbols::symbolOf, SlotMatrix::wallClockNs));
            ForwardingAudit slotAudit = new ForwardingAudit(audit);
            SlotMatrix.Options slotOptions = SlotMatrix.Options.defaults().withAudit(slotAudit);
            List<FlatFileEngine.Input> inputs = inputs(c.flatDir(), c.date());
            List<String> tickers = c.symbols().isEmpty() ? tickersIn(inputs, cal) : c.symbols();
            Universe universe = Universe.resolve(symbols, tickers);
            TradeLedger trade = add(opened, TradeLedger.open(c.ledgerDir(), year, SymbolLimits.SYMBOLS_PER_YEAR_MAX, cal.totalMinutes(), slotOptions));
            EnrichmentLedger enr = add(opened, EnrichmentLedger.open(c.ledgerDir(), year, SymbolLimits.SYMBOLS_PER_YEAR_MAX, cal.totalMinutes(), slotOptions));
            MappingFiles maps = add(opened, MappingFiles.open(c.ledgerDir(), year));
            ArtifactStore artifacts = add(opened, ArtifactStore.open(c.ledgerDir(), year));
            PriorityRegionStore regions = PriorityRegionStore.open(c.ledgerDir(), cal, symbols::idOf, Clock.systemUTC());
            regions.onRetired(audit::regionRetired); // automatic retirements reach windows/audit as region_retired
            CompositeMeterRegistry meters = new CompositeMeterRegistry();
            WindowsMetrics metrics = new WindowsMetrics(cal, trade, enr, symbols, regions, maps, Clock.systemUTC())
                    .scanRange(session.firstMinuteIdx(), session.lastMinuteIdx() + 1);
            slotAudit.delegate = metrics.counting(audit);
            EngineContext ctx = new EngineContext(cal, symbols, trade, enr, maps, artifacts, regions, universe, session,
                    metrics::record);
            Runner r = new Runner(ctx, opened, c.ledgerDir(), audit, metrics, meters);
            for (String e : ENGINES) {
                if (!c.engines().contains(e)) continue;
                r.add(switch (e) {
                    case "treasury" -> new TreasuryEngine(ctx, c.treasuryFiles(), audit);
                    case "ingest" -> new FlatFileEngine(ctx, inputs);
                    case "aggressor" -> new AggressorEngine(ctx, c.batch(), AggressorEngine.STALENESS_NS_DEFAULT);
                    case "greeks" -> new GreeksEngine(ctx, c.batch(), c.dividendYield(), GreeksEngine.STALENESS_NS_DEFAULT);
                    case "aggregates" -> new AggregatesEngine(ctx, c.batch());
                    default -> throw new IllegalStateException("bad math in Runner: engine " + e);
                });
            }
            for (Engine e : r.engines) if (e instanceof WindowEngine w) w.setClaimHoldMs(c.claimHoldMs());
            return r;
        } catch (Throwable t) {
            closeAll(opened, t);
            throw t;
        }
    }

    /** The flat files of {@code date} under {@code flatDir} that exist, stocks before options, trades before quotes. */
    public static List<FlatFileEngine.Input> inputs(Path flatDir, LocalDate date) {
        List<FlatFileEngine.Input> out = new ArrayList<>();
        if (flatDir == null) return out;
        for (var in : List.of(new FlatFileEngine.Input(FlatFilePaths.stockTrades(flatDir, date), FlatFileKind.TRADES, false),
                new FlatFileEngine.Input(FlatFilePaths.stockQuotes(flatDir, date), FlatFileKind.QUOTES, false),
                new FlatFileEngine.Input(FlatFilePaths.optionTrades(flatDir, date), FlatFileKind.TRADES, true),
                new FlatFileEngine.Input(FlatFilePaths.optionQuotes(flatDir, date), FlatFileKind.QUOTES, true))) {
            if (Files.isRegularFile(in.path())) out.add(in);
        }
        return out;
    }

    /** Every ticker with a row in a session minute of the files (one streaming pass per file). */
    static List<String> tickersIn(List<FlatFileEngine.Input> inputs, TradingCalendar cal) {
        Set<String> out = new LinkedHashSet<>();
        for (var in : inputs) {
            try (FlatFileReader r = FlatFileReader.open(in.path(), in.kind())) {
                FlatFilePartitioner.<FlatRow>run(r, cal, (t, m, rows) -> out.add(t));
            }
        }
        return new ArrayList<>(out);
    }

    private static <T extends AutoCloseable> T add(List<AutoCloseable> opened, T h) {
        opened.add(h);
        return h;
    }

    public EngineContext context() { return ctx; }

    /** The windows meters (docs/WINDOWS.md "Metrics"), bound at {@link #start}; add a registry to it (e.g. Prometheus) before that. */
    public CompositeMeterRegistry meters() { return meters; }

    public WindowsMetrics metrics() { return metrics; }

    /** This process's audit (released claims, repairs). */
    public WindowsAudit audit() { return audit; }

    /** Audit records this runner moved into {@code windows/audit}. */
    public long auditDrained() { return drained.get(); }

    /**
     * Moves every spooled audit record into {@code windows/audit} if this process can open the
     * core ledger now; returns the records moved (0 when another process holds it).
     */
    public long drainAudit() {
        if (!AuditDrain.pending(ledgerDir)) return 0;
        try (Ledger core = Ledger.open(ledgerDir)) {
            long n = AuditDrain.drain(core, ledgerDir).recordsAppended();
            drained.addAndGet(n);
            return n;
        } catch (QuireException e) {
            if (e.kind() != ErrorKind.CONFLICT) throw e;
            return 0; // another process holds the core ledger; it drains them (quire serve does)
        }
    }

    public List<Engine> engines() { return List.copyOf(engines); }

    public Engine engine(String name) {
        for (Engine e : engines) if (e.name().equals(name)) return e;
        throw new QuireException(io.quire.core.ErrorKind.NOT_FOUND, "no engine '" + name + "' in this runner");
    }

    /** Adds an engine before {@link #start} (the runner's own, or one a caller brings). */
    public synchronized void add(Engine e) {
        if (!supervised.isEmpty()) throw new IllegalStateException("engines are added before start");
        engines.add(e);
    }

    /** Starts one supervised thread per engine. */
    public synchronized void start() {
        if (!supervised.isEmpty()) return;
        // Bound here, not at open: registries added to meters() in between get every meter from
        // the start (a composite that already has meters warns about late registries).
        metrics.bindTo(meters);
        for (Engine e : engines) {
            Supervised s = new Supervised(e);
            supervised.put(e.name(), s);
            s.thread.start();
        }
        maintenance = Thread.ofPlatform().name("quire-windows-maintenance").daemon(true).start(this::maintain);
    }

    /** The maintenance loop: audit drain and status refresh on their intervals; a failure is printed, never fatal. */
    private void maintain() {
        long lastRefresh = 0;
        while (!stopping) {
            java.util.concurrent.locks.LockSupport.parkNanos(AUDIT_DRAIN_INTERVAL_MS * 1_000_000L);
            if (stopping) break;
            try {
                drainAudit();
            } catch (RuntimeException e) {
                System.err.println("quire windows: audit drain failed (records stay spooled, retried): " + e.getMessage());
            }
            long now = System.nanoTime();
            if (now - lastRefresh >= STATUS_REFRESH_MS * 1_000_000L) {
                lastRefresh = now;
                try {
                    metrics.refresh();
                } catch (RuntimeException e) {
                    System.err.println("quire windows: status scan failed: " + e.getMessage());
                }
            }
        }
    }

    public void pause(String engine) { sup(engine).paused = true; }

    public void resume(String engine) {
        Supervised s = sup(engine);
        s.paused = false;
        java.util.concurrent.locks.LockSupport.unpark(s.thread);
    }

    public boolean paused(String engine) { return sup(engine).paused; }

    /** Times the engine threw and was restarted. */
    public long restarts(String engine) { return sup(engine).restarts.get(); }

    /** Sum of windows processed by every engine (a progress counter). */
    public long progress() {
        long n = 0;
        for (Engine e : engines) n += e.stats().windowsProcessed.get();
        return n;
    }

    /**
     * True when every running engine has done a full step that found nothing to do since the last
     * write by any engine (paused engines are ignored): nothing is left that the inputs allow.
     */
    public boolean idle() {
        long p = progress();
        for (Supervised s : supervised.values()) if (!s.paused && s.idleAt != p) return false;
        return !supervised.isEmpty();
    }

    /** Waits until {@link #idle} (checked twice, 2 idle sleeps apart) or the timeout; returns whether idle. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (idle()) {
                Thread.sleep(IDLE_SLEEP_MS * 2);
                if (idle()) return true;
            }
            Thread.sleep(IDLE_SLEEP_MS);
        }
        return false;
    }

    /** Stops every engine between steps, waits for the steps in flight, closes every file. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        stopping = true;
        for (Supervised s : supervised.values()) java.util.concurrent.locks.LockSupport.unpark(s.thread);
        for (Supervised s : supervised.values()) {
            try {
                s.thread.join(STOP_WAIT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (s.thread.isAlive()) System.err.println("quire windows: engine " + s.engine.name() + " did not stop within " + STOP_WAIT_MS + " ms");
        }
        if (maintenance != null) {
            java.util.concurrent.locks.LockSupport.unpark(maintenance);
            try {
                maintenance.join(STOP_WAIT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        RuntimeException err = new RuntimeException("closing the runner");
        closeAll(handles, err);
        // The audit is closed: its spool is complete and its owner lock released, so this drain
        // can also delete it. If another process holds the core ledger, the records stay spooled.
        try {
            drainAudit();
        } catch (RuntimeException e) {
            err.addSuppressed(e);
        }
        if (err.getSuppressed().length > 0) throw (RuntimeException) err.getSuppressed()[0];
    }

    private static void closeAll(List<AutoCloseable> hs, Throwable into) {
        for (AutoCloseable h : hs.reversed()) {
            try {
                h.close();
            } catch (Throwable t) {
                into.addSuppressed(t);
            }
        }
    }

    private Supervised sup(String engine) {
        Supervised s = supervised.get(engine);
        if (s == null) throw new QuireException(io.quire.core.ErrorKind.NOT_FOUND, "no running engine '" + engine + "'");
        return s;
    }

    /** The loop around one engine: step, idle sleep, pause, restart with backoff on a throw. */
    private final class Supervised implements Runnable {
        final Engine engine;
        final Thread thread;
        final AtomicLong restarts = new AtomicLong();
        volatile boolean paused;
        volatile long idleAt = -1;

        Supervised(Engine engine) {
            this.engine = engine;
            this.thread = Thread.ofPlatform().name("quire-engine-" + engine.name()).daemon(false).unstarted(this);
        }

        @Override
        public void run() {
            int failures = 0;
            while (!stopping) {
                if (paused) {
                    java.util.concurrent.locks.LockSupport.parkNanos(IDLE_SLEEP_MS * 1_000_000L);
                    continue;
                }
                long before = progress();
                try {
                    int n = engine.step(() -> stopping);
                    failures = 0;
                    if (n == 0) {
                        idleAt = before;
                        java.util.concurrent.locks.LockSupport.parkNanos(IDLE_SLEEP_MS * 1_000_000L);
                    } else {
                        idleAt = -1;
                    }
                } catch (Throwable t) {
                    idleAt = -1;
                    restarts.incrementAndGet();
                    failures++;
                    long backoff = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS << Math.min(failures - 1, 20));
                    System.err.println("quire windows: engine " + engine.name() + " failed (restart " + restarts.get() + ", retry in " + backoff + " ms): " + t);
                    java.util.concurrent.locks.LockSupport.parkNanos(backoff * 1_000_000L);
                }
            }
        }
    }
}
