package certgate.engine.x509;

import java.nio.ByteBuffer;
import java.security.PublicKey;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What cannot change, computed once: certificates parsed by SHA-256 (failures too), and signatures that were
 * checked between two objects identified by SHA-256 (certificate by issuer, CRL by signer). A cache, not
 * state: shared by successive engine values, safe for concurrent use, and dropping it changes only speed.
 * Each map is bounded by clearing it when full, which keeps memory flat under a stream of fresh inputs.
 */
public final class VerificationCache {
    private static final int MAX_PARSED = 20_000;
    private static final int MAX_SIGNATURES = 400_000;
    private static final int MAX_REMEMBERED = 50_000;

    /** A parse result: the certificate, or why it is not one. */
    public sealed interface Parse permits Parsed, Malformed {
    }

    public record Parsed(ParsedCertificate certificate) implements Parse {
    }

    public record Malformed(String problem) implements Parse {
    }

    private record Edge(Sha256 signer, Sha256 signed) {
    }

    // Sized for a few thousand peers from the start: growing a map rehashes it, which a stream of fresh peers
    // would otherwise pay again and again as the maps fill up after each clearing.
    private final ConcurrentHashMap<Sha256, Parse> parsed = new ConcurrentHashMap<>(4_096);
    private final ConcurrentHashMap<Edge, Boolean> signatures = new ConcurrentHashMap<>(4_096);
    private final ConcurrentHashMap<Key<?>, Object> remembered = new ConcurrentHashMap<>(8_192);
    private final ConcurrentHashMap<ParsedCertificate, Memo[]> owned = new ConcurrentHashMap<>(4_096);
    private static final Memo[] NO_MEMOS = new Memo[0];
    // A peer decided under a policy keeps four (its path search, the path's timeless checks, its revocation
    // check, the gateway's identity check); whatif's second policy adds a search and an identity check.
    private static final int MAX_MEMOS_PER_OWNER = 6;
    private final ConcurrentHashMap<String, Names.Name> names = new ConcurrentHashMap<>(256);
    private static final int MAX_NAMES = 20_000;

    /** Parses {@code der} (whose SHA-256 is {@code sha256}) once; later calls with that digest reuse the result. */
    public Parse parse(Sha256 sha256, Supplier<byte[]> der) {
        Parse known = parsed.get(sha256);
        if (known != null) {
            return known;
        }
        Parse result;
        try {
            result = new Parsed(ParsedCertificate.parse(der.get(), sha256, this::name));
        } catch (CertificateFormatException e) {
            result = new Malformed(e.getMessage());
        }
        if (parsed.size() >= MAX_PARSED) {
            parsed.clear();
        }
        parsed.put(sha256, result);
        return result;
    }

    /**
     * One {@link Names.Name} per distinct issuer encoding, so an issuer shared by many peers is read and prepared
     * once: a name seen before is found by its bytes, before any of them is decoded.
     */
    private Names.Name name(byte[] certificate, int start, int end, String what, boolean issuer)
            throws CertificateFormatException {
        if (!issuer) {
            // A peer's subject is seldom seen again: read as it is, kept out of the map of names that recur.
            return CertificateReader.DIRECT.name(certificate, start, end, what, false);
        }
        String key = new String(certificate, start, end - start, java.nio.charset.StandardCharsets.ISO_8859_1);
        Names.Name known = names.get(key);
        if (known != null) {
            return known;
        }
        Names.Name name = CertificateReader.DIRECT.name(certificate, start, end, what, true);
        if (names.size() >= MAX_NAMES) {
            names.clear();
        }
        names.put(key, name);
        return name;
    }

    /**
     * Whether {@code subject}'s signature verifies with {@code key}. When the key is {@code issuer}'s own (not
     * one whose DSA parameters were inherited) the answer is remembered for that pair of certificates.
     */
    public boolean verifies(ParsedCertificate issuer, PublicKey key, boolean issuersOwnKey,
                            ParsedCertificate subject, SignatureAlgorithm algorithm) {
        return verifies(issuer.sha256(), key, issuersOwnKey, subject.sha256(), algorithm, subject.tbs(),
                subject::signature);
    }

    /** The same for any signed object identified by {@code signedSha256} (a CRL). */
    public boolean verifies(Sha256 signerSha256, PublicKey key, boolean signersOwnKey, Sha256 signedSha256,
                            SignatureAlgorithm algorithm, ByteBuffer signedBytes, Supplier<byte[]> signature) {
        if (!signersOwnKey) {
            return Signatures.verify(algorithm, key, signedBytes, signature.get());
        }
        Edge edge = new Edge(signerSha256, signedSha256);
        Boolean known = signatures.get(edge);
        if (known != null) {
            return known;
        }
        boolean valid = Signatures.verify(algorithm, key, signedBytes, signature.get());
        if (signatures.size() >= MAX_SIGNATURES) {
            signatures.clear();
        }
        signatures.put(edge, valid);
        return valid;
    }

    /**
     * The key of a result remembered in this cache: a record of exactly the inputs the result depends on, whose
     * type parameter is the type of the result. The key's class is part of its equality, so callers cannot
     * collide, and a key of one type only ever finds a value of its own type.
     */
    public interface Key<V> {
    }

    /** One result remembered for a path, kept with the first certificate of the path. */
    private record Memo(Key<?> key, Object value) {
    }

    /**
     * Any other result that depends only on immutable inputs (a path's time-independent validation), under
     * {@code key}. A supplier that returns null remembers nothing (a lookup only).
     */
    public <T> T remember(Key<T> key, Supplier<T> compute) {
        T known = valueOf(key, remembered.get(key));
        if (known != null) {
            return known;
        }
        T computed = compute.get();
        if (computed == null) {
            return null;
        }
        if (remembered.size() >= MAX_REMEMBERED) {
            remembered.clear();
        }
        remembered.put(key, computed);
        return computed;
    }

    /** Drops what was remembered under {@code key} (to replace it). */
    public void forget(Key<?> key) {
        remembered.remove(key);
    }

    /**
     * As {@link #remember(Key, Supplier)}, also kept with {@code owner} (the first certificate of the path the
     * result is about), at most {@link #MAX_MEMOS_PER_OWNER} per owner: a repeated peer finds its results by its
     * certificate alone, without hashing the key (a list of certificates) into the shared map, which is most of a
     * repeated decision's cost otherwise. Same keys, same answers.
     */
    public <T> T remember(ParsedCertificate owner, Key<T> key, Supplier<T> compute) {
        Memo[] memos = owned.get(owner);
        if (memos != null) {
            for (Memo memo : memos) {
                if (memo.key().equals(key)) {
                    return valueOf(key, memo.value());
                }
            }
        }
        T value = remember(key, compute);
        if (value != null) {
            keep(owner, new Memo(key, value));
        }
        return value;
    }

    /** As {@link #forget(Key)}, with {@code owner} too. */
    public void forget(ParsedCertificate owner, Key<?> key) {
        Memo[] memos = owned.get(owner);
        if (memos != null) {
            owned.put(owner, without(memos, key));
        }
        remembered.remove(key);
    }

    /** Keeps {@code memo} with {@code owner}, replacing one with an equal key; the oldest goes when full. */
    private void keep(ParsedCertificate owner, Memo memo) {
        Memo[] memos = without(owned.getOrDefault(owner, NO_MEMOS), memo.key());
        int keep = Math.min(memos.length, MAX_MEMOS_PER_OWNER - 1);
        Memo[] next = new Memo[keep + 1];
        System.arraycopy(memos, memos.length - keep, next, 0, keep);
        next[keep] = memo;
        if (owned.size() >= MAX_PARSED) {
            owned.clear();
        }
        owned.put(owner, next);
    }

    private static Memo[] without(Memo[] memos, Key<?> key) {
        for (int i = 0; i < memos.length; i++) {
            if (memos[i].key().equals(key)) {
                Memo[] next = new Memo[memos.length - 1];
                System.arraycopy(memos, 0, next, 0, i);
                System.arraycopy(memos, i + 1, next, i, memos.length - i - 1);
                return next;
            }
        }
        return memos;
    }

    /** The value stored under {@code key}: only ever put there as a {@code T}, by the methods above. */
    @SuppressWarnings("unchecked")
    private static <T> T valueOf(Key<T> key, Object value) {
        return (T) value;
    }

    /** A self-issued certificate whose signature verifies with its own key. */
    boolean verifiesSelf(ParsedCertificate certificate) {
        Optional<PublicKey> key = certificate.publicKey().key();
        if (key.isEmpty() || !(certificate.signatureAlgorithm() instanceof SignatureAlgorithm.Known known)) {
            return false;
        }
        return verifies(certificate, key.get(), true, certificate, known.algorithm());
    }
}
