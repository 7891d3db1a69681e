package com.xloud.image.core.kernel;

import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.upload.UploadCheck;
import com.xloud.image.api.services.RankedServices;
import com.xloud.image.api.upload.UploadFilter;
import com.xloud.image.api.upload.UploadRefusedException;
import com.xloud.image.api.upload.UploadSubject;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The upload filters this node has ({@link UploadFilter} services, highest ranking first) and
 * what one upload does with them: each filter's check wraps the data in turn, so the first
 * filter sees the bytes first, and a refusal is kept with the name of the filter that made it.
 * Without the inspection filter, uploads are refused (503) while {@code inspectionRequired}; without
 * the signature filter, so are those of images with {@code img_signature*} properties.
 */
public final class UploadFilters {
    public static final String INSPECTION = "inspection";
    public static final String SIGNATURE = "signature";

    private final RankedServices<UploadFilter> filters = new RankedServices<>();
    private final boolean inspectionRequired;

    public UploadFilters(boolean inspectionRequired) {
        this.inspectionRequired = inspectionRequired;
    }

    public void add(UploadFilter filter, Map<String, Object> properties) {
        filters.add(filter, properties);
    }

    public void remove(UploadFilter filter) {
        filters.remove(filter);
    }

    /** The filters in the order they see the data: by ranking, then the older service first (OSGi's order). */
    public List<UploadFilter> current() {
        return filters.ordered();
    }

    /** For the health report: each filter in order with its bundle, and whether a required one is missing. */
    public boolean inspectionRequired() {
        return inspectionRequired;
    }

    public Map<String, Object> describe() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (UploadFilter filter : current()) {
            java.util.OptionalInt ranking = filters.ranking(filter);
            if (ranking.isPresent()) {
                Map<String, Object> f = new java.util.LinkedHashMap<>();
                f.put("name", filter.name());
                f.put("ranking", ranking.getAsInt());
                f.put("bundle", StoreDirectory.bundleOf(filter));
                list.add(f);
            }
        }
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("filters", list);
        out.put("inspection_required", inspectionRequired);
        out.put("accepting", !inspectionRequired || list.stream().anyMatch(f -> INSPECTION.equals(f.get("name"))));
        return out;
    }

    /** A filter's refusal of one upload. */
    public record Refusal(String filter, String reason, int status) {
        public ImageException failure() {
            ImageException.Kind kind = Arrays.stream(ImageException.Kind.values()).filter(k -> k.status() == status)
                    .findFirst().orElse(status >= 500 ? ImageException.Kind.UNAVAILABLE : ImageException.Kind.BAD_REQUEST);
            return new ImageException(kind, reason);
        }
    }

    /** An upload refused by a filter, before or after its data was stored. */
    public static final class RefusedException extends ImageException {
        private final Refusal refusal;

        public RefusedException(Refusal refusal) {
            super(refusal.failure().kind(), refusal.reason());
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return refusal;
        }
    }

    /**
     * The checks of one upload, opened with every filter present now. A refusal before the data
     * is read is a {@link RefusedException}; so is a required filter that is missing (503).
     */
    public Run open(UploadSubject subject) {
        List<UploadFilter> present = current();
        requirePresent(present, subject.properties());
        List<Map.Entry<String, UploadCheck>> checks = new ArrayList<>();
        for (UploadFilter filter : present) {
            UploadCheck check;
            try {
                check = filter.open(subject);
            } catch (UploadRefusedException e) {
                throw new RefusedException(new Refusal(filter.name(), e.getMessage(), e.status()));
            }
            if (check != null) {
                checks.add(Map.entry(filter.name(), check));
            }
        }
        return new Run(checks);
    }

    /** A {@link RefusedException} (503) while a filter the data of an image with these properties needs is missing. */
    public void requirePresent(Map<String, String> properties) {
        requirePresent(current(), properties);
    }

    private void requirePresent(List<UploadFilter> present, Map<String, String> properties) {
        if (inspectionRequired && present.stream().noneMatch(f -> INSPECTION.equals(f.name()))) {
            throw new RefusedException(new Refusal(INSPECTION, "Disk format inspection is not running on this node"
                    + " (bundle com.xloud.image.inspection): image data is not accepted without it (set"
                    + " inspection.required = false to accept it uninspected)", 503));
        }
        if (properties.keySet().stream().anyMatch(k -> k.startsWith("img_signature"))
                && present.stream().noneMatch(f -> SIGNATURE.equals(f.name()))) {
            throw new RefusedException(new Refusal(SIGNATURE, "Signature verification is not running on this node"
                    + " (bundle com.xloud.image.signature): the data of a signed image is not accepted without it", 503));
        }
    }

    /** One upload's checks. */
    public static final class Run {
        private final List<Map.Entry<String, UploadCheck>> checks;
        private volatile Refusal refusal;

        private Run(List<Map.Entry<String, UploadCheck>> checks) {
            this.checks = checks;
        }

        /** The data as the store reads it: through every check, the first filter's nearest the source. */
        public InputStream wrap(InputStream data) {
            InputStream in = data;
            for (Map.Entry<String, UploadCheck> check : checks) {
                in = new Watched(check.getValue().wrap(in), check.getKey());
            }
            return in;
        }

        /** The refusal a check made while the data streamed, if any. */
        public Refusal refusal() {
            return refusal;
        }

        /**
         * After the data was stored: each check's last word. Returns the attributes they report
         * (the first filter's value wins); a refusal is a {@link RefusedException}.
         */
        public Map<String, Object> complete() {
            Map<String, Object> attributes = new HashMap<>();
            for (Map.Entry<String, UploadCheck> check : checks) {
                try {
                    check.getValue().complete().forEach(attributes::putIfAbsent);
                } catch (UploadRefusedException e) {
                    refusal = new Refusal(check.getKey(), e.getMessage(), e.status());
                    throw new RefusedException(refusal);
                }
            }
            return attributes;
        }

        /** Notes the first refusal that reads of a check's stream throw. */
        private final class Watched extends FilterInputStream {
            private final String filter;

            Watched(InputStream in, String filter) {
                super(in);
                this.filter = filter;
            }

            @Override
            public int read() throws IOException {
                try {
                    return super.read();
                } catch (UploadRefusedException e) {
                    throw noted(e);
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return super.read(b, off, len);
                } catch (UploadRefusedException e) {
                    throw noted(e);
                }
            }

            private UploadRefusedException noted(UploadRefusedException e) {
                if (refusal == null) {
                    refusal = new Refusal(filter, e.getMessage(), e.status());
                }
                return e;
            }
        }
    }
}
