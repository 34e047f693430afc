package io.quire.windows.market;

import io.quire.core.QuireException;
import io.quire.core.Where;
import io.quire.core.log.FileUtil;
import io.quire.windows.calendar.Session;
import io.quire.windows.ingest.OptionTicker;
import io.quire.windows.pricing.BlackScholes;
import io.quire.windows.pricing.GreeksCalculator;
import io.quire.windows.pricing.OptionType;
import io.quire.windows.pricing.RateCurve;
import io.quire.windows.treasury.Tenor;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.zip.GZIPOutputStream;

/**
 * A deterministic synthetic market: one session of stocks and their option chains written as
 * Polygon/Massive flat files (gzipped CSV with a header, the real column names and order,
 * Unix-nanosecond timestamps, {@code conditions} as a quoted comma list, fractional sizes), plus a
 * Treasury par yield CSV, so the whole pipeline runs from files through the real ingest path.
 *
 * <p><b>Model</b> (per stock, from its own {@link SplittableRandom} seeded by the spec's seed and
 * the stock's index): a geometric random walk of the mid, updated at every quote; an NBBO around it
 * rounded outward to cents (rarely locked or crossed, to exercise the flags); trades at the ask, at
 * the bid, inside or one cent outside the NBBO at or before them. Options: weekly expiries, strikes
 * around the opening price, quotes priced by Black-Scholes from the underlying's mid at that
 * instant with a volatility smile plus noise, trades inside the option's NBBO.
 *
 * <p><b>Determinism</b>: the same spec gives byte-identical files (fixed-point formatting, gzip
 * header without a timestamp, no hash-ordered iteration). Files are written to a temp name,
 * fsynced and renamed, so a crash never leaves a partial file under the final name.
 */
public final class MarketGenerator {
    private MarketGenerator() {}

    static final String STOCK_TRADES_HEADER = "ticker,conditions,correction,exchange,id,participant_timestamp,price,sequence_number,sip_timestamp,size,tape,trf_id,trf_timestamp";
    static final String STOCK_QUOTES_HEADER = "ticker,ask_exchange,ask_price,ask_size,bid_exchange,bid_price,bid_size,conditions,indicators,participant_timestamp,sequence_number,sip_timestamp,tape,trf_timestamp";
    static final String OPTION_TRADES_HEADER = "ticker,conditions,correction,exchange,participant_timestamp,price,sip_timestamp,size";
    static final String OPTION_QUOTES_HEADER = "ticker,ask_exchange,ask_price,ask_size,bid_exchange,bid_price,bid_size,sequence_number,sip_timestamp";

    /** Well-known names first; then synthetic four-letter tickers. */
    private static final String[] KNOWN = {"SPY", "QQQ", "IWM", "AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "META", "TSLA", "AMD", "NFLX", "JPM", "XOM",
            "BAC", "DIS", "INTC", "KO", "PFE", "WMT"};
    private static final long NS = 1_000_000_000L;
    /** Seconds in a trading year for the random walk: 252 sessions of 6.5 hours. */
    private static final double TRADING_SECONDS_PER_YEAR = 252 * 6.5 * 3600;

    /** Writes the day under {@code outDir} (paths of {@link FlatFilePaths}) and says what it wrote. */
    public static GeneratedMarket generate(Path outDir, GeneratorSpec spec) {
        Session session = spec.calendar().sessionOn(spec.date()).orElseThrow();
        List<String> stocks = tickers(spec.stocks());
        Path st = FlatFilePaths.stockTrades(outDir, spec.date()), sq = FlatFilePaths.stockQuotes(outDir, spec.date());
        Path ot = FlatFilePaths.optionTrades(outDir, spec.date()), oq = FlatFilePaths.optionQuotes(outDir, spec.date());
        Path tr = FlatFilePaths.treasury(outDir, spec.date());
        List<String> contracts = new ArrayList<>();
        double[][] curves = treasuryCurves(spec);
        double rate = RateCurve.continuous(curves[1][Tenor.M3.ordinal()]); // the previous day's 3-month yield
        try (Out stOut = new Out(st, true); Out sqOut = new Out(sq, true); Out otOut = new Out(ot, true); Out oqOut = new Out(oq, true)) {
            stOut.w.header(STOCK_TRADES_HEADER);
            sqOut.w.header(STOCK_QUOTES_HEADER);
            otOut.w.header(OPTION_TRADES_HEADER);
            oqOut.w.header(OPTION_QUOTES_HEADER);
            for (int i = 0; i < stocks.size(); i++) {
                SplittableRandom rnd = new SplittableRandom(spec.seed() ^ (0x9E3779B97F4A7C15L * (i + 1)));
                StockDay day = stock(stocks.get(i), rnd, spec, session, sqOut.w, stOut.w);
                contracts.addAll(options(day, rnd, spec, session, rate, oqOut.w, otOut.w));
            }
            stOut.commit();
            sqOut.commit();
            otOut.commit();
            oqOut.commit();
            try (Out trOut = new Out(tr, false)) {
                writeTreasury(trOut.w, spec, curves);
                trOut.commit();
            }
            List<GeneratedMarket.File> files = List.of(stOut.file(GeneratedMarket.Kind.STOCK_TRADES), sqOut.file(GeneratedMarket.Kind.STOCK_QUOTES),
                    otOut.file(GeneratedMarket.Kind.OPTION_TRADES), oqOut.file(GeneratedMarket.Kind.OPTION_QUOTES));
            List<GeneratedMarket.File> all = new ArrayList<>(files);
            all.add(new GeneratedMarket.File(GeneratedMarket.Kind.TREASURY, tr, GeneratorLimits.TREASURY_DAYS, Files.size(tr)));
            return new GeneratedMarket(spec.date(), spec.seed(), all, stocks, contracts);
        } catch (IOException e) {
            throw QuireException.io("cannot write the generated market under " + outDir + ": " + e.getMessage(), Where.file(outDir.toString(), -1), e);
        }
    }

    /** The first {@code n} tickers in file (sorted) order. */
    static List<String> tickers(int n) {
        TreeSet<String> t = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            if (i < KNOWN.length) {
                t.add(KNOWN[i]);
            } else {
                int k = i - KNOWN.length;
                char[] c = new char[4];
                for (int j = 3; j >= 0; j--) {
                    c[j] = (char) ('A' + k % 26);
                    k /= 26;
                }
                String s = "Z" + new String(c, 1, 3); // Z + 3 letters: never one of KNOWN
                t.add(s);
            }
        }
        if (t.size() != n) throw new IllegalStateException("bad math in MarketGenerator.tickers: " + t.size() + " != " + n);
        return List.copyOf(t);
    }

    /** Mean-preserving count for one minute: uniform around {@code rate}, randomized rounding. */
    static int count(SplittableRandom rnd, double rate) {
        if (rate == 0) return 0;
        return (int) Math.floor(rate * (0.5 + rnd.nextDouble()) + rnd.nextDouble());
    }

    /** {@code n} sorted offsets in [0, 60 s) in ns; with {@code atOpen} the first is 0. */
    static long[] offsets(SplittableRandom rnd, int n, boolean atOpen) {
        long[] o = new long[n];
        for (int i = 0; i < n; i++) o[i] = rnd.nextLong(60 * NS);
        Arrays.sort(o);
        if (atOpen && n > 0) o[0] = 0;
        return o;
    }

    /** The stock's quotes of the day, kept for its options and trades. */
    record StockDay(String ticker, long[] ts, double[] mid, double openPrice, double vol) {
        double midAt(long t) {
            int i = Arrays.binarySearch(ts, t);
            if (i < 0) i = -i - 2;
            return mid[Math.max(i, 0)];
        }
    }

    private static StockDay stock(String ticker, SplittableRandom rnd, GeneratorSpec spec, Session session, AsciiOut quotes, AsciiOut trades)
            throws IOException {
        double s0 = Math.round(Math.exp(Math.log(10) + rnd.nextDouble() * (Math.log(600) - Math.log(10))) * 100) / 100.0;
        double vol = 0.15 + rnd.nextDouble() * 0.45;
        int tape = 1 + rnd.nextInt(3);
        long openNs = session.openUtc().getEpochSecond() * NS;
        double logS = Math.log(s0);
        long lastTs = openNs;
        long qSeq = 0, tSeq = 0, tradeId = 0;
        List<long[]> dayTs = new ArrayList<>();
        List<double[]> dayMid = new ArrayList<>();
        for (int m = 0; m < session.minutes(); m++) {
            long base = openNs + m * 60 * NS;
            long[] qo = offsets(rnd, Math.max(count(rnd, spec.stockQuotesPerMinute()), m == 0 ? 1 : 0), m == 0);
            long[] qts = new long[qo.length];
            long[] bidC = new long[qo.length], askC = new long[qo.length];
            double[] mids = new double[qo.length];
            for (int k = 0; k < qo.length; k++) {
                long t = base + qo[k];
                double dt = (t - lastTs) / 1e9 / TRADING_SECONDS_PER_YEAR;
                logS += vol * Math.sqrt(dt) * rnd.nextGaussian() - 0.5 * vol * vol * dt;
                lastTs = t;
                double mid = Math.exp(logS);
                double half = Math.max(0.005, mid * 0.0002 * (1 + rnd.nextDouble()));
                long bid = Math.max(1, (long) Math.floor((mid - half) * 100)), ask = Math.max(bid + 1, (long) Math.ceil((mid + half) * 100));
                double u = rnd.nextDouble();
                if (u < 0.002) ask = bid;                 // locked
                else if (u < 0.0025) bid = ask + 1;      // crossed
                qts[k] = t;
                bidC[k] = bid;
                askC[k] = ask;
                mids[k] = mid;
                long part = t - 100 - rnd.nextLong(2_000_000);
                // ticker,ask_exchange,ask_price,ask_size,bid_exchange,bid_price,bid_size,conditions,indicators,participant_timestamp,sequence_number,sip_timestamp,tape,trf_timestamp
                quotes.s(ticker).c(',').l(1 + rnd.nextInt(21)).c(',').fixed(ask, 2).c(',').l(1 + rnd.nextInt(30)).c(',').l(1 + rnd.nextInt(21)).c(',')
                        .fixed(bid, 2).c(',').l(1 + rnd.nextInt(30)).c(',').codes(rnd.nextDouble() < 0.05 ? new int[] {1} : NONE).c(',')
                        .codes(rnd.nextDouble() < 0.01 ? new int[] {604, 606} : NONE).c(',').l(part).c(',').l(++qSeq).c(',').l(t).c(',').l(tape).c(',').endRow();
            }
            dayTs.add(qts);
            dayMid.add(mids);
            long[] to = offsets(rnd, count(rnd, spec.stockTradesPerMinute()), false);
            int qi = 0;
            for (long o : to) {
                long t = base + o;
                while (qi + 1 < qts.length && qts[qi + 1] <= t) qi++;
                long bid = bidC[qi], ask = askC[qi];
                double u = rnd.nextDouble();
                long px;
                if (bid > ask) px = ask;
                else if (u < 0.4) px = ask;
                else if (u < 0.8) px = bid;
                else if (u < 0.95) px = ask - bid >= 2 ? bid + 1 + rnd.nextLong(ask - bid - 1) : ask;
                else px = rnd.nextBoolean() ? ask + 1 : Math.max(1, bid - 1);
                long size = rnd.nextDouble() < spec.fractionalShare() ? 1 + rnd.nextLong(99_999) : (rnd.nextDouble() < 0.3 ? 1 + rnd.nextLong(99) : 100L * (1 + rnd.nextLong(5))) * 10_000;
                boolean trf = rnd.nextDouble() < 0.3;
                int exchange = trf ? 4 : 1 + rnd.nextInt(21);
                int[] cond = condition(rnd, size % 10_000 != 0 || size < 100 * 10_000);
                long part = t - 100 - rnd.nextLong(2_000_000);
                // ticker,conditions,correction,exchange,id,participant_timestamp,price,sequence_number,sip_timestamp,size,tape,trf_id,trf_timestamp
                trades.s(ticker).c(',').codes(cond).c(',').l(0).c(',').l(exchange).c(',').l(++tradeId).c(',').l(part).c(',').fixed(px, 2).c(',')
                        .l(++tSeq).c(',').l(t).c(',').fixed(size, 4).c(',').l(tape).c(',');
                if (trf) trades.l(201 + rnd.nextInt(3)).c(',').l(t - 1_000 - rnd.nextLong(1_000_000));
                else trades.c(',');
                trades.endRow();
            }
        }
        int total = dayTs.stream().mapToInt(a -> a.length).sum();
        long[] ts = new long[total];
        double[] mid = new double[total];
        int p = 0;
        for (int k = 0; k < dayTs.size(); k++) {
            System.arraycopy(dayTs.get(k), 0, ts, p, dayTs.get(k).length);
            System.arraycopy(dayMid.get(k), 0, mid, p, dayMid.get(k).length);
            p += dayTs.get(k).length;
        }
        return new StockDay(ticker, ts, mid, s0, vol);
    }

    private static final int[] NONE = new int[0];

    private static int[] condition(SplittableRandom rnd, boolean oddLot) {
        double u = rnd.nextDouble();
        if (oddLot) return u < 0.5 ? new int[] {37} : new int[] {12, 37};
        if (u < 0.75) return NONE;
        if (u < 0.9) return new int[] {14, 41};
        return new int[] {12};
    }

    /** The contracts of a stock's chain in ticker order. */
    record Contract(String ticker, LocalDate expiry, OptionType type, long strikeMilli, double vol) {}

    static List<LocalDate> expiries(GeneratorSpec spec) {
        List<LocalDate> out = new ArrayList<>();
        LocalDate f = spec.date().plusDays(1);
        while (f.getDayOfWeek() != DayOfWeek.FRIDAY) f = f.plusDays(1);
        for (int k = 0; k < spec.expiries(); k++) {
            LocalDate e = f.plusWeeks(k);
            if (e.getYear() == spec.calendar().year() && spec.calendar().sessionOn(e).isEmpty()) e = e.minusDays(1); // holiday Friday: Thursday
            out.add(e);
        }
        return out;
    }

    static long strikeStepMilli(double s) {
        if (s < 25) return 500;
        if (s < 200) return 1_000;
        if (s < 500) return 2_500;
        return 5_000;
    }

    private static List<String> options(StockDay day, SplittableRandom rnd, GeneratorSpec spec, Session session, double rate, AsciiOut quotes,
                                        AsciiOut trades) throws IOException {
        if (spec.expiries() == 0) return List.of();
        long step = strikeStepMilli(day.openPrice());
        long atm = Math.max(step, Math.round(day.openPrice() * 1000 / step) * step);
        List<Contract> chain = new ArrayList<>();
        for (LocalDate e : expiries(spec)) {
            for (int j = -spec.strikesPerSide(); j <= spec.strikesPerSide(); j++) {
                long k = atm + j * step;
                if (k <= 0) continue; // below zero for a cheap stock: the chain is shorter
                double m = Math.log(k / 1000.0 / day.openPrice());
                double v = day.vol() * (1 + 2 * m * m) + 0.01 * rnd.nextGaussian();
                for (OptionType type : OptionType.values()) chain.add(new Contract(OptionTicker.format(day.ticker(), e, type, k), e, type, k, Math.max(0.05, v)));
            }
        }
        chain.sort((a, b) -> a.ticker().compareTo(b.ticker()));
        for (int c = 1; c < chain.size(); c++) {
            if (chain.get(c).ticker().equals(chain.get(c - 1).ticker())) throw new IllegalStateException("bad math in MarketGenerator: duplicate contract " + chain.get(c).ticker());
        }
        long openNs = session.openUtc().getEpochSecond() * NS;
        List<String> names = new ArrayList<>(chain.size());
        for (Contract c : chain) {
            names.add(c.ticker());
            long seq = 0;
            long bid = 0, ask = 0;
            boolean quoted = false;
            for (int m = 0; m < session.minutes(); m++) {
                long base = openNs + m * 60 * NS;
                long[] qo = offsets(rnd, Math.max(count(rnd, spec.optionQuotesPerMinute()), m == 0 ? 1 : 0), m == 0);
                long[] to = offsets(rnd, count(rnd, spec.optionTradesPerMinute()), false);
                int qi = 0, ti = 0;
                // Merge quotes and trades of the minute in time order: a trade uses the quote at or before it.
                while (qi < qo.length || ti < to.length) {
                    if (qi < qo.length && (ti >= to.length || qo[qi] <= to[ti])) {
                        long t = base + qo[qi++];
                        double s = day.midAt(t);
                        double years = GreeksCalculator.yearsToExpiry(t, c.expiry());
                        double p = BlackScholes.price(c.type(), s, c.strikeMilli() / 1000.0, years, rate, 0, c.vol());
                        double half = Math.max(0.01, 0.03 * p);
                        bid = Math.max(0, (long) Math.floor((p - half) * 100));
                        ask = Math.max(bid + 1, (long) Math.ceil((p + half) * 100));
                        quoted = true;
                        // ticker,ask_exchange,ask_price,ask_size,bid_exchange,bid_price,bid_size,sequence_number,sip_timestamp
                        quotes.s(c.ticker()).c(',').l(300 + rnd.nextInt(23)).c(',').fixed(ask, 2).c(',').l(1 + rnd.nextInt(500)).c(',')
                                .l(300 + rnd.nextInt(23)).c(',').fixed(bid, 2).c(',').l(1 + rnd.nextInt(500)).c(',').l(++seq).c(',').l(t).endRow();
                    } else {
                        long t = base + to[ti++];
                        if (!quoted) continue;
                        long lo = Math.max(1, bid);
                        long px = ask > lo ? lo + rnd.nextLong(ask - lo + 1) : ask;
                        int[] cond = rnd.nextDouble() < 0.8 ? new int[] {209} : new int[] {219, 227};
                        // ticker,conditions,correction,exchange,participant_timestamp,price,sip_timestamp,size
                        trades.s(c.ticker()).c(',').codes(cond).c(',').l(0).c(',').l(300 + rnd.nextInt(23)).c(',').l(t - 50 - rnd.nextLong(500_000)).c(',')
                                .fixed(px, 2).c(',').l(t).c(',').l(1 + rnd.nextInt(20)).endRow();
                    }
                }
            }
        }
        return names;
    }

    /** Curves of the last {@link GeneratorLimits#TREASURY_DAYS} weekdays up to the date, newest first, yields in percent (2 decimals). */
    static double[][] treasuryCurves(GeneratorSpec spec) {
        SplittableRandom rnd = new SplittableRandom(spec.seed() * 31 + 7);
        Tenor[] tenors = Tenor.values();
        double[] y = new double[tenors.length];
        for (int i = 0; i < tenors.length; i++) y[i] = 3.8 + 0.9 * Math.log1p(tenors[i].years()) / Math.log1p(30) + 0.2 * rnd.nextDouble();
        double[][] out = new double[GeneratorLimits.TREASURY_DAYS][];
        for (int d = GeneratorLimits.TREASURY_DAYS - 1; d >= 0; d--) {
            double shift = 0.03 * rnd.nextGaussian();
            double[] c = new double[tenors.length];
            for (int i = 0; i < tenors.length; i++) {
                y[i] += shift + 0.01 * rnd.nextGaussian();
                c[i] = Math.round(y[i] * 100) / 100.0;
            }
            out[d] = c;
        }
        return out;
    }

    private static void writeTreasury(AsciiOut w, GeneratorSpec spec, double[][] curves) throws IOException {
        StringBuilder h = new StringBuilder("Date");
        for (Tenor t : Tenor.values()) h.append(",\"").append(t.label()).append('"');
        w.header(h.toString());
        DateTimeFormatter f = DateTimeFormatter.ofPattern("MM/dd/yyyy");
        LocalDate d = spec.date();
        for (double[] c : curves) {
            while (d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY) d = d.minusDays(1);
            w.s(d.format(f));
            for (double v : c) w.c(',').fixed(Math.round(v * 100), 2);
            w.endRow();
            d = d.minusDays(1);
        }
    }

    /** A file written under a temp name and renamed into place on {@link #commit}. */
    private static final class Out implements AutoCloseable {
        final Path path, tmp;
        final OutputStream raw;
        final GZIPOutputStream gz;
        final AsciiOut w;
        boolean committed;

        Out(Path path, boolean gzip) throws IOException {
            this.path = path;
            Files.createDirectories(path.getParent());
            this.tmp = path.resolveSibling(path.getFileName() + ".tmp");
            this.raw = new BufferedOutputStream(Files.newOutputStream(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE), 1 << 16);
            this.gz = gzip ? new GZIPOutputStream(raw, 1 << 16) : null;
            this.w = new AsciiOut(gzip ? gz : raw);
        }

        void commit() throws IOException {
            if (gz != null) gz.finish();
            raw.close();
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            FileUtil.fsyncDir(path.getParent());
            committed = true;
        }

        GeneratedMarket.File file(GeneratedMarket.Kind kind) throws IOException { return new GeneratedMarket.File(kind, path, w.rows, Files.size(path)); }

        @Override
        public void close() throws IOException {
            if (!committed) {
                try {
                    raw.close();
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
        }
    }
}
