package io.quire.cli;

import io.quire.core.ErrorKind;
import io.quire.core.Ledger;
import io.quire.core.QuireException;
import io.quire.windows.audit.AuditDrain;
import io.quire.windows.audit.AuditSpool;
import io.quire.windows.audit.WindowsAudit;
import io.quire.windows.calendar.CalendarData;
import io.quire.windows.calendar.CalendarLimits;
import io.quire.windows.calendar.MinuteLookup;
import io.quire.windows.calendar.TradingCalendar;
import io.quire.windows.slots.EnrichmentLedger;
import io.quire.windows.slots.LedgerKind;
import io.quire.windows.slots.SlotAudit;
import io.quire.windows.slots.SlotKind;
import io.quire.windows.slots.SlotMatrix;
import io.quire.windows.slots.SlotView;
import io.quire.windows.slots.TradeLedger;
import io.quire.windows.symbols.SymbolMap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the windows operator commands share: finding the year, opening the year's files under
 * {@code DIR/windows/<year>/} as they exist (never creating them), parsing MINUTE and SYMBOL,
 * and the audit trail (each command spools its events, then drains them into the core stream
 * {@code windows/audit} if it can take the core writer lock; otherwise the runner holding it
 * drains them — docs/WINDOWS.md "Audit").
 */
final class WindowsCli {
    private WindowsCli() {}

    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,9}");
    private static final Pattern WINDOW_ID = Pattern.compile("[0-9]{4}:[0-9]{1,3}:[0-9]{1,3}");

    /** MINUTE resolved: its year's calendar and index. */
    record Minute(TradingCalendar calendar, int minuteIdx) {}

    static TradingCalendar calendar(Path dir, int year) { return TradingCalendar.of(year, CalendarData.forLedgerDir(dir)); }

    /** --year if given, else the only year directory under DIR/windows; else a usage error. */
    static int year(Path dir, String yearText) {
        if (yearText != null) return CalendarCommand.parseYear(yearText);
        List<Integer> years = years(dir);
        if (years.size() == 1) return years.getFirst();
        if (years.isEmpty()) throw QuireException.notFound("no windows ledger under " + dir.resolve("windows") + " (no year has been written yet)");
        throw new CliUsageException("--year: the ledger has several years " + years + "; name one with --year YEAR");
    }

    static List<Integer> years(Path dir) {
        Path w = dir.resolve("windows");
        if (!Files.isDirectory(w)) return List.of();
        List<Integer> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(w)) {
            s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9]{4}"))
                    .map(Integer::parseInt).filter(y -> y >= CalendarLimits.YEAR_MIN && y <= CalendarLimits.YEAR_MAX).sorted().forEach(out::add);
        } catch (IOException e) {
            throw QuireException.io("cannot list " + w + ": " + e.getMessage(), io.quire.core.Where.file(w.toString(), -1), e);
        }
        return out;
    }

    /**
     * MINUTE: a minute_idx (digits; the year from --year or the ledger), a window_id
     * ({@code 2025:45:1}), an ISO instant ({@code 2025-03-10T13:30:00Z}, or with an offset), or a
     * New York local date-time ({@code 2025-03-10T09:30}, {@code 2025-03-10 09:30}).
     */
    static Minute minute(Path dir, String text, String yearText) {
        if (text == null || text.isEmpty()) throw new CliUsageException("MINUTE: empty");
        if (DIGITS.matcher(text).matches()) {
            TradingCalendar cal = calendar(dir, year(dir, yearText));
            long idx = Long.parseLong(text);
            if (idx >= cal.totalMinutes())
                throw new CliUsageException("MINUTE: minute_idx " + idx + " is past the last minute of " + cal.year() + " (0.." + (cal.totalMinutes() - 1) + ")");
            return new Minute(cal, (int) idx);
        }
        if (WINDOW_ID.matcher(text).matches()) {
            TradingCalendar cal = calendar(dir, CalendarCommand.parseYear(text.substring(0, 4)));
            try {
                return new Minute(cal, cal.minuteIdx(text));
            } catch (QuireException e) {
                if (e.kind() == ErrorKind.INVALID_INPUT) throw new CliUsageException("MINUTE: " + e.reason());
                throw e;
            }
        }
        Instant ts;
        try {
            ts = parseInstant(text);
        } catch (DateTimeException e) {
            throw new CliUsageException("MINUTE: '" + text + "' is not a minute_idx, a window_id (2025:45:1), an ISO instant "
                    + "(2025-03-10T13:30:00Z) or a New York date-time (2025-03-10T09:30)");
        }
        int y = ts.atZone(TradingCalendar.NEW_YORK).getYear();
        if (yearText != null && CalendarCommand.parseYear(yearText) != y)
            throw new CliUsageException("MINUTE: " + text + " is in " + y + ", not in --year " + yearText);
        TradingCalendar cal = calendar(dir, CalendarCommand.parseYear(Integer.toString(y)));
        return switch (cal.minuteIdx(ts)) {
            case MinuteLookup.MarketMinute m -> new Minute(cal, m.minuteIdx());
            case MinuteLookup.MarketClosed c -> throw QuireException.notFound("market closed at " + text + " (" + ts + "): "
                    + c.reason().name().toLowerCase(java.util.Locale.ROOT) + (c.detail() == null ? "" : ", " + c.detail()) + " on " + c.date()
                    + "; no window exists then").withCode("market_closed");
        };
    }

    static Instant parseInstant(String text) {
        String t = text.replace(' ', 'T');
        if (t.endsWith("Z") || t.endsWith("z")) return Instant.parse(t.toUpperCase(java.util.Locale.ROOT));
        if (t.length() > 16 && (t.lastIndexOf('+') > 10 || t.lastIndexOf('-') > 10)) return OffsetDateTime.parse(t).toInstant();
        return LocalDateTime.parse(t).atZone(TradingCalendar.NEW_YORK).toInstant();
    }

    static SymbolMap symbols(Path dir, int year) {
        Path f = SymbolMap.fileIn(dir, year);
        if (!Files.exists(f)) throw QuireException.notFound("no symbol map for " + year + " at " + f + " (no symbol has been seen in " + year + ")");
        return SymbolMap.openReadOnly(f, year);
    }

    /** The id of SYMBOL: a usage error when it cannot be a symbol, NOT_FOUND when the year has not seen it. */
    static int symbolId(SymbolMap map, String symbol) {
        try {
            SymbolMap.validate(symbol);
        } catch (QuireException e) {
            throw new CliUsageException("SYMBOL: " + e.reason());
        }
        return map.idOf(symbol).orElseThrow(() -> QuireException.notFound("unknown symbol '" + symbol + "' in " + map.year()
                + " (" + map.size() + " symbols known; see 'quire windows status')").withCode("symbol_unknown"));
    }

    /** Opens the ledger file of {@code kind} if it exists (null otherwise); never creates it. */
    static SlotMatrix openMatrix(Path dir, TradingCalendar cal, LedgerKind kind, SlotAudit audit) {
        Path f = SlotMatrix.pathFor(dir, cal.year(), kind);
        if (!Files.exists(f)) return null;
        int cap = SlotMatrix.symbolsCapacityOf(f);
        return SlotMatrix.open(f, kind, cal.year(), cap, cal.totalMinutes(), SlotMatrix.Options.defaults().withCreate(false).withAudit(audit));
    }

    static TradeLedger trade(SlotMatrix m) { return m == null ? null : new TradeLedger(m); }

    static EnrichmentLedger enrichment(SlotMatrix m) { return m == null ? null : new EnrichmentLedger(m); }

    static SlotKind column(String text) {
        SlotKind k = text == null ? null : SlotKind.ofColumn(text);
        if (k == null) {
            List<String> all = new ArrayList<>();
            for (SlotKind s : SlotKind.values()) all.add(s.column());
            throw new CliUsageException("--slot: '" + text + "' is not a column; one of " + String.join(", ", all));
        }
        return k;
    }

    /** The operator identity: --operator, else $USER, else user.name. */
    static String operator(Io io, String given) {
        if (given != null) {
            if (given.isBlank() || given.length() > 64 || !given.chars().allMatch(c -> c > 0x20 && c < 0x7f))
                throw new CliUsageException("--operator: '" + given + "' must be 1..64 printable ASCII characters without spaces");
            return given;
        }
        return WindowsAudit.operatorFrom(io.env());
    }

    static WindowsAudit audit(Path dir, String operator, SymbolMap symbols) {
        return new WindowsAudit(AuditSpool.create(dir), operator, id -> symbols == null ? Optional.empty() : symbols.symbolOf(id), SlotMatrix::wallClockNs);
    }

    /**
     * Closes the audit (its spool is then complete) and drains every spool into
     * {@code windows/audit} if this process can open the core ledger for writing. Returns where
     * the records are: {@code "log"}, {@code "spooled"} (a runner holds the ledger and will drain
     * them), {@code "spooled_no_ledger"} (no core ledger in DIR yet), or {@code "none"}.
     */
    static String finish(Path dir, WindowsAudit audit) {
        boolean had = !audit.spool().isEmpty();
        audit.close();
        if (!had) return "none";
        if (!Files.exists(dir.resolve("log"))) return "spooled_no_ledger";
        try (Ledger core = Ledger.open(dir)) {
            AuditDrain.drain(core, dir);
            return "log";
        } catch (QuireException e) {
            if (e.kind() == ErrorKind.CONFLICT) return "spooled";
            if (e.kind() == ErrorKind.NOT_FOUND) return "spooled_no_ledger";
            throw e;
        }
    }

    static String auditNote(String where) {
        return switch (where) {
            case "log" -> "audited in windows/audit";
            case "spooled" -> "audit spooled; the process holding the ledger moves it into windows/audit";
            case "spooled_no_ledger" -> "audit spooled in windows/audit/spool; no core ledger here yet ('quire init'), it moves into windows/audit once one exists";
            default -> "nothing to audit";
        };
    }

    static Map<String, Object> slotJson(SlotView v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("column", v.slot().column());
        m.put("status", v.status().name().toLowerCase(java.util.Locale.ROOT));
        m.put("payload_type", v.payloadType().name().toLowerCase(java.util.Locale.ROOT));
        m.put("payload_id", v.payloadId());
        m.put("version", v.version());
        m.put("checksum", String.format("%08x", v.checksum()));
        m.put("last_updated_ns", v.lastUpdatedNs());
        m.put("last_updated", v.lastUpdatedNs() == 0 ? null : Instant.ofEpochSecond(0, v.lastUpdatedNs()).toString());
        return m;
    }

    static String slotText(SlotView v) {
        return String.format("  %-14s %-8s %-10s %10d %6d %08x %s", v.slot().column(), v.status().name().toLowerCase(java.util.Locale.ROOT),
                v.payloadType().name().toLowerCase(java.util.Locale.ROOT), v.payloadId(), v.version(), v.checksum(),
                v.lastUpdatedNs() == 0 ? "-" : Instant.ofEpochSecond(0, v.lastUpdatedNs()).toString());
    }
}
