package com.xloud.image.itests;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The sharing matrix of {@link SharingMatrix} against a no-auth node: callers say who they are in headers. */
class SharingTest extends SharingMatrix {
    @BeforeAll
    static void start() throws Exception {
        noAuthCallers();
        node = Node.start(dir.resolve("node"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }
}
