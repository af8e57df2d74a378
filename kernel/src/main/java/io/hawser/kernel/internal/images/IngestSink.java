package io.hawser.kernel.internal.images;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;

import io.hawser.content.ContentWriter;
import io.hawser.images.BlobProgress;
import io.hawser.images.Descriptor;
import io.hawser.images.PullProgress;
import io.hawser.kernel.internal.registry.BlobSink;

/**
 * A registry download landing in a content store ingest, reporting progress as it goes. The
 * ingest survives an interrupted download, so the next attempt asks the registry only for the rest.
 */
final class IngestSink implements BlobSink {

    private final ContentWriter writer;
    private final Descriptor blob;
    private final PullProgress progress;

    IngestSink(ContentWriter writer, Descriptor blob, PullProgress progress) {
        this.writer = writer;
        this.blob = blob;
        this.progress = progress;
    }

    @Override
    public long held() throws IOException {
        return writer.offset();
    }

    @Override
    public void hashHeld(MessageDigest hasher) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream held = writer.readWritten()) {
            for (int n; (n = held.read(buffer)) > 0; ) {
                hasher.update(buffer, 0, n);
            }
        }
    }

    @Override
    public void discardHeld() throws IOException {
        writer.truncate(0);
    }

    @Override
    public void write(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            writer.write(bytes);
        }
        progress.update(new BlobProgress(blob, BlobProgress.State.DOWNLOADING, writer.offset()));
    }

    /** The ingest's commit, which the puller asks for the blob's digest, verifies what it holds. */
    @Override
    public boolean verifiesDigest() {
        return true;
    }
}
