package io.hawser.kernel.internal.digest;

import java.lang.System.Logger.Level;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.ProviderException;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * SHA-256 computed by OpenSSL's libcrypto, as a {@link MessageDigest} so it fits wherever the
 * JDK's does. hawserd runs C1 only, and C1 has no intrinsic for the CPU's SHA instructions, so the
 * JDK's SHA-256 runs as plain Java at a fraction of the speed libcrypto reaches at any JIT tier.
 *
 * <p>Bytes from the Java heap are copied into a native staging buffer and handed to libcrypto a
 * buffer at a time: JNA would copy a whole array (there and back) on every call that passes one,
 * and one native call per small update would cost more than hashing it. Bytes in a direct buffer
 * go to libcrypto where they are. The native context and buffer are freed when the hasher becomes
 * unreachable. Like any {@code MessageDigest}, one instance serves one thread at a time.
 */
public final class LibCryptoSha256 extends MessageDigest implements Cloneable {

    private static final System.Logger LOG = System.getLogger(LibCryptoSha256.class.getName());

    /**
     * JNA finds {@code libcrypto.so}, or without the development package the newest
     * {@code libcrypto.so.N} ({@code libcrypto.so.3} of Debian's libssl3). The EVP calls used here
     * have had these signatures since OpenSSL 1.1.
     */
    private static final String LIBRARY = "crypto";
    private static final int DIGEST_LENGTH = 32;
    /** Large enough that the native call per buffer is noise, small enough to stay in cache. */
    private static final int STAGING_SIZE = 64 * 1024;

    /** {@code EVP_sha256()}, or 0 when libcrypto is not usable and the JDK hashes instead. */
    private static final long EVP_SHA256 = bind(LIBRARY);

    private final long context;
    private final long staging;
    private final Pointer stagingView;
    private int staged;

    /** Frees the native memory of a hasher; it must not refer to the hasher, or it would never run. */
    private record NativeMemory(long context, long staging) implements Runnable {
        @Override
        public void run() {
            EVP_MD_CTX_free(context);
            Native.free(staging);
        }
    }

    /** Created with the first hasher, so a daemon that hashes nothing has no cleaner thread. */
    private static final class Cleanup {
        static final Cleaner CLEANER = Cleaner.create();
    }

    /**
     * A hasher; only when {@link #isAvailable()}.
     *
     * @throws ProviderException when libcrypto cannot allocate or start a context
     */
    public LibCryptoSha256() {
        super("SHA-256");
        long newContext = EVP_MD_CTX_new();
        long newStaging = Native.malloc(STAGING_SIZE);
        if (newContext == 0 || newStaging == 0) {
            EVP_MD_CTX_free(newContext);
            Native.free(newStaging);
            throw new ProviderException("libcrypto: out of memory for a SHA-256 context");
        }
        context = newContext;
        staging = newStaging;
        stagingView = new Pointer(newStaging);
        Cleanup.CLEANER.register(this, new NativeMemory(newContext, newStaging));
        start();
    }

    /** Whether libcrypto loaded and can hash SHA-256 here. */
    public static boolean isAvailable() {
        return EVP_SHA256 != 0;
    }

    /**
     * Binds the native methods of this class to a library and checks that a SHA-256 context
     * starts, logging once at debug which implementation hashes.
     *
     * @return {@code EVP_sha256()}, or 0 when the library, one of its functions or SHA-256 is missing
     */
    static long bind(String library) {
        try {
            if (Native.POINTER_SIZE != Long.BYTES) {
                LOG.log(Level.DEBUG, "SHA-256 hashed by the JDK: libcrypto is bound on 64-bit platforms only");
                return 0;
            }
            NativeLibrary crypto = NativeLibrary.getInstance(library);
            Native.register(LibCryptoSha256.class, crypto);
            long sha256 = EVP_sha256();
            // a libcrypto without a provider for SHA-256 (a broken OPENSSL_CONF) fails only here
            long probe = EVP_MD_CTX_new();
            boolean starts = probe != 0 && sha256 != 0 && EVP_DigestInit_ex(probe, sha256, 0) == 1;
            EVP_MD_CTX_free(probe);
            if (starts) {
                LOG.log(Level.DEBUG, "SHA-256 hashed by OpenSSL''s libcrypto ({0})", crypto.getFile());
                return sha256;
            }
            LOG.log(Level.DEBUG, "SHA-256 hashed by the JDK: {0} cannot start a SHA-256 context", crypto.getFile());
        } catch (LinkageError e) {
            LOG.log(Level.DEBUG, "SHA-256 hashed by the JDK: libcrypto did not load ({0})", e.getMessage());
        }
        return 0;
    }

    @Override
    protected int engineGetDigestLength() {
        return DIGEST_LENGTH;
    }

    @Override
    protected void engineUpdate(byte input) {
        if (staged == STAGING_SIZE) {
            flush();
        }
        try {
            stagingView.setByte(staged++, input);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    @Override
    protected void engineUpdate(byte[] input, int offset, int length) {
        try {
            for (int from = offset, end = offset + length; from < end; ) {
                int n = Math.min(end - from, STAGING_SIZE - staged);
                stagingView.write(staged, input, from, n);
                staged += n;
                from += n;
                if (staged == STAGING_SIZE) {
                    flush();
                }
            }
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** A direct buffer's bytes go to libcrypto in place; a heap buffer's through its array. */
    @Override
    protected void engineUpdate(ByteBuffer input) {
        if (!input.isDirect()) {
            super.engineUpdate(input);
            return;
        }
        flush();
        long address = Pointer.nativeValue(Native.getDirectBufferPointer(input)) + input.position();
        try {
            check(EVP_DigestUpdate(context, address, input.remaining()), "EVP_DigestUpdate");
        } finally {
            Reference.reachabilityFence(input);
            Reference.reachabilityFence(this);
        }
        input.position(input.limit());
    }

    @Override
    protected byte[] engineDigest() {
        flush();
        byte[] hash = new byte[DIGEST_LENGTH];
        try {
            check(EVP_DigestFinal_ex(context, staging, 0), "EVP_DigestFinal_ex");
            stagingView.read(0, hash, 0, DIGEST_LENGTH);
        } finally {
            Reference.reachabilityFence(this);
        }
        start();
        return hash;
    }

    @Override
    protected void engineReset() {
        staged = 0;
        start();
    }

    /** A hasher that continues independently from the bytes hashed so far. */
    @Override
    public Object clone() {
        flush();
        LibCryptoSha256 copy = new LibCryptoSha256();
        try {
            check(EVP_MD_CTX_copy_ex(copy.context, context), "EVP_MD_CTX_copy_ex");
        } finally {
            Reference.reachabilityFence(this);
        }
        return copy;
    }

    /** Hands the staged bytes to libcrypto. */
    private void flush() {
        if (staged == 0) {
            return;
        }
        try {
            check(EVP_DigestUpdate(context, staging, staged), "EVP_DigestUpdate");
        } finally {
            Reference.reachabilityFence(this);
        }
        staged = 0;
    }

    private void start() {
        try {
            check(EVP_DigestInit_ex(context, EVP_SHA256, 0), "EVP_DigestInit_ex");
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    private static void check(int result, String function) {
        if (result != 1) {
            throw new ProviderException("libcrypto: " + function + " failed");
        }
    }

    // libcrypto, bound by bind(); pointers and size_t are passed as long (64-bit Linux)

    private static native long EVP_sha256();

    private static native long EVP_MD_CTX_new();

    private static native void EVP_MD_CTX_free(long context);

    private static native int EVP_DigestInit_ex(long context, long type, long engine);

    private static native int EVP_DigestUpdate(long context, long data, long count);

    private static native int EVP_DigestFinal_ex(long context, long hash, long length);

    private static native int EVP_MD_CTX_copy_ex(long to, long from);
}
