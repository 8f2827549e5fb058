package certgate.engine;

import certgate.dsl.policy.CompiledPolicy;
import certgate.engine.revocation.CrlSnapshots;
import certgate.engine.revocation.CrlStore;
import certgate.engine.revocation.StoredCrl;
import certgate.engine.x509.ParsedCertificate;
import certgate.engine.x509.Sha256;
import certgate.engine.x509.VerificationCache;
import certgate.eventstore.CrlFetchFailed;
import certgate.eventstore.PolicyActivated;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * Engine states written as bytes and read back: what lets a store open from a snapshot and replay only the events
 * after it. A snapshot is a cache, never the truth: what it holds is exactly what applying the events gave, in the
 * form that is cheapest to read back.
 *
 * <ul>
 * <li>CRLs in their indexed form ({@link CrlSnapshots}): the DER and the packed entry arrays are copied, not
 *     parsed, so a CRL of a million entries costs the time of reading its bytes;</li>
 * <li>CA certificates as DER (a few, parsed again), each with the CA profiles it was loaded under;</li>
 * <li>policies by revision and source, compiled again (and refused if the source no longer gives that
 *     revision); which one is active;</li>
 * <li>the loads the engine kept out, as they are.</li>
 * </ul>
 *
 * Several states can share one snapshot ({@link #write(List, OutputStream)}): a store's fold keeps, besides its
 * current state, the state each unanswered request was made in, and those share most CRLs, which are written
 * once. The verification cache is not written: it is speed, not state.
 *
 * <p>Format: a magic number, {@link #FORMAT_VERSION}, the parts above, and a CRC-32C of all of it. A snapshot of
 * another version, or whose checksum or structure does not check out, is refused with a
 * {@link SnapshotFormatException}; every length is bounded before anything is allocated for it.
 */
public final class Snapshot {
    /** Changes whenever what is written changes; a snapshot of another version is refused, never guessed at. */
    public static final int FORMAT_VERSION = 2;
    private static final int MAGIC = 0x43475331; // "CGS1"
    private static final int MAX_COUNT = 1 << 20;
    private static final int MAX_TEXT = 16 << 20;

    private Snapshot() {
    }

    /**
     * Writes {@code engines} to {@code out} (not closed, not buffered here: give it a buffered stream). Each CRL
     * and certificate shared by several of them is written once.
     */
    public static void write(List<Engine> engines, OutputStream out) throws IOException {
        Objects.requireNonNull(out, "out");
        CheckedOutputStream checked = new CheckedOutputStream(out, new CRC32C());
        DataOutputStream data = new DataOutputStream(checked);
        Map<Sha256, Integer> certificates = new LinkedHashMap<>();
        Map<StoredCrl, Integer> crls = new IdentityHashMap<>();
        List<StoredCrl> crlOrder = new ArrayList<>();
        Map<String, String> sources = new LinkedHashMap<>();
        List<ParsedCertificate> certificateOrder = new ArrayList<>();
        for (Engine engine : engines) {
            for (TrustStore.Entry entry : engine.trust().entries()) {
                if (certificates.putIfAbsent(entry.certificate().sha256(), certificates.size()) == null) {
                    certificateOrder.add(entry.certificate());
                }
            }
            for (StoredCrl crl : engine.crlStore().all()) {
                if (crls.putIfAbsent(crl, crls.size()) == null) {
                    crlOrder.add(crl);
                }
            }
            engine.policies().sources().forEach(sources::putIfAbsent);
        }
        data.writeInt(MAGIC);
        data.writeInt(FORMAT_VERSION);
        data.writeInt(certificateOrder.size());
        for (ParsedCertificate certificate : certificateOrder) {
            CrlSnapshots.writeBytes(data, certificate.der());
        }
        data.writeInt(crlOrder.size());
        for (StoredCrl crl : crlOrder) {
            CrlSnapshots.write(crl, data);
        }
        List<String> revisions = new ArrayList<>(sources.keySet());
        data.writeInt(revisions.size());
        for (String revision : revisions) {
            CrlSnapshots.writeString(data, revision);
            CrlSnapshots.writeString(data, sources.get(revision));
        }
        data.writeInt(engines.size());
        for (Engine engine : engines) {
            List<TrustStore.Entry> entries = engine.trust().entries();
            data.writeInt(entries.size());
            for (TrustStore.Entry entry : entries) {
                data.writeInt(certificates.get(entry.certificate().sha256()));
                data.writeInt(entry.profiles().size());
                for (String profile : entry.profiles().stream().sorted().toList()) {
                    CrlSnapshots.writeString(data, profile);
                }
            }
            List<StoredCrl> held = engine.crlStore().all();
            data.writeInt(held.size());
            for (StoredCrl crl : held) {
                data.writeInt(crls.get(crl));
            }
            data.writeInt(engine.rejectedLoads().size());
            for (LoadRejection rejection : engine.rejectedLoads()) {
                data.writeByte(rejection.kind().ordinal());
                CrlSnapshots.writeString(data, rejection.sha256());
                CrlSnapshots.writeString(data, rejection.origin());
                CrlSnapshots.writeString(data, rejection.problem());
            }
            ActivatedPolicies policies = engine.policies();
            List<String> known = policies.sources().keySet().stream().sorted().toList();
            data.writeInt(known.size());
            for (String revision : known) {
                data.writeInt(revisions.indexOf(revision));
            }
            data.writeInt(policies.active().map(policy -> revisions.indexOf(policy.revision())).orElse(-1));
            writeFetches(engine.fetches(), data);
        }
        data.flush();
        int crc = (int) checked.getChecksum().getValue();
        new DataOutputStream(out).writeInt(crc);
        out.flush();
    }

    /**
     * The states {@link #write} wrote, in the same order, sharing one new verification cache. Reads exactly the
     * snapshot's bytes from {@code in} (give it a buffered stream); refuses another format version, a checksum
     * that does not match, and any structure that does not check out.
     */
    public static List<Engine> read(InputStream in) throws SnapshotFormatException {
        Objects.requireNonNull(in, "in");
        CheckedInputStream checked = new CheckedInputStream(in, new CRC32C());
        DataInputStream data = new DataInputStream(checked);
        try {
            int magic = data.readInt();
            if (magic != MAGIC) {
                throw new SnapshotFormatException(String.format("not an engine snapshot (magic %08x)", magic));
            }
            int version = data.readInt();
            if (version != FORMAT_VERSION) {
                throw new SnapshotFormatException("an engine snapshot of format version " + version
                        + "; this release reads version " + FORMAT_VERSION);
            }
            List<Engine> engines = readParts(data);
            long computed = checked.getChecksum().getValue();
            int stored = new DataInputStream(in).readInt();
            if ((int) computed != stored) {
                throw new SnapshotFormatException(String.format("engine snapshot checksum %08x does not match its"
                        + " content (%08x): damaged", stored, (int) computed));
            }
            return engines;
        } catch (EOFException e) {
            throw new SnapshotFormatException("the engine snapshot ends early: truncated", e);
        } catch (IOException e) {
            throw new SnapshotFormatException("the engine snapshot does not read back: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new SnapshotFormatException("the engine snapshot does not read back: " + e, e);
        }
    }

    private static List<Engine> readParts(DataInputStream data) throws IOException, SnapshotFormatException {
        VerificationCache cache = new VerificationCache();
        int certificateCount = count(data, "certificates");
        List<ParsedCertificate> certificates = new ArrayList<>(certificateCount);
        for (int i = 0; i < certificateCount; i++) {
            byte[] der = CrlSnapshots.readBytes(data, 1 << 20, "certificate");
            VerificationCache.Parse parse = cache.parse(Sha256.of(der), () -> der);
            if (!(parse instanceof VerificationCache.Parsed parsed)) {
                throw new SnapshotFormatException("certificate " + i + " of the snapshot does not parse: "
                        + ((VerificationCache.Malformed) parse).problem());
            }
            certificates.add(parsed.certificate());
        }
        int crlCount = count(data, "CRLs");
        List<StoredCrl> crls = new ArrayList<>(crlCount);
        for (int i = 0; i < crlCount; i++) {
            crls.add(CrlSnapshots.read(data));
        }
        int policyCount = count(data, "policies");
        List<String> revisions = new ArrayList<>(policyCount);
        List<String> sources = new ArrayList<>(policyCount);
        Map<String, CompiledPolicy> compiled = new HashMap<>();
        for (int i = 0; i < policyCount; i++) {
            String revision = CrlSnapshots.readString(data, 256, "policy revision");
            String source = CrlSnapshots.readString(data, MAX_TEXT, "policy source");
            ActivatedPolicies.Activation activation = ActivatedPolicies.compile(new PolicyActivated(revision, source));
            if (!(activation instanceof ActivatedPolicies.Compiled policy)) {
                throw new SnapshotFormatException("policy revision " + revision + " of the snapshot does not compile"
                        + " again: " + ((ActivatedPolicies.Refused) activation).problem());
            }
            revisions.add(revision);
            sources.add(source);
            compiled.put(revision, policy.policy());
        }
        int engineCount = count(data, "states");
        List<Engine> engines = new ArrayList<>(engineCount);
        for (int e = 0; e < engineCount; e++) {
            TrustStore trust = TrustStore.EMPTY;
            int entries = count(data, "CA certificates");
            for (int i = 0; i < entries; i++) {
                ParsedCertificate certificate = certificates.get(index(data, certificates.size(), "certificate"));
                int profiles = count(data, "CA profiles");
                for (int p = 0; p < profiles; p++) {
                    trust = trust.with(certificate, CrlSnapshots.readString(data, MAX_TEXT, "CA profile"));
                }
            }
            CrlStore store = CrlStore.empty();
            int held = count(data, "CRLs held");
            for (int i = 0; i < held; i++) {
                store = store.with(crls.get(index(data, crls.size(), "CRL")));
            }
            int rejectionCount = count(data, "rejected loads");
            List<LoadRejection> rejections = new ArrayList<>(rejectionCount);
            for (int i = 0; i < rejectionCount; i++) {
                int kind = data.readUnsignedByte();
                if (kind >= LoadRejection.Kind.values().length) {
                    throw new SnapshotFormatException("a rejected load of kind " + kind);
                }
                rejections.add(new LoadRejection(LoadRejection.Kind.values()[kind],
                        CrlSnapshots.readString(data, MAX_TEXT, "rejection digest"),
                        CrlSnapshots.readString(data, MAX_TEXT, "rejection origin"),
                        CrlSnapshots.readString(data, MAX_TEXT, "rejection problem")));
            }
            ActivatedPolicies policies = ActivatedPolicies.NONE;
            int known = count(data, "known policies");
            for (int i = 0; i < known; i++) {
                int at = index(data, revisions.size(), "policy");
                policies = policies.known(compiled.get(revisions.get(at)), sources.get(at));
            }
            int active = data.readInt();
            if (active != -1) {
                if (active < 0 || active >= revisions.size()) {
                    throw new SnapshotFormatException("active policy " + active + " of " + revisions.size());
                }
                policies = policies.with(compiled.get(revisions.get(active)), sources.get(active));
            }
            engines.add(Engine.restored(trust, store, rejections, cache, policies, readFetches(data)));
        }
        return engines;
    }

    // What the log says of fetching each CA's CRL (CrlFetches): state like the rest, so freshness and the sources
    // a trace names are the same after a snapshot as after a full replay.
    private static void writeFetches(CrlFetches fetches, DataOutputStream data) throws IOException {
        List<String> issuers = fetches.byIssuer().keySet().stream().sorted().toList();
        data.writeInt(issuers.size());
        for (String issuer : issuers) {
            CrlFetches.OfIssuer of = fetches.byIssuer().get(issuer);
            CrlSnapshots.writeString(data, issuer);
            data.writeBoolean(of.lastChecked().isPresent());
            if (of.lastChecked().isPresent()) {
                writeInstant(data, of.lastChecked().get());
            }
            data.writeBoolean(of.lastFailure().isPresent());
            if (of.lastFailure().isPresent()) {
                CrlFetchFailed failure = of.lastFailure().get();
                CrlSnapshots.writeString(data, failure.url());
                CrlSnapshots.writeString(data, failure.issuer());
                CrlSnapshots.writeString(data, failure.reason().name());
                writeInstant(data, failure.at());
                data.writeInt(failure.status());
                CrlSnapshots.writeString(data, failure.detail());
            }
            data.writeInt(of.attempts().size());
            for (CrlFetches.Attempt attempt : of.attempts()) {
                CrlSnapshots.writeString(data, attempt.url());
                writeInstant(data, attempt.at());
                CrlSnapshots.writeString(data, attempt.outcome());
            }
            data.writeInt(of.previous().size());
            for (CrlNeed.Previous previous : of.previous()) {
                CrlSnapshots.writeString(data, previous.url());
                writeOptional(data, previous.etag());
                writeOptional(data, previous.lastModified());
                CrlSnapshots.writeString(data, previous.crlSha256());
            }
        }
    }

    private static CrlFetches readFetches(DataInputStream data) throws IOException, SnapshotFormatException {
        int issuers = count(data, "CAs with fetches");
        Map<String, CrlFetches.OfIssuer> byIssuer = new HashMap<>();
        for (int i = 0; i < issuers; i++) {
            String issuer = CrlSnapshots.readString(data, MAX_TEXT, "fetch issuer");
            Optional<Instant> lastChecked = data.readBoolean() ? Optional.of(readInstant(data)) : Optional.empty();
            Optional<CrlFetchFailed> lastFailure = Optional.empty();
            if (data.readBoolean()) {
                String url = CrlSnapshots.readString(data, MAX_TEXT, "failed fetch URL");
                String failedIssuer = CrlSnapshots.readString(data, MAX_TEXT, "failed fetch issuer");
                String code = CrlSnapshots.readString(data, 64, "failed fetch reason");
                CrlFetchFailed.Code reason;
                try {
                    reason = CrlFetchFailed.Code.valueOf(code);
                } catch (IllegalArgumentException e) {
                    throw new SnapshotFormatException("a failed fetch of reason " + code);
                }
                lastFailure = Optional.of(new CrlFetchFailed(url, failedIssuer, reason, readInstant(data),
                        data.readInt(), CrlSnapshots.readString(data, MAX_TEXT, "failed fetch detail")));
            }
            int attemptCount = count(data, "fetch attempts");
            List<CrlFetches.Attempt> attempts = new ArrayList<>(attemptCount);
            for (int a = 0; a < attemptCount; a++) {
                attempts.add(new CrlFetches.Attempt(CrlSnapshots.readString(data, MAX_TEXT, "attempt URL"),
                        readInstant(data), CrlSnapshots.readString(data, MAX_TEXT, "attempt outcome")));
            }
            int previousCount = count(data, "fetch validators");
            List<CrlNeed.Previous> previous = new ArrayList<>(previousCount);
            for (int p = 0; p < previousCount; p++) {
                previous.add(new CrlNeed.Previous(CrlSnapshots.readString(data, MAX_TEXT, "validator URL"),
                        readOptional(data), readOptional(data), CrlSnapshots.readString(data, 128, "CRL digest")));
            }
            byIssuer.put(issuer, new CrlFetches.OfIssuer(lastChecked, lastFailure, List.copyOf(attempts),
                    List.copyOf(previous)));
        }
        return CrlFetches.restored(byIssuer);
    }

    private static void writeInstant(DataOutputStream data, Instant at) throws IOException {
        data.writeLong(at.getEpochSecond());
        data.writeInt(at.getNano());
    }

    private static Instant readInstant(DataInputStream data) throws IOException, SnapshotFormatException {
        long seconds = data.readLong();
        int nanos = data.readInt();
        try {
            return Instant.ofEpochSecond(seconds, nanos);
        } catch (java.time.DateTimeException | ArithmeticException e) {
            throw new SnapshotFormatException("a time out of range: " + seconds + " s " + nanos + " ns");
        }
    }

    private static void writeOptional(DataOutputStream data, Optional<String> text) throws IOException {
        data.writeBoolean(text.isPresent());
        if (text.isPresent()) {
            CrlSnapshots.writeString(data, text.get());
        }
    }

    private static Optional<String> readOptional(DataInputStream data) throws IOException {
        return data.readBoolean() ? Optional.of(CrlSnapshots.readString(data, MAX_TEXT, "validator")) : Optional.empty();
    }

    private static int count(DataInputStream data, String what) throws IOException, SnapshotFormatException {
        int count = data.readInt();
        if (count < 0 || count > MAX_COUNT) {
            throw new SnapshotFormatException("a count of " + count + " " + what);
        }
        return count;
    }

    private static int index(DataInputStream data, int size, String what) throws IOException,
            SnapshotFormatException {
        int index = data.readInt();
        if (index < 0 || index >= size) {
            throw new SnapshotFormatException(what + " " + index + " of " + size);
        }
        return index;
    }
}
