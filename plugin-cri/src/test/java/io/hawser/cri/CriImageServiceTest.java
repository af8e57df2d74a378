package io.hawser.cri;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.hawser.content.CollectionReport;
import io.hawser.cri.api.v1.AuthConfig;
import io.hawser.cri.api.v1.Image;
import io.hawser.cri.api.v1.ImageFilter;
import io.hawser.cri.api.v1.ImageServiceGrpc;
import io.hawser.cri.api.v1.ImageSpec;
import io.hawser.cri.api.v1.ImageStatusRequest;
import io.hawser.cri.api.v1.ImageStatusResponse;
import io.hawser.cri.api.v1.ListImagesRequest;
import io.hawser.cri.api.v1.PullImageRequest;
import io.hawser.cri.api.v1.RemoveImageRequest;
import io.hawser.cri.api.v1.StreamImagesRequest;
import io.hawser.images.Platform;
import io.hawser.images.PullOptions;
import io.hawser.images.RegistryAuth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CriImageServiceTest {

    private static final String BUSYBOX = "registry.local:5000/test/busybox:1.0";

    private final FakeImages kernel = new FakeImages();
    private final AtomicInteger collections = new AtomicInteger();
    private InProcess served;
    private ManagedChannel channel;
    private ImageServiceGrpc.ImageServiceBlockingStub stub;

    @BeforeEach
    void serve() throws Exception {
        CriImageService service = new CriImageService(new CriImages(kernel, () -> kernel, kernel, Platform.LINUX_AMD64),
                () -> kernel, kernel, kernel, () -> {
                    collections.incrementAndGet();
                    return new CollectionReport(List.of(), 0, List.of(), 0, Duration.ZERO);
                }, FakeImages.storage(null), PullOptions.defaults().withPlatform(Platform.LINUX_AMD64));
        served = new InProcess(service.bindService());
        channel = served.channel;
        stub = ImageServiceGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void stop() throws Exception {
        served.close();
    }

    @Test
    void pullAnswersTheImageIdAndRecordsTheRepositoryDigest() throws Exception {
        FakeImages.Published busybox = kernel.publish(BUSYBOX, "1000:1000");
        String ref = stub.pullImage(pull(BUSYBOX).build()).getImageRef();
        assertEquals(busybox.config().digest().toString(), ref);
        assertNull(kernel.pulls.getFirst().auth());
        String byDigest = "registry.local:5000/test/busybox@" + busybox.manifest().digest();
        assertTrue(kernel.get(byDigest).isPresent(), "repository digest recorded");

        Image image = stub.listImages(ListImagesRequest.getDefaultInstance()).getImages(0);
        assertEquals(ref, image.getId());
        assertEquals(List.of(BUSYBOX), image.getRepoTagsList());
        assertEquals(List.of(byDigest), image.getRepoDigestsList());
        assertEquals(busybox.resolved().size(), image.getSize());
        assertEquals(1000, image.getUid().getValue());
        assertEquals("", image.getUsername());
        assertFalse(image.getPinned());
    }

    @Test
    void pullPassesTheRequestsCredentials() throws Exception {
        kernel.publish(BUSYBOX, "");
        stub.pullImage(pull(BUSYBOX).setAuth(AuthConfig.newBuilder().setUsername("u").setPassword("p").setServerAddress("registry.local:5000")).build());
        assertEquals(new RegistryAuth.Basic("registry.local:5000", "u", "p"), kernel.pulls.getFirst().auth());
        assertEquals(Platform.LINUX_AMD64, kernel.pulls.getFirst().platform());
    }

    @Test
    void badRequestsNameTheField() {
        assertInvalid("image is missing", () -> stub.pullImage(PullImageRequest.getDefaultInstance()));
        assertInvalid("image.image must not be empty", () -> stub.pullImage(pull(" ").build()));
        assertInvalid("image is missing", () -> stub.imageStatus(ImageStatusRequest.getDefaultInstance()));
        assertInvalid("image is missing", () -> stub.removeImage(RemoveImageRequest.getDefaultInstance()));
        StatusRuntimeException malformed = assertThrows(StatusRuntimeException.class, () -> stub.pullImage(pull("Upper/Case").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, malformed.getStatus().getCode());
        assertTrue(malformed.getStatus().getDescription().contains("lower case"), malformed.getStatus().getDescription());
    }

    @Test
    void pullOfAMissingImageIsNotFound() {
        StatusRuntimeException missing = assertThrows(StatusRuntimeException.class, () -> stub.pullImage(pull(BUSYBOX).build()));
        assertEquals(Status.Code.NOT_FOUND, missing.getStatus().getCode());
        assertTrue(missing.getStatus().getDescription().contains("test/busybox"), missing.getStatus().getDescription());
    }

    @Test
    void statusByTagIdOrDigestAndEmptyWhenAbsent() throws Exception {
        FakeImages.Published busybox = kernel.publish(BUSYBOX, "www-data");
        assertFalse(status(BUSYBOX, false).hasImage(), "not pulled yet: an empty answer, not an error");
        String id = stub.pullImage(pull(BUSYBOX).build()).getImageRef();
        String bareId = id.substring("sha256:".length());
        for (String name : List.of(BUSYBOX, "registry.local:5000/test/busybox:1.0", id, bareId,
                "registry.local:5000/test/busybox@" + busybox.manifest().digest())) {
            ImageStatusResponse status = status(name, false);
            assertEquals(id, status.getImage().getId(), name);
            assertEquals("www-data", status.getImage().getUsername());
            assertFalse(status.getImage().hasUid());
            assertTrue(status.getInfoMap().isEmpty());
        }
        var info = new ObjectMapper().readTree(status(id, true).getInfoMap().get("info"));
        assertEquals(busybox.manifest().digest().toString(), info.path("manifest").asText());
        assertEquals("www-data", info.path("imageSpec").path("config").path("User").asText());
        assertEquals(busybox.resolved().chainId().toString(), info.path("chainID").asText());
    }

    @Test
    void namesResolvingToOneConfigAreOneImage() throws Exception {
        kernel.publish(BUSYBOX, "");
        stub.pullImage(pull(BUSYBOX).build());
        FakeImages.Published other = kernel.publish("registry.local:5000/test/other:2", "");
        stub.pullImage(pull("registry.local:5000/test/other:2").build());
        assertEquals(2, stub.listImages(ListImagesRequest.getDefaultInstance()).getImagesCount());

        List<Image> filtered = stub.listImages(ListImagesRequest.newBuilder()
                .setFilter(ImageFilter.newBuilder().setImage(ImageSpec.newBuilder().setImage(other.config().digest().toString()))).build())
                .getImagesList();
        assertEquals(List.of("registry.local:5000/test/other:2"), filtered.getFirst().getRepoTagsList());

        int streamed = 0;
        var batches = stub.streamImages(StreamImagesRequest.getDefaultInstance());
        while (batches.hasNext()) {
            streamed += batches.next().getImagesCount();
        }
        assertEquals(2, streamed);
    }

    @Test
    void removeTakesEveryNameOfTheImageAndIsIdempotent() throws Exception {
        kernel.publish(BUSYBOX, "");
        String id = stub.pullImage(pull(BUSYBOX).build()).getImageRef();
        assertEquals(2, kernel.list(i -> true).size(), "tag and repository digest");
        stub.removeImage(RemoveImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(BUSYBOX)).build());
        assertEquals(List.of(), kernel.list(i -> true));
        assertEquals(1, collections.get());
        assertFalse(status(id, false).hasImage());
        stub.removeImage(RemoveImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(BUSYBOX)).build());
        assertEquals(1, collections.get(), "nothing removed, nothing to collect");
    }

    @Test
    void imageIdsAndUsers() {
        String hex = "a".repeat(64);
        assertEquals("sha256:" + hex, CriImages.imageId(hex).orElseThrow().toString());
        assertEquals("sha256:" + hex, CriImages.imageId("sha256:" + hex).orElseThrow().toString());
        assertTrue(CriImages.imageId("busybox").isEmpty());
        assertTrue(CriImages.imageId("sha256:abc").isEmpty());
    }

    private ImageStatusResponse status(String name, boolean verbose) {
        return stub.imageStatus(ImageStatusRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(name)).setVerbose(verbose).build());
    }

    private static PullImageRequest.Builder pull(String name) {
        return PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(name));
    }

    private static void assertInvalid(String description, org.junit.jupiter.api.function.Executable call) {
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, call);
        assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode());
        assertEquals(description, refused.getStatus().getDescription());
    }
}
