package io.hawser.cli;

import java.io.FileInputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.security.Provider;
import java.security.ProviderException;
import java.security.SecureRandomSpi;

import sun.nio.ch.DefaultSelectorProvider;
import sun.security.jca.ProviderList;
import sun.security.jca.Providers;

/**
 * Opens the client's unix socket channel the short way: every {@code hawser} call is a new JVM,
 * and the usual way costs about 10 ms of each, a tenth of a whole {@code hawser run}.
 *
 * <p>Two detours of the usual way are skipped. The JDK looks up its selector provider through a
 * service loader, which scans the class path; the default one is taken directly. And the JDK's
 * unix socket class asks the security providers for a {@code SecureRandom}
 * ({@code NativePRNGNonBlocking}) when it is initialised, to name the temporary sockets it binds
 * for channels bound without an address, which the client never does; got the usual way, the JDK
 * first starts its SUN provider with its hundreds of algorithms. So while the channel class
 * initialises, this thread's provider list holds one provider with just that algorithm, read from
 * {@code /dev/urandom} like the JDK's own. Both are the JDK's internal API, which
 * {@code bin/hawser} exports to the class path ({@code --add-exports}); started without the
 * exports, the client takes the usual way.
 */
final class UnixSockets {

    private static final String ALGORITHM = "NativePRNGNonBlocking";

    private UnixSockets() {}

    static SocketChannel open() throws IOException {
        try {
            return openShortWay();
        } catch (IllegalAccessError notExported) {
            return SocketChannel.open(StandardProtocolFamily.UNIX);
        }
    }

    private static SocketChannel openShortWay() throws IOException {
        ProviderList previous = Providers.beginThreadProviderList(ProviderList.newList(new UrandomProvider()));
        try {
            return DefaultSelectorProvider.get().openSocketChannel(StandardProtocolFamily.UNIX);
        } finally {
            Providers.endThreadProviderList(previous);
        }
    }

    /** A provider of the one algorithm the channel class asks for, made without reflection. */
    private static final class UrandomProvider extends Provider {
        private static final long serialVersionUID = 1L;

        UrandomProvider() {
            super("HawserCliUrandom", "1", ALGORITHM + " from /dev/urandom, for the hawser client's unix socket");
            putService(new Service(this, "SecureRandom", ALGORITHM, Urandom.class.getName(), null, null) {
                @Override
                public Object newInstance(Object parameters) {
                    return new Urandom();
                }
            });
        }
    }

    /** Random bytes from {@code /dev/urandom}, opened for each request: the channel class asks only to name temporary sockets. */
    private static final class Urandom extends SecureRandomSpi {
        private static final long serialVersionUID = 1L;

        @Override
        protected void engineSetSeed(byte[] seed) {
            // the kernel's pool needs no seed from us
        }

        @Override
        protected void engineNextBytes(byte[] bytes) {
            try (FileInputStream urandom = new FileInputStream("/dev/urandom")) {
                if (urandom.readNBytes(bytes, 0, bytes.length) != bytes.length) {
                    throw new ProviderException("/dev/urandom ended early");
                }
            } catch (IOException e) {
                throw new ProviderException("cannot read /dev/urandom", e);
            }
        }

        @Override
        protected byte[] engineGenerateSeed(int length) {
            byte[] seed = new byte[length];
            engineNextBytes(seed);
            return seed;
        }
    }
}
