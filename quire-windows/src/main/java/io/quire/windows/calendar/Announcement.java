package io.quire.windows.calendar;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Objects;

/**
 * One announced change to a regular session, as read from a calendar data file: an early close
 * at {@link #close()} or a whole-day closure ({@code close == null}). {@code source} is
 * {@code file:line} so that any later error or report can name where it came from.
 */
public record Announcement(LocalDate date, Kind kind, LocalTime close, String reason, String source) {

    /** What was announced. */
    public enum Kind {
        /** The session closes early, at {@link Announcement#close()} New York time. */
        EARLY_CLOSE,
        /** No session at all (e.g. a national day of mourning). */
        CLOSED
    }

    public Announcement {
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(source, "source");
        if ((kind == Kind.EARLY_CLOSE) != (close != null)) {
            throw new IllegalStateException("bad math in Announcement: kind=" + kind + " close=" + close);
        }
    }

    /** Same date, kind, time and reason: the same announcement, wherever it was read. */
    boolean sameAs(Announcement o) {
        return date.equals(o.date) && kind == o.kind && Objects.equals(close, o.close) && reason.equals(o.reason);
    }
}
