package certgate.bench.crl;

import certgate.adapters.fetch.CrlFetcher;
import certgate.adapters.fetch.FetchOutcome;
import certgate.adapters.pem.PkiFileException;
import certgate.adapters.pem.PkiFiles;
import certgate.adapters.store.LoadCheck;
import certgate.engine.Admission;
import certgate.engine.Engine;
import certgate.eventstore.Blob;
import certgate.eventstore.CrlLoaded;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** The two ways a CRL enters the state that {@code bench fetch} compares, shared by its timing and heap probes. */
final class LoadPaths {
    private LoadPaths() {
    }

    /** As {@code certgate load crl} does: read and check the file, the engine's admission, apply the event. */
    static Engine fromDisk(Engine base, Path file, Instant at) {
        try {
            List<Blob> crls = PkiFiles.crls(file);
            LoadCheck.Outcome outcome = LoadCheck.against(base).crls(List.of(new LoadCheck.Named(
                    file.getFileName().toString(), 1, 1, crls.get(0))), at).get(0);
            if (!(outcome instanceof LoadCheck.Accepted accepted)) {
                throw new IllegalStateException("the CRL file was not accepted: " + outcome.message());
            }
            return base.apply(accepted.event());
        } catch (PkiFileException e) {
            throw new IllegalStateException("cannot read the CRL file: " + e.getMessage(), e);
        }
    }

    /**
     * Fetch, the fetched array handed over to the event's blob (no copy), the engine's admitCrl on it, apply the
     * event (whose index shares the blob's bytes).
     */
    static Engine fromHttp(Engine base, CrlFetcher fetcher, URI url, Instant at) {
        return base.apply(new CrlLoaded(admitted(base, fetcher, url, at), url.toString()));
    }

    /** The fetched CRL as the event's blob, admitted; the admission's parse is garbage once this returns. */
    static Blob admitted(Engine base, CrlFetcher fetcher, URI url, Instant at) {
        FetchOutcome outcome = fetcher.fetch(url, FetchOutcome.Validators.NONE);
        if (!(outcome instanceof FetchOutcome.Fetched fetched)) {
            throw new IllegalStateException("the fetch failed: " + outcome);
        }
        Blob crl = Blob.takingOwnershipOf(fetched.body());
        Admission admission = base.admitCrl(crl, at);
        if (!(admission instanceof Admission.Admitted)) {
            throw new IllegalStateException("the fetched CRL was not admitted: " + admission.message());
        }
        return crl;
    }
}
