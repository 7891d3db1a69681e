package com.xloud.image.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.RequestContext;
import com.xloud.image.api.upload.UploadCheck;
import com.xloud.image.api.upload.UploadFilter;
import com.xloud.image.api.upload.UploadRefusedException;
import com.xloud.image.api.upload.UploadSubject;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The order filters see the data in, whose refusal is whose, what they report, and a missing required filter. */
class UploadFiltersTest {
    static final UploadSubject SUBJECT = new UploadSubject("id", "raw", -1, Map.of(), new RequestContext("u", "p",
            List.of("member"), "req"), false);

    /** A filter that notes the order it sees bytes in, refuses at a byte count, and reports what it saw. */
    static final class Probe implements UploadFilter {
        final String name;
        final long refuseAt;
        final List<String> seen;
        final Map<String, Object> report;

        Probe(String name, long refuseAt, List<String> seen, Map<String, Object> report) {
            this.name = name;
            this.refuseAt = refuseAt;
            this.seen = seen;
            this.report = report;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public UploadCheck open(UploadSubject subject) throws UploadRefusedException {
            if (refuseAt == 0) {
                throw new UploadRefusedException(name + " refuses at once", 400);
            }
            return new UploadCheck() {
                @Override
                public InputStream wrap(InputStream data) {
                    return new FilterInputStream(data) {
                        long count;

                        @Override
                        public int read(byte[] b, int off, int len) throws IOException {
                            int n = super.read(b, off, len);
                            if (n > 0 && seen.size() < 16) {
                                seen.add(name);
                            }
                            count += Math.max(n, 0);
                            if (refuseAt > 0 && count >= refuseAt) {
                                throw new UploadRefusedException(name + " refuses at " + count, 415);
                            }
                            return n;
                        }
                    };
                }

                @Override
                public Map<String, Object> complete() {
                    return report;
                }
            };
        }
    }

    static Map<String, Object> ranking(int r, long id) {
        return Map.of("service.ranking", r, "service.id", id);
    }

    static byte[] drain(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[10];
        for (int n; (n = in.read(buffer, 0, buffer.length)) >= 0; ) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    @Test
    void theHighestRankingSeesTheBytesFirstAndItsReportWins() throws Exception {
        List<String> seen = new ArrayList<>();
        UploadFilters filters = new UploadFilters(true);
        Map<String, Object> low = new HashMap<>(Map.of("virtual_size", 1L, "low_only", "x"));
        filters.add(new Probe("low", -1, seen, low), ranking(10, 1));
        filters.add(new Probe(UploadFilters.INSPECTION, -1, seen, Map.of("virtual_size", 99L)), ranking(200, 2));
        filters.add(new Probe("same-rank-newer", -1, seen, Map.of()), ranking(10, 3));
        UploadFilters.Run run = filters.open(SUBJECT);
        byte[] data = new byte[25];
        assertArrayEquals(data, drain(run.wrap(new ByteArrayInputStream(data))));
        assertEquals(List.of(UploadFilters.INSPECTION, "low", "same-rank-newer"), seen.subList(0, 3));
        Map<String, Object> attributes = run.complete();
        assertEquals(99L, attributes.get("virtual_size"), "the first filter's value");
        assertEquals("x", attributes.get("low_only"));
        assertNull(run.refusal());
    }

    @Test
    void aRefusalNamesTheFilterThatMadeItNotTheOnesItPassedThrough() throws Exception {
        UploadFilters filters = new UploadFilters(false);
        filters.add(new Probe("first", 12, new ArrayList<>(), Map.of()), ranking(100, 1));
        filters.add(new Probe("second", -1, new ArrayList<>(), Map.of()), ranking(50, 2));
        UploadFilters.Run run = filters.open(SUBJECT);
        InputStream in = run.wrap(new ByteArrayInputStream(new byte[40]));
        assertThrows(UploadRefusedException.class, () -> drain(in));
        assertEquals("first", run.refusal().filter());
        assertEquals(415, run.refusal().status());
        assertEquals(ImageException.Kind.UNSUPPORTED_MEDIA_TYPE, run.refusal().failure().kind());
    }

    @Test
    void aRefusalBeforeAByteIsReadAndAMissingRequiredFilter() {
        UploadFilters required = new UploadFilters(true);
        required.add(new Probe("other", -1, new ArrayList<>(), Map.of()), ranking(0, 1));
        UploadFilters.RefusedException missing = assertThrows(UploadFilters.RefusedException.class,
                () -> required.open(SUBJECT));
        assertEquals(ImageException.Kind.UNAVAILABLE, missing.kind());
        assertEquals(false, required.describe().get("accepting"));
        UploadFilters lenient = new UploadFilters(false);
        assertEquals(true, lenient.describe().get("accepting"));
        lenient.add(new Probe("gate", 0, new ArrayList<>(), Map.of()), ranking(0, 1));
        UploadFilters.RefusedException refused = assertThrows(UploadFilters.RefusedException.class,
                () -> lenient.open(SUBJECT));
        assertEquals("gate", refused.refusal().filter());
        assertEquals(ImageException.Kind.BAD_REQUEST, refused.kind());
        lenient.remove(lenient.current().get(0));
        assertEquals(List.of(), lenient.current());
    }
}
