package certgate.adapters.fetch;

import certgate.adapters.pem.PkiFileException;
import certgate.adapters.pem.PkiFiles;
import certgate.engine.CrlNeed;
import certgate.engine.CrlNeed.CrlSource;
import certgate.engine.Engine;
import certgate.engine.FetchedCrl;
import certgate.eventstore.Blob;
import certgate.eventstore.CrlFetchFailed;
import certgate.eventstore.CrlLoaded;
import certgate.eventstore.CrlUnchanged;
import certgate.eventstore.Event;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Fetches the CRLs the engine says are needed ({@link Engine#crlNeeds}, {@link Engine#caCrls}) and turns what
 * happened into the events to append, before any decision uses them: per CA, the sources are tried in the
 * engine's order (certificate CDP, CA profile URLs, default CDP) until one gives a CRL of that CA; every source
 * that did not is recorded as {@link CrlFetchFailed}, the one that did as {@link CrlLoaded} with how it arrived,
 * or as {@link CrlUnchanged} when the server answered 304 or sent the CRL already in force.
 *
 * <p>Nothing here decides whether a body is usable: {@link Engine#checkFetchedCrl} does (not a CRL, wrong
 * issuer, bad signature, expired), so the codes recorded for a body are the engine's. The events of one refresh
 * are appended by the caller as one batch, so a crash leaves the log with all of them or none.
 */
public final class CrlRefresh {
    private CrlRefresh() {
    }

    /** What the refresh of one CA's CRL came to. */
    public enum Outcome { FETCHED, UNCHANGED, FAILED, NO_SOURCE }

    /**
     * The refresh of one CA: the outcome, the source that gave the CRL (empty when none did), a line for a person
     * ({@code fetched (HTTP 200), 3 entries}), and the events to append, in order.
     */
    public record Report(CrlNeed need, Outcome outcome, Optional<CrlSource> source, String detail,
                         List<Event> events, Optional<Integer> entries, Optional<Instant> thisUpdate) {
        public Report {
            Objects.requireNonNull(need, "need");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(detail, "detail");
            events = List.copyOf(events);
            Objects.requireNonNull(entries, "entries");
            Objects.requireNonNull(thisUpdate, "thisUpdate");
        }

        public boolean gotCrl() {
            return outcome == Outcome.FETCHED || outcome == Outcome.UNCHANGED;
        }
    }

    /** Every report's events, in order: the batch to append. */
    public static List<Event> events(List<Report> reports) {
        List<Event> events = new ArrayList<>();
        reports.forEach(report -> events.addAll(report.events()));
        return events;
    }

    /** Refreshes each of {@code needs} against {@code state}, at {@code now} (the adapter's clock). */
    public static List<Report> refresh(Engine state, List<CrlNeed> needs, CrlFetcher fetcher, Instant now) {
        List<Report> reports = new ArrayList<>();
        for (CrlNeed need : needs) {
            reports.add(refreshOne(state, need, fetcher, now));
        }
        return reports;
    }

    private static Report refreshOne(Engine state, CrlNeed need, CrlFetcher fetcher, Instant now) {
        if (need.sources().isEmpty()) {
            return new Report(need, Outcome.NO_SOURCE, Optional.empty(), "no distribution point: the certificate"
                    + " names none, and no CA profile URL or default-cdp applies", List.of(), Optional.empty(),
                    Optional.empty());
        }
        List<Event> events = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (CrlSource source : need.sources()) {
            Attempt attempt = attempt(state, need, source.url(), fetcher, now);
            events.add(attempt.event());
            if (attempt.event() instanceof CrlFetchFailed failed) {
                failures.add(source.url() + ": " + failed.reason() + (failed.detail().isEmpty() ? ""
                        : " (" + failed.detail() + ")"));
                continue;
            }
            String status = attempt.status() == 0 ? "" : " (HTTP " + attempt.status() + ")";
            Outcome outcome = attempt.event() instanceof CrlLoaded ? Outcome.FETCHED : Outcome.UNCHANGED;
            return new Report(need, outcome, Optional.of(source), (outcome == Outcome.FETCHED ? "fetched"
                    : "unchanged") + status + (failures.isEmpty() ? "" : " after " + failures.size()
                    + " source(s) failed"), events, attempt.entries(), attempt.thisUpdate());
        }
        return new Report(need, Outcome.FAILED, Optional.empty(), String.join("; ", failures), events,
                Optional.empty(), Optional.empty());
    }

    /** One source tried: the event recording it, and what a report shows of the CRL it gave. */
    private record Attempt(Event event, int status, Optional<Integer> entries, Optional<Instant> thisUpdate) {
        static Attempt failed(CrlFetchFailed event) {
            return new Attempt(event, event.status(), Optional.empty(), Optional.empty());
        }
    }

    private static Attempt attempt(Engine state, CrlNeed need, URI url, CrlFetcher fetcher, Instant now) {
        String refusal = fetcher.refusal(url);
        if (refusal != null) {
            return Attempt.failed(failed(need, url, CrlFetchFailed.Code.URL_NOT_ALLOWED, now, 0, refusal));
        }
        Optional<CrlNeed.Previous> previous = need.previous(url);
        FetchOutcome.Validators validators = previous.map(p -> new FetchOutcome.Validators(p.etag().orElse(null),
                p.lastModified().orElse(null))).orElse(FetchOutcome.Validators.NONE);
        FetchOutcome outcome = fetcher.fetch(url, validators);
        if (outcome instanceof FetchOutcome.Failed failed) {
            return Attempt.failed(failed(need, url, CrlFetchFailed.Code.valueOf(failed.failure().name()), now,
                    failed.status(), failed.detail()));
        }
        if (outcome instanceof FetchOutcome.NotModified notModified) {
            if (previous.isEmpty()) {
                return Attempt.failed(failed(need, url, CrlFetchFailed.Code.PROTOCOL, now, notModified.status(),
                        "the server answered " + notModified.status() + " Not Modified to a fetch that named no"
                                + " version"));
            }
            return unchanged(need, url, previous.get().crlSha256(), now, notModified.status(),
                    notModified.validators());
        }
        FetchOutcome.Fetched fetched = (FetchOutcome.Fetched) outcome;
        List<Blob> objects;
        try {
            objects = der(url, fetched.body());
        } catch (PkiFileException e) {
            return Attempt.failed(failed(need, url, CrlFetchFailed.Code.NOT_A_CRL, now, fetched.status(),
                    e.getMessage()));
        }
        if (objects.size() != 1) {
            return Attempt.failed(failed(need, url, CrlFetchFailed.Code.NOT_A_CRL, now, fetched.status(),
                    "the body holds " + objects.size() + " PEM blocks, expected one CRL"));
        }
        Blob crl = objects.get(0);
        if (need.inForce().map(held -> held.sha256().equals(crl.sha256Hex())).orElse(false)) {
            return unchanged(need, url, crl.sha256Hex(), now, fetched.status(), fetched.validators());
        }
        FetchedCrl checked = state.checkFetchedCrl(crl, need, url.toString(), now);
        if (checked instanceof FetchedCrl.Unusable unusable) {
            return Attempt.failed(failed(need, url, unusable.code(), now, fetched.status(), unusable.detail()));
        }
        FetchedCrl.Usable usable = (FetchedCrl.Usable) checked;
        CrlLoaded.Fetch how = new CrlLoaded.Fetch(now, fetched.status(),
                Optional.ofNullable(fetched.validators().etag()),
                Optional.ofNullable(fetched.validators().lastModified()));
        return new Attempt(new CrlLoaded(crl, url.toString(), Optional.of(how)), fetched.status(),
                Optional.of(usable.crl().entries()), Optional.of(usable.crl().thisUpdate()));
    }

    private static Attempt unchanged(CrlNeed need, URI url, String crlSha256, Instant now, int status,
                                     FetchOutcome.Validators validators) {
        CrlUnchanged event = new CrlUnchanged(url.toString(), need.issuer(), crlSha256, now, status,
                Optional.ofNullable(validators.etag()), Optional.ofNullable(validators.lastModified()));
        return new Attempt(event, status, need.inForce().map(crl -> crl.entries()),
                need.inForce().map(crl -> crl.thisUpdate()));
    }

    private static CrlFetchFailed failed(CrlNeed need, URI url, CrlFetchFailed.Code code, Instant now, int status,
                                         String detail) {
        return new CrlFetchFailed(url.toString(), need.issuer(), code, now, status, detail == null ? "" : detail);
    }

    /**
     * The CRL's DER: the body as it is, or the CRLs of a PEM body (one expected). The fetched array becomes the
     * blob without a copy: nothing here touches it again, so a large CRL is held once from fetch to log.
     */
    private static List<Blob> der(URI url, byte[] body) throws PkiFileException {
        return PkiFiles.decodeTakingOwnership(url.toString(), body, PkiFiles.Kind.CRL);
    }
}
