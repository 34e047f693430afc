package io.quire.cli.tui;

import io.quire.windows.slots.SlotStatus;

/**
 * What one heat-map cell shows: the <b>worst</b> status among the minutes it covers, where worst
 * means furthest from done: CLEARED (was filled, then cleared; needs a refill) &gt; EMPTY &gt;
 * PENDING &gt; FILLED. So a cell is FILLED only when every minute it covers is Filled, and one
 * cleared minute in a 30-minute cell shows. NONE is a cell past the end of the data (no minute).
 */
public enum CellStatus {
    NONE('.'), FILLED('#'), PENDING('+'), EMPTY('-'), CLEARED('x');

    private final char glyph;

    CellStatus(char glyph) { this.glyph = glyph; }

    /** The character drawn in the cell, so the map reads without colour too. */
    public char glyph() { return glyph; }

    static CellStatus of(SlotStatus s) {
        return switch (s) {
            case EMPTY -> EMPTY;
            case PENDING -> PENDING;
            case FILLED -> FILLED;
            case CLEARED -> CLEARED;
        };
    }

    /** The worse of two statuses (see the class comment); NONE is the identity. */
    CellStatus worst(CellStatus other) { return other.ordinal() > ordinal() ? other : this; }
}
