package certgate.adapters.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One client connection of a {@link LoopHttpServer}, touched only by the loop thread except for
 * {@link #answer}. Its life is a cycle: reading a request (head, then body), waiting for the handler's answer
 * (nothing more is read meanwhile: requests on one connection are answered in order), writing the answer, and
 * reading again (what a client sent ahead is already in the buffer).
 */
final class Connection {
    private enum State { READING, WAITING, WRITING, CLOSED }

    /** How long a handler may take to answer, as the JDK's server allows (its {@code maxRspTime}). */
    static final long ANSWER_TIMEOUT_NANOS = 60_000_000_000L;
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final LoopHttpServer server;
    private final SocketChannel channel;
    final InetSocketAddress remote;
    final InetSocketAddress local;
    SelectionKey key;
    private State state = State.READING;
    /** Bytes read and not yet consumed: {@code in[0, held)}. */
    private byte[] in = new byte[4096];
    private int held;
    /** Where the search for the end of the head resumes. */
    private int scanned;
    private RequestHead head;
    private int headEnd;
    /** Bytes of an oversized body still to be read and dropped. */
    private long discarding;
    /** When the first byte of the request being read came ({@link System#nanoTime}), or -1 between requests. */
    private long requestStarted = -1;
    private long idleSince = System.nanoTime();
    private ByteBuffer out = LoopHttpServer.NOTHING;
    private boolean closeAfterWriting;
    /** Set by {@link #answer} on the handler's thread, read by the loop after it took this from the queue. */
    private ByteBuffer answer;
    private boolean closeAfterAnswer;

    Connection(LoopHttpServer server, SocketChannel channel) throws IOException {
        this.server = server;
        this.channel = channel;
        this.remote = (InetSocketAddress) channel.getRemoteAddress();
        this.local = (InetSocketAddress) channel.getLocalAddress();
    }

    /** The handler's answer, on any thread: the loop writes it, then closes the connection if {@code close}. */
    void answer(ByteBuffer bytes, boolean close) {
        this.answer = bytes;
        this.closeAfterAnswer = close;
        server.answered(this);
    }

    /** On the loop: the answer queued by {@link #answer} goes out. */
    void startWriting() {
        if (state == State.CLOSED) {
            return;
        }
        out = answer;
        closeAfterWriting = closeAfterAnswer || closeAfterWriting;
        answer = null;
        state = State.WRITING;
        writeSome();
    }

    void writeSome() {
        try {
            channel.write(out);
        } catch (IOException e) {
            close();
            return;
        }
        if (out.hasRemaining()) {
            interest(SelectionKey.OP_WRITE | (discarding > 0 ? SelectionKey.OP_READ : 0));
            return;
        }
        out = LoopHttpServer.NOTHING;
        if (state != State.WRITING) {
            return;
        }
        if (closeAfterWriting) {
            close();
            return;
        }
        state = State.READING;
        head = null;
        requestStarted = held > 0 || discarding > 0 ? System.nanoTime() : -1;
        idleSince = System.nanoTime();
        interest(SelectionKey.OP_READ);
        process();
    }

    void readSome() {
        if (held == in.length) {
            int limit = server.settings().maxHeaderBytes() + server.settings().maxBodyBytes();
            in = Arrays.copyOf(in, Math.min(Math.max(in.length * 2, 4096), Math.max(limit, in.length + 1)));
        }
        int n;
        try {
            n = channel.read(ByteBuffer.wrap(in, held, in.length - held));
        } catch (IOException e) {
            close();
            return;
        }
        if (n < 0) {
            close();
            return;
        }
        if (n > 0 && requestStarted < 0 && state == State.READING) {
            requestStarted = System.nanoTime();
        }
        held += n;
        process();
    }

    /** Consumes what is held: drops an oversized body, reads a head, then a body, and hands the request over. */
    private void process() {
        if (discarding > 0) {
            int dropped = (int) Math.min(discarding, held);
            consume(dropped);
            discarding -= dropped;
            if (discarding > 0) {
                return;
            }
            if (state == State.WAITING) {
                interest(0);
            }
        }
        if (state != State.READING || held == 0) {
            return;
        }
        LoopHttpServer.Settings settings = server.settings();
        if (head == null) {
            int end = RequestHead.headEnd(in, scanned - 3, Math.min(held, settings.maxHeaderBytes()));
            if (end < 0) {
                scanned = Math.min(held, settings.maxHeaderBytes());
                if (held >= settings.maxHeaderBytes()) {
                    refuse(431, "the request head is longer than " + settings.maxHeaderBytes() + " bytes");
                }
                return;
            }
            try {
                head = RequestHead.parse(in, end, settings.maxHeaders());
            } catch (RequestHead.Refusal e) {
                refuse(e.status(), e.getMessage());
                return;
            }
            headEnd = end;
            scanned = 0;
            if (head.contentLength() > settings.maxBodyBytes()) {
                tooLarge();
                return;
            }
            if (head.expectsContinue() && held - headEnd < head.contentLength()) {
                try {
                    channel.write(ByteBuffer.wrap(CONTINUE)); // 25 bytes into an idle socket: never partial
                } catch (IOException e) {
                    close();
                    return;
                }
            }
        }
        int need = headEnd + (int) head.contentLength();
        if (held < need) {
            if (need > in.length) {
                in = Arrays.copyOf(in, need);
            }
            return;
        }
        byte[] body = Arrays.copyOfRange(in, headEnd, need);
        RequestHead request = head;
        consume(need);
        waitForAnswer();
        server.dispatch(this, request, body);
    }

    /**
     * A body over the limit: the handler hears of the request without it (it answers 413), and the body is read
     * and dropped meanwhile, up to {@link LoopHttpServer#DISCARD_AT_MOST}; a larger one closes the connection
     * after the answer, as does one the client waits to send (it asked {@code Expect: 100-continue}).
     */
    private void tooLarge() {
        RequestHead request = head;
        long inBuffer = Math.min(held - headEnd, request.contentLength());
        consume(headEnd + (int) inBuffer);
        discarding = request.contentLength() - inBuffer;
        if (request.contentLength() > LoopHttpServer.DISCARD_AT_MOST || request.expectsContinue()) {
            closeAfterWriting = true;
            discarding = 0;
        }
        waitForAnswer();
        if (discarding > 0) {
            interest(SelectionKey.OP_READ);
        }
        server.dispatch(this, request, new byte[0]);
    }

    private void waitForAnswer() {
        state = State.WAITING;
        interest(0);
    }

    private void consume(int count) {
        System.arraycopy(in, count, in, 0, held - count);
        held -= count;
    }

    /** Answers {@code status} with {@code message} as text and closes: the request cannot be read further. */
    private void refuse(int status, String message) {
        closeAfterWriting = true;
        waitForAnswer();
        LoopExchange.refusal(this, status, message);
    }

    /**
     * Drops a connection past its time: one request taking too long to arrive, a connection idle for too long, or
     * an answer not given within {@link #ANSWER_TIMEOUT_NANOS} (a handler that never answers holds nothing forever).
     */
    void checkTime(long now) {
        if (state == State.WAITING && requestStarted >= 0 && now - requestStarted > ANSWER_TIMEOUT_NANOS) {
            close();
            return;
        }
        if (state != State.READING && !(state == State.WRITING && discarding > 0)) {
            return;
        }
        LoopHttpServer.Settings settings = server.settings();
        if (requestStarted >= 0 && now - requestStarted > settings.requestTimeout().toNanos()) {
            close();
        } else if (requestStarted < 0 && now - idleSince > settings.idleTimeout().toNanos()) {
            close();
        }
    }

    private void interest(int ops) {
        if (key.isValid()) {
            key.interestOps(ops);
        }
    }

    void close() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        key.cancel();
        try {
            channel.close();
        } catch (IOException e) {
            // closed either way
        }
        server.closed(this);
    }
}
