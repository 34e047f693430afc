package io.quire.windows.engines;

import io.quire.windows.artifacts.ArtifactFile;
import io.quire.windows.artifacts.ArtifactKind;
import io.quire.windows.artifacts.ArtifactName;
import io.quire.windows.ingest.FlatFileKind;
import io.quire.windows.ingest.FlatFilePartitioner;
import io.quire.windows.ingest.FlatFileReader;
import io.quire.windows.ingest.FlatRow;
import io.quire.windows.ingest.IngestReport;
import io.quire.windows.mapping.Appended;
import io.quire.windows.mapping.ArtifactRef;
import io.quire.windows.mapping.MappingLimits;
import io.quire.windows.mapping.PayloadRecord;
import io.quire.windows.mapping.QuotePayload;
import io.quire.windows.mapping.TradePayload;
import io.quire.windows.slots.PayloadMeta;
import io.quire.windows.slots.SetResult;
import io.quire.windows.slots.SlotKind;
import io.quire.windows.slots.SlotStatus;
import io.quire.windows.slots.SlotView;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * Flat-file ingest of trades and quotes (Polygon/Massive layout, {@link FlatFileReader}). Its
 * backlog is its files, one per step. Each file is partitioned per (symbol, minute); groups of
 * universe symbols whose {@code trade_ref}/{@code quote_ref} is not yet Filled are buffered,
 * claimed (Pending), stored as artifact frames in one batched, fsynced append, their
 * {@code TradePayload}/{@code QuotePayload} appended to {@code trade.map}/{@code quote.map} in one
 * {@code appendAll}, and the slots written with a CAS on the version seen at claim time. When the
 * file is done, every minute of the session of a universe symbol of the file's asset class
 * (stocks or options) that had no row gets a payload of zero rows, so downstream engines can tell
 * "no trades this minute" from "not ingested yet". Malformed rows are counted and reported with
 * file and line ({@link #problems()}), never fatal to the file. After a crash the file is read
 * again: groups already Filled are skipped, so nothing is stored twice in the ledger. Once every
 * file is done, a file is read again when a slot of its columns is no longer Filled (checked every
 * {@link #RESCAN_INTERVAL_MS}): that is how a range an operator cleared is refilled.
 */
public final class FlatFileEngine implements Engine {
    /** One input file: its path, trades or quotes, and whether it is an options (OPRA) or a stocks (SIP) file. */
    public record Input(Path path, FlatFileKind kind, boolean options) {}

    /** One finished file: its report. */
    public record Done(Input input, IngestReport report, long written) {}

    /** Groups per batch (one artifact append and one mapping append each). */
    public static final int GROUPS_PER_BATCH = MappingLimits.RECORDS_PER_APPEND_MAX;
    /** Rows per batch. */
    public static final int ROWS_PER_BATCH = 1_000_000;
    /**
     * How often, once every file is done, the engine looks for slots of its columns that are no
     * longer Filled (an operator's {@code quire clear}, a stale claim of a dead process) and reads
     * their file again: a scan of universe × session minutes, so not on every idle step.
     */
    public static final long RESCAN_INTERVAL_MS = 1_000;

    private final EngineContext ctx;
    private final List<Input> inputs;
    private final Set<Input> done = Collections.synchronizedSet(new HashSet<>());
    private final List<Done> reports = new CopyOnWriteArrayList<>();
    private final EngineStats stats = new EngineStats();
    private long lastRescanNs = System.nanoTime();

    public FlatFileEngine(EngineContext ctx, List<Input> inputs) {
        this.ctx = ctx;
        this.inputs = List.copyOf(inputs);
        stats.backlog.set(inputs.size());
    }

    @Override public String name() { return "ingest"; }

    @Override public EngineStats stats() { return stats; }

    /** Reports of the files finished so far (malformed rows with file and line in each). */
    public List<Done> problems() { return List.copyOf(reports); }

    @Override
    public int step(BooleanSupplier stop) {
        for (Input in : inputs) {
            if (done.contains(in)) continue;
            int n = ingest(in, stop);
            if (n < 0) return 0; // stopped between batches
            done.add(in);
            stats.backlog.set(inputs.size() - done.size());
            return Math.max(n, 1);
        }
        long now = System.nanoTime();
        if (now - lastRescanNs >= RESCAN_INTERVAL_MS * 1_000_000L) {
            lastRescanNs = now;
            for (Input in : inputs) {
                if (done.contains(in) && hasHoles(in)) {
                    done.remove(in); // the next step reads it again; Filled groups are skipped
                    stats.backlog.set(inputs.size() - done.size());
                }
            }
        }
        return 0;
    }

    /** Whether a universe symbol of the file's asset class has a session minute whose column is not Filled. */
    private boolean hasHoles(Input in) {
        SlotKind column = in.kind() == FlatFileKind.TRADES ? SlotKind.TRADE_REF : SlotKind.QUOTE_REF;
        for (Universe.Member u : ctx.universe().members()) {
            if (u.isOption() != in.options()) continue;
            for (int m = ctx.session().firstMinuteIdx(); m <= ctx.session().lastMinuteIdx(); m++) {
                if (ctx.trade().read(column, u.symbolId(), m).status() != SlotStatus.FILLED) return true;
            }
        }
        return false;
    }

    private record G(String ticker, int symbolId, int minuteIdx, List<? extends FlatRow> rows) {}

    private int ingest(Input in, BooleanSupplier stop) {
        SlotKind column = in.kind() == FlatFileKind.TRADES ? SlotKind.TRADE_REF : SlotKind.QUOTE_REF;
        ArtifactKind akind = in.kind() == FlatFileKind.TRADES ? ArtifactKind.TRADES : ArtifactKind.QUOTES;
        LocalDate date = ctx.session().date();
        List<G> buf = new ArrayList<>();
        long[] rows = {0}, written = {0};
        boolean[] stopped = {false};
        IngestReport rep;
        try (FlatFileReader r = FlatFileReader.open(in.path(), in.kind())) {
            rep = FlatFilePartitioner.<FlatRow>run(r, ctx.calendar(), (ticker, minute, group) -> {
                if (stopped[0]) return;
                if (!ctx.session().containsMinute(minute)) return;
                var id = ctx.symbols().idOf(ticker);
                if (id.isEmpty() || ctx.universe().byId(id.getAsInt()) == null) return;
                if (ctx.trade().read(column, id.getAsInt(), minute).status() == SlotStatus.FILLED) return;
                buf.add(new G(ticker, id.getAsInt(), minute, group));
                rows[0] += group.size();
                if (buf.size() >= GROUPS_PER_BATCH || rows[0] >= ROWS_PER_BATCH) {
                    written[0] += flush(buf, column, akind, date);
                    rows[0] = 0;
                    if (stop.getAsBoolean()) stopped[0] = true;
                }
            });
        }
        if (stopped[0]) return -1;
        written[0] += flush(buf, column, akind, date);
        stats.malformedRows.addAndGet(rep.malformedTotal());
        for (var p : rep.problems()) System.err.println("quire windows: " + name() + ": malformed row " + p);
        written[0] += fillEmpty(column, akind, date, in.options());
        reports.add(new Done(in, rep, written[0]));
        return (int) Math.min(Integer.MAX_VALUE, written[0]);
    }

    /** Claims, stores and publishes one batch; returns slots written. Claims without a write are released. */
    private int flush(List<G> buf, SlotKind column, ArtifactKind akind, LocalDate date) {
        if (buf.isEmpty()) return 0;
        List<G> claimed = new ArrayList<>(buf.size());
        List<Long> versions = new ArrayList<>(buf.size());
        try {
            for (G g : buf) {
                SetResult r = ctx.trade().markPending(column, g.symbolId(), g.minuteIdx());
                if (!r.ok()) {
                    stats.conflicts.incrementAndGet();
                    continue;
                }
                claimed.add(g);
                versions.add(r.slot().version());
            }
            List<ArtifactFile.Group> groups = new ArrayList<>(claimed.size());
            for (G g : claimed) groups.add(new ArtifactFile.Group(g.ticker(), g.minuteIdx(), g.rows()));
            List<ArtifactRef> refs = groups.isEmpty() ? List.of() : ctx.artifacts().appender(akind, date).append(groups);
            List<PayloadRecord> records = new ArrayList<>(refs.size());
            for (ArtifactRef ref : refs) records.add(column == SlotKind.TRADE_REF ? new TradePayload(ref) : new QuotePayload(ref));
            return publish(claimed, versions, records, column);
        } finally {
            release(claimed, column);
            buf.clear();
        }
    }

    private int fillEmpty(SlotKind column, ArtifactKind akind, LocalDate date, boolean options) {
        List<G> claimed = new ArrayList<>();
        List<Long> versions = new ArrayList<>();
        List<PayloadRecord> records = new ArrayList<>();
        String artifact = new ArtifactName(akind, date).text();
        int written = 0;
        try {
            for (Universe.Member u : ctx.universe().members()) {
                if (u.isOption() != options) continue;
                for (int m = ctx.session().firstMinuteIdx(); m <= ctx.session().lastMinuteIdx(); m++) {
                    SlotView cur = ctx.trade().read(column, u.symbolId(), m);
                    if (cur.status() == SlotStatus.FILLED) continue;
                    SetResult r = ctx.trade().markPending(column, u.symbolId(), m);
                    if (!r.ok()) {
                        stats.conflicts.incrementAndGet();
                        continue;
                    }
                    claimed.add(new G(u.ticker(), u.symbolId(), m, List.of()));
                    versions.add(r.slot().version());
                    long ts = ctx.minuteStartNs(m);
                    ArtifactRef ref = new ArtifactRef(artifact, 0, 0, 0, ts, ts);
                    records.add(column == SlotKind.TRADE_REF ? new TradePayload(ref) : new QuotePayload(ref));
                    if (claimed.size() >= GROUPS_PER_BATCH) {
                        written += publish(claimed, versions, records, column);
                        claimed.clear();
                        versions.clear();
                        records.clear();
                    }
                }
            }
            written += publish(claimed, versions, records, column);
            return written;
        } finally {
            release(claimed, column);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private int publish(List<G> claimed, List<Long> versions, List<PayloadRecord> records, SlotKind column) {
        if (claimed.isEmpty()) return 0;
        var file = (io.quire.windows.mapping.MappingFile) (column == SlotKind.TRADE_REF ? ctx.maps().trade() : ctx.maps().quote());
        List<Appended> ids = file.appendAll(records);
        long now = System.currentTimeMillis() * 1_000_000L;
        int n = 0;
        for (int i = 0; i < claimed.size(); i++) {
            G g = claimed.get(i);
            // One above the claimed version: a first fill is version 1 (Empty is 0), a refill of a
            // cleared slot is a new version, so downstream engines see that their input changed.
            PayloadMeta meta = ids.get(i).meta(versions.get(i) + 1, now);
            long t0 = System.nanoTime();
            SetResult r = column == SlotKind.TRADE_REF ? ctx.trade().setTradeRef(g.symbolId(), g.minuteIdx(), meta, versions.get(i))
                    : ctx.trade().setQuoteRef(g.symbolId(), g.minuteIdx(), meta, versions.get(i));
            ctx.mutations().record(column, r, System.nanoTime() - t0);
            if (r.ok()) {
                n++;
                stats.windowsProcessed.incrementAndGet();
                ctx.regions().markDone(column, g.symbolId(), g.minuteIdx());
            } else {
                stats.conflicts.incrementAndGet();
            }
        }
        claimed.clear();
        return n;
    }

    private void release(List<G> claimed, SlotKind column) {
        for (G g : claimed) {
            if (ctx.trade().read(column, g.symbolId(), g.minuteIdx()).status() != SlotStatus.PENDING) continue;
            ctx.trade().clearSlot(column, g.symbolId(), g.minuteIdx(), "released by engine ingest: batch not published", "engine:ingest");
            stats.released.incrementAndGet();
        }
        claimed.clear();
    }
}
