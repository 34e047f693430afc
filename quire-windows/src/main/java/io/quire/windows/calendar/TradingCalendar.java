package io.quire.windows.calendar;

import io.quire.core.QuireException;
import io.quire.windows.calendar.MinuteLookup.MarketClosed;
import io.quire.windows.calendar.MinuteLookup.MarketMinute;
import io.quire.windows.calendar.MinuteLookup.Reason;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The NYSE regular sessions of one year and its window space (DESIGN §7).
 *
 * <ul>
 *   <li>A session runs 09:30–16:00 America/New_York (390 minutes), or to an announced early
 *       close (13:00: 210 minutes). Every weekday is a session except the ten holidays
 *       ({@link NyseHolidays}) and announced closures ({@link CalendarData}). Open and close are
 *       computed as New York wall-clock times by {@code java.time}, so daylight saving moves the
 *       UTC open between 14:30 (EST) and 13:30 (EDT) — never a fixed offset.</li>
 *   <li>{@code minute_idx} numbers the year's market minutes from 0, in time order, with no
 *       gaps: session {@code s} owns {@code [firstMinuteIdx, firstMinuteIdx + minutes)}. Minute
 *       {@code i} is the half-open interval {@code [minuteStart(i), minuteStart(i) + 60 s)}.</li>
 *   <li>{@code window_id = <year>:<session_seq>:<minute_seq>}, both sequences 1-based
 *       ({@link WindowId}).</li>
 * </ul>
 *
 * <p>Lookups are O(log sessions) (a binary search over at most 262 sessions) or O(1), allocate
 * only their result, and are safe from any thread: an instance is immutable.
 */
public final class TradingCalendar {

    /** The exchange's time zone; all session times are wall-clock times in it. */
    public static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    /** The regular open, New York time. */
    public static final LocalTime OPEN_LOCAL = LocalTime.of(9, 30);
    /** The regular close, New York time. */
    public static final LocalTime CLOSE_LOCAL = LocalTime.of(16, 0);
    /** The customary early close, New York time. */
    public static final LocalTime EARLY_CLOSE_LOCAL = LocalTime.of(13, 0);

    private final int year;
    private final CalendarData data;
    private final Map<LocalDate, String> holidays;
    private final Session[] sessions;
    private final long[] openEpochSec;   // per session, ascending
    private final long[] closeEpochSec;  // per session
    private final int[] firstMinuteIdx;  // per session, ascending
    private final short[] sessionByDayOfYear; // 1-based day of year -> session index, -1 when none
    private final int totalMinutes;

    private TradingCalendar(int year, CalendarData data) {
        this.year = year;
        this.data = data;
        this.holidays = NyseHolidays.of(year);
        List<Session> list = new ArrayList<>(CalendarLimits.SESSIONS_PER_YEAR_MAX);
        short[] byDay = new short[367];
        Arrays.fill(byDay, (short) -1);
        int minuteIdx = 0;
        for (LocalDate d = LocalDate.of(year, 1, 1); d.getYear() == year; d = d.plusDays(1)) {
            if (d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY || holidays.containsKey(d)) continue;
            Announcement a = data.on(d).orElse(null);
            if (a != null && a.kind() == Announcement.Kind.CLOSED) continue;
            Announcement early = a != null && a.kind() == Announcement.Kind.EARLY_CLOSE ? a : null;
            ZonedDateTime open = ZonedDateTime.of(d, OPEN_LOCAL, NEW_YORK);
            ZonedDateTime close = ZonedDateTime.of(d, early != null ? early.close() : CLOSE_LOCAL, NEW_YORK);
            long seconds = close.toEpochSecond() - open.toEpochSecond();
            if (seconds <= 0 || seconds % 60 != 0) {
                throw new IllegalStateException("bad math in TradingCalendar: session " + d + " lasts " + seconds + " s");
            }
            int minutes = (int) (seconds / 60);
            byDay[d.getDayOfYear()] = (short) list.size();
            list.add(new Session(list.size() + 1, d, open, close, minutes, minuteIdx, early));
            minuteIdx += minutes;
        }
        this.sessions = list.toArray(Session[]::new);
        if (sessions.length > CalendarLimits.SESSIONS_PER_YEAR_MAX || minuteIdx > CalendarLimits.MINUTES_PER_YEAR_MAX) {
            throw new IllegalStateException("bad math in TradingCalendar: " + sessions.length + " sessions, " + minuteIdx + " minutes");
        }
        this.totalMinutes = minuteIdx;
        this.sessionByDayOfYear = byDay;
        this.openEpochSec = new long[sessions.length];
        this.closeEpochSec = new long[sessions.length];
        this.firstMinuteIdx = new int[sessions.length];
        for (int i = 0; i < sessions.length; i++) {
            openEpochSec[i] = sessions[i].open().toEpochSecond();
            closeEpochSec[i] = sessions[i].close().toEpochSecond();
            firstMinuteIdx[i] = sessions[i].firstMinuteIdx();
        }
    }

    /** The calendar of {@code year} with the given announcements; INVALID_INPUT outside the supported years. */
    public static TradingCalendar of(int year, CalendarData data) {
        NyseHolidays.checkYear(year);
        return new TradingCalendar(year, data);
    }

    /** The calendar of {@code year} with the built-in announcements only. */
    public static TradingCalendar nyse(int year) { return of(year, CalendarData.builtin()); }

    public int year() { return year; }

    /** The sessions in date order; {@code sessions().get(i).sessionSeq() == i + 1}. */
    public List<Session> sessions() { return List.of(sessions); }

    public int sessionCount() { return sessions.length; }

    /** The count of market minutes in the year; valid {@code minute_idx} are {@code 0..totalMinutes()-1}. */
    public int totalMinutes() { return totalMinutes; }

    /** The observed holidays of the year (date → name). */
    public Map<LocalDate, String> holidays() { return holidays; }

    /** The announced early closes and closures of the year. */
    public List<Announcement> announcements() { return data.inYear(year); }

    /**
     * Whether the calendar data declares that it lists every announcement of this year. When
     * false, holidays are still right but an early close or closure may be missing.
     */
    public boolean announcementsComplete() { return data.covers(year); }

    /** The session with 1-based {@code sessionSeq}; INVALID_INPUT when there is none. */
    public Session session(int sessionSeq) {
        if (sessionSeq < 1 || sessionSeq > sessions.length) {
            throw QuireException.invalid("session_seq " + sessionSeq + " is outside 1.." + sessions.length + " for " + year);
        }
        return sessions[sessionSeq - 1];
    }

    /** The session on {@code date}, or empty when the market is closed that day (or it is another year). */
    public Optional<Session> sessionOn(LocalDate date) {
        if (date.getYear() != year) return Optional.empty();
        int i = sessionByDayOfYear[date.getDayOfYear()];
        return i < 0 ? Optional.empty() : Optional.of(sessions[i]);
    }

    /** The session that owns {@code minuteIdx}. */
    public Session sessionOfMinute(int minuteIdx) { return sessions[sessionIndexOfMinute(minuteIdx)]; }

    /**
     * The market minute that {@code ts} falls in, or why the market is closed at {@code ts}. A
     * session's open instant is its first minute; its close instant is already closed.
     */
    public MinuteLookup minuteIdx(Instant ts) {
        long sec = ts.getEpochSecond(); // Floor: Instant keeps nanos in [0, 1e9).
        LocalDate date = LocalDate.ofInstant(ts, NEW_YORK);
        if (date.getYear() != year) return new MarketClosed(Reason.OTHER_YEAR, date, "not in " + year);
        int i = sessionByDayOfYear[date.getDayOfYear()];
        if (i >= 0) {
            if (sec < openEpochSec[i]) return new MarketClosed(Reason.BEFORE_OPEN, date, "before the " + OPEN_LOCAL + " open");
            if (sec >= closeEpochSec[i]) {
                return new MarketClosed(Reason.AFTER_CLOSE, date, "after the " + sessions[i].close().toLocalTime() + " close");
            }
            int minuteSeq = (int) ((sec - openEpochSec[i]) / 60) + 1;
            return new MarketMinute(firstMinuteIdx[i] + minuteSeq - 1, sessions[i], minuteSeq);
        }
        String holiday = holidays.get(date);
        if (holiday != null) return new MarketClosed(Reason.HOLIDAY, date, holiday);
        Optional<Announcement> a = data.on(date);
        if (a.isPresent() && a.get().kind() == Announcement.Kind.CLOSED) return new MarketClosed(Reason.CLOSURE, date, a.get().reason());
        if (date.getDayOfWeek() == DayOfWeek.SATURDAY || date.getDayOfWeek() == DayOfWeek.SUNDAY) {
            return new MarketClosed(Reason.WEEKEND, date, CalendarData.Text.day(date));
        }
        throw new IllegalStateException("bad math in TradingCalendar.minuteIdx: " + date + " is a weekday with no session and no reason");
    }

    /** The first instant of minute {@code minuteIdx}; the minute is {@code [start, start + 60 s)}. */
    public Instant minuteStart(int minuteIdx) {
        int i = sessionIndexOfMinute(minuteIdx);
        return Instant.ofEpochSecond(openEpochSec[i] + 60L * (minuteIdx - firstMinuteIdx[i]));
    }

    /** The {@code window_id} of {@code minuteIdx}. */
    public WindowId windowId(int minuteIdx) {
        int i = sessionIndexOfMinute(minuteIdx);
        return new WindowId(year, i + 1, minuteIdx - firstMinuteIdx[i] + 1);
    }

    /** The {@code minute_idx} of a window id of this year; INVALID_INPUT when it names no market minute. */
    public int minuteIdx(WindowId id) {
        if (id.year() != year) throw QuireException.invalid("window id " + id + " is of year " + id.year() + ", not " + year);
        Session s = session(id.sessionSeq());
        if (id.minuteSeq() > s.minutes()) {
            throw QuireException.invalid("window id " + id + ": session " + id.sessionSeq() + " (" + s.date() + ") has "
                    + s.minutes() + " minutes");
        }
        return s.firstMinuteIdx() + id.minuteSeq() - 1;
    }

    /** Parses a window id and returns its {@code minute_idx} ({@link WindowId#parse} then {@link #minuteIdx(WindowId)}). */
    public int minuteIdx(String windowId) { return minuteIdx(WindowId.parse(windowId)); }

    private int sessionIndexOfMinute(int minuteIdx) {
        if (minuteIdx < 0 || minuteIdx >= totalMinutes) {
            throw QuireException.invalid("minute_idx " + minuteIdx + " is outside 0.." + (totalMinutes - 1) + " for " + year);
        }
        int i = Arrays.binarySearch(firstMinuteIdx, minuteIdx);
        // Not found: -(insertion point) - 1, and the owner is the session before the insertion point.
        return i >= 0 ? i : -i - 2;
    }

    @Override
    public String toString() {
        return "TradingCalendar[" + year + ": " + sessions.length + " sessions, " + totalMinutes + " minutes]";
    }
}
