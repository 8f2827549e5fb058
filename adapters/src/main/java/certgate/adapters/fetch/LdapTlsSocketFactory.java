package certgate.adapters.fetch;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Objects;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The sockets of an {@code ldaps://} fetch. JNDI takes a socket factory only by class name ({@code
 * java.naming.ldap.factory.socket}) and calls its static {@code getDefault()} while it connects, in the thread
 * that creates the context; so {@link LdapCrlFetcher} names this class and lends it, for the length of that call,
 * the {@link SSLContext} its fetcher was built with (the JDK's default trust anchors, or a test's). Every socket
 * checks that the server's certificate names the host of the URL (endpoint identification "LDAPS", RFC 4513
 * section 3.1.3; JNDI sets it too since JDK 8u181, unless a system property turns it off: here it cannot be).
 *
 * <p>Public only because JNDI instantiates it by name: nothing else has a use for it.
 */
public final class LdapTlsSocketFactory extends SocketFactory {
    private static final ThreadLocal<SSLSocketFactory> CONNECTING = new ThreadLocal<>();

    private final SSLSocketFactory tls;

    private LdapTlsSocketFactory(SSLSocketFactory tls) {
        this.tls = tls;
    }

    /** For JNDI: the factory of the fetch connecting on this thread; none connecting is an error, never plain TCP. */
    public static SocketFactory getDefault() {
        SSLSocketFactory tls = CONNECTING.get();
        if (tls == null) {
            throw new IllegalStateException("no ldaps:// fetch is connecting on this thread");
        }
        return new LdapTlsSocketFactory(tls);
    }

    /** Runs {@code connect} (JNDI creating a context) with {@code context}'s TLS sockets lent to this thread. */
    static <T, E extends Exception> T lending(SSLContext context, Connect<T, E> connect) throws E {
        Objects.requireNonNull(context, "context");
        SSLSocketFactory previous = CONNECTING.get();
        CONNECTING.set(context.getSocketFactory());
        try {
            return connect.run();
        } finally {
            if (previous == null) {
                CONNECTING.remove();
            } else {
                CONNECTING.set(previous);
            }
        }
    }

    /** What runs while the sockets are lent. */
    @FunctionalInterface
    interface Connect<T, E extends Exception> {
        T run() throws E;
    }

    @Override
    public Socket createSocket() throws IOException {
        return checkingTheHost(tls.createSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return checkingTheHost(tls.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return checkingTheHost(tls.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return checkingTheHost(tls.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return checkingTheHost(tls.createSocket(address, port, localAddress, localPort));
    }

    // Before the handshake, which starts with the first byte JNDI writes or its explicit startHandshake.
    private static Socket checkingTheHost(Socket socket) {
        SSLSocket ssl = (SSLSocket) socket;
        SSLParameters parameters = ssl.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("LDAPS");
        ssl.setSSLParameters(parameters);
        return ssl;
    }
}
