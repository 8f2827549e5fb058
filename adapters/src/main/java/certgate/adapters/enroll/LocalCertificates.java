package certgate.adapters.enroll;

import certgate.dsl.LoadedLocalCertificates;
import certgate.dsl.policy.CompiledPolicy;
import certgate.dsl.policy.Gateway;
import certgate.dsl.policy.IdentityType;
import certgate.dsl.policy.LocalCertificate;
import certgate.dsl.policy.LocalIdentity;
import certgate.engine.Decision;
import certgate.engine.Engine;
import certgate.engine.trace.TraceStep;
import certgate.eventstore.Blob;
import certgate.eventstore.IkeIdentity;
import certgate.eventstore.LocalCertificateLoaded;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.ValidationSettings;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * The gateway's own (local) certificate, the one it presents in IKE phase 1: what it says (for {@code replay} and
 * {@code status}), and whether it may be loaded. It may when three checks pass, in this order:
 *
 * <ol>
 *   <li>key: its public key is the gateway's key pair's (a certificate for another key is useless to it);</li>
 *   <li>gateway, identity, local-certificate (only for a named gateway, when the store has an active policy): the
 *       policy has that gateway; the certificate holds the gateway's local-identity, the IKE ID its peers look it
 *       up by and then find in the certificate (ip, fqdn and ufqdn in subjectAltName, dn as the subject); and it
 *       is the certificate the gateway's local-certificate names, if it names one;</li>
 *   <li>validity: it is valid now (notBefore to notAfter);</li>
 *   <li>chain: it chains to a CA certificate already loaded in the store, validated as the engine validates a
 *       peer's certificate (partial path validation, at most 7 CA levels, every CA valid now), revocation not
 *       checked: a peer checks that against its own CRLs.</li>
 * </ol>
 */
public final class LocalCertificates {
    /** The settings the chain check decides under: the Junos defaults, revocation left to the peers. */
    private static final ValidationSettings CHAIN_CHECK = new ValidationSettings(
            ValidationSettings.RevocationCheck.DISABLE, ValidationSettings.OnDownloadFailure.REJECT,
            ValidationSettings.PathValidation.PARTIAL, 7, false, Duration.ZERO);

    private LocalCertificates() {
    }

    /** What a local certificate says, as a person reads it: names in RFC 4514 order, serial in hex. */
    public record Described(String subject, String issuer, String serialHex, Instant notBefore, Instant notAfter,
                            String sha256) {
        public Described {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(issuer, "issuer");
            Objects.requireNonNull(serialHex, "serialHex");
            Objects.requireNonNull(notBefore, "notBefore");
            Objects.requireNonNull(notAfter, "notAfter");
            Objects.requireNonNull(sha256, "sha256");
        }

        /** Whole days from {@code now} to notAfter, negative once it has expired. */
        public long daysToExpiry(Instant now) {
            return Math.floorDiv(Duration.between(now, notAfter).getSeconds(), 86_400);
        }
    }

    /** The outcome of {@link #check}. */
    public sealed interface Outcome permits Accepted, AlreadyLoaded, Refused {
        String message();
    }

    /** To be appended as {@code event}. */
    public record Accepted(LocalCertificateLoaded event, Described certificate, String message) implements Outcome {
    }

    /** The store holds this certificate for this gateway already: nothing to append. */
    public record AlreadyLoaded(Described certificate, String message) implements Outcome {
    }

    /**
     * Not to be loaded: {@code check} ({@code key}, {@code gateway}, {@code identity}, {@code local-certificate},
     * {@code validity} or {@code chain}) failed.
     */
    public record Refused(String check, String message) implements Outcome {
    }

    /**
     * Reads a certificate that {@code certgate.adapters.pem.PkiFiles} already checked.
     *
     * @throws EnrollException when BouncyCastle cannot read it after all
     */
    public static Described describe(Blob certificate) throws EnrollException {
        try {
            X509CertificateHolder holder = new X509CertificateHolder(certificate.bytes());
            return new Described(Names.fromX500(holder.getSubject()).toString(),
                    Names.fromX500(holder.getIssuer()).toString(),
                    HexFormat.of().formatHex(holder.getSerialNumber().toByteArray()),
                    holder.getNotBefore().toInstant(), holder.getNotAfter().toInstant(), certificate.sha256Hex());
        } catch (IOException | RuntimeException e) {
            throw new EnrollException("not an X.509 certificate: " + e.getMessage(), e);
        }
    }

    /**
     * What a local certificate says that a policy's local-identity and local-certificate refer to: its SHA-256,
     * subject and the IKE IDs in its subjectAltName.
     *
     * @throws EnrollException when BouncyCastle cannot read it after all
     */
    public static LoadedLocalCertificates.Loaded loaded(Blob certificate) throws EnrollException {
        try {
            X509CertificateHolder holder = new X509CertificateHolder(certificate.bytes());
            List<LocalIdentity> names = new ArrayList<>();
            GeneralNames general = GeneralNames.fromExtensions(holder.getExtensions(),
                    Extension.subjectAlternativeName);
            if (general != null) {
                for (GeneralName name : general.getNames()) {
                    Names.fromGeneralName(name).flatMap(LocalCertificates::localIdentity).ifPresent(names::add);
                }
            }
            return new LoadedLocalCertificates.Loaded(certificate.sha256Hex(), Names.fromX500(holder.getSubject()),
                    names);
        } catch (IOException | RuntimeException e) {
            throw new EnrollException("not an X.509 certificate: " + e.getMessage(), e);
        }
    }

    /** An IKE ID as the policy language's local identity of its type, in normal form. */
    static Optional<LocalIdentity> localIdentity(IkeIdentity id) {
        IdentityType type = switch (id.type()) {
            case IP -> IdentityType.IP;
            case FQDN -> IdentityType.FQDN;
            case UFQDN -> IdentityType.UFQDN;
            case DN -> IdentityType.DN;
        };
        return LocalIdentity.of(type, id.value());
    }

    /** The checks a named gateway of the store's active policy asks for; none without either. */
    private static Optional<Refused> policyChecks(Engine state, Blob certificate, Optional<String> gateway)
            throws EnrollException {
        Optional<CompiledPolicy> policy = state.activePolicy();
        if (gateway.isEmpty() || policy.isEmpty()) {
            return Optional.empty();
        }
        String revision = "the active policy (revision " + policy.get().revision().substring(0, 12) + ")";
        Optional<Gateway> configured = policy.get().gateway(gateway.get());
        if (configured.isEmpty()) {
            return Optional.of(new Refused("gateway", revision + " has no gateway named '" + gateway.get()
                    + "'; its gateways: " + String.join(", ", policy.get().gateways().stream().map(Gateway::name)
                    .toList())));
        }
        LoadedLocalCertificates.Loaded loaded = loaded(certificate);
        Optional<LocalIdentity> identity = configured.get().localIdentity();
        if (identity.isPresent() && !loaded.holds(identity.get())) {
            String has = identity.get().type() == IdentityType.DN ? "its subject is '" + loaded.subject() + "'"
                    : loaded.subjectAltNames().isEmpty() ? "it has no IP, FQDN or e-mail subjectAltName"
                    : "its subjectAltName holds " + String.join(", ", loaded.subjectAltNames().stream()
                    .map(LocalIdentity::toString).toList());
            return Optional.of(new Refused("identity", "gateway " + gateway.get() + " presents the local-identity "
                    + identity.get() + " in " + revision + ", which its peers look for in its certificate, but "
                    + has + ": request one with 'certgate request --gateway " + gateway.get() + " --policy FILE'"));
        }
        Optional<LocalCertificate> named = configured.get().localCertificate();
        if (named.isPresent() && !named.get().names(loaded.sha256(), loaded.subject())) {
            return Optional.of(new Refused("local-certificate", "gateway " + gateway.get() + "'s local-certificate"
                    + " in " + revision + " is the one with " + named.get() + "; this certificate has subject '"
                    + loaded.subject() + "' and sha256 " + loaded.sha256()));
        }
        return Optional.empty();
    }

    /**
     * Whether {@code certificate} may be loaded as the local certificate of the gateway whose key pair is
     * {@code key}, in a store whose state is {@code state} and which holds {@code loaded} already.
     */
    public static Outcome check(Engine state, List<LocalCertificateLoaded> loaded, Blob certificate,
            GatewayKey key, Optional<String> gateway, Instant now) throws EnrollException {
        Described described = describe(certificate);
        byte[] certificateKey;
        try {
            certificateKey = new X509CertificateHolder(certificate.bytes()).getSubjectPublicKeyInfo().getEncoded();
        } catch (IOException | RuntimeException e) {
            throw new EnrollException("not an X.509 certificate: " + e.getMessage(), e);
        }
        if (!Arrays.equals(certificateKey, key.subjectPublicKeyInfo())) {
            return new Refused("key", "the certificate's public key (sha256 "
                    + GatewayKey.sha256Hex(certificateKey).substring(0, 16) + ") is not the key pair's (sha256 "
                    + key.fingerprint().substring(0, 16) + "): it was issued for another key");
        }
        Optional<Refused> policyRefusal = policyChecks(state, certificate, gateway);
        if (policyRefusal.isPresent()) {
            return policyRefusal.get();
        }
        if (now.isAfter(described.notAfter())) {
            return new Refused("validity", "the certificate expired at " + described.notAfter() + " (now "
                    + now + ")");
        }
        if (now.isBefore(described.notBefore())) {
            return new Refused("validity", "the certificate is not valid before " + described.notBefore()
                    + " (now " + now + ")");
        }
        Decision decision = state.decide(new ValidationRequested("local-certificate", certificate, List.of(),
                Optional.empty(), now, CHAIN_CHECK, Optional.empty(), Optional.empty()));
        if (!decision.accepted()) {
            String detail = decision.trace().stream().filter(step -> step.outcome() == TraceStep.Outcome.FAIL)
                    .map(TraceStep::detail).findFirst().orElse("");
            String what = switch (decision.reason()) {
                case NO_TRUSTED_PATH -> "it does not chain to a CA certificate loaded in the store ('certgate"
                        + " load ca' its issuer first)";
                default -> "its path to the store's CA certificates does not validate";
            };
            return new Refused("chain", what + ": " + decision.reason() + (detail.isEmpty() ? "" : ": " + detail));
        }
        LocalCertificateLoaded event = new LocalCertificateLoaded(certificate, gateway);
        if (loaded.contains(event)) {
            return new AlreadyLoaded(described, "already loaded" + gateway.map(g -> " for gateway " + g).orElse(""));
        }
        return new Accepted(event, described, "key sha256 " + key.fingerprint().substring(0, 16)
                + ", chains to " + decision.path().get(decision.path().size() - 1).subject() + ", valid until "
                + described.notAfter());
    }
}
