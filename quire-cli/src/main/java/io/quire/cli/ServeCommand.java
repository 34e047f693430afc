package io.quire.cli;

import io.quire.server.Config;
import io.quire.server.QuireServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code quire serve}: the ledger in {@code --dir} served over gRPC (ContextService, LedgerService,
 * health, reflection) and HTTP (/metrics, /healthz, /readyz) until SIGTERM/SIGINT, which shuts
 * down gracefully. The server's own options are parsed by {@link Config#parse} (flags over
 * environment over defaults), so the CLI and {@code QuireServer.main} cannot drift apart.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the ledger over gRPC (Converge ContextService, LedgerService proofs, health,",
                "reflection) and HTTP (/metrics, /healthz, /readyz) until SIGTERM or Ctrl-C, which drain",
                "in-flight calls and end watches with a resume sequence. Binds 127.0.0.1 unless --bind."},
        footerHeading = "%nServer options (after 'serve'):%n",
        footer = {"  --bind ADDR              listen address (env QUIRE_BIND; default 127.0.0.1)",
                "  --grpc-port N            gRPC port (env GRPC_PORT; default 50051; 0 = any free port)",
                "  --http-port N            HTTP port (env QUIRE_HTTP_PORT; default 9464; -1 = off)",
                "  --token ROLE:TOKEN       bearer token for reader|writer|admin, repeatable (env QUIRE_TOKENS)",
                "  --tls-cert PEM --tls-key PEM   serve TLS",
                "  --durability MODE        sync | none | interval=<ms> (default sync)",
                "  --max-message-bytes N, --watch-lag-entries N, --watch-stall-ms N, --watchers-max N, --drain-ms N",
                "                           limits; see docs/API.md for defaults and units",
                "  --event-loops N          network threads for the gRPC connections (default: one per CPU)",
                "",
                "Examples:",
                "  quire serve                                        # ./ledger.state on 127.0.0.1:50051",
                "  quire --dir /var/lib/quire serve --grpc-port 6000 --token writer:$(cat /etc/quire/writer.token)",
                "  grpcurl -plaintext 127.0.0.1:50051 list            # reflection"})
final class ServeCommand extends BaseCommand {

    @Unmatched List<String> serverArgs = new ArrayList<>();

    /** How often the server moves spooled windows audit records into {@code windows/audit}. */
    static final long AUDIT_DRAIN_INTERVAL_MS = 1_000;

    /**
     * The server holds the core writer lock, so it is the one that moves the windows audit
     * records spooled by other processes ({@code quire clear}, {@code quire region}, a runner that
     * could not open the ledger) into {@code windows/audit} (docs/WINDOWS.md "Audit").
     */
    private void drainWindowsAudit(io.quire.server.QuireServer server) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(AUDIT_DRAIN_INTERVAL_MS);
            } catch (InterruptedException e) {
                return;
            }
            try {
                if (io.quire.windows.audit.AuditDrain.pending(dir())) io.quire.windows.audit.AuditDrain.drain(server.ledger(), dir());
            } catch (RuntimeException e) {
                if (Thread.currentThread().isInterrupted()) return; // the server is stopping
                io().err().println("quire serve: windows audit drain failed (records stay spooled, retried): " + e.getMessage());
                io().err().flush();
            }
        }
    }

    /** The server this process started last: lets an in-process test stop it (SIGTERM does in production). */
    static volatile QuireServer started;

    @Override
    public Integer call() throws InterruptedException {
        List<String> args = new ArrayList<>(List.of("--dir", dir().toString()));
        args.addAll(serverArgs);
        // flags > environment > quire.yaml > defaults (DESIGN §8): the file's server keys, and its ledger keys.
        LedgerSettings settings = settings();
        Map<String, Config.FileValue> file = new LinkedHashMap<>(settings.serverFile());
        LedgerSettings.Setting durability = settings.get(LedgerSettings.Key.DURABILITY);
        if (durability.source() == LedgerSettings.Source.FILE) {
            file.put("durability", new Config.FileValue(durability.value().toString(), durability.from()));
        }
        Config config = Config.parse(args, io().env(), file);
        QuireServer server = QuireServer.start(config, settings.options());
        started = server;
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("quire-shutdown").unstarted(server::close));
        out().println("quire serve: gRPC on " + config.bind() + ":" + server.grpcPort()
                + (config.tlsCert() != null ? " (TLS)" : "")
                + (server.httpPort() >= 0 ? ", HTTP on " + config.bind() + ":" + server.httpPort() : "")
                + ", ledger " + config.dir().toAbsolutePath());
        out().flush();
        Thread drain = Thread.ofPlatform().name("quire-serve-windows-audit").daemon(true).start(() -> drainWindowsAudit(server));
        try {
            server.awaitTermination();
        } finally {
            drain.interrupt();
        }
        return ExitCodes.OK;
    }
}
