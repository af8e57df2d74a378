/**
 * The content store: blobs addressed by their digest.
 *
 * <p>Everything Hawser fetches or imports (manifests, indexes, configs, compressed layers) is kept
 * as an immutable blob whose name is its {@link io.hawser.content.Digest}. The store does not know
 * media types or image structure; that belongs to {@code io.hawser.images}. It knows bytes, their
 * size, their digest and a set of labels, through which the garbage collector finds which blobs are
 * still referenced.
 *
 * <h2>Ingest</h2>
 * A blob enters the store through an <em>ingest</em>, a partial file named by a caller-chosen
 * <em>ref</em> (for a pull, typically the registry and the digest being fetched). A caller opens a
 * {@link io.hawser.content.ContentWriter} for the ref, learns from
 * {@link io.hawser.content.ContentWriter#offset()} how much an earlier, interrupted attempt already
 * wrote, continues from there, and finally commits. Commit checks the bytes against the expected
 * size and digest and only then moves them into place in one atomic step, so a blob is either
 * complete and verified or absent; a reader never sees a half-written blob. Closing a writer
 * without committing keeps the ingest so a download broken off by a network failure or a daemon
 * restart resumes where it stopped. Only one writer at a time may hold a ref; stale ingests are
 * listed by {@link io.hawser.content.ContentStore#statuses()} and removed by
 * {@link io.hawser.content.ContentStore#abort(String)}.
 *
 * <h2>Reading and deleting</h2>
 * Committed blobs are read with random access, since layer formats with a table of contents and
 * resumable exports want to seek. Deleting a blob does not wait for readers that have it open:
 * they keep reading the bytes they opened.
 *
 * <h2>Garbage collection</h2>
 * The {@link io.hawser.content.GarbageCollector} deletes committed blobs that no image, lease or
 * (later) container reaches through manifests and indexes, and ingests left untouched longer than
 * a configured age. Committing waits while a collection runs, so what a caller has leased before
 * committing is never swept from under it.
 *
 * <h2>Errors</h2>
 * Blocking methods throw {@link java.io.IOException}; the conditions a caller handles are
 * {@link io.hawser.errors.HawserException}s: {@code NOT_FOUND} for a blob or ingest, {@code
 * ALREADY_EXISTS} as a {@link io.hawser.content.BlobExistsException} carrying the digest,
 * {@code UNAVAILABLE} for a ref another writer holds (retry later) and {@code FAILED_PRECONDITION}
 * for a size or digest mismatch at commit. Any other {@code IOException} is a storage failure.
 */
@Export
@Version("1.0.0")
package io.hawser.content;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
