package certgate.bench.serve;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * A load generator on raw sockets: keep-alive HTTP/1.1 connections, each request written in one piece (one
 * segment, Nagle off), each response read to its Content-Length. The JDK's HttpClient writes headers and body
 * separately, so with it one would measure the client's two-packet habit, not the server.
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
                try (Connection connection = new Connection(port)) {
                    while (System.nanoTime() - deadline < 0) {
                        byte[] request = requests.apply(next.getAndIncrement());
                        if (request == null) {
                            break;
                        }
                        long sent = System.nanoTime();
                        int status = connection.exchange(request);
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
                try (Connection connection = new Connection(port)) {
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
                        int status = connection.exchange(request);
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

    /** An HTTP/1.1 request in one piece. */
    static byte[] request(String method, String path, byte[] body, List<String> headers) {
        StringBuilder head = new StringBuilder(method).append(' ').append(path)
                .append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(headBytes, headBytes.length + body.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }

    /** One keep-alive connection. */
    static final class Connection implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final byte[] buffer = new byte[64 << 10];

        Connection(int port) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(60_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        /** Sends {@code request}, reads the whole response, returns its status. */
        int exchange(byte[] request) throws IOException {
            out.write(request);
            out.flush();
            ByteArrayOutputStream head = new ByteArrayOutputStream(256);
            int state = 0;
            while (state < 4) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("connection closed");
                }
                head.write(b);
                state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
                        ? state + 1 : 0;
            }
            String text = head.toString(StandardCharsets.US_ASCII);
            int status = Integer.parseInt(text.substring(9, 12));
            int length = 0;
            for (String line : text.split("\r\n")) {
                if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            while (length > 0) {
                int n = in.read(buffer, 0, Math.min(buffer.length, length));
                if (n < 0) {
                    throw new IOException("connection closed in a body");
                }
                length -= n;
            }
            return status;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
