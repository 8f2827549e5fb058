package certgate.adapters.cli;

import certgate.adapters.export.StrongSwanExport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two strongSwan gateways joined by a veth pair, each in a network namespace of its own, as the recipe
 * (../shared/recipes/strongswan-ikev2-netns.md) proves: the responder at {@link #RESPONDER_ADDRESS}, the gateway
 * under test, configured only from {@code certgate export strongswan} output (its swanctl directory is the
 * export's {@code --out}, its strongswan.conf includes the export's charon settings); the initiator at
 * {@link #INITIATOR_ADDRESS}, the peer, configured by the test. Revocation servers run inside the responder's
 * namespace ({@link #startInResponder}, with {@code ip netns exec}): {@code certgate serve} itself
 * ({@link #startServe}).
 *
 * <p>Clean-up: {@link #close} stops every process it started, by PID, then deletes both namespaces; a shutdown
 * hook does the same if the JVM ends first. Namespace names carry the JVM's PID and a count of the labs it
 * opened ({@code cgike<pid>n<count>r}, {@code ...i}); {@link #open} first deletes those a dead JVM left behind.
 */
final class IkeLab implements AutoCloseable {
    static final String RESPONDER_ADDRESS = "10.99.0.1";
    static final String INITIATOR_ADDRESS = "10.99.0.2";
    private static final Pattern OURS = Pattern.compile("cgike(\\d+)n\\d+[ri]");
    private static final AtomicInteger LABS = new AtomicInteger();

    final String responderNamespace;
    final String initiatorNamespace;
    final Path home;
    private final List<Process> servers = new ArrayList<>();
    private final List<StrongSwan.Charon> charons = new ArrayList<>();
    private final Thread shutdownHook = new Thread(this::cleanUp, "IkeLab clean-up");
    private StrongSwan.Charon responder;
    private StrongSwan.Charon initiator;
    private boolean closed;

    private IkeLab(Path home) {
        String id = ProcessHandle.current().pid() + "n" + LABS.incrementAndGet();
        this.responderNamespace = "cgike" + id + "r";
        this.initiatorNamespace = "cgike" + id + "i";
        this.home = home;
    }

    /** The two namespaces and the link between them; no daemon yet. */
    static IkeLab open(Path home) {
        StrongSwan.assumeAvailable();
        deleteStaleNamespaces();
        IkeLab lab = new IkeLab(home);
        Runtime.getRuntime().addShutdownHook(lab.shutdownHook);
        try {
            String r = lab.responderNamespace;
            String i = lab.initiatorNamespace;
            ip("netns", "add", r);
            ip("netns", "add", i);
            ip("link", "add", "veth-r", "netns", r, "type", "veth", "peer", "name", "veth-i", "netns", i);
            ip("-n", r, "addr", "add", RESPONDER_ADDRESS + "/24", "dev", "veth-r");
            ip("-n", i, "addr", "add", INITIATOR_ADDRESS + "/24", "dev", "veth-i");
            for (String namespace : List.of(r, i)) {
                ip("-n", namespace, "link", "set", "lo", "up");
            }
            ip("-n", r, "link", "set", "veth-r", "up");
            ip("-n", i, "link", "set", "veth-i", "up");
            return lab;
        } catch (RuntimeException | AssertionError e) {
            lab.close();
            throw e;
        }
    }

    /** The responder's charon, reading the export in {@code exportDirectory} (swanctl.conf and its files). */
    StrongSwan.Charon startResponder(Path exportDirectory) {
        return startResponder(exportDirectory, "responder");
    }

    /** As {@link #startResponder(Path)}, its files in {@code name} under the lab's home (one charon at a time). */
    StrongSwan.Charon startResponder(Path exportDirectory, String name) {
        responder = StrongSwan.Charon.start(responderNamespace, home.resolve(name), exportDirectory,
                List.of(exportDirectory.resolve(StrongSwanExport.CHARON_SETTINGS)));
        charons.add(responder);
        return responder;
    }

    /** The initiator's charon, with the swanctl directory the test wrote. */
    StrongSwan.Charon startInitiator(Path swanctlDirectory) {
        initiator = StrongSwan.Charon.start(initiatorNamespace, home.resolve("initiator"), swanctlDirectory,
                List.of());
        charons.add(initiator);
        return initiator;
    }

    /**
     * Starts {@code command} inside the responder's namespace and waits until {@code port} of
     * {@link #RESPONDER_ADDRESS} accepts connections there; its output goes to {@code name}.out in the lab's home.
     */
    Process startInResponder(String name, List<String> command, int port) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", responderNamespace));
        full.addAll(command);
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true)
                    .redirectOutput(home.resolve(name + ".out").toFile()).start();
            servers.add(process);
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (StrongSwan.run(List.of("ip", "netns", "exec", responderNamespace, "bash", "-c",
                    "echo > /dev/tcp/" + RESPONDER_ADDRESS + "/" + port), Map.of(), null).status() != 0) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError(name + " did not listen on " + RESPONDER_ADDRESS + ":" + port + ":\n"
                            + Files.readString(home.resolve(name + ".out")));
                }
                Thread.sleep(50);
            }
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * {@code certgate serve} as a process of its own (this JVM's class path) in the responder's namespace, on
     * {@code port} of {@link #RESPONDER_ADDRESS}, over {@code store}; off loopback it requires the bearer token in
     * {@code tokenFile} for its API (not for {@code /crls/} and {@code /ocsp}). Returns once it says it is ready:
     * the store read, so it serves the CRLs in force. Its standard error is {@link #output}{@code ("serve")}.
     */
    Process startServe(Path store, Path tokenFile, int port, String... more) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "serve", "--store", store.toString(), "--listen", RESPONDER_ADDRESS + ":" + port,
                "--token-file", tokenFile.toString()));
        command.addAll(List.of(more));
        Process serve = startInResponder("serve", command, port);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (output("serve").lines().noneMatch(line -> line.startsWith("certgate serve: ready:"))) {
            if (!serve.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("certgate serve did not get ready:\n" + output("serve"));
            }
            pause(Duration.ofMillis(20));
        }
        return serve;
    }

    /** What the process started as {@code name} in the responder's namespace wrote (output and error). */
    String output(String name) {
        try {
            return Files.readString(home.resolve(name + ".out"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code command} to its end inside the responder's namespace (e.g. curl to certgate serve's API). */
    StrongSwan.Result inResponder(List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", responderNamespace));
        full.addAll(command);
        return StrongSwan.run(full, Map.of(), null);
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Stops a server started in the responder's namespace, by its PID. */
    void stop(Process server) {
        Processes.stop(server);
    }

    /** What charon decided for one IKE_SA the initiator asked for. */
    record Attempt(boolean established, String initiatorOutput, String responderLog) {
    }

    /**
     * Initiates connection {@code connection} of the initiator, after closing an IKE_SA it may still have up (a
     * second initiate of an established childless SA does nothing) and flushing the responder's cached CRLs and
     * OCSP responses, so each attempt fetches revocation anew. The responder's log lines of this attempt.
     */
    Attempt initiate(String connection) {
        return initiate(connection, true);
    }

    /**
     * As {@link #initiate(String)}; without {@code flushCertificates} the responder decides with the CRLs it
     * fetched before, as a running gateway does until they expire or {@code swanctl --flush-certs}.
     */
    Attempt initiate(String connection, boolean flushCertificates) {
        initiator.swanctl("--terminate", "--ike", connection, "--timeout", "5");
        if (flushCertificates) {
            responder.swanctl("--flush-certs");
        }
        int from = responder.logLineCount();
        StrongSwan.Result result = initiator.swanctl("--initiate", "--ike", connection, "--timeout", "15");
        return new Attempt(result.status() == 0, result.output(), responder.logFrom(from));
    }

    @Override
    public void close() {
        cleanUp();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run: nothing to remove
        }
    }

    private synchronized void cleanUp() {
        if (closed) {
            return;
        }
        closed = true;
        servers.forEach(Processes::stop);
        charons.forEach(StrongSwan.Charon::close);
        StrongSwan.run(List.of("ip", "netns", "del", responderNamespace), Map.of(), null);
        StrongSwan.run(List.of("ip", "netns", "del", initiatorNamespace), Map.of(), null);
    }

    /**
     * Deletes the namespaces of lab JVMs that are no longer running, after stopping, by PID, the processes such a
     * run left in them (a JVM killed before its shutdown hook ran).
     */
    private static void deleteStaleNamespaces() {
        String list = StrongSwan.run(List.of("ip", "netns", "list"), Map.of(), null).output();
        for (String line : list.lines().toList()) {
            String name = line.split(" ")[0];
            Matcher m = OURS.matcher(name);
            if (!m.matches() || ProcessHandle.of(Long.parseLong(m.group(1))).isPresent()) {
                continue;
            }
            String pids = StrongSwan.run(List.of("ip", "netns", "pids", name), Map.of(), null).output();
            for (String pid : pids.lines().map(String::trim).filter(p -> p.matches("\\d+")).toList()) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            }
            StrongSwan.run(List.of("ip", "netns", "del", name), Map.of(), null);
        }
    }

    private static void ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        StrongSwan.ok(command, Map.of(), null);
    }
}
