package io.quire.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.quire.core.QuireException;
import io.quire.windows.engines.Engine;
import io.quire.windows.engines.Runner;
import io.quire.windows.engines.WindowEngine;
import io.quire.windows.metrics.WindowsStatus;
import io.quire.windows.slots.SlotKind;
import io.quire.windows.market.GeneratedMarket;
import io.quire.windows.market.GeneratorSpec;
import io.quire.windows.market.MarketGenerator;
import io.quire.windows.market.FlatFilePaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;

/**
 * {@code quire windows run}: the single binary of the windows ledger (docs/ENGINES.md, "Runner"):
 * opens (or creates) the ledgers and mapping files of a date's year under DIR, runs the engines
 * over that session, serves {@code /metrics} and {@code /healthz}, and stops cleanly on SIGTERM
 * or, with {@code --exit-when-idle}, once nothing is left to do.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the windows engines over one trading session: treasury (rf_rate_ref from Treasury par",
                "yield CSVs), ingest (trade_ref/quote_ref from Polygon/Massive flat files), aggressor",
                "(aggressor_ref), greeks (greeks_ref) and aggregates (aggs_1m..aggs_4h). Each engine claims windows",
                "(Pending), checks its prerequisites on the row, and writes only its own column. Priority regions",
                "('quire region add') are worked before the default queue. SIGTERM (Ctrl-C) stops cleanly: the",
                "batches in flight finish or give their claims back, so no slot is left Pending."},
        footerHeading = "%nExamples:%n",
        footer = {"  quire windows run --date 2025-11-12 --generate 42 --exit-when-idle   # synthetic day, end to end",
                "  quire windows run --date 2025-11-12 --flat-dir /data/flatfiles --treasury par-yield.csv",
                "  quire windows run --date 2025-11-12 --flat-dir F --symbols SPY,QQQ --engines ingest,aggressor",
                "  curl -s localhost:9465/metrics | grep windows_engine",
                "",
                "Exit codes: 0 stopped cleanly; 1 bad option; 3 a named input file does not exist;",
                "4 another runner holds this ledger year; 5 I/O."})
final class WindowsRunCommand extends BaseCommand implements JsonOutput {

    /** The default HTTP port (quire serve uses 9464). */
    static final int HTTP_PORT_DEFAULT = 9465;
    /** Stocks of a generated day by default, and the most allowed here. */
    static final int GENERATE_STOCKS_DEFAULT = 10;

    @Option(names = "--date", paramLabel = "YYYY-MM-DD", required = true,
            description = "The session to work on (its year selects the ledger files DIR/windows/<year>/).")
    String dateText;

    @Option(names = "--engines", paramLabel = "LIST", split = ",",
            description = "Engines to run, comma-separated, of: treasury, ingest, aggressor, greeks, aggregates. Default: all.")
    List<String> engines;

    @Option(names = "--flat-dir", paramLabel = "DIR",
            description = "Root of the flat files, laid out like the Polygon/Massive bucket: us_stocks_sip/{trades,quotes}_v1/"
                    + "YYYY/MM/DATE.csv.gz and us_options_opra/... Files that do not exist are skipped. Default: none (DIR/generated with --generate).")
    Path flatDir;

    @Option(names = "--treasury", paramLabel = "FILE",
            description = "A Treasury par yield curve CSV (repeatable); re-read while running, a changed curve is a revision. Default: none.")
    List<Path> treasury = new ArrayList<>();

    @Option(names = "--symbols", paramLabel = "LIST", split = ",",
            description = "Tickers to work on (an option needs its underlying). Default: every ticker in the flat files.")
    List<String> symbols = new ArrayList<>();

    @Option(names = "--generate", paramLabel = "SEED",
            description = "First write a synthetic day for --date (stocks and option chains, flat files and a treasury CSV) "
                    + "deterministically from SEED into --flat-dir (default DIR/generated), and use it. Default: off.")
    Long generate;

    @Option(names = "--generate-stocks", paramLabel = "N", defaultValue = "" + GENERATE_STOCKS_DEFAULT,
            description = "Stocks of the generated day, 1..2000, each with 6 option contracts (1 weekly expiry x 3 strikes x call/put). Default: ${DEFAULT-VALUE}.")
    int generateStocks;

    @Option(names = "--exit-when-idle", description = "Stop (cleanly) once every engine finds nothing left to do. Default: run until SIGTERM.")
    boolean exitWhenIdle;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", defaultValue = "3600",
            description = "With --exit-when-idle, give up (exit 5) after this long. Default: ${DEFAULT-VALUE}.")
    long idleTimeoutSeconds;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "" + HTTP_PORT_DEFAULT,
            description = "Serve /metrics (Prometheus) and /healthz on this port; 0 picks a free one, -1 serves nothing. Default: ${DEFAULT-VALUE}.")
    int httpPort;

    @Option(names = "--http-bind", paramLabel = "ADDR", defaultValue = "127.0.0.1", description = "Address to bind HTTP to. Default: ${DEFAULT-VALUE}.")
    String httpBind;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "" + WindowEngine.BATCH_DEFAULT,
            description = "Windows each engine claims per step, 1.." + WindowEngine.BATCH_MAX + " (BATCH_MAX). Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--dividend-yield", paramLabel = "Q", defaultValue = "0",
            description = "Continuous dividend yield for Greeks, a decimal (0.013 = 1.3 %). Default: ${DEFAULT-VALUE}.")
    double dividendYield;

    @Option(names = "--json", description = "Print the final summary as one JSON object. Default: off.")
    boolean json;

    @Override public boolean json() { return json; }

    @Override
    public Integer call() throws Exception {
        LocalDate date;
        try {
            date = LocalDate.parse(dateText);
        } catch (DateTimeParseException e) {
            throw new CliUsageException("--date '" + dateText + "' is not a date YYYY-MM-DD");
        }
        if (batch < 1 || batch > WindowEngine.BATCH_MAX) throw new CliUsageException("--batch " + batch + " is outside 1.." + WindowEngine.BATCH_MAX + " (BATCH_MAX)");
        if (httpPort < -1 || httpPort > 65_535) throw new CliUsageException("--http-port " + httpPort + " is outside -1..65535");
        if (generateStocks < 1 || generateStocks > 2_000) throw new CliUsageException("--generate-stocks " + generateStocks + " is outside 1..2000");
        Set<String> chosen = engines == null ? Set.copyOf(Runner.ENGINES) : new LinkedHashSet<>(engines);
        for (String e : chosen) if (!Runner.ENGINES.contains(e)) throw new CliUsageException("--engines: unknown engine '" + e + "'; engines are " + String.join(", ", Runner.ENGINES));
        for (Path t : treasury) if (!Files.isRegularFile(t)) throw QuireException.notFound("treasury file " + t + " does not exist");
        if (flatDir != null && generate == null && !Files.isDirectory(flatDir)) throw QuireException.notFound("flat-file directory " + flatDir + " does not exist");
        Path flat = flatDir;
        List<Path> treasuryFiles = new ArrayList<>(treasury);
        if (generate != null) {
            flat = flatDir != null ? flatDir : dir().resolve("generated");
            GeneratedMarket m = MarketGenerator.generate(flat, GeneratorSpec.defaults(date, generate, generateStocks).withChain(1, 1));
            treasuryFiles.add(m.file(GeneratedMarket.Kind.TREASURY).path());
            io().err().println("quire windows run: generated " + m.stocks().size() + " stocks and " + m.contracts().size() + " contracts for " + date + " under " + flat);
        }
        Files.createDirectories(dir());
        Runner.Config cfg = new Runner.Config(dir(), date, symbols, flat, treasuryFiles, chosen, batch, dividendYield, 0);
        Runner runner = Runner.open(cfg);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        runner.meters().add(registry); // the windows meters (window_lag, window_mutations_total, ...)
        bind(registry, runner);         // the engine meters
        HttpServer http = httpPort >= 0 ? http(registry, runner) : null;
        Thread hook = new Thread(() -> stop(runner, http), "quire-windows-run-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        runner.start();
        io().err().println("quire windows run: " + runner.context().universe().size() + " symbols, engines " + String.join(",", chosen)
                + (http != null ? ", http://" + httpBind + ":" + http.getAddress().getPort() + "/metrics" : ""));
        io().err().flush();
        boolean idle = false;
        try {
            if (!exitWhenIdle) Thread.currentThread().join(); // until SIGTERM (the hook stops the runner) or an interrupt (in-process callers)
            idle = runner.awaitIdle(Duration.ofSeconds(idleTimeoutSeconds));
        } catch (InterruptedException e) {
            exitWhenIdle = false; // stopped by the caller: a clean stop, not a timeout
        }
        Runtime.getRuntime().removeShutdownHook(hook);
        WindowsStatus status = runner.metrics().refresh();
        stop(runner, http);
        summary(runner, idle, status);
        if (!idle && exitWhenIdle) throw QuireException.io("the engines were not idle after " + idleTimeoutSeconds + " s (--idle-timeout)", io.quire.core.Where.NOWHERE, null);
        return ExitCodes.OK;
    }

    private static void stop(Runner runner, HttpServer http) {
        if (http != null) http.stop(0);
        runner.close();
    }

    private void summary(Runner runner, boolean idle, WindowsStatus status) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("idle", idle);
        out.put("symbols", runner.context().universe().size());
        Map<String, Object> lag = new LinkedHashMap<>();
        for (SlotKind k : SlotKind.values()) if (status.lagMinutes().containsKey(k)) lag.put(k.column(), status.lagMinutes().get(k));
        out.put("lag_minutes", lag);
        out.put("audit_drained", runner.auditDrained());
        List<Map<String, Object>> es = new ArrayList<>();
        for (Engine e : runner.engines()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("engine", e.name());
            m.put("processed", e.stats().windowsProcessed.get());
            m.put("region_windows", e.stats().regionWindows.get());
            m.put("conflicts", e.stats().conflicts.get());
            m.put("released", e.stats().released.get());
            m.put("recomputed", e.stats().recomputed.get());
            m.put("malformed_rows", e.stats().malformedRows.get());
            m.put("restarts", runner.restarts(e.name()));
            es.add(m);
        }
        out.put("engines", es);
        if (json) {
            println(Json.line(out));
            return;
        }
        out().println("window_lag (minutes) of the session: " + lag);
        out().println("engine processed region_windows conflicts released recomputed malformed_rows restarts");
        for (Map<String, Object> m : es) out().println(String.join(" ", m.values().stream().map(String::valueOf).toList()));
        out().flush();
    }

    /** The engine meters: windows processed, restarts, backlog, conflicts, released claims, per engine. */
    static void bind(PrometheusMeterRegistry r, Runner runner) {
        for (Engine e : runner.engines()) {
            String n = e.name();
            FunctionCounter.builder("windows_engine_processed", e, x -> x.stats().windowsProcessed.get()).tag("engine", n)
                    .description("windows (slots) filled by the engine").register(r);
            FunctionCounter.builder("windows_engine_region_windows", e, x -> x.stats().regionWindows.get()).tag("engine", n)
                    .description("windows taken from priority regions").register(r);
            FunctionCounter.builder("windows_engine_restarts", runner, x -> x.restarts(n)).tag("engine", n)
                    .description("times the engine threw and was restarted").register(r);
            FunctionCounter.builder("windows_engine_conflicts", e, x -> x.stats().conflicts.get()).tag("engine", n)
                    .description("claims or writes refused because the slot changed").register(r);
            FunctionCounter.builder("windows_engine_released", e, x -> x.stats().released.get()).tag("engine", n)
                    .description("Pending claims given back").register(r);
            Gauge.builder("windows_engine_backlog", e, x -> x.stats().backlog.get()).tag("engine", n)
                    .description("windows not done at the engine's last scan").register(r);
        }
    }

    private HttpServer http(PrometheusMeterRegistry registry, Runner runner) throws IOException {
        HttpServer h;
        try {
            h = HttpServer.create(new InetSocketAddress(httpBind, httpPort), 64);
        } catch (IOException e) {
            runner.close();
            throw QuireException.io("cannot listen on " + httpBind + ":" + httpPort + " (--http-port): " + e.getMessage(), io.quire.core.Where.NOWHERE, e);
        }
        h.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        h.createContext("/metrics", x -> reply(x, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        h.createContext("/healthz", x -> reply(x, 200, "text/plain; charset=utf-8", "ok\n"));
        h.start();
        return h;
    }

    private static void reply(HttpExchange x, int code, String type, String body) throws IOException {
        try (x) {
            if (!x.getRequestMethod().equals("GET") && !x.getRequestMethod().equals("HEAD")) {
                x.sendResponseHeaders(405, -1);
                return;
            }
            if (!x.getRequestURI().getPath().equals(x.getHttpContext().getPath())) {
                x.sendResponseHeaders(404, -1);
                return;
            }
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", type);
            x.sendResponseHeaders(code, x.getRequestMethod().equals("HEAD") ? -1 : b.length);
            if (!x.getRequestMethod().equals("HEAD")) {
                try (OutputStream o = x.getResponseBody()) { o.write(b); }
            }
        }
    }
}
