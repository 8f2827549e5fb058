package certgate.bench.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The benchmarks' sequential HTTP/1.1 client (sample checks, warming a cache; the load itself goes through
 * {@link LoadGenerator}), on one raw socket: each request (headers and body) written in one piece (one
 * segment, Nagle off), the response read through a buffer, the connection kept alive and reused while the server
 * keeps it open and made again when it does not (the cost of a server that closes is part of what it is measured
 * for). The JDK's HttpClient writes headers and body separately, so with it one would measure the client's
 * two-packet habit, not the server; reading the response a byte per system call would measure the client's
 * system calls.
 */
public final class KeepAliveClient implements AutoCloseable {
    private final InetSocketAddress server;
    private final boolean keepAlive;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private long connections;

    /**
     * @param keepAlive whether to ask for the connection to be kept; a server that answers one connection at a
     *                  time ({@code openssl ocsp}) would otherwise serve one client while the others wait
     */
    public KeepAliveClient(InetSocketAddress server, boolean keepAlive) {
        this.server = server;
        this.keepAlive = keepAlive;
    }

    /** A response's status code and body. */
    public record Response(int status, byte[] body) {
    }

    /**
     * Sends {@code request}, a whole HTTP/1.1 request made by {@link #request} (with this client's keep-alive
     * choice), and reads the response.
     */
    public Response send(byte[] request) throws IOException {
        for (int attempt = 0; ; attempt++) {
            boolean fresh = socket == null;
            if (fresh) {
                connect();
            }
            try {
                out.write(request);
                out.flush();
                return read();
            } catch (IOException e) {
                // A kept-alive connection the server closed meanwhile is made again once; a fresh one that fails
                // is the server's failure.
                close();
                if (fresh || attempt > 0) {
                    throw e;
                }
            }
        }
    }

    /** Connections made so far. */
    public long connections() {
        return connections;
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(server, 10_000);
        socket.setSoTimeout(30_000);
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        out = socket.getOutputStream();
        connections++;
    }

    /**
     * An HTTP/1.1 request in one piece: {@code headers} as given, then Content-Length, and {@code Connection:
     * close} unless {@code keepAlive}.
     */
    public static byte[] request(String method, String path, List<String> headers, byte[] body, boolean keepAlive) {
        StringBuilder head = new StringBuilder(method).append(' ').append(path)
                .append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\n");
        head.append(keepAlive ? "" : "Connection: close\r\n").append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(headBytes, headBytes.length + body.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }

    private Response read() throws IOException {
        String statusLine = line();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP response: '" + statusLine + "'");
        }
        int status = Integer.parseInt(parts[1]);
        int length = -1;
        boolean close = parts[0].equals("HTTP/1.0") || !keepAlive;
        for (String header = line(); !header.isEmpty(); header = line()) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(lower.substring("content-length:".length()).trim());
            } else if (lower.startsWith("connection:")) {
                String value = lower.substring("connection:".length()).trim();
                close = value.equals("close") || (close && !value.equals("keep-alive"));
            }
        }
        byte[] body;
        if (length >= 0) {
            body = in.readNBytes(length);
            if (body.length != length) {
                throw new EOFException("the response ended after " + body.length + " of " + length + " bytes");
            }
        } else {
            body = in.readAllBytes();
            close = true;
        }
        if (close) {
            close();
        }
        return new Response(status, body);
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("the connection closed mid-response");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    /** Closes the connection; the next {@link #send} makes a new one. */
    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing a socket that failed: nothing left to do
            }
        }
        socket = null;
    }
}
