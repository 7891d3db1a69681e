package com.xloud.image.inspection.internal;

import com.xloud.image.api.upload.UploadCheck;
import com.xloud.image.api.upload.UploadFilter;
import com.xloud.image.api.upload.UploadSubject;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Disk-format inspection as an upload filter: every upload and import is read through an
 * {@link InspectingStream} (no second read); data that is not its {@code disk_format}, or is
 * unsafe, is refused with 415 while it streams, and the image takes the inspected
 * {@code virtual_size}.
 */
@Component(service = UploadFilter.class, configurationPid = "com.xloud.image.inspection",
        configurationPolicy = ConfigurationPolicy.OPTIONAL, property = "service.ranking:Integer=200")
@Designate(ocd = InspectionConfig.class)
public final class InspectionFilter implements UploadFilter {
    private final boolean requireMatch;

    @Activate
    public InspectionFilter(InspectionConfig config) {
        this(config.require_image_format_match());
    }

    /** {@code requireMatch} false: only unsafe data is refused, data of another format passes. */
    public InspectionFilter(boolean requireMatch) {
        this.requireMatch = requireMatch;
    }

    @Override
    public String name() {
        return "inspection";
    }

    @Override
    public UploadCheck open(UploadSubject subject) {
        return new UploadCheck() {
            private InspectingStream inspected;

            @Override
            public InputStream wrap(InputStream data) {
                inspected = new InspectingStream(data, subject.diskFormat(), subject.expectedSize(), requireMatch);
                return inspected;
            }

            @Override
            public Map<String, Object> complete() {
                Map<String, Object> attributes = new HashMap<>();
                attributes.put("virtual_size", inspected.virtualSize());
                return attributes;
            }
        };
    }
}
