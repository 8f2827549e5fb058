package certgate.adapters.http;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.BiPredicate;

/**
 * An HTTP/1.1 server on one NIO event loop, behind the JDK's {@code HttpServer} API so that the same
 * {@link HttpHandler}s run on it. Why not the JDK's own: per request, its dispatcher cancels the connection's
 * selection key, switches the socket to blocking mode for the handler's thread and registers it again afterwards,
 * and a handler that waits (a decision waits for its group commit) holds a thread for the whole wait. Here the
 * loop thread reads and writes every socket without blocking; a handler gets the whole request in memory and
 * answers whenever it is ready, from any thread: {@link LoopExchange#close()} hands the response to the loop,
 * which writes it. A handler may therefore return before it answers and answer later from another thread (the
 * thread that finished its group commit, say), holding no thread while it waits.
 *
 * <p>What a client may take is bounded by {@link Settings}: connections, header lines and bytes, the body, the
 * time to send one request (a client sending a byte a second is dropped when it runs out) and the idle time
 * between requests. Nagle's algorithm is off. Requests with a {@code Transfer-Encoding} are refused (411): every
 * client certgate serves sends a {@code Content-Length}. Plain HTTP only: HTTPS stays on the JDK's
 * {@code HttpsServer}.
 */
public final class LoopHttpServer extends HttpServer {
    /** How often the loop looks for connections past their time. */
    private static final long TICK_MILLIS = 250;
    /** A body over the limit is read and dropped up to this many bytes, so the client sees the answer. */
    static final long DISCARD_AT_MOST = 16L << 20;

    /** The limits of one server. */
    public record Settings(int maxConnections, int maxHeaderBytes, int maxHeaders, int maxBodyBytes,
                           Duration requestTimeout, Duration idleTimeout) {
        public Settings {
            if (maxConnections < 1 || maxHeaderBytes < 256 || maxHeaders < 1 || maxBodyBytes < 0) {
                throw new IllegalArgumentException("limits must be positive: " + maxConnections + ", "
                        + maxHeaderBytes + ", " + maxHeaders + ", " + maxBodyBytes);
            }
            Objects.requireNonNull(requestTimeout, "requestTimeout");
            Objects.requireNonNull(idleTimeout, "idleTimeout");
        }
    }

    private final Settings settings;
    private final List<LoopContext> contexts = new CopyOnWriteArrayList<>();
    /** Connections whose response is ready to write, queued by whichever thread completed it. */
    private final ConcurrentLinkedQueue<Connection> answered = new ConcurrentLinkedQueue<>();
    private final Set<Connection> open = new HashSet<>();
    private ServerSocketChannel listener;
    private Selector selector;
    private Thread loop;
    private Executor executor = Runnable::run;
    private volatile BiPredicate<String, String> onLoop = (method, path) -> false;
    private volatile boolean stopping;

    private LoopHttpServer(Settings settings) {
        this.settings = settings;
    }

    /** A server bound to {@code address}, not started. */
    public static LoopHttpServer create(InetSocketAddress address, int backlog, Settings settings)
            throws IOException {
        LoopHttpServer server = new LoopHttpServer(settings);
        server.bind(address, backlog);
        return server;
    }

    Settings settings() {
        return settings;
    }

    @Override
    public void bind(InetSocketAddress address, int backlog) throws IOException {
        if (listener != null) {
            throw new IllegalStateException("bound already");
        }
        selector = Selector.open();
        listener = ServerSocketChannel.open();
        listener.bind(address, backlog);
        listener.configureBlocking(false);
        listener.register(selector, SelectionKey.OP_ACCEPT);
    }

    @Override
    public void start() {
        if (listener == null) {
            throw new IllegalStateException("not bound");
        }
        if (loop != null) {
            throw new IllegalStateException("started already");
        }
        loop = new Thread(this::run, "certgate-http-loop");
        loop.setDaemon(true);
        loop.start();
    }

    @Override
    public void setExecutor(Executor executor) {
        this.executor = executor == null ? Runnable::run : executor;
    }

    /**
     * Requests whose method and path {@code which} accepts run their handler on the loop thread itself, with no
     * hand-off to the executor: only for handlers that never block (they answer at once, or later from another
     * thread: {@link #answersLater}). Any other request runs on the executor.
     */
    public void runOnLoop(BiPredicate<String, String> which) {
        this.onLoop = Objects.requireNonNull(which, "which");
    }

    @Override
    public Executor getExecutor() {
        return executor;
    }

    /** Stops accepting, closes every connection (answers not yet written are lost) and ends the loop. */
    @Override
    public void stop(int delaySeconds) {
        stopping = true;
        selector.wakeup();
        if (loop != null && Thread.currentThread() != loop) {
            boolean interrupted = false;
            while (loop.isAlive()) {
                try {
                    loop.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public HttpContext createContext(String path, HttpHandler handler) {
        LoopContext context = createContext(path);
        context.setHandler(handler);
        return context;
    }

    @Override
    public LoopContext createContext(String path) {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("a context path starts with '/': " + path);
        }
        for (LoopContext context : contexts) {
            if (context.getPath().equals(path)) {
                throw new IllegalArgumentException("a context for " + path + " exists already");
            }
        }
        LoopContext context = new LoopContext(this, path);
        contexts.add(context);
        return context;
    }

    @Override
    public void removeContext(String path) {
        if (!contexts.removeIf(context -> context.getPath().equals(path))) {
            throw new IllegalArgumentException("no context for " + path);
        }
    }

    @Override
    public void removeContext(HttpContext context) {
        if (!contexts.remove(context)) {
            throw new IllegalArgumentException("not a context of this server: " + context.getPath());
        }
    }

    @Override
    public InetSocketAddress getAddress() {
        try {
            return (InetSocketAddress) listener.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether {@code exchange} may be answered after its handler returned, from any thread, without blocking that
     * thread: true on this server (the loop writes every answer), false on the JDK's, whose answer is written by
     * the thread that gives it (a client that does not read would hold it).
     */
    public static boolean answersLater(com.sun.net.httpserver.HttpExchange exchange) {
        return exchange instanceof LoopExchange;
    }

    /** The context whose path is the longest prefix of {@code path}, as the JDK's server picks it. */
    private LoopContext contextFor(String path) {
        LoopContext best = null;
        for (LoopContext context : contexts) {
            if (path.startsWith(context.getPath())
                    && (best == null || context.getPath().length() > best.getPath().length())) {
                best = context;
            }
        }
        return best;
    }

    /** Called by an exchange's {@code close()}, on any thread: the loop writes {@code connection}'s answer. */
    void answered(Connection connection) {
        answered.add(connection);
        if (Thread.currentThread() != loop && !stopping) {
            try {
                selector.wakeup();
            } catch (ClosedSelectorException stopped) {
                // the server stopped meanwhile: its connections are closed, the answer goes nowhere
            }
        }
    }

    private void run() {
        long nextTick = System.nanoTime();
        try {
            while (!stopping) {
                selector.select(TICK_MILLIS);
                Set<SelectionKey> selected = selector.selectedKeys();
                for (SelectionKey key : selected) {
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        accept();
                    } else {
                        Connection connection = (Connection) key.attachment();
                        if (key.isWritable()) {
                            connection.writeSome();
                        }
                        if (key.isValid() && key.isReadable()) {
                            connection.readSome();
                        }
                    }
                }
                selected.clear();
                writeAnswered();
                long now = System.nanoTime();
                if (now - nextTick >= 0) {
                    nextTick = now + TICK_MILLIS * 1_000_000;
                    for (Connection connection : new ArrayList<>(open)) {
                        connection.checkTime(now);
                    }
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            // the selector failed: nothing more can be served; what is open is closed below
        } finally {
            writeAnswered(); // answers handed over before the stop go out (one write each: they are small)
            for (Connection connection : new ArrayList<>(open)) {
                connection.close();
            }
            try {
                listener.close();
                selector.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    private void writeAnswered() {
        Connection connection;
        while ((connection = answered.poll()) != null) {
            connection.startWriting();
        }
    }

    private void accept() throws IOException {
        SocketChannel channel;
        while ((channel = listener.accept()) != null) {
            if (open.size() >= settings.maxConnections()) {
                channel.close(); // over the limit: refused at once, as the JDK's server does
                continue;
            }
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Connection connection = new Connection(this, channel);
            connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
            open.add(connection);
        }
    }

    void closed(Connection connection) {
        open.remove(connection);
    }

    /** The request {@code request} came in on {@code connection}: hand it to its context's handler. */
    void dispatch(Connection connection, RequestHead request, byte[] body) {
        LoopContext context = contextFor(request.path());
        LoopExchange exchange = new LoopExchange(connection, context, request, body);
        if (context == null || context.getHandler() == null) {
            exchange.refuse(404, "no context for " + request.path());
            return;
        }
        if (onLoop.test(request.method(), request.path())) {
            exchange.handle(context.getHandler());
        } else {
            executor.execute(() -> exchange.handle(context.getHandler()));
        }
    }

    /**
     * A handler that never blocks its thread: it answers at once, or later from another thread when it has to wait
     * ({@link #answersLater}). The ones a server is told of ({@link #runOnLoop}) run on its loop.
     */
    public interface NonBlocking extends HttpHandler {
    }

    /** A context: a path prefix and its handler; filters and authenticators are not supported. */
    public static final class LoopContext extends HttpContext {
        private final LoopHttpServer server;
        private final String path;
        private final Map<String, Object> attributes = new HashMap<>();
        private volatile HttpHandler handler;

        LoopContext(LoopHttpServer server, String path) {
            this.server = server;
            this.path = path;
        }

        @Override
        public HttpHandler getHandler() {
            return handler;
        }

        @Override
        public void setHandler(HttpHandler handler) {
            this.handler = Objects.requireNonNull(handler, "handler");
        }

        @Override
        public String getPath() {
            return path;
        }

        @Override
        public HttpServer getServer() {
            return server;
        }

        @Override
        public Map<String, Object> getAttributes() {
            return attributes;
        }

        @Override
        public List<Filter> getFilters() {
            return List.of();
        }

        @Override
        public Authenticator setAuthenticator(Authenticator auth) {
            throw new UnsupportedOperationException("authenticators are not supported: authenticate in the handler");
        }

        @Override
        public Authenticator getAuthenticator() {
            return null;
        }
    }

    /** An empty buffer, for a connection with nothing to write. */
    static final ByteBuffer NOTHING = ByteBuffer.allocate(0);
}
