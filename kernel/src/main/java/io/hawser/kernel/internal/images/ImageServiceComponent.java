package io.hawser.kernel.internal.images;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.hawser.content.ContentStore;
import io.hawser.content.Digest;
import io.hawser.errors.HawserException;
import io.hawser.images.Descriptor;
import io.hawser.images.ExportOptions;
import io.hawser.images.Image;
import io.hawser.images.ImageService;
import io.hawser.images.ImageStore;
import io.hawser.images.ImportOptions;
import io.hawser.images.Platform;
import io.hawser.images.PlatformMatcher;
import io.hawser.images.PullOptions;
import io.hawser.images.PullProgress;
import io.hawser.images.ResolvedImage;
import io.hawser.kernel.internal.archive.ArchiveExporter;
import io.hawser.kernel.internal.archive.ArchiveImporter;
import io.hawser.kernel.internal.metadata.Leases;
import io.hawser.kernel.internal.registry.DockerCredentials;
import io.hawser.kernel.internal.registry.HostsConfig;
import io.hawser.kernel.internal.registry.RegistryClient;
import io.hawser.plugin.Daemon;
import io.hawser.snapshots.Mounter;
import io.hawser.snapshots.Snapshotters;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The image service: pulls through the registry client, imports and exports archives, and
 * narrows images to a platform. Configured by {@code io.hawser.images}; registry hosts come from
 * {@code <config>/certs.d/<host>/hosts.toml}, credentials from Docker-style credential files.
 */
@Component(service = ImageService.class, configurationPid = ImageServiceComponent.PID)
@Designate(ocd = ImageServiceComponent.Config.class)
public final class ImageServiceComponent implements ImageService {

    static final String PID = "io.hawser.images";

    @ObjectClassDefinition(name = "Hawser images")
    public @interface Config {
        @AttributeDefinition(description = "Layers fetched at once by one pull")
        int max_concurrent_downloads() default 3;

        @AttributeDefinition(description = "Registries (host[:port]) reached over plain HTTP; loopback addresses always are")
        String[] plain_http_registries() default {};
    }

    private final ContentStore content;
    private final ImageStore images;
    private final RegistryClient registry;
    private final ImagePuller puller;
    private final Snapshotters snapshotters;
    private final Unpacker unpacker;

    @Activate
    public ImageServiceComponent(@Reference Daemon daemon, @Reference ContentStore content, @Reference ImageStore images,
            @Reference Leases leases, @Reference Snapshotters snapshotters, @Reference Mounter mounter, Config config)
            throws IOException {
        this.content = content;
        this.images = images;
        this.registry = new RegistryClient(
                new HostsConfig(daemon.config(), Set.of(config.plain_http_registries())),
                new DockerCredentials(DockerCredentials.defaultFiles(System.getenv(), Path.of(System.getProperty("user.home")))),
                RegistryClient.Settings.defaults());
        // the image service starts on first use, which is most often a pull that needs the client at once
        registry.prepare();
        this.snapshotters = snapshotters;
        this.unpacker = new Unpacker(content, mounter, UnpackScratch.scratch(daemon));
        for (String id : snapshotters.ids()) {
            unpacker.clearInterrupted(snapshotters.get(id));
        }
        this.puller = new ImagePuller(registry, content, images, leases, snapshotters, unpacker,
                config.max_concurrent_downloads(), Clock.systemUTC());
    }

    @Deactivate
    void deactivate() {
        registry.close();
    }

    @Override
    public Image pull(String reference, PullOptions options) throws IOException {
        return puller.pull(reference, options);
    }

    @Override
    public ResolvedImage resolve(Image image, Platform platform) throws IOException {
        ImageClosure closure = ImageClosure.of(content, image.target(), image.name());
        Descriptor manifest = closure.best(PlatformMatcher.of(platform))
                .orElseThrow(() -> HawserException.notFound("a manifest for platform " + platform + " in image " + image.name()));
        ImageClosure.ManifestContent parts = ImageClosure.manifest(content, manifest, image.name());
        String configWhat = "config " + parts.config().digest() + " of image " + image.name();
        JsonNode config = ImageJson.readObjectBlob(content, parts.config().digest(), configWhat);
        Platform resolved = manifest.platform() != null ? manifest.platform() : ImageJson.platform(config, configWhat);
        try {
            return new ResolvedImage(resolved, manifest, parts.config(), parts.layers(), ImageJson.diffIds(config, configWhat));
        } catch (IllegalArgumentException e) {
            throw HawserException.invalidArgument(e.getMessage());
        }
    }

    @Override
    public Digest unpack(Image image, Platform platform, String snapshotter) throws IOException {
        return unpacker.unpack(resolve(image, platform), snapshotters.get(snapshotter), PullProgress.NONE);
    }

    @Override
    public List<Image> importArchive(InputStream archive, ImportOptions options) throws IOException {
        List<Image> imported = new ArchiveImporter(content, images).importArchive(archive, options);
        if (options.unpack()) {
            for (Image image : imported) {
                unpack(image, options.platform() != null ? options.platform() : Platform.host(), options.snapshotter());
            }
        }
        return imported;
    }

    @Override
    public void exportArchive(List<String> names, OutputStream archive, ExportOptions options) throws IOException {
        new ArchiveExporter(content, images).exportArchive(names, archive, options);
    }
}
