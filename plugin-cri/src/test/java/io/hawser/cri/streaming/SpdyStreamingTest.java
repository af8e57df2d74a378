package io.hawser.cri.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.runtime.Attachment;
import io.hawser.runtime.Signals;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SpdyStreamingTest {

    private static final String V4 = "v4.channel.k8s.io";

    /** A clock the expiry test moves. */
    private static final class MovableClock implements InstantSource {
        volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final FakeBackend backend = new FakeBackend();
    private final MovableClock clock = new MovableClock();
    private StreamingServer server;

    @BeforeEach
    void start() throws Exception {
        backend.running.put("c1", new FakeProcess(true));
        server = StreamingServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), backend, Duration.ofHours(4), clock);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private URI exec(List<String> command, boolean tty, boolean stdin, boolean stdout, boolean stderr) throws Exception {
        return server.register(new StreamRequest.Exec("c1", command, tty, stdin, stdout, stderr));
    }

    private static JsonNode json(String text) throws Exception {
        return new ObjectMapper().readTree(text);
    }

    @Test
    void registerGivesASingleUseUrlOfTheKindOnTheServersAddress() throws Exception {
        URI url = exec(List.of("true"), false, false, true, false);
        assertEquals("http", url.getScheme());
        assertEquals("127.0.0.1", url.getHost());
        assertEquals(server.address().getPort(), url.getPort());
        assertTrue(url.getPath().matches("/exec/[A-Za-z0-9_-]{22}"), url.getPath());
        assertFalse(url.equals(exec(List.of("true"), false, false, true, false)), "every URL has its own token");
    }

    @Test
    void execSendsStdoutAndStderrApartAndReportsSuccess() throws Exception {
        backend.programs = command -> new FakeProcess(false)
                .emit(Attachment.Stream.STDOUT, "out\n").emit(Attachment.Stream.STDERR, "err\n").exit(0);
        try (SpdyClient client = SpdyClient.upgrade(exec(List.of("sh", "-c", "x"), false, false, true, true), "v5.channel.k8s.io", V4, "v3.channel.k8s.io")) {
            assertEquals(101, client.status());
            assertEquals(V4, client.header("X-Stream-Protocol-Version"), "v5 is WebSocket only");
            SpdyClient.Stream error = client.open("error");
            SpdyClient.Stream stdout = client.open("stdout");
            SpdyClient.Stream stderr = client.open("stderr");
            assertEquals("stdout", stdout.replyStreamType, "Go's framer needs a header block in every reply");
            assertEquals("out\n", stdout.readAll());
            assertEquals("err\n", stderr.readAll());
            assertEquals("Success", json(error.readAll()).path("status").asText());
            client.closed.get(10, TimeUnit.SECONDS);
            assertTrue(client.goneAway, "the server says goodbye before closing");
        }
        assertEquals(new FakeBackend.ExecCall("c1", List.of("sh", "-c", "x"), false, false), backend.execs.getFirst());
    }

    @Test
    void nonZeroExitIsReportedWithItsCode() throws Exception {
        backend.programs = command -> new FakeProcess(false).exit(3);
        try (SpdyClient client = SpdyClient.upgrade(exec(List.of("false"), false, false, true, false), V4)) {
            SpdyClient.Stream error = client.open("error");
            SpdyClient.Stream stdout = client.open("stdout");
            JsonNode status = json(error.readAll());
            assertEquals("", stdout.readAll());
            assertEquals("Failure", status.path("status").asText());
            assertEquals("NonZeroExitCode", status.path("reason").asText());
            JsonNode cause = status.path("details").path("causes").get(0);
            assertEquals("ExitCode", cause.path("reason").asText());
            assertEquals("3", cause.path("message").asText());
        }
    }

    @Test
    void aProcessThatEndedBeforeTheAttachStillReportsItsExitCode() throws Exception {
        backend.programs = command -> {
            FakeProcess quick = new FakeProcess(false).exit(4);
            quick.attachableAfterExit = false;
            return quick;
        };
        try (SpdyClient client = SpdyClient.upgrade(exec(List.of("false"), false, false, true, false), V4)) {
            SpdyClient.Stream error = client.open("error");
            SpdyClient.Stream stdout = client.open("stdout");
            assertEquals("", stdout.readAll());
            assertEquals("4", json(error.readAll()).path("details").path("causes").get(0).path("message").asText());
        }
    }

    @Test
    void olderProtocolsGetTheFailureAsText() throws Exception {
        backend.programs = command -> new FakeProcess(false).exit(2);
        try (SpdyClient client = SpdyClient.upgrade(exec(List.of("false"), false, false, true, false), "v2.channel.k8s.io")) {
            assertEquals("v2.channel.k8s.io", client.header("X-Stream-Protocol-Version"));
            SpdyClient.Stream error = client.open("error");
            client.open("stdout");
            assertEquals("command terminated with non-zero exit code: exit status 2", error.readAll());
        }
    }

    @Test
    void stdinReachesTheProcessAndItsEndClosesTheProcessInput() throws Exception {
        try (SpdyClient client = SpdyClient.upgrade(exec(List.of("cat"), false, true, true, false), V4)) {
            SpdyClient.Stream error = client.open("error");
            SpdyClient.Stream stdin = client.open("stdin");
            SpdyClient.Stream stdout = client.open("stdout");
            stdin.write("hello ").write("world");
            stdin.close();
            assertEquals("hello world", stdout.readAll());
            assertEquals("Success", json(error.readAll()).path("status").asText());
        }
        assertTrue(backend.lastExec.inputClosed.isDone());
        assertEquals("hello world", backend.lastExec.input());
    }

    @Test
    void outputLargerThanASpdyWindowArrivesWhole() throws Exception {
        String big = "x".repeat(3 * 1024 * 1024);
        backend.programs = command -> new FakeProcess(false).emit(Attachment.Stream.STDOUT, big).exit(0);
        try (SpdyClient client = SpdyClient.upgrade(exec(List.of("yes"), false, false, true, false), V4)) {
            client.open("error");
            assertEquals(big.length(), client.open("stdout").readAll().length());
        }
    }

    @Test
    void terminalResizesReachTheProcess() throws Exception {
        try (SpdyClient client = SpdyClient.upgrade(exec(List.of("sh"), true, true, true, true), V4)) {
            SpdyClient.Stream error = client.open("error");
            SpdyClient.Stream stdin = client.open("stdin");
            SpdyClient.Stream stdout = client.open("stdout");
            SpdyClient.Stream resize = client.open("resize");
            // split mid-object, as a stream may deliver it
            resize.write("{\"Width\":80,\"Hei").write("ght\":24}{\"Width\":120,\"Height\":40}");
            waitUntil(() -> backend.lastExec != null && backend.lastExec.resizes.size() == 2);
            assertEquals(List.of(List.of(80, 24), List.of(120, 40)), backend.lastExec.resizes);
            stdin.close();
            stdout.readAll();
            assertEquals("Success", json(error.readAll()).path("status").asText());
        }
        assertTrue(backend.execs.getFirst().tty());
    }

    @Test
    void attachFollowsTheContainerUntilItExitsAndPassesTheEndOfInputToTheShim() throws Exception {
        FakeProcess container = backend.running.get("c1");
        try (SpdyClient client = SpdyClient.upgrade(server.register(new StreamRequest.Attach("c1", false, true, true, true)), V4)) {
            SpdyClient.Stream error = client.open("error");
            SpdyClient.Stream stdin = client.open("stdin");
            SpdyClient.Stream stdout = client.open("stdout");
            client.open("stderr");
            stdin.write("typed");
            waitUntil(() -> container.input().equals("typed"));
            container.emit(Attachment.Stream.STDOUT, "\nbye");
            // the shim ends a stdinOnce container's input with its client's, another's it keeps open;
            // this echoing fake ends when its input does
            stdin.close();
            container.inputClosed.get(10, TimeUnit.SECONDS);
            assertEquals("typed\nbye", stdout.readAll());
            assertEquals("Success", json(error.readAll()).path("status").asText());
        }
    }

    @Test
    void attachEndsWhenTheClientGoesAndLeavesTheContainerRunning() throws Exception {
        FakeProcess container = backend.running.get("c1");
        SpdyClient client = SpdyClient.upgrade(server.register(new StreamRequest.Attach("c1", false, false, true, false)), V4);
        client.open("error");
        client.open("stdout");
        client.close();
        container.detached.get(10, TimeUnit.SECONDS);
        assertTrue(container.signals.isEmpty());
    }

    @Test
    void anExecWhoseClientGoesIsKilled() throws Exception {
        SpdyClient client = SpdyClient.upgrade(exec(List.of("sleep", "1000"), false, false, true, false), V4);
        client.open("error");
        client.open("stdout");
        waitUntil(() -> backend.lastExec != null);
        client.close();
        waitUntil(() -> backend.lastExec.signals.contains(Signals.SIGKILL));
    }

    @Test
    void execInAContainerThatDoesNotRunFailsNamingIt() throws Exception {
        URI url = server.register(new StreamRequest.Exec("nosuch", List.of("ls"), false, false, true, false));
        try (SpdyClient client = SpdyClient.upgrade(url, V4)) {
            SpdyClient.Stream error = client.open("error");
            client.open("stdout");
            JsonNode status = json(error.readAll());
            assertEquals("Failure", status.path("status").asText());
            assertEquals("InternalError", status.path("reason").asText());
            assertTrue(status.path("message").asText().contains("container nosuch not found"), status.toString());
        }
    }

    @Test
    void unexpectedStreamsAreRefused() throws Exception {
        try (SpdyClient client = SpdyClient.upgrade(exec(List.of("cat"), false, true, true, false), V4)) {
            assertTrue(client.open("bogus").reset);
            client.open("error");
            assertTrue(client.open("error").reset, "a second error stream");
        }
    }

    @Test
    void pingsAreAnswered() throws Exception {
        try (SpdyClient client = SpdyClient.upgrade(exec(List.of("cat"), false, true, true, false), V4)) {
            client.ping(7);
            assertEquals(7, client.pong.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void portForwardConnectsToTheLoopbackPortAndPumpsBothWays() throws Exception {
        backend.pods.put("pod1", Optional.empty());
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread.ofPlatform().daemon().start(() -> answerOnce(listener));
            int port = listener.getLocalPort();
            URI url = server.register(new StreamRequest.PortForward("pod1", List.of(port)));
            try (SpdyClient client = SpdyClient.upgrade(url, "portforward.k8s.io")) {
                assertEquals("portforward.k8s.io", client.header("X-Stream-Protocol-Version"));
                Map<String, String> headers = Map.of("port", Integer.toString(port), "requestid", "0");
                SpdyClient.Stream error = client.open(with(headers, "streamtype", "error"));
                error.close();
                SpdyClient.Stream data = client.open(with(headers, "streamtype", "data"));
                data.write("ping\n");
                data.close();
                assertEquals("pong: ping\n", data.readAll());
                assertEquals("", error.readAll());
            }
        }
    }

    @Test
    void portForwardToAClosedPortSaysSoOnTheErrorStream() throws Exception {
        backend.pods.put("pod1", Optional.empty());
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        URI url = server.register(new StreamRequest.PortForward("pod1", List.of()));
        try (SpdyClient client = SpdyClient.upgrade(url, "portforward.k8s.io")) {
            Map<String, String> headers = Map.of("port", Integer.toString(closedPort), "requestid", "1");
            SpdyClient.Stream error = client.open(with(headers, "streamtype", "error"));
            SpdyClient.Stream data = client.open(with(headers, "streamtype", "data"));
            String message = error.readAll();
            assertTrue(message.startsWith("error forwarding port " + closedPort + " to pod pod1: cannot connect to localhost:" + closedPort), message);
            assertEquals("", data.readAll());
        }
    }

    @Test
    void aPortThatIsNoneIsNamedOnTheErrorStream() throws Exception {
        backend.pods.put("pod1", Optional.empty());
        try (SpdyClient client = SpdyClient.upgrade(server.register(new StreamRequest.PortForward("pod1", List.of())), "portforward.k8s.io")) {
            Map<String, String> headers = Map.of("port", "70000", "requestid", "2");
            SpdyClient.Stream error = client.open(with(headers, "streamtype", "error"));
            client.open(with(headers, "streamtype", "data"));
            assertEquals("invalid port header \"70000\": a port is a number from 1 to 65535", error.readAll());
        }
    }

    @Test
    void unknownReusedAndExpiredTokensGet404() throws Exception {
        URI url = exec(List.of("cat"), false, true, true, false);
        URI unknown = url.resolve("/exec/AAAAAAAAAAAAAAAAAAAAAA");
        try (SpdyClient client = SpdyClient.upgrade(unknown, V4)) {
            assertEquals(404, client.status());
            assertTrue(client.body().startsWith("unknown, expired or already used streaming URL"), client.body());
        }
        URI otherKind = url.resolve(url.getPath().replace("/exec/", "/attach/"));
        try (SpdyClient client = SpdyClient.upgrade(otherKind, V4)) {
            assertEquals(404, client.status());
        }
        try (SpdyClient client = SpdyClient.upgrade(url, V4)) {
            assertEquals(101, client.status(), "a token used at the wrong kind stays good for its own");
        }
        try (SpdyClient client = SpdyClient.upgrade(url, V4)) {
            assertEquals(404, client.status(), "used once already");
        }
        URI expiring = exec(List.of("cat"), false, true, true, false);
        clock.now = clock.now.plus(StreamTokens.LIFETIME).plus(Duration.ofSeconds(1));
        try (SpdyClient client = SpdyClient.upgrade(expiring, V4)) {
            assertEquals(404, client.status());
        }
    }

    @Test
    void requestsThatCannotUpgradeGet400AndKeepTheirToken() throws Exception {
        URI url = exec(List.of("cat"), false, true, true, false);
        try (SpdyClient client = SpdyClient.request(url, Map.of())) {
            assertEquals(400, client.status());
            assertTrue(client.body().contains("no Upgrade header"), client.body());
        }
        try (SpdyClient client = SpdyClient.request(url, Map.of("Connection", "Upgrade", "Upgrade", "h2c"))) {
            assertEquals(400, client.status());
            assertTrue(client.body().contains("cannot upgrade to \"h2c\""), client.body());
        }
        try (SpdyClient client = SpdyClient.upgrade(url, "v9.channel.k8s.io")) {
            assertEquals(400, client.status());
            assertTrue(client.body().startsWith("no protocol in common"), client.body());
            assertEquals("v4.channel.k8s.io, v3.channel.k8s.io, v2.channel.k8s.io, channel.k8s.io",
                    client.header("X-Accepted-Stream-Protocol-Versions"));
        }
        try (SpdyClient client = SpdyClient.upgrade(url, V4)) {
            assertEquals(101, client.status());
        }
        try (SpdyClient client = SpdyClient.upgrade(url.resolve("/shell/x"), V4)) {
            assertEquals(404, client.status());
            assertTrue(client.body().startsWith("no streaming endpoint at /shell/x"), client.body());
        }
    }

    private static Map<String, String> with(Map<String, String> headers, String name, String value) {
        java.util.HashMap<String, String> all = new java.util.HashMap<>(headers);
        all.put(name, value);
        return all;
    }

    /** Reads one line and answers it, then closes. */
    static void answerOnce(ServerSocket listener) {
        try (Socket socket = listener.accept()) {
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
                line.append((char) c);
            }
            OutputStream out = socket.getOutputStream();
            out.write(("pong: " + line + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in 10 s");
            }
            Thread.sleep(10);
        }
    }
}
