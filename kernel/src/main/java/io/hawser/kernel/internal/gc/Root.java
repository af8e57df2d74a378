package io.hawser.kernel.internal.gc;

import java.util.Objects;

import io.hawser.content.Digest;
import io.hawser.images.Descriptor;

/**
 * A blob something holds alive, where marking starts.
 *
 * @param digest    the blob
 * @param mediaType what the blob is, when the holder knows it; an index or manifest is followed to
 *                  what it refers to. {@code null} when unknown (a leased blob): the blob is kept
 *                  but not followed, since guessing a type from bytes would let any blob that
 *                  looks like a manifest keep arbitrary others alive
 */
public record Root(Digest digest, String mediaType) {

    public Root {
        Objects.requireNonNull(digest, "digest");
    }

    /** A root whose type a descriptor states, such as an image's target. */
    public static Root of(Descriptor descriptor) {
        return new Root(descriptor.digest(), descriptor.mediaType());
    }

    /** A root of unknown type. */
    public static Root untyped(Digest digest) {
        return new Root(digest, null);
    }
}
