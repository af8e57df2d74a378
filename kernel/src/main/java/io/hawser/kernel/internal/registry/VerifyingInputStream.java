package io.hawser.kernel.internal.registry;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

import io.hawser.content.Digest;
import io.hawser.errors.HawserException;
import io.hawser.images.Descriptor;

/**
 * Passes a blob's bytes through while hashing them, and refuses the blob the moment it is known to
 * be wrong: the read that would deliver its last byte fails instead when the digest differs, so a
 * reader never sees a complete blob that does not verify. A read past the descriptor's size fails,
 * and so does the end of the stream before it (a truncated download, which a later fetch resumes).
 * Without a hasher it checks only the size, for a reader that verifies the digest itself.
 */
final class VerifyingInputStream extends FilterInputStream {

    private final Descriptor expected;
    private final MessageDigest hasher;
    private final String source;
    private long position;
    private boolean verified;

    /**
     * @param in       the bytes of the blob from {@code offset} on
     * @param expected the blob's descriptor: size and digest
     * @param hasher   a hasher of the descriptor's algorithm that has hashed the first
     *                 {@code offset} bytes already, or {@code null} to check only the size
     * @param offset   where {@code in} starts in the blob
     * @param source   where the bytes come from, for messages
     */
    VerifyingInputStream(InputStream in, Descriptor expected, MessageDigest hasher, long offset, String source) {
        super(in);
        this.expected = expected;
        this.hasher = hasher;
        this.position = offset;
        this.source = source;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n < 0) {
            if (position < expected.size()) {
                throw HawserException.unavailable("blob " + expected.digest() + " from " + source + " ended after "
                        + position + " of " + expected.size() + " bytes");
            }
            verify();
            return -1;
        }
        position += n;
        if (position > expected.size()) {
            throw HawserException.failedPrecondition("blob " + expected.digest() + " from " + source
                    + " is longer than the " + expected.size() + " bytes its descriptor gives");
        }
        if (hasher != null) {
            hasher.update(buffer, offset, n);
        }
        if (position == expected.size()) {
            verify();
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // skipped bytes would go unhashed
        byte[] discard = new byte[(int) Math.min(n, 8192)];
        int read = read(discard, 0, discard.length);
        return Math.max(read, 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void verify() throws HawserException {
        if (verified || hasher == null) {
            return;
        }
        Digest actual = expected.digest().algorithm().fromHash(hasher.digest());
        if (!actual.equals(expected.digest())) {
            throw HawserException.failedPrecondition("blob from " + source + " does not match its digest: expected "
                    + expected.digest() + ", got " + actual);
        }
        verified = true;
    }
}
