package io.hawser.cri;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.hawser.cri.api.v1.ListPodSandboxRequest;
import io.hawser.cri.api.v1.LinuxPodSandboxConfig;
import io.hawser.cri.api.v1.LinuxSandboxSecurityContext;
import io.hawser.cri.api.v1.NamespaceMode;
import io.hawser.cri.api.v1.NamespaceOption;
import io.hawser.cri.api.v1.PodSandbox;
import io.hawser.cri.api.v1.PodSandboxConfig;
import io.hawser.cri.api.v1.PodSandboxFilter;
import io.hawser.cri.api.v1.PodSandboxMetadata;
import io.hawser.cri.api.v1.PodSandboxState;
import io.hawser.cri.api.v1.PodSandboxStateValue;
import io.hawser.cri.api.v1.RemovePodSandboxRequest;
import io.hawser.cri.api.v1.RunPodSandboxRequest;
import io.hawser.cri.api.v1.RuntimeServiceGrpc;
import io.hawser.cri.api.v1.StopPodSandboxRequest;
import io.hawser.cri.api.v1.StreamPodSandboxesRequest;
import io.hawser.cri.cni.Cni;
import io.hawser.host.HostCommand;
import io.hawser.host.MountTable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pod's life against fake CNI plugins that record their calls and a real {@code unshare}: the
 * namespaces are pinned and unpinned for real, so this runs only as root.
 */
class PodSandboxLifecycleTest {

    @TempDir
    Path directory;

    private final MemorySandboxStore store = new MemorySandboxStore();
    private Path pods;
    private Path netd;
    private Path calls;
    private Path failDel;

    @BeforeEach
    void fakeNetwork() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "pinning namespaces needs root");
        pods = directory.resolve("pods");
        netd = Files.createDirectories(directory.resolve("net.d"));
        calls = directory.resolve("calls");
        failDel = directory.resolve("fail-del");
        Path bin = Files.createDirectories(directory.resolve("bin"));
        for (String type : List.of("loopback", "fake")) {
            Path plugin = bin.resolve(type);
            Files.writeString(plugin, """
                    #!/bin/sh
                    cat > /dev/null
                    echo "$(basename $0) $CNI_COMMAND $CNI_IFNAME $CNI_NETNS" >> %s
                    [ "$CNI_COMMAND" = DEL ] && [ -e %s ] && { echo '{"code":11,"msg":"try again"}'; exit 1; }
                    echo '{"cniVersion":"1.0.0","ips":[{"address":"10.77.0.9/24"}]}'
                    """.formatted(calls, failDel));
            Files.setPosixFilePermissions(plugin, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.writeString(netd.resolve("10-fake.conflist"), "{\"cniVersion\":\"1.0.0\",\"name\":\"fake\",\"plugins\":[{\"type\":\"fake\"}]}");
    }

    @AfterEach
    void nothingPinned() throws IOException {
        if (pods != null) {
            assertFalse(MountTable.current().mounts().stream().anyMatch(m -> m.mountPoint().startsWith(directory)),
                    "no namespace left pinned under " + directory);
        }
    }

    private PodSandboxes sandboxes() {
        return new PodSandboxes(store, pods, netd, new Cni(List.of(directory.resolve("bin"))), Path.of("/etc/resolv.conf"),
                Path.of("/usr/bin/catatonit"));
    }

    private static PodSandboxConfig pod(String name) {
        return PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder().setName(name).setNamespace("test").setUid(name + "-uid"))
                .putLabels("pod", name)
                .build();
    }

    private static boolean pinned(Path file) throws IOException {
        return MountTable.current().mounts().stream().anyMatch(m -> m.mountPoint().equals(file));
    }

    @Test
    void runStopRemoveAcrossARestart() throws Exception {
        String id = sandboxes().run(pod("web"), "runc");
        Path netns = pods.resolve(id).resolve("netns");
        assertTrue(pinned(netns) && pinned(pods.resolve(id).resolve("ipcns")) && pinned(pods.resolve(id).resolve("utsns")));
        assertEquals(List.of("loopback ADD lo " + netns, "fake ADD eth0 " + netns), Files.readAllLines(calls));

        // what a restarted daemon builds finds the pod as it was
        PodSandboxes restarted = sandboxes();
        assertEquals("10.77.0.9", restarted.status(id.substring(0, 12), false).getStatus().getNetwork().getIp());
        assertEquals(List.of(id), restarted.list(PodSandboxFilter.newBuilder()
                .setState(PodSandboxStateValue.newBuilder().setState(PodSandboxState.SANDBOX_READY)).build())
                .stream().map(PodSandbox::getId).toList());
        assertEquals(List.of(), restarted.list(PodSandboxFilter.newBuilder().putLabelSelector("pod", "other").build()));

        // a DEL that fails keeps the namespace for the next try
        Files.createFile(failDel);
        assertThrows(IOException.class, () -> restarted.stop(id));
        assertTrue(pinned(netns));
        Files.delete(failDel);
        restarted.stop(id);
        restarted.stop(id);
        assertFalse(pinned(netns));
        assertEquals(PodSandboxState.SANDBOX_NOTREADY, restarted.status(id, false).getStatus().getState());

        restarted.remove(id);
        restarted.remove(id);
        assertFalse(Files.exists(pods.resolve(id)));
        assertEquals(List.of(), store.list());
    }

    @Test
    void theRuntimeServiceServesPodsOverGrpcAndStreamsThemInBatches() throws Exception {
        RuntimeHandlers handlers = new RuntimeHandlers();
        handlers.add(CriRuntimeServiceTest.proxy(), "runc");
        CriSettings settings = new CriSettings(Path.of("unused"), "127.0.0.1:0", "runc", netd, List.of(directory.resolve("bin")));
        CriRuntimeService service = new CriRuntimeService("1.0.0", handlers, settings, sandboxes(), null, null, null, null);
        try (InProcess served = new InProcess(service.definition())) {
            RuntimeServiceGrpc.RuntimeServiceBlockingStub stub = RuntimeServiceGrpc.newBlockingStub(served.channel);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < CriRuntimeService.STREAM_BATCH + 1; i++) {
                ids.add(stub.runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(pod("p" + i)).build()).getPodSandboxId());
            }
            List<Integer> batches = new ArrayList<>();
            stub.streamPodSandboxes(StreamPodSandboxesRequest.getDefaultInstance())
                    .forEachRemaining(message -> batches.add(message.getPodSandboxesCount()));
            assertEquals(List.of(CriRuntimeService.STREAM_BATCH, 1), batches);
            assertEquals(1, stub.listPodSandbox(ListPodSandboxRequest.newBuilder().setFilter(
                    PodSandboxFilter.newBuilder().putLabelSelector("pod", "p7")).build()).getItemsCount());
            StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class,
                    () -> stub.runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(pod("x")).setRuntimeHandler("kata").build()));
            assertEquals(Status.Code.NOT_FOUND, unknown.getStatus().getCode());
            for (String id : ids) {
                stub.stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(id).build());
                stub.removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(id).build());
            }
            assertEquals(0, stub.listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsCount());
        }
    }

    @Test
    void sysctlsAreSetInThePodsNamespacesOnly() throws Exception {
        PodSandboxConfig config = pod("tuned").toBuilder().setLinux(LinuxPodSandboxConfig.newBuilder()
                .putSysctls("net.ipv4.ip_unprivileged_port_start", "80")
                .putSysctls("kernel/shmmni", "1234")).build();
        String host = Files.readString(Path.of("/proc/sys/net/ipv4/ip_unprivileged_port_start"));
        PodSandboxes sandboxes = sandboxes();
        String id = sandboxes.run(config, "runc");
        Path pod = pods.resolve(id);
        assertEquals("80", HostCommand.run(Duration.ofSeconds(10), List.of("nsenter", "--net=" + pod.resolve("netns"),
                "cat", "/proc/sys/net/ipv4/ip_unprivileged_port_start")).strip());
        assertEquals("1234", HostCommand.run(Duration.ofSeconds(10), List.of("nsenter", "--ipc=" + pod.resolve("ipcns"),
                "cat", "/proc/sys/kernel/shmmni")).strip());
        assertEquals(host, Files.readString(Path.of("/proc/sys/net/ipv4/ip_unprivileged_port_start")), "the host's value untouched");
        sandboxes.stop(id);
        sandboxes.remove(id);

        PodSandboxConfig hostWide = pod("host-wide").toBuilder().setLinux(LinuxPodSandboxConfig.newBuilder()
                .putSysctls("vm.swappiness", "1")).build();
        IOException refused = assertThrows(IOException.class, () -> sandboxes.run(hostWide, "runc"));
        assertTrue(refused.getMessage().contains("vm.swappiness is not namespaced"), refused.getMessage());
        assertEquals(List.of(), store.list());
    }

    @Test
    void aFailedRunLeavesNoRecordNamespaceOrFile() throws Exception {
        Files.writeString(netd.resolve("10-fake.conflist"),
                "{\"cniVersion\":\"1.0.0\",\"name\":\"fake\",\"plugins\":[{\"type\":\"fake\"},{\"type\":\"missing\"}]}");
        IOException failure = assertThrows(IOException.class, () -> sandboxes().run(pod("web"), "runc"));
        assertTrue(failure.getMessage().contains("no executable \"missing\""), failure.getMessage());
        assertEquals(List.of(), store.list());
        try (var left = Files.list(pods)) {
            assertEquals(List.of(), left.toList());
        }
        List<String> commands = Files.readAllLines(calls).stream().map(l -> l.substring(0, l.indexOf(" /"))).toList();
        assertEquals(List.of("loopback ADD lo", "fake ADD eth0", "fake DEL eth0", "fake DEL eth0"), commands,
                "the chain's own undo, then the run's");
    }

    @Test
    void withoutANetworkOnlyHostNetworkPodsRun() throws Exception {
        Files.delete(netd.resolve("10-fake.conflist"));
        PodSandboxes sandboxes = sandboxes();
        assertTrue(sandboxes.network().isEmpty());
        IOException refused = assertThrows(IOException.class, () -> sandboxes.run(pod("web"), "runc"));
        assertTrue(refused.getMessage().contains("only host-network pods can run"), refused.getMessage());

        PodSandboxConfig host = pod("host").toBuilder().setLinux(LinuxPodSandboxConfig.newBuilder()
                .setSecurityContext(LinuxSandboxSecurityContext.newBuilder()
                        .setNamespaceOptions(NamespaceOption.newBuilder()
                                .setNetwork(NamespaceMode.NODE)))).build();
        String id = sandboxes.run(host, "runc");
        assertFalse(Files.exists(pods.resolve(id).resolve("netns")));
        assertTrue(pinned(pods.resolve(id).resolve("ipcns")));
        assertEquals("", sandboxes.status(id, false).getStatus().getNetwork().getIp());
        sandboxes.remove(id);
        assertFalse(Files.exists(calls), "no CNI plugin ran for a host-network pod");
    }
}
