package io.callbridge.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import io.callbridge.support.CallbridgeApp;
import io.callbridge.support.Events;
import io.callbridge.support.TestBroker;
import io.callbridge.support.TestCertificates;
import io.callbridge.support.TestCertificates.Issued;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HTTPS on the API port from PEM files made here: the assistant with its client certificate is served, plain HTTP is not,
 * a client without a certificate or with one from another CA is refused, health stays open to probes, and a certificate
 * replaced on disk is served to the next connection without a restart.
 */
class TlsIT {

    private static Path dir;
    private static Issued serverCa;
    private static Issued clientCa;
    private static Issued assistant;
    private static CallbridgeApp app;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("callbridge-tls");
        serverCa = TestCertificates.authority("Test server CA");
        clientCa = TestCertificates.authority("Test client CA");
        assistant = TestCertificates.client(clientCa, "voice-assistant");
        TestCertificates.server(serverCa, "callbridge-1").writePem(dir.resolve("tls.crt"), dir.resolve("tls.key"));
        TestCertificates.writePem(dir.resolve("clients-ca.crt"), clientCa);
        app = CallbridgeApp.on(TestBroker.shared())
                .with("callbridge.http.tls.cert-file", dir.resolve("tls.crt").toString())
                .with("callbridge.http.tls.key-file", dir.resolve("tls.key").toString())
                .with("callbridge.http.tls.client-ca-file", dir.resolve("clients-ca.crt").toString())
                .with("callbridge.http.tls.reload-interval-ms", "200")
                .start();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static URI https(String path) {
        return URI.create("https://localhost:" + app.httpPort() + path);
    }

    private static HttpResponse<String> postEvent(SSLContext tls) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
        return client.send(HttpRequest.newBuilder(https("/v1/call-events")).header("Content-Type", "application/cloudevents+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Events.designExample())).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theAssistantWithItsClientCertificateIsServedOverHttps() throws Exception {
        HttpResponse<String> r = postEvent(assistant.clientContext(serverCa));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(r.sslSession()).hasValueSatisfying(s -> assertThat(s.getProtocol()).isIn("TLSv1.2", "TLSv1.3"));
    }

    @Test
    void plainHttpOnTheSamePortIsNotServed() {
        assertThatThrownBy(() -> Events.send(HttpRequest.newBuilder(URI.create("http://localhost:" + app.httpPort()
                + "/observe/health")).timeout(Duration.ofSeconds(5)).build()))
                .as("a plain request to the TLS port gets no HTTP answer").hasRootCauseInstanceOf(IOException.class);
    }

    @Test
    void aClientWithoutACertificateIsRefused401ButHealthProbesAreAnswered() throws Exception {
        SSLContext anonymous = TestCertificates.clientTrusting(serverCa);
        HttpResponse<String> refused = postEvent(anonymous);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(refused.body()).contains("client certificate").contains("callbridge.http.tls.client-ca-file");
        HttpResponse<String> live = HttpClient.newBuilder().sslContext(anonymous).build().send(
                HttpRequest.newBuilder(https("/observe/health/live")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(io.callbridge.LiveProbe.isLive(app.httpPort(), dir.resolve("tls.crt"))).as("the image's health check").isTrue();
        assertThat(io.callbridge.LiveProbe.isLive(app.httpPort(), dir.resolve("clients-ca.crt")))
                .as("the probe trusts the certificate in the file, nothing else").isFalse();
    }

    @Test
    void aClientCertificateFromAnotherCaIsRefused() throws Exception {
        Issued stranger = TestCertificates.client(TestCertificates.authority("Someone else's CA"), "intruder");
        // the handshake takes no certificate it cannot verify: the request comes without one
        HttpResponse<String> refused = postEvent(stranger.clientContext(serverCa));
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("client certificate");
        assertThat(postEvent(assistant.clientContext(serverCa)).statusCode()).as("the next client is served").isEqualTo(202);
    }

    @Test
    void aReplacedCertificateFileIsServedToTheNextConnection() throws Exception {
        String before = servedCertificate().getSubjectX500Principal().getName();
        Issued renewed = TestCertificates.server(serverCa, "callbridge-renewed");
        renewed.writePem(dir.resolve("new.crt"), dir.resolve("new.key"));
        // the key first, and the certificate only once the old key has been checked against it and refused: a pair that
        // does not belong together is never served, every handshake in between gets the old certificate
        Files.move(dir.resolve("new.key"), dir.resolve("tls.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(servedCertificate().getSubjectX500Principal().getName()).isEqualTo(before));
        Files.move(dir.resolve("new.crt"), dir.resolve("tls.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(servedCertificate().getSubjectX500Principal().getName()).isEqualTo("CN=callbridge-renewed"));
        assertThat(postEvent(assistant.clientContext(serverCa)).statusCode()).as("served with the new certificate").isEqualTo(202);
    }

    @Test
    void noHandshakeFailsWhileTheCertificateIsReplacedAgainAndAgain() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean swapping = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicInteger handshakes = new java.util.concurrent.atomic.AtomicInteger();
        java.util.List<String> failed = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        Thread clients = new Thread(() -> {
            while (swapping.get()) {
                try {
                    servedCertificate();
                    handshakes.incrementAndGet();
                } catch (Exception e) {
                    failed.add(e.toString());
                }
            }
        });
        clients.start();
        for (int i = 1; i <= 8; i++) {
            String name = "CN=callbridge-swap-" + i;
            Issued next = TestCertificates.server(serverCa, name.substring(3));
            next.writePem(dir.resolve("next.crt"), dir.resolve("next.key"));
            Files.move(dir.resolve("next.key"), dir.resolve("tls.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.move(dir.resolve("next.crt"), dir.resolve("tls.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).ignoreExceptions().untilAsserted(() ->
                    assertThat(servedCertificate().getSubjectX500Principal().getName()).isEqualTo(name));
        }
        swapping.set(false);
        clients.join();
        assertThat(handshakes.get()).as("handshakes made while the files changed").isGreaterThan(8);
        assertThat(failed).as("handshakes that failed").isEmpty();
    }

    private static X509Certificate servedCertificate() throws Exception {
        try (SSLSocket socket = (SSLSocket) TestCertificates.clientTrusting(serverCa).getSocketFactory()
                .createSocket("localhost", app.httpPort())) {
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }
}
