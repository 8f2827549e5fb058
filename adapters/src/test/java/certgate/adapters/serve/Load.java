package certgate.adapters.serve;

import certgate.adapters.http.RawHttp;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Clients asking a service for decisions on keep-alive connections until stopped or cut off, remembering every
 * decision whose answer they received in full (what a gateway would have acted on) and every other status.
 */
final class Load implements AutoCloseable {
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    final Map<Integer, Integer> otherStatuses = new ConcurrentHashMap<>();

    Load(int port, int clients) {
        byte[] good = RawHttp.request("POST", "/v1/decisions?explain=false",
                ServeFixture.decisionBody("gw-good.pem", "fqdn:gw1.example.net"));
        byte[] revoked = RawHttp.request("POST", "/v1/decisions?explain=false",
                ServeFixture.decisionBody("gw-revoked.pem", "fqdn:gw2.example.net"));
        for (int i = 0; i < clients; i++) {
            byte[] request = i % 2 == 0 ? good : revoked;
            Thread thread = new Thread(() -> run(port, request), "load-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    private void run(int port, byte[] request) {
        while (!stop.get()) {
            try (RawHttp connection = new RawHttp(port)) {
                while (!stop.get()) {
                    RawHttp.Response response = connection.exchange(request);
                    if (response.status() == 200) {
                        acknowledged.add(Http.JSON.readTree(response.body()).get("requestId").asText());
                    } else {
                        otherStatuses.merge(response.status(), 1, Integer::sum);
                        break;
                    }
                }
            } catch (IOException e) {
                // cut off (killed, draining): connect again until stopped
                if (stop.get()) {
                    return;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /** Waits until at least {@code count} decisions were acknowledged, or {@code seconds} passed. */
    void awaitAcknowledged(int count, int seconds) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (acknowledged.size() < count && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        stop.set(true);
        for (Thread thread : threads) {
            try {
                thread.join(35_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
