package io.quire.client;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import java.util.function.Supplier;

/** Runs a unary call again on the statuses where that is safe. */
final class Retries {
    private Retries() {}

    /**
     * True for the statuses a retry may cure: the server was unreachable or shutting down (UNAVAILABLE) or the call
     * ran out of time (DEADLINE_EXCEEDED). Everything else (INVALID_ARGUMENT, ALREADY_EXISTS, FAILED_PRECONDITION,
     * NOT_FOUND, PERMISSION_DENIED, RESOURCE_EXHAUSTED, DATA_LOSS, INTERNAL, …) is the answer and is not retried.
     * Only calls that are idempotent (Append with an id, reads, Load with the same snapshot) use this.
     */
    static boolean retryable(Status.Code code) {
        return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED;
    }

    static <T> T run(Backoff backoff, Supplier<T> call) {
        for (int attempt = 0; ; attempt++) {
            try {
                return call.get();
            } catch (StatusRuntimeException e) {
                if (!retryable(e.getStatus().getCode()) || attempt + 1 >= backoff.maxAttempts()) throw e;
                try {
                    Thread.sleep(backoff.delayMillis(attempt));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    e.addSuppressed(ie);
                    throw e;
                }
            }
        }
    }
}
