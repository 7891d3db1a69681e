package com.xloud.image.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.PatchOperation;
import java.util.List;
import org.junit.jupiter.api.Test;

class PatchParserTest {
    private final ObjectMapper json = new ObjectMapper();

    private List<PatchOperation> v21(String body) throws Exception {
        return PatchParser.parse(json, json.readTree(body), false);
    }

    @Test
    void readsRfc6902Operations() throws Exception {
        List<PatchOperation> ops = v21("[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"n\"},"
                + "{\"op\":\"add\",\"path\":\"/min_ram\",\"value\":512},{\"op\":\"remove\",\"path\":\"/a~1b~0c\"}]");
        assertEquals(new PatchOperation("replace", "name", "n"), ops.get(0));
        assertEquals(new PatchOperation("add", "min_ram", 512), ops.get(1));
        assertEquals(new PatchOperation("remove", "a/b~c", null), ops.get(2));
    }

    @Test
    void readsTheDraftFormat() throws Exception {
        List<PatchOperation> ops = PatchParser.parse(json, json.readTree("[{\"add\":\"/os_distro\",\"value\":\"x\"}]"), true);
        assertEquals(new PatchOperation("add", "os_distro", "x"), ops.get(0));
    }

    @Test
    void refusesWhatGlanceRefuses() {
        for (String bad : List.of("{}", "[1]", "[{\"op\":\"move\",\"path\":\"/a\"}]", "[{\"path\":\"/a\"}]",
                "[{\"op\":\"add\",\"path\":\"/tags/-\",\"value\":\"t\"}]", "[{\"op\":\"add\",\"path\":\"name\",\"value\":1}]",
                "[{\"op\":\"add\",\"path\":\"/a\"}]", "[{\"op\":\"add\",\"path\":\"/\",\"value\":1}]",
                "[{\"op\":\"add\",\"path\":\"/a~2\",\"value\":1}]")) {
            ImageException e = assertThrows(ImageException.class, () -> v21(bad), bad);
            assertEquals(ImageException.Kind.BAD_REQUEST, e.kind(), bad);
        }
    }
}
