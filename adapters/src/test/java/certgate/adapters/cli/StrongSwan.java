package certgate.adapters.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The real strongSwan (charon, swanctl, pki) and {@code ip netns}, as the gateway that reads what
 * {@code certgate export strongswan} writes. Where they are absent (or the tests do not run as root, which network
 * namespaces need), tests that need them are skipped with one line on stderr saying how to get them; with
 * {@code CI=true} their absence fails them instead. The set-up follows ../shared/recipes/strongswan-ikev2-netns.md:
 * each charon in a network namespace of its own, with a private /run (its pid file is compiled in), its own
 * strongswan.conf, vici socket and log file.
 */
final class StrongSwan {
    static final Path CHARON = Path.of("/usr/lib/ipsec/charon");
    static final String INSTALL = "apt-get install strongswan-charon strongswan-swanctl strongswan-pki"
            + " libstrongswan-standard-plugins libstrongswan-extra-plugins";
    private static final String MISSING = missing();
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private StrongSwan() {
    }

    record Result(int status, String output) {
    }

    /** What is missing, or null when strongSwan, ip netns and root are all there. */
    private static String missing() {
        if (!Files.isExecutable(CHARON)
                || run(List.of("sh", "-c", "command -v swanctl && command -v pki"), Map.of(), null).status() != 0) {
            return "strongSwan not installed; " + INSTALL;
        }
        if (run(List.of("sh", "-c", "command -v curl"), Map.of(), null).status() != 0) {
            return "curl not installed (the strongSwan lab posts to certgate serve with it); apt-get install curl";
        }
        if (run(List.of("ip", "netns", "list"), Map.of(), null).status() != 0) {
            return "ip netns is not available; apt-get install iproute2";
        }
        if (!"0".equals(run(List.of("id", "-u"), Map.of(), null).output().trim())) {
            return "strongSwan tests need root for network namespaces; run them as root";
        }
        return null;
    }

    static void assumeAvailable() {
        if (MISSING == null) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(MISSING + "; CI=true requires it");
        }
        if (!WARNED.getAndSet(true)) {
            System.err.println("skipped: " + MISSING);
        }
        assumeTrue(false, MISSING);
    }

    /** Runs a command to its end (at most 60 s); standard output and error together; 127 when it cannot start. */
    static Result run(List<String> command, Map<String, String> environment, Path directory) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new Result(127, String.valueOf(e.getMessage()));
        }
        try {
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish in 60 s");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Runs it and fails the test, with its output, unless it exits 0. */
    static String ok(List<String> command, Map<String, String> environment, Path directory) {
        Result result = run(command, environment, directory);
        if (result.status() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + result.status() + ":\n"
                    + result.output());
        }
        return result.output();
    }

    /** {@code pki ARGS} in {@code dir}, its standard output to the file {@code out} there (keys, certificates). */
    static void pki(Path dir, String out, String... args) {
        Path conf = dir.resolve("pki.conf");
        try {
            if (!Files.exists(conf)) {
                // a configuration of its own: without it pki loads every plugin and warns about the TPM
                Files.writeString(conf, "pki { load = random openssl pem pkcs1 pkcs8 x509 pubkey gmp sha1 sha2 }\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of("sh", "-c", "exec pki \"$@\" > \"$0\"", out));
        command.addAll(List.of(args));
        ok(command, Map.of("STRONGSWAN_CONF", conf.toString()), dir);
    }

    /**
     * One charon in network namespace {@code namespace}, everything of it under {@code home}: strongswan.conf,
     * run/ (bound over /run in its private mount namespace), charon.vici, charon.log. The swanctl directory is
     * {@code swanctl}; {@code includes} are files its strongswan.conf includes (the export's charon settings).
     */
    static final class Charon implements AutoCloseable {
        final Path home;
        final Path swanctl;
        private final Process process;

        private Charon(Path home, Path swanctl, Process process) {
            this.home = home;
            this.swanctl = swanctl;
            this.process = process;
        }

        static Charon start(String namespace, Path home, Path swanctl, List<Path> includes) {
            try {
                Files.createDirectories(home.resolve("run"));
                StringBuilder conf = new StringBuilder();
                conf.append("charon {\n")
                        .append("  load = random nonce openssl pem pkcs1 pkcs8 x509 revocation constraints pubkey")
                        .append(" curl kdf kernel-netlink socket-default vici\n")
                        .append("  retransmit_tries = 2\n  retransmit_timeout = 1.0\n")
                        .append("  install_routes = no\n  install_virtual_ip = no\n")
                        .append("  plugins {\n    vici { socket = unix://").append(home).append("/charon.vici }\n")
                        .append("    revocation { timeout = 3 }\n  }\n")
                        .append("  syslog { daemon { default = -1 } }\n")
                        .append("  filelog {\n    log {\n      path = ").append(home).append("/charon.log\n")
                        .append("      time_format = %H:%M:%S\n      append = no\n      flush_line = yes\n")
                        .append("      default = 1\n      cfg = 2\n    }\n  }\n}\n")
                        .append("swanctl { socket = unix://").append(home).append("/charon.vici }\n");
                for (Path include : includes) {
                    conf.append("include ").append(include).append('\n');
                }
                Files.writeString(home.resolve("strongswan.conf"), conf.toString());
                ProcessBuilder builder = new ProcessBuilder("ip", "netns", "exec", namespace, "env",
                        "STRONGSWAN_CONF=" + home.resolve("strongswan.conf"), "sh", "-c",
                        "mount --bind \"$0\" /run && exec " + CHARON, home.resolve("run").toString())
                        .redirectErrorStream(true).redirectOutput(home.resolve("charon.out").toFile());
                Process process = builder.start();
                Charon charon = new Charon(home, swanctl, process);
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (!Files.exists(home.resolve("charon.vici"))) {
                    if (!process.isAlive() || System.nanoTime() > deadline) {
                        charon.close();
                        throw new AssertionError("charon in " + namespace + " did not start:\n"
                                + Files.readString(home.resolve("charon.out")));
                    }
                    Thread.sleep(20);
                }
                return charon;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }

        /** {@code swanctl ARGS} against this charon, with its swanctl directory. */
        Result swanctl(String... args) {
            List<String> command = new ArrayList<>(List.of("swanctl"));
            command.addAll(List.of(args));
            command.add("--uri");
            command.add("unix://" + home.resolve("charon.vici"));
            return run(command, Map.of("SWANCTL_DIR", swanctl.toString(),
                    "STRONGSWAN_CONF", home.resolve("strongswan.conf").toString()), null);
        }

        /** The log from line {@code from} (0-based) on. */
        String logFrom(int from) {
            return String.join("\n", logLines().subList(Math.min(from, logLines().size()), logLines().size()));
        }

        int logLineCount() {
            return logLines().size();
        }

        private List<String> logLines() {
            try {
                Path log = home.resolve("charon.log");
                return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Stops charon by its PID (the launcher execs into it): SIGTERM, then SIGKILL after 5 s. */
        @Override
        public void close() {
            Processes.stop(process);
        }
    }
}
