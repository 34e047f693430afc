package io.quire.windows.engines;

import io.quire.core.QuireException;
import io.quire.windows.calendar.TradingCalendar;
import io.quire.windows.treasury.EffectiveRule;
import io.quire.windows.treasury.TreasuryCsv;
import io.quire.windows.treasury.TreasuryIngest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Treasury: reads Treasury par yield CSV files ({@link TreasuryCsv}, columns by name) and fans
 * the curves out to {@code rf_rate_ref} through {@link SlotRfRateSink} ({@link TreasuryIngest}
 * decides versions and validity). A file is re-read every step and applied again when its text changed, so a
 * re-published curve with other values becomes a revision: version + 1 in {@code rf_rate.map}
 * and in the slots it covers, which makes exactly those Greeks rerun. Malformed rows are
 * reported with file and line and skipped; a bad header fails the step (the runner counts and
 * retries it).
 */
public final class TreasuryEngine implements Engine {
    private final EngineContext ctx;
    private final List<Path> files;
    private final EngineStats stats = new EngineStats();
    private final Map<Path, String> seen = new HashMap<>();
    private SlotRfRateSink sink;
    private final io.quire.windows.audit.WindowsAudit audit;

    public TreasuryEngine(EngineContext ctx, List<Path> files) { this(ctx, files, null); }

    /** @param audit where a revised curve is recorded ({@code treasury_revision}), or null */
    public TreasuryEngine(EngineContext ctx, List<Path> files, io.quire.windows.audit.WindowsAudit audit) {
        this.ctx = ctx;
        this.files = List.copyOf(files);
        this.audit = audit;
    }

    @Override public String name() { return "treasury"; }

    @Override public EngineStats stats() { return stats; }

    @Override
    public int step(BooleanSupplier stop) {
        if (sink == null) sink = new SlotRfRateSink(ctx, stats, audit);
        long before = stats.windowsProcessed.get();
        int changed = 0;
        for (Path f : files) {
            String text;
            try {
                text = Files.readString(f);
            } catch (IOException e) {
                throw QuireException.io("cannot read treasury file " + f + ": " + e.getMessage(), io.quire.core.Where.file(f.toString(), -1), e);
            }
            if (text.equals(seen.get(f))) continue;
            TreasuryCsv.Result r = TreasuryCsv.parse(f.toString(), text, EffectiveRule.nextSessionOpen());
            for (var p : r.problems()) System.err.println("quire windows: treasury: " + f + " " + p);
            for (var w : r.warnings()) System.err.println("quire windows: treasury: " + f + ": " + w);
            stats.malformedRows.addAndGet(r.problemsTotal());
            TreasuryIngest.apply(r.curves(), ctx.calendar(), TradingCalendar::nyse, ctx.session().date(), sink);
            seen.put(f, text);
            changed++;
        }
        stats.backlog.set(0);
        long n = stats.windowsProcessed.get() - before;
        return changed == 0 ? 0 : (int) Math.max(1, Math.min(Integer.MAX_VALUE, n));
    }
}
