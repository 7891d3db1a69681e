package com.xloud.image.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.xloud.image.api.images.Image;
import com.xloud.image.api.images.ImageLocation;
import com.xloud.image.api.images.ImageStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageJsonTest {
    private static Image image(Map<String, String> locations) {
        Instant t = Instant.parse("2026-01-02T03:04:05.678901Z");
        return new Image("0b70b6d8-ffdf-4d69-bd83-90b0cc3a9854", "n", ImageStatus.ACTIVE, "shared", false, false, "p",
                10L, 10L, "md5", "sha512", "h", "raw", "bare", 0, 0, t, t, "x", List.of("t"), Map.of("k", "v"),
                locations.isEmpty() ? null : locations.keySet().iterator().next(), locations,
                locations.entrySet().stream().map(l -> new ImageLocation(l.getValue(), l.getKey(), Map.of())).toList());
    }

    @Test
    void storesFollowTheStoreWeightOrder() {
        Map<String, Object> json = ImageJson.of(image(Map.of("alpha", "a://1", "zulu", "z://1", "mid", "m://1")),
                List.of("zulu", "alpha"));
        assertEquals("zulu,alpha,mid", json.get("stores"), "known stores by weight, others after by name");
        assertFalse(ImageJson.of(image(Map.of())).containsKey("stores"));
    }

    @Test
    void timesAreWholeSecondsInUtc() {
        Map<String, Object> json = ImageJson.of(image(Map.of()));
        assertEquals("2026-01-02T03:04:05Z", json.get("created_at"));
        assertEquals("v", json.get("k"));
        assertEquals(List.of("k", "name"), List.copyOf(json.keySet()).subList(0, 2), "extra properties first");
    }
}
