package certgate.engine.testpki;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** PEM text for certificates and CRLs, as files on disk hold them. */
public final class PemText {
    private PemText() {
    }

    public static String certificate(byte[] der) {
        return block("CERTIFICATE", der);
    }

    public static String crl(byte[] der) {
        return block("X509 CRL", der);
    }

    public static String block(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }
}
