package certgate.adapters.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.fetch.FetchOutcome.Fetched;
import certgate.adapters.fetch.FetchOutcome.NotModified;
import certgate.adapters.fetch.FetchOutcome.Validators;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Coalescing of concurrent fetches of one URL, with a scripted fetch in place of the network. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SingleFlightTest {
    private static final URI URL = URI.create("http://pki.example.net/ca.crl");
    private static final Validators HELD = new Validators("\"v1\"", null);
    private static final Validators OTHER = new Validators("\"v0\"", null);

    private final SingleFlight flights = new SingleFlight();
    private final List<Validators> asked = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    /** Answers 304 to a request naming HELD, the body otherwise; the first call waits for {@link #release}. */
    private FetchOutcome scripted(URI url, Validators previous) {
        asked.add(previous);
        if (asked.size() == 1) {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return previous.equals(HELD) ? new NotModified(url, 304, HELD, Duration.ZERO)
                : new Fetched(url, url, 200, HELD, new byte[] {1, 2, 3}, Duration.ZERO);
    }

    private CompletableFuture<FetchOutcome> start(Validators previous) {
        return CompletableFuture.supplyAsync(() -> flights.fetch(URL, previous, this::scripted));
    }

    private void awaitLeader() throws InterruptedException {
        while (!flights.inFlight(URL) || asked.isEmpty()) {
            Thread.sleep(2);
        }
    }

    @Test
    void a_caller_holding_the_same_version_shares_the_not_modified() throws Exception {
        CompletableFuture<FetchOutcome> leader = start(HELD);
        awaitLeader();
        CompletableFuture<FetchOutcome> follower = start(HELD);
        Thread.sleep(200);
        release.countDown();
        assertInstanceOf(NotModified.class, leader.get());
        assertSame(leader.get(), follower.get());
        assertEquals(List.of(HELD), asked);
    }

    @Test
    void a_caller_holding_another_version_fetches_again_after_a_not_modified() throws Exception {
        CompletableFuture<FetchOutcome> leader = start(HELD);
        awaitLeader();
        CompletableFuture<FetchOutcome> follower = start(OTHER);
        Thread.sleep(200);
        release.countDown();
        assertInstanceOf(NotModified.class, leader.get());
        assertInstanceOf(Fetched.class, follower.get(), "a 304 for v1 says nothing to a caller holding v0");
        assertEquals(List.of(HELD, OTHER), asked);
    }

    @Test
    void a_body_answers_every_waiting_caller_whatever_it_holds() throws Exception {
        CompletableFuture<FetchOutcome> leader = start(OTHER);
        awaitLeader();
        CompletableFuture<FetchOutcome> follower = start(HELD);
        Thread.sleep(200);
        release.countDown();
        assertSame(leader.get(), follower.get());
        assertEquals(1, asked.size());
        assertTrue(!flights.inFlight(URL), "the flight ends with its fetch");
    }
}
