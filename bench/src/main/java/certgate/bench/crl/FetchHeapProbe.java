package certgate.bench.crl;

import certgate.adapters.fetch.CrlFetcher;
import certgate.adapters.fetch.CrlFetchers;
import certgate.adapters.fetch.FetchLimits;
import certgate.adapters.fetch.FetchOutcome;
import certgate.engine.Engine;
import certgate.eventstore.Blob;
import certgate.eventstore.CaCertificateLoaded;
import certgate.eventstore.Event;
import java.io.IOException;
import java.lang.ref.Reference;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One load of the CRL in a JVM of its own, for {@link FetchBenchmark}'s peak-heap figure: the benchmark runs it
 * under ever smaller {@code -Xmx} to find the least heap in which it completes. The peak a path needs is that
 * least heap minus the least heap of {@code setup} (the JVM, the classes, the CA certificates), so the figure
 * counts what is live at the worst moment, not garbage a roomy heap has not yet collected.
 *
 * <p>{@code java FetchHeapProbe MODE URL CRL_FILE AT_EPOCH_SECOND CA_FILE...}, MODE one of setup, http, disk, or
 * the HTTP path cut short (fetch; admit: fetch, the blob and admitCrl): exits 0 when the load completed, 3 when it
 * ran out of heap, 1 when it failed otherwise.
 */
public final class FetchHeapProbe {
    static final int OUT_OF_HEAP = 3;

    private FetchHeapProbe() {
    }

    public static void main(String[] args) {
        try {
            System.exit(run(args));
        } catch (OutOfMemoryError e) {
            System.exit(OUT_OF_HEAP);
        } catch (RuntimeException e) {
            System.err.println(e);
            System.exit(1);
        }
    }

    static int run(String[] args) {
        String mode = args[0];
        URI url = URI.create(args[1]);
        Path crlFile = Path.of(args[2]);
        Instant at = Instant.ofEpochSecond(Long.parseLong(args[3]));
        List<Event> cas = new ArrayList<>();
        try {
            for (int i = 4; i < args.length; i++) {
                cas.add(new CaCertificateLoaded("default", Blob.of(Files.readAllBytes(Path.of(args[i])))));
            }
        } catch (IOException e) {
            System.err.println("cannot read a CA certificate: " + e);
            return 1;
        }
        Engine base = Engine.replay(cas);
        CrlFetcher fetcher = CrlFetchers.standard(FetchLimits.DEFAULTS);
        Engine after;
        switch (mode) {
            case "setup" -> after = base;
            case "fetch" -> {
                // the HTTP path cut short after a stage, everything so far held: where its peak comes from
                FetchOutcome outcome = fetcher.fetch(url, FetchOutcome.Validators.NONE);
                if (!(outcome instanceof FetchOutcome.Fetched fetched)) {
                    System.err.println("the fetch failed: " + outcome);
                    return 1;
                }
                Reference.reachabilityFence(fetched);
                return 0;
            }
            case "admit" -> {
                Blob admitted = LoadPaths.admitted(base, fetcher, url, at);
                Reference.reachabilityFence(admitted);
                return 0;
            }
            case "http" -> after = LoadPaths.fromHttp(base, fetcher, url, at);
            case "disk" -> after = LoadPaths.fromDisk(base, crlFile, at);
            default -> {
                System.err.println("unknown mode " + mode);
                return 1;
            }
        }
        if (!mode.equals("setup") && after.crls().size() != 1) {
            System.err.println("the CRL is not in force");
            return 1;
        }
        Reference.reachabilityFence(after);
        return 0;
    }
}
