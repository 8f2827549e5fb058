package certgate.bench.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * The HTTP benchmarks' load: closed or open loops of prebuilt requests (made by {@link KeepAliveClient#request}),
 * driven by one thread on a selector ({@link EventLoopClient}, where the design is explained), so that the
 * generator takes as little as it can of the CPU the server under test runs on.
 */
public final class LoadGenerator {
    /**
     * A cap for open loops against certgate: connections are opened as the schedule needs them, and this many stay
     * below the 1,000 that {@code certgate serve} accepts by default (beyond, it would refuse them, and the
     * benchmark measure the refusals).
     */
    public static final int OPEN_LOOP_CONNECTION_CAP = 512;

    private LoadGenerator() {
    }

    /** How the load uses connections. */
    public enum ConnectionUse {
        /** Connections are kept and reused; one the server closes is made again. */
        KEEP_ALIVE,
        /** Each request on a connection of its own, closed after the answer (its latency includes the connect). */
        ONE_PER_REQUEST
    }

    /**
     * Where the load goes, and how.
     *
     * @param patience how long requests still in flight when the run's time is up may take to be answered, before
     *                 they are counted failed; a run never lasts much longer than its time and this
     */
    public record Target(InetSocketAddress server, ConnectionUse use, Duration patience) {
        private static final Duration DEFAULT_PATIENCE = Duration.ofSeconds(10);

        public Target {
            if (patience.isNegative()) {
                throw new IllegalArgumentException("patience must not be negative, was " + patience);
            }
        }

        /** Kept-alive connections to {@code port} on the loopback address. */
        public static Target keptAlive(int port) {
            return new Target(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), ConnectionUse.KEEP_ALIVE,
                    DEFAULT_PATIENCE);
        }

        public static Target keptAlive(InetSocketAddress server) {
            return new Target(server, ConnectionUse.KEEP_ALIVE, DEFAULT_PATIENCE);
        }

        /** A connection per request, for a server that serves one connection at a time. */
        public static Target onePerRequest(InetSocketAddress server) {
            return new Target(server, ConnectionUse.ONE_PER_REQUEST, DEFAULT_PATIENCE);
        }

        public Target withPatience(Duration patience) {
            return new Target(server, use, patience);
        }
    }

    /**
     * What a run measured: requests answered 200, each one's latency; requests failed (another status, a broken
     * or missing response); connections made; seconds from the start to the last answer; and the CPU time the
     * generator's thread took (0 where the JVM does not measure it), to tell the load's cost from the server's.
     */
    public record Result(int answered, int failed, long connections, double seconds, long[] latencyNanos,
                         long generatorCpuNanos) {
        public double perSecond() {
            return answered / seconds;
        }

        public double percentileMillis(double p) {
            if (latencyNanos.length == 0) {
                return Double.NaN;
            }
            long[] sorted = latencyNanos.clone();
            Arrays.sort(sorted);
            int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
            return sorted[Math.max(0, index)] / 1e6;
        }

        public double maxMillis() {
            return percentileMillis(100);
        }
    }

    /** A closed loop on kept-alive connections to {@code port} on the loopback address. */
    public static Result closedLoop(int port, int connections, double seconds, IntFunction<byte[]> requests) {
        return closedLoop(Target.keptAlive(port), connections, seconds, requests);
    }

    /**
     * Closed loop: {@code connections} clients each send the next request as soon as the previous answer is in,
     * for {@code seconds} or until {@code requests} gives null (the supply ran out); request {@code i} is the
     * {@code i}-th sent.
     */
    public static Result closedLoop(Target target, int connections, double seconds, IntFunction<byte[]> requests) {
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be at least 1, was " + connections);
        }
        try (EventLoopClient client = new EventLoopClient(target)) {
            return client.closedLoop(connections, seconds, requests);
        } catch (IOException e) {
            throw new UncheckedIOException("the load generator's selector failed", e);
        }
    }

    /** An open loop on kept-alive connections to {@code port} on the loopback address, at most {@code cap}. */
    public static Result openLoop(int port, int connectionCap, double rate, double seconds,
            IntFunction<byte[]> requests) {
        return openLoop(Target.keptAlive(port), connectionCap, rate, seconds, requests);
    }

    /**
     * Open loop: request {@code i} is due at {@code i / rate} seconds, for {@code rate * seconds} requests or until
     * {@code requests} gives null; each goes out at its due time on an idle connection, a new one (up to
     * {@code connectionCap} open), or the first that frees, and its latency counts from its due time, so a server
     * that falls behind shows its queue instead of slowing the generator down (no coordinated omission).
     */
    public static Result openLoop(Target target, int connectionCap, double rate, double seconds,
            IntFunction<byte[]> requests) {
        if (connectionCap < 1 || !(rate > 0)) {
            throw new IllegalArgumentException("an open loop needs a connection cap of at least 1 and a positive"
                    + " rate, was " + connectionCap + " and " + rate);
        }
        try (EventLoopClient client = new EventLoopClient(target)) {
            return client.openLoop(connectionCap, rate, seconds, requests);
        } catch (IOException e) {
            throw new UncheckedIOException("the load generator's selector failed", e);
        }
    }
}
