/**
 * Images: named pointers into the content store, and the service that fills it.
 *
 * <p>An {@link io.hawser.images.Image} is a name ({@code registry.local/busybox:1.36}) and a
 * {@link io.hawser.images.Descriptor} of its target: either a single manifest or an index of
 * manifests, one per {@link io.hawser.images.Platform}. A manifest names a configuration blob and
 * the layers, bottom first. All of these are blobs in the {@link io.hawser.content.ContentStore};
 * the {@link io.hawser.images.ImageStore} keeps only the names and labels.
 *
 * <h2>Lifecycle</h2>
 * {@link io.hawser.images.ImageService#pull Pull} resolves a reference at the registry, picks the
 * manifest for the wanted platform with a {@link io.hawser.images.PlatformMatcher}, fetches the
 * blobs that are not yet present through resumable ingests, and records the image. Unpacking then
 * applies each layer to a snapshot, so a container can be given a root filesystem: the top
 * snapshot's name is the chain ID of the layers, so images that share a base share its
 * snapshots. Import and export do the same with tar archives instead of a registry. Removing an
 * image removes only its record; the garbage collector later removes blobs and snapshots no
 * image or container refers to.
 *
 * <h2>Platforms</h2>
 * Images are Linux images. By default Hawser pulls the host's own platform (amd64 on the machines
 * it is built for), falling back to older variants of the same architecture and, on 64-bit ARM,
 * to 32-bit ARM.
 *
 * <h2>Errors</h2>
 * Blocking methods throw {@link java.io.IOException}; the conditions a caller handles are
 * {@link io.hawser.errors.HawserException}s with the codes {@code NOT_FOUND}, {@code
 * ALREADY_EXISTS}, {@code UNAUTHENTICATED} (the registry wants or refuses credentials) and {@code
 * INVALID_ARGUMENT}. Malformed values given to parsers ({@link io.hawser.images.Platform#parse}) are
 * {@link java.lang.IllegalArgumentException}s, except {@link io.hawser.images.Reference#parse}: an
 * image reference is what users type most, so a bad one is refused with {@code INVALID_ARGUMENT}
 * and reaches them like any other refused request.
 */
@Export
@Version("1.1.0")
package io.hawser.images;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
