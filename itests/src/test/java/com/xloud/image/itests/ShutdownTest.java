package com.xloud.image.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM stops a node cleanly, lets an upload in flight finish, and the data survives a restart. */
class ShutdownTest {
    @TempDir
    Path dir;

    @Test
    void sigtermFinishesInFlightUploadThenDataSurvivesRestart() throws Exception {
        Path data = dir.resolve("node");
        String id;
        byte[] body = new byte[8 * 1024 * 1024];
        new Random(1).nextBytes(body);
        try (Node node = Node.start(data)) {
            HttpResponse<String> created = node.postJson("/v2/images",
                    "{\"name\":\"survivor\",\"disk_format\":\"raw\",\"container_format\":\"bare\"}");
            id = new com.fasterxml.jackson.databind.ObjectMapper().readTree(created.body()).get("id").asText();
            // a slow upload: the body trickles in over about two seconds
            CompletableFuture<HttpResponse<String>> upload = node.http.sendAsync(node.request("/v2/images/" + id + "/file")
                    .header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new SlowStream(body, 2000))).build(),
                    HttpResponse.BodyHandlers.ofString());
            String imageId = id;
            Await.until("the upload to start", java.time.Duration.ofSeconds(10), () -> node.status(imageId),
                    "saving"::equals);
            int exit = node.stop();
            assertEquals(204, upload.get().statusCode(), "the upload in flight finished");
            assertTrue(exit == 0 || exit == 143, "exit code " + exit);
            String out = node.output();
            assertTrue(out.contains("Image API stopped"), out);
            assertTrue(out.contains("embedded MariaDB stopped"), out);
        }
        assertFalse(ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine().orElse("")
                .contains("mariadbd") && p.info().commandLine().orElse("").contains(data.toString())),
                "no mariadbd of this node is left running");
        try (Node again = Node.start(data)) {
            HttpResponse<String> image = again.get("/v2/images/" + id);
            assertEquals(200, image.statusCode());
            assertTrue(image.body().contains("\"active\""), image.body());
            HttpResponse<byte[]> download = again.http.send(again.request("/v2/images/" + id + "/file").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(body.length, download.body().length);
            assertTrue(java.util.Arrays.equals(body, download.body()));
        }
        assertTrue(Files.exists(data.resolve("logs/xloud.log")));
    }

    /** Hands out the bytes over {@code millis}, in 64 KiB steps. */
    static final class SlowStream extends java.io.InputStream {
        private final byte[] data;
        private final long pauseNanos;
        private int pos;

        SlowStream(byte[] data, long millis) {
            this.data = data;
            this.pauseNanos = millis * 1_000_000L / Math.max(1, data.length / 65536);
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= data.length) {
                return -1;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(pauseNanos);
            int n = Math.min(Math.min(len, 65536), data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
