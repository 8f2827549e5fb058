package certgate.engine.conformance;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** PEM blocks to DER, for the conformance suites' inputs. */
final class Pem {
    private Pem() {
    }

    static List<byte[]> decodeAll(String pem) {
        List<byte[]> out = new ArrayList<>();
        int at = 0;
        while (true) {
            int begin = pem.indexOf("-----BEGIN ", at);
            if (begin < 0) {
                return out;
            }
            int bodyStart = pem.indexOf('\n', pem.indexOf("-----", begin + 11)) + 1;
            int end = pem.indexOf("-----END ", bodyStart);
            out.add(Base64.getMimeDecoder().decode(pem.substring(bodyStart, end)));
            at = end + 9;
        }
    }

    static byte[] decode(String pem) {
        List<byte[]> all = decodeAll(pem);
        if (all.size() != 1) {
            throw new IllegalArgumentException("expected one PEM block, found " + all.size());
        }
        return all.get(0);
    }
}
