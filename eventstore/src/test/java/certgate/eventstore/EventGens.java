package certgate.eventstore;

import certgate.testkit.Gen;
import certgate.testkit.Gens;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Generators for events: random blobs, ids, optionals, instants and settings. Lists of events draw their blobs
 * from a small pool, so that stores built from them refer to one certificate from many events.
 */
public final class EventGens {
    private EventGens() {
    }

    /** Strings of 0..maxLength code points: ASCII mostly, with controls, accents, CJK and astral characters. */
    public static Gen<String> text(int maxLength) {
        return random -> {
            int length = random.nextInt(maxLength + 1);
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < length; i++) {
                int kind = random.nextInt(10);
                int codePoint = switch (kind) {
                    case 0 -> random.nextInt(0x20);
                    case 1 -> 0xa0 + random.nextInt(0x100);
                    case 2 -> 0x4e00 + random.nextInt(0x1000);
                    case 3 -> 0x1f600 + random.nextInt(0x50);
                    default -> 0x20 + random.nextInt(0x5f);
                };
                out.appendCodePoint(codePoint);
            }
            return out.toString();
        };
    }

    public static Gen<Blob> blobs() {
        return Gens.bytes(0, 600).map(Blob::of);
    }

    public static Gen<Instant> instants() {
        return random -> switch (random.nextInt(4)) {
            case 0 -> Instant.ofEpochSecond(random.nextLong(Instant.MIN.getEpochSecond(),
                    Instant.MAX.getEpochSecond()), random.nextInt(1_000_000_000));
            case 1 -> Instant.EPOCH;
            default -> Instant.ofEpochSecond(1_500_000_000L + random.nextInt(400_000_000),
                    random.nextInt(3) == 0 ? 0 : random.nextInt(1_000_000_000));
        };
    }

    public static Gen<ValidationSettings> settings() {
        return random -> random.nextInt(3) == 0 ? ValidationSettings.DEFAULTS : new ValidationSettings(
                pick(random, ValidationSettings.RevocationCheck.values()),
                pick(random, ValidationSettings.OnDownloadFailure.values()),
                pick(random, ValidationSettings.PathValidation.values()),
                1 + random.nextInt(16),
                random.nextBoolean(),
                Duration.ofSeconds(random.nextInt(100_000),
                        random.nextInt(2) == 0 ? 0 : random.nextInt(1_000_000_000)));
    }

    public static Gen<IkeIdentity> identities() {
        return random -> new IkeIdentity(pick(random, IkeIdentity.Type.values()),
                "x" + text(40).generate(random));
    }

    /** Any event, with blobs drawn from {@code pool}. */
    public static Gen<Event> events(List<Blob> pool) {
        Gen<String> text = text(30);
        return random -> switch (random.nextInt(15)) {
            case 9 -> checkpoint(random);
            case 11 -> new CrlLoaded(pick(random, pool), text.generate(random), Optional.of(new CrlLoaded.Fetch(
                    instants().generate(random), random.nextInt(600), optionalText(random), optionalText(random))));
            case 12 -> new CrlFetchFailed(text.generate(random), text.generate(random),
                    pick(random, CrlFetchFailed.Code.values()), instants().generate(random), random.nextInt(600),
                    text(200).generate(random));
            case 13 -> new CrlUnchanged(text.generate(random), text.generate(random), sha256Hex(random),
                    instants().generate(random), random.nextInt(600), optionalText(random), optionalText(random));
            case 14 -> ocspAnswered(random);
            case 0 -> new PolicyActivated(text.generate(random), text(400).generate(random));
            case 5 -> new PolicyRecorded(text.generate(random), text(400).generate(random));
            case 1 -> new CaCertificateLoaded(text.generate(random), pick(random, pool));
            case 2 -> new CrlLoaded(pick(random, pool), text.generate(random));
            case 3 -> request(random, pool);
            case 4 -> repaired(random);
            case 6 -> new KeyPairGenerated(pick(random, pool), text.generate(random), text.generate(random));
            case 7 -> requestGenerated(random);
            case 8 -> new LocalCertificateLoaded(pick(random, pool),
                    random.nextBoolean() ? Optional.of(text.generate(random)) : Optional.empty());
            default -> new ValidationDecided(text.generate(random), pick(random, Verdict.values()),
                    pick(random, Reason.values()));
        };
    }

    /** Lists of 0..maxSize events over a pool of 1..4 random blobs. */
    public static Gen<List<Event>> eventLists(int maxSize) {
        return random -> {
            List<Blob> pool = blobPool(random, 1 + random.nextInt(4));
            Gen<Event> events = events(pool);
            int size = random.nextInt(maxSize + 1);
            List<Event> out = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                out.add(events.generate(random));
            }
            return List.copyOf(out);
        };
    }

    /** Non-empty batches of events (1..maxBatch each), over one blob pool. */
    public static Gen<List<List<Event>>> batches(int maxBatches, int maxBatch) {
        return random -> {
            List<Blob> pool = blobPool(random, 1 + random.nextInt(4));
            Gen<Event> events = events(pool);
            int count = 1 + random.nextInt(maxBatches);
            List<List<Event>> out = new ArrayList<>();
            for (int b = 0; b < count; b++) {
                int size = 1 + random.nextInt(maxBatch);
                List<Event> batch = new ArrayList<>();
                for (int i = 0; i < size; i++) {
                    batch.add(events.generate(random));
                }
                out.add(List.copyOf(batch));
            }
            return List.copyOf(out);
        };
    }

    public static List<Blob> blobPool(SplittableRandom random, int size) {
        List<Blob> pool = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            pool.add(blobs().generate(random));
        }
        return List.copyOf(pool);
    }

    private static ValidationRequested request(SplittableRandom random, List<Blob> pool) {
        int chainLength = random.nextInt(4);
        List<Blob> chain = new ArrayList<>();
        for (int i = 0; i < chainLength; i++) {
            chain.add(pick(random, pool));
        }
        Gen<String> text = text(30);
        return new ValidationRequested(
                text.generate(random),
                pick(random, pool),
                chain,
                random.nextBoolean() ? Optional.of(identities().generate(random)) : Optional.empty(),
                instants().generate(random),
                settings().generate(random),
                random.nextBoolean() ? Optional.of(text.generate(random)) : Optional.empty(),
                random.nextBoolean() ? Optional.of(text(64).generate(random)) : Optional.empty());
    }

    private static CheckpointSigned checkpoint(SplittableRandom random) {
        byte[] signature = new byte[random.nextInt(4) == 0 ? 1 + random.nextInt(CheckpointSigned.MAX_SIGNATURE_BYTES)
                : 64];
        random.nextBytes(signature);
        return new CheckpointSigned(random.nextLong(0, Long.MAX_VALUE), sha256Hex(random), sha256Hex(random),
                Base64.getEncoder().encodeToString(signature));
    }

    private static OcspAnswered ocspAnswered(SplittableRandom random) {
        int hashLength = random.nextBoolean() ? 20 : 1 + random.nextInt(OcspAnswered.MAX_HASH_BYTES);
        String[] algorithms = {"1.3.14.3.2.26", "2.16.840.1.101.3.4.2.1", "1.2.840.113549.1.1.5"};
        BigInteger serial = switch (random.nextInt(3)) {
            case 0 -> BigInteger.valueOf(random.nextLong());
            case 1 -> {
                byte[] bytes = new byte[1 + random.nextInt(20)];
                random.nextBytes(bytes);
                yield new BigInteger(bytes);
            }
            default -> BigInteger.ZERO.subtract(BigInteger.valueOf(random.nextInt(1000)));
        };
        return new OcspAnswered(pick(random, algorithms), hex(random, hashLength), hex(random, hashLength), serial,
                pick(random, OcspAnswered.Status.values()),
                random.nextBoolean() ? Optional.of(sha256Hex(random)) : Optional.empty());
    }

    private static String hex(SplittableRandom random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static Optional<String> optionalText(SplittableRandom random) {
        return random.nextBoolean() ? Optional.of(text(40).generate(random)) : Optional.empty();
    }

    private static String sha256Hex(SplittableRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static CertificateRequestGenerated requestGenerated(SplittableRandom random) {
        Gen<String> text = text(30);
        IkeIdentity.Type[] types = {IkeIdentity.Type.IP, IkeIdentity.Type.FQDN, IkeIdentity.Type.UFQDN};
        List<IkeIdentity> names = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            names.add(new IkeIdentity(pick(random, types), text.generate(random)));
        }
        return new CertificateRequestGenerated(text(60).generate(random), names, text(64).generate(random),
                text(64).generate(random), text.generate(random));
    }

    private static LogRepaired repaired(SplittableRandom random) {
        Gen<String> text = text(30);
        List<String> files = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            files.add(text.generate(random));
        }
        long firstLost = random.nextLong(0, 1L << 40);
        return new LogRepaired(text.generate(random), files, firstLost, firstLost + random.nextLong(0, 1000),
                text(200).generate(random));
    }

    private static <T> T pick(SplittableRandom random, T[] values) {
        return values[random.nextInt(values.length)];
    }

    private static <T> T pick(SplittableRandom random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
