package io.hawser.images;

import java.util.Objects;

/**
 * How to pull an image. Start from {@link #defaults()} and change what differs.
 *
 * @param platform    the platform to pull from a multi-platform image
 * @param unpack      whether to unpack the layers into the snapshotter after fetching
 * @param snapshotter the snapshotter to unpack into; the empty string for the daemon's default
 * @param auth        credentials for the registry, or {@code null} to pull anonymously
 * @param progress    the listener to tell how the pull advances
 */
public record PullOptions(Platform platform, boolean unpack, String snapshotter, RegistryAuth auth, PullProgress progress) {

    public PullOptions {
        Objects.requireNonNull(platform, "platform");
        snapshotter = snapshotter == null ? "" : snapshotter;
        progress = progress == null ? PullProgress.NONE : progress;
    }

    /** The host's platform, unpacked into the default snapshotter, anonymously, silently. */
    public static PullOptions defaults() {
        return new PullOptions(Platform.host(), true, "", null, PullProgress.NONE);
    }

    /** These options for another platform. */
    public PullOptions withPlatform(Platform platform) {
        return new PullOptions(platform, unpack, snapshotter, auth, progress);
    }

    /** These options unpacking into the given snapshotter, or not unpacking at all. */
    public PullOptions withUnpack(boolean unpack, String snapshotter) {
        return new PullOptions(platform, unpack, snapshotter, auth, progress);
    }

    /** These options with credentials. */
    public PullOptions withAuth(RegistryAuth auth) {
        return new PullOptions(platform, unpack, snapshotter, auth, progress);
    }

    /** These options reporting to a listener. */
    public PullOptions withProgress(PullProgress progress) {
        return new PullOptions(platform, unpack, snapshotter, auth, progress);
    }
}
