package io.quire.core.log;

import io.quire.core.ErrorKind;
import io.quire.core.QuireException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Waits for a future and rethrows its failure as it was thrown (not wrapped). */
public final class Futures {
    private Futures() {}

    public static <T> T join(CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QuireException(ErrorKind.IO, "interrupted while waiting for an append to be durable", null, e);
        } catch (ExecutionException | CompletionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            if (c instanceof RuntimeException re) throw re;
            if (c instanceof Error err) throw err;
            throw new QuireException(ErrorKind.IO, c.toString(), null, c);
        }
    }
}
