package certgate.adapters.fetch;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A {@link CrlFetcher} for tests of what certgate does with fetch outcomes (not of fetching itself, which the
 * fetchers' own tests prove against real servers): each URL answers as scripted, every call is remembered in
 * order with the validators it carried, and a URL with no script fails as a refused connection would.
 */
public final class ScriptedFetcher implements CrlFetcher {
    /** One call: the URL asked and the version the caller said it holds. */
    public record Call(URI url, FetchOutcome.Validators previous) {
    }

    private final Map<URI, Function<FetchOutcome.Validators, FetchOutcome>> scripts = new HashMap<>();
    private final List<Call> calls = new ArrayList<>();

    /** {@code url} answers {@code answer} to every fetch. */
    public ScriptedFetcher answer(URI url, Function<FetchOutcome.Validators, FetchOutcome> answer) {
        scripts.put(url, answer);
        return this;
    }

    public ScriptedFetcher body(String url, byte[] body) {
        URI uri = URI.create(url);
        return answer(uri, previous -> fetched(uri, body));
    }

    public ScriptedFetcher failure(String url, FetchFailure failure, int status, String detail) {
        URI uri = URI.create(url);
        return answer(uri, previous -> new FetchOutcome.Failed(uri, failure, status, detail, Duration.ofMillis(3)));
    }

    public static FetchOutcome.Fetched fetched(URI url, byte[] body) {
        return new FetchOutcome.Fetched(url, url, 200, new FetchOutcome.Validators("\"v1\"",
                "Tue, 01 Jan 2030 00:00:00 GMT"), body, Duration.ofMillis(5));
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<URI> urls() {
        return calls.stream().map(Call::url).toList();
    }

    @Override
    public FetchOutcome fetch(URI url, FetchOutcome.Validators previous) {
        calls.add(new Call(url, previous));
        Function<FetchOutcome.Validators, FetchOutcome> script = scripts.get(url);
        if (script == null) {
            return new FetchOutcome.Failed(url, FetchFailure.REFUSED, 0, "connection refused (nothing scripted)",
                    Duration.ofMillis(1));
        }
        return script.apply(previous);
    }

    @Override
    public String refusal(URI url) {
        return FetcherFactory.NO_NETWORK.refusal(url);
    }
}
