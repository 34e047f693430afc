package io.quire.cli.tui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.TextGraphics;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.Screen;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.DefaultTerminalFactory;
import com.googlecode.lanterna.terminal.Terminal;
import io.quire.core.QuireException;
import io.quire.windows.regions.PriorityRegion;
import io.quire.windows.regions.PriorityRegionStore;
import io.quire.windows.regions.RegionLimits;
import io.quire.windows.slots.SlotKind;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Lanterna rendering and the key loop of {@code quire windows tui}. All state lives in
 * {@link HeatMapModel}; this class maps keys to model calls, polls the files every refresh
 * interval, and draws. Prompts (symbol, column, priority) are typed on the bottom line.
 */
public final class TuiScreen {
    /** Width of the symbol label column, in characters. */
    static final int LABEL_CHARS = 14;
    /** Lines above the grid (header, axis) and below it (legend, lag, regions, keys). */
    static final int TOP_LINES = 2, BOTTOM_LINES = 4;
    private static final long IDLE_SLEEP_MS = 20;

    private static final String[] HELP = {
            "quire windows tui - keys",
            "",
            "  h / l      cursor left / right (one cell)",
            "  j / k      cursor down / up (one symbol)",
            "  H / L      one screen left / right",
            "  o / i      zoom out / in: 1m > 5m > 30m > session > 5 sessions",
            "  s          go to a symbol (prompt)",
            "  x          choose the column (prompt; Enter alone = next column)",
            "  v / space  start a range selection at the cursor / drop it",
            "  r / Enter  create a priority region from the selection (or the",
            "             cursor cell) on the cursor's symbol, for this column",
            "  Esc        cancel a prompt or selection",
            "  ?          this help (any key closes it)",
            "  q          quit",
            "",
            "A cell shows the worst status of the minutes it covers:",
            "  x Cleared (red) > - Empty (white) > + Pending (yellow) > # Filled (green)",
    };

    private final HeatMapModel model;
    private final LedgerReader reader;
    private final PriorityRegionStore regions;
    private final Supplier<Instant> now;
    private final long refreshMs;

    private boolean help;
    private String message = "";
    private String promptLabel;
    private StringBuilder promptText;
    private Consumer<String> promptAction;

    public TuiScreen(HeatMapModel model, LedgerReader reader, PriorityRegionStore regions, Supplier<Instant> now, long refreshMs) {
        this.model = model;
        this.reader = reader;
        this.regions = regions;
        this.now = now;
        this.refreshMs = refreshMs;
    }

    /** Runs until {@code q}; restores the terminal on the way out, also on an exception. */
    public void run() throws IOException {
        Terminal terminal = new DefaultTerminalFactory().setForceTextTerminal(true).createTerminal();
        Screen screen = new TerminalScreen(terminal);
        screen.startScreen();
        try {
            screen.setCursorPosition(null);
            long nextRefresh = 0;
            boolean dirty = true;
            while (true) {
                KeyStroke k = screen.pollInput();
                if (k != null) {
                    if (!onKey(k)) return;
                    dirty = true;
                    continue; // drain typed-ahead keys before drawing
                }
                long t = System.nanoTime() / 1_000_000;
                if (t >= nextRefresh) {
                    reader.refresh();
                    nextRefresh = t + refreshMs;
                    dirty = true;
                }
                if (screen.doResizeIfNecessary() != null) dirty = true;
                if (dirty) {
                    draw(screen);
                    dirty = false;
                } else {
                    Thread.sleep(IDLE_SLEEP_MS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            screen.stopScreen();
        }
    }

    // ------------------------------------------------------------------ keys

    /** Returns false to quit. */
    boolean onKey(KeyStroke k) {
        if (k.getKeyType() == KeyType.EOF) return false;
        if (promptAction != null) {
            onPromptKey(k);
            return true;
        }
        if (help) {
            help = false;
            return true;
        }
        int n = reader.symbolCount();
        if (k.getKeyType() == KeyType.Enter) {
            startRegionPrompt();
            return true;
        }
        if (k.getKeyType() == KeyType.Escape) {
            model.clearSelection();
            message = "";
            return true;
        }
        if (k.getKeyType() != KeyType.Character) return true;
        switch (k.getCharacter()) {
            case 'q' -> { return false; }
            case 'h' -> model.move(0, -1, n);
            case 'l' -> model.move(0, 1, n);
            case 'j' -> model.move(1, 0, n);
            case 'k' -> model.move(-1, 0, n);
            case 'H' -> model.move(0, -model.viewCells(), n);
            case 'L' -> model.move(0, model.viewCells(), n);
            case 'o' -> model.zoomOut();
            case 'i' -> model.zoomIn();
            case 'v', ' ' -> model.toggleSelection();
            case 'r' -> startRegionPrompt();
            case '?' -> help = true;
            case 's' -> prompt("symbol: ", text -> {
                int id = reader.idOf(text.trim());
                if (id < 0) message = "no symbol '" + text.trim() + "' in this year's symbols.map";
                else {
                    model.jumpToSymbol(id, reader.symbolCount());
                    message = "";
                }
            });
            case 'x' -> prompt("column (" + columnNames() + "; Enter = next): ", text -> {
                if (text.isBlank()) model.nextColumn();
                else {
                    SlotKind c = SlotKind.ofColumn(text.trim());
                    if (c == null) {
                        message = "no column '" + text.trim() + "'; one of " + columnNames();
                        return;
                    }
                    model.column(c);
                }
                message = "";
            });
            default -> { }
        }
        return true;
    }

    private static String columnNames() {
        StringBuilder b = new StringBuilder();
        for (SlotKind k : SlotKind.values()) b.append(b.isEmpty() ? "" : ", ").append(k.column());
        return b.toString();
    }

    private void startRegionPrompt() {
        if (model.cursorRow() >= reader.symbolCount()) {
            message = "no symbol under the cursor";
            return;
        }
        String symbol = reader.symbol(model.cursorRow());
        int[] m = model.selectionMinutes();
        SlotKind column = model.column();
        prompt("priority " + RegionLimits.PRIORITY_MIN + ".." + RegionLimits.PRIORITY_MAX + " for " + symbol + " "
                + model.nyTime(m[0]) + " .. " + model.nyTime(m[1] - 1) + " " + column.column() + ": ", text -> {
            String t = text.trim();
            int p;
            try {
                p = Integer.parseInt(t);
            } catch (NumberFormatException e) {
                message = "priority '" + t + "' is not a number in " + RegionLimits.PRIORITY_MIN + ".." + RegionLimits.PRIORITY_MAX + "; nothing created";
                return;
            }
            Instant[] span = model.selectionInstants();
            try {
                PriorityRegion r = regions.add(symbol, span[0], span[1], p, Set.of(column), "tui");
                message = "created region " + r.id() + " priority " + p + " " + symbol + " " + model.nyTime(m[0]) + " .. "
                        + model.nyTime(m[1] - 1) + " " + column.column();
                model.clearSelection();
            } catch (QuireException e) {
                message = "region refused: " + e.getMessage();
            }
        });
    }

    private void prompt(String label, Consumer<String> action) {
        promptLabel = label;
        promptText = new StringBuilder();
        promptAction = action;
    }

    private void onPromptKey(KeyStroke k) {
        switch (k.getKeyType()) {
            case Escape -> promptAction = null;
            case Backspace -> { if (!promptText.isEmpty()) promptText.setLength(promptText.length() - 1); }
            case Enter -> {
                Consumer<String> a = promptAction;
                promptAction = null;
                a.accept(promptText.toString());
            }
            case Character -> { if (promptText.length() < 80) promptText.append(k.getCharacter()); }
            default -> { }
        }
    }

    // ------------------------------------------------------------------ drawing

    private void draw(Screen screen) throws IOException {
        TerminalSize size = screen.getTerminalSize();
        int w = size.getColumns(), h = size.getRows();
        model.viewport(h - TOP_LINES - BOTTOM_LINES, w - LABEL_CHARS - 1);
        screen.clear();
        TextGraphics g = screen.newTextGraphics();
        g.putString(0, 0, fit(model.header(reader), w), SGR.BOLD);
        g.putString(0, 1, fit(axis(), w));
        drawGrid(g);
        int y = h - BOTTOM_LINES;
        drawLegend(g, y, w);
        g.putString(0, y + 1, fit(lagLine(), w));
        g.putString(0, y + 2, fit(regionLine(), w));
        if (promptAction != null) {
            g.setForegroundColor(TextColor.ANSI.CYAN);
            g.putString(0, y + 3, fit(promptLabel + promptText + "_", w), SGR.BOLD);
            g.setForegroundColor(TextColor.ANSI.DEFAULT);
        } else {
            g.putString(0, y + 3, fit("h/l/j/k move  o/i zoom  s symbol  x column  v select  r region  ? help  q quit", w), SGR.REVERSE);
        }
        if (help) drawHelp(g, w, h);
        screen.refresh(Screen.RefreshType.COMPLETE);
    }

    /** Marks the first cell of each session (|) and each New York hour (:) at fine zooms. */
    private String axis() {
        StringBuilder b = new StringBuilder(" ".repeat(LABEL_CHARS + 1));
        int last = Math.min(model.bucketCount(), model.leftCell() + model.viewCells());
        for (int c = model.leftCell(); c < last; c++) {
            int m = model.bucketStart(c);
            String t = model.nyTime(m);
            boolean sessionStart = model.calendar().sessionOfMinute(m).firstMinuteIdx() == m;
            b.append(sessionStart ? '|' : t.endsWith(":00") || t.endsWith(":30") && model.zoom() == Zoom.MINUTE ? ':' : ' ');
        }
        return b.toString();
    }

    private void drawGrid(TextGraphics g) {
        CellStatus[][] grid = model.grid(reader);
        List<String> labels = model.rowLabels(reader);
        for (int r = 0; r < grid.length; r++) {
            int y = TOP_LINES + r;
            boolean cursorRow = model.topRow() + r == model.cursorRow();
            if (cursorRow) g.putString(0, y, fit(">" + labels.get(r), LABEL_CHARS), SGR.BOLD);
            else g.putString(0, y, fit(" " + labels.get(r), LABEL_CHARS));
            if (model.topRow() + r >= reader.symbolCount()) continue; // no symbol: leave the line blank
            for (int c = 0; c < grid[r].length; c++) {
                int cell = model.leftCell() + c;
                CellStatus s = grid[r][c];
                g.setForegroundColor(colour(s));
                g.setBackgroundColor(cursorRow && model.selected(cell) ? TextColor.ANSI.BLUE : TextColor.ANSI.DEFAULT);
                boolean cursor = cursorRow && cell == model.cursorCell();
                if (cursor) g.putString(LABEL_CHARS + 1 + c, y, String.valueOf(s.glyph()), SGR.REVERSE);
                else g.setCharacter(LABEL_CHARS + 1 + c, y, s.glyph());
            }
            g.setForegroundColor(TextColor.ANSI.DEFAULT);
            g.setBackgroundColor(TextColor.ANSI.DEFAULT);
        }
    }

    static TextColor colour(CellStatus s) {
        return switch (s) {
            case FILLED -> TextColor.ANSI.GREEN;
            case PENDING -> TextColor.ANSI.YELLOW;
            case EMPTY -> TextColor.ANSI.WHITE;
            case CLEARED -> TextColor.ANSI.RED;
            case NONE -> TextColor.ANSI.DEFAULT;
        };
    }

    private void drawLegend(TextGraphics g, int y, int w) {
        int x = 0;
        g.putString(x, y, "legend: ");
        x += 8;
        for (CellStatus s : new CellStatus[] {CellStatus.FILLED, CellStatus.PENDING, CellStatus.EMPTY, CellStatus.CLEARED}) {
            String name = s.glyph() + " " + s.name().charAt(0) + s.name().substring(1).toLowerCase() + "  ";
            g.setForegroundColor(colour(s));
            if (x + name.length() < w) g.putString(x, y, name, SGR.BOLD);
            x += name.length();
        }
        g.setForegroundColor(TextColor.ANSI.DEFAULT);
        String rest = "cell = worst of its minutes (Cleared > Empty > Pending > Filled)";
        if (x < w) g.putString(x, y, fit(rest, w - x));
    }

    private String lagLine() {
        Instant t = now.get();
        if (reader.symbolCount() == 0) return "lag: no symbols yet";
        int minute = model.bucketStart(model.cursorCell());
        long[] lag = model.dayLag(reader, minute, t);
        StringBuilder b = new StringBuilder("lag min " + model.calendar().sessionOfMinute(minute).date() + " all symbols:");
        for (SlotKind k : SlotKind.values()) b.append(' ').append(k.column()).append('=').append(lag[k.ordinal()]);
        return b.toString();
    }

    private String regionLine() {
        String s;
        try {
            List<PriorityRegion> open = regions.list();
            s = "regions open " + open.size() + ", backlog " + model.column().column() + " " + regions.backlog(model.column()) + " min";
        } catch (QuireException e) {
            s = "regions: " + e.getMessage();
        }
        return message.isEmpty() ? s : s + " | " + message;
    }

    private void drawHelp(TextGraphics g, int w, int h) {
        int bw = Math.min(w - 2, 76), bh = Math.min(h - 2, HELP.length + 2);
        int x0 = Math.max(0, (w - bw) / 2), y0 = Math.max(0, (h - bh) / 2);
        g.setBackgroundColor(TextColor.ANSI.BLACK);
        g.setForegroundColor(TextColor.ANSI.WHITE);
        g.fillRectangle(new com.googlecode.lanterna.TerminalPosition(x0, y0), new TerminalSize(bw, bh), ' ');
        for (int i = 0; i < HELP.length && i + 1 < bh - 1; i++) g.putString(x0 + 2, y0 + 1 + i, fit(HELP[i], bw - 4));
        g.setBackgroundColor(TextColor.ANSI.DEFAULT);
        g.setForegroundColor(TextColor.ANSI.DEFAULT);
    }

    private static String fit(String s, int w) {
        if (w <= 0) return "";
        return s.length() <= w ? s + " ".repeat(w - s.length()) : s.substring(0, w);
    }
}
