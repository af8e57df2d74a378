package io.hawser.images;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

import io.hawser.content.Digest;
import io.hawser.errors.HawserException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Brings images into the daemon and out of it, and turns them into snapshots. The kernel provides
 * it on top of the {@link io.hawser.content.ContentStore}, the {@link ImageStore} and the
 * snapshotters. All methods block, possibly for minutes on the network; they are safe to call
 * concurrently, and two pulls of the same blob fetch it once.
 */
@ProviderType
public interface ImageService {

    /**
     * Pulls an image from its registry: resolves the reference, fetches the index or manifest, the
     * configuration and the layers of the chosen platform into the content store, records the
     * image under the reference, and unpacks it if asked. Blobs already in the store are not
     * fetched again, and an interrupted pull resumes its partial downloads.
     *
     * @param reference a reference such as {@code registry.local:5000/busybox:1.36} or
     *                  {@code …/busybox@sha256:…}; a name without registry is looked up on Docker
     *                  Hub, a name without tag gets {@code latest}
     * @return the image as recorded
     * @throws HawserException {@code INVALID_ARGUMENT} when the reference is malformed or the image
     *                         uses a media type Hawser cannot handle
     * @throws HawserException {@code NOT_FOUND} when the registry has no such image or no manifest
     *                         for the platform
     * @throws HawserException {@code UNAUTHENTICATED} when the registry refuses the credentials
     * @throws IOException                 when the registry cannot be reached or the store fails
     */
    Image pull(String reference, PullOptions options) throws IOException;

    /**
     * Narrows an image to the manifest for a platform.
     *
     * @throws HawserException {@code NOT_FOUND} when the image has no manifest for the platform, or
     *                         a blob it names is not in the content store
     */
    ResolvedImage resolve(Image image, Platform platform) throws IOException;

    /**
     * Unpacks the layers of an image for a platform into a snapshotter, one committed snapshot per
     * layer named by the chain ID of the layers up to it. Layers already unpacked there are kept.
     *
     * @param snapshotter the snapshotter's id; the empty string for the daemon's default
     * @return the chain ID of the whole stack, the name of the top snapshot
     * @throws HawserException {@code NOT_FOUND} when the image has no manifest for the platform, a
     *                         layer is not in the content store, or there is no such snapshotter
     */
    Digest unpack(Image image, Platform platform, String snapshotter) throws IOException;

    /**
     * Reads an archive in either {@link ArchiveFormat}, detected from its content, stores its
     * blobs and records its images (replacing records of the same names).
     *
     * @return the images recorded
     * @throws HawserException {@code INVALID_ARGUMENT} when the stream is not an archive Hawser
     *                         understands
     */
    List<Image> importArchive(InputStream archive, ImportOptions options) throws IOException;

    /**
     * Writes images and their blobs to an archive. Foreign layers are left out, as registries leave
     * them out.
     *
     * @param names the images to export
     * @throws HawserException {@code NOT_FOUND} when an image does not exist or a blob it needs is
     *                         missing
     */
    void exportArchive(List<String> names, OutputStream archive, ExportOptions options) throws IOException;
}
