package io.quire.server;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.ServerChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;

import java.util.concurrent.TimeUnit;

/**
 * The server's own Netty threads: one acceptor and {@code n} event loops (epoll where the platform has it, NIO
 * elsewhere), so their number is the server's setting ({@link Config#eventLoops()}) rather than Netty's default of
 * two per CPU. The server owns them: gRPC does not shut down groups it was given, so {@link #close} does, after the
 * gRPC server has terminated.
 */
final class EventLoops implements AutoCloseable {
    /** How long close waits for the loops to stop; they are idle by then, since the gRPC server has terminated. */
    private static final long CLOSE_WAIT_MS = 5_000;

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Class<? extends ServerChannel> channelType;

    private EventLoops(EventLoopGroup boss, EventLoopGroup workers, Class<? extends ServerChannel> channelType) {
        this.boss = boss;
        this.workers = workers;
        this.channelType = channelType;
    }

    static EventLoops create(int n) {
        assert n >= 1 : "Config checks the event-loop count, got " + n;
        DefaultThreadFactory acceptor = new DefaultThreadFactory("quire-grpc-accept", true);
        DefaultThreadFactory loops = new DefaultThreadFactory("quire-grpc-loop", true);
        if (Epoll.isAvailable()) {
            return new EventLoops(new EpollEventLoopGroup(1, acceptor), new EpollEventLoopGroup(n, loops), EpollServerSocketChannel.class);
        }
        return new EventLoops(new NioEventLoopGroup(1, acceptor), new NioEventLoopGroup(n, loops), NioServerSocketChannel.class);
    }

    NettyServerBuilder applyTo(NettyServerBuilder b) {
        return b.bossEventLoopGroup(boss).workerEventLoopGroup(workers).channelType(channelType);
    }

    /** The event loops (not counting the acceptor). */
    int size() {
        int n = 0;
        for (var ignored : workers) n++;
        return n;
    }

    @Override
    public void close() {
        var b = boss.shutdownGracefully(0, CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
        var w = workers.shutdownGracefully(0, CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
        b.awaitUninterruptibly(CLOSE_WAIT_MS);
        w.awaitUninterruptibly(CLOSE_WAIT_MS);
    }
}
