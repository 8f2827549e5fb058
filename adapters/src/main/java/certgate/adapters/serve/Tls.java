package certgate.adapters.serve;

import certgate.adapters.pem.KeyFiles;
import certgate.adapters.pem.PkiFileException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * HTTPS for the service: its certificate chain and key (PEM: the certificate first, then its issuers; an
 * unencrypted PKCS#8 key), and optionally the CA certificates whose clients it accepts, which makes a client
 * certificate required.
 */
public record Tls(SSLContext context, boolean clientCertificates) {

    /** Reads the files; a file that cannot be used is an {@link IOException} naming it and why. */
    public static Tls read(Path certificateFile, Path keyFile, Optional<Path> clientCaFile) throws IOException {
        try {
            List<Certificate> chain = certificates(certificateFile);
            PrivateKey key = privateKey(keyFile);
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            char[] password = new char[0];
            keys.setKeyEntry("service", key, password, chain.toArray(Certificate[]::new));
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, password);
            TrustManagerFactory trustManagers = null;
            if (clientCaFile.isPresent()) {
                KeyStore trusted = KeyStore.getInstance("PKCS12");
                trusted.load(null, null);
                int i = 0;
                for (Certificate ca : certificates(clientCaFile.get())) {
                    trusted.setCertificateEntry("client-ca-" + i++, ca);
                }
                trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trustManagers.init(trusted);
            }
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(keyManagers.getKeyManagers(), trustManagers == null ? null
                    : trustManagers.getTrustManagers(), null);
            return new Tls(context, clientCaFile.isPresent());
        } catch (GeneralSecurityException e) {
            throw new IOException("--tls-cert " + certificateFile + " with --tls-key " + keyFile + ": "
                    + e.getMessage(), e);
        }
    }

    private static List<Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        byte[] bytes = Files.readAllBytes(file);
        List<Certificate> certificates = new ArrayList<>(CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(bytes)));
        if (certificates.isEmpty()) {
            throw new IOException(file + ": no certificate found");
        }
        return certificates;
    }

    private static PrivateKey privateKey(Path file) throws IOException {
        try {
            return KeyFiles.readPrivate(file, Optional.empty()).privateKey();
        } catch (PkiFileException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
