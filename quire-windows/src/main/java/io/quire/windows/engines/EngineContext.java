package io.quire.windows.engines;

import io.quire.windows.artifacts.ArtifactStore;
import io.quire.windows.calendar.Session;
import io.quire.windows.calendar.TradingCalendar;
import io.quire.windows.mapping.MappingFiles;
import io.quire.windows.regions.PriorityRegionStore;
import io.quire.windows.slots.EnrichmentLedger;
import io.quire.windows.slots.LedgerKind;
import io.quire.windows.slots.SlotKind;
import io.quire.windows.slots.SlotLedger;
import io.quire.windows.slots.TradeLedger;
import io.quire.windows.symbols.SymbolMap;

import java.util.Objects;

/**
 * The shared handles the runner gives every engine (seed: "hands shared handles to each
 * engine"): the calendar, the symbol map, both ledgers, the mapping files, the artifact store,
 * the priority-region store, the universe, the session being worked and where to report each
 * slot write ({@link MutationRecorder}). Engines never open
 * these themselves; the runner owns their lifecycle.
 */
public record EngineContext(TradingCalendar calendar, SymbolMap symbols, TradeLedger trade, EnrichmentLedger enrichment,
                            MappingFiles maps, ArtifactStore artifacts, PriorityRegionStore regions, Universe universe, Session session,
                            MutationRecorder mutations) {
    public EngineContext(TradingCalendar calendar, SymbolMap symbols, TradeLedger trade, EnrichmentLedger enrichment,
                         MappingFiles maps, ArtifactStore artifacts, PriorityRegionStore regions, Universe universe, Session session) {
        this(calendar, symbols, trade, enrichment, maps, artifacts, regions, universe, session, MutationRecorder.NONE);
    }

    public EngineContext {
        Objects.requireNonNull(mutations, "mutations");
        Objects.requireNonNull(calendar, "calendar");
        Objects.requireNonNull(trade, "trade");
        Objects.requireNonNull(enrichment, "enrichment");
        Objects.requireNonNull(maps, "maps");
        Objects.requireNonNull(artifacts, "artifacts");
        Objects.requireNonNull(regions, "regions");
        Objects.requireNonNull(universe, "universe");
        Objects.requireNonNull(session, "session");
    }

    /** The ledger holding {@code column}. */
    public SlotLedger ledger(SlotKind column) { return column.ledger() == LedgerKind.TRADE ? trade : enrichment; }

    /** Epoch nanoseconds of the start of {@code minuteIdx}. */
    public long minuteStartNs(int minuteIdx) {
        var i = calendar.minuteStart(minuteIdx);
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}
