package io.hawser.kernel.internal.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

import io.hawser.errors.HawserException;

/** TLS contexts for registry hosts: the system's authorities plus configured ones, or no checks. */
final class TlsContexts {

    private TlsContexts() {}

    /**
     * A context trusting the JDK's certificate authorities and those in {@code caFiles}, or, with
     * {@code skipVerify}, any certificate for any host name.
     *
     * @throws HawserException {@code FAILED_PRECONDITION} when a CA file cannot be read, naming it
     */
    static SSLContext create(boolean skipVerify, List<Path> caFiles) throws HawserException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            TrustManager trust = skipVerify ? new TrustingAnything() : trusting(caFiles);
            context.init(null, new TrustManager[] {trust}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw HawserException.failedPrecondition("cannot set up TLS with CA files " + caFiles + ": " + e.getMessage());
        }
    }

    /**
     * The context {@code create(false, List.of())} makes, trusting the JDK's certificate
     * authorities, made when a TLS connection first needs it instead of now. Making it loads
     * some 400 classes of the JDK's TLS code and parses its CA certificates, 100 ms and more in a
     * daemon that has just started; a pull from a plain-HTTP registry never needs it. An HTTP
     * client given this context must also be given {@link #clientParameters()}, or it asks the
     * context for its defaults at once.
     */
    static SSLContext systemDeferred() {
        return new SSLContext(new DeferredSystemContext(), Security.getProvider("SunJSSE"), "TLS") {};
    }

    /**
     * The JDK's default client protocols (those of {@code jdk.tls.client.protocols} when set),
     * cipher suites left to the context's defaults: what a system context's default parameters
     * hold, without making the context.
     */
    static SSLParameters clientParameters() {
        String configured = System.getProperty("jdk.tls.client.protocols", "").strip();
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(configured.isEmpty() ? new String[] {"TLSv1.3", "TLSv1.2"} : configured.split("\\s*,\\s*"));
        return parameters;
    }

    private static X509TrustManager trusting(List<Path> caFiles) throws GeneralSecurityException, HawserException {
        X509TrustManager system = defaultTrustManager(null);
        if (caFiles.isEmpty()) {
            return system;
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        int n = 0;
        for (X509Certificate ca : system.getAcceptedIssuers()) {
            store.setCertificateEntry("system-" + n++, ca);
        }
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        for (Path file : caFiles) {
            try (InputStream in = Files.newInputStream(file)) {
                for (Certificate ca : x509.generateCertificates(in)) {
                    store.setCertificateEntry("configured-" + n++, ca);
                }
            } catch (IOException | GeneralSecurityException e) {
                throw HawserException.failedPrecondition("CA file " + file + " cannot be read as PEM certificates: " + e.getMessage());
            }
        }
        return defaultTrustManager(store);
    }

    private static X509TrustManager defaultTrustManager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("the JDK offers no X.509 trust manager");
    }

    /**
     * Accepts every certificate. Being an extended trust manager, it also replaces the JDK's host
     * name check, which the HTTP client would otherwise still make.
     */
    private static final class TrustingAnything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /** Makes the system context on first use and hands every call to it. */
    private static final class DeferredSystemContext extends SSLContextSpi {
        private SSLContext context;

        private synchronized SSLContext context() {
            if (context == null) {
                try {
                    context = create(false, List.of());
                } catch (HawserException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }
            return context;
        }

        @Override
        protected void engineInit(KeyManager[] keys, TrustManager[] trust, SecureRandom random) {
            throw new UnsupportedOperationException("the deferred system TLS context initializes itself");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return context().getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return context().getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return context().createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return context().createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return context().getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return context().getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return context().getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return context().getSupportedSSLParameters();
        }
    }
}
