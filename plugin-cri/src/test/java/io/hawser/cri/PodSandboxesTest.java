package io.hawser.cri;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.hawser.cri.api.v1.DNSConfig;
import io.hawser.cri.api.v1.PodSandboxConfig;
import io.hawser.cri.api.v1.PodSandboxMetadata;
import io.hawser.cri.api.v1.PortMapping;
import io.hawser.cri.api.v1.Protocol;
import org.junit.jupiter.api.Test;

/** What a pod's configuration becomes: resolv.conf, hostname, identity, CNI runtime values. */
class PodSandboxesTest {

    private static final PodSandboxMetadata WEB = PodSandboxMetadata.newBuilder()
            .setName("web").setNamespace("prod").setUid("u-1").setAttempt(2).build();

    @Test
    void resolvConfIsWrittenFromTheDnsConfig() {
        DNSConfig dns = DNSConfig.newBuilder().addServers("10.96.0.10").addServers("10.96.0.11")
                .addSearches("prod.svc.cluster.local").addSearches("svc.cluster.local").addOptions("ndots:5").build();
        assertEquals("""
                search prod.svc.cluster.local svc.cluster.local
                nameserver 10.96.0.10
                nameserver 10.96.0.11
                options ndots:5
                """, PodSandboxes.resolvConf(dns));
        assertEquals("nameserver 1.1.1.1\n", PodSandboxes.resolvConf(DNSConfig.newBuilder().addServers("1.1.1.1").build()));
    }

    @Test
    void theHostnameIsTheAskedOneElseTheNodes() throws Exception {
        assertEquals(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).strip(),
                PodSandboxes.hostname(PodSandboxConfig.newBuilder().setMetadata(WEB).build()));
        assertEquals("box", PodSandboxes.hostname(PodSandboxConfig.newBuilder().setMetadata(WEB).setHostname("box").build()));
    }

    @Test
    void aPodAttemptIsIdentifiedByNameNamespaceUidAndAttempt() {
        assertEquals("web_prod_u-1_2", PodSandboxes.fullName(PodSandboxConfig.newBuilder().setMetadata(WEB).build()));
    }

    @Test
    void hostPortsBecomePortmapsRuntimeConfig() {
        PodSandboxConfig config = PodSandboxConfig.newBuilder().setMetadata(WEB)
                .addPortMappings(PortMapping.newBuilder().setContainerPort(80).setHostPort(8080))
                .addPortMappings(PortMapping.newBuilder().setProtocol(Protocol.UDP).setContainerPort(53).setHostPort(5353).setHostIp("127.0.0.1"))
                .addPortMappings(PortMapping.newBuilder().setContainerPort(9090))
                .build();
        assertEquals("{\"portMappings\":[{\"hostPort\":8080,\"containerPort\":80,\"protocol\":\"tcp\"},"
                + "{\"hostPort\":5353,\"containerPort\":53,\"protocol\":\"udp\",\"hostIP\":\"127.0.0.1\"}]}",
                PodSandboxes.runtimeConfig(config).toString());
        assertFalse(PodSandboxes.runtimeConfig(PodSandboxConfig.getDefaultInstance()).has("portMappings"),
                "no mappings, no runtime value: portmap then does nothing");
    }
}
