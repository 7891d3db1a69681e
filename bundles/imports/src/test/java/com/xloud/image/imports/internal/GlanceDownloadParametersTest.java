package com.xloud.image.imports.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.xloud.image.api.images.ImageException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** glance-download's parameters are checked as Glance checks them, in its order and words. */
class GlanceDownloadParametersTest {

    private static Map<String, Object> input(Map<String, Object> method) {
        Map<String, Object> m = new LinkedHashMap<>(method);
        m.put("name", "glance-download");
        return Map.of("image_id", "x", "import_req", Map.of("method", m));
    }

    private static String refusal(Map<String, Object> method) {
        ImageException e = assertThrows(ImageException.class, () -> GlanceDownload.checkedInput(input(method)));
        assertEquals(ImageException.Kind.BAD_REQUEST, e.kind());
        return e.getMessage();
    }

    @Test
    void theRegionComesFirstThenTheIdThenItsForm() {
        assertEquals("'glance_region' needs to be set for glance-download import method", refusal(Map.of()));
        assertEquals("'glance_region' needs to be set for glance-download import method",
                refusal(Map.of("glance_image_id", "foo")));
        assertEquals("'glance_image_id' needs to be set for glance-download import method",
                refusal(Map.of("glance_region", "RegionOne")));
        assertEquals("Remote image id does not look like a UUID: foo",
                refusal(Map.of("glance_region", "RegionOne", "glance_image_id", "foo")));
        assertEquals("Remote image id does not look like a UUID: 12",
                refusal(Map.of("glance_region", "RegionOne", "glance_image_id", 12)));
        Map<String, Object> nullId = new HashMap<>(Map.of("glance_region", "RegionOne"));
        nullId.put("glance_image_id", null);
        assertEquals("Remote image id does not look like a UUID: null", refusal(nullId));
        assertEquals("'glance_region' must be a string", refusal(Map.of("glance_region", 1,
                "glance_image_id", "36d4b546-64a2-4bb9-bdd0-ba676aa48f2c")));
    }

    @Test
    void uuidsAreTakenInTheFormsPythonTakesThem() {
        for (String id : new String[] {"36d4b546-64a2-4bb9-bdd0-ba676aa48f2c", "36D4B54664A24BB9BDD0BA676AA48F2C",
                "{36d4b546-64a2-4bb9-bdd0-ba676aa48f2c}", "urn:uuid:36d4b546-64a2-4bb9-bdd0-ba676aa48f2c"}) {
            GlanceDownload.checkedInput(input(Map.of("glance_region", "r", "glance_image_id", id)));
        }
        for (String id : new String[] {"36d4b546-64a2-4bb9-bdd0-ba676aa48f2", "36d4b546-64a2-4bb9-bdd0-ba676aa48f2cc",
                "g6d4b546-64a2-4bb9-bdd0-ba676aa48f2c", "", "\u0663\u0666d4b546-64a2-4bb9-bdd0-ba676aa48f2c"}) {
            assertEquals("Remote image id does not look like a UUID: " + id,
                    refusal(Map.of("glance_region", "r", "glance_image_id", id)));
        }
    }

    @Test
    void theInterfaceDefaultsToPublicInTheRecordedInputAndTheRequestIsNotChanged() {
        Map<String, Object> sent = input(Map.of("glance_region", "r", "glance_image_id",
                "36d4b546-64a2-4bb9-bdd0-ba676aa48f2c"));
        Map<String, Object> checked = GlanceDownload.checkedInput(sent);
        assertEquals("public", GlanceDownload.parameters(checked).get("glance_service_interface"));
        assertEquals(null, GlanceDownload.parameters(sent).get("glance_service_interface"));
        Map<String, Object> internal = GlanceDownload.checkedInput(input(Map.of("glance_region", "r",
                "glance_image_id", "36d4b546-64a2-4bb9-bdd0-ba676aa48f2c", "glance_service_interface", "internal")));
        assertEquals("internal", GlanceDownload.parameters(internal).get("glance_service_interface"));
    }
}
