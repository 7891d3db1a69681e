package com.xloud.image.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemPackages;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import com.xloud.image.api.images.ImageService;
import com.xloud.image.launcher.EmbeddedMariaDb;
import com.xloud.image.launcher.FeatureFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * The bundle set of features/full.features (every store of the distribution) in a real Felix, configured from
 * distribution/etc through FileInstall and ConfigAdmin, on a real MariaDB: the services wire up
 * and an image is created, uploaded and downloaded over HTTP.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FelixContainerTest {

    @Inject
    private BundleContext context;

    @Inject
    private ImageService images;

    @Configuration
    public Option[] config() throws Exception {
        Path home = Path.of(System.getProperty("xloud.home", "..")).toAbsolutePath().normalize();
        Path data = Files.createTempDirectory("xloud-paxexam");
        int port = EmbeddedMariaDb.freePort();
        EmbeddedMariaDb db = EmbeddedMariaDb.start(data, 0, "xloud");
        // no lambda over the database's type: the probe's class must load without the launcher's classes
        Runnable closeDb = db::close;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            closeDb.run();
            ScratchDir.delete(data);
        }));
        List<Option> options = new ArrayList<>();
        options.add(systemPackages("org.slf4j;version=2.0.17", "org.slf4j.spi;version=2.0.17",
                "org.slf4j.event;version=2.0.17", "org.slf4j.helpers;version=2.0.17",
                "org.slf4j;version=1.7.36", "org.slf4j.spi;version=1.7.36", "org.slf4j.event;version=1.7.36",
                "org.slf4j.helpers;version=1.7.36"));
        for (Path jar : FeatureFile.bundles(home.resolve("features/full.features"),
                home.resolve("distribution/assembly/target/xloud/bundles"))) {
            options.add(bundle(jar.toUri().toString()));
        }
        options.add(frameworkProperty("felix.fileinstall.dir").value(home.resolve("distribution/etc").toString()));
        options.add(frameworkProperty("felix.fileinstall.filter").value(".*\\.cfg"));
        options.add(frameworkProperty("felix.fileinstall.noInitialDelay").value("true"));
        options.add(frameworkProperty("felix.fileinstall.enableConfigSave").value("false"));
        options.add(frameworkProperty("xloud.deploy.dir").value(data.resolve("deploy").toString()));
        options.add(frameworkProperty("xloud.data.dir").value(data.toString()));
        options.add(frameworkProperty("xloud.node.id").value("paxexam"));
        options.add(frameworkProperty("xloud.http.host").value("127.0.0.1"));
        options.add(frameworkProperty("xloud.http.port").value(Integer.toString(port)));
        options.add(frameworkProperty("xloud.db.embedded.url").value(db.jdbcUrl()));
        options.add(systemProperty("xloud.test.port").value(Integer.toString(port)));
        options.add(junitBundles());
        options.add(cleanCaches());
        return options.toArray(Option[]::new);
    }

    @Test
    public void everyBundleIsActiveAndTheApiServesAnImage() throws Exception {
        for (Bundle b : context.getBundles()) {
            if (b.getHeaders().get("Fragment-Host") == null) {
                assertEquals(b.getSymbolicName() + " is active", Bundle.ACTIVE, b.getState());
            }
        }
        assertNotNull(images);
        assertTrue(images.healthy());

        String base = "http://127.0.0.1:" + System.getProperty("xloud.test.port");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        // the server starts as soon as its component is active: until then connections are refused
        HttpResponse<String> health = null;
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        while (health == null && System.nanoTime() < deadline) {
            try {
                health = http.send(HttpRequest.newBuilder(URI.create(base + "/healthcheck")).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException notYet) {
                java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
        assertNotNull("the API answers", health);
        assertEquals(200, health.statusCode());

        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/v2/images"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"in-felix\",\"disk_format\":\"raw\",\"container_format\":\"bare\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode());
        Matcher m = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"").matcher(created.body());
        assertTrue(m.find());
        String id = m.group(1);
        byte[] data = new byte[1_000_000];
        new Random(3).nextBytes(data);
        HttpResponse<String> up = http.send(HttpRequest.newBuilder(URI.create(base + "/v2/images/" + id + "/file"))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, up.statusCode());
        HttpResponse<byte[]> down = http.send(HttpRequest.newBuilder(URI.create(base + "/v2/images/" + id + "/file"))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, down.statusCode());
        assertArrayEquals(data, down.body());
        HttpResponse<String> shown = http.send(HttpRequest.newBuilder(URI.create(base + "/v2/images/" + id)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(shown.body(), shown.body().contains("\"status\":\"active\""));
    }
}
