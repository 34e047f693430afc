package io.quire.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** The HTTP side (DESIGN §8): {@code /metrics} (Prometheus text), {@code /healthz} (alive), {@code /readyz} (serving). */
final class HttpEndpoints implements AutoCloseable {
    private final HttpServer http;

    HttpEndpoints(String bind, int port, Supplier<String> metrics, BooleanSupplier ready) throws IOException {
        http = HttpServer.create(new InetSocketAddress(bind, port), 64);
        http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        http.createContext("/metrics", x -> reply(x, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.get()));
        http.createContext("/healthz", x -> reply(x, 200, "text/plain; charset=utf-8", "ok\n"));
        http.createContext("/readyz", x -> {
            boolean r = ready.getAsBoolean();
            reply(x, r ? 200 : 503, "text/plain; charset=utf-8", r ? "ready\n" : "not ready\n");
        });
        http.start();
    }

    int port() { return http.getAddress().getPort(); }

    private static void reply(HttpExchange x, int code, String type, String body) throws IOException {
        try (x) {
            if (!x.getRequestMethod().equals("GET") && !x.getRequestMethod().equals("HEAD")) {
                x.sendResponseHeaders(405, -1);
                return;
            }
            String path = x.getRequestURI().getPath();
            if (!path.equals(x.getHttpContext().getPath())) {
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

    @Override public void close() { http.stop(0); }
}
