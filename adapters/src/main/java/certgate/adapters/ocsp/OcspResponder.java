package certgate.adapters.ocsp;

import certgate.engine.CrlStatus;
import certgate.engine.Engine;
import certgate.engine.LoadedCrl;
import certgate.eventstore.OcspAnswered;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ocsp.RevokedInfo;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;

/**
 * Turns an OCSP request into the response certgate sends and the {@link OcspAnswered} events to record first.
 *
 * <p>Each CertID is matched against the CAs of the state (SHA-1 or SHA-256 hashes of name and key). The answer
 * comes from the CA's CRLs as the engine reads them ({@link Engine#crlStatus}): {@code revoked}, with the time and
 * reason of the entry, when any of them lists the serial (stale or not: fail closed); {@code good} when the CRL in
 * force does not list it and is current now; otherwise the CA has no usable or current CRL, and the whole
 * response is {@code tryLater} (unsigned, RFC 6960 4.2.1). thisUpdate and nextUpdate are the CRL's. An issuer
 * certgate does not hold, or one whose responder is not the one signing this response, gets {@code unknown}
 * (RFC 6960 2.2: not served by this responder). The response is signed by the delegated responder of the first
 * CA asked about that has one, or by the first responder given when none has.
 */
final class OcspResponder {
    /**
     * A response and what to record before sending it (nothing for a malformed request), with what a cache may
     * know of it (RFC 5019 6): empty for an unsigned response, one with a nonce, or one with an answer that has no
     * nextUpdate.
     */
    record Reply(byte[] response, List<OcspAnswered> answers, String summary, Optional<Freshness> freshness) {
        Reply {
            answers = List.copyOf(answers);
        }

        Reply(byte[] response, List<OcspAnswered> answers, String summary) {
            this(response, answers, summary, Optional.empty());
        }
    }

    /**
     * How long a signed response without a nonce stays right, for HTTP caches: the latest thisUpdate and the
     * earliest nextUpdate of its answers, and the SHA-256 of its bytes (hex) as its entity tag.
     */
    record Freshness(Instant thisUpdate, Instant nextUpdate, String sha256) {
    }

    /**
     * A request as remembered between calls: parsed, and for one CertID without a nonce (what a gateway sends, the
     * cacheable kind), its issuer key and its CertID's DER, the keys of the lookups that answer it again.
     */
    private record Known(OcspRequest request, IssuerIndex.Key issuer, ByteBuffer certId) {
        boolean cacheable() {
            return certId != null;
        }
    }

    /** The answer for one CertID, before it is encoded. */
    private record Answer(CertificateID id, OcspAnswered.Status status, Optional<LoadedCrl> crl,
                          Optional<CrlStatus.Revoked> revoked, Optional<IssuerIndex.Ca> ca) {
    }

    private static final byte[] MALFORMED = unsigned(OCSPRespBuilder.MALFORMED_REQUEST);
    private static final byte[] TRY_LATER = unsigned(OCSPRespBuilder.TRY_LATER);
    private static final byte[] INTERNAL_ERROR = unsigned(OCSPRespBuilder.INTERNAL_ERROR);

    /** Requests remembered parsed: a gateway asks the same bytes again and again (no nonce). */
    private static final int MAX_PARSED = 100_000;

    private final OcspResponders responders;
    private final SignedResponses cache = new SignedResponses();
    private final ConcurrentHashMap<ByteBuffer, Known> parsed = new ConcurrentHashMap<>();
    private volatile IssuerIndex index;

    OcspResponder(OcspResponders responders) {
        this.responders = responders;
    }

    /** The unsigned response that says certgate failed: nothing was recorded, nothing is answered. */
    static byte[] internalError() {
        return INTERNAL_ERROR.clone();
    }

    /**
     * The response to {@code der} in {@code state} at {@code now}. A request seen before (same bytes, no nonce)
     * costs two hash lookups when its signed answer is still right: no parse, no re-encoding.
     */
    Reply respond(Engine state, byte[] der, Instant now) {
        Known known = parsed.get(ByteBuffer.wrap(der));
        if (known == null) {
            try {
                known = known(OcspRequest.parse(der));
            } catch (OcspRequest.Malformed e) {
                return new Reply(MALFORMED, List.of(), "malformedRequest: " + e.getMessage());
            }
            if (known.request().nonce().isEmpty()) {
                if (parsed.size() >= MAX_PARSED) {
                    parsed.clear();
                }
                parsed.put(ByteBuffer.wrap(der.clone()), known);
            }
        }
        IssuerIndex issuers = index(state);
        Instant at = now.truncatedTo(ChronoUnit.SECONDS);
        Optional<IssuerIndex.Ca> issuer = known.cacheable() ? issuers.find(known.issuer()) : Optional.empty();
        if (issuer.isPresent()) {
            SignedResponses.Signed cached = cache.find(known.certId(), issuer.get(), at);
            if (cached != null) {
                return new Reply(cached.response(), cached.answers(), "cached", cached.freshness());
            }
        }
        OcspRequest request = known.request();
        Responder signer = signer(request, issuers);
        List<Answer> answers = new ArrayList<>();
        for (CertificateID id : request.certIds()) {
            answers.add(answer(id, issuers, signer, at));
        }
        List<OcspAnswered> events = answers.stream().map(OcspResponder::event).toList();
        if (answers.stream().anyMatch(answer -> answer.status() == OcspAnswered.Status.TRY_LATER)) {
            return new Reply(TRY_LATER, events, "tryLater");
        }
        byte[] response = sign(answers, request, signer, at);
        Optional<Freshness> freshness = request.nonce().isPresent() ? Optional.empty() : freshness(answers, response);
        if (known.cacheable()) {
            Answer only = answers.get(0);
            if (only.ca().isPresent() && only.status() != OcspAnswered.Status.UNKNOWN) {
                cache.keep(known.certId(), new SignedResponses.Signed(response, events, freshness,
                        only.ca().get().sha256(), only.ca().get().crls(),
                        only.status() == OcspAnswered.Status.GOOD ? only.crl().flatMap(LoadedCrl::nextUpdate)
                                : Optional.empty()));
            }
        }
        return new Reply(response, events, "signed", freshness);
    }

    private static Known known(OcspRequest request) {
        if (request.certIds().size() != 1 || request.nonce().isPresent()) {
            return new Known(request, null, null);
        }
        CertificateID id = request.certIds().get(0);
        return new Known(request, key(id), ByteBuffer.wrap(encoded(id)));
    }

    /** What caches may know of {@code response}: empty when any answer has no nextUpdate (unknown, say). */
    private static Optional<Freshness> freshness(List<Answer> answers, byte[] response) {
        Instant thisUpdate = null;
        Instant nextUpdate = null;
        for (Answer answer : answers) {
            Optional<Instant> next = answer.status() == OcspAnswered.Status.UNKNOWN ? Optional.empty()
                    : answer.crl().flatMap(LoadedCrl::nextUpdate);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            Instant made = answer.crl().orElseThrow().thisUpdate();
            thisUpdate = thisUpdate == null || made.isAfter(thisUpdate) ? made : thisUpdate;
            nextUpdate = nextUpdate == null || next.get().isBefore(nextUpdate) ? next.get() : nextUpdate;
        }
        return Optional.of(new Freshness(thisUpdate, nextUpdate, OcspAnswered.hex(sha256(response))));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Answers kept for reuse, for tests and figures. */
    int cached() {
        return cache.size();
    }

    private IssuerIndex index(Engine state) {
        IssuerIndex current = index;
        if (current == null || !current.isOf(state)) {
            current = IssuerIndex.of(state);
            index = current;
        }
        return current;
    }

    private Responder signer(OcspRequest request, IssuerIndex issuers) {
        for (CertificateID id : request.certIds()) {
            Optional<Responder> responder = issuers.find(key(id)).flatMap(ca -> responders.forCa(ca.sha256()));
            if (responder.isPresent()) {
                return responder.get();
            }
        }
        return responders.fallback();
    }

    private static Answer answer(CertificateID id, IssuerIndex issuers, Responder signer, Instant now) {
        Optional<IssuerIndex.Ca> ca = issuers.find(key(id));
        if (ca.isEmpty() || !ca.get().sha256().equals(signer.caSha256())) {
            return new Answer(id, OcspAnswered.Status.UNKNOWN, Optional.empty(), Optional.empty(), ca);
        }
        CrlStatus status = issuers.state().crlStatus(ca.get().sha256(), id.getSerialNumber());
        if (status instanceof CrlStatus.Revoked revoked) {
            return new Answer(id, OcspAnswered.Status.REVOKED, Optional.of(revoked.crl()), Optional.of(revoked), ca);
        }
        if (status instanceof CrlStatus.NotListed notListed) {
            OcspAnswered.Status answer = notListed.crl().freshAt(now) ? OcspAnswered.Status.GOOD
                    : OcspAnswered.Status.TRY_LATER;
            return new Answer(id, answer, Optional.of(notListed.crl()), Optional.empty(), ca);
        }
        return new Answer(id, OcspAnswered.Status.TRY_LATER, Optional.empty(), Optional.empty(), ca);
    }

    private static OcspAnswered event(Answer answer) {
        CertificateID id = answer.id();
        return new OcspAnswered(id.getHashAlgOID().getId(), OcspAnswered.hex(id.getIssuerNameHash()),
                OcspAnswered.hex(id.getIssuerKeyHash()), id.getSerialNumber(), answer.status(),
                answer.crl().map(LoadedCrl::sha256));
    }

    private static byte[] sign(List<Answer> answers, OcspRequest request, Responder signer, Instant now) {
        BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(signer.id());
        for (Answer answer : answers) {
            switch (answer.status()) {
                case GOOD -> {
                    LoadedCrl crl = answer.crl().orElseThrow();
                    builder.addResponse(answer.id(), CertificateStatus.GOOD, Date.from(crl.thisUpdate()),
                            crl.nextUpdate().map(Date::from).orElse(null), null);
                }
                case REVOKED -> {
                    LoadedCrl crl = answer.crl().orElseThrow();
                    builder.addResponse(answer.id(), revoked(answer.revoked().orElseThrow()),
                            Date.from(crl.thisUpdate()), crl.nextUpdate().map(Date::from).orElse(null), null);
                }
                default -> builder.addResponse(answer.id(), new UnknownStatus(), Date.from(now), null, null);
            }
        }
        request.nonce().ifPresent(nonce -> builder.setResponseExtensions(new Extensions(nonce)));
        try {
            BasicOCSPResp basic = builder.build(signer.signer(), signer.chain(), Date.from(now));
            return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
        } catch (OCSPException | IOException e) {
            throw new IllegalStateException("signing an OCSP response with the responder of CA '"
                    + signer.caSubject() + "' failed: " + e.getMessage(), e);
        }
    }

    private static CertificateStatus revoked(CrlStatus.Revoked revoked) {
        ASN1GeneralizedTime time = new ASN1GeneralizedTime(Date.from(revoked.revocationDate()));
        CRLReason reason = revoked.reasonCode().map(CRLReason::lookup).orElse(null);
        return new RevokedStatus(new RevokedInfo(time, reason));
    }

    static IssuerIndex.Key key(CertificateID id) {
        return IssuerIndex.Key.of(id.getHashAlgOID(), id.getIssuerNameHash(), id.getIssuerKeyHash());
    }

    private static byte[] encoded(CertificateID id) {
        try {
            return id.toASN1Primitive().getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("re-encoding a parsed CertID failed", e);
        }
    }

    private static byte[] unsigned(int status) {
        try {
            return new OCSPRespBuilder().build(status, null).getEncoded();
        } catch (OCSPException | IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
