package certgate.bench.serve;

import certgate.bench.http.KeepAliveClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * A load generator on raw sockets: one {@link KeepAliveClient} per client thread, each request written in one
 * piece, each response read to its Content-Length.
 */
final class LoadGenerator {
    private LoadGenerator() {
    }

    /** What a run measured: requests answered 200, in how long, with each latency; other statuses counted. */
    record Result(int answered, int failed, double seconds, long[] latencyNanos) {
        double perSecond() {
            return answered / seconds;
        }

        double percentileMillis(double p) {
            if (latencyNanos.length == 0) {
                return Double.NaN;
            }
            long[] sorted = latencyNanos.clone();
            Arrays.sort(sorted);
            int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
            return sorted[Math.max(0, index)] / 1e6;
        }

        double maxMillis() {
            return percentileMillis(100);
        }
    }

    /**
     * Closed loop: {@code connections} clients each send the next request as soon as the previous answer is in,
     * for {@code seconds} or until {@code requests} gives null (the supply ran out).
     */
    static Result closedLoop(int port, int connections, double seconds, IntFunction<byte[]> requests)
            throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        long[][] latencies = new long[connections][];
        int[] counts = new int[connections];
        long started = System.nanoTime();
        long deadline = started + (long) (seconds * 1e9);
        AtomicLong lastDone = new AtomicLong(started);
        Thread[] threads = new Thread[connections];
        for (int c = 0; c < connections; c++) {
            int client = c;
            latencies[c] = new long[1 << 16];
            threads[c] = new Thread(() -> {
                try (KeepAliveClient connection = new KeepAliveClient(server(port), true)) {
                    while (System.nanoTime() - deadline < 0) {
                        byte[] request = requests.apply(next.getAndIncrement());
                        if (request == null) {
                            break;
                        }
                        long sent = System.nanoTime();
                        int status = connection.send(request).status();
                        long done = System.nanoTime();
                        if (status != 200) {
                            failed.incrementAndGet();
                            continue;
                        }
                        if (counts[client] == latencies[client].length) {
                            latencies[client] = Arrays.copyOf(latencies[client], counts[client] * 2);
                        }
                        latencies[client][counts[client]++] = done - sent;
                        lastDone.accumulateAndGet(done, Math::max);
                    }
                } catch (IOException e) {
                    failed.incrementAndGet();
                }
            }, "load-" + c);
            threads[c].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return result(latencies, counts, failed.get(), (lastDone.get() - started) / 1e9);
    }

    /**
     * Open loop: request {@code i} is due at {@code i / rate} seconds; {@code connections} clients take them in
     * turn, and each latency counts from the request's due time, so a server that falls behind shows its queue
     * instead of slowing the generator down (no coordinated omission).
     */
    static Result openLoop(int port, int connections, double rate, double seconds, IntFunction<byte[]> requests)
            throws InterruptedException {
        int total = (int) (rate * seconds);
        AtomicInteger failed = new AtomicInteger();
        long[][] latencies = new long[connections][];
        int[] counts = new int[connections];
        long started = System.nanoTime() + 50_000_000L;
        AtomicLong lastDone = new AtomicLong(started);
        Thread[] threads = new Thread[connections];
        for (int c = 0; c < connections; c++) {
            int client = c;
            latencies[c] = new long[total / connections + 1];
            threads[c] = new Thread(() -> {
                try (KeepAliveClient connection = new KeepAliveClient(server(port), true)) {
                    for (int i = client; i < total; i += connections) {
                        byte[] request = requests.apply(i);
                        if (request == null) {
                            break;
                        }
                        long due = started + (long) (i / rate * 1e9);
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            java.util.concurrent.locks.LockSupport.parkNanos(wait);
                        }
                        int status = connection.send(request).status();
                        long done = System.nanoTime();
                        if (status != 200) {
                            failed.incrementAndGet();
                            continue;
                        }
                        latencies[client][counts[client]++] = done - due;
                        lastDone.accumulateAndGet(done, Math::max);
                    }
                } catch (IOException e) {
                    failed.incrementAndGet();
                }
            }, "open-load-" + c);
            threads[c].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return result(latencies, counts, failed.get(), (lastDone.get() - started) / 1e9);
    }

    private static InetSocketAddress server(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    private static Result result(long[][] latencies, int[] counts, int failed, double seconds) {
        int answered = Arrays.stream(counts).sum();
        long[] all = new long[answered];
        int at = 0;
        for (int c = 0; c < counts.length; c++) {
            System.arraycopy(latencies[c], 0, all, at, counts[c]);
            at += counts[c];
        }
        return new Result(answered, failed, seconds, all);
    }
}
