package certgate.adapters.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A server on 127.0.0.1 that answers every connection with exactly the bytes it is given, then closes it (or
 * holds it open, to see that the client's deadline cuts it off): a status line, headers and a body as damaged as
 * a test likes, which no real HTTP server library would send. Stopped, with its accept thread and every
 * connection still open, by {@link #close}.
 */
final class RawHttpServer implements AutoCloseable {
    private final ServerSocket socket;
    private final Thread acceptor;
    private final AtomicReference<byte[]> answer = new AtomicReference<>(new byte[0]);
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean holdOpen;
    private volatile boolean readRequest = true;

    RawHttpServer() {
        try {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor = new Thread(this::serve, "raw-http-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** What the next connections get; {@code holdOpen} keeps each connection open after it. */
    void answer(byte[] bytes, boolean holdOpen) {
        this.answer.set(bytes.clone());
        this.holdOpen = holdOpen;
        this.readRequest = true;
    }

    /** What the next connections get at once, before the client has said anything (as a non-TLS server would). */
    void answerAtOnce(byte[] bytes) {
        this.answer.set(bytes.clone());
        this.holdOpen = false;
        this.readRequest = false;
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort() + path);
    }

    private void serve() {
        while (!socket.isClosed()) {
            Socket connection;
            try {
                connection = socket.accept();
            } catch (IOException e) {
                return; // closing
            }
            open.add(connection);
            byte[] bytes = answer.get();
            boolean hold = holdOpen;
            boolean read = readRequest;
            Thread handler = new Thread(() -> answer(connection, bytes, hold, read), "raw-http-connection");
            handler.setDaemon(true);
            handler.start();
        }
    }

    private void answer(Socket connection, byte[] bytes, boolean hold, boolean read) {
        try (connection) {
            if (read) {
                readRequestHead(connection.getInputStream());
            }
            connection.getOutputStream().write(bytes);
            connection.getOutputStream().flush();
            if (hold) {
                // held until the client gives up and closes, or 10 s pass
                connection.setSoTimeout(10_000);
                while (connection.getInputStream().read() >= 0) {
                    // the client may send another request on the connection: not answered
                }
            }
        } catch (IOException e) {
            // the client closed first, or the server is closing
        } finally {
            open.remove(connection);
        }
    }

    private static void readRequestHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        for (int read = 0; read < 64 * 1024; read++) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
            if (matched == end.length) {
                return;
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
            acceptor.join(10_000);
            for (Socket connection : open) {
                connection.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
