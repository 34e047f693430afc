package io.quire.client;

import com.google.protobuf.ByteString;
import io.grpc.CallCredentials;
import io.grpc.Channel;
import io.quire.api.context.v1.AppendRequest;
import io.quire.api.context.v1.ContextServiceGrpc;
import io.quire.api.context.v1.Entry;
import io.quire.api.context.v1.GetRequest;
import io.quire.api.context.v1.GetResponse;
import io.quire.api.context.v1.LoadRequest;
import io.quire.api.context.v1.LoadResponse;
import io.quire.api.context.v1.SnapshotRequest;
import io.quire.api.context.v1.SnapshotResponse;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A client of {@code converge.context.v1.ContextService} (docs/API.md "Java client").
 *
 * <p>Every unary call has a deadline ({@link #DEADLINE_DEFAULT} unless told otherwise) and is retried with
 * {@link Backoff} on UNAVAILABLE and DEADLINE_EXCEEDED only. Retrying Append is safe because every append carries
 * an id (a random UUID when the caller gives none): a retry of an append the server already wrote returns that
 * entry instead of writing a second one.
 *
 * <p>The client does not own the channel; {@link #close()} ends its watches and its reconnect timer.
 */
public final class ContextClient implements AutoCloseable {
    /** The deadline of each attempt of a unary call, unless {@link #withDeadline} says otherwise. */
    public static final Duration DEADLINE_DEFAULT = Duration.ofSeconds(10);

    private final Channel channel;
    private final CallCredentials credentials;
    private final Duration deadline;
    private final Backoff callBackoff;
    private final Backoff watchBackoff;
    private final ScheduledExecutorService timer;
    private final boolean ownsTimer;

    public ContextClient(Channel channel) { this(channel, null); }

    /** With a bearer token (null = none). */
    public ContextClient(Channel channel, String bearerToken) {
        this(channel, bearerToken == null ? null : QuireChannels.bearer(bearerToken), DEADLINE_DEFAULT, Backoff.calls(), Backoff.watches(),
                Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "quire-client-watch-reconnect");
                    t.setDaemon(true);
                    return t;
                }), true);
    }

    private ContextClient(Channel channel, CallCredentials credentials, Duration deadline, Backoff callBackoff, Backoff watchBackoff,
                          ScheduledExecutorService timer, boolean ownsTimer) {
        if (channel == null) throw new IllegalArgumentException("a channel is needed");
        if (deadline == null || deadline.isNegative() || deadline.isZero()) throw new IllegalArgumentException("deadline must be > 0, got " + deadline);
        this.channel = channel;
        this.credentials = credentials;
        this.deadline = deadline;
        this.callBackoff = callBackoff;
        this.watchBackoff = watchBackoff;
        this.timer = timer;
        this.ownsTimer = ownsTimer;
    }

    /** The same client with another per-attempt deadline (shares watches' timer with this one). */
    public ContextClient withDeadline(Duration d) { return new ContextClient(channel, credentials, d, callBackoff, watchBackoff, timer, false); }

    /** The same client with another retry policy for unary calls ({@link Backoff#none()} = no retries). */
    public ContextClient withCallBackoff(Backoff b) { return new ContextClient(channel, credentials, deadline, b, watchBackoff, timer, false); }

    /** The same client with another reconnect policy for watches. */
    public ContextClient withWatchBackoff(Backoff b) { return new ContextClient(channel, credentials, deadline, callBackoff, b, timer, false); }

    /** The per-attempt deadline. */
    public Duration deadline() { return deadline; }

    ContextServiceGrpc.ContextServiceBlockingStub blocking() {
        var s = ContextServiceGrpc.newBlockingStub(channel).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
        return credentials == null ? s : s.withCallCredentials(credentials);
    }

    ContextServiceGrpc.ContextServiceStub async() {
        var s = ContextServiceGrpc.newStub(channel);
        return credentials == null ? s : s.withCallCredentials(credentials);
    }

    Channel channelForReconnect() { return channel; }

    /** Appends with a fresh random id. */
    public Entry append(String contextId, String key, byte[] payload) {
        return append(contextId, key, payload, Map.of(), null);
    }

    /**
     * Appends {@code payload} under {@code key}; {@code id} names the entry (null or empty = a random UUID) so that
     * retries, this client's or the caller's own, never write it twice. The request is the same on every attempt.
     */
    public Entry append(String contextId, String key, byte[] payload, Map<String, String> metadata, String id) {
        String entryId = id == null || id.isEmpty() ? UUID.randomUUID().toString() : id;
        AppendRequest req = AppendRequest.newBuilder().setContextId(contextId).setKey(key == null ? "" : key)
                .setPayload(ByteString.copyFrom(payload == null ? new byte[0] : payload))
                .putAllMetadata(metadata == null ? Map.of() : metadata).setId(entryId).build();
        return append(req);
    }

    /** Sends {@code req} as it is, after giving it a random id when it has none. */
    public Entry append(AppendRequest req) {
        AppendRequest r = req.getId().isEmpty() ? req.toBuilder().setId(UUID.randomUUID().toString()).build() : req;
        return Retries.run(callBackoff, () -> blocking().append(r)).getEntry();
    }

    /** Entries after {@code afterSequence} ("" key = all keys; limit 0 = all). */
    public GetResponse get(String contextId, String key, long afterSequence, int limit) {
        GetRequest req = GetRequest.newBuilder().setContextId(contextId).setKey(key == null ? "" : key)
                .setAfterSequence(afterSequence).setLimit(limit).build();
        return Retries.run(callBackoff, () -> blocking().get(req));
    }

    /** The context's portable snapshot with its Merkle root and checkpoint. */
    public SnapshotResponse snapshot(String contextId) {
        SnapshotRequest req = SnapshotRequest.newBuilder().setContextId(contextId).build();
        return Retries.run(callBackoff, () -> blocking().snapshot(req));
    }

    /**
     * Restores a snapshot. Retrying is safe: loading the same snapshot again is an exact restore that adds nothing.
     * With {@code failIfExists}, a retry after a lost answer would see ALREADY_EXISTS; that is not retried and
     * reaches the caller, who can tell it apart with {@link #get}.
     */
    public LoadResponse load(String contextId, byte[] snapshot, boolean failIfExists) {
        LoadRequest req = LoadRequest.newBuilder().setContextId(contextId).setSnapshot(ByteString.copyFrom(snapshot))
                .setFailIfExists(failIfExists).build();
        return Retries.run(callBackoff, () -> blocking().load(req));
    }

    /**
     * Watches {@code contextId} ("" key = all keys) for entries after {@code fromSequence}. Each entry reaches
     * {@code listener} exactly once and in order: the watch resumes on its own after a disconnect, a server
     * shutdown (UNAVAILABLE) or a lag end (RESOURCE_EXHAUSTED) from the last delivered sequence, with
     * {@link Backoff#watches()} between attempts. Close the returned handle to stop.
     */
    public Watch watch(String contextId, String key, long fromSequence, WatchListener listener) {
        Watch w = new Watch(this, contextId, key == null ? "" : key, fromSequence, listener, watchBackoff, timer);
        w.start();
        return w;
    }

    @Override
    public void close() {
        if (ownsTimer) timer.shutdownNow();
    }
}
