package certgate.engine.testpki;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Key pairs for tests. RSA-2048 generation costs about a tenth of a second, so RSA keys come from a small pool
 * made once per test JVM and handed out in turn; EC and Ed25519 keys are cheap and always fresh. Test code
 * only: the engine itself never holds static state.
 */
public final class Keys {
    private static final int RSA_POOL = 6;
    private static final Map<KeyType, List<KeyPair>> POOLS = new EnumMap<>(KeyType.class);
    private static int next;

    private Keys() {
    }

    public static synchronized KeyPair next(KeyType type) {
        if (type != KeyType.RSA_2048) {
            return generate(type);
        }
        List<KeyPair> pool = POOLS.computeIfAbsent(type, t -> new ArrayList<>());
        if (pool.size() < RSA_POOL) {
            KeyPair pair = generate(type);
            pool.add(pair);
            return pair;
        }
        return pool.get(next++ % RSA_POOL);
    }

    /** A key pair that is never handed out again (when two certificates must not share a key). */
    public static KeyPair fresh(KeyType type) {
        return generate(type);
    }

    private static KeyPair generate(KeyType type) {
        try {
            return switch (type) {
                case EC_P256 -> ec("secp256r1");
                case EC_P384 -> ec("secp384r1");
                case RSA_2048 -> {
                    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                    generator.initialize(2048);
                    yield generator.generateKeyPair();
                }
                case ED25519 -> KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + type + " key", e);
        }
    }

    private static KeyPair ec(String curve) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair();
    }
}
