package io.quire.windows.market;

import io.quire.core.QuireException;
import io.quire.windows.calendar.TradingCalendar;

import java.time.LocalDate;
import java.util.Objects;

/**
 * What to generate: one session of {@code date} (its calendar session — 390 minutes, or 210 on
 * an early close) for {@code stocks} stocks and their option chains. Rates are mean events per
 * symbol per minute (the count of a minute is drawn around the mean). Everything is a function of
 * {@code seed}: the same spec writes byte-identical files.
 *
 * @param calendar           the calendar whose session for {@code date} is generated
 * @param expiries           option expiries per stock (weekly Fridays after {@code date}); 0 = no options
 * @param strikesPerSide     strikes below and above the at-the-money strike (2n + 1 per expiry and type)
 * @param fractionalShare    share of stock trades with a fractional size, in [0, 1]
 */
public record GeneratorSpec(LocalDate date, long seed, int stocks, int expiries, int strikesPerSide, double stockQuotesPerMinute,
                            double stockTradesPerMinute, double optionQuotesPerMinute, double optionTradesPerMinute,
                            double fractionalShare, TradingCalendar calendar) {

    public GeneratorSpec {
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(calendar, "calendar");
        if (calendar.year() != date.getYear()) throw QuireException.invalid("calendar of " + calendar.year() + " for a day of " + date.getYear());
        if (calendar.sessionOn(date).isEmpty()) throw QuireException.invalid(date + " has no session (weekend, holiday or closure): nothing to generate");
        range("stocks", stocks, 1, GeneratorLimits.STOCKS_MAX, "STOCKS_MAX");
        range("expiries", expiries, 0, GeneratorLimits.EXPIRIES_MAX, "EXPIRIES_MAX");
        range("strikes per side", strikesPerSide, 0, GeneratorLimits.STRIKES_PER_SIDE_MAX, "STRIKES_PER_SIDE_MAX");
        rate("stock quotes per minute", stockQuotesPerMinute);
        rate("stock trades per minute", stockTradesPerMinute);
        rate("option quotes per minute", optionQuotesPerMinute);
        rate("option trades per minute", optionTradesPerMinute);
        if (!(fractionalShare >= 0 && fractionalShare <= 1)) throw QuireException.invalid("fractional share " + fractionalShare + " must be in [0, 1]");
        long symbols = (long) stocks * (1 + contractsPerStock(expiries, strikesPerSide));
        if (symbols > GeneratorLimits.SYMBOLS_MAX) {
            throw QuireException.invalid(stocks + " stocks with " + contractsPerStock(expiries, strikesPerSide) + " contracts each are " + symbols
                    + " symbols; a year holds " + GeneratorLimits.SYMBOLS_MAX + " (SYMBOLS_PER_YEAR_MAX)");
        }
    }

    /** A small realistic default: 40 quotes and 12 trades per stock-minute, 2 expiries × 5 strikes × call/put, 1 option quote and 0.3 trades per contract-minute. */
    public static GeneratorSpec defaults(LocalDate date, long seed, int stocks) {
        return new GeneratorSpec(date, seed, stocks, 2, 2, 40, 12, 1, 0.3, 0.05, TradingCalendar.nyse(date.getYear()));
    }

    public GeneratorSpec withRates(double stockQuotes, double stockTrades, double optionQuotes, double optionTrades) {
        return new GeneratorSpec(date, seed, stocks, expiries, strikesPerSide, stockQuotes, stockTrades, optionQuotes, optionTrades, fractionalShare, calendar);
    }

    public GeneratorSpec withChain(int expiries, int strikesPerSide) {
        return new GeneratorSpec(date, seed, stocks, expiries, strikesPerSide, stockQuotesPerMinute, stockTradesPerMinute, optionQuotesPerMinute,
                optionTradesPerMinute, fractionalShare, calendar);
    }

    public int contractsPerStock() { return contractsPerStock(expiries, strikesPerSide); }

    static int contractsPerStock(int expiries, int strikesPerSide) { return expiries * (2 * strikesPerSide + 1) * 2; }

    private static void range(String what, int v, int min, int max, String name) {
        if (v < min || v > max) throw QuireException.invalid(what + " " + v + " is outside " + min + ".." + max + " (" + name + ")");
    }

    private static void rate(String what, double v) {
        if (!(v >= 0 && v <= GeneratorLimits.EVENTS_PER_MINUTE_MAX)) {
            throw QuireException.invalid(what + " " + v + " is outside 0.." + GeneratorLimits.EVENTS_PER_MINUTE_MAX + " (EVENTS_PER_MINUTE_MAX)");
        }
    }
}
