package com.xloud.image.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * openstacksdk (Debian's python3-openstacksdk, the library under Ansible's OpenStack modules and
 * many tools) against a node: create_image with a file and with use_import, find_image, whole and
 * streamed downloads, update_image, tags, members accepted by the member, deactivate and
 * reactivate, stores, tasks, metadata definitions (through its image service: 0.101 has no metadef
 * resources), the errors it raises, delete_image (sdk/images.py, step by step).
 */
class SdkTest {
    @TempDir
    static Path dir;
    static Node node;

    @BeforeAll
    static void start() throws Exception {
        node = Node.start(dir.resolve("node"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void everyImageCallOfTheSdkWorks() throws Exception {
        Node.Run run = Node.run(dir.resolve("home"), List.of("/usr/bin/python3",
                Node.HOME.resolve("itests/src/test/resources/sdk/images.py").toString(), node.url(), dir.toString()));
        assertEquals(0, run.exit(), run.out());
        assertTrue(run.out().contains("sdk: every step passed"), run.out());
    }
}
