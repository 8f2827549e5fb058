package certgate.bench.http;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * The load generator's engine: one thread, one {@link Selector}, many non-blocking connections to one server.
 *
 * <h2>Why one thread</h2>
 * The benchmarks run the server and its load in one JVM on a machine of two cores. A generator of one blocking
 * thread per connection pays, for every request, a thread's wake-up and the context switches around it, and that
 * CPU is taken from the server being measured (47 us of this JVM's CPU per no-op response with 16 threads). A
 * selector loop pays one system call per readiness event instead, and needs no thread per connection, so an open
 * loop can open as many connections as its schedule needs.
 *
 * <h2>What it does not pretend</h2>
 * One request in flight per connection: gateways do not pipeline, so the benchmark does not either. Each request
 * is a prebuilt byte array written in one piece (Nagle off), as {@link KeepAliveClient} writes it, so that the
 * server sees one segment per request; each response is read by a {@link ResponseParser} just far enough to know
 * its status and where it ends, its body skipped.
 *
 * <h2>Connections</h2>
 * Kept alive, a connection is reused until the server closes it (Connection: close, or an end of stream); one that
 * the server closed while it was idle shows as an end of stream (or a reset) before any byte of the next response,
 * and that request is sent again, once, on a new connection: the failure is the generator's stale connection, not
 * the server's answer. One per request ({@code openssl ocsp} serves one connection at a time), each request
 * connects, sends, reads its response and closes, and its latency includes the connect.
 *
 * <h2>Closed and open loops</h2>
 * Closed ({@link #closedLoop}): each connection sends its next request as soon as its answer is in, latency from
 * the send. Open ({@link #openLoop}): request {@code i} is due at {@code i / rate}; at its due time it goes out on
 * any idle connection, or on a new one while fewer than the cap are open, or else waits, first come first served,
 * for the first connection that frees. Its latency counts from its due time whatever delayed it (a connection's
 * previous answer, the cap, this loop waking late), so a server that falls behind shows its queue instead of
 * slowing the schedule (no coordinated omission), and no request queues behind another one's slow answer while a
 * connection is free. The selector waits until the next due time; below the millisecond that {@code select}
 * counts in, the loop polls the selector and parks between polls, briefly when answers are awaited, so that an
 * answer is read at most a park late.
 *
 * <h2>Failures</h2>
 * A status other than 200, a malformed or truncated response, a connection that fails: the request is counted
 * failed and the loop goes on (a closed-loop connection whose connect fails stops: the server is not there).
 * When the run's time is up, requests in flight get {@code patience} to be answered, and are counted failed after.
 */
final class EventLoopClient implements AutoCloseable {
    /** How long the open loop parks between polls when answers are awaited and the next request is not due. */
    private static final long POLL_PARK_NANOS = 100_000;

    private final LoadGenerator.Target target;
    private final Selector selector;
    private final ByteBuffer input = ByteBuffer.allocate(64 * 1024);
    /** Connections whose request is done (answered or failed), for the loop to give the next request. */
    private final ArrayDeque<Connection> freed = new ArrayDeque<>();
    private final boolean requestsAskClose;
    private int inFlight;
    private int open;
    private long connectionsMade;
    private int answered;
    private int failed;
    private long[] latencies = new long[1 << 14];
    private long lastAnswered;
    private final long cpuAtStart = threadCpuNanos();

    /** One connection and the one request it carries; reconnected in place when its channel closes. */
    private final class Connection {
        private final ResponseParser response = new ResponseParser();
        private SocketChannel channel;
        private SelectionKey key;
        private byte[] request;
        private ByteBuffer unsent;
        private long startNanos;
        private int served;
        private boolean reused;
        private boolean resent;
        private boolean unreachable;

        boolean isOpen() {
            return channel != null;
        }
    }

    EventLoopClient(LoadGenerator.Target target) throws IOException {
        this.target = target;
        this.selector = Selector.open();
        this.requestsAskClose = target.use() == LoadGenerator.ConnectionUse.ONE_PER_REQUEST;
    }

    LoadGenerator.Result closedLoop(int connections, double seconds, IntFunction<byte[]> requests)
            throws IOException {
        long started = System.nanoTime();
        long deadline = started + (long) (seconds * 1e9);
        lastAnswered = started;
        int next = 0;
        for (int c = 0; c < connections; c++) {
            freed.add(new Connection());
        }
        while (true) {
            long now = System.nanoTime();
            for (Connection connection; (connection = freed.poll()) != null; ) {
                byte[] request = connection.unreachable || now - deadline >= 0 ? null : requests.apply(next++);
                if (request == null) {
                    closeChannel(connection);
                } else {
                    send(connection, request, System.nanoTime());
                }
            }
            if (inFlight == 0 || now - deadline >= 0) {
                break;
            }
            poll(deadline - now);
        }
        drain(deadline);
        return result(started);
    }

    LoadGenerator.Result openLoop(int connectionCap, double rate, double seconds, IntFunction<byte[]> requests)
            throws IOException {
        long total = (long) (rate * seconds);
        long started = System.nanoTime() + 50_000_000L;
        lastAnswered = started;
        ArrayDeque<Connection> idle = new ArrayDeque<>();
        record Waiting(byte[] request, long due) {
        }
        ArrayDeque<Waiting> waiting = new ArrayDeque<>();
        long next = 0;
        while (true) {
            long now = System.nanoTime();
            for (Connection connection; (connection = freed.poll()) != null; ) {
                Waiting first = waiting.poll();
                if (first != null) {
                    send(connection, first.request(), first.due());
                } else if (connection.isOpen()) {
                    idle.push(connection); // the last used first: the others may idle out, not all of them
                }
            }
            for (long due = dueTime(started, next, rate); next < total && now - due >= 0;
                    due = dueTime(started, next, rate)) {
                byte[] request = requests.apply((int) next);
                if (request == null) {
                    total = next;
                    break;
                }
                next++;
                if (!idle.isEmpty()) {
                    send(idle.pop(), request, due);
                } else if (open < connectionCap) {
                    send(new Connection(), request, due);
                } else {
                    waiting.add(new Waiting(request, due));
                }
            }
            if (next >= total) {
                break;
            }
            poll(dueTime(started, next, rate) - now);
        }
        // Everything is due: what waits goes out as connections free, within the patience of the last due time.
        long lastDue = dueTime(started, Math.max(0, total - 1), rate);
        long giveUp = lastDue + target.patience().toNanos();
        while (!waiting.isEmpty() && System.nanoTime() - giveUp < 0) {
            poll(giveUp - System.nanoTime());
            for (Connection connection; !waiting.isEmpty() && (connection = freed.poll()) != null; ) {
                Waiting first = waiting.poll();
                send(connection, first.request(), first.due());
            }
        }
        failed += waiting.size();
        drain(lastDue);
        return result(started);
    }

    private static long dueTime(long started, long index, double rate) {
        return started + (long) (index / rate * 1e9);
    }

    /**
     * Waits for the requests in flight, up to {@code patience} after {@code from}; counts the rest failed, and
     * closes every connection.
     */
    private void drain(long from) throws IOException {
        long giveUp = from + target.patience().toNanos();
        for (long now = System.nanoTime(); inFlight > 0 && now - giveUp < 0; now = System.nanoTime()) {
            poll(giveUp - now);
        }
        failed += inFlight;
        inFlight = 0;
        for (SelectionKey key : selector.keys()) {
            closeChannel((Connection) key.attachment());
        }
        freed.clear();
    }

    private LoadGenerator.Result result(long started) {
        return new LoadGenerator.Result(answered, failed, connectionsMade, (lastAnswered - started) / 1e9,
                Arrays.copyOf(latencies, answered), Math.max(0, threadCpuNanos() - cpuAtStart));
    }

    /** This thread's CPU time, or 0 where the JVM does not measure it. */
    private static long threadCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return threads.isCurrentThreadCpuTimeSupported() ? Math.max(0, threads.getCurrentThreadCpuTime()) : 0;
    }

    /** Sends {@code request} on {@code connection}, connecting it first if it is closed. */
    private void send(Connection connection, byte[] request, long startNanos) {
        inFlight++;
        connection.request = request;
        connection.startNanos = startNanos;
        connection.resent = false;
        transmit(connection);
    }

    private void transmit(Connection connection) {
        connection.unsent = ByteBuffer.wrap(connection.request);
        connection.response.expectResponse(requestsAskClose);
        connection.reused = connection.isOpen();
        try {
            if (connection.isOpen()) {
                write(connection);
            } else {
                connect(connection);
            }
        } catch (IOException e) {
            broken(connection);
        }
    }

    private void connect(Connection connection) throws IOException {
        SocketChannel channel = SocketChannel.open();
        connection.channel = channel;
        open++;
        connectionsMade++;
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        boolean connected;
        try {
            connected = channel.connect(target.server());
        } catch (IOException e) {
            connection.unreachable = true;
            throw e;
        }
        connection.key = channel.register(selector, connected ? 0 : SelectionKey.OP_CONNECT, connection);
        if (connected) {
            write(connection);
        }
    }

    private void write(Connection connection) throws IOException {
        connection.channel.write(connection.unsent);
        connection.key.interestOps(connection.unsent.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }

    /** Waits at most {@code nanos} for connections to be ready, and handles those that are. */
    private void poll(long nanos) throws IOException {
        if (nanos >= 1_000_000) {
            selector.select(this::ready, nanos / 1_000_000);
        } else if (selector.selectNow(this::ready) == 0 && nanos > 0) {
            LockSupport.parkNanos(inFlight > 0 ? Math.min(nanos, POLL_PARK_NANOS) : nanos);
        }
    }

    private void ready(SelectionKey key) {
        Connection connection = (Connection) key.attachment();
        try {
            if (key.isConnectable()) {
                try {
                    connection.channel.finishConnect();
                } catch (IOException e) {
                    connection.unreachable = true;
                    throw e;
                }
                write(connection);
            } else if (key.isWritable()) {
                write(connection);
            } else if (key.isReadable()) {
                read(connection);
            }
        } catch (IOException e) {
            broken(connection);
        }
    }

    private void read(Connection connection) throws IOException {
        input.clear();
        int read = connection.channel.read(input);
        if (read < 0) {
            if (!connection.response.started() && connection.reused && !connection.resent) {
                resend(connection);
            } else if (connection.response.endOfStream()) {
                closeChannel(connection);
                done(connection);
            }
            return;
        }
        input.flip();
        if (connection.response.feed(input)) {
            if (input.hasRemaining()) {
                // Bytes after the response, unasked for: the connection's next answer could not be told from them.
                closeChannel(connection);
            }
            done(connection);
        }
    }

    /** The server closed a kept-alive connection before this request's answer began: once more, on a new one. */
    private void resend(Connection connection) {
        closeChannel(connection);
        connection.resent = true;
        transmit(connection);
    }

    /** A response is complete: counted, its connection closed if the server or the request said so, freed. */
    private void done(Connection connection) {
        long now = System.nanoTime();
        inFlight--;
        connection.served++;
        if (connection.response.closeAfter()) {
            closeChannel(connection);
        } else if (connection.isOpen()) {
            // Idle, it is not read: a server closing it then is seen when it is next used, and its request resent.
            connection.key.interestOps(0);
        }
        if (connection.response.status() == 200) {
            if (answered == latencies.length) {
                latencies = Arrays.copyOf(latencies, 2 * answered);
            }
            latencies[answered++] = now - connection.startNanos;
            lastAnswered = now;
        } else {
            failed++;
        }
        freed.add(connection);
    }

    /** The request on {@code connection} failed (or, kept alive and idle too long, is sent again). */
    private void broken(Connection connection) {
        if (connection.reused && !connection.response.started() && !connection.resent) {
            resend(connection);
            return;
        }
        closeChannel(connection);
        inFlight--;
        failed++;
        freed.add(connection);
    }

    private void closeChannel(Connection connection) {
        if (connection.channel == null) {
            return;
        }
        try {
            connection.channel.close(); // cancels its key
        } catch (IOException e) {
            // a channel that failed: closed as far as it can be
        }
        connection.channel = null;
        connection.key = null;
        open--;
    }

    @Override
    public void close() throws IOException {
        for (SelectionKey key : selector.keys()) {
            closeChannel((Connection) key.attachment());
        }
        selector.close();
    }
}
