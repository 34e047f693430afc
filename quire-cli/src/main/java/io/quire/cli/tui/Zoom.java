package io.quire.cli.tui;

/**
 * How many market minutes one heat-map cell covers. Minute, 5- and 30-minute cells are cut
 * within a session (a cell never spans two sessions; the last cell of a session may be short);
 * SESSION is one cell per trading day and WEEK one cell per five sessions.
 */
public enum Zoom {
    MINUTE("1m", 1), FIVE("5m", 5), THIRTY("30m", 30), SESSION("session", 0), WEEK("5 sessions", 0);

    private final String label;
    private final int minutes;

    Zoom(String label, int minutes) {
        this.label = label;
        this.minutes = minutes;
    }

    public String label() { return label; }

    /** Minutes per cell within a session, or 0 for the session-sized zooms. */
    int minutesPerCell() { return minutes; }

    Zoom out() { return this == WEEK ? WEEK : values()[ordinal() + 1]; }

    Zoom in() { return this == MINUTE ? MINUTE : values()[ordinal() - 1]; }
}
