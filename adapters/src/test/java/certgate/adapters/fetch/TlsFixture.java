package certgate.adapters.fetch;

import certgate.engine.testpki.KeyType;
import certgate.engine.testpki.PemText;
import certgate.engine.testpki.TestCert;
import certgate.engine.testpki.TestPki;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x509.GeneralName;

/**
 * A TLS server certificate made by the test ({@link TestPki}, RSA-2048), for https and ldaps servers on
 * 127.0.0.1: the client context that trusts its CA and nothing else, the server's context, and PEM files for
 * slapd. Nothing is checked in.
 */
final class TlsFixture {
    private static final char[] PASSWORD = "test".toCharArray();

    final TestPki ca;
    final TestCert server;

    private TlsFixture(TestPki ca, TestCert server) {
        this.ca = ca;
        this.server = server;
    }

    /** A CA named {@code caDn} and a server certificate with these subjectAltNames. */
    static TlsFixture issuing(String caDn, GeneralName... names) {
        TestPki ca = TestPki.root(caDn);
        // RSA: slapd's GnuTLS does not read the JDK's PKCS#8 encoding of an EC key (no curve in the inner key)
        return new TlsFixture(ca, ca.issue(TestPki.spec("CN=TLS server").keyType(KeyType.RSA_2048).san(names)));
    }

    /** A client context whose only trust anchor is this fixture's CA. */
    SSLContext clientTrustingTheCa() {
        try {
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            anchors.setCertificateEntry("ca", x509(ca.certificate().der()));
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(anchors);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The server's context: its key and its certificate, followed by the CA's. */
    SSLContext serverContext() {
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("server", server.keyPair().getPrivate(), PASSWORD,
                    new Certificate[] {x509(server.der()), x509(ca.certificate().der())});
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keys, PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(factory.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the server's certificate and its PKCS#8 key as PEM, for slapd's TLSCertificate(Key)File. */
    void writePem(Path certificate, Path key) {
        try {
            Files.writeString(certificate, PemText.certificate(server.der()), StandardCharsets.US_ASCII);
            Files.writeString(key, PemText.block("PRIVATE KEY", server.keyPair().getPrivate().getEncoded()),
                    StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Certificate x509(byte[] der) throws GeneralSecurityException {
        return CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }
}
