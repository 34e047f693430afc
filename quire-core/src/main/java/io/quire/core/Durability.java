package io.quire.core;

/**
 * When an append is acknowledged (DESIGN §3.2).
 * <ul>
 *   <li>{@link Sync}: after the group commit that holds it has been written and fdatasync'ed (default).</li>
 *   <li>{@link Interval}: after it is written; an fsync runs at least every {@code millis} ms, so a
 *       power loss may lose up to that window (a process crash loses nothing).</li>
 *   <li>{@link None}: after it is written to the OS page cache; fsync only on close and seal.</li>
 * </ul>
 */
public sealed interface Durability {
    record Sync() implements Durability { @Override public String toString() { return "sync"; } }

    record Interval(long millis) implements Durability {
        public Interval {
            if (millis < 1 || millis > 60_000) throw QuireException.invalid("durability interval must be 1..60000 ms, got " + millis);
        }
        @Override public String toString() { return "interval=" + millis; }
    }

    record None() implements Durability { @Override public String toString() { return "none"; } }

    Durability SYNC = new Sync();
    Durability NONE = new None();

    /** Parses {@code sync}, {@code none} or {@code interval=<ms>}. */
    static Durability parse(String s) {
        if (s == null) throw QuireException.invalid("durability must be one of sync, none, interval=<ms>");
        if (s.equals("sync")) return SYNC;
        if (s.equals("none")) return NONE;
        if (s.startsWith("interval=")) {
            try {
                return new Interval(Long.parseLong(s.substring("interval=".length())));
            } catch (NumberFormatException e) {
                throw QuireException.invalid("durability interval is not a number: " + s);
            }
        }
        throw QuireException.invalid("durability must be one of sync, none, interval=<ms>; got '" + s + "'");
    }
}
