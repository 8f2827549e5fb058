package certgate.adapters.fetch;

import certgate.adapters.fetch.FetchOutcome.Validators;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.function.BiFunction;

/**
 * One fetch per URL at a time: a caller that asks for a URL while another fetch of it is under way waits for that
 * fetch and shares its outcome instead of starting its own. A body or a failure answers every waiting caller; a
 * "not modified" answers only callers that hold the same version (same validators), the others then fetch with
 * their own. The shared body array is one for all callers: they read it, none may change it.
 */
final class SingleFlight {
    private record Flight(Validators previous, CompletableFuture<FetchOutcome> outcome) {
    }

    private final ConcurrentMap<URI, Flight> inFlight = new ConcurrentHashMap<>();

    FetchOutcome fetch(URI url, Validators previous, BiFunction<URI, Validators, FetchOutcome> fetcher) {
        while (true) {
            Flight mine = new Flight(previous, new CompletableFuture<>());
            Flight running = inFlight.putIfAbsent(url, mine);
            if (running == null) {
                return lead(url, mine, fetcher);
            }
            FetchOutcome shared = await(url, running);
            if (!(shared instanceof FetchOutcome.NotModified) || Objects.equals(running.previous(), previous)) {
                return shared;
            }
        }
    }

    private FetchOutcome lead(URI url, Flight mine, BiFunction<URI, Validators, FetchOutcome> fetcher) {
        try {
            FetchOutcome outcome = fetcher.apply(url, mine.previous());
            mine.outcome().complete(outcome);
            return outcome;
        } catch (RuntimeException | Error e) {
            mine.outcome().completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(url, mine);
        }
    }

    private static FetchOutcome await(URI url, Flight running) {
        try {
            return running.outcome().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new FetchOutcome.Failed(url, FetchFailure.PROTOCOL, 0,
                    "interrupted while waiting for a fetch of the same URL", java.time.Duration.ZERO);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("the fetch this one waited for failed", e.getCause());
        }
    }

    /** Whether a fetch of {@code url} is under way (for tests of the coalescing). */
    boolean inFlight(URI url) {
        return inFlight.containsKey(url);
    }
}
