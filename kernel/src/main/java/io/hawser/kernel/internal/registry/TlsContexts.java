package io.hawser.kernel.internal.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
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
}
